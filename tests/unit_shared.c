/*
 * unit_shared: C unit tests of the library modules the word-level filters
 * share: dfile (data files), bfile (binary files), hash (short strings)
 * and tok (the tokeniser).
 *
 * A test is a function that returns NULL when it passed, else a message
 * saying what went wrong (EXPECT returns one at the first failed check).
 * main() runs them all, prints "ok unit_shared/NAME" or
 * "FAIL unit_shared/NAME: why" for each, and exits 1 if any failed.
 * Fatal errors (exit status 2) are checked in a forked child whose stderr
 * is captured.  The random tests use rng.h's fixed seed.
 */
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bfile.h"
#include "buf.h"
#include "dfile.h"
#include "hash.h"
#include "legacy.h"
#include "msg.h"
#include "tok.h"
#include "zio.h"
#include "zlines.h"
#include "rng.h"
#include "expect.h"

static char dir[4096];	/* a scratch folder, removed at the end */

/* A file named name in the scratch folder, holding s[0..n); its path. */
static const char *
put_file(const char *name, const void *s, size_t n)
{
	static char path[4][4200];
	static int next;
	char *p = path[next++ & 3];
	FILE *f;

	snprintf(p, sizeof path[0], "%s/%s", dir, name);
	f = fopen(p, "wb");
	if (f == NULL || fwrite(s, 1, n, f) != n || fclose(f) != 0) {
		perror(p);
		exit(1);
	}
	return p;
}

/* A file named name in the scratch folder, holding s[0..n) compressed by
 * gzip(1); its path. */
static const char *
gzip_file(const char *name, const void *s, size_t n)
{
	const char *plain = put_file("gzip-in", s, n);
	static char path[2][4200];
	static int next;
	char *p = path[next++ & 1], cmd[8600];

	snprintf(p, sizeof path[0], "%s/%s", dir, name);
	snprintf(cmd, sizeof cmd, "gzip -n -c '%s' >'%s'", plain, p);
	if (system(cmd) != 0) {
		fprintf(stderr, "%s failed\n", cmd);
		exit(1);
	}
	return p;
}

/*
 * Run fn(arg) in a child process with its stderr captured in err; returns
 * the child's exit status, 128 + the signal if one killed it, or 99 if fn
 * returned instead of exiting.
 */
static int
in_child(void (*fn)(const char *), const char *arg, char *err, size_t errlen)
{
	int fds[2], status;
	size_t got = 0;
	ssize_t r;
	pid_t pid;

	fflush(stdout);
	if (pipe(fds) != 0 || (pid = fork()) < 0) {
		snprintf(err, errlen, "cannot fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		if (dup2(fds[1], 2) < 0)
			_exit(98);
		fn(arg);
		_exit(99);
	}
	close(fds[1]);
	while (got + 1 < errlen) {
		r = read(fds[0], err + got, errlen - 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	err[got] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- dfile ---- */

static const char *
test_df_lines(void)
{
	static const char text[] =
	    "\xEF\xBB\xBF# a comment\n"
	    "first\tline\n"
	    "\n"
	    "   \t \n"
	    "  \t# an indented comment\n"
	    "C# is data, so is x # y\r\n"
	    "\r\n"
	    "caf\xC3\xA9\n"
	    "last, with no line end";
	struct df *d = df_open(put_file("lines.txt", text, sizeof text - 1));
	static const struct { unsigned long line; const char *text; } want[] = {
		{ 2, "first\tline" }, { 6, "C# is data, so is x # y" }, { 8, "caf\xC3\xA9" },
		{ 9, "last, with no line end" },
	};
	size_t i, len;

	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		EXPECT(df_next(d) == 1, "line %zu missing", i);
		EXPECT(df_lineno(d) == want[i].line, "line number %lu, want %lu",
		    df_lineno(d), want[i].line);
		EXPECT_STR(df_line(d, &len), want[i].text);
		EXPECT(len == strlen(want[i].text), "length %zu", len);
	}
	EXPECT(df_next(d) == 0, "a line after the last");
	EXPECT(df_next(d) == 0, "a line after the end");
	df_close(d);
	return NULL;
}

/* Lines far longer than the read block, and a file of only comments. */
static const char *
test_df_long_lines(void)
{
	struct buf b = BUF_INIT;
	struct df *d;
	size_t i, len;
	const char *line;

	for (i = 0; i < 200000; i++)
		buf_addc(&b, 'a' + (int)(i % 26));
	buf_adds(&b, "\n#\nshort\n");
	for (i = 0; i < 100000; i++)
		buf_adds(&b, "\xC3\xA9");
	d = df_open(put_file("long.txt", b.data, b.len));
	EXPECT(df_next(d) && df_lineno(d) == 1, "first line");
	line = df_line(d, &len);
	EXPECT(len == 200000 && line[199999] == 'a' + 199999 % 26, "long line of %zu bytes", len);
	EXPECT(df_next(d) && df_lineno(d) == 3, "line 3");
	EXPECT_STR(df_line(d, NULL), "short");
	EXPECT(df_next(d) && df_lineno(d) == 4 && df_column(d, 200000) == 100001,
	    "line 4, column %zu", df_column(d, 200000));
	EXPECT(df_next(d) == 0, "more lines");
	df_close(d);
	buf_release(&b);

	d = df_open(put_file("comments.txt", "# one\n\n  # two\n", 15));
	EXPECT(df_next(d) == 0, "a comment read as data");
	df_close(d);
	return NULL;
}

static const char *
test_df_fields(void)
{
	static const char text[] = "a\tb\xC3\xA9\t\tc\nsingle\nab\t\tcd\n";
	struct df *d = df_open(put_file("fields.txt", text, sizeof text - 1));
	struct df_field f[4];
	size_t n;

	EXPECT(df_next(d), "no line");
	n = df_fields(d, f, 4);
	EXPECT(n == 4, "%zu fields", n);
	EXPECT(f[0].len == 1 && f[0].p[0] == 'a' && f[0].off == 0 && f[0].col == 1, "field 1");
	EXPECT(f[1].len == 3 && memcmp(f[1].p, "b\xC3\xA9", 3) == 0 && f[1].off == 2 && f[1].col == 3,
	    "field 2: off %zu col %zu", f[1].off, f[1].col);
	EXPECT(f[2].len == 0 && f[2].off == 6 && f[2].col == 6, "field 3: off %zu col %zu",
	    f[2].off, f[2].col);
	EXPECT(f[3].len == 1 && f[3].p[0] == 'c' && f[3].off == 7 && f[3].col == 7,
	    "field 4: off %zu col %zu", f[3].off, f[3].col);
	EXPECT(df_next(d) && df_fields(d, f, 1) == 1 && f[0].len == 6, "one field");
	/* An ASCII line, whose columns are worked out apart. */
	EXPECT(df_next(d) && df_fields(d, f, 4) == 3, "three fields");
	EXPECT(f[1].off == 3 && f[1].col == 4 && f[2].off == 4 && f[2].col == 5 &&
	    df_column(d, 99) == 7, "ASCII columns %zu %zu %zu", f[1].col, f[2].col, df_column(d, 99));
	df_close(d);
	return NULL;
}

/* Children for the fatal errors: each reads the file named arg. */
static void
read_all(const char *path)
{
	struct df *d = df_open(path);

	while (df_next(d))
		;
	df_close(d);
}

static void
unknown_topic(const char *path)
{
	struct df *d = df_open(path);

	while (df_next(d))
		if (strncmp(df_line(d, NULL), "topic ", 6) == 0)
			df_error(d, df_column(d, 6), "unknown topic '%s'", df_line(d, NULL) + 6);
	df_close(d);
}

static void
whole_line_error(const char *path)
{
	struct df *d = df_open(path);

	df_next(d);
	df_error(d, 0, "want 3 fields");
}

static void
too_many_fields(const char *path)
{
	struct df *d = df_open(path);
	struct df_field f[2];

	while (df_next(d))
		df_fields(d, f, 2);
	df_close(d);
}

static const char *
test_df_errors(void)
{
	static const struct {
		void (*fn)(const char *);
		const char *file;	/* NULL: a file that does not exist */
		size_t len;		/* of file; 0: up to its first NUL */
		const char *want;	/* after "unit_shared: PATH" */
	} t[] = {
		{ unknown_topic, "one\n\n# two\nx\ntopic sp\xC3\xB6rt\n", 0,
		  ":5:7: unknown topic 'sp\xC3\xB6rt'\n" },
		{ whole_line_error, "\n\na b\n", 0, ":3: want 3 fields\n" },
		{ read_all, "ok\n\xC3\xA9t\xC3\xA9 \xC3(\n", 0, ":2:5: invalid UTF-8\n" },
		{ read_all, "ok\n\xED\xA0\x80\n", 0, ":2:1: invalid UTF-8\n" },
		{ read_all, "ok\n  \xC3\xA9\0x\n", 10, ":2:4: NUL byte\n" },
		{ too_many_fields, "a\tb\nc\td\xC3\xA9\te\n", 0, ":2:6: too many fields (at most 2)\n" },
		{ read_all, NULL, 0, ": cannot open: No such file or directory\n" },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		char name[32], err[1024], want[5000];
		const char *path;
		int st;

		snprintf(name, sizeof name, "bad%zu.txt", i);
		if (t[i].file)
			path = put_file(name, t[i].file, t[i].len ? t[i].len : strlen(t[i].file));
		else
			path = "/nonexistent/dir/rules.txt";
		st = in_child(t[i].fn, path, err, sizeof err);
		snprintf(want, sizeof want, "unit_shared: %s%s", path, t[i].want);
		EXPECT(st == MSG_EXIT_FATAL, "case %zu: exit status %d, stderr \"%s\"", i, st, err);
		EXPECT(strcmp(err, want) == 0, "case %zu: stderr \"%s\", want \"%s\"", i, err, want);
	}
	return NULL;
}

static const char *
test_df_path(void)
{
	char *p, cwd[4096];
	const char *end;
	struct stat st;

	EXPECT(setenv("WINNOW_DATA", "/some/data", 1) == 0, "setenv");
	p = df_path("tag-topics/taxonomy.txt");
	EXPECT_STR(p, "/some/data/tag-topics/taxonomy.txt");
	free(p);

	/* Unset (or empty): this program runs from build/VARIANT/, so a file
	 * only the source tree holds is found there. */
	EXPECT(setenv("WINNOW_DATA", "", 1) == 0, "setenv");
	EXPECT(getcwd(cwd, sizeof cwd) != NULL, "getcwd");
	p = df_path("lib/dfile.h");
	end = p + strlen(p) - strlen("/filters/lib/dfile.h");
	EXPECT(end > p && strcmp(end, "/filters/lib/dfile.h") == 0 && stat(p, &st) == 0,
	    "found \"%s\"", p);
	free(p);

	/* Found nowhere: where an installed program expects it. */
	unsetenv("WINNOW_DATA");
	p = df_path("no-such-filter/x.txt");
	end = p + strlen(p) - strlen("/share/winnow/no-such-filter/x.txt");
	EXPECT(p[0] == '/' && end > p && strcmp(end, "/share/winnow/no-such-filter/x.txt") == 0,
	    "got \"%s\"", p);
	free(p);
	return NULL;
}

/* ---- bfile ---- */

static const struct bf_kind state_kind = { "WNSTATE", "state", 1, 3 };

static const char *
test_bf_xxh64(void)
{
	/* Values from the reference implementation, libxxhash 0.8. */
	static const struct { const char *s; uint64_t seed, h; } t[] = {
		{ "", 0, 0xEF46DB3751D8E999ULL },
		{ "a", 0, 0xD24EC4F1A98C6E5BULL },
		{ "abc", 0, 0x44BC2CF5AD770999ULL },
		{ "abc", 12345, 0x01700E64F6F23509ULL },
		{ "The quick brown fox jumps over the lazy dog, twice over: 0123456789.", 0,
		  0x6BEC5298E8906ECFULL },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		uint64_t h = bf_xxh64(t[i].s, strlen(t[i].s), t[i].seed);

		EXPECT(h == t[i].h, "\"%s\": %016llx, want %016llx", t[i].s,
		    (unsigned long long)h, (unsigned long long)t[i].h);
	}
	return NULL;
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* buf_addu writes what printf's %llu writes, appended to what is there. */
static const char *
test_buf_addu(void)
{
	static const uint64_t v[] = { 0, 7, 9, 10, 99, 100, 4294967295u, 4294967296u,
	    10000000000000000000u, UINT64_MAX };
	struct buf b = BUF_INIT;
	char want[32];
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		buf_reset(&b);
		buf_adds(&b, "n=");
		buf_addu(&b, v[i]);
		snprintf(want, sizeof want, "n=%llu", (unsigned long long)v[i]);
		EXPECT(strcmp(b.data, want) == 0 && b.len == strlen(want), "got \"%s\", want \"%s\"",
		    b.data, want);
	}
	buf_release(&b);
	return NULL;
}

static const char *
test_hash_bytes(void)
{
	/* Worked out apart from the code (the formula in hash.h, in another
	 * language): extract-names' model files hold keys made from these
	 * values, so they must not change without a new model version.
	 * "stones" and "stonnes" once hashed the same. */
	static const struct { const char *s; uint64_t h; } t[] = {
		{ "", 0x0000000000000000ULL },
		{ "a", 0x8e2c5032e2baf00cULL },
		{ "of", 0xf32eb06ae109ca64ULL },
		{ "Oslo", 0x55d63187c2cf071aULL },
		{ "Norway", 0xa4ce263b43fd7427ULL },
		{ "Bank of England", 0x15fa0417bd4ceac6ULL },
		{ "stones", 0xf2bc6f89009bdaedULL },
		{ "stonnes", 0xb4fa1f6fe97e47bbULL },
	};
	static const char longer[] = "Jonas Gahr St\xc3\xb8re, Norway";
	static uint64_t all[1 << 15];
	char buf[64];
	size_t i, k, n = 0, len;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		EXPECT(hash_bytes(t[i].s, strlen(t[i].s)) == t[i].h, "\"%s\": %016llx", t[i].s,
		    (unsigned long long)hash_bytes(t[i].s, strlen(t[i].s)));
	EXPECT(hash_bytes(longer, sizeof longer - 1) == XXH3_64bits(longer, sizeof longer - 1),
	    "over 16 bytes: not XXH3");
	/* Every string of a and b to 14 letters, the same bytes at another
	 * address too: runs and near repeats are where a cheap mix fails. */
	for (len = 0; len <= 14; len++)
		for (k = 0; k < (size_t)1 << len; k++) {
			for (i = 0; i < len; i++)
				buf[1 + i] = k >> i & 1 ? 'b' : 'a';
			all[n] = hash_bytes(buf + 1, len);
			memmove(buf + 20, buf + 1, len);
			EXPECT(hash_bytes(buf + 20, len) == all[n], "%zu bytes at another address", len);
			n++;
		}
	qsort(all, n, sizeof *all, u64_cmp);
	for (i = 1; i < n; i++)
		EXPECT(all[i] != all[i - 1], "two strings of a and b hash to %016llx",
		    (unsigned long long)all[i]);
	return NULL;
}

/* A state file of kind k holding payload p[0..n), in b. */
static void
make_file(struct buf *b, const struct bf_kind *k, uint32_t flags, const char *p, size_t n)
{
	buf_reset(b);
	bf_header(b, k, flags, p, n);
	buf_add(b, p, n);
}

static const char *
test_bf_round_trip(void)
{
	static const char payload[] = "counts\0\1\2\3 and more bytes";
	struct buf b = BUF_INIT;
	struct bf_file f;
	char err[256];
	const char *path;
	int fd;
	enum bf_status st;

	make_file(&b, &state_kind, 0x5A, payload, sizeof payload);
	EXPECT(b.len == BF_HEADER_SIZE + sizeof payload, "%zu bytes", b.len);
	EXPECT(memcmp(b.data, "WNSTATE\0\3\0\0\0\x5A\0\0\0", 16) == 0, "header layout");
	EXPECT(bf_get64(b.data + 16) == sizeof payload, "payload size");

	/* bf_write gives the same bytes as bf_header + payload. */
	path = put_file("state.bin", "", 0);
	fd = open(path, O_WRONLY | O_TRUNC);
	EXPECT(fd >= 0 && bf_write(fd, &state_kind, 0x5A, payload, sizeof payload) == 0 &&
	    close(fd) == 0, "bf_write: %s", strerror(errno));
	st = bf_load(path, &state_kind, &f, err, sizeof err);
	EXPECT(st == BF_OK, "bf_load: %s", err);
	EXPECT(f.size == sizeof payload && memcmp(f.payload, payload, sizeof payload) == 0,
	    "payload of %llu bytes", (unsigned long long)f.size);
	EXPECT(f.version == 3 && f.flags == 0x5A, "version %u flags %x", f.version, f.flags);
	EXPECT(((uintptr_t)f.payload & 7) == 0, "payload not aligned");
	EXPECT(f.mem.len == b.len && memcmp(f.mem.data, b.data, b.len) == 0, "bytes differ");
	bf_release(&f);

	/* An empty payload, and an older version this program still reads. */
	{
		static const struct bf_kind v1 = { "WNSTATE", "state", 1, 1 };

		make_file(&b, &v1, 0, "", 0);
		st = bf_parse(b.data, b.len, &state_kind, &f, err, sizeof err);
		EXPECT(st == BF_OK && f.size == 0 && f.version == 1, "empty payload: %s", err);
	}
	buf_release(&b);
	return NULL;
}

static const char *
test_bf_errors(void)
{
	static const struct bf_kind model = { "WNMODEL", "model", 1, 1 };
	static const struct bf_kind newer = { "WNSTATE", "state", 1, 7 };
	static const struct bf_kind v2only = { "WNSTATE", "state", 2, 3 };
	static const char payload[] = "a small payload";
	struct buf b = BUF_INIT;
	struct bf_file f;
	char err[256];
	enum bf_status st;

	make_file(&b, &state_kind, 0, payload, sizeof payload);
	st = bf_parse(b.data, b.len, &model, &f, err, sizeof err);
	EXPECT(st == BF_EKIND, "wrong kind: %d", st);
	EXPECT_STR(err, "not a winnow model file");
	st = bf_parse("{\"text\": 1}\n", 12, &state_kind, &f, err, sizeof err);
	EXPECT(st == BF_EKIND, "JSON: %d", st);
	EXPECT_STR(err, "not a winnow state file");
	st = bf_parse("WNX", 3, &state_kind, &f, err, sizeof err);
	EXPECT(st == BF_EKIND, "short and not the magic: %d", st);

	st = bf_parse(b.data, b.len, &v2only, &f, err, sizeof err);
	EXPECT(st == BF_OK, "version 3 in 2..3: %s", err);
	st = bf_parse(b.data, b.len, &(struct bf_kind){ "WNSTATE", "state", 1, 2 }, &f, err, sizeof err);
	EXPECT(st == BF_ENEWER, "newer: %d", st);
	EXPECT_STR(err, "version 3 is newer than this program reads (2)");
	make_file(&b, &newer, 0, payload, sizeof payload);
	st = bf_parse(b.data, b.len, &state_kind, &f, err, sizeof err);
	EXPECT_STR(err, "version 7 is newer than this program reads (3)");
	make_file(&b, &(struct bf_kind){ "WNSTATE", "state", 1, 1 }, 0, payload, sizeof payload);
	st = bf_parse(b.data, b.len, &v2only, &f, err, sizeof err);
	EXPECT(st == BF_EOLDER, "older: %d", st);
	EXPECT_STR(err, "version 1 is older than this program reads (2)");

	make_file(&b, &state_kind, 0, payload, sizeof payload);
	b.data[BF_HEADER_SIZE + 3] ^= 0x20;
	st = bf_parse(b.data, b.len, &state_kind, &f, err, sizeof err);
	EXPECT(st == BF_ECORRUPT, "flipped payload: %d", st);
	EXPECT_STR(err, "corrupt: checksum mismatch");
	b.data[BF_HEADER_SIZE + 3] ^= 0x20;
	b.data[12] ^= 1;	/* the flags are checksummed too */
	st = bf_parse(b.data, b.len, &state_kind, &f, err, sizeof err);
	EXPECT(st == BF_ECORRUPT, "flipped flags: %d", st);
	b.data[12] ^= 1;
	buf_adds(&b, "xy");
	st = bf_parse(b.data, b.len, &state_kind, &f, err, sizeof err);
	EXPECT(st == BF_ECORRUPT, "trailing bytes: %d", st);
	EXPECT_STR(err, "corrupt: 2 bytes after the payload");
	b.len -= 2;

	st = bf_parse(b.data, b.len - 1, &state_kind, &f, err, sizeof err);
	EXPECT(st == BF_ETRUNC, "truncated: %d", st);
	EXPECT_STR(err, "truncated");

	errno = 0;
	st = bf_load("/nonexistent/state.bin", &state_kind, &f, err, sizeof err);
	EXPECT(st == BF_ESYS && errno == ENOENT, "missing file: %d", st);
	EXPECT_STR(err, "cannot open: No such file or directory");
	st = bf_load(put_file("cut.bin", b.data, 20), &state_kind, &f, err, sizeof err);
	EXPECT(st == BF_ETRUNC, "truncated file: %d %s", st, err);
	buf_release(&b);
	return NULL;
}

static const char *
test_bf_write_full(void)
{
	int fd = open("/dev/full", O_WRONLY);
	int rc;

	if (fd < 0)
		return NULL;	/* no /dev/full here: nothing to test */
	rc = bf_write(fd, &state_kind, 0, "x", 1);
	EXPECT(rc == -1 && errno == ENOSPC, "bf_write to /dev/full: %d, %s", rc, strerror(errno));
	EXPECT(close(fd) == 0, "close");
	return NULL;
}

/* Every truncation is "truncated"; every changed byte is caught; random
 * bytes give an error, never a crash (ASan watches the reads). */
static const char *
test_bf_damage(void)
{
	struct buf b = BUF_INIT;
	struct bf_file f;
	char err[256], payload[100], *copy;
	size_t i, n;
	int round;
	enum bf_status st;

	for (i = 0; i < sizeof payload; i++)
		payload[i] = (char)rnd(256);
	make_file(&b, &state_kind, 9, payload, sizeof payload);
	for (n = 0; n < b.len; n++) {
		copy = xmalloc(n);	/* exactly n bytes, so ASan sees any overread */
		memcpy(copy, b.data, n);
		st = bf_parse(copy, n, &state_kind, &f, err, sizeof err);
		free(copy);
		EXPECT(st == BF_ETRUNC, "cut to %zu bytes: %d %s", n, st, err);
	}
	for (round = 0; round < 8; round++) {
		for (i = 0; i < b.len; i++) {
			unsigned char flip = (unsigned char)(1 + rnd(255));

			b.data[i] ^= (char)flip;
			st = bf_parse(b.data, b.len, &state_kind, &f, err, sizeof err);
			b.data[i] ^= (char)flip;
			EXPECT(st != BF_OK, "byte %zu ^ %02x not caught", i, flip);
		}
	}
	for (round = 0; round < 2000; round++) {
		n = rnd(2) ? rnd(64) : BF_HEADER_SIZE + rnd(64);
		copy = xmalloc(n);
		for (i = 0; i < n; i++)
			copy[i] = (char)rnd(256);
		if (n >= 8 && rnd(2))
			memcpy(copy, "WNSTATE", 8);	/* get past the magic */
		st = bf_parse(copy, n, &state_kind, &f, err, sizeof err);
		free(copy);
		EXPECT(st != BF_OK, "random bytes accepted");
	}
	buf_release(&b);
	return NULL;
}

/* ---- tok ---- */

/* The tokens of s as "W:word N:1.5 P:," (W word, N number, P punct). */
static const char *
tokens(const char *s, unsigned flags)
{
	static struct buf out;
	struct tok_iter it;
	struct tok t;

	buf_reset(&out);
	tok_init(&it, s, strlen(s), flags);
	while (tok_next(&it, &t)) {
		if (out.len)
			buf_addc(&out, ' ');
		buf_adds(&out, t.kind == TOK_WORD ? "W:" : t.kind == TOK_NUMBER ? "N:" : "P:");
		buf_add(&out, s + t.start, t.end - t.start);
	}
	return out.data ? out.data : "";
}

static const char *
test_tok_sentences(void)
{
	static const struct { const char *in, *want; } t[] = {
		{ "\xE2\x80\x9C" "Don\xE2\x80\x99t panic,\xE2\x80\x9D said Jean-Pierre.",
		  "P:\xE2\x80\x9C W:Don\xE2\x80\x99t W:panic P:, P:\xE2\x80\x9D W:said W:Jean-Pierre P:." },
		{ "Norway\xE2\x80\x99s oil, the U.S. dollar and e-mail.",
		  "W:Norway\xE2\x80\x99s W:oil P:, W:the W:U P:. W:S P:. W:dollar W:and W:e-mail P:." },
		{ "'quoted' rock'n'roll James' 90's o\xE2\x80\x99 -start end- a--b",
		  "P:' W:quoted P:' W:rock'n'roll W:James P:' N:90 P:' W:s W:o P:\xE2\x80\x99 "
		  "P:- W:start W:end P:- W:a P:- P:- W:b" },
		{ "1,000.5 3.5% 3. .5 1,2,3 1.000,50 10km 3rd COVID-19 2024-11-29",
		  "N:1,000.5 N:3.5 P:% N:3 P:. P:. N:5 N:1,2,3 N:1.000,50 W:10km W:3rd W:COVID P:- N:19 "
		  "N:2024 P:- N:11 P:- N:29" },
		/* German: ß and umlauts are letters; a non-breaking hyphen joins. */
		{ "Die Stra\xC3\x9F" "e \xC3\xBC" "ber K\xC3\xB6ln-M\xC3\xBClheim hei\xC3\x9Ft \xE2\x80\x9E" "Gro\xC3\x9F\xE2\x80\x9C",
		  "W:Die W:Stra\xC3\x9F" "e W:\xC3\xBC" "ber W:K\xC3\xB6ln-M\xC3\xBClheim W:hei\xC3\x9Ft P:\xE2\x80\x9E "
		  "W:Gro\xC3\x9F P:\xE2\x80\x9C" },
		/* Greek with final sigma; Turkish dotted and dotless i; a
		 * decomposed é (e + U+0301) stays one word. */
		{ "\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3 \xCE\xBF\xCE\xB4\xCF\x8C\xCF\x82; \xC4\xB0stanbul \xC4\xB1s\xC4\xB1k cafe\xCC\x81!",
		  "W:\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3 W:\xCE\xBF\xCE\xB4\xCF\x8C\xCF\x82 P:; W:\xC4\xB0stanbul "
		  "W:\xC4\xB1s\xC4\xB1k W:cafe\xCC\x81 P:!" },
		/* CJK: ideographs without spaces are one run (segmenting them
		 * needs a dictionary); the ideographic comma splits. */
		{ "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAF\xE6\x97\xA5\xE6\x9C\xAC\xE3\x80\x81\xE5\xA4\xA7\xE9\x98\xAA",
		  "W:\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAF\xE6\x97\xA5\xE6\x9C\xAC P:\xE3\x80\x81 W:\xE5\xA4\xA7\xE9\x98\xAA" },
		/* Emoji: a heart with VS16, a ZWJ sequence with a skin tone, a
		 * flag, two emoji in a row, one glued to a word. */
		{ "I \xE2\x9D\xA4\xEF\xB8\x8F NY \xF0\x9F\x91\xA9\xF0\x9F\x8F\xBD\xE2\x80\x8D\xF0\x9F\x92\xBB "
		  "\xF0\x9F\x87\xB3\xF0\x9F\x87\xB4\xF0\x9F\x98\x80\xF0\x9F\x98\x80 ok\xF0\x9F\x91\x8D",
		  "W:I P:\xE2\x9D\xA4\xEF\xB8\x8F W:NY P:\xF0\x9F\x91\xA9\xF0\x9F\x8F\xBD\xE2\x80\x8D\xF0\x9F\x92\xBB "
		  "P:\xF0\x9F\x87\xB3\xF0\x9F\x87\xB4 P:\xF0\x9F\x98\x80 P:\xF0\x9F\x98\x80 W:ok P:\xF0\x9F\x91\x8D" },
		/* Invisible characters: a soft hyphen inside a word belongs to
		 * it; ZERO WIDTH SPACE splits; a no-break space is space. */
		{ "co\xC2\xADoperate zero\xE2\x80\x8Bwidth no\xC2\xA0" "break \xE2\x80\x8D\tx",
		  "W:co\xC2\xADoperate W:zero W:width W:no W:break W:x" },
		{ "", "" },
		{ " \t\n ", "" },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		EXPECT(strcmp(tokens(t[i].in, 0), t[i].want) == 0, "case %zu:\n  got  %s\n  want %s",
		    i, tokens(t[i].in, 0), t[i].want);
	EXPECT_STR(tokens("\xE2\x80\x9CHello,\xE2\x80\x9D she said (twice) \xE2\x80\x94 1.5 \xF0\x9F\x98\x80!",
	    TOK_SKIP_PUNCT), "W:Hello W:she W:said W:twice N:1.5");
	return NULL;
}

static const char *
test_tok_spans(void)
{
	static const char s[] = "  Jean-Pierre\xE2\x80\x99s 1,000.";
	struct tok_iter it;
	struct tok t;

	tok_init(&it, s, sizeof s - 1, 0);
	EXPECT(tok_next(&it, &t) && t.start == 2 && t.end == 17 && t.kind == TOK_WORD,
	    "word [%zu,%zu) kind %d", t.start, t.end, t.kind);
	EXPECT(tok_possessive(s, &t) == 13, "possessive at %zu", tok_possessive(s, &t));
	EXPECT(tok_next(&it, &t) && t.start == 18 && t.end == 23 && t.kind == TOK_NUMBER,
	    "number [%zu,%zu) kind %d", t.start, t.end, t.kind);
	EXPECT(tok_possessive(s, &t) == t.end, "possessive of a number");
	EXPECT(tok_next(&it, &t) && t.start == 23 && t.end == 24 && t.kind == TOK_PUNCT,
	    "full stop [%zu,%zu) kind %d", t.start, t.end, t.kind);
	EXPECT(tok_next(&it, &t) == 0 && tok_next(&it, &t) == 0, "a token after the end");
	return NULL;
}

static const char *
test_tok_possessive(void)
{
	static const struct { const char *s; size_t at; } t[] = {
		{ "Norway\xE2\x80\x99s", 6 }, { "NATO'S", 4 }, { "it's", 2 }, { "Ross", 4 },
		{ "'s", 2 }, { "a's", 1 }, { "s", 1 }, { "x\xE2\x80\x99s", 1 }, { "days", 4 },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct tok k = { 0, strlen(t[i].s), TOK_WORD };

		EXPECT(tok_possessive(t[i].s, &k) == t[i].at, "\"%s\": %zu, want %zu", t[i].s,
		    tok_possessive(t[i].s, &k), t[i].at);
	}
	return NULL;
}

static const char *
test_tok_fold(void)
{
	static const struct { const char *in, *want; } t[] = {
		{ "Hello WORLD-42's", "hello world-42's" },
		{ "Stra\xC3\x9F" "e", "strasse" },
		{ "\xC3\x9C" "BER", "\xC3\xBC" "ber" },
		{ "\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3", "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x83" },
		{ "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x82", "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x83" },
		{ "\xC4\xB0stanbul", "i\xCC\x87stanbul" },	/* İ: i + U+0307 */
		{ "ISTANBUL", "istanbul" },
		{ "\xC4\xB1s\xC4\xB1k", "\xC4\xB1s\xC4\xB1k" },	/* ı has no other case */
		{ "\xE6\x9D\xB1\xE4\xBA\xAC", "\xE6\x9D\xB1\xE4\xBA\xAC" },
		/* Bytes that are not UTF-8 fold to U+FFFD, never to an error:
		 * a CESU-8 surrogate (one, as ICU reads it), a Latin-1 byte. */
		{ "W\xED\xA0\x80" "E", "w\xEF\xBF\xBD" "e" },
		{ "CAF\xC9", "caf\xEF\xBF\xBD" },
		{ "", "" },
	};
	struct buf b = BUF_INIT, big = BUF_INIT, want = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		buf_reset(&b);
		buf_adds(&b, "<");
		tok_fold(t[i].in, strlen(t[i].in), &b);
		EXPECT(b.len >= 1 && strcmp(b.data + 1, t[i].want) == 0 && b.data[0] == '<',
		    "\"%s\": got \"%s\", want \"%s\"", t[i].in, b.data + 1, t[i].want);
	}
	/* A word longer than the stack buffers, growing as it folds. */
	for (i = 0; i < 1000; i++) {
		buf_adds(&big, "\xC3\x9F");
		buf_adds(&want, "ss");
	}
	buf_reset(&b);
	tok_fold(big.data, big.len, &b);
	EXPECT(b.len == want.len && memcmp(b.data, want.data, b.len) == 0, "long ß run: %zu bytes",
	    b.len);
	buf_release(&b);
	buf_release(&big);
	buf_release(&want);
	return NULL;
}

static const char *
test_tok_shape(void)
{
	static const struct { const char *s, *shape; } t[] = {
		{ "oslo", "xx" }, { "Oslo", "Xx" }, { "A", "Xx" }, { "NATO", "XX" },
		{ "iPhone", "xX" }, { "McDonald", "xX" }, { "Jean-Pierre", "Xx" }, { "O'Brien", "Xx" },
		{ "Norway\xE2\x80\x99s", "Xx" }, { "NATO's", "xX" }, { "don't", "xx" },
		{ "1990", "dd" }, { "1,000.5", "dd" }, { "G7", "xd" }, { "3rd", "xd" },
		{ "\xC3\x96lberg", "Xx" }, { "\xC3\x89" "COLE", "XX" }, { "\xC3\xA9" "cole", "xx" },
		{ "\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3", "XX" }, { "\xCE\xBF\xCE\xB4\xCF\x8C\xCF\x82", "xx" },
		{ "\xE6\x9D\xB1\xE4\xBA\xAC", "w" }, { ",", "." }, { "\xF0\x9F\x98\x80", "." },
		{ "cafe\xCC\x81", "xx" },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		EXPECT(strcmp(tok_shape_name(tok_shape(t[i].s, strlen(t[i].s))), t[i].shape) == 0,
		    "\"%s\": %s, want %s", t[i].s, tok_shape_name(tok_shape(t[i].s, strlen(t[i].s))),
		    t[i].shape);
	return NULL;
}

/* Random bytes, valid or not: tokens are non-empty, in order, inside the
 * text, and never begin or end inside a valid character. */
static const char *
test_tok_random(void)
{
	static const char *const pieces[] = {
		"a", "Z", "7", " ", "'", "-", ".", ",", "\xE2\x80\x99", "\xC3\xA9", "\xCC\x81",
		"\xE2\x80\x8D", "\xF0\x9F\x98\x80", "\xF0\x9F\x8F\xBD", "\xF0\x9F\x87\xB3", "\xEF\xB8\x8F",
		"\xE6\x9D\xB1", "\xC2\xAD", "\xFF", "\xC3", "\x80", "\t",
	};
	char s[64];
	int round;

	for (round = 0; round < 20000; round++) {
		size_t n = 0, last = 0;
		struct tok_iter it;
		struct tok t;
		int raw = round % 4 == 0;

		while (n < sizeof s - 4) {
			const char *p = pieces[rnd(sizeof pieces / sizeof pieces[0])];

			if (raw)
				s[n++] = (char)rnd(256);
			else if (rnd(8) == 0)
				break;
			else {
				memcpy(s + n, p, strlen(p));
				n += strlen(p);
			}
		}
		tok_init(&it, s, n, round & 1 ? TOK_SKIP_PUNCT : 0);
		while (tok_next(&it, &t)) {
			EXPECT(t.start >= last && t.start < t.end && t.end <= n,
			    "round %d: token [%zu,%zu) after %zu in %zu bytes", round, t.start, t.end, last, n);
			EXPECT(((unsigned char)s[t.start] & 0xC0) != 0x80 || t.kind == TOK_PUNCT,
			    "round %d: a word starts inside a character", round);
			last = t.end;
		}
	}
	return NULL;
}

/* Bytes that are not UTF-8, decoded as normalize's encoding step does. */
static const char *
test_legacy_decode(void)
{
	static const struct {
		const char *in, *out;
		uint64_t cp1252, replaced;
	} t[] = {
		{ "plain \xC3\xA9t\xC3\xA9", "plain \xC3\xA9t\xC3\xA9", 0, 0 },
		{ "caf\xE9", "caf\xC3\xA9", 1, 0 },
		{ "\x93quoted\x94", "\xE2\x80\x9Cquoted\xE2\x80\x9D", 2, 0 },
		/* A letter and punctuation, when lone legacy bytes are there too. */
		{ "\xE9\x92 and caf\xE9", "\xC3\xA9\xE2\x80\x99 and caf\xC3\xA9", 3, 0 },
		/* Alone, it is a broken UTF-8 sequence. */
		{ "\xE9\x92 alone", "\xEF\xBF\xBD alone", 0, 1 },
		/* Touching a real UTF-8 character. */
		{ "it\xE2\x80\x99\x92s", "it\xE2\x80\x99\xEF\xBF\xBDs", 0, 1 },
		/* Undefined in Windows-1252. */
		{ "x\x81y", "x\xEF\xBF\xBDy", 0, 1 },
		{ "cut \xF0\x9F\x98", "cut \xEF\xBF\xBD", 0, 1 },
	};
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct legacy_counts c = { 0, 0 };

		buf_reset(&b);
		legacy_decode(&b, t[i].in, strlen(t[i].in), 1, &c);
		EXPECT(strcmp(b.data, t[i].out) == 0 && c.cp1252 == t[i].cp1252 && c.replaced == t[i].replaced,
		    "case %zu: \"%s\", %llu as Windows-1252, %llu replaced", i, b.data,
		    (unsigned long long)c.cp1252, (unsigned long long)c.replaced);
	}
	buf_release(&b);
	return NULL;
}

/* Which first bytes zio_plain takes for a plain file. */
static const char *
test_zio_plain(void)
{
	static const struct {
		const char *p;
		size_t n;
		int plain;
	} t[] = {
		{ "<html>", 6, 1 }, { "Breaking news", 13, 1 },
		{ "\x1f\x8b\x08\0\0\0", 6, 0 }, { "\x28\xb5\x2f\xfd\0\0", 6, 0 },
		{ "\xfd" "7zXZ\0", 6, 0 }, { "BZh91A", 6, 0 }, { "PK\3\4\0\0", 6, 0 },
		/* The start of a magic, in a file that short (nothing starts
		 * every magic). */
		{ "BZ", 2, 0 }, { "", 0, 0 }, { "BZip of news", 12, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		EXPECT(zio_plain(t[i].p, t[i].n) == t[i].plain, "case %zu: %d", i, !t[i].plain);
	return NULL;
}

/* ---- zlines ---- */

/* Lines of a plain and of a gzip file: an empty line kept, a '\r' left
 * to the caller, a line longer than zio's pieces, a last line without
 * its end. */
static const char *
test_zl_lines(void)
{
	/* "one\n\ntwo\r\n" and a 300,000-byte line then "end", made by
	 * gzip -n -9 -c. */
	static const char head[] = "one\n\ntwo\r\n";
	struct buf text;
	const char *paths[2], *line;
	size_t len, k;
	int f;

	buf_init(&text);
	buf_add(&text, head, sizeof head - 1);
	for (k = 0; k < 300000; k++)
		buf_addc(&text, 'a' + (int)(k % 26));
	buf_add(&text, "\nend", 4);
	paths[0] = put_file("plain.txt", text.data, text.len);
	paths[1] = gzip_file("lines.gz", text.data, text.len);
	for (f = 0; f < 2; f++) {
		struct zl *z = zl_open(paths[f]);

		EXPECT((line = zl_next(z, &len)) && len == 3 && strcmp(line, "one") == 0, "file %d line 1", f);
		EXPECT((line = zl_next(z, &len)) && len == 0 && zl_lineno(z) == 2, "file %d line 2", f);
		EXPECT((line = zl_next(z, &len)) && len == 4 && strcmp(line, "two\r") == 0, "file %d line 3", f);
		EXPECT((line = zl_next(z, &len)) && len == 300000 && line[299999] == 'a' + 299999 % 26,
		    "file %d: the long line (%zu bytes)", f, line ? len : 0);
		EXPECT((line = zl_next(z, &len)) && strcmp(line, "end") == 0 && zl_lineno(z) == 5,
		    "file %d: the last line", f);
		EXPECT(zl_next(z, &len) == NULL && zl_next(z, &len) == NULL, "file %d: a line after the end", f);
		zl_close(z);
	}
	buf_release(&text);
	return NULL;
}

static void
read_zlines(const char *path)
{
	struct zl *z = zl_open(path);
	size_t len;

	while (zl_next(z, &len) != NULL)
		;
	zl_close(z);
}

/* A missing file and a truncated gzip file are fatal, named. */
static const char *
test_zl_errors(void)
{
	static const char text[] = "a line of news\nand another\n";
	const char *gz = gzip_file("cut.gz", text, sizeof text - 1);
	char err[512], path[4300];
	struct stat st;
	int status;

	EXPECT(stat(gz, &st) == 0 && truncate(gz, st.st_size - 9) == 0, "cannot cut %s", gz);
	status = in_child(read_zlines, gz, err, sizeof err);
	EXPECT(status == 2 && strstr(err, "cut.gz: truncated gzip input") != NULL, "status %d: %s", status, err);
	snprintf(path, sizeof path, "%s/none", dir);
	status = in_child(read_zlines, path, err, sizeof err);
	EXPECT(status == 2 && strstr(err, "none: cannot open: No such file or directory") != NULL,
	    "status %d: %s", status, err);
	return NULL;
}

static const struct {
	const char *name;
	const char *(*fn)(void);
} tests[] = {
	{ "df/lines", test_df_lines },
	{ "df/long-lines", test_df_long_lines },
	{ "df/fields", test_df_fields },
	{ "df/errors", test_df_errors },
	{ "df/path", test_df_path },
	{ "bf/xxh64", test_bf_xxh64 },
	{ "buf/addu", test_buf_addu },
	{ "hash/bytes", test_hash_bytes },
	{ "bf/round-trip", test_bf_round_trip },
	{ "bf/errors", test_bf_errors },
	{ "bf/write-full", test_bf_write_full },
	{ "bf/damage", test_bf_damage },
	{ "tok/sentences", test_tok_sentences },
	{ "tok/spans", test_tok_spans },
	{ "tok/possessive", test_tok_possessive },
	{ "tok/fold", test_tok_fold },
	{ "tok/shape", test_tok_shape },
	{ "tok/random", test_tok_random },
	{ "legacy/decode", test_legacy_decode },
	{ "zio/plain", test_zio_plain },
	{ "zl/lines", test_zl_lines },
	{ "zl/errors", test_zl_errors },
};

/* Remove the scratch folder and the files the tests left in it. */
static void
remove_dir(void)
{
	char cmd[4200];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stdout, "FAIL unit_shared/cleanup: cannot remove %s\n", dir);
}

int
main(int argc, char **argv)
{
	const char *base = getenv("T");
	size_t i;
	int nfailed = 0;

	(void)argc;
	msg_init(argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);	/* each line out before a crash */
	snprintf(dir, sizeof dir, "%s/unit_shared.XXXXXX", base && *base ? base : "/tmp");
	if (mkdtemp(dir) == NULL) {
		printf("FAIL unit_shared/setup: cannot make %s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		const char *err = tests[i].fn();

		if (err) {
			printf("FAIL unit_shared/%s: %s\n", tests[i].name, err);
			nfailed++;
		} else {
			printf("ok unit_shared/%s\n", tests[i].name);
		}
	}
	remove_dir();
	return nfailed ? 1 : 0;
}
