/*
 * doc: a document as the tagger sees it, a sequence of tokens in
 * sentences, made from running text (a record's text) or given token by
 * token (the CoNLL column format).
 *
 * Running text is cut with the library's tokeniser (tok.h), then shaped
 * the way the CoNLL-2003 data the shipped model learned from is cut: a
 * possessive "’s" is a token of its own ("Norway" "’s"), abbreviations
 * whose full stops touch are one token ("U.S.", "Mr.", "Inc."), and so are
 * numbers joined by hyphens ("1996-08-30"), a word joined by a hyphen
 * or a plus to a number ("CAC-40", "Tel+44") and words joined by '&'
 * ("AT&T").  A new
 * sentence starts at every line end and after a full stop, question or
 * exclamation mark followed by a capital, a digit or a quote.
 *
 * Every token carries hashes of its forms, so that features cost no
 * string work: as written (curly quotes and apostrophes as ASCII), lower
 * case, and the key looked up in the gazetteer and the clusters, which in
 * a headline in capitals ("CHINA IN SURPRISE DEFEAT") is the title-case
 * form ("China").
 *
 * The document owns its token array and a copy of the text of tokens
 * given one by one; text given to nd_text is only pointed to and must
 * outlive the document's use.  nd_release frees what it owns.
 */
#ifndef NAMES_DOC_H
#define NAMES_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Sentences of a form of their own, which a tagger may read apart. */
enum nd_line {
	ND_LINE_PROSE,
	ND_LINE_SCORES,		/* figures: a result, a table row */
	ND_LINE_DATELINE	/* a place before a date: "YEREVAN 1996-08-31" */
};

struct nd_tok {
	uint32_t start, end;	/* bytes of the document's text */
	uint64_t h_form, h_lower, h_key;
	uint8_t shape;		/* enum tok_shape */
	uint8_t cased;		/* holds a capital: may start a name */
	uint8_t sent_first;	/* first token of its sentence */
	uint8_t headline;	/* in a sentence written in capitals */
	uint8_t line;		/* enum nd_line: the kind of its sentence */
	uint8_t open;		/* may be tagged in a name (the tagger sets it) */
	uint8_t gold, tag;	/* tags (tagger.h): the reference, the guess */
	uint8_t first;		/* the tag the history reads (tagger.h) */
};

struct nd_doc {
	const char *text;
	size_t len;
	struct nd_tok *tok;
	size_t n, cap;
	size_t sent_start;	/* first token of the sentence being given */
	struct buf own;		/* the text of tokens given one by one */
	struct buf fold, lower;	/* scratch */
};

void nd_init(struct nd_doc *d);
void nd_release(struct nd_doc *d);

/* Make d the tokens of text[0..len), valid UTF-8. */
void nd_text(struct nd_doc *d, const char *text, size_t len);

/*
 * Build a document token by token: nd_clear, then nd_add for each token
 * (p[0..n), valid UTF-8, with no blank in it) and nd_end_sentence after
 * each sentence.  Tokens are kept apart by one space in d->text.
 */
void nd_clear(struct nd_doc *d);
void nd_add(struct nd_doc *d, const char *p, size_t n);
void nd_end_sentence(struct nd_doc *d);

/* The hash of a string as nd_tok's hashes are made. */
uint64_t nd_hash(const char *p, size_t n);

/* Append p[0..n) to out with typographic quotes, apostrophes and dashes
 * as the ASCII the CoNLL data writes: the form h_form hashes. */
void nd_ascii_form(const char *p, size_t n, struct buf *out);

/* Append the lower-case form of p[0..n) to out (ASCII fast, else ICU). */
void nd_lower(const char *p, size_t n, struct buf *out);

#endif
