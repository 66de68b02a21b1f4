# Edge cases of the record library found in review: each was a bug.
. tests/lib.sh
P=$BIN/passthrough

# A complete member, then garbage or zero padding: the last record of the
# member is whole (its CRC checked) even without a final newline.
for tail in zeros garbage; do
	{ printf '{"a":1}\n{"a":2}' | gzip; if [ $tail = zeros ]; then head -c 512 /dev/zero; else printf 'not gzip'; fi; } >"$T/tz.gz"
	printf '{"a":1}\n{"a":2}\n' >"$T/want"
	for b in zlib isal; do
		run "edges/trailing-$tail-$b" 1 env WINNOW_GZIP=$b "$P" "$T/tz.gz" &&
			has "edges/trailing-$tail-$b-message" "$T/err" "tz.gz: trailing garbage after gzip data after 2 records"
		same "edges/trailing-$tail-$b-keeps-last-record" "$T/out" "$T/want"
	done
done

# JSON in, text out: a text with escapes and bad UTF-8 is repaired, not
# copied over itself.
printf '{"text":"\\u0041bc\377def"}\n' >"$T/esc.jsonl"
printf 'Abc\357\277\275def\n' >"$T/want"
run edges/to-text-escapes-bad-utf8 0 "$P" --to text "$T/esc.jsonl" &&
	same edges/to-text-escapes-bad-utf8-output "$T/out" "$T/want"
awk 'BEGIN { printf "{\"text\":\"\\u0041"; for (i = 0; i < 600; i++) printf "x"; printf "\377\"}\n" }' >"$T/esc600.jsonl"
run edges/to-text-escapes-bad-utf8-long 0 "$P" --to text "$T/esc600.jsonl"

# -o onto a FIFO writes through it, and the FIFO stays a FIFO.
printf '{"a":1}\n{"a":2}\n' >"$T/two.jsonl"
mkfifo "$T/out.fifo"
timeout 20 cat "$T/out.fifo" >"$T/from-fifo" &
reader=$!
run edges/o-fifo 0 "$P" -o "$T/out.fifo" "$T/two.jsonl"
wait $reader
same edges/o-fifo-data "$T/from-fifo" "$T/two.jsonl"
[ -p "$T/out.fifo" ] && pass edges/o-fifo-still-fifo || fail edges/o-fifo-still-fifo "replaced by a regular file"

# A model or table written onto a FIFO goes through it too (afile), as
# onto /dev/null: renaming over a device would replace it (only a FIFO is
# tried here, where a fault would not harm the machine).
printf '%s\n' '{"text":"Rain all day in the north.","desk":"weather"}' \
    '{"text":"A late goal won the final.","desk":"sport"}' >"$T/desks.jsonl"
mkfifo "$T/model.fifo"
timeout 20 cat "$T/model.fifo" >"$T/from-model-fifo" &
reader=$!
run edges/model-fifo 0 "$BIN/tag-topics" --train "$T/desks.jsonl" --labels desk -m "$T/model.fifo"
wait $reader
[ -p "$T/model.fifo" ] && pass edges/model-fifo-still-fifo || fail edges/model-fifo-still-fifo "replaced by a regular file"
run edges/model-from-fifo 0 "$BIN/tag-topics" -m "$T/from-model-fifo" "$T/desks.jsonl"

# -o onto a symbolic link replaces its target; the link stays.
echo old >"$T/target.jsonl"
ln -s target.jsonl "$T/link.jsonl"
run edges/o-symlink 0 "$P" -o "$T/link.jsonl" "$T/two.jsonl"
[ -L "$T/link.jsonl" ] && pass edges/o-symlink-still-link || fail edges/o-symlink-still-link "the link was replaced"
same edges/o-symlink-target "$T/target.jsonl" "$T/two.jsonl"

# still_link NAME LINK DEST: LINK is still a symbolic link to DEST.
still_link() {
	if [ -L "$2" ]; then
		equal "$1" "$(readlink "$2")" "$3"
	else
		fail "$1" "the link was replaced"
	fi
}

# -o onto a dangling link creates its target, taken from the link's
# folder when relative, as "> link" does; the link stays.
mkdir -p "$T/ln/sub"
ln -s new.jsonl "$T/ln/dangling.jsonl"
run edges/o-dangling 0 "$P" -o "$T/ln/dangling.jsonl" "$T/two.jsonl" &&
	same edges/o-dangling-target "$T/ln/new.jsonl" "$T/two.jsonl"
still_link edges/o-dangling-still-link "$T/ln/dangling.jsonl" new.jsonl
# A chain of two, the second relative to its own folder.
ln -s sub/middle.jsonl "$T/ln/first.jsonl"
ln -s ../end.jsonl "$T/ln/sub/middle.jsonl"
run edges/o-dangling-chain 0 "$P" -o "$T/ln/first.jsonl" "$T/two.jsonl" &&
	same edges/o-dangling-chain-target "$T/ln/end.jsonl" "$T/two.jsonl"
still_link edges/o-dangling-chain-first "$T/ln/first.jsonl" sub/middle.jsonl
still_link edges/o-dangling-chain-second "$T/ln/sub/middle.jsonl" ../end.jsonl
# A target in a folder that does not exist: the error of any such path.
ln -s nowhere/out.jsonl "$T/ln/nofolder.jsonl"
run edges/o-dangling-no-folder 2 "$P" -o "$T/ln/nofolder.jsonl" "$T/two.jsonl" &&
	has edges/o-dangling-no-folder-message "$T/err" \
	    "passthrough: $T/ln/nofolder.jsonl: cannot create: No such file or directory"
still_link edges/o-dangling-no-folder-still-link "$T/ln/nofolder.jsonl" nowhere/out.jsonl
# A loop of links: an error, and the links stay.
ln -s loop-b.jsonl "$T/ln/loop-a.jsonl"
ln -s loop-a.jsonl "$T/ln/loop-b.jsonl"
run edges/o-link-loop 2 "$P" -o "$T/ln/loop-a.jsonl" "$T/two.jsonl" &&
	has edges/o-link-loop-message "$T/err" \
	    "passthrough: $T/ln/loop-a.jsonl: cannot create: Too many levels of symbolic links"
still_link edges/o-link-loop-still-link "$T/ln/loop-a.jsonl" loop-b.jsonl
left=$(ls -A "$T/ln" "$T/ln/sub" | grep '^\.wn-')
[ -z "$left" ] && pass edges/o-links-no-temp || fail edges/o-links-no-temp "left behind: $left"
# /dev/stdout onto a pipe: a link into /proc that only its own name reaches.
mkfifo "$T/stdout.fifo"
timeout 20 cat "$T/stdout.fifo" >"$T/from-stdout-fifo" &
reader=$!
run edges/o-dev-stdout-pipe 0 sh -c 'exec "$0" -o /dev/stdout "$1" >"$2"' "$P" "$T/two.jsonl" "$T/stdout.fifo"
wait $reader
same edges/o-dev-stdout-pipe-data "$T/from-stdout-fifo" "$T/two.jsonl"

# nohup: an ignored SIGHUP stays ignored with -o.  The writer side runs
# in a shell of its own, bounded in time, so that a failure is a FAIL and
# not a hang or a SIGPIPE of this script.
mkfifo "$T/in.fifo"
(trap '' HUP; exec "$P" -o "$T/hup.jsonl" "$T/in.fifo") 2>"$T/hup.err" &
pid=$!
timeout 20 sh -c 'exec 3>"$1"; echo "{\"a\":1}" >&3; sleep 0.2; kill -HUP "$2"; sleep 0.2;
    echo "{\"a\":2}" >&3' sh "$T/in.fifo" $pid 2>/dev/null
wait $pid
st=$?
if [ $st -eq 0 ] && cmp -s "$T/hup.jsonl" "$T/two.jsonl"; then
	pass edges/o-sighup-ignored
else
	fail edges/o-sighup-ignored "status $st, $(cat "$T/hup.err")"
fi

# A signal that ends the run removes the temporary file: here SIGXFSZ.
mkdir -p "$T/x"
awk 'BEGIN { for (i = 0; i < 4000; i++) print "{\"id\":" i ",\"text\":\"filling the file-size limit\"}" }' >"$T/big.jsonl"
sh -c 'ulimit -f 64; exec "$0" -o "$1" "$2"' "$P" "$T/x/out.jsonl" "$T/big.jsonl" 2>/dev/null
left=$(ls -A "$T/x")
[ -z "$left" ] && pass edges/o-sigxfsz-no-temp || fail edges/o-sigxfsz-no-temp "left behind: $left"

# Standard input closed: an error, not a hang.
run edges/stdin-closed 1 timeout 10 sh -c "exec '$P' <&-" &&
	has edges/stdin-closed-message "$T/err" "passthrough: <stdin>: Bad file descriptor"

# Records that trickle in through a pipe can be read from -z output at
# once: the writer sync-flushes gzip whenever input stalls.
for b in zlib isal; do
	rm -f "$T/trickle.fifo"
	mkfifo "$T/trickle.fifo"
	WINNOW_GZIP=$b "$P" -z <"$T/trickle.fifo" >"$T/trickle.gz" 2>/dev/null &
	pid=$!
	timeout 20 sh -c 'exec 3>"$1"; echo "{\"a\":1}" >&3; i=0
	    while [ $i -lt 100 ]; do
		zcat "$2" 2>/dev/null | grep -q "{\"a\":1}" && exit 0
		sleep 0.1; i=$((i + 1))
	    done; exit 1' sh "$T/trickle.fifo" "$T/trickle.gz"
	st=$?
	wait $pid
	[ $st -eq 0 ] && pass "edges/gzip-sync-flush-$b" ||
	    fail "edges/gzip-sync-flush-$b" "the first record never became readable"
	printf '{"a":1}\n' >"$T/want"
	zcat "$T/trickle.gz" >"$T/got" 2>&1
	same "edges/gzip-sync-flush-$b-whole" "$T/got" "$T/want"
	# A file named by -o is read by no one before the end: it is never
	# flushed early, so its bytes are those of input that came at once.
	printf '{"a":%d}\n' 1 2 3 4 5 6 >"$T/six"
	WINNOW_GZIP=$b "$P" -o "$T/at-once.gz" "$T/six"
	{ head -3 "$T/six"; sleep 0.3; tail -n 3 "$T/six"; } |
		WINNOW_GZIP=$b "$P" -o "$T/trickled.gz"
	same "edges/gzip-o-reproducible-$b" "$T/trickled.gz" "$T/at-once.gz"
done
