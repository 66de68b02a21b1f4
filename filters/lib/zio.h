/*
 * zio: byte streams in and out, plain, gzip or zstd, each served by a
 * thread of its own so that decompressing, compressing and the system
 * calls overlap with the filter's work on the other core.
 *
 * Compressed input is recognised by its magic bytes, not by the file
 * name, and every member of a multi-member gzip file (every frame of a
 * zstd file) is read.  xz, bzip2 and zip are recognised and refused.  Two
 * backends do the gzip work: zlib, always built in, and Intel ISA-L when
 * winnow was built with it (several times faster).  WINNOW_GZIP=zlib or
 * WINNOW_GZIP=isal in the environment picks one; both behave the same.
 * zstd is libzstd's.
 */
#ifndef WINNOW_ZIO_H
#define WINNOW_ZIO_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

enum zio_codec { ZIO_PLAIN, ZIO_GZIP, ZIO_ZSTD };

/* At start-up: a WINNOW_GZIP other than zlib or isal is fatal
 * ("prog: WINNOW_GZIP: 'x' is not zlib or isal", exit 2). */
void zio_init(void);

/* "zlib" or "isal": the backend in use, and the library versions built in. */
const char *zio_backend(void);
const char *zio_versions(void);

struct zin;

/* Say that standard input or output (fd 0 or 1) was closed at start-up
 * (the start-up code gives it /dev/null, so that no file takes its
 * descriptor): zin_open("-") then fails with EBADF, and zout_open of
 * standard output is a write error. */
void zio_closed_at_start(int fd);

/* Open path ("-" is standard input) and start reading it.  Returns NULL
 * with errno set when the file cannot be opened. */
struct zin *zin_open(const char *path);

/* The next piece of the decompressed stream: stores a pointer in *p and
 * returns its length, 0 at the end.  The piece is valid until the next call. */
size_t zin_read(struct zin *z, const char **p);

/* Wait up to ms milliseconds for zin_read to have something at once (a
 * piece, or the end); 1 if it has. */
int zin_wait(struct zin *z, int ms);

/* After zin_read has returned 0: NULL when the input ended cleanly, else
 * what went wrong ("truncated gzip input", "corrupt zstd input",
 * "trailing garbage after gzip data", "xz input is not supported",
 * "read error: ...").  Valid until zin_close. */
const char *zin_error(const struct zin *z);

/* Did that error cut the data short (a truncated or corrupt member, a
 * read error), so that the bytes before it may end mid-record?  Trailing
 * garbage after a complete member does not. */
int zin_cut(const struct zin *z);

/* Was the input refused whole, being of a compressed format winnow does
 * not read (xz, bzip2, zip)?  zin_error then names the format. */
int zin_refused(const struct zin *z);

/* Bytes of the file consumed so far (compressed bytes if compressed), as of
 * the last piece zin_read returned. */
uint64_t zin_raw_offset(const struct zin *z);

/*
 * Does a file that starts with p[0..n) (its first six bytes or more, or
 * all of it) hold plain bytes, that is, none of the compressed formats
 * zin tells by their magic?  For a program that reads many small files
 * itself, and hands zin only the others.
 */
int zio_plain(const void *p, size_t n);

/* Stop reading, at once even in the middle of the input, and free z. */
void zin_close(struct zin *z);

struct zout;

/*
 * Open the output: standard output when path is NULL or "-"; a FIFO or a
 * device is written through; anything else is written as an afile (see
 * afile.h), put under its name by zout_close.  codec ZIO_GZIP takes a
 * level from 1 to 9, ZIO_ZSTD from 1 to 19; ZIO_PLAIN ignores level.
 * Failures are fatal ("prog: FILE: cannot create: ...", exit 2).
 */
struct zout *zout_open(const char *path, enum zio_codec codec, int level);

/* Queue n bytes for writing.  A write error seen by the writer thread is
 * fatal here or in zout_close: "prog: FILE: write error: ...", exit 2. */
void zout_write(struct zout *z, const void *p, size_t n);

/* Hand what is queued to the writer now, not when a block is full: for a
 * reader at the other end of a pipe while input trickles in. */
void zout_flush(struct zout *z);

/*
 * Flush everything, close, and put the file under its name.  complete 0
 * says an input could not be read completely: then an existing file is
 * not replaced by less than it was asked to hold; it is left as it was,
 * with "prog: FILE: left as it was, since an input could not be read
 * completely", and the new data is dropped.  A file that did not exist is
 * written either way.  Frees z.
 */
void zout_close(struct zout *z, int complete);

/* Give up: for a file, drop the new data and leave whatever had the
 * final name alone; standard output is flushed as it is.  Frees z. */
void zout_abort(struct zout *z);

/* Bytes handed to zout_write so far (before compression). */
uint64_t zout_bytes(const struct zout *z);

/*
 * Start a thread with every signal blocked in it, so that signals reach
 * the main thread alone (see afile.h), and a write error becomes an error
 * code (EPIPE, EFBIG) that the main thread reports: zio's threads, and any
 * other a filter starts.  Failing to start is fatal.
 */
void zio_start_thread(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
