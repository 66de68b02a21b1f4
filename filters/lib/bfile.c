#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bfile.h"
#include "msg.h"

/* ---- XXH64, as specified in xxHash's doc/xxhash_spec.md ---- */

#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL
#define P4 0x85EBCA77C2B2AE63ULL
#define P5 0x27D4EB2F165667C5ULL

static inline uint64_t
rotl(uint64_t x, int r)
{
	return x << r | x >> (64 - r);
}

static inline uint64_t
round64(uint64_t acc, uint64_t lane)
{
	return rotl(acc + lane * P2, 31) * P1;
}

static inline uint64_t
merge(uint64_t acc, uint64_t v)
{
	return (acc ^ round64(0, v)) * P1 + P4;
}

uint64_t
bf_xxh64(const void *vp, size_t n, uint64_t seed)
{
	const unsigned char *p = vp, *end = p + n;
	uint64_t h;

	if (n >= 32) {
		uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;

		do {
			v1 = round64(v1, bf_get64(p));
			v2 = round64(v2, bf_get64(p + 8));
			v3 = round64(v3, bf_get64(p + 16));
			v4 = round64(v4, bf_get64(p + 24));
			p += 32;
		} while (end - p >= 32);
		h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
		h = merge(h, v1);
		h = merge(h, v2);
		h = merge(h, v3);
		h = merge(h, v4);
	} else {
		h = seed + P5;
	}
	h += n;
	for (; end - p >= 8; p += 8)
		h = rotl(h ^ round64(0, bf_get64(p)), 27) * P1 + P4;
	if (end - p >= 4) {
		h = rotl(h ^ (uint64_t)bf_get32(p) * P1, 23) * P2 + P3;
		p += 4;
	}
	for (; p < end; p++)
		h = rotl(h ^ *p * P5, 11) * P1;
	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P3;
	h ^= h >> 32;
	return h;
}

/* ---- the header ---- */

static uint64_t
checksum(const unsigned char *header, const void *p, size_t n)
{
	return bf_xxh64(p, n, bf_xxh64(header, 24, 0));
}

void
bf_header(struct buf *out, const struct bf_kind *k, uint32_t flags, const void *p, size_t n)
{
	size_t at = out->len;

	buf_add(out, k->magic, 8);
	bf_put32(out, k->version);
	bf_put32(out, flags);
	bf_put64(out, n);
	bf_put64(out, checksum((const unsigned char *)out->data + at, p, n));
}

static int
write_all(int fd, const void *vp, size_t n)
{
	const char *p = vp;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
bf_write(int fd, const struct bf_kind *k, uint32_t flags, const void *p, size_t n)
{
	struct buf h = BUF_INIT;
	int rc;

	bf_header(&h, k, flags, p, n);
	rc = write_all(fd, h.data, h.len) == 0 && write_all(fd, p, n) == 0 ? 0 : -1;
	buf_release(&h);
	return rc;
}

enum bf_status
bf_parse(const void *data, size_t n, const struct bf_kind *k, struct bf_file *f,
    char *err, size_t errlen)
{
	const unsigned char *d = data;
	uint32_t version;
	uint64_t size;

	if (n < 8 && (n == 0 || memcmp(d, k->magic, n) == 0)) {
		snprintf(err, errlen, "truncated");
		return BF_ETRUNC;
	}
	if (n < 8 || memcmp(d, k->magic, 8) != 0) {
		snprintf(err, errlen, "not a winnow %s file", k->name);
		return BF_EKIND;
	}
	if (n < 12) {
		snprintf(err, errlen, "truncated");
		return BF_ETRUNC;
	}
	version = bf_get32(d + 8);
	if (version > k->version) {
		snprintf(err, errlen, "version %" PRIu32 " is newer than this program reads (%" PRIu32 ")",
		    version, k->version);
		return BF_ENEWER;
	}
	if (n < BF_HEADER_SIZE || (size = bf_get64(d + 16)) > n - BF_HEADER_SIZE) {
		snprintf(err, errlen, "truncated");
		return BF_ETRUNC;
	}
	if (size < n - BF_HEADER_SIZE) {
		snprintf(err, errlen, "corrupt: %" PRIu64 " bytes after the payload",
		    (uint64_t)(n - BF_HEADER_SIZE - size));
		return BF_ECORRUPT;
	}
	if (checksum(d, d + BF_HEADER_SIZE, (size_t)size) != bf_get64(d + 24)) {
		snprintf(err, errlen, "corrupt: checksum mismatch");
		return BF_ECORRUPT;
	}
	if (version < k->oldest) {
		snprintf(err, errlen, "version %" PRIu32 " is older than this program reads (%" PRIu32 ")",
		    version, k->oldest);
		return BF_EOLDER;
	}
	f->payload = (const char *)d + BF_HEADER_SIZE;
	f->size = size;
	f->version = version;
	f->flags = bf_get32(d + 12);
	return BF_OK;
}

enum bf_status
bf_load(const char *path, const struct bf_kind *k, struct bf_file *f, char *err, size_t errlen)
{
	struct buf mem = BUF_INIT;
	enum bf_status st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), saved;

	if (fd < 0) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return BF_ESYS;
	}
	for (;;) {
		ssize_t got;

		buf_grow(&mem, 65536);
		got = read(fd, mem.data + mem.len, mem.cap - mem.len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got == 0 && close(fd) == 0)
				break;
			saved = errno;
			snprintf(err, errlen, "%s error: %s", got == 0 ? "close" : "read", strerror(errno));
			if (got < 0)
				close(fd);
			buf_release(&mem);
			errno = saved;
			return BF_ESYS;
		}
		mem.len += (size_t)got;
	}
	st = bf_parse(mem.data, mem.len, k, f, err, errlen);
	if (st != BF_OK) {
		buf_release(&mem);
		return st;
	}
	f->mem = mem;
	return BF_OK;
}

void
bf_release(struct bf_file *f)
{
	buf_release(&f->mem);
	f->payload = NULL;
	f->size = 0;
}
