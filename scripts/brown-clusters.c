/*
 * brown-clusters: Brown word clusters by Liang's algorithm.
 *
 *	usage: brown-clusters [-c clusters] [-j threads] [-m mincount] file
 *
 * FILE holds one sequence a line, tokens separated by single spaces.
 * Words seen fewer than MINCOUNT times (default 3) are left out, and no
 * bigram is formed across them.  The words, in order of falling count
 * (ties by bytes), enter a window of CLUSTERS (default 1000) active
 * clusters one at a time; after each, the two clusters whose merge loses
 * the least class-bigram mutual information are merged (Brown et al.
 * 1992; the window and the incremental updates of the losses as in Liang,
 * "Semi-supervised learning for natural language", MIT 2005).  When every
 * word is in, the CLUSTERS clusters are merged down to one; the merge tree
 * gives each cluster a bit string, 0 for the side that keeps the lower
 * slot.  Writes BITSTRING<TAB>word<TAB>count lines to standard output,
 * sorted by bit string, then by falling count, then by bytes.
 *
 * Deterministic: ties between losses go to the lowest slots, and each
 * loss is computed by one thread in one order whatever THREADS is.
 * Built by scripts/build-clusters; not part of any filter.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *prog = "brown-clusters";

struct word {
	char *s;
	long count;
	int slot;		/* active cluster, -1 before it enters */
	int next;		/* next word of the same cluster, -1 at the end */
	int leaf;		/* cluster at the end of the first phase */
	int nright, nleft;	/* neighbours: offsets into the adjacency arrays */
	long right, left;
};

static struct word *words;
static int nwords;
static int *adj_word;		/* neighbour words, right lists then left lists */
static long *adj_count;

static int S;			/* slots: clusters + 1 */
static double *p1;		/* p1[s]: probability of cluster s */
static double *p2;		/* p2[s*S+t]: of the bigram s t */
static double *q2;		/* its share of the mutual information */
static double *p2t, *q2t;	/* both transposed: a column read as a row */
static double *L2;		/* L2[s*S+t], s < t: loss of merging s and t */
static int *active;		/* 1 when the slot holds a cluster */
static int *head, *tail;	/* a cluster's words */
static int *mark;		/* slots next to those being changed */
static double *oa, *ob, *oab;	/* per slot: old and new q terms */
static int nthreads = 2;

static void
die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		die("out of memory");
	return p;
}

static void *
xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (p == NULL)
		die("out of memory");
	return p;
}

/* ------------------------------------------------------------ reading */

struct tok {
	char *s;
	int id;
};

static struct tok *table;
static size_t tabsize, tabused;

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static int
intern(char *s)
{
	size_t i;

	if (tabused * 2 >= tabsize) {
		struct tok *old = table;
		size_t oldsize = tabsize, j;

		tabsize = tabsize ? tabsize * 2 : 1 << 16;
		table = xcalloc(tabsize, sizeof *table);
		for (j = 0; j < oldsize; j++) {
			if (old[j].s == NULL)
				continue;
			i = hash(old[j].s) & (tabsize - 1);
			while (table[i].s != NULL)
				i = (i + 1) & (tabsize - 1);
			table[i] = old[j];
		}
		free(old);
	}
	i = hash(s) & (tabsize - 1);
	while (table[i].s != NULL) {
		if (strcmp(table[i].s, s) == 0)
			return table[i].id;
		i = (i + 1) & (tabsize - 1);
	}
	table[i].s = strdup(s);
	if (table[i].s == NULL)
		die("out of memory");
	table[i].id = (int)tabused++;
	return table[i].id;
}

static int
bycount(const void *a, const void *b)
{
	const struct word *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->s, y->s);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double ntokens;		/* tokens of kept words */
static double nbigrams;

/* Reads FILE, keeps words seen MINCOUNT times, builds the neighbour lists. */
static void
load(const char *path, long mincount)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int *seq = NULL, *map;
	size_t nseq = 0, seqcap = 0, i, j, nb = 0, npairs;
	long *counts = NULL;
	size_t ncounts = 0;
	uint64_t *pairs;
	int ntypes;

	if (f == NULL)
		die("'%s': %s", path, strerror(errno));
	/* the token stream, -1 between lines */
	while ((len = getline(&line, &cap, f)) != -1) {
		char *p = line, *q;

		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		for (;;) {
			while (*p == ' ')
				p++;
			if (*p == '\0')
				break;
			q = strchr(p, ' ');
			if (q != NULL)
				*q = '\0';
			if (nseq + 2 > seqcap) {
				seqcap = seqcap ? seqcap * 2 : 1 << 20;
				seq = xrealloc(seq, seqcap * sizeof *seq);
			}
			seq[nseq] = intern(p);
			if ((size_t)seq[nseq] >= ncounts) {
				size_t n = ncounts ? ncounts * 2 : 1 << 16;

				counts = xrealloc(counts, n * sizeof *counts);
				memset(counts + ncounts, 0, (n - ncounts) * sizeof *counts);
				ncounts = n;
			}
			counts[seq[nseq]]++;
			nseq++;
			if (q == NULL)
				break;
			p = q + 1;
		}
		if (nseq + 1 > seqcap) {
			seqcap = seqcap ? seqcap * 2 : 1 << 20;
			seq = xrealloc(seq, seqcap * sizeof *seq);
		}
		seq[nseq++] = -1;
	}
	if (ferror(f))
		die("'%s': %s", path, strerror(errno));
	fclose(f);
	free(line);

	/* kept words, ordered by falling count then bytes */
	ntypes = (int)tabused;
	words = xcalloc(ntypes, sizeof *words);
	for (i = 0; i < tabsize; i++) {
		if (table[i].s == NULL || counts[table[i].id] < mincount)
			continue;
		words[nwords].s = table[i].s;
		words[nwords].count = counts[table[i].id];
		words[nwords].leaf = table[i].id;	/* old id, for now */
		nwords++;
	}
	qsort(words, nwords, sizeof *words, bycount);
	map = xcalloc(ntypes, sizeof *map);
	for (i = 0; i < (size_t)ntypes; i++)
		map[i] = -1;
	for (i = 0; i < (size_t)nwords; i++) {
		map[words[i].leaf] = (int)i;
		words[i].slot = -1;
		words[i].next = -1;
		ntokens += words[i].count;
	}

	/* bigrams of kept words, as sorted (left, right) keys */
	pairs = xcalloc(nseq, sizeof *pairs);
	for (i = 0; i + 1 < nseq; i++) {
		int a = seq[i] < 0 ? -1 : map[seq[i]];
		int b = seq[i + 1] < 0 ? -1 : map[seq[i + 1]];

		if (a >= 0 && b >= 0)
			pairs[nb++] = (uint64_t)a << 32 | (uint32_t)b;
	}
	free(seq);
	free(map);
	free(counts);
	nbigrams = (double)nb;
	qsort(pairs, nb, sizeof *pairs, cmp_u64);
	/* distinct pairs, then each word's right and left lists */
	npairs = 0;
	for (i = 0; i < nb; i = j) {
		for (j = i; j < nb && pairs[j] == pairs[i]; j++)
			;
		npairs++;
	}
	adj_word = xcalloc(2 * npairs, sizeof *adj_word);
	adj_count = xcalloc(2 * npairs, sizeof *adj_count);
	for (i = 0; i < nb; i = j) {
		for (j = i; j < nb && pairs[j] == pairs[i]; j++)
			;
		words[pairs[i] >> 32].nright++;
		words[(uint32_t)pairs[i]].nleft++;
	}
	{
		long off = 0;
		int w;

		for (w = 0; w < nwords; w++) {
			words[w].right = off;
			off += words[w].nright;
			words[w].nright = 0;
		}
		for (w = 0; w < nwords; w++) {
			words[w].left = off;
			off += words[w].nleft;
			words[w].nleft = 0;
		}
	}
	for (i = 0; i < nb; i = j) {
		int a = (int)(pairs[i] >> 32), b = (int)(uint32_t)pairs[i];
		long k;

		for (j = i; j < nb && pairs[j] == pairs[i]; j++)
			;
		k = words[a].right + words[a].nright++;
		adj_word[k] = b;
		adj_count[k] = (long)(j - i);
		k = words[b].left + words[b].nleft++;
		adj_word[k] = a;
		adj_count[k] = (long)(j - i);
	}
	free(pairs);
}

/* ------------------------------------------------------------ the model */

#define P2(s, t) p2[(size_t)(s) * S + (t)]
#define Q2(s, t) q2[(size_t)(s) * S + (t)]
#define ROW(m, s) (&(m)[(size_t)(s) * S])
#define LL(s, t) L2[(size_t)(s) * S + (t)]

static int *slots;		/* the active slots, ascending */
static int nslots;
static int *marked;		/* positions in slots of the marked slots */
static int nmarked;

static void
list_slots(void)
{
	int s;

	nslots = 0;
	for (s = 0; s < S; s++)
		if (active[s])
			slots[nslots++] = s;
}

static inline double
qterm(double p, double pl, double pr)
{
	return p > 0 ? p * log(p / (pl * pr)) : 0;
}

static void
set_q(int s)
{
	int i;

	for (i = 0; i < nslots; i++) {
		int u = slots[i];

		Q2(s, u) = qterm(P2(s, u), p1[s], p1[u]);
		Q2(u, s) = qterm(P2(u, s), p1[u], p1[s]);
	}
}

/* Copies row and column x of p2 and q2 into their transposes. */
static void
sync_slot(int x)
{
	int i;

	for (i = 0; i < S; i++) {
		p2t[(size_t)x * S + i] = P2(i, x);
		p2t[(size_t)i * S + x] = P2(x, i);
		q2t[(size_t)x * S + i] = Q2(i, x);
		q2t[(size_t)i * S + x] = Q2(x, i);
	}
}

/* The loss of merging s and t, s < t, from the counts. */
static double
loss(int s, int t)
{
	double pst = p1[s] + p1[t], l = 0;
	double pself = P2(s, s) + P2(s, t) + P2(t, s) + P2(t, t);
	const double *ps = ROW(p2, s), *pt = ROW(p2, t);
	const double *cs = ROW(p2t, s), *ct = ROW(p2t, t);
	const double *qs = ROW(q2, s), *qt = ROW(q2, t);
	const double *qcs = ROW(q2t, s), *qct = ROW(q2t, t);
	int i;

	for (i = 0; i < nslots; i++) {
		int u = slots[i];
		double a, b;

		if (u == s || u == t)
			continue;
		a = ps[u] + pt[u];
		b = cs[u] + ct[u];
		if (a == 0 && b == 0)
			continue;
		l += qs[u] + qt[u] + qcs[u] + qct[u];
		l -= qterm(a, pst, p1[u]) + qterm(b, p1[u], pst);
	}
	l += Q2(s, s) + Q2(t, t) + Q2(s, t) + Q2(t, s);
	l -= qterm(pself, pst, pst);
	return l;
}

/* Work split over threads: rows of the loss table, by slot index. */
struct job {
	int kind;		/* 0: new losses of row n; 1: merge deltas; 2: add deltas */
	int n, a, b;
	int lo, hi;		/* slot list positions */
};

static void
do_job(struct job *j)
{
	int i, k;

	if (j->kind == 0) {
		/* every loss of cluster n against the others */
		for (i = j->lo; i < j->hi; i++) {
			int t = slots[i];

			if (t == j->n)
				continue;
			if (t < j->n)
				LL(t, j->n) = loss(t, j->n);
			else
				LL(j->n, t) = loss(j->n, t);
		}
		return;
	}
	/*
	 * A pair's loss changes only when s or t is next to the clusters
	 * changed: an unmarked row looks at the marked slots alone.
	 */
	{
		int a = j->a, b = j->b, n = j->n;
		int x = j->kind == 1 ? a : n, y = j->kind == 1 ? b : n;
		const double *ra = ROW(p2, x), *ca = ROW(p2t, x);
		const double *rb = ROW(p2, y), *cb = ROW(p2t, y);
		const double *qr = ROW(q2, x), *qc = ROW(q2t, x);
		int m = 0;

		for (i = j->lo; i < j->hi; i++) {
			int s = slots[i];
			double *row = ROW(L2, s);
			int all = mark[s];

			if (s == a || s == b || s == n)
				continue;
			while (m < nmarked && marked[m] <= i)
				m++;
			for (k = all ? i + 1 : m; k < nslots && (all || k < nmarked); k++) {
				int t = all ? slots[k] : slots[marked[k]];
				double pst, d;

				if (t == a || t == b || t == n)
					continue;
				pst = p1[s] + p1[t];
				if (j->kind == 1) {
					double pab = p1[a] + p1[b];

					d = oab[s] + oab[t] - oa[s] - oa[t] - ob[s] - ob[t];
					d -= qterm(ca[s] + ca[t] + cb[s] + cb[t], pst, pab);
					d -= qterm(ra[s] + ra[t] + rb[s] + rb[t], pab, pst);
					d += qterm(ca[s] + ca[t], pst, p1[a]);
					d += qterm(ra[s] + ra[t], p1[a], pst);
					d += qterm(cb[s] + cb[t], pst, p1[b]);
					d += qterm(rb[s] + rb[t], p1[b], pst);
				} else {
					d = qc[s] + qr[s] + qc[t] + qr[t];
					d -= qterm(ca[s] + ca[t], pst, p1[n]);
					d -= qterm(ra[s] + ra[t], p1[n], pst);
				}
				row[t] += d;
			}
		}
	}
}

static void *
run_job(void *arg)
{
	do_job(arg);
	return NULL;
}

/*
 * Runs one kind of job over the slot list in THREADS parts.  The rows of
 * the triangle shrink, so the parts of kinds 1 and 2 are cut by area.
 */
static void
parallel(int kind, int n, int a, int b)
{
	struct job jobs[16];
	pthread_t tid[16];
	int t, pos = 0;
	double total = (double)nslots * nslots / 2, done = 0;

	for (t = 0; t < nthreads; t++) {
		jobs[t].kind = kind;
		jobs[t].n = n;
		jobs[t].a = a;
		jobs[t].b = b;
		jobs[t].lo = pos;
		if (t == nthreads - 1)
			pos = nslots;
		else if (kind == 0)
			pos = (int)((long)nslots * (t + 1) / nthreads);
		else {
			double want = total * (t + 1) / nthreads;

			while (pos < nslots && done < want)
				done += nslots - pos++;
		}
		jobs[t].hi = pos;
	}
	for (t = 1; t < nthreads; t++)
		if (pthread_create(&tid[t], NULL, run_job, &jobs[t]) != 0)
			die("cannot start a thread");
	do_job(&jobs[0]);
	for (t = 1; t < nthreads; t++)
		pthread_join(tid[t], NULL);
}

static void
clear_mark(void)
{
	memset(mark, 0, S * sizeof *mark);
}

static void
list_marked(void)
{
	int i;

	nmarked = 0;
	for (i = 0; i < nslots; i++)
		if (mark[slots[i]])
			marked[nmarked++] = i;
}

/* Puts word w into the free slot n and updates every loss. */
static void
add_word(int w, int n)
{
	struct word *wd = &words[w];
	int i;

	active[n] = 1;
	list_slots();
	wd->slot = n;
	head[n] = tail[n] = w;
	p1[n] = wd->count / ntokens;
	clear_mark();
	for (i = 0; i < wd->nright; i++) {
		int u = words[adj_word[wd->right + i]].slot;

		if (u >= 0) {
			P2(n, u) += adj_count[wd->right + i] / nbigrams;
			mark[u] = 1;
		}
	}
	for (i = 0; i < wd->nleft; i++) {
		int u = words[adj_word[wd->left + i]].slot;

		if (u >= 0 && u != n) {
			P2(u, n) += adj_count[wd->left + i] / nbigrams;
			mark[u] = 1;
		}
	}
	set_q(n);
	sync_slot(n);
	mark[n] = 0;
	list_marked();
	parallel(2, n, -1, -1);
	parallel(0, n, -1, -1);
}

/* Merges slot b into slot a (a < b) and updates every loss. */
static void
merge(int a, int b)
{
	int i;
	double pab = p1[a] + p1[b];

	clear_mark();
	for (i = 0; i < nslots; i++) {
		int s = slots[i];
		double x, y;

		if (s == a || s == b)
			continue;
		if (P2(s, a) > 0 || P2(a, s) > 0 || P2(s, b) > 0 || P2(b, s) > 0)
			mark[s] = 1;
		oa[s] = Q2(s, a) + Q2(a, s);
		ob[s] = Q2(s, b) + Q2(b, s);
		x = P2(s, a) + P2(s, b);
		y = P2(a, s) + P2(b, s);
		oab[s] = qterm(x, p1[s], pab) + qterm(y, pab, p1[s]);
	}
	list_marked();
	parallel(1, -1, a, b);

	/* the counts of the merged cluster */
	for (i = 0; i < nslots; i++) {
		int s = slots[i];

		if (s == a || s == b)
			continue;
		P2(s, a) += P2(s, b);
		P2(a, s) += P2(b, s);
	}
	P2(a, a) += P2(a, b) + P2(b, a) + P2(b, b);
	for (i = 0; i < S; i++) {
		P2(b, i) = P2(i, b) = 0;
		Q2(b, i) = Q2(i, b) = 0;
		LL(b, i) = LL(i, b) = 0;
	}
	p1[a] = pab;
	p1[b] = 0;
	active[b] = 0;
	list_slots();
	set_q(a);
	sync_slot(a);
	sync_slot(b);
	parallel(0, a, -1, -1);

	words[tail[a]].next = head[b];
	tail[a] = tail[b];
	head[b] = tail[b] = -1;
}

#ifdef CHECK
/* cc -DCHECK: every kept loss against one computed afresh */
static void
check(void)
{
	int i, k;

	for (i = 0; i < nslots; i++)
		for (k = i + 1; k < nslots; k++) {
			int s = slots[i], t = slots[k];
			double l = loss(s, t);

			if (fabs(LL(s, t) - l) > 1e-9 * (1 + fabs(l)))
				die("loss of %d %d kept as %g, is %g", s, t, LL(s, t), l);
		}
}
#else
#define check() ((void)0)
#endif

/* The pair of least loss; ties to the lowest s, then t. */
static void
best(int *pa, int *pb)
{
	double min = HUGE_VAL;
	int i, k;

	*pa = *pb = -1;
	for (i = 0; i < nslots; i++) {
		int s = slots[i];
		const double *row = &LL(s, 0);

		for (k = i + 1; k < nslots; k++) {
			int t = slots[k];

			if (row[t] < min) {
				min = row[t];
				*pa = s;
				*pb = t;
			}
		}
	}
}

/* ------------------------------------------------------------ output */

struct node {
	int child[2];		/* -1 at a leaf */
};

struct out {
	const char *bits;
	const struct word *w;
};

static int
byout(const void *a, const void *b)
{
	const struct out *x = a, *y = b;
	int c = strcmp(x->bits, y->bits);

	if (c != 0)
		return c;
	if (x->w->count != y->w->count)
		return x->w->count > y->w->count ? -1 : 1;
	return strcmp(x->w->s, y->w->s);
}

static char **leafbits;

static void
walk(const struct node *nodes, int n, char *path, int depth)
{
	if (nodes[n].child[0] < 0) {
		path[depth] = '\0';
		leafbits[n] = strdup(depth ? path : "0");
		if (leafbits[n] == NULL)
			die("out of memory");
		return;
	}
	path[depth] = '0';
	walk(nodes, nodes[n].child[0], path, depth + 1);
	path[depth] = '1';
	walk(nodes, nodes[n].child[1], path, depth + 1);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
usage(void)
{
	fprintf(stderr, "usage: %s [-c clusters] [-j threads] [-m mincount] file\n", prog);
	exit(2);
}

int
main(int argc, char **argv)
{
	long clusters = 1000, mincount = 3;
	int c, w, i, s, nleaves, nnodes, *nodeof;
	struct node *nodes;
	struct out *out;
	char *path;
	double t0 = now();

	while ((c = getopt(argc, argv, "c:j:m:")) != -1) {
		switch (c) {
		case 'c':
			clusters = strtol(optarg, NULL, 10);
			break;
		case 'j':
			nthreads = (int)strtol(optarg, NULL, 10);
			break;
		case 'm':
			mincount = strtol(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1 || clusters < 2 || clusters > 20000 ||
	    nthreads < 1 || nthreads > 16 || mincount < 1)
		usage();
	load(argv[optind], mincount);
	if (nwords < 2)
		die("'%s': fewer than two words", argv[optind]);
	if (clusters > nwords)
		clusters = nwords;
	fprintf(stderr, "%s: %d words, %.0f tokens, %.0f bigrams, %ld clusters\n",
	    prog, nwords, ntokens, nbigrams, clusters);

	S = (int)clusters + 1;
	p1 = xcalloc(S, sizeof *p1);
	p2 = xcalloc((size_t)S * S, sizeof *p2);
	q2 = xcalloc((size_t)S * S, sizeof *q2);
	p2t = xcalloc((size_t)S * S, sizeof *p2t);
	q2t = xcalloc((size_t)S * S, sizeof *q2t);
	marked = xcalloc(S, sizeof *marked);
	L2 = xcalloc((size_t)S * S, sizeof *L2);
	active = xcalloc(S, sizeof *active);
	head = xcalloc(S, sizeof *head);
	tail = xcalloc(S, sizeof *tail);
	mark = xcalloc(S, sizeof *mark);
	oa = xcalloc(S, sizeof *oa);
	ob = xcalloc(S, sizeof *ob);
	oab = xcalloc(S, sizeof *oab);
	slots = xcalloc(S, sizeof *slots);
	for (s = 0; s < S; s++)
		head[s] = tail[s] = -1;

	/*
	 * First phase: the first clusters words take a slot each; after that
	 * each word takes the free slot, then the pair of least loss is merged
	 * and the slot it frees is the next word's.
	 */
	{
		int freeslot = S - 1;

		for (w = 0; w < nwords; w++) {
			int a, b;

			if (w < S - 1) {
				add_word(w, w);
				continue;
			}
			add_word(w, freeslot);
			check();
			best(&a, &b);
			merge(a, b);
			freeslot = b;
			if ((w + 1) % 1000 == 0)
				fprintf(stderr, "%s: %d of %d words in, %.0f s\n",
				    prog, w + 1, nwords, now() - t0);
		}
	}

	/* the leaves: each active cluster at the end of the first phase */
	nodes = xcalloc(2 * (size_t)S, sizeof *nodes);
	nodeof = xcalloc(S, sizeof *nodeof);
	nleaves = 0;
	for (i = 0; i < nslots; i++) {
		s = slots[i];
		nodes[nleaves].child[0] = nodes[nleaves].child[1] = -1;
		nodeof[s] = nleaves;
		for (w = head[s]; w >= 0; w = words[w].next)
			words[w].leaf = nleaves;
		nleaves++;
	}
	nnodes = nleaves;

	/* second phase: merge down to one cluster for the bit strings */
	while (nslots > 1) {
		int a, b;

		check();
		best(&a, &b);
		nodes[nnodes].child[0] = nodeof[a];
		nodes[nnodes].child[1] = nodeof[b];
		merge(a, b);
		nodeof[a] = nnodes++;
	}

	leafbits = xcalloc(nnodes, sizeof *leafbits);
	path = xcalloc(nnodes + 1, 1);
	walk(nodes, nnodes - 1, path, 0);
	out = xcalloc(nwords, sizeof *out);
	for (w = 0; w < nwords; w++) {
		out[w].bits = leafbits[words[w].leaf];
		out[w].w = &words[w];
	}
	qsort(out, nwords, sizeof *out, byout);
	for (w = 0; w < nwords; w++)
		printf("%s\t%s\t%ld\n", out[w].bits, out[w].w->s, out[w].w->count);
	if (fflush(stdout) != 0 || ferror(stdout))
		die("standard output: %s", strerror(errno));
	fprintf(stderr, "%s: %d clusters, %.0f s\n", prog, nleaves, now() - t0);
	return 0;
}
