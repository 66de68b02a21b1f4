/*
 * fmap: a growing map from 64-bit hashes to 32-bit numbers, for tables
 * built once and then read many times (features, lexicon entries, word
 * stems) and for the work on one document.  Open addressing over one
 * array of entries, so a look-up touches one cache line; it doubles when
 * half full.  An entry is in the map when its generation is the map's,
 * so fm_clear empties it in constant time.  The map owns its array.
 */
#ifndef WINNOW_FMAP_H
#define WINNOW_FMAP_H

#include <stddef.h>
#include <stdint.h>

struct fm_entry {
	uint64_t key;
	uint32_t val, gen;
};

struct fmap {
	struct fm_entry *e;
	size_t cap, n;
	uint32_t gen;
};

/* Where the search for key starts (cap must not be 0). */
static inline size_t
fm_home(const struct fmap *m, uint64_t key)
{
	return (size_t)((key ^ (key >> 31)) * 0x9E3779B97F4A7C15u >> 20) & (m->cap - 1);
}

void fm_init(struct fmap *m);
void fm_release(struct fmap *m);
/* Empty m, keeping its room. */
void fm_clear(struct fmap *m);

/* The entry of key, or the empty one where it would go, searching from
 * i = fm_home(m, key) (cap not 0). */
static inline struct fm_entry *
fm_slot_at(const struct fmap *m, uint64_t key, size_t i)
{
	size_t mask = m->cap - 1;

	while (m->e[i].gen == m->gen && m->e[i].key != key)
		i = (i + 1) & mask;
	return &m->e[i];
}

static inline struct fm_entry *
fm_slot(const struct fmap *m, uint64_t key)
{
	return fm_slot_at(m, key, fm_home(m, key));
}

/*
 * fm_find, given home = fm_home(m, key) (cap not 0).  A big map misses
 * the cache on nearly every look-up; a caller with many keys at hand
 * works out their homes and prefetches them all (&m->e[home]) before it
 * looks any up, so the misses overlap.
 */
static inline uint32_t *
fm_find_at(const struct fmap *m, uint64_t key, size_t home)
{
	struct fm_entry *e = fm_slot_at(m, key, home);

	return e->gen == m->gen ? &e->val : NULL;
}

/* The value of key, or NULL.  Inline: the tagger looks up millions. */
static inline uint32_t *
fm_find(const struct fmap *m, uint64_t key)
{
	return m->cap == 0 ? NULL : fm_find_at(m, key, fm_home(m, key));
}

/* The value of key; when it was not there, added with value v. */
uint32_t *fm_put(struct fmap *m, uint64_t key, uint32_t v);

/* Make room for n more keys, so that adding them moves nothing. */
void fm_reserve(struct fmap *m, size_t n);

/* Loop over every key k and value v of m, in no order. */
#define FM_EACH(m, k, v) \
	for (size_t fm_i_ = 0; fm_i_ < (m)->cap; fm_i_++) \
		if ((m)->e[fm_i_].gen == (m)->gen && \
		    ((k) = (m)->e[fm_i_].key, (v) = (m)->e[fm_i_].val, 1))

#endif
