/*
 * uni: the Unicode services winnow takes from ICU, behind a small API so
 * that no filter includes ICU's headers.  Text goes in and out as UTF-8;
 * the conversions to ICU's UTF-16 happen here, in buffers kept per handle.
 */
#ifndef WINNOW_UNI_H
#define WINNOW_UNI_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

const char *uni_icu_version(void);

enum uni_form { UNI_FORM_NONE, UNI_FORM_NFC, UNI_FORM_NFKC, UNI_FORM_NFKC_CF };

/* Parse "nfc", "nfkc", "nfkc_cf" or "none"; -1 if it is none of them. */
int uni_form_parse(const char *name);

struct uni;

/* A handle for one form and, optionally, an ICU transliterator id (NULL
 * for none).  Returns NULL with a message in err when ICU refuses. */
struct uni *uni_open(enum uni_form form, const char *translit, char *err, size_t errlen);
void uni_close(struct uni *u);

/*
 * Normalise the valid UTF-8 in p[0..n) to the handle's form.  Returns 0
 * when the text is already normalised (the quick check says so; out is
 * untouched), else 1 with the normalised text appended to out.
 */
int uni_normalize(struct uni *u, const char *p, size_t n, struct buf *out);

/* Is c inert under the handle's form (quick check "yes", combining class
 * 0)?  A text made only of such characters is already normalised, so it
 * needs no call to ICU. */
int uni_form_inert(const struct uni *u, uint32_t c);

/* Append the transliterated / case-folded text of p[0..n) to out. */
void uni_translit(struct uni *u, const char *p, size_t n, struct buf *out);
void uni_casefold(struct uni *u, const char *p, size_t n, struct buf *out);

/* Code point properties. */
int uni_is_upper(uint32_t c);
int uni_is_lower(uint32_t c);
int uni_is_letter(uint32_t c);
int uni_is_assigned(uint32_t c);	/* not unassigned, control, private or surrogate */
int uni_is_space_separator(uint32_t c);	/* general category Zs */
int uni_is_pictographic(uint32_t c);	/* emoji and other pictographs */
/* Does text in c's script need ZWJ/ZWNJ to be spelled right (Arabic,
 * Indic and other joining or conjunct-forming scripts)? */
int uni_needs_joiners(uint32_t c);

/*
 * The coarse general category of c, in the groups a word tokeniser tells
 * apart.  White_Space and the other controls are UNI_GC_SPACE; ZERO WIDTH
 * SPACE (U+200B) is too, since it marks a word break, though Unicode files
 * it under Cf with the joiners.  Unassigned and private-use code points are
 * UNI_GC_OTHER, with punctuation and symbols.
 */
enum uni_gc {
	UNI_GC_SPACE,
	UNI_GC_LETTER,	/* L* */
	UNI_GC_MARK,	/* Mn, Mc, Me */
	UNI_GC_DIGIT,	/* Nd */
	UNI_GC_NUMBER,	/* Nl, No: Roman numerals, superscripts, fractions */
	UNI_GC_FORMAT,	/* Cf but U+200B: soft hyphen, ZWJ, ZWNJ, word joiner */
	UNI_GC_OTHER	/* punctuation, symbols, unassigned */
};
enum uni_gc uni_gc(uint32_t c);

/*
 * Append the full Unicode case folding (the default, not the Turkic one)
 * of the valid UTF-8 in p[0..n) to out.  Unlike uni_casefold it needs no
 * handle and keeps no state, for callers that fold a word at a time.
 */
void uni_fold(const char *p, size_t n, struct buf *out);

#endif
