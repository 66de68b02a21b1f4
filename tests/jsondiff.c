/*
 * jsondiff: json_scan checked against jansson, line by line.
 *
 *	jsondiff [-n LINES] [file ...]
 *	jsondiff -c [file ...]
 *
 * With -c it only checks that every line of the files (standard input
 * when none) is a JSON object to jansson, for the shell tests (--stats),
 * and exits 0 if so, else 1 after naming the first bad line on stderr.
 *
 * Every line of the files named, then LINES (default 300000) generated
 * lines, goes through json_scan and through jansson's json_loadb (flags
 * JSON_ALLOW_NUL, without JSON_DECODE_ANY or JSON_DISABLE_EOF_CHECK, and
 * the result must be an object: so trailing garbage and other top levels
 * are refused, as json_scan refuses them).  The two must agree on whether
 * the line is a well-formed record, and for well-formed ones on the
 * values of the top-level keys "text", "title" and "id": absent, a string
 * (compared after json_unescape) or something else (the span json_scan
 * gives is parsed on its own by jansson and must equal jansson's value).
 * jansson keeps the last of duplicate keys, as json_scan does; the first
 * check below makes sure of that and of every other assumption made here.
 *
 * KNOWN, INTENDED differences, excluded exactly and counted apart (each
 * one only when json_scan accepted the line and jansson's first error is
 * of that kind):
 *
 *  - bad UTF-8: json_scan accepts raw bytes that are not UTF-8 inside
 *    strings (JSON_F_BADUTF8, repaired on output); jansson refuses them.
 *  - lone surrogates: json_scan accepts \u escapes of lone surrogates and
 *    unescapes each to U+FFFD; jansson refuses them.
 *  - depth: jansson refuses values nested deeper than JSON_PARSER_MAX_DEPTH
 *    (2048, counting the innermost scalar too); json_scan allows
 *    JSON_MAX_DEPTH (4096) containers.
 *
 * and two limits of jansson's own, which RFC 8259 (section 9) allows a
 * parser to have and json_scan, which never converts numbers or builds
 * keys, does not need:
 *
 *  - number range: jansson refuses integers beyond int64 and reals beyond
 *    DBL_MAX ("too big integer", "real number overflow").
 *  - NUL in a key: jansson refuses "\u0000" in object keys even with
 *    JSON_ALLOW_NUL.
 *
 * and one bug of jansson 2.14, the other way round:
 *
 *  - NUL after a scalar: jansson skips one raw NUL byte that directly
 *    follows a number or a literal ({"a":1<NUL>} is accepted), because its
 *    reader cannot put a NUL back.  json_scan refuses such a line; it is
 *    counted here when json_scan's error points at that NUL, and the line
 *    without those NULs must then be accepted by json_scan and agree with
 *    jansson's reading of the whole line.
 *
 * For such a line the check is not dropped: the line is rewritten the
 * way json_scan's leniency reads it (bad bytes repaired to U+FFFD by this
 * file's own UTF-8 model, lone surrogate escapes turned into \uFFFD,
 * "\u0000" in keys into "\u0001", numbers out of jansson's range into 0),
 * and jansson must then accept it and agree on the text, which json_scan's
 * side gives as utf8_repair(json_unescape(span)).  Only the depth
 * difference cannot be rewritten away: there the nesting is measured and
 * must be within JSON_MAX_DEPTH.
 *
 * Output: "ok jsondiff/FAMILY (counts)" or "FAIL jsondiff/FAMILY: ..." per
 * input file and per family of generated lines, with the first few
 * disagreeing lines shown escaped.  Exit 0 when every family passed.
 */
#include "compat.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Both jansson.h and json.h name an enumerator JSON_STRING: jansson's is
 * renamed here, and its json_is_string() macro, which would now see
 * json.h's, is not used (json_string_value() != NULL instead). */
#define JSON_STRING JANSSON_STRING
#include <jansson.h>
#undef JSON_STRING
#undef json_is_string

#include "buf.h"
#include "json.h"
#include "msg.h"
#include "utf8.h"
#include "rng.h"
#include "utf8model.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_SHOWN 4	/* disagreeing lines shown per family */

static const char *const keys[] = { "text", "title", "id" };
#define NKEYS ((int)NELEM(keys))

enum known { K_BADUTF8, K_SURROGATE, K_DEPTH, K_NUMBER, K_NULKEY, K_JNUL, NKNOWN };
static const char *const known_name[NKNOWN] = {
	"bad UTF-8", "lone surrogate", "depth", "number range", "NUL in key",
	"NUL after a scalar (jansson bug)"
};

struct family {
	const char *name;
	unsigned long lines, valid, malformed, known[NKNOWN], bad;
	char shown[MAX_SHOWN][700];
};

/* ---- small helpers ---- */


/* p[0..n) escaped for one line of output, cut at about max bytes. */
static void
escape_for_show(char *out, size_t outlen, const void *vp, size_t n, size_t max)
{
	const unsigned char *p = vp;
	size_t i, o = 0;

	for (i = 0; i < n && o + 12 < outlen && i < max; i++) {
		if (p[i] == '\\')
			o += (size_t)snprintf(out + o, outlen - o, "\\\\");
		else if (p[i] >= 0x20 && p[i] < 0x7f)
			out[o++] = (char)p[i];
		else
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02X", p[i]);
	}
	if (i < n)
		o += (size_t)snprintf(out + o, outlen - o, "...(%zu bytes)", n);
	out[o < outlen ? o : outlen - 1] = '\0';
}

static void note_bad(struct family *f, const char *line, size_t len, const char *fmt, ...)
    WN_PRINTF(4, 5);

static void
note_bad(struct family *f, const char *line, size_t len, const char *fmt, ...)
{
	va_list ap;
	char why[300], esc[360];

	if (f->bad++ >= MAX_SHOWN)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	escape_for_show(esc, sizeof esc, line, len, 240);
	snprintf(f->shown[f->bad - 1], sizeof f->shown[0], "%s: %s", why, esc);
}

/* ---- the UTF-8 model (tests/utf8model.h) applied to the rewriting ---- */

/* Copy one character or maximal ill-formed subpart from p to b (bad ones
 * as U+FFFD); returns the bytes used and sets *bad. */
static size_t
model_copy_char(struct buf *b, const unsigned char *p, size_t n, int *bad)
{
	size_t len = (size_t)model_len(p[0]);

	if (len >= 1 && len <= n && model_prefix(p, len)) {
		buf_add(b, p, len);
		*bad = 0;
		return len;
	}
	buf_adds(b, "\xEF\xBF\xBD");
	*bad = 1;
	return model_bad_len(p, n);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/* The value of the \uXXXX escape at p (6 bytes available), or -1. */
static long
uescape(const char *p, size_t avail)
{
	long v = 0;
	int i, h;

	if (avail < 6 || p[0] != '\\' || p[1] != 'u')
		return -1;
	for (i = 2; i < 6; i++) {
		if ((h = hexval((unsigned char)p[i])) < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/* Is the run p[0..n) a number by the RFC 8259 grammar? */
static int
is_json_number(const char *p, size_t n)
{
	size_t i = 0;

	if (i < n && p[i] == '-')
		i++;
	if (i < n && p[i] == '0')
		i++;
	else if (i < n && p[i] >= '1' && p[i] <= '9')
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	else
		return 0;
	if (i < n && p[i] == '.') {
		if (++i >= n || p[i] < '0' || p[i] > '9')
			return 0;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		if (i >= n || p[i] < '0' || p[i] > '9')
			return 0;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	}
	return i == n;
}

/* Would jansson refuse this (grammatical) number as out of its range? */
static int
out_of_jansson_range(const char *p, size_t n)
{
	char tmp[512];
	int real = memchr(p, '.', n) || memchr(p, 'e', n) || memchr(p, 'E', n);

	if (n >= sizeof tmp)
		return 1;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	errno = 0;
	if (!real) {
		(void)strtoll(tmp, NULL, 10);
		return errno == ERANGE;
	}
	return isinf(strtod(tmp, NULL)) && errno == ERANGE;
}

/*
 * Rewrite line into out the way json_scan's leniencies read it (see the
 * comment at the top).  String boundaries are followed as JSON has them;
 * in a malformed line they may be wrong after the first error, which
 * cannot make the line well formed.
 */
static void
rewrite(struct buf *out, const char *line, size_t len)
{
	size_t i = 0;

	buf_reset(out);
	while (i < len) {
		unsigned char c = (unsigned char)line[i];

		if (c == '"') {
			size_t nuls[64], nnul = 0, k;

			buf_addc(out, '"');
			i++;
			while (i < len && line[i] != '"') {
				long v, lo;

				c = (unsigned char)line[i];
				if (c == '\\' && (v = uescape(line + i, len - i)) >= 0) {
					lo = uescape(line + i + 6, len - i - 6);
					if (v >= 0xD800 && v <= 0xDBFF && lo >= 0xDC00 && lo <= 0xDFFF) {
						buf_add(out, line + i, 12);
						i += 12;
						continue;
					}
					if (v >= 0xD800 && v <= 0xDFFF) {
						buf_adds(out, "\\uFFFD");
					} else {
						if (v == 0 && nnul < NELEM(nuls))
							nuls[nnul++] = out->len;
						buf_add(out, line + i, 6);
					}
					i += 6;
				} else if (c == '\\') {
					buf_add(out, line + i, i + 1 < len ? 2 : 1);
					i += i + 1 < len ? 2 : 1;
				} else if (c >= 0x80) {
					int bad;

					i += model_copy_char(out, (const unsigned char *)line + i, len - i, &bad);
				} else {
					buf_addc(out, c);
					i++;
				}
			}
			if (i < len) {
				buf_addc(out, '"');
				i++;
				/* A key: turn its "\u0000" into "\u0001". */
				for (k = i; k < len && strchr(" \t\r\n", line[k]) && line[k]; k++)
					;
				if (k < len && line[k] == ':')
					for (k = 0; k < nnul; k++)
						out->data[nuls[k] + 5] = '1';
			}
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			size_t j = i;

			while (j < len && strchr("+-.eE0123456789", line[j]) && line[j])
				j++;
			if (is_json_number(line + i, j - i) && out_of_jansson_range(line + i, j - i))
				buf_addc(out, '0');
			else
				buf_add(out, line + i, j - i);
			i = j;
		} else {
			buf_addc(out, c);
			i++;
		}
	}
}

/* The deepest nesting of brackets outside strings in line[0..len). */
static int
nesting(const char *line, size_t len)
{
	int depth = 0, max = 0, in_string = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = line[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > max)
				max = depth;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return max;
}

/* ---- the comparison ---- */

static const char *
kind_name(enum json_kind k)
{
	return k == JSON_ABSENT ? "absent" : k == JSON_STRING ? "a string" : "a non-string";
}

/*
 * Do json_scan's spans of line agree with jansson's root?  rewritten: root
 * is of the rewritten line, so strings are compared after repair and
 * non-string values by kind only.  Returns 0 or -1 after note_bad.
 */
static int
compare_values(struct family *f, const char *line, size_t len, const struct json_span *sp,
    json_t *root, int rewritten)
{
	static struct buf ours, fixed;
	int k;

	for (k = 0; k < NKEYS; k++) {
		json_t *v = json_object_get(root, keys[k]);
		enum json_kind jk = v == NULL ? JSON_ABSENT :
		    json_string_value(v) != NULL ? JSON_STRING : JSON_OTHER;

		if (sp[k].kind != jk) {
			note_bad(f, line, len, "\"%s\" is %s to json_scan, %s to jansson", keys[k],
			    kind_name(sp[k].kind), kind_name(jk));
			return -1;
		}
		if (jk == JSON_STRING) {
			const char *s;
			size_t n;

			buf_reset(&ours);
			json_unescape(&ours, line + sp[k].start, sp[k].end - sp[k].start);
			s = ours.data;
			n = ours.len;
			if (rewritten) {
				buf_reset(&fixed);
				utf8_repair(&fixed, ours.data, ours.len);
				s = fixed.data;
				n = fixed.len;
			}
			if (n != json_string_length(v) || memcmp(s, json_string_value(v), n) != 0) {
				char a[200], b[200];

				escape_for_show(a, sizeof a, s, n, 60);
				escape_for_show(b, sizeof b, json_string_value(v), json_string_length(v), 60);
				note_bad(f, line, len, "\"%s\": json_scan \"%s\", jansson \"%s\"", keys[k], a, b);
				return -1;
			}
		} else if (jk == JSON_OTHER && !rewritten) {
			json_error_t err;
			json_t *alone = json_loadb(line + sp[k].start, sp[k].end - sp[k].start,
			    JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
			int same = alone && json_equal(alone, v);

			json_decref(alone);
			if (!same) {
				char a[200];

				escape_for_show(a, sizeof a, line + sp[k].start, sp[k].end - sp[k].start, 60);
				note_bad(f, line, len, "\"%s\": json_scan's span [%zu, %zu) \"%s\" is not "
				    "jansson's value", keys[k], sp[k].start, sp[k].end, a);
				return -1;
			}
		}
	}
	return 0;
}

static enum known
known_kind(const json_error_t *err)
{
	switch (json_error_code(err)) {
	case json_error_invalid_utf8:
		return K_BADUTF8;
	case json_error_invalid_syntax:
		return strncmp(err->text, "invalid Unicode", 15) == 0 ? K_SURROGATE : NKNOWN;
	case json_error_stack_overflow:
		return K_DEPTH;
	case json_error_numeric_overflow:
		return K_NUMBER;
	case json_error_null_byte_in_key:
		return K_NULKEY;
	default:
		return NKNOWN;
	}
}

/* json_scan refuses line at soff, jansson accepts it as root: right only
 * for jansson's NUL-after-a-scalar bug (see the top of this file). */
static void
jansson_nul(struct family *f, const char *line, size_t len, const char *serr, size_t soff,
    json_t *root)
{
	static struct buf stripped;
	struct json_span sp[NELEM(keys)];
	unsigned flags;
	int tries;

	buf_reset(&stripped);
	buf_add(&stripped, line, len);
	for (tries = 0; tries < 100; tries++) {
		if (soff >= stripped.len || stripped.data[soff] != '\0' || soff == 0 ||
		    strchr("0123456789el", stripped.data[soff - 1]) == NULL ||
		    stripped.data[soff - 1] == '\0') {
			note_bad(f, line, len, "json_scan refuses (%s at %zu), jansson accepts", serr, soff);
			return;
		}
		memmove(stripped.data + soff, stripped.data + soff + 1, stripped.len - soff - 1);
		stripped.len--;
		if (json_scan(stripped.data, stripped.len, keys, NKEYS, sp, &flags, &serr, &soff) == 0) {
			if (compare_values(f, stripped.data, stripped.len, sp, root, 0) == 0) {
				f->malformed++;
				f->known[K_JNUL]++;
			}
			return;
		}
	}
	note_bad(f, line, len, "too many NULs");
}

static void
check_line(struct family *f, const char *line, size_t len)
{
	static struct buf fixed;
	struct json_span sp[NELEM(keys)];
	unsigned flags;
	const char *serr = NULL;
	size_t soff = 0;
	int ours = json_scan(line, len, keys, NKEYS, sp, &flags, &serr, &soff) == 0;
	json_error_t jerr;
	json_t *root = json_loadb(line, len, JSON_ALLOW_NUL, &jerr), *root2;
	int theirs = root != NULL && json_is_object(root);
	enum known why;

	f->lines++;
	if (ours && theirs) {
		f->valid++;
		compare_values(f, line, len, sp, root, 0);
	} else if (!ours && !theirs) {
		f->malformed++;
		/* Both refuse; but json_scan must not blame the depth wrongly. */
		if (strcmp(serr, "nesting too deep") == 0 && nesting(line, soff + 1) <= JSON_MAX_DEPTH)
			note_bad(f, line, len, "json_scan: nesting too deep at %zu, but the depth there is %d",
			    soff, nesting(line, soff + 1));
	} else if (!ours) {
		jansson_nul(f, line, len, serr, soff, root);
	} else if (root != NULL) {
		note_bad(f, line, len, "json_scan accepts a top level that is not an object");
	} else if ((why = known_kind(&jerr)) == NKNOWN) {
		note_bad(f, line, len, "json_scan accepts, jansson: %s (at %d)", jerr.text, jerr.position);
	} else {
		rewrite(&fixed, line, len);
		root2 = json_loadb(fixed.data, fixed.len, JSON_ALLOW_NUL, &jerr);
		if (root2 != NULL && json_is_object(root2)) {
			if (compare_values(f, line, len, sp, root2, 1) == 0) {
				f->valid++;
				f->known[why]++;
			}
		} else if (root2 == NULL && json_error_code(&jerr) == json_error_stack_overflow) {
			int d = nesting(line, len);

			if (d <= JSON_MAX_DEPTH) {
				f->valid++;
				f->known[K_DEPTH]++;
			} else {
				note_bad(f, line, len, "json_scan accepts nesting %d", d);
			}
		} else {
			note_bad(f, line, len, "json_scan accepts; jansson, after rewriting for the known "
			    "differences: %s", root2 ? "not an object" : jerr.text);
		}
		json_decref(root2);
	}
	json_decref(root);
}

static int
report(const struct family *f)
{
	char known[300] = "";
	size_t o = 0;
	int k;

	for (k = 0; k < NKNOWN; k++)
		if (f->known[k])
			o += (size_t)snprintf(known + o, sizeof known - o, ", %lu %s", f->known[k],
			    known_name[k]);
	if (f->bad == 0) {
		printf("ok jsondiff/%s (%lu lines: %lu well formed, %lu malformed; known differences%s)\n",
		    f->name, f->lines, f->valid, f->malformed, o ? known + 1 : " none");
		return 0;
	}
	printf("FAIL jsondiff/%s: %lu of %lu lines disagree, first ones:\n", f->name, f->bad, f->lines);
	for (k = 0; k < MAX_SHOWN && (unsigned long)k < f->bad; k++)
		printf("  %s\n", f->shown[k]);
	return 1;
}

/* ---- the assumptions about jansson this test stands on ---- */

static int
check_assumptions(void)
{
	static const struct { const char *line; int ok; enum json_error_code code; } t[] = {
		{ "{\"text\":\"a\",\"text\":\"b\"}", 1, json_error_unknown },
		{ "{\"a\":\"\\u0000\"}", 1, json_error_unknown },
		{ "{\"a\":\"\\uD800\"}", 0, json_error_invalid_syntax },
		{ "{\"a\":\"\\uDC00\"}", 0, json_error_invalid_syntax },
		{ "{\"a\":\"\xFF\"}", 0, json_error_invalid_utf8 },
		{ "{\"a\":\"\xC0\xAF\"}", 0, json_error_invalid_utf8 },
		{ "{\"a\":\"\xED\xA0\x80\"}", 0, json_error_invalid_utf8 },
		{ "{\"a\":\"\xF4\x90\x80\x80\"}", 0, json_error_invalid_utf8 },
		{ "{\"a\":1e400}", 0, json_error_numeric_overflow },
		{ "{\"a\":9223372036854775808}", 0, json_error_numeric_overflow },
		{ "{\"a\\u0000\":1}", 0, json_error_null_byte_in_key },
		{ "{\"a\":1} x", 0, json_error_end_of_input_expected },
		{ "[1]", 1, json_error_unknown },	/* accepted: hence the json_is_object check */
	};
	struct buf b = BUF_INIT;
	json_error_t err;
	json_t *root;
	size_t i;
	int d;

	for (i = 0; i < NELEM(t); i++) {
		root = json_loadb(t[i].line, strlen(t[i].line), JSON_ALLOW_NUL, &err);
		if ((root != NULL) != t[i].ok || (!t[i].ok && json_error_code(&err) != t[i].code)) {
			printf("FAIL jsondiff/jansson-assumptions: %s: %s\n", t[i].line,
			    root ? "accepted" : err.text);
			return 1;
		}
		if (i == 0 && strcmp(json_string_value(json_object_get(root, "text")), "b") != 0) {
			printf("FAIL jsondiff/jansson-assumptions: the first duplicate key wins\n");
			return 1;
		}
		json_decref(root);
	}
	/* 2048 nested containers pass, 2049 do not, nor 2048 around a scalar. */
	for (d = 2047; d <= 2049; d++) {
		int scalar;

		for (scalar = 0; scalar <= 1; scalar++) {
			int want = d + scalar <= JSON_PARSER_MAX_DEPTH, k;

			buf_reset(&b);
			for (k = 0; k < d; k++)
				buf_addc(&b, '[');
			if (scalar)
				buf_addc(&b, '1');
			for (k = 0; k < d; k++)
				buf_addc(&b, ']');
			root = json_loadb(b.data, b.len, 0, &err);
			if ((root != NULL) != want ||
			    (!want && json_error_code(&err) != json_error_stack_overflow)) {
				printf("FAIL jsondiff/jansson-assumptions: depth %d%s: %s\n", d,
				    scalar ? " around a scalar" : "", root ? "accepted" : err.text);
				return 1;
			}
			json_decref(root);
		}
	}
	buf_release(&b);
	printf("ok jsondiff/jansson-assumptions (jansson %s)\n", JANSSON_VERSION);
	return 0;
}

/* ---- generated lines ---- */

static void gen_value(struct buf *b, int depth);

static void
gen_ws(struct buf *b)
{
	static const char *const ws[] = { " ", "\t", "\r", "\n", "  ", " \t\r\n " };

	if (rnd(6) == 0)
		buf_adds(b, ws[rnd(NELEM(ws))]);
}

static void
gen_hex4(struct buf *b, unsigned v)
{
	static const char lower[] = "0123456789abcdef", upper[] = "0123456789ABCDEF";
	const char *h = rnd(2) ? lower : upper;
	int s;

	buf_adds(b, "\\u");
	for (s = 12; s >= 0; s -= 4)
		buf_addc(b, h[(v >> s) & 15]);
}

/* A string's contents, mostly well formed; odd is how often (in 1000) a
 * piece is one of the known differences (bad UTF-8, a lone surrogate). */
static void
gen_string(struct buf *b, int odd)
{
	static const char *const esc[] = { "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t" };
	int n = (int)rnd(rnd(8) == 0 ? 80 : 12), i;

	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		uint32_t r = rnd(1000), cp;

		if (r < (uint32_t)odd / 2) {
			static const char *const bad[] = { "\xFF", "\xC0\xAF", "\xE0\x80\x80",
				"\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\x80", "\xF1\x80\x80",
				"\xF0\x9F\x98" };

			buf_adds(b, bad[rnd(NELEM(bad))]);
		} else if (r < (uint32_t)odd) {
			gen_hex4(b, 0xD800 + rnd(0x800));
		} else if (r < 500) {
			buf_addc(b, "abcdefghij klmnopqrstuvwxyz ABCXYZ 0123456789.,;:!?'{}[]"[rnd(56)]);
		} else if (r < 650) {
			cp = 0x80 + rnd(0x10FF80);
			if (cp >= 0xD800 && cp <= 0xDFFF)
				cp = 0x2028 + (cp & 1);
			utf8_add(b, cp);
		} else if (r < 800) {
			buf_adds(b, esc[rnd(NELEM(esc))]);
		} else if (r < 900) {
			cp = rnd(0x10000);
			if (cp >= 0xD800 && cp <= 0xDFFF)
				cp = rnd(0x20);
			gen_hex4(b, cp);
		} else if (r < 950) {
			cp = 0x10000 + rnd(0x100000);
			gen_hex4(b, 0xD800 + ((cp - 0x10000) >> 10));
			gen_hex4(b, 0xDC00 + ((cp - 0x10000) & 0x3FF));
		} else {
			buf_addc(b, 0x7F - (int)rnd(2) * 0x5F);	/* DEL or space */
		}
	}
	buf_addc(b, '"');
}

static int odd_rate;	/* see gen_string */

static void
gen_number(struct buf *b)
{
	static const char *const fixed[] = { "0", "-0", "1", "-1", "0.5e-3", "1E2", "1e+2", "1e-2",
		"-0.0", "1e400", "-1e400", "1e-400", "9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
		"3.141592653589793238462643383279", "2.2250738585072014e-308", "1.7976931348623157e308" };
	char tmp[64];

	switch (rnd(3)) {
	case 0:
		buf_adds(b, fixed[rnd(NELEM(fixed))]);
		break;
	case 1:
		snprintf(tmp, sizeof tmp, "%d", (int)rnd(2000000) - 1000000);
		buf_adds(b, tmp);
		break;
	default:
		snprintf(tmp, sizeof tmp, "%s%u.%u%s%d", rnd(2) ? "-" : "", rnd(1000), rnd(100000),
		    rnd(2) ? "e" : "E", (int)rnd(40) - 20);
		buf_adds(b, tmp);
	}
}

static void
gen_key(struct buf *b)
{
	static const char *const pool[] = { "\"text\"", "\"t\\u0065xt\"", "\"\\u0074ext\"",
		"\"title\"", "\"id\"", "\"i\\u0064\"", "\"TEXT\"", "\"tex\"", "\"texts\"", "\"a\"",
		"\"\"", "\"k\\\"q\"", "\"\\u00e9\"", "\"\xC3\xA9\"" };

	if (rnd(5) == 0)
		gen_string(b, odd_rate);
	else if (odd_rate && rnd(200) == 0)
		buf_adds(b, "\"nul\\u0000key\"");
	else
		buf_adds(b, pool[rnd(NELEM(pool))]);
}

static void
gen_object(struct buf *b, int depth, int top)
{
	int n = (int)rnd(top ? 7 : 4), i;

	buf_addc(b, '{');
	gen_ws(b);
	for (i = 0; i < n; i++) {
		if (i > 0) {
			buf_addc(b, ',');
			gen_ws(b);
		}
		gen_key(b);
		gen_ws(b);
		buf_addc(b, ':');
		gen_ws(b);
		if (top && rnd(3) == 0)
			gen_string(b, odd_rate);	/* plenty of string values at the top */
		else
			gen_value(b, depth + 1);
		gen_ws(b);
	}
	buf_addc(b, '}');
}

static void
gen_value(struct buf *b, int depth)
{
	int r = (int)rnd(depth > 6 ? 6 : 10), n, i;

	switch (r) {
	case 0: case 1: case 2:
		gen_string(b, odd_rate);
		break;
	case 3: case 4:
		gen_number(b);
		break;
	case 5:
		buf_adds(b, rnd(3) == 0 ? "true" : rnd(2) ? "false" : "null");
		break;
	case 6: case 7:
		gen_object(b, depth, 0);
		break;
	default:
		n = (int)rnd(5);
		buf_addc(b, '[');
		gen_ws(b);
		for (i = 0; i < n; i++) {
			if (i > 0) {
				buf_addc(b, ',');
				gen_ws(b);
			}
			gen_value(b, depth + 1);
			gen_ws(b);
		}
		buf_addc(b, ']');
	}
}

static void
gen_record(struct buf *b)
{
	buf_reset(b);
	if (rnd(10) == 0)
		gen_ws(b);
	gen_object(b, 0, 1);
	if (rnd(10) == 0)
		gen_ws(b);
}

/* A byte that breaks things more often than a random one does. */
static char
nasty_byte(void)
{
	static const char pick[] = "{}[]:,\"\\ 0123456789-+.eEtfnul\t\r\n\x00\x01\x1f\x7f/'";

	switch (rnd(3)) {
	case 0:
		return (char)rnd(256);
	case 1:
		return (char)(0x80 + rnd(0x80));
	default:
		return pick[rnd(sizeof pick - 1)];
	}
}

static void
mutate(struct buf *b, const char *family)
{
	size_t pos = b->len ? rnd((uint32_t)b->len) : 0;

	if (strcmp(family, "flip") == 0) {
		if (b->len)
			b->data[pos] = nasty_byte();
	} else if (strcmp(family, "truncate") == 0) {
		b->len = pos;
	} else if (strcmp(family, "insert") == 0) {
		buf_addc(b, 0);
		memmove(b->data + pos + 1, b->data + pos, b->len - 1 - pos);
		b->data[pos] = nasty_byte();
	} else if (strcmp(family, "delete") == 0) {
		if (b->len) {
			memmove(b->data + pos, b->data + pos + 1, b->len - pos - 1);
			b->len--;
		}
	} else if (strcmp(family, "splice") == 0 && b->len > 1) {
		/* Copy a random slice of the line over another place. */
		size_t from = rnd((uint32_t)b->len), n = 1 + rnd(8), to = rnd((uint32_t)b->len);

		if (from + n > b->len)
			n = b->len - from;
		if (to + n > b->len)
			n = b->len - to;
		memmove(b->data + to, b->data + from, n);
	}
}

/* Lines nested around both limits, of arrays and objects, with and
 * without a scalar inside. */
static void
gen_deep(struct family *f)
{
	static const int depths[] = { 2046, 2047, 2048, 2049, 2050, 3000, 4094, 4095, 4096, 4097,
		4098, 5000 };
	struct buf b = BUF_INIT;
	size_t i;
	int k, variant;

	for (i = 0; i < NELEM(depths); i++)
		for (variant = 0; variant < 6; variant++) {
			int d = depths[i];	/* containers in all, the record's object included */

			buf_reset(&b);
			buf_adds(&b, "{\"text\":\"deep\",\"a\":");
			for (k = 1; k < d; k++)
				buf_adds(&b, variant & 1 ? "{\"k\":" : "[");
			if (variant & 2)
				buf_adds(&b, variant & 1 ? "1" : "\"s\"");
			else if (variant & 1)
				b.len -= 5, buf_addc(&b, '{');	/* innermost object is empty */
			for (k = 1; k < d; k++)
				buf_addc(&b, variant & 1 ? '}' : ']');
			buf_addc(&b, '}');
			if (variant & 4)	/* the same, cut before the end */
				b.len -= 1 + rnd(3);
			check_line(f, b.data, b.len);
		}
	buf_release(&b);
}

static void
usage(void)
{
	fprintf(stderr, "usage: jsondiff [-n lines] [file ...]\n       jsondiff -c [file ...]\n");
	exit(2);
}

/* -c: is every line of fp a JSON object to jansson? */
static int
check_objects(FILE *fp, const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	int status = 0;

	while (status == 0 && (n = getline(&line, &cap, fp)) > 0) {
		json_error_t err;
		json_t *root;

		lineno++;
		if (line[n - 1] == '\n')
			n--;
		root = json_loadb(line, (size_t)n, JSON_ALLOW_NUL, &err);
		if (root == NULL || !json_is_object(root)) {
			fprintf(stderr, "jsondiff: %s:%lu: not a JSON object: %s\n", name, lineno,
			    root ? "another type" : err.text);
			status = 1;
		}
		json_decref(root);
	}
	if (lineno == 0) {
		fprintf(stderr, "jsondiff: %s: no lines\n", name);
		status = 1;
	}
	free(line);
	return status;
}

int
main(int argc, char **argv)
{
	static const char *const families[] = { "valid", "odd", "flip", "truncate", "insert",
		"delete", "splice" };
	unsigned long nlines = 300000;
	struct buf b = BUF_INIT;
	int i, status = 0;
	size_t fam;

	msg_init(argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "-c") == 0) {
			if (++i == argc)
				return check_objects(stdin, "<stdin>");
			for (; i < argc; i++) {
				FILE *fp = fopen(argv[i], "rb");

				if (fp == NULL || check_objects(fp, argv[i]) != 0)
					return 1;
				fclose(fp);
			}
			return 0;
		}
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			nlines = strtoul(argv[++i], NULL, 10);
		else
			usage();
	}
	status |= check_assumptions();
	for (; i < argc; i++) {
		struct family f;
		FILE *fp = fopen(argv[i], "rb");
		const char *base = strrchr(argv[i], '/');
		char *line = NULL, name[200];
		size_t cap = 0;
		ssize_t n;

		snprintf(name, sizeof name, "%s", base ? base + 1 : argv[i]);
		if (strchr(name, '.'))
			*strchr(name, '.') = '\0';
		memset(&f, 0, sizeof f);
		f.name = name;
		if (fp == NULL) {
			printf("FAIL jsondiff/%s: %s: %s\n", name, argv[i], strerror(errno));
			status = 1;
			continue;
		}
		while ((n = getline(&line, &cap, fp)) > 0) {
			if (line[n - 1] == '\n')
				n--;
			check_line(&f, line, (size_t)n);
		}
		free(line);
		fclose(fp);
		status |= report(&f);
	}
	/* Generated lines: every family gets an equal share. */
	for (fam = 0; fam < NELEM(families); fam++) {
		struct family f;
		unsigned long k, share = nlines / NELEM(families);

		memset(&f, 0, sizeof f);
		f.name = families[fam];
		odd_rate = strcmp(f.name, "valid") == 0 ? 0 : 20;
		for (k = 0; k < share; k++) {
			gen_record(&b);
			if (fam >= 2)
				mutate(&b, f.name);
			check_line(&f, b.data, b.len);
		}
		status |= report(&f);
	}
	{
		struct family f;

		memset(&f, 0, sizeof f);
		f.name = "depth";
		gen_deep(&f);
		status |= report(&f);
	}
	buf_release(&b);
	return status;
}
