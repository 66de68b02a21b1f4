/*
 * tok: the word tokeniser of the filters that tag or match words (names,
 * topics).  dedupe-boilerplate's line fingerprints fold a line in one pass
 * of their own instead (fprint.c), whose hash their files depend on.  It
 * reads UTF-8 text in place and gives each token's byte span [start, end)
 * and kind; the iterator copies and allocates nothing.
 * ASCII goes through a 256-entry class table; other characters through
 * ICU's general categories (uni_gc).
 *
 * Tokens, in the order they come, with everything else (white space,
 * controls, invisible format characters between tokens) skipped:
 *
 * TOK_WORD: a run of letters, marks, digits and other numerals (Nl, No)
 *   holding at least one letter; an apostrophe (' or U+2019) or a hyphen
 *   (-, U+2010, U+2011) joins the run only between two letters, so
 *   "don't", "Norway’s", "Jean-Pierre" and "e-mail" are one token each,
 *   but "COVID-19" is three and a hyphen at either end of a word is a
 *   token of its own.  Invisible format characters (soft hyphen, ZWJ, ZWNJ)
 *   inside a word belong to it.  Letters and digits mix: "3rd", "G7", "mp3".
 *   Scripts written without spaces (Chinese, Japanese, Thai) come out as one
 *   word per run between punctuation: splitting those needs a dictionary.
 * TOK_NUMBER: digits only, with '.' or ',' joining them only between two
 *   digits: "3.5", "1,000.5", "1.000,5".  A full stop after a number ends
 *   it ("3." is "3" then "."), as after a letter: "U.S." is four tokens,
 *   U . S . (a tagger that wants abbreviations sees the spans touch).
 * TOK_PUNCT: anything else, one character each: a code point with the
 *   combining marks after it, and for an emoji the rest of its sequence
 *   (skin-tone modifiers, variation selectors, tag characters, the other
 *   half of a flag, ZWJ joining another pictograph), so "👩🏽‍💻" is one token.
 *   A mark with nothing before it, and a byte that is not UTF-8, are
 *   TOK_PUNCT too: the tokeniser is meant for valid UTF-8 but never reads
 *   past the text or stalls on other bytes.
 *
 *	struct tok_iter it;
 *	struct tok t;
 *	tok_init(&it, text, len, TOK_SKIP_PUNCT);
 *	while (tok_next(&it, &t))
 *		... text[t.start .. t.end) ...
 */
#ifndef WINNOW_TOK_H
#define WINNOW_TOK_H

#include <stddef.h>

#include "buf.h"

enum tok_kind { TOK_WORD, TOK_NUMBER, TOK_PUNCT };

struct tok {
	size_t start, end;	/* byte offsets into the text */
	enum tok_kind kind;
};

/* tok_init flags. */
#define TOK_SKIP_PUNCT 1u	/* give words and numbers only */

/* Iteration state; the fields are private.  It points into the text,
 * which must outlive it and not change. */
struct tok_iter {
	const unsigned char *text;
	size_t len, pos;
	unsigned flags;
};

void tok_init(struct tok_iter *it, const char *text, size_t len, unsigned flags);
/* The next token in *t, 1; or 0 at the end of the text. */
int tok_next(struct tok_iter *it, struct tok *t);

/*
 * Where a word's possessive or clitic "'s" begins: the offset of the
 * apostrophe when the word ends in 's or ’s (S too) after at least one
 * other character, else t->end.  "Norway’s" splits into "Norway" and
 * "’s"; so does "it's", whose "'s" is a verb: the caller decides.
 */
size_t tok_possessive(const char *text, const struct tok *t);

/*
 * Append the case folding of p[0..n) to out: ASCII is lowered byte by
 * byte; a text with any other character goes through ICU's full default
 * folding (uni_fold), so "Straße" gives "strasse", "ΟΔΟΣ" and "οδος" both
 * give "οδοσ", and "İ" gives "i̇" (i and U+0307: the non-Turkic folding).
 */
void tok_fold(const char *p, size_t n, struct buf *out);

/*
 * The shape of a token, a cheap feature for a tagger.  Marks, apostrophes
 * and hyphens count for nothing, except that a letter right after an
 * apostrophe or hyphen may be a capital in TOK_SHAPE_CAP ("O'Brien",
 * "Jean-Pierre"); shape the stem of a possessive (tok_possessive), since
 * "NATO's" as a whole is mixed.
 */
enum tok_shape {
	TOK_SHAPE_PUNCT,	/* "."  no letters or digits */
	TOK_SHAPE_LOWER,	/* "xx" cased letters all lower case */
	TOK_SHAPE_CAP,		/* "Xx" a capital, then lower case: "Oslo", "A" */
	TOK_SHAPE_UPPER,	/* "XX" two or more letters, all capitals */
	TOK_SHAPE_MIXED,	/* "xX" any other mix: "iPhone", "McDonald" */
	TOK_SHAPE_DIGITS,	/* "dd" digits and no letters */
	TOK_SHAPE_ALNUM,	/* "xd" letters and digits */
	TOK_SHAPE_CASELESS	/* "w"  letters of scripts without case only */
};

enum tok_shape tok_shape(const char *p, size_t n);
/* The short name of a shape, as in the comments above. */
const char *tok_shape_name(enum tok_shape s);

#endif
