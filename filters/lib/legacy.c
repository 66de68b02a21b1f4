#include "compat.h"

#include "legacy.h"
#include "cpage.h"
#include "utf8.h"

/* Byte 0x80 + i as Windows-1252; 0 where the code page leaves it undefined. */
static uint32_t cp1252[128];
static int have_table;

/* Punctuation that follows a letter in legacy text: ’ ” … – — « » ¿ ... */
static int
after_letter(uint32_t c)
{
	return (c >= 0x2010 && c <= 0x2027) || c == 0xA0 || c == 0xA1 || c == 0xAB ||
	    c == 0xB7 || c == 0xBB || c == 0xBF;
}

/*
 * Can the bad piece p[0..n) be legacy text?  Then its characters are in
 * chars.  Not when a byte is undefined (ICU may give a C1 control for it,
 * no better than U+FFFD), nor when a byte after the first is anything
 * but punctuation ("é’" is text, "â€" a broken sequence).
 */
static int
as_cp1252(const unsigned char *p, size_t n, uint32_t *chars)
{
	size_t k;

	for (k = 0; k < n; k++) {
		chars[k] = cp1252[p[k] - 0x80];
		if (chars[k] < 0xA0 || (k > 0 && !after_letter(chars[k])))
			return 0;
	}
	return 1;
}

/*
 * One walk over the text.  With out NULL, nothing is written and the
 * result is the number of lone bytes that read as legacy text; multi says
 * whether pieces of two or three bytes may be legacy text too.
 */
static size_t
walk(struct buf *out, const unsigned char *p, size_t n, int as_legacy, int multi,
    struct legacy_counts *c)
{
	size_t at = 0, lone = 0;
	int legacy_before = 1;	/* what comes before is ASCII or legacy text */

	while (at < n) {
		size_t good = utf8_valid_prefix((const char *)p + at, n - at), bad, next, k;
		uint32_t chars[4], cp;
		int legacy;

		if (out)
			buf_add(out, p + at, good);
		if (good > 0)
			legacy_before = p[at + good - 1] < 0x80;
		at += good;
		if (at == n)
			break;
		bad = utf8_bad_len(p + at, n - at);
		next = at + bad;
		/* Legacy text stands among ASCII or legacy bytes on both sides. */
		legacy = as_legacy && legacy_before && (bad == 1 || multi) && as_cp1252(p + at, bad, chars) &&
		    (next == n || p[next] < 0x80 || utf8_decode(p + next, n - next, &cp) == 0);
		if (legacy && bad == 1)
			lone++;
		if (out && legacy) {
			for (k = 0; k < bad; k++)
				utf8_add(out, chars[k]);
			c->cp1252 += bad;
		} else if (out) {
			utf8_add(out, UTF8_REPLACEMENT);
			c->replaced++;
		}
		legacy_before = legacy;
		at = next;
	}
	return lone;
}

void
legacy_decode(struct buf *out, const char *p, size_t n, int as_legacy, struct legacy_counts *c)
{
	const unsigned char *u = (const unsigned char *)p;

	if (utf8_valid(p, n)) {
		buf_add(out, p, n);
		return;
	}
	if (!have_table) {
		struct cpage *cp = cpage_open();
		unsigned b;

		for (b = 0x80; b <= 0xFF; b++)
			cp1252[b - 0x80] = cpage_char(cp, CPAGE_1252, b);
		cpage_close(cp);
		have_table = 1;
	}
	walk(out, u, n, as_legacy, walk(NULL, u, n, as_legacy, 0, c) > 0, c);
}
