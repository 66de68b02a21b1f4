# Faults the disk and the kernel can throw, injected with tests/inject.c:
# a full disk, a failing close or fsync, a read error.  Every one must be
# reported, end with the right status, and never leave a half-written file
# under the final name.
. tests/lib.sh
P=$BIN/passthrough
# The shim is not built with the sanitizers; let ASan accept it.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS
inject() { LD_PRELOAD=$BIN/inject.so "$@"; }

i=0
while [ $i -lt 5000 ]; do
	echo '{"id":'$i',"text":"A record long enough that five thousand of them fill a few hundred kilobytes."}'
	i=$((i + 1))
done >"$T/in.jsonl"
mkdir -p "$T/o"

# no_temp NAME: nothing but the final names in $T/o.
no_temp() {
	left=$(ls -A "$T/o" | grep -v '^old\.' | tr '\n' ' ')
	if [ -z "$left" ]; then
		pass "$1"
	else
		fail "$1" "left behind: $left"
	fi
}

# The new file is unnamed (O_TMPFILE) until it is complete, and where the
# file system has no unnamed files it is $T/o/.wn-XXXXXX: either way the
# injections name it by its folder.  Each case runs both ways.
for mode in tmpfile mkstemp; do
	nt=
	sfx=
	if [ $mode = mkstemp ]; then
		nt=INJECT_NO_TMPFILE=1
		sfx=-mkstemp
	fi
	# (The gzip output of these records is small: fail it early.)
	for z in "" .gz; do
		limit=100000
		[ -n "$z" ] && limit=2000
		echo "the previous night's file" >"$T/o/old.jsonl$z"
		cp "$T/o/old.jsonl$z" "$T/prev"
		run "faults/enospc$z$sfx" 2 env $nt INJECT_WRITE_ENOSPC="$T/o/:$limit" \
		    LD_PRELOAD="$BIN/inject.so" "$P" -o "$T/o/old.jsonl$z" "$T/in.jsonl" &&
			has "faults/enospc$z$sfx-message" "$T/err" "write error: No space left on device"
		same "faults/enospc$z$sfx-old-file-untouched" "$T/o/old.jsonl$z" "$T/prev"
		no_temp "faults/enospc$z$sfx-no-temp"
		rm -f "$T/o/old.jsonl$z"
	done

	run faults/close-eio$sfx 2 env $nt INJECT_CLOSE_EIO="$T/o/" LD_PRELOAD="$BIN/inject.so" \
	    "$P" -o "$T/o/c.jsonl" "$T/in.jsonl" &&
		has faults/close-eio$sfx-message "$T/err" "passthrough: $T/o/c.jsonl: write error: Input/output error"
	[ -e "$T/o/c.jsonl" ] && fail faults/close-eio$sfx-no-file "c.jsonl exists" || pass faults/close-eio$sfx-no-file
	no_temp faults/close-eio$sfx-no-temp

	run faults/fsync-eio$sfx 2 env $nt INJECT_FSYNC_EIO="$T/o/" LD_PRELOAD="$BIN/inject.so" \
	    "$P" -o "$T/o/f.jsonl" "$T/in.jsonl" &&
		has faults/fsync-eio$sfx-message "$T/err" "write error: Input/output error"
	no_temp faults/fsync-eio$sfx-no-temp
done

# A full disk behind standard output.
run faults/stdout-enospc 2 sh -c "INJECT_WRITE_ENOSPC='stdout.txt:5000' LD_PRELOAD='$BIN/inject.so' '$P' '$T/in.jsonl' >'$T/stdout.txt'" &&
	has faults/stdout-enospc-message "$T/err" "passthrough: <stdout>: write error: No space left on device"

# A read error in the middle of the first input: the records before it
# are written, the error is named with the count, the next input is read.
head -n 3 "$T/in.jsonl" >"$T/second.jsonl"
run faults/read-eio 1 env INJECT_READ_EIO="in.jsonl:1000" LD_PRELOAD="$BIN/inject.so" \
    "$P" "$T/in.jsonl" "$T/second.jsonl" &&
	has faults/read-eio-message "$T/err" "passthrough: $T/in.jsonl: read error: Input/output error after"
n=$(sed -n 's/.*after \([0-9]*\) records.*/\1/p' "$T/err")
head -n "${n:-0}" "$T/in.jsonl" >"$T/want"
cat "$T/second.jsonl" >>"$T/want"
same faults/read-eio-records-before-and-after "$T/out" "$T/want"
