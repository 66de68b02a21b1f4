/*
 * rng.h: the small fixed-seed generator (xorshift64*) the C tests share,
 * so that every run draws the same cases.  Each program has its own state.
 */
#ifndef WINNOW_TESTS_RNG_H
#define WINNOW_TESTS_RNG_H

#include <stdint.h>

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

/* A number in [0, n). */
static inline uint32_t
rnd(uint32_t n)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return (uint32_t)((x * 0x2545F4914F6CDD1DULL) >> 32) % n;
}

#endif
