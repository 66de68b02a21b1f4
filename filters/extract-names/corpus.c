/*
 * corpus: CoNLL columns and JSON Lines with offsets, read as documents
 * with reference tags (see corpus.h).
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "json.h"
#include "msg.h"
#include "tagger.h"
#include "utf8.h"
#include "zlines.h"

enum { FMT_UNKNOWN, FMT_COLUMNS, FMT_JSON };

/* A tag as the file writes it: O, or a kind (B I E S, L and U read as E
 * and S) and a type. */
struct raw_tag {
	char kind;
	signed char type;
};

/* An entity of the current JSON record whose tags are on its tokens. */
struct span {
	int type;
	size_t start, end;	/* characters, as the file gives them */
	size_t first, last;	/* tokens */
};

struct cp_reader {
	struct zl *z;
	char *name;		/* for messages */
	unsigned long lineno;
	struct buf linebuf;	/* the line, its '\r' cut off and NUL-terminated */
	const char *line;	/* linebuf.data */
	size_t linelen;
	int pending;		/* line holds a -DOCSTART- not yet used */
	int format;
	struct buf lines;	/* the current document's lines (columns) */
	struct buf lead;	/* blank lines before the first token */
	struct raw_tag *raw;
	size_t rawcap;
	struct buf text;	/* unescaped JSON text */
	size_t *cp_at;		/* byte offset of each code point (JSON) */
	size_t cpcap;
	struct span *kept;	/* the record's entities so far (JSON) */
	size_t nkept, keptcap;
};

struct cp_reader *
cp_open(const char *path)
{
	struct cp_reader *r = xcalloc(1, sizeof *r);

	r->z = zl_open(path);
	r->name = xstrdup(strcmp(path, "-") == 0 ? "<stdin>" : path);
	buf_init(&r->linebuf);
	buf_init(&r->lines);
	buf_init(&r->lead);
	buf_init(&r->text);
	return r;
}

void
cp_close(struct cp_reader *r)
{
	zl_close(r->z);
	free(r->name);
	buf_release(&r->linebuf);
	free(r->raw);
	free(r->cp_at);
	free(r->kept);
	buf_release(&r->lines);
	buf_release(&r->lead);
	buf_release(&r->text);
	free(r);
}

int
cp_columns(const struct cp_reader *r)
{
	return r->format == FMT_COLUMNS;
}

/* The next line into r->line without its line end; 0 at the end. */
static int
read_line(struct cp_reader *r)
{
	const char *p = zl_next(r->z, &r->linelen);

	if (p == NULL)
		return 0;
	r->lineno = zl_lineno(r->z);
	if (r->linelen > 0 && p[r->linelen - 1] == '\r')
		r->linelen--;
	if (memchr(p, '\0', r->linelen) != NULL)
		msg_fatal_line(r->name, r->lineno, "a NUL byte");
	if (!utf8_valid(p, r->linelen))
		msg_fatal_line(r->name, r->lineno, "invalid UTF-8");
	/* A copy, to parse as a string without its '\r'. */
	buf_reset(&r->linebuf);
	buf_add(&r->linebuf, p, r->linelen);
	buf_addc(&r->linebuf, '\0');
	r->line = r->linebuf.data;
	return 1;
}

static int
is_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return 0;
	return 1;
}

static int
type_of(const char *p, size_t n)
{
	static const char *const names[][2] = {
		{ "PER", "person" }, { "ORG", "org" }, { "LOC", "place" }, { "MISC", "misc" }
	};
	int t;

	for (t = 0; t < TG_NTYPES; t++)
		if ((strlen(names[t][0]) == n && memcmp(names[t][0], p, n) == 0) ||
		    (strlen(names[t][1]) == n && memcmp(names[t][1], p, n) == 0))
			return t;
	return -1;
}

static struct raw_tag
parse_tag(const struct cp_reader *r, const char *p, size_t n)
{
	struct raw_tag t = { 'O', -1 };

	if (n == 1 && p[0] == 'O')
		return t;
	if (n < 3 || p[1] != '-' || strchr("BIESLU", p[0]) == NULL ||
	    (t.type = (signed char)type_of(p + 2, n - 2)) < 0)
		msg_fatal_line(r->name, r->lineno, "'%.*s' is not a tag (O, or B-, I-, E-, S-, L- or U- and PER, ORG, LOC or MISC)",
		    (int)(n < 40 ? n : 40), p);
	t.kind = p[0] == 'L' ? 'E' : p[0] == 'U' ? 'S' : p[0];
	return t;
}

static void
keep_raw(struct cp_reader *r, size_t i, struct raw_tag t)
{
	if (i >= r->rawcap) {
		r->rawcap = r->rawcap ? 2 * r->rawcap : 1024;
		r->raw = xrealloc(r->raw, r->rawcap * sizeof *r->raw);
	}
	r->raw[i] = t;
}

/* The reference BILOU tags from the file's tags: a name begins at B or S,
 * or at I or E after anything but its own type's B or I.  These are the
 * conlleval scorer's chunk rules (in its ports that know S and E), so a
 * sequence no tagger writes (S-PER E-PER, B-PER I-ORG) is learned as the
 * names it would be scored as, not refused: IOB1 data begins names with
 * I- as a matter of course. */
static void
gold_from_raw(struct cp_reader *r, struct nd_doc *d)
{
	size_t i, j;

	for (i = 0; i < d->n; i = j) {
		struct raw_tag t = r->raw[i];

		j = i + 1;
		if (t.kind == 'O') {
			d->tok[i].gold = TG_O;
			continue;
		}
		if (t.kind != 'S')
			while (j < d->n && !d->tok[j].sent_first && r->raw[j].type == t.type &&
			    (r->raw[j].kind == 'I' || r->raw[j].kind == 'E') && r->raw[j - 1].kind != 'E')
				j++;
		if (j == i + 1) {
			d->tok[i].gold = (uint8_t)TG_TAG(t.type, TG_U);
			continue;
		}
		d->tok[i].gold = (uint8_t)TG_TAG(t.type, TG_B);
		for (size_t k = i + 1; k < j - 1; k++)
			d->tok[k].gold = (uint8_t)TG_TAG(t.type, TG_I);
		d->tok[j - 1].gold = (uint8_t)TG_TAG(t.type, TG_L);
	}
}

static int
next_columns(struct cp_reader *r, struct nd_doc *d, int gold)
{
	int any = 0;

	nd_clear(d);
	buf_reset(&r->lines);
	buf_add(&r->lines, r->lead.data, r->lead.len);
	buf_reset(&r->lead);
	for (;;) {
		const char *p, *tok, *tag;
		size_t n, toklen, taglen;

		if (!r->pending && !read_line(r))
			break;
		r->pending = 0;
		p = r->line;
		n = r->linelen;
		if (strncmp(p, "-DOCSTART-", 10) == 0) {
			if (any) {
				r->pending = 1;
				break;
			}
			buf_add(&r->lines, p, n);
			buf_addc(&r->lines, '\n');
			continue;
		}
		buf_add(&r->lines, p, n);
		buf_addc(&r->lines, '\n');
		any = 1;
		if (is_blank(p, n)) {
			if (d->sent_start < d->n)
				nd_end_sentence(d);
			continue;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		tok = p;
		toklen = strcspn(p, " \t");
		tag = r->line + n;
		while (tag > tok && (tag[-1] == ' ' || tag[-1] == '\t'))
			tag--;
		taglen = 0;
		while (tag > tok + toklen && tag[-1] != ' ' && tag[-1] != '\t')
			tag--, taglen++;
		if (gold) {
			if (taglen == 0)
				msg_fatal_line(r->name, r->lineno, "want a token and a tag");
			keep_raw(r, d->n, parse_tag(r, tag, taglen));
		}
		nd_add(d, tok, toklen);
	}
	if (d->sent_start < d->n)
		nd_end_sentence(d);
	if (gold)
		gold_from_raw(r, d);
	/* -DOCSTART- lines with nothing after them are a document of no
	 * tokens, so that cp_write_tags writes them back. */
	return any || r->lines.len > 0;
}

/* The value of a member of a JSON object as a whole number. */
static size_t
json_count(const struct cp_reader *r, const char *obj, const struct json_span *s, const char *what)
{
	size_t v = 0, i;

	if (s->kind != JSON_OTHER || s->end == s->start)
		msg_fatal_line(r->name, r->lineno, "an entity without a number at \"%s\"", what);
	for (i = s->start; i < s->end; i++) {
		if (obj[i] < '0' || obj[i] > '9' || v > (SIZE_MAX - 9) / 10)
			msg_fatal_line(r->name, r->lineno, "\"%s\" is not a whole number", what);
		v = v * 10 + (size_t)(obj[i] - '0');
	}
	return v;
}

/* The end of the JSON value starting at p[0] ('{'), within p[0..n). */
static size_t
object_end(const char *p, size_t n)
{
	size_t i, depth = 0;
	int in_string = 0;

	for (i = 0; i < n; i++) {
		if (in_string) {
			if (p[i] == '\\')
				i++;
			else if (p[i] == '"')
				in_string = 0;
		} else if (p[i] == '"') {
			in_string = 1;
		} else if (p[i] == '{' || p[i] == '[') {
			depth++;
		} else if ((p[i] == '}' || p[i] == ']') && --depth == 0) {
			return i + 1;
		}
	}
	return n;
}

/* The most of an entity's text a message shows. */
#define SHOWN 40

/*
 * Append an entity, characters [start, end) of the text, as a message
 * names it: "person [4,9) 'a Mer'", the text cut to SHOWN bytes on a
 * character's edge ("..." after it then) and escaped as msg_quote does.
 */
static void
describe(const struct cp_reader *r, int type, size_t start, size_t end, struct buf *out)
{
	const char *text = r->text.data + r->cp_at[start];
	size_t n = r->cp_at[end] - r->cp_at[start], cut = n;
	struct buf b;
	char *q;

	if (cut > SHOWN)
		for (cut = SHOWN; cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80; cut--)
			;
	buf_init(&b);
	buf_add(&b, text, cut);
	buf_addc(&b, '\0');
	q = msg_quote(b.data);
	buf_adds(out, tg_type_name(type));
	buf_adds(out, " [");
	buf_addu(out, start);
	buf_addc(out, ',');
	buf_addu(out, end);
	buf_adds(out, ") '");
	buf_adds(out, q);
	buf_adds(out, cut < n ? "...'" : "'");
	free(q);
	buf_release(&b);
}

/* Warn that the entity [start, end) of type is left out: it shares a
 * token with the entity other before it, or (other NULL) its edges are
 * not token edges. */
static void
leave_out(const struct cp_reader *r, int type, size_t start, size_t end,
    const struct span *other)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "the ");
	describe(r, type, start, end, &b);
	if (other != NULL) {
		buf_adds(&b, " overlaps the ");
		describe(r, other->type, other->start, other->end, &b);
		buf_adds(&b, " before it");
	} else {
		buf_adds(&b, " does not begin and end on token edges");
	}
	buf_addc(&b, '\0');
	msg_warn("%s:%lu: %s: left out", zl_name(r->z), r->lineno, b.data);
	buf_release(&b);
}

/*
 * Put the entity of obj[0..n) on the tokens of d as reference tags.  One
 * whose edges are not token edges is left out with a warning, and so is
 * one that shares a token with an entity before it (nested, overlapping
 * or the same again): tags are one entity's per token, and the first, as
 * the file gives them, keeps its own.
 */
static void
add_entity(struct cp_reader *r, struct nd_doc *d, size_t ncp, const char *obj, size_t n)
{
	static const char *const keys[] = { "type", "start", "end" };
	struct json_span s[3];
	const char *err;
	size_t off, start, end, i, first = SIZE_MAX, last = SIZE_MAX;
	unsigned flags;
	int type;

	if (json_scan(obj, n, keys, 3, s, &flags, &err, &off) < 0)
		msg_fatal_line(r->name, r->lineno, "an entity is not a JSON object: %s", err);
	if (s[0].kind != JSON_STRING ||
	    (type = type_of(obj + s[0].start + 1, s[0].end - s[0].start - 2)) < 0)
		msg_fatal_line(r->name, r->lineno, "an entity's \"type\" is not person, org, place or misc (or PER, ORG, LOC, MISC)");
	start = json_count(r, obj, &s[1], "start");
	end = json_count(r, obj, &s[2], "end");
	if (start >= end || end > ncp)
		msg_fatal_line(r->name, r->lineno, "an entity's characters %zu-%zu are not inside the text", start, end);
	for (i = 0; i < d->n; i++) {
		if (d->tok[i].start == r->cp_at[start])
			first = i;
		if (d->tok[i].end == r->cp_at[end])
			last = i;
	}
	if (first == SIZE_MAX || last == SIZE_MAX || last < first) {
		leave_out(r, type, start, end, NULL);
		return;
	}
	for (i = 0; i < r->nkept; i++)
		if (r->kept[i].first <= last && first <= r->kept[i].last) {
			leave_out(r, type, start, end, &r->kept[i]);
			return;
		}
	if (r->nkept == r->keptcap) {
		r->keptcap = r->keptcap ? 2 * r->keptcap : 16;
		r->kept = xrealloc(r->kept, r->keptcap * sizeof *r->kept);
	}
	r->kept[r->nkept++] = (struct span){ type, start, end, first, last };
	if (first == last) {
		d->tok[first].gold = (uint8_t)TG_TAG(type, TG_U);
		return;
	}
	d->tok[first].gold = (uint8_t)TG_TAG(type, TG_B);
	for (i = first + 1; i < last; i++)
		d->tok[i].gold = (uint8_t)TG_TAG(type, TG_I);
	d->tok[last].gold = (uint8_t)TG_TAG(type, TG_L);
}

static int
next_json(struct cp_reader *r, struct nd_doc *d, int gold)
{
	static const char *const keys[] = { "text", "entities" };
	struct json_span s[2];
	const char *err, *line;
	size_t off, i, ncp, len;
	unsigned flags;

	do {
		if (!r->pending && !read_line(r))
			return 0;
		r->pending = 0;
	} while (is_blank(r->line, r->linelen));
	line = r->line;
	len = r->linelen;
	if (json_scan(line, len, keys, 2, s, &flags, &err, &off) < 0)
		msg_fatal_line(r->name, r->lineno, "not a JSON object: %s", err);
	if (s[0].kind != JSON_STRING)
		msg_fatal_line(r->name, r->lineno, "no string at \"text\"");
	buf_reset(&r->text);
	json_unescape(&r->text, line + s[0].start, s[0].end - s[0].start);
	if (!utf8_valid(r->text.data, r->text.len))
		msg_fatal_line(r->name, r->lineno, "the text is not valid UTF-8");
	nd_clear(d);
	buf_add(&d->own, r->text.data, r->text.len);
	nd_text(d, d->own.data, d->own.len);
	if (!gold)
		return 1;
	if (r->cpcap < r->text.len + 1) {
		r->cpcap = r->text.len + 1;
		r->cp_at = xrealloc(r->cp_at, r->cpcap * sizeof *r->cp_at);
	}
	for (i = 0, ncp = 0; i < r->text.len; i++)
		if (((unsigned char)r->text.data[i] & 0xC0) != 0x80)
			r->cp_at[ncp++] = i;
	r->cp_at[ncp] = r->text.len;
	for (i = 0; i < d->n; i++)
		d->tok[i].gold = TG_O;
	r->nkept = 0;
	if (s[1].kind == JSON_ABSENT)
		return 1;
	if (line[s[1].start] != '[')
		msg_fatal_line(r->name, r->lineno, "\"entities\" is not an array");
	for (i = s[1].start + 1; i < s[1].end;) {
		size_t e;

		if (line[i] != '{') {
			i++;
			continue;
		}
		e = i + object_end(line + i, s[1].end - i);
		add_entity(r, d, ncp, line + i, e - i);
		i = e;
	}
	return 1;
}

/* Does the line begin a JSON record: '{' and, after blanks, the '"' of a
 * key or the '}' of an empty object?  A column line may begin with a
 * token "{" ("{ O"). */
static int
is_record(const char *p)
{
	p += strspn(p, " \t");
	if (*p != '{')
		return 0;
	p++;
	p += strspn(p, " \t");
	return *p == '"' || *p == '}';
}

int
cp_next(struct cp_reader *r, struct nd_doc *d, int gold)
{
	if (r->format == FMT_UNKNOWN) {
		/* Blank lines before the first token are the first document's,
		 * written back by cp_write_tags. */
		buf_reset(&r->lead);
		for (;;) {
			if (!read_line(r))
				return 0;
			if (!is_blank(r->line, r->linelen))
				break;
			buf_add(&r->lead, r->line, r->linelen);
			buf_addc(&r->lead, '\n');
		}
		r->pending = 1;
		r->format = is_record(r->line) ? FMT_JSON : FMT_COLUMNS;
	}
	return r->format == FMT_JSON ? next_json(r, d, gold) : next_columns(r, d, gold);
}

void
cp_write_tags(const struct cp_reader *r, const struct nd_doc *d, struct buf *out)
{
	const char *p = r->lines.data, *end = p + r->lines.len;
	size_t k = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)(nl - p);

		buf_add(out, p, n);
		if (!is_blank(p, n) && strncmp(p, "-DOCSTART-", 10) != 0 && k < d->n) {
			int tag = d->tok[k].tag;

			if (tag == TG_O) {
				buf_adds(out, " O");
			} else {
				buf_adds(out, TG_PART(tag) == TG_B || TG_PART(tag) == TG_U ? " B-" : " I-");
				buf_adds(out, (const char *[]){ "PER", "ORG", "LOC", "MISC" }[TG_TYPE(tag)]);
			}
			k++;
		}
		buf_addc(out, '\n');
		p = nl + 1;
	}
}
