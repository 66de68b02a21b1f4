#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

#include "msg.h"
#include "uni.h"

struct uni {
	const UNormalizer2 *norm;
	uint8_t *inert;		/* bitmap of the BMP: uni_form_inert */
	UTransliterator *trans;
	UChar *u16, *u16b;	/* work buffers, grown as needed */
	int32_t cap, capb;
};

const char *
uni_icu_version(void)
{
	static char v[U_MAX_VERSION_STRING_LENGTH];
	UVersionInfo info;

	u_getVersion(info);
	u_versionToString(info, v);
	return v;
}

int
uni_form_parse(const char *name)
{
	if (strcmp(name, "nfc") == 0)
		return UNI_FORM_NFC;
	if (strcmp(name, "nfkc") == 0)
		return UNI_FORM_NFKC;
	if (strcmp(name, "nfkc_cf") == 0)
		return UNI_FORM_NFKC_CF;
	if (strcmp(name, "none") == 0)
		return UNI_FORM_NONE;
	return -1;
}

/*
 * Quick-check "yes" and combining class 0: by the quick-check algorithm of
 * UAX #15, a text made only of such characters is already normalised.
 */
static int
form_inert(const UNormalizer2 *norm, UChar32 c)
{
	UChar s[2];
	int32_t n = 0;
	UErrorCode st = U_ZERO_ERROR;

	U16_APPEND_UNSAFE(s, n, c);
	return unorm2_getCombiningClass(norm, c) == 0 &&
	    unorm2_quickCheck(norm, s, n, &st) == UNORM_YES && U_SUCCESS(st);
}

int
uni_form_inert(const struct uni *u, uint32_t c)
{
	if (u->norm == NULL)
		return 1;
	if (c < 0x10000)
		return u->inert[c >> 3] >> (c & 7) & 1;
	return form_inert(u->norm, (UChar32)c);
}

struct uni *
uni_open(enum uni_form form, const char *translit, char *err, size_t errlen)
{
	struct uni *u = xcalloc(1, sizeof *u);
	UErrorCode st = U_ZERO_ERROR;

	switch (form) {
	case UNI_FORM_NFC: u->norm = unorm2_getNFCInstance(&st); break;
	case UNI_FORM_NFKC: u->norm = unorm2_getNFKCInstance(&st); break;
	case UNI_FORM_NFKC_CF: u->norm = unorm2_getNFKCCasefoldInstance(&st); break;
	case UNI_FORM_NONE: break;
	}
	if (U_FAILURE(st)) {
		snprintf(err, errlen, "cannot load the normalisation data: %s", u_errorName(st));
		free(u);
		return NULL;
	}
	if (u->norm) {
		UChar32 c;

		u->inert = xcalloc(0x10000 / 8, 1);
		for (c = 0; c < 0x10000; c++)
			if (!U_IS_SURROGATE(c) && form_inert(u->norm, c))
				u->inert[c >> 3] |= (uint8_t)(1u << (c & 7));
	}
	if (translit) {
		UChar id[256];
		UParseError pe;

		u_strFromUTF8(id, 256, NULL, translit, -1, &st);
		if (U_SUCCESS(st))
			u->trans = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, &pe, &st);
		if (U_FAILURE(st)) {
			snprintf(err, errlen, "unknown transliterator '%s': %s", translit, u_errorName(st));
			free(u->inert);
			free(u);
			return NULL;
		}
	}
	return u;
}

void
uni_close(struct uni *u)
{
	if (u == NULL)
		return;
	if (u->trans)
		utrans_close(u->trans);
	free(u->inert);
	free(u->u16);
	free(u->u16b);
	free(u);
}

/* ICU counts in int32_t: texts past that are refused, not wrapped. */
static void
grow16(UChar **p, int32_t *cap, int64_t need)
{
	if (need <= *cap)
		return;
	if (need > INT32_MAX / 2)
		msg_fatal("text too long for ICU (%lld UTF-16 units)", (long long)need);
	*cap = (int32_t)(need * 2);
	*p = xrealloc(*p, (size_t)*cap * sizeof **p);
}

/* UTF-8 to u->u16; returns the length in UTF-16 units. */
static int32_t
to16(struct uni *u, const char *p, size_t n)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t len;

	grow16(&u->u16, &u->cap, (int64_t)n + 1);
	u_strFromUTF8Lenient(u->u16, u->cap, &len, p, (int32_t)n, &st);
	if (U_FAILURE(st))
		msg_fatal("ICU: %s", u_errorName(st));
	return len;
}

static void
from16(const UChar *s, int32_t len, struct buf *out)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t n;

	buf_grow(out, (size_t)len * 3);
	/* A lone surrogate (from text that was not UTF-8, read leniently)
	 * becomes U+FFFD rather than an error. */
	u_strToUTF8WithSub(out->data + out->len,
	    out->cap - out->len > INT32_MAX ? INT32_MAX : (int32_t)(out->cap - out->len),
	    &n, s, len, 0xFFFD, NULL, &st);
	if (U_FAILURE(st))
		msg_fatal("ICU: %s", u_errorName(st));
	out->len += (size_t)n;
	out->data[out->len] = '\0';
}

/* Run an ICU string function that writes into u->u16b, growing on overflow. */
#define RUN16(u, call, result) do {					\
	UErrorCode st_;							\
	for (;;) {							\
		st_ = U_ZERO_ERROR;					\
		result = call;						\
		if (st_ != U_BUFFER_OVERFLOW_ERROR)			\
			break;						\
		grow16(&(u)->u16b, &(u)->capb, (int64_t)result + 1);	\
	}								\
	if (U_FAILURE(st_))						\
		msg_fatal("ICU: %s", u_errorName(st_));			\
} while (0)

int
uni_normalize(struct uni *u, const char *p, size_t n, struct buf *out)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t len, done, outlen;

	if (u->norm == NULL)
		return 0;
	len = to16(u, p, n);
	done = unorm2_spanQuickCheckYes(u->norm, u->u16, len, &st);
	if (U_FAILURE(st))
		msg_fatal("ICU: %s", u_errorName(st));
	if (done == len)
		return 0;
	grow16(&u->u16b, &u->capb, (int64_t)len + 16);
	RUN16(u, unorm2_normalize(u->norm, u->u16, len, u->u16b, u->capb, &st_), outlen);
	from16(u->u16b, outlen, out);
	return 1;
}

/*
 * utrans works in place and moves the rest of its buffer at each change
 * of length, which on one long text is quadratic (1 MB through Any-Hex
 * took 20 s).  It is given pieces of a few thousand units instead, cut
 * after a space or line break where there is one: rules look at context
 * within a word.
 */
enum { TRANSLIT_PIECE = 2048 };

/* Where the piece that begins at s[start] ends. */
static int32_t
translit_cut(const UChar *s, int32_t start, int32_t len)
{
	int32_t i;

	if (len - start <= 2 * TRANSLIT_PIECE)
		return len;
	for (i = start + TRANSLIT_PIECE; i < start + 2 * TRANSLIT_PIECE; i++)
		if (s[i] == ' ' || s[i] == '\n')
			return i + 1;
	return U16_IS_TRAIL(s[i]) ? i + 1 : i;
}

/* Append the transliteration of s[0..n) to out, through u->u16b. */
static void
translit_piece(struct uni *u, const UChar *s, int32_t n, struct buf *out)
{
	int64_t room = (int64_t)n * 4 + 16;
	int32_t len, limit;
	UErrorCode st;

	for (;;) {
		grow16(&u->u16b, &u->capb, room);
		memcpy(u->u16b, s, (size_t)n * sizeof *s);
		len = limit = n;
		st = U_ZERO_ERROR;
		utrans_transUChars(u->trans, u->u16b, &len, u->capb, 0, &limit, &st);
		if (st != U_BUFFER_OVERFLOW_ERROR)
			break;
		room = (int64_t)u->capb * 2;
	}
	if (U_FAILURE(st))
		msg_fatal("ICU: %s", u_errorName(st));
	from16(u->u16b, len, out);
}

void
uni_translit(struct uni *u, const char *p, size_t n, struct buf *out)
{
	int32_t len = to16(u, p, n), start, end;

	for (start = 0; start < len; start = end) {
		end = translit_cut(u->u16, start, len);
		translit_piece(u, u->u16 + start, end - start, out);
	}
}

void
uni_casefold(struct uni *u, const char *p, size_t n, struct buf *out)
{
	int32_t len = to16(u, p, n), outlen;

	grow16(&u->u16b, &u->capb, (int64_t)len + 16);
	RUN16(u, u_strFoldCase(u->u16b, u->capb, u->u16, len, U_FOLD_CASE_DEFAULT, &st_), outlen);
	from16(u->u16b, outlen, out);
}

int
uni_is_upper(uint32_t c)
{
	return u_isupper((UChar32)c) || u_istitle((UChar32)c);
}

int
uni_is_lower(uint32_t c)
{
	return u_islower((UChar32)c);
}

int
uni_is_letter(uint32_t c)
{
	return u_isalpha((UChar32)c);
}

int
uni_is_assigned(uint32_t c)
{
	switch (u_charType((UChar32)c)) {
	case U_UNASSIGNED:
	case U_CONTROL_CHAR:
	case U_PRIVATE_USE_CHAR:
	case U_SURROGATE:
		return 0;
	default:
		return 1;
	}
}

int
uni_is_space_separator(uint32_t c)
{
	return u_charType((UChar32)c) == U_SPACE_SEPARATOR;
}

int
uni_is_pictographic(uint32_t c)
{
	return u_hasBinaryProperty((UChar32)c, UCHAR_EXTENDED_PICTOGRAPHIC) ||
	    u_hasBinaryProperty((UChar32)c, UCHAR_EMOJI_COMPONENT) ||
	    (c >= 0xFE00 && c <= 0xFE0F);
}

int
uni_needs_joiners(uint32_t c)
{
	UErrorCode st = U_ZERO_ERROR;
	UScriptCode sc = uscript_getScript((UChar32)c, &st);

	if (U_FAILURE(st))
		return 0;
	switch (sc) {
	case USCRIPT_COMMON:
	case USCRIPT_INHERITED:
	case USCRIPT_LATIN:
	case USCRIPT_GREEK:
	case USCRIPT_CYRILLIC:
	case USCRIPT_ARMENIAN:
	case USCRIPT_GEORGIAN:
	case USCRIPT_HAN:
	case USCRIPT_HIRAGANA:
	case USCRIPT_KATAKANA:
	case USCRIPT_HANGUL:
	case USCRIPT_UNKNOWN:
		return 0;
	default:
		return 1;
	}
}

enum uni_gc
uni_gc(uint32_t c)
{
	switch (u_charType((UChar32)c)) {
	case U_UPPERCASE_LETTER:
	case U_LOWERCASE_LETTER:
	case U_TITLECASE_LETTER:
	case U_MODIFIER_LETTER:
	case U_OTHER_LETTER:
		return UNI_GC_LETTER;
	case U_NON_SPACING_MARK:
	case U_ENCLOSING_MARK:
	case U_COMBINING_SPACING_MARK:
		return UNI_GC_MARK;
	case U_DECIMAL_DIGIT_NUMBER:
		return UNI_GC_DIGIT;
	case U_LETTER_NUMBER:
	case U_OTHER_NUMBER:
		return UNI_GC_NUMBER;
	case U_FORMAT_CHAR:
		return c == 0x200B ? UNI_GC_SPACE : UNI_GC_FORMAT;
	case U_CONTROL_CHAR:
	case U_SPACE_SEPARATOR:
	case U_LINE_SEPARATOR:
	case U_PARAGRAPH_SEPARATOR:
		return UNI_GC_SPACE;
	default:
		return UNI_GC_OTHER;
	}
}

/* Words are short: fold them in stack buffers and allocate only for the
 * rare long one.  Folding can lengthen a text (ß to ss), up to 3 times in
 * UTF-16 units. */
void
uni_fold(const char *p, size_t n, struct buf *out)
{
	UChar in16[128], out16[3 * 128];
	UChar *a = in16, *b = out16;
	int32_t alen = 0, blen = 0, cap = 128;
	UErrorCode st = U_ZERO_ERROR;

	if (n > INT32_MAX / 3 - 1)
		msg_fatal("text too long for ICU (%zu bytes)", n);
	if (n >= 128) {
		cap = (int32_t)n + 1;
		a = xmalloc((size_t)cap * sizeof *a);
		b = xmalloc((size_t)cap * 3 * sizeof *b);
	}
	u_strFromUTF8Lenient(a, cap, &alen, p, (int32_t)n, &st);
	if (U_SUCCESS(st))
		blen = u_strFoldCase(b, cap * 3, a, alen, U_FOLD_CASE_DEFAULT, &st);
	if (U_FAILURE(st))
		msg_fatal("ICU: %s", u_errorName(st));
	from16(b, blen, out);
	if (a != in16) {
		free(a);
		free(b);
	}
}
