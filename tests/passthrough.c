/*
 * passthrough: the record library alone, for tests and benchmarks.  It
 * reads records and writes them back; --rewrite replaces the field with
 * its own unescaped text (exercising unescape and escape), --set owns a
 * key and sets it to a raw JSON value, --hold keeps a window of records
 * back before writing them, and --skip-every drops records on purpose, so
 * the tests can check what rec_emit, rec_hold and rec_skip do.
 */
#include "compat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msg.h"
#include "rec.h"
#include "utf8.h"

enum { OPT_REWRITE = 256, OPT_SET, OPT_HOLD, OPT_HOLD_BYTES, OPT_SKIP_EVERY };

#define MAX_SETS 8

struct ctx {
	int rewrite;
	const char *set_key[MAX_SETS], *set_value[MAX_SETS];
	int nsets;
	uintmax_t hold, hold_bytes, skip_every;
};

static const struct cli_option options[] = {
	{ "hold", CLI_REQUIRED_ARG, OPT_HOLD, "N", "hold up to N records back before writing them" },
	{ "hold-bytes", CLI_REQUIRED_ARG, OPT_HOLD_BYTES, "N", "hold records back up to N bytes of lines" },
	{ "rewrite", CLI_NO_ARG, OPT_REWRITE, NULL, "write the field back from its unescaped text" },
	{ "set", CLI_REQUIRED_ARG, OPT_SET, "KEY=JSON", "own KEY and set it to the JSON value (repeatable)" },
	{ "skip-every", CLI_REQUIRED_ARG, OPT_SKIP_EVERY, "N", "drop every Nth record on purpose" },
	{ NULL, 0, 0, NULL, NULL }
};

static int
handle(int key, const char *arg, void *p)
{
	struct ctx *c = p;
	const char *eq;

	switch (key) {
	case OPT_REWRITE:
		c->rewrite = 1;
		return 0;
	case OPT_SET:
		if ((eq = strchr(arg, '=')) == NULL || eq == arg || c->nsets == MAX_SETS) {
			msg_warn("--set: '%s' is not KEY=JSON", arg);
			return -1;
		}
		c->set_key[c->nsets] = xstrdup(arg);
		((char *)c->set_key[c->nsets])[eq - arg] = '\0';
		c->set_value[c->nsets++] = eq + 1;
		return 0;
	case OPT_HOLD:
	case OPT_HOLD_BYTES:
	case OPT_SKIP_EVERY:
		if (cli_number(arg, 1, (uintmax_t)1 << 40, key == OPT_HOLD ? &c->hold :
		    key == OPT_HOLD_BYTES ? &c->hold_bytes : &c->skip_every) < 0) {
			msg_warn("'%s' is not a positive number", arg);
			return -1;
		}
		return 0;
	}
	return -1;
}

struct run {
	struct rec_stream *s;
	struct ctx *c;
	int set_index[MAX_SETS];
	struct buf fixed;
	uint64_t seen;
};

/* Write one record (held or in hand) with the edits the options ask for. */
static void
put(struct run *u, const struct rec *r)
{
	struct rec_edit e[REC_MAX_KEYS];
	int i;

	memset(e, 0, sizeof e);
	if (r->malformed) {
		rec_emit(u->s, r, NULL);
		return;
	}
	if (u->c->skip_every > 0 && ++u->seen % (uint64_t)u->c->skip_every == 0) {
		rec_skip(u->s, r);
		return;
	}
	if (u->c->rewrite && rec_text(u->s, r, 0, &e[0].text, &e[0].len) == 0 &&
	    !utf8_valid(e[0].text, e[0].len)) {
		/* rec_emit takes valid UTF-8 only. */
		buf_reset(&u->fixed);
		utf8_repair(&u->fixed, e[0].text, e[0].len);
		e[0].text = u->fixed.data;
		e[0].len = u->fixed.len;
	}
	for (i = 0; i < u->c->nsets; i++) {
		e[u->set_index[i]].text = u->c->set_value[i];
		e[u->set_index[i]].len = strlen(u->c->set_value[i]);
		e[u->set_index[i]].raw = 1;
	}
	rec_emit(u->s, r, e);
}

int
filter_main(int argc, char **argv)
{
	struct ctx c;
	const struct cli_spec spec = {
		"Copy records through the winnow record library unchanged.",
		"passthrough [-hz] [-f field] [-o file] [--hold n] [--rewrite] [--set key=json]\n"
		"       [--skip-every n] [file ...]",
		options, "zcat dump.jsonl.gz | passthrough > copy.jsonl", handle, &c, NULL
	};
	struct rec_opts o;
	struct run u;
	struct rec r;
	int first, i, status;

	memset(&c, 0, sizeof c);
	memset(&u, 0, sizeof u);
	buf_init(&u.fixed);
	rec_opts_init(&o);
	cli_parse(&spec, &o, argc, argv, &first);
	u.c = &c;
	u.s = rec_open(&o, argv + first, argc - first);
	for (i = 0; i < c.nsets; i++)
		u.set_index[i] = rec_key(u.s, c.set_key[i]);
	rec_hold_limits(u.s, (size_t)c.hold, (size_t)c.hold_bytes);
	while (rec_next(u.s, &r)) {
		if (c.hold == 0 && c.hold_bytes == 0) {
			put(&u, &r);
			continue;
		}
		while (rec_hold_full(u.s))
			put(&u, rec_held(u.s, 0));
		rec_hold(u.s, &r);
	}
	while (rec_nheld(u.s) > 0)
		put(&u, rec_held(u.s, 0));
	status = rec_close(u.s);
	buf_release(&u.fixed);
	for (i = 0; i < c.nsets; i++)
		free((char *)c.set_key[i]);
	return status;
}
