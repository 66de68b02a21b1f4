#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "dfile.h"
#include "msg.h"
#include "utf8.h"

/* Set by the Makefile from PREFIX; builds that compile the sources
 * directly (the fuzzers) get the default PREFIX's folder. */
#ifndef WN_DATADIR
#define WN_DATADIR "/usr/local/share/winnow"
#endif

struct df {
	char *name;
	int fd;
	unsigned long lineno;
	struct buf line;
	char block[65536];	/* read ahead; block[pos..end) not yet used */
	size_t pos, end;
	int eof;
	int ascii;		/* the line is ASCII: a column is an offset */
};

struct df *
df_open(const char *path)
{
	struct df *d;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		msg_fatal_at(path, "cannot open: %s", strerror(errno));
	d = xcalloc(1, sizeof *d);
	d->name = msg_quote(path);
	buf_init(&d->line);
	d->fd = fd;
	return d;
}

/* Read the next physical line into d->line; 0 at the end of the file. */
static int
read_line(struct df *d)
{
	buf_reset(&d->line);
	for (;;) {
		char *nl;
		ssize_t got;

		if (d->pos < d->end) {
			nl = memchr(d->block + d->pos, '\n', d->end - d->pos);
			if (nl) {
				buf_add(&d->line, d->block + d->pos, (size_t)(nl - d->block) - d->pos);
				d->pos = (size_t)(nl - d->block) + 1;
				return 1;
			}
			buf_add(&d->line, d->block + d->pos, d->end - d->pos);
			d->pos = d->end;
		}
		if (d->eof)
			return d->line.len > 0;
		got = read(d->fd, d->block, sizeof d->block);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			msg_fatal("%s: read error: %s", d->name, strerror(errno));
		d->pos = 0;
		d->end = (size_t)got;
		d->eof = got == 0;
	}
}

static int
blank_or_comment(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return i == n || p[i] == '#';
}

int
df_next(struct df *d)
{
	while (read_line(d)) {
		struct buf *l = &d->line;
		size_t ok;

		d->lineno++;
		if (l->len > 0 && l->data[l->len - 1] == '\r')
			l->data[--l->len] = '\0';
		if (d->lineno == 1 && l->len >= 3 && memcmp(l->data, "\xEF\xBB\xBF", 3) == 0) {
			memmove(l->data, l->data + 3, l->len - 3 + 1);
			l->len -= 3;
		}
		d->ascii = 0;
		ok = utf8_valid_prefix(l->data, l->len);
		if (ok < l->len)
			df_error(d, df_column(d, ok), "invalid UTF-8");
		if (strlen(l->data) < l->len)
			df_error(d, df_column(d, strlen(l->data)), "NUL byte");
		if (!blank_or_comment(l->data, l->len)) {
			d->ascii = utf8_ascii(l->data, l->len);
			return 1;
		}
	}
	return 0;
}

const char *
df_line(const struct df *d, size_t *len)
{
	if (len)
		*len = d->line.len;
	return d->line.data;
}

unsigned long
df_lineno(const struct df *d)
{
	return d->lineno;
}

const char *
df_name(const struct df *d)
{
	return d->name;
}

/* Count the characters before off; the bytes past a bad one (only the
 * "invalid UTF-8" message asks about those) count one each. */
size_t
df_column(const struct df *d, size_t off)
{
	size_t i, col = 1;

	if (d->ascii)
		return (off < d->line.len ? off : d->line.len) + 1;
	for (i = 0; i < off && i < d->line.len; i++)
		if (((unsigned char)d->line.data[i] & 0xC0) != 0x80)
			col++;
	return col;
}

size_t
df_fields(const struct df *d, struct df_field *f, size_t max)
{
	const char *line = df_line(d, NULL);
	size_t n = 0, off = 0, len = d->line.len;

	for (;;) {
		const char *tab = memchr(line + off, '\t', len - off);
		size_t end = tab ? (size_t)(tab - line) : len;

		if (n == max)
			df_error(d, df_column(d, off), "too many fields (at most %zu)", max);
		f[n].p = line + off;
		f[n].len = end - off;
		f[n].off = off;
		f[n].col = df_column(d, off);
		n++;
		if (tab == NULL)
			return n;
		off = end + 1;
	}
}

void
df_error(const struct df *d, size_t col, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	if (col)
		fprintf(stderr, "%s: %s:%lu:%zu: ", msg_prog, d->name, d->lineno, col);
	else
		fprintf(stderr, "%s: %s:%lu: ", msg_prog, d->name, d->lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(MSG_EXIT_FATAL);
}

void
df_close(struct df *d)
{
	if (d == NULL)
		return;
	if (close(d->fd) != 0)
		msg_fatal("%s: close error: %s", d->name, strerror(errno));
	buf_release(&d->line);
	free(d->name);
	free(d);
}

static char *
join(const char *dir, const char *relname)
{
	size_t a = strlen(dir), b = strlen(relname);
	char *s = xmalloc(a + 1 + b + 1);

	memcpy(s, dir, a);
	s[a] = '/';
	memcpy(s + a + 1, relname, b + 1);
	return s;
}

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* The running program's path without its last `levels` components
 * (its folder for 1), or NULL. */
static char *
exe_up(int levels)
{
	char exe[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	int i;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	for (i = 0; i < levels; i++) {
		if ((slash = strrchr(exe, '/')) == NULL)
			return NULL;
		*slash = '\0';
	}
	return xstrdup(exe);
}

/* DIR/filters when the running program is DIR/build/VARIANT/NAME, else NULL. */
static char *
build_tree_dir(void)
{
	char *dir = exe_up(2), *slash, *tree;

	if (dir == NULL)
		return NULL;
	slash = strrchr(dir, '/');
	if (slash == NULL || strcmp(slash, "/build") != 0) {
		free(dir);
		return NULL;
	}
	*slash = '\0';
	tree = join(dir, "filters");
	free(dir);
	return tree;
}

/* BIN/../share/winnow/relname for the running program BIN/NAME, when it
 * exists (installed under another PREFIX than the one compiled in), else
 * NULL. */
static char *
beside_program(const char *relname)
{
	char *bin = exe_up(1), *share, *path;

	if (bin == NULL)
		return NULL;
	share = join(bin, "../share/winnow");
	path = join(share, relname);
	free(bin);
	free(share);
	if (exists(path))
		return path;
	free(path);
	return NULL;
}

char *
df_path(const char *relname)
{
	const char *env = getenv("WINNOW_DATA");
	char *installed, *tree_dir, *tree;

	if (env && *env)
		return join(env, relname);
	installed = join(WN_DATADIR, relname);
	if (exists(installed))
		return installed;
	if ((tree = beside_program(relname)) != NULL) {
		free(installed);
		return tree;
	}
	if ((tree_dir = build_tree_dir()) == NULL)
		return installed;
	tree = join(tree_dir, relname);
	free(tree_dir);
	if (!exists(tree)) {
		free(tree);
		return installed;
	}
	free(installed);
	return tree;
}
