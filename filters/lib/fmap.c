#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "fmap.h"
#include "msg.h"

void
fm_init(struct fmap *m)
{
	memset(m, 0, sizeof *m);
	m->gen = 1;
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
	m->n = 0;
	if (++m->gen == 0) {
		memset(m->e, 0, m->cap * sizeof *m->e);
		m->gen = 1;
	}
}

/* Move m's keys to a table of cap slots. */
static void
resize(struct fmap *m, size_t cap)
{
	struct fmap big;
	size_t i;

	big.cap = cap;
	big.n = m->n;
	big.gen = 1;
	big.e = xcalloc_table(big.cap, sizeof *big.e);
	for (i = 0; i < m->cap; i++)
		if (m->e[i].gen == m->gen) {
			struct fm_entry *e = fm_slot(&big, m->e[i].key);

			*e = m->e[i];
			e->gen = 1;
		}
	free(m->e);
	*m = big;
}

static void
grow(struct fmap *m)
{
	resize(m, m->cap ? 2 * m->cap : 256);
}

uint32_t *
fm_put(struct fmap *m, uint64_t key, uint32_t v)
{
	struct fm_entry *e;

	if (2 * (m->n + 1) > m->cap)
		grow(m);
	e = fm_slot(m, key);
	if (e->gen != m->gen) {
		e->gen = m->gen;
		e->key = key;
		e->val = v;
		m->n++;
	}
	return &e->val;
}

void
fm_reserve(struct fmap *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 256;

	while (2 * (m->n + n) > cap)
		cap *= 2;
	if (cap != m->cap)
		resize(m, cap);
}
