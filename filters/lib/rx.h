/*
 * rx: regular expressions (PCRE2, UTF-8 and Unicode properties on, JIT
 * compiled when the platform allows), behind a small API so that filters
 * do not include PCRE2's header.
 */
#ifndef WINNOW_RX_H
#define WINNOW_RX_H

#include <stddef.h>
#include <stdint.h>

const char *rx_pcre2_version(void);

struct rx;

/* Compile pattern; NULL with PCRE2's message in err and the byte offset
 * in the pattern where it went wrong in *erroff (when not NULL) if it is
 * not valid. */
struct rx *rx_compile(const char *pattern, char *err, size_t errlen, size_t *erroff);
void rx_free(struct rx *r);

/* Lower the match limit (PCRE2's, in backtracking steps) of r's matches. */
void rx_match_limit(struct rx *r, uint32_t limit);

/* Why the last rx_find returned -1. */
const char *rx_error(const struct rx *r);

/*
 * Find the first match in subject[0..n) at or after offset start.  Returns
 * 1 with the match in [*mstart, *mend), 0 when there is none, and -1 when
 * the match gave up (a pattern that backtracks past the match limit or
 * the JIT stack on this subject): the caller counts it, reports it with
 * rx_error and goes on, so that one hostile record cannot end a run.
 * subject must be valid UTF-8.
 */
int rx_find(struct rx *r, const char *subject, size_t n, size_t start,
    size_t *mstart, size_t *mend);

/*
 * May a match of r start at subject[0..n), judged by its first two bytes
 * alone (see "A quick check" in rx.c)?  When not, rx_find finds no match
 * from the start of a subject that opens with them, without PCRE2.  Only
 * those bytes are read, so that a caller trying many patterns on each
 * subject may ask once for each opening and keep the answers.
 */
int rx_may_open(const struct rx *r, const char *subject, size_t n);

/*
 * rx_may_open, judged by all of the ASCII prefix[0..n) when n > 2: may a
 * match of r start at a subject that opens with it?  PCRE2 is asked each
 * time, as it was about each pair, for the patterns rx asked about them;
 * the others are judged by two bytes.  A caller asking about many
 * subjects that open alike keeps the answers.
 */
int rx_may_open_prefix(struct rx *r, const char *prefix, size_t n);

/*
 * A subject several patterns are tried on in turn.  What the quick checks
 * of their leading lookaheads look up in it (its length in characters,
 * runs of three adjacent bytes it holds) is gathered once, by the first
 * pattern that needs it, not sought again by each.  It points into the
 * subject, which must outlive it; the fields are rx's own.  A caller with
 * subject after subject keeps one and moves it on (rx_subject_next): the
 * runs of the one before are dropped by a new stamp, not by clearing the
 * table, which is large, so that few runs share a slot.
 */
#define RX_GRAM_BITS 12
struct rx_subject {
	const char *p;
	size_t n;
	int state;		/* 0: not gathered yet */
	size_t chars;		/* characters, 0 when one may end a line */
	int wide;		/* a byte above 0x7F */
	uint16_t stamp;		/* 0: the table is not cleared yet */
	uint16_t grams[1u << RX_GRAM_BITS];	/* stamp: it holds a run of three
						 * adjacent bytes of this hash */
};

/* Make s the subject subject[0..n), valid UTF-8. */
void rx_subject_init(struct rx_subject *s, const char *subject, size_t n);

/* Make s, made by rx_subject_init, the subject subject[0..n) in place of
 * its own. */
void rx_subject_next(struct rx_subject *s, const char *subject, size_t n);

/* rx_find on s's subject from its start. */
int rx_find_in(struct rx *r, struct rx_subject *s, size_t *mstart, size_t *mend);

#endif
