#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>

#include "cpage.h"
#include "msg.h"

/* ICU's names; the order is enum cpage_id's. */
static const char *const names[CPAGE_N] = {
	"windows-1252", "windows-1250", "iso-8859-2", "windows-1251", "windows-1257",
	"macintosh", "ibm-437"
};

/* The reverse tables: an open-addressed hash from character to its byte
 * in each page (0: none).  7 pages of 128 bytes fill at most 896 slots. */
enum { SLOTS = 2048 };

struct slot {
	uint32_t c;		/* 0: empty */
	uint8_t byte[CPAGE_N];
	uint8_t leads, conts;
};

/* Below U+2600, where all but a few of the characters are, the lead and
 * continuation bits are read from arrays: the scan of clean text asks. */
enum { FAST = 0x2600 };

struct cpage {
	uint32_t chars[CPAGE_N][128];
	struct slot slots[SLOTS];
	uint8_t leads[FAST], conts[FAST];
};

static unsigned
hash(uint32_t c)
{
	return (c * 2654435761u) >> 21;	/* 11 bits */
}

static struct slot *
find(const struct cpage *cp, uint32_t c)
{
	unsigned h = hash(c);

	for (;; h = (h + 1) & (SLOTS - 1)) {
		const struct slot *s = &cp->slots[h];

		if (s->c == c || s->c == 0)
			return (struct slot *)s;
	}
}

static void
add(struct cpage *cp, int page, uint32_t c, unsigned b)
{
	struct slot *s = find(cp, c);

	s->c = c;
	if (s->byte[page] == 0)
		s->byte[page] = (uint8_t)b;
	if (b >= 0xC2 && b <= 0xF4)
		s->leads |= (uint8_t)(1u << page);
	if (b <= 0xBF)
		s->conts |= (uint8_t)(1u << page);
	if (c < FAST) {
		cp->leads[c] = s->leads;
		cp->conts[c] = s->conts;
	}
}

/* page's character for each byte 0x80..0xFF, 0 where it has none. */
static void
read_page(int page, uint32_t out[128])
{
	UErrorCode st = U_ZERO_ERROR;
	UConverter *cnv = ucnv_open(names[page], &st);
	int i;

	if (U_FAILURE(st))
		msg_fatal("ICU: cannot open the %s converter: %s", names[page], u_errorName(st));
	for (i = 0; i < 128; i++) {
		char byte = (char)(0x80 + i);
		UChar u16[4];
		int32_t n;

		st = U_ZERO_ERROR;
		ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
		n = ucnv_toUChars(cnv, u16, 4, &byte, 1, &st);
		out[i] = U_SUCCESS(st) && n == 1 && (u16[0] < 0xD800 || u16[0] > 0xDFFF) ? u16[0] : 0;
		ucnv_reset(cnv);
	}
	ucnv_close(cnv);
}

struct cpage *
cpage_open(void)
{
	struct cpage *cp = xcalloc(1, sizeof *cp);
	int page;
	unsigned b;

	for (page = 0; page < CPAGE_N; page++) {
		read_page(page, cp->chars[page]);
		for (b = 0x80; b <= 0xFF; b++) {
			uint32_t *c = &cp->chars[page][b - 0x80];

			/* Sloppy: an undefined byte reads as its C1 control. */
			if (*c == 0 || (*c >= 0x80 && *c <= 0x9F))
				*c = b <= 0x9F ? b : 0;
			if (*c != 0)
				add(cp, page, *c, b);
			/* Windows-1252 is read as Latin-1 too. */
			if (page == CPAGE_1252)
				add(cp, page, b, b);
		}
	}
	return cp;
}

void
cpage_close(struct cpage *cp)
{
	free(cp);
}

const char *
cpage_name(int page)
{
	return page >= 0 && page < CPAGE_N ? names[page] : "?";
}

uint32_t
cpage_char(const struct cpage *cp, int page, unsigned b)
{
	return b >= 0x80 && b <= 0xFF ? cp->chars[page][b - 0x80] : b;
}

int
cpage_byte(const struct cpage *cp, int page, uint32_t c)
{
	const struct slot *s;

	if (c < 0x80)
		return -1;
	s = find(cp, c);
	return s->c == c && s->byte[page] ? s->byte[page] : -1;
}

/* The lead (0) or continuation (1) bits of c. */
static unsigned
bits(const struct cpage *cp, uint32_t c, int cont)
{
	const struct slot *s;

	if (c < FAST)
		return cont ? cp->conts[c] : cp->leads[c];
	s = find(cp, c);
	return s->c != c ? 0 : cont ? s->conts : s->leads;
}

unsigned
cpage_leads(const struct cpage *cp, uint32_t c)
{
	return bits(cp, c, 0);
}

unsigned
cpage_conts(const struct cpage *cp, uint32_t c)
{
	return bits(cp, c, 1);
}
