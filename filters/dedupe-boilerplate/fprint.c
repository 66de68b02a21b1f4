#include "compat.h"

#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define FP_LANES 1
#endif

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

/* The kinds of characters outside ASCII outside_ascii meets, a bit each:
 * spaces, punctuation and symbols, separators, have none. */
enum {
	OUTSIDE_WORD = 1,	/* a letter, a mark, a number: bytes of a word */
	OUTSIDE_LETTER = 2,	/* a letter, which only ICU folds right */
	OUTSIDE_OTHER = 4,	/* a digit, a format character: a way of its own */
	OUTSIDE_BAD = 8		/* bytes that are not UTF-8, which ICU takes too */
};

/* The kinds of the characters of p[0..n) outside ASCII; the bytes of the
 * words' ones into raw, a bit each, unless raw is NULL. */
static unsigned
outside_ascii(const unsigned char *p, size_t n, uint64_t *raw)
{
	unsigned met = 0;
	size_t i = 0, k;

	while (i < n) {
		enum uni_gc gc;
		uint32_t c;
		int len;

		if ((i += ascii_run(p + i, n - i)) == n)
			break;
		if ((len = utf8_decode(p + i, n - i, &c)) == 0)
			return met | OUTSIDE_BAD;
		gc = uni_gc(c);
		if (gc == UNI_GC_DIGIT || gc == UNI_GC_FORMAT)
			met |= OUTSIDE_OTHER;
		else if (gc != UNI_GC_SPACE && gc != UNI_GC_OTHER) {
			met |= gc == UNI_GC_LETTER ? OUTSIDE_WORD | OUTSIDE_LETTER : OUTSIDE_WORD;
			for (k = i; raw != NULL && k < i + (size_t)len; k++)
				raw[k / 64] |= UINT64_C(1) << (k % 64);
		}
		i += (size_t)len;
	}
	return met;
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

#ifdef FP_LANES
/*
 * Byte by byte, each word's hash is a chain of multiplications, and its
 * end a branch that goes the other way at a different place each time;
 * the next word waits for both.  So a line takes another way to the same
 * values where the processor multiplies eight 64-bit lanes at once and
 * packs the bytes a mask picks (AVX-512, with VBMI2): its words are found
 * first, from bitmaps of its letters and digits, then hashed sixteen at a
 * time, a word a lane, each lane's chain beside the others'.  Nine lines
 * of news text in ten are ASCII but for spaces, punctuation and symbols (a
 * curly quote, a dash), whose words are their runs of ASCII letters and
 * digits; most others hold letters outside ASCII, whose bytes, once
 * folded, are a word's as they are.  A digit or a format character
 * outside ASCII, rare, keeps a line on the way byte by byte.
 */

/* Sixty-four bytes of p[0..n) from at, and masks of those that are ASCII
 * letters and digits; bytes past n read as 0, a separator. */
__attribute__((target("arch=x86-64-v4")))
static inline void
classify64(const unsigned char *p, size_t n, size_t at, uint64_t *letters, uint64_t *digits)
{
	__mmask64 in = n - at >= 64 ? ~(__mmask64)0 : ((__mmask64)1 << (n - at)) - 1;
	__m512i v = _mm512_maskz_loadu_epi8(in, p + at);
	__m512i lower = _mm512_or_si512(v, _mm512_set1_epi8(0x20));

	*digits = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')),
	    _mm512_set1_epi8(10));
	*letters = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(lower, _mm512_set1_epi8('a')),
	    _mm512_set1_epi8(26));
}

/* The places of the bits of mask, each plus at, into out, which has room
 * for fifteen more; returns how many.  No branch on each, as a loop over
 * the bits would take: their number differs from line to line. */
__attribute__((target("arch=x86-64-v4,avx512vbmi2")))
static inline size_t
places(uint64_t mask, size_t at, uint32_t *out)
{
	static const uint8_t upto64[64] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
		22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41,
		42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61,
		62, 63
	};
	uint8_t packed[64];
	size_t k, n = (size_t)__builtin_popcountll(mask);

	_mm512_storeu_si512(packed, _mm512_maskz_compress_epi8(mask, _mm512_loadu_si512(upto64)));
	for (k = 0; k < n; k += 16)
		_mm512_storeu_si512(out + k, _mm512_add_epi32(_mm512_cvtepu8_epi32(
		    _mm_loadu_si128((const __m128i *)(const void *)(packed + k))),
		    _mm512_set1_epi32((int)at)));
	return n;
}

/* Where the words of p[0..n) start and end, into l->bound, with the
 * bytes of raw (NULL for none) in words too; the figures of its digits
 * into *figures, as fp_line takes them.  Returns how many words. */
__attribute__((target("arch=x86-64-v4,avx512vbmi2")))
static size_t
find_words(const unsigned char *p, size_t n, const uint64_t *raw, struct fp_line *l,
    uint64_t *figures)
{
	uint32_t *start, *end;
	uint64_t word_carry = 0, digit_carry = 0;
	size_t at, nw = 0, ne = 0;

	/* A word and a separator are two bytes at least; places writes up
	 * to fifteen more. */
	if (l->boundcap < n / 2 + 17) {
		l->boundcap = n / 2 + 17;
		l->bound = xrealloc(l->bound, 2 * l->boundcap * sizeof *l->bound);
	}
	start = l->bound;
	end = l->bound + l->boundcap;
	for (at = 0; at < n; at += 64) {
		uint64_t letters, digits, alnum, starts, ends, events, in;

		classify64(p, n, at, &letters, &digits);
		alnum = letters | digits | (raw ? raw[at / 64] : 0);
		starts = alnum & ~(alnum << 1 | word_carry);
		ends = ~alnum & (alnum << 1 | word_carry);
		word_carry = alnum >> 63;
		nw += places(starts, at, start + nw);
		ne += places(ends, at, end + ne);
		/* A digit goes into the figures as written, and the end of a
		 * number, but at the end of the line, as 0x100. */
		in = n - at >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << (n - at)) - 1;
		events = (digits | (~digits & (digits << 1 | digit_carry))) & in;
		digit_carry = digits >> 63;
		for (; events != 0; events &= events - 1) {
			size_t i = at + (size_t)__builtin_ctzll(events);

			*figures = (*figures ^ ((digits >> (i - at) & 1) ? p[i] : 0x100u)) * FP_MUL;
		}
	}
	if (ne < nw)
		end[ne++] = (uint32_t)n;
	return nw;
}

/* h on over bytes [c, c + 8) of the words that start at start and are
 * len long in the line p (the lanes of more, those longer than c),
 * folded as byte_fold folds letters and digits; *lettered gets the lanes
 * that hold a letter there.  Eight bytes are read from no further than
 * last, the line's last eight, and shifted where they start before the
 * word's. */
__attribute__((target("arch=x86-64-v4")))
static inline __m512i
hash_bytes8(const unsigned char *p, __m512i last, __m512i start, __m512i len, uint64_t c,
    __mmask8 lanes, __m512i h, __mmask8 *lettered)
{
	const __m512i at = _mm512_set1_epi64((long long)c), from = _mm512_add_epi64(start, at);
	const __m512i read = _mm512_min_epu64(from, last);
	const __mmask8 more = _mm512_mask_cmpgt_epu64_mask(lanes, len, at);
	__m512i v = _mm512_srlv_epi64(_mm512_mask_i64gather_epi64(_mm512_setzero_si512(), more,
	    read, p, 1), _mm512_slli_epi64(_mm512_sub_epi64(from, read), 3));
	const __mmask64 letter = _mm512_test_epi8_mask(v, _mm512_set1_epi8(0x40));
	/* The bytes of each lane inside its word. */
	const __m512i inside = _mm512_andnot_si512(_mm512_sllv_epi64(_mm512_set1_epi64(-1),
	    _mm512_slli_epi64(_mm512_min_epu64(_mm512_sub_epi64(len, at), _mm512_set1_epi64(8)), 3)),
	    _mm512_set1_epi64(-1));
	int j;

	/* A byte above 0x7F stays as it is, a lead byte counting as a letter
	 * for digits alone. */
	*lettered |= _mm512_mask_test_epi64_mask(more, _mm512_maskz_mov_epi8(letter, v), inside);
	v = _mm512_mask_blend_epi8(_mm512_movepi8_mask(v), _mm512_mask_blend_epi8(letter,
	    _mm512_set1_epi8('0'), _mm512_or_si512(v, _mm512_set1_epi8(0x20))), v);
#pragma GCC unroll 8
	for (j = 0; j < 8; j++) {
		__mmask8 on = _mm512_mask_cmpgt_epu64_mask(more, len,
		    _mm512_set1_epi64((long long)(c + (uint64_t)j)));
		__m512i b = _mm512_and_si512(_mm512_srli_epi64(v, (unsigned)(8 * j)),
		    _mm512_set1_epi64(0xFF));

		h = _mm512_mask_mullo_epi64(h, on, _mm512_xor_si512(h, b),
		    _mm512_set1_epi64((long long)FP_MUL));
	}
	return h;
}

/* Eight words of a line, a lane each, as hash16 hashes them. */
struct words8 {
	__mmask8 lanes;		/* those that hold a word */
	__mmask8 lettered;	/* those whose word holds a letter */
	__m512i start, len, h;
};

/* Words [from, from + 8) of l->bound, those below nw, into g. */
__attribute__((target("arch=x86-64-v4")))
static inline void
words8_init(struct words8 *g, const struct fp_line *l, size_t from, size_t nw)
{
	g->lanes = (__mmask8)(from >= nw ? 0 : nw - from >= 8 ? 0xFF : (1u << (nw - from)) - 1);
	g->start = _mm512_cvtepu32_epi64(_mm256_maskz_loadu_epi32(g->lanes, l->bound + from));
	g->len = _mm512_sub_epi64(_mm512_cvtepu32_epi64(_mm256_maskz_loadu_epi32(g->lanes,
	    l->bound + l->boundcap + from)), g->start);
	g->h = _mm512_set1_epi64((long long)FP_SEED);
	g->lettered = 0;
}

/* g's hashes, fp_mix lane by lane, into l->word from from; returns how
 * many of its words are made of digits alone. */
__attribute__((target("arch=x86-64-v4")))
static inline uint32_t
words8_store(const struct words8 *g, struct fp_line *l, size_t from)
{
	__m512i k = _mm512_mullo_epi64(_mm512_xor_si512(g->h, _mm512_srli_epi64(g->h, 30)),
	    _mm512_set1_epi64((long long)UINT64_C(0xBF58476D1CE4E5B9)));

	k = _mm512_mullo_epi64(_mm512_xor_si512(k, _mm512_srli_epi64(k, 27)),
	    _mm512_set1_epi64((long long)UINT64_C(0x94D049BB133111EB)));
	k = _mm512_xor_si512(k, _mm512_srli_epi64(k, 31));
	_mm512_mask_storeu_epi64(l->word + from, g->lanes, k);
	return (uint32_t)__builtin_popcount((unsigned)(g->lanes & ~g->lettered));
}

/* Is a word of g longer than c? */
__attribute__((target("arch=x86-64-v4")))
static inline int
longer(const struct words8 *g, uint64_t c)
{
	return _mm512_mask_cmpgt_epu64_mask(g->lanes, g->len, _mm512_set1_epi64((long long)c)) != 0;
}

/*
 * The hashes of words [from, from + 16) of l->bound (those below nw) in
 * the line p[0..n), n at least 8, into l->word from there.  Returns how
 * many are made of digits alone.  Two groups of eight: each lane's chain
 * of multiplications waits on itself, and the other group's runs beside
 * it.  Two rounds of eight bytes are taken whatever the words' lengths,
 * and more only for a word longer than sixteen: a branch on how many a
 * group of words needs would go one way and the other.
 */
__attribute__((target("arch=x86-64-v4")))
static uint32_t
hash16(const unsigned char *p, size_t n, struct fp_line *l, size_t from, size_t nw)
{
	const __m512i last = _mm512_set1_epi64((long long)(n - 8));
	struct words8 a, b;
	uint64_t c;

	words8_init(&a, l, from, nw);
	words8_init(&b, l, from + 8, nw);
	for (c = 0; c < 16 || longer(&a, c) || longer(&b, c); c += 8) {
		a.h = hash_bytes8(p, last, a.start, a.len, c, a.lanes, a.h, &a.lettered);
		b.h = hash_bytes8(p, last, b.start, b.len, c, b.lanes, b.h, &b.lettered);
	}
	return words8_store(&a, l, from) + words8_store(&b, l, from + 8);
}

/* Whether fp_line hashes words in vector lanes: -1 until asked whether
 * the processor can. */
static int lanes_on = -1;

static int
lanes_here(void)
{
	return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
	    __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
	    __builtin_cpu_supports("avx512vbmi2");
}

int
fp_lanes_enable(int on)
{
	lanes_on = on && lanes_here();
	return lanes_on;
}

/* The bytes of the words' characters of p[0..n) outside ASCII (see
 * outside_ascii) into l->raw; 0 when one takes a way of its own. */
static int
raw_bytes(const unsigned char *p, size_t n, struct fp_line *l)
{
	if (l->rawcap < n / 64 + 1) {
		l->rawcap = n / 64 + 1;
		l->raw = xrealloc(l->raw, l->rawcap * sizeof *l->raw);
	}
	memset(l->raw, 0, (n / 64 + 1) * sizeof *l->raw);
	return !(outside_ascii(p, n, l->raw) & (OUTSIDE_OTHER | OUTSIDE_BAD));
}

/* fp_line on the line p[0..n), folded, where the processor has AVX-512;
 * its characters outside ASCII are separators unless raw says they may
 * be more.  0 (l untouched) where the processor has not, or a character
 * is not one raw_bytes takes. */
static int
fp_lanes(const unsigned char *p, size_t n, struct fp_line *l, int raw)
{
	uint64_t fp = FP_SEED, figures = FP_SEED;
	size_t nw, i, k, done = 0;
	unsigned char pad[8] = { 0 };

	if (lanes_on < 0)
		lanes_on = lanes_here();
	if (!lanes_on || n > UINT32_MAX || (raw && !raw_bytes(p, n, l)))
		return 0;
	nw = find_words(p, n, raw ? l->raw : NULL, l, &figures);
	while (l->cap < nw)
		grow_words(l);
	/* The words are read eight bytes at a time: a shorter line from a
	 * copy padded to eight. */
	if (n < 8) {
		memcpy(pad, p, n);
		p = pad;
	}
	l->numbers = 0;
	/* The fingerprint takes each group's words while the next group's
	 * are hashed. */
	for (i = 0; i < nw; i += 16) {
		l->numbers += hash16(p, n < 8 ? 8 : n, l, i, nw);
		for (k = done; k < i; k++)
			fp = (fp ^ l->word[k]) * FP_MUL;
		done = i;
	}
	for (k = done; k < nw; k++)
		fp = (fp ^ l->word[k]) * FP_MUL;
	l->nwords = nw;
	l->fp = nw ? fp_mix(fp) | 1 : FP_EMPTY;
	l->figures = fp_mix(figures);
	return 1;
}
#else
int
fp_lanes_enable(int on)
{
	(void)on;
	return 0;
}
#endif

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
	unsigned met = utf8_ascii(p, n) ? 0 : outside_ascii(p, n, NULL);

	if (byte_fold['a'] != 'a')
		init_fold();
	if (met & (OUTSIDE_LETTER | OUTSIDE_BAD)) {
		buf_reset(&l->folded);
		if (!fold_by_char(p, n, &l->folded)) {
			buf_reset(&l->folded);
			uni_fold(line, n, &l->folded);
		}
		p = (const unsigned char *)l->folded.data;
		n = l->folded.len;
	}
#ifdef FP_LANES
	/* A digit or a format character outside ASCII, which folding
	 * leaves, takes the way byte by byte. */
	if (!(met & OUTSIDE_OTHER) && fp_lanes(p, n, l, met != 0))
		return;
#endif
	l->nwords = 0;
	l->numbers = 0;
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
	free(l->bound);
	free(l->raw);
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
