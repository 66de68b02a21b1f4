#include "compat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "dedupe.h"
#include "fprint.h"
#include "hmap.h"
#include "json.h"
#include "msg.h"
#include "uni.h"
#include "utf8.h"

/* Keys of the count table other than lines: the records of a site, and
 * the identities of records already counted. */
#define SITE_DOCS UINT64_C(0x5349544520444f43)
#define SEEN_ID UINT64_C(0x5345454e20494420)

/* Within-record repetition. */
#define REPEAT_MIN_WORDS 4	/* an exact copy of a line this long goes */
#define SETTLE_ROUNDS 3	/* judgments of a record, the first and those of what it keeps */
#define LABEL_MIN_TIMES 3	/* a shorter line said this often goes */
#define LABEL_MAX_WORDS 4	/* a label above the article is this short */
#define HEADING_MIN_TIMES 3	/* a line said this often, each time before a
				 * body paragraph, is a heading */
#define SAID_ALONE 0x80000000u	/* judge_exact: a copy not before a paragraph */
#define BLOCK_MAX_WORDS 15	/* a headline in a list of links, at most */
#define NEAR_MIN_WORDS 8	/* near copies: lines of at least this many words */
#define NEAR_JACCARD 0.8	/* share of 3-word shingles in common */
#define SKETCH 3		/* smallest shingle hashes compared per line */
#define NEAR_MAX_TRIES 16	/* earlier lines with one of them checked, at most */
#define QUOTE_MIN_WORDS 5	/* a pull quote has this many content words, or is a
				 * quotation or a sentence of at least 3 */
#define QUOTE_MAX_WORDS 40
#define QUOTE_MAX_NUMBERS 2	/* a line of results or figures is no quote */
#define VERBATIM_MIN_WORDS 6	/* a line this long said word for word goes */
#define GLUED_MIN_PARTS 3	/* a line holding this many others word for word is
				 * the article glued into one line */
#define QUOTE_CONTAINED 0.75	/* share of them in one longer paragraph */
#define QUOTE_IN_ORDER 0.6	/* share of their bigrams in it too */
#define PARAGRAPH_WORDS 12	/* a body paragraph has at least this many words */
#define POSTING_MAX 64		/* a content word in more paragraphs says nothing */
#define FILTER_WORDS 8		/* a paragraph's words in 512 bits, for pull quotes */
/* A site-repeated line stays when it reads as a heading between body
 * paragraphs and fewer than this share of the site's records hold it. */
#define HEADING_MAX_SHARE 0.5
#define HEADING_MAX_WORDS 8
#define HEADLINE_MIN_WORDS 3	/* the title's words a headline says, at least */
#define MENU_MIN_LINES 3	/* a menu outside the article has this many items */
#define LABEL_FAR_LINES 6	/* kept lines above the body left to the article's head */
#define MENU_SPLIT_LINES 8	/* a run of furniture this long ... */
#define SIDE_BODY_MAX 2		/* ... parts an article from this many paragraphs */
#define MENU_MAX_WORDS 4	/* an item is this short */
#define MENU_MAX_BYTES 40	/* (a line of CJK text is one word) */
#define HEADLINE_LIST_LINES 5	/* a list of headlines above the article has this many */
#define HEADLINE_LIST_WORDS 3	/* and each this many words */
#define LIST_ITEM_WORDS 3	/* a bulleted line this long is an article's list item */
#define TAIL_BODY_MIN 3	/* an end marker below this many body paragraphs ends it */
#define TAIL_LEADS 2		/* past this many lone paragraphs below it, it never resumes */

static const char *const why_names[DD_NWHY] = {
	"keep", "site", "repeat", "pull-quote", "label", "menu", "rule", "cut", "classifier",
	"tail"
};

/* Common English function words: a pull quote shares the article's
 * content words, not these. */
static const char *const stop_words[] = {
	"a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be",
	"because", "been", "before", "being", "but", "by", "can", "could", "did", "do",
	"does", "for", "from", "had", "has", "have", "he", "her", "here", "his", "how",
	"i", "if", "in", "into", "is", "it", "its", "just", "more", "most", "my", "no",
	"not", "now", "of", "on", "one", "only", "or", "other", "our", "out", "over",
	"said", "says", "she", "so", "some", "such", "than", "that", "the", "their",
	"them", "then", "there", "these", "they", "this", "those", "to", "up", "us",
	"was", "we", "were", "what", "when", "which", "while", "who", "will", "with",
	"would", "you", "your"
};
#define NSTOP (sizeof stop_words / sizeof stop_words[0])
#define STOP_BITS 10	/* stop_slot's table: 1024 slots, 8 KiB */
_Static_assert(NSTOP < 256, "fill_stop numbers the stop words in a byte");

struct dd {
	struct dd_opts o;
	struct ct *t;
	struct rl *rules;
	struct cl *cl;		/* the line model, NULL for none */
	enum dd_scope cl_scope;	/* the lines it judges */
	uint64_t counts[DD_NWHY];
	/* The stop words' hashes, each in its own slot (stop_slot): a word
	 * is one when its slot holds it. */
	uint64_t stop[1u << STOP_BITS];
	uint64_t stop_mul;
	struct fp_line fl;	/* the line being parsed */
	struct hmap m1, m2;	/* scratch maps, reused record after record */
	uint64_t *tmp;		/* scratch hashes */
	size_t ntmp, tmpcap;

	/* The record's body paragraphs by word, for pull quotes in a record
	 * of more than POSTING_MAX paragraphs: word -> slot (in the map),
	 * slot -> paragraphs post[off[slot]..off[slot+1]). */
	struct hmap words;
	uint32_t *off, *last, *post, *tally, *touched;
	size_t slotcap, postcap, linecap;

	/* The record's body paragraphs as pull quotes are sought,
	 * para[0..npara), in a record of few of them the longest first,
	 * with a filter of each one's words (a bit of each word's hash) in
	 * filter[k] for para[k]; the distinct content words of a line in
	 * order, cw. */
	uint32_t *para;
	uint64_t (*filter)[FILTER_WORDS];
	uint64_t *cw;
	size_t npara, paracap, cwcap;

	/* The lines said word for word in a paragraph, as pull quotes are
	 * sought: the paragraph's line << 32 | the line's. */
	uint64_t *verbatim;
	size_t nverbatim, verbatimcap;

	/* Near copies: the earlier line sharing a sketch hash, per line
	 * and hash (judge_near). */
	uint32_t *chain;
	size_t chaincap;

	/* The lines a record keeps, judged again (settle): their text as
	 * dd_rebuild writes it, and the line of the record each one is,
	 * from[]. */
	struct dd_doc kept;
	struct buf kept_text;
	size_t *from;
	size_t fromcap;
};

const char *
dd_why_name(enum dd_why why)
{
	return why_names[why];
}

void
dd_opts_init(struct dd_opts *o)
{
	o->site = o->repeats = o->menus = o->tail = o->count = 1;
	o->min_docs = 3;
}

/* The slot of hash w in the stop words' table, multiplied by mul. */
static size_t
stop_slot(uint64_t mul, uint64_t w)
{
	return (size_t)((w * mul) >> (64 - STOP_BITS));
}

/*
 * Fill d's table of stop words: a multiplier that gives each its own slot
 * is sought (about one in fifty does, for ninety words in 1024 slots; the
 * search is the same each run), and a slot no stop word takes holds the
 * first one's hash, which belongs to another slot, so that no word finds
 * itself there.
 */
static void
fill_stop(struct dd *d)
{
	uint64_t w[NSTOP];
	uint8_t owner[1u << STOP_BITS];	/* 1 + the word in each slot, or 0 */
	size_t i, s;

	for (i = 0; i < NSTOP; i++)
		w[i] = fp_word(stop_words[i], strlen(stop_words[i]));
	for (d->stop_mul = FP_MUL;; d->stop_mul += 2) {
		memset(owner, 0, sizeof owner);
		for (i = 0; i < NSTOP; i++) {
			s = stop_slot(d->stop_mul, w[i]);
			if (owner[s] != 0 && w[owner[s] - 1] != w[i])
				break;
			owner[s] = (uint8_t)(i + 1);
		}
		if (i == NSTOP)
			break;
	}
	for (s = 0; s < (1u << STOP_BITS); s++)
		d->stop[s] = w[0];
	for (i = 0; i < NSTOP; i++)
		d->stop[stop_slot(d->stop_mul, w[i])] = w[i];
}

struct dd *
dd_new(const struct dd_opts *o, struct ct *t, struct rl *r)
{
	struct dd *d = xcalloc(1, sizeof *d);

	d->o = *o;
	d->t = t;
	d->rules = r;
	fill_stop(d);
	return d;
}

void
dd_set_classifier(struct dd *d, struct cl *c, enum dd_scope scope)
{
	d->cl = c;
	d->cl_scope = scope;
}

void
dd_free(struct dd *d)
{
	if (d == NULL)
		return;
	hm_release(&d->m1);
	hm_release(&d->m2);
	hm_release(&d->words);
	free(d->off);
	free(d->last);
	free(d->post);
	free(d->tally);
	free(d->touched);
	free(d->para);
	free(d->filter);
	free(d->cw);
	free(d->verbatim);
	free(d->chain);
	dd_doc_release(&d->kept);
	buf_release(&d->kept_text);
	free(d->from);
	fp_line_release(&d->fl);
	free(d->tmp);
	free(d);
}

void
dd_doc_release(struct dd_doc *doc)
{
	free(doc->line);
	free(doc->word);
	memset(doc, 0, sizeof *doc);
}

const uint64_t *
dd_counts(const struct dd *d)
{
	return d->counts;
}

/* Is w a stop word?  One load and one comparison, no probing: half the
 * words of a text are stop words, and a branch on each probe would be
 * mispredicted as often as not. */
static int
is_stop(const struct dd *d, uint64_t w)
{
	return d->stop[stop_slot(d->stop_mul, w)] == w;
}

/* ---- parsing ---- */

static struct dd_line *
new_line(struct dd_doc *doc)
{
	if (doc->nlines == doc->cap) {
		doc->cap = doc->cap ? 2 * doc->cap : 64;
		doc->line = xrealloc(doc->line, doc->cap * sizeof *doc->line);
	}
	memset(&doc->line[doc->nlines], 0, sizeof doc->line[0]);
	return &doc->line[doc->nlines++];
}

/* Append line l's n words w[] to doc's words. */
static void
add_words(struct dd_doc *doc, struct dd_line *l, const uint64_t *w, size_t n)
{
	l->first_word = (uint32_t)doc->nwords;
	l->words = (uint32_t)n;
	if (doc->nwords + n > doc->wcap) {
		while (doc->nwords + n > doc->wcap)
			doc->wcap = doc->wcap ? 2 * doc->wcap : 256;
		doc->word = xrealloc(doc->word, doc->wcap * sizeof *doc->word);
	}
	if (n > 0)
		memcpy(doc->word + doc->nwords, w, n * sizeof *doc->word);
	doc->nwords += n;
}

/* Does p[0..n) end in a count in brackets, "Elections (27)"? */
static int
ends_in_count(const char *p, size_t n)
{
	size_t i;

	if (n < 3 || p[n - 1] != ')')
		return 0;
	for (i = n - 1; i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9'; i--)
		;
	return i > 0 && i < n - 1 && p[i - 1] == '(';
}

/* Does p[0..n) open with a list's bullet or dash ("+ Added rabbits",
 * "• Item", "– item")?  An ASCII one has a space after it: "-14.43" is a
 * figure. */
static int
opens_with_bullet(const char *p, size_t n)
{
	uint32_t c;

	if (n == 0)
		return 0;
	if ((unsigned char)p[0] < 0x80)
		return n > 1 && p[0] != '\0' && strchr("+-*>", p[0]) != NULL &&
		    (p[1] == ' ' || p[1] == '\t');
	if (utf8_decode((const unsigned char *)p, n, &c) <= 0)
		return 0;
	/* A dash, a bullet, a geometric shape or an arrow. */
	return c == 0x00B7 || (c >= 0x2010 && c <= 0x2015) || (c >= 0x2022 && c <= 0x2027) ||
	    c == 0x2043 || (c >= 0x2190 && c <= 0x21FF) || (c >= 0x25A0 && c <= 0x25FF) ||
	    (c >= 0x2794 && c <= 0x27BF);
}

/* What the ends of l, the text p[0..n), say: asked once, when the line
 * is read, while the text is in the cache. */
static void
read_ends(struct dd_line *l, const char *p, size_t n)
{
	l->last = n > 0 ? (unsigned char)p[n - 1] : 0;
	l->stop = (unsigned char)dd_sentence_end(p, n);
	l->counted = (unsigned char)ends_in_count(p, n);
	l->bullet = (unsigned char)opens_with_bullet(p, n);
}

void
dd_parse(struct dd *d, struct dd_doc *doc, const char *text, size_t n, uint64_t site,
    uint64_t id)
{
	size_t pos = 0;

	doc->nlines = doc->nwords = 0;
	doc->site = site;
	doc->id = id;
	for (;;) {
		const char *nl = memchr(text + pos, '\n', n - pos);
		size_t end = nl ? (size_t)(nl - text) : n;
		struct dd_line *l = new_line(doc);

		l->start = pos;
		l->end = end;
		read_ends(l, text + pos, end - pos);
		fp_line(text + pos, end - pos, &d->fl);
		l->fp = d->fl.fp;
		l->figures = d->fl.figures;
		l->numbers = d->fl.numbers;
		add_words(doc, l, d->fl.word, d->fl.nwords);
		if (nl == NULL)
			break;
		pos = end + 1;
	}
}

/* ---- site repetition ---- */

/* Room for n scratch hashes in all. */
static void
tmp_reserve(struct dd *d, size_t n)
{
	if (n <= d->tmpcap)
		return;
	if (d->tmpcap == 0)
		d->tmpcap = 256;
	while (d->tmpcap < n)
		d->tmpcap *= 2;
	d->tmp = xrealloc(d->tmp, d->tmpcap * sizeof *d->tmp);
}

static void
tmp_push(struct dd *d, uint64_t v)
{
	if (d->ntmp == d->tmpcap)
		tmp_reserve(d, d->ntmp + 1);
	d->tmp[d->ntmp++] = v;
}

/* Is line l counted in the site table?  A line of figures alone (a
 * table cell, a year) is the same line everywhere once digits fold: not
 * furniture for that. */
static int
counted(const struct dd_line *l)
{
	return l->fp != FP_EMPTY && l->numbers < l->words;
}

/*
 * The table is far larger than the cache and a record's lines fall all
 * over it: their keys are found first, each slot asked of the cache
 * (ct_prefetch) at once, so that the misses overlap, and only then are
 * the counts read or added.
 */
void
dd_count(struct dd *d, const struct dd_doc *doc)
{
	uint64_t seen_key = fp_key(doc->id, SEEN_ID), docs_key = fp_key(doc->site, SITE_DOCS);
	uint32_t tag;
	size_t i;

	if (!d->o.site || !d->o.count)
		return;
	ct_prefetch(d->t, seen_key);
	ct_prefetch(d->t, docs_key);
	hm_clear(&d->m1, doc->nlines);
	tmp_reserve(d, doc->nlines);
	d->ntmp = 0;
	for (i = 0; i < doc->nlines; i++) {
		uint32_t *seen;

		if (!counted(&doc->line[i]) || *(seen = hm_get(&d->m1, doc->line[i].fp)))
			continue;
		*seen = 1;
		d->tmp[d->ntmp] = fp_key(doc->site, doc->line[i].fp);
		ct_prefetch(d->t, d->tmp[d->ntmp++]);
	}
	if (!ct_see(d->t, seen_key, docs_key))
		return;	/* counted in an earlier run or earlier in this one */
	tag = ct_tag(doc->id);
	for (i = 0; i < d->ntmp; i++)
		ct_add(d->t, d->tmp[i], tag);
}

/* Is c a blank, a closing quote or a closing bracket of ASCII? */
static int
closes_ascii(char c)
{
	return c == ' ' || c == '\t' || c == '"' || c == '\'' || c == ')' || c == ']';
}

/* The length of p[0..n) without the blanks, closing quotes and brackets
 * at its end.  Most lines end in ASCII that is none of them, which ends
 * the search at once. */
static size_t
text_end(const char *p, size_t n)
{
	static const struct {
		char s[4];
		size_t len;
	} closers[] = { { "\xE2\x80\x9D", 3 }, { "\xE2\x80\x99", 3 }, { "\xC2\xBB", 2 } };
	size_t k;

	for (;;) {
		while (n > 0 && closes_ascii(p[n - 1]))
			n--;
		if (n == 0 || (unsigned char)p[n - 1] < 0x80)
			return n;
		for (k = 0; k < 3; k++)
			if (n >= closers[k].len &&
			    memcmp(p + n - closers[k].len, closers[k].s, closers[k].len) == 0)
				break;
		if (k == 3)
			return n;
		n -= closers[k].len;
	}
}

int
dd_sentence_end(const char *p, size_t n)
{
	char last;

	n = text_end(p, n);
	if (n >= 3 && memcmp(p + n - 3, "\xE2\x80\xA6", 3) == 0)
		return '.';
	last = n > 0 ? p[n - 1] : 0;
	return last == '.' || last == '!' || last == '?' || last == ':' ? last : 0;
}

int
dd_blank(const char *p, size_t n)
{
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return n == 0;
}

/* Does the line end like a sentence: . ! ? : or an ellipsis? */
static int
ends_sentence(const struct dd_line *l)
{
	return l->stop != 0;
}

static size_t first_paragraph(const struct dd_doc *doc);
static int starts_quote(const char *p, size_t n);

/* Judge l furniture for why, unless a keep rule protects it or another
 * detector took it first. */
static void
mark(struct dd_line *l, enum dd_why why)
{
	if (!l->keep && l->why == DD_KEEP)
		l->why = why;
}

static int
is_paragraph(const struct dd_line *l)
{
	return l->why == DD_KEEP && l->words >= PARAGRAPH_WORDS;
}

/* Is l a line of the article's body: long and ending like a sentence? */
static int
is_body(const struct dd_line *l)
{
	return is_paragraph(l) && ends_sentence(l);
}

/* The first line of doc's body, or nlines: a page's title with the
 * site's name after it is as long as a paragraph, but no sentence. */
static size_t
first_body(const struct dd_doc *doc)
{
	size_t i;

	for (i = 0; i < doc->nlines && !is_body(&doc->line[i]); i++)
		;
	return i;
}

static void
judge_site(struct dd *d, struct dd_doc *doc, int again)
{
	size_t i, body = first_paragraph(doc);

	/* Judged again, the lines have their counts, and those that stayed
	 * were not the site's, or were kept from it (a headline, a heading):
	 * a second run, which counts what the first one kept, counts no more.
	 * The keys first, as in dd_count. */
	if (!again) {
		tmp_reserve(d, doc->nlines);
		for (i = 0; i < doc->nlines; i++)
			if (counted(&doc->line[i])) {
				d->tmp[i] = fp_key(doc->site, doc->line[i].fp);
				ct_prefetch(d->t, d->tmp[i]);
			}
		for (i = 0; i < doc->nlines; i++) {
			struct dd_line *l = &doc->line[i];

			if (!counted(l))
				continue;
			l->site_count = ct_get(d->t, d->tmp[i]);
			if (l->site_count >= d->o.min_docs)
				mark(l, DD_SITE);
		}
	}
	/* Above the article, a short label another record of the site has
	 * too (a section name, "Long read") is the page's, not the story's:
	 * titles and bylines are not shared, and keep rules guard the rest. */
	for (i = 0; i < body; i++) {
		struct dd_line *l = &doc->line[i];

		if (l->fp != FP_EMPTY && l->words <= LABEL_MAX_WORDS && l->numbers < l->words &&
		    l->site_count >= 2)
			mark(l, DD_SITE);
	}
}

/* The nearest line before (step -1) or after (+1) line i that is neither
 * blank nor judged furniture; i itself when there is none. */
static size_t
kept_neighbour(const struct dd_doc *doc, size_t i, int step)
{
	size_t j = i;

	while ((step < 0 && j > 0) || (step > 0 && j + 1 < doc->nlines)) {
		j += (size_t)step;
		if (doc->line[j].fp != FP_EMPTY && doc->line[j].why == DD_KEEP)
			return j;
	}
	return i;
}

/*
 * The article's headline, above its first body paragraph, stays though
 * other pages of the site list it (a blog's recent posts, a "Most read"
 * box), or a rule took it with the list of links it follows: it is the
 * page's title, the record's first line, said again, or
 * the title's first or last words when the title adds the site's name
 * ("Headline - Site", "Site - Headline").  Of several such lines, the one
 * nearest the body is the headline, and it is marked so that the line
 * model, which sees a short line among menus, leaves it too;
 * HEADLINE_MIN_WORDS keep a site's short label that opens its titles
 * from passing for one.
 */
static void
protect_headline(struct dd_doc *doc)
{
	size_t i, title, body = first_body(doc);
	const uint64_t *tw;

	for (title = 0; title < body && doc->line[title].fp == FP_EMPTY; title++)
		;
	if (title >= body)
		return;
	tw = dd_words(doc, &doc->line[title]);
	for (i = body - 1; i > title; i--) {
		struct dd_line *l = &doc->line[i];
		const uint64_t *w = dd_words(doc, l);
		size_t n = l->words, tn = doc->line[title].words;

		if ((l->why == DD_SITE || l->why == DD_KEEP || (l->why == DD_RULE && l->listed)) &&
		    n >= HEADLINE_MIN_WORDS && n <= tn &&
		    (memcmp(w, tw, n * sizeof *w) == 0 ||
		    memcmp(w, tw + tn - n, n * sizeof *w) == 0)) {
			l->why = DD_KEEP;
			l->headline = 1;
			return;
		}
	}
}

/* A heading the site uses in some of its articles ("Conclusion") stays
 * where it stands inside the body, before a paragraph, once the furniture
 * around it (an advertisement, a pull quote) is out of the way. */
static void
protect_headings(struct dd *d, struct dd_doc *doc, const char *text)
{
	uint32_t docs = ct_get(d->t, fp_key(doc->site, SITE_DOCS));
	size_t i, next;

	for (i = first_paragraph(doc) + 1; i < doc->nlines; i++) {
		struct dd_line *l = &doc->line[i];

		if (l->why != DD_SITE || l->words > HEADING_MAX_WORDS ||
		    l->site_count >= HEADING_MAX_SHARE * docs ||
		    ends_sentence(l) ||
		    starts_quote(text + l->start, l->end - l->start))
			continue;
		next = kept_neighbour(doc, i, 1);
		if (next != i && is_paragraph(&doc->line[next]))
			l->why = DD_KEEP;
	}
}

/* ---- within-record repetition ---- */

/* What makes two lines copies of each other within a record: the same
 * words and the same figures ("voted 24 to 15" is no copy of "voted 19
 * to 5", though the site's fingerprint folds them together). */
static uint64_t
copy_key(const struct dd_line *l)
{
	return fp_key(l->fp, l->figures);
}

/* The first body paragraph of doc, or nlines. */
static size_t
first_paragraph(const struct dd_doc *doc)
{
	size_t i;

	for (i = 0; i < doc->nlines && !is_paragraph(&doc->line[i]); i++)
		;
	return i;
}

/* The next line after i that is not blank, or nlines. */
static size_t
next_nonblank(const struct dd_doc *doc, size_t i)
{
	for (i++; i < doc->nlines && doc->line[i].fp == FP_EMPTY; i++)
		;
	return i;
}

/* Is the next line after i that is not blank a body paragraph? */
static int
before_paragraph(const struct dd_doc *doc, size_t i)
{
	i = next_nonblank(doc, i);
	return i < doc->nlines && is_paragraph(&doc->line[i]);
}

/* Is line i above the article's body (first_body)?  Of a headline said
 * again there (the page's title, then the article's own), the copy
 * nearest the body stays. */
static int
headline_above(size_t i, size_t body)
{
	return i < body;
}

/*
 * Exact copies: of a long line said more than once, one copy stays: the
 * first, but for a headline said again above the article (the page's
 * title, then the article's own), the copy nearest the body.  A line
 * shorter than a paragraph, or a question, said HEADING_MIN_TIMES times or
 * more, each time before a body paragraph, is no copy but a heading said
 * again (an interview's question to each guest, a plan's step under each
 * day): every copy stays.  A short label said LABEL_MIN_TIMES times or
 * more goes everywhere (a page of several articles repeats "Posted",
 * "Updated", a section name); a short sentence ("No answer.") and a
 * figure (a table cell) are not labels.
 */
static void
judge_exact(struct dd *d, struct dd_doc *doc)
{
	size_t i, body = first_body(doc);

	hm_clear(&d->m1, doc->nlines);
	hm_clear(&d->m2, doc->nlines);
	for (i = 0; i < doc->nlines; i++) {
		const struct dd_line *l = &doc->line[i];
		uint32_t *said, *stays;

		if (l->fp == FP_EMPTY)
			continue;
		said = hm_get(&d->m1, l->fp);
		++*said;
		if (!before_paragraph(doc, i))
			*said |= SAID_ALONE;
		stays = hm_get(&d->m2, copy_key(l));
		if (*stays == 0 || headline_above(i, body))
			*stays = (uint32_t)i + 1;
	}
	for (i = 0; i < doc->nlines; i++) {
		struct dd_line *l = &doc->line[i];
		uint32_t said;
		int heading;

		if (l->fp == FP_EMPTY || l->why != DD_KEEP)
			continue;
		said = *hm_find(&d->m1, l->fp);
		heading = (l->words < PARAGRAPH_WORDS || l->last == '?') &&
		    !(said & SAID_ALONE) && said >= HEADING_MIN_TIMES;
		l->heading = (unsigned char)heading;
		if (l->words >= REPEAT_MIN_WORDS && *hm_find(&d->m2, copy_key(l)) != i + 1 && !heading)
			mark(l, DD_REPEAT);
		else if (l->words < REPEAT_MIN_WORDS && l->numbers < l->words &&
		    (said & ~SAID_ALONE) >= LABEL_MIN_TIMES &&
		    !ends_sentence(l))
			mark(l, DD_LABEL);
	}
}

/* The shingle of the three words at w. */
static inline uint64_t
shingle(const uint64_t *w)
{
	return fp_key(fp_key(w[0], w[1]), w[2]);
}

#if defined(__x86_64__) && defined(__GNUC__)
/*
 * Eight shingles at a time, in vectors: a near-copy search hashes nearly
 * every word of a record's paragraphs, two fp_key each.  GCC makes a
 * copy of shingles8 for each kind of processor named (AVX-512 multiplies
 * 64-bit lanes, AVX2 32 bits at a time) and the loader picks one.  The
 * values are shingle's, bit for bit.
 */
typedef uint64_t v8u64 __attribute__((vector_size(64)));

/* *a becomes fp_key(*a, b), lane by lane (through pointers: a vector
 * argument's ABI differs between the copies). */
static inline void
key8(v8u64 *a, const v8u64 *b)
{
	v8u64 k = *b ^ (*a * FP_MUL);

	k = (k ^ (k >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	k = (k ^ (k >> 27)) * UINT64_C(0x94D049BB133111EB);
	k ^= k >> 31;
	/* 0 becomes 1: a true comparison is all ones, -1. */
	*a = k - (v8u64)(k == 0);
}

/* The shingles of w[0..n + 2) into out[0..n), n a multiple of eight. */
__attribute__((target_clones("default", "avx2", "arch=x86-64-v4")))
static void
shingles8(const uint64_t *w, size_t n, uint64_t *out)
{
	size_t i;
	v8u64 a, b, c;

	for (i = 0; i < n; i += 8) {
		memcpy(&a, w + i, sizeof a);
		memcpy(&b, w + i + 1, sizeof b);
		memcpy(&c, w + i + 2, sizeof c);
		key8(&a, &b);
		key8(&a, &c);
		memcpy(out + i, &a, sizeof a);
	}
}
#endif

/* The 3-word shingles of line l, in d->tmp (not sorted). */
static void
shingles(struct dd *d, const struct dd_doc *doc, const struct dd_line *l)
{
	const uint64_t *w = dd_words(doc, l);
	size_t i = 0, n;

	d->ntmp = 0;
	if (l->words < 3)
		return;
	n = l->words - 2;
	tmp_reserve(d, n);
#if defined(__x86_64__) && defined(__GNUC__)
	shingles8(w, n & ~(size_t)7, d->tmp);
	i = n & ~(size_t)7;
#endif
	for (; i < n; i++)
		d->tmp[i] = shingle(w + i);
	d->ntmp = n;
}

/* Jaccard similarity of the shingle sets of lines a and b. */
static double
jaccard(struct dd *d, const struct dd_doc *doc, const struct dd_line *a, const struct dd_line *b)
{
	size_t i, na = 0, nb = 0, common = 0;

	shingles(d, doc, a);
	hm_clear(&d->m2, d->ntmp + b->words);
	for (i = 0; i < d->ntmp; i++) {
		uint32_t *v = hm_get(&d->m2, d->tmp[i]);

		na += *v == 0;
		*v = 1;
	}
	/* 1: a's alone; 2: b's alone; 3: both, counted. */
	shingles(d, doc, b);
	for (i = 0; i < d->ntmp; i++) {
		uint32_t *v = hm_get(&d->m2, d->tmp[i]);

		if (*v == 1) {
			common++;
			nb++;
			*v = 3;
		} else if (*v == 0) {
			nb++;
			*v = 2;
		}
	}
	return na + nb > common ? (double)common / (double)(na + nb - common) : 0.0;
}

/*
 * The least of the shingles v[0..n) above floor into *least; 0 when none
 * is.  Shingles are never 0, so floor 0 asks for the least of all.  A
 * pass over them all in vectors, where a test of each against the least
 * so far would go the other way at a different shingle each line.
 */
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target_clones("default", "avx2", "arch=x86-64-v4")))
#endif
static int
least_above(const uint64_t *v, size_t n, uint64_t floor, uint64_t *least)
{
	uint64_t best = UINT64_MAX;
	size_t i = 0;
	int found = 0;
#if defined(__x86_64__) && defined(__GNUC__)
	v8u64 x, lane = ~(v8u64){ 0 }, held = { 0 };
	const v8u64 above = (v8u64){ 0 } + floor;
	size_t k;

	for (; i + 8 <= n; i += 8) {
		v8u64 take;

		memcpy(&x, v + i, sizeof x);
		/* A true comparison is all ones. */
		take = (v8u64)(x > above) & (v8u64)(x < lane);
		lane = (x & take) | (lane & ~take);
		held |= (v8u64)(x > above);
	}
	for (k = 0; k < 8; k++) {
		found |= held[k] != 0;
		best = lane[k] < best ? lane[k] : best;
	}
#endif
	for (; i < n; i++)
		if (v[i] > floor) {
			found = 1;
			best = v[i] < best ? v[i] : best;
		}
	*least = best;
	return found;
}

/* The SKETCH smallest distinct shingles of line l, in out, smallest
 * first; returns how many. */
static size_t
sketch(struct dd *d, const struct dd_doc *doc, const struct dd_line *l, uint64_t out[SKETCH])
{
	size_t n;

	shingles(d, doc, l);
	for (n = 0; n < SKETCH && least_above(d->tmp, d->ntmp, n ? out[n - 1] : 0, &out[n]); n++)
		;
	return n;
}

/* May line l be a near copy: long enough, not judged yet, and no heading
 * said again? */
static int
near_candidate(const struct dd_line *l)
{
	return l->why == DD_KEEP && l->words >= NEAR_MIN_WORDS && !l->heading;
}

/* The last of doc's candidates for near copies with the figures of an
 * earlier one, or nlines when no two have the same figures. */
static size_t
last_shared_figures(struct dd *d, const struct dd_doc *doc)
{
	size_t i, last = doc->nlines;

	hm_clear(&d->m1, doc->nlines);
	for (i = 0; i < doc->nlines; i++) {
		uint32_t *seen;

		if (!near_candidate(&doc->line[i]))
			continue;
		if (*(seen = hm_get(&d->m1, doc->line[i].figures)))
			last = i;
		*seen = 1;
	}
	return last;
}

/*
 * Near copies.  Two lines with a Jaccard similarity of 0.8 share their
 * smallest shingle hash with probability 0.8, so lines sharing any of
 * their SKETCH smallest are the candidates, checked exactly: linear in
 * the text, not quadratic.  The earlier lines with a hash are checked,
 * not only the first: a line's copy may come after another line that
 * shares a hash with both and is neither's copy (a sentence, then two
 * paragraphs holding it), and a copy found only once that line went
 * would be found by a second run; NEAR_MAX_TRIES of them at most, the
 * latest, so that a record of many lines alike but for their figures
 * stays linear.  Of a pair, the shorter line goes (the later one when
 * they tie), but of a headline said again above the article ("... —
 * MSNBC", then the article's own), the copy nearest the body.  Copies
 * have the same figures too: the lines after the last that has the
 * figures of an earlier one have no copy, and are not looked at
 * (in a record whose lines all differ in their numbers, no sketch is
 * taken).
 */
static void
judge_near(struct dd *d, struct dd_doc *doc)
{
	size_t i, k, n, last = last_shared_figures(d, doc), body = first_body(doc);
	uint64_t sk[SKETCH];
	struct hmap *latest = &d->m1;
	uint32_t at, *v;
	size_t steps;

	if (last == doc->nlines)
		return;
	hm_clear(latest, SKETCH * doc->nlines);
	if (d->chaincap < SKETCH * doc->nlines) {
		d->chaincap = SKETCH * doc->nlines;
		d->chain = xrealloc(d->chain, d->chaincap * sizeof *d->chain);
	}
	/* latest: a hash's last (line, k) + 1; chain[(line, k)]: the one
	 * with the same hash before it, + 1; 0 ends. */
	for (i = 0; i <= last; i++) {
		struct dd_line *l = &doc->line[i];

		if (!near_candidate(l))
			continue;
		n = sketch(d, doc, l, sk);
		for (k = 0; k < n; k++) {
			v = hm_get(latest, sk[k]);
			d->chain[i * SKETCH + k] = *v;
			*v = (uint32_t)(i * SKETCH + k) + 1;
			for (at = d->chain[i * SKETCH + k], steps = 0;
			    at != 0 && l->why == DD_KEEP && steps < NEAR_MAX_TRIES;
			    at = d->chain[at - 1], steps++) {
				struct dd_line *o = &doc->line[(at - 1) / SKETCH];

				if (o->why != DD_KEEP || o->figures != l->figures ||
				    jaccard(d, doc, o, l) < NEAR_JACCARD)
					continue;
				if (o->words >= l->words && !headline_above(i, body))
					mark(l, DD_REPEAT);
				else
					mark(o, DD_REPEAT);
			}
		}
	}
}

/* The distinct content words of line l (stop words out) in map m, with
 * value 0, and in d->cw in the order they come; returns how many. */
static size_t
content_words(struct dd *d, const struct dd_doc *doc, const struct dd_line *l, struct hmap *m)
{
	const uint64_t *w = dd_words(doc, l);
	size_t i, n = 0;

	if (d->cwcap < l->words) {
		d->cwcap = l->words;
		d->cw = xrealloc(d->cw, d->cwcap * sizeof *d->cw);
	}
	hm_clear(m, l->words);
	for (i = 0; i < l->words; i++)
		if (!is_stop(d, w[i]) && hm_find(m, w[i]) == NULL) {
			hm_get(m, w[i]);
			d->cw[n++] = w[i];
		}
	return n;
}

/* The bigrams of consecutive content words of line l, in d->tmp. */
static void
content_bigrams(struct dd *d, const struct dd_doc *doc, const struct dd_line *l)
{
	const uint64_t *w = dd_words(doc, l);
	uint64_t prev = 0;
	size_t i;

	d->ntmp = 0;
	for (i = 0; i < l->words; i++) {
		if (is_stop(d, w[i]))
			continue;
		if (prev)
			tmp_push(d, fp_key(prev, w[i]));
		prev = w[i];
	}
}

/* Share of the content bigrams of q that p holds too. */
static double
bigrams_contained(struct dd *d, const struct dd_doc *doc, const struct dd_line *q,
    const struct dd_line *p)
{
	size_t i, nq, found = 0;

	content_bigrams(d, doc, p);
	hm_clear(&d->m2, d->ntmp);
	for (i = 0; i < d->ntmp; i++)
		hm_get(&d->m2, d->tmp[i]);
	content_bigrams(d, doc, q);
	if ((nq = d->ntmp) == 0)
		return 0.0;
	for (i = 0; i < nq; i++)
		found += hm_find(&d->m2, d->tmp[i]) != NULL;
	return (double)found / (double)nq;
}

/* Where the first n words of q first stand, in order and together, in
 * paragraph p: the index of the first in p's words, or SIZE_MAX. */
static size_t
verbatim_at(const struct dd_doc *doc, const struct dd_line *q, size_t n, const struct dd_line *p)
{
	const uint64_t *qw = dd_words(doc, q), *pw = dd_words(doc, p);
	size_t i;

	for (i = 0; i + n <= p->words; i++)
		if (pw[i] == qw[0] && memcmp(pw + i, qw, n * sizeof *qw) == 0)
			return i;
	return SIZE_MAX;
}

static int
verbatim_in(const struct dd_doc *doc, const struct dd_line *q, size_t n, const struct dd_line *p)
{
	return verbatim_at(doc, q, n, p) != SIZE_MAX;
}

/* The words of q that must stand in a paragraph that says it verbatim:
 * all but the last ("..., he said." quoted as "..., he says."). */
static size_t
verbatim_words(const struct dd_line *q)
{
	return q->words > VERBATIM_MIN_WORDS ? q->words - 1 : q->words;
}

/* Index the words of doc's body paragraphs: which paragraphs hold each
 * word, each paragraph once per word, in line order. */
static void
index_paragraphs(struct dd *d, const struct dd_doc *doc)
{
	size_t j, k, nslots = 0, npost = 0, most = doc->nlines;

	hm_clear(&d->words, doc->nwords);
	if (d->slotcap < doc->nwords + 1) {
		d->slotcap = doc->nwords + 1;
		d->off = xrealloc(d->off, d->slotcap * sizeof *d->off);
		d->last = xrealloc(d->last, d->slotcap * sizeof *d->last);
	}
	/* Count each word's paragraphs, noting each (slot, paragraph) in
	 * d->tmp, then lay the lists out one after another (a counting sort
	 * by word). */
	tmp_reserve(d, doc->nwords);
	for (j = 0; j < doc->nlines; j++) {
		const struct dd_line *p = &doc->line[j];
		const uint64_t *w = dd_words(doc, p);
		size_t i;

		if (!is_paragraph(p))
			continue;
		for (i = 0; i < p->words; i++) {
			uint32_t *slot = hm_get(&d->words, w[i]);

			if (*slot == 0) {
				*slot = (uint32_t)++nslots;
				d->off[nslots] = 0;
				d->last[nslots] = 0;
			}
			if (d->last[*slot] == j + 1)
				continue;
			d->last[*slot] = (uint32_t)j + 1;
			d->off[*slot]++;
			d->tmp[npost++] = (uint64_t)*slot << 32 | j;
		}
	}
	/* off[s] becomes where slot s+1's list starts; off[0] = 0. */
	d->off[0] = 0;
	for (j = 1; j <= nslots; j++)
		d->off[j] += d->off[j - 1];
	if (d->postcap < npost + 1) {
		d->postcap = npost + 1;
		d->post = xrealloc(d->post, d->postcap * sizeof *d->post);
	}
	if (nslots > most)
		most = nslots;
	if (d->linecap < most + 1) {
		d->linecap = most + 1;
		d->tally = xrealloc(d->tally, d->linecap * sizeof *d->tally);
		d->touched = xrealloc(d->touched, d->linecap * sizeof *d->touched);
	}
	memset(d->tally, 0, (nslots + 1) * sizeof *d->tally);
	for (k = 0; k < npost; k++) {
		uint32_t slot = (uint32_t)(d->tmp[k] >> 32);

		d->post[d->off[slot - 1] + d->tally[slot]++] = (uint32_t)d->tmp[k];
	}
	memset(d->tally, 0, (doc->nlines > nslots ? doc->nlines : nslots + 1) * sizeof *d->tally);
}

/* The paragraphs holding word w: *n of them at the return value. */
static const uint32_t *
holding(const struct dd *d, uint64_t w, size_t *n)
{
	const uint32_t *slot = hm_find(&d->words, w);

	if (slot == NULL) {
		*n = 0;
		return NULL;
	}
	*n = d->off[*slot] - d->off[*slot - 1];
	return d->post + d->off[*slot - 1];
}

/* The longer body paragraph that says q again, word for word, or nlines
 * when none does.  The last word may differ ("..., he said." quoted as
 * "..., he says.").  Only the paragraphs holding q's rarest word are
 * looked at. */
static size_t
said_verbatim(const struct dd *d, const struct dd_doc *doc, size_t q)
{
	const struct dd_line *l = &doc->line[q];
	const uint64_t *w = dd_words(doc, l);
	size_t i, n = verbatim_words(l), np, best = SIZE_MAX;
	const uint32_t *list = NULL, *ps;

	for (i = 0; i < n; i++) {
		ps = holding(d, w[i], &np);
		if (np < best) {
			best = np;
			list = ps;
		}
	}
	/* Even its rarest word is everywhere: a record of look-alike
	 * paragraphs, where this would cost paragraphs squared. */
	if (best > POSTING_MAX)
		return doc->nlines;
	for (i = 0; i < best; i++) {
		const struct dd_line *p = &doc->line[list[i]];

		if (list[i] != q && p->words > l->words && verbatim_in(doc, l, n, p))
			return list[i];
	}
	return doc->nlines;
}

/* The longer body paragraph sharing the most of q's distinct content
 * words (in map m), with how many in *shared; nlines if none. */
static size_t
best_paragraph(struct dd *d, const struct dd_doc *doc, size_t q, const struct hmap *m,
    size_t *shared)
{
	const struct dd_line *l = &doc->line[q];
	const uint64_t *w = dd_words(doc, l);
	size_t i, k, np, ntouched = 0, best = doc->nlines;

	*shared = 0;
	for (i = 0; i < l->words; i++) {
		const uint32_t *list;
		uint32_t *seen = hm_find(m, w[i]);

		/* Each distinct content word once (m's value marks it). */
		if (seen == NULL || *seen)
			continue;
		*seen = 1;
		list = holding(d, w[i], &np);
		if (np > POSTING_MAX)
			continue;
		for (k = 0; k < np; k++) {
			uint32_t p = list[k];

			if (p == q || doc->line[p].words <= l->words)
				continue;
			if (d->tally[p]++ == 0)
				d->touched[ntouched++] = p;
			if (d->tally[p] > *shared) {
				*shared = d->tally[p];
				best = p;
			}
		}
	}
	for (k = 0; k < ntouched; k++)
		d->tally[d->touched[k]] = 0;
	return best;
}

/* The bit of word hash w in a paragraph's filter. */
static inline void
filter_add(uint64_t *f, uint64_t w)
{
	f[w >> 61] |= UINT64_C(1) << (w >> 55 & 63);
}

static inline int
filter_has(const uint64_t *f, uint64_t w)
{
	return f[w >> 61] >> (w >> 55 & 63) & 1;
}

/* List doc's body paragraphs in d->para, in line order; returns how
 * many. */
static size_t
list_paragraphs(struct dd *d, const struct dd_doc *doc)
{
	size_t j;

	if (d->paracap < doc->nlines) {
		d->paracap = doc->nlines;
		d->para = xrealloc(d->para, d->paracap * sizeof *d->para);
		d->filter = xrealloc(d->filter, d->paracap * sizeof *d->filter);
	}
	d->npara = 0;
	for (j = 0; j < doc->nlines; j++)
		if (is_paragraph(&doc->line[j]))
			d->para[d->npara++] = (uint32_t)j;
	return d->npara;
}

/* Put the few paragraphs of d->para longest first, in line order where
 * as long, each one's words in its filter: the paragraphs longer than a
 * line are then the first ones, and the search of a line stops at the
 * first that is not, where a test of each one would be mispredicted
 * paragraph after paragraph. */
static void
order_paragraphs(struct dd *d, const struct dd_doc *doc)
{
	size_t i, j, k;

	for (k = 1; k < d->npara; k++) {
		uint32_t p = d->para[k];

		for (j = k; j > 0 && doc->line[d->para[j - 1]].words < doc->line[p].words; j--)
			d->para[j] = d->para[j - 1];
		d->para[j] = p;
	}
	for (k = 0; k < d->npara; k++) {
		const struct dd_line *p = &doc->line[d->para[k]];
		const uint64_t *w = dd_words(doc, p);

		memset(d->filter[k], 0, sizeof d->filter[k]);
		for (i = 0; i < p->words; i++)
			filter_add(d->filter[k], w[i]);
	}
}

/* Does paragraph p hold word w? */
static int
holds_word(const struct dd_doc *doc, const struct dd_line *p, uint64_t w)
{
	const uint64_t *pw = dd_words(doc, p);
	size_t i;

	for (i = 0; i < p->words; i++)
		if (pw[i] == w)
			return 1;
	return 0;
}

/*
 * said_verbatim and best_paragraph for a record of at most POSTING_MAX
 * paragraphs, where no word's list of paragraphs is too long to read:
 * there each paragraph's filter tells at once, for nearly all of them,
 * that it lacks the words, and no index of the record's words is made.
 * The answers are those of the index.  The paragraphs longer than the
 * line come first in d->para (order_paragraphs); the line itself, if a
 * paragraph, is not one of them.
 */
static size_t
said_in_few(const struct dd *d, const struct dd_doc *doc, size_t q)
{
	const struct dd_line *l = &doc->line[q];
	const uint64_t *w = dd_words(doc, l);
	size_t i, k, n = verbatim_words(l);
	uint64_t want[FILTER_WORDS] = { 0 };

	for (i = 0; i < n; i++)
		filter_add(want, w[i]);
	for (k = 0; k < d->npara && doc->line[d->para[k]].words > l->words; k++) {
		const struct dd_line *p = &doc->line[d->para[k]];

		for (i = 0; i < FILTER_WORDS && (d->filter[k][i] & want[i]) == want[i]; i++)
			;
		if (i == FILTER_WORDS && verbatim_in(doc, l, n, p))
			return d->para[k];
	}
	return doc->nlines;
}

/* The paragraph best_paragraph would find for q, of n content words in
 * d->cw, when it shares at least want of them (else nlines, and 0).  Of
 * paragraphs sharing as many, best_paragraph's tally, word by word of q,
 * reaches first the one whose last shared word comes first, then the
 * earlier line, whatever order d->para has. */
#if defined(__x86_64__) && defined(__GNUC__)
/* A copy with the processor's bit count, for the loader to pick. */
__attribute__((target_clones("default", "popcnt")))
#endif
static size_t
best_in_few(const struct dd *d, const struct dd_doc *doc, size_t q, size_t n, double want,
    size_t *shared)
{
	const struct dd_line *l = &doc->line[q];
	size_t j, k, best = doc->nlines, most = 0, when = 0;
	size_t spare = n - (size_t)ceil(want);	/* words a paragraph may lack */
	uint64_t all[FILTER_WORDS] = { 0 };

	for (j = 0; j < n; j++)
		filter_add(all, d->cw[j]);
	for (k = 0; k < d->npara && doc->line[d->para[k]].words > l->words; k++) {
		const struct dd_line *p = &doc->line[d->para[k]];
		uint64_t held = 0;
		size_t lacks = 0, got, last;

		/* Most paragraphs lack more than spare of them, and the bits
		 * of the filter they lack tell so at once: a word lacks for
		 * each, at least. */
		for (j = 0; j < FILTER_WORDS; j++)
			lacks += (size_t)__builtin_popcountll(all[j] & ~d->filter[k][j]);
		if (lacks > spare)
			continue;
		lacks = 0;
		for (j = 0; j < n && lacks <= spare; j++)
			lacks += (size_t)!filter_has(d->filter[k], d->cw[j]);
		if (lacks > spare)
			continue;
		for (j = 0; j < n; j++)
			if (filter_has(d->filter[k], d->cw[j]) && holds_word(doc, p, d->cw[j]))
				held |= UINT64_C(1) << j;
		if (held == 0 || (double)(got = (size_t)__builtin_popcountll(held)) < want)
			continue;
		last = (size_t)(63 - __builtin_clzll(held));
		if (got > most || (got == most && last < when) ||
		    (got == most && last == when && d->para[k] < best)) {
			most = got;
			when = last;
			best = d->para[k];
		}
	}
	*shared = most;
	return best;
}

/* Does the line open with a quotation mark? */
static int
starts_quote(const char *p, size_t n)
{
	static const char *const openers[] = { "\"", "'", "\xE2\x80\x9C", "\xE2\x80\x98", "\xC2\xAB" };
	size_t k;

	for (k = 0; k < sizeof openers / sizeof openers[0]; k++)
		if (n >= strlen(openers[k]) && memcmp(p, openers[k], strlen(openers[k])) == 0)
			return 1;
	return 0;
}

/* Note that paragraph p says line q word for word. */
static void
note_verbatim(struct dd *d, size_t p, size_t q)
{
	if (d->nverbatim == d->verbatimcap) {
		d->verbatimcap = d->verbatimcap ? 2 * d->verbatimcap : 64;
		d->verbatim = xrealloc(d->verbatim, d->verbatimcap * sizeof *d->verbatim);
	}
	d->verbatim[d->nverbatim++] = (uint64_t)p << 32 | q;
}

static int
by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* How many of the lines parts[0..n) (in their low 32 bits), each said
 * word for word in paragraph p, stand there apart from each other: the
 * most whose places in p do not overlap (by earliest end first).  The high
 * bits of parts are overwritten. */
static size_t
parts_apart(const struct dd_doc *doc, size_t p, uint64_t *parts, size_t n)
{
	const struct dd_line *para = &doc->line[p];
	size_t k, apart = 0, free_from = 0;

	/* Each part's end in p, over its line. */
	for (k = 0; k < n; k++) {
		const struct dd_line *q = &doc->line[(uint32_t)parts[k]];
		size_t len = verbatim_words(q), at = verbatim_at(doc, q, len, para);

		parts[k] = (uint64_t)(at + len) << 32 | (uint32_t)parts[k];
	}
	qsort(parts, n, sizeof *parts, by_value);
	for (k = 0; k < n; k++) {
		const struct dd_line *q = &doc->line[(uint32_t)parts[k]];
		size_t end = (size_t)(parts[k] >> 32), at = end - verbatim_words(q);

		if (at >= free_from) {
			apart++;
			free_from = end;
		}
	}
	return apart;
}

/*
 * A paragraph that says GLUED_MIN_PARTS lines of the record or more word
 * for word, each in a place of its own, is not one they quote but the
 * article glued into one line, as pages carry it in their metadata or a
 * print copy: it goes, a copy, and the lines stay.
 */
static void
unglue(struct dd *d, struct dd_doc *doc)
{
	size_t i, j, k;

	if (d->nverbatim < GLUED_MIN_PARTS)
		return;
	qsort(d->verbatim, d->nverbatim, sizeof *d->verbatim, by_value);
	for (i = 0; i < d->nverbatim; i = j) {
		uint32_t p = (uint32_t)(d->verbatim[i] >> 32);

		for (j = i + 1; j < d->nverbatim && (uint32_t)(d->verbatim[j] >> 32) == p; j++)
			;
		if (j - i < GLUED_MIN_PARTS || doc->line[p].why != DD_KEEP ||
		    parts_apart(doc, p, d->verbatim + i, j - i) < GLUED_MIN_PARTS)
			continue;
		mark(&doc->line[p], DD_REPEAT);
		for (k = i; k < j; k++)
			doc->line[(uint32_t)d->verbatim[k]].why = DD_KEEP;
	}
}

/*
 * Pull quotes: a short line whose content words stand, nearly all and
 * mostly in the same order, in one longer body paragraph of the same
 * record.  Not a pull quote: a line above the first body paragraph
 * (title, standfirst, byline: a standfirst says again what the article
 * says), a line just before the paragraph it matches (the heading of a
 * brief), a line ending in ':' or ';' (a list and the line that leads
 * into it), a line of figures.  A candidate is held against the
 * paragraphs longer than it: each one's filter of words in a record of
 * few, those holding its rarest word in a larger one (POSTING_MAX).  A
 * paragraph that holds many such lines word for word is the copy
 * (unglue).
 */
static void
judge_quotes(struct dd *d, struct dd_doc *doc, const char *text)
{
	size_t i, first = first_paragraph(doc);
	int few;

	if (first >= doc->nlines)
		return;
	d->nverbatim = 0;
	few = list_paragraphs(d, doc) <= POSTING_MAX;
	if (few)
		order_paragraphs(d, doc);
	else
		index_paragraphs(d, doc);
	for (i = first + 1; i < doc->nlines; i++) {
		struct dd_line *q = &doc->line[i];
		size_t n, best, bestp, said;
		double want;
		char last;

		if (q->why != DD_KEEP || q->words > QUOTE_MAX_WORDS || q->numbers > QUOTE_MAX_NUMBERS ||
		    q->end == q->start)
			continue;
		last = (char)q->last;
		if (last == ':' || last == ';')
			continue;
		/* A sentence of the article said again word for word. */
		if (q->words >= VERBATIM_MIN_WORDS &&
		    (said = few ? said_in_few(d, doc, i) : said_verbatim(d, doc, i)) < doc->nlines) {
			mark(q, DD_PULLQUOTE);
			note_verbatim(d, said, i);
			continue;
		}
		if ((n = content_words(d, doc, q, &d->m1)) < QUOTE_MIN_WORDS - 2)
			continue;
		/* A few words are a pull quote as a sentence or a quotation,
		 * but a few quoted words over a body paragraph head a section
		 * ("'Don't burn out'"): a short quote stands apart, between
		 * the paragraphs it interrupts, and ends like a sentence. */
		if (n < QUOTE_MIN_WORDS && !ends_sentence(q) &&
		    (!starts_quote(text + q->start, q->end - q->start) || before_paragraph(doc, i)))
			continue;
		/* A short sentence's content words must all be there; five or
		 * more, most. */
		want = (n < QUOTE_MIN_WORDS ? 1.0 : QUOTE_CONTAINED) * (double)n;
		bestp = few ? best_in_few(d, doc, i, n, want, &best) :
		    best_paragraph(d, doc, i, &d->m1, &best);
		if (bestp == doc->nlines || (double)best < want ||
		    bestp == next_nonblank(doc, i) ||
		    bigrams_contained(d, doc, q, &doc->line[bestp]) < QUOTE_IN_ORDER)
			continue;
		mark(q, DD_PULLQUOTE);
	}
	unglue(d, doc);
}

/* ---- menus ---- */

/* Could l be an item of a menu: short, no sentence, not the article's
 * headline, and no figure but a count at its end (a blog's categories,
 * "Elections (27)")? */
static int
menu_item(const struct dd_line *l)
{
	return l->why == DD_KEEP && !l->keep && !l->headline && l->words > 0 &&
	    l->words <= MENU_MAX_WORDS &&
	    (l->numbers == 0 || (l->numbers == 1 && l->counted)) &&
	    l->end - l->start <= MENU_MAX_BYTES && !ends_sentence(l);
}

/*
 * The article's span, from its first body paragraph to its last; 0 when
 * the record has none.  A page's navigation, a run of MENU_SPLIT_LINES
 * menu items or more, can stand between the article and a paragraph or
 * two of the page's own (a notice in its footer, a teaser): a side with
 * SIDE_BODY_MAX body paragraphs or fewer, under a third of them, is left
 * out.  The lines of the run are menu items and lines the site, a rule or
 * a label took (so the span is the same after menus are judged); copies
 * are passed over.
 */
static int
article_span(const struct dd_doc *doc, size_t *first, size_t *last)
{
	size_t i, nbody = 0, seen = 0, items = 0, head = 0, tail;

	for (i = 0; i < doc->nlines; i++)
		nbody += is_body(&doc->line[i]);
	if (nbody == 0)
		return 0;
	tail = nbody;
	for (i = 0; i < doc->nlines; i++) {
		const struct dd_line *l = &doc->line[i];

		if (is_body(l)) {
			seen++;
			items = 0;
		} else if (l->fp == FP_EMPTY || l->why == DD_REPEAT || l->why == DD_PULLQUOTE) {
			continue;
		} else if ((l->why != DD_KEEP && l->why != DD_CUT) || menu_item(l)) {
			if (++items != MENU_SPLIT_LINES || seen == 0 || seen == nbody)
				continue;
			if (seen <= SIDE_BODY_MAX && seen * 3 < nbody)
				head = seen;
			if (nbody - seen <= SIDE_BODY_MAX && (nbody - seen) * 3 < nbody && tail == nbody)
				tail = seen;
		} else {
			items = 0;
		}
	}
	for (i = 0, seen = 0; i < doc->nlines; i++)
		if (is_body(&doc->line[i])) {
			if (seen == head)
				*first = i;
			if (++seen == tail)
				*last = i;
		}
	return 1;
}

/* Take lines [from, to) of doc's menus: each run of MENU_MIN_LINES items
 * or more, blanks and lines judged already between them. */
static void
take_menus(struct dd_doc *doc, size_t from, size_t to)
{
	size_t i, k, start = from, items = 0;

	for (i = from; i <= to; i++) {
		const struct dd_line *l = i < to ? &doc->line[i] : NULL;

		if (l != NULL && (l->fp == FP_EMPTY || (l->why != DD_KEEP && !l->keep)))
			continue;
		if (l != NULL && menu_item(l)) {
			if (items++ == 0)
				start = i;
			continue;
		}
		if (items >= MENU_MIN_LINES)
			for (k = start; k < i; k++)
				if (doc->line[k].fp != FP_EMPTY && menu_item(&doc->line[k]))
					mark(&doc->line[k], DD_MENU);
		items = 0;
	}
}

/* Is l no sentence, and over no sentence (next, the line after it, or
 * NULL): no heading of the article's short paragraphs either? */
static int
no_sentence(const struct dd_line *l, const struct dd_line *next)
{
	return !ends_sentence(l) &&
	    (next == NULL || !ends_sentence(next));
}

/* Is l an item of a bulleted list ("• Night buses run every half hour"),
 * which an article may open with: its key points, a list of changes?  A
 * menu's items are shorter. */
static int
list_item(const struct dd_line *l)
{
	return l->bullet && l->words >= LIST_ITEM_WORDS;
}

/*
 * Mark the lines outside the article, where no line of its own stands
 * but a page's furniture, and return how many: above its head, any line
 * with LABEL_FAR_LINES kept lines or more between it and the first body
 * paragraph (the record's first line, the page's title, and the items
 * of a bulleted list aside); below its
 * visible end (the first line after the last body paragraph that the
 * site, a rule or a menu took), a line that is no sentence, nor a heading
 * over one, since an article's last short paragraph may follow an
 * advertisement.  Only lines still kept and not a keep rule's or the
 * headline are marked.
 */
static size_t
mark_outside(struct dd_doc *doc)
{
	const struct dd_line *next = NULL;
	size_t i, top, ended, first, last, below = 0, n = 0;

	for (i = 0; i < doc->nlines; i++)
		doc->line[i].outside = 0;
	if (!article_span(doc, &first, &last))
		return 0;
	for (top = 0; top < first && doc->line[top].fp == FP_EMPTY; top++)
		;
	for (i = first; i-- > top + 1;) {
		struct dd_line *l = &doc->line[i];

		if (l->fp == FP_EMPTY || (l->why != DD_KEEP && l->why != DD_CUT))
			continue;
		if (below++ >= LABEL_FAR_LINES && l->why == DD_KEEP && !l->keep && !l->headline &&
		    !list_item(l))
			l->outside = 1, n++;
	}
	for (ended = last + 1; ended < doc->nlines; ended++)
		if (doc->line[ended].why == DD_SITE || doc->line[ended].why == DD_RULE ||
		    doc->line[ended].why == DD_MENU)
			break;
	for (i = doc->nlines; i-- > ended + 1;) {
		struct dd_line *l = &doc->line[i];

		if (l->fp == FP_EMPTY || (l->why != DD_KEEP && l->why != DD_CUT))
			continue;
		if (l->why == DD_KEEP && !l->keep && !l->headline && no_sentence(l, next))
			l->outside = 1, n++;
		next = l;
	}
	return n;
}

/* Could l be another story's headline in a list of them: no sentence,
 * a few words, no figures (a calendar, a table of results), no bullet (a
 * list of changes)? */
static int
headline_like(const struct dd_line *l)
{
	return l->why == DD_KEEP && !l->keep && !l->headline && !ends_sentence(l) &&
	    l->words >= HEADLINE_LIST_WORDS && l->numbers == 0 && !l->bullet;
}

/*
 * Above the article's head, among the lines outside it (mark_outside), a
 * run of HEADLINE_LIST_LINES headline-like lines or more is a list of other
 * stories, whatever the length of its lines, which take_labels leaves to
 * the line model: a portal's "most read" above the story.  A list of the
 * article's own stands below its head, or has figures or bullets.
 */
static void
take_headlines(struct dd_doc *doc, size_t first)
{
	size_t i, k, start = 0, run = 0;

	for (i = 0; i <= first; i++) {
		const struct dd_line *l = i < first ? &doc->line[i] : NULL;

		if (l != NULL && (l->fp == FP_EMPTY || (l->why != DD_KEEP && l->why != DD_CUT)))
			continue;
		if (l != NULL && l->outside && headline_like(l)) {
			if (run++ == 0)
				start = i;
			continue;
		}
		if (run >= HEADLINE_LIST_LINES)
			for (k = start; k < i; k++)
				if (doc->line[k].outside && headline_like(&doc->line[k]))
					mark(&doc->line[k], DD_MENU);
		run = 0;
	}
}

/*
 * Outside the article (mark_outside), a line that is no sentence, nor a
 * heading over one, is the page's alone, not only in a run: above the
 * article's head a short one (a section's name, a share count, "Follow
 * us"), below its visible end any (other stories' headlines and teasers).
 */
static void
take_labels(struct dd_doc *doc, size_t first)
{
	const struct dd_line *next = NULL;
	size_t i;

	if (mark_outside(doc) == 0)
		return;
	take_headlines(doc, first);
	for (i = doc->nlines; i-- > 0;) {
		struct dd_line *l = &doc->line[i];

		if (l->fp == FP_EMPTY || (l->why != DD_KEEP && l->why != DD_CUT))
			continue;
		if (l->outside && (i > first || (l->words <= MENU_MAX_WORDS &&
		    l->end - l->start <= MENU_MAX_BYTES && no_sentence(l, next))))
			mark(l, DD_MENU);
		next = l;
	}
}

/*
 * Menus: above the article's first body paragraph and below its last
 * (article_span, which leaves out a footer's notice past the navigation), a
 * run of three short lines or more that are not sentences (no figures
 * either: a table of results stays) is a page's navigation, a list of
 * sections or of links.  A keep rule's line (a byline, a date) ends a
 * run, and the line nearest the body above it that is not one (the title
 * or the standfirst) is never an item.  Inside the article, lists stay; a
 * record without a body paragraph is left alone.
 */
static void
judge_menus(struct dd_doc *doc)
{
	size_t first, last, head;

	if (!article_span(doc, &first, &last))
		return;
	for (head = first; head > 0; head--) {
		const struct dd_line *l = &doc->line[head - 1];

		if (l->fp != FP_EMPTY && l->why == DD_KEEP && !l->keep)
			break;
	}
	if (head > 0)
		take_menus(doc, 0, head - 1);
	take_menus(doc, last + 1, doc->nlines);
	take_labels(doc, first);
}

/* Does l mark the end of the article: a menu, or a line of a rule that
 * says so (the heading of a list of related stories, a comments note,
 * a newsletter's pitch, the copyright)? */
static int
ends_article(const struct dd *d, const struct dd_line *l)
{
	return l->why == DD_MENU || (l->why == DD_RULE && rl_ends(d->rules, (size_t)l->rule));
}

/* Is l an end of the article other than the end at e and the list of
 * links under it (drop_block gives its lines e's rule)? */
static int
another_end(const struct dd *d, const struct dd_line *e, const struct dd_line *l)
{
	return ends_article(d, l) && (l->why != e->why || l->rule != e->rule);
}

/* What l is to a run of body paragraphs in a row: one of them (1), the
 * end of the run (0: a line kept, or one that ends the article), or
 * nothing (-1: a blank line, a line taken, an advertisement's label). */
static int
in_run(const struct dd *d, const struct dd_line *l)
{
	if (ends_article(d, l))
		return 0;
	if (l->fp == FP_EMPTY || (l->why != DD_KEEP && l->why != DD_CUT))
		return -1;
	return is_body(l);
}

/* The end of the first of the longest runs of body paragraphs in a row,
 * the article's core; 0 when there is none. */
static size_t
core_end(const struct dd *d, const struct dd_doc *doc)
{
	size_t i, run = 0, best = 0, end = 0;

	for (i = 0; i < doc->nlines; i++) {
		int r = in_run(d, &doc->line[i]);

		if (r < 0)
			continue;
		run = r ? run + 1 : 0;
		if (run > best) {
			best = run;
			end = i;
		}
	}
	return end;
}

/*
 * The page below the article's end: a line that ends it (ends_article)
 * with TAIL_BODY_MIN body paragraphs above is where the page's own matter
 * begins, other stories' headlines, bylines and leads, and every line
 * kept after it goes, up to where the article resumes: two body
 * paragraphs in a row (an inline list of related stories, then the rest
 * of the article).  A teaser's lead stands alone between its headline and
 * the next teaser, which is how it differs from the article's paragraphs;
 * past two such leads the page is teasers or comments to its end, where a
 * long comment's paragraphs come in a row, and so it is past another end
 * (a tag line, then a count of comments).  An end above the article's
 * core (core_end: a newsletter's pitch among a menu's blurbs) is passed
 * over.  Keep rules do not hold there: a teaser's byline, a comment's
 * date, are the page's.
 */
static void
judge_tail(const struct dd *d, struct dd_doc *doc)
{
	size_t i, k, end, core = core_end(d, doc), body = 0, run = 0, lead = 0, leads = 0;

	for (i = 0; i < doc->nlines; i++) {
		body += is_body(&doc->line[i]);
		if (body >= TAIL_BODY_MIN && i > core && ends_article(d, &doc->line[i]))
			break;
	}
	if (i == doc->nlines)
		return;
	for (end = doc->nlines, k = i + 1; k < doc->nlines && leads < TAIL_LEADS; k++) {
		int r = in_run(d, &doc->line[k]);

		if (r < 0)
			continue;
		if (r == 0) {
			leads += run > 0;
			run = 0;
			if (another_end(d, &doc->line[i], &doc->line[k]))
				leads = TAIL_LEADS;
			continue;
		}
		if (run++ == 0)
			lead = k;
		if (run == 2) {
			end = lead;
			break;
		}
	}
	for (k = i + 1; k < end; k++) {
		struct dd_line *l = &doc->line[k];

		if (l->fp != FP_EMPTY && (l->why == DD_KEEP || l->why == DD_CUT))
			l->why = DD_TAIL;
	}
}

/* The heading of a list of links goes (line i), and so does the list:
 * the headline-like lines after it (short, no sentence punctuation at the
 * end), up to the first line that is not one. */
static void
drop_block(struct dd_doc *doc, size_t i)
{
	int rule = doc->line[i].rule;

	mark(&doc->line[i], DD_RULE);
	for (i++; i < doc->nlines; i++) {
		struct dd_line *l = &doc->line[i];

		if (l->fp == FP_EMPTY)
			continue;
		if (l->words > BLOCK_MAX_WORDS || l->keep ||
		    ends_sentence(l))
			break;
		if (l->why == DD_KEEP) {
			l->rule = rule;
			l->listed = 1;
		}
		mark(l, DD_RULE);
	}
}

static void
judge_rules(struct dd *d, struct dd_doc *doc, const char *text)
{
	size_t i, ms, me;

	for (i = 0; i < doc->nlines; i++) {
		struct dd_line *l = &doc->line[i];
		const char *p = text + l->start;
		size_t n = l->end - l->start;
		enum rl_action action;

		if (l->why != DD_KEEP || l->fp == FP_EMPTY)
			continue;
		if ((l->rule = rl_match(d->rules, p, n, &action, &ms, &me)) < 0)
			continue;
		if (action == RL_DROP_BLOCK) {
			drop_block(doc, i);
			continue;
		}
		/* A cut that leaves nothing but blanks takes the line. */
		if (action == RL_DROP_LINE || (dd_blank(p, ms) && dd_blank(p + me, n - me))) {
			mark(l, DD_RULE);
			continue;
		}
		if (l->keep)
			continue;
		l->why = DD_CUT;
		l->cut_start = l->start + ms;
		l->cut_end = l->start + me;
	}
}

/* Has the line a character one can see: not a space, not a format
 * character (a zero-width space, a joiner)? */
static int
visible(const struct dd_line *l, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = l->start;

	while (i < l->end) {
		uint32_t c = p[i];
		int len = c < 0x80 ? 1 : utf8_decode(p + i, l->end - i, &c);
		enum uni_gc gc;

		if (len <= 0)
			return 1;
		gc = uni_gc(c);
		if (gc != UNI_GC_SPACE && gc != UNI_GC_FORMAT)
			return 1;
		i += (size_t)len;
	}
	return 0;
}

/*
 * A line without a word but with something on it (an arrow, a bullet, a
 * cross, a run of dashes) belongs with the lines around it: it goes, for
 * the same reason, when the lines with words before and after it went, or
 * the one line there is when it opens or ends the record.  Between lines
 * of the article, a row of stars or dashes stays.
 */
static void
judge_marks(struct dd_doc *doc, const char *text)
{
	const struct dd_line *before = NULL, *after, *like;
	size_t i, k;

	for (i = 0; i < doc->nlines; i++) {
		struct dd_line *l = &doc->line[i];

		if (l->fp != FP_EMPTY) {
			before = l;
			continue;
		}
		if (!visible(l, text))
			continue;
		for (k = i + 1; k < doc->nlines && doc->line[k].fp == FP_EMPTY; k++)
			;
		after = k < doc->nlines ? &doc->line[k] : NULL;
		if ((before == NULL && after == NULL) ||
		    (before != NULL && (before->why == DD_KEEP || before->why == DD_CUT)) ||
		    (after != NULL && (after->why == DD_KEEP || after->why == DD_CUT)))
			continue;
		like = before != NULL ? before : after;
		l->why = like->why;
		l->rule = like->rule;
		l->site_count = like->site_count;
	}
}

/* How judge_lines judges: the first time, or again the lines a judgment
 * kept, whose keep rules and rules are known (they judge a line alone;
 * keep_line asks again for what is left of a cut line) as are their site
 * counts (see judge_site); AGAIN_CUT when one was cut. */
enum { FIRST, AGAIN, AGAIN_CUT };

static void
judge_lines(struct dd *d, struct dd_doc *doc, const char *text, int again)
{
	size_t i;

	for (i = 0; i < doc->nlines; i++) {
		struct dd_line *l = &doc->line[i];

		l->why = DD_KEEP;
		l->heading = 0;
		l->headline = 0;
		if (!again)
			l->keep = d->rules && l->fp != FP_EMPTY &&
			    rl_keeps(d->rules, text + l->start, l->end - l->start);
	}
	if (d->rules && !again)
		judge_rules(d, doc, text);
	/* The headline the site lists elsewhere is back before the copies
	 * are sought, so that its copy above it (the page's title) is one,
	 * as it is when the filter runs again on its own output. */
	if (d->o.site)
		judge_site(d, doc, again);
	protect_headline(doc);
	/* Near copies and pull quotes, the costly searches, are sought again
	 * only where a line was cut: else a line's near copy, or the
	 * paragraph it quotes, was kept with it or took it. */
	if (d->o.repeats) {
		judge_exact(d, doc);
		if (again != AGAIN) {
			judge_near(d, doc);
			judge_quotes(d, doc, text);
		}
	}
	if (d->o.menus)
		judge_menus(doc);
	if (d->o.site)
		protect_headings(d, doc, text);
	if (d->cl && d->cl_scope == DD_SCOPE_ALL)
		cl_judge(d->cl, doc, text, 0);
	else if (d->cl && mark_outside(doc) > 0)
		cl_judge(d->cl, doc, text, 1);
	if (d->o.tail)
		judge_tail(d, doc);
	judge_marks(doc, text);
}

/* Append what line l of text says once judged kept: the line, or the
 * pieces either side of its cut, one space apart. */
static void
write_kept(const struct dd_line *l, const char *text, struct buf *out)
{
	size_t a = l->cut_start, b = l->cut_end;

	if (l->why != DD_CUT) {
		buf_add(out, text + l->start, l->end - l->start);
		return;
	}
	while (a > l->start && text[a - 1] == ' ')
		a--;
	while (b < l->end && text[b] == ' ')
		b++;
	buf_add(out, text + l->start, a - l->start);
	if (a > l->start && b < l->end)
		buf_addc(out, ' ');
	buf_add(out, text + b, l->end - b);
}

/* Add line i of doc, as it is written, to the lines it keeps; what is
 * left of a cut line is fingerprinted and asked of the keep rules again. */
static void
keep_line(struct dd *d, const struct dd_doc *doc, size_t i, const char *text)
{
	const struct dd_line *l = &doc->line[i];
	struct dd_doc *k = &d->kept;
	struct dd_line *c = new_line(k);
	const uint64_t *words = doc->word + l->first_word;
	size_t nwords = l->words;

	*c = *l;
	c->start = d->kept_text.len;
	write_kept(l, text, &d->kept_text);
	c->end = d->kept_text.len;
	buf_addc(&d->kept_text, '\n');
	if (l->why == DD_CUT) {
		fp_line(d->kept_text.data + c->start, c->end - c->start, &d->fl);
		c->fp = d->fl.fp;
		c->figures = d->fl.figures;
		c->numbers = d->fl.numbers;
		read_ends(c, d->kept_text.data + c->start, c->end - c->start);
		c->keep = d->rules && c->fp != FP_EMPTY &&
		    rl_keeps(d->rules, d->kept_text.data + c->start, c->end - c->start);
		words = d->fl.word;
		nwords = d->fl.nwords;
	}
	add_words(k, c, words, nwords);
	if (k->nlines > d->fromcap) {
		d->fromcap = k->cap;
		d->from = xrealloc(d->from, d->fromcap * sizeof *d->from);
	}
	d->from[k->nlines - 1] = i;
}

/*
 * Judge again the lines doc keeps, as dd_rebuild writes them, as the
 * filter run on its own output would: a line's neighbours are others once
 * the furniture between them went (a heading said before each of a list's
 * paragraphs, whose copies went, now stands alone), and a cut line is
 * what is left of it.  What goes now goes from doc, for the reason found
 * now.  1 if any went.
 */
static int
settle(struct dd *d, struct dd_doc *doc, const char *text)
{
	struct dd_doc *k = &d->kept;
	size_t i, blank = doc->nlines;
	int went = 0, cut = 0;

	k->nlines = k->nwords = 0;
	k->site = doc->site;
	k->id = doc->id;
	buf_reset(&d->kept_text);
	for (i = 0; i < doc->nlines; i++) {
		const struct dd_line *l = &doc->line[i];

		if (l->why != DD_KEEP && l->why != DD_CUT)
			continue;
		if (l->end == l->start) {
			blank = k->nlines > 0 ? i : doc->nlines;
			continue;
		}
		if (blank < doc->nlines)
			keep_line(d, doc, blank, text);
		blank = doc->nlines;
		keep_line(d, doc, i, text);
		cut |= l->why == DD_CUT;
	}
	if (k->nlines == 0)
		return 0;
	judge_lines(d, k, d->kept_text.data, cut ? AGAIN_CUT : AGAIN);
	for (i = 0; i < k->nlines; i++)
		if (k->line[i].why != DD_KEEP) {
			doc->line[d->from[i]].why = k->line[i].why;
			doc->line[d->from[i]].rule = k->line[i].rule;
			went = 1;
		}
	return went;
}

void
dd_judge(struct dd *d, struct dd_doc *doc, const char *text, size_t n)
{
	size_t i;
	int round;

	(void)n;
	judge_lines(d, doc, text, FIRST);
	for (i = 0; i < doc->nlines; i++)
		if (doc->line[i].why != DD_KEEP)
			break;
	for (round = 1; i < doc->nlines && round < SETTLE_ROUNDS && settle(d, doc, text); round++)
		;
	for (i = 0; i < doc->nlines; i++)
		d->counts[doc->line[i].why]++;
}

/* ---- output ---- */

int
dd_rebuild(const struct dd_doc *doc, const char *text, struct buf *out)
{
	size_t i, from = out->len;
	int changed = 0, blank_pending = 0;

	for (i = 0; i < doc->nlines; i++)
		changed |= doc->line[i].why != DD_KEEP;
	if (!changed)
		return 0;
	for (i = 0; i < doc->nlines; i++) {
		const struct dd_line *l = &doc->line[i];

		if (l->why != DD_KEEP && l->why != DD_CUT)
			continue;
		/* Blank lines only between kept lines, one at a time. */
		if (l->end == l->start) {
			blank_pending = out->len > from;
			continue;
		}
		if (out->len > from)
			buf_add(out, blank_pending ? "\n\n" : "\n", blank_pending ? 2 : 1);
		blank_pending = 0;
		write_kept(l, text, out);
	}
	return 1;
}

void
dd_mark(const struct dd *d, const struct dd_doc *doc, struct buf *out)
{
	size_t i;
	int first = 1;
	char num[64];

	buf_addc(out, '[');
	for (i = 0; i < doc->nlines; i++) {
		const struct dd_line *l = &doc->line[i];

		if (l->why == DD_KEEP)
			continue;
		snprintf(num, sizeof num, "%s{\"line\":%zu,\"why\":", first ? "" : ",", i + 1);
		buf_adds(out, num);
		first = 0;
		if (l->why == DD_RULE || l->why == DD_CUT) {
			const char *name = rl_name(d->rules, (size_t)l->rule);

			buf_adds(out, "\"rule:");
			/* Rule names are plain words (checked when loaded). */
			buf_adds(out, name);
			buf_addc(out, '"');
		} else {
			json_escape(out, why_names[l->why], strlen(why_names[l->why]));
		}
		if (l->why == DD_CUT) {
			snprintf(num, sizeof num, ",\"span\":[%zu,%zu]", l->cut_start, l->cut_end);
			buf_adds(out, num);
		}
		buf_addc(out, '}');
	}
	buf_addc(out, ']');
}
