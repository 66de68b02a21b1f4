/*
 * fuzz_child.h: for fuzz targets whose code under test ends the process on
 * bad input (msg_fatal, status 2): the input is written to a file, loaded
 * in a forked child whose stderr goes to a second file, and the child must
 * end with 0, or with 2 and a message that names the file.  In the child
 * an atexit handler turns exit into _exit, so that libFuzzer's own exit
 * handlers never run there.  Included by one fuzz target each; its names
 * are static.
 */
#ifndef WINNOW_FUZZ_CHILD_H
#define WINNOW_FUZZ_CHILD_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"

static char fc_path[4096], fc_errpath[4096];	/* in $TMPDIR, else /tmp */

static void
fc_child_exit(void)
{
	_exit(MSG_EXIT_FATAL);
}

/* The parent's files go at its exit (a child never runs this: its own
 * handler, registered later, runs first and ends it). */
static void
fc_cleanup(void)
{
	unlink(fc_path);
	unlink(fc_errpath);
}

/* Make the two files, named after prog, which becomes msg_prog. */
static void
fc_setup(const char *prog)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	snprintf(fc_path, sizeof fc_path, "%s/%s.XXXXXX", dir, prog);
	snprintf(fc_errpath, sizeof fc_errpath, "%s/%s-err.XXXXXX", dir, prog);
	if ((fd = mkstemp(fc_path)) < 0 || close(fd) < 0 || (fd = mkstemp(fc_errpath)) < 0 ||
	    close(fd) < 0) {
		perror("mkstemp");
		abort();
	}
	atexit(fc_cleanup);
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

/* First thing in a child: stderr to the second file, exit made _exit. */
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

/* Run child (which calls fc_child_start) on the input file; abort unless
 * it ends with 0, or with 2 and "prog: FILE:" on its stderr. */
static void
fc_run(void (*child)(void), const char *what)
{
	pid_t pid;
	int st;

	if ((pid = fork()) < 0) {
		perror("fork");
		abort();
	}
	if (pid == 0)
		child();
	if (waitpid(pid, &st, 0) != pid) {
		perror("waitpid");
		abort();
	}
	if (!WIFEXITED(st) || (WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != MSG_EXIT_FATAL)) {
		fprintf(stderr, "%s: the %s's child ended with %s %d\n", msg_prog, what,
		    WIFEXITED(st) ? "status" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		fc_show_stderr();
		abort();
	}
	if (WEXITSTATUS(st) == MSG_EXIT_FATAL) {
		char b[512], want[4200];
		FILE *fp = fopen(fc_errpath, "r");
		size_t n = fp ? fread(b, 1, sizeof b - 1, fp) : 0;

		if (fp)
			fclose(fp);
		b[n] = '\0';
		snprintf(want, sizeof want, "%s: %s:", msg_prog, fc_path);
		if (strncmp(b, want, strlen(want)) != 0) {
			fprintf(stderr, "%s: the %s was refused without naming the file\n", msg_prog,
			    what);
			fc_show_stderr();
			abort();
		}
	}
}

#endif
