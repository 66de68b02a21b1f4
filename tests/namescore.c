/*
 * namescore: the names extract-names finds, scored against a gold list,
 * document by document.
 *
 *	namescore [-hv] [-t types] gold output
 *
 * Both files are JSON Lines.  A gold line is {"id": ..., "names": [...]};
 * an output line is any record with an "id" and a "names" array (the
 * filter's output).  An element of "names" is an object with the strings
 * "text" and "type" (person, org, place or misc) and, optionally,
 * "aliases", an array of strings; other keys ("count") are ignored.
 * Records are matched by id (a string, or any other JSON value compared
 * as jansson prints it).  A gold record with no output record counts as
 * all misses; an output id that is not in the gold, an id twice in one
 * file, a line that is not such an object, or a name of another type
 * stops the run with "namescore: FILE:LINE: message" and status 2.
 * Blank lines are skipped.
 *
 * A gold line may instead carry a corpus's mentions, {"id": ...,
 * "entities": [{"type": "PER", "text": ...}, ...]} with the CoNLL types
 * PER, ORG, LOC and MISC: each distinct type and text is a gold name,
 * but the same text in other capitals is an alias of the first ("JAPAN"
 * in a headline of "Japan"), a one-word person that is the last word of
 * another person of the record is an alias of that one ("Merkel" of
 * "Angela Merkel"), and an acronym the text defines in brackets right
 * after a name of its type is an alias of that name ("Party of Democratic
 * Action ( SDA )"), as is one that spells the initials of the capitalised
 * words of a name of its type ("EU" of "European Union"), since a name
 * stands for one referent.
 *
 * Matching, within one record and one type: an output name matches a
 * gold name when its text equals the gold text or one of the gold
 * aliases, or the gold text equals one of its aliases.  Strings are
 * compared byte for byte after squeezing (runs of space, tab, CR and LF
 * made one space, the ends trimmed); no Unicode normalisation.  Each gold
 * name and each output name is matched at most once: first the pairs
 * whose texts are equal, then the rest in the order of the output.
 *
 * Output: with -v, first a line per miss (a gold name no output name
 * matched) and per false name (an output name that matched none), in
 * the order of the output file, then those of the gold records it lacks
 * (in id order):
 *
 *	miss ID TYPE TEXT
 *	false ID TYPE TEXT
 *
 * then a table: a row per type (misc only when a file has one, or when
 * -t names it) and "all", summed over those rows (micro average):
 *
 *	type     gold    out  match      P      R     F1
 *	person     12     10      9  0.900  0.750  0.818
 *
 * P = match / out, R = match / gold, F1 their harmonic mean; "-" when a
 * figure would divide by zero.  -t (--types) limits the scoring to the
 * types listed, comma-separated; names of the other types are ignored.
 */
#include "compat.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "msg.h"

enum { T_PERSON, T_ORG, T_PLACE, T_MISC, NTYPES };
static const char *const type_names[NTYPES] = { "person", "org", "place", "misc" };

struct name {
	int type;
	char *text;	/* squeezed */
	char **aliases;	/* squeezed */
	size_t naliases;
	int matched;
};

struct rec {
	char *id;
	struct name *names;
	size_t nnames;
	int seen;	/* an output record had this id */
};

struct count {
	unsigned long gold, out, match;
};

static int verbose;
static int wanted[NTYPES];
static struct count counts[NTYPES];

/* Where a message points: the file and its line number. */
static const char *cur_file;
static unsigned long cur_line;

WN_NORETURN static void bad(const char *fmt, ...) WN_PRINTF(1, 2);

static void
bad(const char *fmt, ...)
{
	char m[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	msg_fatal("%s:%lu: %s", cur_file, cur_line, m);
}

/* s with runs of white space made one space and the ends trimmed. */
static char *
squeeze(const char *s)
{
	char *r = xmalloc(strlen(s) + 1), *o = r;
	int gap = 0;

	for (; *s; s++) {
		if (strchr(" \t\r\n", *s)) {
			gap = 1;
			continue;
		}
		if (gap && o > r)
			*o++ = ' ';
		gap = 0;
		*o++ = *s;
	}
	*o = '\0';
	return r;
}

static char *
id_of(json_t *rec)
{
	json_t *id = json_object_get(rec, "id");

	if (id == NULL)
		bad("no \"id\"");
	if (json_is_string(id))
		return xstrdup(json_string_value(id));
	return json_dumps(id, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* The last word of s, or s. */
static const char *
last_word(const char *s)
{
	const char *sp = strrchr(s, ' ');

	return sp ? sp + 1 : s;
}

/* Make name i of nm[0..*n) an alias of name k, its aliases too, and
 * take it out. */
static void
make_alias(struct name *nm, size_t *n, size_t i, size_t k)
{
	size_t j;

	nm[k].aliases = xrealloc(nm[k].aliases,
	    (nm[k].naliases + 1 + nm[i].naliases) * sizeof (char *));
	nm[k].aliases[nm[k].naliases++] = nm[i].text;
	for (j = 0; j < nm[i].naliases; j++)
		nm[k].aliases[nm[k].naliases++] = nm[i].aliases[j];
	free(nm[i].aliases);
	nm[i] = nm[--*n];
}

/*
 * Gold from a corpus record's mentions, {"entities": [{"type": "PER",
 * "text": ...}]} (CoNLL types), in the order of the text: a name per
 * distinct type and text, except that an acronym defined in brackets
 * after the mention before it, of its type, is an alias of that one, and
 * so is an acronym spelling the initials of a name of its type; the
 * same text in other capitals ("JAPAN" in a headline, "Japan") is an
 * alias of the first; and a one-word person that is the last word of
 * another person's text in the record ("Merkel", "MERKEL" of "Angela
 * Merkel") is an alias of it, as extract-names groups them: one referent,
 * one name.
 */
/* Is acro an acronym ("SDA": 2 to 8 capital letters) that text defines in
 * brackets right after name ("Party of Democratic Action ( SDA )", or
 * without the blanks)? */
static int
defines_acronym(const char *text, const char *name, const char *acro)
{
	size_t n = strlen(acro), k;
	char *s;
	int found;

	if (n < 2 || n > 8)
		return 0;
	for (k = 0; k < n; k++)
		if (acro[k] < 'A' || acro[k] > 'Z')
			return 0;
	s = xmalloc(strlen(name) + n + 8);
	sprintf(s, "%s ( %s )", name, acro);
	found = strstr(text, s) != NULL;
	sprintf(s, "%s (%s)", name, acro);
	found |= strstr(text, s) != NULL;
	free(s);
	return found;
}

/* Does acro (2 to 8 capital letters) spell the initials of the
 * capitalised words of name ("EU" of "European Union")? */
static int
spells_initials(const char *acro, const char *name)
{
	size_t n = strlen(acro), k = 0;
	const char *p;

	if (n < 2 || n > 8 || strchr(name, ' ') == NULL)
		return 0;
	for (p = name; *p != '\0'; p++)
		if ((p == name || p[-1] == ' ') && *p >= 'A' && *p <= 'Z')
			if (k >= n || acro[k++] != *p)
				return 0;
	return k == n;
}

/* The index of the name of type and text in nm[0..n), or n. */
static size_t
find_name(const struct name *nm, size_t n, int type, const char *text)
{
	size_t k;

	for (k = 0; k < n && !(nm[k].type == type && strcmp(nm[k].text, text) == 0); k++)
		;
	return k;
}

static size_t
read_entities(json_t *arr, const char *text, struct name **names)
{
	static const char *const conll[NTYPES] = { "PER", "ORG", "LOC", "MISC" };
	size_t i, k, n = 0;
	json_t *e;
	struct name *nm;
	int type;

	*names = nm = xcalloc(json_array_size(arr) + 1, sizeof *nm);
	json_array_foreach(arr, i, e) {
		json_t *t = json_object_get(e, "type"), *x = json_object_get(e, "text");
		char *etext;

		if (!json_is_string(t) || !json_is_string(x))
			bad("entities[%zu] has no string \"type\" and \"text\"", i);
		for (type = 0; type < NTYPES; type++)
			if (strcmp(json_string_value(t), conll[type]) == 0)
				break;
		if (type == NTYPES)
			bad("entities[%zu]: type is not PER, ORG, LOC or MISC", i);
		etext = squeeze(json_string_value(x));
		if (find_name(nm, n, type, etext) < n) {
			free(etext);
			continue;
		}
		nm[n].type = type;
		nm[n++].text = etext;
	}
	for (i = 1; text != NULL && i < json_array_size(arr); i++) {
		json_t *prev = json_array_get(arr, i - 1), *cur = json_array_get(arr, i);
		const char *t = json_string_value(json_object_get(cur, "type"));
		size_t a;

		if (strcmp(t, json_string_value(json_object_get(prev, "type"))) != 0 ||
		    !defines_acronym(text, json_string_value(json_object_get(prev, "text")),
		    json_string_value(json_object_get(cur, "text"))))
			continue;
		for (type = 0; strcmp(t, conll[type]) != 0; type++)
			;
		a = find_name(nm, n, type, json_string_value(json_object_get(cur, "text")));
		k = find_name(nm, n, type, json_string_value(json_object_get(prev, "text")));
		if (a < n && k < n && a != k)
			make_alias(nm, &n, a, k);
	}
	for (i = 0; i < n; i++) {
		for (k = 0; k < n && !(k != i && nm[k].type == nm[i].type &&
		    spells_initials(nm[i].text, nm[k].text)); k++)
			;
		if (k < n)
			make_alias(nm, &n, i--, k);
	}
	for (i = 1; i < n; i++) {
		for (k = 0; k < i && !(nm[k].type == nm[i].type &&
		    strcasecmp(nm[k].text, nm[i].text) == 0); k++)
			;
		if (k < i)
			make_alias(nm, &n, i--, k);
	}
	for (i = 0; i < n; i++) {
		if (nm[i].type != 0 || strchr(nm[i].text, ' ') != NULL)
			continue;
		for (k = 0; k < n; k++)
			if (k != i && nm[k].type == 0 && strchr(nm[k].text, ' ') != NULL &&
			    strcasecmp(last_word(nm[k].text), nm[i].text) == 0)
				break;
		if (k < n)
			make_alias(nm, &n, i--, k);
	}
	return n;
}

static size_t
read_names(json_t *rec, struct name **names)
{
	json_t *arr = json_object_get(rec, "names"), *e, *v, *a;
	size_t i, j, n;
	struct name *nm;

	if (arr == NULL && json_is_array(json_object_get(rec, "entities")))
		return read_entities(json_object_get(rec, "entities"),
		    json_string_value(json_object_get(rec, "text")), names);
	if (!json_is_array(arr))
		bad("no \"names\" array");
	n = json_array_size(arr);
	*names = nm = xcalloc(n ? n : 1, sizeof *nm);
	json_array_foreach(arr, i, e) {
		if (!json_is_object(e))
			bad("names[%zu] is not an object", i);
		v = json_object_get(e, "type");
		if (!json_is_string(v))
			bad("names[%zu] has no string \"type\"", i);
		for (nm[i].type = 0; nm[i].type < NTYPES; nm[i].type++)
			if (strcmp(json_string_value(v), type_names[nm[i].type]) == 0)
				break;
		if (nm[i].type == NTYPES) {
			char *q = msg_quote(json_string_value(v));

			bad("names[%zu]: unknown type '%s'", i, q);
		}
		v = json_object_get(e, "text");
		if (!json_is_string(v))
			bad("names[%zu] has no string \"text\"", i);
		nm[i].text = squeeze(json_string_value(v));
		if (nm[i].text[0] == '\0')
			bad("names[%zu] has an empty \"text\"", i);
		a = json_object_get(e, "aliases");
		if (a == NULL)
			continue;
		if (!json_is_array(a))
			bad("names[%zu]: \"aliases\" is not an array", i);
		nm[i].naliases = json_array_size(a);
		nm[i].aliases = xcalloc(nm[i].naliases ? nm[i].naliases : 1, sizeof (char *));
		json_array_foreach(a, j, v) {
			if (!json_is_string(v))
				bad("names[%zu]: an alias is not a string", i);
			nm[i].aliases[j] = squeeze(json_string_value(v));
		}
	}
	return n;
}

static void
free_names(struct name *nm, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		free(nm[i].text);
		for (j = 0; j < nm[i].naliases; j++)
			free(nm[i].aliases[j]);
		free(nm[i].aliases);
	}
	free(nm);
}

/*
 * Call fn for each record of path: the parsed object, cur_file and
 * cur_line set for messages.
 */
static void
each_record(const char *path, void (*fn)(json_t *, void *), void *arg)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if (f == NULL)
		msg_fatal("%s: cannot open: %s", path, strerror(errno));
	cur_file = path;
	cur_line = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		json_error_t err;
		json_t *j;

		cur_line++;
		if (strspn(line, " \t\r\n") == (size_t)len)
			continue;
		if ((j = json_loadb(line, (size_t)len, 0, &err)) == NULL)
			bad("not JSON: %s", err.text);
		if (!json_is_object(j))
			bad("not a JSON object");
		fn(j, arg);
		json_decref(j);
	}
	if (ferror(f))
		msg_fatal("%s: read error: %s", path, strerror(errno));
	fclose(f);
	free(line);
}

struct gold {
	struct rec *v;
	size_t n, cap;
};

static void
add_gold(json_t *j, void *arg)
{
	struct gold *g = arg;
	struct rec *r;
	size_t i;

	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		g->v = xrealloc(g->v, g->cap * sizeof *g->v);
	}
	r = &g->v[g->n];
	memset(r, 0, sizeof *r);
	r->id = id_of(j);
	r->nnames = read_names(j, &r->names);
	for (i = 0; i < g->n; i++)
		if (strcmp(g->v[i].id, r->id) == 0) {
			char *q = msg_quote(r->id);

			bad("id '%s' again", q);
		}
	g->n++;
}

static int
has_alias(const struct name *n, const char *s)
{
	size_t i;

	for (i = 0; i < n->naliases; i++)
		if (strcmp(n->aliases[i], s) == 0)
			return 1;
	return 0;
}

static void
report(const char *what, const char *id, const struct name *n)
{
	if (verbose)
		printf("%s %s %s %s\n", what, id, type_names[n->type], n->text);
}

/* Score one record's names against its gold. */
static void
score(const char *id, struct name *gold, size_t ng, struct name *out, size_t no)
{
	size_t i, k;
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < no; i++)
			for (k = 0; k < ng && !out[i].matched; k++) {
				struct name *o = &out[i], *g = &gold[k];

				if (g->matched || g->type != o->type || !wanted[o->type])
					continue;
				if (strcmp(o->text, g->text) == 0 ||
				    (pass == 1 && (has_alias(g, o->text) || has_alias(o, g->text)))) {
					o->matched = g->matched = 1;
					counts[o->type].match++;
				}
			}
	for (i = 0; i < no; i++)
		if (wanted[out[i].type]) {
			counts[out[i].type].out++;
			if (!out[i].matched)
				report("false", id, &out[i]);
		}
	for (k = 0; k < ng; k++)
		if (wanted[gold[k].type]) {
			counts[gold[k].type].gold++;
			if (!gold[k].matched)
				report("miss", id, &gold[k]);
		}
}

static int
rec_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rec *)a)->id, ((const struct rec *)b)->id);
}

static void
add_output(json_t *j, void *arg)
{
	struct gold *g = arg;
	struct rec key, *r;
	struct name *out;
	size_t no;

	key.id = id_of(j);
	r = bsearch(&key, g->v, g->n, sizeof *g->v, rec_cmp);
	if (r == NULL || r->seen) {
		char *q = msg_quote(key.id);

		bad(r ? "id '%s' again" : "id '%s' is not in the gold", q);
	}
	r->seen = 1;
	no = read_names(j, &out);
	score(r->id, r->names, r->nnames, out, no);
	free_names(out, no);
	free(key.id);
}

static void
ratio(char *s, size_t n, unsigned long a, unsigned long b)
{
	if (b == 0)
		snprintf(s, n, "-");
	else
		snprintf(s, n, "%.3f", (double)a / (double)b);
}

static void
row(const char *label, const struct count *c)
{
	char p[16], r[16], f[16];

	ratio(p, sizeof p, c->match, c->out);
	ratio(r, sizeof r, c->match, c->gold);
	/* F1 = 2m / (gold + out) */
	if (c->match == 0)
		snprintf(f, sizeof f, "-");
	else
		ratio(f, sizeof f, 2 * c->match, c->gold + c->out);
	printf("%-6s %6lu %6lu %6lu %6s %6s %6s\n", label, c->gold, c->out, c->match, p, r, f);
}

WN_NORETURN static void
usage(void)
{
	fprintf(stderr, "usage: namescore [-hv] [-t types] gold output\n");
	exit(MSG_EXIT_FATAL);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "types", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct gold g = { NULL, 0, 0 };
	struct count all = { 0, 0, 0 };
	int c, t, chosen = 0;
	size_t i;

	msg_init(argv[0]);
	while ((c = getopt_long(argc, argv, "ht:v", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			printf("usage: namescore [-hv] [-t types] gold output\n");
			if (fflush(stdout) != 0 || ferror(stdout))
				msg_fatal("<stdout>: write error: %s", strerror(errno));
			return 0;
		case 't': {
			char *list = xstrdup(optarg), *tok, *save;

			for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				for (t = 0; t < NTYPES; t++)
					if (strcmp(tok, type_names[t]) == 0)
						break;
				if (t == NTYPES) {
					char *q = msg_quote(tok);

					msg_fatal("unknown type '%s' in --types", q);
				}
				wanted[t] = 1;
			}
			free(list);
			chosen = 1;
			break;
		}
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	if (!chosen)
		for (t = 0; t < NTYPES; t++)
			wanted[t] = 1;

	each_record(argv[optind], add_gold, &g);
	qsort(g.v, g.n, sizeof *g.v, rec_cmp);
	each_record(argv[optind + 1], add_output, &g);
	/* Gold records the output lacks: all misses. */
	for (i = 0; i < g.n; i++)
		if (!g.v[i].seen)
			score(g.v[i].id, g.v[i].names, g.v[i].nnames, NULL, 0);

	printf("%-6s %6s %6s %6s %6s %6s %6s\n", "type", "gold", "out", "match", "P", "R", "F1");
	for (t = 0; t < NTYPES; t++) {
		if (!wanted[t])
			continue;
		if (t == T_MISC && !chosen && counts[t].gold == 0 && counts[t].out == 0)
			continue;
		row(type_names[t], &counts[t]);
		all.gold += counts[t].gold;
		all.out += counts[t].out;
		all.match += counts[t].match;
	}
	row("all", &all);

	for (i = 0; i < g.n; i++) {
		free(g.v[i].id);
		free_names(g.v[i].names, g.v[i].nnames);
	}
	free(g.v);
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0)
		msg_fatal("<stdout>: write error: %s", strerror(errno));
	return 0;
}
