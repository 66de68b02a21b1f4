/*
 * hugeheap: let the kernel back the heap the window fills with huge pages.
 *
 * The window holds a thousand records, and each one's copy, text, lines
 * and word hashes: some forty megabytes of small blocks, written for the
 * first time while the window fills.  Page by page, that is ten thousand
 * faults, each costly under a hypervisor (half of the time of the first
 * thousand records).  In 2 MiB pages it is twenty.  Transparent huge pages
 * are given only where asked for (madvise) on most systems, and malloc
 * does not ask: hh_reserve makes the heap grow by a large step once and
 * asks for that step.  It changes no result, and where it cannot (another
 * malloc, a sanitizer's, no sbrk heap, no huge pages) it does nothing.
 */
#ifndef DEDUPE_HUGEHEAP_H
#define DEDUPE_HUGEHEAP_H

#include <stddef.h>

/* Grow the heap by about bytes now, in huge pages where the kernel has
 * them, and keep it grown; call it once, before the window fills. */
void hh_reserve(size_t bytes);

#endif
