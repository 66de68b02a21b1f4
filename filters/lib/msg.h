/*
 * msg: diagnostics on stderr in the form "prog: message", and the memory
 * allocators that never return NULL.
 *
 * Exit status is shared by every filter:
 *   0  every input read completely and every record written
 *   1  some input could not be read completely, or --on-error=fail stopped
 *   2  usage error or a fatal error (write failure, out of memory, bad data file)
 */
#ifndef WINNOW_MSG_H
#define WINNOW_MSG_H

#include <stddef.h>
#include "compat.h"

enum { MSG_EXIT_OK = 0, MSG_EXIT_INPUT = 1, MSG_EXIT_FATAL = 2 };

/* The program name used as the prefix of every message; set once from argv[0]. */
extern const char *msg_prog;

void msg_init(const char *argv0);
/* "prog: message\n" on stderr; errno is preserved. */
void msg_warn(const char *fmt, ...) WN_PRINTF(1, 2);
/* msg_warn, then exit with MSG_EXIT_FATAL. */
WN_NORETURN void msg_fatal(const char *fmt, ...) WN_PRINTF(1, 2);

/*
 * A copy of s that is safe to print inside a one-line message: a file
 * name or an option value may hold any byte but NUL.  Backslash and the
 * control characters are escaped as in C: \\, \n, \t, \r, and \xHH
 * for the others (HH lower-case hex, 0x7f too); all other bytes, UTF-8
 * included, are copied.  The caller frees the result.
 */
char *msg_quote(const char *s);

/* msg_fatal for a fault of the file name: "prog: NAME: message", the
 * name quoted as msg_quote does. */
WN_NORETURN void msg_fatal_at(const char *name, const char *fmt, ...) WN_PRINTF(2, 3);
/* The same for a fault at a line of the file: "prog: NAME:LINE: message". */
WN_NORETURN void msg_fatal_line(const char *name, unsigned long line, const char *fmt, ...)
    WN_PRINTF(3, 4);

/* Allocators: out of memory is fatal ("prog: out of memory", exit 2). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* xcalloc for a large table read at random: in pages of 4 KiB nearly
 * every look-up misses the TLB as well as the cache, and every page is
 * faulted in on its own, so the kernel is asked for huge pages where it
 * gives them on request.  Freed with free. */
void *xcalloc_table(size_t n, size_t size);

#endif
