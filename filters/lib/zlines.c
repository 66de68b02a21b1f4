#include "compat.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "msg.h"
#include "zio.h"
#include "zlines.h"

struct zl {
	struct zin *in;
	const char *piece;	/* what zin_read gave, not yet split */
	size_t left;
	struct buf line;	/* a line that spans pieces, or the last one */
	unsigned long lineno;
	char *name;
	int done;
};

struct zl *
zl_open(const char *path)
{
	struct zl *z = xcalloc(1, sizeof *z);

	z->name = strcmp(path, "-") == 0 ? xstrdup("<stdin>") : msg_quote(path);
	if ((z->in = zin_open(path)) == NULL)
		msg_fatal("%s: cannot open: %s", z->name, strerror(errno));
	buf_init(&z->line);
	return z;
}

/* The input has ended: fatal unless it ended cleanly. */
static void
check_end(struct zl *z)
{
	const char *err = zin_error(z->in);

	if (err != NULL)
		msg_fatal("%s: %s", z->name, err);
	z->done = 1;
}

const char *
zl_next(struct zl *z, size_t *len)
{
	buf_reset(&z->line);
	for (;;) {
		const char *nl;

		if (z->left == 0) {
			if (z->done || (z->left = zin_read(z->in, &z->piece)) == 0) {
				if (!z->done)
					check_end(z);
				if (z->line.len == 0)
					return NULL;
				break;	/* a last line without '\n' */
			}
		}
		if ((nl = memchr(z->piece, '\n', z->left)) != NULL) {
			size_t n = (size_t)(nl - z->piece);

			buf_add(&z->line, z->piece, n);
			z->piece += n + 1;
			z->left -= n + 1;
			break;
		}
		buf_add(&z->line, z->piece, z->left);
		z->left = 0;
	}
	z->lineno++;
	buf_addc(&z->line, '\0');
	*len = --z->line.len;
	return z->line.data;
}

unsigned long
zl_lineno(const struct zl *z)
{
	return z->lineno;
}

const char *
zl_name(const struct zl *z)
{
	return z->name;
}

void
zl_close(struct zl *z)
{
	if (z == NULL)
		return;
	zin_close(z->in);
	buf_release(&z->line);
	free(z->name);
	free(z);
}
