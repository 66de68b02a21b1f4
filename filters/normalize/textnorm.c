#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "cpage.h"
#include "htmlent.h"
#include "legacy.h"
#include "msg.h"
#include "rx.h"
#include "textnorm.h"
#include "uni.h"
#include "utf8.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

struct tn {
	struct tn_opts o;
	struct tn_counts c;
	struct uni *uni;
	struct rx *glue;
	struct cpage *cpage;	/* the code pages text is misread as */
	uint32_t cp1252[128];	/* byte 0x80 + i as Windows-1252 */
	struct buf a, b;	/* the text between steps, alternately */
	const char *cur;	/* the text so far: the input, a or b */
	size_t len;
	uint16_t cls[256];	/* what each byte may need: N_* | K_* */
	unsigned enabled;	/* N_* of the steps that are on */
	unsigned always;	/* N_* of the steps that run on every text */
	int translit_once;	/* the transliterator changes its own output */
	int remap;		/* a repair changed the text since the mappings ran */
};

void
tn_opts_init(struct tn_opts *o)
{
	memset(o, 0, sizeof *o);
	o->encoding = o->entities = o->mojibake = o->invisible = o->spaces = o->glue = 1;
	o->tags = TN_TAGS_KNOWN;
	o->form = UNI_FORM_NFC;
}

/* The steps, in the order they run; analyse() says which have work. */
enum {
	N_ENCODING = 1 << 0, N_ENTITIES = 1 << 1, N_MOJIBAKE = 1 << 2, N_TAGS = 1 << 3,
	N_PUNCT = 1 << 4, N_TRANSLIT = 1 << 5, N_CASEFOLD = 1 << 6, N_INVISIBLE = 1 << 7,
	N_FORM = 1 << 8, N_SPACES = 1 << 9, N_GLUE = 1 << 10,
	/* The optional mappings: they change the text by choice, not repair it. */
	N_MAPPINGS = N_PUNCT | N_TRANSLIT | N_CASEFOLD
};

/* Bytes that need a look at their neighbours. */
enum { K_SPACE = 1 << 12, K_NL = 2 << 12, K_STOP = 3 << 12, K_HIGH = 4 << 12 };

/*
 * The glue this step undoes: the end of a lower-case word, of a word in
 * capitals ("met IBM.Then"), of a number of three digits or more ("May
 * 2020.Legere"), or a closing quote or bracket after a lower-case letter
 * ("(149 euros).Nintendo"); a sentence end and optional closing quotes;
 * then a capitalised word or "I'm".  The guards that PCRE2 cannot say
 * well (URLs, paths, e-mail, domains, file names, code) are in glue_ok().
 */
static const char glue_pattern[] =
    "(?<=\\p{Ll}\\p{Ll}|\\p{Lu}\\p{Lu}|\\d\\d\\d|\\p{Ll}[\"')\\x{201D}\\x{2019}\\x{00BB}])"
    "[.!?]+[\"'\\x{201D}\\x{2019}\\x{00BB})]*(?=\\p{Lu}\\p{Ll}|I['\\x{2019}]\\p{Ll})";

/*
 * Does the transliterator change its own output (Any-Hex, Any-Name)?  Then
 * it maps a text once; one that does not also maps what later repairs
 * bring, so that a second run finds nothing to do.
 */
static int
maps_own_output(struct uni *u)
{
	static const char probe[] = "Ab 1.\xC3\xA9";
	struct buf once = BUF_INIT, twice = BUF_INIT;
	int differs;

	uni_translit(u, probe, sizeof probe - 1, &once);
	uni_translit(u, once.data, once.len, &twice);
	differs = once.len != twice.len || memcmp(once.data, twice.data, once.len) != 0;
	buf_release(&once);
	buf_release(&twice);
	return differs;
}

struct tn *
tn_new(const struct tn_opts *o, char *err, size_t errlen)
{
	struct tn *t = xcalloc(1, sizeof *t);
	int i;

	t->o = *o;
	buf_init(&t->a);
	buf_init(&t->b);
	if ((t->uni = uni_open(o->form, o->translit, err, errlen)) == NULL) {
		free(t);
		return NULL;
	}
	t->translit_once = o->translit != NULL && maps_own_output(t->uni);
	if (o->glue && (t->glue = rx_compile(glue_pattern, err, errlen, NULL)) == NULL)
		msg_fatal("glue pattern: %s", err);
	t->cpage = cpage_open();
	/* Windows-1252 proper: 0 for the five bytes it leaves undefined,
	 * which cpage reads as C1 controls. */
	for (i = 0; i < 128; i++) {
		uint32_t c = cpage_char(t->cpage, CPAGE_1252, 0x80u + (unsigned)i);

		t->cp1252[i] = c == 0x80u + (unsigned)i && c <= 0x9F ? 0 : c;
	}
	for (i = 0; i < 0x20; i++)
		t->cls[i] = N_INVISIBLE;
	t->cls['\t'] = t->cls['\r'] = t->cls[0x0B] = t->cls[0x0C] = N_SPACES;
	t->cls['\n'] = K_NL;
	t->cls[' '] = K_SPACE;
	t->cls[0x7F] = N_INVISIBLE;
	t->cls['&'] = N_ENTITIES;
	t->cls['<'] = N_TAGS;
	t->cls['.'] = t->cls['!'] = t->cls['?'] = K_STOP;
	for (i = 0x80; i < 0x100; i++)
		t->cls[i] = K_HIGH;
	t->enabled = N_ENCODING | N_FORM;
	t->enabled |= o->entities ? N_ENTITIES : 0;
	t->enabled |= o->mojibake ? N_MOJIBAKE : 0;
	t->enabled |= o->tags != TN_TAGS_NONE ? N_TAGS : 0;
	t->enabled |= o->invisible ? N_INVISIBLE : 0;
	t->enabled |= o->spaces ? N_SPACES : 0;
	t->enabled |= o->glue ? N_GLUE : 0;
	/* NFKC_Casefold changes most texts (A-Z), so it always runs. */
	t->always = (o->quotes_ascii || o->dashes_ascii ? N_PUNCT : 0) |
	    (o->form == UNI_FORM_NFKC_CF ? N_FORM : 0) |
	    (o->translit ? N_TRANSLIT : 0) | (o->casefold ? N_CASEFOLD : 0);
	return t;
}

void
tn_free(struct tn *t)
{
	if (t == NULL)
		return;
	uni_close(t->uni);
	rx_free(t->glue);
	cpage_close(t->cpage);
	buf_release(&t->a);
	buf_release(&t->b);
	free(t);
}

const struct tn_counts *
tn_counts(const struct tn *t)
{
	return &t->c;
}

/* The buffer the next step may write: whichever one cur is not in. */
static struct buf *
spare(struct tn *t)
{
	struct buf *b = t->cur == t->a.data ? &t->b : &t->a;

	buf_reset(b);
	return b;
}

static void
adopt(struct tn *t, struct buf *b)
{
	t->cur = b->data;
	t->len = b->len;
}

/*
 * Rewriting t->cur piece by piece: splice_replace copies what lies between
 * the previous replacement and at, skips [at, end), and returns the buffer
 * to append the replacement to; splice_finish copies the rest and makes
 * the result the text, returning 0 when nothing was replaced.
 */
struct splice {
	struct tn *t;
	struct buf *out;
	size_t from;
};

static struct buf *
splice_replace(struct splice *sp, size_t at, size_t end)
{
	if (sp->out == NULL)
		sp->out = spare(sp->t);
	buf_add(sp->out, sp->t->cur + sp->from, at - sp->from);
	sp->from = end;
	return sp->out;
}

static int
splice_finish(struct splice *sp)
{
	if (sp->out == NULL)
		return 0;
	buf_add(sp->out, sp->t->cur + sp->from, sp->t->len - sp->from);
	adopt(sp->t, sp->out);
	return 1;
}

/* Length of the prefix of p[0..n) whose bytes are all in (lo, 0x7F). */
static size_t
ascii_run(const char *p, size_t n, unsigned char lo)
{
	size_t i = 0;

#if defined(__SSE2__)
	const __m128i low = _mm_set1_epi8((char)lo), del = _mm_set1_epi8(0x7F);

	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
		/* Signed: bytes >= 0x80 are negative, so never above lo. */
		unsigned in = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(v, low),
		    _mm_cmplt_epi8(v, del)));

		if (in != 0xFFFF)
			return i + (size_t)__builtin_ctz(~in);
	}
#endif
	while (i < n && (unsigned char)p[i] > lo && (unsigned char)p[i] < 0x7F)
		i++;
	return i;
}

/*
 * Length of the prefix of p[0..n) that is words of visible ASCII with
 * single spaces between them: each byte in (' ', 0x7F), or a space that
 * such a byte follows.
 */
static size_t
words_run(const char *p, size_t n)
{
	size_t i = 0;

#if defined(__SSE2__)
	const __m128i sp = _mm_set1_epi8(' '), del = _mm_set1_epi8(0x7F);

	for (; i + 17 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
		__m128i v1 = _mm_loadu_si128((const __m128i *)(p + i + 1));
		/* Signed: bytes >= 0x80 are negative, so never above ' '. */
		__m128i vis = _mm_and_si128(_mm_cmpgt_epi8(v, sp), _mm_cmplt_epi8(v, del));
		__m128i vis1 = _mm_and_si128(_mm_cmpgt_epi8(v1, sp), _mm_cmplt_epi8(v1, del));
		unsigned in = (unsigned)_mm_movemask_epi8(_mm_or_si128(vis,
		    _mm_and_si128(_mm_cmpeq_epi8(v, sp), vis1)));

		if (in != 0xFFFF)
			return i + (size_t)__builtin_ctz(~in);
	}
#endif
	for (; i < n; i++) {
		unsigned char c = (unsigned char)p[i], d = i + 1 < n ? (unsigned char)p[i + 1] : 0;

		if (!((c > ' ' && c < 0x7F) || (c == ' ' && d > ' ' && d < 0x7F)))
			break;
	}
	return i;
}

static inline uint32_t
next_cp(const char *p, size_t n, size_t *i)
{
	uint32_t cp;
	int len = utf8_decode((const unsigned char *)p + *i, n - *i, &cp);

	*i += (size_t)(len > 0 ? len : 1);
	return len > 0 ? cp : UTF8_REPLACEMENT;
}

/* ---- encoding ---- */

/* Bytes that are not UTF-8: lone legacy bytes read as Windows-1252 (see
 * legacy.h), anything else U+FFFD. */
static int
step_encoding(struct tn *t)
{
	struct legacy_counts c = { 0, 0 };
	struct buf *out;

	if (utf8_valid(t->cur, t->len))
		return 0;
	out = spare(t);
	legacy_decode(out, t->cur, t->len, t->o.encoding, &c);
	t->c.cp1252 += c.cp1252;
	t->c.replaced += c.replaced;
	adopt(t, out);
	return 1;
}

/* ---- HTML character references ---- */

static int
is_alnum(int c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Decode the reference at p[0] == '&'; returns its length, 0 if none. */
static size_t
entity(struct tn *t, const char *p, size_t n, struct buf *out)
{
	size_t i = 1;
	uint32_t cp = 0;
	const char *s;

	if (n > 2 && p[1] == '#') {
		int hex = n > 3 && (p[2] | 0x20) == 'x', digits = 0;

		i = hex ? 3 : 2;
		for (; i < n && digits < 8; i++, digits++) {
			int c = p[i], d;

			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
				d = (c | 0x20) - 'a' + 10;
			else
				break;
			cp = cp * (hex ? 16u : 10u) + (uint32_t)d;
		}
		if (digits == 0 || (i < n && is_alnum(p[i])))
			return 0;
		if (i < n && p[i] == ';')
			i++;
		/* As HTML5 decodes them: C1 numbers are Windows-1252. */
		if (cp >= 0x80 && cp <= 0x9F && t->cp1252[cp - 0x80])
			cp = t->cp1252[cp - 0x80];
		if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			cp = UTF8_REPLACEMENT;
		utf8_add(out, cp);
		return i;
	}
	while (i < n && i < 40 && is_alnum(p[i]))
		i++;
	if (i == 1 || i >= n || p[i] != ';' || (s = htmlent_lookup(p + 1, i - 1)) == NULL)
		return 0;
	buf_adds(out, s);
	return i + 1;
}

/* The longest reference entity() reads: "&", a name of 39, ";". */
enum { REF_MAX = 41 };

/* Could the byte c stand inside a reference, after its "&"? */
static int
ref_byte(int c)
{
	return is_alnum(c) || c == '#' || c == ';';
}

/*
 * Where a reference may begin among the last bytes of out: its last '&',
 * when only bytes that can stand in a reference follow it, else SIZE_MAX.
 */
static size_t
open_reference(const struct buf *out)
{
	size_t i = out->len, stop = out->len > REF_MAX ? out->len - REF_MAX : 0;

	while (i > stop) {
		i--;
		if (out->data[i] == '&')
			return i;
		if (!ref_byte((unsigned char)out->data[i]))
			break;
	}
	return SIZE_MAX;
}

static int is_invisible(uint32_t cp);

/* A decoded character the invisible step removes wherever it stands.  C1
 * controls are not among them: the mojibake step reads them first. */
static int
vanishes(const struct tn *t, uint32_t cp)
{
	return t->o.invisible && (cp < 0x80 || cp >= 0xA0) && is_invisible(cp);
}

/*
 * A reference just decoded into out[mark..] may make another with the
 * text after it, p[i..n): "&amp;amp;" is "&" then "amp;", and "&am&#1;p;"
 * is "&am" then "p;" once the invisible step has removed U+0001.  Decode
 * those now, so that one pass leaves no reference however deep the
 * nesting (a pass per level made 2 MB of "&amp;amp;..." take 16 s).
 * Returns where the input goes on.
 */
static size_t
decode_made(struct tn *t, const char *p, size_t n, size_t i, struct buf *out, size_t mark)
{
	for (;;) {
		char joined[REF_MAX + 64];
		size_t start, tail, take, used;
		uint32_t cp;

		if (utf8_decode((const unsigned char *)out->data + mark, out->len - mark, &cp) !=
		    (int)(out->len - mark))
			return i;
		if (vanishes(t, cp)) {
			out->len = mark;
			out->data[mark] = '\0';
			t->c.invisible++;
		} else if (!ref_byte((int)cp) && cp != '&') {
			return i;
		}
		if ((start = open_reference(out)) == SIZE_MAX)
			return i;
		tail = out->len - start;
		take = n - i < 64 ? n - i : 64;
		memcpy(joined, out->data + start, tail);
		memcpy(joined + tail, p + i, take);
		out->len = start;
		if ((used = entity(t, joined, tail + take, out)) == 0) {
			buf_add(out, joined, tail);
			return i;
		}
		t->c.entities++;
		if (used < tail) {
			/* Made inside what was there: the rest of it cannot
			 * start a reference (it has no '&'). */
			buf_add(out, joined + used, tail - used);
			return i;
		}
		i += used - tail;
		mark = start;
	}
}

static int
step_entities(struct tn *t)
{
	const char *p = t->cur, *amp;
	size_t n = t->len, i = 0, mark, used;
	uint64_t decoded = t->c.entities;
	struct buf *out;

	if (memchr(p, '&', n) == NULL)
		return 0;
	out = spare(t);
	while ((amp = memchr(p + i, '&', n - i)) != NULL) {
		buf_add(out, p + i, (size_t)(amp - p) - i);
		i = (size_t)(amp - p);
		mark = out->len;
		if ((used = entity(t, p + i, n - i, out)) == 0) {
			buf_addc(out, '&');
			i++;
			continue;
		}
		t->c.entities++;
		i = decode_made(t, p, n, i + used, out, mark);
	}
	if (t->c.entities == decoded)
		return 0;
	buf_add(out, p + i, n - i);
	adopt(t, out);
	return 1;
}

/* ---- mojibake ---- */

/*
 * Could the UTF-8 character at q (q[0] >= 0x80) be a continuation byte's
 * character in some code page (cpage_conts)?  Cheap, on the bytes: those
 * all lie below U+2600, and none is a basic Cyrillic letter (U+0410..
 * U+044F), Armenian, Hebrew, Arabic or beyond, so clean text in those
 * scripts decodes no second character here.
 */
static int
may_continue(const unsigned char *q, size_t left)
{
	if (q[0] >= 0xE3 || (q[0] >= 0xD4 && q[0] <= 0xDF))
		return 0;
	if (left >= 2 && ((q[0] == 0xD0 && q[1] >= 0x90) || (q[0] == 0xD1 && q[1] < 0x90)))
		return 0;
	return 1;
}

/*
 * UTF-8 misread as a legacy code page, one byte a character: a lead
 * character (a byte C2..F4) and continuation characters (80..BF).  The
 * code pages are tried in cpage.h's order; Windows-1252, read as Latin-1
 * too, is the one that needs no proof beyond the rules below, the others
 * must prove themselves on whole words.
 */

/* The byte c stands for in page, or -1. */
static int
misread_byte(const struct tn *t, int page, uint32_t c)
{
	if (page == CPAGE_1252) {
		if (c >= 0x80 && c <= 0xFF)
			return (int)c;
		if (c < 0x152 || c > 0x2122)
			return -1;
	}
	return cpage_byte(t->cpage, page, c);
}

enum { MB_WHOLE, MB_LOST, MB_SPACE, MB_CESU };

struct mojibake {
	size_t start, end;	/* in the text */
	size_t space;		/* MB_SPACE: where the space stands */
	uint32_t cp;		/* what it stands for; U+FFFD for MB_LOST */
	uint32_t before, after;	/* the characters around it, 0 at an edge */
	uint8_t lead, cont, cont2;	/* the first three bytes it stands for */
	uint8_t len;		/* of the UTF-8 sequence misread */
	uint8_t page;		/* enum cpage_id */
	uint8_t kind;		/* MB_*: whole, a byte lost to '?' or U+FFFD,
				 * an NBSP byte become a space, CESU-8 */
	uint8_t lost_q;		/* MB_LOST: the byte became '?' */
	uint8_t nbsp;		/* the second character is U+00A0 */
	uint8_t c1;		/* the second character is a C1 control */
	uint8_t likely, weak;
	uint8_t foreign;	/* another page's list: a Windows-1252 one */
};

/* Could bytes[0..k) start a UTF-8 sequence? */
static int
utf8_prefix_ok(const unsigned char *b, int k)
{
	if (k < 2)
		return 1;
	switch (b[0]) {
	case 0xE0: return b[1] >= 0xA0;
	case 0xED: return b[1] <= 0x9F;
	case 0xF0: return b[1] >= 0x90;
	case 0xF4: return b[1] <= 0x8F;
	}
	return 1;
}

/* Is cp plausible text for a misreading to stand for?  No unassigned or
 * private characters; C1 controls are, as the middle layer of text
 * misread twice (Â\u0081 inside Ã‘Â\u0081 for "с"). */
static int
plausible(uint32_t cp)
{
	if (cp >= 0x80 && cp <= 0x9F)
		return 1;
	return cp >= 0xA0 && !(cp >= 0xD800 && cp <= 0xF8FF) && uni_is_assigned(cp);
}

static int misread_at(const struct tn *t, int page, unsigned lead, const char *p, size_t n,
    size_t i, struct mojibake *m, int cesu_low);

/* A CESU-8 pair: the high surrogate's three bytes are in bytes, the low
 * one's should follow at p[j..]. */
static int
misread_cesu(const struct tn *t, int page, const unsigned char *bytes, const char *p,
    size_t n, size_t j, struct mojibake *m)
{
	struct mojibake lo;
	size_t k = j;
	uint32_t hi;

	if (k >= n || misread_byte(t, page, next_cp(p, n, &k)) != 0xED ||
	    !misread_at(t, page, 0xED, p, n, k, &lo, 1))
		return 0;
	hi = ((uint32_t)(bytes[1] & 0x0F) << 6) | (bytes[2] & 0x3F);
	m->cp = 0x10000 + (hi << 10) + (lo.cp - 0xDC00);
	if (!plausible(m->cp))
		return 0;
	m->end = lo.end;
	m->kind = MB_CESU;
	m->len = 6;
	return 1;
}

/*
 * If the text at p[i..] (after a lead character standing for the byte
 * lead in page) misreads a UTF-8 character, complete m.  Allowed damage:
 * one continuation byte that was an NBSP and became a space (MB_SPACE),
 * or a byte lost to '?' or U+FFFD, with the continuations after it
 * (MB_LOST, standing for one U+FFFD, as the decoder that lost it would
 * have written).  cesu_low: only the low half of a CESU-8 surrogate pair
 * will do.
 */
static int
misread_at(const struct tn *t, int page, unsigned lead, const char *p, size_t n, size_t i,
    struct mojibake *m, int cesu_low)
{
	unsigned char bytes[4];
	int need, k;
	size_t j = i;
	uint32_t cp;

	bytes[0] = (unsigned char)lead;
	need = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
	m->kind = MB_WHOLE;
	m->lead = (uint8_t)lead;
	m->len = (uint8_t)need;
	m->cont = m->cont2 = 0;
	m->lost_q = m->nbsp = m->c1 = 0;
	for (k = 1; k < need; k++) {
		size_t at = j;
		uint32_t c;
		int b;

		if (j >= n)
			return 0;
		c = next_cp(p, n, &j);
		b = misread_byte(t, page, c);
		if (b < 0x80 || b > 0xBF) {
			if (c == ' ' && m->kind == MB_WHOLE && !cesu_low) {
				b = 0xA0;
				m->kind = MB_SPACE;
				m->space = at;
			} else if ((c == UTF8_REPLACEMENT || c == '?') && m->kind == MB_WHOLE &&
			    !cesu_low && utf8_prefix_ok(bytes, k)) {
				m->kind = MB_LOST;
				m->lost_q = c == '?';
				m->cp = UTF8_REPLACEMENT;
				/* The bytes after the lost one go with it. */
				for (k++, at = j; k < need && at < n; k++) {
					b = misread_byte(t, page, next_cp(p, n, &at));
					if (b < 0x80 || b > 0xBF)
						break;
					j = at;
				}
				m->end = j;
				return 1;
			} else {
				return 0;
			}
		}
		bytes[k] = (unsigned char)b;
		if (k == 2)
			m->cont2 = (uint8_t)b;
		if (k == 1) {
			m->cont = (uint8_t)b;
			m->nbsp = c == 0xA0;
			m->c1 = c >= 0x80 && c <= 0x9F;
		}
	}
	if (need == 3 && lead == 0xED && bytes[1] >= 0xA0) {
		/* A surrogate: CESU-8 encodes UTF-16's halves one by one. */
		if (!cesu_low)
			return bytes[1] <= 0xAF && m->kind == MB_WHOLE &&
			    misread_cesu(t, page, bytes, p, n, j, m);
		if (bytes[1] < 0xB0)
			return 0;
		m->cp = 0xDC00 + (((uint32_t)bytes[1] & 0x0F) << 6) + (bytes[2] & 0x3F);
		m->end = j;
		return 1;
	}
	if (cesu_low || utf8_decode(bytes, (size_t)need, &cp) != need || !plausible(cp))
		return 0;
	m->end = j;
	m->cp = cp;
	return 1;
}

static int
blank_byte(int c)
{
	return c == ' ' || c == '\n' || c == '\t';
}

/* Do candidates a and b (a first) stand in one word (no blank between)? */
static int
same_word(const char *p, const struct mojibake *a, const struct mojibake *b)
{
	size_t i;

	for (i = a->end; i < b->start; i++)
		if (blank_byte(p[i]))
			return 0;
	return 1;
}

/* Bytes 80..9F that Windows-1252 makes typographic punctuation: quotes,
 * dashes, the ellipsis, daggers, the bullet. */
static int
punct_byte(unsigned b)
{
	switch (b) {
	case 0x82: case 0x84: case 0x85: case 0x86: case 0x87: case 0x8B: case 0x91:
	case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97: case 0x9B:
		return 1;
	}
	return 0;
}

static int
ascii_letter(uint32_t c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* A letter or mark of a script's words, not a modifier letter (ʲ, ᴴ) or
 * a Latin diacritic that a misreading of symbols or letters can also
 * make (MacRoman "Ã¥" is U+0334). */
static int
word_char(uint32_t c)
{
	if ((c >= 0x2B0 && c <= 0x36F) || (c >= 0x1D00 && c <= 0x1DBF))
		return 0;
	return uni_is_letter(c) || uni_gc(c) == UNI_GC_MARK;
}

static int
box_char(uint32_t c)
{
	return c >= 0x2500 && c <= 0x259F;
}

/* Typographic punctuation, which follows letters in real text. */
static int
typo_punct(uint32_t c)
{
	return (c >= 0x2010 && c <= 0x203A) || c == 0xA0 || c == 0xA1 || c == 0xAB ||
	    c == 0xB7 || c == 0xBB || c == 0xBF;
}

/* Is the word at p[at] lower-case ASCII letters ("CÃ nan" for "Cànan";
 * Vietnamese "MÃ bảng" is real)? */
static int
ascii_word(const char *p, size_t n, size_t at)
{
	size_t i;

	for (i = at; i < n && p[i] >= 'a' && p[i] <= 'z'; i++)
		;
	return i > at && (i == n || ((unsigned char)p[i] < 0x80 && !ascii_letter((unsigned char)p[i])));
}

/* Does a candidate give evidence to its neighbours?  An NBSP read as
 * part of a pair (Ä\u00a0 for Ġ) is too often real text. */
static int
evidence(const struct mojibake *m)
{
	return m->kind == MB_WHOLE ? !m->nbsp || m->len > 2 : m->kind != MB_SPACE;
}

/* Is a neighbour of ms[k] in its word a candidate that gives evidence? */
static int
in_word_with_other(const char *p, const struct mojibake *ms, size_t nm, size_t k)
{
	return (k > 0 && evidence(&ms[k - 1]) && same_word(p, &ms[k - 1], &ms[k])) ||
	    (k + 1 < nm && evidence(&ms[k + 1]) && same_word(p, &ms[k], &ms[k + 1]));
}

/*
 * Is a Windows-1252 or Latin-1 look-alike misread text rather than real
 * text, judged by itself and its word?  Four bytes (ðŸ˜€), the
 * punctuation family (â€™), the BOM (ï»¿) and Â before a symbol (Â£) are
 * never real text.  Other leads are real letters often enough (até…”,
 * CAFÉ…, Straße“, "til Å»", "a lot of Ã’s") that they count only inside a
 * word: beside another look-alike; for the Latin ones (Ã, Ä, Å) after a
 * lower-case letter, or before a letter that is not itself Latin-1
 * ("MÄ£ÄM" is leetspeak), or after a letter when the second character is
 * a letter or symbol of the 80..9F row (GDAÅƒSKU, OÃ™) but not
 * typographic punctuation, which must stand inside a word; a three-byte
 * sequence touching a letter (Táº¡i), and a pair between letters whose
 * second character is no letter (IL2RÎ³cKO).
 */
static int
likely_1252(const struct mojibake *ms, size_t nm, size_t k, const char *p, size_t n)
{
	const struct mojibake *m = &ms[k];
	uint32_t b = m->before, a = m->after;

	switch (m->kind) {
	case MB_LOST:
		/* "â€�", "ðŸ“�", "ï¸�"; "SlovenÄ�ina".  Not "Café�" or
		 * "naï�ve": a real letter before a broken byte. */
		if (m->lead >= 0xF0 || m->lead == 0xE2 || m->lead == 0xEF)
			return m->cont != 0;
		return (m->lead >= 0xC3 && m->lead <= 0xC5 && uni_is_letter(b)) ||
		    in_word_with_other(p, ms, nm, k);
	case MB_SPACE:
		/* "voilÃ le", "CÃ nan": à with its NBSP become a space;
		 * "âš " for ⚠. */
		if (m->lead == 0xC3 && m->cp == 0xE0)
			return uni_is_lower(b) || (uni_is_upper(b) && ascii_word(p, n, m->end));
		/* "namedÂ „": an NBSP glued to the word before it. */
		if (m->lead == 0xC2 && m->len == 2)
			return b != 0 && !blank_byte((int)b);
		return m->lead >= 0xF0 || m->lead == 0xE2;
	}
	if (m->lead >= 0xF0 || m->lead == 0xE2 || m->lead == 0xEF || m->lead == 0xC2)
		return 1;
	if (m->cont == 0xA0 && m->len == 2)
		return m->lead == 0xC3 && (a == 0xA0 || a == ' ' || a == 0);
	if (in_word_with_other(p, ms, nm, k))
		return 1;
	if (m->lead >= 0xC3 && m->lead <= 0xC5) {
		/* A C1 control is never real text: "Ã\u0085land"; nor is
		 * "Ã€" ("À" at a French sentence's start). */
		if (m->c1 || (m->lead == 0xC3 && m->cont == 0x80))
			return 1;
		/* Nor "Ã‚Â\u00a0", an NBSP misread twice, or what is left
		 * of it once the outer pair is repaired. */
		if (m->lead == 0xC3 && m->cont == 0x82 && (a == 0xC2 || a == 0xA0))
			return 1;
		/* Lone (3): a pair judged by its letters alone. */
		/* At a word's start, before lower-case letters, Ã with an
		 * ellipsis, a dagger, a bullet or a dash is Å, Æ, Ç, Õ, Ö
		 * (Åland, Çelik, Österreich); not with a quote: "a lot of
		 * Ã’s" is real text. */
		if (punct_byte(m->cont))
			return uni_is_lower(b) || (uni_is_letter(b) && uni_is_letter(a)) ||
			    (m->lead == 0xC3 && !uni_is_letter(b) && uni_is_lower(a) &&
			    (m->cont == 0x85 || m->cont == 0x86 || m->cont == 0x87 ||
			    m->cont == 0x95 || m->cont == 0x96)) ? 3 : 0;
		return uni_is_lower(b) || (uni_is_letter(a) && !(a >= 0xC0 && a <= 0xFF)) ||
		    (m->cont <= 0x9F && uni_is_letter(b) && (m->lead == 0xC3 || uni_is_letter(a))) ?
		    3 : 0;
	}
	/* Weak (2): only inside text with other repairs. */
	if (m->len == 3)
		return (ascii_letter(b) || ascii_letter(a)) && m->cont >= 0xA0 &&
		    word_char(m->cp) ? 2 : 0;
	if (m->len == 2)
		return uni_is_letter(b) && uni_is_letter(a) && word_char(m->cp) &&
		    m->cont >= 0xA0 && !uni_is_letter(m->cont);
	return 0;
}

/*
 * The same for another code page, which must prove itself harder: a
 * word made only of ASCII and its look-alikes, two or more of them
 * (РґРѕСЂРѕРіРµ, g√¢teaux has one: below), the punctuation family
 * (вЂ™, ‚Äô) and four bytes; or one look-alike after a lower-case ASCII
 * letter standing for a letter (wei√ü, LiĂ¨ge, rГ©gion).
 */
/* Is m's lead a lower-case letter (á, and cp437's ß), followed by a
 * letter?  Then it may well be real text. */
static int
lower_lead(const struct tn *t, const struct mojibake *m)
{
	uint32_t c = m->cont ? cpage_char(t->cpage, m->page, m->cont) : ' ';

	uint32_t l = cpage_char(t->cpage, m->page, m->lead);

	/* ƒ is MacRoman's lead for Latvian ā, ē, ī. */
	return uni_is_lower(l) && l != 0x192 && (uni_is_letter(c) || m->kind == MB_SPACE);
}

static int
likely_other(const struct tn *t, const struct mojibake *ms, size_t nm, size_t k, int covered)
{
	const struct mojibake *m = &ms[k];
	const char *p = t->cur;

	switch (m->kind) {
	case MB_LOST:
		/* Not "у�" in repaired Cyrillic: Windows-1251 reads the
		 * four-byte leads as letters. */
		return (m->lead >= 0xF0 && m->cont != 0) || (m->lead == 0xE2 && m->cont == 0x80) ||
		    (ascii_letter(m->before) && in_word_with_other(p, ms, nm, k));
	case MB_SPACE:
		return 0;
	}
	if (m->lead >= 0xF0 || (m->lead == 0xE2 && m->cont == 0x80))
		return 1;
	if (!evidence(m))
		return 0;
	/* A C1 control is never real text: "Ĺ\u0099ekl" (řekl). */
	if (m->c1 && word_char(m->cp))
		return 1;
	if (covered >= 1 && m->lead == 0xE2 && uni_gc(m->cp) == UNI_GC_OTHER)
		return 1;	/* вќ¤ for ❤ */
	/* Symbols too (Г‚ВЈ for Â£), but no digits or modifier letters:
	 * ВІКІ is Ukrainian, not "²ʲ". */
	if (covered >= 2 && (word_char(m->cp) || uni_gc(m->cp) == UNI_GC_OTHER))
		return 1;
	if (!word_char(m->cp))
		return 0;
	/* Real text has a lower-case letter before letters that this page
	 * reads from continuation bytes (Czech "Zvlášť", "Tomáš s"). */
	if (lower_lead(t, m))
		return 0;
	if (covered == 1 && ascii_letter(m->before) && uni_is_lower(m->before) &&
	    !typo_punct(cpage_char(t->cpage, m->page, m->lead)) &&
	    !typo_punct(cpage_char(t->cpage, m->page, m->cont)))
		return 1;
	/* Weak (2): "ÄÆdomu", twice in the text. */
	return m->len == 2 && uni_is_lower(m->cp) && ascii_letter(m->after) &&
	    uni_is_lower(m->after) && !box_char(cpage_char(t->cpage, m->page, m->lead)) ? 2 : 0;
}

/* The candidates of one page. */
struct mb_list {
	struct mojibake *ms;
	size_t n, cap;
};

static void
mb_push(struct mb_list *l, const struct mojibake *m)
{
	if (l->n == l->cap)
		l->ms = xrealloc(l->ms, (l->cap = l->cap ? l->cap * 2 : 8) * sizeof *l->ms);
	l->ms[l->n++] = *m;
}

/*
 * Find page's candidates in the text; for Windows-1252, also which other
 * pages have a lead before a continuation somewhere (*others).  For
 * another page, w1252 holds Windows-1252's: their places are theirs
 * ("rÃ©sultat" is no MacRoman combining mark), and they go in the list
 * as foreign, proof that their words are misread; but an NBSP become a
 * space that Windows-1252 does not believe may be the next character of
 * another page's look-alike ("ƒÅ " in MacRoman).
 */
static void
scan_page(const struct tn *t, int page, struct mb_list *l, unsigned *others,
    const struct mb_list *w1252)
{
	const char *p = t->cur;
	size_t n = t->len, i = 0, x = 0;
	uint32_t before = 0;
	unsigned bit = 1u << page;

	l->n = 0;
	while (i < n) {
		size_t start = i;
		uint32_t cp;
		struct mojibake m;
		int lead;

		if ((unsigned char)p[i] < 0x80) {
			before = (unsigned char)p[i++];
			continue;
		}
		while (w1252 && x < w1252->n && (w1252->ms[x].start < start ||
		    (!w1252->ms[x].likely && w1252->ms[x].kind != MB_WHOLE)))
			x++;
		if (w1252 && x < w1252->n && w1252->ms[x].start == start) {
			m = w1252->ms[x];
			m.foreign = 1;
			mb_push(l, &m);
			i = m.end;
			before = m.cp;
			continue;
		}
		cp = next_cp(p, n, &i);
		lead = -1;
		if (page == CPAGE_1252) {
			if (cp >= 0xC2 && cp <= 0xF4)
				lead = (int)cp;
		} else if ((cpage_leads(t->cpage, cp) & bit) && cp != 0xA0) {
			/* Not a no-break space (MacRoman's CA, cp437's FF):
			 * ".\u00A0Çelik" is a Turkish name after a sentence,
			 * not the IPA letter "ʂ" misread. */
			lead = cpage_byte(t->cpage, page, cp);
		}
		if (lead >= 0 && misread_at(t, page, (unsigned)lead, p, n, i, &m, 0)) {
			size_t j = m.end;

			m.start = start;
			m.page = (uint8_t)page;
			m.before = before;
			m.after = j < n ? next_cp(p, n, &j) : 0;
			m.likely = m.weak = m.foreign = 0;
			mb_push(l, &m);
			i = m.end;
			before = m.cp;
			continue;
		}
		/* Where Windows-1252 reads no look-alike, another page may. */
		if (others && i < n && (unsigned char)p[i] >= 0x80 &&
		    may_continue((const unsigned char *)p + i, n - i)) {
			size_t j = i;
			unsigned leads = cpage_leads(t->cpage, cp);

			if (leads)
				*others |= leads & cpage_conts(t->cpage, next_cp(p, n, &j));
		}
		before = cp;
	}
}

/*
 * For each candidate, how many candidates its word holds when the word
 * is made only of them, ASCII and punctuation (0 when it holds any other
 * letter): "ВІДДІЛІ" is a Ukrainian word, not misread text.
 */
static void
cover_words(const char *p, size_t n, const struct mb_list *l, unsigned *covered)
{
	size_t k = 0;

	while (k < l->n) {
		size_t first = k, last = k, at, end, j;
		unsigned count = 0;
		int ok = 1, letter = 0;

		while (last + 1 < l->n && same_word(p, &l->ms[last], &l->ms[last + 1]))
			last++;
		at = l->ms[first].start;
		while (at > 0 && !blank_byte(p[at - 1]))
			at--;
		end = l->ms[last].end;
		while (end < n && !blank_byte(p[end]))
			end++;
		for (j = first; ok && at < end;) {
			uint32_t c;
			enum uni_gc gc;

			if (j <= last && at == l->ms[j].start) {
				/* Line art (├┤a┼┐a) is box drawing only. */
				while (at < l->ms[j].end) {
					uint32_t d = next_cp(p, n, &at);

					letter |= d != ' ' && !box_char(d);
				}
				count += evidence(&l->ms[j++]);
				continue;
			}
			if ((unsigned char)p[at] < 0x80) {
				at++;
				continue;
			}
			c = next_cp(p, n, &at);
			gc = uni_gc(c);
			ok = gc == UNI_GC_OTHER || gc == UNI_GC_SPACE || gc == UNI_GC_DIGIT;
		}
		for (j = first; j <= last; j++)
			covered[j] = ok && letter ? count : 0;
		k = last + 1;
	}
}

/* Does the space of an "à" that lost its NBSP belong to the word: after
 * a capital ("CÃ nan" for "Cànan"), or before Portuguese "s" and "quele"
 * ("Ã s" for "às")?  Elsewhere it is the space after the word "à". */
static int
space_absorbed(const char *p, size_t n, const struct mojibake *m)
{
	static const char *const words[] = { " ", "s ", "quel", "quil", NULL };
	size_t at = m->space + 1, k;

	if (uni_is_upper(m->before) || at >= n || (at + 1 == n && p[at] == 's'))
		return 1;
	for (k = 0; words[k]; k++)
		if (n - at >= strlen(words[k]) && memcmp(p + at, words[k], strlen(words[k])) == 0)
			return 1;
	return 0;
}

/*
 * A candidate not likely by itself may still be repaired when its lead is
 * proven misread elsewhere in the text (proven: how many likely
 * candidates had that lead byte): "Ð²" (в) beside "ÐœÐ¾Ñ\u0081ÐºÐ²Ðµ"
 * (Москве), a Korean one-syllable word, "Ã perturber" beside "rÃ©flexion".
 */
/* Does the text hold typographic punctuation, U+2010..U+2026, outside
 * the candidates of l? */
static int
real_punct(const char *p, size_t n, const struct mb_list *l)
{
	const char *q = p, *end = p + n;
	size_t k = 0;

	while ((q = memchr(q, 0xE2, (size_t)(end - q))) != NULL && end - q >= 3) {
		size_t at = (size_t)(q - p);

		while (k < l->n && l->ms[k].end <= at)
			k++;
		if ((unsigned char)q[1] == 0x80 && (unsigned char)q[2] >= 0x90 &&
		    (unsigned char)q[2] <= 0xA6 && (k >= l->n || at < l->ms[k].start))
			return 1;
		q++;
	}
	return 0;
}

/* A key for the script of a three-byte look-alike's character: Hangul
 * syllables spread over four lead bytes (그, 나 beside 사람은). */
static unsigned
misread_family(const struct mojibake *m)
{
	if (m->cp >= 0xAC00 && m->cp <= 0xD7A3)
		return 1;
	if (m->cp >= 0x4E00 && m->cp <= 0x9FFF)
		return 2;
	return 3 + (m->cp >> 7) % 251;
}

static int
proven_1252(const struct mojibake *m, const unsigned *proven, const unsigned *family)
{
	unsigned pr = proven[m->lead];

	switch (m->kind) {
	case MB_SPACE:
		if (m->lead == 0xC3 && m->cp == 0xE0)	/* "Ã perturber" */
			return pr >= 1;
		if (m->lead == 0xC5 && m->len == 2)	/* "Å veices" for "Šveices" */
			return pr >= 1 && (m->before == 0 || blank_byte((int)m->before)) &&
			    uni_is_lower(m->after);
		return pr >= 2;
	case MB_WHOLE:
		/* Not "até…”": punctuation after a letter. */
		if (m->len == 3)
			return family[misread_family(m)] >= 2 &&
			    !(punct_byte(m->cont) && punct_byte(m->cont2));
		return pr >= 2 && m->len == 2;
	case MB_LOST:	/* U+FFFD; a '?' is lost_in_word's */
		return pr >= 1;
	}
	return 0;
}

/*
 * A byte lost to '?' before a letter, in text with other repairs:
 * "уÑ?ловиÑ?х" (условия), "neÄ?ekal" (nečekal), "Å?ukasz" (Łukasz); at
 * a word's end only right after a repaired look-alike ("начнётÑ?Ñ?"),
 * as "IRMÃ?" is a question.
 */
static int
lost_in_word(const struct mojibake *ms, size_t k, size_t strong)
{
	const struct mojibake *m = &ms[k];

	if (word_char(m->after))
		return strong > 0;
	return k > 0 && ms[k - 1].likely && ms[k - 1].end == m->start;
}

/* On another page, a text with several proven look-alikes proves the
 * Latin-1 leads too: "ÂŁ12m" (£) and "ZoĂ«" beside "â€ś" in Windows-1250. */
static int
proven_other(const struct tn *t, const struct mojibake *m, const unsigned *proven,
    unsigned total)
{
	if (lower_lead(t, m))
		return 0;
	if (m->kind == MB_WHOLE && total >= 2 && (m->lead == 0xC2 || m->lead == 0xC3))
		return 1;
	if (proven[m->lead] < 1)
		return 0;
	if (m->kind == MB_SPACE || m->kind == MB_LOST)
		return 1;
	return m->kind == MB_WHOLE && (ascii_letter(m->before) || ascii_letter(m->after) ||
	    proven[m->lead] >= 2);
}

/* Mark the likely candidates of l; returns how many. */
static size_t
judge(const struct tn *t, struct mb_list *l, int page)
{
	unsigned proven[256] = { 0 }, weak[256] = { 0 }, family[256] = { 0 }, *covered = NULL;
	unsigned total = 0;
	size_t k, count = 0, strong = 0, nweak = 0, lone = 0;

	if (l->n == 0)
		return 0;
	if (page != CPAGE_1252) {
		covered = xcalloc(l->n, sizeof *covered);
		cover_words(t->cur, t->len, l, covered);
	}

	for (k = 0; k < l->n; k++) {
		struct mojibake *m = &l->ms[k];
		int v;

		/* A CESU-8 pair is never real text; of the bytes lost to
		 * '?', only "â€?" is sure to be damage. */
		if (m->foreign)
			v = 0;
		else if (m->kind == MB_CESU)
			v = 1;
		else if (m->kind == MB_LOST && m->lost_q)
			v = m->lead == 0xE2 && m->cont == 0x80;
		else if (page == CPAGE_1252)
			v = likely_1252(l->ms, l->n, k, t->cur, t->len);
		else
			v = likely_other(t, l->ms, l->n, k, (int)covered[k]);

		m->likely = (uint8_t)(v == 1 || v == 3);
		m->weak = (uint8_t)(v == 2);
		lone += v == 3;
		if (m->likely && evidence(m)) {
			proven[m->lead]++;
			family[misread_family(m)] += m->len == 3;
		}
		strong += m->likely;
		nweak += m->weak;
		weak[m->lead] += m->weak;
	}
	/*
	 * One lone pair in a text that holds real typographic punctuation
	 * ("Mccoy – DrÃ¥ber") is not a misreading of the whole text, which
	 * would have misread the dash too: it may be a name.
	 */
	if (page == CPAGE_1252 && strong == 1 && lone == 1 && nweak == 0 &&
	    real_punct(t->cur, t->len, l)) {
		for (k = 0; k < l->n; k++)
			l->ms[k].likely = 0;
		return 0;
	}
	/* Weak look-alikes count inside text with other repairs (Táº¡i beside
	 * giÃ¡), or two of a lead (ÄÆdomu, ÄÆsivaizduoji) on another page. */
	for (k = 0; k < l->n; k++) {
		struct mojibake *m = &l->ms[k];

		if (m->weak && (page == CPAGE_1252 ? strong > 0 || nweak >= 2 :
		    weak[m->lead] >= 2)) {
			m->likely = 1;
			proven[m->lead] += evidence(m);
			family[misread_family(m)] += m->len == 3;
		}
	}
	for (k = 0; k < 256; k++)
		total += proven[k];
	for (k = 0; k < l->n; k++) {
		struct mojibake *m = &l->ms[k];

		if (!m->likely && !m->foreign)
			m->likely = (uint8_t)(m->kind == MB_LOST && m->lost_q ?
			    lost_in_word(l->ms, k, strong) : page == CPAGE_1252 ?
			    proven_1252(m, proven, family) : proven_other(t, m, proven, total));
		count += m->likely;
	}
	free(covered);
	return count;
}

/* How many candidates of l are its page's own, not foreign. */
static size_t
own(const struct mb_list *l)
{
	size_t k, c = 0;

	for (k = 0; k < l->n; k++)
		c += !l->ms[k].foreign;
	return c;
}

static int
mojibake_pass(struct tn *t)
{
	const char *p = t->cur;
	size_t n = t->len, a = 0, b = 0, best_count = 0;
	struct mb_list l0 = { NULL, 0, 0 }, lk = { NULL, 0, 0 }, best = { NULL, 0, 0 };
	struct splice sp = { t, NULL, 0 };
	unsigned others = 0;
	size_t done = 0;	/* the text before this is settled */
	int page;

	scan_page(t, CPAGE_1252, &l0, &others, NULL);
	judge(t, &l0, CPAGE_1252);
	/* The other code pages: the one with the most likely look-alikes. */
	for (page = 1; page < CPAGE_N; page++) {
		size_t c;

		if (!(others & (1u << page)))
			continue;
		scan_page(t, page, &lk, NULL, &l0);
		/* Ties go to the page that reads more (ISO-8859-2 reads the
		 * C1 controls that Windows-1250 leaves undefined). */
		if ((c = judge(t, &lk, page)) > best_count ||
		    (c > 0 && c == best_count && own(&lk) > own(&best))) {
			struct mb_list tmp = best;

			best = lk;
			lk = tmp;
			best_count = c;
		}
	}
	/* Both lists are in text order: merge them, Windows-1252 first. */
	while (a < l0.n || b < best.n) {
		const struct mojibake *m;

		if (b >= best.n || (a < l0.n && l0.ms[a].start <= best.ms[b].start))
			m = &l0.ms[a++];
		else
			m = &best.ms[b++];
		if (!m->likely || m->foreign || m->start < done)
			continue;
		if (m->kind == MB_SPACE && m->cp == 0xE0 && !space_absorbed(p, n, m)) {
			/* "voilÃ le": the space stays, "Ã s" is "às". */
			utf8_add(splice_replace(&sp, m->start, m->space), m->cp);
			done = m->space;
		} else {
			utf8_add(splice_replace(&sp, m->start, m->end), m->cp);
			done = m->end;
		}
		t->c.mojibake++;
	}
	free(l0.ms);
	free(lk.ms);
	free(best.ms);
	return splice_finish(&sp);
}

static int
step_mojibake(struct tn *t)
{
	int pass, changed = 0;

	/* Text misread twice (Ã¢â‚¬â„¢) comes back one layer a pass.  Each
	 * pass that changes anything shortens the text, so this ends. */
	for (pass = 0; mojibake_pass(t); pass++)
		changed = 1;
	return changed;
}

/* ---- HTML tags ---- */

/* Tags that end a line where they stand, and inline ones that vanish. */
static const char *const block_tags[] = {
	"address", "article", "aside", "blockquote", "br", "dd", "details", "div",
	"dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5",
	"h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
	"table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", NULL
};
static const char *const inline_tags[] = {
	"a", "abbr", "b", "cite", "em", "font", "i", "img", "mark", "small",
	"span", "strong", "sub", "sup", "time", "u", NULL
};

/* Is name[0..len) one of the lower-case words in list, in any case?  (The
 * first letter first: this runs for every tag and every glue match.) */
static int
in_list(const char *const *list, const char *name, size_t len)
{
	for (; *list; list++)
		if (len > 0 && (*list)[0] == (name[0] | 0x20) &&
		    strncasecmp(*list, name, len) == 0 && (*list)[len] == '\0')
			return 1;
	return 0;
}

struct tag {
	size_t len;		/* of the whole tag, '<' to '>' */
	const char *name;
	size_t namelen;
	int closing;
	int attrs, values;	/* attribute names, and how many have a value */
};

/* Can c stand in an attribute's name ("data-id", "xml:lang", "@click")? */
static int
attr_name_byte(int c)
{
	return is_alnum(c) || c == '-' || c == '_' || c == ':' || c == '.' || c == '@';
}

/* Does p[i..end) end a tag's attributes: nothing left, or "/" alone? */
static int
attrs_end(const char *p, size_t i, size_t end)
{
	return i == end || (p[i] == '/' && i + 1 == end);
}

/*
 * Read p[i..end), between a tag's name and its '>', as attributes: names,
 * each perhaps with a value (quoted, or a word), and perhaps the '/' of
 * "<br />".  Returns 0 when it is not attributes: "a<b && c>d" is a
 * comparison, not a tag.
 */
static int
parse_attributes(const char *p, size_t i, size_t end, struct tag *tg)
{
	for (;;) {
		while (i < end && blank_byte(p[i]))
			i++;
		if (attrs_end(p, i, end))
			return 1;
		if (!attr_name_byte(p[i]) || p[i] == '-' || p[i] == '.')
			return 0;
		while (i < end && attr_name_byte(p[i]))
			i++;
		tg->attrs++;
		while (i < end && blank_byte(p[i]))
			i++;
		if (i == end || p[i] != '=')
			continue;
		for (i++; i < end && blank_byte(p[i]); i++)
			;
		if (i < end && (p[i] == '"' || p[i] == '\'')) {
			const char *q = memchr(p + i + 1, p[i], end - i - 1);

			if (q == NULL)
				return 0;
			i = (size_t)(q - p) + 1;
		} else {
			size_t from = i;

			while (i < end && !blank_byte(p[i]) && p[i] != '"' && p[i] != '\'' &&
			    p[i] != '=' && p[i] != '`')
				i++;
			if (i == from)
				return 0;
		}
		tg->values++;
		if (i < end && !blank_byte(p[i]) && !attrs_end(p, i, end))
			return 0;
	}
}

/*
 * Parse a tag-shaped thing at p[0] == '<'; 0 if it is not one.  close is
 * the first "-->" at or after p + 4, or NULL: the caller keeps track of
 * it, so that a text full of unclosed "<!--" is not searched again and
 * again.
 */
static int
parse_tag(const char *p, size_t n, const char *close, struct tag *tg)
{
	size_t i = 1, limit = n < 1024 ? n : 1024, attrs_at;

	if (n >= 7 && memcmp(p, "<!--", 4) == 0) {
		if (close == NULL)
			return 0;
		tg->len = (size_t)(close + 3 - p);
		tg->name = "!--";
		tg->namelen = 3;
		tg->closing = tg->attrs = tg->values = 0;
		return 1;
	}
	tg->closing = i < n && p[i] == '/';
	i += (size_t)tg->closing;
	tg->name = p + i;
	/* Word's "o:p" and Facebook's "fb:like" have a prefix, a custom
	 * element ("my-widget") a hyphen. */
	while (i < limit && (is_alnum(p[i]) ||
	    ((p[i] == ':' || p[i] == '-') && i > (size_t)(tg->name - p) && i + 1 < limit &&
	    is_alnum(p[i + 1]))))
		i++;
	tg->namelen = (size_t)(p + i - tg->name);
	if (tg->namelen == 0 || !((tg->name[0] | 0x20) >= 'a' && (tg->name[0] | 0x20) <= 'z'))
		return 0;
	tg->attrs = tg->values = 0;
	if (i < limit && p[i] != '>' && p[i] != '/' && !blank_byte(p[i]))
		return 0;
	attrs_at = i;
	while (i < limit && p[i] != '>' && p[i] != '<')
		i++;
	if (i >= limit || p[i] != '>' || !parse_attributes(p, attrs_at, i, tg))
		return 0;
	tg->len = i + 1;
	return 1;
}

static int
blank_or_edge(const char *p, size_t n, size_t i)
{
	return i >= n || p[i] == ' ' || p[i] == '\n' || p[i] == '\t';
}

/*
 * Should the tag at text[at] go?  Block tags, comments, tags with a
 * prefix ("<o:p>", which prose never writes), inline tags with
 * attributes and closing inline tags are markup.  A bare opening inline
 * tag is markup when it touches a word ("<b>Breaking"), prose when it
 * stands alone between blanks ("a <b> c").  Inline tags are named like
 * the variables of code, so one whose attributes have no value at all is
 * a comparison ("x<b and y>z").
 */
static int
tag_drops(const struct tn *t, const struct tag *tg, int prev_blank, int next_blank)
{
	if (t->o.tags == TN_TAGS_ALL || tg->name[0] == '!' ||
	    in_list(block_tags, tg->name, tg->namelen) || memchr(tg->name, ':', tg->namelen))
		return 1;
	if (!in_list(inline_tags, tg->name, tg->namelen) || (tg->attrs && !tg->values))
		return 0;
	return tg->attrs || tg->closing || !prev_blank || !next_blank;
}

/*
 * The text is rebuilt from its end, in out's last bytes: each '<' is
 * judged against the text after it as it will be written, so removing a
 * tag can never join "<P" and "p>" into a tag that a second run would
 * remove.  The result is never longer than the text (a tag of three bytes
 * or more becomes at most a line break), so n bytes of room suffice.
 */
/* The first "-->" in p[from..n), or SIZE_MAX. */
static size_t
find_close(const char *p, size_t from, size_t n)
{
	const char *q;

	while (from + 3 <= n && (q = memchr(p + from, '-', n - from - 2)) != NULL) {
		if (q[1] == '-' && q[2] == '>')
			return (size_t)(q - p);
		from = (size_t)(q - p) + 1;
	}
	return SIZE_MAX;
}

static int
step_tags(struct tn *t)
{
	const char *p = t->cur;
	size_t n = t->len, last = n, w = n, pos, close = SIZE_MAX, comment_end;
	struct buf *out;
	char *r;
	int changed = 0;

	if (memchr(p, '<', n) == NULL)
		return 0;
	out = spare(t);
	buf_grow(out, n);
	r = out->data;
	for (pos = n; pos-- > 0;) {
		struct tag tg;

		if (p[pos] != '<')
			continue;
		w -= last - pos;
		memmove(r + w, p + pos, last - pos);
		/* The first "-->" from here on: in what was just added (and
		 * the two bytes after it), or the one known before. */
		{
			size_t c = find_close(r, w, last - pos + w + 2 < n ? last - pos + w + 2 : n);

			if (c != SIZE_MAX)
				close = c;
		}
		last = pos;
		/* ("<!-->" holds a "-->" that does not close it.) */
		comment_end = close != SIZE_MAX && close < w + 4 ? find_close(r, w + 4, n) : close;
		if (!parse_tag(r + w, n - w, comment_end != SIZE_MAX ? r + comment_end : NULL,
		    &tg) || !tag_drops(t, &tg,
		    pos == 0 || blank_or_edge(p, n, pos - 1), blank_or_edge(r + w, n - w, tg.len)))
			continue;
		w += tg.len;
		/* A removed comment took its "-->" along: find the next one. */
		if (close != SIZE_MAX && close < w)
			close = find_close(r, w, n);
		if (in_list(block_tags, tg.name, tg.namelen))
			r[--w] = '\n';
		t->c.tags++;
		changed = 1;
	}
	if (!changed)
		return 0;
	w -= last;
	memmove(r + w, p, last);
	memmove(r, r + w, n - w);
	out->len = n - w;
	r[out->len] = '\0';
	adopt(t, out);
	return 1;
}

/* ---- optional mappings: quotes, dashes ---- */

/* ASCII for typographic quotes and dashes, or NULL. */
static const char *
ascii_punct(const struct tn *t, uint32_t cp, uint64_t **counter, struct tn_counts *c)
{
	if (t->o.quotes_ascii) {
		*counter = &c->quotes;
		switch (cp) {
		case 0x2018: case 0x2019: case 0x201A: case 0x201B:
		case 0x2032: case 0x2039: case 0x203A:
			return "'";
		case 0x201C: case 0x201D: case 0x201E: case 0x201F:
		case 0x2033: case 0x00AB: case 0x00BB:
			return "\"";
		}
	}
	if (t->o.dashes_ascii) {
		*counter = &c->dashes;
		switch (cp) {
		case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2212:
			return "-";
		case 0x2014: case 0x2015:
			return "--";
		}
	}
	return NULL;
}

static int
step_punct(struct tn *t)
{
	const char *p = t->cur;
	size_t n = t->len, i = 0;
	struct splice sp = { t, NULL, 0 };

	while (i < n) {
		size_t at = i;
		uint64_t *counter;
		const char *rep;

		if ((unsigned char)p[i] < 0x80) {
			i++;
			continue;
		}
		rep = ascii_punct(t, next_cp(p, n, &i), &counter, &t->c);
		if (rep == NULL)
			continue;
		buf_adds(splice_replace(&sp, at, i), rep);
		(*counter)++;
	}
	return splice_finish(&sp);
}

static int
step_icu(struct tn *t, void (*fn)(struct uni *, const char *, size_t, struct buf *),
    uint64_t *counter)
{
	struct buf *out = spare(t);

	fn(t->uni, t->cur, t->len, out);
	if (out->len == t->len && memcmp(out->data, t->cur, t->len) == 0)
		return 0;
	(*counter)++;
	adopt(t, out);
	return 1;
}

/* ---- invisible characters ---- */

/* Line separators of every kind, which the spaces step makes '\n'. */
static int
is_line_end(uint32_t cp)
{
	return cp == '\n' || cp == '\r' || cp == 0x85 || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0x0B || cp == 0x0C;
}

static int
is_invisible(uint32_t cp)
{
	if (cp < 0x20)
		return cp != '\t' && !is_line_end(cp);
	if (cp >= 0x7F && cp <= 0x9F)
		return cp != 0x85;
	switch (cp) {
	case 0x00AD: case 0x061C: case 0x180E: case 0x200B: case 0x200E: case 0x200F:
	case 0x202A: case 0x202B: case 0x202C: case 0x202D: case 0x202E: case 0x2060:
	case 0x2066: case 0x2067: case 0x2068: case 0x2069: case 0xFEFF:
		return 1;
	}
	return 0;
}

/* ZWJ and ZWNJ shape Arabic and Indic text and join emoji sequences;
 * between Latin letters they are debris. */
static int
joiner_needed(uint32_t cp, uint32_t prev, uint32_t next)
{
	if (uni_needs_joiners(prev) || uni_needs_joiners(next))
		return 1;
	return cp == 0x200D && (uni_is_pictographic(prev) || uni_is_pictographic(next));
}

/* Does c end a word: a letter, a digit, a closing quote? */
static int
ends_word(uint32_t c)
{
	return uni_is_letter(c) || (c >= '0' && c <= '9') || c == 0x2019 || c == 0x201D ||
	    c == '"' || c == '\'';
}

/* The character that ends just before p[at]. */
static uint32_t
cp_before(const char *p, size_t at)
{
	size_t i = at;
	uint32_t cp;

	if (at == 0)
		return 0;
	while (i > 0 && at - i < 4 && ((unsigned char)p[i - 1] & 0xC0) == 0x80)
		i--;
	if (i > 0)
		i--;
	return utf8_decode((const unsigned char *)p + i, at - i, &cp) > 0 ? cp : 0;
}

static int
step_invisible(struct tn *t)
{
	const char *p = t->cur;
	size_t n = t->len, i = 0;
	struct splice sp = { t, NULL, 0 };

	while (i < n) {
		size_t at = i;
		uint32_t cp;
		int drop;

		if ((unsigned char)p[i] >= 0x20 && (unsigned char)p[i] < 0x7F) {
			i += ascii_run(p + i, n - i, 0x1F);
			continue;
		}
		cp = next_cp(p, n, &i);
		if (cp == 0x200C || cp == 0x200D) {
			size_t j = i;
			uint32_t next = j < n ? next_cp(p, n, &j) : 0;

			drop = !joiner_needed(cp, cp_before(p, at), next);
		} else if (cp >= 0x80 && cp <= 0x9F && punct_byte(cp) &&
		    (cp != 0x85 || ends_word(cp_before(p, at)))) {
			/* A C1 control left after the mojibake step that
			 * Windows-1252 makes punctuation is that byte read as
			 * Latin-1 ("\u0084Handwerk hin\u0093"); U+0085 after a
			 * word is an ellipsis ("parlé\u0085 Tu", "pressure’\u0085"),
			 * elsewhere a line end. */
			utf8_add(splice_replace(&sp, at, i), t->cp1252[cp - 0x80]);
			t->c.cp1252++;
			continue;
		} else {
			drop = is_invisible(cp);
		}
		if (!drop)
			continue;
		splice_replace(&sp, at, i);
		t->c.invisible++;
	}
	return splice_finish(&sp);
}

/* ---- Unicode normalisation ---- */

/*
 * ICU sorts a run of combining marks in time quadratic in its length, so
 * a letter with a million marks held up the stream for minutes.  The
 * stream-safe text format of UAX #15 bounds the runs: a U+034F COMBINING
 * GRAPHEME JOINER after 30 marks that are not inert.  It is inert itself
 * (class 0, stable), so the text stays in form and a second run finds no
 * run to cut.
 */
enum { MAX_MARK_RUN = 30 };

static int
stream_safe(struct tn *t)
{
	const char *p = t->cur;
	size_t n = t->len, i = 0, run = 0;
	struct splice sp = { t, NULL, 0 };

	while (i < n) {
		size_t at = i;
		uint32_t cp;

		if ((unsigned char)p[i] < 0x80) {
			size_t plain = ascii_run(p + i, n - i, 0);

			i += plain > 0 ? plain : 1;
			run = 0;
			continue;
		}
		cp = next_cp(p, n, &i);
		if (uni_form_inert(t->uni, cp) || uni_gc(cp) != UNI_GC_MARK)
			run = 0;
		else if (++run > MAX_MARK_RUN) {
			utf8_add(splice_replace(&sp, at, at), 0x034F);
			run = 1;
		}
	}
	return splice_finish(&sp);
}

static int
step_form(struct tn *t)
{
	struct buf *out;
	int capped;

	if (t->o.form == UNI_FORM_NONE)
		return 0;
	capped = stream_safe(t);
	out = spare(t);
	if (!uni_normalize(t->uni, t->cur, t->len, out) ||
	    (out->len == t->len && memcmp(out->data, t->cur, t->len) == 0)) {
		t->c.normalized += (unsigned)capped;
		return capped;
	}
	t->c.normalized++;
	adopt(t, out);
	return 1;
}

/* ---- white space ---- */

static int
step_spaces(struct tn *t)
{
	const char *p = t->cur;
	size_t n = t->len, i = 0, run = SIZE_MAX;
	struct buf *out = spare(t);
	int pending_space = 0, pending_lines = 0, changed;

	/*
	 * Rebuild the text from its runs of visible characters: a space goes
	 * out only between two runs on one line, line breaks only before the
	 * next line's first run, at most two of them.
	 */
	while (i < n) {
		size_t at = i;
		unsigned char c = (unsigned char)p[i];
		uint32_t cp;

		if (c > ' ' && c < 0x7F) {
			if (run == SIZE_MAX) {
				if (pending_lines && out->len > 0)
					buf_add(out, "\n\n", pending_lines > 1 ? 2 : 1);
				else if (pending_space && out->len > 0)
					buf_addc(out, ' ');
				pending_lines = pending_space = 0;
				run = at;
			}
			/* A single space between two words stays as it is. */
			i += words_run(p + i, n - i);
			continue;
		}
		cp = next_cp(p, n, &i);
		if (cp == '\r' && i < n && p[i] == '\n')
			i++;
		if (cp == ' ' || cp == '\t' || is_line_end(cp) || uni_is_space_separator(cp)) {
			if (run != SIZE_MAX) {
				buf_add(out, p + run, at - run);
				run = SIZE_MAX;
			}
			if (is_line_end(cp)) {
				pending_lines++;
				pending_space = 0;
			} else {
				pending_space = 1;
			}
			continue;
		}
		if (run == SIZE_MAX) {
			if (pending_lines && out->len > 0)
				buf_add(out, "\n\n", pending_lines > 1 ? 2 : 1);
			else if (pending_space && out->len > 0)
				buf_addc(out, ' ');
			pending_lines = pending_space = 0;
			run = at;
		}
	}
	if (run != SIZE_MAX)
		buf_add(out, p + run, n - run);
	changed = out->len != n || memcmp(out->data, p, n) != 0;
	if (changed) {
		t->c.spaces++;
		adopt(t, out);
	}
	return changed;
}

/* ---- glued sentences ---- */

static int
is_space_byte(int c)
{
	return c == ' ' || c == '\n' || c == '\t';
}

/* Words that end a "word.Word" token which is a name, not two sentences. */
static const char *const not_sentences[] = {
	"com", "org", "net", "edu", "gov", "int", "info", "biz", "io", "co", "uk",
	"de", "fr", "es", "it", "nl", "eu", "us", "ca", "au", "html", "htm", "php",
	"aspx", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "csv",
	"jpg", "jpeg", "png", "gif", "svg", "mp3", "mp4", "zip", "exe", "js", "json",
	"xml", "tel", NULL
};

/* Of those, words that begin sentences too ("believe.It was", "gesagt.Es war"). */
static const char *const sentence_words[] = { "de", "es", "it", "us", NULL };

/* Lower-case words without a vowel that end sentences ("42 km.The"); any
 * other such word is a name in code ("fmt.Println", "pd.DataFrame"). */
static const char *const vowelless_words[] = {
	"bn", "cm", "ft", "hr", "hrs", "kg", "km", "ltd", "mm", "mph", "nth", "pm", NULL
};

static int
is_lower_ascii(int c)
{
	return c >= 'a' && c <= 'z';
}

static int
is_upper_ascii(int c)
{
	return c >= 'A' && c <= 'Z';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* A byte of a word: an ASCII letter or digit, or part of a character
 * beyond ASCII. */
static int
word_byte(int c)
{
	return is_alnum(c) || c >= 0x80;
}

/*
 * The blank-delimited token a glue match stands in: whether it is a URL,
 * a path or an e-mail address, and how many of its dots join two words
 * ("java.util.List" has two); found once per token, not once per match.
 */
struct token {
	size_t start, end;
	int web;
	size_t joints;
};

/* Is c a letter or a digit? */
static int
letter_or_digit(uint32_t c)
{
	return c < 0x80 ? is_alnum((int)c) : uni_is_letter(c);
}

/* Is the '.' at p[d] between two words? */
static int
joint_at(const char *p, size_t start, size_t end, size_t d)
{
	size_t after = d + 1;

	return p[d] == '.' && d > start && d + 1 < end && letter_or_digit(cp_before(p, d)) &&
	    letter_or_digit(next_cp(p, end, &after));
}

static void
find_token(const char *p, size_t n, size_t ms, size_t me, struct token *tok)
{
	size_t d;

	tok->start = ms;
	while (tok->start > 0 && !is_space_byte(p[tok->start - 1]))
		tok->start--;
	tok->end = me;
	while (tok->end < n && !is_space_byte(p[tok->end]))
		tok->end++;
	/* One pass: a '/' (as in "://"), an '@' or "www." make it web. */
	tok->web = 0;
	tok->joints = 0;
	for (d = tok->start; d < tok->end; d++) {
		if (p[d] == '.')
			tok->joints += (size_t)joint_at(p, tok->start, tok->end, d);
		else if (p[d] == '/' || p[d] == '@' ||
		    (p[d] == 'w' && tok->end - d >= 4 && memcmp(p + d, "www.", 4) == 0))
			tok->web = 1;
	}
}

/* Is the word p[me..w) a capitalised word that plainly begins a sentence:
 * another word or an apostrophe after it ("It was", "It's")? */
static int
begins_sentence(const char *p, size_t n, size_t me, size_t w)
{
	size_t k;

	if (!is_upper_ascii(p[me]))
		return 0;
	for (k = me + 1; k < w; k++)
		if (!is_lower_ascii(p[k]))
			return 0;
	if (w + 1 < n && p[w] == ' ')
		return word_byte((unsigned char)p[w + 1]);
	return (w < n && p[w] == '\'') || (w + 2 < n && memcmp(p + w, "\xE2\x80\x99", 3) == 0);
}

/* Does the lower-case ASCII word that ends at p[ms] lack a vowel, and
 * is it not a unit ("fmt", "pd", but "km")? */
static int
vowelless_before(const char *p, size_t start, size_t ms)
{
	size_t b = ms, k;

	while (b > start && is_lower_ascii(p[b - 1]))
		b--;
	if (b == ms || (b > start && word_byte((unsigned char)p[b - 1])))
		return 0;
	for (k = b; k < ms; k++)
		if (strchr("aeiouy", p[k]) != NULL)
			return 0;
	return !in_list(vowelless_words, p + b, ms - b);
}

/*
 * Is the match [ms, me) in p really two glued sentences?  Not inside a
 * URL, a path, an e-mail address, a domain name or a file name, nor in a
 * dotted name or a name in code.
 */
static int
glue_ok(const char *p, size_t n, size_t ms, size_t me, struct token *tok)
{
	size_t w;

	if (ms >= tok->end)
		find_token(p, n, ms, me, tok);
	if (tok->web)
		return 0;
	/* "java.util.List", "Halo.Bungie.Org": one more dot between words. */
	if (tok->joints > (size_t)(me == ms + 1 && joint_at(p, tok->start, tok->end, ms)))
		return 0;
	/* "fmt.Println", "pd.DataFrame" */
	if (vowelless_before(p, tok->start, ms))
		return 0;
	for (w = me; w < tok->end && is_alnum(p[w]); w++)
		;
	/* "Println(" */
	if (w < n && p[w] == '(')
		return 0;
	/* "example.Com", "Report.PDF", "One.Tel" - but "said.The" and
	 * "believe.It was" go on. */
	if ((w == tok->end || !((p[w] | 0x20) >= 'a' && (p[w] | 0x20) <= 'z')) &&
	    in_list(not_sentences, p + me, w - me))
		return in_list(sentence_words, p + me, w - me) && begins_sentence(p, n, me, w);
	return 1;
}

/* Length of the closing quote or bracket at p[0..n), 0 if none. */
static size_t
closer_len(const unsigned char *p, size_t n)
{
	if (p[0] == '"' || p[0] == '\'' || p[0] == ')')
		return 1;
	if (n >= 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x9D || p[2] == 0x99))
		return 3;	/* U+201D, U+2019 */
	if (n >= 2 && p[0] == 0xC2 && p[1] == 0xBB)
		return 2;	/* U+00BB */
	return 0;
}

static int
is_stop(int c)
{
	return c == '.' || c == '!' || c == '?';
}

/*
 * Past the stops and closing quotes or brackets from p[j]: where the
 * pattern's lookahead would look.  *ahead says whether a capital could
 * stand there (an ASCII capital or a character beyond ASCII).
 */
static size_t
glue_ahead(const unsigned char *p, size_t n, size_t j, int *ahead)
{
	size_t k;

	while (j < n && is_stop(p[j]))
		j++;
	while (j < n && (k = closer_len(p + j, n - j)) > 0)
		j += k;
	*ahead = j < n && (is_upper_ascii(p[j]) || p[j] >= 0x80);
	return j;
}

/*
 * The first of p[i..n) that is a stop ('.', '!', '?') that no blank
 * follows, n if none: "said. The" cannot be glue, and is the common case.
 */
static size_t
next_stop(const char *p, size_t i, size_t n)
{
#if defined(__SSE2__)
	const __m128i sp = _mm_set1_epi8(' '), nl = _mm_set1_epi8('\n');

	for (; i + 17 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
		__m128i v1 = _mm_loadu_si128((const __m128i *)(p + i + 1));
		__m128i stop = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')),
		    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('!')),
		    _mm_cmpeq_epi8(v, _mm_set1_epi8('?'))));
		__m128i blank1 = _mm_or_si128(_mm_cmpeq_epi8(v1, sp), _mm_cmpeq_epi8(v1, nl));
		unsigned bits = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(blank1, stop));

		if (bits != 0)
			return i + (size_t)__builtin_ctz(bits);
	}
#endif
	for (; i < n; i++)
		if (is_stop((unsigned char)p[i]) &&
		    !(i + 1 < n && (p[i + 1] == ' ' || p[i + 1] == '\n')))
			break;
	return i;
}

/*
 * The pattern matches only at a run of stops whose closers a capital
 * follows, and it looks no further than two characters past them.  So it
 * runs only at such runs, on the few bytes around them: most stops end a
 * sentence before a blank, and running it over the whole text cost more
 * than all the other steps together.  It still sees the whole text
 * before the run (its lookbehind), and a match it finds there is the one
 * it would find in the whole text.
 */
static int
step_glue(struct tn *t)
{
	const char *p = t->cur;
	size_t n = t->len, pos = 0, ms, me, s;
	struct splice sp = { t, NULL, 0 };
	struct token tok = { 0, 0, 0, 0 };
	int found = 0;

	while ((s = next_stop(p, pos, n)) < n) {
		size_t run = s + 1, end;
		int ahead;

		while (run < n && is_stop((unsigned char)p[run]))
			run++;
		pos = run;
		end = glue_ahead((const unsigned char *)p, n, s, &ahead);
		if (!ahead)
			continue;
		/* Two characters of four bytes at most. */
		end = end + 8 < n ? end + 8 : n;
		while (end < n && ((unsigned char)p[end] & 0xC0) == 0x80)
			end++;
		if ((found = rx_find(t->glue, p, end, s, &ms, &me)) < 0)
			break;
		/* A match past this run is found at its own run. */
		if (found == 0 || ms >= run)
			continue;
		pos = me;
		if (!glue_ok(p, n, ms, me, &tok))
			continue;
		buf_addc(splice_replace(&sp, me, me), ' ');
		t->c.glued++;
	}
	/* A match that gave up leaves the rest of this text unglued. */
	t->c.pattern_errors += found < 0;
	return splice_finish(&sp);
}

/* ---- the driver ---- */

/* Could the glue step find "word.Word" at the stop p[i]?  Cheap. */
static int
glue_candidate(const unsigned char *p, size_t n, size_t i)
{
	unsigned char prev = i > 0 ? p[i - 1] : ' ', prev2 = i > 1 ? p[i - 2] : ' ';
	int ahead;

	/* As the pattern has it: "said.", "IBM.", "2020.", "euros).". */
	if (!(is_lower_ascii(prev) || prev >= 0x80 || prev == ')' || prev == '"' || prev == '\'' ||
	    (is_upper_ascii(prev) && is_upper_ascii(prev2)) ||
	    (is_digit(prev) && is_digit(prev2) && i > 2 && is_digit(p[i - 3]))))
		return 0;
	glue_ahead(p, n, i + 1, &ahead);
	return ahead;
}

/* Does the glue step have work in the text: the N_GLUE of analyse()? */
static int
glue_needed(const struct tn *t)
{
	const unsigned char *p = (const unsigned char *)t->cur;
	size_t n = t->len, i;

	for (i = next_stop(t->cur, 0, n); i < n; i = next_stop(t->cur, i + 1, n))
		if (glue_candidate(p, n, i))
			return 1;
	return 0;
}

/* What the character at p[*i] (a byte >= 0x80) needs; advances *i. */
static unsigned
high_needs(const struct tn *t, const unsigned char *p, size_t n, size_t *i)
{
	uint32_t cp;
	int len = utf8_decode(p + *i, n - *i, &cp);
	unsigned needs = 0;

	if (len == 0) {
		*i += utf8_bad_len(p + *i, n - *i);
		return N_ENCODING;
	}
	*i += (size_t)len;
	/* "voilÃ le": an à whose NBSP became a space. */
	if (cp == 0xC3 && *i < n && p[*i] == ' ')
		needs |= N_MOJIBAKE;
	if (*i < n && p[*i] >= 0x80) {
		unsigned leads;

		if (cp >= 0xC2 && cp <= 0xF4) {
			needs |= N_MOJIBAKE;
		} else if (may_continue(p + *i, n - *i) &&
		    (leads = cpage_leads(t->cpage, cp)) != 0) {
			size_t j = *i;

			leads &= cpage_conts(t->cpage, next_cp((const char *)p, n, &j));
			/* A lower-case lead starts three bytes or more in every
			 * page (Cyrillic "в" in Windows-1251); clean Ukrainian
			 * has "ві" everywhere, never a third one. */
			if (leads && uni_is_lower(cp) && cp != 0x192 && j < n)
				leads &= cpage_conts(t->cpage, next_cp((const char *)p, n, &j));
			if (leads)
				needs |= N_MOJIBAKE;
		}
	}
	if (cp <= 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
	    cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000)
		needs |= cp == 0x85 ? N_SPACES | N_INVISIBLE : cp >= 0xA0 ? N_SPACES : N_INVISIBLE;
	if (is_invisible(cp) || cp == 0x200C || cp == 0x200D)
		needs |= N_INVISIBLE;
	if (!uni_form_inert(t->uni, cp))
		needs |= N_FORM;
	return needs;
}

/* One pass over the text: which steps may have work (N_*)? */
static unsigned
analyse(const struct tn *t, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned needs = 0;
	size_t i = 0;

	if (n > 0 && (p[0] == ' ' || p[0] == '\n' || p[n - 1] == ' ' || p[n - 1] == '\n'))
		needs |= N_SPACES;
	while (i < n) {
		unsigned k;

#if defined(__SSE2__)
		/* Skip 16 bytes at a time while nothing in them can need work:
		 * single spaces between words are the common case. */
		while (i + 18 <= n) {
			__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
			__m128i v1 = _mm_loadu_si128((const __m128i *)(p + i + 1));
			__m128i sp = _mm_set1_epi8(' '), nl = _mm_set1_epi8('\n');
			__m128i is_sp = _mm_cmpeq_epi8(v, sp), is_nl = _mm_cmpeq_epi8(v, nl);
			__m128i m = _mm_andnot_si128(_mm_or_si128(is_sp, is_nl),
			    _mm_cmplt_epi8(v, _mm_set1_epi8(0x21)));	/* controls, >= 0x80 */

			__m128i stop = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')),
			    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('!')),
			    _mm_cmpeq_epi8(v, _mm_set1_epi8('?'))));
			__m128i next_blank = _mm_or_si128(_mm_cmpeq_epi8(v1, sp), _mm_cmpeq_epi8(v1, nl));
			unsigned bits;

			m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('&')));
			m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('<')));
			m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
			/* A stop before a blank cannot be glue: "said. The". */
			m = _mm_or_si128(m, _mm_andnot_si128(next_blank, stop));
			/* "  ", " \n", "\n ", "\n\n": let the byte loop judge. */
			m = _mm_or_si128(m, _mm_and_si128(_mm_or_si128(is_sp, is_nl), next_blank));
			bits = (unsigned)_mm_movemask_epi8(m);
			if (bits != 0) {
				i += (size_t)__builtin_ctz(bits);
				break;
			}
			i += 16;
		}
#endif
		k = t->cls[p[i]];
		if (WN_LIKELY(k == 0)) {
			i++;
			continue;
		}
		needs |= k & 0xFFF;
		switch (k & 0xF000) {
		case K_SPACE:
			if ((i + 1 < n && (p[i + 1] == ' ' || p[i + 1] == '\n')) ||
			    (i > 0 && p[i - 1] == '\n'))
				needs |= N_SPACES;
			break;
		case K_NL:
			/* "\n " (the fast loop stops at the '\n' and goes on
			 * after it) and "\n\n\n". */
			if ((i + 1 < n && p[i + 1] == ' ') ||
			    (i + 2 < n && p[i + 1] == '\n' && p[i + 2] == '\n'))
				needs |= N_SPACES;
			break;
		case K_STOP:
			if (glue_candidate(p, n, i))
				needs |= N_GLUE;
			break;
		case K_HIGH:
			needs |= high_needs(t, p, n, &i);
			continue;
		}
		i++;
	}
	return needs;
}

/*
 * One round of the steps over t->cur; the steps in needs run, the others
 * had nothing to do.  The mappings run on what the repairs made of the
 * text, so only when a repair changed it since they last ran, and a
 * transliterator that changes its own output only in the first round:
 * run on its own output again and again, Any-Hex would hex its hex for
 * ever.  Returns whether any step changed the text; *needs, the steps
 * the text had work for at the start of the round, becomes those it has
 * work for at its end, as found after the last step that changed it.
 */
static int
round_of_steps(struct tn *t, unsigned *needs, int first)
{
	unsigned step, todo = *needs;
	int changed = 0, stale = 0;

	for (step = 1; step <= N_GLUE; step <<= 1) {
		int did;

		if (step == N_INVISIBLE)
			t->remap = 0;
		if (!(todo & step))
			continue;
		if ((step & N_MAPPINGS) &&
		    (!t->remap || (step == N_TRANSLIT && t->translit_once && !first)))
			continue;
		switch (step) {
		case N_ENCODING: did = step_encoding(t); break;
		case N_ENTITIES: did = step_entities(t); break;
		case N_MOJIBAKE: did = step_mojibake(t); break;
		case N_TAGS: did = step_tags(t); break;
		case N_PUNCT: did = step_punct(t); break;
		case N_TRANSLIT: did = step_icu(t, uni_translit, &t->c.translit); break;
		case N_CASEFOLD: did = step_icu(t, uni_casefold, &t->c.casefold); break;
		case N_INVISIBLE: did = step_invisible(t); break;
		case N_FORM: did = step_form(t); break;
		case N_SPACES: did = step_spaces(t); break;
		default: did = step_glue(t); break;
		}
		/*
		 * The new text may need other steps than the old one did.  After
		 * the spaces step only the glue step is left: ask whether it has
		 * work, and analyse the whole text only if it changes nothing.
		 */
		if (did && step == N_SPACES) {
			todo = (t->enabled & N_GLUE) && glue_needed(t) ? N_GLUE : 0;
			stale = 1;
		} else if (did) {
			*needs = (analyse(t, t->cur, t->len) | t->always) & (t->enabled | t->always);
			todo = *needs & ~(step * 2 - 1);
			stale = 0;
		}
		if (did && !(step & N_MAPPINGS))
			t->remap = 1;
		changed |= did;
	}
	if (stale)
		*needs = (analyse(t, t->cur, t->len) | t->always) & (t->enabled | t->always);
	return changed;
}

/*
 * Give up on a text whose repairs nest deeper than TN_MAX_ROUNDS rounds:
 * its counts go back to what they were, and only the encoding and form
 * steps run, once each.  Both are idempotent and the nesting is still
 * there, so a second run gives up the same way and changes nothing.
 */
static int
refuse(struct tn *t, const struct tn_counts *before, const char *text, size_t len,
    const char **out, size_t *outlen)
{
	int changed;

	t->c = *before;
	t->c.refused++;
	t->cur = text;
	t->len = len;
	changed = step_encoding(t);
	changed |= step_form(t);
	if (!changed)
		return 0;
	*out = t->cur;
	*outlen = t->len;
	return 1;
}

int
tn_run(struct tn *t, const char *text, size_t len, const char **out, size_t *outlen)
{
	unsigned needs = (analyse(t, text, len) | t->always) & (t->enabled | t->always);
	struct tn_counts before = t->c;
	int changed = 0, rounds;

	if (needs == 0)
		return 0;
	t->cur = text;
	t->len = len;
	t->remap = 1;
	/*
	 * A late step can hand an early one new work: removing a control
	 * character or a tag can join the halves of a mojibake sequence or
	 * of an entity.  Rounds go on until nothing changes, so that a second
	 * run over the output finds nothing to do, however deep a text nests
	 * such joins.  They end: after the first round only joins that an
	 * earlier round made, each of which removes bytes, give the repairs
	 * work, and the mappings do not feed themselves (round_of_steps).
	 * References nested through removed controls are decoded in one
	 * round (decode_made); a real text needs two or three rounds.  Only a
	 * text built to nest repairs through removed tags or NFKC, which
	 * take a round a level, needs many, and each costs the whole text:
	 * past TN_MAX_ROUNDS it is refused rather than let hold up the stream.
	 */
	for (rounds = 0; round_of_steps(t, &needs, rounds == 0); rounds++) {
		if (rounds + 1 == TN_MAX_ROUNDS)
			return refuse(t, &before, text, len, out, outlen);
		changed = 1;
	}
	if (!changed)
		return 0;
	*out = t->cur;
	*outlen = t->len;
	return 1;
}
