#include "compat.h"

#include <stdint.h>

#include "tok.h"
#include "uni.h"
#include "utf8.h"

/* Character classes, as the tokeniser sees them. */
enum {
	C_SPACE,	/* skipped */
	C_FORMAT,	/* invisible: inside a word part of it, else skipped */
	C_LETTER,	/* letters and numerals other than decimal digits */
	C_MARK,
	C_DIGIT,
	C_APOS,		/* joins letters */
	C_HYPHEN,	/* joins letters */
	C_NUMSEP,	/* joins digits */
	C_OTHER,	/* punctuation and symbols */
	C_BAD,		/* a byte that is not UTF-8 */
	C_HIGH		/* in the ASCII table: a lead byte, decode it */
};

#define S C_SPACE
#define L C_LETTER
#define D C_DIGIT
#define O C_OTHER
#define H C_HIGH
static const unsigned char ascii_class[256] = {
	S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S,
	S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S,
	S, O, O, O, O, O, O, C_APOS, O, O, O, O, C_NUMSEP, C_HYPHEN, C_NUMSEP, O,
	D, D, D, D, D, D, D, D, D, D, O, O, O, O, O, O,
	O, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
	L, L, L, L, L, L, L, L, L, L, L, O, O, O, O, O,
	O, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
	L, L, L, L, L, L, L, L, L, L, L, O, O, O, O, S,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
};
#undef S
#undef L
#undef D
#undef O
#undef H

/* The class of the character at p (n > 0 bytes left); its length in *len
 * and its code point in *cp. */
static int
classify(const unsigned char *p, size_t n, int *len, uint32_t *cp)
{
	int k = ascii_class[p[0]];

	*cp = p[0];
	*len = 1;
	if (WN_LIKELY(k != C_HIGH))
		return k;
	if ((*len = utf8_decode(p, n, cp)) == 0) {
		*len = 1;
		return C_BAD;
	}
	switch (*cp) {
	case 0x2019: return C_APOS;
	case 0x2010: case 0x2011: return C_HYPHEN;
	}
	switch (uni_gc(*cp)) {
	case UNI_GC_SPACE: return C_SPACE;
	case UNI_GC_FORMAT: return C_FORMAT;
	case UNI_GC_LETTER: case UNI_GC_NUMBER: return C_LETTER;
	case UNI_GC_MARK: return C_MARK;
	case UNI_GC_DIGIT: return C_DIGIT;
	default: return C_OTHER;
	}
}

/* The class of the character at offset i, or C_SPACE past the end. */
static int
class_at(const struct tok_iter *it, size_t i)
{
	int len;
	uint32_t cp;

	return i < it->len ? classify(it->text + i, it->len - i, &len, &cp) : C_SPACE;
}

void
tok_init(struct tok_iter *it, const char *text, size_t len, unsigned flags)
{
	it->text = (const unsigned char *)text;
	it->len = len;
	it->pos = 0;
	it->flags = flags;
}

/* Scan the rest of a word or number begun by a character of class first;
 * returns its end and whether it holds a letter. */
static size_t
scan_word(const struct tok_iter *it, size_t i, int first, int *has_letter)
{
	const unsigned char *p = it->text;
	size_t n = it->len, end = n;
	int prev = first == C_DIGIT ? C_DIGIT : C_LETTER, letter = prev == C_LETTER;

	while (i < n) {
		int k, len, next;
		uint32_t cp;

		/* Runs of ASCII letters and digits, the bulk of any text; kept
		 * in locals, which a store through has_letter would not let
		 * the loop do. */
		if ((k = ascii_class[p[i]]) == C_LETTER || k == C_DIGIT) {
			do {
				prev = k;
				letter |= k == C_LETTER;
			} while (++i < n && ((k = ascii_class[p[i]]) == C_LETTER || k == C_DIGIT));
			if (i == n)
				break;
		}
		if (k == C_SPACE) {
			end = i;
			break;
		}
		k = classify(p + i, n - i, &len, &cp);
		switch (k) {
		case C_LETTER:
		case C_MARK:
			prev = C_LETTER;
			letter = 1;
			i += (size_t)len;
			continue;
		case C_DIGIT:
			prev = C_DIGIT;
			i += (size_t)len;
			continue;
		case C_APOS:
		case C_HYPHEN:
			if (prev != C_LETTER || class_at(it, i + (size_t)len) != C_LETTER)
				end = i;
			break;
		case C_NUMSEP:
			if (prev != C_DIGIT || class_at(it, i + (size_t)len) != C_DIGIT)
				end = i;
			break;
		case C_FORMAT:
			next = class_at(it, i + (size_t)len);
			if (next != C_LETTER && next != C_MARK && next != C_DIGIT)
				end = i;
			break;
		default:
			end = i;
			break;
		}
		if (end < n)
			break;
		i += (size_t)len;	/* a joiner, with a letter or digit after it */
	}
	*has_letter = letter;
	return end;
}

static int
is_regional_indicator(uint32_t c)
{
	return c >= 0x1F1E6 && c <= 0x1F1FF;
}

/* The end of the character begun at i by code point c: its marks, and
 * for a pictograph the rest of its emoji sequence. */
static size_t
scan_char(const struct tok_iter *it, size_t i, uint32_t c)
{
	int pict = c >= 0x80 && uni_is_pictographic(c);
	int flag_half = is_regional_indicator(c);

	while (i < it->len) {
		int len, k = classify(it->text + i, it->len - i, &len, &c), len2;
		uint32_t c2;

		if (k == C_MARK ||
		    (pict && c >= 0x1F3FB && c <= 0x1F3FF) ||	/* skin tones */
		    (pict && c >= 0xE0020 && c <= 0xE007F)) {	/* tag characters */
			i += (size_t)len;
		} else if (flag_half && is_regional_indicator(c)) {
			flag_half = 0;
			i += (size_t)len;
		} else if (pict && c == 0x200D && i + 3 < it->len &&
		    classify(it->text + i + 3, it->len - i - 3, &len2, &c2) == C_OTHER &&
		    uni_is_pictographic(c2)) {
			i += 3 + (size_t)len2;
		} else {
			return i;
		}
	}
	return i;
}

int
tok_next(struct tok_iter *it, struct tok *t)
{
	const unsigned char *p = it->text;
	size_t n = it->len, i = it->pos;

	for (;;) {
		int k = C_SPACE, len = 1, has_letter;
		uint32_t cp;

		while (i < n && (k = ascii_class[p[i]]) == C_SPACE)
			i++;
		if (i >= n) {
			it->pos = n;
			return 0;
		}
		cp = p[i];
		/* Past ASCII, a space or an invisible character may go on. */
		if (k == C_HIGH && ((k = classify(p + i, n - i, &len, &cp)) == C_SPACE ||
		    k == C_FORMAT)) {
			i += (size_t)len;
			continue;
		}
		t->start = i;
		if (k == C_LETTER || k == C_DIGIT) {
			t->end = scan_word(it, i + (size_t)len, k, &has_letter);
			t->kind = has_letter ? TOK_WORD : TOK_NUMBER;
		} else {
			t->end = k == C_BAD ? i + 1 : scan_char(it, i + (size_t)len, cp);
			t->kind = TOK_PUNCT;
		}
		i = t->end;
		if (t->kind != TOK_PUNCT || !(it->flags & TOK_SKIP_PUNCT))
			break;
	}
	it->pos = i;
	return 1;
}

size_t
tok_possessive(const char *text, const struct tok *t)
{
	const unsigned char *p = (const unsigned char *)text + t->start;
	size_t n = t->end - t->start;

	if (t->kind != TOK_WORD || n < 3 || (p[n - 1] | 0x20) != 's')
		return t->end;
	if (p[n - 2] == '\'')
		return t->end - 2;
	if (n >= 5 && p[n - 4] == 0xE2 && p[n - 3] == 0x80 && p[n - 2] == 0x99)
		return t->end - 4;
	return t->end;
}

void
tok_fold(const char *p, size_t n, struct buf *out)
{
	size_t i, at = out->len;

	buf_grow(out, n);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= 0x80) {
			out->len = at;
			uni_fold(p, n, out);
			return;
		}
		out->data[at + i] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
	}
	out->len = at + n;
	out->data[out->len] = '\0';
}

enum tok_shape
tok_shape(const char *text, size_t n)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, upper = 0, lower = 0, caseless = 0, digits = 0;
	int seg_start = 1, first_upper = 0, inner_upper = 0;

	/* Most words of news are ASCII, in lower case or capitalised. */
	if (n > 0 && p[0] >= 'A' && p[0] <= 'Z')
		i = 1;
	while (i < n && p[i] >= 'a' && p[i] <= 'z')
		i++;
	if (n > 0 && i == n)
		return p[0] <= 'Z' ? TOK_SHAPE_CAP : TOK_SHAPE_LOWER;
	i = 0;
	while (i < n) {
		int len;
		uint32_t c;
		int k = classify(p + i, n - i, &len, &c);

		i += (size_t)len;
		if (k == C_DIGIT) {
			digits++;
		} else if (k == C_APOS || k == C_HYPHEN) {
			seg_start = 1;
			continue;
		} else if (k != C_LETTER) {
			continue;
		} else if (c < 0x80 ? c <= 'Z' : uni_is_upper(c)) {
			if (upper + lower + caseless == 0)
				first_upper = 1;
			else if (!seg_start)
				inner_upper = 1;
			upper++;
		} else if (c < 0x80 || uni_is_lower(c)) {
			lower++;
		} else {
			caseless++;
		}
		seg_start = 0;
	}
	if (upper + lower + caseless == 0)
		return digits ? TOK_SHAPE_DIGITS : TOK_SHAPE_PUNCT;
	if (digits)
		return TOK_SHAPE_ALNUM;
	if (upper + lower == 0)
		return TOK_SHAPE_CASELESS;
	if (upper == 0)
		return TOK_SHAPE_LOWER;
	if (lower == 0 && upper >= 2)
		return TOK_SHAPE_UPPER;
	if (first_upper && !inner_upper)
		return TOK_SHAPE_CAP;
	return TOK_SHAPE_MIXED;
}

const char *
tok_shape_name(enum tok_shape s)
{
	static const char *const names[] = { ".", "xx", "Xx", "XX", "xX", "dd", "xd", "w" };

	return names[s];
}
