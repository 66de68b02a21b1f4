/*
 * normalize: repair and canonicalise the text of news records, so that
 * the filters after it see one spelling of each thing.  The work is done
 * by textnorm; this is the command line around it.
 */
#include "compat.h"

#include <stddef.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "msg.h"
#include "rec.h"
#include "textnorm.h"

enum {
	OPT_FORM = 256, OPT_TAGS, OPT_QUOTES, OPT_DASHES, OPT_TRANSLIT, OPT_CASEFOLD,
	OPT_ALSO, OPT_NO_ENCODING, OPT_NO_ENTITIES, OPT_NO_MOJIBAKE, OPT_NO_INVISIBLE,
	OPT_NO_SPACES, OPT_NO_GLUE
};

static const struct cli_option options[] = {
	{ "also", CLI_REQUIRED_ARG, OPT_ALSO, "FIELD", "normalise the string at FIELD too (repeatable, up to 7 fields)" },
	{ "casefold", CLI_NO_ARG, OPT_CASEFOLD, NULL, "fold case (ICU full case folding)" },
	{ "dashes", CLI_REQUIRED_ARG, OPT_DASHES, "WHICH", "ascii: en dashes to -, em dashes to --; keep (default)" },
	{ "form", CLI_REQUIRED_ARG, OPT_FORM, "FORM", "nfc (default), nfkc, nfkc_cf or none" },
	{ "no-encoding", CLI_NO_ARG, OPT_NO_ENCODING, NULL, "bytes that are not UTF-8 become U+FFFD, never Windows-1252" },
	{ "no-entities", CLI_NO_ARG, OPT_NO_ENTITIES, NULL, "leave HTML character references alone" },
	{ "no-glue", CLI_NO_ARG, OPT_NO_GLUE, NULL, "leave glued sentences (\"said.The\") alone" },
	{ "no-invisible", CLI_NO_ARG, OPT_NO_INVISIBLE, NULL, "keep control, zero-width and bidi characters" },
	{ "no-mojibake", CLI_NO_ARG, OPT_NO_MOJIBAKE, NULL, "leave mojibake (\"donâ€™t\") alone" },
	{ "no-spaces", CLI_NO_ARG, OPT_NO_SPACES, NULL, "leave white space and line ends alone" },
	{ "quotes", CLI_REQUIRED_ARG, OPT_QUOTES, "WHICH", "ascii: curly quotes, primes, guillemets to ASCII; keep (default)" },
	{ "tags", CLI_REQUIRED_ARG, OPT_TAGS, "WHICH", "strip HTML tags: known (default), all or none" },
	{ "translit", CLI_REQUIRED_ARG, OPT_TRANSLIT, "ID", "apply an ICU transliterator, e.g. 'Any-Latin; Latin-ASCII'" },
	{ NULL, 0, 0, NULL, NULL }
};
_Static_assert(REC_MAX_FIELDS - 1 == 7, "--also's help and normalize.1 say 7 fields");

struct ctx {
	struct tn_opts tn;
	struct rec_opts *rec;
};

static int
handle(int key, const char *arg, void *p)
{
	struct ctx *c = p;
	int v;

	switch (key) {
	case OPT_ALSO:
		return cli_also(c->rec, arg);
	case OPT_CASEFOLD: c->tn.casefold = 1; return 0;
	case OPT_TRANSLIT: c->tn.translit = arg; return 0;
	case OPT_NO_ENCODING: c->tn.encoding = 0; return 0;
	case OPT_NO_ENTITIES: c->tn.entities = 0; return 0;
	case OPT_NO_GLUE: c->tn.glue = 0; return 0;
	case OPT_NO_INVISIBLE: c->tn.invisible = 0; return 0;
	case OPT_NO_MOJIBAKE: c->tn.mojibake = 0; return 0;
	case OPT_NO_SPACES: c->tn.spaces = 0; return 0;
	case OPT_QUOTES:
	case OPT_DASHES:
		if (strcmp(arg, "ascii") != 0 && strcmp(arg, "keep") != 0) {
			msg_warn("--%s: '%s' is not ascii or keep", key == OPT_QUOTES ? "quotes" : "dashes", arg);
			return -1;
		}
		*(key == OPT_QUOTES ? &c->tn.quotes_ascii : &c->tn.dashes_ascii) = arg[0] == 'a';
		return 0;
	case OPT_FORM:
		if ((v = uni_form_parse(arg)) < 0) {
			msg_warn("--form: '%s' is not nfc, nfkc, nfkc_cf or none", arg);
			return -1;
		}
		c->tn.form = (enum uni_form)v;
		return 0;
	case OPT_TAGS:
		if (strcmp(arg, "known") == 0)
			c->tn.tags = TN_TAGS_KNOWN;
		else if (strcmp(arg, "all") == 0)
			c->tn.tags = TN_TAGS_ALL;
		else if (strcmp(arg, "none") == 0)
			c->tn.tags = TN_TAGS_NONE;
		else {
			msg_warn("--tags: '%s' is not known, all or none", arg);
			return -1;
		}
		return 0;
	}
	return -1;
}

/* The textnorm counts --stats reports, by name. */
#define COUNT(name, member) { name, offsetof(struct tn_counts, member) }
static const struct {
	const char *name;
	size_t offset;
} count_fields[] = {
	COUNT("cp1252_bytes", cp1252), COUNT("replaced_bytes", replaced),
	COUNT("entities", entities), COUNT("mojibake", mojibake), COUNT("tags", tags),
	COUNT("quotes", quotes), COUNT("dashes", dashes), COUNT("transliterated", translit),
	COUNT("casefolded", casefold), COUNT("invisible", invisible),
	COUNT("normalized", normalized), COUNT("spaces_fixed", spaces), COUNT("glued", glued),
	COUNT("pattern_errors", pattern_errors), COUNT("refused", refused)
};

/* Report a text refused by textnorm (too deeply nested repairs), the first
 * ten one by one: a crafted input may hold many. */
static void
report_refused(const struct rec *r, uint64_t nth)
{
	if (nth <= 10)
		msg_warn("%s:%llu: repairs nest more than %d rounds deep: only encoding and form fixed",
		    r->file, (unsigned long long)r->lineno, TN_MAX_ROUNDS);
	else if (nth == 11)
		msg_warn("further texts nested too deep are counted, not reported");
}
#undef COUNT

int
filter_main(int argc, char **argv)
{
	struct rec_opts ro;
	struct ctx c;
	const struct cli_spec spec = {
		"Repair and normalise the text of news records: encodings, mojibake, HTML\n"
		"entities and tags, Unicode forms, invisible characters, white space, and\n"
		"sentences glued together by scrapers.",
		"normalize [-hz] [-f field] [-F format] [-o file] [--also field] [--form form]\n"
		"       [--tags which] [--quotes ascii] [--dashes ascii] [--translit id] [file ...]",
		options, "zcat dump.jsonl.gz | normalize | gzip > clean.jsonl.gz\n"
		"  normalize --also title -o clean.jsonl.gz dump-a.jsonl.gz dump-b.jsonl.gz",
		handle, &c, NULL
	};
	struct buf extra[REC_MAX_FIELDS];
	uint64_t *changed, *no_text;
	struct rec_stream *s;
	struct tn *t;
	struct rec r;
	char err[256];
	int first, i, status;
	size_t k;

	for (i = 0; i < REC_MAX_FIELDS; i++)
		buf_init(&extra[i]);
	rec_opts_init(&ro);
	tn_opts_init(&c.tn);
	c.rec = &ro;
	cli_parse(&spec, &ro, argc, argv, &first);
	if ((t = tn_new(&c.tn, err, sizeof err)) == NULL) {
		msg_warn("%s", err);
		return MSG_EXIT_FATAL;
	}
	s = rec_open(&ro, argv + first, argc - first);
	changed = rec_counter(s, "records_changed");
	no_text = rec_counter(s, "records_without_text");
	while (rec_next(s, &r)) {
		struct rec_edit e[REC_MAX_KEYS];
		int any = 0;

		memset(e, 0, sizeof e);
		/* Field 0 last: its result can stay in textnorm's buffer. */
		for (i = ro.nfields - 1; i >= 0; i--) {
			const char *text, *out;
			size_t len, outlen;

			uint64_t refused = tn_counts(t)->refused;
			int did;

			if (rec_text(s, &r, i, &text, &len) < 0) {
				*no_text += i == 0;
				continue;
			}
			did = tn_run(t, text, len, &out, &outlen);
			if (tn_counts(t)->refused != refused)
				report_refused(&r, refused + 1);
			if (!did)
				continue;
			if (i > 0) {
				buf_reset(&extra[i]);
				buf_add(&extra[i], out, outlen);
				out = extra[i].data;
			}
			e[i].text = out;
			e[i].len = outlen;
			any = 1;
		}
		*changed += any;
		rec_emit(s, &r, e);
	}
	for (k = 0; k < sizeof count_fields / sizeof count_fields[0]; k++)
		*rec_counter(s, count_fields[k].name) =
		    *(const uint64_t *)((const char *)tn_counts(t) + count_fields[k].offset);
	status = rec_close(s);
	tn_free(t);
	for (i = 0; i < REC_MAX_FIELDS; i++)
		buf_release(&extra[i]);
	return status;
}
