#include "compat.h"

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "json.h"
#include "utf8.h"

/*
 * Offset of the first byte in p[0..n) that ends a plain run inside a
 * string: '"', '\\', a control character or a byte >= 0x80; n if none.
 * This is the scanner's inner loop, so it looks at 16 bytes at a time.
 */
static size_t
string_run(const unsigned char *p, size_t n)
{
	size_t i = 0;

#if defined(__SSE2__)
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i space = _mm_set1_epi8(0x20);

	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
		/* Signed compare: bytes >= 0x80 are negative, so below 0x20 too. */
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
		    _mm_cmpeq_epi8(v, bslash)), _mm_cmplt_epi8(v, space));
		unsigned mask = (unsigned)_mm_movemask_epi8(m);

		if (mask)
			return i + (size_t)__builtin_ctz(mask);
	}
#endif
	for (; i < n; i++)
		if (p[i] == '"' || p[i] == '\\' || p[i] < 0x20 || p[i] >= 0x80)
			return i;
	return n;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int
hex4(const unsigned char *p, uint32_t *v)
{
	int i, h;

	*v = 0;
	for (i = 0; i < 4; i++) {
		if ((h = hexval(p[i])) < 0)
			return -1;
		*v = *v << 4 | (uint32_t)h;
	}
	return 0;
}

struct scanner {
	const unsigned char *p;
	size_t i, n;
	const char *err;
};

#define FAIL(s, msg) do { (s)->err = (msg); return -1; } while (0)

/* Does p[0..n) start with the \u escape of a low surrogate? */
static int
paired_low(const unsigned char *p, size_t n)
{
	uint32_t lo;

	return n >= 6 && p[0] == '\\' && p[1] == 'u' && hex4(p + 2, &lo) == 0 &&
	    lo >= 0xDC00 && lo <= 0xDFFF;
}

/* Scan a string starting at its opening quote; on return s->i is past the
 * closing quote.  Adds the string's JSON_F_* flags to *flags. */
static int
scan_string(struct scanner *s, unsigned *flags)
{
	const unsigned char *p = s->p;
	size_t i = s->i + 1, n = s->n;
	uint32_t cp;
	int len;

	for (;;) {
		i += string_run(p + i, n - i);
		if (i >= n) {
			s->i = n;
			FAIL(s, "unterminated string");
		}
		switch (p[i]) {
		case '"':
			s->i = i + 1;
			return 0;
		case '\\':
			*flags |= JSON_F_ESCAPES;
			if (i + 1 >= n) {
				s->i = i;
				FAIL(s, "unterminated string");
			}
			switch (p[i + 1]) {
			case '"': case '\\': case '/': case 'b':
			case 'f': case 'n': case 'r': case 't':
				i += 2;
				break;
			case 'u':
				if (n - i < 6 || hex4(p + i + 2, &cp) < 0) {
					s->i = i;
					FAIL(s, "bad \\u escape");
				}
				i += 6;
				if (cp >= 0xD800 && cp <= 0xDBFF && paired_low(p + i, n - i))
					i += 6;
				else if (cp >= 0xD800 && cp <= 0xDFFF)
					*flags |= JSON_F_LONESURR;
				break;
			default:
				s->i = i;
				FAIL(s, "bad escape in string");
			}
			break;
		default:
			if (p[i] < 0x20) {
				s->i = i;
				FAIL(s, "control character in string");
			}
			*flags |= JSON_F_NONASCII;
			len = utf8_decode(p + i, n - i, &cp);
			if (len == 0) {
				*flags |= JSON_F_BADUTF8;
				len = (int)utf8_bad_len(p + i, n - i);
			}
			i += (size_t)len;
		}
	}
}

static int
scan_number(struct scanner *s)
{
	const unsigned char *p = s->p;
	size_t i = s->i, n = s->n;

	if (i < n && p[i] == '-')
		i++;
	if (i < n && p[i] == '0')
		i++;
	else if (i < n && p[i] >= '1' && p[i] <= '9')
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	else
		goto bad;
	if (i < n && p[i] == '.') {
		i++;
		if (i >= n || p[i] < '0' || p[i] > '9')
			goto bad;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		if (i >= n || p[i] < '0' || p[i] > '9')
			goto bad;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	}
	s->i = i;
	return 0;
bad:
	s->i = i;
	FAIL(s, "bad number");
}

static int
scan_literal(struct scanner *s, const char *word, size_t len)
{
	if (s->n - s->i < len || memcmp(s->p + s->i, word, len) != 0)
		FAIL(s, "unexpected character");
	s->i += len;
	return 0;
}

static void
skip_ws(struct scanner *s)
{
	while (s->i < s->n) {
		unsigned char c = s->p[s->i];

		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return;
		s->i++;
	}
}

/* Does the key string [a, a+n) (quotes included) equal want? */
static int
key_equal(const char *a, size_t n, unsigned flags, const char *want, size_t wlen)
{
	struct buf b = BUF_INIT;
	int eq;

	if (!(flags & JSON_F_ESCAPES))
		return n - 2 == wlen && memcmp(a + 1, want, wlen) == 0;
	json_unescape(&b, a, n);
	eq = b.len == wlen && memcmp(b.data, want, wlen) == 0;
	buf_release(&b);
	return eq;
}

static void
set_span(struct json_span *sp, size_t start, size_t end, enum json_kind kind, unsigned flags)
{
	sp->start = start;
	sp->end = end;
	sp->kind = kind;
	sp->flags = flags;
}

int
json_scan(const char *line, size_t len, const char *const *keys, int nkeys,
    struct json_span *spans, unsigned *line_flags, const char **err, size_t *err_off)
{
	struct scanner s = { (const unsigned char *)line, 0, len, NULL };
	char stack[JSON_MAX_DEPTH];	/* '{' or '[' for each open container */
	int depth = 0, k;
	unsigned flags = 0;
	size_t keylen[JSON_MAX_KEYS];

	for (k = 0; k < nkeys; k++) {
		set_span(&spans[k], 0, 0, JSON_ABSENT, 0);
		keylen[k] = strlen(keys[k]);
	}
	skip_ws(&s);
	if (s.i >= s.n || s.p[s.i] != '{') {
		s.err = s.i >= s.n ? "empty record" : "record is not a JSON object";
		goto fail;
	}
	/* The loop is positioned after '{', '[' or ',': a key or value follows. */
	for (;;) {
		unsigned want = 0;	/* bit k: this value is keys[k]'s */
		size_t vstart;
		unsigned sflags = 0;
		char open = depth ? stack[depth - 1] : 0;

		if (depth == 0) {
			stack[depth++] = '{';
			s.i++;
			skip_ws(&s);
			if (s.i < s.n && s.p[s.i] == '}')
				goto close;
			open = '{';
		}
		if (open == '{') {
			size_t kstart;
			unsigned kflags = 0;

			skip_ws(&s);
			if (s.i >= s.n || s.p[s.i] != '"') {
				s.err = "expected a string key";
				goto fail;
			}
			kstart = s.i;
			if (scan_string(&s, &kflags) < 0)
				goto fail;
			flags |= kflags;
			if (depth == 1)
				for (k = 0; k < nkeys; k++)
					if (key_equal(line + kstart, s.i - kstart, kflags, keys[k], keylen[k]))
						want |= 1u << k;
			skip_ws(&s);
			if (s.i >= s.n || s.p[s.i] != ':') {
				s.err = "expected ':' after key";
				goto fail;
			}
			s.i++;
		}
		skip_ws(&s);
		if (s.i >= s.n) {
			s.err = "unexpected end of record";
			goto fail;
		}
		vstart = s.i;
		switch (s.p[s.i]) {
		case '"':
			if (scan_string(&s, &sflags) < 0)
				goto fail;
			flags |= sflags;
			break;
		case '{':
		case '[':
			if (depth == JSON_MAX_DEPTH) {
				s.err = "nesting too deep";
				goto fail;
			}
			stack[depth++] = (char)s.p[s.i];
			/* The span's end is set when the container closes. */
			for (k = 0; k < nkeys; k++)
				if (want & 1u << k)
					set_span(&spans[k], vstart, 0, JSON_OTHER, 0);
			s.i++;
			skip_ws(&s);
			if (s.i < s.n && s.p[s.i] == (stack[depth - 1] == '{' ? '}' : ']'))
				goto close;
			continue;
		case 't':
			if (scan_literal(&s, "true", 4) < 0)
				goto fail;
			break;
		case 'f':
			if (scan_literal(&s, "false", 5) < 0)
				goto fail;
			break;
		case 'n':
			if (scan_literal(&s, "null", 4) < 0)
				goto fail;
			break;
		default:
			/* Number-like things are bad numbers, the rest is unexpected. */
			if (strchr("+-.0123456789", s.p[s.i]) == NULL || s.p[s.i] == '\0') {
				s.err = "unexpected character";
				goto fail;
			}
			if (scan_number(&s) < 0)
				goto fail;
		}
		for (k = 0; k < nkeys; k++)
			if (want & 1u << k)
				set_span(&spans[k], vstart, s.i,
				    s.p[vstart] == '"' ? JSON_STRING : JSON_OTHER, sflags);
		/* After a value: ',' continues the container, a bracket closes it. */
		for (;;) {
			skip_ws(&s);
			if (s.i >= s.n) {
				s.err = "unexpected end of record";
				goto fail;
			}
			if (s.p[s.i] == ',') {
				s.i++;
				break;
			}
			if (s.p[s.i] != (stack[depth - 1] == '{' ? '}' : ']')) {
				s.err = stack[depth - 1] == '{' ? "expected ',' or '}'" : "expected ',' or ']'";
				goto fail;
			}
close:
			s.i++;
			depth--;
			if (depth == 1) {
				/* A top-level container value just ended: close its span. */
				for (k = 0; k < nkeys; k++)
					if (spans[k].kind == JSON_OTHER && spans[k].end == 0)
						spans[k].end = s.i;
			}
			if (depth == 0) {
				skip_ws(&s);
				if (s.i != s.n) {
					s.err = "trailing characters after the object";
					goto fail;
				}
				*line_flags = flags;
				return 0;
			}
		}
	}
fail:
	*err = s.err;
	*err_off = s.i;
	return -1;
}

void
json_unescape(struct buf *b, const char *str, size_t n)
{
	const unsigned char *p = (const unsigned char *)str + 1;
	size_t i = 0, run;
	uint32_t cp, lo;

	n -= 2;	/* the quotes */
	buf_grow(b, n);
	while (i < n) {
		const unsigned char *bs = memchr(p + i, '\\', n - i);

		run = bs ? (size_t)(bs - (p + i)) : n - i;
		buf_add(b, p + i, run);
		i += run;
		if (i >= n)
			break;
		switch (p[i + 1]) {
		case 'b': buf_addc(b, '\b'); break;
		case 'f': buf_addc(b, '\f'); break;
		case 'n': buf_addc(b, '\n'); break;
		case 'r': buf_addc(b, '\r'); break;
		case 't': buf_addc(b, '\t'); break;
		case 'u':
			hex4(p + i + 2, &cp);
			if (cp >= 0xD800 && cp <= 0xDBFF && paired_low(p + i + 6, n - i - 6)) {
				hex4(p + i + 8, &lo);
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i += 6;
			} else if (cp >= 0xD800 && cp <= 0xDFFF) {
				cp = UTF8_REPLACEMENT;
			}
			utf8_add(b, cp);
			i += 4;
			break;
		default:	/* '"', '\\' and '/' stand for themselves */
			buf_addc(b, p[i + 1]);
		}
		i += 2;
	}
}

void
json_fix_surrogates(struct buf *b, const char *str, size_t n)
{
	const unsigned char *p = (const unsigned char *)str;
	size_t i = 0, from = 0;
	int in_string = 0;
	uint32_t cp;

	while (i < n) {
		if (p[i] == '"') {
			in_string = !in_string;
			i++;
		} else if (p[i] != '\\' || !in_string) {
			i++;
		} else if (p[i + 1] != 'u') {
			i += 2;
		} else {
			hex4(p + i + 2, &cp);
			if (cp >= 0xD800 && cp <= 0xDBFF && paired_low(p + i + 6, n - i - 6)) {
				i += 12;
			} else if (cp >= 0xD800 && cp <= 0xDFFF) {
				buf_add(b, p + from, i - from);
				buf_add(b, "\\ufffd", 6);
				from = i += 6;
			} else {
				i += 6;
			}
		}
	}
	buf_add(b, p + from, n - from);
}

static const char hexdigit[] = "0123456789abcdef";

void
json_escape(struct buf *b, const char *str, size_t n)
{
	const unsigned char *p = (const unsigned char *)str;
	size_t i = 0, run;

	buf_grow(b, n + 2);
	buf_addc(b, '"');
	while (i < n) {
		unsigned char c;
		char esc[6] = { '\\', 'u', '0', '0', 0, 0 };

		/* Bytes >= 0x80 stop string_run too; copy them and go on. */
		run = string_run(p + i, n - i);
		while (i + run < n && p[i + run] >= 0x80)
			run += 1 + string_run(p + i + run + 1, n - i - run - 1);
		buf_add(b, p + i, run);
		i += run;
		if (i >= n)
			break;
		c = p[i++];
		switch (c) {
		case '"': buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\b': buf_add(b, "\\b", 2); break;
		case '\f': buf_add(b, "\\f", 2); break;
		default:
			esc[4] = hexdigit[c >> 4];
			esc[5] = hexdigit[c & 15];
			buf_add(b, esc, 6);
		}
	}
	buf_addc(b, '"');
}
