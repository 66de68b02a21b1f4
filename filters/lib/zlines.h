/*
 * zlines: a file read a line at a time through zio, for the programs that
 * read whole files of their own (training data): plain, gzip or zstd by
 * their content, "-" for standard input, no limit on a line's length.
 *
 * A file that cannot be opened, a compressed format zio refuses, a read
 * error and a truncated or corrupt compressed file are fatal (exit status
 * 2), "prog: NAME: message", since a trainer that learned from part of its
 * data would say nothing of it.
 *
 *	struct zl *z = zl_open(path);
 *	while ((line = zl_next(z, &len)) != NULL)
 *		... line[0..len), without its '\n' ...
 *	zl_close(z);
 */
#ifndef WINNOW_ZLINES_H
#define WINNOW_ZLINES_H

#include <stddef.h>

struct zl;

/* Open path; fatal "prog: PATH: cannot open: REASON" when it cannot be. */
struct zl *zl_open(const char *path);

/*
 * The next line, without its '\n' (a '\r' before it stays: the caller's
 * format decides), NUL-terminated, its length in *len; NULL at the end.
 * A last line without a '\n' is a line.  Valid until the next call.
 */
const char *zl_next(struct zl *z, size_t *len);

/* The number of the line zl_next returned last, from 1. */
unsigned long zl_lineno(const struct zl *z);

/* The file's name for messages: "<stdin>" for "-", else the path with
 * control characters escaped (msg_quote). */
const char *zl_name(const struct zl *z);

void zl_close(struct zl *z);

#endif
