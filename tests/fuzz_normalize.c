/*
 * libFuzzer target for normalize's text path: whatever the bytes, tn_run
 * must not crash, must return valid UTF-8 in the form asked for (checked
 * with ICU directly, so the shortcut that skips ICU is checked too), and
 * must be idempotent.  The first input byte picks options, so the
 * optional steps are covered too.
 */
#include "compat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "textnorm.h"
#include "uni.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct uni *forms[2];

/* Is text[0..n) in the form of engine(pick)?  ICU decides. */
static int
in_form(unsigned pick, const char *text, size_t n)
{
	struct buf b = BUF_INIT;
	int ok;
	char err[256];
	int k = (pick & 4) != 0;

	if (forms[k] == NULL &&
	    (forms[k] = uni_open(k ? UNI_FORM_NFKC_CF : UNI_FORM_NFC, NULL, err, sizeof err)) == NULL)
		abort();
	ok = !uni_normalize(forms[k], text, n, &b) || (b.len == n && memcmp(b.data, text, n) == 0);
	buf_release(&b);
	return ok;
}

static struct tn *
engine(unsigned pick)
{
	static struct tn *cache[8];
	struct tn_opts o;
	char err[256];

	if (cache[pick])
		return cache[pick];
	tn_opts_init(&o);
	o.tags = pick & 1 ? TN_TAGS_ALL : TN_TAGS_KNOWN;
	o.quotes_ascii = o.dashes_ascii = (pick & 2) != 0;
	o.form = pick & 4 ? UNI_FORM_NFKC_CF : UNI_FORM_NFC;
	if ((cache[pick] = tn_new(&o, err, sizeof err)) == NULL)
		abort();
	return cache[pick];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tn *t;
	const char *out, *again;
	size_t outlen, againlen;
	char *copy;
	unsigned pick;

	if (size == 0)
		return 0;
	pick = data[0] & 7;
	t = engine(pick);
	data++;
	size--;
	if (!tn_run(t, (const char *)data, size, &out, &outlen)) {
		/* "Already clean" must really be clean. */
		if (!utf8_valid((const char *)data, size) || !in_form(pick, (const char *)data, size))
			abort();
		return 0;
	}
	if (!utf8_valid(out, outlen) || !in_form(pick, out, outlen))
		abort();
	/* out lives in t's buffers; run again on a copy of it. */
	copy = malloc(outlen + 1);
	memcpy(copy, out, outlen);
	if (tn_run(t, copy, outlen, &again, &againlen) &&
	    (againlen != outlen || memcmp(again, copy, outlen) != 0))
		abort();
	free(copy);
	return 0;
}
