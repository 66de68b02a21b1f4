/*
 * libFuzzer target for the two trainers' input readers and the trainers:
 * extract-names' annotated documents (corpus.h: CoNLL columns or JSON
 * Lines with character offsets, told apart by content, read through
 * zlines) and its perceptron (train.h), and tag-topics' labelled records
 * and lm_train (model.h).  Both end the process on bad input, so each
 * input is a file read in a child process (tests/fuzz_child.h) that must
 * end with status 0, or 2 with its last line on stderr "fuzz_train:
 * FILE:" -- never a crash, a hang or a sanitizer report.  When the
 * refusal names a line, the line is one of the file's (uncompressed
 * input).
 *
 * The first byte of the input picks what reads the rest, by its low two
 * bits, and the higher bits pick options:
 *
 *   0  cp_next with the reference tags, as training and --dev read: in
 *      every document the tokens lie in order inside its text, are valid
 *      UTF-8 and are not empty; the first begins a sentence; the
 *      reference tags are tags and make well-formed names (tg_allowed,
 *      O at either end).  For plain input: one token per line that is
 *      not blank or -DOCSTART- (columns), or one document per line that
 *      is not blank (JSON).
 *   1  cp_next without them, as tagging -F conll reads: for a column
 *      file, the lines cp_write_tags writes back are the file's lines, in
 *      order (a '\r' before the '\n' cut off), each token's with its tag
 *      added (" O", " B-PER", ...) and the others as they were.
 *   2  tr_train, 1 pass (2 with bit 6), bit 2 a model that reads the
 *      history, bit 3 the file as --dev too, bit 4 two replicas, bit 5
 *      --min-count 1 (else 2).  A trained model is saved, loads again
 *      (tg_load) and tags a few sentences as the model in memory does,
 *      with tags that make well-formed names.
 *   3  lm_train: bits 2-3 the solver (svm, lr, cs, sgd with 2 epochs),
 *      bit 4 the labels at "desk" (else "topics"), bit 5 the text at
 *      "title" and "text" (else "text").  The model written loads again
 *      (lm_load): two labels at least, non-empty, UTF-8, and its
 *      probabilities for a few sentences are numbers in [0, 1], summing
 *      to 1 for a single-label model.
 *
 * GAZETTEER_PATH and CLUSTERS_PATH are the lexicon of the tests
 * (testdata/names-train/lexicon), loaded once before any child starts.
 */
#include "compat.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afile.h"
#include "buf.h"
#include "corpus.h"
#include "doc.h"
#include "lexicon.h"
#include "model.h"
#include "msg.h"
#include "fuzz_child.h"
#include "tagger.h"
#include "terms.h"
#include "train.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lx *lx;
static int opt;			/* the first byte */
static int plain;		/* the input is not gzip or zstd */
static unsigned long nlines;	/* its lines (plain) */
static size_t ntoken_lines;	/* not blank, not -DOCSTART- (plain) */
static size_t nfull_lines;	/* not blank (plain) */
static const uint8_t *in;	/* the input, in[0..insize) */
static size_t insize;

static const char sample[] =
    "Angela Merkel met Erna Solberg in Oslo on Monday. Merkel said Norway’s economy was strong.\n"
    "The Federal Aviation Administration (FAA) said flights to Berlin would resume.\n"
    "MERKEL WINS VOTE IN BERLIN\nPresident Pieter van der Berg of the Bank of England.\n"
    "The striker scored twice and the home team won the match; prices rose after a tariff.";

static WN_NORETURN void
die(const char *why)
{
	fprintf(stderr, "fuzz_train: %s\n", why);
	abort();
}

/* Blank as corpus.c has it: spaces and tabs only. */
static int
blank(const uint8_t *p, size_t n)
{
	while (n > 0 && (*p == ' ' || *p == '\t'))
		p++, n--;
	return n == 0;
}

/* The lines of the input as zlines cuts them, with a '\r' before the
 * '\n' cut off: line k (from 0) into *p, *n; 0 past the last. */
static int
input_line(unsigned long k, const uint8_t **p, size_t *n)
{
	const uint8_t *at = in, *end = in + insize, *nl;

	for (;;) {
		if (at == end)
			return 0;
		nl = memchr(at, '\n', (size_t)(end - at));
		if (k-- == 0)
			break;
		if (nl == NULL)
			return 0;
		at = nl + 1;
	}
	*p = at;
	*n = (size_t)((nl ? nl : end) - at);
	if (*n > 0 && at[*n - 1] == '\r')
		--*n;
	return 1;
}

/* What the checks of plain input expect: its lines, and those that hold
 * a token or a record. */
static void
count_lines(void)
{
	const uint8_t *p;
	size_t n;

	plain = !(insize >= 2 && in[0] == 0x1f && in[1] == 0x8b) &&
	    !(insize >= 4 && memcmp(in, "\x28\xb5\x2f\xfd", 4) == 0);
	ntoken_lines = nfull_lines = 0;
	for (nlines = 0; input_line(nlines, &p, &n); nlines++) {
		if (blank(p, n))
			continue;
		nfull_lines++;
		ntoken_lines += !(n >= 10 && memcmp(p, "-DOCSTART-", 10) == 0);
	}
}

/* The tags of d (with gold, the reference tags) make well-formed names. */
static void
check_tags(const struct nd_doc *d, int gold, const char *what)
{
	int prev = TG_O;
	size_t i;

	for (i = 0; i < d->n; i++) {
		int t = gold ? d->tok[i].gold : d->tok[i].tag;

		if (t >= TG_NTAGS || !tg_allowed(prev, t)) {
			fprintf(stderr, "fuzz_train: %s: tag %d after %d at token %zu\n", what, t,
			    prev, i);
			abort();
		}
		prev = t;
	}
	if (!tg_allowed(prev, TG_O))
		die("a name that does not end");
}

/* The tokens of d lie in order inside its text, valid and not empty. */
static void
check_tokens(const struct nd_doc *d)
{
	size_t i;

	if (d->n > 0 && !d->tok[0].sent_first)
		die("the first token begins no sentence");
	for (i = 0; i < d->n; i++) {
		const struct nd_tok *t = &d->tok[i];

		if (t->start >= t->end || t->end > d->len || (i > 0 && t->start < d->tok[i - 1].end))
			die("a token out of order, empty or outside the text");
		if (!utf8_valid(d->text + t->start, t->end - t->start))
			die("a token that is not UTF-8");
	}
}

/* Mode 0: read every document with its reference tags. */
static WN_NORETURN void
gold_child(void)
{
	struct cp_reader *r;
	struct nd_doc d;
	size_t ntok = 0, ndocs = 0;

	fc_child_start();
	r = cp_open(fc_path);
	nd_init(&d);
	while (cp_next(r, &d, 1)) {
		d.text = d.own.data;
		check_tokens(&d);
		check_tags(&d, 1, "a reference tag");
		ntok += d.n;
		ndocs++;
	}
	if (plain && cp_columns(r) && ntok != ntoken_lines)
		die("not one token per line of the column file");
	if (plain && !cp_columns(r) && ndocs > 0 && ndocs != nfull_lines)
		die("not one document per JSON line");
	cp_close(r);
	nd_release(&d);
	fc_child_end(0);
}

/* The tag cp_write_tags adds for tag t. */
static void
tag_column(struct buf *b, int t)
{
	static const char *const type[] = { "PER", "ORG", "LOC", "MISC" };

	buf_reset(b);
	if (t == TG_O) {
		buf_adds(b, " O");
		return;
	}
	buf_adds(b, TG_PART(t) == TG_B || TG_PART(t) == TG_U ? " B-" : " I-");
	buf_adds(b, type[TG_TYPE(t)]);
}

/* Mode 1: read without the reference tags; a column file's lines come
 * back, the tokens' with tags. */
static WN_NORETURN void
columns_child(void)
{
	struct cp_reader *r;
	struct nd_doc d;
	struct buf out, want;
	unsigned long k = 0;
	const uint8_t *p;
	size_t n;

	fc_child_start();
	r = cp_open(fc_path);
	nd_init(&d);
	buf_init(&out);
	buf_init(&want);
	while (cp_next(r, &d, 0)) {
		size_t i, at = 0;

		if (!cp_columns(r))
			continue;
		d.text = d.own.data;
		check_tokens(&d);
		for (i = 0; i < d.n; i++)
			d.tok[i].tag = (uint8_t)(i % 3 == 0 ? TG_O : TG_TAG(i % TG_NTYPES, i % 4));
		buf_reset(&out);
		cp_write_tags(r, &d, &out);
		if (!plain)
			continue;
		for (i = 0; at < out.len; k++) {
			const char *line = out.data + at, *nl = memchr(line, '\n', out.len - at);

			if (nl == NULL)
				die("cp_write_tags wrote a line without its '\\n'");
			if (!input_line(k, &p, &n))
				die("more lines written back than read");
			buf_reset(&want);
			if (!blank(p, n) && !(n >= 10 && memcmp(p, "-DOCSTART-", 10) == 0)) {
				if (i == d.n)
					die("more token lines than tokens");
				tag_column(&want, d.tok[i++].tag);
			}
			if ((size_t)(nl - line) != n + want.len || memcmp(line, p, n) != 0 ||
			    memcmp(line + n, want.data, want.len) != 0) {
				fprintf(stderr, "fuzz_train: line %lu written back as '%.*s'\n", k + 1,
				    (int)(nl - line), line);
				abort();
			}
			at = (size_t)(nl - out.data) + 1;
		}
		if (i != d.n)
			die("fewer token lines than tokens");
	}
	if (plain && cp_columns(r) && k != nlines)
		die("fewer lines written back than read");
	cp_close(r);
	nd_release(&d);
	buf_release(&out);
	buf_release(&want);
	fc_child_end(0);
}

/* Mode 2: train extract-names' tagger, save, load, tag. */
static WN_NORETURN void
names_child(void)
{
	struct tr_opts o;
	struct tg g, back;
	struct nd_doc d, d2;
	char *files[1];
	size_t i;

	fc_child_start();
	memset(&o, 0, sizeof o);
	o.iterations = opt >> 6 & 1 ? 2 : 1;
	o.history = opt >> 2 & 1;
	o.dev = opt >> 3 & 1 ? fc_path : NULL;
	o.replicas = opt >> 4 & 1 ? 2 : 1;
	o.min_count = opt >> 5 & 1 ? 1 : 2;
	files[0] = fc_path;
	tg_init(&g, lx);
	tr_train(&g, files, 1, &o);
	tg_save(&g, af_open(fc_outpath));
	tg_init(&back, lx);
	tg_load(&back, fc_outpath);
	nd_init(&d);
	nd_init(&d2);
	nd_text(&d, sample, sizeof sample - 1);
	nd_text(&d2, sample, sizeof sample - 1);
	tg_tag(&g, &d);
	tg_tag(&back, &d2);
	check_tags(&d2, 0, "a tag of the loaded model");
	for (i = 0; i < d.n; i++)
		if (d.tok[i].tag != d2.tok[i].tag)
			die("the model loaded tags otherwise than the model trained");
	fc_child_end(0);
}

/* Mode 3: train tag-topics' model, load it, predict. */
static WN_NORETURN void
topics_child(void)
{
	static const char *const fields[] = { "title", "text" };
	static const enum lm_solver solvers[] = { LM_SVM, LM_LR, LM_CS, LM_SGD };
	struct lm_train_opts o;
	struct terms t;
	struct lm *m;
	char *files[1];
	double *p, sum = 0;
	size_t k, n;

	fc_child_start();
	memset(&o, 0, sizeof o);
	o.solver = solvers[opt >> 2 & 3];
	o.labels = opt >> 4 & 1 ? "desk" : "topics";
	o.fields = opt >> 5 & 1 ? fields : fields + 1;
	o.nfields = opt >> 5 & 1 ? 2 : 1;
	o.cost = 2;
	o.epochs = 2;
	files[0] = fc_path;
	lm_train(files, 1, &o, af_open(fc_outpath));
	m = lm_load(fc_outpath);
	if ((n = lm_nlabels(m)) < 2)
		die("a model of fewer than two labels");
	for (k = 0; k < n; k++)
		if (*lm_label(m, k) == '\0' || !utf8_valid(lm_label(m, k), strlen(lm_label(m, k))))
			die("an empty label, or not UTF-8");
	tm_init(&t);
	tm_text(&t, sample, sizeof sample - 1);
	p = xmalloc(n * sizeof *p);
	lm_predict(m, &t, p);
	for (k = 0; k < n; k++) {
		if (!(p[k] >= 0 && p[k] <= 1))
			die("a probability that is not a number in [0, 1]");
		sum += p[k];
	}
	if (lm_single(m) && fabs(sum - 1) > 1e-6)
		die("a single-label model's probabilities do not sum to 1");
	fc_child_end(0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*const child[])(void) = { gold_child, columns_child, names_child, topics_child };
	static const char *const what[] = { "training data", "column file", "names training",
		"topics training" };

	if (size == 0)
		return 0;
	if (lx == NULL) {
		fc_setup("fuzz_train");
		lx = lx_load(GAZETTEER_PATH, CLUSTERS_PATH);
	}
	opt = data[0];
	in = data + 1;
	insize = size - 1;
	count_lines();
	fc_write(in, insize);
	if (fc_run(child[opt & 3], what[opt & 3]) != 0 && plain) {
		unsigned long line = fc_refused_line();

		if (line > nlines) {
			fprintf(stderr, "fuzz_train: the %s was refused at line %lu of %lu\n",
			    what[opt & 3], line, nlines);
			abort();
		}
	}
	return 0;
}
