#include "compat.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "hash.h"
#include "msg.h"
#include "terms.h"
#include "tok.h"

/* Words a run keeps stems of before it starts afresh: news has about
 * this many distinct words in a few hundred thousand articles. */
#define MAX_STEMS (1u << 20)

/*
 * The stems remembered are looked up for every word of every text: a
 * table of word and stem hashes side by side, at most half full, finds
 * one in a single cache line, where a map to an index into an array of
 * stems took two, each a miss once the words outgrow the cache.
 */
#define FIRST_STEMS 4096	/* slots */

void
tm_init(struct terms *t)
{
	memset(t, 0, sizeof *t);
	if ((t->stemmer = sb_stemmer_new("english", "UTF_8")) == NULL)
		msg_fatal("cannot make the English stemmer (libstemmer)");
	t->capstems = FIRST_STEMS;
	t->stems = xcalloc(t->capstems, sizeof *t->stems);
	buf_init(&t->fold);
}

void
tm_release(struct terms *t)
{
	sb_stemmer_delete(t->stemmer);
	free(t->stems);
	free(t->t);
	buf_release(&t->fold);
}

/* The slot of the word hashed h, or the empty one where it would go. */
static struct tm_stem *
stem_slot(const struct terms *t, uint64_t h)
{
	size_t mask = t->capstems - 1, i = (size_t)(h ^ h >> 32) & mask;

	while (t->stems[i].word != h && t->stems[i].word != 0)
		i = (i + 1) & mask;
	return &t->stems[i];
}

/* Room for one more stem: the table doubled when half full, or emptied
 * past MAX_STEMS. */
static void
grow_stems(struct terms *t)
{
	struct tm_stem *old = t->stems;
	size_t i, oldcap = t->capstems;

	if (2 * (t->nstems + 1) <= t->capstems)
		return;
	if (t->nstems >= MAX_STEMS) {
		memset(t->stems, 0, t->capstems * sizeof *t->stems);
		t->nstems = 0;
		return;
	}
	t->capstems *= 2;
	t->stems = xcalloc(t->capstems, sizeof *t->stems);
	for (i = 0; i < oldcap; i++)
		if (old[i].word != 0)
			*stem_slot(t, old[i].word) = old[i];
	free(old);
}

/* The stem hash of the word p[0..n), folded and stemmed. */
static uint64_t
stem_word(struct terms *t, const char *p, size_t n)
{
	const sb_symbol *s;

	buf_reset(&t->fold);
	tok_fold(p, n, &t->fold);
	/* The stemmer works on int lengths; a longer "word" is its own stem. */
	if (t->fold.len < 256 && (s = sb_stemmer_stem(t->stemmer, (const sb_symbol *)t->fold.data,
	    (int)t->fold.len)) != NULL)
		return XXH3_64bits(s, (size_t)sb_stemmer_length(t->stemmer));
	return XXH3_64bits(t->fold.data, t->fold.len);
}

/* The stem hash of the word p[0..n), remembered by the word as written:
 * a word met again is neither folded nor stemmed again.  A word whose
 * hash is 0, the empty slot's, is stemmed each time (one in 2^64). */
static uint64_t
stem_of(struct terms *t, const char *p, size_t n)
{
	uint64_t h = hash_bytes(p, n);
	struct tm_stem *slot;

	if (h == 0)
		return stem_word(t, p, n);
	if ((slot = stem_slot(t, h))->word == h)
		return slot->stem;
	grow_stems(t);
	slot = stem_slot(t, h);
	slot->word = h;
	slot->stem = stem_word(t, p, n);
	t->nstems++;
	return slot->stem;
}

static struct tm_term *
new_term(struct terms *t)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 1024;
		t->t = xrealloc(t->t, t->cap * sizeof *t->t);
	}
	return &t->t[t->n++];
}

/* The hash of the term between fields: no stem's hash, but for a chance
 * of one in 2^64. */
#define BARRIER 0xb5ad4eceda1ce2a9u

/* The end of the word k without its possessive "'s" (tok_possessive),
 * only sought in a word that ends in an s: most do not. */
static size_t
word_end(const char *text, const struct tok *k)
{
	if (k->kind != TOK_WORD || (text[k->end - 1] | 0x20) != 's')
		return k->end;
	return tok_possessive(text, k);
}

static void
add_terms(struct terms *t, const char *text, size_t len)
{
	struct tok_iter it;
	struct tok k;

	tok_init(&it, text, len, TOK_SKIP_PUNCT);
	while (tok_next(&it, &k)) {
		size_t end = word_end(text, &k);

		new_term(t)->hash = stem_of(t, text + k.start, end - k.start);
	}
}

void
tm_text(struct terms *t, const char *text, size_t len)
{
	t->n = 0;
	add_terms(t, text, len);
}

void
tm_add_field(struct terms *t, const char *text, size_t len)
{
	new_term(t)->hash = BARRIER;
	add_terms(t, text, len);
}

int
tm_no_words(const struct terms *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->t[i].hash != BARRIER)
			return 0;
	return 1;
}
