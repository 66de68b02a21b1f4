/*
 * corpus: annotated text for training and scoring, a document at a time,
 * in either of two formats, told apart by the first line that is not
 * blank: JSON when it begins with '{' and, after blanks, '"' or '}',
 * else columns (where "{" may be a token):
 *
 *   the CoNLL column format: a token a line, its tag in the last column
 *   (IOB1 or IOB2, B-/I-/O, or BIOES; types PER ORG LOC MISC or person org
 *   place misc), a blank line between sentences, and "-DOCSTART-" lines
 *   between documents; tags that make no well-formed sequence are read
 *   as conlleval reads them;
 *
 *   JSON Lines: a record a document, {"text": "...", "entities": [{"type":
 *   "person", "start": 0, "end": 13}, ...]}, the offsets counting
 *   characters (code points) of the text; tokens are cut from the text as
 *   for records (doc.h) and a name must begin and end on token edges.
 *
 * In column files the tag column is needed only when the caller asks
 * for the reference tags.  Errors name FILE:LINE and exit 2.
 */
#ifndef NAMES_CORPUS_H
#define NAMES_CORPUS_H

#include "buf.h"
#include "doc.h"

struct cp_reader;

/* Open path ("-" for standard input), plain, gzip or zstd (zlines.h);
 * fatal when it cannot be opened, and at a read error or a truncated or
 * corrupt compressed file. */
struct cp_reader *cp_open(const char *path);
void cp_close(struct cp_reader *r);

/*
 * Read the next document into d, which then owns a copy of its text; with
 * gold, the reference tags go to tok[].gold (tagger.h).  Returns 1, or 0
 * at the end of the input.
 */
int cp_next(struct cp_reader *r, struct nd_doc *d, int gold);

/* Is the input in the column format? (Known after the first cp_next.) */
int cp_columns(const struct cp_reader *r);

/*
 * For a column file: append the document's lines as they were read, each
 * with the tag of its token (tok[].tag, as IOB2) added as a last column,
 * to out; blank and -DOCSTART- lines as they were.
 */
void cp_write_tags(const struct cp_reader *r, const struct nd_doc *d, struct buf *out);

#endif
