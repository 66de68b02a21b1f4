/*
 * terms: a text as the words topic tagging counts: each word (tok.h,
 * words and numbers) case-folded and reduced to its Snowball English
 * stem, so that "Strikes", "striking" and "strike" are one term, and
 * kept as a 64-bit hash.  Stems are remembered per word as the text
 * writes it, so each distinct spelling ("The", "the") is folded and meets
 * the stemmer once per run.  libstemmer sits behind this module.
 */
#ifndef TOPICS_TERMS_H
#define TOPICS_TERMS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct tm_term {
	uint64_t hash;		/* of the stem */
};

/* A word as written and its stem, by their hashes. */
struct tm_stem {
	uint64_t word, stem;
};

struct terms {
	struct tm_term *t;
	size_t n, cap;
	/* private */
	struct sb_stemmer *stemmer;
	struct tm_stem *stems;	/* open addressing; word 0: an empty slot */
	size_t nstems, capstems;
	struct buf fold;
};

/* Ready t; fatal when the stemmer cannot be made. */
void tm_init(struct terms *t);
void tm_release(struct terms *t);

/* The terms of text[0..len) (valid UTF-8) into t->t[0..t->n). */
void tm_text(struct terms *t, const char *text, size_t len);
/* Append the terms of text[0..len) after a term no phrase holds, so that
 * no phrase runs from one field into the next. */
void tm_add_field(struct terms *t, const char *text, size_t len);
/* Whether t holds no word in any of its fields: the terms between
 * fields that tm_add_field adds are not words. */
int tm_no_words(const struct terms *t);

/* The hash a sequence of terms is looked up by: tm_seq(tm_seq(0, a), b).
 * Inline: scoring works it out for nearly every word. */
static inline uint64_t
tm_seq(uint64_t seq, uint64_t term)
{
	uint64_t x = (seq ^ (seq >> 29)) * 0xbf58476d1ce4e5b9u + term;

	x ^= x >> 31;
	x *= 0x94d049bb133111ebu;
	return x ^ (x >> 32);
}

#endif
