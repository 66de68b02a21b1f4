/*
 * train: the averaged perceptron (see train.h).
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "msg.h"
#include "shuffle.h"
#include "train.h"

/* A run of open tokens of a training document, with the rows of the
 * features of each of its tokens. */
struct run {
	uint32_t doc, first, n;
	size_t feat;		/* into features: n + 1 offsets, then the rows */
};

struct data {
	struct nd_doc **doc;
	size_t ndocs;
	struct run *run;
	size_t nruns;
	uint32_t *feat;		/* per run: token offsets, then rows */
	size_t nfeat, capfeat;
};

static void
push_feat(struct data *t, uint32_t v)
{
	if (t->nfeat == t->capfeat) {
		t->capfeat = t->capfeat ? 2 * t->capfeat : 1 << 20;
		t->feat = xrealloc(t->feat, t->capfeat * sizeof *t->feat);
	}
	t->feat[t->nfeat++] = v;
}

static void
read_docs(struct data *t, char **files, int nfiles)
{
	size_t cap = 0;
	int i;

	for (i = 0; i < nfiles; i++) {
		struct cp_reader *r = cp_open(files[i]);
		struct nd_doc *d;

		for (;;) {
			if (t->ndocs == cap) {
				cap = cap ? 2 * cap : 256;
				t->doc = xrealloc(t->doc, cap * sizeof *t->doc);
			}
			d = xmalloc(sizeof *d);
			nd_init(d);
			if (!cp_next(r, d, 1)) {
				nd_release(d);
				free(d);
				break;
			}
			d->text = d->own.data;
			t->doc[t->ndocs++] = d;
		}
		cp_close(r);
	}
}

/* A model of data without a name would find nothing, and a score on a
 * dev file without one would say nothing: say so rather than write a
 * model.  what: "to learn from" or "to score against (--dev)". */
static void
check_names(const struct data *t, char **files, int nfiles, const char *what)
{
	const char *why = "no tokens";
	size_t i, k;

	for (i = 0; i < t->ndocs; i++)
		for (k = 0; k < t->doc[i]->n; k++) {
			if (t->doc[i]->tok[k].gold != TG_O)
				return;
			why = "every token is tagged O";
		}
	if (nfiles == 1)
		msg_fatal_at(files[0], "no names %s: %s", what, why);
	msg_fatal("no names %s in the %d --train files: %s", what, nfiles, why);
}

static void
free_docs(struct data *t)
{
	size_t i;

	for (i = 0; i < t->ndocs; i++) {
		nd_release(t->doc[i]);
		free(t->doc[i]);
	}
	free(t->doc);
}

/* Lower-case words inside reference names may be tagged (tagger.h). */
static void
learn_connectors(struct tg *g, const struct data *t)
{
	size_t i, k;

	for (i = 0; i < t->ndocs; i++)
		for (k = 0; k < t->doc[i]->n; k++) {
			const struct nd_tok *tok = &t->doc[i]->tok[k];

			if (tok->gold != TG_O && !tok->cased)
				tg_add_connector(g, tok->h_lower);
		}
}

/* Count features, so that rare ones can be left out. */
static void
count_features(struct tg *g, struct data *t, struct fmap *count)
{
	uint64_t f[TG_MAX_FEATURES];
	size_t i, k, j, e, n;

	for (i = 0; i < t->ndocs; i++) {
		struct nd_doc *d = t->doc[i];

		tg_prepare(g, d);
		for (k = tg_next_run(d, 0, &e); k < d->n; k = tg_next_run(d, e, &e)) {
			tg_history_upto(g, d, k);
			for (; k < e; k++) {
				n = tg_features(g, d, k, f);
				for (j = 0; j < n; j++)
					++*fm_put(count, f[j], 0);
			}
		}
	}
}

/* Cut the documents into runs and turn their features into rows. */
static void
index_runs(struct tg *g, struct data *t, const struct fmap *count, unsigned min_count, size_t *caprun)
{
	uint64_t f[TG_MAX_FEATURES];
	size_t i, k, j, e, n;

	for (i = 0; i < t->ndocs; i++) {
		struct nd_doc *d = t->doc[i];

		tg_prepare(g, d);
		for (k = tg_next_run(d, 0, &e); k < d->n; k = tg_next_run(d, e, &e)) {
			struct run *r;
			size_t at;

			tg_history_upto(g, d, k);
			if (t->nruns == *caprun) {
				*caprun = *caprun ? 2 * *caprun : 4096;
				t->run = xrealloc(t->run, *caprun * sizeof *t->run);
			}
			r = &t->run[t->nruns++];
			r->doc = (uint32_t)i;
			r->first = (uint32_t)k;
			r->n = (uint32_t)(e - k);
			r->feat = t->nfeat;
			at = t->nfeat;
			for (j = 0; j <= r->n; j++)
				push_feat(t, 0);
			for (j = k; j < e; j++) {
				t->feat[at + j - k] = (uint32_t)(t->nfeat - at);
				n = tg_features(g, d, j, f);
				while (n-- > 0)
					if (*fm_find(count, f[n]) >= min_count) {
						tg_row(g, f[n]);
						push_feat(t, *fm_find(&g->feature, f[n]));
					}
			}
			t->feat[at + r->n] = (uint32_t)(t->nfeat - at);
		}
	}
}

void
tr_count(const struct nd_doc *d, struct tr_score *s)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		int g = d->tok[i].gold, t = d->tok[i].tag;

		if (g != TG_O && (TG_PART(g) == TG_B || TG_PART(g) == TG_U)) {
			size_t j = i;

			s->gold[TG_TYPE(g)]++;
			while (TG_PART(d->tok[j].gold) != TG_L && TG_PART(d->tok[j].gold) != TG_U)
				j++;
			/* Right when the guess is the same name, token for token. */
			if (t == g) {
				size_t k = i;

				while (k < j && d->tok[k].tag == d->tok[k].gold)
					k++;
				s->right[TG_TYPE(g)] += k == j && d->tok[j].tag == d->tok[j].gold;
			}
		}
		if (t != TG_O && (TG_PART(t) == TG_B || TG_PART(t) == TG_U))
			s->guess[TG_TYPE(t)]++;
	}
}

double
tr_f1(const struct tr_score *s)
{
	unsigned long gold = 0, guess = 0, right = 0;
	int t;

	for (t = 0; t < TG_NTYPES; t++) {
		gold += s->gold[t];
		guess += s->guess[t];
		right += s->right[t];
	}
	return gold + guess == 0 ? 100.0 : 200.0 * (double)right / (double)(gold + guess);
}

static double
score_dev(struct tg *g, struct data *dev)
{
	struct tr_score s;
	size_t i;

	memset(&s, 0, sizeof s);
	for (i = 0; i < dev->ndocs; i++) {
		tg_tag(g, dev->doc[i]);
		tr_count(dev->doc[i], &s);
	}
	return tr_f1(&s);
}

/* The perceptron's state beside the weights in g: sums for averaging. */
struct avg {
	double *w;		/* per row and tag: sum of step * change */
	double trans[TG_NTAGS][TG_NTAGS];
	double step;
};

static void
update(struct tg *g, struct avg *a, const struct data *t, const struct run *r, const uint8_t *tag,
    int sign_gold)
{
	const struct nd_tok *tok = t->doc[r->doc]->tok + r->first;
	const uint32_t *off = t->feat + r->feat;
	size_t k, j;
	float delta = (float)sign_gold;

	for (k = 0; k <= r->n; k++) {
		int from = k == 0 ? TG_O : (sign_gold > 0 ? tok[k - 1].gold : tag[k - 1]);
		int to = k == r->n ? TG_O : (sign_gold > 0 ? tok[k].gold : tag[k]);

		g->trans[from][to] += delta;
		a->trans[from][to] += delta * a->step;
	}
	for (k = 0; k < r->n; k++) {
		int to = sign_gold > 0 ? tok[k].gold : tag[k];

		if (tok[k].gold == tag[k])
			continue;
		for (j = off[k]; j < off[k + 1]; j++) {
			size_t at = (size_t)off[j] * TG_NTAGS + (size_t)to;

			g->w[at] += delta;
			a->w[at] += delta * a->step;
		}
	}
}

/* Swap the averaged weights in (or back out): w - sum / steps. */
static void
average(struct tg *g, const struct avg *a, float *saved, float saved_trans[TG_NTAGS][TG_NTAGS],
    int in)
{
	size_t i, n = g->nrows * TG_NTAGS;
	int x, y;

	if (!in) {
		tg_weights_changed(g);
		memcpy(g->w, saved, n * sizeof *g->w);
		memcpy(g->trans, saved_trans, sizeof g->trans);
		return;
	}
	tg_weights_changed(g);
	memcpy(saved, g->w, n * sizeof *g->w);
	memcpy(saved_trans, g->trans, sizeof g->trans);
	for (i = 0; i < n; i++)
		g->w[i] -= (float)(a->w[i] / a->step);
	for (x = 0; x < TG_NTAGS; x++)
		for (y = 0; y < TG_NTAGS; y++)
			g->trans[x][y] -= (float)(a->trans[x][y] / a->step);
}

/*
 * One averaged perceptron over the indexed runs of t, from zero weights,
 * visiting them in an order drawn from seed: its averaged weights are
 * left in g.  After every pass, with a dev set, report g's F1 on it.
 */
static void
fit_replica(struct tg *g, struct data *t, const struct tr_opts *o, uint64_t seed,
    struct data *dev, int verbose)
{
	struct avg a;
	size_t i, k, j, nruns = t->nruns;
	uint32_t *order;
	float *saved, saved_trans[TG_NTAGS][TG_NTAGS];
	uint8_t tag[TG_MAX_RUN];
	unsigned pass;

	tg_weights_changed(g);
	memset(g->w, 0, g->nrows * TG_NTAGS * sizeof *g->w);
	memset(g->trans, 0, sizeof g->trans);
	memset(&a, 0, sizeof a);
	a.w = xcalloc(g->nrows * TG_NTAGS, sizeof *a.w);
	a.step = 1;
	saved = xmalloc(g->nrows * TG_NTAGS * sizeof *saved);
	order = xmalloc(nruns * sizeof *order);
	for (i = 0; i < nruns; i++)
		order[i] = (uint32_t)i;
	for (pass = 1; pass <= o->iterations; pass++) {
		unsigned long wrong = 0;

		shuffle_u32(order, nruns, &seed);
		for (i = 0; i < nruns; i++) {
			const struct run *r = &t->run[order[i]];
			const struct nd_tok *tok = t->doc[r->doc]->tok + r->first;
			const uint32_t *off = t->feat + r->feat;

			for (k = 0; k < r->n; k++) {
				float *s = g->score + k * TG_NTAGS;

				memset(s, 0, TG_NTAGS * sizeof *s);
				for (j = off[k]; j < off[k + 1]; j++) {
					const float *w = g->w + (size_t)off[j] * TG_NTAGS;
					int x;

					for (x = 0; x < TG_NTAGS; x++)
						s[x] += w[x];
				}
			}
			tg_viterbi(g, g->score, r->n, tag);
			for (k = 0; k < r->n && tag[k] == tok[k].gold; k++)
				;
			if (k < r->n) {
				wrong++;
				update(g, &a, t, r, tag, 1);
				update(g, &a, t, r, tag, -1);
			}
			a.step++;
		}
		if (verbose) {
			char f1[32] = "";

			if (dev != NULL) {
				average(g, &a, saved, saved_trans, 1);
				snprintf(f1, sizeof f1, ", dev F1 %.2f", score_dev(g, dev));
				average(g, &a, saved, saved_trans, 0);
			}
			msg_warn("pass %u: %lu of %zu runs wrong%s", pass, wrong, nruns, f1);
		}
	}
	average(g, &a, saved, saved_trans, 1);
	free(saved);
	free(order);
	free(a.w);
}

/*
 * Fit g's weights to the documents of t: the mean of o->replicas
 * perceptrons, each visiting the runs in an order of its own.  One
 * perceptron's weights hang on the order it met the data in (its F1 moves
 * by a few tenths from one number of passes to the next); their mean
 * moves less and scores a little better.
 */
static void
fit(struct tg *g, struct data *t, const struct tr_opts *o, struct data *dev, int verbose)
{
	struct fmap count;
	size_t caprun = 0, i, n;
	uint64_t seed = 0x2545F4914F6CDD1Du;
	float *mean, mean_trans[TG_NTAGS][TG_NTAGS];
	unsigned r;
	int x, y;

	t->nruns = t->nfeat = 0;
	learn_connectors(g, t);
	fm_init(&count);
	count_features(g, t, &count);
	index_runs(g, t, &count, o->min_count, &caprun);
	fm_release(&count);
	if (verbose)
		msg_warn("%zu documents, %zu runs of open tokens, %zu features", t->ndocs, t->nruns,
		    g->nrows);
	n = g->nrows * TG_NTAGS;
	mean = xcalloc(n, sizeof *mean);
	memset(mean_trans, 0, sizeof mean_trans);
	for (r = 0; r < o->replicas; r++) {
		if (verbose && o->replicas > 1)
			msg_warn("replica %u of %u", r + 1, o->replicas);
		fit_replica(g, t, o, seed, dev, verbose);
		seed += 0x9E3779B97F4A7C15u;
		for (i = 0; i < n; i++)
			mean[i] += g->w[i] / (float)o->replicas;
		for (x = 0; x < TG_NTAGS; x++)
			for (y = 0; y < TG_NTAGS; y++)
				mean_trans[x][y] += g->trans[x][y] / (float)o->replicas;
	}
	tg_weights_changed(g);
	memcpy(g->w, mean, n * sizeof *g->w);
	memcpy(g->trans, mean_trans, sizeof g->trans);
	free(mean);
	if (verbose && dev != NULL && o->replicas > 1)
		msg_warn("the mean of %u replicas: dev F1 %.2f", o->replicas, score_dev(g, dev));
	free(t->run);
	free(t->feat);
	t->run = NULL;
	t->feat = NULL;
	t->capfeat = 0;
}

/* Folds of the jackknife that gives a model reading the history its
 * training data's history: each document tagged by a model that did not
 * learn from it and reads no history, as new text will be tagged by one
 * that did not learn from it. */
#define FOLDS 4

static void
jackknife(const struct tg *g, struct data *t, const struct tr_opts *o)
{
	size_t f, i;

	for (f = 0; f < FOLDS; f++) {
		struct data part;
		struct tg gf;

		memset(&part, 0, sizeof part);
		part.doc = xmalloc(t->ndocs * sizeof *part.doc);
		for (i = 0; i < t->ndocs; i++)
			if (i % FOLDS != f)
				part.doc[part.ndocs++] = t->doc[i];
		tg_init(&gf, g->lx);
		fit(&gf, &part, o, NULL, 0);
		for (i = f; i < t->ndocs; i += FOLDS)
			tg_tag(&gf, t->doc[i]);
		tg_release(&gf);
		free(part.doc);
	}
}

void
tr_train(struct tg *g, char **files, int nfiles, const struct tr_opts *o)
{
	struct data t, dev;

	memset(&t, 0, sizeof t);
	memset(&dev, 0, sizeof dev);
	read_docs(&t, files, nfiles);
	check_names(&t, files, nfiles, "to learn from");
	if (o->dev != NULL) {
		char *devfile = (char *)o->dev;

		read_docs(&dev, &devfile, 1);
		check_names(&dev, &devfile, 1, "to score against (--dev)");
	}
	if (o->history) {
		jackknife(g, &t, o);
		g->history = 1;
	}
	fit(g, &t, o, o->dev ? &dev : NULL, o->verbose || o->dev);
	free_docs(&t);
	free_docs(&dev);
}
