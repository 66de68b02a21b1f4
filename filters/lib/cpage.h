/*
 * cpage: the single-byte legacy code pages that UTF-8 text gets misread
 * as, from ICU's converters, read "sloppily" as browsers and Python's
 * error handlers do: a byte the code page leaves undefined reads as the C1
 * control of the same number.  Windows-1252 also reads as Latin-1: the C1
 * controls and U+00A0..U+00FF stand for their own bytes there.
 *
 * The tables are built once by cpage_open and only read afterwards, so
 * one handle may serve any number of threads.
 */
#ifndef WINNOW_CPAGE_H
#define WINNOW_CPAGE_H

#include <stdint.h>

/* In the order a misreading is tried: the common ones first. */
enum cpage_id {
	CPAGE_1252, CPAGE_1250, CPAGE_8859_2, CPAGE_1251, CPAGE_1257, CPAGE_MAC, CPAGE_437,
	CPAGE_N
};

struct cpage;

/* Exits through msg_fatal when ICU lacks a converter. */
struct cpage *cpage_open(void);
void cpage_close(struct cpage *cp);

/* The ICU name of a code page, for messages and tests. */
const char *cpage_name(int page);

/* The character byte b (0x80..0xFF) reads as in page. */
uint32_t cpage_char(const struct cpage *cp, int page, unsigned b);

/* The byte (0x80..0xFF) that c reads from in page, or -1 (ASCII too). */
int cpage_byte(const struct cpage *cp, int page, uint32_t c);

/* Bit k set: in page k, c reads from a byte that can start a UTF-8
 * sequence of two or more bytes (C2..F4).  0 for ASCII. */
unsigned cpage_leads(const struct cpage *cp, uint32_t c);

/* Bit k set: in page k, c reads from a continuation byte (80..BF). */
unsigned cpage_conts(const struct cpage *cp, uint32_t c);

#endif
