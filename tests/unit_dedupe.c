/*
 * unit_dedupe: C unit tests of dedupe-boilerplate's fingerprints
 * (fprint.c) and of its count tables (counts.c).  fp_line reaches the same values two ways: byte by byte, and
 * where the processor has AVX-512 with VBMI2, with a line's words hashed a
 * word a vector lane.  State files and count tables hold the values, so
 * the two must agree on every line; the filter's own tests only ever run
 * the way the machine they run on takes.  Here each line goes both ways.
 *
 * As in unit_shared.c: a test returns NULL when it passed, else what went
 * wrong; main() prints "ok unit_dedupe/NAME" or "FAIL unit_dedupe/NAME:
 * why" for each (or "skip unit_dedupe/NAME: why", which counts as
 * neither) and exits 1 if any failed.
 */
#include "compat.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bfile.h"
#include "buf.h"
#include "counts.h"
#include "fprint.h"
#include "msg.h"
#include "rng.h"
#include "expect.h"

/* RETURN_IF(call): return the message of a check that failed. */
#define RETURN_IF(call) do { \
	const char *e_ = (call); \
	if (e_) \
		return e_; \
} while (0)

static struct fp_line bytewise, lanewise;

/* Whether fp_line gives the line the same values both ways; NULL if so,
 * else the first difference. */
static const char *
same_both_ways(const char *line, size_t n)
{
	size_t i;

	fp_lanes_enable(0);
	fp_line(line, n, &bytewise);
	fp_lanes_enable(1);
	fp_line(line, n, &lanewise);
	EXPECT(bytewise.nwords == lanewise.nwords, "\"%.*s\": %zu words byte by byte, %zu in lanes",
	    (int)n, line, bytewise.nwords, lanewise.nwords);
	for (i = 0; i < bytewise.nwords; i++)
		EXPECT(bytewise.word[i] == lanewise.word[i],
		    "\"%.*s\": word %zu is %016" PRIx64 " byte by byte, %016" PRIx64 " in lanes",
		    (int)n, line, i, bytewise.word[i], lanewise.word[i]);
	EXPECT(bytewise.fp == lanewise.fp, "\"%.*s\": fp %016" PRIx64 " byte by byte, %016" PRIx64 " in lanes",
	    (int)n, line, bytewise.fp, lanewise.fp);
	EXPECT(bytewise.numbers == lanewise.numbers, "\"%.*s\": %u numbers byte by byte, %u in lanes",
	    (int)n, line, bytewise.numbers, lanewise.numbers);
	EXPECT(bytewise.figures == lanewise.figures,
	    "\"%.*s\": figures %016" PRIx64 " byte by byte, %016" PRIx64 " in lanes",
	    (int)n, line, bytewise.figures, lanewise.figures);
	return NULL;
}

/* What lines are made of.  Besides ASCII words, numbers and separators:
 * letters outside ASCII that fold to themselves, to other bytes or to
 * more characters (É, ß, İ, ﬁ), a combining mark, spaces, dashes and
 * quotes outside ASCII, a symbol, and the characters that keep a line on
 * the way byte by byte (a soft hyphen, a joiner, digits outside ASCII). */
static const char *const piece[] = {
	" ", " ", " ", "  ", ", ", ". ", " | ", "-", "'", "\t", "/", "(", ")", "!", "?",
	"\xe2\x80\x94", "\xe2\x80\x99", "\xe2\x80\x9c", "\xc2\xa0", "\xc2\xb7", "\xe2\x80\xa2",
	"\xc3\xa9", "\xc3\x89", "\xc3\x9f", "\xc3\xb8", "\xc5\x82", "\xc3\xb1", "\xce\xa9", "\xce\xbb",
	"\xd0\x96", "\xd0\xb6", "\xe4\xb8\xad", "\xe6\x97\xa5", "\xd8\xa8", "\xd7\xa9", "\xc7\x85",
	"\xc4\xb0", "\xef\xac\x81", "\xcc\x81", "\xf0\x9f\x98\x80",
	"\xc2\xad", "\xe2\x80\x8d", "\xd9\xa3", "\xef\xbc\x93",
};

/* Appends a random run of ASCII letters (of any case) or digits. */
static void
add_run(struct buf *b, int digits)
{
	size_t len = 1 + rnd(rnd(4) ? 9 : 40), i;

	for (i = 0; i < len; i++) {
		char c = digits ? (char)('0' + rnd(10)) :
		    (char)((rnd(3) ? 'a' : 'A') + rnd(26));

		buf_add(b, &c, 1);
	}
}

/* Random lines, most of them words between spaces, some dense with
 * everything else, some too long for one group of sixteen words. */
static const char *
test_random_lines(void)
{
	struct buf line = { 0 };
	const char *err = NULL;
	int t;

	for (t = 0; t < 100000 && !err; t++) {
		int pieces = (int)rnd(t % 10 == 0 ? 200 : 40), plain = rnd(3) != 0, k;

		buf_reset(&line);
		for (k = 0; k < pieces; k++) {
			uint32_t what = rnd(10);

			if (what < 5)
				add_run(&line, 0);
			else if (what < 6)
				add_run(&line, 1);
			else if (what < 8 || plain)
				buf_add(&line, " ", 1);
			else
				buf_adds(&line, piece[rnd(sizeof piece / sizeof piece[0])]);
		}
		err = same_both_ways(line.data ? line.data : "", line.len);
	}
	buf_release(&line);
	return err;
}

/* Every length of word around eight and sixteen bytes, at every offset
 * around a 64-byte block's end, and lines of one word to forty. */
static const char *
test_word_edges(void)
{
	char line[512];
	size_t lead, len, words, i;

	for (lead = 0; lead < 70; lead++) {
		for (len = 1; len <= 40; len++) {
			memset(line, ' ', lead);
			for (i = 0; i < len; i++)
				line[lead + i] = (char)('a' + (i * 7 + len) % 26);
			line[lead + len] = '.';
			RETURN_IF(same_both_ways(line, lead + len + (len % 2)));
			line[lead + 1] = '7';
			RETURN_IF(same_both_ways(line, lead + len));
		}
	}
	for (words = 0; words <= 40; words++) {
		size_t n = 0;

		for (i = 0; i < words; i++) {
			size_t w = 1 + (i * 5) % 17, k;

			for (k = 0; k < w; k++)
				line[n++] = (char)((k ? 'a' : 'A') + (i + k) % 26);
			line[n++] = ' ';
		}
		RETURN_IF(same_both_ways(line, n));
		RETURN_IF(same_both_ways(line, n ? n - 1 : 0));
	}
	return NULL;
}

/* Short lines, which the lanes read from a copy padded to eight bytes. */
static const char *
test_short_lines(void)
{
	static const char *const line[] = {
		"", " ", "a", "A1", "12", "1 2", "x.y", "\xc3\xa9", "\xc3\x89t\xc3\xa9", "ab cd ef",
		"a\xc2\xad" "b", "\xd9\xa3", "-", "--!", "Z",
	};
	size_t i;

	for (i = 0; i < sizeof line / sizeof line[0]; i++)
		RETURN_IF(same_both_ways(line[i], strlen(line[i])));
	return NULL;
}

/* What the header promises, the same either way: case, digits, runs of
 * punctuation and white space are folded; figures tell numbers apart. */
static const char *
test_folding(void)
{
	struct fp_line a = { 0 }, b = { 0 };
	int lanes;

	for (lanes = 0; lanes < 2; lanes++) {
		fp_lanes_enable(lanes);
		fp_line("Posted 12 March, 2026 |", 23, &a);
		fp_line("posted 31 march 2026", 20, &b);
		EXPECT(a.fp == b.fp && a.fp != FP_EMPTY, "dates differ in fp (lanes %d)", lanes);
		EXPECT(a.figures != b.figures, "dates share figures (lanes %d)", lanes);
		EXPECT(a.nwords == 4 && a.numbers == 2, "%zu words, %u numbers (lanes %d)", a.nwords,
		    a.numbers, lanes);
		fp_line("1 23", 4, &a);
		fp_line("4 56", 4, &b);
		EXPECT(a.fp == b.fp, "\"1 23\" against \"4 56\" (lanes %d)", lanes);
		fp_line("12 3", 4, &b);
		EXPECT(a.figures != b.figures, "\"1 23\" against \"12 3\" (lanes %d)", lanes);
		fp_line("\xc3\x89T\xc3\x89 \xc3\xa0 Z\xc3\x9cRICH", 16, &a);
		fp_line("\xc3\xa9t\xc3\xa9 \xc3\xa0 z\xc3\xbcrich", 16, &b);
		EXPECT(a.fp == b.fp, "case outside ASCII not folded (lanes %d)", lanes);
		fp_line("Most Read", 9, &a);
		fp_line("Most Reader", 11, &b);
		EXPECT(a.fp != b.fp && a.word[0] == b.word[0] && a.word[1] != b.word[1],
		    "words of \"Most Read\" against \"Most Reader\" (lanes %d)", lanes);
		EXPECT(a.word[0] == fp_word("most", 4), "fp_word differs from fp_line's word (lanes %d)",
		    lanes);
		fp_line(" \t-- | ", 7, &a);
		EXPECT(a.fp == FP_EMPTY && a.nwords == 0, "punctuation alone is not empty (lanes %d)", lanes);
	}
	fp_lanes_enable(1);
	fp_line_release(&a);
	fp_line_release(&b);
	return NULL;
}

/* ---- count tables ---- */

enum { LINE = 0x11, FURNITURE = 0x22, SITE = 0x33, MARK_X = 0x44, MARK_Y = 0x55, MARK_Z = 0x66 };

/* A shard's table: the records of ids[0..n) counted, as dd_count
 * counts them, each holding LINE (its own text) and FURNITURE. */
static struct ct *
shard(const uint64_t *ids, size_t n)
{
	struct ct *t = ct_new();
	size_t i;

	for (i = 0; i < n; i++) {
		if (!ct_see(t, ids[i] << 8, SITE))
			continue;
		ct_add(t, LINE + (ids[i] << 8), ct_tag(ids[i]));
		ct_add(t, FURNITURE, ct_tag(ids[i]));
	}
	return t;
}

static const char *
test_counted_once(void)
{
	struct ct *t = ct_new();

	EXPECT(ct_add(t, LINE, ct_tag(7)) == 1, "first record");
	EXPECT(ct_add(t, LINE, ct_tag(7)) == 1, "the same record counted twice");
	EXPECT(ct_add(t, LINE, ct_tag(8)) == 2, "a second record");
	EXPECT(ct_add(t, LINE, ct_tag(9)) == 3, "a third record");
	EXPECT(ct_see(t, MARK_X, SITE) == 1 && ct_see(t, MARK_X, SITE) == 0, "a mark seen twice");
	EXPECT(ct_get(t, SITE) == 1, "site counts %u records, want 1", ct_get(t, SITE));
	EXPECT(ct_tag(0) != 0, "tag 0");
	ct_free(t);
	return NULL;
}

/* The same article in three shards (republished) counts once, whatever
 * the order the shards are added in. */
static const char *
test_merge_republished(void)
{
	const uint64_t a[] = { 1, 2, 9 }, b[] = { 9, 3 }, c[] = { 4, 9 };
	struct ct *s[3] = { shard(a, 3), shard(b, 2), shard(c, 2) };
	struct ct *fwd = ct_new(), *back = ct_new();
	int i;

	for (i = 0; i < 3; i++)
		ct_merge(fwd, s[i]);
	for (i = 2; i >= 0; i--)
		ct_merge(back, s[i]);
	EXPECT(ct_get(fwd, LINE + (9 << 8)) == 1, "the republished article's line counts %u",
	    ct_get(fwd, LINE + (9 << 8)));
	EXPECT(ct_get(fwd, SITE) == 5, "the site counts %u records, want 5", ct_get(fwd, SITE));
	EXPECT(ct_get(fwd, FURNITURE) >= 5, "furniture counts %u, want 5 or more",
	    ct_get(fwd, FURNITURE));
	EXPECT(ct_get(back, LINE + (9 << 8)) == 1 && ct_get(back, SITE) == 5,
	    "added in the other order, %u and %u", ct_get(back, LINE + (9 << 8)), ct_get(back, SITE));
	for (i = 0; i < 3; i++)
		ct_free(s[i]);
	ct_free(fwd);
	ct_free(back);
	return NULL;
}

/* Exact while a line's count is 2 or less: two records in one shard and
 * one of them again in another make 2, not 3. */
static const char *
test_merge_exact_below_three(void)
{
	const uint64_t a[] = { 5, 6 }, b[] = { 6 };
	struct ct *sa = shard(a, 2), *sb = shard(b, 1), *sum = ct_new();

	ct_merge(sum, sa);
	ct_merge(sum, sb);
	EXPECT(ct_get(sum, FURNITURE) == 2, "furniture counts %u, want 2", ct_get(sum, FURNITURE));
	EXPECT(ct_get(sum, SITE) == 2, "site counts %u, want 2", ct_get(sum, SITE));
	ct_free(sa);
	ct_free(sb);
	ct_free(sum);
	return NULL;
}

/* A table of version 1 (no tags) is still read: its counts as they
 * were, its records' marks still marks. */
static const char *
test_version_1(void)
{
	struct buf b;
	struct ct *t = ct_new(), *v2 = ct_new();
	char err[200];
	int wrong;
	static const uint64_t keys[] = { LINE, FURNITURE, MARK_Z };

	buf_init(&b);
	bf_put32(&b, 4);
	bf_put32(&b, 0);
	bf_put64(&b, 3);
	for (size_t i = 0; i < 3; i++) {
		bf_put64(&b, keys[i]);
		bf_put32(&b, (uint32_t)i + 1);
		bf_put32(&b, 4);
	}
	EXPECT(ct_decode(t, 1, b.data, b.len, err, sizeof err) == 0, "%s", err);
	EXPECT(ct_get(t, FURNITURE) == 2, "furniture read as %u", ct_get(t, FURNITURE));
	EXPECT(ct_see(t, MARK_Z, SITE) == 0, "a version 1 mark not taken for one");
	EXPECT(ct_add(t, FURNITURE, ct_tag(1)) == 3, "counting on from a version 1 count");
	wrong = ct_decode(v2, 2, b.data, b.len, err, sizeof err) == 0;
	buf_release(&b);
	ct_free(t);
	ct_free(v2);
	EXPECT(!wrong, "version 1 read as 2");
	return NULL;
}

static const struct {
	const char *name;
	const char *(*fn)(void);
	int lanes;	/* compares the two ways: skipped where there are no lanes */
} tests[] = {
	{ "folding", test_folding, 0 },
	{ "short_lines", test_short_lines, 1 },
	{ "word_edges", test_word_edges, 1 },
	{ "random_lines", test_random_lines, 1 },
	{ "counted_once", test_counted_once, 0 },
	{ "merge_republished", test_merge_republished, 0 },
	{ "merge_exact_below_three", test_merge_exact_below_three, 0 },
	{ "version_1", test_version_1, 0 },
};

int
main(int argc, char **argv)
{
	size_t i;
	int nfailed = 0, lanes;

	(void)argc;
	msg_init(argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	lanes = fp_lanes_enable(1);
	for (i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		const char *err;

		if (tests[i].lanes && !lanes) {
			printf("skip unit_dedupe/%s: this processor has no AVX-512 VBMI2 lanes\n",
			    tests[i].name);
			continue;
		}
		if ((err = tests[i].fn())) {
			printf("FAIL unit_dedupe/%s: %s\n", tests[i].name, err);
			nfailed++;
		} else {
			printf("ok unit_dedupe/%s\n", tests[i].name);
		}
	}
	fp_line_release(&bytewise);
	fp_line_release(&lanewise);
	return nfailed ? 1 : 0;
}
