/*
 * libFuzzer target for extract-names' model loader (tg_load): any bytes
 * as a model file must either load, after which tagging a few sentences
 * writes a well-formed JSON array, or be refused with a message and exit
 * status 2 -- never a crash, a hang or a sanitizer report.
 *
 * tg_load ends the process on a bad file (msg_fatal), so each input is
 * loaded in a child process: the parent writes the file, forks, and
 * checks how the child ended (0: loaded and tagged; 2: refused, with
 * "prog: FILE: " and a message on stderr).  In the child an atexit
 * handler, registered after libFuzzer's and so run first, turns the
 * fatal error's exit(2) into _exit(2), so libFuzzer does not take it for
 * the target exiting.
 *
 * Almost any bytes fail the header's checksum, so the first byte picks
 * how far in the input gets:
 *   0  the bytes are the whole file;
 *   1  they are the payload, behind a valid header;
 *   2  the same, with the payload's first 12 bytes set to the lexicon's
 *      digest and 17 tags, so the transitions, connectors and features
 *      are what is read.
 */
#include "compat.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bfile.h"
#include "buf.h"
#include "doc.h"
#include "lexicon.h"
#include "msg.h"
#include "fuzz_child.h"
#include "names.h"
#include "tagger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct bf_kind model_kind = { "WNNAMES", "names model", 1, 1 };
static struct lx *lx;

static const char sample[] =
    "Angela Merkel met Erna Solberg in Oslo on Monday. Merkel said Norway’s economy was strong.\n"
    "The Federal Aviation Administration (FAA) said flights to Berlin would resume.\n"
    "MERKEL WINS VOTE IN BERLIN\nPresident Pieter van der Berg of the Bank of England.";

static void
setup(void)
{
	fc_setup("fuzz_names_model");
	lx = lx_load(GAZETTEER_PATH, CLUSTERS_PATH);
}

/* In the child: load, tag, check the names; 0 when all went well. */
static WN_NORETURN void
child(void)
{
	struct nm_opts o = { 15, 1 };
	struct tg g;
	struct nd_doc d;
	struct buf out;
	json_error_t err;
	json_t *arr;
	fc_child_start();
	tg_init(&g, lx);
	tg_load(&g, fc_path);
	nd_init(&d);
	buf_init(&out);
	nd_text(&d, sample, sizeof sample - 1);
	tg_tag(&g, &d);
	nm_json(nm_new(lx), &d, &o, &out);
	if ((arr = json_loadb(out.data, out.len, JSON_ALLOW_NUL, &err)) == NULL || !json_is_array(arr)) {
		fprintf(stderr, "fuzz_names_model: not a JSON array (%s): %.*s\n", err.text,
		    (int)out.len, out.data);
		abort();
	}
	fc_child_end(0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf file;
	int mode;

	if (size == 0)
		return 0;
	if (lx == NULL)
		setup();
	mode = data[0] % 3;
	data++;
	size--;
	buf_init(&file);
	if (mode == 0) {
		buf_add(&file, data, size);
	} else {
		struct buf payload;

		buf_init(&payload);
		buf_add(&payload, data, size);
		if (mode == 2) {
			struct buf head;

			buf_init(&head);
			bf_put64(&head, lx_digest(lx));
			bf_put32(&head, TG_NTAGS);
			memcpy(payload.data, head.data, payload.len < 12 ? payload.len : 12);
			buf_release(&head);
		}
		bf_header(&file, &model_kind, 0, payload.data, payload.len);
		buf_add(&file, payload.data, payload.len);
		buf_release(&payload);
	}
	fc_write(file.data, file.len);
	buf_release(&file);
	fc_run(child, "model loader");
	return 0;
}
