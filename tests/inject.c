/*
 * inject.so: fault injection for the tests, loaded with LD_PRELOAD.
 * Each variable names a file by a piece of its path (as /proc/self/fd
 * shows it) and, for reads and writes, how many bytes go through first:
 *
 *   INJECT_WRITE_ENOSPC=PIECE:N   write(2) fails with ENOSPC after N bytes
 *   INJECT_READ_EIO=PIECE:N       read(2) fails with EIO after N bytes
 *   INJECT_CLOSE_EIO=PIECE        close(2) fails with EIO
 *   INJECT_FSYNC_EIO=PIECE        fsync(2) fails with EIO
 *   INJECT_NO_TMPFILE=1           open(2) with O_TMPFILE fails with EOPNOTSUPP,
 *                                 as on a file system without unnamed files
 *
 * An unnamed file (O_TMPFILE) shows as DIR/#INODE (deleted): name it by
 * its folder.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
fd_matches(int fd, const char *var, long long *limit)
{
	const char *spec = getenv(var), *colon;
	char link[64], path[4096];
	ssize_t n;
	size_t plen;

	if (spec == NULL || fd < 0)
		return 0;
	colon = strrchr(spec, ':');
	plen = colon && limit ? (size_t)(colon - spec) : strlen(spec);
	if (limit)
		*limit = colon ? atoll(colon + 1) : 0;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	if ((n = readlink(link, path, sizeof path - 1)) < 0)
		return 0;
	path[n] = '\0';
	return plen > 0 && memmem(path, (size_t)n, spec, plen) != NULL;
}

/* Bytes that went through so far, per direction (the tests use one file each). */
static long long written, got;

ssize_t
write(int fd, const void *p, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	long long limit;

	if (real == NULL)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	if (fd_matches(fd, "INJECT_WRITE_ENOSPC", &limit)) {
		if (written >= limit) {
			errno = ENOSPC;
			return -1;
		}
		if ((long long)n > limit - written)
			n = (size_t)(limit - written);
		written += (long long)n;
	}
	return real(fd, p, n);
}

ssize_t
read(int fd, void *p, size_t n)
{
	static ssize_t (*real)(int, void *, size_t);
	long long limit;
	ssize_t r;

	if (real == NULL)
		real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	if (!fd_matches(fd, "INJECT_READ_EIO", &limit))
		return real(fd, p, n);
	if (got >= limit) {
		errno = EIO;
		return -1;
	}
	if ((long long)n > limit - got)
		n = (size_t)(limit - got);
	if ((r = real(fd, p, n)) > 0)
		got += r;
	return r;
}

int
close(int fd)
{
	static int (*real)(int);
	int bad = fd_matches(fd, "INJECT_CLOSE_EIO", NULL);

	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "close");
	if (real(fd) < 0)
		return -1;
	if (bad) {
		errno = EIO;
		return -1;
	}
	return 0;
}

int
fsync(int fd)
{
	static int (*real)(int);

	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if (fd_matches(fd, "INJECT_FSYNC_EIO", NULL)) {
		errno = EIO;
		return -1;
	}
	return real(fd);
}

/* The library is built with _FILE_OFFSET_BITS 64, which makes open open64. */
int
open64(const char *path, int flags, ...)
{
	int (*real)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open64");
	mode_t mode = 0;
	va_list ap;

	va_start(ap, flags);
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		mode = (mode_t)va_arg(ap, int);
	va_end(ap);
	if ((flags & O_TMPFILE) == O_TMPFILE && getenv("INJECT_NO_TMPFILE")) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return real(path, flags, mode);
}
