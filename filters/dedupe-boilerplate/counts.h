/*
 * counts: how many distinct records of a site hold each line, the memory
 * of the site-repetition detector.  A table maps a key (fp_key of a site
 * and a line fingerprint) to a count and the run that last saw it; it
 * lives in memory while a run lasts, and in a state file or a count
 * table between runs (see the table format in counts.c).
 *
 * A table owns its entries; ct_free releases them.
 */
#ifndef DEDUPE_COUNTS_H
#define DEDUPE_COUNTS_H

#include <stddef.h>
#include <stdint.h>

#include "bfile.h"
#include "buf.h"

struct ct;

struct ct *ct_new(void);
void ct_free(struct ct *t);

/* The count of key, 0 when the table does not hold it. */
uint32_t ct_get(const struct ct *t, uint64_t key);

/* Start loading the slot of key into the cache: the table is larger
 * than the cache, so a record's keys are best asked for all at once
 * before they are read one by one, their misses overlapping. */
void ct_prefetch(const struct ct *t, uint64_t key);

/* The tag of the record whose identity is id, for ct_add: never 0. */
uint32_t ct_tag(uint64_t id);

/* Count the record tagged tag for key, once: a record whose tag the
 * key already holds is not counted again.  Stamps the entry with the
 * table's current run.  Returns the count. */
uint32_t ct_add(struct ct *t, uint64_t key, uint32_t tag);

/*
 * Mark the record whose key is mark as counted, and add it to the count
 * of its site's records, at key site; 0 when it was marked already (in
 * this run, an earlier one, or a table loaded), so that its lines are
 * not counted again.
 */
int ct_see(struct ct *t, uint64_t mark, uint64_t site);

/* The number of keys held. */
size_t ct_size(const struct ct *t);

/* The current run: ct_add stamps entries with it.  A state file counts
 * its runs, so that entries can age. */
uint32_t ct_run(const struct ct *t);
void ct_set_run(struct ct *t, uint32_t run);

/*
 * Forget what is old: entries no run has seen in the last max_age runs
 * (0: keep all), then, while more than max_entries remain (0: no cap),
 * the least recently seen, fewest counted first.
 */
void ct_age(struct ct *t, uint32_t max_age, size_t max_entries);

/* Add every count of src to dst (a merge of shards).  A record both
 * tables counted counts once, as far as the tags tell (see counts.c). */
void ct_merge(struct ct *dst, const struct ct *src);

/*
 * The table as bytes, for a file: appended to out in a fixed
 * little-endian layout sorted by key, so that the same counts always give
 * the same bytes.  ct_decode reads them back into an empty table; -1 when
 * the bytes are not such a table (why in err).
 */
void ct_encode(const struct ct *t, struct buf *out);
int ct_decode(struct ct *t, uint32_t version, const void *p, size_t n, char *err, size_t errlen);

/* The format version ct_encode writes; ct_decode reads it and 1. */
#define CT_VERSION 2

/* The two kinds of file a table is kept in: a state file (counts, with
 * the runs that saw them, carried from one run to the next) and a count
 * table (the counts of one shard, for --merge and --table). */
extern const struct bf_kind ct_state_kind, ct_table_kind;

/*
 * Load the file at path, of kind, into the empty table t; 1 when loaded.
 * A missing state file is an empty state (0); anything else that is not
 * a whole, intact file of that kind is fatal, status 2, with a message
 * naming the file ("not a winnow ... file", "truncated", "version N is
 * newer than this program reads (M)", "corrupt: ...").
 */
int ct_load(struct ct *t, const char *path, const struct bf_kind *kind);

/* Write t into f and commit it (afile: the old file stays whole until
 * the new one replaces it, and a run that dies leaves it as it was).  The
 * caller opens f with af_open, at the start of its run, so that a file
 * that cannot be written is known before the work is done. */
struct af;
void ct_save(const struct ct *t, struct af *f, const struct bf_kind *kind);

/* Bytes of memory an entry takes, for caps given in megabytes. */
size_t ct_entry_bytes(void);

#endif
