/*
 * tagger: the sequence labeller.  Each token gets one of 17 tags, O or
 * B, I, L, U (begin, inside, last, unit) of a type: person, org, place,
 * misc.  A linear model scores the tags of a token from cheap features of
 * it and of its neighbours (forms, affixes, shapes, word clusters,
 * gazetteer matches, how the document uses the word elsewhere), and the
 * best sequence is found by Viterbi over the tag transitions.  The
 * document is tagged in order, and a model may also read its history:
 * how it tagged each word earlier in the document, so that one name keeps
 * one type ("Lyon" a club after "Lyon beat Marseille").
 *
 * Most tokens of news are lower-case words that cannot begin a name: a
 * token is open to tagging only when it holds a capital or is a word the
 * training data saw inside a name ("of", "van", "de"); every other token
 * is O.  Between two O tokens the best sequence splits, so Viterbi runs on
 * each run of open tokens alone, and most of the text costs a tokeniser
 * pass and nothing more.  Training (train.c) works under the same rule,
 * so the model learns exactly what decoding asks of it.
 *
 * The model is a versioned binary file (bfile.h, kind "names model"),
 * written by training and checked on load: a truncated, corrupt or
 * foreign file is a clear error.  It remembers the digest of the lexicon
 * it was trained with, and refuses another.
 */
#ifndef NAMES_TAGGER_H
#define NAMES_TAGGER_H

#include <stddef.h>
#include <stdint.h>

#include "afile.h"
#include "buf.h"
#include "doc.h"
#include "fmap.h"
#include "lexicon.h"

enum tg_type { TG_PERSON, TG_ORG, TG_PLACE, TG_MISC, TG_NTYPES };
enum tg_part { TG_B, TG_I, TG_L, TG_U };

#define TG_O 0
#define TG_NTAGS (1 + 4 * TG_NTYPES)
#define TG_TAG(type, part) (1 + 4 * (type) + (part))
#define TG_TYPE(tag) (((tag) - 1) / 4)
#define TG_PART(tag) (((tag) - 1) % 4)
#define TG_MAX_FEATURES 96	/* features of one token, at most */
#define TG_MAX_RUN 256		/* tokens decoded together, at most */
#define TG_CACHES 3		/* the sums tagging remembers per word */
#define TG_WORD_BITS 4096	/* bits of a set of words (capitalised ones, connectors) */

/* The type names of the output: "person", "org", "place", "misc". */
const char *tg_type_name(int type);

/* Words seen around a capitalised word in the document, at most
 * TG_NEIGHBOURS each side: the words around its other mentions say what
 * it is ("Lyon beat", "in Lyon"). */
#define TG_NEIGHBOURS 4
struct tg_neighbours {
	uint64_t before[TG_NEIGHBOURS], after[TG_NEIGHBOURS];
	unsigned char nbefore, nafter;
};

/* The model in memory. */
struct tg {
	const struct lx *lx;
	int history;		/* 1: it reads the document's history */
	struct fmap feature;	/* feature hash -> row of w */
	float *w;		/* rows of TG_NTAGS weights */
	size_t nrows, caprows;
	float trans[TG_NTAGS][TG_NTAGS];	/* from, to */
	struct fmap connector;	/* h_lower of lower-case words seen in names */
	uint64_t connector_bits[TG_WORD_BITS / 64];	/* the same, as a set of bits */
	uint64_t class_hash[LX_MAX_CLASSES];
	uint8_t allowed[TG_NTAGS][TG_NTAGS];	/* tg_allowed, as a table */
	uint8_t pred[TG_NTAGS][TG_NTAGS];	/* the tags allowed before each */
	int npred[TG_NTAGS];
	/* scratch for one document */
	struct fmap docword;	/* what the document says of its words */
	uint64_t cased_words[TG_WORD_BITS / 64];	/* words capitalised somewhere */
	struct fmap aggword;	/* capitalised word -> its neighbours in agg */
	struct tg_neighbours *agg;
	size_t nagg, capagg;
	struct fmap guessed;	/* the tags of each word so far */
	size_t history_at;	/* the tokens before it are in guessed */
	/* per word, the summed weights of its form's features, of the
	 * features it gives the word after it, and the word before it */
	struct tg_cache {
		struct fmap map;	/* word -> index into score */
		float *score;	/* TG_NTAGS per word */
		size_t n;
	} cache[TG_CACHES];
	float *score, *vbest;	/* per token and tag: emission, Viterbi */
	uint8_t *back;		/* Viterbi's way back */
	unsigned char *gaz;	/* gazetteer matches per token */
	uint32_t *caps;		/* tg_prepare: the capitalised tokens, and */
	uint32_t *later;	/* the open ones in headlines or in lower case */
	size_t scorecap;
	struct buf lower, form;
};

void tg_init(struct tg *g, const struct lx *lx);
void tg_release(struct tg *g);

/*
 * A tagger of its own for another thread: it reads model's weights and
 * tables, which must outlive it and not change meanwhile, and keeps its
 * own scratch.  tg_release_shared frees the scratch alone.
 */
void tg_init_shared(struct tg *copy, const struct tg *model);
void tg_release_shared(struct tg *copy);

/* Load a model file; exits 2 with "prog: FILE: message" when it is not a
 * model this program reads or was trained with another lexicon. */
void tg_load(struct tg *g, const char *path);
/* The model file's payload, for tg_save and tests. */
void tg_serialize(const struct tg *g, struct buf *out);
/* Write the model to f (afile.h), which the caller opened before training
 * so that a model file that cannot be written fails at once, and commit
 * it; exits 2 on an error. */
void tg_save(const struct tg *g, struct af *f);

/* Mark the tokens open to tagging and work out what the document says
 * about its words (the features that look beyond the sentence).  Call
 * once per document, before tg_features or tg_tag. */
void tg_prepare(struct tg *g, struct nd_doc *d);

/* Add the tags in tok[].first of the tokens before token i of d (from
 * where the last call stopped) to the history a model reads; nothing for
 * a model that reads none. */
void tg_history_upto(struct tg *g, const struct nd_doc *d, size_t i);

/* The feature hashes of token i into f[0..TG_MAX_FEATURES); their count.
 * A model that reads the history needs it up to the run of token i. */
size_t tg_features(struct tg *g, const struct nd_doc *d, size_t i, uint64_t *f);

/*
 * Viterbi over a run of n open tokens with O before and after, n at most
 * the tokens of the last tg_prepare: score[k * TG_NTAGS + t] is the score
 * of tag t at the run's token k; the best tags go to tag[0..n).
 */
void tg_viterbi(struct tg *g, const float *score, size_t n, uint8_t *tag);

/* The weights of a feature, a new row of zeros when it has none. */
float *tg_row(struct tg *g, uint64_t hash);

/*
 * The next run of open tokens at or after token i: its first token, and
 * its end in *end; d->n for both when none is left.  A name stays within
 * a sentence, and a run is decoded in pieces of at most TG_MAX_RUN tokens
 * (a run that long is a table or a line of capitals, not one name).
 */
size_t tg_next_run(const struct nd_doc *d, size_t i, size_t *end);

/* Tag every token of d (tok[].tag, and tok[].first for the history). */
void tg_tag(struct tg *g, struct nd_doc *d);

/* Let the lower-case word whose h_lower is h be tagged inside names. */
void tg_add_connector(struct tg *g, uint64_t h);

/* Tagging remembers per word the summed weights of the features a
 * word's form gives, and of those it gives its neighbours: after changing
 * weights, call tg_weights_changed. */
void tg_weights_changed(struct tg *g);

/* Can tag b follow tag a?  (O before the first and after the last.) */
int tg_allowed(int a, int b);

#endif
