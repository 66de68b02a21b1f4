/*
 * rec: the record stream every filter reads and writes.
 *
 * A record is one line of UTF-8 JSON holding an object; the text a filter
 * works on is the string at a top-level key (-f, "text" by default), plus
 * any other keys a filter reads or owns.  Everything else in the line is
 * copied to the output byte for byte: a filter replaces only the values it
 * rewrites and sets only the keys it owns.
 *
 * The stream owns the inputs (files read in order as one stream, gzip or
 * plain, standard input when none), the output, the malformed-record
 * policy, and the --stats and --progress reports.  A filter's loop is:
 *
 *	while (rec_next(s, &r)) {
 *		if (rec_text(s, &r, 0, &text, &len) == 0)
 *			... compute new text ...
 *		rec_emit(s, &r, edits);
 *	}
 *	return rec_close(s);
 *
 * Every record rec_next returns must be written (rec_emit), dropped on
 * purpose (rec_skip) or held (rec_hold) before the next call: a record
 * the filter forgets is a fatal error, not a silent loss.
 *
 * Holding records.  A filter that must see records ahead before it writes
 * one (a look-ahead window) holds them: rec_hold copies the record into a
 * slot of a ring the stream owns, with its own text buffers, and returns
 * the held copy, valid until it is emitted or skipped.  Held records leave
 * in the order they came, oldest first, and the record in hand only when
 * none is held; the slots and their buffers are reused, so the steady
 * state allocates nothing.  A malformed line met while records are held
 * (under --on-error=pass) is handed to the filter as a record with
 * rec.malformed set and no fields: the filter holds or emits it like any
 * other, so it leaves in its place and counts in the window's bounds.
 */
#ifndef WINNOW_REC_H
#define WINNOW_REC_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"

/* Fields a filter reads (-f and the like) and keys it owns, together. */
#define REC_MAX_KEYS JSON_MAX_KEYS
/* Of which fields named on the command line (rec_opts.fields). */
#define REC_MAX_FIELDS 8

enum rec_policy { REC_PASS, REC_SKIP, REC_FAIL };
/* REC_OWN: a format the filter reads and writes itself (cli_spec.own_format),
 * which rec_open does not take. */
enum rec_format { REC_JSON, REC_TEXT, REC_OWN };

/* Options every filter shares; cli_parse fills them in. */
struct rec_opts {
	const char *fields[REC_MAX_FIELDS];	/* [0] is -f; the rest a filter adds */
	int nfields;
	enum rec_format in_format, out_format;
	enum rec_policy on_error;
	int on_error_given;	/* --on-error was given, even as pass */
	const char *output;	/* NULL: standard output */
	int gzip_level;		/* 0: plain output */
	int zstd_level;		/* 0: not zstd; 1-19: zstd output (gzip_level is then 0) */
	size_t max_record;	/* 0: no limit */
	int stats;
	int progress;		/* 1: when stderr is a terminal, 2: always */
};

void rec_opts_init(struct rec_opts *o);

struct rec_slot;

/*
 * One record.  As rec_next returns it, it is valid until the next
 * rec_next; a held one (rec_hold) until it is emitted or skipped.
 */
struct rec {
	const char *line;	/* without its line end */
	size_t len;
	struct json_span span[REC_MAX_KEYS];	/* one per key: fields, then owned keys */
	unsigned flags;		/* JSON_F_* of the whole line */
	int ends_in_newline;	/* line[len] is '\n' and may be copied with it */
	uint64_t seq;		/* 1 for the first record read, and so on */
	const char *file;	/* where it was read, for messages: the input's */
	uint64_t lineno;	/* name (it lives as long as the stream) and line */
	int malformed;		/* a malformed line, written as it is (see above) */
	struct rec_slot *slot;	/* the stream's, when held; NULL otherwise */
};

/*
 * A new value for key i, for rec_emit.  text NULL leaves the key as it
 * is.  Otherwise text[0..len) is the new value: a string to be escaped
 * (raw 0; it must be valid UTF-8), or, with raw 1, a JSON value written
 * as it is (the filter promises valid JSON in valid UTF-8).  The value
 * replaces the key's value where the record has the key, and the member
 * is appended before the closing brace where it has not.
 */
struct rec_edit {
	const char *text;
	size_t len;
	int raw;
};

struct rec_stream;

/* Open the inputs (nfiles 0 means standard input) and the output. */
struct rec_stream *rec_open(const struct rec_opts *o, char **files, int nfiles);

/*
 * Read or own the top-level key name (which must outlive the stream): the
 * scanner finds its value (rec.span, rec_text), and a filter that owns it
 * sets it with rec_emit, replacing the value a record already has, so that
 * running the filter on its own output changes nothing.  Returns the key's
 * index for rec_edit arrays and rec.span, after the fields.  Call before
 * the first rec_next; the fields and owned keys together are at most
 * REC_MAX_KEYS (more is a fatal error).  Owning a field's name returns
 * the field's index.
 */
int rec_key(struct rec_stream *s, const char *name);

/* The next well-formed record, or 0 after the last.  Malformed records are
 * handled here by the policy, and reach the filter only while it holds
 * records (rec.malformed). */
int rec_next(struct rec_stream *s, struct rec *r);

/*
 * The unescaped text of key i: 0 with *text and *len set, or -1 when the
 * record has no string at that key (a malformed one has none).  The text may hold bytes that are not
 * valid UTF-8 (see JSON_F_BADUTF8).  It lives as long as the record (for a
 * held record, in the slot's own buffers).
 */
int rec_text(struct rec_stream *s, const struct rec *r, int i, const char **text, size_t *len);

/*
 * Write the record with edits[i] applied: an array of REC_MAX_KEYS indexed
 * like rec.span (NULL for none).  Invalid UTF-8 and lone-surrogate escapes the filter
 * did not rewrite are replaced by U+FFFD, so every line written is valid
 * JSON in valid UTF-8 (a malformed record is written as it came, edits
 * ignored).  A held record must be the oldest held; emitting it ends its
 * hold.
 */
void rec_emit(struct rec_stream *s, const struct rec *r, const struct rec_edit *edits);

/* Drop the record on purpose: it is not written, and --stats counts it as
 * skipped (records out = records in - skipped).  A held record must be the
 * oldest held; skipping it ends its hold. */
void rec_skip(struct rec_stream *s, const struct rec *r);

/*
 * Hold the record rec_next returned: returns a copy the stream keeps
 * until the filter emits or skips it.  Check rec_hold_full before holding
 * another, and emit the oldest first while it says so.
 */
struct rec *rec_hold(struct rec_stream *s, const struct rec *r);

/*
 * Give every slot size bytes of the filter's own, for what it keeps about
 * a held record (rec_user): zeroed when the slot is made, then kept as the
 * slot is reused, so that buffers in it are reused too.  free_user (may be
 * NULL) is called on each at rec_close, to free what they point to.  Call
 * before the first rec_hold.
 */
void rec_hold_user(struct rec_stream *s, size_t size, void (*free_user)(void *));

/* The filter's bytes of a held record. */
void *rec_user(const struct rec *r);

/* Bound the records held at once: rec_hold_full says so once max_records
 * are held, or once their lines add up to max_bytes or more (so the last
 * record held may take them past it, and one record alone always fits).
 * 0 means no bound of that kind; both 0 is the default. */
void rec_hold_limits(struct rec_stream *s, size_t max_records, size_t max_bytes);

/* Is holding one more record over the limits? */
int rec_hold_full(const struct rec_stream *s);

/*
 * Would rec_next return at once?  0 when it would wait for input to come
 * (a pipe that is trickling); 1 otherwise, the end of the input included.
 * A filter that holds records to work on several at once asks before
 * holding another, so that what has come is not kept back.
 */
int rec_ready(struct rec_stream *s);

/* The number of records held, and the i-th of them, oldest first (NULL
 * when i is out of range). */
size_t rec_nheld(const struct rec_stream *s);
struct rec *rec_held(struct rec_stream *s, size_t i);

/*
 * A counter of the filter's own, reported by --stats under name (which
 * must outlive the stream, and be made of a-z, 0-9 and '_').
 * Returns where to count; the same name always gives the same counter.
 */
uint64_t *rec_counter(struct rec_stream *s, const char *name);

/*
 * The pieces of the reports, for a program that writes records without
 * reading a stream (winnow-ingest), so that its reports read like every
 * filter's.  rec_now: a monotonic clock, in seconds.  rec_progress_due:
 * whether a progress line is due (final, or a quarter second since
 * *last, which it then moves).  rec_stats_rate: the end of a --stats
 * object before a program's own counters: ,"seconds", ,"mb_per_s" of
 * bytes_in since start, and ,"max_rss_kb".
 */
double rec_now(void);
int rec_progress_due(double *last, int final);
void rec_stats_rate(double start, uint64_t bytes_in);

/* Finish: close the output, print --stats, and return the exit status
 * (MSG_EXIT_OK or MSG_EXIT_INPUT).  Every held record must have been
 * emitted or skipped by then; one left over is a fatal error. */
int rec_close(struct rec_stream *s);

#endif
