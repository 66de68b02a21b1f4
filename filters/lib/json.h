/*
 * json: a zero-copy scanner for one JSON Lines record.
 *
 * json_scan validates a line strictly against RFC 8259 (an object at the top
 * level, nothing after it but white space) and locates the values of a few
 * wanted top-level keys, without building a tree: numbers are never parsed
 * or re-printed, so every byte the caller does not rewrite can be copied out
 * unchanged.  When a key occurs more than once, the last occurrence wins, as
 * in most JSON parsers.  Keys are compared after unescaping, so "t\u0065xt"
 * is the key text.
 *
 * Two deliberate leniencies, both repaired on output instead of refused:
 * raw bytes that are not valid UTF-8 inside strings (flagged JSON_F_BADUTF8)
 * and \u escapes of lone surrogates (unescaped to U+FFFD).
 */
#ifndef WINNOW_JSON_H
#define WINNOW_JSON_H

#include <stddef.h>

#include "buf.h"

enum json_kind {
	JSON_ABSENT,	/* the key is not in the record */
	JSON_STRING,
	JSON_OTHER	/* a number, literal, object or array */
};

/* Flags of a string value (json_span.flags) or of the whole line. */
#define JSON_F_ESCAPES 1u	/* holds backslash escapes */
#define JSON_F_BADUTF8 2u	/* holds bytes that are not valid UTF-8 */
#define JSON_F_NONASCII 4u	/* holds bytes >= 0x80 */
#define JSON_F_LONESURR 8u	/* holds \u escapes of lone surrogates */

/* Where one value sits in the line: [start, end) covers the whole value,
 * quotes included for a string. */
struct json_span {
	size_t start, end;
	enum json_kind kind;
	unsigned flags;
};

/* json_scan looks for at most this many keys at once. */
#define JSON_MAX_KEYS 16

/* Nesting deeper than this is refused as malformed. */
#define JSON_MAX_DEPTH 4096

/*
 * Scan line[0..len).  For each keys[i] (NUL-terminated, i < nkeys <= JSON_MAX_KEYS) fill
 * spans[i].  On success return 0 and set *line_flags to the union of the
 * flags of every string in the line.  On a malformed line return -1 with
 * *err set to a static description and *err_off to the byte offset.
 */
int json_scan(const char *line, size_t len, const char *const *keys, int nkeys,
    struct json_span *spans, unsigned *line_flags, const char **err, size_t *err_off);

/* Append the unescaped content of a string span (quotes included in
 * [p, p+n)).  Raw invalid UTF-8 is copied as it is; the caller repairs it. */
void json_unescape(struct buf *b, const char *p, size_t n);

/*
 * Append s[0..n), a piece of a valid JSON line that starts and ends outside
 * any string, with every \u escape of a lone surrogate replaced by \ufffd
 * (the same length), so that strict parsers accept the line.
 */
void json_fix_surrogates(struct buf *b, const char *s, size_t n);

/* Append s[0..n), which must be valid UTF-8, as a JSON string with quotes,
 * escaping only what JSON requires: '"', '\\' and control characters. */
void json_escape(struct buf *b, const char *s, size_t n);

#endif
