/*
 * buf: a growing byte buffer.  One is kept per stream and reused record
 * after record, so the steady state allocates nothing.
 *
 * The buffer owns data; buf_release frees it.  data is never NULL and is
 * always followed by a NUL byte that is not counted in len, so it can be
 * printed as a string.  An empty buffer that has not grown yet (cap 0)
 * points at buf_slop, a shared one-byte "" that is never written or
 * freed, so BUF_INIT allocates nothing (git's strbuf_slopbuf).  It is
 * const, in read-only memory: a write through a buffer that has not
 * grown crashes at once instead of corrupting every empty buffer.
 *
 * A buffer starts as BUF_INIT or from buf_init; one zeroed by xcalloc
 * (data NULL, cap 0) still works with every function here, but its data
 * is NULL until the first add, so set it up with buf_init.
 */
#ifndef WINNOW_BUF_H
#define WINNOW_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

extern const char buf_slop[1];

#define BUF_INIT { (char *)buf_slop, 0, 0 }

/* Set b up empty, as BUF_INIT does. */
void buf_init(struct buf *b);
/* Make room for at least n more bytes. */
void buf_grow(struct buf *b, size_t n);
/* Free data and leave b empty, as buf_init does: it can be used again. */
void buf_release(struct buf *b);

/* Empty b and keep its memory. */
static inline void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
}

static inline void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->cap - b->len <= n)
		buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void
buf_addc(struct buf *b, int c)
{
	if (b->cap - b->len <= 1)
		buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}

static inline void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Append v in decimal: what snprintf's %u gives, without its cost,
 * which is most of the cost of a short field written per record. */
void buf_addu(struct buf *b, uint64_t v);

/* Swap the contents of two buffers (cheap double-buffering). */
static inline void
buf_swap(struct buf *a, struct buf *b)
{
	struct buf t = *a;

	*a = *b;
	*b = t;
}

#endif
