/*
 * zio: byte streams in and out, plain or gzip, each served by a thread of
 * its own so that inflating, deflating and the system calls overlap with
 * the filter's work on the other core.
 *
 * gzip input is recognised by its magic bytes, not by the file name, and
 * every member of a multi-member file is read.  Two backends do the gzip
 * work: zlib, always built in, and Intel ISA-L when winnow was built with
 * it (several times faster).  WINNOW_GZIP=zlib or WINNOW_GZIP=isal in the
 * environment picks one; both behave the same.
 */
#ifndef WINNOW_ZIO_H
#define WINNOW_ZIO_H

#include <stddef.h>
#include <stdint.h>

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
 * what went wrong ("truncated gzip input", "corrupt gzip input", ...). */
const char *zin_error(const struct zin *z);

/* Did that error cut the data short (a truncated or corrupt member, a
 * read error), so that the bytes before it may end mid-record?  Trailing
 * garbage after a complete member does not. */
int zin_cut(const struct zin *z);

/* Bytes of the file consumed so far (compressed bytes for gzip), as of
 * the last piece zin_read returned. */
uint64_t zin_raw_offset(const struct zin *z);

/* Stop reading, at once even in the middle of the input, and free z. */
void zin_close(struct zin *z);

struct zout;

/*
 * Open the output: standard output when path is NULL or "-", else a
 * temporary file beside path that zout_close renames into place.
 * gzip_level 0 writes plain bytes, 1 to 9 gzip.  Failures are fatal.
 */
struct zout *zout_open(const char *path, int gzip_level);

/* Queue n bytes for writing.  A write error seen by the writer thread is
 * fatal here or in zout_close: "prog: FILE: write error: ...", exit 2. */
void zout_write(struct zout *z, const void *p, size_t n);

/* Hand what is queued to the writer now, not when a block is full: for a
 * reader at the other end of a pipe while input trickles in. */
void zout_flush(struct zout *z);

/* Flush everything, close, and rename the temporary file into place. */
void zout_close(struct zout *z);

/* Give up: for a file, remove the temporary file and leave whatever had
 * the final name alone; standard output is flushed as it is. */
void zout_abort(struct zout *z);

/* Bytes handed to zout_write so far (before compression). */
uint64_t zout_bytes(const struct zout *z);

#endif
