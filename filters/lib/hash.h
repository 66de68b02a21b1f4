/*
 * hash: a 64-bit hash of a short byte string, for the words every token
 * of a text is looked up by.  From 4 to 16 bytes the string is read as
 * two overlapping words and mixed by one 64x64->128-bit multiply of both,
 * as wyhash does (a product of one word and a constant, folded, collides
 * far more often than chance); up to 3 bytes, by a bijection of the bytes
 * and the length.  That is a fraction of the cost of a call into
 * libxxhash, which longer strings go to.  The values are fixed:
 * extract-names' model files hold hashes made from them, so a change here
 * is a new model file version.
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
	} else {
		/* Up to 3 bytes and the length fit in a word: a bijection of
		 * it leaves no two strings the same hash. */
		a = n > 0 ? (uint64_t)p[0] << 16 | (uint64_t)p[n / 2] << 8 | p[n - 1] : 0;
		a ^= (uint64_t)n << 24;
		a ^= a >> 33;
		a *= 0xff51afd7ed558ccdu;
		a ^= a >> 33;
		a *= 0xc4ceb9fe1a85ec53u;
		return a ^ a >> 33;
	}
	/* The length apart from a and b: XORed into b's low bits it let
	 * "stones" and "stonnes" cancel out. */
	return hash_mix(a ^ 0xa0761d6478bd642fu, b ^ 0xe7037ed1a0b428dbu) ^ n * 0x9e3779b97f4a7c15u;
}

#endif
