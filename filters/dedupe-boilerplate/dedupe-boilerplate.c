/*
 * dedupe-boilerplate: remove what the web page had around the article
 * (navigation, share bars, captions, pull quotes, lines a site repeats on
 * every page) from the text of news records.  The detectors are in
 * dedupe.c; this is the command line and the window of records: a record
 * is held until the records after it have been counted, so that a line's
 * site count is known before its record is written.
 */
#include "compat.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "afile.h"
#include "buf.h"
#include "cli.h"
#include "classify.h"
#include "counts.h"
#include "dedupe.h"
#include "dfile.h"
#include "fprint.h"
#include "hugeheap.h"
#include "json.h"
#include "msg.h"
#include "rec.h"
#include "utf8.h"

enum {
	OPT_WINDOW = 256, OPT_WINDOW_MB, OPT_MIN_DOCS, OPT_GROUP, OPT_NO_SITE, OPT_NO_REPEATS,
	OPT_NO_MENUS, OPT_NO_TAIL, OPT_MARK, OPT_EXPLAIN, OPT_RULES, OPT_NO_RULES, OPT_STATE, OPT_STATE_MAX_MB,
	OPT_STATE_MAX_AGE, OPT_COUNT_ONLY, OPT_MERGE, OPT_TABLE, OPT_MODEL, OPT_NO_CLASSIFIER,
	OPT_CLASSIFIER
};

#define MAX_RULE_FILES 32

static const struct cli_option options[] = {
	{ "classifier", CLI_NO_ARG, OPT_CLASSIFIER, NULL, "let the line model judge every line, not only those outside the article" },
	{ "count-only", CLI_NO_ARG, OPT_COUNT_ONLY, NULL, "write no records: write the count table of the input to -o FILE" },
	{ "explain", CLI_NO_ARG, OPT_EXPLAIN, NULL, "print each decision on stderr" },
	{ "group", CLI_REQUIRED_ARG, OPT_GROUP, "FIELD", "the site of a record is its FIELD (default: the host of url, else source)" },
	{ "mark", CLI_NO_ARG, OPT_MARK, NULL, "keep the text; add \"boilerplate\": the lines judged and why" },
	{ "merge", CLI_NO_ARG, OPT_MERGE, NULL, "add up the count tables named as files into -o FILE" },
	{ "min-docs", CLI_REQUIRED_ARG, OPT_MIN_DOCS, "N", "a line in N records of a site is furniture (default: 3)" },
	{ "model", CLI_REQUIRED_ARG, OPT_MODEL, "FILE", "use the line model of FILE, not the shipped one" },
	{ "no-classifier", CLI_NO_ARG, OPT_NO_CLASSIFIER, NULL, "leave out the line model" },
	{ "no-menus", CLI_NO_ARG, OPT_NO_MENUS, NULL, "keep runs of short lines above and below the article (menus, lists of links)" },
	{ "no-tail", CLI_NO_ARG, OPT_NO_TAIL, NULL, "keep what follows the article's end (other stories' headlines and leads)" },
	{ "no-rules", CLI_NO_ARG, OPT_NO_RULES, NULL, "leave out the shipped rules (--rules files still apply)" },
	{ "no-repeats", CLI_NO_ARG, OPT_NO_REPEATS, NULL, "keep lines repeated within a record (copies, pull quotes)" },
	{ "no-site", CLI_NO_ARG, OPT_NO_SITE, NULL, "keep lines a site repeats across records" },
	{ "rules", CLI_REQUIRED_ARG, OPT_RULES, "FILE", "add the rules of FILE (repeatable, at most 32)" },
	{ "state", CLI_REQUIRED_ARG, OPT_STATE, "FILE", "load site counts from FILE at start, save them there at the end" },
	{ "state-max-age", CLI_REQUIRED_ARG, OPT_STATE_MAX_AGE, "RUNS", "forget lines no run has seen in RUNS runs (default: 60)" },
	{ "state-max-mb", CLI_REQUIRED_ARG, OPT_STATE_MAX_MB, "MB", "keep the site table, in memory and saved, under MB megabytes (default: 256)" },
	{ "table", CLI_REQUIRED_ARG, OPT_TABLE, "FILE", "judge by the counts of a count table, counting nothing" },
	{ "window", CLI_REQUIRED_ARG, OPT_WINDOW, "N", "hold up to N records for look-ahead (default: 1000)" },
	{ "window-mb", CLI_REQUIRED_ARG, OPT_WINDOW_MB, "MB", "and up to MB megabytes of them (default: 64)" },
	{ NULL, 0, 0, NULL, NULL }
};

enum { CL_OFF, CL_OUTSIDE, CL_EVERY_LINE };

struct ctx {
	struct dd_opts dd;
	const char *group;
	const char *rule_files[MAX_RULE_FILES];
	int nrule_files, no_shipped_rules;
	uintmax_t window, window_mb, min_docs, state_max_mb, state_max_age;
	const char *state, *table;
	const char *model;	/* NULL: the shipped one */
	int classifier;		/* the line model: CL_OFF, CL_OUTSIDE or CL_EVERY_LINE */
	int count_only, merge;
	int mark, explain;
};

/* A whole number of what from min for option opt, into *v. */
static int
count_option(const char *opt, const char *what, const char *arg, uintmax_t min, uintmax_t max,
    uintmax_t *v)
{
	if (cli_number(arg, min, max, v) == 0)
		return 0;
	msg_warn("%s: '%s' is not a number of %s from %ju", opt, arg, what, min);
	return -1;
}

static int
handle(int key, const char *arg, void *p)
{
	struct ctx *c = p;

	switch (key) {
	case OPT_EXPLAIN: c->explain = 1; return 0;
	case OPT_COUNT_ONLY: c->count_only = 1; return 0;
	case OPT_MERGE: c->merge = 1; return 0;
	case OPT_STATE: c->state = arg; return 0;
	case OPT_TABLE: c->table = arg; return 0;
	case OPT_STATE_MAX_MB:
		return count_option("--state-max-mb", "megabytes", arg, 1, (uintmax_t)1 << 30, &c->state_max_mb);
	case OPT_STATE_MAX_AGE:
		return count_option("--state-max-age", "runs", arg, 1, UINT32_MAX, &c->state_max_age);
	case OPT_MARK: c->mark = 1; return 0;
	case OPT_NO_REPEATS: c->dd.repeats = 0; return 0;
	case OPT_NO_SITE: c->dd.site = 0; return 0;
	case OPT_NO_MENUS: c->dd.menus = 0; return 0;
	case OPT_NO_TAIL: c->dd.tail = 0; return 0;
	case OPT_CLASSIFIER: c->classifier = CL_EVERY_LINE; return 0;
	case OPT_MODEL:
		c->model = arg;
		if (c->classifier == CL_OFF)
			c->classifier = CL_OUTSIDE;
		return 0;
	case OPT_NO_CLASSIFIER: c->classifier = CL_OFF; return 0;
	case OPT_NO_RULES: c->no_shipped_rules = 1; return 0;
	case OPT_RULES:
		if (c->nrule_files == MAX_RULE_FILES) {
			msg_warn("--rules: at most %d files", MAX_RULE_FILES);
			return -1;
		}
		c->rule_files[c->nrule_files++] = arg;
		return 0;
	case OPT_GROUP:
		if (*arg == '\0') {
			msg_warn("--group: the field name is empty");
			return -1;
		}
		c->group = arg;
		return 0;
	case OPT_MIN_DOCS:
		return count_option("--min-docs", "records", arg, 2, UINT32_MAX, &c->min_docs);
	case OPT_WINDOW:
		return count_option("--window", "records", arg, 1, (uintmax_t)1 << 30, &c->window);
	case OPT_WINDOW_MB:
		return count_option("--window-mb", "megabytes", arg, 1, (uintmax_t)1 << 30, &c->window_mb);
	}
	return -1;
}

/* About what a held news record takes, for hh_reserve: its copy, its
 * text, its lines and their words' hashes. */
#define HELD_BYTES (40 << 10)

/* What the filter keeps about a held record, in its rec_user bytes. */
struct held {
	struct dd_doc doc;
	const char *text;	/* NULL: the record has no text */
	size_t len;
	struct buf repaired;	/* the text, when it held bytes that are not UTF-8 */
};

static void
release_held(void *p)
{
	struct held *h = p;

	dd_doc_release(&h->doc);
	buf_release(&h->repaired);
}

struct run {
	struct ctx *c;
	struct rec_stream *s;
	struct dd *dd;
	int group_key, url_key, source_key, id_key, mark_key;
	struct buf out;
	uint64_t *emptied, *changed, *no_text;
};

/* A string value of key k, or NULL. */
static const char *
value(struct run *u, const struct rec *r, int k, size_t *len)
{
	const char *p;

	if (k < 0 || rec_text(u->s, r, k, &p, len) < 0)
		return NULL;
	return p;
}

/* The site of a record: --group, else the host of url, else source,
 * else the whole stream is one site. */
static uint64_t
site_of(struct run *u, const struct rec *r)
{
	const char *p;
	size_t n;

	if (u->c->group)
		return (p = value(u, r, u->group_key, &n)) ? fp_site_name(p, n) : fp_site_name("", 0);
	if ((p = value(u, r, u->url_key, &n)) != NULL)
		return fp_site_url(p, n);
	if ((p = value(u, r, u->source_key, &n)) != NULL)
		return fp_site_name(p, n);
	return fp_site_name("", 0);
}

/* Which record this is, so that the same article read again (tomorrow's
 * dump, or a second run) does not count twice: its url, else its id,
 * else its text. */
static uint64_t
identity(struct run *u, const struct rec *r, const char *text, size_t len)
{
	const struct json_span *sp;
	const char *p;
	size_t n;

	if ((p = value(u, r, u->url_key, &n)) != NULL)
		return XXH3_64bits_withSeed(p, n, 1);
	sp = &r->span[u->id_key];
	if (sp->kind != JSON_ABSENT)
		return XXH3_64bits_withSeed(r->line + sp->start, sp->end - sp->start, 2);
	return XXH3_64bits_withSeed(text, len, 3);
}

static void
explain(const struct rec *r, const struct held *h)
{
	size_t i;

	for (i = 0; i < h->doc.nlines; i++) {
		const struct dd_line *l = &h->doc.line[i];
		size_t n = l->end - l->start;

		if (l->why == DD_KEEP)
			continue;
		fprintf(stderr, "%s: %s:%" PRIu64 ": line %zu: %s", msg_prog, r->file, r->lineno,
		    i + 1, dd_why_name(l->why));
		if (l->why == DD_SITE)
			fprintf(stderr, " (%" PRIu32 " records)", l->site_count);
		fprintf(stderr, ": %.*s%s\n", (int)(n > 72 ? 72 : n), h->text + l->start,
		    n > 72 ? "..." : "");
	}
}

/* Ask the cache for p[0..n), which is read soon. */
static void
prefetch(const void *p, size_t n)
{
	const char *c = p;
	size_t i;

	for (i = 0; i < n; i += 64)
		__builtin_prefetch(c + i);
}

/*
 * Judge and write the oldest held record.  A record waits in the window
 * while hundreds come after it, and its text, lines and words are out of
 * the cache by then: the next one's are fetched while this one is judged.
 */
static void
flush_oldest(struct run *u)
{
	struct rec *r = rec_held(u->s, 0), *next = rec_held(u->s, 1);
	struct held *h = rec_user(r);
	struct rec_edit e[REC_MAX_KEYS];

	if (next != NULL) {
		const struct held *n = rec_user(next);

		prefetch(next->line, next->len);
		if (n->text != NULL) {
			prefetch(n->text, n->len);
			prefetch(n->doc.line, n->doc.nlines * sizeof *n->doc.line);
			prefetch(n->doc.word, n->doc.nwords * sizeof *n->doc.word);
		}
	}
	memset(e, 0, sizeof e);
	if (h->text != NULL) {
		dd_judge(u->dd, &h->doc, h->text, h->len);
		if (u->c->explain)
			explain(r, h);
		buf_reset(&u->out);
		if (u->c->mark) {
			dd_mark(u->dd, &h->doc, &u->out);
			e[u->mark_key].text = u->out.data;
			e[u->mark_key].len = u->out.len;
			e[u->mark_key].raw = 1;
		} else if (dd_rebuild(&h->doc, h->text, &u->out)) {
			e[0].text = u->out.data;
			e[0].len = u->out.len;
			*u->changed += 1;
			*u->emptied += u->out.len == 0;
		}
	}
	rec_emit(u->s, r, e);
}

/* --stats names of the lines each detector judged, by enum dd_why. */
static const char *const counter_names[DD_NWHY] = {
	[DD_SITE] = "lines_site", [DD_REPEAT] = "lines_repeat",
	[DD_PULLQUOTE] = "lines_pull_quote", [DD_LABEL] = "lines_label",
	[DD_MENU] = "lines_menu", [DD_RULE] = "lines_rule", [DD_CUT] = "lines_cut", [DD_CLASSIFIER] = "lines_classifier",
	[DD_TAIL] = "lines_tail"
};

/* --merge: add up the count tables named on the command line, the sum
 * kept under max_entries as a state is, so that the nightly sum of every
 * archive ever cleaned stays bounded. */
static int
merge_tables(const char *out, char **files, int nfiles, size_t max_entries)
{
	struct af *f = af_open(out);
	struct ct *sum = ct_new();
	int i;

	for (i = 0; i < nfiles; i++) {
		struct ct *t = ct_new();

		ct_load(t, files[i], &ct_table_kind);
		ct_merge(sum, t);
		ct_free(t);
		if (ct_size(sum) > max_entries + max_entries / 4)
			ct_age(sum, 0, max_entries);
	}
	if (ct_size(sum) > max_entries)
		ct_age(sum, 0, max_entries);
	ct_save(sum, f, &ct_table_kind);
	ct_free(sum);
	return MSG_EXIT_OK;
}

/* Options that make no sense together: a usage error, said why. */
static int
check_modes(const struct ctx *c, const struct rec_opts *ro, int nfiles)
{
	const char *why = NULL;

	if ((c->merge || c->count_only) && ro->output == NULL)
		why = c->merge ? "--merge writes a table: name it with -o" :
		    "--count-only writes a table: name it with -o";
	else if (c->merge && c->count_only)
		why = "--merge and --count-only are two different runs";
	else if (c->merge && nfiles == 0)
		why = "--merge: name the tables to add up";
	else if ((c->merge || c->count_only) && (c->mark || c->state || c->table))
		why = "--merge and --count-only write a table, not records (no --mark, --state, --table)";
	else if (c->table && c->state)
		why = "--table and --state: judge by a fixed table, or by counts that grow, not both";
	if (why)
		msg_warn("%s", why);
	return why ? -1 : 0;
}

/* The shipped rules (unless --no-rules) and every --rules file. */
static struct rl *
load_rules(const struct ctx *c)
{
	struct rl *rules = rl_new();
	int i;

	if (!c->no_shipped_rules) {
		char *path = df_path("dedupe-boilerplate/rules.txt");

		rl_load(rules, path);
		free(path);
	}
	for (i = 0; i < c->nrule_files; i++)
		rl_load(rules, c->rule_files[i]);
	return rules;
}

/* The line model: --model FILE or the shipped one, none with
 * --no-classifier (the last of them counting).  By default it judges only
 * the lines outside the article, above its head and below its visible
 * end: the corpora it learnt from leave titles, bylines and dates out of
 * their gold text, so on the article's own lines it would take them;
 * --classifier lets it judge every line. */
static struct cl *
load_model(const struct ctx *c)
{
	struct cl *cl;
	char *path;

	if (c->classifier == CL_OFF)
		return NULL;
	if (c->model)
		return cl_load(c->model);
	path = df_path("dedupe-boilerplate/model.txt");
	cl = cl_load(path);
	free(path);
	return cl;
}

int
filter_main(int argc, char **argv)
{
	struct ctx c;
	const struct cli_spec spec = {
		"Remove site furniture, captions, pull quotes and repeated lines from the text\n"
		"of news records.",
		"dedupe-boilerplate [-hz] [-f field] [-o file] [--classifier] [--group field]\n"
		"       [--mark] [--min-docs n] [--model file] [--rules file] [--state file]\n"
		"       [--window n] [file ...]\n"
		"       dedupe-boilerplate --count-only -o table [file ...]\n"
		"       dedupe-boilerplate --merge -o table table ...",
		options, "zcat dump.jsonl.gz | normalize | dedupe-boilerplate | gzip > clean.jsonl.gz\n"
		"  dedupe-boilerplate --state sites.state -o clean.jsonl.gz dump.jsonl.gz",
		handle, &c, NULL
	};
	struct rec_opts ro;
	struct run u;
	struct ct *table;
	struct rl *rules;
	struct cl *model;
	struct rec r;
	struct af *state_file = NULL, *table_file = NULL;
	int first, status;
	size_t i, max_entries;

	memset(&c, 0, sizeof c);
	memset(&u, 0, sizeof u);
	buf_init(&u.out);
	dd_opts_init(&c.dd);
	c.classifier = CL_OUTSIDE;
	c.window = 1000;
	c.window_mb = 64;
	c.state_max_mb = 256;
	c.state_max_age = 60;
	c.min_docs = c.dd.min_docs;
	rec_opts_init(&ro);
	cli_parse(&spec, &ro, argc, argv, &first);
	if (check_modes(&c, &ro, argc - first) < 0)
		return MSG_EXIT_FATAL;
	max_entries = (size_t)((c.state_max_mb << 20) / ct_entry_bytes());
	if (c.merge)
		return merge_tables(ro.output, argv + first, argc - first, max_entries);
	c.dd.min_docs = (uint32_t)c.min_docs;
	table = ct_new();
	if (c.state) {
		ct_load(table, c.state, &ct_state_kind);
		state_file = af_open(c.state);
	}
	/* Entries are stamped with the run that saw them, for ageing. */
	ct_set_run(table, ct_run(table) + 1);
	if (c.table) {
		ct_load(table, c.table, &ct_table_kind);
		c.dd.count = 0;
	}
	if (c.count_only) {
		/* -o names the table; no record is written anywhere. */
		table_file = af_open(ro.output);
		ro.output = "/dev/null";
		ro.gzip_level = ro.zstd_level = 0;
	}
	rules = load_rules(&c);
	model = c.count_only ? NULL : load_model(&c);
	u.c = &c;
	u.s = rec_open(&ro, argv + first, argc - first);
	u.group_key = c.group ? rec_key(u.s, c.group) : -1;
	u.url_key = rec_key(u.s, "url");
	u.source_key = rec_key(u.s, "source");
	u.id_key = rec_key(u.s, "id");
	u.mark_key = c.mark ? rec_key(u.s, "boilerplate") : -1;
	rec_hold_limits(u.s, (size_t)c.window, (size_t)c.window_mb << 20);
	if (!c.count_only)
		hh_reserve(c.window < (c.window_mb << 20) / HELD_BYTES ?
		    (size_t)c.window * HELD_BYTES : (size_t)c.window_mb << 20);
	rec_hold_user(u.s, sizeof(struct held), release_held);
	u.changed = rec_counter(u.s, "records_changed");
	u.emptied = rec_counter(u.s, "records_emptied");
	u.no_text = rec_counter(u.s, "records_without_text");
	u.dd = dd_new(&c.dd, table, rl_count(rules) ? rules : NULL);
	dd_set_classifier(u.dd, model, c.classifier == CL_EVERY_LINE ? DD_SCOPE_ALL : DD_SCOPE_OUTSIDE);
	while (rec_next(u.s, &r)) {
		struct rec *h;
		struct held *slot;

		while (rec_hold_full(u.s))
			flush_oldest(&u);
		h = rec_hold(u.s, &r);
		slot = rec_user(h);
		if (rec_text(u.s, h, 0, &slot->text, &slot->len) < 0) {
			slot->text = NULL;
			*u.no_text += !h->malformed;
		} else {
			/* The engine reads UTF-8: bytes that are not become U+FFFD
			 * here, as rec_emit writes them.  Only a line whose reading
			 * flagged such bytes can hold them (escapes unescape to
			 * valid UTF-8), and only its text is checked. */
			if ((h->flags & JSON_F_BADUTF8) && !utf8_valid(slot->text, slot->len)) {
				buf_reset(&slot->repaired);
				utf8_repair(&slot->repaired, slot->text, slot->len);
				slot->text = slot->repaired.data;
				slot->len = slot->repaired.len;
			}
			dd_parse(u.dd, &slot->doc, slot->text, slot->len, site_of(&u, h),
			    identity(&u, h, slot->text, slot->len));
			dd_count(u.dd, &slot->doc);
			/* The table is capped while the run lasts too, so memory
			 * is bounded whatever the input; a quarter more before
			 * pruning keeps the pruning rare. */
			if (ct_size(table) > max_entries + max_entries / 4)
				ct_age(table, 0, max_entries);
		}
		if (c.count_only)
			rec_skip(u.s, h);
	}
	while (rec_nheld(u.s) > 0)
		flush_oldest(&u);
	for (i = 0; i < DD_NWHY; i++)
		if (i != DD_KEEP)
			*rec_counter(u.s, counter_names[i]) = dd_counts(u.dd)[i];
	*rec_counter(u.s, "rule_errors") = rl_errors(rules);
	*rec_counter(u.s, "table_entries") = ct_size(table);
	status = rec_close(u.s);
	/* The counts of every record read are right whatever else failed,
	 * so the state is saved; a table is a run's output, below. */
	if (c.state) {
		ct_age(table, (uint32_t)c.state_max_age, max_entries);
		ct_save(table, state_file, &ct_state_kind);
	}
	/* Like -o: a table of an input not read whole replaces nothing. */
	if (table_file && status == MSG_EXIT_OK) {
		ct_save(table, table_file, &ct_table_kind);
	} else if (table_file) {
		msg_warn("%s: not written, since an input could not be read completely",
		    af_name(table_file));
		af_discard(table_file);
	}
	buf_release(&u.out);
	dd_free(u.dd);
	ct_free(table);
	rl_free(rules);
	cl_free(model);
	return status;
}
