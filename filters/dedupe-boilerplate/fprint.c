#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "fprint.h"
#include "msg.h"
#include "uni.h"
#include "utf8.h"

/* How fp_line treats a byte: 0 for an ASCII separator, 1 for a byte
 * that is not ASCII (decoded and classified by uni_gc), else the byte an
 * ASCII letter or digit folds to ('0' for digits, lower case for
 * letters). */
static unsigned char byte_fold[256];

static void
init_fold(void)
{
	int c;

	for (c = 0; c < 256; c++)
		byte_fold[c] = c >= 0x80 ? 1 : c >= '0' && c <= '9' ? '0' :
		    c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) :
		    c >= 'a' && c <= 'z' ? (unsigned char)c : 0;
}

static void
grow_words(struct fp_line *l)
{
	l->cap = l->cap ? 2 * l->cap : 64;
	l->word = xrealloc(l->word, l->cap * sizeof *l->word);
}

/* The end of a word hashed h: into l's words and the line's fingerprint. */
static inline void
end_word(struct fp_line *l, uint64_t h, int digits_only, uint64_t *fp)
{
	uint64_t w = fp_mix(h);

	if (l->nwords == l->cap)
		grow_words(l);
	l->word[l->nwords++] = w;
	l->numbers += (uint32_t)digits_only;
	*fp = (*fp ^ w) * FP_MUL;
}

/* The length of the run of ASCII that p[0..n) opens with, found eight
 * bytes at a time: a line with one curly quote is mostly ASCII. */
static size_t
ascii_run(const unsigned char *p, size_t n)
{
	size_t i = 0;
	uint64_t v;

	while (i + 8 <= n && (memcpy(&v, p + i, 8), (v & UINT64_C(0x8080808080808080)) == 0))
		i += 8;
	while (i < n && p[i] < 0x80)
		i++;
	return i;
}

/* Does the line hold a letter outside ASCII, which only ICU folds right? */
static int
needs_icu(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t c;
		int len;

		if ((i += ascii_run(p + i, n - i)) == n)
			break;
		len = utf8_decode(p + i, n - i, &c);
		if (len == 0)
			return 1;
		if (uni_gc(c) == UNI_GC_LETTER)
			return 1;
		i += (size_t)len;
	}
	return 0;
}

/*
 * Case folding maps each character on its own, whatever stands around it,
 * so a line folds character by character as well as whole.  The folding
 * of a character below FOLD_CACHED (Latin, Greek, Cyrillic and the
 * punctuation of most news text) is asked of ICU once and kept; ASCII
 * stays as it is, which fp_line folds itself.
 */
#define FOLD_CACHED 0x3000

struct folded {
	unsigned char len;	/* 0: not asked yet */
	char s[15];
};

static struct folded *fold_cache;

/* The folding of the line p[0..n) appended to out; 0 (out half written)
 * at a character the cache does not keep. */
static int
fold_by_char(const unsigned char *p, size_t n, struct buf *out)
{
	size_t i = 0, run;

	if (fold_cache == NULL)
		fold_cache = xcalloc(FOLD_CACHED, sizeof *fold_cache);
	while (i < n) {
		struct folded *f;
		uint32_t c;
		int len;

		run = ascii_run(p + i, n - i);
		buf_add(out, (const char *)p + i, run);
		if ((i += run) == n)
			break;
		len = utf8_decode(p + i, n - i, &c);
		if (len == 0 || c >= FOLD_CACHED)
			return 0;
		f = &fold_cache[c];
		if (f->len == 0) {
			struct buf one;

			buf_init(&one);
			uni_fold((const char *)p + i, (size_t)len, &one);
			if (one.len == 0 || one.len > sizeof f->s) {
				buf_release(&one);
				return 0;
			}
			memcpy(f->s, one.data, one.len);
			f->len = (unsigned char)one.len;
			buf_release(&one);
		}
		buf_add(out, f->s, f->len);
		i += (size_t)len;
	}
	return 1;
}

/*
 * One byte at a time: a word's hash h = (h ^ byte) * FP_MUL over its folded
 * bytes from FP_SEED; figures the same over the digits as written, with
 * 0x100 for each separator.  ASCII bytes go through byte_fold; any other
 * character is decoded and classified.
 */
void
fp_line(const char *line, size_t n, struct fp_line *l)
{
	const unsigned char *p = (const unsigned char *)line;
	uint64_t h = 0, fp = FP_SEED, figures = FP_SEED;
	size_t i = 0;
	int in_word = 0, digits_only = 1, in_number = 0;

	if (byte_fold['a'] != 'a')
		init_fold();
	l->nwords = 0;
	l->numbers = 0;
	if (!utf8_ascii(p, n) && needs_icu(p, n)) {
		buf_reset(&l->folded);
		if (!fold_by_char(p, n, &l->folded)) {
			buf_reset(&l->folded);
			uni_fold(line, n, &l->folded);
		}
		p = (const unsigned char *)l->folded.data;
		n = l->folded.len;
	}
	while (i < n) {
		uint32_t c = p[i], f = byte_fold[c];
		size_t len, k;
		int got;
		enum uni_gc gc;

		if (f > 1 && !in_word) {
			h = FP_SEED;
			digits_only = 1;
			in_word = 1;
		}
		if (f == '0') {
			/* An ASCII digit. */
			figures = (figures ^ c) * FP_MUL;
			in_number = 1;
			h = (h ^ f) * FP_MUL;
			i++;
			continue;
		}
		/* Whatever ends a number marks its end in the figures, so that
		 * numbers apart stay apart ("1 23" is not "12 3"); nothing
		 * else of the line is in them. */
		if (in_number) {
			figures = (figures ^ 0x100) * FP_MUL;
			in_number = 0;
		}
		if (f > '0') {
			/* A run of ASCII letters.  Most end the word at an ASCII
			 * separator: it is taken here at once, by a test of its own
			 * that nearly always goes the same way, where the tests
			 * above, met again, went one way or another byte by byte. */
			digits_only = 0;
			do {
				h = (h ^ f) * FP_MUL;
			} while (++i < n && (f = byte_fold[p[i]]) > '0');
			if (i < n && f == 0) {
				end_word(l, h, digits_only, &fp);
				in_word = 0;
				i++;
			}
			continue;
		}
		if (f == 0) {
			/* An ASCII separator. */
			if (in_word)
				end_word(l, h, digits_only, &fp);
			in_word = 0;
			i++;
			continue;
		}
		got = utf8_decode(p + i, n - i, &c);
		len = got > 0 ? (size_t)got : 1;
		gc = got > 0 ? uni_gc(c) : UNI_GC_OTHER;
		if (gc == UNI_GC_FORMAT) {	/* soft hyphen, ZWJ: vanish */
			i += len;
			continue;
		}
		if (gc == UNI_GC_SPACE || gc == UNI_GC_OTHER) {
			if (in_word)
				end_word(l, h, digits_only, &fp);
			in_word = 0;
			i += len;
			continue;
		}
		if (!in_word) {
			h = FP_SEED;
			digits_only = 1;
			in_word = 1;
		}
		if (gc == UNI_GC_DIGIT) {
			figures = (figures ^ c) * FP_MUL;
			in_number = 1;
			h = (h ^ '0') * FP_MUL;
		} else {
			digits_only = 0;
			for (k = 0; k < len; k++)
				h = (h ^ p[i + k]) * FP_MUL;
		}
		i += len;
	}
	if (in_word)
		end_word(l, h, digits_only, &fp);
	l->fp = l->nwords ? fp_mix(fp) | 1 : FP_EMPTY;
	l->figures = fp_mix(figures);
}

void
fp_line_release(struct fp_line *l)
{
	free(l->word);
	buf_release(&l->folded);
	memset(l, 0, sizeof *l);
}

uint64_t
fp_word(const char *p, size_t n)
{
	struct fp_line l;
	uint64_t h;

	memset(&l, 0, sizeof l);
	fp_line(p, n, &l);
	h = l.nwords == 1 ? l.word[0] : 0;
	fp_line_release(&l);
	return h;
}

/* A string's hash, byte by byte. */
static uint64_t
hash_bytes(const char *p, size_t n, uint64_t seed)
{
	uint64_t h = seed;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * FP_MUL;
	return fp_mix(h);
}

uint64_t
fp_site_name(const char *name, size_t n)
{
	return hash_bytes(name, n, FP_SEED ^ 1);
}

uint64_t
fp_site_url(const char *url, size_t n)
{
	const char *p = url, *end = url + n, *host, *stop;
	char lower[256];
	size_t i, len;

	/* scheme://[user@]host[:port][/path]: the host alone. */
	for (host = p; host + 2 < end; host++)
		if (host[0] == ':' && host[1] == '/' && host[2] == '/') {
			p = host + 3;
			break;
		}
	for (stop = p; stop < end && *stop != '/' && *stop != '?' && *stop != '#'; stop++)
		if (*stop == '@')
			p = stop + 1;
	for (host = p; host < stop && *host != ':'; host++)
		;
	len = (size_t)(host - p);
	if (len >= sizeof lower)
		len = sizeof lower - 1;
	for (i = 0; i < len; i++)
		lower[i] = p[i] >= 'A' && p[i] <= 'Z' ? (char)(p[i] + 32) : p[i];
	if (len > 4 && memcmp(lower, "www.", 4) == 0)
		return fp_site_name(lower + 4, len - 4);
	return fp_site_name(lower, len);
}
