/*
 * hmap: a map from 64-bit hashes to small numbers for the work on one
 * record (lines, words, shingles): open addressing, emptied in O(1) by a
 * generation count (an entry is there only when its generation is the
 * map's), so one map serves record after record without clearing it.  The
 * caller sizes it for what it will hold (hm_clear) and never holds more.
 * The map owns its array; hm_release frees it.  A key, its value and its
 * generation share one entry, so that a probe reads one cache line; the
 * lookups are inline, as the detectors make millions of them.
 */
#ifndef DEDUPE_HMAP_H
#define DEDUPE_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hm_entry {
	uint64_t key;
	uint32_t val, gen;
};

struct hmap {
	struct hm_entry *e;
	size_t cap;
	uint32_t cur;
};

/* Empty m, with room for want keys. */
void hm_clear(struct hmap *m, size_t want);
void hm_release(struct hmap *m);

/* The value of key, or NULL. */
static inline uint32_t *
hm_find(const struct hmap *m, uint64_t key)
{
	size_t mask = m->cap - 1, i = (size_t)(key ^ (key >> 29)) & mask;

	for (; m->e[i].gen == m->cur; i = (i + 1) & mask)
		if (m->e[i].key == key)
			return &m->e[i].val;
	return NULL;
}

/* The value of key, made 0 when it was not there. */
static inline uint32_t *
hm_get(struct hmap *m, uint64_t key)
{
	size_t mask = m->cap - 1, i = (size_t)(key ^ (key >> 29)) & mask;

	for (; m->e[i].gen == m->cur; i = (i + 1) & mask)
		if (m->e[i].key == key)
			return &m->e[i].val;
	m->e[i].gen = m->cur;
	m->e[i].key = key;
	m->e[i].val = 0;
	return &m->e[i].val;
}

#endif
