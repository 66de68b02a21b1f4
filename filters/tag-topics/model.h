/*
 * model: topics learned from labelled records, for users whose topics
 * are their own.  A linear model over the terms of a text (terms.h), each
 * weighted log(1 + count) x idf and the whole vector scaled to length 1.
 * Trained by liblinear (by default a linear SVM for each label against
 * the others), its margins made probabilities by a slope, and for
 * multi-label data per-label thresholds, chosen on a held-out tenth of the
 * records; or by our own stochastic gradient descent on the log loss
 * (softmax regression when every training record has exactly one label,
 * one logistic regression per label otherwise).  Either way the same data
 * gives the same model, and a model is weights and biases that
 * lm_predict applies itself: liblinear is needed to train, not to tag.
 *
 * Training records are JSON Lines with the text at keys of the caller's
 * choice, read as tagging reads them, and the labels at another: an array
 * of strings, or one string.
 * Their files are read as zlines reads them: plain, gzip or zstd, "-" for
 * standard input.
 * The model file is a versioned binary file (bfile.h, kind "topics
 * model"); a truncated, corrupt, foreign or older one is a fatal error.
 */
#ifndef TOPICS_MODEL_H
#define TOPICS_MODEL_H

#include <stddef.h>

#include "terms.h"

struct af;
struct lm;

/* How to train: by liblinear's solvers, or our own gradient descent. */
enum lm_solver { LM_SVM, LM_LR, LM_CS, LM_SGD };

struct lm_train_opts {
	/* The keys of the text, as tagging reads them (tag-topics -f and
	 * --also): the strings a record has of them, in this order, no
	 * phrase running from one into the next; 1 to JSON_MAX_KEYS - 1. */
	const char *const *fields;
	int nfields;
	const char *labels;	/* the key of the labels */
	enum lm_solver solver;
	double cost;		/* liblinear's C */
	unsigned epochs;	/* for LM_SGD */
	int verbose;
};

/* Train on files[0..nfiles) and write the model to out, which it
 * commits; fatal on a malformed file ("FILE:LINE: message") or on data
 * with fewer than two labels or more than 100000. */
void lm_train(char **files, int nfiles, const struct lm_train_opts *o, struct af *out);

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
