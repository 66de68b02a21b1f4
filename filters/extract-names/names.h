/*
 * names: from tagged tokens to the names a record mentions, one entry per
 * referent, written as the JSON array extract-names adds:
 *
 *	[{"text": "Angela Merkel", "type": "person", "count": 3,
 *	  "aliases": ["Merkel"], "spans": [[0, 13], ...]}, ...]
 *
 * Mentions are grouped in the document: a person's surname alone joins the
 * full name it ends (before or after it), and counts as a person's
 * mention whatever type the tagger gave it, unless the gazetteer lists it
 * as a place; an acronym joins the name
 * whose initials it spells ("Federal Aviation Administration" and "FAA"),
 * or the name it follows in brackets ("Federal Public Ministry (MPF)");
 * the same text in any capitals is one name, of the type most of its
 * mentions were given.  The name's text is its longest form, the others
 * are its aliases in order of use, and names come in the order of their
 * first mention.  A title the tagger took into a person's name (a
 * gazetteer "title"), and a byline's "By", are left out; a mention in the
 * record's title counts only when the rest of the record or the gazetteer
 * confirms it.
 */
#ifndef NAMES_NAMES_H
#define NAMES_NAMES_H

#include "buf.h"
#include "doc.h"
#include "lexicon.h"

struct nm_opts {
	unsigned types;		/* bit t: report type t (tagger.h) */
	int spans;		/* add each name's byte spans */
};

struct nm;

struct nm *nm_new(const struct lx *lx);
void nm_free(struct nm *m);

/* Append the names of d (tagged) to out as a JSON array; returns how many. */
size_t nm_json(struct nm *m, const struct nd_doc *d, const struct nm_opts *o, struct buf *out);

#endif
