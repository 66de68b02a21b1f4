/*
 * passthrough: the record library alone, for tests and benchmarks.  It
 * reads records and writes them back; --rewrite replaces the field with
 * its own unescaped text (exercising unescape and escape), --append adds a
 * member, so the tests can check what rec_emit writes.
 */
#include "compat.h"

#include <string.h>

#include "cli.h"
#include "rec.h"
#include "utf8.h"

enum { OPT_REWRITE = 256, OPT_APPEND };

struct ctx {
	int rewrite;
	const char *append;
};

static const struct cli_option options[] = {
	{ "rewrite", CLI_NO_ARG, OPT_REWRITE, NULL, "write the field back from its unescaped text" },
	{ "append", CLI_REQUIRED_ARG, OPT_APPEND, "JSON", "append these members to every record" },
	{ NULL, 0, 0, NULL, NULL }
};

static int
handle(int key, const char *arg, void *p)
{
	struct ctx *c = p;

	if (key == OPT_REWRITE)
		c->rewrite = 1;
	else if (key == OPT_APPEND)
		c->append = arg;
	else
		return -1;
	return 0;
}

int
filter_main(int argc, char **argv)
{
	struct ctx c = { 0, NULL };
	const struct cli_spec spec = {
		"Copy records through the winnow record library unchanged.",
		"passthrough [-hz] [-f field] [-o file] [--rewrite] [file ...]",
		options, "zcat dump.jsonl.gz | passthrough > copy.jsonl", handle, &c
	};
	struct rec_opts o;
	struct rec_stream *s;
	struct rec r;
	struct buf fixed = BUF_INIT;
	int first;

	rec_opts_init(&o);
	cli_parse(&spec, &o, argc, argv, &first);
	s = rec_open(&o, argv + first, argc - first);
	while (rec_next(s, &r)) {
		struct rec_edit e = { NULL, 0 };

		if (c.rewrite && rec_text(s, &r, 0, &e.text, &e.len) == 0 && !utf8_valid(e.text, e.len)) {
			/* rec_emit takes valid UTF-8 only. */
			buf_reset(&fixed);
			utf8_repair(&fixed, e.text, e.len);
			e.text = fixed.data;
			e.len = fixed.len;
		}
		rec_emit(s, &r, &e, c.append, c.append ? strlen(c.append) : 0);
	}
	buf_release(&fixed);
	return rec_close(s);
}
