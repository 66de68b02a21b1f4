/*
 * shuffle: a reproducible random order, for trainers that visit their
 * examples in a shuffled order fixed by a seed, so that the same data
 * always gives the same model.  xorshift64 (Marsaglia), which is plenty
 * for ordering and the same on every machine.
 */
#ifndef WINNOW_SHUFFLE_H
#define WINNOW_SHUFFLE_H

#include <stddef.h>
#include <stdint.h>

/* Shuffle a[0..n) (Fisher-Yates), drawing from and advancing *seed, which
 * must not be 0. */
void shuffle_u32(uint32_t *a, size_t n, uint64_t *seed);

#endif
