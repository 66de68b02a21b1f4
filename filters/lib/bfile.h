/*
 * bfile: the versioned binary files filters keep (models, state files,
 * count tables): a fixed header, then the payload, whose layout is the
 * kind's own business.
 *
 * The header, 32 bytes, every number little-endian whatever the machine:
 *
 *	offset	size	field
 *	0	8	magic: names the kind, e.g. "WNSTATE\0"
 *	8	4	format version of the payload, from 1
 *	12	4	flags: the kind's own, stored and returned as they are
 *	16	8	payload size in bytes (the file is 32 + this long)
 *	24	8	checksum: XXH64 (seed 0) of header bytes 0..23, used as
 *			the seed of XXH64 of the payload
 *
 * The checksum covers the header as well as the payload so that a flipped
 * bit in the flags or version is caught too.  XXH64 is the published
 * xxHash algorithm, written out here (no zlib or libxxhash needed), and
 * fast enough (several GB/s) that checking a model costs less than reading
 * it.  Magic and version stay at offsets 0 and 8 in every version, so a
 * program can always tell a newer file from a corrupt one.
 *
 * Loading reads the whole file into memory: the checksum touches every byte
 * anyway, and unlike a mapping, a copy cannot fault (SIGBUS) if another
 * program truncates the file under us.  The payload starts 32 bytes into an
 * allocation, so it is aligned for 8-byte numbers.  Writing a file safely
 * (temporary file, fsync, rename) is the afile module's work; bf_write only
 * writes the bytes to a descriptor.
 */
#ifndef WINNOW_BFILE_H
#define WINNOW_BFILE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"

#define BF_HEADER_SIZE 32

/* A kind of file, e.g. { "WNSTATE", "state", 1, 3 }: this program reads
 * versions oldest to version and writes version. */
struct bf_kind {
	char magic[8];
	const char *name;	/* for messages: "not a winnow NAME file" */
	uint32_t oldest, version;
};

/* A loaded file.  It owns its memory; bf_release frees it. */
struct bf_file {
	const char *payload;	/* size bytes, 8-byte aligned */
	uint64_t size;
	uint32_t version, flags;
	struct buf mem;		/* the whole file: private */
};

/* What loading found; bf_load and bf_parse put the message in err. */
enum bf_status {
	BF_OK,
	BF_ESYS,	/* cannot open or read: errno says why */
	BF_EKIND,	/* "not a winnow NAME file": wrong magic */
	BF_ETRUNC,	/* "truncated": shorter than its header says */
	BF_ENEWER,	/* "version N is newer than this program reads (M)" */
	BF_EOLDER,	/* "version N is older than this program reads (M)" */
	BF_ECORRUPT	/* "corrupt: checksum mismatch", "corrupt: N bytes after
			 * the payload" */
};

/* XXH64 of p[0..n) with the given seed. */
uint64_t bf_xxh64(const void *p, size_t n, uint64_t seed);

/* Append the header of a file of kind k (at k->version) holding the
 * payload p[0..n) to out. */
void bf_header(struct buf *out, const struct bf_kind *k, uint32_t flags, const void *p, size_t n);

/*
 * Write the header and the payload p[0..n) to fd, all of it (short writes
 * and EINTR are retried).  Returns 0, or -1 with errno set.  fd is left
 * open; closing and syncing it are the caller's.
 */
int bf_write(int fd, const struct bf_kind *k, uint32_t flags, const void *p, size_t n);

/*
 * Check that data[0..n) is a whole, intact file of kind k and fill in f's
 * payload (pointing into data), size, version and flags; f->mem is left
 * alone.  Any bytes at all give an answer, never a crash.  On an error the
 * message (without program or file name) goes to err[0..errlen).
 *
 * The checks run in this order: magic; version not newer (a newer version
 * may checksum differently, so its checksum is not judged); length;
 * checksum; version not older.  A file shorter than the magic whose bytes
 * begin it, the empty file included, is truncated, not of another kind.
 */
enum bf_status bf_parse(const void *data, size_t n, const struct bf_kind *k, struct bf_file *f,
    char *err, size_t errlen);

/*
 * Read the file at path and bf_parse it.  On BF_OK, f owns a copy of the
 * file until bf_release.  On an error f holds nothing to release, err
 * holds the message ("cannot open: No such file or directory", "read
 * error: ...", or bf_parse's), and for BF_ESYS errno is set, so a caller
 * may treat a missing state file (ENOENT) as an empty state.  The usual
 * call reports and ends: msg_fatal("%s: %s", path, err).
 */
enum bf_status bf_load(const char *path, const struct bf_kind *k, struct bf_file *f,
    char *err, size_t errlen);

void bf_release(struct bf_file *f);

/* Little-endian numbers, for payloads as well as the header. */
static inline void
bf_put32(struct buf *b, uint32_t v)
{
	unsigned char s[4];
	int i;

	for (i = 0; i < 4; i++)
		s[i] = (unsigned char)(v >> 8 * i);
	buf_add(b, s, 4);
}

static inline void
bf_put64(struct buf *b, uint64_t v)
{
	bf_put32(b, (uint32_t)v);
	bf_put32(b, (uint32_t)(v >> 32));
}

static inline uint32_t
bf_get32(const void *p)
{
	const unsigned char *s = p;

	return (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 | (uint32_t)s[3] << 24;
}

static inline uint64_t
bf_get64(const void *p)
{
	return bf_get32(p) | (uint64_t)bf_get32((const char *)p + 4) << 32;
}

/* IEEE 754 single floats (the weights of models), as their 32 bits. */
static inline void
bf_putf32(struct buf *b, float v)
{
	uint32_t u;

	memcpy(&u, &v, sizeof u);
	bf_put32(b, u);
}

static inline float
bf_getf32(const void *p)
{
	uint32_t u = bf_get32(p);
	float v;

	memcpy(&v, &u, sizeof v);
	return v;
}

#endif
