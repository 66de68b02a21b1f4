/*
 * lexicon: what the tagger knows of words before it has seen any
 * training data: a gazetteer (phrases in classes such as country, city,
 * first, org) and word clusters (Brown clusters of news text: words used
 * alike share the leading bits of their cluster's path).
 *
 * The gazetteer is text, a line "CLASS<TAB>Phrase As Written"; a phrase
 * is cut into tokens as running text is (doc.h) and matched token by
 * token, in its case.  The clusters file is Liang's format, a line
 * "BITS<TAB>word<TAB>count".  Both are data files (dfile.h): comments and
 * blank lines are skipped, errors name FILE:LINE:COLUMN and exit 2.
 *
 * A model is trained with one lexicon and only means something with it:
 * lx_digest sums up the files' contents so a model can say which.
 */
#ifndef NAMES_LEXICON_H
#define NAMES_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#define LX_MAX_CLASSES 32
#define LX_MAX_PHRASE 8		/* tokens; longer phrases are left out */
#define LX_PREFIXES 4		/* cluster path prefixes of 4, 6, 10, 20 bits */

struct lx;

/* Load the files; either path may be NULL for none. */
struct lx *lx_load(const char *gazetteer, const char *clusters);
void lx_free(struct lx *lx);

uint64_t lx_digest(const struct lx *lx);
size_t lx_nclasses(const struct lx *lx);
const char *lx_class_name(const struct lx *lx, size_t i);
/* The index of class name, or -1. */
int lx_class(const struct lx *lx, const char *name);

/* The hash of a token sequence: lx_seq(lx_seq(0, h1), h2) ... over the
 * tokens' h_key. */
uint64_t lx_seq(uint64_t seq, uint64_t h);
/* The classes (bit i: class i) of the phrase whose lx_seq hash is seq. */
uint32_t lx_phrase(const struct lx *lx, uint64_t seq);
/* The same into *classes; 0 when no phrase starts with those tokens (or
 * is them), so a longer match need not be tried. */
int lx_phrase_start(const struct lx *lx, uint64_t seq, uint32_t *classes);

/* The hashes of the cluster path prefixes of the word whose hash (nd_hash)
 * is h, or NULL when it has no cluster. */
const uint64_t *lx_cluster(const struct lx *lx, uint64_t h);

#endif
