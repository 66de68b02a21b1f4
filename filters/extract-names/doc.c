/*
 * doc: the tokens of a document, shaped like the CoNLL data (see doc.h).
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "doc.h"
#include "hash.h"
#include "msg.h"
#include "tok.h"
#include "utf8.h"

void
nd_init(struct nd_doc *d)
{
	memset(d, 0, sizeof *d);
	buf_init(&d->own);
	buf_init(&d->fold);
	buf_init(&d->lower);
}

void
nd_release(struct nd_doc *d)
{
	free(d->tok);
	buf_release(&d->own);
	buf_release(&d->fold);
	buf_release(&d->lower);
}

uint64_t
nd_hash(const char *p, size_t n)
{
	return hash_bytes(p, n);
}

void
nd_lower(const char *p, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] >= 0x80) {
			tok_fold(p, n, out);
			return;
		}
	buf_grow(out, n);
	for (i = 0; i < n; i++)
		out->data[out->len + i] = (char)((p[i] >= 'A' && p[i] <= 'Z') ? p[i] + 32 : p[i]);
	out->len += n;
}

/*
 * The form features see: typographic quotes, apostrophes and dashes as
 * the ASCII the CoNLL data writes, so that "O’Brien" and "O'Brien" are
 * one word.  Appends to out.
 */
void
nd_ascii_form(const char *p, size_t n, struct buf *out)
{
	static const struct {
		const char *from, *to;
	} map[] = {
		{ "\u2019", "'" }, { "\u2018", "'" }, { "\u201c", "\"" }, { "\u201d", "\"" },
		{ "\u201e", "\"" }, { "\u00ab", "\"" }, { "\u00bb", "\"" }, { "\u2013", "-" },
		{ "\u2014", "--" }, { "\u2010", "-" }, { "\u2011", "-" }
	};
	size_t i = 0, k;

	while (i < n) {
		if ((unsigned char)p[i] == 0xE2 || (unsigned char)p[i] == 0xC2)
			for (k = 0; k < sizeof map / sizeof map[0]; k++) {
				size_t m = strlen(map[k].from);

				if (m <= n - i && memcmp(p + i, map[k].from, m) == 0) {
					buf_adds(out, map[k].to);
					i += m;
					goto next;
				}
			}
		buf_addc(out, p[i++]);
next:		;
	}
}

static int
has_ascii_upper(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] >= 'A' && p[i] <= 'Z')
			return 1;
	return 0;
}

/*
 * Most tokens of news are ASCII letters, in lower case or capitalised:
 * their shape, forms and hashes in one look, as the general path below
 * would make them.  0 when p[0..n) is another kind of token.
 */
static int
plain_word(struct nd_tok *t, const char *p, size_t n)
{
	char lower[32];
	size_t i = 0;

	if (n == 0 || n > sizeof lower)
		return 0;
	if (p[0] >= 'A' && p[0] <= 'Z')
		i = 1;
	while (i < n && p[i] >= 'a' && p[i] <= 'z')
		i++;
	if (i < n)
		return 0;
	t->h_form = t->h_key = nd_hash(p, n);
	if (p[0] > 'Z') {
		t->shape = TOK_SHAPE_LOWER;
		t->h_lower = t->h_form;
		return 1;
	}
	t->shape = TOK_SHAPE_CAP;
	t->cased = 1;
	memcpy(lower, p, n);
	lower[0] = (char)(p[0] + 32);
	t->h_lower = nd_hash(lower, n);
	return 1;
}

/* Append a token of d->text[start..end) and work out its forms. */
static void
add_token(struct nd_doc *d, size_t start, size_t end)
{
	const char *p = d->text + start;
	size_t n = end - start;
	struct nd_tok *t;
	const char *form = p;
	size_t formlen = n;
	enum tok_shape shape;

	if (end > UINT32_MAX)
		msg_fatal("a text of more than 4 GiB");
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 256;
		d->tok = xrealloc(d->tok, d->cap * sizeof *d->tok);
	}
	t = &d->tok[d->n++];
	memset(t, 0, sizeof *t);
	t->start = (uint32_t)start;
	t->end = (uint32_t)end;
	t->sent_first = d->n - 1 == d->sent_start;
	if (plain_word(t, p, n))
		return;
	shape = tok_shape(p, n);
	t->shape = (uint8_t)shape;
	t->cased = shape == TOK_SHAPE_CAP || shape == TOK_SHAPE_UPPER || shape == TOK_SHAPE_MIXED ||
	    (shape == TOK_SHAPE_ALNUM && has_ascii_upper(p, n));
	buf_reset(&d->fold);
	if (!utf8_ascii(p, n)) {
		nd_ascii_form(p, n, &d->fold);
		form = d->fold.data;
		formlen = d->fold.len;
	}
	t->h_form = nd_hash(form, formlen);
	/* ASCII without a capital (figures, punctuation) is its own lower case. */
	if (form == p && (shape == TOK_SHAPE_LOWER || !has_ascii_upper(p, n))) {
		t->h_lower = t->h_form;
	} else {
		/* Into a buffer of its own: form may point into d->fold, which
		 * growing would move. */
		buf_reset(&d->lower);
		nd_lower(form, formlen, &d->lower);
		t->h_lower = nd_hash(d->lower.data, d->lower.len);
	}
	t->h_key = t->h_form;
}

/* Is p[0..n) one of the count words of list? */
static int
in_list(const char *p, size_t n, const char *const *list, size_t count)
{
	size_t k;

	/* The first byte first: this runs for every word before a full stop. */
	for (k = 0; k < count; k++)
		if (n > 0 && list[k][0] == p[0] && strlen(list[k]) == n && memcmp(list[k], p, n) == 0)
			return 1;
	return 0;
}

/* The words title case leaves in lower case: articles, short
 * conjunctions and prepositions, and a possessive's "'s". */
static int
is_minor_word(const char *p, size_t n)
{
	static const char *const minor[] = {
		"a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by",
		"in", "of", "off", "on", "per", "to", "up", "via", "vs", "with", "from", "into", "over",
		"'s", "\xE2\x80\x99s"
	};

	return in_list(p, n, minor, sizeof minor / sizeof minor[0]);
}

/*
 * A headline in title case is shown to the tagger as the same headline in
 * capitals, the form it knows headlines in: its ASCII words take the hash
 * and the shape of their capitals ("Backs" as "BACKS"), and look up the
 * lexicon in title case ("of" as "Of").
 */
static void
title_case_to_capitals(struct nd_doc *d)
{
	size_t i, k;

	for (i = d->sent_start; i < d->n; i++) {
		struct nd_tok *t = &d->tok[i];
		const char *p = d->text + t->start;
		size_t n = t->end - t->start;

		if ((t->shape != TOK_SHAPE_CAP && t->shape != TOK_SHAPE_LOWER) || !utf8_ascii(p, n))
			continue;
		buf_reset(&d->fold);
		for (k = 0; k < n; k++)
			buf_addc(&d->fold, p[k] >= 'a' && p[k] <= 'z' ? p[k] - 32 : p[k]);
		t->h_form = nd_hash(d->fold.data, n);
		t->shape = TOK_SHAPE_UPPER;
		t->cased = 1;
	}
}

static int
is_token(const struct nd_doc *d, const struct nd_tok *t, const char *s)
{
	size_t n = strlen(s);

	return t->end - t->start == n && memcmp(d->text + t->start, s, n) == 0;
}

/* A date as CoNLL's datelines write it: 1996-08-31. */
static int
is_date(const struct nd_doc *d, const struct nd_tok *t)
{
	const char *p = d->text + t->start;

	return t->shape == TOK_SHAPE_DIGITS && t->end - t->start == 10 && p[4] == '-' &&
	    p[7] == '-';
}

/*
 * Where the dateline that opens the sentence being closed ends, or
 * d->sent_start when it has none: a place in capitals, with a region
 * after a comma, before a date, which ends the sentence ("YEREVAN
 * 1996-08-31", "MILWAUKEE , Wisconsin 1996-08-29"), or before a long dash
 * ("OSLO — Police said", "MILLBROOK, Ohio —").  Not before a
 * hyphen: CoNLL's headlines put one after a sport ("SOCCER - ...").
 */
static size_t
dateline_end(const struct nd_doc *d)
{
	size_t i = d->sent_start;

	while (i < d->n && d->tok[i].shape == TOK_SHAPE_UPPER)
		i++;
	if (i == d->sent_start)
		return i;
	if (i + 1 < d->n && is_token(d, &d->tok[i], ",")) {
		size_t region = ++i;

		while (i < d->n && (d->tok[i].shape == TOK_SHAPE_CAP ||
		    d->tok[i].shape == TOK_SHAPE_UPPER))
			i++;
		if (i == region)
			return d->sent_start;
	}
	if (i + 1 == d->n && is_date(d, &d->tok[i]))
		return d->n;
	if (i < d->n && (is_token(d, &d->tok[i], "\u2014") || is_token(d, &d->tok[i], "\u2013")))
		return i;
	return d->sent_start;
}

/*
 * Close the sentence of tokens [d->sent_start, d->n): a sentence whose
 * words are mostly capitals, or all in title case, is a headline, and its
 * words in capitals look up the lexicon in title case; one of two figures
 * or more and at most one lower-case word is a line of scores; the place
 * of a dateline is marked apart.
 */
void
nd_end_sentence(struct nd_doc *d)
{
	size_t i, upper = 0, cap = 0, words = 0, figures = 0, lower = 0;
	int capitals, title_case = 0;
	size_t dateline;

	for (i = d->sent_start; i < d->n; i++) {
		unsigned s = d->tok[i].shape;

		figures += s == TOK_SHAPE_DIGITS;
		lower += s == TOK_SHAPE_LOWER;
		words += s == TOK_SHAPE_LOWER || s == TOK_SHAPE_CAP || s == TOK_SHAPE_UPPER ||
		    s == TOK_SHAPE_MIXED;
		upper += s == TOK_SHAPE_UPPER;
		cap += s == TOK_SHAPE_CAP;
	}
	/* In capitals, or in title case ("Chancellor Defends Borrowing Rules
	 * as Watchdog Warns"): five capitalised words or more, and no word in
	 * lower case but the few that title case leaves so. */
	capitals = upper >= 2 && upper * 10 >= words * 7;
	if (!capitals && cap + upper >= 5) {
		title_case = 1;
		for (i = d->sent_start; i < d->n && title_case; i++)
			title_case = d->tok[i].shape != TOK_SHAPE_LOWER ||
			    is_minor_word(d->text + d->tok[i].start, d->tok[i].end - d->tok[i].start);
	}
	/* A token's line is ND_LINE_PROSE until it is found otherwise. */
	if (figures >= 2 && lower <= 1)
		for (i = d->sent_start; i < d->n; i++)
			d->tok[i].line = ND_LINE_SCORES;
	for (i = d->sent_start, dateline = dateline_end(d); i < dateline; i++)
		d->tok[i].line = ND_LINE_DATELINE;
	if (title_case)
		title_case_to_capitals(d);
	if (capitals || title_case)
		for (i = d->sent_start; i < d->n; i++) {
			struct nd_tok *t = &d->tok[i];
			const char *p = d->text + t->start;
			size_t n = t->end - t->start;

			t->headline = 1;
			if (t->shape != TOK_SHAPE_UPPER || !utf8_ascii(p, n))
				continue;
			buf_reset(&d->fold);
			buf_addc(&d->fold, p[0] >= 'a' && p[0] <= 'z' ? p[0] - 32 : p[0]);
			nd_lower(p + 1, n - 1, &d->fold);
			t->h_key = nd_hash(d->fold.data, d->fold.len);
		}
	d->sent_start = d->n;
}

void
nd_clear(struct nd_doc *d)
{
	d->n = 0;
	d->sent_start = 0;
	buf_reset(&d->own);
	d->text = d->own.data;
	d->len = 0;
}

void
nd_add(struct nd_doc *d, const char *p, size_t n)
{
	size_t start;

	if (d->own.len > 0)
		buf_addc(&d->own, ' ');
	start = d->own.len;
	buf_add(&d->own, p, n);
	d->text = d->own.data;
	d->len = d->own.len;
	add_token(d, start, d->own.len);
}

/* Abbreviations written with a full stop that the CoNLL data keeps in one
 * token with it; single letters ("U.S.", "J.") are handled apart. */
static int
is_abbreviation(const char *p, size_t n)
{
	static const char *const abbr[] = {
		"Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Gen", "Lt", "Col", "Maj", "Capt", "Sgt",
		"Gov", "Sen", "Rep", "Prof", "Rev", "Inc", "Corp", "Co", "Ltd", "Bros", "Mt", "Ft",
		"No", "vs", "Jan", "Feb", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"
	};

	return in_list(p, n, abbr, sizeof abbr / sizeof abbr[0]);
}

static int
is_stop(const char *text, const struct tok *t)
{
	char c = text[t->start];

	return t->end - t->start == 1 && (c == '.' || c == '?' || c == '!');
}

/* An opening quote: typographic, or ASCII touching the word after it. */
static int
is_opening_quote(const char *text, size_t len, const struct tok *t)
{
	const char *p = text + t->start;
	size_t n = t->end - t->start;

	if (n == 3)
		return memcmp(p, "\u201c", 3) == 0 || memcmp(p, "\u2018", 3) == 0;
	return n == 1 && (*p == '"' || *p == '\'') && t->end < len && text[t->end] != ' ' &&
	    text[t->end] != '\n';
}

static int
is_quote(const char *text, const struct tok *t)
{
	const char *p = text + t->start;
	size_t n = t->end - t->start;

	return (n == 1 && (*p == '"' || *p == '\'')) ||
	    (n == 3 && (memcmp(p, "\u201d", 3) == 0 || memcmp(p, "\u2019", 3) == 0 ||
	    memcmp(p, "\u201c", 3) == 0));
}

/*
 * Where an abbreviation starting with word t ends, its full stops
 * included, or t->end when t does not start one: "U.S." and "J." (letters
 * each followed by a touching full stop), "Mr.".
 */
static size_t
abbreviation_end(const char *text, size_t len, const struct tok *t, const struct tok_iter *it)
{
	struct tok_iter look = *it;
	struct tok w = *t, dot;
	size_t end = t->end;

	if (t->kind != TOK_WORD)
		return end;
	if (w.end - w.start > 1)
		return w.end < len && text[w.end] == '.' && is_abbreviation(text + w.start, w.end - w.start) ?
		    w.end + 1 : end;
	for (;;) {
		if (w.kind != TOK_WORD || w.end - w.start != 1 || (w.start != end && w.start != t->start))
			return end;
		if (!tok_next(&look, &dot) || dot.start != w.end || text[dot.start] != '.' ||
		    dot.end != dot.start + 1)
			return end;
		end = dot.end;
		if (!tok_next(&look, &w))
			return end;
	}
}

/*
 * Where t and the tokens of kind next_kind joined to it by touching
 * joiner characters end, as CoNLL's columns have them: numbers joined by
 * hyphens, so that a date (1996-08-30) or a result (3-1) reads as one
 * figure, as in training; words joined by '&' ("AT&T", "S&P"), where the
 * letter after it would otherwise pass for an initial ("AT&T." ending a
 * sentence); and a word joined by a hyphen or a plus to a number
 * ("CAC-40", "AK-47", "Tel+44"), which the tokeniser cuts and CoNLL
 * writes whole: cut, the index's "CAC" passed for an org, and so did a
 * contact line's "Newsroom Tel".
 */
static inline size_t
joined_end(const char *text, size_t len, const struct tok *t, const struct tok_iter *it,
    char joiner, enum tok_kind next_kind)
{
	struct tok_iter look;
	struct tok mid, next;
	size_t end = t->end;

	/* Most tokens have no joiner after them: no look ahead for those. */
	if (end >= len || text[end] != joiner)
		return end;
	look = *it;
	while (end < len && text[end] == joiner && tok_next(&look, &mid) && mid.start == end &&
	    mid.end == end + 1 && tok_next(&look, &next) && next.start == mid.end &&
	    next.kind == next_kind)
		end = next.end;
	return end;
}

static int
is_apostrophe(const char *text, const struct tok *t)
{
	size_t n = t->end - t->start;

	return t->kind != TOK_WORD && ((n == 1 && text[t->start] == '\'') ||
	    (n == 3 && memcmp(text + t->start, "\u2019", 3) == 0));
}

/*
 * Where a possessive starting with apostrophe t ends: text written with a
 * space before it ("Queen 's Park", as CoNLL's columns print it) gives
 * the tokeniser an apostrophe and an "s", which the tagger knows as the
 * one token "'s".
 */
static size_t
possessive_end(const char *text, size_t len, const struct tok *t, const struct tok_iter *it)
{
	struct tok_iter look = *it;
	struct tok s, after;

	if (!is_apostrophe(text, t) || !tok_next(&look, &s) || s.start != t->end ||
	    s.end != s.start + 1 || (text[s.start] != 's' && text[s.start] != 'S'))
		return t->end;
	/* but a letter in quotes ('s') is no possessive */
	if (s.end < len && tok_next(&look, &after) && after.start == s.end &&
	    is_apostrophe(text, &after))
		return t->end;
	return s.end;
}

/* Is there a line break in p[0..n)?  Mostly one space between words, too
 * short to be worth memchr's call. */
static int
has_newline(const char *p, size_t n)
{
	size_t i;

	if (n > 16)
		return memchr(p, '\n', n) != NULL;
	for (i = 0; i < n; i++)
		if (p[i] == '\n')
			return 1;
	return 0;
}

void
nd_text(struct nd_doc *d, const char *text, size_t len)
{
	struct tok_iter it;
	struct tok t, prev = { 0, 0, TOK_PUNCT }, before = prev;
	size_t last_end = 0;
	int have_prev = 0;

	d->n = 0;
	d->sent_start = 0;
	d->text = text;
	d->len = len;
	tok_init(&it, text, len, 0);
	while (tok_next(&it, &t)) {
		size_t end;

		if (have_prev && (has_newline(text + last_end, t.start - last_end) ||
		    ((is_stop(text, &prev) || (is_quote(text, &prev) &&
		    !is_opening_quote(text, len, &prev) && is_stop(text, &before))) &&
		    (tok_shape(text + t.start, t.end - t.start) == TOK_SHAPE_CAP ||
		    tok_shape(text + t.start, t.end - t.start) == TOK_SHAPE_UPPER ||
		    t.kind == TOK_NUMBER || is_opening_quote(text, len, &t)))))
			nd_end_sentence(d);
		end = t.kind == TOK_NUMBER ? joined_end(text, len, &t, &it, '-', TOK_NUMBER) :
		    t.kind != TOK_WORD ? possessive_end(text, len, &t, &it) :
		    (end = joined_end(text, len, &t, &it, '&', TOK_WORD)) > t.end ? end :
		    (end = joined_end(text, len, &t, &it, '-', TOK_NUMBER)) > t.end ? end :
		    (end = joined_end(text, len, &t, &it, '+', TOK_NUMBER)) > t.end ? end :
		    abbreviation_end(text, len, &t, &it);
		if (end > t.end) {
			size_t start = t.start;

			add_token(d, start, end);
			while (t.end < end)
				tok_next(&it, &t);
			t.start = start;	/* one token, not a full stop */
		} else if (t.kind == TOK_WORD && tok_possessive(text, &t) < t.end) {
			size_t apos = tok_possessive(text, &t);

			add_token(d, t.start, apos);
			add_token(d, apos, t.end);
		} else {
			add_token(d, t.start, t.end);
		}
		before = prev;
		prev = t;
		last_end = t.end;
		have_prev = 1;
	}
	nd_end_sentence(d);
}
