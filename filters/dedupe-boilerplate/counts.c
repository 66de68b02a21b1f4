#include "compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "bfile.h"
#include "counts.h"
#include "msg.h"

/*
 * Open addressing with linear probing; key 0 marks an empty slot (fp_key
 * never returns it).  The table doubles when it is half full, so probes
 * stay short.
 *
 * A line's entry keeps, beside its count, the two smallest tags of the
 * records it counted (0: none), so that a merge knows a record both
 * tables counted.  Keeping the smallest, not the first, makes the tags
 * of a sum the same whatever order its parts were added in.  A record's
 * mark (ct_see) is an entry of count 0 whose other word is the key of
 * its site's count of records.
 */
struct entry {
	uint64_t key;
	uint32_t count;
	uint32_t stamp;
	union {
		uint32_t tag[2];	/* a line: tag[0] < tag[1] when both set */
		uint64_t site;		/* a mark */
	} u;
};

struct ct {
	struct entry *e;
	size_t cap, n;	/* cap is a power of two */
	uint32_t run;
};

struct ct *
ct_new(void)
{
	struct ct *t = xcalloc(1, sizeof *t);

	t->cap = 1024;
	t->e = xcalloc(t->cap, sizeof *t->e);
	return t;
}

void
ct_free(struct ct *t)
{
	if (t == NULL)
		return;
	free(t->e);
	free(t);
}

size_t
ct_entry_bytes(void)
{
	/* Half the slots are empty at most load. */
	return 2 * sizeof(struct entry);
}

/* Where key's probe starts; ct_prefetch loads that slot. */
static size_t
home(const struct ct *t, uint64_t key)
{
	return (size_t)(key ^ (key >> 32)) & (t->cap - 1);
}

static struct entry *
find(const struct ct *t, uint64_t key)
{
	size_t mask = t->cap - 1, i = home(t, key);

	while (t->e[i].key != 0 && t->e[i].key != key)
		i = (i + 1) & mask;
	return &t->e[i];
}

static void
resize(struct ct *t, size_t cap)
{
	struct entry *old = t->e;
	size_t oldcap = t->cap, i;

	t->e = xcalloc_table(cap, sizeof *t->e);
	t->cap = cap;
	for (i = 0; i < oldcap; i++)
		if (old[i].key != 0)
			*find(t, old[i].key) = old[i];
	free(old);
}

uint32_t
ct_get(const struct ct *t, uint64_t key)
{
	return find(t, key)->count;
}

void
ct_prefetch(const struct ct *t, uint64_t key)
{
	__builtin_prefetch(&t->e[home(t, key)]);
}

/* The entry of key, made when missing. */
static struct entry *
insert(struct ct *t, uint64_t key)
{
	struct entry *e = find(t, key);

	if (e->key == 0) {
		if (2 * (t->n + 1) > t->cap) {
			resize(t, 2 * t->cap);
			e = find(t, key);
		}
		e->key = key;
		e->count = 0;
		e->stamp = t->run;
		e->u.site = 0;
		t->n++;
	}
	return e;
}

static uint32_t
sum(uint32_t a, uint32_t b)
{
	return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

static int
has_tag(const struct entry *e, uint32_t tag)
{
	return e->u.tag[0] == tag || e->u.tag[1] == tag;
}

/* Keep tag if it is among the two smallest e has seen. */
static void
keep_tag(struct entry *e, uint32_t tag)
{
	if (e->u.tag[0] == 0 || tag < e->u.tag[0]) {
		e->u.tag[1] = e->u.tag[0];
		e->u.tag[0] = tag;
	} else if (e->u.tag[1] == 0 || tag < e->u.tag[1]) {
		e->u.tag[1] = tag;
	}
}

uint32_t
ct_tag(uint64_t id)
{
	uint32_t tag = (uint32_t)(id ^ (id >> 32));

	return tag != 0 ? tag : 1;
}

uint32_t
ct_add(struct ct *t, uint64_t key, uint32_t tag)
{
	struct entry *e = insert(t, key);

	e->stamp = t->run;
	if (has_tag(e, tag))
		return e->count;
	e->count = sum(e->count, 1);
	keep_tag(e, tag);
	return e->count;
}

int
ct_see(struct ct *t, uint64_t mark, uint64_t site)
{
	struct entry *e = find(t, mark), *s;

	if (e->key != 0) {
		e->stamp = t->run;
		return 0;
	}
	e = insert(t, mark);
	e->u.site = site;
	s = insert(t, site);
	s->count = sum(s->count, 1);
	s->stamp = t->run;
	return 1;
}

size_t
ct_size(const struct ct *t)
{
	return t->n;
}

uint32_t
ct_run(const struct ct *t)
{
	return t->run;
}

void
ct_set_run(struct ct *t, uint32_t run)
{
	t->run = run;
}

/* Sort order for ct_encode: by key. */
static int
by_key(const void *a, const void *b)
{
	uint64_t x = ((const struct entry *)a)->key, y = ((const struct entry *)b)->key;

	return x < y ? -1 : x > y;
}

/* Sort order for eviction: least recently seen first, then fewest. */
static int
by_age(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->stamp != y->stamp)
		return x->stamp < y->stamp ? -1 : 1;
	if (x->count != y->count)
		return x->count < y->count ? -1 : 1;
	return by_key(a, b);
}

/* The entries, packed into a new array of t->n. */
static struct entry *
packed(const struct ct *t)
{
	struct entry *all = xmalloc(t->n * sizeof *all);
	size_t i, k = 0;

	for (i = 0; i < t->cap; i++)
		if (t->e[i].key != 0)
			all[k++] = t->e[i];
	return all;
}

/* Put back only all[from..n). */
static void
rebuild(struct ct *t, const struct entry *all, size_t from, size_t n)
{
	size_t i;

	memset(t->e, 0, t->cap * sizeof *t->e);
	t->n = 0;
	for (i = from; i < n; i++)
		*insert(t, all[i].key) = all[i];
}

void
ct_age(struct ct *t, uint32_t max_age, size_t max_entries)
{
	struct entry *all = packed(t);
	size_t n = t->n, keep = 0, i;

	for (i = 0; i < n; i++)
		if (max_age == 0 || all[i].stamp >= t->run || t->run - all[i].stamp < max_age)
			all[keep++] = all[i];
	n = keep;
	if (max_entries && n > max_entries) {
		qsort(all, n, sizeof *all, by_age);
		rebuild(t, all, n - max_entries, n);
	} else {
		rebuild(t, all, 0, n);
	}
	free(all);
}

/* Add line entry s to d, counting once a record whose tag both hold. */
static void
merge_line(struct entry *d, const struct entry *s)
{
	uint32_t both = 0;
	int k;

	for (k = 0; k < 2; k++)
		if (s->u.tag[k] != 0 && has_tag(d, s->u.tag[k]))
			both++;
	d->count = sum(d->count, s->count - both);
	for (k = 0; k < 2; k++)
		if (s->u.tag[k] != 0 && !has_tag(d, s->u.tag[k]))
			keep_tag(d, s->u.tag[k]);
}

/*
 * A record marked in both tables was counted in both: its site's count
 * of records gives one back.  Its lines' counts are set right by their
 * tags (merge_line), exactly while a line's count is 2 or less, so a
 * line never reaches the default --min-docs 3 by a record counted twice;
 * above that a record counted in both tables may count twice.
 */
void
ct_merge(struct ct *dst, const struct ct *src)
{
	size_t i;

	for (i = 0; i < src->cap; i++) {
		const struct entry *s = &src->e[i];
		struct entry *d;

		if (s->key == 0)
			continue;
		d = find(dst, s->key);
		if (d->key == 0 || (d->count == 0 && s->count != 0)) {
			/* new, or a mark that a version 1 file held as a line */
			d = insert(dst, s->key);
			d->count = s->count;
			d->u = s->u;
		} else if (d->count == 0) {
			struct entry *site = find(dst, d->u.site);

			if (site->key != 0 && site->count > 0)
				site->count--;
		} else if (s->count != 0) {
			merge_line(d, s);
		}
		if (s->stamp > d->stamp)
			d->stamp = s->stamp;
	}
	if (src->run > dst->run)
		dst->run = src->run;
}

/*
 * The encoded table, all little-endian:
 *	u32 run, u32 reserved (0), u64 n,
 *	n times, in increasing key order: u64 key, u32 count, u32 stamp,
 *	and from version 2 a u64: a line's two tags, the smaller in the low
 *	half (0: none), or, where count is 0, a record's mark, the key of
 *	its site's count of records.
 * Version 1 had no tags: its lines are read as tagged with none, and its
 * records' marks as lines, which ct_see takes for marks all the same.
 */
#define HEAD_BYTES 16

static size_t
entry_bytes(uint32_t version)
{
	return version >= 2 ? 24 : 16;
}

void
ct_encode(const struct ct *t, struct buf *out)
{
	struct entry *all = packed(t);
	size_t i;

	qsort(all, t->n, sizeof *all, by_key);
	buf_grow(out, HEAD_BYTES + t->n * entry_bytes(CT_VERSION));
	bf_put32(out, t->run);
	bf_put32(out, 0);
	bf_put64(out, t->n);
	for (i = 0; i < t->n; i++) {
		bf_put64(out, all[i].key);
		bf_put32(out, all[i].count);
		bf_put32(out, all[i].stamp);
		bf_put64(out, all[i].count == 0 ? all[i].u.site :
		    (uint64_t)all[i].u.tag[1] << 32 | all[i].u.tag[0]);
	}
	free(all);
}

/* Are e's tags as ct_add leaves them? */
static int
tags_valid(const struct entry *e)
{
	uint32_t a = e->u.tag[0], b = e->u.tag[1];

	return e->count == 0 || (b == 0 ? 1 : a != 0 && a < b);
}

int
ct_decode(struct ct *t, uint32_t version, const void *data, size_t len, char *err, size_t errlen)
{
	const unsigned char *p = data;
	size_t size = entry_bytes(version);
	uint64_t n, i, prev = 0;

	if (len < HEAD_BYTES) {
		snprintf(err, errlen, "truncated");
		return -1;
	}
	n = bf_get64(p + 8);
	if (n > (len - HEAD_BYTES) / size || len != HEAD_BYTES + n * size) {
		snprintf(err, errlen, "corrupt: %llu entries in %zu bytes", (unsigned long long)n, len);
		return -1;
	}
	t->run = bf_get32(p);
	p += HEAD_BYTES;
	for (i = 0; i < n; i++, p += size) {
		uint64_t key = bf_get64(p);
		struct entry *e;

		if (key == 0 || (i > 0 && key <= prev)) {
			snprintf(err, errlen, "corrupt: entry %llu out of order", (unsigned long long)i);
			return -1;
		}
		prev = key;
		e = insert(t, key);
		e->count = bf_get32(p + 8);
		e->stamp = bf_get32(p + 12);
		if (version >= 2) {
			uint64_t other = bf_get64(p + 16);

			if (e->count == 0) {
				e->u.site = other;
			} else {
				e->u.tag[0] = (uint32_t)other;
				e->u.tag[1] = (uint32_t)(other >> 32);
			}
			if (!tags_valid(e)) {
				snprintf(err, errlen, "corrupt: entry %llu has bad tags", (unsigned long long)i);
				return -1;
			}
		} else if (e->count == 0) {
			snprintf(err, errlen, "corrupt: entry %llu counts nothing", (unsigned long long)i);
			return -1;
		}
	}
	return 0;
}

const struct bf_kind ct_state_kind = { "WNDDSTAT", "dedupe-boilerplate state", 1, CT_VERSION };
const struct bf_kind ct_table_kind = { "WNDDTABL", "dedupe-boilerplate count table", 1, CT_VERSION };

int
ct_load(struct ct *t, const char *path, const struct bf_kind *kind)
{
	struct bf_file f;
	char err[200];
	enum bf_status st = bf_load(path, kind, &f, err, sizeof err);

	if (st == BF_ESYS && errno == ENOENT && kind == &ct_state_kind)
		return 0;
	if (st != BF_OK)
		msg_fatal_at(path, "%s", err);
	if (ct_decode(t, f.version, f.payload, (size_t)f.size, err, sizeof err) < 0) {
		bf_release(&f);
		msg_fatal_at(path, "%s", err);
	}
	bf_release(&f);
	return 1;
}

void
ct_save(const struct ct *t, struct af *f, const struct bf_kind *kind)
{
	struct buf b;

	buf_init(&b);
	ct_encode(t, &b);
	if (bf_write(af_fd(f), kind, 0, b.data, b.len) < 0)
		msg_fatal("%s: write error: %s", af_name(f), strerror(errno));
	af_commit(f);
	buf_release(&b);
}
