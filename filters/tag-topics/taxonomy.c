/*
 * taxonomy: the topics file and scoring (see taxonomy.h).
 */
#include "compat.h"

#include <xxhash.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dfile.h"
#include "fmap.h"
#include "msg.h"
#include "rx.h"
#include "taxonomy.h"

#define MAX_PHRASE 8		/* words */

/* A text under BRIEF_WORDS words is a brief (taxonomy.h). */
#define BRIEF_WORDS 100
#define NO_CUE SIZE_MAX
/* A phrase table value: its first cue, or NO_PHRASE for a sequence that
 * only begins longer phrases, and GOES_ON when it begins one. */
#define NO_PHRASE 0x7FFFFFFFu
#define GOES_ON 0x80000000u

/*
 * Most words and most pairs of words are in no phrase, and the phrase
 * table is bigger than the caches: a look-up that finds nothing costs a
 * miss.  A bit per hash of the sequences in the table, in a set small
 * enough to stay cached, says at once that most of those are not there.
 */
#define SEEN_BITS (1u << 18)

/*
 * A text's common words come again and again: the look-up of a single
 * word is remembered in a small table, one slot per hash of the term.
 */
#define MEMO_WORDS 4096

struct word_memo {
	uint64_t term;
	uint32_t value;		/* phrase_value of the term alone */
	uint32_t filled;
};

struct topic {
	char *id, *label, *parent_id;
	size_t parent;		/* SIZE_MAX: none */
	double threshold;
	double brief;		/* threshold as a brief's best topic; 0: threshold */
	/* The file that gave them, by tx.nloads when it was read; 0: none. */
	unsigned threshold_load, brief_load;
	char *file;		/* where it was defined, for messages */
	unsigned long line;
	unsigned long parent_line;	/* where parent_id was given (in file) */
	size_t parent_col;
};

struct cue {
	size_t topic;
	double weight;		/* negative for "not" */
	char *text;
	struct rx *rx;		/* a pattern, or NULL for a phrase */
};

/*
 * What scoring touches of a cue for each occurrence, apart from the rest,
 * in an array small enough to stay cached: nearly every word of news
 * fires a cue.  Only the occurrences are counted; a cue's points are
 * looked up once a text is read.
 */
struct cue_link {
	uint32_t next_same;	/* the next cue of the same phrase, or NO_PHRASE */
	uint32_t rank;		/* its place in tx's ranked */
	uint32_t count;		/* per text: occurrences */
};

/*
 * A cue's k-th occurrence adds w / k points, summed in that order: the
 * sums for the first few counts are worked out once for each weight, by
 * the same additions in the same order, so to the same bits, and a text
 * costs no division for most cues.
 */
#define SUMS 16

/* A cue as the fired ones are taken out, in the order of rank_cues. */
struct ranked {
	uint32_t cue;
	uint32_t topic;
	uint32_t row;		/* its weight's row of tx's sums */
};

/* A cue as sort_fired orders it. */
struct fired_key {
	size_t topic;
	double points;
	size_t cue;
};

struct tx {
	struct topic *topic;
	size_t ntopics, captopics;
	struct cue *cue;
	struct cue_link *link;	/* of each cue */
	size_t ncues, capcues;
	struct fmap phrase;	/* term sequence -> first cue | GOES_ON */
	uint64_t *seen;		/* SEEN_BITS: set for each sequence in phrase */
	struct word_memo *memo;	/* MEMO_WORDS */
	struct fmap ids;	/* id hash -> topic */
	size_t *pattern;	/* the cues that are patterns */
	size_t npatterns;
	uint64_t pattern_errors;	/* matches that gave up */
	struct terms parse;	/* for cutting phrases into terms */
	unsigned nloads;	/* the files read */
	struct ranked *ranked;	/* the cues by topic, then weight, strongest first */
	double *sums;		/* a row of SUMS for each weight */
	/* per text */
	double *raw;
	size_t *first_fired;
	size_t *next_fired;	/* of each cue: the next fired cue of its topic */
	uint64_t *fired;	/* a bit by rank for each cue touched */
	struct fired_key *by_topic;	/* the cues touched, sorted (see sort_fired) */
	size_t nfired;
};

struct tx *
tx_new(void)
{
	struct tx *x = xcalloc(1, sizeof *x);

	fm_init(&x->phrase);
	x->seen = xcalloc(SEEN_BITS / 64, sizeof *x->seen);
	x->memo = xcalloc(MEMO_WORDS, sizeof *x->memo);
	fm_init(&x->ids);
	tm_init(&x->parse);
	return x;
}

void
tx_free(struct tx *x)
{
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; i < x->ntopics; i++) {
		free(x->topic[i].id);
		free(x->topic[i].label);
		free(x->topic[i].parent_id);
		free(x->topic[i].file);
	}
	for (i = 0; i < x->ncues; i++) {
		free(x->cue[i].text);
		if (x->cue[i].rx != NULL)
			rx_free(x->cue[i].rx);
	}
	free(x->topic);
	free(x->cue);
	free(x->link);
	free(x->pattern);
	fm_release(&x->phrase);
	free(x->seen);
	free(x->memo);
	fm_release(&x->ids);
	tm_release(&x->parse);
	free(x->raw);
	free(x->first_fired);
	free(x->next_fired);
	free(x->ranked);
	free(x->sums);
	free(x->fired);
	free(x->by_topic);
	free(x);
}

static uint64_t
id_hash(const char *p, size_t n)
{
	return XXH3_64bits(p, n);
}

/* A topic by id, or SIZE_MAX. */
static size_t
find_topic(const struct tx *x, const char *p, size_t n)
{
	const uint32_t *v = fm_find(&x->ids, id_hash(p, n));

	return v != NULL && strlen(x->topic[*v].id) == n && memcmp(x->topic[*v].id, p, n) == 0 ?
	    *v : SIZE_MAX;
}

/* The next field of the line from *p: its start, its length in *n. */
static const char *
field(const char **p, size_t *n)
{
	const char *s = *p;

	while (*s == ' ' || *s == '\t')
		s++;
	*n = strcspn(s, " \t");
	*p = s + *n;
	return s;
}

static char *
copy(const char *p, size_t n)
{
	char *s = xmalloc(n + 1);

	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/* The rest of the line from p, without blanks at either end. */
static const char *
rest(const char *p, size_t *n)
{
	size_t len;

	while (*p == ' ' || *p == '\t')
		p++;
	len = strlen(p);
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	*n = len;
	return p;
}

/*
 * strtod alone would take a sign, an exponent, hex, inf and nan too,
 * which no one means in a weight or a score.
 */
int
tx_decimal(const char *p, size_t n, double *v)
{
	char buf[TX_DECIMAL_MAX + 1];
	size_t digits;

	if (n == 0 || n > TX_DECIMAL_MAX)
		return -1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	digits = strspn(buf, "0123456789");
	if (buf[digits] == '.')
		digits += 1 + strspn(buf + digits + 1, "0123456789");
	if (digits != n || strcmp(buf, ".") == 0)
		return -1;
	/* Under 64 characters of digits: no overflow, no underflow to 0. */
	*v = strtod(buf, NULL);
	return 0;
}

/* A number over 0 written in decimal (tx_decimal). */
static double
number(struct df *d, const char *line, const char *p, size_t n, const char *what)
{
	double v = 0;

	if (n == 0 || n > TX_DECIMAL_MAX)
		df_error(d, df_column(d, (size_t)(p - line)), "%s: want a number", what);
	if (tx_decimal(p, n, &v) < 0 || !(v > 0))
		df_error(d, df_column(d, (size_t)(p - line)),
		    "%s: '%.*s' is not a positive decimal number", what, (int)n, p);
	return v;
}

static size_t
new_cue(struct tx *x, size_t topic, double weight, const char *text, size_t n)
{
	struct cue *c;

	if (x->ncues == x->capcues) {
		x->capcues = x->capcues ? 2 * x->capcues : 1024;
		x->cue = xrealloc(x->cue, x->capcues * sizeof *x->cue);
		x->link = xrealloc(x->link, x->capcues * sizeof *x->link);
	}
	c = &x->cue[x->ncues];
	memset(c, 0, sizeof *c);
	c->topic = topic;
	c->weight = weight;
	c->text = copy(text, n);
	x->link[x->ncues].next_same = NO_PHRASE;
	x->link[x->ncues].count = 0;
	return x->ncues++;
}

static uint64_t
seen_bit(uint64_t seq)
{
	return UINT64_C(1) << (seq & 63);
}

static size_t
seen_word(uint64_t seq)
{
	return (size_t)(seq >> 6) & (SEEN_BITS / 64 - 1);
}

/* The phrase table entry of seq, marked in seen. */
static uint32_t *
put_phrase(struct tx *x, uint64_t seq)
{
	x->seen[seen_word(seq)] |= seen_bit(seq);
	return fm_put(&x->phrase, seq, NO_PHRASE);
}

/* The first cue of phrase table value v, or NO_CUE. */
static size_t
first_cue(uint32_t v)
{
	return (v & ~GOES_ON) == NO_PHRASE ? NO_CUE : v & ~GOES_ON;
}

static void
add_phrase(struct tx *x, struct df *d, const char *line, size_t topic, double weight,
    const char *p, size_t n)
{
	uint64_t seq = 0;
	size_t i, c;
	uint32_t *first;
	char *text = copy(p, n);

	tm_text(&x->parse, text, n);
	free(text);
	if (x->parse.n == 0)
		df_error(d, df_column(d, (size_t)(p - line)), "the phrase has no words");
	if (x->parse.n > MAX_PHRASE)
		df_error(d, df_column(d, (size_t)(p - line)), "a phrase of more than %d words",
		    MAX_PHRASE);
	for (i = 0; i < x->parse.n; i++) {
		if (i > 0)
			*put_phrase(x, seq) |= GOES_ON;
		seq = tm_seq(seq, x->parse.t[i].hash);
	}
	first = put_phrase(x, seq);
	for (c = first_cue(*first); c != NO_CUE; c = first_cue(x->link[c].next_same))
		if (x->cue[c].topic == topic)
			df_error(d, df_column(d, (size_t)(p - line)),
			    "the topic '%s' has this phrase already (\"%s\")", x->topic[topic].id,
			    x->cue[c].text);
	c = new_cue(x, topic, weight, p, n);
	x->link[c].next_same = *first & ~GOES_ON;
	if (c >= NO_PHRASE)
		df_error(d, 0, "too many cues");
	*first = (*first & GOES_ON) | (uint32_t)c;
}

static void
add_pattern(struct tx *x, struct df *d, const char *line, size_t topic, double weight,
    const char *p, size_t n)
{
	char err[256], *pat = xmalloc(n + 5);
	size_t off = 0, c;
	struct rx *r;

	memcpy(pat, "(?i)", 4);
	memcpy(pat + 4, p, n);
	pat[n + 4] = '\0';
	if ((r = rx_compile(pat, err, sizeof err, &off)) == NULL) {
		free(pat);
		df_error(d, df_column(d, (size_t)(p - line) + (off >= 4 ? off - 4 : 0)),
		    "bad pattern: %s", err);
	}
	free(pat);
	c = new_cue(x, topic, weight, p, n);
	x->cue[c].rx = r;
	x->pattern = xrealloc(x->pattern, (x->npatterns + 1) * sizeof *x->pattern);
	x->pattern[x->npatterns++] = c;
}

static size_t
new_topic(struct tx *x, struct df *d, const char *line, const char *p, size_t n)
{
	struct topic *t;
	size_t i;

	for (i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '-'))
			df_error(d, df_column(d, (size_t)(p + i - line)),
			    "a topic id is a-z, 0-9 and '-'");
	if (n == 0)
		df_error(d, 0, "topic: want an id");
	if (x->ntopics == x->captopics) {
		x->captopics = x->captopics ? 2 * x->captopics : 64;
		x->topic = xrealloc(x->topic, x->captopics * sizeof *x->topic);
	}
	t = &x->topic[x->ntopics];
	memset(t, 0, sizeof *t);
	t->id = copy(p, n);
	t->parent = SIZE_MAX;
	t->threshold = 14;
	t->file = xstrdup(df_name(d));
	t->line = df_lineno(d);
	*fm_put(&x->ids, id_hash(p, n), (uint32_t)x->ntopics) = (uint32_t)x->ntopics;
	return x->ntopics++;
}

void
tx_load(struct tx *x, const char *path)
{
	struct df *d = df_open(path);
	size_t cur = SIZE_MAX, first_new = x->ntopics;
	unsigned load = ++x->nloads;

	while (df_next(d)) {
		const char *line = df_line(d, NULL), *p = line, *w, *arg;
		size_t n, argn;

		w = field(&p, &n);
		if (n == 5 && memcmp(w, "topic", 5) == 0) {
			arg = field(&p, &argn);
			if (*rest(p, &n) != '\0')
				df_error(d, df_column(d, (size_t)(p - line)), "topic: one id, then nothing");
			cur = find_topic(x, arg, argn);
			if (cur != SIZE_MAX && cur >= first_new)
				df_error(d, df_column(d, (size_t)(arg - line)),
				    "topic '%.*s' again (first at line %lu)", (int)argn, arg,
				    x->topic[cur].line);
			if (cur == SIZE_MAX)
				cur = new_topic(x, d, line, arg, argn);
			continue;
		}
		if (cur == SIZE_MAX)
			df_error(d, df_column(d, (size_t)(w - line)), "'%.*s' before any topic line",
			    (int)n, w);
		if ((n == 6 && memcmp(w, "parent", 6) == 0) || (n == 5 && memcmp(w, "label", 5) == 0)) {
			int is_label = n == 5;
			char **slot = is_label ? &x->topic[cur].label : &x->topic[cur].parent_id;

			arg = rest(p, &argn);
			/* Where, for the file may be this one given twice. */
			if (cur < first_new)
				df_error(d, df_column(d, (size_t)(w - line)),
				    "%s: topic '%s' was defined at %s:%lu", is_label ? "label" : "parent",
				    x->topic[cur].id, x->topic[cur].file, x->topic[cur].line);
			if (*slot != NULL)
				df_error(d, df_column(d, (size_t)(w - line)), "a second %s for '%s'",
				    is_label ? "label" : "parent", x->topic[cur].id);
			if (argn == 0)
				df_error(d, 0, "%s: want a value", is_label ? "label" : "parent");
			*slot = copy(arg, argn);
			if (!is_label) {
				/* Checked once every file is read: kept for the messages. */
				x->topic[cur].parent_line = df_lineno(d);
				x->topic[cur].parent_col = df_column(d, (size_t)(arg - line));
			}
		} else if ((n == 9 && memcmp(w, "threshold", 9) == 0) ||
		    (n == 5 && memcmp(w, "brief", 5) == 0)) {
			int is_brief = n == 5;
			const char *what = is_brief ? "brief" : "threshold";
			struct topic *t = &x->topic[cur];
			unsigned *set = is_brief ? &t->brief_load : &t->threshold_load;

			/* A later file may set them again; one file says once. */
			if (*set == load)
				df_error(d, df_column(d, (size_t)(w - line)), "a second %s for '%s'", what,
				    t->id);
			*set = load;
			arg = field(&p, &argn);
			*(is_brief ? &t->brief : &t->threshold) = number(d, line, arg, argn, what);
			arg = rest(p, &argn);
			if (argn > 0)
				df_error(d, df_column(d, (size_t)(arg - line)), "%s: one number, then nothing",
				    what);
		} else if ((n == 3 && memcmp(w, "cue", 3) == 0) || (n == 3 && memcmp(w, "not", 3) == 0) ||
		    (n == 7 && memcmp(w, "pattern", 7) == 0)) {
			double weight;

			arg = field(&p, &argn);
			weight = number(d, line, arg, argn, "weight");
			arg = rest(p, &argn);
			if (argn == 0)
				df_error(d, 0, "%.*s: want a weight and a %s", (int)n, w,
				    w[0] == 'p' ? "pattern" : "phrase");
			if (w[0] == 'p')
				add_pattern(x, d, line, cur, weight, arg, argn);
			else
				add_phrase(x, d, line, cur, w[0] == 'n' ? -weight : weight, arg, argn);
		} else {
			df_error(d, df_column(d, (size_t)(w - line)), "'%.*s' is not topic, parent, label, "
			    "threshold, brief, cue, not or pattern", (int)n, w);
		}
	}
	/* Every directive follows a topic line: a file without one is empty,
	 * or comments only, and most likely not the file meant. */
	if (cur == SIZE_MAX)
		msg_fatal_at(path, "no topics");
	df_close(d);
}

/* By topic, then strongest first, then in file order. */
static int
key_before(const struct fired_key *a, const struct fired_key *b)
{
	if (a->topic != b->topic)
		return a->topic < b->topic;
	return a->points != b->points ? a->points > b->points : a->cue < b->cue;
}

static int
key_cmp(const void *a, const void *b)
{
	return key_before(a, b) ? -1 : key_before(b, a);
}

/* sum[0..SUMS) for weight w: sum[k] the points of k occurrences (so
 * sum[1] is w). */
static void
fill_sums(double *sum, double w)
{
	uint32_t k;

	sum[0] = 0;
	for (k = 1; k < SUMS; k++)
		sum[k] = sum[k - 1] + w / k;
}

/* The points of count occurrences of a cue whose weight's sums are sum. */
static double
points(const double *sum, uint32_t count)
{
	double p;
	uint32_t k;

	if (count < SUMS)
		return sum[count];
	for (p = sum[SUMS - 1], k = SUMS; k <= count; k++)
		p += sum[1] / k;
	return p;
}

/*
 * The fired cues into by_topic: by topic, then strongest first, then in
 * file order.  The order is the one points are summed in, so it fixes the
 * last bits of a score.  They are taken out of fired in the order of
 * their ranks, which is that order already for cues that fired once (their
 * points are their weight), and the others, about half, are moved to their
 * places by insertion, a place or two each on news.  Past eight moves a
 * cue, qsort sorts them all instead, so that no text makes the insertion
 * take its square.  Their counts go back to 0 for the next text.
 */
static void
sort_fired(struct tx *x)
{
	size_t w, i, j, n = 0, moves = 0;

	for (w = 0; w < (x->ncues + 63) / 64; w++) {
		uint64_t bits = x->fired[w];

		for (x->fired[w] = 0; bits != 0; bits &= bits - 1) {
			size_t r = w * 64 + (size_t)__builtin_ctzll(bits);
			const struct ranked *q = &x->ranked[r];
			struct fired_key *k = &x->by_topic[n++];

			k->topic = q->topic;
			k->points = points(&x->sums[(size_t)q->row * SUMS], x->link[q->cue].count);
			k->cue = q->cue;
			x->link[q->cue].count = 0;
		}
	}
	x->nfired = n;
	for (i = 1; i < n; i++) {
		struct fired_key k = x->by_topic[i];

		for (j = i; j > 0 && key_before(&k, &x->by_topic[j - 1]); j--)
			x->by_topic[j] = x->by_topic[j - 1];
		x->by_topic[j] = k;
		if ((moves += i - j) > 8 * n) {
			qsort(x->by_topic, n, sizeof *x->by_topic, key_cmp);
			return;
		}
	}
}

/* The row of sums for weight w, added to x's when it is new; rows maps
 * a weight's bits to its row. */
static uint32_t
sums_row(struct tx *x, struct fmap *rows, double w)
{
	uint64_t bits;
	uint32_t *row, nrows = (uint32_t)rows->n;

	memcpy(&bits, &w, sizeof bits);
	if (*(row = fm_put(rows, bits, nrows)) == nrows) {
		x->sums = xrealloc(x->sums, (rows->n * SUMS) * sizeof *x->sums);
		fill_sums(&x->sums[(size_t)nrows * SUMS], w);
	}
	return *row;
}

/* ranked, fired, next_fired and by_topic for the cues loaded: ranks in the
 * order of sort_fired, each cue's weight for its points. */
static void
rank_cues(struct tx *x)
{
	struct fmap rows;
	size_t c;

	x->by_topic = xrealloc(x->by_topic, (x->ncues + 1) * sizeof *x->by_topic);
	x->ranked = xrealloc(x->ranked, (x->ncues + 1) * sizeof *x->ranked);
	x->next_fired = xrealloc(x->next_fired, (x->ncues + 1) * sizeof *x->next_fired);
	free(x->fired);
	x->fired = xcalloc(x->ncues / 64 + 1, sizeof *x->fired);
	for (c = 0; c < x->ncues; c++) {
		x->by_topic[c].topic = x->cue[c].topic;
		x->by_topic[c].points = x->cue[c].weight;
		x->by_topic[c].cue = c;
	}
	qsort(x->by_topic, x->ncues, sizeof *x->by_topic, key_cmp);
	fm_init(&rows);
	for (c = 0; c < x->ncues; c++) {
		struct ranked *q = &x->ranked[c];

		q->cue = (uint32_t)x->by_topic[c].cue;
		q->topic = (uint32_t)x->by_topic[c].topic;
		q->row = sums_row(x, &rows, x->by_topic[c].points);
		x->link[q->cue].rank = (uint32_t)c;
	}
	fm_release(&rows);
}

void
tx_finish(struct tx *x)
{
	size_t i, k, steps;

	for (i = 0; i < x->ntopics; i++) {
		struct topic *t = &x->topic[i];

		if (t->label == NULL)
			msg_fatal("%s:%lu: topic '%s' has no label", t->file, t->line, t->id);
		if (t->parent_id == NULL)
			continue;
		t->parent = find_topic(x, t->parent_id, strlen(t->parent_id));
		if (t->parent == SIZE_MAX)
			msg_fatal("%s:%lu:%zu: topic '%s': no topic '%s' for its parent", t->file,
			    t->parent_line, t->parent_col, t->id, t->parent_id);
	}
	/* A topic on a cycle meets itself going up; one that only leads into
	 * a cycle does not, and is left for a topic on it to be named, at its
	 * parent line: one of the lines that make the cycle. */
	for (i = 0; i < x->ntopics; i++)
		for (k = x->topic[i].parent, steps = 0; k != SIZE_MAX && steps <= x->ntopics;
		    k = x->topic[k].parent, steps++)
			if (k == i)
				msg_fatal("%s:%lu:%zu: topic '%s' is its own ancestor", x->topic[i].file,
				    x->topic[i].parent_line, x->topic[i].parent_col, x->topic[i].id);
	x->raw = xrealloc(x->raw, (x->ntopics + 1) * sizeof *x->raw);
	x->first_fired = xrealloc(x->first_fired, (x->ntopics + 1) * sizeof *x->first_fired);
	rank_cues(x);
}

uint64_t
tx_pattern_errors(const struct tx *x)
{
	return x->pattern_errors;
}

size_t
tx_ntopics(const struct tx *x)
{
	return x->ntopics;
}

const char *
tx_id(const struct tx *x, size_t topic)
{
	return x->topic[topic].id;
}

size_t
tx_parent(const struct tx *x, size_t topic)
{
	return x->topic[topic].parent;
}

const char *
tx_cue_text(const struct tx *x, size_t cue)
{
	return x->cue[cue].text;
}

size_t
tx_cue_next(const struct tx *x, size_t cue)
{
	return x->next_fired[cue];
}

/* Count an occurrence of cue c. */
static void
fire(struct tx *x, size_t c)
{
	struct cue_link *q = &x->link[c];

	if (q->count++ == 0)
		x->fired[q->rank / 64] |= UINT64_C(1) << q->rank % 64;
}

/* Count an occurrence of each cue of phrase table value v.  Inline: it
 * is called for every word, and most have none. */
static inline void
fire_phrase(struct tx *x, uint32_t v)
{
	size_t c;

	for (c = first_cue(v); c != NO_CUE; c = first_cue(x->link[c].next_same))
		fire(x, c);
}

static int
result_cmp(const void *a, const void *b)
{
	const struct tx_result *p = a, *q = b;

	if (p->score != q->score)
		return p->score > q->score ? -1 : 1;
	return p->topic < q->topic ? -1 : p->topic > q->topic;
}

/* The phrase table value of seq, or NO_PHRASE when it is not there (an
 * entry either is a phrase or begins one, so never has that value).
 * Inline: nearly half the words of news begin some phrase. */
static inline uint32_t
phrase_value(const struct tx *x, uint64_t seq)
{
	const uint32_t *v;

	if (!(x->seen[seen_word(seq)] & seen_bit(seq)) || (v = fm_find(&x->phrase, seq)) == NULL)
		return NO_PHRASE;
	return *v;
}

/* phrase_value of the single term, through memo. */
static uint32_t
word_value(struct tx *x, uint64_t term)
{
	struct word_memo *m = &x->memo[term & (MEMO_WORDS - 1)];

	if (!m->filled || m->term != term) {
		m->term = term;
		m->value = phrase_value(x, tm_seq(0, term));
		m->filled = 1;
	}
	return m->value;
}

size_t
tx_score(struct tx *x, const struct terms *t, const char *text, size_t len, double min_score,
    int no_parents, struct tx_result *out)
{
	size_t i, k, c, n = 0, words = t->n, best = 0;
	double norm = sqrt((words > 30 ? (double)words : 30) / 300);

	for (i = 0; i < t->n; i++) {
		uint32_t v = word_value(x, t->t[i].hash);
		uint64_t seq;

		fire_phrase(x, v);
		/* Most words begin no phrase: their sequence is not worked out. */
		if (!(v & GOES_ON))
			continue;
		seq = tm_seq(0, t->t[i].hash);
		/* Until no phrase goes on: the next word cannot help. */
		for (k = i + 1; k < t->n && (v & GOES_ON); k++) {
			seq = tm_seq(seq, t->t[k].hash);
			v = phrase_value(x, seq);
			fire_phrase(x, v);
		}
	}
	for (k = 0; k < x->npatterns; k++) {
		size_t at = 0, ms, me;
		int r = 0;

		c = x->pattern[k];
		while (at <= len && (r = rx_find(x->cue[c].rx, text, len, at, &ms, &me)) == 1) {
			fire(x, c);
			at = me > ms ? me : me + 1;
		}
		x->pattern_errors += r < 0;
	}
	for (i = 0; i < x->ntopics; i++) {
		x->raw[i] = 0;
		x->first_fired[i] = NO_CUE;
	}
	sort_fired(x);
	for (i = x->nfired; i-- > 0;) {
		const struct fired_key *f = &x->by_topic[i];

		x->raw[f->topic] += f->points;
		if (f->points > 0) {
			x->next_fired[f->cue] = x->first_fired[f->topic];
			x->first_fired[f->topic] = f->cue;
		}
	}
	/* Points per threshold decide the best topic, first in the file on a tie. */
	for (i = 0; i < x->ntopics; i++) {
		x->raw[i] = x->raw[i] > 0 ? x->raw[i] / norm : 0;
		if (x->raw[i] / x->topic[i].threshold > x->raw[best] / x->topic[best].threshold)
			best = i;
	}
	for (i = 0; i < x->ntopics; i++) {
		double s = x->raw[i], th = x->topic[i].threshold;

		if (i == best && words < BRIEF_WORDS && x->topic[i].brief > 0)
			th = x->topic[i].brief;
		x->raw[i] = s > 0 ? s / (s + th) : 0;
	}
	/* A subtopic brings its parents, at the larger of the two scores. */
	if (!no_parents)
		for (i = 0; i < x->ntopics; i++)
			for (k = x->topic[i].parent; k != SIZE_MAX && x->raw[i] >= min_score;
			    k = x->topic[k].parent)
				if (x->raw[k] < x->raw[i])
					x->raw[k] = x->raw[i];
	for (i = 0; i < x->ntopics; i++)
		if (x->raw[i] >= min_score && x->raw[i] > 0) {
			out[n].topic = i;
			out[n].score = x->raw[i];
			out[n].first_cue = x->first_fired[i];
			n++;
		}
	if (n > 1)
		qsort(out, n, sizeof *out, result_cmp);
	return n;
}
