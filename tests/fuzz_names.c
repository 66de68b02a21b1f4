/*
 * libFuzzer target for extract-names' tagger and grouping: whatever the
 * bytes (made valid UTF-8, as the filter does before it cuts a text into
 * tokens), tokenising, tagging and writing the names must not crash, and
 * the names written must be a JSON array (checked with jansson, not with
 * winnow's own parser) of {text, type, count, aliases, spans} where
 *
 *   - type is person, org, place or misc, and count >= 1 is the number of
 *     spans;
 *   - every span [start, end] lies inside the text, start < end, both on
 *     character boundaries, and its text (blanks squeezed to one space) is
 *     the name's text or one of its aliases;
 *   - the aliases are distinct, none is the text, none is longer than it;
 *   - nm_json's count is the array's length;
 *   - asking for fewer types gives the same names filtered by type;
 *   - tagging the same text again writes the same bytes (no state leaks
 *     from one document into the next).
 *
 * The model: the file named by $NAMES_MODEL when it is set (trained with
 * the same gazetteer and clusters, as tests/t-fuzz-names.sh does), else
 * one trained here, once, on testdata/names-train/train.conll.  The first
 * byte of the input picks the types of the second, filtered run.
 */
#include "compat.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "doc.h"
#include "lexicon.h"
#include "names.h"
#include "tagger.h"
#include "train.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lx *lx;
static struct tg model;
static struct nm *names;

static void
setup(void)
{
	const char *path = getenv("NAMES_MODEL");

	lx = lx_load(GAZETTEER_PATH, CLUSTERS_PATH);
	tg_init(&model, lx);
	if (path != NULL && *path != '\0') {
		tg_load(&model, path);
	} else {
		static char train[] = TRAIN_PATH;
		char *files[1] = { train };
		struct tr_opts o;

		memset(&o, 0, sizeof o);
		o.iterations = 3;
		o.min_count = 1;
		o.history = 1;
		tr_train(&model, files, 1, &o);
	}
	names = nm_new(lx);
}

static void
die(const char *why, const char *json)
{
	fprintf(stderr, "fuzz_names: %s\n%s\n", why, json);
	abort();
}

/* The text of [start, end) with every run of blanks one space, as names.c
 * writes a mention. */
static void
squeeze(const char *p, size_t start, size_t end, struct buf *out)
{
	size_t i;
	int blank = 0;

	buf_reset(out);
	for (i = start; i < end; i++) {
		char c = p[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			blank = 1;
			continue;
		}
		if (blank)
			buf_addc(out, ' ');
		blank = 0;
		buf_addc(out, c);
	}
}

static int
boundary(const char *text, size_t len, size_t off)
{
	return off == len || ((unsigned char)text[off] & 0xC0) != 0x80;
}

static int
is_form(json_t *name, const char *p, size_t n)
{
	json_t *t = json_object_get(name, "text"), *a;
	size_t i;

	if (json_string_length(t) == n && memcmp(json_string_value(t), p, n) == 0)
		return 1;
	json_array_foreach(json_object_get(name, "aliases"), i, a)
		if (json_string_length(a) == n && memcmp(json_string_value(a), p, n) == 0)
			return 1;
	return 0;
}

/* Check the array of names written for text[0..len). */
static json_t *
check(const char *out, size_t outlen, size_t written, const char *text, size_t len)
{
	json_error_t err;
	json_t *arr = json_loadb(out, outlen, JSON_ALLOW_NUL, &err), *name;
	struct buf sq;
	size_t i;

	if (arr == NULL || !json_is_array(arr))
		die(err.text, out);
	if (json_array_size(arr) != written)
		die("nm_json's count is not the array's length", out);
	buf_init(&sq);
	json_array_foreach(arr, i, name) {
		json_t *t = json_object_get(name, "text"), *type = json_object_get(name, "type");
		json_t *count = json_object_get(name, "count"), *aliases = json_object_get(name, "aliases");
		json_t *spans = json_object_get(name, "spans"), *a, *b, *s;
		size_t k, j;

		if (!json_is_string(t) || json_string_length(t) == 0 || !json_is_string(type) ||
		    !json_is_integer(count) || !json_is_array(aliases) || !json_is_array(spans) ||
		    json_object_size(name) != 5)
			die("a name is not {text, type, count, aliases, spans}", out);
		if (strcmp(json_string_value(type), "person") != 0 &&
		    strcmp(json_string_value(type), "org") != 0 &&
		    strcmp(json_string_value(type), "place") != 0 &&
		    strcmp(json_string_value(type), "misc") != 0)
			die("an unknown type", out);
		if (json_integer_value(count) < 1 ||
		    (size_t)json_integer_value(count) != json_array_size(spans))
			die("count is not the number of spans", out);
		json_array_foreach(aliases, k, a) {
			if (!json_is_string(a) || json_equal(a, t) ||
			    json_string_length(a) > json_string_length(t))
				die("an alias that is not a shorter other form", out);
			json_array_foreach(aliases, j, b)
				if (j < k && json_equal(a, b))
					die("an alias given twice", out);
		}
		json_array_foreach(spans, k, s) {
			json_int_t st, en;

			if (!json_is_array(s) || json_array_size(s) != 2 ||
			    !json_is_integer(json_array_get(s, 0)) || !json_is_integer(json_array_get(s, 1)))
				die("a span is not [start, end]", out);
			st = json_integer_value(json_array_get(s, 0));
			en = json_integer_value(json_array_get(s, 1));
			if (st < 0 || st >= en || (size_t)en > len || !boundary(text, len, (size_t)st) ||
			    !boundary(text, len, (size_t)en))
				die("a span outside the text or inside a character", out);
			squeeze(text, (size_t)st, (size_t)en, &sq);
			if (!is_form(name, sq.data, sq.len))
				die("a span's text is not one of the name's forms", out);
		}
	}
	buf_release(&sq);
	return arr;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nm_opts all = { 15, 1 }, some;
	struct buf text, out, again;
	struct nd_doc d;
	json_t *full, *part, *name;
	size_t written, i, k;

	if (size == 0)
		return 0;
	if (lx == NULL)
		setup();
	some.types = data[0] & 15 ? data[0] & 15 : 1;
	some.spans = 1;
	data++;
	size--;
	buf_init(&text);
	buf_init(&out);
	buf_init(&again);
	utf8_repair(&text, (const char *)data, size);
	buf_addc(&text, '\0');
	text.len--;
	nd_init(&d);
	nd_text(&d, text.data, text.len);
	for (i = 0; i < d.n; i++)
		if (d.tok[i].start >= d.tok[i].end || d.tok[i].end > text.len ||
		    (i > 0 && d.tok[i].start < d.tok[i - 1].end))
			die("tokens out of order or outside the text", text.data);
	tg_tag(&model, &d);
	written = nm_json(names, &d, &all, &out);
	buf_addc(&out, '\0');
	out.len--;
	full = check(out.data, out.len, written, text.data, text.len);

	/* Fewer types: the same names, filtered. */
	buf_reset(&again);
	written = nm_json(names, &d, &some, &again);
	buf_addc(&again, '\0');
	again.len--;
	part = check(again.data, again.len, written, text.data, text.len);
	k = 0;
	json_array_foreach(full, i, name) {
		const char *type = json_string_value(json_object_get(name, "type"));
		int t = type[0] == 'p' && type[1] == 'e' ? 0 : type[0] == 'o' ? 1 : type[0] == 'p' ? 2 : 3;

		if (!(some.types >> t & 1))
			continue;
		if (!json_equal(name, json_array_get(part, k++)))
			die("--types changed a name it kept", again.data);
	}
	if (k != json_array_size(part))
		die("--types kept a name of another type", again.data);
	json_decref(part);
	json_decref(full);

	/* Again, from the start: the same bytes. */
	nd_text(&d, text.data, text.len);
	tg_tag(&model, &d);
	buf_reset(&again);
	nm_json(names, &d, &all, &again);
	if (again.len != out.len || memcmp(again.data, out.data, out.len) != 0)
		die("tagging the text again gave other names", again.data);

	nd_release(&d);
	buf_release(&text);
	buf_release(&out);
	buf_release(&again);
	return 0;
}
