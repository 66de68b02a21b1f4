#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "msg.h"
#include "zio.h"

#define BLOCK_SIZE (1u << 20)	/* decompressed bytes handed over at once */
#define NBLOCKS 4
#define RAW_SIZE (256u << 10)	/* bytes asked of read(2) at once */

enum backend { BACKEND_ZLIB, BACKEND_ISAL };

static enum backend
backend(void)
{
#ifdef HAVE_ISAL
	const char *e = getenv("WINNOW_GZIP");

	if (e && strcmp(e, "zlib") == 0)
		return BACKEND_ZLIB;
	return BACKEND_ISAL;
#else
	return BACKEND_ZLIB;
#endif
}

const char *
zio_backend(void)
{
	return backend() == BACKEND_ISAL ? "isal" : "zlib";
}

const char *
zio_versions(void)
{
	static char v[64];

#ifdef HAVE_ISAL
	snprintf(v, sizeof v, "zlib %s, isa-l", zlibVersion());
#else
	snprintf(v, sizeof v, "zlib %s", zlibVersion());
#endif
	return v;
}

/*
 * A queue of blocks between a producer and a consumer thread: the
 * producer takes free blocks and returns them full; the consumer takes
 * full blocks in order and returns them free.
 */
struct block {
	char *data;
	size_t len;
	uint64_t raw_off;
	int sync;	/* output: make everything so far decodable now */
};

struct bq {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct block blocks[NBLOCKS];
	int full[NBLOCKS], nfull, head;	/* FIFO of full block indexes */
	int free[NBLOCKS], nfree;
	int done;	/* the producer will put no more */
	int cancelled;	/* the consumer will take no more */
};

static void
bq_init(struct bq *q)
{
	int i;

	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	for (i = 0; i < NBLOCKS; i++) {
		q->blocks[i].data = xmalloc(BLOCK_SIZE);
		q->blocks[i].len = 0;
		q->free[i] = i;
	}
	q->nfree = NBLOCKS;
	q->nfull = q->head = q->done = q->cancelled = 0;
}

static void
bq_destroy(struct bq *q)
{
	int i;

	for (i = 0; i < NBLOCKS; i++)
		free(q->blocks[i].data);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
}

/* A free block's index, or -1 once the consumer has cancelled. */
static int
bq_take_free(struct bq *q)
{
	int i = -1;

	pthread_mutex_lock(&q->mu);
	while (q->nfree == 0 && !q->cancelled)
		pthread_cond_wait(&q->cv, &q->mu);
	if (!q->cancelled)
		i = q->free[--q->nfree];
	pthread_mutex_unlock(&q->mu);
	return i;
}

static void
bq_put_full(struct bq *q, int i)
{
	pthread_mutex_lock(&q->mu);
	q->full[(q->head + q->nfull++) % NBLOCKS] = i;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* The next full block's index, or -1 once the producer is done. */
static int
bq_take_full(struct bq *q)
{
	int i = -1;

	pthread_mutex_lock(&q->mu);
	while (q->nfull == 0 && !q->done)
		pthread_cond_wait(&q->cv, &q->mu);
	if (q->nfull > 0) {
		i = q->full[q->head];
		q->head = (q->head + 1) % NBLOCKS;
		q->nfull--;
	}
	pthread_mutex_unlock(&q->mu);
	return i;
}

static void
bq_put_free(struct bq *q, int i)
{
	pthread_mutex_lock(&q->mu);
	q->free[q->nfree++] = i;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

static void
bq_set(struct bq *q, int *flag)
{
	pthread_mutex_lock(&q->mu);
	*flag = 1;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/*
 * One gzip decoder or encoder over either backend.  step() runs the
 * backend on the buffers given and reports how far it got.
 */
enum { GZ_OK, GZ_END, GZ_ERROR };
enum { GZ_NO_FLUSH, GZ_SYNC, GZ_FINISH };

struct gz {
	enum backend backend;
	int deflating;
	z_stream zs;
#ifdef HAVE_ISAL
	struct inflate_state *inf;
	struct isal_zstream *def;
	unsigned char *level_buf;
#endif
};

static void
gz_start(struct gz *g, int deflating, int level)
{
	memset(g, 0, sizeof *g);
	g->deflating = deflating;
	g->backend = backend();
	/* ISA-L has levels 0 to 3; zlib does the higher ones. */
	if (deflating && level > 3)
		g->backend = BACKEND_ZLIB;
#ifdef HAVE_ISAL
	if (g->backend == BACKEND_ISAL && !deflating) {
		g->inf = xmalloc(sizeof *g->inf);
		isal_inflate_init(g->inf);
		g->inf->crc_flag = ISAL_GZIP;
		return;
	}
	if (g->backend == BACKEND_ISAL) {
		static const uint32_t sizes[] = { 0, ISAL_DEF_LVL1_DEFAULT,
			ISAL_DEF_LVL2_DEFAULT, ISAL_DEF_LVL3_DEFAULT };

		g->def = xmalloc(sizeof *g->def);
		isal_deflate_init(g->def);
		g->def->level = (uint32_t)level;
		g->def->level_buf_size = sizes[level];
		g->level_buf = g->def->level_buf = xmalloc(sizes[level]);
		g->def->gzip_flag = IGZIP_GZIP;
		return;
	}
#endif
	if (deflating) {
		if (deflateInit2(&g->zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			msg_fatal("out of memory");
	} else if (inflateInit2(&g->zs, 15 + 16) != Z_OK) {
		msg_fatal("out of memory");
	}
}

/* Ready the decoder for the next member of a multi-member file. */
static void
gz_next_member(struct gz *g)
{
#ifdef HAVE_ISAL
	if (g->inf) {
		isal_inflate_reset(g->inf);
		g->inf->crc_flag = ISAL_GZIP;
		return;
	}
#endif
	inflateReset(&g->zs);
}

static void
gz_end(struct gz *g)
{
#ifdef HAVE_ISAL
	if (g->inf || g->def) {
		free(g->inf);
		free(g->def);
		free(g->level_buf);
		return;
	}
#endif
	if (g->deflating)
		deflateEnd(&g->zs);
	else
		inflateEnd(&g->zs);
}

/*
 * Run the coder over *in (advancing it) into *out.  For a deflater, flush
 * is GZ_NO_FLUSH, GZ_SYNC (byte-align and emit everything so far) or
 * GZ_FINISH (end the stream; GZ_END then says the trailer is out).
 */
static int
gz_step(struct gz *g, const unsigned char **in, size_t *inlen,
    unsigned char **out, size_t *outlen, int flush)
{
	int ret;
	size_t ilen = *inlen > UINT32_MAX ? UINT32_MAX : *inlen;

#ifdef HAVE_ISAL
	if (g->inf || g->def) {
		if (g->inf) {
			g->inf->next_in = (uint8_t *)*in;
			g->inf->avail_in = (uint32_t)ilen;
			g->inf->next_out = *out;
			g->inf->avail_out = (uint32_t)*outlen;
			ret = isal_inflate(g->inf);
			*in = g->inf->next_in;
			*out = g->inf->next_out;
			if (ret < 0)
				ret = GZ_ERROR;
			else
				ret = g->inf->block_state == ISAL_BLOCK_FINISH ? GZ_END : GZ_OK;
		} else {
			g->def->next_in = (uint8_t *)*in;
			g->def->avail_in = (uint32_t)ilen;
			g->def->next_out = *out;
			g->def->avail_out = (uint32_t)*outlen;
			g->def->end_of_stream = flush == GZ_FINISH;
			g->def->flush = flush == GZ_SYNC ? SYNC_FLUSH : NO_FLUSH;
			ret = isal_deflate(g->def) != COMP_OK ? GZ_ERROR :
			    g->def->internal_state.state == ZSTATE_END ? GZ_END : GZ_OK;
			*in = g->def->next_in;
			*out = g->def->next_out;
		}
		*inlen -= ilen - (size_t)(g->inf ? g->inf->avail_in : g->def->avail_in);
		*outlen = g->inf ? g->inf->avail_out : g->def->avail_out;
		return ret;
	}
#endif
	g->zs.next_in = (Bytef *)*in;
	g->zs.avail_in = (uInt)ilen;
	g->zs.next_out = *out;
	g->zs.avail_out = (uInt)*outlen;
	if (g->deflating)
		ret = deflate(&g->zs, flush == GZ_FINISH ? Z_FINISH :
		    flush == GZ_SYNC ? Z_SYNC_FLUSH : Z_NO_FLUSH);
	else
		ret = inflate(&g->zs, Z_NO_FLUSH);
	*in = g->zs.next_in;
	*out = g->zs.next_out;
	*inlen -= ilen - g->zs.avail_in;
	*outlen = g->zs.avail_out;
	if (ret == Z_STREAM_END)
		return GZ_END;
	if (ret == Z_OK || ret == Z_BUF_ERROR)
		return GZ_OK;
	return GZ_ERROR;
}

/* ---- input ---- */

struct zin {
	int fd, is_stdin;
	int wake[2];	/* a pipe: zin_close writes to stop the reader */
	pthread_t thread;
	struct bq q;
	int cur;	/* block the consumer holds, or -1 */
	uint64_t raw_seen;
	const char *err;	/* set by the thread before it finishes */
	int cut;	/* err cut a member short: its last bytes are not whole */
	char errbuf[160];

	/* Owned by the thread. */
	struct gz gz;
	int gz_started;
	unsigned char *raw;
	size_t raw_pos, raw_len;
	uint64_t raw_total;
	int eof;
};

/*
 * read(2), after waiting for the input or for zin_close's wake-up call: a
 * program that stops early (--on-error=fail) must not wait for a pipe
 * that may never speak again.  A wake-up reads as the end of the input.
 */
static ssize_t
read_input(struct zin *z, void *p, size_t n)
{
	struct pollfd pfd[2] = { { z->fd, POLLIN, 0 }, { z->wake[0], POLLIN, 0 } };
	ssize_t r;

	while (poll(pfd, 2, -1) < 0)
		if (errno != EINTR)
			break;
	if (pfd[1].revents)
		return 0;
	do
		r = read(z->fd, p, n);
	while (r < 0 && errno == EINTR);
	return r;
}

static void
read_failed(struct zin *z)
{
	snprintf(z->errbuf, sizeof z->errbuf, "read error: %s", strerror(errno));
	z->err = z->errbuf;
	z->cut = 1;
}

/* Read more after the first keep unread bytes, which move to the front;
 * -1 on a read error. */
static int
raw_read(struct zin *z, size_t keep)
{
	ssize_t r;

	memmove(z->raw, z->raw + z->raw_pos, keep);
	z->raw_pos = 0;
	z->raw_len = keep;
	r = read_input(z, z->raw + keep, RAW_SIZE - keep);
	if (r < 0) {
		read_failed(z);
		return -1;
	}
	z->raw_len = keep + (size_t)r;
	z->raw_total += (uint64_t)r;
	z->eof = r == 0;
	return 0;
}

/* Refill the raw buffer when it is used up; -1 on a read error. */
static int
raw_fill(struct zin *z)
{
	if (z->raw_pos < z->raw_len || z->eof)
		return 0;
	return raw_read(z, 0);
}

static void
read_plain(struct zin *z)
{
	int i;

	while ((i = bq_take_free(&z->q)) >= 0) {
		struct block *b = &z->q.blocks[i];
		ssize_t r;

		/* Bytes left over from sniffing the magic go first, alone, so
		 * that a pipe's first record does not wait for its second.
		 * Then one read(2) a block: a short read means no more is
		 * ready, and what came goes on at once. */
		b->len = z->raw_len - z->raw_pos;
		memcpy(b->data, z->raw + z->raw_pos, b->len);
		z->raw_pos = z->raw_len;
		if (b->len == 0 && !z->eof) {
			r = read_input(z, b->data, BLOCK_SIZE);
			if (r < 0) {
				read_failed(z);
				r = 0;
			}
			z->eof = r == 0;
			b->len = (size_t)r;
			z->raw_total += (uint64_t)r;
		}
		b->raw_off = z->raw_total;
		if (b->len == 0) {
			bq_put_free(&z->q, i);
			return;
		}
		bq_put_full(&z->q, i);
		if (z->eof)
			return;
	}
}

static int
gzip_magic_next(struct zin *z)
{
	/* A member header can straddle two reads; look at both bytes. */
	if (z->raw_len - z->raw_pos == 1 && !z->eof && raw_read(z, 1) < 0)
		return -1;
	return z->raw_len - z->raw_pos >= 2 && z->raw[z->raw_pos] == 0x1f &&
	    z->raw[z->raw_pos + 1] == 0x8b;
}

static void
read_gzip(struct zin *z)
{
	struct gz *g = &z->gz;
	int i = -1, ret;
	struct block *b = NULL;

	gz_start(g, 0, 0);
	z->gz_started = 1;
	for (;;) {
		const unsigned char *in;
		unsigned char *out;
		size_t inlen, outlen, before_in, before_out;

		if (i < 0) {
			if ((i = bq_take_free(&z->q)) < 0)
				break;
			b = &z->q.blocks[i];
			b->len = 0;
		}
		if (raw_fill(z) < 0)
			break;
		in = z->raw + z->raw_pos;
		inlen = before_in = z->raw_len - z->raw_pos;
		out = (unsigned char *)b->data + b->len;
		outlen = before_out = BLOCK_SIZE - b->len;
		ret = gz_step(g, &in, &inlen, &out, &outlen, 0);
		z->raw_pos += before_in - inlen;
		b->len += before_out - outlen;
		if (ret == GZ_ERROR) {
			z->err = "corrupt gzip input";
			z->cut = 1;
			break;
		}
		if (ret == GZ_END) {
			if (raw_fill(z) < 0)
				break;
			if (z->eof && z->raw_pos == z->raw_len)
				break;
			ret = gzip_magic_next(z);
			if (ret < 0)
				break;
			if (ret == 0) {
				z->err = "trailing garbage after gzip data";
				break;
			}
			gz_next_member(g);
		} else if (before_in == inlen && before_out == outlen && z->eof) {
			z->err = "truncated gzip input";
			z->cut = 1;
			break;
		}
		if (b->len == BLOCK_SIZE) {
			b->raw_off = z->raw_total - (z->raw_len - z->raw_pos);
			bq_put_full(&z->q, i);
			i = -1;
		}
	}
	if (i >= 0) {
		b->raw_off = z->raw_total - (z->raw_len - z->raw_pos);
		if (b->len > 0)
			bq_put_full(&z->q, i);
		else
			bq_put_free(&z->q, i);
	}
}

static void *
reader(void *arg)
{
	struct zin *z = arg;

	/* Sniff the first two bytes: gzip is told by its magic, not its name. */
	while (z->raw_len < 2 && !z->eof) {
		ssize_t r = read_input(z, z->raw + z->raw_len, RAW_SIZE - z->raw_len);

		if (r < 0) {
			read_failed(z);
			z->eof = 1;
			break;
		}
		z->eof = r == 0;
		z->raw_len += (size_t)r;
		z->raw_total += (uint64_t)r;
	}
	if (z->err == NULL) {
		if (z->raw_len >= 2 && z->raw[0] == 0x1f && z->raw[1] == 0x8b)
			read_gzip(z);
		else
			read_plain(z);
	}
	bq_set(&z->q, &z->q.done);
	return NULL;
}

/* Standard input or output was closed when the program started (and has
 * been given /dev/null since): using it is an error, as it was. */
static int stdin_closed, stdout_closed;

void
zio_closed_at_start(int fd)
{
	if (fd == STDIN_FILENO)
		stdin_closed = 1;
	else if (fd == STDOUT_FILENO)
		stdout_closed = 1;
}

struct zin *
zin_open(const char *path)
{
	struct zin *z;
	struct stat st;
	int fd, is_stdin = strcmp(path, "-") == 0;

	if (is_stdin) {
		fd = STDIN_FILENO;
		if (stdin_closed) {
			errno = EBADF;
			return NULL;
		}
	} else if ((fd = open(path, O_RDONLY)) < 0) {
		return NULL;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (!is_stdin)
			close(fd);
		errno = EISDIR;
		return NULL;
	}
	z = xcalloc(1, sizeof *z);
	z->fd = fd;
	z->is_stdin = is_stdin;
	z->cur = -1;
	z->raw = xmalloc(RAW_SIZE);
	if (pipe(z->wake) < 0)
		msg_fatal("cannot make a pipe: %s", strerror(errno));
	bq_init(&z->q);
	if (pthread_create(&z->thread, NULL, reader, z) != 0)
		msg_fatal("cannot start a thread: %s", strerror(errno));
	return z;
}

size_t
zin_read(struct zin *z, const char **p)
{
	if (z->cur >= 0)
		bq_put_free(&z->q, z->cur);
	z->cur = bq_take_full(&z->q);
	if (z->cur < 0)
		return 0;
	*p = z->q.blocks[z->cur].data;
	z->raw_seen = z->q.blocks[z->cur].raw_off;
	return z->q.blocks[z->cur].len;
}

int
zin_wait(struct zin *z, int ms)
{
	struct timespec until;
	int ready;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += (long)ms * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&z->q.mu);
	while (!(ready = z->q.nfull > 0 || z->q.done))
		if (pthread_cond_timedwait(&z->q.cv, &z->q.mu, &until) != 0)
			break;
	ready = z->q.nfull > 0 || z->q.done;
	pthread_mutex_unlock(&z->q.mu);
	return ready;
}

const char *
zin_error(const struct zin *z)
{
	return z->err;
}

int
zin_cut(const struct zin *z)
{
	return z->cut;
}

uint64_t
zin_raw_offset(const struct zin *z)
{
	return z->raw_seen;
}


void
zin_close(struct zin *z)
{
	/* Closed before the end, the reader may be waiting for a free block
	 * (cancelled wakes it) or for input (the wake-up pipe ends that). */
	bq_set(&z->q, &z->q.cancelled);
	if (write(z->wake[1], "", 1) < 0)
		msg_fatal("cannot stop the reader: %s", strerror(errno));
	pthread_join(z->thread, NULL);
	close(z->wake[0]);
	close(z->wake[1]);
	if (z->gz_started)
		gz_end(&z->gz);
	if (!z->is_stdin)
		close(z->fd);
	bq_destroy(&z->q);
	free(z->raw);
	free(z);
}

/* ---- output ---- */

/* The temporary file to remove if the program dies before renaming it. */
static char *volatile cleanup_path;

static void
cleanup_atexit(void)
{
	if (cleanup_path)
		unlink(cleanup_path);
}

static void
cleanup_signal(int sig)
{
	if (cleanup_path)
		unlink(cleanup_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

struct zout {
	int fd;
	char *name;	/* as given, for messages */
	char *path, *tmp;	/* rename tmp to path at the end, unless NULL */
	int level;
	pthread_t thread;
	struct bq q;
	int cur;	/* block the producer is filling, or -1 */
	uint64_t bytes;
	uint64_t synced;	/* bytes when zout_flush last asked for a sync */
	int err;	/* errno of a failed write, set by the thread */
	unsigned char *zbuf;	/* the thread's compressed output */
};

static int
write_all(int fd, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Deflate in[0..n) with flush (GZ_NO_FLUSH, GZ_SYNC, GZ_FINISH) and write it. */
static int
write_gzip(struct zout *z, struct gz *g, const char *p, size_t n, int flush)
{
	const unsigned char *in = (const unsigned char *)p;
	size_t outlen;
	int ret;

	do {
		unsigned char *out = z->zbuf;

		outlen = BLOCK_SIZE;
		ret = gz_step(g, &in, &n, &out, &outlen, flush);
		if (ret == GZ_ERROR) {
			errno = EIO;
			return -1;
		}
		if (write_all(z->fd, z->zbuf, BLOCK_SIZE - outlen) < 0)
			return -1;
		/* A flush is complete once the coder leaves room in its output. */
	} while (n > 0 || (flush == GZ_SYNC && outlen == 0) ||
	    (flush == GZ_FINISH && ret != GZ_END));
	return 0;
}

static void *
writer(void *arg)
{
	struct zout *z = arg;
	struct gz g;
	int i, failed = 0;

	if (z->level > 0)
		gz_start(&g, 1, z->level);
	while ((i = bq_take_full(&z->q)) >= 0) {
		struct block *b = &z->q.blocks[i];
		int r = 0;

		if (!failed)
			r = z->level > 0 ? write_gzip(z, &g, b->data, b->len,
			    b->sync ? GZ_SYNC : GZ_NO_FLUSH) : write_all(z->fd, b->data, b->len);
		if (r < 0 && !failed) {
			failed = 1;
			pthread_mutex_lock(&z->q.mu);
			z->err = errno;
			pthread_mutex_unlock(&z->q.mu);
		}
		bq_put_free(&z->q, i);
	}
	if (z->level > 0) {
		if (!failed && write_gzip(z, &g, NULL, 0, GZ_FINISH) < 0) {
			pthread_mutex_lock(&z->q.mu);
			z->err = errno;
			pthread_mutex_unlock(&z->q.mu);
		}
		gz_end(&g);
	}
	return NULL;
}

/*
 * Write to a temporary file beside path, to be renamed over it at the end,
 * so that nobody ever sees a half-written file under the final name.  A
 * symbolic link is followed, so that it goes on pointing at the new file.
 */
static void
open_temporary(struct zout *z, const char *path)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGALRM, SIGXFSZ,
		SIGUSR1, SIGUSR2 };
	char *target = NULL;
	const char *slash;
	size_t dirlen, len, k;
	struct stat st;
	mode_t mask;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		target = realpath(path, NULL);
	z->path = target ? target : xstrdup(path);
	slash = strrchr(z->path, '/');
	dirlen = slash ? (size_t)(slash - z->path) + 1 : 0;
	len = strlen(z->path) + 16;
	z->tmp = xmalloc(len);
	snprintf(z->tmp, len, "%.*s.%s.XXXXXX", (int)dirlen, z->path, z->path + dirlen);
	if ((z->fd = mkstemp(z->tmp)) < 0)
		msg_fatal("%s: cannot create: %s", path, strerror(errno));
	/* mkstemp makes the file 0600; give it the mode a plain create would. */
	mask = umask(0);
	umask(mask);
	fchmod(z->fd, 0666 & ~mask);
	cleanup_path = z->tmp;
	atexit(cleanup_atexit);
	/* Signals that end the program remove the file first; one that is
	 * ignored (nohup, a background job) stays ignored. */
	for (k = 0; k < sizeof sigs / sizeof sigs[0]; k++) {
		struct sigaction old, sa;

		if (sigaction(sigs[k], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = cleanup_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[k], &sa, NULL);
	}
}

struct zout *
zout_open(const char *path, int gzip_level)
{
	struct zout *z;
	struct stat st;

	if ((path == NULL || strcmp(path, "-") == 0) && stdout_closed)
		msg_fatal("<stdout>: write error: %s", strerror(EBADF));
	z = xcalloc(1, sizeof *z);

	z->level = gzip_level;
	z->cur = -1;
	if (path == NULL || strcmp(path, "-") == 0) {
		z->fd = STDOUT_FILENO;
		z->name = xstrdup("<stdout>");
	} else if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* A FIFO, a terminal, /dev/null: nothing to replace, write through. */
		z->name = xstrdup(path);
		if ((z->fd = open(path, O_WRONLY | O_TRUNC)) < 0)
			msg_fatal("%s: cannot open: %s", path, strerror(errno));
	} else {
		z->name = xstrdup(path);
		open_temporary(z, path);
	}
	if (gzip_level > 0)
		z->zbuf = xmalloc(BLOCK_SIZE);
	bq_init(&z->q);
	if (pthread_create(&z->thread, NULL, writer, z) != 0)
		msg_fatal("cannot start a thread: %s", strerror(errno));
	return z;
}

static void
write_failed(struct zout *z, int err)
{
	if (err == EPIPE) {
		/* The reader went away: end as the shell expects, quietly. */
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
	msg_fatal("%s: write error: %s", z->name, strerror(err));
}

static void
check_writer(struct zout *z)
{
	int err;

	pthread_mutex_lock(&z->q.mu);
	err = z->err;
	pthread_mutex_unlock(&z->q.mu);
	if (err)
		write_failed(z, err);
}

static void
post_current(struct zout *z)
{
	if (z->cur >= 0) {
		bq_put_full(&z->q, z->cur);
		z->cur = -1;
	}
}

void
zout_write(struct zout *z, const void *p, size_t n)
{
	const char *s = p;

	z->bytes += n;
	while (n > 0) {
		struct block *b;
		size_t room;

		if (z->cur < 0) {
			check_writer(z);
			z->cur = bq_take_free(&z->q);
			z->q.blocks[z->cur].len = 0;
			z->q.blocks[z->cur].sync = 0;
		}
		b = &z->q.blocks[z->cur];
		room = BLOCK_SIZE - b->len;
		if (room > n)
			room = n;
		memcpy(b->data + b->len, s, room);
		b->len += room;
		s += room;
		n -= room;
		if (b->len == BLOCK_SIZE)
			post_current(z);
	}
}

void
zout_flush(struct zout *z)
{
	/* gzip holds back what it has not compressed yet: a block, even an
	 * empty one, marked sync makes the writer flush it all out. */
	if (z->level > 0 && z->cur < 0 && z->bytes > z->synced) {
		z->cur = bq_take_free(&z->q);
		z->q.blocks[z->cur].len = 0;
	}
	if (z->cur >= 0) {
		z->q.blocks[z->cur].sync = 1;
		z->synced = z->bytes;
	}
	post_current(z);
}

uint64_t
zout_bytes(const struct zout *z)
{
	return z->bytes;
}

static void
free_zout(struct zout *z)
{
	bq_destroy(&z->q);
	free(z->zbuf);
	free(z->tmp);
	free(z->path);
	free(z->name);
	free(z);
}

void
zout_abort(struct zout *z)
{
	if (z->tmp == NULL) {
		zout_close(z);
		return;
	}
	post_current(z);
	bq_set(&z->q, &z->q.done);
	pthread_join(z->thread, NULL);
	close(z->fd);
	unlink(z->tmp);
	cleanup_path = NULL;
	free_zout(z);
}

void
zout_close(struct zout *z)
{
	post_current(z);
	bq_set(&z->q, &z->q.done);
	pthread_join(z->thread, NULL);
	check_writer(z);
	if (z->tmp) {
		/* Make the data durable before the name points at it. */
		if (fsync(z->fd) < 0 && errno != EINVAL)
			write_failed(z, errno);
		if (close(z->fd) < 0)
			write_failed(z, errno);
		if (rename(z->tmp, z->path) < 0)
			msg_fatal("%s: cannot rename into place: %s", z->name, strerror(errno));
		cleanup_path = NULL;
	} else if (close(z->fd) < 0 && errno != EBADF) {
		write_failed(z, errno);
	}
	free_zout(z);
}
