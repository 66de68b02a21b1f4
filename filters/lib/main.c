/*
 * The start-up every filter shares: program name for messages, the
 * standard descriptors and signals put right, WINNOW_GZIP checked, then
 * the filter.
 */
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "msg.h"
#include "zio.h"

/*
 * A descriptor 0-2 that the parent left closed would be taken by the next
 * open: the temporary output file would become standard error (messages
 * written into the archive) or standard input (the filter reading its own
 * output).  Each closed one gets /dev/null, as git's sanitize_stdfds does;
 * a closed standard input or output is remembered, so using it still fails.
 */
static void
sanitize_stdfds(void)
{
	int fd;

	for (fd = STDIN_FILENO; fd <= STDOUT_FILENO; fd++)
		if (fcntl(fd, F_GETFD) < 0)
			zio_closed_at_start(fd);
	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= STDERR_FILENO)
		;
	if (fd < 0)
		msg_fatal("/dev/null: %s", strerror(errno));
	close(fd);
}

int
main(int argc, char **argv)
{
	sigset_t pipe_only;

	msg_init(argv[0]);
	sanitize_stdfds();
	/* "| head" must end us quietly, even when a parent ignored or
	 * blocked SIGPIPE. */
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	sigprocmask(SIG_UNBLOCK, &pipe_only, NULL);
	zio_init();
	return filter_main(argc, argv);
}
