/*
 * cli: the command line every filter shares.
 *
 * A filter describes itself and its own options in a struct cli_spec;
 * cli_parse adds the common options (-f, -F, --to, -o, -z, --gzip-level,
 * --on-error, --max-record-bytes, --stats, --progress, -h, --version),
 * parses argv with getopt_long, prints --help from the same tables, and
 * leaves the file operands in argv[*first..argc).
 */
#ifndef WINNOW_CLI_H
#define WINNOW_CLI_H

#include <stdint.h>

#include "rec.h"

/* has_arg values, as for getopt_long. */
enum { CLI_NO_ARG, CLI_REQUIRED_ARG, CLI_OPTIONAL_ARG };

struct cli_option {
	const char *name;	/* long name */
	int has_arg;
	int key;		/* short option letter, or a value >= 256 */
	const char *argname;	/* shown in --help, e.g. "FORM" */
	const char *help;
};

struct cli_spec {
	const char *summary;	/* one line: what the filter does */
	const char *usage;	/* the BSD usage line without "usage: " */
	const struct cli_option *options;	/* terminated by a zeroed entry */
	const char *example;	/* shown at the end of --help */
	/* Handle one of the filter's options; return -1 on a bad argument
	 * (after saying why with msg_warn). */
	int (*handle)(int key, const char *arg, void *ctx);
	void *ctx;
	/* Another name -F and --to take, for a format the filter reads and
	 * writes itself ("conll"): it sets both formats to REC_OWN.  NULL for
	 * none. */
	const char *own_format;
};

/* Parse argv; exits 0 after --help/--version, 2 on a usage error. */
void cli_parse(const struct cli_spec *spec, struct rec_opts *o, int argc, char **argv,
    int *first);

/*
 * cli_parse for a program that writes records but reads no records
 * (winnow-ingest reads folders): the common options about input records
 * (-f, -F, --to, --on-error, --max-record-bytes) are not taken, and
 * --help says operands (what the operands are, the exit status) where a
 * filter's says how files are read.
 */
void cli_parse_writer(const struct cli_spec *spec, const char *operands, struct rec_opts *o,
    int argc, char **argv, int *first);

/*
 * Each filter defines filter_main; the shared main (main.c) sets up the
 * program name and signals and then calls it.  Returns the exit status.
 */
int filter_main(int argc, char **argv);

/*
 * Parse arg, digits only (no blank, no sign), as a decimal number in
 * [min, max] into *v: 0, or -1 (and *v untouched) if it is not one.
 */
int cli_number(const char *arg, uintmax_t min, uintmax_t max, uintmax_t *v);

/*
 * For a run that trains a model (--train), which writes no records and
 * reads its training files itself: refuse the common options it would
 * not read (-o, -z, --gzip-level, --zstd, --to, --on-error,
 * --max-record-bytes, --progress), so that none given is passed over in
 * silence.  -1 after naming the first one given, or 0.  -f and -F are
 * the filter's to check: a trainer may read them.
 */
int cli_refuse_training(const struct rec_opts *o);

/*
 * --also FIELD: read the string at FIELD too, after o's fields: 0, or -1
 * after saying why (a bad name, or more than REC_MAX_FIELDS - 1 of them).
 */
int cli_also(struct rec_opts *o, const char *arg);

/*
 * Check that arg can name a top-level key, for an option opt such as
 * "-f": 0, or -1 after saying why with msg_warn.  Every option that
 * takes a field name goes through it, so they refuse the same names.
 */
int cli_field_name(const char *opt, const char *arg);

/*
 * The long name of the option of key in options, for messages; key must
 * be in the table.
 */
const char *cli_option_name(const struct cli_option *options, int key);

#endif
