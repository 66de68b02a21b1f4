/*
 * expect.h: the checks of the C unit tests.  A test is a function that
 * returns NULL when it passed, else a message saying what went wrong;
 * EXPECT returns one at the first failed check.  Included by one test
 * program each; its names are static.
 */
#ifndef WINNOW_EXPECT_H
#define WINNOW_EXPECT_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compat.h"

static char why[4096];

static const char *say(const char *file, int line, const char *fmt, ...) WN_PRINTF(3, 4);

static const char *
say(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(why, sizeof why, "%s:%d: ", file, line);

	va_start(ap, fmt);
	vsnprintf(why + n, sizeof why - (size_t)n, fmt, ap);
	va_end(ap);
	return why;
}

/* EXPECT(cond, fmt, ...): fail the test with the message unless cond. */
#define EXPECT(cond, ...) do { \
	if (!(cond)) \
		return say(__FILE__, __LINE__, __VA_ARGS__); \
} while (0)
#define EXPECT_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	EXPECT(strcmp(g_, w_) == 0, "got \"%s\", want \"%s\"", g_, w_); \
} while (0)

#endif
