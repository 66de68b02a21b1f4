#include "compat.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "dfile.h"
#include "msg.h"
#include "rx.h"
#include "uni.h"
#include "zio.h"

enum {
	OPT_GZIP_LEVEL = 1000, OPT_ON_ERROR, OPT_MAX_RECORD, OPT_STATS,
	OPT_PROGRESS, OPT_VERSION, OPT_TO, OPT_ZSTD
};

static const struct cli_option common[] = {
	{ "field", CLI_REQUIRED_ARG, 'f', "NAME", "work on the string at top-level key NAME (default: text)" },
	{ "format", CLI_REQUIRED_ARG, 'F', "FORMAT", "input format: json (JSON Lines, default) or text (a record a line)" },
	{ "to", CLI_REQUIRED_ARG, OPT_TO, "FORMAT", "output format: json (default) or text (the field's text, a record a line)" },
	{ "output", CLI_REQUIRED_ARG, 'o', "FILE", "write to FILE via a temporary file renamed into place at the end" },
	{ "gzip", CLI_NO_ARG, 'z', NULL, "gzip the output (implied by -o FILE.gz)" },
	{ "gzip-level", CLI_REQUIRED_ARG, OPT_GZIP_LEVEL, "N", "gzip level 1-9 (default: 1); alone, it turns gzip on" },
	{ "zstd", CLI_OPTIONAL_ARG, OPT_ZSTD, "N", "zstd the output, at level 1-19 (default: 1; implied by -o FILE.zst)" },
	{ "on-error", CLI_REQUIRED_ARG, OPT_ON_ERROR, "ACTION", "malformed records: pass (default), skip or fail" },
	{ "max-record-bytes", CLI_REQUIRED_ARG, OPT_MAX_RECORD, "N", "drop records longer than N bytes (default: no limit)" },
	{ "stats", CLI_NO_ARG, OPT_STATS, NULL, "print a JSON object of counts and speed on stderr at the end" },
	{ "progress", CLI_OPTIONAL_ARG, OPT_PROGRESS, "WHEN", "show progress on stderr when it is a terminal, or always" },
	{ "help", CLI_NO_ARG, 'h', NULL, "show this help and exit" },
	{ "version", CLI_NO_ARG, OPT_VERSION, NULL, "show the version and the libraries in use and exit" },
	{ NULL, 0, 0, NULL, NULL }
};

int
cli_number(const char *arg, uintmax_t min, uintmax_t max, uintmax_t *v)
{
	size_t n = strspn(arg, "0123456789");
	uintmax_t x;

	/* strtoumax alone would take leading blanks, a sign, and "-1" as
	 * its largest value. */
	if (n == 0 || arg[n] != '\0')
		return -1;
	errno = 0;
	x = strtoumax(arg, NULL, 10);
	if (errno || x < min || x > max)
		return -1;
	*v = x;
	return 0;
}

int
cli_field_name(const char *opt, const char *arg)
{
	if (*arg == '\0') {
		msg_warn("%s: the field name is empty", opt);
		return -1;
	}
	return 0;
}

const char *
cli_option_name(const struct cli_option *options, int key)
{
	const struct cli_option *o;

	for (o = options; o->key != key; o++)
		;
	return o->name;
}

/* Say that arg is no value for opt: "opt: 'arg' is not WHAT"; -1. */
static int
refuse(const char *opt, const char *arg, const char *what)
{
	char *q = msg_quote(arg);

	msg_warn("%s: '%s' is not %s", opt, q, what);
	free(q);
	return -1;
}

/* Is this common option about the records read, which a program that
 * reads no records (cli_parse_writer) does not take? */
static int
about_input(int key)
{
	return key == 'f' || key == 'F' || key == OPT_TO || key == OPT_ON_ERROR || key == OPT_MAX_RECORD;
}

static int
count(const struct cli_option *o)
{
	int n = 0;

	while (o && o[n].name)
		n++;
	return n;
}

static void
print_options(FILE *f, const struct cli_option *o, int reads_records)
{
	char left[64];

	for (; o && o->name; o++) {
		int n;

		if (!reads_records && about_input(o->key))
			continue;
		n = o->key < 256 ? snprintf(left, sizeof left, "-%c, --%s", o->key, o->name) :
		    snprintf(left, sizeof left, "    --%s", o->name);

		if (n >= (int)sizeof left)	/* a name longer than the column */
			n = (int)sizeof left - 1;
		if (o->argname)
			snprintf(left + n, sizeof left - (size_t)n,
			    o->has_arg == CLI_OPTIONAL_ARG ? "[=%s]" : "=%s", o->argname);
		fprintf(f, "  %-28s %s\n", left, o->help);
	}
}

/* operands: NULL for a filter, see cli_parse_writer. */
static void
help(const struct cli_spec *spec, const char *operands)
{
	int filter = operands == NULL;

	printf("usage: %s\n%s\n\nOptions of %s:\n", spec->usage, spec->summary, msg_prog);
	print_options(stdout, spec->options, 1);
	printf(filter ? "\nOptions of every winnow filter:\n" : "\nOptions winnow's programs share:\n");
	print_options(stdout, common, filter);
	if (filter && spec->own_format)
		printf("  (-F and --to also take %s, a format of %s's own)\n", spec->own_format, msg_prog);
	if (filter)
		printf("\nFiles are read in order as one stream; - or none is standard input.\n"
		    "gzip and zstd input are recognised by their content.  Exit status: 0 success, 1 an input\n"
		    "could not be read completely or --on-error=fail stopped, 2 usage or fatal error.\n");
	else
		printf("\n%s\n", operands);
	printf("\nExample:\n  %s\n", spec->example);
	if (fflush(stdout) != 0 || ferror(stdout))
		msg_fatal("<stdout>: write error: %s", strerror(errno));
	exit(MSG_EXIT_OK);
}

static WN_NORETURN void
usage(const struct cli_spec *spec)
{
	fprintf(stderr, "usage: %s\nTry '%s --help' for more information.\n", spec->usage, msg_prog);
	exit(MSG_EXIT_FATAL);
}

/* --version: the release, the libraries, and the folder of the shipped
 * data the program reads (when it has one), for bug reports and for
 * winnow-run, which cleans again when that data changes. */
static void
version(void)
{
	char *data = df_path(msg_prog);

	printf("%s (winnow) %s\nlibraries: %s, gzip backend %s, icu %s, pcre2 %s\n", msg_prog,
	    WN_VERSION, zio_versions(), zio_backend(), uni_icu_version(), rx_pcre2_version());
	if (access(data, F_OK) == 0)
		printf("data: %s\n", data);
	free(data);
	if (fflush(stdout) != 0 || ferror(stdout))
		msg_fatal("<stdout>: write error: %s", strerror(errno));
	exit(MSG_EXIT_OK);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int
common_option(const struct cli_spec *spec, int key, const char *arg, struct rec_opts *o, int *gzip,
    int *level, int *zstd)
{
	uintmax_t v;

	switch (key) {
	case 'f':
		if (cli_field_name("-f", arg) < 0)
			return -1;
		o->fields[0] = arg;
		return 0;
	case 'F':
	case OPT_TO:
		if (spec->own_format != NULL && strcmp(arg, spec->own_format) == 0) {
			o->in_format = o->out_format = REC_OWN;
			return 0;
		}
		if (strcmp(arg, "json") != 0 && strcmp(arg, "text") != 0) {
			char what[64];

			if (spec->own_format != NULL)
				snprintf(what, sizeof what, "json, text or %s", spec->own_format);
			else
				snprintf(what, sizeof what, "json or text");
			return refuse(key == 'F' ? "-F" : "--to", arg, what);
		}
		*(key == 'F' ? &o->in_format : &o->out_format) = arg[0] == 't' ? REC_TEXT : REC_JSON;
		return 0;
	case 'o':
		/* Refused now, before any input is read, not when it is opened. */
		if (*arg == '\0') {
			msg_warn("-o: the file name is empty");
			return -1;
		}
		o->output = arg;
		return 0;
	case 'z':
		*gzip = 1;
		return 0;
	case OPT_GZIP_LEVEL:
		if (cli_number(arg, 1, 9, &v) < 0)
			return refuse("--gzip-level", arg, "a level from 1 to 9");
		*level = (int)v;
		return 0;
	case OPT_ZSTD:
		if (arg && cli_number(arg, 1, 19, &v) < 0)
			return refuse("--zstd", arg, "a level from 1 to 19");
		*zstd = arg ? (int)v : 1;
		return 0;
	case OPT_ON_ERROR:
		if (strcmp(arg, "pass") == 0)
			o->on_error = REC_PASS;
		else if (strcmp(arg, "skip") == 0)
			o->on_error = REC_SKIP;
		else if (strcmp(arg, "fail") == 0)
			o->on_error = REC_FAIL;
		else
			return refuse("--on-error", arg, "pass, skip or fail");
		o->on_error_given = 1;
		return 0;
	case OPT_MAX_RECORD:
		if (cli_number(arg, 1, SIZE_MAX, &v) < 0)
			return refuse("--max-record-bytes", arg, "a positive number");
		o->max_record = (size_t)v;
		return 0;
	case OPT_STATS:
		o->stats = 1;
		return 0;
	case OPT_PROGRESS:
		if (arg == NULL || strcmp(arg, "auto") == 0)
			o->progress = 1;
		else if (strcmp(arg, "always") == 0)
			o->progress = 2;
		else
			return refuse("--progress", arg, "auto or always");
		return 0;
	}
	return 1;
}

static void
parse(const struct cli_spec *spec, const char *operands, struct rec_opts *o, int argc, char **argv,
    int *first)
{
	int nown = count(spec->options), ncommon = count(common), i, j, c, gzip = 0, level = 0, zstd = 0;
	struct option *longopts = xcalloc((size_t)(nown + ncommon + 1), sizeof *longopts);
	char shortopts[128];
	size_t ns = 0;

	for (i = j = 0; i < nown + ncommon; i++) {
		const struct cli_option *co = i < nown ? &spec->options[i] : &common[i - nown];

		if (i >= nown && operands != NULL && about_input(co->key))
			continue;
		longopts[j].name = co->name;
		longopts[j].has_arg = co->has_arg;
		longopts[j++].val = co->key;
		if (co->key < 256 && ns + 3 < sizeof shortopts) {
			shortopts[ns++] = (char)co->key;
			if (co->has_arg == CLI_REQUIRED_ARG)
				shortopts[ns++] = ':';
		}
	}
	shortopts[ns] = '\0';
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		int r = -1;

		/* Each way out frees the table first, so that no leak checker
		 * reports it. */
		if (c == 'h' || c == OPT_VERSION)
			free(longopts);
		if (c == 'h')
			help(spec, operands);
		if (c == OPT_VERSION)
			version();
		if (c != '?' && (r = common_option(spec, c, optarg, o, &gzip, &level, &zstd)) == 1)
			r = spec->handle ? spec->handle(c, optarg, spec->ctx) : -1;
		if (r < 0) {
			free(longopts);
			usage(spec);
		}
	}
	free(longopts);
	if (zstd && (gzip || level)) {
		msg_warn("--zstd: the output is gzip already (-z, --gzip-level)");
		usage(spec);
	}
	/* An option asked for says more than the output file's name. */
	if (zstd)
		o->zstd_level = zstd;
	else if (gzip || level || (o->output && ends_with(o->output, ".gz")))
		o->gzip_level = level ? level : 1;	/* --gzip-level alone asks for gzip too */
	else if (o->output && ends_with(o->output, ".zst"))
		o->zstd_level = 1;
	*first = optind;
}

void
cli_parse(const struct cli_spec *spec, struct rec_opts *o, int argc, char **argv, int *first)
{
	parse(spec, NULL, o, argc, argv, first);
}

void
cli_parse_writer(const struct cli_spec *spec, const char *operands, struct rec_opts *o,
    int argc, char **argv, int *first)
{
	parse(spec, operands, o, argc, argv, first);
}

int
cli_refuse_training(const struct rec_opts *o)
{
	const char *why = NULL;

	if (o->output != NULL)
		why = "-o: not with --train, which writes no records (the model goes to -m)";
	else if (o->gzip_level > 0 || o->zstd_level > 0)
		why = "-z, --gzip-level, --zstd: not with --train, which writes no records";
	else if (o->out_format != REC_JSON)
		why = "--to: not with --train, which writes no records";
	else if (o->on_error_given)
		why = "--on-error: not with --train: a malformed training record is a fatal error";
	else if (o->max_record > 0)
		why = "--max-record-bytes: not with --train, which reads every training record whole";
	else if (o->progress > 0)
		why = "--progress: not with --train; --stats reports the training on standard error";
	if (why == NULL)
		return 0;
	msg_warn("%s", why);
	return -1;
}

int
cli_also(struct rec_opts *o, const char *arg)
{
	if (cli_field_name("--also", arg) < 0)
		return -1;
	if (o->nfields == REC_MAX_FIELDS) {
		msg_warn("--also: at most %d fields", REC_MAX_FIELDS - 1);
		return -1;
	}
	o->fields[o->nfields++] = arg;
	return 0;
}
