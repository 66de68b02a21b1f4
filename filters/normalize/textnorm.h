/*
 * textnorm: repair and canonicalise the text of one record, the engine
 * behind the normalize filter.  Steps, in the order they run:
 *
 *   encoding   bytes that are not UTF-8: a lone byte is read as
 *              Windows-1252, anything else becomes U+FFFD
 *   entities   HTML character references (&amp; &#8217; &eacute; ...)
 *   mojibake   UTF-8 that was decoded as a legacy code page (â€™ Ã©,
 *              РґРѕСЂРѕРіРµ, g√¢teaux: cpage.h), also twice over
 *   tags       stray HTML tags: block tags become line breaks
 *   quotes, dashes, translit, casefold   (optional, off by default)
 *   invisible  control, zero-width, bidi and soft-hyphen characters; C1
 *              controls that Windows-1252 makes punctuation become it
 *   form       Unicode normalisation (NFC by default)
 *   spaces     Unicode spaces, runs, trimming, line ends, blank lines
 *   glue       "said.The" -> "said. The"
 *
 * Each step that finds nothing to do copies nothing, and plain ASCII text
 * with nothing to fix is recognised in one pass.  Running the engine on
 * its own output changes nothing (idempotence).
 */
#ifndef WINNOW_TEXTNORM_H
#define WINNOW_TEXTNORM_H

#include <stddef.h>
#include <stdint.h>

#include "uni.h"

enum tn_tags { TN_TAGS_NONE, TN_TAGS_KNOWN, TN_TAGS_ALL };

struct tn_opts {
	int encoding, entities, mojibake, invisible, spaces, glue;	/* on by default */
	enum tn_tags tags;	/* TN_TAGS_KNOWN by default */
	enum uni_form form;	/* UNI_FORM_NFC by default */
	int quotes_ascii, dashes_ascii, casefold;	/* off by default */
	const char *translit;	/* ICU transliterator id, or NULL */
};

/* What the steps did, counted in characters or places fixed. */
struct tn_counts {
	uint64_t cp1252, replaced, entities, mojibake, tags, quotes, dashes;
	uint64_t translit, casefold, invisible, normalized, spaces, glued;
	uint64_t pattern_errors;	/* matches that gave up (rx_find -1) */
	uint64_t refused;	/* texts that nest repairs too deep (tn_run) */
};

void tn_opts_init(struct tn_opts *o);

struct tn;

/* NULL with a message in err when ICU refuses the form or transliterator. */
struct tn *tn_new(const struct tn_opts *o, char *err, size_t errlen);
void tn_free(struct tn *t);

/*
 * Normalise text[0..len), which may hold invalid UTF-8.  Returns 0 when
 * the text is already clean, else 1 with *out and *outlen set to the new
 * text (valid UTF-8, owned by t, valid until the next tn_run).  A text
 * built to nest its repairs, each level needing another pass over all of
 * it, is refused past TN_MAX_ROUNDS passes: only its encoding and form
 * are repaired (which a second run repeats exactly), and counts.refused
 * goes up.
 */
enum { TN_MAX_ROUNDS = 16 };

int tn_run(struct tn *t, const char *text, size_t len, const char **out, size_t *outlen);

const struct tn_counts *tn_counts(const struct tn *t);

#endif
