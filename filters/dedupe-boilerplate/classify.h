/*
 * classify: the trained line model of dedupe-boilerplate.  Each line of a
 * record that holds more than blanks gets cheap features of its own (length,
 * stop-word and capital share, sentence end, digits, separators, menu words,
 * site count) and of its neighbours (their lengths and stop-word shares,
 * window means, the distance to the nearest long paragraph, the position
 * in the record); a logistic regression turns them into p, the
 * probability that the line is article text.  The decoder then smooths
 * over the record, since article text comes in runs: the span of lines
 * with the largest sum of logit(p) - span_c is the article; a line inside
 * it stays when p > p_in, a line outside it only when p > p_out.  So a
 * short heading between two paragraphs stays and a short line inside a
 * block of menu lines goes.
 *
 * The model is a text file (model.txt beside the filter, written by
 * tests/dedupe-train):
 *
 *	winnow dedupe-boilerplate line model 1
 *	span-c	-3
 *	p-in	0.05
 *	p-out	0.3
 *	bias	-1.2
 *	lchars	3.9	1.1	0.42	(name, mean, standard deviation, weight)
 *	...
 *
 * Fields are separated by tabs; '#' lines are comments.  Every feature
 * this program computes must be there, once; any fault is fatal (status
 * 2) with the file, line and column.
 */
#ifndef DEDUPE_CLASSIFY_H
#define DEDUPE_CLASSIFY_H

#include <stddef.h>

#include "dedupe.h"

#define CL_HEADER "winnow dedupe-boilerplate line model 1"
#define CL_NFEAT 62

struct cl_model {
	double span_c, p_in, p_out, bias;
	double mean[CL_NFEAT], sd[CL_NFEAT], w[CL_NFEAT];
};

/* The name of feature i, as the model file names it. */
const char *cl_feature_name(size_t i);

struct cl;

/* A classifier of model m (copied), or of a model read from path (fatal
 * on any fault of the file). */
struct cl *cl_new(const struct cl_model *m);
struct cl *cl_load(const char *path);
void cl_free(struct cl *c);
const struct cl_model *cl_model(const struct cl *c);

/* Write m to path (fatal when it cannot be written), comment lines first. */
void cl_model_save(const struct cl_model *m, const char *path, const char *comment);

/*
 * The raw features of the judged lines of doc (those holding more than
 * blanks): *x gets n rows of CL_NFEAT, *line the index in doc->line of
 * each row's line; returns n.  Both are the classifier's, valid until its
 * next call.  Reads doc->line[].why (lines other detectors took) and
 * site_count, so call it after the other detectors.
 */
size_t cl_features(struct cl *c, const struct dd_doc *doc, const char *text, const double **x,
    const size_t **line);

/* The probability that a line of raw features x is article text. */
double cl_prob(const struct cl_model *m, const double *x);

/* The decoder: keep[i] = 1 when line i of p[0..n) stays. */
void cl_decode(const struct cl_model *m, const double *p, size_t n, unsigned char *keep);

/* Mark DD_CLASSIFIER on the lines of doc still DD_KEEP that the model and
 * its decoder take; with outside, only on those marked outside the
 * article. */
void cl_judge(struct cl *c, struct dd_doc *doc, const char *text, int outside);

#endif
