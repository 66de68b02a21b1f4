/*
 * utf8: validation, decoding and repair of UTF-8 (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF).
 */
#ifndef WINNOW_UTF8_H
#define WINNOW_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"

#define UTF8_REPLACEMENT 0xFFFD

/*
 * Decode the character at p (n > 0 bytes available).  Returns its length
 * (1 to 4) and stores it in *cp, or returns 0 when the bytes at p are not
 * a valid character.
 */
int utf8_decode(const unsigned char *p, size_t n, uint32_t *cp);

/*
 * Length of the maximal ill-formed subpart at p (at least 1): the unit that
 * Unicode's "substitution of maximal subparts" replaces with one U+FFFD.
 */
size_t utf8_bad_len(const unsigned char *p, size_t n);

/* Length of the longest valid UTF-8 prefix of p. */
size_t utf8_valid_prefix(const char *p, size_t n);

static inline int
utf8_valid(const char *p, size_t n)
{
	return utf8_valid_prefix(p, n) == n;
}

/* Is p[0..n) all ASCII?  Eight bytes at a time. */
static inline int
utf8_ascii(const void *s, size_t n)
{
	const unsigned char *p = s;
	uint64_t acc = 0, v;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&v, p + i, 8);
		acc |= v;
	}
	for (; i < n; i++)
		acc |= p[i];
	return (acc & UINT64_C(0x8080808080808080)) == 0;
}

/* Encode cp (a scalar value) at dst, which has room for 4 bytes; returns the length. */
int utf8_encode(char *dst, uint32_t cp);

static inline void
utf8_add(struct buf *b, uint32_t cp)
{
	char tmp[4];
	int n = utf8_encode(tmp, cp);

	buf_add(b, tmp, (size_t)n);
}

/* Append p to b with every ill-formed subpart replaced by U+FFFD. */
void utf8_repair(struct buf *b, const char *p, size_t n);

#endif
