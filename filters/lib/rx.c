#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
 * a group that spans all of it): "^(?=[^:]{0,150}:).{0,150}?\b(?:Photo|
 * Image)\s?:..." needs "photo" or "image" too.
 *
 * Skipping PCRE2 must not hide a match that would have given up: a filler
 * is trusted only up to NEED_SPAN characters, whose steps stay far below
 * the match limit, and the lookaheads are read only while each one before
 * ends at its literals (or at '$'), since PCRE2 runs a longer one's tail
 * before it reaches the next.
 *
 * A lookahead ".{m,n}$" (maybe lazy or possessive) says the subject has
 * at most n characters: a longer one with no character that may end a
 * line ('.' stops at one, '$' matches before one) is no match either.
 *
 * PCRE2 knows, for many patterns, the bytes a match may start with
 * (PCRE2_INFO_FIRSTBITMAP); an anchored pattern is not run on a subject
 * starting with another.  Only for patterns without assertions, whose
 * first item fails at once, so that no match that would have given up is
 * hidden.
 *
 * What the checks look for in a subject is gathered in one pass (struct
 * rx_subject): a hashed table of its pairs of adjacent bytes that start at
 * an even offset, ASCII letters folded to lower case.  A literal missing
 * one of its pairs at even offsets and one at odd offsets is not there;
 * any other is sought as before.
 */
#define NEED_MAX 4		/* lookaheads read */
#define NEED_LITS 8		/* literals of one lookahead */
#define NEED_LEN 32		/* bytes of a literal kept */
#define NEED_SPAN 4096		/* characters a filler may scan */
#define NEED_MIN_LIMIT 1000000	/* the least match limit the check allows */

struct need {
	char lit[NEED_LITS][NEED_LEN];	/* ASCII, letters in lower case */
	size_t len[NEED_LITS], nlits;
	size_t anchor[NEED_LITS];	/* where each one's rarest byte is: what memchr seeks */
};

struct rx {
	pcre2_code *code;
	int jit;		/* JIT compiled: matched by pcre2_jit_match */
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pcre2_jit_stack *stack;
	struct need need[NEED_MAX];
	size_t nneeds;		/* 0 when the match limit is set too low */
	size_t max_chars;	/* the n of a leading ".{m,n}$", SIZE_MAX for none */
	uint8_t first[32];	/* the bytes a match may start with, when */
	int has_first;		/* PCRE2 knows them and the pattern has no assertions */
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

/* Past a filler: one atom and a repeat of at most NEED_SPAN ("{m,n}",
 * maybe lazy or possessive); NULL when p holds none.  *most is its n
 * when the atom is '.', else SIZE_MAX. */
static const char *
skip_filler(const char *p, size_t *dot_most)
{
	char *end;
	unsigned long most;
	int dot = *p == '.';

	*dot_most = SIZE_MAX;
	if (*p == '.')
		p++;
	else if (*p == '\\' && p[1] != '\0' && strchr("DdSsWw", p[1]) != NULL)
		p += 2;
	else if (*p == '[')
		p = skip_item(p);
	else
		return NULL;
	if (p == NULL || *p != '{')
		return NULL;
	for (p++; *p >= '0' && *p <= '9'; p++)
		;
	if (*p != ',' || p[1] < '0' || p[1] > '9')
		return NULL;
	most = strtoul(p + 1, &end, 10);
	if (*end != '}' || most > NEED_SPAN)
		return NULL;
	if (dot)
		*dot_most = most;
	p = end + 1;
	return *p == '?' || *p == '+' ? p + 1 : p;
}

/* The plain start of the literal at p, in lower case, into lit; returns
 * its length. */
static size_t
literal_prefix(const char *p, char lit[NEED_LEN])
{
	size_t n = 0;

	for (; n < NEED_LEN && *p != '\0' && !is_quantifier(p[1]); p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr(" :,'-", *p) != NULL)
			lit[n++] = *p;
		else if (*p >= 'A' && *p <= 'Z')
			lit[n++] = (char)(*p + 32);
		else
			break;
	}
	return n;
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

/* Add the literal at p to nd, with the byte its search looks for, its
 * rarest.  Returns its length, 0 when none. */
static size_t
add_literal(struct need *nd, const char *p)
{
	size_t len, j, n = nd->nlits;

	if (n == NEED_LITS || (len = literal_prefix(p, nd->lit[n])) == 0)
		return 0;
	nd->len[n] = len;
	nd->anchor[n] = 0;
	for (j = 0; j < len; j++)
		if (commonness(nd->lit[n][j]) < commonness(nd->lit[n][nd->anchor[n]]))
			nd->anchor[n] = j;
	nd->nlits++;
	return len;
}

/*
 * Read the lookahead body p[0..end) into nd: 1 when it needs literals.
 * *closed says whether it ends at them (or at '$'), so that the next
 * lookahead may be read too; a ".{m,n}$" lowers *max_chars to n.
 */
static int
read_need(const char *p, const char *end, struct need *nd, int *closed, size_t *max_chars)
{
	const char *close, *alt, *next;
	size_t len, dot_most;

	*closed = 0;
	nd->nlits = 0;
	if (next_alternative(p, end) != end || (p = skip_options(p)) == NULL ||
	    (p = skip_filler(p, &dot_most)) == NULL || (p = skip_options(p)) == NULL)
		return 0;
	if (p[0] == '$' && p + 1 == end) {
		*closed = 1;
		if (dot_most < *max_chars)
			*max_chars = dot_most;
		return 0;
	}
	if (p[0] == '\\' && p[1] == 'b')
		p += 2;
	if (p[0] != '(' || p[1] != '?' || p[2] != ':') {
		if ((len = add_literal(nd, p)) == 0)
			return 0;
		*closed = p + len == end;
		return 1;
	}
	if ((close = skip_item(p)) == NULL || close > end || is_quantifier(*close))
		return 0;
	for (alt = p + 3; alt < close; alt = next + 1) {
		if ((next = next_alternative(alt, close - 1)) == NULL || add_literal(nd, alt) == 0)
			return 0;
	}
	*closed = close == end;
	return 1;
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
	pcre2_pattern_info(r->code, PCRE2_INFO_ALLOPTIONS, &options);
	/* \Q...\E, POSIX classes and comments would hide brackets from
	 * skip_item. */
	if (pattern[0] != '^' || !(options & PCRE2_ANCHORED) || strstr(pattern, "\\Q") ||
	    strstr(pattern, "[:") || strstr(pattern, "(?#") ||
	    next_alternative(pattern, pattern + strlen(pattern)) != pattern + strlen(pattern))
		return;
	while (closed && r->nneeds < NEED_MAX && (p = skip_options(p)) != NULL &&
	    strncmp(p, "(?=", 3) == 0 && (close = skip_item(p)) != NULL &&
	    !is_quantifier(*close)) {
		r->nneeds += read_need(p + 3, close - 1, &r->need[r->nneeds], &closed,
		    &r->max_chars);
		p = close;
	}
	/* The rest of the pattern after the lookaheads, or the one group that
	 * is all of it, reads the same way when it opens with a filler. */
	if (closed && r->nneeds < NEED_MAX && p != NULL) {
		const char *end = pattern + strlen(pattern);

		if (strncmp(p, "(?:", 3) == 0 && skip_item(p) == end) {
			p += 3;
			end--;
		}
		r->nneeds += read_need(p, end, &r->need[r->nneeds], &closed, &r->max_chars);
	}
}

/* Does s[0..n), plain ASCII in the literal's case, hold literal i of nd? */
static int
holds(const struct need *nd, size_t i, const unsigned char *s, size_t n)
{
	const char *lit = nd->lit[i];
	size_t at = nd->anchor[i], len = nd->len[i], k;
	unsigned char lower = (unsigned char)lit[at];
	unsigned char upper = lower >= 'a' && lower <= 'z' ? lower - 32 : lower;
	const unsigned char *p = s + at, *end = s + n, *hit, *other;

	while (p < end) {
		hit = memchr(p, lower, (size_t)(end - p));
		if (upper != lower &&
		    (other = memchr(p, upper, (size_t)((hit ? hit : end) - p))) != NULL)
			hit = other;
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

/* The hash of a pair of adjacent bytes in rx_subject's pairs, each with
 * its 0x20 bit set: ASCII letters fold to lower case, and the bytes of
 * a literal (see literal_prefix) stay as they are. */
static inline unsigned
pair_hash(unsigned a, unsigned b)
{
	return ((((a | b << 8) | 0x2020) * 0x9E37u) & 0xFFFF) >> 5;
}

/* Does the word v hold a byte below 0x20 or above 0x7F? */
static inline int
odd_bytes(uint64_t v)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = ones << 7;

	return ((v | ((v - 0x20 * ones) & ~v)) & highs) != 0;
}

/* Gather what the quick checks look up in s (see "A quick check"). */
static void
gather(struct rx_subject *s)
{
	const unsigned char *p = (const unsigned char *)s->p;
	size_t i, n = s->n, conts = 0;
	uint64_t v;
	int odd = 0;	/* a character PCRE2 caselessly takes for s or k */
	int ends = 0;	/* a character that may end a line */

	memset(s->pairs, 0, sizeof s->pairs);
	for (i = 0; i + 1 < n; i += 2)
		s->pairs[pair_hash(p[i], p[i + 1])] = 1;
	/* Control characters and characters outside ASCII, eight bytes at a
	 * time past the plain ones. */
	for (i = 0; i < n; i++) {
		unsigned b = p[i];

		if (i % 8 == 0 && i + 8 <= n) {
			memcpy(&v, p + i, 8);
			if (!odd_bytes(v)) {
				i += 7;
				continue;
			}
		}
		if (b < 0x20) {
			ends |= b == 0 || (b >= '\n' && b <= '\r');
		} else if (b >= 0x80) {
			conts += (b & 0xC0) == 0x80;
			/* The long s (U+017F, C5 BF) and the Kelvin sign (U+212A,
			 * E2 84 AA); NEL (U+0085), U+2028 and U+2029. */
			odd |= b == 0xC5 || (b == 0xE2 && i + 2 < n && p[i + 1] == 0x84 &&
			    p[i + 2] == 0xAA);
			ends |= (b == 0xC2 && i + 1 < n && p[i + 1] == 0x85) ||
			    (b == 0xE2 && i + 2 < n && p[i + 1] == 0x80 &&
			    (p[i + 2] == 0xA8 || p[i + 2] == 0xA9));
		}
	}
	/* Counted for ".{m,n}$" only where '.' and '$' see no line end. */
	s->chars = ends ? 0 : n - conts;
	s->state = odd ? 2 : 1;
}

/* Are the pairs of lit[0..len) that start at from, from + 2, ... all in s? */
static int
pairs_in(const struct rx_subject *s, const char *lit, size_t len, size_t from)
{
	size_t k;

	for (k = from; k + 1 < len; k += 2)
		if (!s->pairs[pair_hash((unsigned char)lit[k], (unsigned char)lit[k + 1])])
			return 0;
	return 1;
}

/* May s hold the literal lit[0..len)?  Its pairs at even offsets are in s
 * when it stands at an even offset of s, those at odd offsets when it
 * stands at an odd one. */
static int
pairs_held(const struct rx_subject *s, const char *lit, size_t len)
{
	return pairs_in(s, lit, len, 0) || pairs_in(s, lit, len, 1);
}

/* Does subject s hold a literal of each lookahead r reads, and no more
 * characters than they allow? */
static int
may_match(const struct rx *r, struct rx_subject *s)
{
	size_t k, i;

	if (r->nneeds == 0 && r->max_chars == SIZE_MAX)
		return 1;
	if (s->state == 0)
		gather(s);
	if (s->chars > r->max_chars)
		return 0;
	/* The long s and the Kelvin sign match s and k caselessly. */
	if (s->state == 2)
		return 1;
	for (k = 0; k < r->nneeds; k++) {
		for (i = 0; i < r->need[k].nlits; i++)
			if (pairs_held(s, r->need[k].lit[i], r->need[k].len[i]) &&
			    holds(&r->need[k], i, (const unsigned char *)s->p, s->n))
				break;
		if (i == r->need[k].nlits)
			return 0;
	}
	return 1;
}

/* The bytes a match of an anchored pattern may start with (see "A quick
 * check"), into r. */
static void
read_first(struct rx *r, const char *pattern)
{
	const uint8_t *bits = NULL;
	uint32_t options;

	r->has_first = 0;
	pcre2_pattern_info(r->code, PCRE2_INFO_ALLOPTIONS, &options);
	if (!(options & PCRE2_ANCHORED) || strstr(pattern, "(?=") || strstr(pattern, "(?!") ||
	    strstr(pattern, "(?<") || strstr(pattern, "(*") ||
	    pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTBITMAP, &bits) != 0 || bits == NULL)
		return;
	memcpy(r->first, bits, sizeof r->first);
	r->has_first = 1;
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
	s->p = subject;
	s->n = n;
	s->state = 0;
}

/* Match r in subject[0..n) from start, whose part from start is s. */
static int
find(struct rx *r, struct rx_subject *s, const char *subject, size_t n, size_t start,
    size_t *mstart, size_t *mend)
{
	PCRE2_SIZE *ov;
	int rc;

	if (r->has_first && start < n &&
	    !(r->first[(unsigned char)subject[start] >> 3] >> ((unsigned char)subject[start] & 7) & 1))
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
