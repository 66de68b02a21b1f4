#include "compat.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "msg.h"

const char *msg_prog = "winnow";

void
msg_init(const char *argv0)
{
	const char *slash;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	slash = strrchr(argv0, '/');
	msg_prog = slash ? slash + 1 : argv0;
}

static void
vwarn(const char *fmt, va_list ap)
{
	int saved = errno;

	fprintf(stderr, "%s: ", msg_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	errno = saved;
}

void
msg_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void
msg_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(MSG_EXIT_FATAL);
}

char *
msg_quote(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	/* Four bytes out at most for each byte in ("\\xHH"). */
	char *q = xmalloc(strlen(s) * 4 + 1), *o = q;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\' || c == '\n' || c == '\t' || c == '\r') {
			*o++ = '\\';
			*o++ = c == '\\' ? '\\' : c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
		} else if (c < 0x20 || c == 0x7f) {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		} else {
			*o++ = (char)c;
		}
	}
	*o = '\0';
	return q;
}

void
msg_fatal_at(const char *name, const char *fmt, ...)
{
	char shown[512], *q = msg_quote(name);
	va_list ap;
	int saved = errno;

	/* On the stack, so that nothing is left allocated at the exit. */
	snprintf(shown, sizeof shown, "%s", q);
	free(q);
	fprintf(stderr, "%s: %s: ", msg_prog, shown);
	errno = saved;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(MSG_EXIT_FATAL);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		msg_fatal("out of memory");
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		msg_fatal("out of memory");
	return p;
}

void *
xcalloc_table(size_t n, size_t size)
{
#ifdef MADV_HUGEPAGE
	const size_t huge = (size_t)2 << 20;
	size_t len;
	void *p;

	/* Whole huge pages, aligned, so that none of the table is left in
	 * small ones at its ends. */
	if (size != 0 && n >= huge / size && n <= SIZE_MAX / size - huge) {
		len = (n * size + huge - 1) & ~(huge - 1);
		if ((p = aligned_alloc(huge, len)) == NULL)
			msg_fatal("out of memory");
		(void)madvise(p, len, MADV_HUGEPAGE);
		memset(p, 0, n * size);
		return p;
	}
#endif
	return xcalloc(n, size);
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		msg_fatal("out of memory");
	return p;
}

char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

void
msg_fatal_line(const char *name, unsigned long line, const char *fmt, ...)
{
	char shown[512], *q = msg_quote(name);
	va_list ap;

	snprintf(shown, sizeof shown, "%s", q);
	free(q);
	fprintf(stderr, "%s: %s:%lu: ", msg_prog, shown, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(MSG_EXIT_FATAL);
}
