/*
 * libFuzzer target for tag-topics' engine.  The first byte of the input
 * picks what the rest is (its value modulo 4):
 *
 *   0  a taxonomy file.  tx_load and tx_finish end the process on a bad
 *      file (df_error, msg_fatal), so it is read in a child process, as
 *      tests/fuzz_names_model.c loads models: the child must end with
 *      status 0 (read, and then a few sentences score well, see check)
 *      or 2 with "fuzz_topics: FILE" and a message on stderr -- never a
 *      crash, a hang or a sanitizer report;
 *   1  a text (made valid UTF-8, as the filter does), scored in this
 *      process against the small fixed taxonomy of testdata/topics
 *      (TAXONOMY_PATH); the second byte picks --min-score and
 *      --no-parents.  No crash, and check() holds;
 *   2  a model file, loaded in a child (lm_load is fatal on a bad file)
 *      that then predicts on a few sentences: status 0 or 2 only, and a
 *      refusal names the file;
 *   3  the same, the bytes being the payload behind a valid header, so
 *      that what is read past the checksum is what the fuzzer makes.
 *
 * check(): at most tx_ntopics results, each topic once, best first (ties
 * in the taxonomy's order), every score in (0, 1] and at least the
 * minimum asked for; unless no_parents, the parent of every result is a
 * result too, scoring at least as much; the cues listed belong to the
 * taxonomy (their text is a string) and end.  Scoring the same text
 * again gives the same results (no state leaks from one text into the
 * next).
 *
 * With FUZZ_TOPICS_STRICT=1 in the environment a model's probabilities
 * must also be numbers in [0, 1]; see tests/t-fuzz-topics.sh.
 */
#include "compat.h"

#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bfile.h"
#include "buf.h"
#include "model.h"
#include "msg.h"
#include "fuzz_child.h"
#include "taxonomy.h"
#include "terms.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* As model.c has it. */
static const struct bf_kind model_kind = { "WNTOPIC", "topics model", 2, 2 };
static struct tx *fixed;
static struct terms terms;
static struct tx_result *res, *again;
static int ready;

static const char sample[] =
    "Missile strikes and an air strike hit the port; the war went on.\n"
    "Prices rose 5 percent after a new tariff, and tariffs again.\n"
    "The striker scored and the goalkeeper saved a penalty kick.\n"
    "Heavy rain, snow and a thunderstorm are forecast; farmers lost the wheat harvest.\n"
    "Investors sold shares as the central bank raised interest rates.";

static void
die(const char *why, const char *text, size_t len)
{
	fprintf(stderr, "fuzz_topics: %s\n%.*s\n", why, (int)(len > 2000 ? 2000 : len), text);
	abort();
}

static void
setup(void)
{
	fc_setup("fuzz_topics");
	fixed = tx_new();
	tx_load(fixed, TAXONOMY_PATH);
	tx_finish(fixed);
	res = xmalloc((tx_ntopics(fixed) + 1) * sizeof *res);
	again = xmalloc((tx_ntopics(fixed) + 1) * sizeof *again);
	tm_init(&terms);
	ready = 1;
}

/* Check the n results r of scoring text against x (see the top). */
static void
check(const struct tx *x, const struct tx_result *r, size_t n, double min_score, int no_parents,
    const char *text, size_t len)
{
	size_t i, k, nt = tx_ntopics(x);

	if (n > nt)
		die("more results than topics", text, len);
	for (i = 0; i < n; i++) {
		size_t q;

		if (r[i].topic >= nt)
			die("a result that is no topic", text, len);
		if (!(r[i].score > 0 && r[i].score <= 1) || r[i].score < min_score)
			die("a score outside (0, 1] or below the minimum", text, len);
		if (i > 0 && (r[i].score > r[i - 1].score ||
		    (r[i].score == r[i - 1].score && r[i].topic <= r[i - 1].topic)))
			die("results not best first, ties in the taxonomy's order", text, len);
		for (k = 0; k < i; k++)
			if (r[k].topic == r[i].topic)
				die("a topic twice", text, len);
		if (!no_parents && tx_parent(x, r[i].topic) != SIZE_MAX) {
			size_t p = tx_parent(x, r[i].topic);

			if (p >= nt)
				die("a parent that is no topic", text, len);
			for (k = 0; k < n && r[k].topic != p; k++)
				;
			if (k == n || r[k].score < r[i].score)
				die("a subtopic without its parent at its score at least", text, len);
		}
		for (q = r[i].first_cue, k = 0; q != SIZE_MAX; q = tx_cue_next(x, q), k++)
			if (tx_cue_text(x, q) == NULL || k > 1000000)
				die("a cue list that does not end well", text, len);
	}
}

/* Score text[0..len) against x both ways and check; the same twice. */
static void
score_and_check(struct tx *x, const char *text, size_t len, double min_score, int no_parents)
{
	size_t n, n2, i;

	tm_text(&terms, text, len);
	n = tx_score(x, &terms, text, len, min_score, no_parents, res);
	check(x, res, n, min_score, no_parents, text, len);
	n2 = tx_score(x, &terms, text, len, min_score, no_parents, again);
	if (n2 != n)
		die("scoring again gave other results", text, len);
	for (i = 0; i < n; i++)
		if (again[i].topic != res[i].topic || again[i].score != res[i].score)
			die("scoring again gave other scores", text, len);
}

static WN_NORETURN void
taxonomy_child(void)
{
	struct tx *x;

	fc_child_start();
	x = tx_new();
	tx_load(x, fc_path);
	tx_finish(x);
	free(res);
	free(again);
	res = xmalloc((tx_ntopics(x) + 1) * sizeof *res);
	again = xmalloc((tx_ntopics(x) + 1) * sizeof *again);
	score_and_check(x, sample, sizeof sample - 1, 0.5, 0);
	score_and_check(x, sample, sizeof sample - 1, 0, 1);
	tx_free(x);
	fc_child_end(0);
}

static WN_NORETURN void
model_child(void)
{
	const char *strict = getenv("FUZZ_TOPICS_STRICT");
	struct lm *m;
	double *p;
	size_t k, n;

	fc_child_start();
	m = lm_load(fc_path);
	n = lm_nlabels(m);
	if (n < 2)
		die("a model of fewer than two labels", sample, 0);
	for (k = 0; k < n; k++)
		if (lm_label(m, k) == NULL || *lm_label(m, k) == '\0' ||
		    !utf8_valid(lm_label(m, k), strlen(lm_label(m, k))))
			die("an empty label, or not UTF-8", lm_label(m, k) ? lm_label(m, k) : "", 0);
	p = xmalloc(n * sizeof *p);
	tm_text(&terms, sample, sizeof sample - 1);
	lm_predict(m, &terms, p);
	if (strict != NULL && strcmp(strict, "1") == 0)
		for (k = 0; k < n; k++)
			if (!(p[k] >= 0 && p[k] <= 1))
				die("a probability that is not a number in [0, 1]", lm_label(m, k),
				    strlen(lm_label(m, k)));
	free(p);
	lm_free(m);
	fc_child_end(0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b;
	int mode;

	if (size == 0)
		return 0;
	if (!ready)
		setup();
	mode = data[0] % 4;
	data++;
	size--;
	buf_init(&b);
	switch (mode) {
	case 0:
		fc_write(data, size);
		fc_run(taxonomy_child, "taxonomy");
		break;
	case 1: {
		static const double mins[4] = { 0.5, 0, 0.25, 0.9 };
		int opt = size > 0 ? data[0] : 0;

		if (size > 0) {
			data++;
			size--;
		}
		utf8_repair(&b, (const char *)data, size);
		buf_addc(&b, '\0');
		b.len--;
		score_and_check(fixed, b.data, b.len, mins[opt & 3], opt >> 2 & 1);
		break;
	}
	case 2:
		fc_write(data, size);
		fc_run(model_child, "model");
		break;
	case 3:
		bf_header(&b, &model_kind, 0, data, size);
		buf_add(&b, data, size);
		fc_write(b.data, b.len);
		fc_run(model_child, "model");
		break;
	}
	buf_release(&b);
	return 0;
}
