/*
 * model: linear topic models, trained and applied (see model.h).
 */
#include "compat.h"

#include <errno.h>
#include <linear.h>
#include <xxhash.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "bfile.h"
#include "fmap.h"
#include "json.h"
#include "model.h"
#include "msg.h"
#include "shuffle.h"
#include "utf8.h"
#include "zlines.h"

/* Version 2: features are the terms alone (version 1 had the pairs of
 * adjacent terms too). */
static const struct bf_kind model_kind = { "WNTOPIC", "topics model", 2, 2 };

#define MIN_DF 2		/* a feature must be in this many training records */
#define MIN_HELD 5		/* held-out records with a label and without, to move its threshold */
#define MAX_LABELS 100000	/* a model's labels at most: lm_load takes more for corruption */

/* An entry of a sparse vector: a row and its value. */
struct entry {
	uint32_t row;
	float value;
};

struct lm {
	size_t nlabels;
	char **label;
	int single;
	struct fmap feature;	/* feature hash -> row */
	float *idf;		/* per row */
	float *w;		/* rows of nlabels weights */
	float *bias;		/* nlabels */
	size_t nrows;
	/* scratch */
	struct entry *v;
	size_t capv;
	struct fmap doc;
	uint64_t *hash;
	uint32_t *count;
	size_t capdoc;
};


/* The features of t, its terms, with their counts, into m->hash /
 * m->count; their number. */
static size_t
count_features(struct lm *m, const struct terms *t)
{
	size_t i, n = 0;

	fm_clear(&m->doc);
	for (i = 0; i < t->n; i++) {
		uint64_t f = tm_seq(1, t->t[i].hash);
		uint32_t *slot = fm_put(&m->doc, f, (uint32_t)n);

		if (*slot == n) {
			if (n == m->capdoc) {
				m->capdoc = m->capdoc ? 2 * m->capdoc : 1024;
				m->hash = xrealloc(m->hash, m->capdoc * sizeof *m->hash);
				m->count = xrealloc(m->count, m->capdoc * sizeof *m->count);
			}
			m->hash[n] = f;
			m->count[n++] = 0;
		}
		m->count[*slot]++;
	}
	return n;
}

/* The weighted, normalised vector of the counted features that have rows. */
static size_t
vector(const struct lm *m, size_t n, struct entry *v)
{
	size_t i, k = 0;
	double norm = 0;

	for (i = 0; i < n; i++) {
		const uint32_t *row = fm_find(&m->feature, m->hash[i]);

		if (row == NULL)
			continue;
		v[k].row = *row;
		v[k].value = (float)(log1p((double)m->count[i]) * m->idf[*row]);
		norm += (double)v[k].value * v[k].value;
		k++;
	}
	norm = norm > 0 ? 1 / sqrt(norm) : 0;
	for (i = 0; i < k; i++)
		v[i].value = (float)(v[i].value * norm);
	return k;
}

/* The linear scores of the labels for v, into p[0..nlabels). */
static void
margins(const struct lm *m, const struct entry *v, size_t n, double *p)
{
	size_t i, k;

	for (k = 0; k < m->nlabels; k++)
		p[k] = m->bias[k];
	for (i = 0; i < n; i++) {
		const float *w = m->w + (size_t)v[i].row * m->nlabels;

		for (k = 0; k < m->nlabels; k++)
			p[k] += v[i].value * w[k];
	}
}

/* Scores p[0..n) made probabilities: a softmax, or a logistic each. */
static void
squash(double *p, size_t n, int single)
{
	size_t k;
	double top = -INFINITY, sum = 0;

	if (!single) {
		for (k = 0; k < n; k++)
			p[k] = 1 / (1 + exp(-p[k]));
		return;
	}
	for (k = 0; k < n; k++)
		if (p[k] > top)
			top = p[k];
	for (k = 0; k < n; k++)
		sum += p[k] = exp(p[k] - top);
	for (k = 0; k < n; k++)
		p[k] /= sum;
}

static void
probabilities(const struct lm *m, const struct entry *v, size_t n, double *p)
{
	margins(m, v, n, p);
	squash(p, m->nlabels, m->single);
}

static struct lm *
new_model(void)
{
	struct lm *m = xcalloc(1, sizeof *m);

	fm_init(&m->feature);
	fm_init(&m->doc);
	return m;
}

void
lm_free(struct lm *m)
{
	size_t k;

	if (m == NULL)
		return;
	for (k = 0; k < m->nlabels; k++)
		free(m->label[k]);
	free(m->label);
	fm_release(&m->feature);
	fm_release(&m->doc);
	free(m->idf);
	free(m->w);
	free(m->bias);
	free(m->hash);
	free(m->count);
	free(m->v);
	free(m);
}

size_t
lm_nlabels(const struct lm *m)
{
	return m->nlabels;
}

const char *
lm_label(const struct lm *m, size_t k)
{
	return m->label[k];
}

int
lm_single(const struct lm *m)
{
	return m->single;
}

void
lm_predict(struct lm *m, const struct terms *t, double *p)
{
	size_t n = count_features(m, t);

	if (n > m->capv) {
		m->capv = n;
		m->v = xrealloc(m->v, n * sizeof *m->v);
	}
	probabilities(m, m->v, vector(m, n, m->v), p);
}

/* Training data: each record's features and counts, and its labels. */
struct example {
	uint64_t *hash;
	uint32_t *count;
	size_t n;
	uint32_t *labels;
	size_t nlabels;
	struct entry *v;
	size_t nv;
};

/* "prog: FILE:LINE: message" for the line z read last, and exit 2. */
static WN_NORETURN WN_PRINTF(2, 3) void
bad_line(const struct zl *z, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	msg_fatal("%s:%lu: %s", zl_name(z), zl_lineno(z), what);
}

/* Intern label p[0..n) into m's table; its index. */
static uint32_t
intern(struct lm *m, struct fmap *labels, const char *p, size_t n)
{
	uint32_t *slot = fm_put(labels, XXH3_64bits(p, n), (uint32_t)m->nlabels);

	if (*slot == m->nlabels) {
		m->label = xrealloc(m->label, (m->nlabels + 1) * sizeof *m->label);
		m->label[m->nlabels] = xmalloc(n + 1);
		memcpy(m->label[m->nlabels], p, n);
		m->label[m->nlabels][n] = '\0';
		m->nlabels++;
	}
	return *slot;
}

/* The labels of a record, the JSON value line[s->start..s->end): a string
 * or an array of strings. */
static void
read_labels(struct lm *m, struct fmap *labels, const struct zl *z, const char *line,
    const struct json_span *s, struct example *e, struct buf *tmp)
{
	size_t i = s->start;

	e->nlabels = 0;
	e->labels = NULL;
	if (s->kind == JSON_ABSENT)
		bad_line(z, "no labels");
	if (s->kind == JSON_OTHER && line[i] != '[')
		bad_line(z, "the labels are not a string or an array of strings");
	if (s->kind == JSON_OTHER)
		i++;
	while (i < s->end) {
		size_t j;

		if (line[i] == ' ' || line[i] == ',' || line[i] == ']' || line[i] == '\t') {
			i++;
			continue;
		}
		if (line[i] != '"')
			bad_line(z, "the labels are not a string or an array of strings");
		for (j = i + 1; j < s->end && line[j] != '"'; j++)
			if (line[j] == '\\')
				j++;
		buf_reset(tmp);
		json_unescape(tmp, line + i, j + 1 - i);
		if (tmp->len == 0 || !utf8_valid(tmp->data, tmp->len))
			bad_line(z, "a label is empty or not UTF-8");
		/* A model keeps its labels as C strings: one would end at the NUL
		 * and be taken for another. */
		if (memchr(tmp->data, '\0', tmp->len) != NULL)
			bad_line(z, "a label holds a NUL (\\u0000)");
		e->labels = xrealloc(e->labels, (e->nlabels + 1) * sizeof *e->labels);
		e->labels[e->nlabels++] = intern(m, labels, tmp->data, tmp->len);
		if (m->nlabels > MAX_LABELS)
			bad_line(z, "more than %d labels in all", MAX_LABELS);
		i = j + 1;
	}
	if (e->nlabels == 0)
		bad_line(z, "no labels");
}

/* The names of the text fields for messages, as "a", "b" or "c", into b
 * (NUL-terminated). */
static void
field_names(struct buf *b, const struct lm_train_opts *o)
{
	int i;

	for (i = 0; i < o->nfields; i++) {
		char *q = msg_quote(o->fields[i]);

		if (i > 0)
			buf_adds(b, i + 1 < o->nfields ? ", " : " or ");
		buf_addc(b, '"');
		buf_adds(b, q);
		buf_addc(b, '"');
		free(q);
	}
	buf_addc(b, '\0');
}

/*
 * The terms of the record line, whose fields' values are at s, into t, as
 * tagging reads them: the strings of the fields it has, in the order of
 * the fields, no phrase running from one into the next; how many it has.
 */
static int
record_terms(struct terms *t, const char *line, const struct json_span *s, int nfields,
    struct buf *text, struct buf *tmp)
{
	int i, any = 0;

	for (i = 0; i < nfields; i++) {
		if (s[i].kind != JSON_STRING)
			continue;
		buf_reset(text);
		json_unescape(text, line + s[i].start, s[i].end - s[i].start);
		if (!utf8_valid(text->data, text->len)) {
			buf_reset(tmp);
			utf8_repair(tmp, text->data, text->len);
			buf_swap(text, tmp);
		}
		if (any++ == 0)
			tm_text(t, text->data, text->len);
		else
			tm_add_field(t, text->data, text->len);
	}
	return any;
}

/* The examples of files[0..nfiles) into *ex, *nex; the name of the first
 * file for messages (the caller frees it). */
static char *
read_examples(struct lm *m, char **files, int nfiles, const struct lm_train_opts *o,
    struct example **ex, size_t *nex)
{
	const char *keys[JSON_MAX_KEYS];
	struct fmap labels;
	struct terms t;
	struct buf text, tmp, names;
	size_t cap = 0;
	char *first = NULL;
	int f, nkeys = o->nfields + 1;

	memcpy(keys, o->fields, (size_t)o->nfields * sizeof *keys);
	keys[o->nfields] = o->labels;
	fm_init(&labels);
	tm_init(&t);
	buf_init(&text);
	buf_init(&tmp);
	buf_init(&names);
	field_names(&names, o);
	for (f = 0; f < nfiles; f++) {
		struct zl *z = zl_open(files[f]);
		const char *line;
		size_t len;

		if (first == NULL)
			first = xstrdup(zl_name(z));
		while ((line = zl_next(z, &len)) != NULL) {
			struct json_span s[JSON_MAX_KEYS];
			struct example *e;
			const char *err;
			size_t off, i;
			unsigned flags;

			if (json_scan(line, len, keys, nkeys, s, &flags, &err, &off) < 0)
				bad_line(z, "not a JSON object: %s", err);
			if (record_terms(&t, line, s, o->nfields, &text, &tmp) == 0)
				bad_line(z, "no string at %s", names.data);
			if (*nex == cap) {
				cap = cap ? 2 * cap : 1024;
				*ex = xrealloc(*ex, cap * sizeof **ex);
			}
			e = &(*ex)[(*nex)++];
			memset(e, 0, sizeof *e);
			read_labels(m, &labels, z, line, &s[o->nfields], e, &tmp);
			e->n = count_features(m, &t);
			e->hash = xmalloc((e->n ? e->n : 1) * sizeof *e->hash);
			e->count = xmalloc((e->n ? e->n : 1) * sizeof *e->count);
			for (i = 0; i < e->n; i++) {
				e->hash[i] = m->hash[i];
				e->count[i] = m->count[i];
			}
		}
		zl_close(z);
	}
	fm_release(&labels);
	tm_release(&t);
	buf_release(&text);
	buf_release(&tmp);
	buf_release(&names);
	return first;
}

/* Rows for the features of at least MIN_DF records, with their idf. */
static void
choose_features(struct lm *m, struct example *ex, size_t nex)
{
	struct fmap df;
	uint64_t key;
	uint32_t v;
	size_t i, k;

	fm_init(&df);
	for (i = 0; i < nex; i++)
		for (k = 0; k < ex[i].n; k++)
			++*fm_put(&df, ex[i].hash[k], 0);
	FM_EACH(&df, key, v) {
		(void)key;
		m->nrows += v >= MIN_DF;
	}
	m->idf = xmalloc((m->nrows ? m->nrows : 1) * sizeof *m->idf);
	m->nrows = 0;
	/* Rows in the order the features first occur, so that the model does
	 * not depend on the hash table's layout. */
	for (i = 0; i < nex; i++)
		for (k = 0; k < ex[i].n; k++) {
			uint32_t count = *fm_find(&df, ex[i].hash[k]);

			if (count < MIN_DF || fm_find(&m->feature, ex[i].hash[k]) != NULL)
				continue;
			fm_put(&m->feature, ex[i].hash[k], (uint32_t)m->nrows);
			m->idf[m->nrows++] = (float)(log((double)(nex + 1) / (count + 1)) + 1);
		}
	fm_release(&df);
}

static void
save(const struct lm *m, struct af *af)
{
	struct buf b;
	size_t i, k;
	uint64_t key;
	uint32_t row;
	uint64_t *keys = xmalloc((m->nrows ? m->nrows : 1) * sizeof *keys);

	buf_init(&b);
	bf_put32(&b, (uint32_t)m->nlabels);
	bf_put32(&b, (uint32_t)m->nrows);
	bf_put32(&b, (uint32_t)m->single);
	bf_put32(&b, 0);
	for (k = 0; k < m->nlabels; k++) {
		bf_put32(&b, (uint32_t)strlen(m->label[k]));
		buf_adds(&b, m->label[k]);
	}
	for (k = 0; k < m->nlabels; k++)
		bf_putf32(&b, m->bias[k]);
	FM_EACH(&m->feature, key, row)
		keys[row] = key;
	for (i = 0; i < m->nrows; i++) {
		bf_put64(&b, keys[i]);
		bf_putf32(&b, m->idf[i]);
		for (k = 0; k < m->nlabels; k++)
			bf_putf32(&b, m->w[i * m->nlabels + k]);
	}
	free(keys);
	if (bf_write(af_fd(af), &model_kind, 0, b.data, b.len) < 0)
		msg_fatal("%s: write error: %s", af_name(af), strerror(errno));
	af_commit(af);
	buf_release(&b);
}

/* Stochastic gradient descent on the log loss: softmax for one label a
 * record, a logistic per label otherwise.  The visiting order is fixed by
 * a seed. */
static void
sgd(struct lm *m, const struct example *ex, size_t nex, unsigned epochs)
{
	size_t i, j, k, step = 0, total = (size_t)epochs * nex;
	uint32_t *order = xmalloc((nex ? nex : 1) * sizeof *order);
	uint64_t seed = 0x9E3779B97F4A7C15u;
	double *p = xmalloc(m->nlabels * sizeof *p), *g = xmalloc(m->nlabels * sizeof *g);
	unsigned epoch;

	for (i = 0; i < nex; i++)
		order[i] = (uint32_t)i;
	for (epoch = 0; epoch < epochs; epoch++) {
		shuffle_u32(order, nex, &seed);
		for (i = 0; i < nex; i++, step++) {
			const struct example *e = &ex[order[i]];
			/* The rate falls linearly to nothing over the run. */
			double rate = 2.0 * (1 - (double)step / (double)total);

			probabilities(m, e->v, e->nv, p);
			for (k = 0; k < m->nlabels; k++)
				g[k] = p[k];
			for (k = 0; k < e->nlabels; k++)
				g[e->labels[k]] -= 1;
			for (k = 0; k < m->nlabels; k++)
				m->bias[k] -= (float)(rate * g[k]);
			for (j = 0; j < e->nv; j++) {
				float *w = m->w + (size_t)e->v[j].row * m->nlabels;

				for (k = 0; k < m->nlabels; k++)
					w[k] -= (float)(rate * g[k] * e->v[j].value);
			}
		}
	}
	free(order);
	free(p);
	free(g);
}

/* liblinear's solvers by our names. */
static const int solver_type[] = {
	[LM_SVM] = L2R_L2LOSS_SVC_DUAL,
	[LM_LR] = L2R_LR_DUAL,
	[LM_CS] = MCSVM_CS,
};

static void
quiet(const char *s)
{
	(void)s;
}

/* The records of a liblinear problem: ex[i]'s vector at x[i], 1-based
 * rows, then the bias feature (row nrows + 1, value 1). */
static struct feature_node *
linear_rows(const struct lm *m, const struct example *ex, size_t nex, struct feature_node **x)
{
	size_t i, j, n = 0;
	struct feature_node *node;

	for (i = 0; i < nex; i++)
		n += ex[i].nv + 2;
	node = xmalloc((n ? n : 1) * sizeof *node);
	for (i = 0, n = 0; i < nex; i++) {
		x[i] = node + n;
		for (j = 0; j < ex[i].nv; j++, n++) {
			node[n].index = (int)ex[i].v[j].row + 1;
			node[n].value = ex[i].v[j].value;
		}
		node[n].index = (int)m->nrows + 1;
		node[n++].value = 1;
		node[n++].index = -1;
	}
	return node;
}

/* Copy the weights of liblinear's class c to our label k. */
static void
take_weights(struct lm *m, const struct model *lin, int c, size_t k)
{
	size_t i;

	for (i = 0; i < m->nrows; i++)
		m->w[i * m->nlabels + k] = (float)get_decfun_coef(lin, (int)i + 1, c);
	m->bias[k] = (float)get_decfun_coef(lin, (int)m->nrows + 1, c);
}

/*
 * Train with liblinear on the records use[0..nuse) of x (their labels in
 * ex), into m->w and m->bias as margins: one multi-class problem for a
 * single-label model, one two-class problem a label otherwise.  A label
 * the records lack gets the margin -1 everywhere (+1 if every record has
 * it).
 */
static void
linear(struct lm *m, const struct example *ex, struct feature_node **x, const uint32_t *use,
    size_t nuse, const struct lm_train_opts *o)
{
	struct parameter par;
	struct problem prob;
	struct model *lin;
	int *cls;
	size_t i, k;
	int c;

	memset(&par, 0, sizeof par);
	par.solver_type = solver_type[o->solver];
	par.C = o->cost;
	par.eps = 0.1;	/* liblinear's own default for its dual solvers */
	prob.l = (int)nuse;
	prob.n = (int)m->nrows + 1;
	prob.bias = -1;	/* the bias feature is in x already */
	prob.x = xmalloc((nuse ? nuse : 1) * sizeof *prob.x);
	prob.y = xmalloc((nuse ? nuse : 1) * sizeof *prob.y);
	for (i = 0; i < nuse; i++)
		prob.x[i] = x[use[i]];
	cls = xmalloc((m->nlabels + 1) * sizeof *cls);
	set_print_string_function(quiet);
	memset(m->w, 0, m->nrows * m->nlabels * sizeof *m->w);
	for (k = 0; k < m->nlabels; k++)
		m->bias[k] = -1;
	for (k = 0; k < (m->single ? 1 : m->nlabels); k++) {
		int pos = 0;

		for (i = 0; i < nuse; i++) {
			const struct example *e = &ex[use[i]];
			size_t j;

			if (m->single) {
				prob.y[i] = e->labels[0];
				pos += prob.y[i] == prob.y[0];
				continue;
			}
			prob.y[i] = -1;
			for (j = 0; j < e->nlabels; j++)
				if (e->labels[j] == k)
					prob.y[i] = 1;
			pos += prob.y[i] > 0;
		}
		/* One class only: nothing to learn but which side it is on. */
		if (pos == 0 || (size_t)pos == nuse) {
			if (nuse > 0)
				m->bias[m->single ? (size_t)prob.y[0] : k] = pos ? 1 : -1;
			continue;
		}
		/* liblinear's dual solvers visit records in rand()'s order:
		 * the same seed each time makes the same model. */
		srand(1);
		lin = train(&prob, &par);
		get_labels(lin, cls);
		for (c = 0; c < get_nr_class(lin); c++) {
			if (m->single)
				take_weights(m, lin, c, (size_t)cls[c]);
			else if (cls[c] == 1)
				take_weights(m, lin, c, k);
		}
		free_and_destroy_model(&lin);
	}
	free(cls);
	free(prob.x);
	free(prob.y);
}

/* log x, with x held above 0 so that a certain wrong answer costs much
 * but not infinitely. */
static double
log_floor(double x)
{
	return log(x > 1e-300 ? x : 1e-300);
}

/* The held-out records' margins (n of them, nlabels each) and their
 * labels: the loss of the probabilities at slope s and offsets t. */
static double
loss(const struct lm *m, const double *mg, const struct example *const *held, size_t n, double s,
    const double *t, double *p)
{
	size_t i, j, k;
	double sum = 0, eps = 1.0 / (double)(n + 2);

	for (i = 0; i < n; i++) {
		for (k = 0; k < m->nlabels; k++)
			p[k] = s * (mg[i * m->nlabels + k] - t[k]);
		squash(p, m->nlabels, m->single);
		/* Targets smoothed as Platt's are, so that a slice the model
		 * gets all right does not make it certain. */
		for (k = 0; k < m->nlabels; k++) {
			double y = 0;

			for (j = 0; j < held[i]->nlabels; j++)
				y += held[i]->labels[j] == k;
			y = y ? 1 - eps : m->single ? eps / (double)(m->nlabels - 1) : eps;
			sum -= y * log_floor(p[k]);
			if (!m->single)
				sum -= (1 - y) * log_floor(1 - p[k]);
		}
	}
	return sum;
}

struct scored {
	double margin;
	int yes;
};

static int
scored_cmp(const void *a, const void *b)
{
	const struct scored *p = a, *q = b;

	if (p->margin != q->margin)
		return p->margin > q->margin ? -1 : 1;
	return q->yes - p->yes;
}

/* For label k, the margin over which the held-out records are called k
 * for the best F1 on them; 0 when they have too few of k, or too few
 * without it, to tell. */
static double
threshold(const struct lm *m, const double *mg, const struct example *const *held, size_t n,
    size_t k, struct scored *sc)
{
	size_t i, j, pos = 0, tp = 0;
	double best = 0, bestf = -1;

	for (i = 0; i < n; i++) {
		sc[i].margin = mg[i * m->nlabels + k];
		sc[i].yes = 0;
		for (j = 0; j < held[i]->nlabels; j++)
			sc[i].yes |= held[i]->labels[j] == k;
		pos += (size_t)sc[i].yes;
	}
	if (pos < MIN_HELD || n - pos < MIN_HELD)
		return 0;
	qsort(sc, n, sizeof *sc, scored_cmp);
	/* Call the first i + 1 records k: the threshold halfway to the next. */
	for (i = 0; i < n; i++) {
		double f;

		tp += (size_t)sc[i].yes;
		if (i + 1 < n && sc[i + 1].margin == sc[i].margin)
			continue;
		f = 2.0 * (double)tp / (double)(i + 1 + pos);
		if (f > bestf) {
			bestf = f;
			best = i + 1 < n ? (sc[i].margin + sc[i + 1].margin) / 2 : sc[i].margin - 1;
		}
	}
	return best;
}

/* The slope s (e^-3 to e^6) of the best probabilities, by golden-section
 * search on log s. */
static double
slope(const struct lm *m, const double *mg, const struct example *const *held, size_t n,
    const double *t, double *p)
{
	const double g = (sqrt(5) - 1) / 2;
	double lo = -3, hi = 6, a = hi - g * (hi - lo), b = lo + g * (hi - lo);
	double fa = loss(m, mg, held, n, exp(a), t, p), fb = loss(m, mg, held, n, exp(b), t, p);
	int i;

	for (i = 0; i < 40; i++) {
		if (fa < fb) {
			hi = b, b = a, fb = fa;
			a = hi - g * (hi - lo);
			fa = loss(m, mg, held, n, exp(a), t, p);
		} else {
			lo = a, a = b, fa = fb;
			b = lo + g * (hi - lo);
			fb = loss(m, mg, held, n, exp(b), t, p);
		}
	}
	return exp((lo + hi) / 2);
}

/*
 * Train with liblinear, scores made probabilities: a tenth of the records
 * (in an order fixed by a seed) is held out of a first training, and on
 * their margins are chosen the threshold of each label of a multi-label
 * model (its margin for probability 0.5) and one slope for all; then the
 * model is trained on every record, and slope and thresholds are folded
 * into its weights.
 */
static void
fit_linear(struct lm *m, const struct example *ex, size_t nex, const struct lm_train_opts *o)
{
	struct feature_node **x = xmalloc((nex ? nex : 1) * sizeof *x);
	struct feature_node *nodes = linear_rows(m, ex, nex, x);
	uint32_t *use = xmalloc((nex ? nex : 1) * sizeof *use);
	uint64_t seed = 0x9E3779B97F4A7C15u;
	double *t = xcalloc(m->nlabels, sizeof *t), s = 1;
	size_t nheld = nex / 10, i, k;

	for (i = 0; i < nex; i++)
		use[i] = (uint32_t)i;
	if (nheld > 0) {
		const struct example **held = xmalloc(nheld * sizeof *held);
		double *mg = xmalloc(nheld * m->nlabels * sizeof *mg);
		double *p = xmalloc(m->nlabels * sizeof *p);
		struct scored *sc = xmalloc(nheld * sizeof *sc);

		shuffle_u32(use, nex, &seed);
		linear(m, ex, x, use + nheld, nex - nheld, o);
		for (i = 0; i < nheld; i++) {
			held[i] = &ex[use[i]];
			margins(m, held[i]->v, held[i]->nv, mg + i * m->nlabels);
		}
		for (k = 0; !m->single && k < m->nlabels; k++)
			t[k] = threshold(m, mg, held, nheld, k, sc);
		s = slope(m, mg, held, nheld, t, p);
		free(held);
		free(mg);
		free(p);
		free(sc);
		for (i = 0; i < nex; i++)
			use[i] = (uint32_t)i;
	}
	linear(m, ex, x, use, nex, o);
	for (k = 0; k < m->nlabels; k++)
		m->bias[k] = (float)(s * (m->bias[k] - t[k]));
	for (i = 0; i < m->nrows * m->nlabels; i++)
		m->w[i] = (float)(s * m->w[i]);
	free(t);
	free(use);
	free(nodes);
	free(x);
}

void
lm_train(char **files, int nfiles, const struct lm_train_opts *o, struct af *out)
{
	struct lm *m = new_model();
	struct example *ex = NULL;
	size_t nex = 0, i, k;
	char *first = read_examples(m, files, nfiles, o, &ex, &nex);

	if (m->nlabels < 2)
		msg_fatal("%s: want records of two labels at least, not %zu", first, m->nlabels);
	free(first);
	m->single = 1;
	for (i = 0; i < nex; i++)
		m->single &= ex[i].nlabels == 1;
	choose_features(m, ex, nex);
	for (i = 0; i < nex; i++) {
		for (k = 0; k < ex[i].n; k++) {
			m->hash[k] = ex[i].hash[k];
			m->count[k] = ex[i].count[k];
		}
		ex[i].v = xmalloc((ex[i].n ? ex[i].n : 1) * sizeof *ex[i].v);
		ex[i].nv = vector(m, ex[i].n, ex[i].v);
	}
	m->w = xcalloc(m->nrows * m->nlabels + 1, sizeof *m->w);
	m->bias = xcalloc(m->nlabels, sizeof *m->bias);
	if (o->verbose)
		msg_warn("%zu records, %zu labels (%s), %zu features", nex, m->nlabels,
		    m->single ? "one each" : "any number each", m->nrows);
	if (o->solver == LM_SGD)
		sgd(m, ex, nex, o->epochs);
	else
		fit_linear(m, ex, nex, o);
	save(m, out);
	for (i = 0; i < nex; i++) {
		free(ex[i].hash);
		free(ex[i].count);
		free(ex[i].labels);
		free(ex[i].v);
	}
	free(ex);
	lm_free(m);
}

static WN_NORETURN void
short_model(const char *path)
{
	msg_fatal_at(path, "corrupt: the model is too short");
}

struct lm *
lm_load(const char *path)
{
	struct lm *m = new_model();
	struct bf_file f;
	char err[256];
	const char *p, *end;
	size_t i, k;

	if (bf_load(path, &model_kind, &f, err, sizeof err) != BF_OK)
		msg_fatal_at(path, "%s", err);
	p = f.payload;
	end = p + f.size;
	if (f.size < 16)
		short_model(path);
	m->nlabels = bf_get32(p);
	m->nrows = bf_get32(p + 4);
	m->single = bf_get32(p + 8) == 1;
	p += 16;
	if (m->nlabels < 2 || m->nlabels > MAX_LABELS)
		msg_fatal_at(path, "corrupt: %zu labels", m->nlabels);
	m->label = xcalloc(m->nlabels, sizeof *m->label);
	for (k = 0; k < m->nlabels; k++) {
		uint32_t n;

		if (end - p < 4 || (size_t)(end - p - 4) < (n = bf_get32(p)))
			short_model(path);
		m->label[k] = xmalloc(n + 1);
		memcpy(m->label[k], p + 4, n);
		m->label[k][n] = '\0';
		if (n == 0 || !utf8_valid(m->label[k], n) || memchr(m->label[k], '\0', n) != NULL)
			msg_fatal_at(path, "corrupt: a label is empty or not UTF-8");
		p += 4 + n;
	}
	if ((size_t)(end - p) < 4 * m->nlabels ||
	    (size_t)(end - p - 4 * m->nlabels) / (12 + 4 * m->nlabels) != m->nrows ||
	    (size_t)(end - p - 4 * m->nlabels) % (12 + 4 * m->nlabels) != 0)
		msg_fatal_at(path, "corrupt: the model's size does not match its features");
	m->bias = xmalloc(m->nlabels * sizeof *m->bias);
	m->idf = xmalloc((m->nrows ? m->nrows : 1) * sizeof *m->idf);
	m->w = xmalloc((m->nrows * m->nlabels + 1) * sizeof *m->w);
	for (k = 0; k < m->nlabels; k++, p += 4) {
		m->bias[k] = bf_getf32(p);
		if (!isfinite(m->bias[k]))
			msg_fatal_at(path, "corrupt: a weight that is not a number");
	}
	for (i = 0; i < m->nrows; i++) {
		if (fm_find(&m->feature, bf_get64(p)) != NULL)
			msg_fatal_at(path, "corrupt: a feature twice");
		fm_put(&m->feature, bf_get64(p), (uint32_t)i);
		m->idf[i] = bf_getf32(p + 8);
		if (!isfinite(m->idf[i]))
			msg_fatal_at(path, "corrupt: a weight that is not a number");
		p += 12;
		for (k = 0; k < m->nlabels; k++, p += 4) {
			m->w[i * m->nlabels + k] = bf_getf32(p);
			if (!isfinite(m->w[i * m->nlabels + k]))
				msg_fatal_at(path, "corrupt: a weight that is not a number");
		}
	}
	bf_release(&f);
	return m;
}
