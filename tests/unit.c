/*
 * unit: C unit tests of the winnow library (buf, utf8, json, zio, msg).
 *
 * Each test function checks one thing with ASSERT; the first failed
 * ASSERT ends the function.  main() runs every function and prints one
 * line per function, "ok unit/NAME" or "FAIL unit/NAME: file:line: what",
 * and exits 0 when all passed, else 1.  Everything is deterministic: the
 * random tests use a fixed seed.
 */
/* F_GETPIPE_SZ is a Linux interface, declared only for _GNU_SOURCE. */
#define _GNU_SOURCE
#include "compat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "afile.h"
#include "buf.h"
#include "htmlent.h"
#include "json.h"
#include "msg.h"
#include "rec.h"
#include "rx.h"
#include "utf8.h"
#include "zio.h"
#include "rng.h"
#include "utf8model.h"

/* ---- the test helper ---- */

static int failed;	/* the current test has failed */
static char failure[2048];

static void fail_at(const char *file, int line, const char *fmt, ...) WN_PRINTF(3, 4);

static void
fail_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (failed)
		return;
	failed = 1;
	n = snprintf(failure, sizeof failure, "%s:%d: ", file, line);
	va_start(ap, fmt);
	vsnprintf(failure + n, sizeof failure - (size_t)n, fmt, ap);
	va_end(ap);
}

#define ASSERT(c) do { \
	if (!(c)) { fail_at(__FILE__, __LINE__, "%s", #c); return; } \
} while (0)
#define ASSERT_MSG(c, ...) do { \
	if (!(c)) { fail_at(__FILE__, __LINE__, __VA_ARGS__); return; } \
} while (0)
/* got[0..gotlen) must equal want[0..wantlen); label names the case. */
#define ASSERT_BYTES(label, got, gotlen, want, wantlen) do { \
	if ((gotlen) != (wantlen) || memcmp((got), (want), (wantlen)) != 0) { \
		fail_at(__FILE__, __LINE__, "%s: got \"%s\", want \"%s\"", (label), \
		    show((got), (gotlen)), show((want), (wantlen))); \
		return; \
	} \
} while (0)

/* p[0..n) as a C string literal body (at most ~200 bytes shown); four
 * rotating buffers so that one message can show several. */
static const char *
show(const void *vp, size_t n)
{
	static char bufs[4][1024];
	static int next;
	const unsigned char *p = vp;
	char *out = bufs[next++ & 3], *o = out;
	size_t i;

	for (i = 0; i < n && o < out + 900; i++) {
		if (p[i] == '\\' || p[i] == '"')
			o += sprintf(o, "\\%c", p[i]);
		else if (p[i] >= 0x20 && p[i] < 0x7f)
			*o++ = (char)p[i];
		else
			o += sprintf(o, "\\x%02X", p[i]);
	}
	if (i < n)
		o += sprintf(o, "...(%zu bytes)", n);
	*o = '\0';
	return out;
}


#define REPL "\xEF\xBF\xBD"	/* U+FFFD in UTF-8 */
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- utf8 ---- */

static void
test_utf8_decode_valid(void)
{
	static const struct { const char *s; size_t n; uint32_t cp; } t[] = {
		{ "\x00", 1, 0 }, { "A", 1, 0x41 }, { "\x7F", 1, 0x7F },
		{ "\xC2\x80", 2, 0x80 }, { "\xC3\xA9", 2, 0xE9 }, { "\xDF\xBF", 2, 0x7FF },
		{ "\xE0\xA0\x80", 3, 0x800 }, { "\xE2\x82\xAC", 3, 0x20AC },
		{ "\xED\x9F\xBF", 3, 0xD7FF }, { "\xEE\x80\x80", 3, 0xE000 },
		{ "\xE2\x80\xA8", 3, 0x2028 }, { "\xEF\xBB\xBF", 3, 0xFEFF },
		{ "\xEF\xBF\xBF", 3, 0xFFFF }, { "\xF0\x90\x80\x80", 4, 0x10000 },
		{ "\xF0\x9F\x98\x80", 4, 0x1F600 }, { "\xF4\x8F\xBF\xBF", 4, 0x10FFFF },
	};
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		uint32_t cp = 0xDEAD;
		unsigned char b[8];
		int len;

		/* Followed by more bytes, and alone: the length must not depend on them. */
		memcpy(b, t[i].s, t[i].n);
		memcpy(b + t[i].n, "\x80\x80\x80\x80", 4);
		len = utf8_decode(b, t[i].n + 4, &cp);
		ASSERT_MSG(len == (int)t[i].n && cp == t[i].cp, "\"%s\": length %d, U+%04X",
		    show(t[i].s, t[i].n), len, (unsigned)cp);
		len = utf8_decode(b, t[i].n, &cp);
		ASSERT_MSG(len == (int)t[i].n && cp == t[i].cp, "\"%s\" alone: length %d",
		    show(t[i].s, t[i].n), len);
		ASSERT_MSG(utf8_valid(t[i].s, t[i].n), "\"%s\" not valid", show(t[i].s, t[i].n));
	}
}

static void
test_utf8_decode_invalid(void)
{
	static const struct { const char *s; size_t n; } t[] = {
		{ "\xC0\x80", 2 }, { "\xC1\xBF", 2 },	/* overlong 2-byte */
		{ "\xE0\x80\x80", 3 }, { "\xE0\x9F\xBF", 3 },	/* overlong 3-byte */
		{ "\xF0\x80\x80\x80", 4 }, { "\xF0\x8F\xBF\xBF", 4 },	/* overlong 4-byte */
		{ "\xED\xA0\x80", 3 }, { "\xED\xBF\xBF", 3 }, { "\xED\xB0\x80", 3 },	/* surrogates */
		{ "\xF4\x90\x80\x80", 4 }, { "\xF7\xBF\xBF\xBF", 4 },	/* above U+10FFFF */
		{ "\xF5\x80\x80\x80", 4 }, { "\xF8\x88\x80\x80\x80", 5 }, { "\xFF", 1 }, { "\xFE", 1 },
		{ "\x80", 1 }, { "\xBF", 1 }, { "\x80\x80", 2 },	/* lone continuation bytes */
		{ "\xC2", 1 }, { "\xE2\x82", 2 }, { "\xF0\x9F\x98", 3 },	/* truncated */
		{ "\xC2\x41", 2 }, { "\xE2\x82\x41", 3 }, { "\xF0\x9F\x98\x41", 4 },	/* cut short */
		{ "\xE2\xC2\xA9", 3 }, { "\xC3\xC3", 2 },
	};
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		uint32_t cp;

		ASSERT_MSG(utf8_decode((const unsigned char *)t[i].s, t[i].n, &cp) == 0,
		    "\"%s\" decoded as U+%04X", show(t[i].s, t[i].n), (unsigned)cp);
		ASSERT_MSG(utf8_valid_prefix(t[i].s, t[i].n) == 0, "\"%s\": valid prefix %zu",
		    show(t[i].s, t[i].n), utf8_valid_prefix(t[i].s, t[i].n));
	}
}

static void
test_utf8_bad_len(void)
{
	static const struct { const char *s; size_t n, want; } t[] = {
		{ "\xC0\x80", 2, 1 }, { "\xE0\x80\x80", 3, 1 }, { "\xED\xA0\x80", 3, 1 },
		{ "\xF4\x90\x80\x80", 4, 1 }, { "\xF0\x80\x80", 3, 1 },
		{ "\xF1\x80\x80", 3, 3 },	/* a prefix of U+40000..: one unit */
		{ "\xF1\x80\x80\x41", 4, 3 }, { "\xE2\x82", 2, 2 }, { "\xE2\x82\x41", 3, 2 },
		{ "\xF0\x9F\x98", 3, 3 }, { "\xF0\x9F\x41", 3, 2 }, { "\xF4\x8F\xBF", 3, 3 },
		{ "\xE0\xA0", 2, 2 }, { "\xED\x9F", 2, 2 }, { "\xF0\x90", 2, 2 },
		{ "\x80", 1, 1 }, { "\xBF\xBF", 2, 1 }, { "\xFF", 1, 1 }, { "\xC2", 1, 1 },
		{ "\xC2\x41", 2, 1 }, { "\xC2\xC2\x80", 3, 1 }, { "\xE2\x82\xE2", 3, 2 },
	};
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		size_t got = utf8_bad_len((const unsigned char *)t[i].s, t[i].n);

		ASSERT_MSG(got == t[i].want, "\"%s\": %zu, want %zu", show(t[i].s, t[i].n), got,
		    t[i].want);
	}
}

/* Every 1-, 2- and 3-byte sequence and every 4-byte one with a lead byte
 * F0..F4 or F5: decode and bad_len agree with the model above. */
static void
test_utf8_exhaustive(void)
{
	unsigned char p[4];
	uint32_t a, cp;
	int len;

	for (a = 0; a < (1u << 24); a++) {
		size_t n, mlen;

		p[0] = (unsigned char)(a >> 16);
		p[1] = (unsigned char)(a >> 8);
		p[2] = (unsigned char)a;
		for (n = 1; n <= 3; n++) {
			if ((n == 1 && (a & 0xFFFF)) || (n == 2 && (a & 0xFF)))
				continue;
			mlen = (size_t)model_len(p[0]);
			len = utf8_decode(p, n, &cp);
			if (mlen >= 1 && mlen <= n && model_prefix(p, mlen)) {
				char enc[4];

				ASSERT_MSG(len == (int)mlen, "\"%s\" (n=%zu): length %d, want %zu",
				    show(p, n), n, len, mlen);
				ASSERT_MSG(utf8_encode(enc, cp) == len && memcmp(enc, p, mlen) == 0,
				    "\"%s\" decoded to U+%04X, which encodes otherwise", show(p, n),
				    (unsigned)cp);
			} else {
				size_t want = model_bad_len(p, n), got;

				ASSERT_MSG(len == 0, "\"%s\" (n=%zu) decoded, length %d", show(p, n), n, len);
				got = utf8_bad_len(p, n);
				ASSERT_MSG(got == want, "\"%s\" (n=%zu): bad_len %zu, want %zu", show(p, n),
				    n, got, want);
			}
		}
	}
	for (a = 0; a < 6u * 256 * 256; a++) {
		static const unsigned char fourth[] = { 0x80, 0xBF, 0x41, 0xC0 };
		size_t k;

		p[0] = (unsigned char)(0xF0 + a / 65536);
		p[1] = (unsigned char)(a >> 8);
		p[2] = (unsigned char)a;
		for (k = 0; k < NELEM(fourth); k++) {
			int ok;

			p[3] = fourth[k];
			ok = model_prefix(p, 4) && model_len(p[0]) == 4;
			len = utf8_decode(p, 4, &cp);
			ASSERT_MSG(ok ? len == 4 : len == 0, "\"%s\": length %d", show(p, 4), len);
			if (!ok)
				ASSERT_MSG(utf8_bad_len(p, 4) == model_bad_len(p, 4),
				    "\"%s\": bad_len %zu, want %zu", show(p, 4), utf8_bad_len(p, 4),
				    model_bad_len(p, 4));
		}
	}
}

static void
test_utf8_encode_roundtrip(void)
{
	uint32_t cp, got;
	char b[4];

	for (cp = 0; cp <= 0x10FFFF; cp++) {
		int want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4, len;

		if (cp == 0xD800)
			cp = 0xE000;
		len = utf8_encode(b, cp);
		ASSERT_MSG(len == want, "U+%04X: length %d, want %d", (unsigned)cp, len, want);
		ASSERT_MSG(utf8_decode((const unsigned char *)b, (size_t)len, &got) == len && got == cp,
		    "U+%04X does not decode back", (unsigned)cp);
		ASSERT_MSG(utf8_valid_prefix(b, (size_t)len) == (size_t)len, "U+%04X not valid",
		    (unsigned)cp);
	}
	/* What utf8_encode makes of a surrogate is refused by the decoder. */
	for (cp = 0xD800; cp <= 0xDFFF; cp++) {
		int len = utf8_encode(b, cp);

		ASSERT_MSG(len == 3 && utf8_decode((const unsigned char *)b, 3, &got) == 0,
		    "surrogate U+%04X accepted", (unsigned)cp);
	}
}

static void
test_utf8_valid_prefix(void)
{
	char s[64];
	size_t pos, len;

	ASSERT(utf8_valid_prefix("", 0) == 0);
	ASSERT(utf8_valid_prefix("abc\xFF" "def", 7) == 3);
	ASSERT(utf8_valid_prefix("abcdefgh\xE2\x82", 10) == 8);
	ASSERT(utf8_valid_prefix("abcdefg\xE2\x82\xAC" "hijklmnop", 19) == 19);
	ASSERT(utf8_valid_prefix("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3", 9) == 8);
	/* A bad byte at every place of an ASCII run (the 8-byte fast path). */
	for (len = 1; len <= 40; len++)
		for (pos = 0; pos < len; pos++) {
			memset(s, 'a', len);
			s[pos] = (char)0x80;
			ASSERT_MSG(utf8_valid_prefix(s, len) == pos, "len %zu, bad at %zu: %zu", len, pos,
			    utf8_valid_prefix(s, len));
			s[pos] = 'a';
			ASSERT(utf8_valid_prefix(s, len) == len);
		}
	/* A 4-byte character at every alignment, then cut at every length. */
	for (pos = 0; pos < 12; pos++) {
		memset(s, 'x', 20);
		memcpy(s + pos, "\xF0\x9F\x98\x80", 4);
		ASSERT(utf8_valid_prefix(s, 20) == 20);
		for (len = pos + 1; len < pos + 4; len++)
			ASSERT_MSG(utf8_valid_prefix(s, len) == pos, "cut at %zu: %zu", len,
			    utf8_valid_prefix(s, len));
	}
}

static void
test_utf8_repair(void)
{
	static const struct { const char *in; size_t n; const char *want; } t[] = {
		{ "", 0, "" },
		{ "plain ascii", 11, "plain ascii" },
		{ "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 9, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" },
		{ "a\xFF" "b", 3, "a" REPL "b" },
		{ "\xC0\x80", 2, REPL REPL },
		{ "\xE0\x80\x80", 3, REPL REPL REPL },
		{ "\xED\xA0\x80", 3, REPL REPL REPL },
		{ "\xF4\x90\x80\x80", 4, REPL REPL REPL REPL },
		{ "\xF0\x80\x80", 3, REPL REPL REPL },
		{ "\xF1\x80\x80", 3, REPL },
		{ "x\xE2\x82", 3, "x" REPL },
		{ "\x80\x80\x80", 3, REPL REPL REPL },
		/* The examples of the Unicode Standard, tables 3-8 to 3-12. */
		{ "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", 13,
		    "a" REPL REPL REPL "b" REPL "c" REPL REPL "d" },
		{ "\xC0\xAF\xE0\x80\xBF\xF0\x81\x82\x41", 9,
		    REPL REPL REPL REPL REPL REPL REPL REPL "A" },
		{ "\xED\xA0\x80\xED\xBF\xBF\xED\xAF\x41", 9,
		    REPL REPL REPL REPL REPL REPL REPL REPL "A" },
		{ "\xF4\x91\x92\x93\xFF\x41\x80\xBF\x42", 9,
		    REPL REPL REPL REPL REPL "A" REPL REPL "B" },
		{ "\xE1\x80\xE2\xF0\x91\x92\xF1\xBF\x41", 9, REPL REPL REPL REPL "A" },
	};
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		struct buf b = BUF_INIT;

		buf_adds(&b, "<");	/* repair appends */
		utf8_repair(&b, t[i].in, t[i].n);
		ASSERT_MSG(b.len >= 1 && b.data[0] == '<', "case %zu lost the prefix", i);
		ASSERT_MSG(b.data[b.len] == '\0', "case %zu: no NUL after the data", i);
		ASSERT_BYTES(show(t[i].in, t[i].n), b.data + 1, b.len - 1, t[i].want, strlen(t[i].want));
		ASSERT(utf8_valid(b.data, b.len));
		buf_release(&b);
	}
}

/* Random byte strings: the repair is valid UTF-8, leaves valid input
 * alone, and agrees with a repair done with the model's maximal subparts. */
static void
test_utf8_repair_random(void)
{
	struct buf got = BUF_INIT, want = BUF_INIT;
	unsigned char s[32];
	int iter;

	for (iter = 0; iter < 200000; iter++) {
		size_t n = rnd(sizeof s + 1), i;

		for (i = 0; i < n; i++) {
			/* Mostly bytes of multi-byte sequences, to make near misses. */
			static const unsigned char pick[] = { 'a', 0x80, 0x9F, 0xA0, 0xBF, 0xC2, 0xC0,
				0xDF, 0xE0, 0xE1, 0xED, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF, 0x8F, 0x90 };

			s[i] = rnd(4) == 0 ? (unsigned char)rnd(256) : pick[rnd(NELEM(pick))];
		}
		buf_reset(&got);
		buf_reset(&want);
		utf8_repair(&got, (const char *)s, n);
		for (i = 0; i < n;) {
			int len = model_len(s[i]);

			if (len >= 1 && (size_t)len <= n - i && model_prefix(s + i, (size_t)len)) {
				buf_add(&want, s + i, (size_t)len);
				i += (size_t)len;
			} else {
				buf_adds(&want, REPL);
				i += model_bad_len(s + i, n - i);
			}
		}
		ASSERT_BYTES(show(s, n), got.data, got.len, want.data, want.len);
		ASSERT(utf8_valid(got.data, got.len));
		if (utf8_valid((const char *)s, n))
			ASSERT_BYTES(show(s, n), got.data, got.len, s, n);
	}
	buf_release(&got);
	buf_release(&want);
}

/* ---- buf ---- */

static void
test_buf(void)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	size_t i;

	ASSERT(a.data != NULL && a.data[0] == '\0' && a.len == 0 && a.cap == 0);
	buf_reset(&a);	/* harmless on an empty buffer */
	buf_add(&a, "", 0);
	ASSERT(a.data != NULL && a.len == 0 && a.data[0] == '\0');
	/* One byte at a time up to 1 MiB + 1: contents, NUL end, cap > len. */
	for (i = 0; i < (1u << 20) + 1; i++) {
		buf_addc(&a, 'a' + (int)(i % 26));
		if (a.cap <= a.len || a.data[a.len] != '\0')
			break;
	}
	ASSERT_MSG(i == (1u << 20) + 1, "stopped at %zu: len %zu cap %zu", i, a.len, a.cap);
	for (i = 0; i < a.len; i++)
		ASSERT_MSG(a.data[i] == 'a' + (int)(i % 26), "byte %zu wrong", i);
	/* One big add into an empty buffer, and adds of every size. */
	buf_release(&a);
	ASSERT(a.data != NULL && a.data[0] == '\0' && a.len == 0 && a.cap == 0);
	{
		char *big = xmalloc(3u << 20);

		memset(big, 'z', 3u << 20);
		buf_add(&a, big, 3u << 20);
		ASSERT(a.len == 3u << 20 && a.cap > a.len && a.data[a.len] == '\0');
		ASSERT(memcmp(a.data, big, a.len) == 0);
		free(big);
	}
	buf_reset(&a);
	ASSERT(a.len == 0 && a.data[0] == '\0');
	for (i = 0; i < 600; i++) {
		char chunk[600];

		memset(chunk, '0' + (int)(i % 10), i);
		buf_add(&b, chunk, i);
		ASSERT(b.cap > b.len && b.data[b.len] == '\0');
	}
	ASSERT(b.len == 600u * 599 / 2);
	/* grow reserves without changing the contents. */
	buf_reset(&a);
	buf_adds(&a, "keep");
	buf_grow(&a, 10000);
	ASSERT(a.len == 4 && a.cap >= 4 + 10000 + 1 && memcmp(a.data, "keep", 5) == 0);
	buf_swap(&a, &b);
	ASSERT(b.len == 4 && strcmp(b.data, "keep") == 0 && a.len == 600u * 599 / 2);
	buf_release(&a);
	buf_release(&b);
}

/* ---- json_scan ---- */

static int
scan(const char *line, size_t len, const char *const *keys, int nkeys, struct json_span *sp,
    unsigned *flags, const char **err, size_t *off)
{
	*err = NULL;
	*off = (size_t)-1;
	return json_scan(line, len, keys, nkeys, sp, flags, err, off);
}

#define SCAN_OK(line, keys, nkeys, sp, flags) do { \
	const char *err_; size_t off_; \
	if (scan((line), strlen(line), (keys), (nkeys), (sp), (flags), &err_, &off_) != 0) { \
		fail_at(__FILE__, __LINE__, "\"%s\" refused: %s at %zu", show((line), strlen(line)), \
		    err_, off_); \
		return; \
	} \
} while (0)

/* The span must cover exactly want (NULL: absent) with the given kind. */
static int
span_is(const char *file, int line_no, const char *line, const struct json_span *sp,
    const char *want, enum json_kind kind)
{
	if (want == NULL) {
		if (sp->kind != JSON_ABSENT)
			fail_at(file, line_no, "%s: span kind %d, want absent", line, (int)sp->kind);
		return sp->kind == JSON_ABSENT;
	}
	if (sp->kind != kind || sp->start > sp->end || sp->end > strlen(line) ||
	    sp->end - sp->start != strlen(want) || memcmp(line + sp->start, want, strlen(want)) != 0) {
		fail_at(file, line_no, "%s: span kind %d [%zu, %zu), want kind %d \"%s\"", line,
		    (int)sp->kind, sp->start, sp->end, (int)kind, show(want, strlen(want)));
		return 0;
	}
	return 1;
}

#define ASSERT_SPAN(line, sp, want, kind) do { \
	if (!span_is(__FILE__, __LINE__, (line), &(sp), (want), (kind))) \
		return; \
} while (0)

static void
test_json_spans(void)
{
	static const char line[] = " {\"id\":12, \"text\" : \"hello\",\"title\":\"T\","
	    "\"meta\":{\"a\":[1,2,{\"b\":null}],\"text\":\"inner\"},\"list\":[],"
	    "\"n\":-1.5e+3,\"t\":true,\"f\":false,\"z\":null,\"o\":{},\"big\":123456789012345678901234567890} ";
	static const char *const keys[] = { "text", "id", "meta", "list", "n", "t", "f", "z",
		"missing", "o", "big", "title" };
	struct json_span sp[NELEM(keys)];
	unsigned flags = 99;

	SCAN_OK(line, keys, (int)NELEM(keys), sp, &flags);
	ASSERT(flags == 0);
	ASSERT_SPAN(line, sp[0], "\"hello\"", JSON_STRING);
	ASSERT(sp[0].flags == 0);
	ASSERT_SPAN(line, sp[1], "12", JSON_OTHER);
	ASSERT_SPAN(line, sp[2], "{\"a\":[1,2,{\"b\":null}],\"text\":\"inner\"}", JSON_OTHER);
	ASSERT_SPAN(line, sp[3], "[]", JSON_OTHER);
	ASSERT_SPAN(line, sp[4], "-1.5e+3", JSON_OTHER);
	ASSERT_SPAN(line, sp[5], "true", JSON_OTHER);
	ASSERT_SPAN(line, sp[6], "false", JSON_OTHER);
	ASSERT_SPAN(line, sp[7], "null", JSON_OTHER);
	ASSERT_SPAN(line, sp[8], NULL, JSON_ABSENT);
	ASSERT_SPAN(line, sp[9], "{}", JSON_OTHER);
	ASSERT_SPAN(line, sp[10], "123456789012345678901234567890", JSON_OTHER);
	ASSERT_SPAN(line, sp[11], "\"T\"", JSON_STRING);

	/* No keys wanted at all, and a key wanted from an empty object. */
	{
		static const char *const one[] = { "text" };
		struct json_span s1[1];

		SCAN_OK("{}", one, 0, s1, &flags);
		SCAN_OK("{ }", one, 1, s1, &flags);
		ASSERT_SPAN("{ }", s1[0], NULL, JSON_ABSENT);
		/* A container value that is the last member, with blanks around. */
		SCAN_OK("{\"text\": [ [ ] , { } ] }", one, 1, s1, &flags);
		ASSERT_SPAN("{\"text\": [ [ ] , { } ] }", s1[0], "[ [ ] , { } ]", JSON_OTHER);
	}
}

static void
test_json_keys(void)
{
	static const char *const keys[] = { "text" };
	static const struct { const char *line, *want; enum json_kind kind; } t[] = {
		/* The last duplicate wins, whatever the kinds. */
		{ "{\"text\":\"a\",\"x\":1,\"text\":\"b\"}", "\"b\"", JSON_STRING },
		{ "{\"text\":\"a\",\"text\":{\"x\":[1]}}", "{\"x\":[1]}", JSON_OTHER },
		{ "{\"text\":[1,[2]],\"text\":\"c\"}", "\"c\"", JSON_STRING },
		{ "{\"text\":{},\"text\":[],\"y\":{\"z\":{}}}", "[]", JSON_OTHER },
		{ "{\"text\":1,\"text\":2,\"text\":3}", "3", JSON_OTHER },
		/* Keys are compared after unescaping. */
		{ "{\"t\\u0065xt\":\"v\"}", "\"v\"", JSON_STRING },
		{ "{\"\\u0074\\u0065\\u0078\\u0074\":\"v\"}", "\"v\"", JSON_STRING },
		{ "{\"text\":\"a\",\"t\\u0065xt\":\"b\"}", "\"b\"", JSON_STRING },
		{ "{\"t\\u0065xt\":\"a\",\"text\":\"b\"}", "\"b\"", JSON_STRING },
		/* Keys that only look alike, and keys below the top level. */
		{ "{\"Text\":\"a\"}", NULL, JSON_ABSENT },
		{ "{\"text \":\"a\"}", NULL, JSON_ABSENT },
		{ "{\"tex\":\"a\"}", NULL, JSON_ABSENT },
		{ "{\"texts\":\"a\"}", NULL, JSON_ABSENT },
		{ "{\"text\\u0000\":\"a\"}", NULL, JSON_ABSENT },
		{ "{\"te\\\"xt\":\"a\"}", NULL, JSON_ABSENT },
		{ "{\"a\":{\"text\":\"no\"}}", NULL, JSON_ABSENT },
		{ "{\"a\":[{\"text\":\"no\"}]}", NULL, JSON_ABSENT },
		{ "{\"a\":{\"text\":\"no\"},\"text\":\"yes\"}", "\"yes\"", JSON_STRING },
		{ "{\"text\":\"yes\",\"a\":{\"text\":\"no\"}}", "\"yes\"", JSON_STRING },
		{ "{\"text\":{\"text\":\"no\"}}", "{\"text\":\"no\"}", JSON_OTHER },
		/* A string value that holds key-like text. */
		{ "{\"x\":\"\\\"text\\\":1\",\"text\":\"v\"}", "\"v\"", JSON_STRING },
		{ "{\"x\":\"text\",\"y\":\"text\"}", NULL, JSON_ABSENT },
	};
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		struct json_span sp[1];
		unsigned flags;

		SCAN_OK(t[i].line, keys, 1, sp, &flags);
		ASSERT_MSG(t[i].want ? sp[0].kind == t[i].kind : sp[0].kind == JSON_ABSENT,
		    "%s: kind %d", t[i].line, (int)sp[0].kind);
		if (t[i].want)
			ASSERT_BYTES(t[i].line, t[i].line + sp[0].start, sp[0].end - sp[0].start,
			    t[i].want, strlen(t[i].want));
	}
	/* An escaped key whose name is wanted under another spelling. */
	{
		static const char *const k2[] = { "a/b", "\xC3\xA9" };
		static const char line[] = "{\"a\\/b\":1,\"\\u00e9\":2}";
		struct json_span sp[2];
		unsigned flags;

		SCAN_OK(line, k2, 2, sp, &flags);
		ASSERT_SPAN(line, sp[0], "1", JSON_OTHER);
		ASSERT_SPAN(line, sp[1], "2", JSON_OTHER);
	}
}

/* json.h: "For each keys[i] fill spans[i]" -- also when a caller asks for
 * the same key twice (a filter's extra field named like the -f field). */
static void
test_json_same_key_twice(void)
{
	static const char *const keys[] = { "text", "title", "text" };
	static const char line[] = "{\"title\":\"T\",\"text\":\"x\"}";
	struct json_span sp[3];
	unsigned flags;

	SCAN_OK(line, keys, 3, sp, &flags);
	ASSERT_SPAN(line, sp[0], "\"x\"", JSON_STRING);
	ASSERT_SPAN(line, sp[1], "\"T\"", JSON_STRING);
	ASSERT_SPAN(line, sp[2], "\"x\"", JSON_STRING);
}

static void
test_json_flags(void)
{
	static const char *const keys[] = { "text", "x" };
	static const struct { const char *line; unsigned span, all; } t[] = {
		{ "{\"text\":\"plain\"}", 0, 0 },
		{ "{\"text\":\"a\\nb\"}", JSON_F_ESCAPES, JSON_F_ESCAPES },
		{ "{\"text\":\"\\u00e9\"}", JSON_F_ESCAPES, JSON_F_ESCAPES },
		{ "{\"text\":\"\xC3\xA9\"}", JSON_F_NONASCII, JSON_F_NONASCII },
		{ "{\"text\":\"\xF0\x9F\x98\x80\"}", JSON_F_NONASCII, JSON_F_NONASCII },
		{ "{\"text\":\"a\xFF" "b\"}", JSON_F_NONASCII | JSON_F_BADUTF8,
		    JSON_F_NONASCII | JSON_F_BADUTF8 },
		{ "{\"text\":\"\xED\xA0\x80\"}", JSON_F_NONASCII | JSON_F_BADUTF8,
		    JSON_F_NONASCII | JSON_F_BADUTF8 },
		{ "{\"text\":\"\xC0\x80\\n\"}", JSON_F_NONASCII | JSON_F_BADUTF8 | JSON_F_ESCAPES,
		    JSON_F_NONASCII | JSON_F_BADUTF8 | JSON_F_ESCAPES },
		{ "{\"text\":\"x\xE2\x82\"}", JSON_F_NONASCII | JSON_F_BADUTF8,
		    JSON_F_NONASCII | JSON_F_BADUTF8 },
		/* Flags of other strings and of keys count for the line only. */
		{ "{\"text\":\"a\",\"y\":\"\xFF\"}", 0, JSON_F_NONASCII | JSON_F_BADUTF8 },
		{ "{\"y\":\"\\t\",\"text\":\"a\"}", 0, JSON_F_ESCAPES },
		{ "{\"t\\u0065xt\":\"a\"}", 0, JSON_F_ESCAPES },
		{ "{\"\xC3\xA9\":1,\"text\":\"a\"}", 0, JSON_F_NONASCII },
		{ "{\"a\":[\"\xFF\"],\"text\":\"a\"}", 0, JSON_F_NONASCII | JSON_F_BADUTF8 },
		{ "{\"a\":{\"k\\\"\":\"\"},\"text\":\"a\"}", 0, JSON_F_ESCAPES },
		/* DEL and U+2028 are not escapes and not controls. */
		{ "{\"text\":\"\x7F\"}", 0, 0 },
		{ "{\"text\":\"\xE2\x80\xA8\"}", JSON_F_NONASCII, JSON_F_NONASCII },
	};
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		struct json_span sp[2];
		unsigned flags = 0xF0;

		SCAN_OK(t[i].line, keys, 2, sp, &flags);
		ASSERT_MSG(sp[0].kind == JSON_STRING && sp[0].flags == t[i].span,
		    "%s: span flags %u, want %u", show(t[i].line, strlen(t[i].line)), sp[0].flags,
		    t[i].span);
		ASSERT_MSG(flags == t[i].all, "%s: line flags %u, want %u",
		    show(t[i].line, strlen(t[i].line)), flags, t[i].all);
	}
}

static void
test_json_errors(void)
{
	static const struct { const char *line; size_t len; const char *err; size_t off; } t[] = {
#define E(s, err, off) { s, sizeof(s) - 1, err, off }
		E("", "empty record", 0),
		E("   ", "empty record", 3),
		E("[1]", "record is not a JSON object", 0),
		E("\"text\"", "record is not a JSON object", 0),
		E("\xEF\xBB\xBF{}", "record is not a JSON object", 0),
		E("{", "expected a string key", 1),
		E("{\"a\"}", "expected ':' after key", 4),
		E("{\"a\" 1}", "expected ':' after key", 5),
		E("{\"a\":", "unexpected end of record", 5),
		E("{\"a\":1", "unexpected end of record", 6),
		E("{\"a\":\"x\"", "unexpected end of record", 8),
		E("{\"a\":1,}", "expected a string key", 7),
		E("{'a':1}", "expected a string key", 1),
		E("{a:1}", "expected a string key", 1),
		E("{\"a\":1,/*c*/\"b\":2}", "expected a string key", 7),
		E("{\"a\":1 \"b\":2}", "expected ',' or '}'", 7),
		E("{\"a\":[1 2]}", "expected ',' or ']'", 8),
		E("{\"a\":1]", "expected ',' or '}'", 6),
		E("{\"a\":{]}", "expected a string key", 6),
		E("{\"a\":\"b", "unterminated string", 7),
		E("{\"a\":\"\\", "unterminated string", 6),
		E("{\"a\":\"\\x\"}", "bad escape in string", 6),
		E("{\"a\":\"\\U0041\"}", "bad escape in string", 6),
		E("{\"a\":\"\\u12G4\"}", "bad \\u escape", 6),
		E("{\"a\":\"\\u12\"}", "bad \\u escape", 6),
		E("{\"a\":\"\\u12", "bad \\u escape", 6),
		E("{\"a\":\"x\ty\"}", "control character in string", 7),
		E("{\"a\":\"x\0y\"}", "control character in string", 7),
		E("{\"a\":\"\x1F\"}", "control character in string", 6),
		E("{\"a\":01}", "expected ',' or '}'", 6),
		E("{\"a\":-01}", "expected ',' or '}'", 7),
		E("{\"a\":0x10}", "expected ',' or '}'", 6),
		E("{\"a\":1.}", "bad number", 7),
		E("{\"a\":.5}", "bad number", 5),
		E("{\"a\":-}", "bad number", 6),
		E("{\"a\":+1}", "bad number", 5),
		E("{\"a\":1e}", "bad number", 7),
		E("{\"a\":1e+}", "bad number", 8),
		E("{\"a\":1.e5}", "bad number", 7),
		E("{\"a\":NaN}", "unexpected character", 5),
		E("{\"a\":tru}", "unexpected character", 5),
		E("{\"a\":nul}", "unexpected character", 5),
		E("{\"a\":fals}", "unexpected character", 5),
		E("{\"a\":trueish}", "expected ',' or '}'", 9),
		E("{\"a\":1}x", "trailing characters after the object", 7),
		E("{\"a\":1}{}", "trailing characters after the object", 7),
		E("{\"a\":1} \0", "trailing characters after the object", 8),
		E("{} ,", "trailing characters after the object", 3),
		E("{\f}", "expected a string key", 1),
		E("{\"a\":\xFF}", "unexpected character", 5),
#undef E
	};
	static const char *const keys[] = { "text" };
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		struct json_span sp[1];
		unsigned flags;
		const char *err;
		size_t off;
		int r = scan(t[i].line, t[i].len, keys, 1, sp, &flags, &err, &off);

		ASSERT_MSG(r == -1, "\"%s\" accepted", show(t[i].line, t[i].len));
		ASSERT_MSG(err != NULL && strcmp(err, t[i].err) == 0 && off == t[i].off,
		    "\"%s\": \"%s\" at %zu, want \"%s\" at %zu", show(t[i].line, t[i].len),
		    err ? err : "(null)", off, t[i].err, t[i].off);
	}
}

static void
test_json_accepts(void)
{
	static const struct { const char *line; size_t len; } t[] = {
#define A(s) { s, sizeof(s) - 1 }
		A("{}"), A(" \t\r\n{ \t\r\n} \t\r\n"),
		A("{\"a\":-0}"), A("{\"a\":0}"), A("{\"a\":-0.0e-0}"), A("{\"a\":1E400}"),
		A("{\"a\":0.5e-3}"), A("{\"a\":1e+2}"), A("{\"a\":123456789012345678901234567890}"),
		A("{\"a\":[true,false,null,\"\",{},[]]}"),
		A("{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\uFFFF\\uabcd\"}"),
		A("{\"a\":\"\\uD800\"}"), A("{\"a\":\"\\uDC00\\uD800\"}"), A("{\"a\":\"\\uDBFF\"}"),
		A("{\"\\uD800\":1}"),
		A("{\"a\":\"\xFF\xFE\xC0\x80\xED\xA0\x80\"}"),	/* raw invalid UTF-8 in a string */
		A("{\"a\":\"\x7F\"}"), A("{\"\":\"\"}"), A("{\"a\":1,\"a\":2}"),
		A("{\"a\"\t:\t1\r,\r\"b\"\n:\n2}"),
#undef A
	};
	static const char *const keys[] = { "a" };
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		struct json_span sp[1];
		unsigned flags;
		const char *err;
		size_t off;

		ASSERT_MSG(scan(t[i].line, t[i].len, keys, 1, sp, &flags, &err, &off) == 0,
		    "\"%s\" refused: %s at %zu", show(t[i].line, t[i].len), err, off);
	}
}

/* "{"a":" then depth-1 brackets of kind open, so that the line nests depth deep. */
static void
deep(struct buf *b, int depth, int objects)
{
	int i;

	buf_reset(b);
	buf_adds(b, "{\"a\":");
	for (i = 1; i < depth; i++)
		buf_adds(b, objects ? (i == depth - 1 ? "{" : "{\"a\":") : "[");
	for (i = 1; i < depth; i++)
		buf_addc(b, objects ? '}' : ']');
	buf_addc(b, '}');
}

static void
test_json_depth(void)
{
	static const char *const keys[] = { "a" };
	struct buf b = BUF_INIT;
	struct json_span sp[1];
	unsigned flags;
	const char *err;
	size_t off;
	int objects;

	for (objects = 0; objects <= 1; objects++) {
		deep(&b, JSON_MAX_DEPTH, objects);
		ASSERT_MSG(scan(b.data, b.len, keys, 1, sp, &flags, &err, &off) == 0,
		    "depth %d (%s) refused: %s at %zu", JSON_MAX_DEPTH, objects ? "objects" : "arrays",
		    err, off);
		ASSERT(sp[0].kind == JSON_OTHER && sp[0].start == 5 && sp[0].end == b.len - 1);
		deep(&b, JSON_MAX_DEPTH + 1, objects);
		ASSERT_MSG(scan(b.data, b.len, keys, 1, sp, &flags, &err, &off) == -1,
		    "depth %d accepted", JSON_MAX_DEPTH + 1);
		ASSERT_MSG(strcmp(err, "nesting too deep") == 0, "error \"%s\"", err);
		/* At the bracket that opens level JSON_MAX_DEPTH + 1. */
		ASSERT_MSG(b.data[off] == (objects ? '{' : '['), "offset %zu", off);
		ASSERT_MSG(objects || off == 5 + JSON_MAX_DEPTH - 1, "offset %zu", off);
	}
	/* Far deeper than the limit: refused, without overrunning anything. */
	buf_reset(&b);
	buf_adds(&b, "{\"a\":");
	for (off = 0; off < 100000; off++)
		buf_addc(&b, '[');
	ASSERT(scan(b.data, b.len, keys, 1, sp, &flags, &err, &off) == -1);
	ASSERT(strcmp(err, "nesting too deep") == 0);
	buf_release(&b);
}

/* ---- json_unescape and json_escape ---- */

static void
test_json_unescape(void)
{
	static const struct { const char *in; const char *want; size_t wlen; } t[] = {
#define U(in, want) { in, want, sizeof(want) - 1 }
		U("\"\"", ""),
		U("\"plain\"", "plain"),
		U("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t"),
		U("\"a\\u0000b\"", "a\0b"),
		U("\"\\u0041\\u00e9\\u00E9\\u20AC\\uFFFF\"", "A\xC3\xA9\xC3\xA9\xE2\x82\xAC\xEF\xBF\xBF"),
		U("\"\\u007f\\u0080\\u07FF\\u0800\"", "\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80"),
		U("\"\\uD83D\\uDE00\"", "\xF0\x9F\x98\x80"),
		U("\"\\ud83d\\ude00\"", "\xF0\x9F\x98\x80"),
		U("\"\\uD800\\uDC00\\uDBFF\\uDFFF\"", "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF"),
		/* Lone surrogates become U+FFFD, one each. */
		U("\"\\uD800\"", REPL),
		U("\"\\uDFFF\"", REPL),
		U("\"x\\uD83Dy\"", "x" REPL "y"),
		U("\"\\uDC00\\uD800\"", REPL REPL),
		U("\"\\uD800\\u0041\"", REPL "A"),
		U("\"\\uD800\\uD800\\uDC00\"", REPL "\xF0\x90\x80\x80"),
		U("\"\\uD83D\\\\uDE00\"", REPL "\\uDE00"),
		U("\"\\uD83D\\n\"", REPL "\n"),
		/* Raw bytes, valid or not, are copied as they are. */
		U("\"\xC3\xA9\xFF\\n\xE2\x82\"", "\xC3\xA9\xFF\n\xE2\x82"),
		U("\"\\\\u0041\"", "\\u0041"),
#undef U
	};
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		struct buf b = BUF_INIT;

		buf_adds(&b, "<");
		json_unescape(&b, t[i].in, strlen(t[i].in));
		ASSERT(b.data[b.len] == '\0');
		ASSERT_BYTES(t[i].in, b.data + 1, b.len - 1, t[i].want, t[i].wlen);
		buf_release(&b);
	}
}

static void
test_json_escape(void)
{
	static const struct { const char *in; size_t len; const char *want; } t[] = {
#define S(in, want) { in, sizeof(in) - 1, want }
		S("", "\"\""),
		S("plain", "\"plain\""),
		S("a\"b", "\"a\\\"b\""),
		S("a\\b", "\"a\\\\b\""),
		S("a/b</script>", "\"a/b</script>\""),
		S("\n\t\r\b\f", "\"\\n\\t\\r\\b\\f\""),
		S("\0", "\"\\u0000\""),
		S("\x01\x0B\x0E\x1B\x1F", "\"\\u0001\\u000b\\u000e\\u001b\\u001f\""),
		S("\x7F", "\"\x7F\""),
		S("\xC3\xA9\xE2\x80\xA8\xE2\x80\xA9\xEF\xBB\xBF\xF0\x9F\x98\x80",
		    "\"\xC3\xA9\xE2\x80\xA8\xE2\x80\xA9\xEF\xBB\xBF\xF0\x9F\x98\x80\""),
		S("\xC3\xA9\"\xC3\xA9\\\xC3\xA9\n", "\"\xC3\xA9\\\"\xC3\xA9\\\\\xC3\xA9\\n\""),
		/* Long enough for the 16-byte inner loop, with stops on both sides
		 * of its boundaries. */
		S("0123456789abcde\"0123456789abcdef\\0123456789abcd\xC3\xA9\n01234567",
		    "\"0123456789abcde\\\"0123456789abcdef\\\\0123456789abcd\xC3\xA9\\n01234567\""),
		S("\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\"x",
		    "\"\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\\\"x\""),
#undef S
	};
	size_t i;
	int c;

	for (i = 0; i < NELEM(t); i++) {
		struct buf b = BUF_INIT;

		buf_adds(&b, "<");
		json_escape(&b, t[i].in, t[i].len);
		ASSERT(b.data[b.len] == '\0');
		ASSERT_BYTES(show(t[i].in, t[i].len), b.data + 1, b.len - 1, t[i].want,
		    strlen(t[i].want));
		buf_release(&b);
	}
	/* Every ASCII character alone, and at every place of a 40-byte run. */
	for (c = 0; c < 128; c++) {
		struct buf b = BUF_INIT, w = BUF_INIT;
		char one = (char)c, run[40], esc[8];
		size_t pos;

		switch (c) {
		case '"': strcpy(esc, "\\\""); break;
		case '\\': strcpy(esc, "\\\\"); break;
		case '\b': strcpy(esc, "\\b"); break;
		case '\f': strcpy(esc, "\\f"); break;
		case '\n': strcpy(esc, "\\n"); break;
		case '\r': strcpy(esc, "\\r"); break;
		case '\t': strcpy(esc, "\\t"); break;
		default:
			if (c < 0x20)
				snprintf(esc, sizeof esc, "\\u%04x", c);
			else
				snprintf(esc, sizeof esc, "%c", c);
		}
		json_escape(&b, &one, 1);
		ASSERT_MSG(b.len == strlen(esc) + 2 && memcmp(b.data + 1, esc, strlen(esc)) == 0,
		    "0x%02X escaped as %s", c, show(b.data, b.len));
		for (pos = 0; pos < sizeof run; pos++) {
			memset(run, 'x', sizeof run);
			run[pos] = (char)c;
			buf_reset(&b);
			json_escape(&b, run, sizeof run);
			buf_reset(&w);
			buf_addc(&w, '"');
			buf_add(&w, run, pos);
			buf_adds(&w, esc);
			buf_add(&w, run + pos + 1, sizeof run - pos - 1);
			buf_addc(&w, '"');
			ASSERT_BYTES(show(run, sizeof run), b.data, b.len, w.data, w.len);
		}
		buf_release(&b);
		buf_release(&w);
	}
}

/* One random scalar value, weighted towards the interesting ones. */
static uint32_t
random_char(void)
{
	static const uint32_t special[] = { 0, '"', '\\', '/', '\b', '\f', '\n', '\r', '\t', 0x1F,
		0x7F, 0x80, 0x7FF, 0x800, 0x2028, 0x2029, 0xD7FF, 0xE000, 0xFEFF, 0xFFFD, 0xFFFF,
		0x10000, 0x1F600, 0x10FFFF };

	switch (rnd(6)) {
	case 0:
		return special[rnd(NELEM(special))];
	case 1:
		return rnd(0x20);
	case 2: {
		uint32_t cp = rnd(0x110000);

		return cp >= 0xD800 && cp <= 0xDFFF ? cp - 0x800 : cp;
	}
	case 3:
		return 0x80 + rnd(0xD800 - 0x80);
	default:
		return 0x20 + rnd(0x60);
	}
}

/* escape -> scan -> unescape gives back the string, for random valid UTF-8. */
static void
test_json_roundtrip(void)
{
	static const char *const keys[] = { "text" };
	struct buf s = BUF_INIT, line = BUF_INIT, back = BUF_INIT;
	int iter;

	for (iter = 0; iter < 30000; iter++) {
		size_t n = rnd(5) == 0 ? rnd(400) : rnd(40), i;
		struct json_span sp[1];
		unsigned flags;
		const char *err;
		size_t off;
		int has_escape = 0;

		buf_reset(&s);
		for (i = 0; i < n; i++) {
			uint32_t cp = random_char();

			has_escape |= cp < 0x20 || cp == '"' || cp == '\\';
			utf8_add(&s, cp);
		}
		ASSERT(utf8_valid(s.data, s.len));
		buf_reset(&line);
		buf_adds(&line, "{\"text\":");
		json_escape(&line, s.data, s.len);
		buf_addc(&line, '}');
		ASSERT_MSG(scan(line.data, line.len, keys, 1, sp, &flags, &err, &off) == 0,
		    "%s refused: %s at %zu", show(line.data, line.len), err, off);
		ASSERT(sp[0].kind == JSON_STRING && sp[0].start == 8 && sp[0].end == line.len - 1);
		ASSERT_MSG(!(flags & JSON_F_BADUTF8), "%s: BADUTF8", show(line.data, line.len));
		ASSERT_MSG(!!(flags & JSON_F_ESCAPES) == has_escape, "%s: escapes flag %u",
		    show(line.data, line.len), flags);
		/* Nothing but what JSON requires is escaped: no \/ and no \u
		 * except for control characters. */
		for (i = 8; i + 1 < line.len; i++)
			if (line.data[i] == '\\') {
				ASSERT_MSG(line.data[i + 1] != '/', "%s", show(line.data, line.len));
				if (line.data[i + 1] == 'u')
					ASSERT_MSG(memcmp(line.data + i + 2, "00", 2) == 0 &&
					    strchr("01", line.data[i + 4]) != NULL, "%s",
					    show(line.data, line.len));
				i++;
			}
		buf_reset(&back);
		json_unescape(&back, line.data + sp[0].start, sp[0].end - sp[0].start);
		ASSERT_BYTES("round trip", back.data, back.len, s.data, s.len);
	}
	buf_release(&s);
	buf_release(&line);
	buf_release(&back);
}

/* ---- zio ---- */

static char tmpdir[256];

static void
make_tmpdir(void)
{
	const char *base = getenv("T");

	if (base == NULL || *base == '\0')
		base = getenv("TMPDIR");
	if (base == NULL || *base == '\0')
		base = "/tmp";
	snprintf(tmpdir, sizeof tmpdir, "%s/unit.XXXXXX", base);
	if (mkdtemp(tmpdir) == NULL)
		tmpdir[0] = '\0';
}

/* Read everything from path through zin into b; the zin error or NULL. */
static const char *
zin_slurp(const char *path, struct buf *b, int *opened)
{
	struct zin *z = zin_open(path);
	const char *p, *err;
	size_t n;

	*opened = z != NULL;
	if (z == NULL)
		return NULL;
	while ((n = zin_read(z, &p)) > 0)
		buf_add(b, p, n);
	err = zin_error(z);
	zin_close(z);
	return err;
}

/* zout writes what it is given, plain, gzip at any level and with either
 * backend, or zstd, and zin reads it back: several MiB in uneven pieces. */
static void
test_zio_roundtrip(void)
{
	static const struct { enum zio_codec codec; int level; } outs[] = {
		{ ZIO_PLAIN, 0 }, { ZIO_GZIP, 1 }, { ZIO_GZIP, 3 }, { ZIO_GZIP, 6 },
		{ ZIO_GZIP, 9 }, { ZIO_ZSTD, 1 }, { ZIO_ZSTD, 19 }
	};
	static const char *const backends[] = { "zlib", "isal" };
	struct buf data = BUF_INIT, back = BUF_INIT;
	char path[320];
	size_t i, k, be;

	ASSERT_MSG(tmpdir[0] != '\0', "no scratch folder: %s", strerror(errno));
	while (data.len < (5u << 20) + 12345) {
		/* Text that compresses some, and runs of bytes that do not. */
		if (rnd(3) == 0)
			for (k = 0; k < 200; k++)
				buf_addc(&data, (int)rnd(256));
		else
			buf_adds(&data, "{\"text\":\"the quick brown fox\",\"n\":12345}\n");
	}
	for (be = 0; be < NELEM(backends); be++) {
		setenv("WINNOW_GZIP", backends[be], 1);
		for (k = 0; k < NELEM(outs); k++) {
			struct zout *z;
			const char *err;
			int opened;
			struct stat st;

			snprintf(path, sizeof path, "%s/out%zu", tmpdir, k);
			z = zout_open(path, outs[k].codec, outs[k].level);
			for (i = 0; i < data.len;) {
				size_t n = 1 + rnd(70000);

				if (n > data.len - i)
					n = data.len - i;
				zout_write(z, data.data + i, n);
				i += n;
			}
			ASSERT(zout_bytes(z) == data.len);
			zout_close(z, 1);
			ASSERT_MSG(stat(path, &st) == 0, "%s: %s", path, strerror(errno));
			ASSERT_MSG(outs[k].codec == ZIO_PLAIN ? (size_t)st.st_size == data.len :
			    (size_t)st.st_size < data.len, "output %zu: %lld bytes", k,
			    (long long)st.st_size);
			buf_reset(&back);
			err = zin_slurp(path, &back, &opened);
			ASSERT(opened);
			ASSERT_MSG(err == NULL, "%s output %zu: %s", backends[be], k, err);
			ASSERT_MSG(back.len == data.len && memcmp(back.data, data.data, data.len) == 0,
			    "%s output %zu: read back %zu bytes of %zu", backends[be], k,
			    back.len, data.len);
			unlink(path);
		}
	}
	unsetenv("WINNOW_GZIP");
	buf_release(&data);
	buf_release(&back);
}

static void
test_zio_errors(void)
{
	struct buf b = BUF_INIT;
	char path[320];
	int opened;
	FILE *f;

	ASSERT(tmpdir[0] != '\0');
	errno = 0;
	ASSERT(zin_open("/nonexistent/winnow/file") == NULL && errno == ENOENT);
	errno = 0;
	ASSERT(zin_open(tmpdir) == NULL && errno == EISDIR);
	/* An empty file and a one-byte file (shorter than the gzip magic). */
	snprintf(path, sizeof path, "%s/small", tmpdir);
	f = fopen(path, "w");
	ASSERT(f != NULL);
	fclose(f);
	ASSERT(zin_slurp(path, &b, &opened) == NULL && opened && b.len == 0);
	f = fopen(path, "w");
	ASSERT(f != NULL);
	fputc(0x1f, f);
	fclose(f);
	ASSERT(zin_slurp(path, &b, &opened) == NULL && opened && b.len == 1 &&
	    (unsigned char)b.data[0] == 0x1f);
	/* Only the gzip magic: a truncated gzip. */
	buf_reset(&b);
	f = fopen(path, "w");
	ASSERT(f != NULL);
	fputs("\x1f\x8b", f);
	fclose(f);
	{
		const char *err = zin_slurp(path, &b, &opened);

		ASSERT_MSG(err != NULL && strcmp(err, "truncated gzip input") == 0, "error %s",
		    err ? err : "(none)");
	}
	unlink(path);
	buf_release(&b);
}

/* Two afiles at once, one committed and one discarded: each ends as it
 * should, and no temporary name is left in the folder. */
static void
test_afile_two(void)
{
	char dir[320], a[400], b[400], got[16];
	struct af *fa, *fb;
	DIR *d;
	struct dirent *e;
	FILE *f;
	int n = 0;

	ASSERT(tmpdir[0] != '\0');
	snprintf(dir, sizeof dir, "%s/afile", tmpdir);
	ASSERT(mkdir(dir, 0700) == 0);
	snprintf(a, sizeof a, "%s/a", dir);
	snprintf(b, sizeof b, "%s/b", dir);
	f = fopen(b, "w");
	ASSERT(f != NULL && fputs("old", f) >= 0 && fclose(f) == 0);
	fa = af_open(a);
	fb = af_open(b);
	ASSERT(write(af_fd(fa), "new a", 5) == 5 && write(af_fd(fb), "new b", 5) == 5);
	ASSERT(af_target_exists(fb) && !af_target_exists(fa));
	af_commit(fa);
	af_discard(fb);
	f = fopen(a, "r");
	ASSERT(f != NULL && fread(got, 1, sizeof got, f) == 5 && memcmp(got, "new a", 5) == 0);
	fclose(f);
	f = fopen(b, "r");
	ASSERT(f != NULL && fread(got, 1, sizeof got, f) == 3 && memcmp(got, "old", 3) == 0);
	fclose(f);
	d = opendir(dir);
	ASSERT(d != NULL);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' || (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0))
			n++;
	closedir(d);
	ASSERT_MSG(n == 2, "%d names in the folder, want a and b", n);
	unlink(a);
	unlink(b);
	rmdir(dir);
}

/* Descriptors open in this process. */
static int
open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* opendir's own */
}

/*
 * An input closed before its end (rec_close after --on-error=fail): a FIFO
 * with a writer that says nothing keeps the reader thread waiting for
 * input while zin_close runs.  zin_close must wake it, join it and close
 * everything it opened (LeakSanitizer, in the ASan build, checks that no
 * memory is left behind either).
 */
static void
test_zio_close_early(void)
{
	char path[320];
	struct zin *z;
	int wfd, before;
	struct timespec pause = { 0, 50 * 1000 * 1000 };

	ASSERT(tmpdir[0] != '\0');
	snprintf(path, sizeof path, "%s/fifo", tmpdir);
	ASSERT_MSG(mkfifo(path, 0600) == 0, "mkfifo: %s", strerror(errno));
	wfd = open(path, O_RDWR);	/* a writer, so the reader's open does not block */
	ASSERT(wfd >= 0);
	before = open_fds();
	z = zin_open(path);
	ASSERT(z != NULL);
	nanosleep(&pause, NULL);	/* let the reader start waiting */
	ASSERT(open_fds() > before);
	zin_close(z);
	ASSERT_MSG(open_fds() == before, "%d descriptors open after zin_close, %d before",
	    open_fds(), before);
	close(wfd);
	unlink(path);
}

/*
 * Output into a pipe: zout_open asks it to hold 256 KiB, so that a
 * pipeline's stages trade data in large steps; a pipe made larger by
 * someone else is left as it is.
 */
static void
test_zio_widens_pipe(void)
{
#ifdef F_GETPIPE_SZ
	static const int before[] = { 64 << 10, 1 << 20 }, after[] = { 256 << 10, 1 << 20 };
	char path[320];
	struct zout *z;
	size_t k;
	int probe[2], rfd, want, widenable;

	/*
	 * An unprivileged user cannot grow a pipe past fs.pipe-max-size, nor
	 * at all once over the per-user pipe memory; zout then leaves it, so
	 * the pipe is expected to keep its size.
	 */
	ASSERT(pipe(probe) == 0);
	widenable = fcntl(probe[0], F_SETPIPE_SZ, after[0]) >= 0;
	close(probe[0]);
	close(probe[1]);
	ASSERT(tmpdir[0] != '\0');
	snprintf(path, sizeof path, "%s/widen", tmpdir);
	for (k = 0; k < sizeof before / sizeof before[0]; k++) {
		ASSERT_MSG(mkfifo(path, 0600) == 0, "mkfifo: %s", strerror(errno));
		rfd = open(path, O_RDWR);	/* a reader, so the writer's open does not block */
		ASSERT(rfd >= 0);
		if (fcntl(rfd, F_SETPIPE_SZ, before[k]) != before[k]) {
			close(rfd);	/* this machine caps pipes below the case */
			unlink(path);
			continue;
		}
		want = widenable ? after[k] : before[k];
		z = zout_open(path, ZIO_PLAIN, 0);
		zout_write(z, "{}\n", 3);
		zout_close(z, 1);
		ASSERT_MSG(fcntl(rfd, F_GETPIPE_SZ) == want, "a pipe of %d bytes holds %d, not %d",
		    before[k], fcntl(rfd, F_GETPIPE_SZ), want);
		close(rfd);
		unlink(path);
	}
#endif
}

/* ---- lone surrogates ---- */

static void
test_json_lone_surrogates(void)
{
	static const struct {
		const char *line, *fixed;
		int lone;
	} t[] = {
		{ "{\"a\":\"\\ud800\"}", "{\"a\":\"\\ufffd\"}", 1 },
		{ "{\"a\":\"\\uDC00x\"}", "{\"a\":\"\\ufffdx\"}", 1 },
		{ "{\"a\":\"\\ud83d\\ude00\"}", "{\"a\":\"\\ud83d\\ude00\"}", 0 },
		{ "{\"a\":\"\\ud83d\\u0041\"}", "{\"a\":\"\\ufffd\\u0041\"}", 1 },
		{ "{\"a\":\"\\\\ud800\"}", "{\"a\":\"\\\\ud800\"}", 0 },
		{ "{\"\\ud800\":[\"\\udbff\\udbff\\udfff\"]}",
		  "{\"\\ufffd\":[\"\\ufffd\\udbff\\udfff\"]}", 1 },
		{ "{\"a\":\"\\ud800", NULL, 0 },	/* cut: only the scanner sees it */
	};
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		struct json_span sp;
		struct buf b = BUF_INIT;
		const char *key = "a", *err;
		size_t off;
		unsigned flags = 0;
		int rc = json_scan(t[i].line, strlen(t[i].line), &key, 1, &sp, &flags, &err, &off);

		if (t[i].fixed == NULL) {
			ASSERT_MSG(rc < 0, "case %zu: accepted", i);
			continue;
		}
		ASSERT_MSG(rc == 0, "case %zu: %s", i, err);
		ASSERT_MSG(((flags & JSON_F_LONESURR) != 0) == t[i].lone, "case %zu: flags %u", i, flags);
		json_fix_surrogates(&b, t[i].line, strlen(t[i].line));
		ASSERT_BYTES("fixed", b.data, b.len, t[i].fixed, strlen(t[i].fixed));
		buf_release(&b);
	}
}

/* ---- htmlent ---- */

static void
test_htmlent_lookup(void)
{
	const char *amp = htmlent_lookup("amp", 3);

	ASSERT(amp != NULL && strcmp(amp, "&") == 0);
	ASSERT(htmlent_lookup("ampx", 3) == amp);	/* only len bytes count */
	ASSERT(htmlent_lookup("am", 2) == NULL);
	/* A NUL inside the name must not match "amp" and read past it. */
	ASSERT(htmlent_lookup("amp\0x", 5) == NULL);
	ASSERT(htmlent_lookup("", 0) == NULL);
	ASSERT(strcmp(htmlent_lookup("eacute", 6), "\xC3\xA9") == 0);
	ASSERT(strcmp(htmlent_lookup("zwnj", 4), "\xE2\x80\x8C") == 0);
}

/* ---- rx ---- */

static void
test_rx_gives_up(void)
{
	char err[200], subject[64];
	size_t off = 0;
	struct rx *r = rx_compile("(a+)+$", err, sizeof err, NULL);
	size_t ms = 0, me = 0;

	ASSERT_MSG(r != NULL, "%s", err);
	/* Catastrophic backtracking on 40 a's and a b, with a small limit:
	 * the match gives up and says why, and the next match still works. */
	rx_match_limit(r, 10000);
	memset(subject, 'a', 40);
	subject[40] = 'b';
	ASSERT(rx_find(r, subject, 41, 0, &ms, &me) == -1);
	ASSERT_MSG(strstr(rx_error(r), "limit") != NULL, "error '%s'", rx_error(r));
	ASSERT(rx_find(r, "xaaa", 4, 0, &ms, &me) == 1 && ms == 1 && me == 4);
	ASSERT(rx_find(r, "xyz", 3, 0, &ms, &me) == 0);
	rx_free(r);
	ASSERT(rx_compile("(unclosed", err, sizeof err, &off) == NULL);
	ASSERT_MSG(off == 9 && strstr(err, "missing closing parenthesis") != NULL,
	    "error '%s' at %zu", err, off);
}

/* pattern compiled with the quick check on and the least match limit it
 * allows, or with it off (one step less); NULL, reported, when it does
 * not compile. */
static struct rx *
quick_rx(const char *pattern, int off)
{
	char err[200];
	struct rx *r = rx_compile(pattern, err, sizeof err, NULL);

	if (r == NULL)
		fail_at(__FILE__, __LINE__, "'%s': %s", pattern, err);
	else
		rx_match_limit(r, off ? 999999 : 1000000);
	return r;
}

/* r answers for subject sub (into s, for rx_find_in) as plain does,
 * through rx_find and rx_find_in alike (pattern i, for the message);
 * plain's answer in *wantp. */
static void
answers_as(struct rx *r, struct rx *plain, size_t i, const char *sub, struct rx_subject *s,
    int *wantp)
{
	size_t n = strlen(sub), ms = 0, me = 0, ms2 = 0, me2 = 0;
	int want = *wantp = rx_find(plain, sub, n, 0, &ms, &me), got;

	got = rx_find(r, sub, n, 0, &ms2, &me2);
	ASSERT_MSG(got == want && (want != 1 || (ms == ms2 && me == me2)),
	    "pattern %zu, subject '%s': %d, not %d", i, sub, got, want);
	rx_subject_init(s, sub, n);
	got = rx_find_in(r, s, &ms2, &me2);
	ASSERT_MSG(got == want && (want != 1 || (ms == ms2 && me == me2)),
	    "pattern %zu, subject '%s' (rx_find_in): %d, not %d", i, sub, got, want);
}

/* The quick check before PCRE2 (literals the leading lookaheads need, a
 * length bound from ".{m,n}$") changes no answer: each pattern matches
 * each subject as it does with the check off (a match limit below the
 * least the check allows), through rx_find and rx_find_in alike. */
static void
test_rx_quick_check(void)
{
	static const char *const patterns[] = {
		"^(?i)(?=.{0,40}+$)(?=.{0,30}?(?:subscri|sign up|member))(?:.{0,30}?\\b(?:subscribe now|become a member)\\b)",
		"^(?i)(?=.{0,30}?cookie)(?=.{0,50}+$)(?:.{0,20}?\\b(?:we use cookies|cookie policy)\\b)",
		"^(?=[^:]{0,20}:).{0,20}?Photo\\s?:\\s*\\S.*$",
		"^(?=.{0,3}$).*",
		"^(?=.{0,40}?(?i)(?:rights reserved)).*?Photo.*",
		"^(?=[^:]{0,30}:).{0,30}?\\b(?:Photo(?:graph)?|Image|Cr\xC3\xA9" "dit photo)\\s?:\\s*\\S+$",
		"^(?=.{0,30}?(?i)(?:rights reserved))(?:.{0,30}?(?:\\bImage\\b|\xC2\xA9).{0,20})",
		/* Literals past the lookaheads: of each alternative, after a
		 * few words, after ".*?" and what costs a few steps, and the
		 * longest plain run of one that holds a character outside
		 * ASCII. */
		"^(?i)(?:(?:photo(?:graph)?s?|image|cr\xC3\xA9" "dit photo)\\s*:\\s*\\S.{0,20}|"
		    "(?:\\S+\\s+){0,2}(?:getty images|afp|epa)(?:\\s+via\\s+\\S+)?)$",
		"^(?=.{0,50}?:).*?(?<=[.!?])\\K\\s*\\b(?:Photo|Cr\xC3\xA9" "dit photo)\\s?:\\s*[^.!?]{1,20}\\.",
		"^(?=.{0,30}?cookie|.{0,10}?consent).+",
		"^.+?\\bphoto\\b",
		"^(?:by|par)\\s+\\S+$",
		"^(?:.{0,10}?(?:a(?x) b|cd))",
		/* Literals that hold another, or equal one, are left out. */
		"^.{0,20}?(?:photo credit|PHOTO|Photo|a photo)\\s*:",
		/* A class of plain characters: each a literal, punctuation
		 * outside ASCII too, but no letter outside ASCII, no range. */
		"^(?=(?s).*?[|\xC2\xB7\xE2\x80\xA2])\\w+(?:\\s*[|\xC2\xB7\xE2\x80\xA2]\\s*\\w+){2,}$",
		"^(?i)(?=.{0,30}?[xq\xC3\xA9]).+",
		"^(?=.{0,30}?[-|]).+",
	};
	static const char *const subjects[] = {
		"", "Subscribe now", "SUBSCRIBE NOW for news", "Become a MEMBER today",
		"Support us: subscribe now, we need it and this line is far too long for it",
		"subscribe now\n", "subscribe now\nsecond", "x\xC2\x85subscribe now",
		"\xE2\x80\xA8subscribe now", "\xC5\xBFubscribe now", "sign up  \xC5\xBFubscribe now",
		"We use cookies.", "WE USE COOKIES and a cookie policy", "we use coo\xE2\x84\xAAies",
		"Cookie policy", "A town. Photo: Jane Doe", "A town. photo: Jane Doe", "abc", "abcd",
		"ab\n", "\xC3\xA9t\xC3\xA9", "All Rights Reserved. Photo by", "rights reserved",
		"Photo: \xE2\x84\xAA", "a:b Photo : x",
		/* 40 characters and 41; 34 characters in 54 bytes. */
		"subscribe now xxxxxxxxxxxxxxxxxxxxxxxxxx", "subscribe now xxxxxxxxxxxxxxxxxxxxxxxxxxx",
		"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
		"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9 subscribe now",
		"A town. Photograph: Jane", "Cr\xC3\xA9" "dit photo : Jane", "A town. PHOTO: Jane", "Image:Jane",
		"\xC2\xA9 Jane. All rights reserved.", "Image by Jane. Some rights reserved",
		"Photo: Jane", "Jane Doe/AFP", "Jane Doe AFP via Getty", "A B C AFP", "Getty Images",
		"A town. Photo: J Doe.", "A town.  cr\xC3\xA9" "dit photo: Jane.", "A town. Cr\xC3\x89" "dit photo: Jane.",
		"cookie", "we ask for consent", "a consent form is here", "by Jane", "a photo", "ab", "xab",
		"PHOTOGRAPHS : x", "a town.Photo:J.", "\xC3\xA9 photo", "PHOTO CREDIT: x", "a photo:",
		"Home | News | Sport", "Home \xC2\xB7 News \xC2\xB7 Sport", "Home \xE2\x80\xA2 News \xE2\x80\xA2 Sport",
		"Home\n| News | Sport", "Home \xC2\xB8 News \xE2\x80\xA3 Sport", "QUIZ", "\xC3\x89t\xC3\xA9", "a-b",
		/* The same characters that end a line or match s and k, in
		 * lines long enough to be read sixteen bytes at a time. */
		"subscribe x\xC2\x85 now, said the long line here", "a cookie \xE2\x80\xA8 and a cookie policy too",
		"we use coo\xE2\x84\xAAies, as this long line says", "sign up \xC5\xBFubscribe now, a long line",
		"Home \xC2\xB7 News \xC2\xB7 Sport \xC2\xB7 Weather \xC2\xB7 Life", "a photo of a town: Photo: Jane Doe, a long one",
	};
	size_t i, j;

	for (i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
		struct rx *quick = quick_rx(patterns[i], 0), *plain = quick_rx(patterns[i], 1);

		ASSERT(quick != NULL && plain != NULL);
		for (j = 0; j < sizeof subjects / sizeof subjects[0]; j++) {
			struct rx_subject s;
			size_t ms, me;
			int want;

			answers_as(quick, plain, i, subjects[j], &s, &want);
			/* The gathered subject serves a second pattern too. */
			ASSERT(rx_find_in(plain, &s, &ms, &me) == want);
		}
		rx_free(quick);
		rx_free(plain);
	}
}

/* Subjects past the lengths the quick check trusts a filler on: its
 * answers stay PCRE2's, a match that gives up included (the check's match
 * limit against one step less with the check off). */
static void
test_rx_quick_check_long(void)
{
	static const char *const patterns[] = {
		"^.*?\\s*\\bphoto",
		"^(?=.{0,50}?:).*?(?<=[.!?])\\K\\s*\\b(?:Photo|Image)\\s?:\\s*[^.!?]{1,20}\\.",
		"^(?i)(?:(?:\\S+\\s+){0,4}(?:getty images|afp))$",
		"^(?:.{0,3000}?(?:cookie|consent))",
	};
	static const char fills[] = { ' ', 'x', '.' };
	static const size_t lens[] = { 600, 699, 700, 701, 2000, 4096, 4097, 6000 };
	struct buf sub;
	size_t i, f, l, t;

	buf_init(&sub);
	for (i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
		struct rx *quick = quick_rx(patterns[i], 0), *plain = quick_rx(patterns[i], 1);

		ASSERT(quick != NULL && plain != NULL);
		for (f = 0; f < sizeof fills; f++)
			for (l = 0; l < sizeof lens / sizeof lens[0]; l++)
				for (t = 0; t < 3; t++) {
					size_t ms = 0, me = 0, ms2 = 0, me2 = 0;
					int want, got;

					buf_reset(&sub);
					while (sub.len < lens[l])
						buf_add(&sub, &fills[f], 1);
					if (t == 1)
						buf_adds(&sub, "a: b. Photo: Jane. x AFP");
					else if (t == 2)
						buf_adds(&sub, " photo cookie");
					want = rx_find(plain, sub.data, sub.len, 0, &ms, &me);
					got = rx_find(quick, sub.data, sub.len, 0, &ms2, &me2);
					ASSERT_MSG(got == want && (want != 1 || (ms == ms2 && me == me2)),
					    "pattern %zu, fill '%c' %zu + %zu: %d, not %d", i, fills[f],
					    lens[l], t, got, want);
				}
		rx_free(quick);
		rx_free(plain);
	}
	buf_release(&sub);
}

/* An anchored pattern is not run on a subject that starts with a byte no
 * match starts with (PCRE2's first-byte table), and caseless matching
 * keeps its Unicode cases there. */
static void
test_rx_first_byte(void)
{
	static const struct {
		const char *pattern, *subject;
		int want;
	} cases[] = {
		{ "^(?:By|Par)\\s+\\p{Lu}\\w*$", "By Jane", 1 },
		{ "^(?:By|Par)\\s+\\p{Lu}\\w*$", "Bye now", 0 },
		{ "^(?:By|Par)\\s+\\p{Lu}\\w*$", "A By Jane", 0 },
		{ "^(?:By|Par)\\s+\\p{Lu}\\w*$", "", 0 },
		{ "^(?i)(?:ski|kayak)s?$", "SKIS", 1 },
		{ "^(?i)(?:ski|kayak)s?$", "\xC5\xBFki", 1 },		/* the long s */
		{ "^(?i)(?:ski|kayak)s?$", "\xE2\x84\xAA" "ayak", 1 },	/* the Kelvin sign */
		{ "^(?i)(?:ski|kayak)s?$", "a ski", 0 },
		{ "^(?i)(?:\\(c\\)|\xC2\xA9)\\s*\\d{4}", "\xC2\xA9 2026", 1 },
		{ "^(?i)(?:\\(c\\)|\xC2\xA9)\\s*\\d{4}", "(C) 2026", 1 },
		{ "^(?i)(?:\\(c\\)|\xC2\xA9)\\s*\\d{4}", "c 2026", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char err[200];
		struct rx *r = rx_compile(cases[i].pattern, err, sizeof err, NULL);
		size_t ms, me, n = strlen(cases[i].subject);
		struct rx_subject s;

		ASSERT_MSG(r != NULL, "%s", err);
		ASSERT_MSG(rx_find(r, cases[i].subject, n, 0, &ms, &me) == cases[i].want,
		    "case %zu", i);
		rx_subject_init(&s, cases[i].subject, n);
		ASSERT_MSG(rx_find_in(r, &s, &ms, &me) == cases[i].want, "case %zu", i);
		rx_free(r);
	}
}

/* Where PCRE2 has no first-byte table, the one asked of it character by
 * character changes no answer: each pattern matches each subject as it
 * does behind an empty lookahead, which turns the table off. */
static void
test_rx_first_byte_asked(void)
{
	static const char *const patterns[] = {
		"^(?i)(?:(?:published|updated)(?: on)?\\s*:?\\s*)?(?:\\d{1,2}\\s+(?:jan|feb)\\p{L}*"
		    "\\s+\\d{4}|(?:jan|feb)\\p{L}*\\s+\\d{1,2},?\\s+\\d{4})$",
		"^(?i)(?:(?:\\W{0,3}(?:home|menu|share|x)\\W{0,3}(?:\\s+|$))+)$",
		"^(?i)(?:(?:comments are (?:closed|open)|\\d+\\s+comments?|leave a comment)\\b.{0,20})$",
		"^(?i)(?:this (?:story|article) was (?:produced|written) by\\b.{0,20})$",
		"^\\p{L}?$",
		"^\\p{L}?\\b",
		"^(?:\\p{Lu}|-)\\B\\w",
		"^\\p{N}*x",
		"^(?:\\s*|k)\\z",
	};
	static const char *const subjects[] = {
		"", "x", "X", "-", "-a", "a", "A", "k", "K", "\xE2\x84\xAA", "\xC5\xBF", " x", "\n", "\tx",
		"1 jan 2026", "Published: 1 feb 2026", "Jan 3, 2026", "UPDATED ON Feb 3 2026", "B 1 jan",
		"Home Menu", "\xC2\xBB Share", "| share |", "12 comments", "Comments are closed here",
		"Leave a comment", "This story was produced by us", "The end", "- x", "Ab", "\xC3\x89t\xC3\xA9",
		"\xD9\xA3x", "3x", "x3",
	};
	size_t i, j;

	for (i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
		char err[200], plain_pattern[400];
		struct rx *asked = rx_compile(patterns[i], err, sizeof err, NULL), *plain;

		ASSERT_MSG(asked != NULL, "%s", err);
		snprintf(plain_pattern, sizeof plain_pattern, "^(?=)%s", patterns[i] + 1);
		plain = rx_compile(plain_pattern, err, sizeof err, NULL);
		ASSERT_MSG(plain != NULL, "%s", err);
		for (j = 0; j < sizeof subjects / sizeof subjects[0]; j++) {
			struct rx_subject s;
			int want;

			answers_as(asked, plain, i, subjects[j], &s, &want);
		}
		rx_free(asked);
		rx_free(plain);
	}
}

/* ---- rec: held records ---- */

struct held_note {
	uint64_t seq;
	int reused;
};

static void
test_rec_hold(void)
{
	struct rec_opts o;
	struct rec_stream *s;
	struct rec r, *h;
	char in[320], out[320];
	FILE *f;
	size_t i;
	int n = 0;

	ASSERT(tmpdir[0] != '\0');
	snprintf(in, sizeof in, "%s/hold.jsonl", tmpdir);
	snprintf(out, sizeof out, "%s/hold.out", tmpdir);
	f = fopen(in, "w");
	ASSERT(f != NULL);
	/* Lines of 20, 30, 20, 40 and 20 bytes. */
	fputs("{\"text\":\"aaaaaaaaa\"}\n{\"text\":\"bbbbbbbbbbbbbbbbbbb\"}\n", f);
	fputs("{\"text\":\"ccccccccc\"}\n{\"text\":\"ddddddddddddddddddddddddddddd\"}\n", f);
	fputs("{\"text\":\"eeeeeeeee\"}\n", f);
	ASSERT(fclose(f) == 0);
	rec_opts_init(&o);
	o.output = out;
	s = rec_open(&o, (char *[]){ in }, 1);
	rec_hold_limits(s, 3, 60);
	rec_hold_user(s, sizeof(struct held_note), NULL);
	while (rec_next(s, &r)) {
		const char *text;
		size_t len;
		struct held_note *note;

		/* 60 bytes: 20 + 30 is under it, 20 + 30 + 20 reaches it. */
		if (n == 2)
			ASSERT(!rec_hold_full(s) && rec_nheld(s) == 2);
		if (n == 3)
			ASSERT(rec_hold_full(s) && rec_nheld(s) == 3);
		while (rec_hold_full(s)) {
			h = rec_held(s, 0);
			ASSERT(rec_text(s, h, 0, &text, &len) == 0 && len > 0 && text[0] == 'a' + (int)(h->seq - 1));
			rec_emit(s, h, NULL);
		}
		h = rec_hold(s, &r);
		note = rec_user(h);
		/* A new slot's bytes are zero; a reused one keeps its own. */
		ASSERT(note->seq == 0 || note->reused == 0);
		note->reused = note->seq != 0;
		note->seq = h->seq;
		ASSERT(h->line != r.line && h->len == r.len && memcmp(h->line, r.line, r.len) == 0);
		n++;
	}
	ASSERT(n == 5 && rec_nheld(s) > 0);
	/* Oldest first, in input order. */
	for (i = 1; i < rec_nheld(s); i++)
		ASSERT(rec_held(s, i)->seq == rec_held(s, i - 1)->seq + 1);
	ASSERT(rec_held(s, rec_nheld(s)) == NULL);
	while (rec_nheld(s) > 0)
		rec_emit(s, rec_held(s, 0), NULL);
	ASSERT(rec_close(s) == MSG_EXIT_OK);
	f = fopen(out, "r");
	ASSERT(f != NULL);
	{
		char line[64];
		int k = 0;

		while (fgets(line, sizeof line, f))
			ASSERT_MSG(line[9] == 'a' + k++, "line %d: %s", k, line);
		ASSERT(k == 5);
	}
	fclose(f);
	unlink(in);
	unlink(out);
}

/* ---- msg ---- */

static void
test_msg_init(void)
{
	const char *saved = msg_prog;

	msg_init("/usr/local/bin/normalize");
	ASSERT(strcmp(msg_prog, "normalize") == 0);
	msg_init("passthrough");
	ASSERT(strcmp(msg_prog, "passthrough") == 0);
	msg_init("");
	ASSERT(strcmp(msg_prog, "passthrough") == 0);
	msg_prog = saved;
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "utf8_decode_valid", test_utf8_decode_valid },
	{ "utf8_decode_invalid", test_utf8_decode_invalid },
	{ "utf8_bad_len", test_utf8_bad_len },
	{ "utf8_exhaustive", test_utf8_exhaustive },
	{ "utf8_encode_roundtrip", test_utf8_encode_roundtrip },
	{ "utf8_valid_prefix", test_utf8_valid_prefix },
	{ "utf8_repair", test_utf8_repair },
	{ "utf8_repair_random", test_utf8_repair_random },
	{ "buf", test_buf },
	{ "json_spans", test_json_spans },
	{ "json_keys", test_json_keys },
	{ "json_same_key_twice", test_json_same_key_twice },
	{ "json_flags", test_json_flags },
	{ "json_errors", test_json_errors },
	{ "json_accepts", test_json_accepts },
	{ "json_depth", test_json_depth },
	{ "json_unescape", test_json_unescape },
	{ "json_escape", test_json_escape },
	{ "json_roundtrip", test_json_roundtrip },
	{ "json_lone_surrogates", test_json_lone_surrogates },
	{ "rx_gives_up", test_rx_gives_up },
	{ "rx_quick_check", test_rx_quick_check },
	{ "rx_quick_check_long", test_rx_quick_check_long },
	{ "rx_first_byte", test_rx_first_byte },
	{ "rx_first_byte_asked", test_rx_first_byte_asked },
	{ "htmlent_lookup", test_htmlent_lookup },
	{ "zio_roundtrip", test_zio_roundtrip },
	{ "zio_errors", test_zio_errors },
	{ "zio_close_early", test_zio_close_early },
	{ "zio_widens_pipe", test_zio_widens_pipe },
	{ "afile_two", test_afile_two },
	{ "rec_hold", test_rec_hold },
	{ "msg_init", test_msg_init },
};

int
main(int argc, char **argv)
{
	size_t i;
	int nfailed = 0;

	(void)argc;
	msg_init(argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);	/* each line out before a crash */
	make_tmpdir();
	for (i = 0; i < NELEM(tests); i++) {
		failed = 0;
		tests[i].fn();
		if (failed) {
			printf("FAIL unit/%s: %s\n", tests[i].name, failure);
			nfailed++;
		} else {
			printf("ok unit/%s\n", tests[i].name);
		}
	}
	if (tmpdir[0])
		rmdir(tmpdir);
	return nfailed ? 1 : 0;
}
