/*
 * fprint: the fingerprint of a line, for site repetition, and the hashes
 * of its words, for repetition within a record.  Two lines with the same
 * fingerprint are the same furniture even when a date, a count or the case
 * of a word differs: letters are case-folded, every digit counts as 0, and
 * runs of punctuation and white space count as one space ("Posted 12
 * March, 2026 |" and "posted 30 April 2026" differ only in the month).
 *
 * The hashes are winnow's own (a multiply-xorshift over the folded bytes
 * with a fixed seed, 64 bits), fixed by this definition: state files and
 * count tables store them, so changing it means a new file version.
 */
#ifndef DEDUPE_FPRINT_H
#define DEDUPE_FPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* The seed of every hash; tables record it. */
#define FP_SEED UINT64_C(0x77696e6e6f772d31)

/* A line that folds to nothing (blank, or punctuation alone). */
#define FP_EMPTY UINT64_C(0)

/* One line's fingerprint and words, filled by fp_line and reused line
 * after line. */
struct fp_line {
	uint64_t fp;		/* FP_EMPTY when the folded line is empty, never otherwise */
	uint64_t *word;		/* hash of each folded word, in order */
	size_t nwords, cap;
	uint32_t numbers;	/* words made of digits alone */
	uint64_t figures;	/* a hash of the line's digits as written, which
				 * fp folds: two lines that differ only in their
				 * figures have the same fp, not the same figures */
	struct buf folded;	/* room for lines ICU folds */
	uint32_t *bound;	/* where each word starts, then where each ends */
	size_t boundcap;	/* words bound has room for */
	uint64_t *raw;		/* a bit for each byte outside ASCII in a word */
	size_t rawcap;		/* words of 64 bits raw has room for */
};

void fp_line_release(struct fp_line *l);

/* Fingerprint the valid UTF-8 line p[0..n) into l. */
void fp_line(const char *p, size_t n, struct fp_line *l);

/* Whether fp_line may take its vector way (words hashed a word a lane,
 * where the processor has AVX-512 with VBMI2), on by default: 0 sends
 * every line the way byte by byte, whose values the lanes must equal, so
 * that a test can compare the two.  Returns whether the lanes are on. */
int fp_lanes_enable(int on);

/* The hash of a word as fp_line hashes words (ASCII lower case), for
 * tables of known words. */
uint64_t fp_word(const char *p, size_t n);

/* A hash of the site a record comes from: the host of a URL (lower case,
 * without "www." and a port), or any other string as it is. */
uint64_t fp_site_url(const char *url, size_t n);
uint64_t fp_site_name(const char *name, size_t n);

/* The multiplier of every hash step. */
#define FP_MUL UINT64_C(0x9E3779B97F4A7C15)

/* splitmix64's finaliser, the last step of every hash. */
static inline uint64_t
fp_mix(uint64_t k)
{
	k = (k ^ (k >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	k = (k ^ (k >> 27)) * UINT64_C(0x94D049BB133111EB);
	return k ^ (k >> 31);
}

/* A hash of two hashes (the key of a line of a site in the count table, a
 * shingle): never 0.  Inline: the detectors take millions a second. */
static inline uint64_t
fp_key(uint64_t a, uint64_t b)
{
	uint64_t k = fp_mix(b ^ (a * FP_MUL));

	return k ? k : 1;
}

#endif
