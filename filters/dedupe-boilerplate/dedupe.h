/*
 * dedupe: the engine of dedupe-boilerplate.  A record's text is split
 * into lines (paragraphs, after normalize); each line gets a fingerprint
 * and its words; the detectors then say, line by line, what is furniture
 * and why:
 *
 *   site        the same line in at least min_docs records of the site
 *               (counts kept in a struct ct, across records and runs);
 *   repeat      an exact or near copy of another line of the record, or
 *               a short line said again in a longer paragraph (a pull
 *               quote), or a short label repeated down the record;
 *   rule        a pattern of the rules files (drop the line or cut a
 *               span of it);
 *   classifier  the line model, smoothed over the sequence of lines.
 *
 * A dd_doc holds the lines of one record and is reused record after
 * record; it points into the text it was parsed from, which must stay
 * alive until the record is written.
 */
#ifndef DEDUPE_DEDUPE_H
#define DEDUPE_DEDUPE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "counts.h"
#include "rules.h"

enum dd_why {
	DD_KEEP,
	DD_SITE,
	DD_REPEAT,
	DD_PULLQUOTE,
	DD_LABEL,
	DD_MENU,
	DD_RULE,
	DD_CUT,		/* kept, with a span cut out of it */
	DD_CLASSIFIER,
	DD_TAIL,	/* below the article's end */
	DD_NWHY
};

/* The name of a reason, as --mark and --explain write it. */
const char *dd_why_name(enum dd_why why);

struct dd_line {
	size_t start, end;	/* in the text, without the line end */
	uint64_t fp;		/* fp_line, FP_EMPTY for a blank line */
	uint64_t figures;	/* fp_line's hash of its digits as written */
	uint32_t words;		/* words of the folded line */
	uint32_t numbers;	/* of which numbers (digits fold to 0) */
	uint32_t first_word;	/* its words are doc->word[first_word..+words) */
	uint32_t site_count;	/* records of the site holding it, when judged */
	unsigned char why;	/* enum dd_why */
	unsigned char keep;	/* a keep rule matched: article text whatever else */
	unsigned char last;	/* its last byte, 0 for an empty line: the text is
				 * long out of the cache when the record is judged */
	unsigned char stop;	/* dd_sentence_end of the line, asked once */
	unsigned char heading;	/* a heading said again (judge_exact): no copy */
	unsigned char headline;	/* the article's headline (protect_headline) */
	unsigned char outside;	/* outside the article (mark_outside) */
	unsigned char counted;	/* it ends in a count in brackets, "Elections (27)" */
	unsigned char bullet;	/* it opens with a list's bullet or dash */
	unsigned char listed;	/* DD_RULE: in the list under a rule's heading */
	int rule;		/* DD_RULE, DD_CUT: which rule */
	size_t cut_start, cut_end;	/* DD_CUT: the span cut, in the text */
};

struct dd_doc {
	struct dd_line *line;
	size_t nlines, cap;
	uint64_t *word;		/* hashes of the folded words of every line */
	size_t nwords, wcap;
	uint64_t site;
	uint64_t id;		/* the record's identity, so that it counts once */
};

/* The word hashes of line l of doc (NULL when it has none). */
static inline const uint64_t *
dd_words(const struct dd_doc *doc, const struct dd_line *l)
{
	return l->words ? doc->word + l->first_word : NULL;
}

struct dd_opts {
	int site, repeats, menus, tail;	/* detectors on (1) or off (0) */
	int count;		/* dd_count adds to the table (0: it is fixed) */
	uint32_t min_docs;	/* site: records a line must be in */
};

void dd_opts_init(struct dd_opts *o);

struct dd;

/* An engine counting into t and matching the rules r (NULL for none);
 * the caller owns both and frees them after the engine. */
struct dd *dd_new(const struct dd_opts *o, struct ct *t, struct rl *r);
void dd_free(struct dd *d);

/* Judge the lines still kept by the line model c too (NULL: not), last:
 * every line, or only those outside the article (above its head, below
 * its visible end), where no line of its own stands.  The caller owns c
 * and frees it after the engine. */
struct cl;
enum dd_scope { DD_SCOPE_OUTSIDE, DD_SCOPE_ALL };
void dd_set_classifier(struct dd *d, struct cl *c, enum dd_scope scope);

void dd_doc_release(struct dd_doc *doc);

/* Split text[0..n) (valid UTF-8) into doc's lines and words. */
void dd_parse(struct dd *d, struct dd_doc *doc, const char *text, size_t n, uint64_t site,
    uint64_t id);

/* Count the record's distinct lines in the site table, once per record
 * identity: a record seen before (the same id) counts nothing again. */
void dd_count(struct dd *d, const struct dd_doc *doc);

/* Decide every line of doc, whose text is text[0..n). */
void dd_judge(struct dd *d, struct dd_doc *doc, const char *text, size_t n);

/* Text helpers the engine and the line model share.  dd_sentence_end:
 * the punctuation that ends p[0..n) before any blanks, closing quotes and
 * brackets ('.', '!', '?' or ':', '.' for an ellipsis), or 0.  dd_blank:
 * spaces and tabs only? */
int dd_sentence_end(const char *p, size_t n);
int dd_blank(const char *p, size_t n);

/* Lines of each reason judged so far, for --stats. */
const uint64_t *dd_counts(const struct dd *d);

/*
 * The text without what was judged furniture: appended to out, kept lines
 * joined by '\n'.  Returns 0 (out untouched) when nothing goes.
 */
int dd_rebuild(const struct dd_doc *doc, const char *text, struct buf *out);

/* The decisions as a JSON array for --mark, appended to out:
 * [{"line":N,"why":"site"},{"line":N,"why":"rule:NAME","span":[S,E]}]
 * with N counted from 1 and spans in bytes of the text. */
void dd_mark(const struct dd *d, const struct dd_doc *doc, struct buf *out);

#endif
