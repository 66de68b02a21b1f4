/* O_TMPFILE is a Linux interface, declared only for _GNU_SOURCE. */
#define _GNU_SOURCE
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "afile.h"
#include "msg.h"

#ifndef O_TMPFILE
#define O_TMPFILE 0	/* no such kernel interface: always the fallback */
#endif

/* Symbolic links followed to a target before ELOOP, as Linux does. */
#define MAX_LINKS 40

struct af {
	struct af *next;
	int fd;
	char *name;	/* printable, for messages */
	char *target;	/* the final name, symbolic links resolved */
	char *dir;	/* its directory, with a trailing '/' unless empty */
	char *tmp;	/* the temporary name on disk, or NULL while unnamed */
	int direct;	/* written through to the target (a FIFO, a device) */
};

/* The open afiles; changed only with the clean-up signals blocked. */
static struct af *volatile open_files;

static const int cleanup_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGALRM,
	SIGXFSZ, SIGVTALRM, SIGPIPE, SIGUSR1, SIGUSR2 };

/* Async-signal-safe: only unlink(2) on names that stay valid while listed. */
static void
remove_temporaries(void)
{
	struct af *f;

	for (f = open_files; f; f = f->next)
		if (f->tmp)
			unlink(f->tmp);
}

static void
on_signal(int sig)
{
	struct sigaction dfl;

	remove_temporaries();
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	raise(sig);	/* delivered, with the default action, when we return */
}

static void
install_handlers(void)
{
	static int done;
	size_t k;

	if (done)
		return;
	done = 1;
	atexit(remove_temporaries);
	for (k = 0; k < sizeof cleanup_signals / sizeof cleanup_signals[0]; k++) {
		struct sigaction old, sa;

		if (sigaction(cleanup_signals[k], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigfillset(&sa.sa_mask);
		sigaction(cleanup_signals[k], &sa, NULL);
	}
}

/* Block the clean-up signals (how 1) or restore *old (how 0), so that a
 * handler never sees the list half changed. */
static void
guard(int how, sigset_t *old)
{
	sigset_t set;
	size_t k;

	if (!how) {
		pthread_sigmask(SIG_SETMASK, old, NULL);
		return;
	}
	sigemptyset(&set);
	for (k = 0; k < sizeof cleanup_signals / sizeof cleanup_signals[0]; k++)
		sigaddset(&set, cleanup_signals[k]);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

static void
set_tmp(struct af *f, char *tmp)
{
	sigset_t old;

	guard(1, &old);
	f->tmp = tmp;
	guard(0, &old);
}

/* A short name, DIR/.wn-XXXXXX, for the data on its way into place. */
static char *
short_name(const struct af *f, int random)
{
	static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned long counter;
	size_t n = strlen(f->dir) + sizeof ".wn-XXXXXX";
	char *s = xmalloc(n), *x;
	struct timespec ts;
	unsigned long v;
	int i;

	snprintf(s, n, "%s.wn-XXXXXX", f->dir);
	if (!random)
		return s;	/* for mkstemp */
	clock_gettime(CLOCK_REALTIME, &ts);
	v = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 20) ^ (++counter * 2654435761ul);
	x = s + n - 7;
	for (i = 0; i < 6; i++, v /= sizeof chars - 1)
		x[i] = chars[v % (sizeof chars - 1)];
	return s;
}

/* Give the new file the old one's mode and group, or 0666 less the umask
 * (which O_TMPFILE applies by itself, but mkstemp does not). */
static void
set_mode(struct af *f, const struct stat *old)
{
	mode_t mask;

	if (old) {
		/* Best effort: only root or a member of the group may do it,
		 * and "> file" does not fail over it either.  Before fchmod,
		 * which a change of group could undo for the set-gid bit. */
		if (fchown(f->fd, (uid_t)-1, old->st_gid) < 0) {
			/* keep the caller's group */
		}
		fchmod(f->fd, old->st_mode & 07777);
		return;
	}
	if (f->tmp == NULL)
		return;
	mask = umask(0);
	umask(mask);
	fchmod(f->fd, 0666 & ~mask);
}

/* Open f's file to write in its target's directory: an unnamed one,
 * put in place through /proc/self/fd, or without /proc (a chroot, a bare
 * container) or unnamed files a named one, whose name it returns. */
static char *
open_temporary(struct af *f)
{
	char *tmp = NULL;

	f->fd = O_TMPFILE && access("/proc/self/fd", X_OK) == 0 ?
	    open(*f->dir ? f->dir : ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666) : -1;
	if (f->fd < 0 && (!O_TMPFILE || errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL ||
	    errno == ENOENT)) {
		tmp = short_name(f, 0);
		f->fd = mkstemp(tmp);
	}
	if (f->fd < 0)
		msg_fatal("%s: cannot create: %s", f->name, strerror(errno));
	return tmp;
}

/*
 * Where the chain of symbolic links from path ends when nothing is there
 * yet: the name "> path" would create.  realpath(3) fails on it.  Each
 * link's text is kept as it is, taken from the link's folder when
 * relative, so that the kernel resolves the name as it resolved the link.
 */
static char *
dangling_target(const struct af *f, const char *path)
{
	char *cur = xstrdup(path);
	struct stat st;
	int hops;

	for (hops = 0; lstat(cur, &st) == 0 && S_ISLNK(st.st_mode); hops++) {
		const char *slash;
		char *to, *next;
		size_t cap, dirlen;
		ssize_t n;

		/* cur and to are freed before a fatal error, which a leak
		 * checker would report otherwise. */
		if (hops == MAX_LINKS) {
			free(cur);
			msg_fatal("%s: cannot create: %s", f->name, strerror(ELOOP));
		}
		/* Some file systems give a link no size: grow until it fits. */
		for (cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 256;; cap *= 2) {
			to = xmalloc(cap);
			if ((n = readlink(cur, to, cap)) < 0) {
				int e = errno;

				free(to);
				free(cur);
				msg_fatal("%s: cannot create: %s", f->name, strerror(e));
			}
			if ((size_t)n < cap)
				break;
			free(to);
		}
		to[n] = '\0';
		slash = strrchr(cur, '/');
		dirlen = to[0] != '/' && slash ? (size_t)(slash - cur) + 1 : 0;
		next = xmalloc(dirlen + (size_t)n + 1);
		memcpy(next, cur, dirlen);
		memcpy(next + dirlen, to, (size_t)n + 1);
		free(to);
		free(cur);
		cur = next;
	}
	return cur;
}

struct af *
af_open(const char *path)
{
	struct af *f = xcalloc(1, sizeof *f);
	struct stat st;
	const char *slash;
	char *tmp = NULL;
	int existed;
	sigset_t old;

	f->name = msg_quote(path);
	/* A link is followed, its target written as "> link" would.  Where
	 * stat follows it but realpath cannot (/dev/stdout onto a pipe: a
	 * link into /proc), only the link's own name reaches the file. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		f->target = stat(path, &st) == 0 ? realpath(path, NULL) : dangling_target(f, path);
	if (f->target == NULL)
		f->target = xstrdup(path);
	existed = stat(f->target, &st) == 0;
	if (existed && S_ISDIR(st.st_mode))
		msg_fatal("%s: cannot create: %s", f->name, strerror(EISDIR));
	if (existed && !S_ISREG(st.st_mode)) {
		/* Nothing to replace: renaming over a FIFO or /dev/null would
		 * put a file in its place. */
		if ((f->fd = open(f->target, O_WRONLY | O_CLOEXEC)) < 0)
			msg_fatal("%s: cannot open: %s", f->name, strerror(errno));
		f->direct = 1;
	}
	slash = strrchr(f->target, '/');
	f->dir = xstrdup(f->target);
	f->dir[slash ? (size_t)(slash - f->target) + 1 : 0] = '\0';

	if (!f->direct)
		tmp = open_temporary(f);
	install_handlers();
	guard(1, &old);
	f->tmp = tmp;
	f->next = open_files;
	open_files = f;
	guard(0, &old);
	if (!f->direct)
		set_mode(f, existed ? &st : NULL);
	return f;
}

int
af_fd(const struct af *f)
{
	return f->fd;
}

const char *
af_name(const struct af *f)
{
	return f->name;
}

int
af_target_exists(const struct af *f)
{
	struct stat st;

	return stat(f->target, &st) == 0;
}

void
af_refuse_input(const struct af *f, const char *path, const char *what)
{
	int std_input = strcmp(path, "-") == 0;
	struct stat a, b;

	if (stat(f->target, &a) == 0 &&
	    (std_input ? fstat(0, &b) : stat(path, &b)) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		msg_fatal_at(std_input ? "<stdin>" : path,
		    "is also %s, which this run would replace", what);
}

/* Take f off the list and free it; its temporary name is gone already. */
static void
release(struct af *f)
{
	struct af *volatile *p;
	sigset_t old;

	guard(1, &old);
	for (p = &open_files; *p != f; p = &(*p)->next)
		;
	*p = f->next;
	guard(0, &old);
	free(f->tmp);
	free(f->name);
	free(f->target);
	free(f->dir);
	free(f);
}

/* Name the unnamed file: link it under a fresh short name (set as f->tmp). */
static void
link_unnamed(struct af *f)
{
	char proc[64];
	int tries;

	snprintf(proc, sizeof proc, "/proc/self/fd/%d", f->fd);
	for (tries = 0; tries < 100; tries++) {
		char *name = short_name(f, 1);

		set_tmp(f, name);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0)
			return;
		set_tmp(f, NULL);
		free(name);
		if (errno != EEXIST)
			break;
	}
	msg_fatal("%s: cannot rename into place: %s", f->name, strerror(errno));
}

void
af_commit(struct af *f)
{
	char *tmp;

	/* Make the data durable before a name points at it.  (EINVAL: a
	 * file system that cannot sync, where there is nothing to wait for.) */
	if (fsync(f->fd) < 0 && errno != EINVAL)
		msg_fatal("%s: write error: %s", f->name, strerror(errno));
	if (f->direct) {
		if (close(f->fd) < 0)
			msg_fatal("%s: write error: %s", f->name, strerror(errno));
		release(f);
		return;
	}
	if (f->tmp == NULL)
		link_unnamed(f);
	if (close(f->fd) < 0)
		msg_fatal("%s: write error: %s", f->name, strerror(errno));
	f->fd = -1;
	if (rename(f->tmp, f->target) < 0)
		msg_fatal("%s: cannot rename into place: %s", f->name, strerror(errno));
	tmp = f->tmp;
	set_tmp(f, NULL);
	free(tmp);
	release(f);
}

void
af_discard(struct af *f)
{
	/* Nothing of it will be used: a failing close changes nothing. */
	close(f->fd);
	if (f->tmp)
		unlink(f->tmp);
	release(f);
}
