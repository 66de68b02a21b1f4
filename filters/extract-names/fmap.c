#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "fmap.h"
#include "msg.h"

void
fm_init(struct fmap *m)
{
	memset(m, 0, sizeof *m);
}

void
fm_release(struct fmap *m)
{
	free(m->e);
	fm_init(m);
}

void
fm_clear(struct fmap *m)
{
	if (m->n == 0)
		return;
	if (m->cap > 8 * 1024 && m->cap > 16 * m->n) {
		fm_release(m);
		return;
	}
	memset(m->e, 0, m->cap * sizeof *m->e);
	m->n = 0;
}

static struct fm_entry *
slot_of(const struct fmap *m, uint64_t key)
{
	size_t mask = m->cap - 1, i = (size_t)((key ^ (key >> 31)) * 0x9E3779B97F4A7C15u >> 20) & mask;

	while (m->e[i].key != 0 && m->e[i].key != key)
		i = (i + 1) & mask;
	return &m->e[i];
}

uint32_t *
fm_find(const struct fmap *m, uint64_t key)
{
	struct fm_entry *e;

	if (m->cap == 0)
		return NULL;
	e = slot_of(m, key ? key : FM_ZERO);
	return e->key != 0 ? &e->val : NULL;
}

static void
grow(struct fmap *m)
{
	struct fmap big;
	size_t i;

	big.cap = m->cap ? 2 * m->cap : 1024;
	big.n = m->n;
	big.e = xcalloc(big.cap, sizeof *big.e);
	for (i = 0; i < m->cap; i++)
		if (m->e[i].key != 0)
			*slot_of(&big, m->e[i].key) = m->e[i];
	free(m->e);
	*m = big;
}

uint32_t *
fm_put(struct fmap *m, uint64_t key, uint32_t v)
{
	struct fm_entry *e;

	if (4 * (m->n + 1) > m->cap)
		grow(m);
	if (key == 0)
		key = FM_ZERO;
	e = slot_of(m, key);
	if (e->key == 0) {
		e->key = key;
		e->val = v;
		m->n++;
	}
	return &e->val;
}
