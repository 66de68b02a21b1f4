/*
 * tagger: features, Viterbi, and the model file (see tagger.h).
 */
#include "compat.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "bfile.h"
#include "msg.h"
#include "tagger.h"
#include "tok.h"
#include "uni.h"
#include "utf8.h"

static const struct bf_kind model_kind = { "WNNAMES", "names model", 2, 2 };

/* Feature templates: a feature's hash mixes its template with a value. */
enum {
	T_BIAS = 1, T_FORM, T_LOWER, T_PREFIX, T_SUFFIX = T_PREFIX + 4, T_SHAPE = T_SUFFIX + 4,
	T_SHAPES, T_PREV, T_NEXT, T_PREV2, T_NEXT2, T_PREV_FORM, T_NEXT_FORM, T_PREV_CUR,
	T_CUR_NEXT, T_FIRST, T_HEADLINE, T_CLUSTER, T_NO_CLUSTER = T_CLUSTER + LX_PREFIXES,
	T_PREV_CLUSTER, T_NEXT_CLUSTER = T_PREV_CLUSTER + 2, T_GAZ = T_NEXT_CLUSTER + 2,
	T_PREV_GAZ, T_NEXT_GAZ, T_DOC, T_DOC_FIRST, T_LENGTH, T_GUESSED, T_GUESSED_MOST, T_AGG_BEFORE,
	T_AGG_AFTER, T_SCORES, T_SCORES_GAZ, T_DATELINE
};

/* The tags of a word before the token being tagged (g->guessed): a
 * count per kind (O, then each type) in 6 bits each, held at 63. */
#define GUESS_KINDS (1 + TG_NTYPES)
#define GUESS_COUNT(v, kind) ((v) >> (6 * (kind)) & 63)

/* What a document says of a word (tg_prepare): bits of docword. */
enum {
	DW_LOWER = 1,		/* written in lower case somewhere */
	DW_CASED_MID = 2,	/* capitalised inside a sentence, not a headline */
	DW_RUN_FIRST = 4,	/* first of two or more capitalised words */
	DW_RUN_LAST = 8,	/* last of two or more */
	DW_NBITS = 4
};

/* Words whose sums score_token remembers in each role before it starts
 * afresh. */
#define CACHE_WORDS 65536
enum { CACHE_FORM, CACHE_BEFORE, CACHE_AFTER };
#define GAZ_SLOTS 8		/* gazetteer matches kept per token */
#define NONE_HASH 0x5bd1e9955bd1e995u	/* the word before the first, after the last */

const char *
tg_type_name(int type)
{
	static const char *const names[TG_NTYPES] = { "person", "org", "place", "misc" };

	return names[type];
}

static uint64_t
fh(unsigned tmpl, uint64_t v)
{
	/* A bijection of v ^ tmpl * K (murmur3's finaliser): two features
	 * differ whenever those differ.  A product folded in half is no
	 * bijection, and made the same feature of a word's form and of its
	 * lower case ("of") for a word in a few hundred thousand. */
	v ^= (uint64_t)tmpl * 0x9E3779B97F4A7C15u;
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdu;
	v ^= v >> 33;
	v *= 0xc4ceb9fe1a85ec53u;
	v ^= v >> 33;
	return v;
}

static uint64_t
fh2(unsigned tmpl, uint64_t a, uint64_t b)
{
	return fh(tmpl, a * 0x100000001b3u ^ (b << 17 | b >> 47));
}

int
tg_allowed(int a, int b)
{
	int inside_a = a != TG_O && (TG_PART(a) == TG_B || TG_PART(a) == TG_I);

	if (inside_a)	/* a name goes on: the same type, I or L */
		return b != TG_O && TG_TYPE(b) == TG_TYPE(a) &&
		    (TG_PART(b) == TG_I || TG_PART(b) == TG_L);
	return b == TG_O || TG_PART(b) == TG_B || TG_PART(b) == TG_U;
}

/* The scratch of one document's tagging, empty. */
static void
scratch_init(struct tg *g)
{
	size_t i;

	fm_init(&g->docword);
	fm_init(&g->aggword);
	fm_init(&g->guessed);
	g->agg = NULL;
	g->nagg = g->capagg = 0;
	for (i = 0; i < TG_CACHES; i++) {
		fm_init(&g->cache[i].map);
		g->cache[i].score = xmalloc(CACHE_WORDS * TG_NTAGS * sizeof *g->cache[i].score);
		g->cache[i].n = 0;
	}
	g->score = g->vbest = NULL;
	g->back = NULL;
	g->gaz = NULL;
	g->caps = g->later = NULL;
	g->scorecap = 0;
	buf_init(&g->lower);
	buf_init(&g->form);
}

static void
scratch_release(struct tg *g)
{
	size_t i;

	fm_release(&g->docword);
	fm_release(&g->aggword);
	free(g->agg);
	fm_release(&g->guessed);
	for (i = 0; i < TG_CACHES; i++) {
		fm_release(&g->cache[i].map);
		free(g->cache[i].score);
	}
	free(g->score);
	free(g->vbest);
	free(g->back);
	free(g->gaz);
	free(g->caps);
	free(g->later);
	buf_release(&g->lower);
	buf_release(&g->form);
}

void
tg_init(struct tg *g, const struct lx *lx)
{
	size_t i;
	int a, b;

	memset(g, 0, sizeof *g);
	g->lx = lx;
	fm_init(&g->feature);
	fm_init(&g->connector);
	scratch_init(g);
	for (b = 0; b < TG_NTAGS; b++)
		for (a = 0; a < TG_NTAGS; a++) {
			g->allowed[a][b] = (uint8_t)tg_allowed(a, b);
			if (g->allowed[a][b])
				g->pred[b][g->npred[b]++] = (uint8_t)a;
		}
	for (i = 0; i < lx_nclasses(lx); i++)
		g->class_hash[i] = nd_hash(lx_class_name(lx, i), strlen(lx_class_name(lx, i)));
}

void
tg_release(struct tg *g)
{
	fm_release(&g->feature);
	fm_release(&g->connector);
	free(g->w);
	scratch_release(g);
}

void
tg_init_shared(struct tg *copy, const struct tg *model)
{
	*copy = *model;
	scratch_init(copy);
}

void
tg_release_shared(struct tg *copy)
{
	scratch_release(copy);
}

/* Room for n tokens in the document scratch arrays. */
static void
reserve(struct tg *g, size_t n)
{
	/* The first call allocates even for no tokens: memset of a null
	 * pointer is undefined, also for no bytes. */
	if (n <= g->scorecap && g->score != NULL)
		return;
	g->scorecap = n + n / 2 + 64;
	g->score = xrealloc(g->score, g->scorecap * TG_NTAGS * sizeof *g->score);
	g->vbest = xrealloc(g->vbest, g->scorecap * TG_NTAGS * sizeof *g->vbest);
	g->back = xrealloc(g->back, g->scorecap * TG_NTAGS);
	g->gaz = xrealloc(g->gaz, g->scorecap * GAZ_SLOTS);
	g->caps = xrealloc(g->caps, g->scorecap * sizeof *g->caps);
	g->later = xrealloc(g->later, g->scorecap * sizeof *g->later);
}

/*
 * Gazetteer phrases of at least min_len tokens that start at a
 * capitalised token i, within its sentence: each token they cover gets
 * (class, B/I/L/U) codes in g->gaz, and is open to tagging, so that a
 * listed name with a lower-case word inside ("Dar es Salaam") can be
 * tagged whole.
 */
static void
match_gazetteer(struct tg *g, struct nd_doc *d, size_t i, size_t min_len)
{
	uint64_t seq = 0;
	size_t k, len;

	for (len = 1; len <= LX_MAX_PHRASE && i + len <= d->n; len++) {
		uint32_t classes;
		size_t c;

		if (len > 1 && d->tok[i + len - 1].sent_first)
			break;
		seq = lx_seq(seq, d->tok[i + len - 1].h_key);
		if (!lx_phrase_start(g->lx, seq, &classes))
			break;
		if (classes == 0 || len < min_len)
			continue;
		for (c = 0; c < LX_MAX_CLASSES; c++) {
			if (!(classes >> c & 1))
				continue;
			for (k = i; k < i + len; k++) {
				unsigned char *slot = g->gaz + k * GAZ_SLOTS;
				int part = len == 1 ? TG_U : k == i ? TG_B : k == i + len - 1 ? TG_L : TG_I;
				size_t s;

				d->tok[k].open = 1;
				for (s = 0; s < GAZ_SLOTS && slot[s] != 0; s++)
					;
				if (s < GAZ_SLOTS)
					slot[s] = (unsigned char)(1 + c * 4 + part);
			}
		}
	}
}

/* Is there a capitalised token next to open token i, or beyond at most
 * two other open ones, in direction step (-1 or 1) within its sentence? */
static int
capital_near(const struct nd_doc *d, size_t i, int step)
{
	size_t k = i, steps;

	for (steps = 0; steps < 3; steps++) {
		if (step < 0 ? d->tok[k].sent_first : k + 1 >= d->n || d->tok[k + 1].sent_first)
			return 0;
		k = step < 0 ? k - 1 : k + 1;
		if (d->tok[k].cased)
			return 1;
		if (!d->tok[k].open)
			return 0;
	}
	return 0;
}

static void
add_neighbour(uint64_t *list, unsigned char *n, uint64_t h)
{
	unsigned k;

	for (k = 0; k < *n; k++)
		if (list[k] == h)
			return;
	if (*n < TG_NEIGHBOURS)
		list[(*n)++] = h;
}

/* A set of words as bits picked by their hashes: it may hold words never
 * put in it, never lacks one that was. */
static void
set_bit(uint64_t *set, uint64_t h)
{
	set[h >> 58 & (TG_WORD_BITS / 64 - 1)] |= UINT64_C(1) << (h & 63);
}

static int
has_bit(const uint64_t *set, uint64_t h)
{
	return set[h >> 58 & (TG_WORD_BITS / 64 - 1)] >> (h & 63) & 1;
}

void
tg_add_connector(struct tg *g, uint64_t h)
{
	fm_put(&g->connector, h, 1);
	set_bit(g->connector_bits, h);
}

/* Add the words around capitalised token i to those of its word. */
static void
add_neighbours(struct tg *g, const struct nd_doc *d, size_t i)
{
	const struct nd_tok *t = &d->tok[i];
	struct tg_neighbours *a;
	uint32_t *slot = fm_put(&g->aggword, t->h_lower, (uint32_t)g->nagg);

	if (*slot == g->nagg) {
		if (g->nagg == g->capagg) {
			g->capagg = g->capagg ? 2 * g->capagg : 256;
			g->agg = xrealloc(g->agg, g->capagg * sizeof *g->agg);
		}
		g->agg[g->nagg].nbefore = g->agg[g->nagg].nafter = 0;
		g->nagg++;
	}
	a = &g->agg[*slot];
	if (!t->sent_first)
		add_neighbour(a->before, &a->nbefore, d->tok[i - 1].h_lower);
	if (i + 1 < d->n && !d->tok[i + 1].sent_first)
		add_neighbour(a->after, &a->nafter, d->tok[i + 1].h_lower);
}

/* The run of n capitalised tokens before token end has ended. */
static void
end_run(struct tg *g, const struct nd_doc *d, size_t end, size_t n)
{
	if (n < 2)
		return;
	*fm_put(&g->docword, d->tok[end - n].h_lower, 0) |= DW_RUN_FIRST;
	*fm_put(&g->docword, d->tok[end - 1].h_lower, 0) |= DW_RUN_LAST;
}

void
tg_prepare(struct tg *g, struct nd_doc *d)
{
	size_t i, k, run = 0, ncaps = 0, nlater = 0;

	reserve(g, d->n);
	memset(g->gaz, 0, d->n * GAZ_SLOTS);
	fm_clear(&g->docword);
	fm_clear(&g->aggword);
	g->nagg = 0;
	/* One pass over the tokens: what the document says of its words,
	 * its runs of capitals (inside sentences, not in headlines), the
	 * words around each capital, and which tokens may be open.  What
	 * needs the whole document is asked after, of the few tokens it
	 * concerns, in the same order. */
	memset(g->cased_words, 0, sizeof g->cased_words);
	for (i = 0; i < d->n; i++)
		if (d->tok[i].cased)
			set_bit(g->cased_words, d->tok[i].h_lower);
	for (i = 0; i < d->n; i++) {
		struct nd_tok *t = &d->tok[i];
		int in_run = t->cased && !t->headline;

		t->open = t->cased || (has_bit(g->connector_bits, t->h_lower) &&
		    fm_find(&g->connector, t->h_lower) != NULL);
		/* Only open tokens ask whether their word is written in lower
		 * case: a capitalised one, or a connector, itself lower case. */
		if (t->shape == TOK_SHAPE_LOWER) {
			if (t->open || has_bit(g->cased_words, t->h_lower))
				*fm_put(&g->docword, t->h_lower, 0) |= DW_LOWER;
		} else if (in_run && !t->sent_first) {
			*fm_put(&g->docword, t->h_lower, 0) |= DW_CASED_MID;
		}
		if (!in_run || t->sent_first) {
			end_run(g, d, i, run);
			run = 0;
		}
		if (in_run) {
			run++;
			add_neighbours(g, d, i);
		}
		if (t->cased)
			g->caps[ncaps++] = (uint32_t)i;
		if (t->open && (t->headline || !t->cased))
			g->later[nlater++] = (uint32_t)i;
	}
	end_run(g, d, d->n, run);
	/* A word a headline capitalises but the document writes in lower
	 * case ("Defends", "Rules") is not a name. */
	for (k = 0; k < nlater; k++) {
		struct nd_tok *t = &d->tok[g->later[k]];
		const uint32_t *dw;

		if (t->headline && (dw = fm_find(&g->docword, t->h_lower)) != NULL &&
		    (*dw & DW_LOWER))
			t->open = 0;
	}
	/* A lower-case word or a number is in a name only beside capitalised
	 * words ("Bank of England", "Nikolaus van der Pas", "1860 Munich"):
	 * alone, "of" and "the" would make every sentence a run to decode. */
	for (k = 0; k < nlater; k++) {
		i = g->later[k];
		if (d->tok[i].open && !d->tok[i].cased && !capital_near(d, i, -1) &&
		    !capital_near(d, i, 1))
			d->tok[i].open = 0;
	}
	/* A headline word closed above still begins a listed name of two
	 * words or more: "NEW" of "NEW YORK" in a text that says "new". */
	for (k = 0; k < ncaps; k++)
		match_gazetteer(g, d, g->caps[k], d->tok[g->caps[k]].open ? 1 : 2);
	fm_clear(&g->guessed);
	g->history_at = 0;
}

void
tg_history_upto(struct tg *g, const struct nd_doc *d, size_t i)
{
	for (; g->history && g->history_at < i; g->history_at++) {
		const struct nd_tok *t = &d->tok[g->history_at];
		uint32_t *v, kind;

		if (!t->cased)
			continue;
		kind = t->first == TG_O ? 0 : 1 + (uint32_t)TG_TYPE(t->first);
		v = fm_put(&g->guessed, t->h_lower, 0);
		if (GUESS_COUNT(*v, kind) < 63)
			*v += 1u << (6 * kind);
	}
}

/* The shape of a word, character by character, runs squeezed to two:
 * "Xxx" for "Oslo", "X.X." for "U.S.", "dd-dd" for "12-1997"; with
 * capitals, as if the word were written in capitals. */
static uint64_t
fine_shape(const char *p, size_t n, int capitals)
{
	char s[32];
	size_t i = 0, m = 0;

	while (i < n && m < sizeof s) {
		unsigned char c = (unsigned char)p[i];
		uint32_t cp = c;
		char k;

		if (c < 0x80) {
			i++;
		} else {
			int len = utf8_decode((const unsigned char *)p + i, n - i, &cp);

			i += len > 0 ? (size_t)len : 1;
		}
		k = cp >= 'A' && cp <= 'Z' ? 'X' : cp >= 'a' && cp <= 'z' ? (capitals ? 'X' : 'x') :
		    cp >= '0' && cp <= '9' ? 'd' : cp < 0x80 ? (char)cp :
		    uni_is_upper(cp) ? 'X' : uni_is_lower(cp) ? 'x' : 'u';
		if (m >= 2 && s[m - 1] == k && s[m - 2] == k)
			continue;
		s[m++] = k;
	}
	return nd_hash(s, m);
}

static void
add_classes(const struct tg *g, unsigned tmpl, uint32_t classes, uint64_t *f, size_t *n,
    size_t most)
{
	size_t c;

	for (c = 0; classes != 0 && *n < most; c++, classes >>= 1)
		if (classes & 1)
			f[(*n)++] = fh(tmpl, g->class_hash[c]);
}

static const uint64_t *
cluster_of(const struct tg *g, const struct nd_tok *t)
{
	const uint64_t *c = lx_cluster(g->lx, t->h_key);

	return c != NULL ? c : lx_cluster(g->lx, t->h_lower);
}

/* The features of token i that depend on its form alone (and on the
 * lexicon key, which a headline changes): score_token keeps their sum per
 * word. */
static size_t
form_features(struct tg *g, const struct nd_doc *d, size_t i, uint64_t *f)
{
	const struct nd_tok *t = &d->tok[i];
	const char *p = d->text + t->start;
	size_t len = t->end - t->start, n = 0, k;
	const uint64_t *c;

	/* The features of the form the hashes have (curly apostrophes as
	 * ASCII), so that its two spellings, one sum, give the same. */
	if (!utf8_ascii(p, len)) {
		buf_reset(&g->form);
		nd_ascii_form(p, len, &g->form);
		p = g->form.data;
		len = g->form.len;
	}
	f[n++] = fh(T_BIAS, 0);
	f[n++] = fh(T_FORM, t->h_form);
	f[n++] = fh(T_LOWER, t->h_lower);
	buf_reset(&g->lower);
	nd_lower(p, len, &g->lower);
	for (k = 1; k <= 4 && k <= g->lower.len; k++) {
		f[n++] = fh(T_PREFIX + (unsigned)k - 1, nd_hash(g->lower.data, k));
		f[n++] = fh(T_SUFFIX + (unsigned)k - 1, nd_hash(g->lower.data + g->lower.len - k, k));
	}
	f[n++] = fh(T_SHAPE, fine_shape(p, len, t->headline && t->shape == TOK_SHAPE_UPPER));
	f[n++] = fh(T_LENGTH, len < 12 ? len : 12);
	if ((c = cluster_of(g, t)) != NULL)
		for (k = 0; k < LX_PREFIXES; k++)
			f[n++] = fh(T_CLUSTER + (unsigned)k, c[k]);
	else
		f[n++] = fh(T_NO_CLUSTER, 0);
	return n;
}

/* How the word of t was tagged before it in the document: each kind of
 * tag it was given, and the one it was given most. */
static size_t
guess_features(const struct tg *g, const struct nd_tok *t, uint64_t *f)
{
	const uint32_t *v = fm_find(&g->guessed, t->h_lower);
	uint32_t kind, most = 0;
	uint32_t count[GUESS_KINDS];
	size_t n = 0;

	if (v == NULL)
		return 0;
	for (kind = 0; kind < GUESS_KINDS; kind++)
		count[kind] = GUESS_COUNT(*v, kind);
	for (kind = 0; kind < GUESS_KINDS; kind++) {
		if (count[kind] == 0)
			continue;
		f[n++] = fh(T_GUESSED, kind);
		f[n++] = fh2(T_GUESSED, kind, t->headline ? 2 : t->sent_first);
		if (count[kind] > count[most] || count[most] == 0)
			most = kind;
	}
	if (n > 0)
		f[n++] = fh(T_GUESSED_MOST, most);
	return n;
}

/*
 * The features a neighbour gives token i, the word before it (side 0) or
 * after it (side 1), or none when i is at its sentence's edge: the
 * neighbour's word, form, clusters and gazetteer classes.  They depend on
 * the neighbour's form alone, so score_token keeps their sum per word.
 */
static size_t
side_features(const struct tg *g, int side, const struct nd_tok *t, uint64_t *f)
{
	static const unsigned word[] = { T_PREV, T_NEXT }, form[] = { T_PREV_FORM, T_NEXT_FORM };
	static const unsigned cluster[] = { T_PREV_CLUSTER, T_NEXT_CLUSTER };
	static const unsigned gaz[] = { T_PREV_GAZ, T_NEXT_GAZ };
	size_t n = 0;
	const uint64_t *c;

	f[n++] = fh(word[side], t ? t->h_lower : NONE_HASH);
	f[n++] = fh(form[side], t ? t->h_form : NONE_HASH);
	if (t == NULL)
		return n;
	if ((c = cluster_of(g, t)) != NULL) {
		f[n++] = fh(cluster[side], c[0]);
		f[n++] = fh(cluster[side] + 1, c[2]);
	}
	add_classes(g, gaz[side], lx_phrase(g->lx, lx_seq(0, t->h_key)), f, &n, n + 4);
	return n;
}

/* The neighbours of token i within its sentence, or NULL. */
static const struct nd_tok *
before(const struct nd_doc *d, size_t i)
{
	return i > 0 && !d->tok[i].sent_first ? &d->tok[i - 1] : NULL;
}

static const struct nd_tok *
after(const struct nd_doc *d, size_t i)
{
	return i + 1 < d->n && !d->tok[i + 1].sent_first ? &d->tok[i + 1] : NULL;
}

/* The features of token i that look at its place, the words two away,
 * the pairs it makes with its neighbours, and the document; not those
 * its neighbours give alone (side_features). */
static size_t
place_features(struct tg *g, const struct nd_doc *d, size_t i, uint64_t *f)
{
	const struct nd_tok *t = &d->tok[i];
	const struct nd_tok *prev = before(d, i), *next = after(d, i);
	const struct nd_tok *prev2 = prev ? before(d, i - 1) : NULL;
	const struct nd_tok *next2 = next ? after(d, i + 1) : NULL;
	size_t n = 0, k;
	const unsigned char *gz;
	const uint32_t *dw;

	f[n++] = fh(T_SHAPES, (prev ? prev->shape : 15u) << 8 | (unsigned)t->shape << 4 |
	    (next ? next->shape : 15u));
	f[n++] = fh(T_PREV2, prev2 ? prev2->h_lower : NONE_HASH);
	f[n++] = fh(T_NEXT2, next2 ? next2->h_lower : NONE_HASH);
	f[n++] = fh2(T_PREV_CUR, prev ? prev->h_lower : NONE_HASH, t->h_lower);
	f[n++] = fh2(T_CUR_NEXT, t->h_lower, next ? next->h_lower : NONE_HASH);
	f[n++] = fh(T_FIRST, (uint64_t)t->sent_first << 4 | t->shape);
	f[n++] = fh(T_HEADLINE, (uint64_t)t->headline << 4 | t->shape);
	gz = g->gaz + i * GAZ_SLOTS;
	for (k = 0; k < GAZ_SLOTS && gz[k] != 0; k++)
		f[n++] = fh2(T_GAZ, g->class_hash[(gz[k] - 1) / 4], (gz[k] - 1) % 4);
	/* In a line of results a city is mostly a club ("Milan 2 Torino 1");
	 * in a dateline, a place. */
	if (t->line == ND_LINE_DATELINE)
		f[n++] = fh(T_DATELINE, t->shape);
	if (t->line == ND_LINE_SCORES) {
		f[n++] = fh(T_SCORES, t->shape);
		for (k = 0; k < GAZ_SLOTS && gz[k] != 0; k++)
			f[n++] = fh(T_SCORES_GAZ, g->class_hash[(gz[k] - 1) / 4]);
	}
	if ((dw = fm_find(&g->docword, t->h_lower)) != NULL)
		for (k = 0; k < DW_NBITS; k++)
			if (*dw >> k & 1)
				f[n++] = fh(t->sent_first || t->headline ? T_DOC_FIRST : T_DOC, k);
	if (t->cased && (dw = fm_find(&g->aggword, t->h_lower)) != NULL) {
		const struct tg_neighbours *a = &g->agg[*dw];

		for (k = 0; k < a->nbefore; k++)
			if (prev == NULL || a->before[k] != prev->h_lower)
				f[n++] = fh(T_AGG_BEFORE, a->before[k]);
		for (k = 0; k < a->nafter; k++)
			if (next == NULL || a->after[k] != next->h_lower)
				f[n++] = fh(T_AGG_AFTER, a->after[k]);
	}
	if (g->history && t->cased)
		n += guess_features(g, t, f + n);
	return n;
}

size_t
tg_features(struct tg *g, const struct nd_doc *d, size_t i, uint64_t *f)
{
	size_t n = form_features(g, d, i, f);

	n += side_features(g, 0, before(d, i), f + n);
	n += side_features(g, 1, after(d, i), f + n);
	return n + place_features(g, d, i, f + n);
}

/*
 * One step of Viterbi, to cur from the step before it, for the tag
 * transitions of tg_allowed written out: O, B and U follow O, L and U; I
 * and L follow B and I of their type.  Fixed loops over constant tags
 * unroll, where the lists of g->pred cost a load each.  Predecessors are
 * tried in ascending order and only a greater score replaces the best, as
 * with g->pred, so the result is the same to the bit.
 */
static void
viterbi_step(const struct tg *g, float *cur, const float *score, uint8_t *back)
{
	static const uint8_t ended[] = {
		TG_O, TG_TAG(0, TG_L), TG_TAG(0, TG_U), TG_TAG(1, TG_L), TG_TAG(1, TG_U),
		TG_TAG(2, TG_L), TG_TAG(2, TG_U), TG_TAG(3, TG_L), TG_TAG(3, TG_U)
	};
	static const uint8_t starting[] = {
		TG_O, TG_TAG(0, TG_B), TG_TAG(0, TG_U), TG_TAG(1, TG_B), TG_TAG(1, TG_U),
		TG_TAG(2, TG_B), TG_TAG(2, TG_U), TG_TAG(3, TG_B), TG_TAG(3, TG_U)
	};
	const float *last = cur - TG_NTAGS;
	size_t q, p;
	int type, part;

	_Static_assert(TG_NTYPES == 4, "viterbi_step lists the tags of four types");
	for (q = 0; q < sizeof starting; q++) {
		int b = starting[q], arg = ended[0];
		float top = -INFINITY;

		/* Without branches: which predecessor wins is data, and
		 * mispredicts when branched on. */
		for (p = 0; p < sizeof ended; p++) {
			float s = last[ended[p]] + g->trans[ended[p]][b];
			int better = s > top;

			arg = better ? ended[p] : arg;
			top = better ? s : top;
		}
		cur[b] = top + score[b];
		back[b] = (uint8_t)arg;
	}
	for (type = 0; type < TG_NTYPES; type++)
		for (part = TG_I; part <= TG_L; part++) {
			int b = TG_TAG(type, part), bb = TG_TAG(type, TG_B), ib = TG_TAG(type, TG_I);
			float sb = last[bb] + g->trans[bb][b], si = last[ib] + g->trans[ib][b];
			float top = -INFINITY;
			int arg = bb;

			if (sb > top) {
				top = sb;
				arg = bb;
			}
			if (si > top) {
				top = si;
				arg = ib;
			}
			cur[b] = top + score[b];
			back[b] = (uint8_t)arg;
		}
}

void
tg_viterbi(struct tg *g, const float *score, size_t n, uint8_t *tag)
{
	float *best = g->vbest;
	size_t k;
	int a, b, p;

	if (n == 1) {	/* most runs: O or a one-word name, between O and O */
		float top = -INFINITY;

		for (p = 0; p < g->npred[TG_O]; p++) {
			b = g->pred[TG_O][p];
			if (g->allowed[TG_O][b] &&
			    g->trans[TG_O][b] + score[b] + g->trans[b][TG_O] > top) {
				top = g->trans[TG_O][b] + score[b] + g->trans[b][TG_O];
				tag[0] = (uint8_t)b;
			}
		}
		return;
	}
	for (b = 0; b < TG_NTAGS; b++)
		best[b] = g->allowed[TG_O][b] ? g->trans[TG_O][b] + score[b] : -INFINITY;
	for (k = 1; k < n; k++)
		viterbi_step(g, best + k * TG_NTAGS, score + k * TG_NTAGS, g->back + k * TG_NTAGS);
	{
		const float *last = best + (n - 1) * TG_NTAGS;
		float top = -INFINITY;
		int arg = TG_O;

		for (a = 0; a < TG_NTAGS; a++)
			if (g->allowed[a][TG_O] && last[a] + g->trans[a][TG_O] > top) {
				top = last[a] + g->trans[a][TG_O];
				arg = a;
			}
		for (k = n; k-- > 0;) {
			tag[k] = (uint8_t)arg;
			arg = g->back[k * TG_NTAGS + arg];
		}
	}
}

static void
clear_cache(struct tg_cache *c)
{
	fm_clear(&c->map);
	c->n = 0;
}

void
tg_weights_changed(struct tg *g)
{
	size_t k;

	for (k = 0; k < TG_CACHES; k++)
		clear_cache(&g->cache[k]);
}

/*
 * score[t] += w[k][t] for each row k in turn: the first 16 tags four at a
 * time in vectors of the compiler (GCC and Clang), kept in registers, the
 * last alone.  Each tag's sum is added up in the same order as one at a
 * time, so the result is the same to the bit.
 */
typedef float tg_v4 __attribute__((vector_size(16)));

static void
add_rows(const float *const *w, size_t nw, float *score)
{
	tg_v4 s[4], x;
	float last = score[16];
	size_t k;
	int v;

	_Static_assert(TG_NTAGS == 17, "add_rows adds 16 tags and one");
	memcpy(s, score, sizeof s);
	for (k = 0; k < nw; k++) {
		for (v = 0; v < 4; v++) {
			memcpy(&x, w[k] + 4 * v, sizeof x);
			s[v] += x;
		}
		last += w[k][16];
	}
	memcpy(score, s, sizeof s);
	score[16] = last;
}

/*
 * Add the weights of features f[0..n) to score.  The feature table and
 * the weights are far bigger than the caches: each step fetches what the
 * next needs for all features at once, so that the misses overlap.
 */
static void
add_weights(const struct tg *g, const uint64_t *f, size_t n, float *score)
{
	const float *w[TG_MAX_FEATURES];
	size_t home[TG_MAX_FEATURES], k, nw = 0;

	if (g->feature.cap == 0)
		return;
	for (k = 0; k < n; k++) {
		home[k] = fm_home(&g->feature, f[k]);
		__builtin_prefetch(&g->feature.e[home[k]]);
	}
	for (k = 0; k < n; k++) {
		const uint32_t *row = fm_find_at(&g->feature, f[k], home[k]);

		if (row == NULL)
			continue;
		w[nw] = g->w + (size_t)*row * TG_NTAGS;
		__builtin_prefetch(w[nw]);
		__builtin_prefetch(w[nw] + TG_NTAGS - 1);
		nw++;
	}
	add_rows(w, nw, score);
}

/* The summed weights of the features that word t gives in role k (a
 * form's own, or a neighbour's), worked out on its first use. */
static const float *
cached_sum(struct tg *g, int k, const struct nd_doc *d, size_t i, const struct nd_tok *t)
{
	struct tg_cache *c = &g->cache[k];
	uint64_t f[TG_MAX_FEATURES];
	uint32_t *slot;
	float *s;

	if (c->map.n >= CACHE_WORDS)
		clear_cache(c);
	slot = fm_put(&c->map, t ? t->h_form ^ (t->h_key << 1) : NONE_HASH, (uint32_t)c->n);
	s = c->score + (size_t)*slot * TG_NTAGS;
	if (*slot == c->n) {
		c->n++;
		memset(s, 0, TG_NTAGS * sizeof *s);
		add_weights(g, f, k == CACHE_FORM ? form_features(g, d, i, f) :
		    side_features(g, k == CACHE_AFTER, t, f), s);
	}
	return s;
}

/* The scores of the tags of token i into score[0..TG_NTAGS). */
static void
score_token(struct tg *g, const struct nd_doc *d, size_t i, float *score)
{
	uint64_t f[TG_MAX_FEATURES];
	const float *side[2];

	memcpy(score, cached_sum(g, CACHE_FORM, d, i, &d->tok[i]), TG_NTAGS * sizeof *score);
	side[0] = cached_sum(g, CACHE_BEFORE, d, i, before(d, i));
	side[1] = cached_sum(g, CACHE_AFTER, d, i, after(d, i));
	add_rows(side, 2, score);
	add_weights(g, f, place_features(g, d, i, f), score);
}

size_t
tg_next_run(const struct nd_doc *d, size_t i, size_t *end)
{
	size_t j;

	while (i < d->n && !d->tok[i].open)
		i++;
	for (j = i + 1; j < d->n && j - i < TG_MAX_RUN && d->tok[j].open && !d->tok[j].sent_first;
	    j++)
		;
	*end = j < d->n ? j : d->n;
	return i;
}

void
tg_tag(struct tg *g, struct nd_doc *d)
{
	size_t i, j, k, start;

	tg_prepare(g, d);
	for (i = 0; i < d->n; i = j) {
		uint8_t tag[TG_MAX_RUN];

		start = tg_next_run(d, i, &j);
		for (; i < start; i++)
			d->tok[i].tag = d->tok[i].first = TG_O;
		if (i == d->n)
			break;
		tg_history_upto(g, d, i);
		for (k = i; k < j; k++)
			score_token(g, d, k, g->score + (k - i) * TG_NTAGS);
		tg_viterbi(g, g->score, j - i, tag);
		for (k = i; k < j; k++)
			d->tok[k].tag = d->tok[k].first = tag[k - i];
	}
}

/* Model file payload, all numbers little-endian:
 *	u64 lexicon digest
 *	u32 tags, u32 features, u32 connectors, u32 1 when it reads the history
 *	f32 trans[tags][tags]
 *	u64 connector hashes
 *	per feature: u64 hash, u32 mask of the tags it has weights for,
 *	             f32 weight of each of those tags in order */
void
tg_serialize(const struct tg *g, struct buf *out)
{
	size_t nfeat = 0, at;
	uint64_t key;
	uint32_t row;
	int a, b;

	bf_put64(out, lx_digest(g->lx));
	bf_put32(out, TG_NTAGS);
	at = out->len;
	bf_put32(out, 0);
	bf_put32(out, (uint32_t)g->connector.n);
	bf_put32(out, (uint32_t)g->history);
	for (a = 0; a < TG_NTAGS; a++)
		for (b = 0; b < TG_NTAGS; b++)
			bf_putf32(out, g->trans[a][b]);
	FM_EACH(&g->connector, key, row)
		bf_put64(out, key);
	FM_EACH(&g->feature, key, row) {
		const float *w = g->w + (size_t)row * TG_NTAGS;
		uint32_t mask = 0;
		int t;

		for (t = 0; t < TG_NTAGS; t++)
			if (w[t] != 0)
				mask |= 1u << t;
		if (mask == 0)
			continue;
		bf_put64(out, key);
		bf_put32(out, mask);
		for (t = 0; t < TG_NTAGS; t++)
			if (mask >> t & 1)
				bf_putf32(out, w[t]);
		nfeat++;
	}
	for (a = 0; a < 4; a++)
		out->data[at + (size_t)a] = (char)(nfeat >> (8 * a) & 0xff);
}

void
tg_save(const struct tg *g, struct af *f)
{
	struct buf b;

	buf_init(&b);
	tg_serialize(g, &b);
	if (bf_write(af_fd(f), &model_kind, 0, b.data, b.len) < 0)
		msg_fatal("%s: write error: %s", af_name(f), strerror(errno));
	af_commit(f);
	buf_release(&b);
}

/* Room for n rows of weights in all. */
static void
reserve_rows(struct tg *g, size_t n)
{
	if (n <= g->caprows)
		return;
	g->caprows = n;
	g->w = xrealloc(g->w, g->caprows * TG_NTAGS * sizeof *g->w);
}

float *
tg_row(struct tg *g, uint64_t hash)
{
	uint32_t *row = fm_put(&g->feature, hash, (uint32_t)g->nrows);

	if (*row == g->nrows) {
		if (g->nrows == g->caprows)
			reserve_rows(g, g->caprows ? 2 * g->caprows : 65536);
		memset(g->w + g->nrows * TG_NTAGS, 0, TG_NTAGS * sizeof *g->w);
		g->nrows++;
	}
	return g->w + (size_t)*row * TG_NTAGS;
}


static WN_NORETURN void
short_model(const char *path)
{
	msg_fatal_at(path, "corrupt: the model is too short");
}

void
tg_load(struct tg *g, const char *path)
{
	struct bf_file f;
	char err[256];
	const char *p, *end;
	uint32_t nfeat, nconn, i;
	int a, b;

	if (bf_load(path, &model_kind, &f, err, sizeof err) != BF_OK)
		msg_fatal_at(path, "%s", err);
	p = f.payload;
	end = p + f.size;
	if (f.size < 24 + 4 * TG_NTAGS * TG_NTAGS)
		short_model(path);
	if (bf_get64(p) != lx_digest(g->lx))
		msg_fatal_at(path, "the model was trained with another gazetteer or cluster file");
	if (bf_get32(p + 8) != TG_NTAGS)
		msg_fatal_at(path, "corrupt: %u tags, not %d", bf_get32(p + 8), TG_NTAGS);
	nfeat = bf_get32(p + 12);
	nconn = bf_get32(p + 16);
	if (bf_get32(p + 20) > 1)
		msg_fatal_at(path, "corrupt: a history flag of %u", bf_get32(p + 20));
	g->history = bf_get32(p + 20) == 1;
	p += 24;
	for (a = 0; a < TG_NTAGS; a++)
		for (b = 0; b < TG_NTAGS; b++, p += 4)
			g->trans[a][b] = bf_getf32(p);
	if ((size_t)(end - p) / 8 < nconn)
		short_model(path);
	for (i = 0; i < nconn; i++, p += 8)
		tg_add_connector(g, bf_get64(p));
	/* Each row takes 12 bytes or more: a count that the file cannot
	 * hold is not believed, and the tables grow as they are filled. */
	if ((size_t)(end - p) / 12 >= nfeat) {
		fm_reserve(&g->feature, nfeat);
		reserve_rows(g, nfeat);
	}
	for (i = 0; i < nfeat; i++) {
		uint32_t mask;
		float *w;
		int t;

		if (end - p < 12)
			short_model(path);
		w = tg_row(g, bf_get64(p));
		mask = bf_get32(p + 8);
		p += 12;
		if (mask == 0 || mask >> TG_NTAGS != 0)
			msg_fatal_at(path, "corrupt: a feature without weights, or for tags that are not");
		for (t = 0; t < TG_NTAGS; t++)
			if (mask >> t & 1) {
				if (end - p < 4)
					short_model(path);
				w[t] = bf_getf32(p);
				p += 4;
			}
	}
	if (p != end)
		msg_fatal_at(path, "corrupt: %zu bytes after the last feature", (size_t)(end - p));
	bf_release(&f);
}
