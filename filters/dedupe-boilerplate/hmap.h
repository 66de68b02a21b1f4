/*
 * hmap: a map from 64-bit hashes to small numbers for the work on one
 * record (lines, words, shingles): open addressing, emptied in O(1) by a
 * generation count (an entry is there only when its generation is the
 * map's), so one map serves record after record without clearing it.  The
 * caller sizes it for what it will hold (hm_clear) and never holds more.
 * The map owns its arrays; hm_release frees them.
 */
#ifndef DEDUPE_HMAP_H
#define DEDUPE_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap {
	uint64_t *key;
	uint32_t *val, *gen;
	size_t cap;
	uint32_t cur;
};

/* Empty m, with room for want keys. */
void hm_clear(struct hmap *m, size_t want);
void hm_release(struct hmap *m);

/* The value of key, or NULL. */
uint32_t *hm_find(const struct hmap *m, uint64_t key);

/* The value of key, made 0 when it was not there. */
uint32_t *hm_get(struct hmap *m, uint64_t key);

#endif
