/*
 * train: fit the tagger's weights to annotated documents (corpus.h) with
 * the averaged structured perceptron: each run of open tokens (tagger.h)
 * is decoded with the current weights, and where the best tags differ from
 * the reference, the reference's features gain and the guess's lose; the
 * weights kept are the average over every step, which generalises about
 * as well as a CRF at a fraction of the cost.  Runs are visited in a
 * shuffled order fixed by a seed, so training is reproducible; the model
 * is the mean of a few such perceptrons, each with an order of its own.
 *
 * A model may also read the history: how it tagged the same word earlier
 * in the document.  On its training data the history comes from a
 * jackknife (each document tagged by a model trained without it), as on
 * new text it comes from a model that did not learn from that text.
 */
#ifndef NAMES_TRAIN_H
#define NAMES_TRAIN_H

#include "tagger.h"

struct tr_opts {
	unsigned iterations;	/* passes over the training data */
	unsigned replicas;	/* perceptrons whose mean is the model */
	unsigned min_count;	/* features seen fewer times are left out */
	int history;		/* train a model that reads the history */
	const char *dev;	/* score on this file after every pass, or NULL */
	int verbose;		/* report each pass on stderr */
};

/* Train g (which holds no weights yet) on files[0..nfiles); fatal when
 * they hold no name. */
void tr_train(struct tg *g, char **files, int nfiles, const struct tr_opts *o);

/* Exact-match name counts of guessed (tok[].tag) against reference
 * (tok[].gold) tags, added to per-type counts. */
struct tr_score {
	unsigned long gold[TG_NTYPES], guess[TG_NTYPES], right[TG_NTYPES];
};
void tr_count(const struct nd_doc *d, struct tr_score *s);
/* Micro-averaged F1 over all types, 0 to 100. */
double tr_f1(const struct tr_score *s);

#endif
