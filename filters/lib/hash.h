/*
 * hash: a 64-bit hash of a short byte string, for the words every token
 * of a text is looked up by.  Up to 16 bytes the string is read as two
 * overlapping words and mixed by one 64x64->128-bit multiply, as wyhash
 * does: a fraction of the cost of a call into libxxhash, which longer
 * strings go to.  The values are fixed: extract-names' model files hold
 * hashes made from them, so a change here is a new model file version.
 */
#ifndef WINNOW_HASH_H
#define WINNOW_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xxhash.h>

/* The two halves of a * b, folded. */
static inline uint64_t
hash_mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t
hash_bytes(const void *s, size_t n)
{
	const unsigned char *p = s;
	uint64_t a = 0, b = 0;

	if (n > 16)
		return XXH3_64bits(p, n);
	if (n >= 8) {
		memcpy(&a, p, 8);
		memcpy(&b, p + n - 8, 8);
	} else if (n >= 4) {
		uint32_t x, y;

		memcpy(&x, p, 4);
		memcpy(&y, p + n - 4, 4);
		a = x;
		b = y;
	} else if (n > 0) {
		a = (uint64_t)p[0] << 16 | (uint64_t)p[n / 2] << 8 | p[n - 1];
	}
	return hash_mix(a ^ 0xa0761d6478bd642fu, b ^ n ^ 0x243f6a8885a308d3u ^ 0xe7037ed1a0b428dbu);
}

#endif
