/*
 * taxonomy: topics described by weighted cues, read from readable text
 * files, and the scoring of a text against them.
 *
 * A taxonomy file is a data file (dfile.h: '#' comment lines, errors as
 * FILE:LINE:COLUMN, exit 2), one directive a line, fields apart by blanks:
 *
 *	topic ID		a topic; ID of a-z, 0-9 and '-'
 *	parent ID		its parent (once; any order of the file)
 *	label TEXT		its name for people (once, required)
 *	threshold N		the score that tags it (default 14; once a file)
 *	brief N			its threshold when it is a brief's best topic
 *				(default: the threshold; once a file)
 *	cue W PHRASE		W > 0 points when PHRASE occurs
 *	not W PHRASE		W points off when PHRASE occurs
 *	pattern W REGEX		W points per match of a PCRE2 pattern, caseless
 *
 * W and N are over 0, in decimal: digits with at most one point.
 * A phrase (1 to 8 words) is matched as terms (terms.h): on word
 * boundaries, across line breaks, whatever the case and inflection.  All
 * phrases of all topics are in one hash table of term sequences, so the
 * cost is one look-up per word and phrase length, whatever the number of
 * cues.  A file read after others may add topics, and may add cues to a
 * topic by naming it again, and set its threshold and brief again (the
 * last file's count); it may not redefine a topic's label or parent.  Duplicate ids, unknown parents, cycles, bad
 * numbers and bad patterns are errors.
 *
 * Scoring: each occurrence of a cue adds W / k points, k counting that
 * cue's occurrences in the text (so repeats matter less and less), a
 * negative cue takes off the same way, and each pattern match adds
 * likewise; the sum is divided by the square root of the text's length
 * in units of 300 words (a text under 30 words counts as 30).  A topic is tagged
 * when its score s reaches its threshold T; it is reported as s / (s + T),
 * 0.5 at the threshold.  A text under 100 words is a brief (a headline and
 * its lead, a news in brief): its best topic, the one of the highest s / T
 * (the first in the file on a tie), has T its brief threshold when it has
 * one, so that a brief's one subject is tagged on the few words it has
 * room for, and its other topics still need their whole threshold.
 */
#ifndef TOPICS_TAXONOMY_H
#define TOPICS_TAXONOMY_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "terms.h"

struct tx;

struct tx_result {
	size_t topic;
	double score;		/* s / (s + T) */
	size_t first_cue;	/* cues that fired, through tx_cue_next; SIZE_MAX: none */
};

/*
 * Parse p[0..n) as a number in decimal, digits with at most one point (no
 * sign, exponent, hex, inf or nan), as the taxonomy's numbers are written,
 * into *v: 0, or -1 (*v untouched) if it is not one or is longer than
 * TX_DECIMAL_MAX characters.
 */
#define TX_DECIMAL_MAX 63
int tx_decimal(const char *p, size_t n, double *v);

struct tx *tx_new(void);
void tx_free(struct tx *x);

/* Read a taxonomy file into x (fatal on any error, and on a file that
 * names no topic: "PATH: no topics").  Check with tx_finish before use. */
void tx_load(struct tx *x, const char *path);
/* Check parents and cycles over everything loaded; fatal on an error. */
void tx_finish(struct tx *x);

size_t tx_ntopics(const struct tx *x);
/* Pattern matches that gave up (rx.h) so far: counted, not fatal. */
uint64_t tx_pattern_errors(const struct tx *x);
const char *tx_id(const struct tx *x, size_t topic);
/* The parent of topic, or SIZE_MAX. */
size_t tx_parent(const struct tx *x, size_t topic);

/*
 * Score text (its terms already in t): the topics whose score is at least
 * min_score, with their parents unless no_parents, best first (ties in
 * the order of the taxonomy), into out[0..return).  out holds tx_ntopics
 * entries.  The results' cue lists live until the next tx_score.
 */
size_t tx_score(struct tx *x, const struct terms *t, const char *text, size_t len, double min_score,
    int no_parents, struct tx_result *out);

/* A fired cue's phrase as the file wrote it, and the next fired cue of the
 * same topic (SIZE_MAX at the end), strongest first. */
const char *tx_cue_text(const struct tx *x, size_t cue);
size_t tx_cue_next(const struct tx *x, size_t cue);

#endif
