#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "msg.h"
#include "rx.h"

/* The JIT stack a match may grow to: deep backtracking beyond it fails
 * that match (PCRE2_ERROR_JIT_STACKLIMIT), never the program. */
#define JIT_STACK_MAX (1u << 20)

/*
 * A quick check before PCRE2 runs.  Patterns often open with lookaheads
 * that scan the line for a word ("^(?i)(?=.{0,300}?cookie)"); PCRE2 steps
 * through the subject a character at a time for that, memchr finds at
 * once that the word is not there.  So each leading lookahead of an
 * anchored pattern of the form FILLER{m,n} WORD or FILLER{m,n}
 * (?:WORD|WORD...), FILLER one atom ('.', a class, \S and the like),
 * gives literals one of which the subject must hold for a match; a
 * subject holding none is no match, and PCRE2 is not asked.  The check is
 * looser than the pattern, never stricter: letters compare caselessly
 * whatever the pattern's options, a subject holding the Kelvin sign or
 * the long s (which PCRE2's caseless UCP matching takes for k and s) always
 * goes to PCRE2, and a literal is cut short before the first character
 * that is not plain (an escape, a group, a quantified character, anything
 * not ASCII).
 *
 * The rest of the pattern after its lookaheads is read like one (so is
 * a group that spans all of it, but a '$'): "^(?=[^:]{0,150}:).{0,150}?
 * \b(?:Photo|Image)\s?:..." needs "photo" or "image" too.  Alternatives
 * are read each like a lookahead, and the subject must hold a literal of
 * one of them: "^(?i)(?:(?:photo|image)\s*:.*|(?:\S+\s+){0,4}(?:afp|
 * reuters))$" needs one of the four.  A literal is the longest plain run
 * of the characters an alternative opens with ("Crédit photo" gives
 * "dit photo"); "\b", "\K", a lookbehind and one "\s*" may stand
 * before it.  A class of plain characters in a literal's place gives each
 * as a literal of its own ("(?=.*?[|·•])" needs a bar or a bullet), one
 * outside ASCII only when PCRE2 files it under punctuation, which has no
 * other case.  Literals at the very start of the pattern are left to
 * PCRE2, which sees at once that they are not there.
 *
 * Skipping PCRE2 must not hide a match that would have given up: a filler
 * is trusted only up to NEED_SPAN characters, whose steps stay far below
 * the match limit (one with no bound, ".*" or a few words, only on
 * subjects of at most NEED_SPAN bytes; one followed by a "\s*", which may
 * scan the subject at each of its positions, only on subjects of at most
 * NEED_SPAN_SCAN bytes), and the lookaheads are read only while each one
 * before ends at its literals (or at '$'), since PCRE2 runs a longer one's
 * tail before it reaches the next.
 *
 * A lookahead ".{m,n}$" (maybe lazy or possessive) says the subject has
 * at most n characters: a longer one with no character that may end a
 * line ('.' stops at one, '$' matches before one) is no match either.
 *
 * PCRE2 knows, for many patterns, the bytes a match may start with
 * (PCRE2_INFO_FIRSTBITMAP); an anchored pattern is not run on a subject
 * starting with another.  Only for patterns without assertions, whose
 * first item fails at once, so that no match that would have given up is
 * hidden.  Where PCRE2 does not know them (Unicode classes, caseless
 * letters and optional groups at the start keep it from working them
 * out), a pattern that opens with '^' is asked once, when it is compiled,
 * about each ASCII character as a whole subject, with PCRE2_PARTIAL_HARD:
 * PCRE2_ERROR_NOMATCH says that every way of matching fails on that first
 * character alone (a way that reads past it, or tests for the end there,
 * is a partial match), so it fails on any subject starting with it, after
 * the same few steps.  Bytes outside ASCII always go to PCRE2.  The first
 * byte alone lets most lines through a pattern of many words ("home",
 * "menu", "share", ...: most capitals open one), so such a pattern is
 * asked about each pair of ASCII characters too, a letter or digit then
 * any, the same way: "Th" opens no match of a pattern whose words starting
 * with 't' are "tweet" and "twitter".  The questions are a few thousand a
 * pattern, JIT compiled for partial matching too.
 *
 * What the checks look for in a subject is gathered in one pass (struct
 * rx_subject): a hashed table of the runs of three adjacent bytes it
 * holds, each byte with its 0x20 bit set (ASCII letters fold to lower
 * case; a literal's runs are hashed the same way).  A literal of
 * three bytes or more missing one of its runs is not there, without a
 * search; any other is sought as before.
 */
#define NEED_MAX 4		/* lookaheads read */
#define NEED_LITS 16		/* literals of one lookahead */
#define NEED_LEN 32		/* bytes of a literal kept */
#define NEED_SPAN 4096		/* characters a filler may scan */
#define NEED_SPAN_SCAN 700	/* bytes of a subject scanned at each position */
#define NEED_MIN_LIMIT 1000000	/* the least match limit the check allows */

struct need {
	char lit[NEED_LITS][NEED_LEN];	/* letters in lower case; ASCII but
					 * a class's punctuation */
	size_t len[NEED_LITS], nlits;
	size_t anchor[NEED_LITS];	/* where each one's rarest byte is: what memchr seeks */
	uint16_t gram[NEED_LITS][NEED_LEN];	/* gram_hash of the bytes at k, k + 1, k + 2 */
	/* What first_runs reads of them, side by side: each one's first run
	 * (gram[i][0]), and a bit for each one shorter than a run; a bit for
	 * each one with a byte above 0x7F, which no subject of ASCII holds. */
	uint16_t first[NEED_LITS];
	unsigned short_lits, wide_lits;
};

struct rx {
	pcre2_code *code;
	int jit;		/* JIT compiled: matched by pcre2_jit_match */
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pcre2_jit_stack *stack;
	struct need need[NEED_MAX];
	size_t nneeds;		/* 0 when the match limit is set too low */
	size_t need_span;	/* the longest subject, in bytes, they are trusted on */
	size_t max_chars;	/* the n of a leading ".{m,n}$", SIZE_MAX for none */
	uint8_t first[32];	/* the bytes a match may start with, when */
	int has_first;		/* PCRE2 knows them and the pattern has no assertions */
	uint8_t second[0x80][16];	/* after each ASCII first byte, the ASCII
					 * bytes that may come next, when */
	int has_second;		/* PCRE2 was asked about each pair */
	char err[120];
};

const char *
rx_pcre2_version(void)
{
	static char v[64];

	pcre2_config(PCRE2_CONFIG_VERSION, v);
	return v;
}

/* Past the item at p: an escape, a class, a group or one byte; NULL when
 * the pattern ends inside it. */
static const char *
skip_item(const char *p)
{
	if (*p == '\\')
		return p[1] ? p + 2 : NULL;
	if (*p == '[') {
		/* A ']' first in a class (after a '^') is a member. */
		p += p[1] == '^' ? 2 : 1;
		if (*p == ']')
			p++;
		while (*p && *p != ']')
			p += *p == '\\' && p[1] ? 2 : 1;
		return *p ? p + 1 : NULL;
	}
	if (*p == '(') {
		for (p++; p != NULL && *p != ')'; p = *p ? skip_item(p) : NULL)
			;
		return p ? p + 1 : NULL;
	}
	return p + 1;
}

/* The first '|' of p[0..end) outside groups and classes, or end; NULL
 * when the pattern ends first. */
static const char *
next_alternative(const char *p, const char *end)
{
	while (p != NULL && p < end && *p != '|')
		p = skip_item(p);
	return p;
}

static int
is_quantifier(char c)
{
	return c == '?' || c == '*' || c == '+' || c == '{';
}

/* Past option settings such as "(?i)"; NULL at one that changes how the
 * pattern reads ('x', white space ignored). */
static const char *
skip_options(const char *p)
{
	while (p[0] == '(' && p[1] == '?') {
		const char *q = p + 2;

		for (; (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || *q == '-'; q++)
			if (*q == 'x')
				return NULL;
		if (*q != ')' || q == p + 2)
			break;
		p = q + 1;
	}
	return p;
}

/*
 * Past a filler at p, or p itself when it opens with none: one atom and a
 * repeat of at most NEED_SPAN ("{m,n}", maybe lazy or possessive); or one
 * whose reach has no bound, ".*" or ".+" (maybe lazy or possessive) or a
 * few words "(?:\S+\s+){m,n}" (n at most 16: \S+ and \s+ take apart, so
 * at most n + 1 scans of the subject), which lowers *span to NEED_SPAN.
 * NULL when p opens with a repeat the check cannot trust.  *dot_most is the
 * n of ".{m,n}", else SIZE_MAX.  *floats says whether there was one.
 */
static const char *
skip_filler(const char *p, size_t *dot_most, size_t *span, int *floats)
{
	const char *start = p;
	char *end;
	unsigned long most;
	int dot = *p == '.';

	*dot_most = SIZE_MAX;
	*floats = 1;
	if (p[0] == '.' && (p[1] == '*' || p[1] == '+')) {
		*span = *span < NEED_SPAN ? *span : NEED_SPAN;
		p += 2;
		return *p == '?' || *p == '+' ? p + 1 : p;
	}
	if (strncmp(p, "(?:\\S+\\s+){", 11) == 0) {
		p += 10;
	} else if (*p == '.')
		p++;
	else if (*p == '\\' && p[1] != '\0' && strchr("DdSsWw", p[1]) != NULL)
		p += 2;
	else if (*p == '[')
		p = skip_item(p);
	else {
		*floats = 0;
		return p;
	}
	if (p == NULL || *p != '{')
		return NULL;
	for (p++; *p >= '0' && *p <= '9'; p++)
		;
	if (*p != ',' || p[1] < '0' || p[1] > '9')
		return NULL;
	most = strtoul(p + 1, &end, 10);
	if (*end != '}' || most > (*start == '(' ? 16 : NEED_SPAN))
		return NULL;
	if (dot)
		*dot_most = most;
	if (*start == '(')
		*span = *span < NEED_SPAN ? *span : NEED_SPAN;
	p = end + 1;
	return *p == '?' || *p == '+' ? p + 1 : p;
}

/*
 * Past what may stand between a filler and its literals at a cost of a
 * few steps a position: "\b", "\B", "\K", lookbehinds (of fixed length in
 * PCRE2), and one class escape repeated by '*' or '?', which may scan the
 * rest of the subject at each position of the filler and so lowers *span
 * to NEED_SPAN_SCAN.
 */
static const char *
skip_between(const char *p, size_t *span)
{
	const char *q;
	int scans = 0;

	for (;;) {
		if (p[0] == '\\' && p[1] != '\0' && strchr("bBK", p[1]) != NULL &&
		    !is_quantifier(p[2]))
			p += 2;
		else if ((strncmp(p, "(?<=", 4) == 0 || strncmp(p, "(?<!", 4) == 0) &&
		    (q = skip_item(p)) != NULL && !is_quantifier(*q))
			p = q;
		else if (!scans && p[0] == '\\' && p[1] != '\0' && strchr("DdSsWwh", p[1]) != NULL &&
		    (p[2] == '*' || p[2] == '?')) {
			scans = 1;
			*span = *span < NEED_SPAN_SCAN ? *span : NEED_SPAN_SCAN;
			p += 3;
			if (*p == '?' || *p == '+')
				p++;
		} else
			return p;
	}
}

/* The bytes of the UTF-8 character that opens with byte c, in a pattern
 * PCRE2 compiled (valid UTF-8). */
static size_t
char_bytes(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
}

/*
 * The longest run of plain characters (ASCII letters, digits, " :,'-"),
 * in lower case, among the characters that open p[0..end), into lit: a
 * character outside ASCII breaks a run, anything else (an escape, a class,
 * a group, a character with a quantifier) ends the search.  A match of
 * p[0..end) holds each run.  Returns the run's length, at most NEED_LEN;
 * *whole says whether the search reached end.
 */
static size_t
literal_run(const char *p, const char *end, char lit[NEED_LEN], int *whole)
{
	char cur[NEED_LEN];
	size_t best = 0, run = 0;

	*whole = 0;
	for (; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		size_t w = char_bytes(c);

		if ((size_t)(end - p) < w || (p + w < end && is_quantifier(p[w])))
			return best;
		if (c >= 0x80) {
			run = 0;
			p += w - 1;
			continue;
		}
		if (c >= 'A' && c <= 'Z')
			c += 32;
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    strchr(" :,'-", c) != NULL))
			return best;
		if (run < NEED_LEN)
			cur[run] = (char)c;
		run++;
		if (run <= NEED_LEN && run > best) {
			best = run;
			memcpy(lit, cur, run);
		}
	}
	*whole = 1;
	return best;
}

#define GRAM_MUL_AB 0x9E37u	/* odd, so that no bit is lost */
#define GRAM_MUL_C 0x79B1u

/* The hash of three adjacent bytes, ab = a | b << 8 and c, each with its
 * 0x20 bit set, in rx_subject's grams: of sixteen-bit products, so that
 * gather takes eight at once. */
static inline unsigned
gram_hash(unsigned ab, unsigned c)
{
	return ((ab * GRAM_MUL_AB ^ c * GRAM_MUL_C) & 0xFFFF) >> (16 - RX_GRAM_BITS);
}

/* The hash of the bytes at p[0..3). */
static inline unsigned
gram_at(const unsigned char *p)
{
	return gram_hash(((unsigned)p[0] | (unsigned)p[1] << 8) | 0x2020, p[2] | 0x20u);
}

/* How often a byte starts a search for a literal: the rarer, the fewer
 * false starts.  Letters by their frequency in English. */
static int
commonness(char c)
{
	static const char order[] = " etaoinshrdlcumwfgypb,vkjxqz";
	const char *at = strchr(order, c);

	return c != '\0' && at != NULL ? (int)(sizeof order - (size_t)(at - order)) : 0;
}

/* Keep the literal written at nd->lit[nd->nlits], len bytes long, with
 * the byte its search looks for, its rarest. */
static void
keep_literal(struct need *nd, size_t len)
{
	size_t j, n = nd->nlits;

	nd->len[n] = len;
	nd->anchor[n] = 0;
	for (j = 0; j < len; j++)
		if (commonness(nd->lit[n][j]) < commonness(nd->lit[n][nd->anchor[n]]))
			nd->anchor[n] = j;
	/* A literal shorter than a run looks up the first run of the table,
	 * whatever it says (first_runs). */
	nd->gram[n][0] = 0;
	for (j = 0; j + 2 < len; j++)
		nd->gram[n][j] = (uint16_t)gram_at((const unsigned char *)nd->lit[n] + j);
	nd->nlits++;
}

/* Add the longest plain run of p[0..end) (see literal_run) to nd.
 * Returns 0 when it has none; *whole as literal_run's. */
static int
add_literal(struct need *nd, const char *p, const char *end, int *whole)
{
	size_t len;

	*whole = 0;
	if (nd->nlits == NEED_LITS || (len = literal_run(p, end, nd->lit[nd->nlits], whole)) == 0)
		return 0;
	keep_literal(nd, len);
	return 1;
}

/* Is the character s[0..n) one PCRE2 files under punctuation, which has
 * no other case for a caseless match to take? */
static int
is_punctuation(const char *s, size_t n)
{
	pcre2_code *c;
	pcre2_match_data *md;
	PCRE2_SIZE off;
	int code, rc;

	c = pcre2_compile((PCRE2_SPTR)"^\\p{P}$", PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &code,
	    &off, NULL);
	md = c ? pcre2_match_data_create_from_pattern(c, NULL) : NULL;
	if (md == NULL)
		msg_fatal("out of memory");
	rc = pcre2_match(c, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	pcre2_code_free(c);
	return rc > 0;
}

/*
 * Add each member of the class p[0..end) opens with to nd as a literal of
 * its own, when all are plain: single characters (no range, escape or
 * negation), ASCII or punctuation.  A match holds one of them.  Returns 0
 * when they are not; *whole says whether the class is all of p[0..end).
 */
static int
add_class(struct need *nd, const char *p, const char *end, int *whole)
{
	const char *close = skip_item(p), *q;
	size_t w;

	*whole = 0;
	if (close == NULL || close > end || (close < end && is_quantifier(*close)) || p[1] == '^' ||
	    p[1] == ']')
		return 0;
	for (q = p + 1; q < close - 1; q += w) {
		unsigned char c = (unsigned char)*q;

		w = char_bytes(c);
		if (c == '\\' || c == '-' || c == '[' || nd->nlits == NEED_LITS || q + w > close - 1 ||
		    (c >= 0x80 && !is_punctuation(q, w)))
			return 0;
		memcpy(nd->lit[nd->nlits], q, w);
		if (c >= 'A' && c <= 'Z')
			nd->lit[nd->nlits][0] = (char)(c + 32);
		keep_literal(nd, w);
	}
	*whole = close == end;
	return 1;
}

static int read_need(const char *p, const char *end, struct need *nd, int *closed,
    size_t *max_chars, size_t *span, int *floats);

/* The alternatives p[0..end) read into nd as one need: a literal of any
 * of them.  *floats when a filler opens one of them. */
static int
read_alternatives(const char *p, const char *end, struct need *nd, size_t *span, int *floats)
{
	struct need one;
	const char *next;
	size_t i, most = SIZE_MAX;
	int closed, fl;

	nd->nlits = 0;
	*floats = 0;
	for (;; p = next + 1) {
		if ((next = next_alternative(p, end)) == NULL ||
		    !read_need(p, next, &one, &closed, &most, span, &fl) ||
		    nd->nlits + one.nlits > NEED_LITS)
			return 0;
		*floats |= fl;
		for (i = 0; i < one.nlits; i++, nd->nlits++) {
			memcpy(nd->lit[nd->nlits], one.lit[i], NEED_LEN);
			nd->len[nd->nlits] = one.len[i];
			nd->anchor[nd->nlits] = one.anchor[i];
			memcpy(nd->gram[nd->nlits], one.gram[i], sizeof one.gram[i]);
		}
		if (next == end)
			return 1;
	}
}

/*
 * Read the lookahead body p[0..end) into nd: 1 when it needs literals.
 * *closed says whether it ends at them (or at '$'), so that the next
 * lookahead may be read too; a ".{m,n}$" lowers *max_chars to n.  *span
 * drops to the longest subject the need may be trusted on (see
 * skip_filler); *floats says whether a filler stands before the literals,
 * which PCRE2 would otherwise find at once where they are not.
 */
static int
read_need(const char *p, const char *end, struct need *nd, int *closed, size_t *max_chars,
    size_t *span, int *floats)
{
	const char *close, *alt, *next;
	size_t dot_most;
	int whole;

	*closed = 0;
	*floats = 0;
	nd->nlits = 0;
	if ((next = next_alternative(p, end)) == NULL)
		return 0;
	if (next != end)
		return read_alternatives(p, end, nd, span, floats);
	if ((p = skip_options(p)) == NULL || (p = skip_filler(p, &dot_most, span, floats)) == NULL ||
	    (p = skip_options(p)) == NULL)
		return 0;
	if (p[0] == '$' && p + 1 == end) {
		*closed = 1;
		if (dot_most < *max_chars)
			*max_chars = dot_most;
		return 0;
	}
	p = skip_between(p, span);
	if (p[0] == '[') {
		if (!add_class(nd, p, end, &whole))
			return 0;
		*closed = whole;
		return 1;
	}
	if (p[0] != '(' || p[1] != '?' || p[2] != ':') {
		if (!add_literal(nd, p, end, &whole))
			return 0;
		*closed = whole;
		return 1;
	}
	if ((close = skip_item(p)) == NULL || close > end || is_quantifier(*close))
		return 0;
	for (alt = p + 3; alt < close; alt = next + 1) {
		if ((next = next_alternative(alt, close - 1)) == NULL ||
		    !add_literal(nd, alt, next, &whole))
			return 0;
	}
	*closed = close == end;
	return 1;
}

/* Does an option setting in pattern turn on 'x' (white space ignored),
 * which changes how the rest reads? */
static int
sets_extended(const char *pattern)
{
	const char *p, *q;

	for (p = strstr(pattern, "(?"); p != NULL; p = strstr(p + 2, "(?")) {
		for (q = p + 2; (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || *q == '-' ||
		    *q == '^'; q++)
			if (*q == 'x')
				return 1;
	}
	return 0;
}

/* Does a[0..an) hold b[0..bn)? */
static int
holds_literal(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;

	for (i = 0; i + bn <= an; i++)
		if (memcmp(a + i, b, bn) == 0)
			return 1;
	return 0;
}

/* Leave out of nd each literal that holds another of its literals, or
 * that an earlier one equals: the subject holds that other too, and a
 * literal fewer is a search fewer. */
static void
prune(struct need *nd)
{
	size_t i, j, k = 0;

	for (i = 0; i < nd->nlits; i++) {
		for (j = 0; j < nd->nlits; j++)
			if (j != i && nd->len[j] <= nd->len[i] && (nd->len[j] < nd->len[i] || j < i) &&
			    holds_literal(nd->lit[i], nd->len[i], nd->lit[j], nd->len[j]))
				break;
		if (j < nd->nlits)
			continue;
		if (k != i) {
			memcpy(nd->lit[k], nd->lit[i], NEED_LEN);
			nd->len[k] = nd->len[i];
			nd->anchor[k] = nd->anchor[i];
			memcpy(nd->gram[k], nd->gram[i], sizeof nd->gram[i]);
		}
		k++;
	}
	nd->nlits = k;
}

/* Lay out what first_runs and may_match read of nd's literals. */
static void
index_first_runs(struct need *nd)
{
	size_t i;

	nd->short_lits = nd->wide_lits = 0;
	for (i = 0; i < nd->nlits; i++) {
		size_t k;

		nd->first[i] = nd->gram[i][0];
		nd->short_lits |= (unsigned)(nd->len[i] < 3) << i;
		for (k = 0; k < nd->len[i]; k++)
			nd->wide_lits |= (unsigned)((unsigned char)nd->lit[i][k] >= 0x80) << i;
	}
}

/* Add the need read from p[0..end) to r, unless its literals stand at the
 * very start, where PCRE2 finds at once that they are not there. */
static void
add_need(struct rx *r, const char *p, const char *end, int *closed)
{
	size_t span = SIZE_MAX;
	int floats;

	if (read_need(p, end, &r->need[r->nneeds], closed, &r->max_chars, &span, &floats) &&
	    floats) {
		prune(&r->need[r->nneeds]);
		index_first_runs(&r->need[r->nneeds]);
		r->nneeds++;
		if (span < r->need_span)
			r->need_span = span;
	}
}

/* Does nd hold a literal shorter than a run of three bytes, which only a
 * search of the subject finds? */
static int
searched(const struct need *nd)
{
	size_t i;

	for (i = 0; i < nd->nlits; i++)
		if (nd->len[i] < 3)
			return 1;
	return 0;
}

/* The needs of r whose literals are all looked up in the subject's runs
 * first, those searched for after them: caption patterns need a ':' and a
 * word such as "photo", and most lines are seen to lack the word without
 * a search for the ':'. */
static void
order_needs(struct rx *r)
{
	struct need swap;
	size_t i, j;

	for (i = 1; i < r->nneeds; i++)
		for (j = i; j > 0 && searched(&r->need[j - 1]) && !searched(&r->need[j]); j--) {
			swap = r->need[j];
			r->need[j] = r->need[j - 1];
			r->need[j - 1] = swap;
		}
}

/* The literals pattern needs (see "A quick check" above), into r. */
static void
read_needs(struct rx *r, const char *pattern)
{
	const char *p = pattern + 1, *close;
	uint32_t options;
	int closed = 1;

	r->nneeds = 0;
	r->max_chars = SIZE_MAX;
	r->need_span = SIZE_MAX;
	pcre2_pattern_info(r->code, PCRE2_INFO_ALLOPTIONS, &options);
	/* \Q...\E, POSIX classes and comments would hide brackets from
	 * skip_item. */
	if (pattern[0] != '^' || !(options & PCRE2_ANCHORED) || strstr(pattern, "\\Q") ||
	    strstr(pattern, "[:") || strstr(pattern, "(?#") || sets_extended(pattern) ||
	    next_alternative(pattern, pattern + strlen(pattern)) != pattern + strlen(pattern))
		return;
	while (closed && r->nneeds < NEED_MAX && (p = skip_options(p)) != NULL &&
	    strncmp(p, "(?=", 3) == 0 && (close = skip_item(p)) != NULL &&
	    !is_quantifier(*close)) {
		add_need(r, p + 3, close - 1, &closed);
		p = close;
	}
	/* The rest of the pattern after the lookaheads, or the one group that
	 * is all of it (but a '$'), reads the same way. */
	if (closed && r->nneeds < NEED_MAX && p != NULL && (p = skip_options(p)) != NULL) {
		const char *end = pattern + strlen(pattern);

		if (strncmp(p, "(?:", 3) == 0 && (close = skip_item(p)) != NULL &&
		    (close == end || (close + 1 == end && *close == '$'))) {
			p += 3;
			end = close - 1;
		}
		add_need(r, p, end, &closed);
	}
	order_needs(r);
}

/* The first byte of p[0..end) that is c, a letter in either case; NULL
 * when there is none.  One pass, sixteen bytes at a time, where two
 * memchr calls (one a case) cost more on a line of a few hundred bytes. */
static const unsigned char *
find_byte(const unsigned char *p, const unsigned char *end, unsigned char c)
{
	unsigned char fold = c >= 'a' && c <= 'z' ? 0x20 : 0;

#if defined(__SSE2__)
	const __m128i want = _mm_set1_epi8((char)c), fold8 = _mm_set1_epi8((char)fold);

	for (; end - p >= 16; p += 16) {
		__m128i v = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)p), fold8);
		int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(v, want));

		if (mask != 0)
			return p + __builtin_ctz((unsigned)mask);
	}
#endif
	for (; p < end; p++)
		if ((*p | fold) == c)
			return p;
	return NULL;
}

/* Does s[0..n), plain ASCII in the literal's case, hold literal i of nd? */
static int
holds(const struct need *nd, size_t i, const unsigned char *s, size_t n)
{
	const char *lit = nd->lit[i];
	size_t at = nd->anchor[i], len = nd->len[i], k;
	const unsigned char *p = s + at, *end = s + n, *hit;

	while (p < end) {
		hit = find_byte(p, end, (unsigned char)lit[at]);
		if (hit == NULL || (size_t)(end - hit) < len - at)
			return 0;
		for (k = 0; k < len && (hit[k - at] | (lit[k] >= 'a' && lit[k] <= 'z' ? 0x20 : 0)) ==
		    (unsigned char)lit[k]; k++)
			;
		if (k == len)
			return 1;
		p = hit + 1;
	}
	return 0;
}

/* Does the word v hold a byte below 0x20 or above 0x7F? */
static inline int
odd_bytes(uint64_t v)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = ones << 7;

	return ((v | ((v - 0x20 * ones) & ~v)) & highs) != 0;
}

#if defined(__SSE2__)
/* The sixteen bytes at p. */
static inline __m128i
load16(const unsigned char *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* Mark the eight hashes of h in s's grams. */
static inline void
mark_eight(struct rx_subject *s, __m128i h)
{
	uint16_t *grams = s->grams, stamp = s->stamp;

	grams[_mm_extract_epi16(h, 0)] = stamp;
	grams[_mm_extract_epi16(h, 1)] = stamp;
	grams[_mm_extract_epi16(h, 2)] = stamp;
	grams[_mm_extract_epi16(h, 3)] = stamp;
	grams[_mm_extract_epi16(h, 4)] = stamp;
	grams[_mm_extract_epi16(h, 5)] = stamp;
	grams[_mm_extract_epi16(h, 6)] = stamp;
	grams[_mm_extract_epi16(h, 7)] = stamp;
}
#endif

/* The runs of three bytes of s into its grams, sixteen at a time while
 * there are; returns where the rest start.  *seen_odd is set when the
 * bytes before there hold one below 0x20 or above 0x7F. */
static size_t
gather_sixteens(struct rx_subject *s, int *seen_odd)
{
	size_t i = 0;
#if defined(__SSE2__)
	const unsigned char *p = (const unsigned char *)s->p;
	const __m128i low = _mm_set1_epi16(0xFF), mul_ab = _mm_set1_epi16((short)GRAM_MUL_AB),
	    mul_c = _mm_set1_epi16((short)GRAM_MUL_C), fold = _mm_set1_epi8(0x20);

	/* The runs at i + 2k take a and b from the pair at i + 2k and c from
	 * the low byte of the one at i + 2k + 2; those at i + 2k + 1 take a
	 * and b from the pair at i + 2k + 1 and c from that high byte. */
	for (; i + 18 <= s->n; i += 16) {
		__m128i raw = load16(p + i), at0 = _mm_or_si128(raw, fold);
		__m128i at1 = _mm_or_si128(load16(p + i + 1), fold);
		__m128i at2 = _mm_or_si128(load16(p + i + 2), fold);
		__m128i even = _mm_xor_si128(_mm_mullo_epi16(at0, mul_ab),
		    _mm_mullo_epi16(_mm_and_si128(at2, low), mul_c));
		__m128i odd = _mm_xor_si128(_mm_mullo_epi16(at1, mul_ab),
		    _mm_mullo_epi16(_mm_srli_epi16(at2, 8), mul_c));

		mark_eight(s, _mm_srli_epi16(even, 16 - RX_GRAM_BITS));
		mark_eight(s, _mm_srli_epi16(odd, 16 - RX_GRAM_BITS));
		/* Signed, bytes above 0x7F are below 0x20 too. */
		*seen_odd |= _mm_movemask_epi8(_mm_cmplt_epi8(raw, fold));
	}
#else
	(void)s;
	(void)seen_odd;
#endif
	return i;
}

/* What gather finds among a subject's controls and its bytes above 0x7F. */
struct tally {
	size_t conts;	/* continuation bytes */
	int odd;	/* a character PCRE2 caselessly takes for s or k */
	int ends;	/* a character that may end a line */
	int wide;	/* a byte above 0x7F */
};

/* Tally the bytes of p[0..n) as gather does, sixteen at a time while two
 * more follow them; returns where the rest start.  No branch on each
 * block: in a line of curly quotes and dashes a test of each would go
 * one way and the other. */
static size_t
tally_sixteens(const unsigned char *p, size_t n, struct tally *t)
{
	size_t i = 0;
#if defined(__SSE2__)
	__m128i ends = _mm_setzero_si128(), odd = _mm_setzero_si128(), wide = _mm_setzero_si128();

	for (; i + 18 <= n; i += 16) {
		__m128i v = load16(p + i), next = load16(p + i + 1), after = load16(p + i + 2);
		__m128i e2 = _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE2));

		t->conts += (size_t)__builtin_popcount((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_and_si128(v, _mm_set1_epi8((char)0xC0)), _mm_set1_epi8((char)0x80))));
		wide = _mm_or_si128(wide, v);
		/* NUL, '\n' to '\r' (signed: bytes above 0x7F are below them);
		 * NEL (C2 85), U+2028 and U+2029 (E2 80 A8, E2 80 A9). */
		ends = _mm_or_si128(ends, _mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(v, _mm_setzero_si128()),
		    _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('\n' - 1)),
		    _mm_cmplt_epi8(v, _mm_set1_epi8('\r' + 1)))),
		    _mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2)),
		    _mm_cmpeq_epi8(next, _mm_set1_epi8((char)0x85))),
		    _mm_and_si128(_mm_and_si128(e2, _mm_cmpeq_epi8(next, _mm_set1_epi8((char)0x80))),
		    _mm_or_si128(_mm_cmpeq_epi8(after, _mm_set1_epi8((char)0xA8)),
		    _mm_cmpeq_epi8(after, _mm_set1_epi8((char)0xA9)))))));
		/* The long s (C5 BF) and the Kelvin sign (E2 84 AA). */
		odd = _mm_or_si128(odd, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC5)),
		    _mm_and_si128(_mm_and_si128(e2, _mm_cmpeq_epi8(next, _mm_set1_epi8((char)0x84))),
		    _mm_cmpeq_epi8(after, _mm_set1_epi8((char)0xAA)))));
	}
	t->ends |= _mm_movemask_epi8(ends) != 0;
	t->odd |= _mm_movemask_epi8(odd) != 0;
	t->wide |= _mm_movemask_epi8(wide) != 0;
#else
	(void)p;
	(void)n;
	(void)t;
#endif
	return i;
}

/* Gather what the quick checks look up in s (see "A quick check"). */
static void
gather(struct rx_subject *s)
{
	const unsigned char *p = (const unsigned char *)s->p;
	size_t i, n = s->n, read;
	uint64_t v;
	struct tally t = { 0, 0, 0, 0 };
	int seen_odd = 0;

	/* A new stamp drops the runs of the subject before; the table is
	 * cleared at the first and when the stamps wrap around. */
	if (s->stamp == 0 || ++s->stamp == 0) {
		memset(s->grams, 0, sizeof s->grams);
		s->stamp = 1;
	}
	read = i = gather_sixteens(s, &seen_odd);
	for (; i + 3 <= n; i++)
		s->grams[gram_at(p + i)] = s->stamp;
	/* Control characters and characters outside ASCII: in vectors where
	 * gather_sixteens saw some, then eight bytes at a time past the plain
	 * ones. */
	for (i = seen_odd ? tally_sixteens(p, n, &t) : read; i < n; i++) {
		unsigned b = p[i];

		if (i % 8 == 0 && i + 8 <= n) {
			memcpy(&v, p + i, 8);
			if (!odd_bytes(v)) {
				i += 7;
				continue;
			}
		}
		if (b < 0x20) {
			t.ends |= b == 0 || (b >= '\n' && b <= '\r');
		} else if (b >= 0x80) {
			t.wide = 1;
			t.conts += (b & 0xC0) == 0x80;
			/* The long s (U+017F, C5 BF) and the Kelvin sign (U+212A,
			 * E2 84 AA); NEL (U+0085), U+2028 and U+2029. */
			t.odd |= b == 0xC5 || (b == 0xE2 && i + 2 < n && p[i + 1] == 0x84 &&
			    p[i + 2] == 0xAA);
			t.ends |= (b == 0xC2 && i + 1 < n && p[i + 1] == 0x85) ||
			    (b == 0xE2 && i + 2 < n && p[i + 1] == 0x80 &&
			    (p[i + 2] == 0xA8 || p[i + 2] == 0xA9));
		}
	}
	/* Counted for ".{m,n}$" only where '.' and '$' see no line end. */
	s->chars = t.ends ? 0 : n - t.conts;
	s->wide = t.wide;
	s->state = t.odd ? 2 : 1;
}

/* May s hold literal i of nd: are all its runs of three bytes in s?
 * Most literals are not there, and most miss their first run. */
static int
grams_held(const struct rx_subject *s, const struct need *nd, size_t i)
{
	const uint16_t *gram = nd->gram[i];
	size_t k, len = nd->len[i];

	for (k = 0; k + 2 < len; k++)
		if (s->grams[gram[k]] != s->stamp)
			return 0;
	return 1;
}

_Static_assert(NEED_LITS <= 32, "first_runs gives each literal a bit of an unsigned");

/* The literals of nd that s may hold by their first run of three bytes,
 * a bit each; those shorter than a run, always.  Each is looked up
 * without a branch: which few of them pass differs line by line, and a
 * branch on each would be mispredicted. */
static unsigned
first_runs(const struct rx_subject *s, const struct need *nd)
{
	unsigned may = nd->short_lits;
	size_t i;

	/* i < NEED_LITS holds with i < nlits; said, it keeps the compiler
	 * from seeing first[] read past its end. */
	for (i = 0; i < nd->nlits && i < NEED_LITS; i++)
		may |= (unsigned)(s->grams[nd->first[i]] == s->stamp) << i;
	return may;
}

/* Does subject s hold a literal of each lookahead r reads, and no more
 * characters than they allow? */
static int
may_match(const struct rx *r, struct rx_subject *s)
{
	size_t k, i;
	unsigned may;

	if (r->nneeds == 0 && r->max_chars == SIZE_MAX)
		return 1;
	if (s->state == 0)
		gather(s);
	if (s->chars > r->max_chars)
		return 0;
	if (s->n > r->need_span)
		return 1;
	/* The long s and the Kelvin sign match s and k caselessly. */
	if (s->state == 2)
		return 1;
	for (k = 0; k < r->nneeds; k++) {
		may = first_runs(s, &r->need[k]) & ~(s->wide ? 0 : r->need[k].wide_lits);
		for (; may != 0; may &= may - 1) {
			i = (size_t)__builtin_ctz(may);
			if (grams_held(s, &r->need[k], i) &&
			    holds(&r->need[k], i, (const unsigned char *)s->p, s->n))
				break;
		}
		if (may == 0)
			return 0;
	}
	return 1;
}

/* Is byte c in the set of 256 (or 128) bits? */
static inline int
in_set(const uint8_t *set, unsigned c)
{
	return set[c >> 3] >> (c & 7) & 1;
}

/* Is c an ASCII letter or digit? */
static int
is_alnum(unsigned c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
}

/* May a match of r open with the ASCII s[0..n): does PCRE2, asked with
 * PCRE2_PARTIAL_HARD, not say no at once? */
static int
may_open(const struct rx *r, pcre2_match_data *md, const unsigned char *s, size_t n)
{
	return pcre2_match(r->code, s, n, 0, PCRE2_PARTIAL_HARD, md, NULL) != PCRE2_ERROR_NOMATCH;
}

/* The bytes a match of r, anchored by a leading '^', may start with (unless
 * PCRE2 knew them), by asking PCRE2 about each ASCII character alone, and
 * the ASCII bytes that may follow each ASCII first one, by asking about
 * each pair (see "A quick check"). */
static void
ask_opening(struct rx *r, int first_known)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	unsigned char two[2];
	unsigned a, b;

	if (md == NULL)
		msg_fatal("out of memory");
	if (r->jit)
		pcre2_jit_compile(r->code, PCRE2_JIT_PARTIAL_HARD);
	if (!first_known) {
		memset(r->first, 0xFF, sizeof r->first);
		for (a = 0; a < 0x80; a++) {
			two[0] = (unsigned char)a;
			if (!may_open(r, md, two, 1))
				r->first[a >> 3] &= (uint8_t)~(1u << (a & 7));
		}
	}
	/* Lines open with a word or a figure: the pairs after any other
	 * first byte are not asked about, and all may follow it. */
	memset(r->second, 0xFF, sizeof r->second);
	for (a = 0; a < 0x80; a++) {
		if (!in_set(r->first, a) || !is_alnum(a))
			continue;
		two[0] = (unsigned char)a;
		for (b = 0; b < 0x80; b++) {
			two[1] = (unsigned char)b;
			if (!may_open(r, md, two, 2))
				r->second[a][b >> 3] &= (uint8_t)~(1u << (b & 7));
		}
	}
	pcre2_match_data_free(md);
	r->has_first = r->has_second = 1;
}

/* The bytes a match of an anchored pattern may start with, and the pairs
 * (see "A quick check"), into r. */
static void
read_first(struct rx *r, const char *pattern)
{
	const uint8_t *bits = NULL;
	uint32_t options;
	int known;

	r->has_first = r->has_second = 0;
	pcre2_pattern_info(r->code, PCRE2_INFO_ALLOPTIONS, &options);
	if (!(options & PCRE2_ANCHORED) || strstr(pattern, "(?=") || strstr(pattern, "(?!") ||
	    strstr(pattern, "(?<") || strstr(pattern, "(*"))
		return;
	known = pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTBITMAP, &bits) == 0 && bits != NULL;
	if (known) {
		memcpy(r->first, bits, sizeof r->first);
		r->has_first = 1;
	}
	if (pattern[0] == '^' && strstr(pattern, "\\G") == NULL)
		ask_opening(r, known);
}

struct rx *
rx_compile(const char *pattern, char *err, size_t errlen, size_t *erroff)
{
	struct rx *r;
	int code;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);

	if (c == NULL) {
		PCRE2_UCHAR msg[160];

		pcre2_get_error_message(code, msg, sizeof msg);
		snprintf(err, errlen, "%s", (char *)msg);
		if (erroff)
			*erroff = (size_t)off;
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	r->code = c;
	r->md = pcre2_match_data_create_from_pattern(c, NULL);
	r->mc = pcre2_match_context_create(NULL);
	if (r->md == NULL || r->mc == NULL)
		msg_fatal("out of memory");
	/* JIT is an optimisation: without it (some hardened systems) we still match. */
	r->jit = pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) == 0;
	if (r->jit && (r->stack = pcre2_jit_stack_create(32u << 10, JIT_STACK_MAX, NULL)) != NULL)
		pcre2_jit_stack_assign(r->mc, NULL, r->stack);
	read_needs(r, pattern);
	read_first(r, pattern);
	return r;
}

void
rx_match_limit(struct rx *r, uint32_t limit)
{
	pcre2_set_match_limit(r->mc, limit);
	if (limit < NEED_MIN_LIMIT) {
		r->nneeds = 0;
		r->max_chars = SIZE_MAX;
	}
}

const char *
rx_error(const struct rx *r)
{
	return r->err;
}

void
rx_free(struct rx *r)
{
	if (r == NULL)
		return;
	pcre2_match_data_free(r->md);
	pcre2_match_context_free(r->mc);
	pcre2_jit_stack_free(r->stack);
	pcre2_code_free(r->code);
	free(r);
}

void
rx_subject_init(struct rx_subject *s, const char *subject, size_t n)
{
	s->stamp = 0;
	rx_subject_next(s, subject, n);
}

void
rx_subject_next(struct rx_subject *s, const char *subject, size_t n)
{
	s->p = subject;
	s->n = n;
	s->state = 0;
}

/* May a match of r start at p[0..n), n > 0, by its first two bytes? */
static inline int
may_start(const struct rx *r, const unsigned char *p, size_t n)
{
	if (!r->has_first)
		return 1;
	if (!in_set(r->first, p[0]))
		return 0;
	return !r->has_second || n < 2 || p[0] >= 0x80 || p[1] >= 0x80 ||
	    in_set(r->second[p[0]], p[1]);
}

/* Match r in subject[0..n) from start, whose part from start is s. */
static int
find(struct rx *r, struct rx_subject *s, const char *subject, size_t n, size_t start,
    size_t *mstart, size_t *mend)
{
	PCRE2_SIZE *ov;
	int rc;

	if (start < n && !may_start(r, (const unsigned char *)subject + start, n - start))
		return 0;
	if (!may_match(r, s))
		return 0;
	/* The caller guarantees valid UTF-8, so PCRE2 need not check it again;
	 * JIT code is called straight, past pcre2_match's checks of its
	 * arguments, which hold here (a few hundred instructions a call). */
	if (r->jit && start <= n)
		rc = pcre2_jit_match(r->code, (PCRE2_SPTR)subject, n, start, 0, r->md, r->mc);
	else
		rc = pcre2_match(r->code, (PCRE2_SPTR)subject, n, start, PCRE2_NO_UTF_CHECK,
		    r->md, r->mc);

	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc == PCRE2_ERROR_NOMEMORY)
		msg_fatal("out of memory");
	if (rc < 0) {
		pcre2_get_error_message(rc, (PCRE2_UCHAR *)r->err, sizeof r->err);
		return -1;
	}
	ov = pcre2_get_ovector_pointer(r->md);
	*mstart = ov[0];
	*mend = ov[1];
	return 1;
}

int
rx_may_open(const struct rx *r, const char *subject, size_t n)
{
	return n == 0 || may_start(r, (const unsigned char *)subject, n);
}

int
rx_may_open_prefix(struct rx *r, const char *prefix, size_t n)
{
	if (!rx_may_open(r, prefix, n))
		return 0;
	return n <= 2 || !r->has_second || may_open(r, r->md, (const unsigned char *)prefix, n);
}

int
rx_find(struct rx *r, const char *subject, size_t n, size_t start, size_t *mstart, size_t *mend)
{
	struct rx_subject s;

	rx_subject_init(&s, subject + start, n - start);
	return find(r, &s, subject, n, start, mstart, mend);
}

int
rx_find_in(struct rx *r, struct rx_subject *s, size_t *mstart, size_t *mend)
{
	return find(r, s, s->p, s->n, 0, mstart, mend);
}
