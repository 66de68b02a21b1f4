/*
 * legacy: text that is UTF-8 but for some bytes, decoded the way
 * normalize's encoding step decodes it, for a program that must turn raw
 * bytes into valid UTF-8 itself (winnow-ingest reads article files, not
 * records).
 *
 * A piece that is not UTF-8 is read as Windows-1252 when it looks like
 * legacy text: one byte standing among ASCII or other legacy bytes
 * ("caf\xE9", "\x93quoted\x94"), or a letter followed by punctuation
 * ("\xE9\x92" for "é’") when the text has lone legacy bytes too, as it is
 * otherwise a broken UTF-8 sequence.  A piece touching a real UTF-8
 * character, a byte the code page leaves undefined, and any other broken
 * sequence become U+FFFD.  The code page comes from ICU's converter.
 */
#ifndef WINNOW_LEGACY_H
#define WINNOW_LEGACY_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* What legacy_decode did, added up over calls. */
struct legacy_counts {
	uint64_t cp1252;	/* bytes read as Windows-1252 */
	uint64_t replaced;	/* pieces that became U+FFFD */
};

/*
 * Append p[0..n) to out as valid UTF-8, decoded as above (with as_legacy 0,
 * every piece that is not UTF-8 becomes U+FFFD), and count what was done
 * in c.  Valid UTF-8 is copied as it is.  Safe to call from one thread at
 * a time (the code page table is built on the first call).
 */
void legacy_decode(struct buf *out, const char *p, size_t n, int as_legacy, struct legacy_counts *c);

#endif
