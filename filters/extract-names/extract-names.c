/*
 * extract-names: add to each record the people, organisations and places
 * its text mentions.  The tagger (tagger.c) finds the names, names.c
 * groups them; this is the command line, and training (train.c).
 */
#include "compat.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afile.h"
#include "buf.h"
#include "cli.h"
#include "corpus.h"
#include "dfile.h"
#include "doc.h"
#include "lexicon.h"
#include "msg.h"
#include "names.h"
#include "rec.h"
#include "tagger.h"
#include "train.h"
#include "utf8.h"
#include "zio.h"

enum {
	OPT_KEY = 256, OPT_TYPES, OPT_SPANS, OPT_TRAIN, OPT_ITERATIONS, OPT_DEV, OPT_MIN_COUNT,
	OPT_GAZETTEER, OPT_CLUSTERS, OPT_NO_HISTORY, OPT_REPLICAS, OPT_THREADS
};

#define MAX_TRAIN_FILES 16
#define MAX_THREADS 16

static const struct cli_option options[] = {
	{ "clusters", CLI_REQUIRED_ARG, OPT_CLUSTERS, "FILE", "word clusters of FILE instead of the shipped ones" },
	{ "dev", CLI_REQUIRED_ARG, OPT_DEV, "FILE", "with --train: report F1 on FILE after every pass" },
	{ "gazetteer", CLI_REQUIRED_ARG, OPT_GAZETTEER, "FILE", "the gazetteer of FILE instead of the shipped one" },
	{ "iterations", CLI_REQUIRED_ARG, OPT_ITERATIONS, "N", "with --train: passes over the data (default: 8)" },
	{ "key", CLI_REQUIRED_ARG, OPT_KEY, "NAME", "add the names at key NAME (default: names)" },
	{ "min-count", CLI_REQUIRED_ARG, OPT_MIN_COUNT, "N", "with --train: leave out features seen under N times (default: 3)" },
	{ "model", CLI_REQUIRED_ARG, 'm', "FILE", "tag with the model of FILE; with --train, write it there" },
	{ "no-history", CLI_NO_ARG, OPT_NO_HISTORY, NULL, "with --train: a model that does not read how it tagged each word before" },
	{ "replicas", CLI_REQUIRED_ARG, OPT_REPLICAS, "N", "with --train: the model is the mean of N perceptrons (default: 4)" },
	{ "spans", CLI_NO_ARG, OPT_SPANS, NULL, "give each name its mentions' byte offsets in the text" },
	{ "threads", CLI_REQUIRED_ARG, OPT_THREADS, "N", "tag on N threads (default: 2)" },
	{ "train", CLI_REQUIRED_ARG, OPT_TRAIN, "FILE", "train a model on FILE (CoNLL columns or JSON Lines; repeatable)" },
	{ "types", CLI_REQUIRED_ARG, OPT_TYPES, "LIST", "the types to report, of person,org,place,misc (default: person,org,place)" },
	{ NULL, 0, 0, NULL, NULL }
};

struct ctx {
	const char *key, *model, *gazetteer, *clusters;
	char *train[MAX_TRAIN_FILES];
	int ntrain;
	struct tr_opts tr;
	struct nm_opts nm;
	size_t threads;
	int train_only;		/* the first option given that only training reads, or 0 */
	int tag_only;		/* the first option given that only tagging reads, or 0 */
};

static int
parse_types(const char *arg, unsigned *types)
{
	const char *p = arg;

	*types = 0;
	while (*p != '\0') {
		size_t n = strcspn(p, ","), t;

		for (t = 0; t < TG_NTYPES; t++)
			if (strlen(tg_type_name((int)t)) == n && strncmp(tg_type_name((int)t), p, n) == 0)
				break;
		if (t == TG_NTYPES) {
			msg_warn("--types: '%.*s' is not person, org, place or misc", (int)n, p);
			return -1;
		}
		*types |= 1u << t;
		p += n + (p[n] == ',');
	}
	if (*types == 0) {
		msg_warn("--types: the list is empty");
		return -1;
	}
	return 0;
}

static int
handle(int key, const char *arg, void *p)
{
	struct ctx *c = p;
	uintmax_t v;

	if (c->train_only == 0 && (key == OPT_DEV || key == OPT_ITERATIONS ||
	    key == OPT_MIN_COUNT || key == OPT_NO_HISTORY || key == OPT_REPLICAS))
		c->train_only = key;
	if (c->tag_only == 0 && (key == OPT_KEY || key == OPT_TYPES || key == OPT_SPANS ||
	    key == OPT_THREADS))
		c->tag_only = key;
	switch (key) {
	case OPT_KEY:
		if (cli_field_name("--key", arg) < 0)
			return -1;
		c->key = arg;
		return 0;
	case OPT_TYPES: return parse_types(arg, &c->nm.types);
	case OPT_SPANS: c->nm.spans = 1; return 0;
	case 'm': c->model = arg; return 0;
	case OPT_GAZETTEER: c->gazetteer = arg; return 0;
	case OPT_CLUSTERS: c->clusters = arg; return 0;
	case OPT_DEV: c->tr.dev = arg; return 0;
	case OPT_TRAIN:
		if (c->ntrain == MAX_TRAIN_FILES) {
			msg_warn("--train: at most %d files", MAX_TRAIN_FILES);
			return -1;
		}
		c->train[c->ntrain++] = (char *)arg;
		return 0;
	case OPT_NO_HISTORY:
		c->tr.history = 0;
		return 0;
	case OPT_ITERATIONS:
	case OPT_MIN_COUNT:
		if (cli_number(arg, 1, 1000, &v) < 0) {
			msg_warn("--%s: '%s' is not a number from 1 to 1000",
			    key == OPT_ITERATIONS ? "iterations" : "min-count", arg);
			return -1;
		}
		*(key == OPT_ITERATIONS ? &c->tr.iterations : &c->tr.min_count) = (unsigned)v;
		return 0;
	case OPT_THREADS:
		if (cli_number(arg, 1, MAX_THREADS, &v) < 0) {
			msg_warn("--threads: '%s' is not a number from 1 to %d", arg, MAX_THREADS);
			return -1;
		}
		c->threads = (size_t)v;
		return 0;
	case OPT_REPLICAS:
		if (cli_number(arg, 1, 64, &v) < 0) {
			msg_warn("--replicas: '%s' is not a number from 1 to 64", arg);
			return -1;
		}
		c->tr.replicas = (unsigned)v;
		return 0;
	}
	return -1;
}

/*
 * Options that do not go together: -1 after saying why, or 0.  An option
 * of one mode given in the other would change nothing, and is refused so
 * that a user who gives one is not left to think it did something.
 */
static int
refused(const struct ctx *c, const struct rec_opts *ro, int noperands)
{
	const char *why = NULL;

	if (c->ntrain == 0) {
		if (c->train_only == 0)
			return 0;
		msg_warn("--%s: only training reads it; use it with --train FILE",
		    cli_option_name(options, c->train_only));
		return -1;
	}
	if (c->model == NULL)
		why = "--train: say where the model goes with -m FILE";
	else if (noperands > 0)
		why = "--train: file operands are not read when training; use --train FILE";
	else if (c->tag_only != 0) {
		msg_warn("--%s: not with --train, which tags no records",
		    cli_option_name(options, c->tag_only));
		return -1;
	} else if (ro->in_format != REC_JSON)
		why = "-F: not with --train, which tells CoNLL columns from JSON Lines by their content";
	else if (strcmp(ro->fields[0], "text") != 0)
		why = "-f: not with --train, whose JSON Lines records have their text at \"text\"";
	else
		return cli_refuse_training(ro);
	msg_warn("%s", why);
	return -1;
}

/* A shipped data file unless the option named another. */
static char *
data_path(const char *option, const char *shipped)
{
	return option != NULL ? xstrdup(option) : df_path(shipped);
}

/* Tag column files into out: the CoNLL round trip (-F conll).  An input
 * that cannot be opened is reported and passed over, as records' are:
 * status 1. */
static int
tag_columns(struct tg *g, char **files, int nfiles, const struct rec_opts *ro)
{
	static char *std_input[] = { "-" };
	struct zout *out = zout_open(ro->output, ro->zstd_level ? ZIO_ZSTD :
	    ro->gzip_level ? ZIO_GZIP : ZIO_PLAIN, ro->zstd_level ? ro->zstd_level : ro->gzip_level);
	struct nd_doc d;
	struct buf b;
	int i, status = MSG_EXIT_OK;

	if (nfiles == 0) {
		files = std_input;
		nfiles = 1;
	}
	nd_init(&d);
	buf_init(&b);
	for (i = 0; i < nfiles; i++) {
		struct cp_reader *r;

		if (strcmp(files[i], "-") != 0 && access(files[i], R_OK) != 0) {
			char *name = msg_quote(files[i]);

			msg_warn("%s: %s", name, strerror(errno));
			free(name);
			status = MSG_EXIT_INPUT;
			continue;
		}
		r = cp_open(files[i]);
		while (cp_next(r, &d, 0)) {
			if (!cp_columns(r))
				msg_fatal_at(files[i], "-F conll reads the CoNLL column format");
			tg_tag(g, &d);
			buf_reset(&b);
			cp_write_tags(r, &d, &b);
			zout_write(out, b.data, b.len);
		}
		cp_close(r);
	}
	zout_close(out, 1);
	nd_release(&d);
	buf_release(&b);
	return status;
}

/*
 * Tagging on several threads.  Records are held (rec_hold) in batches of
 * up to BATCH per thread while more are ready to be read; the threads
 * take its records one at a time, each tagging with a tagger of its own
 * that shares the model and writing the names into the record's slot;
 * then the batch is written in order.  A record's names depend on its
 * text alone, so the output is the same on any number of threads.
 */
#define BATCH 32

/* What a thread keeps about a held record (rec_user). */
struct held {
	const char *text;	/* NULL: a malformed record, written as it came */
	size_t len;
	struct buf repaired, json;
	size_t names;
};

/* Records to tag, taken one at a time by whichever thread is free. */
struct job {
	struct held **held;
	size_t n;
	atomic_size_t next;
};

struct worker {
	struct tg g;
	struct nm *m;
	struct nd_doc d;
	const struct nm_opts *opts;
	struct job *job;	/* NULL when idle */
	int quit;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void
free_held(void *p)
{
	struct held *h = p;

	buf_release(&h->repaired);
	buf_release(&h->json);
}

static void
tag_held(struct worker *w, struct job *j)
{
	size_t i;

	while ((i = atomic_fetch_add(&j->next, 1)) < j->n) {
		struct held *h = j->held[i];

		if (h->text == NULL)
			continue;
		nd_text(&w->d, h->text, h->len);
		tg_tag(&w->g, &w->d);
		buf_reset(&h->json);
		h->names = nm_json(w->m, &w->d, w->opts, &h->json);
	}
}

static void *
work(void *arg)
{
	struct worker *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->job == NULL && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->job == NULL)
			break;
		pthread_mutex_unlock(&w->mu);
		tag_held(w, w->job);
		pthread_mutex_lock(&w->mu);
		w->job = NULL;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void
worker_init(struct worker *w, const struct tg *model, const struct lx *lx,
    const struct nm_opts *opts, int thread)
{
	memset(w, 0, sizeof *w);
	tg_init_shared(&w->g, model);
	w->m = nm_new(lx);
	nd_init(&w->d);
	w->opts = opts;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (thread)
		zio_start_thread(&w->thread, work, w);
}

static void
worker_release(struct worker *w, int thread)
{
	if (thread) {
		pthread_mutex_lock(&w->mu);
		w->quit = 1;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->thread, NULL);
	}
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	tg_release_shared(&w->g);
	nm_free(w->m);
	nd_release(&w->d);
}

static void
give(struct worker *w, struct job *job)
{
	pthread_mutex_lock(&w->mu);
	w->job = job;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void
wait_done(struct worker *w)
{
	pthread_mutex_lock(&w->mu);
	while (w->job != NULL)
		pthread_cond_wait(&w->cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

/* Hold a record: its text found (and made valid UTF-8) for the taggers. */
static void
hold(struct rec_stream *s, const struct rec *r, uint64_t *no_text)
{
	struct rec *kept = rec_hold(s, r);
	struct held *h = rec_user(kept);
	const char *text;
	size_t len;

	h->text = NULL;
	h->names = 0;
	if (kept->malformed)
		return;
	if (rec_text(s, kept, 0, &text, &len) < 0) {
		++*no_text;
		text = "";
		len = 0;
	} else if (!utf8_valid(text, len)) {
		buf_reset(&h->repaired);
		utf8_repair(&h->repaired, text, len);
		text = h->repaired.data;
		len = h->repaired.len;
	}
	h->text = text;
	h->len = len;
}

static int
tag_records(struct tg *g, const struct lx *lx, const struct ctx *c, struct rec_opts *ro,
    char **files, int nfiles)
{
	struct rec_stream *s = rec_open(ro, files, nfiles);
	int key = rec_key(s, c->key);
	uint64_t *no_text = rec_counter(s, "records_without_text");
	uint64_t *names = rec_counter(s, "names");
	struct worker w[MAX_THREADS];
	struct held *batch[MAX_THREADS * BATCH];
	struct job job;
	size_t i, n, t, nthreads = c->threads;
	struct rec r;
	int more = 1;

	rec_hold_user(s, sizeof(struct held), free_held);
	for (t = 0; t < nthreads; t++)
		worker_init(&w[t], g, lx, &c->nm, t > 0);
	while (more) {
		/* Hold what is ready, at least one record. */
		for (n = 0; n < nthreads * BATCH && (n == 0 || rec_ready(s)); n++) {
			if (!(more = rec_next(s, &r)))
				break;
			hold(s, &r, no_text);
			batch[n] = rec_user(rec_held(s, n));
		}
		job.held = batch;
		job.n = n;
		atomic_init(&job.next, 0);
		for (t = 1; t < nthreads && t < n; t++)
			give(&w[t], &job);
		tag_held(&w[0], &job);
		for (t = 1; t < nthreads && t < n; t++)
			wait_done(&w[t]);
		for (i = 0; i < n; i++) {
			struct rec_edit e[REC_MAX_KEYS];

			memset(e, 0, sizeof e);
			e[key].text = batch[i]->json.data;
			e[key].len = batch[i]->json.len;
			e[key].raw = 1;
			*names += batch[i]->names;
			rec_emit(s, rec_held(s, 0), e);
		}
	}
	for (t = 0; t < nthreads; t++)
		worker_release(&w[t], t > 0);
	return rec_close(s);
}

int
filter_main(int argc, char **argv)
{
	struct rec_opts ro;
	struct ctx c;
	const struct cli_spec spec = {
		"Add to each record the people, organisations and places its text mentions:\n"
		"a key \"names\", an array of {text, type, count, aliases} in order of first mention.",
		"extract-names [-hz] [-f field] [-F format] [-m model] [-o file] [--key name]\n"
		"       [--spans] [--threads n] [--types list] [file ...]\n"
		"       extract-names --train file [--train file ...] -m model [--dev file]\n"
		"       [--iterations n] [--min-count n] [--no-history] [--replicas n]",
		options, "zcat clean.jsonl.gz | extract-names | jq -r '.names[].text' | sort | uniq -c\n"
		"  extract-names --train my-news.conll --dev my-dev.conll -m my.model",
		handle, &c, "conll"
	};
	char *gazetteer, *clusters, *model;
	struct af *out = NULL;
	struct lx *lx;
	struct tg g;
	int first, i, status = MSG_EXIT_OK;

	memset(&c, 0, sizeof c);
	c.key = "names";
	c.tr.iterations = 8;
	c.tr.replicas = 4;
	c.threads = 2;
	c.tr.history = 1;
	c.tr.min_count = 3;
	c.nm.types = 1u << TG_PERSON | 1u << TG_ORG | 1u << TG_PLACE;
	rec_opts_init(&ro);
	cli_parse(&spec, &ro, argc, argv, &first);
	if (refused(&c, &ro, argc - first) < 0)
		return MSG_EXIT_FATAL;
	if (c.ntrain > 0) {
		/* Before any training data is read: a model that cannot be
		 * written fails at once, not after the training. */
		out = af_open(c.model);
		for (i = 0; i < c.ntrain; i++)
			af_refuse_input(out, c.train[i], "the model (-m)");
		if (c.tr.dev != NULL)
			af_refuse_input(out, c.tr.dev, "the model (-m)");
	}
	gazetteer = data_path(c.gazetteer, "extract-names/gazetteer.txt");
	clusters = data_path(c.clusters, "extract-names/clusters.txt");
	lx = lx_load(gazetteer, clusters);
	tg_init(&g, lx);
	if (c.ntrain > 0) {
		c.tr.verbose = ro.stats;
		tr_train(&g, c.train, c.ntrain, &c.tr);
		tg_save(&g, out);
	} else {
		model = data_path(c.model, "extract-names/names.model");
		tg_load(&g, model);
		free(model);
		if (ro.in_format == REC_OWN)
			status = tag_columns(&g, argv + first, argc - first, &ro);
		else
			status = tag_records(&g, lx, &c, &ro, argv + first, argc - first);
	}
	tg_release(&g);
	lx_free(lx);
	free(gazetteer);
	free(clusters);
	return status;
}
