#include "compat.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "rec.h"
#include "utf8.h"
#include "zio.h"

/* Malformed records are reported one by one up to this many. */
#define MAX_REPORTS 10
#define MAX_COUNTERS 64
/* A held slot gives back buffers larger than this when it is freed. */
#define SLOT_KEEP_BYTES (1u << 20)

struct counter {
	const char *name;
	uint64_t value;
};

/* A held record: its line and texts in buffers of its own. */
struct rec_slot {
	struct rec r;
	struct buf line;
	struct buf text[REC_MAX_KEYS];
	void *user;	/* rec_hold_user's bytes */
};

struct rec_stream {
	struct rec_opts o;
	const char *keys[REC_MAX_KEYS];	/* the fields, then the owned keys */
	int nkeys;
	int started;	/* rec_next has been called: no more keys */
	char **files;
	char **names;	/* the files' names as messages print them */
	int nfiles, next_file;
	const char *name;	/* of the current input, for messages */
	struct zin *in;
	struct zout *out;

	/* The line reader: lines are borrowed from the current block, or
	 * gathered in carry when they span blocks. */
	const char *blk;
	size_t blk_len, blk_pos;
	struct buf carry;
	int carry_used;
	int oversize;	/* the line in hand is longer than max_record */
	uint64_t lineno, file_records;

	struct buf text[REC_MAX_KEYS];	/* unescaped texts of the record in hand */
	struct buf scratch;	/* output pieces */
	struct buf repaired;	/* a text with its bad UTF-8 replaced */
	struct buf fixed;	/* line bytes with lone surrogates replaced */

	/* The record rec_next returned last, until it is emitted, skipped
	 * or held. */
	uint64_t seq, pending;

	/* Held records: a ring of slots, oldest at head. */
	struct rec_slot **ring;
	size_t ring_cap, head, nheld, held_bytes;
	size_t max_held, max_held_bytes;
	size_t user_size;
	void (*user_release)(void *);

	uint64_t records_in, records_out, malformed, skipped, bytes_in;
	uint64_t inputs_failed;
	int stopped;	/* --on-error=fail met a malformed record */
	struct counter counters[MAX_COUNTERS];
	int ncounters;

	/* --progress */
	int show_progress;
	int flush_trickle;	/* the output is a stream someone reads as it comes */
	double start, last_progress;
	uint64_t raw_done, raw_total;	/* of finished inputs, and of all */
	int raw_total_known;
};

void
rec_opts_init(struct rec_opts *o)
{
	memset(o, 0, sizeof *o);
	o->fields[0] = "text";
	o->nfields = 1;
	o->in_format = o->out_format = REC_JSON;
	o->on_error = REC_PASS;
}

double
rec_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
rec_progress_due(double *last, int final)
{
	double t = rec_now();

	if (!final && t - *last < 0.25)
		return 0;
	*last = t;
	return 1;
}

void
rec_stats_rate(double start, uint64_t bytes_in)
{
	double secs = rec_now() - start;
	struct rusage ru;

	fprintf(stderr, ",\"seconds\":%.3f,\"mb_per_s\":%.1f", secs,
	    secs > 0 ? (double)bytes_in / 1e6 / secs : 0.0);
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		fprintf(stderr, ",\"max_rss_kb\":%ld", ru.ru_maxrss);
}

static int
open_next_input(struct rec_stream *s)
{
	for (;;) {
		const char *path;

		if (s->next_file >= s->nfiles)
			return 0;
		path = s->files[s->next_file++];
		s->name = s->names[s->next_file - 1];
		s->lineno = s->file_records = 0;
		if ((s->in = zin_open(path)) != NULL)
			return 1;
		msg_warn("%s: %s", s->name, strerror(errno));
		s->inputs_failed++;
	}
}

static void
close_input(struct rec_stream *s)
{
	const char *err = zin_error(s->in);

	/* An input refused whole ("xz input is not supported") has no
	 * records to count. */
	if (err) {
		if (zin_refused(s->in))
			msg_warn("%s: %s", s->name, err);
		else
			msg_warn("%s: %s after %" PRIu64 " records", s->name, err, s->file_records);
		s->inputs_failed++;
	}
	s->raw_done += zin_raw_offset(s->in);
	zin_close(s->in);
	s->in = NULL;
	s->blk_len = s->blk_pos = 0;
	/* A partial line cut off by an error is not a record of the next input. */
	buf_reset(&s->carry);
	s->carry_used = s->oversize = 0;
}

struct rec_stream *
rec_open(const struct rec_opts *o, char **files, int nfiles)
{
	static char *std_input[] = { "-" };
	struct rec_stream *s = xcalloc(1, sizeof *s);
	int i;

	if (o->in_format == REC_OWN || o->out_format == REC_OWN)
		msg_fatal("internal error: records of the filter's own format");
	s->o = *o;
	for (i = 0; i < o->nfields; i++)
		s->keys[i] = o->fields[i];
	s->nkeys = o->nfields;
	buf_init(&s->carry);
	buf_init(&s->scratch);
	buf_init(&s->repaired);
	buf_init(&s->fixed);
	for (i = 0; i < REC_MAX_KEYS; i++)
		buf_init(&s->text[i]);
	s->files = nfiles > 0 ? files : std_input;
	s->nfiles = nfiles > 0 ? nfiles : 1;
	/* A name with a newline must not break a message in two. */
	s->names = xcalloc((size_t)s->nfiles, sizeof *s->names);
	for (i = 0; i < s->nfiles; i++)
		s->names[i] = strcmp(s->files[i], "-") == 0 ? xstrdup("<stdin>") :
		    msg_quote(s->files[i]);
	s->out = zout_open(o->output, o->zstd_level ? ZIO_ZSTD : o->gzip_level ? ZIO_GZIP : ZIO_PLAIN,
	    o->zstd_level ? o->zstd_level : o->gzip_level);
	/* A file named by -o is an unnamed one until the end: no one reads it
	 * before, so it is never flushed early, and its compressed bytes
	 * depend only on its content, not on how fast the input came. */
	s->flush_trickle = o->output == NULL || strcmp(o->output, "-") == 0;
	s->start = s->last_progress = rec_now();
	s->show_progress = o->progress == 2 || (o->progress == 1 && isatty(STDERR_FILENO));
	if (s->show_progress) {
		s->raw_total_known = 1;
		for (i = 0; i < s->nfiles; i++) {
			struct stat st;

			if (strcmp(s->files[i], "-") != 0 && stat(s->files[i], &st) == 0 &&
			    S_ISREG(st.st_mode))
				s->raw_total += (uint64_t)st.st_size;
			else
				s->raw_total_known = 0;
		}
	}
	return s;
}

static void
progress(struct rec_stream *s, int final)
{
	double secs, mb = (double)s->bytes_in / 1e6;
	uint64_t raw = s->raw_done + (s->in ? zin_raw_offset(s->in) : 0);

	if (!rec_progress_due(&s->last_progress, final))
		return;
	secs = s->last_progress - s->start;
	fprintf(stderr, "\r%s: %" PRIu64 " records, %.1f MB, %.1f MB/s", msg_prog,
	    s->records_in, mb, secs > 0 ? mb / secs : 0.0);
	if (s->raw_total_known && s->raw_total > 0)
		fprintf(stderr, ", %.0f%%", 100.0 * (double)raw / (double)s->raw_total);
	fputs(final ? "\n" : "\033[K", stderr);
}

/* Gather part of a line in carry, or only note its length once it is
 * longer than max_record, so that memory stays bounded. */
static void
carry_add(struct rec_stream *s, const char *p, size_t n)
{
	/* One byte more than the limit: the line may end in "\r\n".  (Not
	 * max_record + 1, which is 0 for a limit of SIZE_MAX.) */
	if (s->o.max_record && s->carry.len + n > s->o.max_record &&
	    s->carry.len + n - s->o.max_record > 1) {
		s->oversize = 1;
		return;
	}
	buf_add(&s->carry, p, n);
}

/*
 * The next line of the current input, without its end: 1 with *p and *n
 * set, 0 at the end of the input.  A final line without '\n' counts; a
 * partial line before a read or gzip error does not.  A line longer than
 * max_record comes back with s->oversize set and no content.
 */
static int
next_line(struct rec_stream *s, const char **p, size_t *n, int *has_nl)
{
	if (s->carry_used) {
		buf_reset(&s->carry);
		s->carry_used = 0;
		s->oversize = 0;
	}
	for (;;) {
		if (s->blk_pos < s->blk_len) {
			const char *start = s->blk + s->blk_pos;
			size_t avail = s->blk_len - s->blk_pos;
			const char *nl = memchr(start, '\n', avail);

			if (nl && s->carry.len == 0 && !s->oversize) {
				*p = start;
				*n = (size_t)(nl - start);
				*has_nl = 1;
				s->blk_pos += *n + 1;
				return 1;
			}
			if (nl) {
				carry_add(s, start, (size_t)(nl - start));
				s->blk_pos += (size_t)(nl - start) + 1;
				break;
			}
			carry_add(s, start, avail);
			s->blk_pos = s->blk_len;
		}
		if (s->show_progress)
			progress(s, 0);
		/* Input is trickling in: let what is done so far go out now,
		 * rather than when a block fills. */
		if (s->flush_trickle && !zin_wait(s->in, 50))
			zout_flush(s->out);
		s->blk_len = zin_read(s->in, &s->blk);
		s->blk_pos = 0;
		s->bytes_in += s->blk_len;
		if (s->blk_len == 0) {
			if ((s->carry.len == 0 && !s->oversize) || zin_cut(s->in))
				return 0;
			break;
		}
	}
	*p = s->carry.data;
	*n = s->carry.len;
	*has_nl = 0;
	s->carry_used = 1;
	return 1;
}

static void
write_line(struct rec_stream *s, const char *p, size_t n, int has_nl)
{
	zout_write(s->out, p, n + (has_nl != 0));
	if (!has_nl)
		zout_write(s->out, "\n", 1);
	s->records_out++;
}

/* Count and report a malformed record, the first MAX_REPORTS one by one. */
static void
report(struct rec_stream *s, const char *fmt, const char *what, size_t n)
{
	s->malformed++;
	/* A message must not be glued onto the progress line. */
	if (s->show_progress && (s->malformed <= MAX_REPORTS + 1 || s->o.on_error == REC_FAIL))
		fputs("\r\033[K", stderr);
	if (s->malformed <= MAX_REPORTS || s->o.on_error == REC_FAIL)
		msg_warn(fmt, s->name, s->lineno, what, n);
	else if (s->malformed == MAX_REPORTS + 1)
		msg_warn("further malformed records are counted, not reported");
}

/* A malformed line under --on-error=pass: written at once, or, while the
 * filter holds records, handed to it (flagged) so that it leaves behind
 * them and the window bounds it.  Returns 1 when r is handed over. */
static int
malformed(struct rec_stream *s, struct rec *r, const char *what, size_t off)
{
	report(s, "%s:%" PRIu64 ": malformed record: %s at byte %zu", what, off + 1);
	switch (s->o.on_error) {
	case REC_PASS:
		if (s->nheld == 0) {
			write_line(s, r->line, r->len, r->ends_in_newline);
			return 0;
		}
		r->malformed = 1;
		return 1;
	case REC_SKIP:
		s->skipped++;
		break;
	case REC_FAIL:
		s->stopped = 1;
		break;
	}
	return 0;
}

int
rec_key(struct rec_stream *s, const char *name)
{
	int i;

	if (s->started)
		msg_fatal("internal error: key '%s' owned after the first record", name);
	for (i = 0; i < s->nkeys; i++)
		if (strcmp(s->keys[i], name) == 0)
			return i;
	if (s->nkeys == REC_MAX_KEYS)
		msg_fatal("more than %d keys to read and write", REC_MAX_KEYS);
	s->keys[s->nkeys] = name;
	return s->nkeys++;
}

static const char utf8_bom[] = "\xEF\xBB\xBF";

int
rec_ready(struct rec_stream *s)
{
	return s->in == NULL || s->stopped || s->blk_pos < s->blk_len || zin_wait(s->in, 0);
}

int
rec_next(struct rec_stream *s, struct rec *r)
{
	const char *err;
	size_t off;

	if (s->pending)
		msg_fatal("internal error: record %" PRIu64 " was neither written, held nor skipped",
		    s->pending);
	s->started = 1;
	while (!s->stopped) {
		if (s->in == NULL && !open_next_input(s))
			return 0;
		if (!next_line(s, &r->line, &r->len, &r->ends_in_newline)) {
			close_input(s);
			continue;
		}
		s->lineno++;
		s->file_records++;
		s->records_in++;
		/* A byte order mark may start a file (jq accepts it too). */
		if (s->lineno == 1 && r->len >= 3 && memcmp(r->line, utf8_bom, 3) == 0) {
			r->line += 3;
			r->len -= 3;
		}
		if (r->len > 0 && r->line[r->len - 1] == '\r') {
			r->len--;
			r->ends_in_newline = 0;
		}
		if (s->oversize || (s->o.max_record && r->len > s->o.max_record)) {
			/* Too long to hold, so too long to pass through: dropped. */
			report(s, "%s:%" PRIu64 ": record %s=%zu dropped",
			    "longer than --max-record-bytes", s->o.max_record);
			if (s->o.on_error == REC_FAIL)
				s->stopped = 1;
			else
				s->skipped++;
			continue;
		}
		r->seq = ++s->seq;
		r->slot = NULL;
		r->file = s->name;
		r->lineno = s->lineno;
		r->malformed = 0;
		if (s->o.in_format == REC_TEXT) {
			memset(r->span, 0, sizeof r->span);
			r->flags = utf8_valid(r->line, r->len) ? 0 : JSON_F_BADUTF8;
			s->pending = r->seq;
			return 1;
		}
		if (json_scan(r->line, r->len, s->keys, s->nkeys, r->span, &r->flags, &err,
		    &off) == 0 || malformed(s, r, err, off)) {
			s->pending = r->seq;
			return 1;
		}
	}
	return 0;
}

int
rec_text(struct rec_stream *s, const struct rec *r, int i, const char **text, size_t *len)
{
	const struct json_span *sp = &r->span[i];
	struct buf *b = r->slot ? &r->slot->text[i] : &s->text[i];

	if (r->malformed)
		return -1;
	if (s->o.in_format == REC_TEXT) {
		if (i != 0)
			return -1;
		*text = r->line;
		*len = r->len;
		return 0;
	}
	if (sp->kind != JSON_STRING)
		return -1;
	if (!(sp->flags & JSON_F_ESCAPES)) {
		*text = r->line + sp->start + 1;
		*len = sp->end - sp->start - 2;
		return 0;
	}
	buf_reset(b);
	json_unescape(b, r->line + sp->start, sp->end - sp->start);
	*text = b->data;
	*len = b->len;
	return 0;
}

/* Write line bytes the filter did not rewrite, repairing bad UTF-8 and
 * lone-surrogate escapes. */
static void
put_verbatim(struct rec_stream *s, const struct rec *r, size_t from, size_t to)
{
	const char *p = r->line + from;
	size_t n = to - from;

	if (r->flags & JSON_F_LONESURR) {
		buf_reset(&s->fixed);
		json_fix_surrogates(&s->fixed, p, n);
		p = s->fixed.data;
		n = s->fixed.len;
	}
	if (r->flags & JSON_F_BADUTF8) {
		buf_reset(&s->scratch);
		utf8_repair(&s->scratch, p, n);
		p = s->scratch.data;
		n = s->scratch.len;
	}
	zout_write(s->out, p, n);
}

static void
put_string(struct rec_stream *s, const char *p, size_t n)
{
	buf_reset(&s->scratch);
	json_escape(&s->scratch, p, n);
	zout_write(s->out, s->scratch.data, s->scratch.len);
}

static void
put_value(struct rec_stream *s, const struct rec_edit *e)
{
	if (e->raw)
		zout_write(s->out, e->text, e->len);
	else
		put_string(s, e->text, e->len);
}

/* Write ,"key":value for every edit of a key the record does not have
 * (from key first on); comma says whether a member stands before. */
static void
put_new_members(struct rec_stream *s, const struct rec *r, const struct rec_edit *edits,
    int first, int comma)
{
	int k;

	for (k = first; edits && k < s->nkeys; k++) {
		if (edits[k].text == NULL || r->span[k].kind != JSON_ABSENT)
			continue;
		if (comma)
			zout_write(s->out, ",", 1);
		put_string(s, s->keys[k], strlen(s->keys[k]));
		zout_write(s->out, ":", 1);
		put_value(s, &edits[k]);
		comma = 1;
	}
}

/* Write a record whose text is p[0..n): as {"field":text,...} for text
 * input, or as one line of plain text for --to=text. */
static void
emit_text_record(struct rec_stream *s, const struct rec *r, const char *p, size_t n,
    const struct rec_edit *edits)
{
	struct buf *t = &s->repaired;

	if (edits && edits[0].text) {
		p = edits[0].text;
		n = edits[0].len;
	} else if (!utf8_valid(p, n)) {
		/* Not into s->text[0]: p may be in it. */
		buf_reset(t);
		utf8_repair(t, p, n);
		p = t->data;
		n = t->len;
	}
	if (s->o.out_format == REC_TEXT) {
		/* One record a line: line breaks inside the text become spaces. */
		const char *nl;

		while ((nl = memchr(p, '\n', n)) != NULL) {
			zout_write(s->out, p, (size_t)(nl - p));
			zout_write(s->out, " ", 1);
			n -= (size_t)(nl - p) + 1;
			p = nl + 1;
		}
		zout_write(s->out, p, n);
		zout_write(s->out, "\n", 1);
		return;
	}
	zout_write(s->out, "{", 1);
	put_string(s, s->keys[0], strlen(s->keys[0]));
	zout_write(s->out, ":", 1);
	put_string(s, p, n);
	put_new_members(s, r, edits, 1, 1);
	zout_write(s->out, "}\n", 2);
}

static void
write_record(struct rec_stream *s, const struct rec *r, const struct rec_edit *edits)
{
	size_t pos = 0, close, i;
	int k, next, appends = 0, changed = (r->flags & (JSON_F_BADUTF8 | JSON_F_LONESURR)) != 0;
	const char *text;
	size_t len;

	if (r->malformed) {
		write_line(s, r->line, r->len, r->ends_in_newline);
		return;
	}
	if (s->o.in_format == REC_TEXT || s->o.out_format == REC_TEXT) {
		s->records_out++;
		if (rec_text(s, r, 0, &text, &len) < 0)
			text = "", len = 0;
		emit_text_record(s, r, text, len, edits);
		return;
	}
	for (k = 0; edits && k < s->nkeys; k++) {
		changed |= edits[k].text != NULL;
		appends |= edits[k].text != NULL && r->span[k].kind == JSON_ABSENT;
	}
	if (!changed) {
		write_line(s, r->line, r->len, r->ends_in_newline);
		return;
	}
	s->records_out++;
	/* Copy the line, replacing edited values in the order they stand. */
	for (;;) {
		next = -1;
		for (k = 0; edits && k < s->nkeys; k++)
			if (edits[k].text && r->span[k].kind != JSON_ABSENT &&
			    r->span[k].start >= pos &&
			    (next < 0 || r->span[k].start < r->span[next].start))
				next = k;
		if (next < 0)
			break;
		put_verbatim(s, r, pos, r->span[next].start);
		put_value(s, &edits[next]);
		pos = r->span[next].end;
	}
	if (!appends) {
		put_verbatim(s, r, pos, r->len);
		zout_write(s->out, "\n", 1);
		return;
	}
	/* New members go before the closing brace (the line is valid JSON). */
	close = r->len;
	while (r->line[--close] != '}')
		;
	put_verbatim(s, r, pos, close);
	for (i = close; strchr(" \t\r", r->line[i - 1]); i--)
		;
	put_new_members(s, r, edits, 0, r->line[i - 1] != '{');
	put_verbatim(s, r, close, r->len);
	zout_write(s->out, "\n", 1);
}

static void
free_slot_buffers(struct rec_slot *sl)
{
	int i;

	buf_release(&sl->line);
	for (i = 0; i < REC_MAX_KEYS; i++)
		buf_release(&sl->text[i]);
}

/* May r leave now?  A held record only when it is the oldest; the one in
 * hand only when it is the one rec_next returned last. */
static void
check_leaving(const struct rec_stream *s, const struct rec *r)
{
	if (r->slot == NULL && r->seq != s->pending)
		msg_fatal("internal error: record %" PRIu64 " written or skipped twice", r->seq);
	if (r->slot == NULL && s->nheld > 0)
		msg_fatal("internal error: record %" PRIu64 " leaves before the held ones", r->seq);
	if (r->slot && (s->nheld == 0 || s->ring[s->head] != r->slot))
		msg_fatal("internal error: held record %" PRIu64 " leaves before older ones", r->seq);
}

/* r has left: a held record's slot is free for the next. */
static void
release(struct rec_stream *s, const struct rec *r)
{
	struct rec_slot *sl = r->slot;

	if (sl == NULL) {
		s->pending = 0;
		return;
	}
	s->held_bytes -= sl->r.len;
	s->head = (s->head + 1) % s->ring_cap;
	s->nheld--;
	/* A slot keeps its buffers for the next record, but not the room
	 * one huge record needed: memory stays bounded by the window. */
	if (sl->line.cap > SLOT_KEEP_BYTES)
		free_slot_buffers(sl);
}

void
rec_emit(struct rec_stream *s, const struct rec *r, const struct rec_edit *edits)
{
	check_leaving(s, r);
	write_record(s, r, edits);
	release(s, r);
}

void
rec_skip(struct rec_stream *s, const struct rec *r)
{
	check_leaving(s, r);
	s->skipped++;
	release(s, r);
}

/* Make room in the ring for one more slot, keeping the oldest at head. */
static void
grow_ring(struct rec_stream *s)
{
	size_t cap = s->ring_cap ? 2 * s->ring_cap : 16, i;
	struct rec_slot **ring = xcalloc(cap, sizeof *ring);

	for (i = 0; i < s->ring_cap; i++)
		ring[i] = s->ring[(s->head + i) % s->ring_cap];
	free(s->ring);
	s->ring = ring;
	s->ring_cap = cap;
	s->head = 0;
}

struct rec *
rec_hold(struct rec_stream *s, const struct rec *r)
{
	struct rec_slot *sl;
	size_t at;

	if (r->slot != NULL || r->seq != s->pending)
		msg_fatal("internal error: record %" PRIu64 " held twice", r->seq);
	if (s->nheld == s->ring_cap)
		grow_ring(s);
	at = (s->head + s->nheld) % s->ring_cap;
	if (s->ring[at] == NULL) {
		s->ring[at] = xcalloc(1, sizeof *s->ring[at]);
		if (s->user_size)
			s->ring[at]->user = xcalloc(1, s->user_size);
	}
	sl = s->ring[at];
	buf_reset(&sl->line);
	buf_add(&sl->line, r->line, r->len);
	sl->r = *r;
	sl->r.line = sl->line.data;
	sl->r.ends_in_newline = 0;
	sl->r.slot = sl;
	s->nheld++;
	s->held_bytes += r->len;
	s->pending = 0;
	return &sl->r;
}

void
rec_hold_user(struct rec_stream *s, size_t size, void (*free_user)(void *))
{
	if (s->ring_cap)
		msg_fatal("internal error: rec_hold_user after the first rec_hold");
	s->user_size = size;
	s->user_release = free_user;
}

void *
rec_user(const struct rec *r)
{
	return r->slot ? r->slot->user : NULL;
}

void
rec_hold_limits(struct rec_stream *s, size_t max_records, size_t max_bytes)
{
	s->max_held = max_records;
	s->max_held_bytes = max_bytes;
}

int
rec_hold_full(const struct rec_stream *s)
{
	return (s->max_held && s->nheld >= s->max_held) ||
	    (s->max_held_bytes && s->nheld > 0 && s->held_bytes >= s->max_held_bytes);
}

size_t
rec_nheld(const struct rec_stream *s)
{
	return s->nheld;
}

struct rec *
rec_held(struct rec_stream *s, size_t i)
{
	if (i >= s->nheld)
		return NULL;
	return &s->ring[(s->head + i) % s->ring_cap]->r;
}

uint64_t *
rec_counter(struct rec_stream *s, const char *name)
{
	int i;

	for (i = 0; i < s->ncounters; i++)
		if (strcmp(s->counters[i].name, name) == 0)
			return &s->counters[i].value;
	if (s->ncounters == MAX_COUNTERS)
		msg_fatal("internal error: more than %d counters", MAX_COUNTERS);
	if (name[strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_")] != '\0')
		msg_fatal("internal error: counter name '%s'", name);
	s->counters[s->ncounters].name = name;
	return &s->counters[s->ncounters++].value;
}

static void
print_stats(struct rec_stream *s, uint64_t bytes_out)
{
	int i;

	fprintf(stderr, "{\"program\":\"%s\",\"records_in\":%" PRIu64 ",\"records_out\":%" PRIu64
	    ",\"malformed\":%" PRIu64 ",\"skipped\":%" PRIu64 ",\"inputs_failed\":%" PRIu64
	    ",\"bytes_in\":%" PRIu64 ",\"bytes_out\":%" PRIu64,
	    msg_prog, s->records_in, s->records_out, s->malformed, s->skipped, s->inputs_failed,
	    s->bytes_in, bytes_out);
	rec_stats_rate(s->start, s->bytes_in);
	for (i = 0; i < s->ncounters; i++)
		fprintf(stderr, ",\"%s\":%" PRIu64, s->counters[i].name, s->counters[i].value);
	fputs("}\n", stderr);
}

static void
free_slot(struct rec_stream *s, struct rec_slot *sl)
{
	if (sl == NULL)
		return;
	free_slot_buffers(sl);
	if (sl->user && s->user_release)
		s->user_release(sl->user);
	free(sl->user);
	free(sl);
}

int
rec_close(struct rec_stream *s)
{
	int status = MSG_EXIT_OK, i;
	uint64_t bytes_out = zout_bytes(s->out);
	size_t k;

	if (s->pending || s->nheld)
		msg_fatal("internal error: record %" PRIu64 " was neither written nor skipped",
		    s->pending ? s->pending : rec_held(s, 0)->seq);
	if (s->in)	/* stopped early by --on-error=fail */
		zin_close(s->in);
	if (s->show_progress)
		progress(s, 1);
	/* A run stopped by --on-error=fail leaves no output file behind. */
	if (s->stopped)
		zout_abort(s->out);
	else
		zout_close(s->out, s->inputs_failed == 0);
	if (s->malformed > MAX_REPORTS && s->o.on_error != REC_FAIL)
		msg_warn("%" PRIu64 " malformed records in all", s->malformed);
	if (s->o.stats)
		print_stats(s, bytes_out);
	if (s->inputs_failed || s->stopped)
		status = MSG_EXIT_INPUT;
	buf_release(&s->carry);
	buf_release(&s->scratch);
	buf_release(&s->repaired);
	buf_release(&s->fixed);
	for (i = 0; i < REC_MAX_KEYS; i++)
		buf_release(&s->text[i]);
	for (k = 0; k < s->ring_cap; k++)
		free_slot(s, s->ring[k]);
	for (i = 0; i < s->nfiles; i++)
		free(s->names[i]);
	free(s->names);
	free(s->ring);
	free(s);
	return status;
}
