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
		free(m->e);
		m->e = xcalloc(cap, sizeof *m->e);
		m->cap = cap;
		m->cur = 0;
	}
	if (++m->cur == 0) {
		memset(m->e, 0, m->cap * sizeof *m->e);
		m->cur = 1;
	}
}

void
hm_release(struct hmap *m)
{
	free(m->e);
}
