/*
 * utf8model.h: an independent model of UTF-8 (Unicode 15, section 3.9,
 * table 3-7), written from the standard rather than from filters/lib/utf8.c,
 * for the C tests to check the library and its output against.
 */
#ifndef WINNOW_TESTS_UTF8MODEL_H
#define WINNOW_TESTS_UTF8MODEL_H

#include <stddef.h>

/* Bytes in the well-formed sequence that lead byte c starts, 0 if none. */
static inline int
model_len(unsigned c)
{
	if (c <= 0x7F)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

/* Table 3-7: the range of the second byte after each lead byte. */
static inline void
model_second(unsigned lead, unsigned *lo, unsigned *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (lead == 0xE0)
		*lo = 0xA0;
	else if (lead == 0xED)
		*hi = 0x9F;
	else if (lead == 0xF0)
		*lo = 0x90;
	else if (lead == 0xF4)
		*hi = 0x8F;
}

/* Is p[0..k) (k >= 1) the beginning of some well-formed sequence? */
static inline int
model_prefix(const unsigned char *p, size_t k)
{
	int len = model_len(p[0]);
	unsigned lo, hi;
	size_t i;

	if (len == 0 || k > (size_t)len)
		return 0;
	if (k >= 2) {
		model_second(p[0], &lo, &hi);
		if (p[1] < lo || p[1] > hi)
			return 0;
	}
	for (i = 2; i < k; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return 1;
}

/* The maximal subpart at p: the longest prefix of p that is the beginning
 * of a well-formed sequence, or 1 when even the first byte is not. */
static inline size_t
model_bad_len(const unsigned char *p, size_t n)
{
	size_t k, best = 1;

	for (k = 1; k <= n && k <= 4; k++)
		if (model_prefix(p, k))
			best = k;
	return best;
}

#endif
