#include "compat.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "hugeheap.h"

/* Below glibc's threshold for blocks of their own mapping (128 KiB), so
 * that the blocks come from the heap and make it grow. */
#define PROBE_BYTES (64 << 10)
#define MAX_PROBES 64

#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
void
hh_reserve(size_t bytes)
{
	void *probe[MAX_PROBES];
	uintptr_t from, to, page = (uintptr_t)sysconf(_SC_PAGESIZE);
	char *old;
	int n = 0;

	if (bytes > INT_MAX / 2)
		bytes = INT_MAX / 2;
	/* Each time malloc grows the heap, it grows it by bytes more than
	 * asked, and it gives back no less than twice that: the step below
	 * stays, and the window's blocks come from it. */
	if (!mallopt(M_TOP_PAD, (int)bytes) || !mallopt(M_TRIM_THRESHOLD, (int)(2 * bytes)))
		return;
	old = sbrk(0);
	if (old == (char *)-1)
		return;
	while (n < MAX_PROBES && (char *)sbrk(0) == old) {
		probe[n] = malloc(PROBE_BYTES);
		if (probe[n++] == NULL)
			break;
	}
	from = ((uintptr_t)old + page - 1) & ~(page - 1);
	to = (uintptr_t)sbrk(0) & ~(page - 1);
	/* Advice only: a kernel without huge pages refuses it, and the
	 * heap is as it would have been. */
	if (to > from)
		(void)madvise((void *)from, to - from, MADV_HUGEPAGE);
	while (n > 0)
		free(probe[--n]);
}
#else
void
hh_reserve(size_t bytes)
{
	(void)bytes;
}
#endif
