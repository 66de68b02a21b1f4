#include "compat.h"

#include "shuffle.h"

void
shuffle_u32(uint32_t *a, size_t n, uint64_t *seed)
{
	size_t i, j;

	for (i = n; i > 1; i--) {
		uint32_t tmp;

		*seed ^= *seed << 13;
		*seed ^= *seed >> 7;
		*seed ^= *seed << 17;
		j = (size_t)(*seed % i);
		tmp = a[i - 1];
		a[i - 1] = a[j];
		a[j] = tmp;
	}
}
