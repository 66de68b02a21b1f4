/*
 * winnow-ingest: folders of scraped article files in, JSON Lines records
 * out, the step before the filters.  One file is one record:
 *
 *	{"id":"PATH IN DIR","source":"NAME","fetched":"MTIME","url":"...","text":"..."}
 *
 * Each tree is walked in the order of its relative paths, byte by byte,
 * so the output depends only on the files, never on the order the file
 * system lists them in.  The walk streams: only the entries of the
 * folders on the way down are held, and one file's bytes at a time.
 */
#include "compat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "html.h"
#include "json.h"
#include "legacy.h"
#include "msg.h"
#include "rec.h"
#include "utf8.h"
#include "zio.h"

enum { OPT_SOURCE = 256 };

/* Bytes asked of read(2) at once. */
#define READ_SIZE (64u << 10)

static const struct cli_option options[] = {
	{ "source", CLI_REQUIRED_ARG, OPT_SOURCE, "NAME", "the source of every record (default: the base name of each DIR)" },
	{ NULL, 0, 0, NULL, NULL }
};

/* One entry of a folder, as the walk sorts it. */
struct entry {
	char *key;	/* the name, and '/' after a folder's: the sort key */
	size_t len;	/* the name's length, without that '/' */
	time_t mtime;	/* of the file itself; of the target for a link */
	int is_dir;
};

struct ingest {
	struct zout *out;
	struct buf source;	/* this DIR's source, a JSON string */
	struct buf path;	/* DIR/relative path of what is being read */
	size_t root;		/* where the relative path starts in path */
	struct buf raw, decoded, text, url, line;
	struct buf name;	/* a name made valid UTF-8 (add_name) */
	struct legacy_counts legacy;
	uint64_t files, unreadable, skipped, hidden, urls, bytes_in;
	int show_progress;
	double start, last_progress;
};

/* "prog: PATH: what", the path made printable; counted as unreadable. */
static void
unreadable(struct ingest *g, const char *path, const char *what)
{
	char *q = msg_quote(path);

	if (g->show_progress)	/* not glued onto the progress line */
		fputs("\r\033[K", stderr);
	msg_warn("%s: %s", q, what);
	free(q);
	g->unreadable++;
}

/*
 * A file or folder name as a JSON string: UTF-8 as it is, and each byte
 * that is not UTF-8 as the four characters \xHH (so "caf\xE9.txt" is
 * "caf\\xE9.txt" in JSON), which keeps names apart and readable.
 */
static void
add_name(struct buf *json, struct buf *scratch, const char *name, size_t n)
{
	size_t at = 0;

	buf_reset(scratch);
	while (at < n) {
		size_t good = utf8_valid_prefix(name + at, n - at);
		char hex[5];

		buf_add(scratch, name + at, good);
		at += good;
		if (at < n) {
			snprintf(hex, sizeof hex, "\\x%02X", (unsigned char)name[at++]);
			buf_add(scratch, hex, 4);
		}
	}
	json_escape(json, scratch->data, scratch->len);
}

/* unreadable() for the entry name of the folder at g->path. */
static void
unreadable_entry(struct ingest *g, const char *name, const char *what)
{
	size_t at = g->path.len;

	buf_addc(&g->path, '/');
	buf_adds(&g->path, name);
	unreadable(g, g->path.data, what);
	g->path.len = at;
	g->path.data[at] = '\0';
}

static int
ends_with_nocase(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix), i;

	if (n < m)
		return 0;
	for (i = 0; i < m; i++)
		if ((s[n - m + i] | 0x20) != suffix[i])
			return 0;
	return 1;
}

/* 1 for an article in text, 2 in HTML, 0 for any other name. */
static int
article_kind(const char *name, size_t n)
{
	if (ends_with_nocase(name, n, ".gz"))
		n -= 3;
	if (ends_with_nocase(name, n, ".txt"))
		return 1;
	if (ends_with_nocase(name, n, ".html") || ends_with_nocase(name, n, ".htm"))
		return 2;
	return 0;
}

static void
progress(struct ingest *g, int final)
{
	double secs, mb = (double)g->bytes_in / 1e6;

	if (!rec_progress_due(&g->last_progress, final))
		return;
	secs = g->last_progress - g->start;
	fprintf(stderr, "\r%s: %" PRIu64 " files, %.1f MB, %.1f MB/s%s", msg_prog, g->files, mb,
	    secs > 0 ? mb / secs : 0.0, final ? "\n" : "\033[K");
}

/* Read the file at g->path into g->raw through zin, which inflates it. */
static int
slurp_coded(struct ingest *g)
{
	struct zin *z = zin_open(g->path.data);
	const char *piece, *err;
	size_t n;

	if (z == NULL) {
		unreadable(g, g->path.data, strerror(errno));
		return -1;
	}
	buf_reset(&g->raw);
	while ((n = zin_read(z, &piece)) > 0)
		buf_add(&g->raw, piece, n);
	/* A file cut short is left out whole: a record is a whole article. */
	if ((err = zin_error(z)) != NULL)
		unreadable(g, g->path.data, err);
	zin_close(z);
	return err ? -1 : 0;
}

/*
 * Read the whole of the file at g->path into g->raw: 0, or -1 after
 * saying why it could not be read completely.  A plain file is read here:
 * most articles are a few kilobytes, and zin's thread and blocks would
 * cost more than the reading (a quarter of a millisecond a file).
 * Compressed files go through zin.
 */
static int
slurp(struct ingest *g)
{
	int fd = open(g->path.data, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t r = 0;

	if (fd < 0) {
		unreadable(g, g->path.data, strerror(errno));
		return -1;
	}
	buf_reset(&g->raw);
	for (;;) {
		/* One byte beyond the room asked for stays the buffer's NUL. */
		if (g->raw.cap - g->raw.len < READ_SIZE + 1)
			buf_grow(&g->raw, READ_SIZE);
		r = read(fd, g->raw.data + g->raw.len, g->raw.cap - g->raw.len - 1);
		if (r > 0)
			g->raw.len += (size_t)r;
		else if (r == 0 || errno != EINTR)
			break;
	}
	g->raw.data[g->raw.len] = '\0';
	if (r < 0) {
		char what[256];

		snprintf(what, sizeof what, "read error: %s", strerror(errno));
		unreadable(g, g->path.data, what);
	}
	close(fd);
	if (r < 0)
		return -1;
	return zio_plain(g->raw.data, g->raw.len) ? 0 : slurp_coded(g);
}

/* The record of the article file at g->path, of kind 1 (text) or 2 (HTML). */
static void
ingest_file(struct ingest *g, time_t mtime, int kind)
{
	const char *text;
	size_t len;
	struct tm tm;
	char fetched[64];

	if (slurp(g) < 0)
		return;
	g->bytes_in += g->raw.len;
	text = g->raw.data;
	len = g->raw.len;
	if (!utf8_valid(text, len)) {
		buf_reset(&g->decoded);
		legacy_decode(&g->decoded, text, len, 1, &g->legacy);
		text = g->decoded.data;
		len = g->decoded.len;
	}
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {	/* a byte order mark */
		text += 3;
		len -= 3;
	}
	buf_reset(&g->url);
	if (kind == 2) {
		buf_reset(&g->text);
		html_text(text, len, &g->text, &g->url);
		text = g->text.data;
		len = g->text.len;
	}
	if (gmtime_r(&mtime, &tm) == NULL ||
	    strftime(fetched, sizeof fetched, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		fetched[0] = '\0';

	buf_reset(&g->line);
	buf_adds(&g->line, "{\"id\":");
	add_name(&g->line, &g->name, g->path.data + g->root, g->path.len - g->root);
	buf_adds(&g->line, ",\"source\":");
	buf_add(&g->line, g->source.data, g->source.len);
	buf_adds(&g->line, ",\"fetched\":\"");
	buf_adds(&g->line, fetched);
	buf_addc(&g->line, '"');
	if (g->url.len > 0) {
		buf_adds(&g->line, ",\"url\":");
		json_escape(&g->line, g->url.data, g->url.len);
		g->urls++;
	}
	buf_adds(&g->line, ",\"text\":");
	json_escape(&g->line, text, len);
	buf_adds(&g->line, "}\n");
	zout_write(g->out, g->line.data, g->line.len);
	g->files++;
	if (g->show_progress)
		progress(g, 0);
}

static int
by_key(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

/*
 * The entries of the open folder d (at g->path) worth a look, sorted:
 * hidden ones, links to folders and what is neither a file nor a folder
 * are counted and left out.  A folder's key ends in '/', so that sorting
 * names sorts the paths under them too ("a-b" < "a/x" as '-' < '/').
 */
static struct entry *
list_folder(struct ingest *g, DIR *d, size_t *count)
{
	struct entry *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;

	for (errno = 0; (de = readdir(d)) != NULL; errno = 0) {
		size_t len = strlen(de->d_name);
		struct entry e;
		struct stat st;

		if (de->d_name[0] == '.') {
			g->hidden += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
			continue;
		}
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			/* Gone since it was listed. */
			unreadable_entry(g, de->d_name, strerror(errno));
			continue;
		}
		e.is_dir = S_ISDIR(st.st_mode);
		if (S_ISLNK(st.st_mode)) {
			/* A link to a file is read; one to a folder is not
			 * followed, so no walk can loop.  A link to nowhere
			 * with an article's name is a file that cannot be read. */
			if (fstatat(dirfd(d), de->d_name, &st, 0) < 0) {
				if (article_kind(de->d_name, len))
					unreadable_entry(g, de->d_name,
					    errno == ENOENT ? "dangling symbolic link" : strerror(errno));
				else
					g->skipped++;
				continue;
			}
			if (!S_ISREG(st.st_mode)) {
				g->skipped++;
				continue;
			}
		} else if (!e.is_dir && !S_ISREG(st.st_mode)) {
			g->skipped++;
			continue;
		}
		if (!e.is_dir && !article_kind(de->d_name, len)) {
			g->skipped++;
			continue;
		}
		e.len = len;
		e.mtime = st.st_mtime;
		e.key = xmalloc(len + 2);
		memcpy(e.key, de->d_name, len);
		e.key[len] = e.is_dir ? '/' : '\0';
		e.key[len + 1] = '\0';
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n++] = e;
	}
	if (errno != 0)
		unreadable(g, g->path.data, strerror(errno));
	if (n > 1)
		qsort(v, n, sizeof *v, by_key);
	*count = n;
	return v;
}

/* Ingest the folder at g->path and everything under it. */
static void
walk(struct ingest *g)
{
	size_t n = 0, i, at = g->path.len;
	struct entry *v;
	DIR *d;

	if ((d = opendir(g->path.len ? g->path.data : "/")) == NULL) {
		unreadable(g, g->path.data, strerror(errno));
		return;
	}
	v = list_folder(g, d, &n);
	/* Closed before going down, so that depth costs no descriptors. */
	closedir(d);
	for (i = 0; i < n; i++) {
		buf_addc(&g->path, '/');
		buf_add(&g->path, v[i].key, v[i].len);
		if (v[i].is_dir)
			walk(g);
		else
			ingest_file(g, v[i].mtime, article_kind(v[i].key, v[i].len));
		g->path.len = at;
		g->path.data[at] = '\0';
		free(v[i].key);
	}
	free(v);
}

static void
print_stats(struct ingest *g, uint64_t bytes_out)
{
	fprintf(stderr, "{\"program\":\"%s\",\"files\":%" PRIu64 ",\"records_out\":%" PRIu64
	    ",\"unreadable\":%" PRIu64 ",\"skipped\":%" PRIu64 ",\"hidden\":%" PRIu64
	    ",\"bytes_in\":%" PRIu64 ",\"bytes_out\":%" PRIu64,
	    msg_prog, g->files, g->files, g->unreadable, g->skipped, g->hidden, g->bytes_in,
	    bytes_out);
	rec_stats_rate(g->start, g->bytes_in);
	fprintf(stderr, ",\"urls\":%" PRIu64 ",\"cp1252_bytes\":%" PRIu64 ",\"replaced_bytes\":%" PRIu64 "}\n",
	    g->urls, g->legacy.cp1252, g->legacy.replaced);
}

/* The source of the tree at dir: its base name, or the base name of the
 * folder it names when that is "." or "..". */
static void
default_source(struct ingest *g, const char *dir)
{
	size_t n = strlen(dir), start;
	char *real = NULL;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	for (start = n; start > 0 && dir[start - 1] != '/'; start--)
		;
	if ((n - start == 1 && dir[start] == '.') || (n - start == 2 && memcmp(dir + start, "..", 2) == 0)) {
		if ((real = realpath(dir, NULL)) != NULL) {
			dir = real;
			n = strlen(dir);
			for (start = n; start > 0 && dir[start - 1] != '/'; start--)
				;
			if (n - start == 0)	/* the root */
				start = 0;
		}
	}
	add_name(&g->source, &g->name, dir + start, n - start);
	free(real);
}

static int
handle(int key, const char *arg, void *ctx)
{
	const char **source = ctx;

	if (key != OPT_SOURCE)
		return -1;
	if (*arg == '\0') {
		msg_warn("--source: the name is empty");
		return -1;
	}
	*source = arg;
	return 0;
}

int
filter_main(int argc, char **argv)
{
	const char *source = NULL;
	const struct cli_spec spec = {
		"Turn folders of scraped article files (.txt, .html, .htm, each maybe .gz) into\n"
		"JSON Lines records {\"id\", \"source\", \"fetched\", \"url\", \"text\"}, one a file,\n"
		"sorted by path; HTML becomes text, one block a line.",
		"winnow-ingest [-hz] [-o file] [--source name] dir ...",
		options, "winnow-ingest -o tonight.jsonl.gz --source example-news scraped/2026-11-28",
		handle, &source, NULL
	};
	const char *operands =
		"Each DIR is walked whole, in byte order of paths; hidden names are skipped and\n"
		"links to folders are not followed.  id is the path in DIR (bytes that are not\n"
		"UTF-8 as \\xHH), source the --source NAME or DIR's base name, fetched the file's\n"
		"modification time (UTC).  Exit status: 0 success, 1 a file or DIR could not be\n"
		"read (reported and skipped; the others are written), 2 usage or fatal error,\n"
		"or none of the DIRs could be read.";
	struct rec_opts ro;
	struct ingest g;
	struct buf *const owned[] = { &g.source, &g.path, &g.raw, &g.decoded, &g.text, &g.url, &g.line,
		&g.name };
	struct stat st;
	size_t k;
	int first, i, ndirs = 0, status = MSG_EXIT_OK;
	uint64_t bytes_out;
	char *ok;

	rec_opts_init(&ro);
	cli_parse_writer(&spec, operands, &ro, argc, argv, &first);
	if (first == argc) {
		msg_warn("no DIR to read");
		fprintf(stderr, "usage: %s\nTry '%s --help' for more information.\n", spec.usage, msg_prog);
		return MSG_EXIT_FATAL;
	}
	memset(&g, 0, sizeof g);
	for (k = 0; k < sizeof owned / sizeof owned[0]; k++)
		buf_init(owned[k]);
	/* A DIR that cannot be read is reported before any output is made;
	 * when none can, nothing is written at all. */
	ok = xcalloc((size_t)argc, 1);
	for (i = first; i < argc; i++) {
		if (stat(argv[i], &st) < 0)
			unreadable(&g, argv[i], strerror(errno));
		else if (!S_ISDIR(st.st_mode))
			unreadable(&g, argv[i], strerror(ENOTDIR));
		else
			ok[i] = 1, ndirs++;
	}
	if (ndirs == 0) {
		free(ok);
		return MSG_EXIT_FATAL;
	}
	g.out = zout_open(ro.output, ro.zstd_level ? ZIO_ZSTD : ro.gzip_level ? ZIO_GZIP : ZIO_PLAIN,
	    ro.zstd_level ? ro.zstd_level : ro.gzip_level);
	g.start = g.last_progress = rec_now();
	g.show_progress = ro.progress == 2 || (ro.progress == 1 && isatty(STDERR_FILENO));
	for (i = first; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (!ok[i])
			continue;
		buf_reset(&g.source);
		if (source)
			add_name(&g.source, &g.name, source, strlen(source));
		else
			default_source(&g, argv[i]);
		/* "news/" and "news" give the same ids; "/" gives "/a.txt". */
		while (n > 0 && argv[i][n - 1] == '/')
			n--;
		buf_reset(&g.path);
		buf_add(&g.path, argv[i], n);
		g.root = n + 1;
		walk(&g);
	}
	if (g.show_progress)
		progress(&g, 1);
	bytes_out = zout_bytes(g.out);
	/* Files left out were reported: the rest is what was asked for. */
	zout_close(g.out, 1);
	if (ro.stats)
		print_stats(&g, bytes_out);
	if (g.unreadable)
		status = MSG_EXIT_INPUT;
	free(ok);
	for (k = 0; k < sizeof owned / sizeof owned[0]; k++)
		buf_release(owned[k]);
	return status;
}
