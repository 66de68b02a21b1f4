#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "dfile.h"
#include "msg.h"
#include "rules.h"
#include "rx.h"

/* Backtracking steps one match may take; far above what a sane pattern
 * needs on a paragraph. */
#define MATCH_LIMIT 1000000

struct rule {
	char *name;
	enum rl_action action;
	int ends;	/* its action ended in "+end": the line ends the article */
	struct rx *rx;
	char *where;	/* FILE:LINE, for the report when it gives up */
	int reported;
};

/*
 * Most rules are anchored, and most lines open with bytes that no match of
 * most of them opens with: a line looks up, by its first two bytes, which
 * rules may match it (rx_may_open), and tries those alone, not each rule
 * in turn.  A row of bits for each opening: one byte (the line's first
 * byte alone tells when it or the next is not ASCII), a pair of ASCII
 * bytes, or an empty line (all rules).
 */
#define OPEN_PAIRS 256
#define OPEN_EMPTY (OPEN_PAIRS + 128 * 128)
#define OPEN_ROWS (OPEN_EMPTY + 1)

/*
 * Two bytes say little of a line that opens with a common word: "Th"
 * may open "Themen:", "This story was produced", "Thursday".  So the rules
 * a line's first PREFIX_BYTES bytes may open, when they are ASCII, are
 * asked about them (rx_may_open_prefix) the first time they are met and
 * kept, in PREFIX_SLOTS slots by a hash of them: lines open with a few
 * common words, and most lines, whatever their length, find the answers
 * there and try fewer rules.
 */
#define PREFIX_BYTES 6		/* below 8: a slot keeps the length in the top byte */
#define PREFIX_BITS 12
#define PREFIX_SLOTS (1u << PREFIX_BITS)
#define PREFIX_MUL UINT64_C(0x9E3779B97F4A7C15)

/*
 * Furniture comes back record after record word for word ("Share this
 * article", "Advertisement", a newsletter pitch): a short line's answers
 * are kept, in MEMO_SLOTS slots by a hash of the line, and the same line
 * met again is not matched again.  The answers of a line some rule gave
 * up on are not kept, so that each time it does counts.
 */
#define MEMO_SLOTS 4096
#define MEMO_BYTES 100		/* the longest line kept */
#define NOT_ASKED (-2)

struct memo {
	uint64_t hash;
	uint32_t len;		/* UINT32_MAX: the slot holds no line */
	int keep, match;	/* first_match's answers, NOT_ASKED before */
	uint32_t ms, me;	/* match's span */
	char text[MEMO_BYTES];
};

struct rl {
	struct rule *rule;
	size_t n, cap;
	uint64_t errors;
	size_t words;		/* of a row of bits, one a rule */
	uint64_t *opens;	/* OPEN_ROWS rows: the rules that may match */
	uint64_t *keep;		/* a row: the keep rules */
	/* PREFIX_SLOTS slots, once a line is matched, of 1 + words: an
	 * opening (its bytes, zeros past them, and its length in the top
	 * byte; 0 for none), then its row beside it. */
	uint64_t *prefix;
	struct memo *memo;	/* MEMO_SLOTS, once a line is matched */
	struct rx_subject line;	/* first_match's, moved on line after line */
};

struct rl *
rl_new(void)
{
	struct rl *r = xcalloc(1, sizeof(struct rl));

	rx_subject_init(&r->line, "", 0);
	return r;
}

void
rl_free(struct rl *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->rule[i].name);
		free(r->rule[i].where);
		rx_free(r->rule[i].rx);
	}
	free(r->rule);
	free(r->opens);
	free(r->keep);
	free(r->prefix);
	free(r->memo);
	free(r);
}

static char *
copy(const char *p, size_t n)
{
	char *s = xmalloc(n + 1);

	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

static int
valid_name(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
		    (p[i] >= '0' && p[i] <= '9') || p[i] == '-'))
			return 0;
	return n > 0;
}

/* The row of the openings of line[0..n). */
static size_t
opening(const unsigned char *line, size_t n)
{
	if (n == 0)
		return OPEN_EMPTY;
	if (n == 1 || line[0] >= 0x80 || line[1] >= 0x80)
		return line[0];
	return OPEN_PAIRS + (size_t)line[0] * 128 + line[1];
}

/* Set rule i's bit in a row of bits. */
static void
set_bit(uint64_t *bits, size_t i)
{
	bits[i / 64] |= UINT64_C(1) << (i % 64);
}

/* Ask each rule about each opening, for r->opens and r->keep.  A first
 * byte no match opens with is followed by none either: the pairs it
 * opens are not asked about. */
static void
tabulate_openings(struct rl *r)
{
	unsigned char two[2];
	unsigned a, b;
	size_t i;

	r->words = (r->n + 63) / 64;
	free(r->opens);
	free(r->keep);
	r->opens = xcalloc(OPEN_ROWS * r->words, sizeof *r->opens);
	r->keep = xcalloc(r->words, sizeof *r->keep);
	for (i = 0; i < r->n; i++) {
		const struct rx *rx = r->rule[i].rx;

		if (r->rule[i].action == RL_KEEP)
			set_bit(r->keep, i);
		if (rx_may_open(rx, (const char *)two, 0))
			set_bit(r->opens + OPEN_EMPTY * r->words, i);
		for (a = 0; a < 256; a++) {
			two[0] = (unsigned char)a;
			if (!rx_may_open(rx, (const char *)two, 1))
				continue;
			set_bit(r->opens + a * r->words, i);
			for (b = 0; a < 0x80 && b < 0x80; b++) {
				two[1] = (unsigned char)b;
				if (rx_may_open(rx, (const char *)two, 2))
					set_bit(r->opens + (OPEN_PAIRS + a * 128 + b) * r->words, i);
			}
		}
	}
}

void
rl_load(struct rl *r, const char *path)
{
	struct df *d = df_open(path);

	while (df_next(d)) {
		struct df_field f[3];
		struct rule *ru;
		enum rl_action action;
		char err[160];
		char *pattern;
		size_t off = 0, i, wl, alen;
		int ends;

		if (df_fields(d, f, 3) != 3)
			df_error(d, 0, "want NAME, ACTION and PATTERN separated by tabs");
		if (!valid_name(f[0].p, f[0].len))
			df_error(d, f[0].col, "a rule name is letters, digits and '-'");
		for (i = 0; i < r->n; i++)
			if (strlen(r->rule[i].name) == f[0].len &&
			    memcmp(r->rule[i].name, f[0].p, f[0].len) == 0)
				df_error(d, f[0].col, "rule '%s' is already defined at %s",
				    r->rule[i].name, r->rule[i].where);
		ends = f[1].len > 4 && memcmp(f[1].p + f[1].len - 4, "+end", 4) == 0;
		alen = f[1].len - (ends ? 4 : 0);
		if (alen == 9 && memcmp(f[1].p, "drop-line", 9) == 0)
			action = RL_DROP_LINE;
		else if (alen == 8 && memcmp(f[1].p, "cut-span", 8) == 0)
			action = RL_CUT_SPAN;
		else if (alen == 10 && memcmp(f[1].p, "drop-block", 10) == 0)
			action = RL_DROP_BLOCK;
		else if (alen == 4 && memcmp(f[1].p, "keep", 4) == 0)
			action = RL_KEEP;
		else
			df_error(d, f[1].col,
			    "unknown action '%.*s' (drop-line, cut-span, drop-block or keep)",
			    (int)alen, f[1].p);
		if (ends && action != RL_DROP_LINE && action != RL_DROP_BLOCK)
			df_error(d, f[1].col + alen, "only drop-line and drop-block take +end");
		if (f[2].len == 0)
			df_error(d, f[2].col, "empty pattern");
		pattern = copy(f[2].p, f[2].len);
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 32;
			r->rule = xrealloc(r->rule, r->cap * sizeof *r->rule);
		}
		ru = &r->rule[r->n];
		ru->rx = rx_compile(pattern, err, sizeof err, &off);
		free(pattern);
		if (ru->rx == NULL)
			df_error(d, df_column(d, f[2].off + off), "bad pattern: %s", err);
		rx_match_limit(ru->rx, MATCH_LIMIT);
		ru->name = copy(f[0].p, f[0].len);
		ru->action = action;
		ru->ends = ends;
		wl = strlen(df_name(d)) + 24;
		ru->where = xmalloc(wl);
		snprintf(ru->where, wl, "%s:%lu", df_name(d), df_lineno(d));
		ru->reported = 0;
		r->n++;
	}
	df_close(d);
	tabulate_openings(r);
	/* Answers of the rules before these. */
	free(r->prefix);
	r->prefix = NULL;
	free(r->memo);
	r->memo = NULL;
}

size_t
rl_count(const struct rl *r)
{
	return r->n;
}

const char *
rl_name(const struct rl *r, size_t i)
{
	return r->rule[i].name;
}

int
rl_ends(const struct rl *r, size_t i)
{
	return r->rule[i].ends;
}

uint64_t
rl_errors(const struct rl *r)
{
	return r->errors;
}

/* Run rule i on the line: 1 with the match in [*ms, *me), 0 when it
 * does not match or gives up (counted, and reported the first time). */
static int
try_rule(struct rl *r, size_t i, struct rx_subject *line, size_t *ms, size_t *me)
{
	struct rule *ru = &r->rule[i];
	int found = rx_find_in(ru->rx, line, ms, me);

	if (found >= 0)
		return found;
	r->errors++;
	if (!ru->reported)
		msg_warn("%s: rule %s gave up on a line (%s); skipped where it does", ru->where,
		    ru->name, rx_error(ru->rx));
	ru->reported = 1;
	return 0;
}

/* The row of bits of the rules that may match line[0..n) by its first
 * two bytes. */
static const uint64_t *
pair_openers(const struct rl *r, const char *line, size_t n)
{
	return r->opens + opening((const unsigned char *)line, n) * r->words;
}

/* The row of bits of the rules that may match line[0..n) by its opening:
 * by its first PREFIX_BYTES bytes when they are ASCII (most lines find
 * them kept, and the row of the first two is not read), else by two. */
static const uint64_t *
openers(struct rl *r, const char *line, size_t n)
{
	const uint64_t *pair;
	size_t len = n < PREFIX_BYTES ? n : PREFIX_BYTES, w;
	uint64_t key = 0, *slot, *row;

	/* A line of eight bytes or more is read at once, not byte by byte
	 * into a key read whole, which the processor cannot forward. */
	if (n >= sizeof key) {
		memcpy(&key, line, sizeof key);
		key &= (UINT64_C(1) << (8 * PREFIX_BYTES)) - 1;
	} else
		memcpy(&key, line, len);
	if (len <= 2 || (key & UINT64_C(0x8080808080808080)) != 0)
		return pair_openers(r, line, n);
	key |= (uint64_t)len << 56;
	if (r->prefix == NULL)
		r->prefix = xcalloc(PREFIX_SLOTS * (1 + r->words), sizeof *r->prefix);
	slot = r->prefix + ((key * PREFIX_MUL) >> (64 - PREFIX_BITS)) * (1 + r->words);
	row = slot + 1;
	if (*slot == key)
		return row;
	*slot = key;
	pair = pair_openers(r, line, n);
	for (w = 0; w < r->words; w++) {
		uint64_t bits;

		row[w] = 0;
		for (bits = pair[w]; bits != 0; bits &= bits - 1) {
			size_t i = w * 64 + (size_t)__builtin_ctzll(bits);

			if (rx_may_open_prefix(r->rule[i].rx, line, len))
				set_bit(row, i);
		}
	}
	return row;
}

/* Word w of row, the rules that are keep rules or not as keep says. */
static uint64_t
of_kind(const struct rl *r, const uint64_t *row, int keep, size_t w)
{
	return row[w] & (keep ? r->keep[w] : ~r->keep[w]);
}

/* May a rule that is a keep rule or not as keep says match line[0..n),
 * by its opening?  Most lines open as no keep rule does, and are not
 * looked up among the lines kept. */
static int
may_match_any(struct rl *r, int keep, const char *line, size_t n)
{
	const uint64_t *row = openers(r, line, n);
	size_t w;

	for (w = 0; w < r->words; w++)
		if (of_kind(r, row, keep, w) != 0)
			return 1;
	return 0;
}

/* The first rule, in file order, that is a keep rule or not as keep says
 * and matches line[0..n): its index, with the match in [*ms, *me); -1 when
 * none does. */
static int
first_match(struct rl *r, int keep, const char *line, size_t n, size_t *ms, size_t *me)
{
	const uint64_t *row;
	size_t w, i;

	if (r->n == 0)
		return -1;
	row = openers(r, line, n);
	/* What the rules' quick checks look for is gathered once a line. */
	rx_subject_next(&r->line, line, n);
	for (w = 0; w < r->words; w++) {
		uint64_t bits = of_kind(r, row, keep, w);

		for (; bits != 0; bits &= bits - 1) {
			i = w * 64 + (size_t)__builtin_ctzll(bits);
			if (try_rule(r, i, &r->line, ms, me))
				return (int)i;
		}
	}
	return -1;
}

/* The slot of line[0..n), a short line whose hash is h. */
static struct memo *
memo_slot(struct rl *r, uint64_t h)
{
	size_t i;

	if (r->memo == NULL) {
		r->memo = xmalloc(MEMO_SLOTS * sizeof *r->memo);
		for (i = 0; i < MEMO_SLOTS; i++)
			r->memo[i].len = UINT32_MAX;
	}
	return &r->memo[h % MEMO_SLOTS];
}

/* The hash of line[0..n) that picks its memo slot; 0 for a line too long
 * to keep. */
static uint64_t
memo_hash(const char *line, size_t n)
{
	return n <= MEMO_BYTES ? XXH3_64bits(line, n) : 0;
}

/* The slot of line[0..n), whose memo_hash is h, emptied for it unless it
 * holds it already; NULL for a line too long to keep. */
static struct memo *
recall(struct rl *r, const char *line, size_t n, uint64_t h)
{
	struct memo *m;

	if (n > MEMO_BYTES)
		return NULL;
	m = memo_slot(r, h);
	if (m->hash != h || m->len != n || memcmp(m->text, line, n) != 0) {
		m->hash = h;
		m->len = (uint32_t)n;
		memcpy(m->text, line, n);
		m->keep = m->match = NOT_ASKED;
	}
	return m;
}

int
rl_keeps(struct rl *r, const char *line, size_t n)
{
	struct memo *m;
	uint64_t errors = r->errors, h;
	size_t ms, me;
	int i;

	if (r->n == 0)
		return 0;
	/* The memo is far larger than the cache: rl_match, asked about the
	 * line once the record's other lines are asked here, finds its
	 * slot there. */
	h = memo_hash(line, n);
	if (n <= MEMO_BYTES)
		__builtin_prefetch(memo_slot(r, h));
	if (!may_match_any(r, 1, line, n))
		return 0;
	m = recall(r, line, n, h);
	if (m != NULL && m->keep != NOT_ASKED)
		return m->keep >= 0;
	i = first_match(r, 1, line, n, &ms, &me);
	if (m != NULL && r->errors == errors)
		m->keep = i;
	return i >= 0;
}

int
rl_match(struct rl *r, const char *line, size_t n, enum rl_action *action, size_t *ms,
    size_t *me)
{
	struct memo *m = recall(r, line, n, memo_hash(line, n));
	uint64_t errors = r->errors;
	int i;

	if (m != NULL && m->match != NOT_ASKED) {
		i = m->match;
		*ms = m->ms;
		*me = m->me;
	} else {
		i = first_match(r, 0, line, n, ms, me);
		if (m != NULL && r->errors == errors) {
			m->match = i;
			m->ms = i >= 0 ? (uint32_t)*ms : 0;
			m->me = i >= 0 ? (uint32_t)*me : 0;
		}
	}
	if (i >= 0)
		*action = r->rule[i].action;
	return i;
}
