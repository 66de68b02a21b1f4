/*
 * fmap: a growing map from 64-bit hashes to 32-bit numbers, for tables
 * built once and then read many times (features, lexicon entries) and
 * for the work on one document.  Open addressing over one array of
 * key-value pairs, so a look-up touches one cache line; it doubles when
 * half full.  The map owns its array.
 */
#ifndef NAMES_FMAP_H
#define NAMES_FMAP_H

#include <stddef.h>
#include <stdint.h>

struct fm_entry {
	uint64_t key;		/* 0: empty (a key of 0 is stored as FM_ZERO) */
	uint32_t val;
};

#define FM_ZERO 0x9E3779B97F4A7C15u

struct fmap {
	struct fm_entry *e;
	size_t cap, n;
};

void fm_init(struct fmap *m);
void fm_release(struct fmap *m);
/* Empty m for the next document; a map grown large by one document is
 * given back rather than cleared for every small one after it. */
void fm_clear(struct fmap *m);

/* The value of key, or NULL. */
uint32_t *fm_find(const struct fmap *m, uint64_t key);

/* The value of key; when it was not there, added with value v. */
uint32_t *fm_put(struct fmap *m, uint64_t key, uint32_t v);

/* Call fn on every key and value, in no order. */
#define FM_EACH(m, k, v) \
	for (size_t fm_i_ = 0; fm_i_ < (m)->cap; fm_i_++) \
		if ((m)->e[fm_i_].key != 0 && ((k) = (m)->e[fm_i_].key, (v) = (m)->e[fm_i_].val, 1))

#endif
