/*
 * fuzz_json: a libFuzzer target for json_scan, json_unescape, json_escape
 * and utf8_repair (built by `make fuzz`; run by tests/t-fuzz-json.sh).
 *
 * For any input: nothing crashes or reads out of bounds (the sanitizers
 * watch), utf8_repair makes valid UTF-8 and leaves valid UTF-8 alone, and
 * an error's offset lies within the line.  For a line json_scan accepts,
 * every wanted string value is unescaped, repaired, escaped again and put
 * in {"text":<that>}: that line must scan as well formed, with no bad
 * UTF-8, and give back the same bytes.  Any broken property aborts, which
 * libFuzzer reports as a crash with the input saved.
 */
#include "compat.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { \
	if (!(c)) { \
		fprintf(stderr, "fuzz_json: %s:%d: check failed: %s\n", __FILE__, __LINE__, #c); \
		abort(); \
	} \
} while (0)

static const char *const keys[] = { "text", "title", "id", "t\xC3\xA9xt" };
#define NKEYS ((int)(sizeof keys / sizeof keys[0]))

static void
check_repair(struct buf *b, const char *p, size_t n)
{
	buf_reset(b);
	utf8_repair(b, p, n);
	CHECK(utf8_valid(b->data, b->len));
	CHECK(b->len >= utf8_valid_prefix(p, n));
	if (utf8_valid(p, n))
		CHECK(b->len == n && (n == 0 || memcmp(b->data, p, n) == 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct buf text, fixed, line, back, tmp;
	/* A copy of exactly size bytes, so that ASan sees any read past it. */
	char *p = malloc(size ? size : 1);
	struct json_span sp[NKEYS], sp2[1];
	unsigned flags, flags2;
	const char *err = NULL;
	size_t off = 0;
	int k;

	if (p == NULL)
		return 0;
	if (size)
		memcpy(p, data, size);
	check_repair(&tmp, p, size);
	if (json_scan(p, size, keys, NKEYS, sp, &flags, &err, &off) != 0) {
		CHECK(err != NULL && off <= size);
		free(p);
		return 0;
	}
	for (k = 0; k < NKEYS; k++) {
		if (sp[k].kind == JSON_ABSENT)
			continue;
		CHECK(sp[k].start < sp[k].end && sp[k].end <= size);
		if (sp[k].kind != JSON_STRING) {
			CHECK(p[sp[k].start] != '"');
			continue;
		}
		CHECK(p[sp[k].start] == '"' && p[sp[k].end - 1] == '"');
		CHECK((sp[k].flags & ~flags) == 0);
		CHECK(!(sp[k].flags & JSON_F_BADUTF8) || (sp[k].flags & JSON_F_NONASCII));
		buf_reset(&text);
		json_unescape(&text, p + sp[k].start, sp[k].end - sp[k].start);
		CHECK(text.data[text.len] == '\0');
		if (!(sp[k].flags & JSON_F_ESCAPES))	/* nothing to unescape */
			CHECK(text.len == sp[k].end - sp[k].start - 2 &&
			    memcmp(text.data, p + sp[k].start + 1, text.len) == 0);
		/* Bad UTF-8 can come only from raw bytes, never from escapes. */
		if (!(sp[k].flags & JSON_F_BADUTF8))
			CHECK(utf8_valid(text.data, text.len));
		buf_reset(&fixed);
		utf8_repair(&fixed, text.data, text.len);
		CHECK(utf8_valid(fixed.data, fixed.len));

		buf_reset(&line);
		buf_adds(&line, "{\"text\":");
		json_escape(&line, fixed.data, fixed.len);
		buf_addc(&line, '}');
		CHECK(json_scan(line.data, line.len, keys, 1, sp2, &flags2, &err, &off) == 0);
		CHECK(sp2[0].kind == JSON_STRING && sp2[0].start == 8 && sp2[0].end == line.len - 1);
		CHECK(!(flags2 & JSON_F_BADUTF8));
		buf_reset(&back);
		json_unescape(&back, line.data + sp2[0].start, sp2[0].end - sp2[0].start);
		CHECK(back.len == fixed.len && memcmp(back.data, fixed.data, fixed.len) == 0);
	}
	free(p);
	return 0;
}
