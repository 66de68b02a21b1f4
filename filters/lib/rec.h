/*
 * rec: the record stream every filter reads and writes.
 *
 * A record is one line of UTF-8 JSON holding an object; the text a filter
 * works on is the string at a top-level key (-f, "text" by default), plus
 * any extra fields a filter asks for.  Everything else in the line is
 * copied to the output byte for byte: a filter replaces only the values it
 * rewrites and appends the keys it adds.
 *
 * The stream owns the inputs (files read in order as one stream, gzip or
 * plain, standard input when none), the output, the malformed-record
 * policy, and the --stats and --progress reports.  A filter's loop is:
 *
 *	while (rec_next(s, &r)) {
 *		if (rec_text(s, &r, 0, &text, &len) == 0)
 *			... compute new text ...
 *		rec_emit(s, &r, edits, NULL, 0);
 *	}
 *	return rec_close(s);
 */
#ifndef WINNOW_REC_H
#define WINNOW_REC_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"

#define REC_MAX_FIELDS 8

enum rec_policy { REC_PASS, REC_SKIP, REC_FAIL };
enum rec_format { REC_JSON, REC_TEXT };

/* Options every filter shares; cli_parse fills them in. */
struct rec_opts {
	const char *fields[REC_MAX_FIELDS];	/* [0] is -f; the rest a filter adds */
	int nfields;
	enum rec_format in_format, out_format;
	enum rec_policy on_error;
	const char *output;	/* NULL: standard output */
	int gzip_level;		/* 0: plain output */
	int zstd_level;		/* 0: not zstd; 1-19: zstd output (gzip_level is then 0) */
	size_t max_record;	/* 0: no limit */
	int stats;
	int progress;		/* 1: when stderr is a terminal, 2: always */
};

void rec_opts_init(struct rec_opts *o);

/* One record, valid until the next rec_next. */
struct rec {
	const char *line;	/* without its line end */
	size_t len;
	struct json_span span[REC_MAX_FIELDS];	/* one per rec_opts.fields */
	unsigned flags;		/* JSON_F_* of the whole line */
	int ends_in_newline;	/* line[len] is '\n' and may be copied with it */
};

/* One rewritten field for rec_emit: text NULL keeps the field as it is. */
struct rec_edit {
	const char *text;
	size_t len;
};

struct rec_stream;

/* Open the inputs (nfiles 0 means standard input) and the output. */
struct rec_stream *rec_open(const struct rec_opts *o, char **files, int nfiles);

/* The next well-formed record, or 0 after the last.  Malformed records are
 * handled here by the policy and never reach the filter. */
int rec_next(struct rec_stream *s, struct rec *r);

/*
 * The unescaped text of field i: 0 with *text and *len set, or -1 when the
 * record has no string at that key.  The text may hold bytes that are not
 * valid UTF-8 (see JSON_F_BADUTF8); it is valid until the next rec_next.
 */
int rec_text(struct rec_stream *s, const struct rec *r, int i, const char **text, size_t *len);

/*
 * Write the record with edits[i] (one per field, or NULL for none) in
 * place of field i, then the members in extra (e.g. "\"names\":[]", no
 * leading comma; NULL for none) before the closing brace.  A new text must
 * be valid UTF-8.  Invalid UTF-8 anywhere else is replaced by U+FFFD.
 */
void rec_emit(struct rec_stream *s, const struct rec *r, const struct rec_edit *edits,
    const char *extra, size_t extra_len);

/*
 * A counter of the filter's own, reported by --stats under name (which
 * must outlive the stream).  Returns where to count.
 */
uint64_t *rec_counter(struct rec_stream *s, const char *name);

/* Finish: close the output, print --stats, and return the exit status
 * (MSG_EXIT_OK or MSG_EXIT_INPUT). */
int rec_close(struct rec_stream *s);

#endif
