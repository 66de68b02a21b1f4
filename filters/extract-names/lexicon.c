#include "compat.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "dfile.h"
#include "doc.h"
#include "fmap.h"
#include "lexicon.h"
#include "msg.h"

struct lx {
	char *class[LX_MAX_CLASSES];
	size_t nclasses;
	struct fmap phrases;	/* lx_seq hash -> class bits; 0 for the first
				 * tokens of a longer phrase that are none */
	struct fmap words;	/* nd_hash -> index into prefix */
	uint64_t (*prefix)[LX_PREFIXES];
	size_t nwords;
	uint64_t digest;
};

uint64_t
lx_seq(uint64_t seq, uint64_t h)
{
	/* A multiply and shifts mix the pair as well as a hash would, at a
	 * fraction of the cost: this runs for every capitalised token. */
	uint64_t x = (seq ^ (seq >> 29)) * 0xbf58476d1ce4e5b9u + h;

	x ^= x >> 31;
	x *= 0x94d049bb133111ebu;
	return x ^ (x >> 32);
}

static uint32_t
class_bit(struct lx *lx, const struct df *d, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < lx->nclasses; i++)
		if (strlen(lx->class[i]) == n && memcmp(lx->class[i], p, n) == 0)
			return 1u << i;
	for (i = 0; i < n; i++)
		if (!(p[i] >= 'a' && p[i] <= 'z') && p[i] != '-')
			df_error(d, i + 1, "a class is lower-case letters and '-'");
	if (n == 0)
		df_error(d, 1, "the class is empty");
	if (lx->nclasses == LX_MAX_CLASSES)
		df_error(d, 1, "more than %d classes", LX_MAX_CLASSES);
	lx->class[lx->nclasses] = xmalloc(n + 1);
	memcpy(lx->class[lx->nclasses], p, n);
	lx->class[lx->nclasses][n] = '\0';
	return 1u << lx->nclasses++;
}

/* The phrases' token sequences are gathered first and put in the table
 * once it is sized for them all: grown as it filled, the table of some
 * 200,000 keys was moved, and its fresh memory faulted in, a dozen times,
 * most of the filter's start-up. */
struct seq_class {
	uint64_t seq;
	uint32_t classes;	/* 0 for the first tokens of a longer phrase */
};

static void
load_gazetteer(struct lx *lx, const char *path)
{
	struct df *d = df_open(path);
	struct nd_doc doc;
	struct seq_class *pair = NULL;
	size_t i, npairs = 0, cap = 0;

	nd_init(&doc);
	while (df_next(d)) {
		struct df_field f[2];
		size_t len;
		const char *line = df_line(d, &len);
		uint64_t seq = 0;
		uint32_t bit;

		if (df_fields(d, f, 2) != 2)
			df_error(d, 0, "want CLASS<TAB>phrase");
		bit = class_bit(lx, d, f[0].p, f[0].len);
		nd_text(&doc, f[1].p, f[1].len);
		if (doc.n == 0)
			df_error(d, f[1].col, "the phrase has no words");
		if (doc.n > LX_MAX_PHRASE)
			continue;
		if (npairs + doc.n > cap) {
			cap = cap ? 2 * cap + doc.n : 4096;
			pair = xrealloc(pair, cap * sizeof *pair);
		}
		for (i = 0; i < doc.n; i++) {
			seq = lx_seq(seq, doc.tok[i].h_key);
			pair[npairs].seq = seq;
			pair[npairs++].classes = i + 1 == doc.n ? bit : 0;
		}
		lx->digest = XXH3_64bits_withSeed(line, len, lx->digest);
	}
	fm_reserve(&lx->phrases, npairs);
	for (i = 0; i < npairs; i++)
		*fm_put(&lx->phrases, pair[i].seq, 0) |= pair[i].classes;
	free(pair);
	nd_release(&doc);
	df_close(d);
}

static void
load_clusters(struct lx *lx, const char *path)
{
	static const size_t bits[LX_PREFIXES] = { 4, 6, 10, 20 };
	struct df *d = df_open(path);
	size_t cap = 0;

	while (df_next(d)) {
		struct df_field f[3];
		size_t i, len;
		const char *line = df_line(d, &len);
		uint32_t *slot;

		if (df_fields(d, f, 3) != 3)
			df_error(d, 0, "want BITS<TAB>word<TAB>count");
		for (i = 0; i < f[0].len; i++)
			if (f[0].p[i] != '0' && f[0].p[i] != '1')
				df_error(d, i + 1, "a cluster path is 0s and 1s");
		slot = fm_put(&lx->words, nd_hash(f[1].p, f[1].len), (uint32_t)lx->nwords);
		if (*slot != lx->nwords)
			df_error(d, f[1].col, "the word is listed twice");
		if (lx->nwords == cap) {
			cap = cap ? 2 * cap : 4096;
			lx->prefix = xrealloc(lx->prefix, cap * sizeof *lx->prefix);
		}
		for (i = 0; i < LX_PREFIXES; i++)
			lx->prefix[lx->nwords][i] = XXH3_64bits_withSeed(f[0].p,
			    f[0].len < bits[i] ? f[0].len : bits[i], i + 1);
		lx->nwords++;
		lx->digest = XXH3_64bits_withSeed(line, len, lx->digest);
	}
	df_close(d);
}

struct lx *
lx_load(const char *gazetteer, const char *clusters)
{
	struct lx *lx = xcalloc(1, sizeof *lx);

	fm_init(&lx->phrases);
	fm_init(&lx->words);
	if (gazetteer != NULL)
		load_gazetteer(lx, gazetteer);
	if (clusters != NULL)
		load_clusters(lx, clusters);
	return lx;
}

void
lx_free(struct lx *lx)
{
	size_t i;

	if (lx == NULL)
		return;
	for (i = 0; i < lx->nclasses; i++)
		free(lx->class[i]);
	fm_release(&lx->phrases);
	fm_release(&lx->words);
	free(lx->prefix);
	free(lx);
}

uint64_t
lx_digest(const struct lx *lx)
{
	return lx->digest;
}

size_t
lx_nclasses(const struct lx *lx)
{
	return lx->nclasses;
}

const char *
lx_class_name(const struct lx *lx, size_t i)
{
	return lx->class[i];
}

int
lx_class(const struct lx *lx, const char *name)
{
	size_t i;

	for (i = 0; i < lx->nclasses; i++)
		if (strcmp(lx->class[i], name) == 0)
			return (int)i;
	return -1;
}

uint32_t
lx_phrase(const struct lx *lx, uint64_t seq)
{
	const uint32_t *v = fm_find(&lx->phrases, seq);

	return v ? *v : 0;
}

int
lx_phrase_start(const struct lx *lx, uint64_t seq, uint32_t *classes)
{
	const uint32_t *v = fm_find(&lx->phrases, seq);

	*classes = v ? *v : 0;
	return v != NULL;
}

const uint64_t *
lx_cluster(const struct lx *lx, uint64_t h)
{
	const uint32_t *v = fm_find(&lx->words, h);

	return v ? lx->prefix[*v] : NULL;
}
