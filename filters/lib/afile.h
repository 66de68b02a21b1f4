/*
 * afile: files a run writes atomically.  Readers of the final name see
 * either the whole old file or the whole new one, never a half-written
 * one, and a run that dies (a fatal error, a signal) leaves nothing
 * behind: not the new file, not a temporary one.
 *
 * The data goes to an unnamed file (O_TMPFILE) in the target's directory,
 * which the kernel removes by itself if the program dies, SIGKILL
 * included.  af_commit links it under a short random name in the same
 * directory and renames that over the target.  Where O_TMPFILE is not
 * supported, a short-named file DIR/.wn-XXXXXX stands in for it (short, so
 * that a target name of up to 255 bytes still works); clean-up then
 * removes it.
 *
 * Every open afile is on one list.  On exit (msg_fatal included) and on
 * SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGALRM, SIGXFSZ, SIGVTALRM, SIGPIPE,
 * SIGUSR1 and SIGUSR2 the temporary names of all of them are removed; a
 * signal then ends the program with its default action, as if unhandled.
 * A signal that was ignored when the first afile was opened (nohup) stays
 * ignored.  The handlers run in the thread the signal is delivered to:
 * other threads of the program must block these signals (those started
 * by zio_start_thread block every signal) so that the list is only
 * changed, with the signals blocked, by the thread that also handles them.
 *
 * Replacing an existing regular file keeps its mode and, best effort, its
 * group (as "> file" and "sort -o" do); a new file gets 0666 less the
 * umask.  A symbolic link as the target is followed: its target is
 * replaced, or created when the chain of links ends where nothing is yet
 * (relative links from their own folders, as the kernel takes them), and
 * the links stay.  More than 40 links in a row are an error (ELOOP).  A
 * target that is not a regular file (a FIFO, /dev/null) is written
 * through, as "> file" would: there is nothing to replace, and nothing is
 * atomic.
 *
 * Errors are fatal (exit 2) with a message naming the file as given.
 */
#ifndef WINNOW_AFILE_H
#define WINNOW_AFILE_H

struct af;

/* Start writing a new version of path: "prog: PATH: cannot create: ..."
 * when that is not possible. */
struct af *af_open(const char *path);

/* The descriptor to write to; it belongs to f. */
int af_fd(const struct af *f);

/* The name given to af_open, made printable (control characters escaped),
 * for messages; it belongs to f. */
const char *af_name(const struct af *f);

/* Does something have the final name now?  (A dangling symbolic link
 * does not count.) */
int af_target_exists(const struct af *f);

/* Fail, "prog: PATH: is also WHAT, which this run would replace", when
 * the file path names ("-": standard input), if it exists, is the one f
 * will replace.  For a program that must not write over a file it reads
 * (a trainer whose model path names its training data), asked before it
 * reads. */
void af_refuse_input(const struct af *f, const char *path, const char *what);

/* Make the data durable, then put it under the final name, and free f.
 * "prog: PATH: write error: ..." when fsync or close fails,
 * "prog: PATH: cannot rename into place: ..." when the last step fails. */
void af_commit(struct af *f);

/* Drop the new data, leave the final name as it was, and free f. */
void af_discard(struct af *f);

#endif
