#include "compat.h"

#include <stdlib.h>

#include "buf.h"
#include "msg.h"

void
buf_grow(struct buf *b, size_t n)
{
	size_t need = b->len + n + 1, cap = b->cap ? b->cap : 256;

	if (need < b->len)
		msg_fatal("out of memory");
	while (cap < need) {
		if (cap > (size_t)-1 / 2)
			msg_fatal("out of memory");
		cap *= 2;
	}
	if (cap != b->cap) {
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
}

void
buf_release(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
