#include "compat.h"

#include <stdlib.h>

#include "buf.h"
#include "msg.h"

const char buf_slop[1];

void
buf_init(struct buf *b)
{
	b->data = (char *)buf_slop;
	b->len = b->cap = 0;
}

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
		/* cap 0: data is buf_slop (or NULL if zeroed), not ours. */
		b->data = xrealloc(b->cap ? b->data : NULL, cap);
		if (b->cap == 0)
			b->data[0] = '\0';
		b->cap = cap;
	}
}

void
buf_release(struct buf *b)
{
	if (b->cap)
		free(b->data);
	buf_init(b);
}

void
buf_addu(struct buf *b, uint64_t v)
{
	char digits[20];
	size_t n = sizeof digits;

	do
		digits[--n] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	buf_add(b, digits + n, sizeof digits - n);
}
