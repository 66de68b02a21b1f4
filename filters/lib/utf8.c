#include "compat.h"

#include <string.h>

#include "utf8.h"

/* Valid second-byte ranges for each lead byte (Unicode Table 3-7). */
static int
second_ok(unsigned lead, unsigned c)
{
	switch (lead) {
	case 0xE0: return c >= 0xA0 && c <= 0xBF;
	case 0xED: return c >= 0x80 && c <= 0x9F;
	case 0xF0: return c >= 0x90 && c <= 0xBF;
	case 0xF4: return c >= 0x80 && c <= 0x8F;
	default: return c >= 0x80 && c <= 0xBF;
	}
}

static int
lead_len(unsigned c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

int
utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	int len = lead_len(p[0]), i;
	uint32_t v;

	if (len == 1) {
		*cp = p[0];
		return 1;
	}
	if (len == 0 || (size_t)len > n || !second_ok(p[0], p[1]))
		return 0;
	v = p[0] & (0x7F >> len);
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3F);
	}
	*cp = v;
	return len;
}

size_t
utf8_bad_len(const unsigned char *p, size_t n)
{
	int len = lead_len(p[0]);
	size_t i;

	if (len <= 1 || n < 2 || !second_ok(p[0], p[1]))
		return 1;
	for (i = 2; i < (size_t)len && i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			break;
	return i;
}

#define HIGH_BITS 0x8080808080808080ULL

size_t
utf8_valid_prefix(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;
	int len;

	while (i < n) {
		uint64_t w;

		if (n - i >= 8) {
			memcpy(&w, p + i, 8);
			if ((w & HIGH_BITS) == 0) {
				i += 8;
				continue;
			}
		}
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		len = utf8_decode(p + i, n - i, &cp);
		if (len == 0)
			return i;
		i += (size_t)len;
	}
	return n;
}

int
utf8_encode(char *dst, uint32_t cp)
{
	unsigned char *d = (unsigned char *)dst;

	if (cp < 0x80) {
		d[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (unsigned char)(0xC0 | cp >> 6);
		d[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (unsigned char)(0xE0 | cp >> 12);
		d[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		d[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	d[0] = (unsigned char)(0xF0 | cp >> 18);
	d[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	d[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	d[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

void
utf8_repair(struct buf *b, const char *s, size_t n)
{
	while (n > 0) {
		size_t ok = utf8_valid_prefix(s, n), bad;

		buf_add(b, s, ok);
		s += ok;
		n -= ok;
		if (n == 0)
			break;
		bad = utf8_bad_len((const unsigned char *)s, n);
		utf8_add(b, UTF8_REPLACEMENT);
		s += bad;
		n -= bad;
	}
}
