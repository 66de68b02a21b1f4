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

void
tm_init(struct terms *t)
{
	memset(t, 0, sizeof *t);
	if ((t->stemmer = sb_stemmer_new("english", "UTF_8")) == NULL)
		msg_fatal("cannot make the English stemmer (libstemmer)");
	fm_init(&t->stems);
	buf_init(&t->fold);
}

void
tm_release(struct terms *t)
{
	sb_stemmer_delete(t->stemmer);
	fm_release(&t->stems);
	free(t->stem_hash);
	free(t->t);
	buf_release(&t->fold);
}

/* The stem hash of the word p[0..n), remembered by the word as written:
 * a word met again is neither folded nor stemmed again. */
static uint64_t
stem_of(struct terms *t, const char *p, size_t n)
{
	uint64_t h = hash_bytes(p, n);
	uint32_t *slot;
	const sb_symbol *s;

	/* Most words were met before: found inline, where fm_put is a call. */
	if ((slot = fm_find(&t->stems, h)) != NULL)
		return t->stem_hash[*slot];
	if (t->stems.n >= MAX_STEMS) {
		fm_clear(&t->stems);
		t->nstems = 0;
	}
	fm_put(&t->stems, h, (uint32_t)t->nstems);
	if (t->nstems == t->capstems) {
		t->capstems = t->capstems ? 2 * t->capstems : 4096;
		t->stem_hash = xrealloc(t->stem_hash, t->capstems * sizeof *t->stem_hash);
	}
	buf_reset(&t->fold);
	tok_fold(p, n, &t->fold);
	/* The stemmer works on int lengths; a longer "word" is its own stem. */
	if (t->fold.len < 256 && (s = sb_stemmer_stem(t->stemmer, (const sb_symbol *)t->fold.data,
	    (int)t->fold.len)) != NULL)
		t->stem_hash[t->nstems] = XXH3_64bits(s, (size_t)sb_stemmer_length(t->stemmer));
	else
		t->stem_hash[t->nstems] = XXH3_64bits(t->fold.data, t->fold.len);
	return t->stem_hash[t->nstems++];
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

static void
add_terms(struct terms *t, const char *text, size_t len, size_t base)
{
	struct tok_iter it;
	struct tok k;

	tok_init(&it, text, len, TOK_SKIP_PUNCT);
	while (tok_next(&it, &k)) {
		struct tm_term *m;
		size_t end = k.kind == TOK_WORD ? tok_possessive(text, &k) : k.end;

		m = new_term(t);
		m->hash = stem_of(t, text + k.start, end - k.start);
		m->start = base + k.start;
		m->end = base + k.end;
	}
}

void
tm_text(struct terms *t, const char *text, size_t len)
{
	t->n = 0;
	add_terms(t, text, len, 0);
}

void
tm_add_field(struct terms *t, const char *text, size_t len, size_t base)
{
	struct tm_term *m = new_term(t);

	m->hash = BARRIER;
	m->start = m->end = base;
	add_terms(t, text, len, base);
}
