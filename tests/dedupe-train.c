/*
 * dedupe-train: train the line model of dedupe-boilerplate (classify.h)
 * from scraped records and their gold article text.
 *
 *	dedupe-train [--folds k] [--l2 x] -o model.txt dump gold [dump gold ...]
 *
 * Each dump (JSON Lines, key "text": one line per HTML block) goes
 * through the engine as dedupe-boilerplate would run it on that file
 * alone with default options and no line model (every record counted
 * before any is judged, shipped rules on), so the features (site counts,
 * lines the other detectors took) are the filter's own.  A dump line that
 * holds more than blanks is content when its squeezed form (runs of
 * spaces and tabs made one, ends trimmed) is one of the squeezed gold
 * lines of the same record, else boilerplate: the definition of
 * tests/bpeval.c.
 *
 * The model is an L2-regularised logistic regression on standardised
 * features, fitted by Newton's method.  The decoder's span-c, p-in and
 * p-out are chosen by k-fold cross-validation over the training records
 * alone (record i is in fold i mod k): the grid point that maximises the
 * mean over the dumps of min(kept / 0.97, removed / 0.93), where kept and
 * removed count the other detectors' decisions too.  The out-of-fold
 * figures at that point are printed on stderr (they are cross-validated,
 * though the three decoder parameters were chosen on them).  Then the
 * model is fitted on every record and written.  Nothing is random: the
 * same inputs give the same file.
 */
#include "compat.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "classify.h"
#include "cli.h"
#include "counts.h"
#include "dedupe.h"
#include "dfile.h"
#include "fprint.h"
#include "msg.h"
#include "rec.h"
#include "rules.h"

#define NP (CL_NFEAT + 1)	/* weights and the bias, last */
#define MAX_PAIRS 16

enum { OPT_FOLDS = 256, OPT_L2 };

static const struct cli_option options[] = {
	{ "folds", CLI_REQUIRED_ARG, OPT_FOLDS, "K", "choose the decoder by K-fold cross-validation (default: 5)" },
	{ "l2", CLI_REQUIRED_ARG, OPT_L2, "X", "the L2 penalty on the standardised weights (default: 1)" },
	{ NULL, 0, 0, NULL, NULL }
};

struct ctx {
	uintmax_t folds;
	double l2;
};

static int
handle(int key, const char *arg, void *p)
{
	struct ctx *c = p;
	char *end;

	switch (key) {
	case OPT_FOLDS:
		if (cli_number(arg, 2, 100, &c->folds) == 0)
			return 0;
		msg_warn("--folds: '%s' is not a number from 2 to 100", arg);
		return -1;
	case OPT_L2:
		c->l2 = strtod(arg, &end);
		if (*arg != '\0' && *end == '\0' && c->l2 >= 0 && isfinite(c->l2))
			return 0;
		msg_warn("--l2: '%s' is not a number from 0", arg);
		return -1;
	}
	return -1;
}

/* The training lines: features, label, and what the other detectors did. */
struct data {
	double *x;		/* n rows of CL_NFEAT */
	unsigned char *y;	/* 1: content */
	unsigned char *gone;	/* 1: another detector took it */
	size_t n, cap;
	size_t *rec_start;	/* record r is lines rec_start[r]..rec_start[r + 1] */
	int *rec_pair;		/* which dump */
	size_t nrec, rcap;
	size_t pair_lines[MAX_PAIRS][2];	/* boilerplate, content lines of each dump */
	int npairs;
};

static void
add_line(struct data *d, const double *x, int y, int gone)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 4096;
		d->x = xrealloc(d->x, d->cap * CL_NFEAT * sizeof *d->x);
		d->y = xrealloc(d->y, d->cap);
		d->gone = xrealloc(d->gone, d->cap);
	}
	memcpy(d->x + d->n * CL_NFEAT, x, CL_NFEAT * sizeof *x);
	d->y[d->n] = (unsigned char)y;
	d->gone[d->n] = (unsigned char)gone;
	d->n++;
}

static void
add_record(struct data *d, int pair)
{
	if (d->nrec + 2 > d->rcap) {
		d->rcap = d->rcap ? 2 * d->rcap : 256;
		d->rec_start = xrealloc(d->rec_start, d->rcap * sizeof *d->rec_start);
		d->rec_pair = xrealloc(d->rec_pair, d->rcap * sizeof *d->rec_pair);
	}
	d->rec_start[d->nrec] = d->n;
	d->rec_pair[d->nrec++] = pair;
	d->rec_start[d->nrec] = d->n;
}

/* One record read: its text, site and identity. */
struct record {
	char *text;
	size_t len;
	uint64_t site, id;
};

/* Every record of a JSON Lines file, as dedupe-boilerplate sees them. */
static struct record *
read_records(const char *path, size_t *nrec)
{
	struct rec_opts ro;
	struct rec_stream *s;
	struct rec r;
	struct record *out = NULL;
	size_t n = 0, cap = 0;
	char *files[1];
	int url_key, id_key;

	rec_opts_init(&ro);
	files[0] = (char *)path;
	s = rec_open(&ro, files, 1);
	url_key = rec_key(s, "url");
	id_key = rec_key(s, "id");
	while (rec_next(s, &r)) {
		const char *t, *u;
		size_t tl, ul;
		struct record *o;

		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			out = xrealloc(out, cap * sizeof *out);
		}
		o = &out[n++];
		if (rec_text(s, &r, 0, &t, &tl) < 0) {
			t = "";
			tl = 0;
		}
		o->text = xmalloc(tl + 1);
		memcpy(o->text, t, tl);
		o->text[tl] = '\0';
		o->len = tl;
		/* site_of and identity of dedupe-boilerplate.c */
		if (rec_text(s, &r, url_key, &u, &ul) == 0) {
			o->site = fp_site_url(u, ul);
			o->id = XXH3_64bits_withSeed(u, ul, 1);
		} else {
			o->site = fp_site_name("", 0);
			o->id = r.span[id_key].kind != JSON_ABSENT ?
			    XXH3_64bits_withSeed(r.line + r.span[id_key].start,
				r.span[id_key].end - r.span[id_key].start, 2) :
			    XXH3_64bits_withSeed(t, tl, 3);
		}
		rec_skip(s, &r);
	}
	if (rec_close(s) != MSG_EXIT_OK)
		msg_fatal("%s: could not be read completely", path);
	*nrec = n;
	return out;
}

/* The hash of p[0..n) squeezed: runs of spaces and tabs one space, the
 * ends trimmed. */
static uint64_t
squeezed_hash(const char *p, size_t n, char *tmp)
{
	size_t i, k = 0;
	int space = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == ' ' || p[i] == '\t') {
			space = k > 0;
			continue;
		}
		if (space)
			tmp[k++] = ' ';
		space = 0;
		tmp[k++] = p[i];
	}
	return XXH3_64bits(tmp, k);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Run the engine over one dump and add its labelled lines to d. */
static void
load_pair(struct data *d, struct rl *rules, struct cl *cl, const char *dump, const char *gold)
{
	size_t nd, ng, i, k, j;
	struct record *dr = read_records(dump, &nd), *gr = read_records(gold, &ng);
	struct dd_opts o;
	struct ct *t = ct_new();
	struct dd *dd;
	struct dd_doc *docs;
	int pair = d->npairs++;

	if (pair >= MAX_PAIRS)
		msg_fatal("at most %d pairs of files", MAX_PAIRS);
	if (nd != ng)
		msg_fatal("%s has %zu records, %s %zu", dump, nd, gold, ng);
	dd_opts_init(&o);
	dd = dd_new(&o, t, rules);
	docs = xcalloc(nd, sizeof *docs);
	for (i = 0; i < nd; i++) {
		dd_parse(dd, &docs[i], dr[i].text, dr[i].len, dr[i].site, dr[i].id);
		dd_count(dd, &docs[i]);
	}
	for (i = 0; i < nd; i++) {
		const double *x;
		const size_t *line;
		size_t n, ngold = 0;
		uint64_t *gh = xmalloc((gr[i].len + 1) * sizeof *gh);
		char *tmp = xmalloc(gr[i].len + dr[i].len + 1);
		const char *p = gr[i].text, *e;

		/* The squeezed gold lines, as a sorted set of hashes. */
		for (;;) {
			e = memchr(p, '\n', (size_t)(gr[i].text + gr[i].len - p));
			gh[ngold++] = squeezed_hash(p, e ? (size_t)(e - p) : (size_t)(gr[i].text + gr[i].len - p), tmp);
			if (e == NULL)
				break;
			p = e + 1;
		}
		qsort(gh, ngold, sizeof *gh, cmp_u64);
		dd_judge(dd, &docs[i], dr[i].text, dr[i].len);
		n = cl_features(cl, &docs[i], dr[i].text, &x, &line);
		add_record(d, pair);
		for (k = 0; k < n; k++) {
			const struct dd_line *l = &docs[i].line[line[k]];
			uint64_t h = squeezed_hash(dr[i].text + l->start, l->end - l->start, tmp);
			int y = bsearch(&h, gh, ngold, sizeof *gh, cmp_u64) != NULL;

			add_line(d, x + k * CL_NFEAT, y, l->why != DD_KEEP && l->why != DD_CUT);
			d->pair_lines[pair][y]++;
		}
		d->rec_start[d->nrec] = d->n;
		free(gh);
		free(tmp);
	}
	for (j = 0; j < nd; j++) {
		dd_doc_release(&docs[j]);
		free(dr[j].text);
		free(gr[j].text);
	}
	free(docs);
	free(dr);
	free(gr);
	dd_free(dd);
	ct_free(t);
	fprintf(stderr, "dedupe-train: %s: %zu records, %zu content lines, %zu boilerplate lines\n",
	    dump, nd, d->pair_lines[pair][1], d->pair_lines[pair][0]);
}

/* ---- logistic regression ---- */

/* Solve a x = b for symmetric positive definite a (n x n, destroyed) by
 * Cholesky; b becomes x. */
static void
solve(double *a, double *b, size_t n)
{
	size_t i, j, k;

	for (j = 0; j < n; j++) {
		double s = a[j * n + j];

		for (k = 0; k < j; k++)
			s -= a[j * n + k] * a[j * n + k];
		a[j * n + j] = sqrt(s > 1e-12 ? s : 1e-12);
		for (i = j + 1; i < n; i++) {
			double t = a[i * n + j];

			for (k = 0; k < j; k++)
				t -= a[i * n + k] * a[j * n + k];
			a[i * n + j] = t / a[j * n + j];
		}
	}
	for (i = 0; i < n; i++) {
		for (k = 0; k < i; k++)
			b[i] -= a[i * n + k] * b[k];
		b[i] /= a[i * n + i];
	}
	for (i = n; i-- > 0;) {
		for (k = i + 1; k < n; k++)
			b[i] -= a[k * n + i] * b[k];
		b[i] /= a[i * n + i];
	}
}

/* Is record r in the training part: every fold but `fold` (-1: all). */
static int
in_train(size_t r, int fold, int k)
{
	return fold < 0 || (int)(r % (size_t)k) != fold;
}

/* Fit m (weights, bias, mean, sd) on the records outside fold. */
static void
fit(const struct data *d, int fold, int k, double l2, struct cl_model *m)
{
	double *h = xmalloc(NP * NP * sizeof *h), g[NP], z[NP], beta[NP];
	size_t r, i, a, b, it, cnt = 0;

	memset(m->mean, 0, sizeof m->mean);
	memset(m->sd, 0, sizeof m->sd);
	for (r = 0; r < d->nrec; r++)
		if (in_train(r, fold, k))
			for (i = d->rec_start[r]; i < d->rec_start[r + 1]; i++, cnt++)
				for (a = 0; a < CL_NFEAT; a++)
					m->mean[a] += d->x[i * CL_NFEAT + a];
	for (a = 0; a < CL_NFEAT; a++)
		m->mean[a] /= cnt ? (double)cnt : 1.0;
	for (r = 0; r < d->nrec; r++)
		if (in_train(r, fold, k))
			for (i = d->rec_start[r]; i < d->rec_start[r + 1]; i++)
				for (a = 0; a < CL_NFEAT; a++) {
					double v = d->x[i * CL_NFEAT + a] - m->mean[a];

					m->sd[a] += v * v;
				}
	for (a = 0; a < CL_NFEAT; a++) {
		m->sd[a] = sqrt(m->sd[a] / (cnt ? (double)cnt : 1.0));
		if (m->sd[a] < 1e-9)
			m->sd[a] = 1.0;
	}
	memset(beta, 0, sizeof beta);
	for (it = 0; it < 30; it++) {
		double step = 0;

		memset(h, 0, NP * NP * sizeof *h);
		for (a = 0; a < NP; a++)
			g[a] = a < CL_NFEAT ? l2 * beta[a] : 0.0;
		for (r = 0; r < d->nrec; r++) {
			if (!in_train(r, fold, k))
				continue;
			for (i = d->rec_start[r]; i < d->rec_start[r + 1]; i++) {
				double s = beta[CL_NFEAT], p, w;

				for (a = 0; a < CL_NFEAT; a++) {
					z[a] = (d->x[i * CL_NFEAT + a] - m->mean[a]) / m->sd[a];
					s += beta[a] * z[a];
				}
				z[CL_NFEAT] = 1.0;
				p = 1.0 / (1.0 + exp(-s));
				w = p * (1 - p);
				if (w < 1e-10)
					w = 1e-10;
				for (a = 0; a < NP; a++) {
					double wz = w * z[a];

					g[a] += (p - d->y[i]) * z[a];
					for (b = 0; b <= a; b++)
						h[a * NP + b] += wz * z[b];
				}
			}
		}
		for (a = 0; a < NP; a++) {
			for (b = 0; b < a; b++)
				h[b * NP + a] = h[a * NP + b];
			h[a * NP + a] += a < CL_NFEAT ? l2 : 1e-8;
		}
		solve(h, g, NP);
		for (a = 0; a < NP; a++) {
			beta[a] -= g[a];
			step = fabs(g[a]) > step ? fabs(g[a]) : step;
		}
		if (step < 1e-7)
			break;
	}
	memcpy(m->w, beta, sizeof m->w);
	m->bias = beta[CL_NFEAT];
	free(h);
}

/* ---- the decoder ---- */

struct score {
	double kept[MAX_PAIRS], removed[MAX_PAIRS], objective;
};

/* kept and removed of each dump when p (one per line) is decoded by m. */
static void
evaluate(const struct data *d, const struct cl_model *m, const double *p, unsigned char *keep,
    struct score *s)
{
	size_t r, i, c[MAX_PAIRS][2][2];	/* [pair][label][final kept] */
	int q;

	memset(c, 0, sizeof c);
	for (r = 0; r < d->nrec; r++) {
		size_t a = d->rec_start[r], n = d->rec_start[r + 1] - a;

		cl_decode(m, p + a, n, keep);
		for (i = 0; i < n; i++)
			c[d->rec_pair[r]][d->y[a + i]][keep[i] && !d->gone[a + i]]++;
	}
	s->objective = 0;
	for (q = 0; q < d->npairs; q++) {
		double k = c[q][1][1] + c[q][1][0] ? (double)c[q][1][1] / (double)(c[q][1][1] + c[q][1][0]) : 1;
		double v = c[q][0][0] + c[q][0][1] ? (double)c[q][0][0] / (double)(c[q][0][0] + c[q][0][1]) : 1;

		s->kept[q] = k;
		s->removed[q] = v;
		s->objective += fmin(k / 0.97, v / 0.93) / d->npairs;
	}
}

int
filter_main(int argc, char **argv)
{
	static const double span_c[] = { -6, -5, -4, -3, -2, -1, 0, 1, 2 };
	static const double p_in[] = { 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3 };
	static const double p_out[] = { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9 };
	struct ctx c = { 5, 1.0 };
	const struct cli_spec spec = {
		"Train the line model of dedupe-boilerplate from dumps and their gold text.",
		"dedupe-train [--folds k] [--l2 x] -o model dump gold [dump gold ...]",
		options, "dedupe-train -o model.txt a.dump.jsonl a.gold.jsonl b.dump.jsonl b.gold.jsonl",
		handle, &c, NULL
	};
	struct rec_opts ro;
	struct data d;
	struct cl_model m, best;
	struct score s, bs;
	struct rl *rules;
	struct cl *cl;
	unsigned char *keep;
	double *p;
	char *path, comment[4096];
	size_t r, i, a, b, e, len = 0;
	int first, fold, k, q;

	rec_opts_init(&ro);
	cli_parse(&spec, &ro, argc, argv, &first);
	if (ro.output == NULL || argc - first < 2 || (argc - first) % 2 != 0) {
		msg_warn("name the model with -o and give dump and gold files in pairs");
		return MSG_EXIT_FATAL;
	}
	k = (int)c.folds;
	memset(&d, 0, sizeof d);
	rules = rl_new();
	path = df_path("dedupe-boilerplate/rules.txt");
	rl_load(rules, path);
	free(path);
	cl = cl_new(NULL);
	for (i = (size_t)first; i + 1 < (size_t)argc; i += 2)
		load_pair(&d, rules, cl, argv[i], argv[i + 1]);
	p = xmalloc((d.n ? d.n : 1) * sizeof *p);
	keep = xmalloc(d.n + 1);

	/* Out-of-fold probabilities, then the decoder they like best. */
	for (fold = 0; fold < k; fold++) {
		fit(&d, fold, k, c.l2, &m);
		for (r = 0; r < d.nrec; r++)
			if (!in_train(r, fold, k))
				for (i = d.rec_start[r]; i < d.rec_start[r + 1]; i++)
					p[i] = cl_prob(&m, d.x + i * CL_NFEAT);
	}
	memset(&best, 0, sizeof best);
	bs.objective = -1;
	for (a = 0; a < sizeof span_c / sizeof span_c[0]; a++)
		for (b = 0; b < sizeof p_in / sizeof p_in[0]; b++)
			for (e = 0; e < sizeof p_out / sizeof p_out[0]; e++) {
				if (p_out[e] < p_in[b])
					continue;
				m.span_c = span_c[a];
				m.p_in = p_in[b];
				m.p_out = p_out[e];
				evaluate(&d, &m, p, keep, &s);
				if (s.objective > bs.objective) {
					bs = s;
					best = m;
				}
			}
	fprintf(stderr, "dedupe-train: decoder span-c %g p-in %g p-out %g\n", best.span_c, best.p_in,
	    best.p_out);
	for (q = 0; q < d.npairs; q++)
		fprintf(stderr, "dedupe-train: %d-fold CV, %s: kept %.3f removed %.3f (with the other detectors)\n",
		    k, argv[first + 2 * q], bs.kept[q], bs.removed[q]);

	fit(&d, -1, k, c.l2, &m);
	m.span_c = best.span_c;
	m.p_in = best.p_in;
	m.p_out = best.p_out;
	len += (size_t)snprintf(comment + len, sizeof comment - len,
	    "# Generated by tests/dedupe-train (scripts/train-dedupe), do not edit.\n"
	    "# Trained on %zu lines of %zu records, L2 %g, decoder by %d-fold CV:\n", d.n, d.nrec, c.l2, k);
	for (q = 0; q < d.npairs && len < sizeof comment - 300; q++) {
		const char *base = strrchr(argv[first + 2 * q], '/');

		len += (size_t)snprintf(comment + len, sizeof comment - len,
		    "#   %s: %zu content, %zu boilerplate lines; CV kept %.3f removed %.3f\n",
		    base ? base + 1 : argv[first + 2 * q], d.pair_lines[q][1], d.pair_lines[q][0],
		    bs.kept[q], bs.removed[q]);
	}
	cl_model_save(&m, ro.output, comment);
	free(p);
	free(keep);
	free(d.x);
	free(d.y);
	free(d.gone);
	free(d.rec_start);
	free(d.rec_pair);
	cl_free(cl);
	rl_free(rules);
	return MSG_EXIT_OK;
}
