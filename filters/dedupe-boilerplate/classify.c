#include "compat.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afile.h"
#include "classify.h"
#include "dfile.h"
#include "fprint.h"
#include "hmap.h"
#include "msg.h"

/* A long paragraph: the anchor of the distance and window features. */
#define LONG_WORDS 15
#define LONG_STOP 0.2
#define FAR 99		/* distances are counted up to this many lines */
#define HEAD_LINES 6	/* lines of an article's head above its first paragraph */

/* Features of one line, by index: its own, its place, its neighbours'. */
enum {
	F_LCHARS, F_LWORDS, F_WLEN, F_STOPD, F_CAPD, F_END_SENT, F_END_COLON, F_DIGD, F_PUNCTD,
	F_MENUD, F_MENU_SHORT, F_SEP, F_COPYRIGHT, F_URLISH, F_TITLECASE, F_ALLCAPS, F_W1,
	F_W2_4, F_W5_9, F_W10_19, F_W20P, F_SITE, F_DUP,
	F_RELPOS, F_LPOS, F_LPOS_END, F_FIRST, F_BEFORE_LONG, F_AFTER_LONG, F_DPREV_LONG,
	F_DNEXT_LONG,
	F_NB,			/* 4 offsets x NB_EACH: neighbours -2, -1, +1, +2 */
	F_WIN = F_NB + 24,	/* 2 windows x 3 */
	F_GONE = F_WIN + 6,
	F_END
};
#define NB_EACH 6	/* lchars, stopd, end_sent, capd, menud, pad */

_Static_assert(F_END == CL_NFEAT, "CL_NFEAT is not the number of features");

static const char *const feature_names[CL_NFEAT] = {
	"lchars", "lwords", "wlen", "stopd", "capd", "end-sent", "end-colon", "digd", "punctd",
	"menud", "menu-short", "sep", "copyright", "urlish", "titlecase", "allcaps", "w1",
	"w2-4", "w5-9", "w10-19", "w20p", "site", "dup",
	"relpos", "lpos", "lpos-end", "first", "before-long", "after-long", "dprev-long",
	"dnext-long",
	"lchars@-2", "stopd@-2", "end-sent@-2", "capd@-2", "menud@-2", "pad@-2",
	"lchars@-1", "stopd@-1", "end-sent@-1", "capd@-1", "menud@-1", "pad@-1",
	"lchars@+1", "stopd@+1", "end-sent@+1", "capd@+1", "menud@+1", "pad@+1",
	"lchars@+2", "stopd@+2", "end-sent@+2", "capd@+2", "menud@+2", "pad@+2",
	"win2-long", "win2-lchars", "win2-stopd", "win5-long", "win5-lchars", "win5-stopd",
	"gone2"
};

/* Function words: article prose is dense with them, menus are not. */
static const char *const stop_words[] = {
	"a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and",
	"any", "are", "as", "at", "be", "because", "been", "before", "being", "below",
	"between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down",
	"during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he",
	"her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its",
	"just", "may", "me", "more", "most", "my", "new", "no", "nor", "not", "now", "of", "off",
	"on", "once", "one", "only", "or", "other", "our", "out", "over", "own", "said", "same",
	"says", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them",
	"then", "there", "these", "they", "this", "those", "through", "to", "too", "two",
	"under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
	"while", "who", "whom", "why", "will", "with", "would", "you", "your"
};

/* Words of site furniture: navigation, sharing, sign-in, credits. */
static const char *const menu_words[] = {
	"about", "account", "advertise", "advertisement", "advertising", "app", "apps",
	"careers", "click", "close", "comment", "comments", "contact", "continue", "cookie",
	"cookies", "copyright", "download", "edition", "email", "faq", "facebook", "feedback",
	"follow", "gallery", "getty", "help", "home", "image", "images", "instagram", "jobs",
	"linkedin", "listen", "load", "loading", "login", "menu", "navigation", "newsletter",
	"newsletters", "next", "photo", "photos", "pinterest", "podcast", "podcasts", "policy",
	"popular", "posted", "prev", "previous", "print", "privacy", "profile", "read",
	"reddit", "register", "related", "reply", "reserved", "rights", "rss", "search",
	"section", "sections", "settings", "share", "shares", "sharing", "sign", "signin",
	"skip", "sponsored", "subscribe", "subscribers", "subscription", "tag", "tags",
	"terms", "toggle", "topics", "trending", "tweet", "twitter", "updated", "video",
	"videos", "view", "watch", "whatsapp", "youtube"
};

#define WT_SIZE 512	/* the word table: a power of two, under half full */
#define IS_STOP 1
#define IS_MENU 2

/* What the features of a line's neighbours read. */
struct base {
	double lchars, stopd, end_sent, capd, menud;
	int is_long, gone;
};

struct cl {
	struct cl_model m;
	uint64_t wkey[WT_SIZE];
	unsigned char wval[WT_SIZE];
	/* per record, grown as records need, never per line */
	double *x, *p;
	size_t *line;
	struct base *b;
	unsigned char *keep;
	size_t cap;
	struct hmap dups;	/* fingerprints of the record, for F_DUP */
};

const char *
cl_feature_name(size_t i)
{
	return feature_names[i];
}

static unsigned char *
word_slot(struct cl *c, uint64_t h)
{
	size_t i = (size_t)(h ^ (h >> 31)) & (WT_SIZE - 1);

	while (c->wval[i] != 0 && c->wkey[i] != h)
		i = (i + 1) & (WT_SIZE - 1);
	c->wkey[i] = h;
	return &c->wval[i];
}

static unsigned
word_kind(const struct cl *c, uint64_t h)
{
	size_t i = (size_t)(h ^ (h >> 31)) & (WT_SIZE - 1);

	for (; c->wval[i] != 0; i = (i + 1) & (WT_SIZE - 1))
		if (c->wkey[i] == h)
			return c->wval[i];
	return 0;
}

struct cl *
cl_new(const struct cl_model *m)
{
	struct cl *c = xcalloc(1, sizeof *c);
	size_t i;

	if (m)
		c->m = *m;
	for (i = 0; i < sizeof stop_words / sizeof stop_words[0]; i++)
		*word_slot(c, fp_word(stop_words[i], strlen(stop_words[i]))) |= IS_STOP;
	for (i = 0; i < sizeof menu_words / sizeof menu_words[0]; i++)
		*word_slot(c, fp_word(menu_words[i], strlen(menu_words[i]))) |= IS_MENU;
	return c;
}

void
cl_free(struct cl *c)
{
	if (c == NULL)
		return;
	free(c->x);
	free(c->p);
	free(c->line);
	free(c->b);
	free(c->keep);
	hm_release(&c->dups);
	free(c);
}

const struct cl_model *
cl_model(const struct cl *c)
{
	return &c->m;
}

/* ---- the model file ---- */

/* A finite number filling field f, else a fatal error there. */
static double
number(const struct df *d, const struct df_field *f)
{
	char tmp[64], *end;
	double v;

	if (f->len == 0 || f->len >= sizeof tmp)
		df_error(d, f->col, "'%.*s' is not a number", (int)(f->len > 40 ? 40 : f->len), f->p);
	memcpy(tmp, f->p, f->len);
	tmp[f->len] = '\0';
	errno = 0;
	v = strtod(tmp, &end);
	if (*end != '\0' || end == tmp || errno == ERANGE || !isfinite(v))
		df_error(d, f->col, "'%s' is not a number", tmp);
	return v;
}

static const char *const param_names[] = { "span-c", "p-in", "p-out", "bias" };
#define NPARAM 4

struct cl *
cl_load(const char *path)
{
	struct cl_model m;
	struct df *d = df_open(path);
	unsigned long seen[NPARAM + CL_NFEAT];
	double *param[NPARAM] = { &m.span_c, &m.p_in, &m.p_out, &m.bias };
	struct df_field f[4];
	const char *s;
	size_t i, n, len;
	struct cl *c;

	memset(&m, 0, sizeof m);
	memset(seen, 0, sizeof seen);
	if (!df_next(d))
		df_error(d, 0, "empty: not a line model");
	s = df_line(d, &len);
	if (strcmp(s, CL_HEADER) != 0) {
		if (strncmp(s, CL_HEADER, strlen(CL_HEADER) - 1) == 0)
			df_error(d, strlen(CL_HEADER), "line model version '%s' is not supported (want 1)",
			    s + strlen(CL_HEADER) - 1);
		df_error(d, 1, "not a dedupe-boilerplate line model (want '%s')", CL_HEADER);
	}
	while (df_next(d)) {
		n = df_fields(d, f, 4);
		for (i = 0; i < NPARAM + CL_NFEAT; i++) {
			const char *name = i < NPARAM ? param_names[i] : feature_names[i - NPARAM];

			if (strlen(name) == f[0].len && memcmp(name, f[0].p, f[0].len) == 0)
				break;
		}
		if (i == NPARAM + CL_NFEAT)
			df_error(d, f[0].col, "unknown name '%.*s'", (int)(f[0].len > 40 ? 40 : f[0].len), f[0].p);
		if (seen[i])
			df_error(d, f[0].col, "'%.*s' is already given at line %lu", (int)f[0].len, f[0].p, seen[i]);
		seen[i] = df_lineno(d);
		if (i < NPARAM) {
			if (n != 2)
				df_error(d, 0, "want NAME and VALUE separated by a tab");
			*param[i] = number(d, &f[1]);
			if (i != 0 && i != 3 && (*param[i] < 0 || *param[i] > 1))
				df_error(d, f[1].col, "%s is a probability, from 0 to 1", param_names[i]);
			continue;
		}
		if (n != 4)
			df_error(d, 0, "want FEATURE, MEAN, STD and WEIGHT separated by tabs");
		i -= NPARAM;
		m.mean[i] = number(d, &f[1]);
		m.sd[i] = number(d, &f[2]);
		m.w[i] = number(d, &f[3]);
		if (m.sd[i] <= 0)
			df_error(d, f[2].col, "the standard deviation must be above 0");
	}
	for (i = 0; i < NPARAM + CL_NFEAT; i++)
		if (!seen[i])
			df_error(d, 0, "'%s' is missing", i < NPARAM ? param_names[i] : feature_names[i - NPARAM]);
	df_close(d);
	c = cl_new(&m);
	return c;
}

/* Append the printf-formatted text to b. */
static void WN_PRINTF(2, 3)
add_text(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
cl_model_save(const struct cl_model *m, const char *path, const char *comment)
{
	struct buf b;
	struct af *f;
	size_t i, done;
	ssize_t w;

	buf_init(&b);
	add_text(&b, "%s\n%s", CL_HEADER, comment ? comment : "");
	add_text(&b, "# decoder: keep a line inside the span of largest sum of logit(p) - span-c\n"
	    "# when p > p-in, outside it when p > p-out\n");
	add_text(&b, "span-c\t%.6g\np-in\t%.6g\np-out\t%.6g\n", m->span_c, m->p_in, m->p_out);
	add_text(&b, "# p = 1 / (1 + exp(-(bias + sum of weight * (x - mean) / std)))\n");
	add_text(&b, "bias\t%.9g\n", m->bias);
	add_text(&b, "# feature\tmean\tstd\tweight\n");
	for (i = 0; i < CL_NFEAT; i++)
		add_text(&b, "%s\t%.9g\t%.9g\t%.9g\n", feature_names[i], m->mean[i], m->sd[i],
		    m->w[i]);
	/* Replaced whole or not at all: a trainer that fails leaves the
	 * shipped model as it was. */
	f = af_open(path);
	for (done = 0; done < b.len; done += (size_t)w)
		if ((w = write(af_fd(f), b.data + done, b.len - done)) < 0) {
			if (errno != EINTR)
				msg_fatal("%s: write error: %s", af_name(f), strerror(errno));
			w = 0;
		}
	af_commit(f);
	buf_release(&b);
}

/* ---- features ---- */

/* The features of line l (text p[0..n)) that need no neighbour, into x. */
static void
own_features(const struct cl *c, const struct dd_doc *doc, const struct dd_line *l,
    const char *p, size_t n, double *x, struct base *b)
{
	size_t i, chars = 0, digits = 0, letters = 0, spaces = 0, upper = 0, lower = 0;
	size_t tokens = 0, capital = 0, alpha_tokens = 0, seps = 0, stops = 0, menus = 0;
	int copyright = 0, url = 0, colon, end, start = 1;
	const uint64_t *w = dd_words(doc, l);
	double nw = l->words ? (double)l->words : 1.0, nt;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if ((ch & 0xC0) == 0x80)
			continue;	/* a continuation byte: counted with its lead */
		chars++;
		if (ch == ' ' || ch == '\t') {
			spaces++;
			start = 1;
			continue;
		}
		if (start) {
			tokens++;
			capital += ch >= 'A' && ch <= 'Z';
			alpha_tokens += (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch >= 0xC0;
			start = 0;
		}
		if (ch >= '0' && ch <= '9')
			digits++;
		else if (ch >= 'A' && ch <= 'Z')
			letters++, upper++;
		else if (ch >= 'a' && ch <= 'z')
			letters++, lower++;
		else if (ch >= 0xC0) {
			/* Not ASCII: a letter, unless one of the marks below. */
			if (i + 1 < n && ch == 0xC2 && ((unsigned char)p[i + 1] == 0xBB ||
			    (unsigned char)p[i + 1] == 0xB7))
				seps++;		/* » · */
			else if (i + 1 < n && ch == 0xC2 && (unsigned char)p[i + 1] == 0xA9)
				copyright = 1;	/* © */
			else if (i + 2 < n && ch == 0xE2 && (unsigned char)p[i + 1] == 0x80 &&
			    ((unsigned char)p[i + 2] == 0xBA || (unsigned char)p[i + 2] == 0xA2))
				seps++;		/* › • */
			else if (ch != 0xE2)
				letters++;	/* E2: general punctuation, arrows */
		} else if (ch == '|' || ch == '>' || ch == '/') {
			seps++;
		} else if (ch == '@') {
			url = 1;
		} else if ((ch == 'h' || ch == 'w') && n - i >= 4 &&
		    (memcmp(p + i, "http", 4) == 0 || memcmp(p + i, "www.", 4) == 0)) {
			url = 1;
		}
	}
	for (i = 0; i < l->words; i++) {
		unsigned k = word_kind(c, w[i]);

		stops += (k & IS_STOP) != 0;
		menus += (k & IS_MENU) != 0;
	}
	nt = tokens ? (double)tokens : 1.0;
	x[F_LCHARS] = log1p((double)chars);
	x[F_LWORDS] = log1p((double)l->words);
	x[F_WLEN] = (double)chars / nt / 10.0;
	x[F_STOPD] = (double)stops / nw;
	x[F_CAPD] = (double)capital / nt;
	end = l->stop;
	colon = end == ':';
	x[F_END_SENT] = end != 0 && !colon;
	x[F_END_COLON] = colon;
	x[F_DIGD] = (double)digits / (double)chars;
	x[F_PUNCTD] = (double)(chars - digits - letters - spaces) / (double)chars;
	x[F_MENUD] = (double)menus / nw;
	x[F_MENU_SHORT] = menus > 0 && l->words <= 4;
	x[F_SEP] = (double)(seps > 5 ? 5 : seps) / 5.0;
	x[F_COPYRIGHT] = copyright;
	x[F_URLISH] = url;
	x[F_TITLECASE] = alpha_tokens > 0 && capital == alpha_tokens;
	x[F_ALLCAPS] = upper >= 3 && lower == 0;
	x[F_W1] = l->words == 1;
	x[F_W2_4] = l->words >= 2 && l->words <= 4;
	x[F_W5_9] = l->words >= 5 && l->words <= 9;
	x[F_W10_19] = l->words >= 10 && l->words <= 19;
	x[F_W20P] = l->words >= 20;
	x[F_SITE] = log1p((double)l->site_count);
	b->lchars = x[F_LCHARS];
	b->stopd = x[F_STOPD];
	b->end_sent = x[F_END_SENT];
	b->capd = x[F_CAPD];
	b->menud = x[F_MENUD];
	b->is_long = l->words >= LONG_WORDS && x[F_END_SENT] > 0 && x[F_STOPD] >= LONG_STOP;
	b->gone = l->why != DD_KEEP && l->why != DD_CUT;
}

static void
grow(struct cl *c, size_t n)
{
	if (n <= c->cap)
		return;
	while (c->cap < n)
		c->cap = c->cap ? 2 * c->cap : 256;
	c->x = xrealloc(c->x, c->cap * CL_NFEAT * sizeof *c->x);
	c->p = xrealloc(c->p, c->cap * sizeof *c->p);
	c->line = xrealloc(c->line, c->cap * sizeof *c->line);
	c->b = xrealloc(c->b, c->cap * sizeof *c->b);
	c->keep = xrealloc(c->keep, c->cap * sizeof *c->keep);
}

size_t
cl_features(struct cl *c, const struct dd_doc *doc, const char *text, const double **xp,
    const size_t **linep)
{
	size_t i, j, n = 0, first_long, last_long, last;
	const struct base *b;
	double *x;

	grow(c, doc->nlines);
	hm_clear(&c->dups, doc->nlines);
	for (i = 0; i < doc->nlines; i++) {
		const struct dd_line *l = &doc->line[i];

		if (dd_blank(text + l->start, l->end - l->start))
			continue;
		c->line[n] = i;
		own_features(c, doc, l, text + l->start, l->end - l->start, c->x + n * CL_NFEAT, &c->b[n]);
		if (l->fp != FP_EMPTY)
			++*hm_get(&c->dups, l->fp);
		n++;
	}
	b = c->b;
	first_long = n;
	last_long = n;
	for (i = 0; i < n; i++)
		if (b[i].is_long) {
			if (first_long == n)
				first_long = i;
			last_long = i;
		}
	/* Distance to the last long paragraph before, then after. */
	for (i = 0, last = SIZE_MAX; i < n; i++) {
		x = c->x + i * CL_NFEAT;
		if (b[i].is_long)
			last = i;
		x[F_DPREV_LONG] = log1p(last == SIZE_MAX || i - last > FAR ? FAR : (double)(i - last)) / 4.6;
	}
	for (i = n, last = SIZE_MAX; i-- > 0;) {
		x = c->x + i * CL_NFEAT;
		if (b[i].is_long)
			last = i;
		x[F_DNEXT_LONG] = log1p(last == SIZE_MAX || last - i > FAR ? FAR : (double)(last - i)) / 4.6;
	}
	for (i = 0; i < n; i++) {
		static const int off[4] = { -2, -1, 1, 2 };
		static const size_t win[2] = { 2, 5 };
		const struct dd_line *l = &doc->line[c->line[i]];
		size_t k, gone = 0, around = 0;

		x = c->x + i * CL_NFEAT;
		x[F_DUP] = l->fp != FP_EMPTY && *hm_get(&c->dups, l->fp) > 1;
		x[F_RELPOS] = n > 1 ? (double)i / (double)(n - 1) : 0.0;
		x[F_LPOS] = log1p((double)i) / 5.0;
		x[F_LPOS_END] = log1p((double)(n - 1 - i)) / 5.0;
		x[F_FIRST] = i == 0;
		x[F_BEFORE_LONG] = first_long == n || i < first_long;
		x[F_AFTER_LONG] = last_long == n || i > last_long;
		for (k = 0; k < 4; k++) {
			double *y = x + F_NB + k * NB_EACH;

			if ((off[k] < 0 && i < (size_t)-off[k]) || (off[k] > 0 && i + (size_t)off[k] >= n)) {
				memset(y, 0, (NB_EACH - 1) * sizeof *y);
				y[NB_EACH - 1] = 1;
				continue;
			}
			j = (size_t)((ptrdiff_t)i + off[k]);
			y[0] = b[j].lchars;
			y[1] = b[j].stopd;
			y[2] = b[j].end_sent;
			y[3] = b[j].capd;
			y[4] = b[j].menud;
			y[5] = 0;
			gone += (size_t)b[j].gone;
			around++;
		}
		x[F_GONE] = around ? (double)gone / (double)around : 0.0;
		for (k = 0; k < 2; k++) {
			size_t lo = i > win[k] ? i - win[k] : 0, hi = i + win[k] + 1 < n ? i + win[k] + 1 : n;
			double longs = 0, lchars = 0, stopd = 0, m = (double)(hi - lo);

			for (j = lo; j < hi; j++) {
				longs += b[j].is_long;
				lchars += b[j].lchars;
				stopd += b[j].stopd;
			}
			x[F_WIN + 3 * k] = longs / m;
			x[F_WIN + 3 * k + 1] = lchars / m / 6.0;
			x[F_WIN + 3 * k + 2] = stopd / m;
		}
	}
	*xp = c->x;
	*linep = c->line;
	return n;
}

/* ---- the model and the decoder ---- */

double
cl_prob(const struct cl_model *m, const double *x)
{
	double z = m->bias;
	size_t i;

	for (i = 0; i < CL_NFEAT; i++)
		z += m->w[i] * (x[i] - m->mean[i]) / m->sd[i];
	return 1.0 / (1.0 + exp(-z));
}

void
cl_decode(const struct cl_model *m, const double *p, size_t n, unsigned char *keep)
{
	size_t i, start = 0, a = 0, b = 0;
	double sum = 0, best = -HUGE_VAL;

	/* The span of largest sum (Kadane), at least one line long. */
	for (i = 0; i < n; i++) {
		double q = p[i] < 1e-6 ? 1e-6 : p[i] > 1 - 1e-6 ? 1 - 1e-6 : p[i];
		double s = log(q / (1 - q)) - m->span_c;

		if (sum <= 0) {
			sum = 0;
			start = i;
		}
		sum += s;
		if (sum > best) {
			best = sum;
			a = start;
			b = i;
		}
	}
	for (i = 0; i < n; i++)
		keep[i] = p[i] > (i >= a && i <= b ? m->p_in : m->p_out);
}

void
cl_judge(struct cl *c, struct dd_doc *doc, const char *text, int outside)
{
	const double *x;
	const size_t *line;
	size_t i, k, n = cl_features(c, doc, text, &x, &line);

	for (i = 0; i < n; i++)
		c->p[i] = cl_prob(&c->m, x + i * CL_NFEAT);
	cl_decode(&c->m, c->p, n, c->keep);
	/* The head of the article (title, standfirst, byline, date) stands
	 * just above its first long paragraph: the lines there that are no
	 * menu (a short line with a menu word, or a quarter of its words
	 * such: a title may say "about"), hold no separator, and no other
	 * detector took, stay.  A record without a long paragraph is left
	 * alone: the model's evidence is the article's prose around a line. */
	for (i = 0; i < n && !c->b[i].is_long; i++)
		;
	if (i == n)
		return;
	for (k = 0; k < HEAD_LINES && i-- > 0; k++) {
		const double *y = x + i * CL_NFEAT;

		if (c->b[i].gone || y[F_MENU_SHORT] > 0 || y[F_MENUD] >= 0.25 || y[F_SEP] > 0)
			break;
		c->keep[i] = 1;
	}
	for (i = 0; i < n; i++) {
		struct dd_line *l = &doc->line[line[i]];

		if (!c->keep[i] && l->why == DD_KEEP && !l->keep && !l->headline &&
		    (!outside || l->outside))
			l->why = DD_CLASSIFIER;
	}
}
