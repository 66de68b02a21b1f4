/*
 * topicsdata: the labelled sets make eval scores tag-topics on, built from
 * the corpora, and the scoring.
 *
 *	topicsdata reuters REUTERS.jsonl.gz OUTDIR
 *		the ModApte split of Reuters-21578 as R8 and R52 (documents
 *		with exactly one topic, among R8's eight, or among the topics
 *		that have single-topic documents in both halves) and top10 (every document with a topic among the 10
 *		most frequent training topics, with those of its topics):
 *		OUTDIR/{r8,r52,top10}.{train,test}.jsonl ({"id", "text",
 *		"topics"}, the text its title and body) and .ft (fastText's
 *		format: __label__ prefixes, then the text on one line); the
 *		counts on standard output
 *	topicsdata fasttext KEY IN OUT	fastText's format of the records of IN
 *		(JSON Lines), labelled by the string at KEY (make bench)
 *	topicsdata accuracy FILE	top-1 accuracy of "pred" against "topics"
 *	topicsdata microf1 FILE		micro-averaged F1 of the "pred" ids
 *	topicsdata setversion IN N OUT	IN, a winnow binary file (bfile.h),
 *		as format version N, its checksum made again: an older model
 *		for the tests
 *	topicsdata agnews FILE		AG News (label, pred from the shipped
 *		taxonomy): World is any of politics, conflict-war-peace,
 *		diplomacy, elections, terrorism, military; Sports sport;
 *		Business economy-business-finance; Sci/Tech science-technology;
 *		the best-scored of these decides, no topic is wrong
 *
 * A test program for make eval, not part of any filter.  Exit 2 with
 * "topicsdata: FILE:LINE: message" on a malformed line.
 */
#include "compat.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "bfile.h"
#include "msg.h"

struct doc {
	char *id, *text, *modapte;
	char **topics;
	size_t ntopics;
};

static int
has(char **list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

struct count {
	char *topic;
	size_t n;
};

static int
count_cmp(const void *a, const void *b)
{
	const struct count *p = a, *q = b;

	if (p->n != q->n)
		return p->n > q->n ? -1 : 1;
	return strcmp(p->topic, q->topic);
}

/* Topics by falling count over the documents of half (NULL: both) with
 * exactly one topic when single. */
static struct count *
count_topics(struct doc *d, size_t n, const char *half, int single, size_t *nc)
{
	struct count *c = NULL;
	size_t i, k, j;

	*nc = 0;
	for (i = 0; i < n; i++) {
		if ((half && strcmp(d[i].modapte, half) != 0) || (single && d[i].ntopics != 1))
			continue;
		for (k = 0; k < d[i].ntopics; k++) {
			for (j = 0; j < *nc && strcmp(c[j].topic, d[i].topics[k]) != 0; j++)
				;
			if (j == *nc) {
				c = xrealloc(c, (*nc + 1) * sizeof *c);
				c[j].topic = d[i].topics[k];
				c[j].n = 0;
				(*nc)++;
			}
			c[j].n++;
		}
	}
	qsort(c, *nc, sizeof *c, count_cmp);
	return c;
}

static FILE *
create(const char *dir, const char *name, const char *half, const char *ext)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s.%s.%s", dir, name, half, ext);
	if ((f = fopen(path, "w")) == NULL)
		msg_fatal_at(path, "cannot create");
	return f;
}

/* Write the documents of half whose topics (kept: those in keep) pass. */
static void
write_set(struct doc *d, size_t n, const char *dir, const char *name, char **keep, size_t nkeep,
    int single)
{
	static const char *const halves[] = { "train", "test" };
	size_t h, i, k;

	for (h = 0; h < 2; h++) {
		FILE *js = create(dir, name, halves[h], "jsonl"), *ft = create(dir, name, halves[h], "ft");
		size_t written = 0;

		for (i = 0; i < n; i++) {
			json_t *o, *a;
			char *line, *p;
			size_t kept = 0;

			if (strcmp(d[i].modapte, halves[h]) != 0 || (single && d[i].ntopics != 1))
				continue;
			a = json_array();
			for (k = 0; k < d[i].ntopics; k++)
				if (has(keep, nkeep, d[i].topics[k])) {
					json_array_append_new(a, json_string(d[i].topics[k]));
					fprintf(ft, "__label__%s ", d[i].topics[k]);
					kept++;
				}
			if (kept == 0) {
				json_decref(a);
				continue;
			}
			for (p = d[i].text; *p; p++)
				fputc(*p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p, ft);
			fputc('\n', ft);
			o = json_pack("{s:s, s:s, s:o}", "id", d[i].id, "text", d[i].text, "topics", a);
			line = json_dumps(o, JSON_COMPACT);
			fprintf(js, "%s\n", line);
			free(line);
			json_decref(o);
			written++;
		}
		if (fclose(js) != 0 || fclose(ft) != 0)
			msg_fatal("%s: write error", dir);
		printf("%s %s: %zu documents\n", name, halves[h], written);
	}
}

static const char *const r8[] = {
	"acq", "crude", "earn", "grain", "interest", "money-fx", "ship", "trade"
};

static void
reuters(const char *in, const char *dir)
{
	gzFile z = gzopen(in, "rb");
	struct doc *d = NULL;
	size_t n = 0, cap = 0, lineno = 0, nc, ns, i, k;
	char *line = xmalloc(1 << 24);
	struct count *c;
	char **keep = NULL;
	size_t nkeep = 0;

	if (z == NULL)
		msg_fatal_at(in, "cannot open");
	while (gzgets(z, line, 1 << 24) != NULL) {
		json_error_t err;
		json_t *o = json_loads(line, 0, &err), *t, *v;
		const char *title;
		size_t j;

		lineno++;
		if (o == NULL)
			msg_fatal("%s:%zu: %s", in, lineno, err.text);
		if (n == cap)
			d = xrealloc(d, (cap = cap ? 2 * cap : 4096) * sizeof *d);
		title = json_string_value(json_object_get(o, "title"));
		t = json_object_get(o, "text");
		d[n].id = xstrdup(json_string_value(json_object_get(o, "id")));
		d[n].modapte = xstrdup(json_string_value(json_object_get(o, "modapte")));
		d[n].text = xmalloc(strlen(title ? title : "") + strlen(json_string_value(t) ?
		    json_string_value(t) : "") + 2);
		sprintf(d[n].text, "%s\n%s", title ? title : "", json_string_value(t) ?
		    json_string_value(t) : "");
		t = json_object_get(o, "topics");
		d[n].ntopics = json_array_size(t);
		d[n].topics = xcalloc(d[n].ntopics + 1, sizeof *d[n].topics);
		json_array_foreach(t, j, v)
			d[n].topics[j] = xstrdup(json_string_value(v));
		json_decref(o);
		n++;
	}
	gzclose(z);
	free(line);
	/* R8: its eight topics, as the corpora's README names them. */
	write_set(d, n, dir, "r8", (char **)r8, 8, 1);
	/* R52: topics with single-topic documents in both halves. */
	nkeep = 0;
	c = count_topics(d, n, "train", 1, &nc);
	{
		struct count *t = count_topics(d, n, "test", 1, &ns);

		for (i = 0; i < nc; i++)
			for (k = 0; k < ns; k++)
				if (strcmp(c[i].topic, t[k].topic) == 0) {
					keep = xrealloc(keep, (nkeep + 1) * sizeof *keep);
					keep[nkeep++] = c[i].topic;
				}
		free(t);
	}
	printf("r52: %zu topics\n", nkeep);
	write_set(d, n, dir, "r52", keep, nkeep, 1);
	free(c);
	/* top10: the 10 most frequent topics of the training half. */
	nkeep = 0;
	c = count_topics(d, n, "train", 0, &nc);
	for (i = 0; i < 10 && i < nc; i++) {
		keep = xrealloc(keep, (nkeep + 1) * sizeof *keep);
		keep[nkeep++] = c[i].topic;
	}
	write_set(d, n, dir, "top10", keep, nkeep, 0);
	free(c);
	free(keep);
}

/* Call fn on each line of path, parsed. */
static void
each(const char *path, void (*fn)(json_t *, const char *, size_t))
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;

	if (f == NULL)
		msg_fatal_at(path, "cannot open");
	while (getline(&line, &cap, f) >= 0) {
		json_error_t err;
		json_t *o = json_loads(line, JSON_DECODE_INT_AS_REAL, &err);

		lineno++;
		if (o == NULL)
			msg_fatal("%s:%zu: %s", path, lineno, err.text);
		fn(o, path, lineno);
		json_decref(o);
	}
	free(line);
	fclose(f);
}

static size_t total, right, tp, fp, fn_;

static void
accuracy(json_t *o, const char *path, size_t lineno)
{
	json_t *gold = json_object_get(o, "topics"), *pred = json_object_get(o, "pred");
	const char *g = json_string_value(json_array_get(gold, 0));
	const char *p = json_string_value(json_object_get(json_array_get(pred, 0), "id"));

	if (g == NULL)
		msg_fatal("%s:%zu: no gold topic", path, lineno);
	total++;
	right += p != NULL && strcmp(g, p) == 0;
}

static void
microf1(json_t *o, const char *path, size_t lineno)
{
	json_t *gold = json_object_get(o, "topics"), *pred = json_object_get(o, "pred"), *v, *w;
	size_t i, j;

	if (!json_is_array(gold) || !json_is_array(pred))
		msg_fatal("%s:%zu: want \"topics\" and \"pred\" arrays", path, lineno);
	json_array_foreach(pred, i, v) {
		int hit = 0;

		json_array_foreach(gold, j, w)
			hit |= strcmp(json_string_value(w), json_string_value(json_object_get(v, "id"))) == 0;
		tp += hit;
		fp += !hit;
	}
	json_array_foreach(gold, j, w) {
		int hit = 0;

		json_array_foreach(pred, i, v)
			hit |= strcmp(json_string_value(w), json_string_value(json_object_get(v, "id"))) == 0;
		fn_ += !hit;
	}
}

static void
agnews(json_t *o, const char *path, size_t lineno)
{
	static const char *const world[] = {
		"politics", "conflict-war-peace", "diplomacy", "elections", "terrorism", "military"
	};
	const char *label = json_string_value(json_object_get(o, "label")), *best = NULL;
	json_t *pred = json_object_get(o, "pred"), *v;
	size_t i, k;

	if (label == NULL || !json_is_array(pred))
		msg_fatal("%s:%zu: want \"label\" and a \"pred\" array", path, lineno);
	/* pred is best first: the first topic of the four classes decides. */
	json_array_foreach(pred, i, v) {
		const char *id = json_string_value(json_object_get(v, "id"));

		for (k = 0; k < sizeof world / sizeof world[0]; k++)
			if (strcmp(id, world[k]) == 0)
				best = "World";
		if (strcmp(id, "sport") == 0)
			best = "Sports";
		if (strcmp(id, "economy-business-finance") == 0)
			best = "Business";
		if (strcmp(id, "science-technology") == 0)
			best = "Sci/Tech";
		if (best != NULL)
			break;
	}
	total++;
	right += best != NULL && strcmp(best, label) == 0;
}

static const char *ft_key;
static FILE *ft_out;

static void
to_fasttext(json_t *o, const char *path, size_t lineno)
{
	const char *label = json_string_value(json_object_get(o, ft_key));
	const char *text = json_string_value(json_object_get(o, "text")), *p;

	if (label == NULL || text == NULL)
		msg_fatal("%s:%zu: want strings at \"%s\" and \"text\"", path, lineno, ft_key);
	fprintf(ft_out, "__label__%s ", label);
	for (p = text; *p; p++)
		fputc(*p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p, ft_out);
	fputc('\n', ft_out);
}

/* Write IN again as version v to OUT. */
static void
setversion(const char *in, const char *v, const char *out)
{
	struct bf_kind k;
	struct buf b, file;
	FILE *f = fopen(in, "rb");
	char chunk[65536];
	size_t n;

	if (f == NULL)
		msg_fatal_at(in, "cannot open");
	buf_init(&file);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&file, chunk, n);
	fclose(f);
	if (file.len < BF_HEADER_SIZE)
		msg_fatal_at(in, "shorter than a header");
	memset(&k, 0, sizeof k);
	memcpy(k.magic, file.data, sizeof k.magic);
	k.version = (uint32_t)strtoul(v, NULL, 10);
	buf_init(&b);
	bf_header(&b, &k, bf_get32(file.data + 12), file.data + BF_HEADER_SIZE,
	    file.len - BF_HEADER_SIZE);
	buf_add(&b, file.data + BF_HEADER_SIZE, file.len - BF_HEADER_SIZE);
	if ((f = fopen(out, "wb")) == NULL || fwrite(b.data, 1, b.len, f) != b.len || fclose(f) != 0)
		msg_fatal_at(out, "write error");
	buf_release(&b);
	buf_release(&file);
}

int
main(int argc, char **argv)
{
	msg_init(argv[0]);
	if (argc == 5 && strcmp(argv[1], "fasttext") == 0) {
		ft_key = argv[2];
		if ((ft_out = fopen(argv[4], "w")) == NULL)
			msg_fatal_at(argv[4], "cannot create");
		each(argv[3], to_fasttext);
		if (fclose(ft_out) != 0)
			msg_fatal_at(argv[4], "write error");
	} else if (argc == 5 && strcmp(argv[1], "setversion") == 0) {
		setversion(argv[2], argv[3], argv[4]);
	} else if (argc == 4 && strcmp(argv[1], "reuters") == 0) {
		reuters(argv[2], argv[3]);
	} else if (argc == 3 && strcmp(argv[1], "accuracy") == 0) {
		each(argv[2], accuracy);
		printf("%zu of %zu, accuracy %.4f\n", right, total, total ? (double)right / total : 0);
	} else if (argc == 3 && strcmp(argv[1], "agnews") == 0) {
		each(argv[2], agnews);
		printf("%zu of %zu, accuracy %.4f\n", right, total, total ? (double)right / total : 0);
	} else if (argc == 3 && strcmp(argv[1], "microf1") == 0) {
		double p, r;

		each(argv[2], microf1);
		p = tp + fp ? (double)tp / (tp + fp) : 0;
		r = tp + fn_ ? (double)tp / (tp + fn_) : 0;
		printf("P %.4f R %.4f micro-F1 %.4f\n", p, r, p + r ? 2 * p * r / (p + r) : 0);
	} else {
		fprintf(stderr, "usage: topicsdata reuters IN.jsonl.gz DIR | fasttext KEY IN OUT | "
		    "accuracy FILE | microf1 FILE | agnews FILE | setversion IN N OUT\n");
		return 2;
	}
	return 0;
}
