/*
 * compat.h: included first by every source file, so that large files and
 * the POSIX interfaces the library uses are declared the same everywhere.
 */
#ifndef WINNOW_COMPAT_H
#define WINNOW_COMPAT_H

#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64
#define _DEFAULT_SOURCE

#if defined(__GNUC__)
#define WN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define WN_NORETURN __attribute__((noreturn))
#define WN_LIKELY(x) __builtin_expect(!!(x), 1)
#define WN_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define WN_PRINTF(f, a)
#define WN_NORETURN
#define WN_LIKELY(x) (x)
#define WN_UNLIKELY(x) (x)
#endif

#define WN_VERSION "0.1.0"

#endif
