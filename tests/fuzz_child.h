/*
 * fuzz_child.h: for fuzz targets whose code under test ends the process on
 * bad input (msg_fatal, status 2): the input is written to a file, loaded
 * in a forked child whose stderr goes to a second file, and the child must
 * end with 0, or with 2 and a last line on stderr that names the file.  A
 * third file is the child's to write (a model it trains).  In the child
 * an atexit handler turns exit into _exit, so that libFuzzer's own exit
 * handlers never run there, and hands the coverage it ran to the parent,
 * where libFuzzer reads it.  Included by one fuzz target each; its names
 * are static.
 */
#ifndef WINNOW_FUZZ_CHILD_H
#define WINNOW_FUZZ_CHILD_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"

/* The input, the child's stderr, the child's output; in $TMPDIR, else /tmp. */
static char fc_path[4096], fc_errpath[4096], fc_outpath[4096];

/*
 * The coverage counters libFuzzer reads (clang's inline 8-bit counters,
 * the section __sancov_cntrs) are the parent's: what the code under test
 * covers in a child would be lost with it.  A child copies them to a
 * shared mapping as it ends, and the parent takes them from there, so the
 * fuzzer learns from the code the children run.  The section's bounds go
 * by names of our own: a C declaration of __start___sancov_cntrs would
 * make the compiler's coverage pass rename its own reference, and the
 * counters would never be registered.
 */
__asm__(".set fc_cntrs_start, __start___sancov_cntrs\n"
    ".set fc_cntrs_stop, __stop___sancov_cntrs");
extern uint8_t fc_cntrs_start[], fc_cntrs_stop[];
static uint8_t *fc_counters;	/* the children's, shared */

static size_t
fc_ncounters(void)
{
	return (size_t)(fc_cntrs_stop - fc_cntrs_start);
}

/* End a child with status, its coverage handed to the parent. */
static WN_NORETURN void
fc_child_end(int status)
{
	if (fc_counters != NULL)
		memcpy(fc_counters, fc_cntrs_start, fc_ncounters());
	_exit(status);
}

static void
fc_child_exit(void)
{
	fc_child_end(MSG_EXIT_FATAL);
}

/* The parent's files go at its exit (a child never runs this: its own
 * handler, registered later, runs first and ends it). */
static void
fc_cleanup(void)
{
	unlink(fc_path);
	unlink(fc_errpath);
	unlink(fc_outpath);
}

/* Make the empty file dir/prog-what.XXXXXX, its name into path. */
static void
fc_make(char *path, size_t size, const char *dir, const char *prog, const char *what)
{
	int fd;

	snprintf(path, size, "%s/%s%s.XXXXXX", dir, prog, what);
	if ((fd = mkstemp(path)) < 0 || close(fd) < 0) {
		perror("mkstemp");
		abort();
	}
}

/* Make the three files, named after prog, which becomes msg_prog. */
static void
fc_setup(const char *prog)
{
	const char *dir = getenv("TMPDIR");

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	fc_make(fc_path, sizeof fc_path, dir, prog, "");
	fc_make(fc_errpath, sizeof fc_errpath, dir, prog, "-err");
	fc_make(fc_outpath, sizeof fc_outpath, dir, prog, "-out");
	atexit(fc_cleanup);
	if (fc_ncounters() > 0) {
		fc_counters = mmap(NULL, fc_ncounters(), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (fc_counters == MAP_FAILED) {
			perror("mmap");
			abort();
		}
	}
	msg_prog = prog;
}

/* The input file holds p[0..n). */
static void
fc_write(const void *p, size_t n)
{
	FILE *fp = fopen(fc_path, "wb");

	if (fp == NULL || fwrite(p, 1, n, fp) != n || fclose(fp) != 0) {
		perror(fc_path);
		abort();
	}
}

/* First thing in a child: stderr to the second file, exit made _exit
 * (fc_child_end).  A child that ends well calls fc_child_end(0). */
static void
fc_child_start(void)
{
	int fd = open(fc_errpath, O_WRONLY | O_TRUNC);

	if (fd < 0 || dup2(fd, 2) < 0)
		abort();
	close(fd);
	atexit(fc_child_exit);
}

static void
fc_show_stderr(void)
{
	char b[2048];
	FILE *fp = fopen(fc_errpath, "r");
	size_t n;

	if (fp == NULL)
		return;
	n = fread(b, 1, sizeof b - 1, fp);
	b[n] = '\0';
	fclose(fp);
	fprintf(stderr, "--- the child's stderr ---\n%s\n---\n", b);
}

/* The last line of the child's stderr (its last size - 1 bytes at most),
 * without its '\n', into b; b itself. */
static char *
fc_last_line(char *b, size_t size)
{
	FILE *fp = fopen(fc_errpath, "r");
	size_t n = 0;
	long at;
	char *nl;

	if (fp != NULL) {
		if (fseek(fp, 0, SEEK_END) == 0 && (at = ftell(fp)) > (long)size - 1)
			fseek(fp, at - ((long)size - 1), SEEK_SET);
		else
			rewind(fp);
		n = fread(b, 1, size - 1, fp);
		fclose(fp);
	}
	b[n] = '\0';
	if (n > 0 && b[n - 1] == '\n')
		b[--n] = '\0';
	if ((nl = strrchr(b, '\n')) != NULL)
		memmove(b, nl + 1, strlen(nl + 1) + 1);
	return b;
}

/* Run child (which calls fc_child_start) on the input file; abort unless
 * it ends with 0, or with 2 and "prog: FILE:" beginning the last line of
 * its stderr (warnings may come before).  Its status, 0 or 2. */
static int
fc_run(void (*child)(void), const char *what)
{
	pid_t pid, w;
	size_t i;
	int st;

	if (fc_counters != NULL)
		memset(fc_counters, 0, fc_ncounters());
	if ((pid = fork()) < 0) {
		perror("fork");
		abort();
	}
	if (pid == 0)
		child();
	/* libFuzzer's timer (SIGALRM, each second) may interrupt the wait. */
	while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (w != pid) {
		perror("waitpid");
		abort();
	}
	for (i = 0; fc_counters != NULL && i < fc_ncounters(); i++)
		if (fc_counters[i] > fc_cntrs_start[i])
			fc_cntrs_start[i] = fc_counters[i];
	if (!WIFEXITED(st) || (WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != MSG_EXIT_FATAL)) {
		fprintf(stderr, "%s: the %s's child ended with %s %d\n", msg_prog, what,
		    WIFEXITED(st) ? "status" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		fc_show_stderr();
		abort();
	}
	if (WEXITSTATUS(st) == MSG_EXIT_FATAL) {
		char b[8192], want[4200];

		snprintf(want, sizeof want, "%s: %s:", msg_prog, fc_path);
		if (strncmp(fc_last_line(b, sizeof b), want, strlen(want)) != 0) {
			fprintf(stderr, "%s: the %s was refused without naming the file\n", msg_prog,
			    what);
			fc_show_stderr();
			abort();
		}
	}
	return WEXITSTATUS(st);
}

/* After fc_run's status 2: the line number the refusal names ("prog:
 * FILE:LINE: message"), or 0 when it names none. */
static inline unsigned long
fc_refused_line(void)
{
	char b[8192];
	const char *p = fc_last_line(b, sizeof b) + strlen(msg_prog) + 2 + strlen(fc_path) + 1;
	unsigned long n = 0;

	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9' && n < 1000000000)
		n = n * 10 + (unsigned long)(*p++ - '0');
	return *p == ':' ? n : 0;
}

#endif
