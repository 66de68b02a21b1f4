/*
 * dfile: reading the text data files filters ship and users write (rules,
 * taxonomies, gazetteers), and finding the shipped ones.
 *
 * A data file is UTF-8 text read a line at a time, with no limit on a
 * line's length.  df_next skips blank lines (nothing but spaces and tabs)
 * and comment lines: a line whose first character after optional spaces
 * and tabs is '#'.  A '#' anywhere else is data, so that a keyword such as
 * "C#" or a field holding '#' needs no escape.  Lines end at '\n'; a '\r'
 * before it is dropped, so files saved on Windows read the same, and a
 * byte order mark at the start of the file is skipped.
 *
 * A bad data file is a fatal error, exit status 2 (MSG_EXIT_FATAL): every
 * problem is reported as "prog: FILE:LINE:COLUMN: message" and ends the
 * program, since a filter that half-read its rules would quietly do the
 * wrong thing.  Lines and columns count from 1; a column counts characters
 * (code points), not bytes, so it matches what an editor shows; a tab is
 * one character.
 *
 *	struct df *d = df_open(path);
 *	while (df_next(d)) {
 *		struct df_field f[3];
 *		size_t n = df_fields(d, f, 3);
 *		if (n != 3)
 *			df_error(d, 0, "want 3 tab-separated fields, not %zu", n);
 *		...
 *	}
 *	df_close(d);
 */
#ifndef WINNOW_DFILE_H
#define WINNOW_DFILE_H

#include <stddef.h>

#include "compat.h"

struct df;

/*
 * Open path for reading.  Fatal "prog: PATH: cannot open: REASON" when it
 * cannot be opened.  The handle keeps a copy of path for its messages.
 */
struct df *df_open(const char *path);

/*
 * Read the next line that is neither blank nor a comment.  Returns 1 with
 * the line in df_line, 0 at the end of the file.  Fatal on a read error,
 * on bytes that are not UTF-8 ("invalid UTF-8", at the first bad byte) and
 * on a NUL byte, which no text file holds.
 */
int df_next(struct df *d);

/* The current line without its line end, NUL-terminated; *len (if not
 * NULL) gets its length in bytes.  Valid until the next df_next. */
const char *df_line(const struct df *d, size_t *len);
/* The current line's number, and the file's name as given to df_open,
 * control characters escaped (msg_quote), for messages. */
unsigned long df_lineno(const struct df *d);
const char *df_name(const struct df *d);

/* The column of the byte at offset off of the current line. */
size_t df_column(const struct df *d, size_t off);

/* A tab-separated field of the current line: p[0..len) (not NUL-terminated),
 * starting at byte offset off and at column col. */
struct df_field {
	const char *p;
	size_t len, off, col;
};

/*
 * Split the current line at its tabs into f[0..max); returns how many
 * fields it has.  A line without tabs is one field; two tabs in a row make
 * an empty field.  More than max fields is fatal ("too many fields (at most
 * MAX)", at the first extra one).  The fields point into the line: valid
 * until the next df_next.
 */
size_t df_fields(const struct df *d, struct df_field *f, size_t max);

/*
 * "prog: FILE:LINE:COLUMN: message" on stderr, then exit 2.  A column of 0
 * leaves it out ("prog: FILE:LINE: message") for a fault of the whole line;
 * after the end of the file the line is the last one read.
 */
WN_NORETURN void df_error(const struct df *d, size_t col, const char *fmt, ...) WN_PRINTF(3, 4);

/* Close the file and free the handle.  Fatal if closing fails. */
void df_close(struct df *d);

/*
 * The path of a shipped data file, named relative to the data folder,
 * e.g. "tag-topics/taxonomy.txt".  The first of these that holds relname:
 *
 *   1. $WINNOW_DATA, when set and not empty: the only place looked, so that
 *      tests and users who point at a folder get that folder's file or an
 *      error, never a copy found elsewhere;
 *   2. WN_DATADIR, compiled in as $(PREFIX)/share/winnow: where make
 *      install puts the files, for installed programs;
 *   3. BIN/../share/winnow for the program BIN/NAME: installed under
 *      another prefix than the one compiled in (make install PREFIX=...
 *      after a plain make), or moved with its data;
 *   4. the source tree, when the program runs from its build folder
 *      (/proc/self/exe is DIR/build/VARIANT/NAME: DIR/filters/relname), so
 *      that make check and a fresh build work before anything is installed.
 *      An installed copy comes first, so a build-tree program run where an
 *      older winnow is installed reads the installed files unless
 *      WINNOW_DATA says otherwise.
 *
 * When none holds it, the path in the first place looked, so that the
 * error df_open then reports names where the file was expected.  Returns
 * a string the caller frees.
 */
char *df_path(const char *relname);

#endif
