# Input and output of the record library (filters/lib/zio.h, afile.h):
# files replaced atomically, with their mode and group, and nothing left
# behind by a signal; an old file kept when an input failed; zstd in and
# out; xz, bzip2 and zip refused; gzip member headers checked alike by both
# backends; WINNOW_GZIP checked; control characters in names escaped.
#
# Every expected output is written by hand from the contract.
. tests/lib.sh

P=$(pwd)/$BIN/passthrough
INJ=$(pwd)/$BIN/inject.so
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS
cd "$T" || exit 2
unset WINNOW_GZIP

printf '{"a":1}\n{"a":2}\n' >two.jsonl
printf '{"b":3}\n' >three.jsonl
: >empty

# same_as NAME FILE: FILE must equal the text on standard input.
same_as() {
	cat >expected && same "$1" "$2" expected
}

# empty_dir NAME DIR: nothing at all in DIR.
empty_dir() {
	left=$(ls -A "$2" | tr '\n' ' ')
	[ -z "$left" ] && pass "$1" || fail "$1" "left behind: $left"
}

# mode_is NAME FILE MODE: FILE's permission bits, in octal, are MODE.
mode_is() {
	m=$(stat -c %a "$2")
	[ "$m" = "$3" ] && pass "$1" || fail "$1" "mode $m, want $3"
}

# ---- atomic files: with an unnamed temporary, and with the fallback ----

for mode in tmpfile mkstemp; do
	pre=
	sfx=
	if [ $mode = mkstemp ]; then
		pre="env INJECT_NO_TMPFILE=1 LD_PRELOAD=$INJ"
		sfx=-mkstemp
	fi
	rm -rf d && mkdir d

	# A new file: 0666 less the umask, whatever the fallback's mkstemp made.
	(umask 027 && exec $pre "$P" -o d/new.jsonl two.jsonl) 2>err
	same zio/new-file$sfx d/new.jsonl two.jsonl
	mode_is zio/new-file-umask$sfx d/new.jsonl 640
	rm -f d/new.jsonl

	# An old file keeps its mode (and group, which only root can show).
	echo old >d/keep.jsonl
	chmod 600 d/keep.jsonl
	[ "$(id -u)" -eq 0 ] && chgrp 1 d/keep.jsonl
	run zio/replace$sfx 0 $pre "$P" -o d/keep.jsonl two.jsonl &&
		same zio/replace-data$sfx d/keep.jsonl two.jsonl
	mode_is zio/replace-keeps-mode$sfx d/keep.jsonl 600
	if [ "$(id -u)" -eq 0 ]; then
		g=$(stat -c %g d/keep.jsonl)
		[ "$g" = 1 ] && pass zio/replace-keeps-group$sfx ||
		    fail zio/replace-keeps-group$sfx "group $g, want 1"
	fi
	chmod 0604 d/keep.jsonl
	run zio/replace-again$sfx 0 $pre "$P" -o d/keep.jsonl three.jsonl
	mode_is zio/replace-keeps-odd-mode$sfx d/keep.jsonl 604
	rm -f d/keep.jsonl

	# Names of 250 and 255 bytes: the temporary name is short.
	for len in 250 255; do
		long=$(printf "%$((len - 6))s" "" | tr ' ' n).jsonl
		run zio/long-name-$len$sfx 0 $pre "$P" -o "d/$long" two.jsonl &&
			same zio/long-name-$len-data$sfx "d/$long" two.jsonl
		rm -f "d/$long"
	done
	empty_dir zio/no-temp-left$sfx d

	# SIGPIPE on stderr (a message to "| head -1" that has gone): the
	# program ends by SIGPIPE and leaves nothing.  The reader is gone
	# before the first malformed record arrives.
	rm -f in.fifo && mkfifo in.fifo
	(sleep 0.5; printf 'bad 1\nbad 2\nbad 3\n') >in.fifo &
	sh -c '$1 "$2" -o d/out.jsonl in.fifo 2>&1; echo $? >st' sh "$pre" "$P" | true
	wait
	st=$(cat st)
	[ "$st" = 141 ] && pass zio/sigpipe-status$sfx || fail zio/sigpipe-status$sfx "status $st, want 141"
	empty_dir zio/sigpipe-no-file$sfx d

	# SIGTERM, and with an unnamed temporary SIGKILL too, mid-run.
	for sig in TERM KILL; do
		[ $sig = KILL ] && [ $mode = mkstemp ] && continue
		rm -f in.fifo && mkfifo in.fifo
		(cat two.jsonl; sleep 3) >in.fifo &
		feeder=$!
		$pre "$P" -o d/out.jsonl in.fifo 2>/dev/null &
		pid=$!
		sleep 0.5
		kill -$sig $pid
		{ wait $pid; } 2>/dev/null
		st=$?
		kill $feeder 2>/dev/null
		wait $feeder 2>/dev/null
		want=143
		[ $sig = KILL ] && want=137
		[ $st = $want ] && pass zio/sig$sig-status$sfx || fail zio/sig$sig-status$sfx "status $st, want $want"
		empty_dir zio/sig$sig-no-file$sfx d
	done
	wait

	# Never replace an old file by less than asked: an input that could
	# not be read leaves it as it was; a file that did not exist is made.
	echo "yesterday's file" >d/out.jsonl
	cp d/out.jsonl want
	cat >want.err <<EOF
passthrough: missing.jsonl: No such file or directory
passthrough: d/out.jsonl: left as it was, since an input could not be read completely
EOF
	run zio/incomplete-keeps-old$sfx 1 $pre "$P" -o d/out.jsonl two.jsonl missing.jsonl &&
		same zio/incomplete-keeps-old-message$sfx err want.err
	same zio/incomplete-keeps-old-data$sfx d/out.jsonl want
	ls -A d >got
	echo out.jsonl >want
	same zio/incomplete-no-temp$sfx got want
	rm -f d/out.jsonl
	echo "passthrough: missing.jsonl: No such file or directory" >want.err
	run zio/incomplete-new-file$sfx 1 $pre "$P" -o d/out.jsonl two.jsonl missing.jsonl &&
		same zio/incomplete-new-file-message$sfx err want.err
	same zio/incomplete-new-file-data$sfx d/out.jsonl two.jsonl
	rm -f d/out.jsonl
done

# A truncated gzip input keeps the old file too.
printf '{"c":1}\n' | gzip -c | head -c 12 >cut.gz
echo old >kept.jsonl
run zio/incomplete-gzip-keeps-old 1 "$P" -o kept.jsonl two.jsonl cut.gz &&
	has zio/incomplete-gzip-keeps-old-message err "passthrough: kept.jsonl: left as it was"
echo old >want
same zio/incomplete-gzip-keeps-old-data kept.jsonl want

# Failures to create come before any input is read (the FIFO has no
# writer: reading it would hang) and name the file.
rm -f in.fifo && mkfifo in.fifo
run zio/create-no-dir 2 timeout 10 "$P" -o nodir/out.jsonl in.fifo &&
	same_as zio/create-no-dir-message err <<EOF
passthrough: nodir/out.jsonl: cannot create: No such file or directory
EOF
mkdir -p isdir
run zio/create-directory 2 timeout 10 "$P" -o isdir in.fifo &&
	has zio/create-directory-message err "passthrough: isdir: cannot create: Is a directory"
if [ "$(id -u)" -ne 0 ]; then
	mkdir -p ro && chmod 555 ro
	run zio/create-read-only-dir 2 timeout 10 "$P" -o ro/out.jsonl in.fifo &&
		has zio/create-read-only-dir-message err "passthrough: ro/out.jsonl: cannot create: Permission denied"
	empty_dir zio/create-read-only-dir-empty ro
fi

# A name with control characters is escaped in messages.
run zio/name-escaped 2 "$P" -o "$(printf 'a\nb\tc')/out.jsonl" two.jsonl &&
	same_as zio/name-escaped-message err <<'EOF'
passthrough: a\nb\tc/out.jsonl: cannot create: No such file or directory
EOF

# ---- WINNOW_GZIP ----

for v in bogus ISAL "zlib "; do
	run "zio/winnow-gzip-bad-$v" 2 env WINNOW_GZIP="$v" "$P" two.jsonl &&
		same_as "zio/winnow-gzip-bad-$v-message" err <<EOF
passthrough: WINNOW_GZIP: '$v' is not zlib or isal
EOF
	same "zio/winnow-gzip-bad-$v-no-output" out empty
done
for v in zlib isal ""; do
	run "zio/winnow-gzip-good-$v" 0 env WINNOW_GZIP="$v" "$P" two.jsonl &&
		same "zio/winnow-gzip-good-$v-output" out two.jsonl
done

# ---- gzip member headers: a reserved FLG bit, a method not deflate ----

printf '{"a":1}\n{"a":2}\n' | gzip -n -c >good.gz
# header bytes: 1f 8b CM FLG ...; good.gz has CM 8, FLG 0
{ printf '\037\213\010\040'; tail -c +5 good.gz; } >flg20.gz
{ printf '\037\213\010\200'; tail -c +5 good.gz; } >flg80.gz
{ printf '\037\213\007\000'; tail -c +5 good.gz; } >cm7.gz
{ cat good.gz flg20.gz; } >second.gz
for b in zlib isal; do
	for f in flg20 flg80 cm7; do
		run "zio/gzip-header-$f-$b" 1 env WINNOW_GZIP=$b "$P" $f.gz three.jsonl &&
			same_as "zio/gzip-header-$f-$b-message" err <<EOF
passthrough: $f.gz: corrupt gzip input after 0 records
EOF
		same "zio/gzip-header-$f-$b-next-input" out three.jsonl
	done
	run "zio/gzip-header-second-member-$b" 1 env WINNOW_GZIP=$b "$P" second.gz &&
		same_as "zio/gzip-header-second-member-$b-message" err <<EOF
passthrough: second.gz: corrupt gzip input after 2 records
EOF
	same "zio/gzip-header-second-member-$b-first-kept" out two.jsonl
done

# ---- zstd input ----

printf '{"a":1}\n' | zstd -q -c >f1.zst
printf '{"a":2}\n' | zstd -q -19 -c >f2.zst
# A skippable frame (magic 0x184D2A50, 4 bytes of payload) between them.
{ cat f1.zst; printf 'P*M\030\004\000\000\000abcd'; cat f2.zst; } >frames.zst
run zio/zstd-frames 0 "$P" frames.zst && same zio/zstd-frames-output out two.jsonl
run zio/zstd-stdin 0 sh -c 'exec "$1" <frames.zst' sh "$P" && same zio/zstd-stdin-output out two.jsonl
run zio/zstd-mixed 0 "$P" three.jsonl frames.zst three.jsonl &&
	{ cat three.jsonl two.jsonl three.jsonl >want; same zio/zstd-mixed-output out want; }

awk 'BEGIN { for (i = 0; i < 20000; i++) print "{\"id\":" i ",\"text\":\"a record of the zstd tests\"}" }' >gen.jsonl
zstd -q -c gen.jsonl >gen.zst
size=$(wc -c <gen.zst)
head -c $((size / 2)) gen.zst >trunc.zst
ntrunc=$(zstd -dc trunc.zst 2>/dev/null | wc -l | tr -d ' ')
head -n "$ntrunc" gen.jsonl >want
cat three.jsonl >>want
run zio/zstd-truncated 1 "$P" trunc.zst three.jsonl &&
	same_as zio/zstd-truncated-message err <<EOF
passthrough: trunc.zst: truncated zstd input after $ntrunc records
EOF
same zio/zstd-truncated-keeps-records out want
{ head -c 200 gen.zst; head -c 300 /dev/zero | tr '\0' 'x'; tail -c +501 gen.zst; } >corrupt.zst
run zio/zstd-corrupt 1 "$P" corrupt.zst three.jsonl &&
	has zio/zstd-corrupt-message err "passthrough: corrupt.zst: corrupt zstd input after"
{ cat f1.zst; printf 'garbage'; } >garbage.zst
run zio/zstd-trailing-garbage 1 "$P" garbage.zst &&
	same_as zio/zstd-trailing-garbage-message err <<EOF
passthrough: garbage.zst: trailing garbage after zstd data after 1 records
EOF

# ---- zstd output ----

# is_zstd NAME FILE: FILE starts with the zstd magic and zstd -d reads
# back gen.jsonl from it.
is_zstd() {
	if [ "$(head -c 4 "$2" | od -An -tx1 | tr -d ' ')" = 28b52ffd ] &&
	    zstd -dc "$2" 2>/dev/null | cmp -s - gen.jsonl; then
		pass "$1"
	else
		fail "$1" "not zstd of the input"
	fi
}
run zio/zstd-out-option 0 "$P" --zstd gen.jsonl && is_zstd zio/zstd-out-option-data out
run zio/zstd-out-name 0 "$P" -o o.zst gen.jsonl && is_zstd zio/zstd-out-name-data o.zst
run zio/zstd-out-level 0 "$P" --zstd=19 -o o19.zst gen.jsonl && is_zstd zio/zstd-out-level-data o19.zst
run zio/zstd-out-gz-name 0 "$P" --zstd -o o.gz gen.jsonl && is_zstd zio/zstd-out-gz-name-data o.gz
run zio/zstd-out-z-wins 0 "$P" -z -o z.zst gen.jsonl &&
	if [ "$(head -c 2 z.zst | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
		pass zio/zstd-out-z-wins-gzip
	else
		fail zio/zstd-out-z-wins-gzip "-z -o FILE.zst did not write gzip"
	fi
run zio/zstd-roundtrip 0 sh -c '"$1" --zstd gen.jsonl | "$1"' sh "$P" && same zio/zstd-roundtrip-data out gen.jsonl
for bad in 0 20 x; do
	run "zio/zstd-bad-level-$bad" 2 "$P" --zstd=$bad two.jsonl &&
		has "zio/zstd-bad-level-$bad-message" err "passthrough: --zstd: '$bad' is not a level from 1 to 19"
done
run zio/zstd-and-gzip 2 "$P" --zstd --gzip-level=3 two.jsonl &&
	has zio/zstd-and-gzip-message err "passthrough: --zstd: the output is gzip already"

# ---- formats not read ----

printf '\3757zXZ\000\000\004' >x.xz
printf 'BZh91AY&SY' >x.bz2
printf 'PK\003\004\024\000' >x.zip
for f in x.xz:xz x.bz2:bzip2 x.zip:zip; do
	file=${f%%:*} what=${f#*:}
	run "zio/refuse-$what" 1 "$P" "$file" three.jsonl &&
		printf 'passthrough: %s: %s input is not supported\n' "$file" "$what" >refuse.want &&
		same "zio/refuse-$what-message" err refuse.want
	same "zio/refuse-$what-next-input" out three.jsonl
done
# Plain text that starts like a magic but is not one is plain.
printf 'BZ\n' >bz.txt
run zio/not-magic 0 "$P" -F text bz.txt &&
	same_as zio/not-magic-output out <<'EOF'
{"text":"BZ"}
EOF
