/*
 * model: topics learned from labelled records, for users whose topics
 * are their own.  A linear model over the terms of a text (terms.h) and
 * the pairs of adjacent terms, each weighted log(1 + count) x idf and the
 * whole vector scaled to length 1, trained by stochastic gradient descent:
 * softmax regression when every training record has exactly one label
 * (single-label), one logistic regression per label otherwise
 * (multi-label).  Visiting order is fixed by a seed: the same data gives
 * the same model.
 *
 * Training records are JSON Lines with the text at "text" and the labels
 * at a key of the caller's choice: an array of strings, or one string.
 * The model file is a versioned binary file (bfile.h, kind "topics
 * model"); a truncated, corrupt or foreign one is a fatal error.
 */
#ifndef TOPICS_MODEL_H
#define TOPICS_MODEL_H

#include <stddef.h>

#include "terms.h"

struct lm;

struct lm_train_opts {
	const char *labels;	/* the key of the labels */
	unsigned epochs;
	int verbose;
};

/* Train on files[0..nfiles) and write the model to path; fatal on a
 * malformed file ("FILE:LINE: message") or on data with fewer than two
 * labels. */
void lm_train(char **files, int nfiles, const struct lm_train_opts *o, const char *path);

struct lm *lm_load(const char *path);
void lm_free(struct lm *m);

size_t lm_nlabels(const struct lm *m);
const char *lm_label(const struct lm *m, size_t k);
int lm_single(const struct lm *m);

/*
 * The probability of each label for the terms t, into p[0..lm_nlabels):
 * softmax for a single-label model, a logistic per label otherwise.
 */
void lm_predict(struct lm *m, const struct terms *t, double *p);

#endif
