#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "msg.h"

void
hm_clear(struct hmap *m, size_t want)
{
	size_t cap = m->cap ? m->cap : 64;

	while (cap < 2 * want + 2)
		cap *= 2;
	if (cap != m->cap) {
		free(m->key);
		free(m->val);
		free(m->gen);
		m->key = xmalloc(cap * sizeof *m->key);
		m->val = xmalloc(cap * sizeof *m->val);
		m->gen = xcalloc(cap, sizeof *m->gen);
		m->cap = cap;
		m->cur = 0;
	}
	if (++m->cur == 0) {
		memset(m->gen, 0, m->cap * sizeof *m->gen);
		m->cur = 1;
	}
}

void
hm_release(struct hmap *m)
{
	free(m->key);
	free(m->val);
	free(m->gen);
}

/* The value of key, or NULL. */
uint32_t *
hm_find(const struct hmap *m, uint64_t key)
{
	size_t mask = m->cap - 1, i = (size_t)(key ^ (key >> 29)) & mask;

	for (; m->gen[i] == m->cur; i = (i + 1) & mask)
		if (m->key[i] == key)
			return &m->val[i];
	return NULL;
}

/* The value of key, made 0 when it was not there. */
uint32_t *
hm_get(struct hmap *m, uint64_t key)
{
	size_t mask = m->cap - 1, i = (size_t)(key ^ (key >> 29)) & mask;

	for (; m->gen[i] == m->cur; i = (i + 1) & mask)
		if (m->key[i] == key)
			return &m->val[i];
	m->gen[i] = m->cur;
	m->key[i] = key;
	m->val[i] = 0;
	return &m->val[i];
}
