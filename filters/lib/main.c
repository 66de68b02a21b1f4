/*
 * The start-up every filter shares: program name for messages, SIGPIPE
 * back to its default so that "| head" ends us quietly, WINNOW_GZIP
 * checked, then the filter.
 */
#include "compat.h"

#include <signal.h>

#include "cli.h"
#include "msg.h"
#include "zio.h"

int
main(int argc, char **argv)
{
	msg_init(argv[0]);
	signal(SIGPIPE, SIG_DFL);
	zio_init();
	return filter_main(argc, argv);
}
