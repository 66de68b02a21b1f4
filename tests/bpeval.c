/*
 * bpeval: how well dedupe-boilerplate tells article lines from furniture,
 * scored against a gold text, with the C4 line rule beside it for scale.
 *
 *	bpeval name dump gold marked [name dump gold marked ...]
 *
 * For each corpus: dump is the scraped records (JSON Lines, plain or
 * gzip, key "text": one line per HTML block), gold the same records' clean
 * article text (one paragraph a line), marked the output of
 * "dedupe-boilerplate --mark dump".  The three files hold the same records
 * in the same order: they are matched by position, their "id" values must
 * agree (compared after unescaping; absent everywhere is allowed) and the
 * marked text must be the dump's text, else bpeval stops (status 2).
 *
 * Definitions (the README's "Quality" section states them too):
 *
 *  - squeezed: runs of spaces and tabs made one space, the ends trimmed.
 *  - A line of the dump text that is empty once squeezed is ignored.  The
 *    others are content when their squeezed form is one of the squeezed
 *    gold lines of the same record, else boilerplate.
 *  - dedupe-boilerplate removes the lines its "boilerplate" array names,
 *    except a line with a "span" (a cut), which is kept minus the span.
 *    The C4 line rule keeps a squeezed line of three or more words (runs
 *    without space) that ends in '.', '!', '?', '"' or U+201D.
 *  - kept: content lines kept / content lines; removed: boilerplate lines
 *    removed / boilerplate lines.
 *  - P, R, F1: the words (whitespace-separated tokens, bytes compared
 *    exactly) of the kept text against those of the whole gold text, as
 *    multisets per record: m = the size of their intersection, summed over
 *    the corpus, P = m / kept words, R = m / gold words, F1 their
 *    harmonic mean (micro-averaged).  A cut line gives the words before
 *    and after its span.
 *  - "- why" rows: content and boilerplate lines that detector removed
 *    ("rule" groups every rule:NAME); "- cut" counts the lines cut, which
 *    are kept.
 *
 * Output: one table, a block of rows per corpus, then a legend.
 */
#include "compat.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "msg.h"
#include "zio.h"

/* ---- reading JSON Lines, plain or gzip ---- */

struct rd {
	const char *path;
	struct zin *z;
	const char *p;
	size_t n, off;
	int eof;
	uintmax_t lineno;
	struct buf line;
};

static void
rd_open(struct rd *r, const char *path)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->line);
	r->path = path;
	if ((r->z = zin_open(path)) == NULL)
		msg_fatal("%s: cannot open: %s", path, strerror(errno));
}

/* The next line that is not blank, in r->line; 0 at the end. */
static int
rd_next(struct rd *r)
{
	for (;;) {
		const char *nl;
		size_t k, i;
		int got = 0;

		buf_reset(&r->line);
		for (;;) {
			if (r->off == r->n) {
				const char *err;

				if (r->eof)
					break;
				r->off = 0;
				if ((r->n = zin_read(r->z, &r->p)) > 0)
					continue;
				r->eof = 1;
				if ((err = zin_error(r->z)) != NULL)
					msg_fatal("%s: %s", r->path, err);
				break;
			}
			nl = memchr(r->p + r->off, '\n', r->n - r->off);
			k = nl ? (size_t)(nl - (r->p + r->off)) : r->n - r->off;
			buf_add(&r->line, r->p + r->off, k);
			r->off += k;
			if (nl) {
				r->off++;
				got = 1;
				break;
			}
		}
		if (!got && r->line.len == 0)
			return 0;
		r->lineno++;
		for (i = 0; i < r->line.len; i++)
			if (r->line.data[i] != ' ' && r->line.data[i] != '\t' && r->line.data[i] != '\r')
				return 1;
	}
}

static void
rd_close(struct rd *r)
{
	zin_close(r->z);
	buf_release(&r->line);
}

/* One record: its id (unescaped, or the raw value when not a string),
 * its text, and the raw "boilerplate" value. */
struct rin {
	struct buf id, text;
	int has_id;
	const char *marks;	/* into the reader's line, NULL if absent */
	size_t nmarks;
};

static void
rin_read(struct rd *r, struct rin *x)
{
	static const char *const keys[] = { "id", "text", "boilerplate" };
	struct json_span sp[3];
	const char *err;
	size_t off;
	unsigned flags;
	const char *l = r->line.data;

	if (json_scan(l, r->line.len, keys, 3, sp, &flags, &err, &off) < 0)
		msg_fatal("%s:%ju: %s at byte %zu", r->path, r->lineno, err, off);
	buf_reset(&x->id);
	buf_reset(&x->text);
	x->has_id = sp[0].kind != JSON_ABSENT;
	if (sp[0].kind == JSON_STRING)
		json_unescape(&x->id, l + sp[0].start, sp[0].end - sp[0].start);
	else if (sp[0].kind == JSON_OTHER)
		buf_add(&x->id, l + sp[0].start, sp[0].end - sp[0].start);
	if (sp[1].kind != JSON_STRING)
		msg_fatal("%s:%ju: no string at \"text\"", r->path, r->lineno);
	json_unescape(&x->text, l + sp[1].start, sp[1].end - sp[1].start);
	x->marks = NULL;
	x->nmarks = 0;
	if (sp[2].kind != JSON_ABSENT) {
		x->marks = l + sp[2].start;
		x->nmarks = sp[2].end - sp[2].start;
	}
}

/* ---- lines, words and the gold set ---- */

static int
is_space(int c)
{
	return c == ' ' || c == '\t';
}

/* Append p[0..n) squeezed to b. */
static void
squeeze(struct buf *b, const char *p, size_t n)
{
	size_t i;
	int gap = 0, started = 0;

	for (i = 0; i < n; i++) {
		if (is_space((unsigned char)p[i])) {
			gap = 1;
			continue;
		}
		if (gap && started)
			buf_addc(b, ' ');
		gap = 0;
		started = 1;
		buf_addc(b, p[i]);
	}
}

struct str {
	const char *p;
	size_t n;
};

struct strs {
	struct str *v;
	size_t n, cap;
};

static void
strs_add(struct strs *s, const char *p, size_t n)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n].p = p;
	s->v[s->n++].n = n;
}

static int
str_cmp(const void *a, const void *b)
{
	const struct str *x = a, *y = b;
	int c = memcmp(x->p, y->p, x->n < y->n ? x->n : y->n);

	return c ? c : (x->n > y->n) - (x->n < y->n);
}

static int
is_break(int c)
{
	return is_space(c) || c == '\n';
}

/* Add the words of p[0..n), which may span lines, to s; returns how many. */
static size_t
words(struct strs *s, const char *p, size_t n)
{
	size_t i = 0, j, k = 0;

	for (;;) {
		while (i < n && is_break((unsigned char)p[i]))
			i++;
		if (i == n)
			return k;
		for (j = i; j < n && !is_break((unsigned char)p[j]); j++)
			;
		if (s)
			strs_add(s, p + i, j - i);
		k++;
		i = j;
	}
}

/* The size of the multiset intersection of a and b (both sorted here). */
static uint64_t
common(struct strs *a, struct strs *b)
{
	size_t i = 0, j = 0;
	uint64_t m = 0;

	qsort(a->v, a->n, sizeof *a->v, str_cmp);
	qsort(b->v, b->n, sizeof *b->v, str_cmp);
	while (i < a->n && j < b->n) {
		int c = str_cmp(&a->v[i], &b->v[j]);

		if (c == 0) {
			m++;
			i++;
			j++;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
	return m;
}

/* ---- the marks of dedupe-boilerplate --mark ---- */

enum det { DET_KEEP, DET_SITE, DET_REPEAT, DET_PULLQUOTE, DET_LABEL, DET_MENU, DET_RULE,
	DET_CLASSIFIER, DET_CUT, DET_TAIL, NDET };

static const char *const det_names[NDET] = {
	"keep", "site", "repeat", "pull-quote", "label", "menu", "rule", "classifier", "cut", "tail"
};

struct mark {
	unsigned char det;
	size_t cut_start, cut_end;
};

/* Where the JSON value starting at p[i] ends (it is well formed: the
 * line passed json_scan). */
static size_t
value_end(const char *p, size_t n, size_t i)
{
	int depth = 0, in_str = 0;

	for (; i < n; i++) {
		if (in_str) {
			if (p[i] == '\\')
				i++;
			else if (p[i] == '"')
				in_str = 0;
			continue;
		}
		if (p[i] == '"')
			in_str = 1;
		else if (p[i] == '{' || p[i] == '[')
			depth++;
		else if (p[i] == '}' || p[i] == ']')
			depth--;
		if (depth == 0 && !in_str)
			return i + 1;
	}
	return n;
}

static size_t
skip_ws(const char *p, size_t n, size_t i)
{
	while (i < n && strchr(" \t\r\n", p[i]) && p[i])
		i++;
	return i;
}

/* A non-negative integer, the whole of p[0..n). */
static int
uint_of(const char *p, size_t n, size_t *v)
{
	size_t i;

	if (n == 0 || n > 18)
		return -1;
	*v = 0;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		*v = *v * 10 + (size_t)(p[i] - '0');
	}
	return 0;
}

/*
 * Fill m[0..nlines) from the "boilerplate" array p[0..n) of a record
 * whose text has nlines lines starting at lstart[]; where names the
 * record in messages.
 */
static void
read_marks(const char *p, size_t n, struct mark *m, size_t nlines, const size_t *lstart,
    const size_t *lend, const char *where, struct buf *tmp)
{
	static const char *const keys[] = { "line", "why", "span" };
	size_t i = skip_ws(p, n, 0);

	if (i == n || p[i] != '[')
		msg_fatal("%s: \"boilerplate\" is not an array", where);
	i = skip_ws(p, n, i + 1);
	if (i < n && p[i] == ']')
		return;
	for (;;) {
		struct json_span sp[3];
		const char *err, *q;
		size_t off, e, line, s0, s1, c;
		unsigned flags;
		int d;

		if (i == n || p[i] != '{')
			msg_fatal("%s: an element of \"boilerplate\" is not an object", where);
		e = value_end(p, n, i);
		q = p + i;
		if (json_scan(q, e - i, keys, 3, sp, &flags, &err, &off) < 0)
			msg_fatal("%s: bad mark: %s", where, err);
		if (sp[0].kind != JSON_OTHER ||
		    uint_of(q + sp[0].start, sp[0].end - sp[0].start, &line) < 0 ||
		    line < 1 || line > nlines)
			msg_fatal("%s: a mark without a line number from 1 to %zu", where, nlines);
		if (sp[1].kind != JSON_STRING)
			msg_fatal("%s: line %zu: a mark without \"why\"", where, line);
		buf_reset(tmp);
		json_unescape(tmp, q + sp[1].start, sp[1].end - sp[1].start);
		if (strncmp(tmp->data, "rule:", 5) == 0 && tmp->len > 5) {
			d = DET_RULE;
		} else {
			for (d = DET_SITE; d < NDET; d++)
				if (strcmp(tmp->data, det_names[d]) == 0)
					break;
			if (d == NDET || d == DET_RULE)
				msg_fatal("%s: line %zu: unknown \"why\": '%s'", where, line, tmp->data);
		}
		if (m[line - 1].det != DET_KEEP)
			msg_fatal("%s: line %zu is marked twice", where, line);
		m[line - 1].det = (unsigned char)d;
		if (d == DET_CUT && sp[2].kind == JSON_ABSENT)
			msg_fatal("%s: line %zu: a cut without \"span\"", where, line);
		if (sp[2].kind != JSON_ABSENT) {
			const char *a = q + sp[2].start;
			size_t an = sp[2].end - sp[2].start;

			/* "[S,E]" with optional white space. */
			if (sp[2].kind != JSON_OTHER || an < 5 || a[0] != '[')
				msg_fatal("%s: line %zu: bad \"span\"", where, line);
			c = skip_ws(a, an, 1);
			for (off = c; off < an && a[off] >= '0' && a[off] <= '9'; off++)
				;
			if (uint_of(a + c, off - c, &s0) < 0)
				msg_fatal("%s: line %zu: bad \"span\"", where, line);
			c = skip_ws(a, an, off);
			if (c == an || a[c] != ',')
				msg_fatal("%s: line %zu: bad \"span\"", where, line);
			c = skip_ws(a, an, c + 1);
			for (off = c; off < an && a[off] >= '0' && a[off] <= '9'; off++)
				;
			if (uint_of(a + c, off - c, &s1) < 0 || skip_ws(a, an, off) != an - 1)
				msg_fatal("%s: line %zu: bad \"span\"", where, line);
			if (s0 > s1 || s0 < lstart[line - 1] || s1 > lend[line - 1])
				msg_fatal("%s: line %zu: span [%zu,%zu] is not within the line", where,
				    line, s0, s1);
			m[line - 1].det = DET_CUT;
			m[line - 1].cut_start = s0;
			m[line - 1].cut_end = s1;
		}
		i = skip_ws(p, n, e);
		if (i < n && p[i] == ']')
			return;
		if (i == n || p[i] != ',')
			msg_fatal("%s: \"boilerplate\" is not a well-formed array", where);
		i = skip_ws(p, n, i + 1);
	}
}

/* ---- scoring ---- */

struct score {
	uint64_t kept_content, removed_boiler;
	uint64_t kept_words, gold_words, match;
};

struct corpus {
	const char *name;
	uint64_t records, lines, content, boiler;
	struct score dd, c4;
	uint64_t det_content[NDET], det_boiler[NDET];
};

/* The C4 line rule on a squeezed line. */
static int
c4_keeps(const char *p, size_t n)
{
	static const char rdq[] = "\xe2\x80\x9d";	/* U+201D */

	if (n == 0 || words(NULL, p, n) < 3)
		return 0;
	if (strchr(".!?\"", p[n - 1]))
		return 1;
	return n >= 3 && memcmp(p + n - 3, rdq, 3) == 0;
}

/* Reused from record to record. */
struct work {
	struct buf gsq, sq, tmp;
	size_t *goff, *glen;
	size_t ngold, gcap;
	struct strs gset, gwords, ddwords, c4words;
	size_t *lstart, *lend;
	struct mark *m;
	size_t lcap;
};

static int
in_gold(struct work *w, const char *p, size_t n)
{
	struct str key;

	key.p = p;
	key.n = n;
	return bsearch(&key, w->gset.v, w->gset.n, sizeof key, str_cmp) != NULL;
}

static void
score_record(struct corpus *c, struct work *w, const struct rin *dump, const struct rin *gold,
    const struct rin *marked, const char *where)
{
	const char *t = dump->text.data, *g = gold->text.data;
	size_t n = dump->text.len, gn = gold->text.len, i, pos, nl;

	/* The gold lines, squeezed, as a sorted set; the gold words. */
	buf_reset(&w->gsq);
	w->ngold = 0;
	w->gset.n = w->gwords.n = w->ddwords.n = w->c4words.n = 0;
	for (pos = 0; pos <= gn; pos = i + 1) {
		const char *e = memchr(g + pos, '\n', gn - pos);
		size_t before = w->gsq.len;

		i = e ? (size_t)(e - g) : gn;
		squeeze(&w->gsq, g + pos, i - pos);
		if (w->gsq.len > before) {
			if (w->ngold == w->gcap) {
				w->gcap = w->gcap ? 2 * w->gcap : 256;
				w->goff = xrealloc(w->goff, w->gcap * sizeof *w->goff);
				w->glen = xrealloc(w->glen, w->gcap * sizeof *w->glen);
			}
			w->goff[w->ngold] = before;
			w->glen[w->ngold++] = w->gsq.len - before;
		}
	}
	for (i = 0; i < w->ngold; i++)
		strs_add(&w->gset, w->gsq.data + w->goff[i], w->glen[i]);
	qsort(w->gset.v, w->gset.n, sizeof *w->gset.v, str_cmp);
	c->dd.gold_words += words(&w->gwords, g, gn);

	/* The dump's lines, as dedupe-boilerplate numbers them. */
	for (nl = 0, pos = 0;; nl++) {
		const char *e = memchr(t + pos, '\n', n - pos);

		if (nl == w->lcap) {
			w->lcap = w->lcap ? 2 * w->lcap : 1024;
			w->lstart = xrealloc(w->lstart, w->lcap * sizeof *w->lstart);
			w->lend = xrealloc(w->lend, w->lcap * sizeof *w->lend);
			w->m = xrealloc(w->m, w->lcap * sizeof *w->m);
		}
		w->lstart[nl] = pos;
		w->lend[nl] = e ? (size_t)(e - t) : n;
		memset(&w->m[nl], 0, sizeof w->m[nl]);
		if (e == NULL)
			break;
		pos = w->lend[nl] + 1;
	}
	nl++;
	if (marked->marks)
		read_marks(marked->marks, marked->nmarks, w->m, nl, w->lstart, w->lend, where,
		    &w->tmp);
	else
		msg_fatal("%s: no \"boilerplate\" key (run dedupe-boilerplate --mark)", where);

	for (i = 0; i < nl; i++) {
		const char *p = t + w->lstart[i];
		size_t len = w->lend[i] - w->lstart[i];
		const struct mark *m = &w->m[i];
		int content;

		buf_reset(&w->sq);
		squeeze(&w->sq, p, len);
		if (w->sq.len == 0)
			continue;
		c->lines++;
		content = in_gold(w, w->sq.data, w->sq.len);
		if (content)
			c->content++;
		else
			c->boiler++;

		if (m->det == DET_KEEP || m->det == DET_CUT) {
			if (m->det == DET_CUT) {
				words(&w->ddwords, p, m->cut_start - w->lstart[i]);
				words(&w->ddwords, t + m->cut_end, w->lend[i] - m->cut_end);
				if (content)
					c->det_content[DET_CUT]++;
				else
					c->det_boiler[DET_CUT]++;
			} else {
				words(&w->ddwords, p, len);
			}
			if (content)
				c->dd.kept_content++;
		} else {
			if (content)
				c->det_content[m->det]++;
			else
				c->det_boiler[m->det]++;
			if (!content)
				c->dd.removed_boiler++;
		}

		if (c4_keeps(w->sq.data, w->sq.len)) {
			words(&w->c4words, p, len);
			if (content)
				c->c4.kept_content++;
		} else if (!content) {
			c->c4.removed_boiler++;
		}
	}
	c->c4.gold_words = c->dd.gold_words;
	c->dd.kept_words += w->ddwords.n;
	c->c4.kept_words += w->c4words.n;
	c->dd.match += common(&w->ddwords, &w->gwords);
	c->c4.match += common(&w->c4words, &w->gwords);
	c->records++;
}

static void
check_same(const struct rin *a, const struct rin *b, const char *an, const char *bn,
    uintmax_t rec)
{
	char *x, *y;

	if (a->has_id == b->has_id && a->id.len == b->id.len &&
	    memcmp(a->id.data, b->id.data, a->id.len) == 0)
		return;
	x = msg_quote(a->has_id ? a->id.data : "(none)");
	y = msg_quote(b->has_id ? b->id.data : "(none)");
	msg_fatal("record %ju: id '%s' in %s, '%s' in %s: the files must hold the same "
	    "records in the same order", rec, x, an, y, bn);
}

static void
score_corpus(struct corpus *c, const char *dumpf, const char *goldf, const char *markf,
    struct work *w)
{
	struct rd d, g, k;
	struct rin dr, gr, kr;
	char where[600];
	int hd, hg, hk;

	memset(&dr, 0, sizeof dr);
	memset(&gr, 0, sizeof gr);
	memset(&kr, 0, sizeof kr);
	rd_open(&d, dumpf);
	rd_open(&g, goldf);
	rd_open(&k, markf);
	for (;;) {
		hd = rd_next(&d);
		hg = rd_next(&g);
		hk = rd_next(&k);
		if (!hd && !hg && !hk)
			break;
		if (!hd || !hg || !hk)
			msg_fatal("%s has %ju records, %s %ju, %s %ju (or more): they must match",
			    dumpf, c->records + hd, goldf, c->records + hg, markf, c->records + hk);
		rin_read(&d, &dr);
		rin_read(&g, &gr);
		rin_read(&k, &kr);
		check_same(&dr, &gr, dumpf, goldf, c->records + 1);
		check_same(&dr, &kr, dumpf, markf, c->records + 1);
		if (dr.text.len != kr.text.len || memcmp(dr.text.data, kr.text.data, dr.text.len))
			msg_fatal("%s:%ju: the text is not the dump's (%s:%ju): mark the dump itself",
			    markf, k.lineno, dumpf, d.lineno);
		snprintf(where, sizeof where, "%s:%ju", markf, k.lineno);
		score_record(c, w, &dr, &gr, &kr, where);
	}
	rd_close(&d);
	rd_close(&g);
	rd_close(&k);
	buf_release(&dr.id);
	buf_release(&dr.text);
	buf_release(&gr.id);
	buf_release(&gr.text);
	buf_release(&kr.id);
	buf_release(&kr.text);
}

/* ---- the table ---- */

#define ROW "%-22s %-20s %7s %7s %7s %7s %6s %7s %6s %6s %6s\n"
#define DETROW "%-22s %-20s %7s %7s %7s %7s\n"

static void
ratio(char *s, size_t n, uint64_t a, uint64_t b)
{
	if (b == 0)
		snprintf(s, n, "-");
	else
		snprintf(s, n, "%.3f", (double)a / (double)b);
}

static void
print_score(const struct corpus *c, const char *label, const char *method, const struct score *s)
{
	char rec[24], lines[24], con[24], bp[24], kept[24], rem[24], p[24], r[24], f[24];
	double pp, rr;

	snprintf(rec, sizeof rec, "%ju", (uintmax_t)c->records);
	snprintf(lines, sizeof lines, "%ju", (uintmax_t)c->lines);
	snprintf(con, sizeof con, "%ju", (uintmax_t)c->content);
	snprintf(bp, sizeof bp, "%ju", (uintmax_t)c->boiler);
	ratio(kept, sizeof kept, s->kept_content, c->content);
	ratio(rem, sizeof rem, s->removed_boiler, c->boiler);
	ratio(p, sizeof p, s->match, s->kept_words);
	ratio(r, sizeof r, s->match, s->gold_words);
	if (s->kept_words == 0 || s->gold_words == 0 || s->match == 0) {
		snprintf(f, sizeof f, "-");
	} else {
		pp = (double)s->match / (double)s->kept_words;
		rr = (double)s->match / (double)s->gold_words;
		snprintf(f, sizeof f, "%.3f", 2 * pp * rr / (pp + rr));
	}
	printf(ROW, label, method, rec, lines, con, bp, kept, rem, p, r, f);
}

static void
print_corpus(const struct corpus *c)
{
	char con[24], bp[24], label[32];
	int d;

	print_score(c, c->name, "dedupe-boilerplate", &c->dd);
	for (d = DET_SITE; d < NDET; d++) {
		snprintf(con, sizeof con, "%ju", (uintmax_t)c->det_content[d]);
		snprintf(bp, sizeof bp, "%ju", (uintmax_t)c->det_boiler[d]);
		snprintf(label, sizeof label, "  - %s", det_names[d]);
		printf(DETROW, "", label, "", "", con, bp);
	}
	print_score(c, "", "C4 line rule", &c->c4);
}

WN_NORETURN static void
usage(void)
{
	fprintf(stderr, "usage: bpeval name dump gold marked [name dump gold marked ...]\n");
	exit(MSG_EXIT_FATAL);
}

int
main(int argc, char **argv)
{
	struct corpus *c;
	struct work w;
	int i, n;

	msg_init(argv[0]);
	if (argc < 5 || (argc - 1) % 4 != 0)
		usage();
	n = (argc - 1) / 4;
	c = xcalloc((size_t)n, sizeof *c);
	memset(&w, 0, sizeof w);
	buf_init(&w.gsq);
	buf_init(&w.sq);
	buf_init(&w.tmp);
	for (i = 0; i < n; i++) {
		c[i].name = argv[1 + 4 * i];
		score_corpus(&c[i], argv[2 + 4 * i], argv[3 + 4 * i], argv[4 + 4 * i], &w);
	}
	printf(ROW, "corpus", "scorer", "records", "lines", "content", "boiler", "kept",
	    "removed", "P", "R", "F1");
	for (i = 0; i < n; i++)
		print_corpus(&c[i]);
	printf("\nkept: content lines kept / content lines; removed: boilerplate lines removed /\n"
	    "boilerplate lines; P, R, F1: words of the kept text against the gold text.\n"
	    "Rows \"- why\": content and boilerplate lines that detector removed; \"- cut\":\n"
	    "lines kept minus a span.  Definitions: tests/bpeval.c and README.md.\n");
	buf_release(&w.gsq);
	buf_release(&w.sq);
	buf_release(&w.tmp);
	free(w.goff);
	free(w.glen);
	free(w.gset.v);
	free(w.gwords.v);
	free(w.ddwords.v);
	free(w.c4words.v);
	free(w.lstart);
	free(w.lend);
	free(w.m);
	free(c);
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0)
		msg_fatal("<stdout>: write error: %s", strerror(errno));
	return 0;
}
