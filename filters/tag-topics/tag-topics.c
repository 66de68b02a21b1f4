/*
 * tag-topics: add to each record the topics its text is about, from a
 * taxonomy of weighted cues (taxonomy.c) or from a model trained on the
 * user's own labelled records (model.c).  This is the command line.
 */
#include "compat.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "buf.h"
#include "cli.h"
#include "dfile.h"
#include "json.h"
#include "model.h"
#include "msg.h"
#include "rec.h"
#include "taxonomy.h"
#include "terms.h"
#include "utf8.h"

enum {
	OPT_KEY = 256, OPT_TAXONOMY, OPT_ADD_TAXONOMY, OPT_TRAIN, OPT_LABELS, OPT_EPOCHS, OPT_TOP,
	OPT_MIN_SCORE, OPT_NO_PARENTS, OPT_EXPLAIN, OPT_ALSO, OPT_SOLVER, OPT_COST
};

#define MAX_FILES 16
#define EXPLAIN_CUES 8

static const struct cli_option options[] = {
	{ "add-taxonomy", CLI_REQUIRED_ARG, OPT_ADD_TAXONOMY, "FILE", "add the topics and cues of FILE (repeatable)" },
	{ "also", CLI_REQUIRED_ARG, OPT_ALSO, "FIELD", "read the string at FIELD too, e.g. title (repeatable, up to 7)" },
	{ "cost", CLI_REQUIRED_ARG, OPT_COST, "C", "with --train: liblinear's cost C, more fits the data closer (default: 2)" },
	{ "epochs", CLI_REQUIRED_ARG, OPT_EPOCHS, "N", "with --train --solver sgd: passes over the data (default: 25)" },
	{ "explain", CLI_NO_ARG, OPT_EXPLAIN, NULL, "give each taxonomy topic the cues that fired, strongest first" },
	{ "key", CLI_REQUIRED_ARG, OPT_KEY, "NAME", "add the topics at key NAME (default: topics)" },
	{ "labels", CLI_REQUIRED_ARG, OPT_LABELS, "KEY", "with --train: the labels are at KEY (default: topics)" },
	{ "min-score", CLI_REQUIRED_ARG, OPT_MIN_SCORE, "S", "report topics scoring S or more, 0 to 1 (default: 0.5)" },
	{ "model", CLI_REQUIRED_ARG, 'm', "FILE", "tag with the trained model of FILE; with --train, write it there" },
	{ "no-parents", CLI_NO_ARG, OPT_NO_PARENTS, NULL, "do not add the parents of the topics found" },
	{ "solver", CLI_REQUIRED_ARG, OPT_SOLVER, "NAME", "with --train: svm, lr, cs or sgd (default: svm)" },
	{ "taxonomy", CLI_REQUIRED_ARG, OPT_TAXONOMY, "FILE", "the taxonomy of FILE instead of the shipped one" },
	{ "top", CLI_REQUIRED_ARG, OPT_TOP, "K", "report the K best topics at most" },
	{ "train", CLI_REQUIRED_ARG, OPT_TRAIN, "FILE", "train a model on the labelled records of FILE (repeatable)" },
	{ NULL, 0, 0, NULL, NULL }
};

struct ctx {
	const char *key, *taxonomy, *model;
	char *add[MAX_FILES], *train[MAX_FILES];
	int nadd, ntrain;
	struct lm_train_opts tr;
	uintmax_t top;
	double min_score;
	int no_parents, explain, epochs_set, cost_set;
	/* The first option given that only tagging reads, and the first that
	 * only training reads, for the messages that refuse them. */
	const char *tag_opt, *train_opt;
	struct rec_opts *rec;
};

static int
add_file(char **list, int *n, const char *opt, const char *arg)
{
	if (*n == MAX_FILES) {
		msg_warn("--%s: at most %d files", opt, MAX_FILES);
		return -1;
	}
	list[(*n)++] = (char *)arg;
	return 0;
}

/* The names of --solver, by enum lm_solver. */
static const char *const solvers[] = { "svm", "lr", "cs", "sgd" };

static int
handle(int key, const char *arg, void *p)
{
	struct ctx *c = p;
	uintmax_t v;

	switch (key) {
	case OPT_KEY: case OPT_TOP: case OPT_MIN_SCORE: case OPT_NO_PARENTS: case OPT_EXPLAIN:
		if (c->tag_opt == NULL)
			c->tag_opt = cli_option_name(options, key);
		break;
	case OPT_LABELS: case OPT_SOLVER: case OPT_COST: case OPT_EPOCHS:
		if (c->train_opt == NULL)
			c->train_opt = cli_option_name(options, key);
		break;
	}
	switch (key) {
	case OPT_KEY:
		if (cli_field_name("--key", arg) < 0)
			return -1;
		c->key = arg;
		return 0;
	case OPT_ALSO:
		return cli_also(c->rec, arg);
	case OPT_TAXONOMY: c->taxonomy = arg; return 0;
	case OPT_ADD_TAXONOMY: return add_file(c->add, &c->nadd, "add-taxonomy", arg);
	case OPT_TRAIN: return add_file(c->train, &c->ntrain, "train", arg);
	case 'm': c->model = arg; return 0;
	case OPT_LABELS:
		if (cli_field_name("--labels", arg) < 0)
			return -1;
		c->tr.labels = arg;
		return 0;
	case OPT_NO_PARENTS: c->no_parents = 1; return 0;
	case OPT_EXPLAIN: c->explain = 1; return 0;
	case OPT_EPOCHS:
	case OPT_TOP:
		if (cli_number(arg, 1, 1000000, &v) < 0) {
			msg_warn("--%s: '%s' is not a whole number from 1", key == OPT_TOP ? "top" : "epochs",
			    arg);
			return -1;
		}
		if (key == OPT_TOP) {
			c->top = v;
		} else {
			c->tr.epochs = (unsigned)v;
			c->epochs_set = 1;
		}
		return 0;
	case OPT_SOLVER:
		for (v = 0; v < sizeof solvers / sizeof solvers[0]; v++)
			if (strcmp(arg, solvers[v]) == 0) {
				c->tr.solver = (enum lm_solver)v;
				return 0;
			}
		msg_warn("--solver: '%s' is not svm, lr, cs or sgd", arg);
		return -1;
	case OPT_COST:
		if (tx_decimal(arg, strlen(arg), &c->tr.cost) < 0 || !(c->tr.cost > 0) ||
		    c->tr.cost > 1e6) {
			msg_warn("--cost: '%s' is not a number over 0, up to 1000000", arg);
			return -1;
		}
		c->cost_set = 1;
		return 0;
	case OPT_MIN_SCORE:
		if (tx_decimal(arg, strlen(arg), &c->min_score) < 0 || c->min_score > 1) {
			msg_warn("--min-score: '%s' is not a number from 0 to 1", arg);
			return -1;
		}
		return 0;
	}
	return -1;
}

/* One topic of the output array. */
static void
add_topic(struct buf *out, const char *id, double score, int first)
{
	char num[32];

	if (!first)
		buf_adds(out, ", ");
	buf_adds(out, "{\"id\": ");
	json_escape(out, id, strlen(id));
	snprintf(num, sizeof num, ", \"score\": %.3f", score);
	buf_adds(out, num);
}

/* Each writes the array of topics to out and returns how many it holds. */
static size_t
taxonomy_topics(struct tx *x, const struct ctx *c, struct terms *t, const char *text,
    size_t len, struct tx_result *res, struct buf *out)
{
	size_t n = tx_score(x, t, text, len, c->min_score, c->no_parents, res), i, q, k;

	if (c->top > 0 && n > c->top)
		n = c->top;
	buf_addc(out, '[');
	for (i = 0; i < n; i++) {
		add_topic(out, tx_id(x, res[i].topic), res[i].score, i == 0);
		if (c->explain) {
			buf_adds(out, ", \"cues\": [");
			for (q = res[i].first_cue, k = 0; q != SIZE_MAX && k < EXPLAIN_CUES;
			    q = tx_cue_next(x, q), k++) {
				if (k > 0)
					buf_adds(out, ", ");
				json_escape(out, tx_cue_text(x, q), strlen(tx_cue_text(x, q)));
			}
			buf_addc(out, ']');
		}
		buf_addc(out, '}');
	}
	buf_addc(out, ']');
	return n;
}

static size_t
model_topics(struct lm *m, const struct ctx *c, struct terms *t, double *p, size_t *order,
    struct buf *out)
{
	size_t n = lm_nlabels(m), i, j, shown = 0;

	/* A text without a word, in any field, says nothing: no guess from
	 * the biases. */
	if (tm_no_words(t)) {
		buf_add(out, "[]", 2);
		return 0;
	}
	lm_predict(m, t, p);
	for (i = 0; i < n; i++)
		order[i] = i;
	/* Best first; ties in the model's order. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && p[order[j]] > p[order[j - 1]]; j--) {
			size_t tmp = order[j];

			order[j] = order[j - 1];
			order[j - 1] = tmp;
		}
	buf_addc(out, '[');
	for (i = 0; i < n; i++) {
		/* A single-label model always names its best label. */
		if (p[order[i]] < c->min_score && !(i == 0 && lm_single(m)))
			break;
		if (c->top > 0 && shown == c->top)
			break;
		add_topic(out, lm_label(m, order[i]), p[order[i]], shown++ == 0);
		buf_addc(out, '}');
	}
	buf_addc(out, ']');
	return shown;
}

/*
 * Options that do not go together: -1 after saying why, or 0.  Options
 * that would change nothing are refused as well, so that a user who
 * gives one is not left to think it did something.
 */
static int
refused(const struct ctx *c, const struct rec_opts *ro, int noperands)
{
	const char *why = NULL;

	if (c->ntrain > 0) {
		if (c->taxonomy != NULL || c->nadd > 0)
			why = "--train: a model is trained from labels, not from a taxonomy";
		else if (c->model == NULL)
			why = "--train: say where the model goes with -m FILE";
		else if (noperands > 0)
			why = "--train: file operands are not read when training; use --train FILE";
		else if (c->epochs_set && c->tr.solver != LM_SGD)
			why = "--epochs: only with --solver sgd";
		else if (c->cost_set && c->tr.solver == LM_SGD)
			why = "--cost: not with --solver sgd";
		else if (c->tag_opt != NULL) {
			msg_warn("--%s: not with --train, which tags no records", c->tag_opt);
			return -1;
		} else if (cli_refuse_training(ro) < 0)
			return -1;
		else if (ro->in_format != REC_JSON)
			why = "-F: not with --train, whose records are JSON Lines";
	} else if (c->train_opt != NULL) {
		msg_warn("--%s: only with --train", c->train_opt);
		return -1;
	} else if (c->model != NULL) {
		if (c->taxonomy != NULL || c->nadd > 0)
			why = "-m: a model and a taxonomy do not mix";
		else if (c->explain)
			why = "--explain: not with -m: a model has no cues to show";
		else if (c->no_parents)
			why = "--no-parents: not with -m: a model's labels have no parents";
	}
	if (why == NULL)
		return 0;
	msg_warn("%s", why);
	return -1;
}

/*
 * The model file to train into, opened before any training data is read,
 * so that a model that cannot be written is said at once; one that would
 * replace a training file is refused, for the run would lose the data.
 */
static struct af *
open_model(const struct ctx *c)
{
	struct af *af = af_open(c->model);
	int i;

	for (i = 0; i < c->ntrain; i++)
		af_refuse_input(af, c->train[i], "the model (-m)");
	return af;
}

int
filter_main(int argc, char **argv)
{
	struct rec_opts ro;
	struct ctx c;
	const struct cli_spec spec = {
		"Add to each record the topics its text is about: a key \"topics\", an array of\n"
		"{id, score} best first, from the shipped news taxonomy or a model trained on\n"
		"your own labels.",
		"tag-topics [-hz] [-f field] [-m model] [-o file] [--also field] [--key name]\n"
		"       [--taxonomy file] [--add-taxonomy file] [--top k] [--min-score s]\n"
		"       [--no-parents] [--explain] [file ...]\n"
		"       tag-topics --train file [--train file ...] -m model [-f field]\n"
		"       [--also field] [--labels key] [--solver name] [--cost c] [--epochs n]",
		options, "zcat clean.jsonl.gz | tag-topics | jq -c '[.id, [.topics[].id]]'\n"
		"  tag-topics --train labelled.jsonl --labels desk -m desks.model",
		handle, &c, NULL
	};
	struct rec_stream *s;
	struct rec r;
	struct tx *x = NULL;
	struct lm *m = NULL;
	struct terms t;
	struct tx_result *res = NULL;
	struct buf text, json;
	double *p = NULL;
	size_t *order = NULL;
	uint64_t *tagged, *topics, *no_text;
	size_t n;
	int first, key, i, status;

	memset(&c, 0, sizeof c);
	c.key = "topics";
	c.min_score = 0.5;
	c.tr.labels = "topics";
	c.tr.epochs = 25;
	c.tr.solver = LM_SVM;
	c.tr.cost = 2;
	rec_opts_init(&ro);
	c.rec = &ro;
	cli_parse(&spec, &ro, argc, argv, &first);
	if (refused(&c, &ro, argc - first) < 0)
		return MSG_EXIT_FATAL;
	if (c.ntrain > 0) {
		c.tr.fields = ro.fields;
		c.tr.nfields = ro.nfields;
		c.tr.verbose = ro.stats;
		lm_train(c.train, c.ntrain, &c.tr, open_model(&c));
		return MSG_EXIT_OK;
	}
	if (c.model != NULL) {
		m = lm_load(c.model);
		p = xmalloc(lm_nlabels(m) * sizeof *p);
		order = xmalloc(lm_nlabels(m) * sizeof *order);
	} else {
		char *path = c.taxonomy != NULL ? xstrdup(c.taxonomy) : df_path("tag-topics/taxonomy.txt");

		x = tx_new();
		tx_load(x, path);
		free(path);
		for (i = 0; i < c.nadd; i++)
			tx_load(x, c.add[i]);
		tx_finish(x);
		res = xmalloc((tx_ntopics(x) + 1) * sizeof *res);
	}
	tm_init(&t);
	buf_init(&text);
	buf_init(&json);
	s = rec_open(&ro, argv + first, argc - first);
	key = rec_key(s, c.key);
	tagged = rec_counter(s, "records_tagged");
	topics = rec_counter(s, "topics");
	no_text = rec_counter(s, "records_without_text");
	while (rec_next(s, &r)) {
		struct rec_edit e[REC_MAX_KEYS];
		size_t field_start[REC_MAX_FIELDS], field_end[REC_MAX_FIELDS];
		int any = 0;

		memset(e, 0, sizeof e);
		n = 0;
		buf_reset(&text);
		for (i = 0; i < ro.nfields; i++) {
			const char *f;
			size_t len, at = text.len;

			if (rec_text(s, &r, i, &f, &len) < 0)
				continue;
			if (any > 0)
				buf_addc(&text, '\n'), at++;
			if (utf8_valid(f, len))
				buf_add(&text, f, len);
			else
				utf8_repair(&text, f, len);
			field_start[any] = at;
			field_end[any++] = text.len;
		}
		buf_reset(&json);
		if (any == 0) {
			++*no_text;
			buf_adds(&json, "[]");
		} else {
			tm_text(&t, text.data + field_start[0], field_end[0] - field_start[0]);
			for (i = 1; i < any; i++)
				tm_add_field(&t, text.data + field_start[i], field_end[i] - field_start[i]);
			if (m != NULL)
				n = model_topics(m, &c, &t, p, order, &json);
			else
				n = taxonomy_topics(x, &c, &t, text.data, text.len, res, &json);
		}
		*tagged += n > 0;
		*topics += n;
		e[key].text = json.data;
		e[key].len = json.len;
		e[key].raw = 1;
		rec_emit(s, &r, e);
	}
	if (x != NULL)
		*rec_counter(s, "pattern_errors") = tx_pattern_errors(x);
	status = rec_close(s);
	tm_release(&t);
	buf_release(&text);
	buf_release(&json);
	tx_free(x);
	lm_free(m);
	free(res);
	free(p);
	free(order);
	return status;
}
