/*
 * libFuzzer target for winnow-ingest's text path: whatever the bytes,
 * legacy_decode gives valid UTF-8, and html_text keeps it valid and
 * keeps its promise about lines: none empty, none starting or ending in
 * a space, no runs of spaces, no other white space than a space and the
 * line ends between lines.
 */
#include "compat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "legacy.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
lines_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 1;
	if (s[0] == ' ' || s[0] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\n')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '\t' || s[i] == '\r' || s[i] == '\f')
			return 0;
		if (i + 1 < n && (s[i] == ' ' || s[i] == '\n') && (s[i + 1] == ' ' || s[i + 1] == '\n'))
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf decoded = BUF_INIT, text = BUF_INIT, url = BUF_INIT;
	struct legacy_counts c = { 0, 0 };

	legacy_decode(&decoded, (const char *)data, size, 1, &c);
	if (!utf8_valid(decoded.data, decoded.len))
		abort();
	html_text(decoded.data, decoded.len, &text, &url);
	if (!utf8_valid(text.data, text.len) || !utf8_valid(url.data, url.len) ||
	    !lines_ok(text.data, text.len))
		abort();
	buf_release(&decoded);
	buf_release(&text);
	buf_release(&url);
	return 0;
}
