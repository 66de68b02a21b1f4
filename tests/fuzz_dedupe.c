/*
 * libFuzzer target for dedupe-boilerplate's engine: whatever the bytes
 * (made valid UTF-8, as the filter does before it parses a text), split into
 * a few records of one site at each 0x1E byte, counting, judging and
 * rebuilding must not crash; the rebuilt text must be valid UTF-8 and made
 * of the input's lines; every line --mark names must exist and every cut
 * span must lie inside its line, on character boundaries.  The first byte
 * picks the detectors (the line model too, and its scope) and the site threshold.
 *
 * With the first byte's top bit set, the rest is instead the payload of a
 * count table (version 1 or 2, by the next bit), as a state file whose
 * checksum holds could bring: read, added to itself and to an empty
 * table, written and read back, it must not crash, and what ct_encode
 * writes must read back to the same bytes.
 */
#include "compat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "classify.h"
#include "counts.h"
#include "dedupe.h"
#include "rules.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RECORDS 4

static struct rl *rules;
static struct cl *model;

static int
char_boundary(const char *text, size_t off)
{
	return ((unsigned char)text[off] & 0xC0) != 0x80;
}

/* Check what dd_judge decided about doc against its text. */
static void
check(const struct dd_doc *doc, const char *text, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; i < doc->nlines; i++) {
		const struct dd_line *l = &doc->line[i];

		if (l->start > l->end || l->end > n || l->why >= DD_NWHY)
			abort();
		if (l->why == DD_CUT && (l->cut_start < l->start || l->cut_end > l->end ||
		    l->cut_start >= l->cut_end || !char_boundary(text, l->cut_start) ||
		    (l->cut_end < n && !char_boundary(text, l->cut_end))))
			abort();
	}
	buf_reset(out);
	if (dd_rebuild(doc, text, out) && (!utf8_valid(out->data, out->len) || out->len > n + doc->nlines))
		abort();
}

/* Read back what t encodes to, and encode that again: the same bytes. */
static void
round_trip(const struct ct *t)
{
	struct buf a, b;
	struct ct *u = ct_new();
	char err[200];

	buf_init(&a);
	buf_init(&b);
	ct_encode(t, &a);
	if (ct_decode(u, CT_VERSION, a.data, a.len, err, sizeof err) < 0)
		abort();
	ct_encode(u, &b);
	if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
		abort();
	buf_release(&a);
	buf_release(&b);
	ct_free(u);
}

static void
fuzz_table(const uint8_t *data, size_t size, uint32_t version)
{
	struct ct *t = ct_new(), *sum = ct_new();
	char err[200];

	if (ct_decode(t, version, data, size, err, sizeof err) == 0) {
		ct_merge(sum, t);
		ct_merge(sum, t);
		round_trip(t);
		round_trip(sum);
	}
	ct_free(t);
	ct_free(sum);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_opts o;
	struct dd_doc docs[MAX_RECORDS];
	struct buf text[MAX_RECORDS], out;
	struct ct *t;
	struct dd *d;
	size_t i, k, nrec = 0, from;
	unsigned pick;

	if (size == 0)
		return 0;
	if (rules == NULL) {
		rules = rl_new();
		rl_load(rules, RULES_PATH);
		model = cl_load(MODEL_PATH);
	}
	pick = data[0];
	data++;
	size--;
	if (pick & 128) {
		fuzz_table(data, size, (pick & 64) ? 2 : 1);
		return 0;
	}
	dd_opts_init(&o);
	o.site = (pick & 1) == 0;
	o.repeats = (pick & 2) == 0;
	o.min_docs = 2 + (pick >> 2 & 3);
	t = ct_new();
	d = dd_new(&o, t, (pick & 16) ? NULL : rules);
	dd_set_classifier(d, (pick & 32) ? model : NULL, (pick & 64) ? DD_SCOPE_ALL : DD_SCOPE_OUTSIDE);
	memset(docs, 0, sizeof docs);
	buf_init(&out);
	for (i = 0, from = 0; i <= size && nrec < MAX_RECORDS; i++) {
		if (i < size && data[i] != 0x1E)
			continue;
		buf_init(&text[nrec]);
		utf8_repair(&text[nrec], (const char *)data + from, i - from);
		dd_parse(d, &docs[nrec], text[nrec].data, text[nrec].len, 1, (uint64_t)nrec);
		dd_count(d, &docs[nrec]);
		nrec++;
		from = i + 1;
	}
	for (k = 0; k < nrec; k++) {
		dd_judge(d, &docs[k], text[k].data, text[k].len);
		check(&docs[k], text[k].data, text[k].len, &out);
		buf_reset(&out);
		dd_mark(d, &docs[k], &out);
		if (!utf8_valid(out.data, out.len) || out.data[0] != '[' || out.data[out.len - 1] != ']')
			abort();
	}
	for (k = 0; k < nrec; k++) {
		dd_doc_release(&docs[k]);
		buf_release(&text[k]);
	}
	buf_release(&out);
	dd_free(d);
	ct_free(t);
	return 0;
}
