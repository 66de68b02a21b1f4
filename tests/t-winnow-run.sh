#!/bin/sh
# winnow-run: outputs equal to the pipeline run by hand, skipping what is
# up to date, redoing what changed, the lock, a killed run, bad archives,
# a full disk, bad configurations.  The archives are the sample ones of
# testdata/archive, under other names where a check needs more of them.
. tests/lib.sh
# The fault injection library goes before the sanitizer runtimes.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS

WR=$(pwd)/$BIN/winnow-run
B=$(pwd)/$BIN
A=$(pwd)/$D/archive
IN=$T/in
OUT=$T/clean
mkdir -p "$IN"
cp "$A"/*.jsonl.gz "$IN"/

# expect DIR ARCHIVE...: in DIR, what the pipeline gives each ARCHIVE (a
# path) when dedupe-boilerplate judges by the counts of all of them, as
# winnow-run promises: count, add up, clean by the sum.
expect() {
	ed=$1
	shift
	mkdir -p "$ed"
	for a; do
		"$B/normalize" "$a" 2>/dev/null | "$B/dedupe-boilerplate" --count-only -o "$ed/${a##*/}.table"
	done
	"$B/dedupe-boilerplate" --merge -o "$ed/sum" "$ed"/*.table
	for a; do
		w=$ed/${a##*/}
		"$B/normalize" "$a" 2>/dev/null |
			"$B/dedupe-boilerplate" --table "$ed/sum" --stats 2>"$w.dd" |
			"$B/extract-names" --stats 2>"$w.en" | "$B/tag-topics" --stats 2>"$w.tt" >"$w"
	done
}

# same_archive NAME GOT WANT: gzip GOT holds the records of plain WANT.
same_archive() {
	if gzip -dc "$2" >"$T/unz" 2>/dev/null; then
		same "$1" "$T/unz" "$3"
	else
		fail "$1" "$2 missing or not gzip"
	fi
}

# summary_has NAME TEXT: the last summary line of the log holds TEXT.
summary_has() {
	grep ' summary ' "$OUT/winnow.log" | tail -1 >"$T/summary"
	has "$1" "$T/summary" "$2"
}

# ---- a first run, a second, a changed archive, a new configuration ----

expect "$T/want" "$IN"/*.jsonl.gz
run run/first 0 "$WR" -j 2 "$IN" "$OUT" && {
	for a in "$IN"/*.jsonl.gz; do
		n=${a##*/}
		same_archive "run/first-$n" "$OUT/$n" "$T/want/$n"
	done
	summary_has run/first-summary "archives=3 cleaned=3 skipped=0 partial=0 failed=0 records_in=43 records_out=43 "
	[ -s "$T/err" ] && fail run/first-quiet "not a terminal, nothing failed, yet: $(head -c 200 "$T/err")" ||
		pass run/first-quiet
	# One log line per archive, with the counts the filters gave.
	n=$(grep -c '^20[0-9-]*T[0-9:]*Z ok records_in=[0-9]* records_out=[0-9]* malformed=0 boilerplate_lines=[0-9]* names=[0-9]* topics=[0-9]* seconds=[0-9.]* mb_per_s=[0-9.]* news-2026-11-1[89].jsonl.gz$\|news-2026-11-20.jsonl.gz$' "$OUT/winnow.log")
	[ "$n" = 3 ] && pass run/log-lines || fail run/log-lines "$n archive lines: $(cat "$OUT/winnow.log")"
	has run/log-18 "$OUT/winnow.log" " ok records_in=14 records_out=14 malformed=0 "
	# and the counts of the filters' own --stats: every detector's lines,
	# the names, the topics.
	w=$T/want/news-2026-11-19.jsonl.gz
	boiler=$(grep -o '"lines_[a-z_]*":[0-9]*' "$w.dd" | awk -F: '{ n += $2 } END { print n }')
	names=$(sed -n 's/.*"names":\([0-9]*\).*/\1/p' "$w.en")
	topics=$(sed -n 's/.*"topics":\([0-9]*\).*/\1/p' "$w.tt")
	has run/log-counts "$OUT/winnow.log" " boilerplate_lines=$boiler names=$names topics=$topics seconds="
	# The manifest: a header, then name, size, mtime, sha256, config, result, time.
	sz=$(wc -c <"$IN/news-2026-11-19.jsonl.gz" | tr -d ' ')
	sum=$(sha256sum <"$IN/news-2026-11-19.jsonl.gz" | cut -c1-64)
	has run/manifest "$OUT/winnow.manifest" "$(printf 'news-2026-11-19.jsonl.gz\t%s\t%s\t%s\t' "$sz" "$(stat -c %Y "$IN/news-2026-11-19.jsonl.gz")" "$sum")"
	lines run/manifest-lines "$OUT/winnow.manifest" 4
}
# The number of jobs changes nothing.
run run/one-job 0 "$WR" -j 1 "$IN" "$T/out1" &&
	for a in "$IN"/*.jsonl.gz; do
		n=${a##*/}
		same "run/one-job-$n" "$T/out1/$n" "$OUT/$n"
	done

cp "$OUT/news-2026-11-18.jsonl.gz" "$T/first-18"
run run/again 0 "$WR" "$IN" "$OUT" && summary_has run/again-skips "cleaned=0 skipped=3 "
same run/again-untouched "$OUT/news-2026-11-18.jsonl.gz" "$T/first-18"
# A new mtime on the same content: the hash says it is done.
touch -d '2026-11-21 04:00' "$IN/news-2026-11-18.jsonl.gz"
run run/touched 0 "$WR" "$IN" "$OUT" && summary_has run/touched-skips "cleaned=0 skipped=3 "
# A changed archive is cleaned again, alone.
gzip -dc "$A/news-2026-11-20.jsonl.gz" | head -3 | gzip -1 >"$IN/news-2026-11-20.jsonl.gz"
run run/changed 0 "$WR" "$IN" "$OUT" && {
	summary_has run/changed-redone "cleaned=1 skipped=2 "
	gzip -dc "$OUT/news-2026-11-20.jsonl.gz" | wc -l | tr -d ' ' >"$T/n"
	echo 3 >"$T/n.want"
	same run/changed-records "$T/n" "$T/n.want"
}
# A new configuration cleans everything again, with its options.
printf '%s\n' '# names only' 'normalize' '' "extract-names --key 'people and places'" >"$T/conf"
run run/config 0 "$WR" -c "$T/conf" "$IN" "$OUT" && {
	summary_has run/config-redone "cleaned=3 skipped=0 "
	gzip -dc "$OUT/news-2026-11-19.jsonl.gz" | head -1 >"$T/rec"
	has run/config-key "$T/rec" '"people and places":['
	if grep -q '"topics":' "$T/rec"; then fail run/config-no-topics "tag-topics ran"; else pass run/config-no-topics; fi
}

# ---- a configuration naming a file by a relative path ----

# The path is the caller's, as when the filter runs by hand: the rule
# drops a line of the first archive's first record.
mkdir -p "$T/caller"
printf 'levy\tdrop-line\t^Wrenmouth councillors have voted to introduce a levy\n' >"$T/caller/port.rules"
printf 'normalize\ndedupe-boilerplate --rules port.rules\n' >"$T/caller/port.conf"
if (cd "$T/caller" && "$WR" -c port.conf "$IN" "$T/rel-out") >"$T/out" 2>"$T/err"; then
	pass config/relative-path
	if zcat "$T/rel-out/news-2026-11-18.jsonl.gz" | grep -q 'Wrenmouth councillors have voted'; then
		fail config/relative-path-rule "the rule of port.rules did not apply"
	else
		pass config/relative-path-rule
	fi
else
	fail config/relative-path "status $?: $(head -c 300 "$T/err")"
fi
# A changed file the configuration names is a new configuration: the
# archives are cleaned again.
printf '# the same rule, the file changed\n' >>"$T/caller/port.rules"
if (cd "$T/caller" && "$WR" -c port.conf "$IN" "$T/rel-out") >"$T/out" 2>"$T/err"; then
	grep ' summary ' "$T/rel-out/winnow.log" | tail -1 >"$T/summary"
	has config/changed-file "$T/summary" "archives=3 cleaned=3 skipped=0 "
else
	fail config/changed-file "status $?: $(head -c 300 "$T/err")"
fi

# dedupe-boilerplate's line model may be given as --model=FILE too.
printf 'normalize\ndedupe-boilerplate --model=%s\n' "$(pwd)/filters/dedupe-boilerplate/model.txt" >"$T/model.conf"
run config/dedupe-model 0 "$WR" -n -c "$T/model.conf" "$IN" "$T/model-out" &&
	pass config/dedupe-model

# ---- configurations refused before any work ----

# bad_config NAME CONTENT MESSAGE: a configuration of CONTENT (printf
# format) is refused with status 2 and exactly MESSAGE, and OUTDIR is
# not made.
bad_config() {
	# shellcheck disable=SC2059 # the content is a format, for its \n
	printf "$2" >"$T/$1.conf"
	run "config/$1" 2 "$WR" -c "$T/$1.conf" "$IN" "$T/never" && {
		printf 'winnow-run: %s\n' "$T/$1.conf:$3" >"$T/err.want"
		same "config/$1" "$T/err" "$T/err.want"
		[ -e "$T/never" ] && fail "config/$1-no-work" "$T/never was made" || pass "config/$1-no-work"
	}
}
bad_config unknown 'normalize\nfrobnicate --fast\n' \
    "2: unknown filter 'frobnicate' (normalize, dedupe-boilerplate, extract-names or tag-topics)"
bad_config option 'normalize --no-such-option\n' "1: normalize: unrecognized option '--no-such-option'"
bad_config value 'dedupe-boilerplate --min-docs=many\n' \
    "1: dedupe-boilerplate: --min-docs: 'many' is not a number of records from 2"
bad_config output 'tag-topics -o x.jsonl\n' \
    "1: tag-topics -o: winnow-run sets the input, output, statistics and counts itself"
bad_config state '\n\ndedupe-boilerplate --state=s\n' \
    "3: dedupe-boilerplate --state=s: winnow-run sets the input, output, statistics and counts itself"
bad_config twice 'dedupe-boilerplate\ndedupe-boilerplate\n' "2: dedupe-boilerplate twice"
bad_config quotes "normalize --translit 'Any-Latin\n" "1: unbalanced quotes"
# Options of the filters' own that look like refused ones pass.
printf '  normalize --also title\n\t# a comment\ntag-topics --top 5 --min-score=0.6\n' >"$T/good.conf"
run config/good 0 "$WR" -n -c "$T/good.conf" "$IN" "$T/never"
printf '# nothing\n' >"$T/empty.conf"
run config/empty 2 "$WR" -c "$T/empty.conf" "$IN" "$T/never" &&
	has config/empty "$T/err" "names no filter"
run usage/jobs 2 "$WR" -j 0 "$IN" "$T/never" && has usage/jobs "$T/err" "-j: '0' is not a number of jobs from 1"
run usage/operands 2 "$WR" "$IN" && has usage/operands "$T/err" "usage: winnow-run"
run usage/no-indir 2 "$WR" "$T/nowhere" "$T/never" && has usage/no-indir "$T/err" "$T/nowhere: no such folder"
run usage/help 0 "$WR" --help && has usage/help "$T/out" "--hosts=FILE"
run usage/version 0 "$WR" --version && has usage/version "$T/out" "winnow-run (winnow) "
# ---- the lock: a second run on the same OUTDIR exits at once, 75 ----

rm -f "$T/held"
(
	flock 9
	: >"$T/held"
	sleep 5
) 9>>"$OUT/.winnow/lock" &
holder=$!
i=0
while [ ! -e "$T/held" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
cp "$OUT/winnow.log" "$T/log.before"
run lock/busy 75 "$WR" "$IN" "$OUT" &&
	has lock/busy "$T/err" "winnow-run: $OUT: busy: another winnow-run is working on it"
same lock/nothing-done "$OUT/winnow.log" "$T/log.before"
kill $holder 2>/dev/null
wait $holder 2>/dev/null

# ---- bad archives: each reported, the others done, status 1 ----

BAD=$T/bad
mkdir -p "$BAD"
head -c 8000 "$A/news-2026-11-18.jsonl.gz" >"$BAD/a-cut.jsonl.gz"
: >"$BAD/b-empty.jsonl.gz"
head -c 3000 "$B/normalize" >"$BAD/c-binary.jsonl"
odd="d it's \"odd\"
name.jsonl.gz"
cp "$A/news-2026-11-19.jsonl.gz" "$BAD/$odd"
gzip -dc "$A/news-2026-11-20.jsonl.gz" >"$BAD/e-plain.jsonl"
echo 'not an archive' >"$BAD/f-notes.txt"
run bad/status 1 "$WR" "$BAD" "$T/badout" && {
	has bad/cut-message "$T/err" "normalize: a-cut.jsonl.gz: truncated gzip input after 8 records"
	has bad/cut-reported "$T/err" "winnow-run: a-cut.jsonl.gz: input cut short"
	gzip -dc "$T/badout/a-cut.jsonl.gz" | wc -l | tr -d ' ' >"$T/n"
	echo 8 >"$T/n.want"
	same bad/cut-records-kept "$T/n" "$T/n.want"
	has bad/binary "$T/err" "winnow-run: c-binary.jsonl: not JSON Lines: none of its"
	n=$(grep -c 'further malformed records are counted, not reported' "$T/err")
	[ "$n" -le 1 ] && pass bad/binary-said-once || fail bad/binary-said-once "said $n times"
	[ -e "$T/badout/c-binary.jsonl" ] && fail bad/binary-no-output "written" || pass bad/binary-no-output
	if [ -f "$T/badout/b-empty.jsonl.gz" ] && [ "$(gzip -dc "$T/badout/b-empty.jsonl.gz" | wc -c)" -eq 0 ]; then
		pass bad/empty
	else
		fail bad/empty "no empty output for an empty archive"
	fi
	if cmp -s "$T/badout/$odd" "$OUT/news-2026-11-19.jsonl.gz" ||
	    [ "$(gzip -dc "$T/badout/$odd" | wc -l)" -eq 15 ]; then
		pass bad/odd-name
	else
		fail bad/odd-name "no output under the odd name"
	fi
	has bad/odd-name-log "$T/badout/winnow.log" ' d it'"'"'s "odd"\nname.jsonl.gz'
	gzip -dc "$A/news-2026-11-20.jsonl.gz" | wc -l | tr -d ' ' >"$T/n.want"
	wc -l <"$T/badout/e-plain.jsonl" | tr -d ' ' >"$T/n"
	same bad/plain "$T/n" "$T/n.want"
	[ -e "$T/badout/f-notes.txt" ] && fail bad/other-files "f-notes.txt was taken" || pass bad/other-files
	grep ' summary ' "$T/badout/winnow.log" >"$T/summary"
	has bad/summary "$T/summary" "archives=5 cleaned=3 skipped=0 partial=1 failed=1 "
}
# A failed archive is tried again; the good ones are not.
run bad/again 1 "$WR" "$BAD" "$T/badout" &&
	has bad/again-summary "$T/badout/winnow.log" "archives=5 cleaned=0 skipped=3 partial=1 failed=1 "
mkdir -p "$T/none"
run bad/empty-folder 0 "$WR" "$T/none" "$T/noneout" &&
	has bad/empty-folder "$T/noneout/winnow.log" "archives=0 cleaned=0 skipped=0 partial=0 failed=0 "

# ---- a full disk: reported, earlier outputs intact, done next time ----

FD=$T/fd
mkdir -p "$FD"
cp "$A/news-2026-11-18.jsonl.gz" "$A/news-2026-11-19.jsonl.gz" "$FD"/
run disk/first 0 "$WR" "$FD" "$T/fdout"
cp "$T/fdout/news-2026-11-18.jsonl.gz" "$T/fd-18"
cat "$A"/*.jsonl.gz >"$FD/news-2026-11-20.jsonl.gz"
# A write into the work folder fails once 20 kB went through it (the
# outputs are made there; the count tables are smaller).
run disk/full 1 env INJECT_WRITE_ENOSPC=".winnow/work/:20000" LD_PRELOAD="$B/inject.so" \
    "$WR" "$FD" "$T/fdout" && {
	has disk/reported "$T/err" "No space left on device"
	has disk/failed "$T/err" "winnow-run: news-2026-11-20.jsonl.gz: failed"
	same disk/earlier-intact "$T/fdout/news-2026-11-18.jsonl.gz" "$T/fd-18"
	[ -e "$T/fdout/news-2026-11-20.jsonl.gz" ] && fail disk/no-partial "an output was left" ||
		pass disk/no-partial
	ls -A "$T/fdout/.winnow/work" >"$T/left"
	[ -s "$T/left" ] && fail disk/work-cleared "$(head -c 200 "$T/left")" || pass disk/work-cleared
}
run disk/later 0 "$WR" "$FD" "$T/fdout" && has disk/later "$T/fdout/winnow.log" "cleaned=1 skipped=2 "

# The same on a real small file system, where one can be mounted: what
# fits is whole, what does not is reported and absent.
mkdir -p "$T/tiny"
if mount -t tmpfs -o size=64k tmpfs "$T/tiny" 2>/dev/null; then
	run disk/tmpfs 1 "$WR" -j 1 "$FD" "$T/tiny/out"
	has disk/tmpfs-reported "$T/err" "No space left on device"
	# Each output there is whole: every record of its archive.
	bad=
	for f in "$T/tiny/out"/news-*; do
		[ -e "$f" ] || continue
		[ "$(gzip -dc "$f" 2>/dev/null | wc -l)" -eq "$(gzip -dc "$FD/${f##*/}" | wc -l)" ] ||
			bad="$bad ${f##*/}"
	done
	[ -z "$bad" ] && pass disk/tmpfs-whole || fail disk/tmpfs-whole "partial outputs:$bad"
	umount "$T/tiny"
else
	echo "skip: disk/tmpfs: cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN)"
fi

# ---- a run killed half-way: nothing partial, the next run finishes ----

KI=$T/ki
mkdir -p "$KI"
for i in 1 2 3 4 5 6 7 8; do
	for a in "$A"/*.jsonl.gz; do
		cp "$a" "$KI/$i-${a##*/}"
	done
done
run kill/reference 0 "$WR" -j 1 "$KI" "$T/kiref"
KT=$T/kitmp
mkdir -p "$KT"
TMPDIR=$KT setsid "$WR" -j 1 "$KI" "$T/kiout" >/dev/null 2>&1 &
victim=$!
i=0
# Killed once three archives are done; on a slow machine it may be
# before any (then there is nothing partial to find either).
while [ "$(ls "$T/kiout" 2>/dev/null | grep -c 'jsonl.gz$')" -lt 3 ] && [ $i -lt 1200 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -9 -$victim 2>/dev/null
wait $victim 2>/dev/null
bad=
for f in "$T/kiout"/*.jsonl.gz; do
	[ -e "$f" ] || continue
	cmp -s "$f" "$T/kiref/${f##*/}" || bad="$bad ${f##*/}"
done
[ -z "$bad" ] && pass kill/no-partial || fail kill/no-partial "differs from a whole run:$bad"
# No trap runs on SIGKILL: the scratch folder is left, and the next run
# removes it, but not a live run's folder (its lock held), one without a
# lock (another program's), a link, a file, or another name.
left=$(ls -d "$KT"/winnow-run.?????? 2>/dev/null)
[ -n "$left" ] && pass kill/scratch-left || fail kill/scratch-left "no scratch folder in $KT"
# A job runs in a session of its own and may outlive the kill: its run's
# folder is kept until it ends too.
i=0
for d in $left; do
	while ! flock -n "$d/lock" true && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
done
mkdir "$KT/winnow-run.livexx" "$KT/winnow-run.nolock" "$KT/other-run.abcdef" "$KT/target"
: >"$KT/other-run.abcdef/lock"
: >"$KT/target/lock"
ln -s target "$KT/winnow-run.linkxx"
: >"$KT/winnow-run.file12"
: >"$KT/winnow-run.livexx/lock"
rm -f "$T/held"
(
	flock 8
	: >"$T/held"
	sleep 30
) 8<"$KT/winnow-run.livexx/lock" &
holder=$!
i=0
while [ ! -e "$T/held" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
run kill/resume 0 env TMPDIR="$KT" "$WR" -j 2 "$KI" "$T/kiout" && {
	bad=
	for f in "$T/kiref"/*.jsonl.gz; do
		cmp -s "$f" "$T/kiout/${f##*/}" || bad="$bad ${f##*/}"
	done
	[ -z "$bad" ] && pass kill/resume-same || fail kill/resume-same "differs:$bad"
}
kill $holder 2>/dev/null
wait $holder 2>/dev/null
for d in $left; do
	[ -e "$d" ] && fail kill/scratch-removed "$d is still there" || pass kill/scratch-removed
done
kept=
for f in winnow-run.livexx/lock winnow-run.nolock other-run.abcdef/lock winnow-run.linkxx target/lock winnow-run.file12; do
	[ -e "$KT/$f" ] || kept="$kept $f"
done
[ -z "$kept" ] && pass kill/scratch-others-kept || fail kill/scratch-others-kept "removed:$kept"

# SIGTERM (cron's timeout, a shutdown) ends the jobs too: when winnow-run
# has exited, none of its filters runs on and nothing holds the lock.
"$WR" -j 2 "$KI" "$T/termout" >/dev/null 2>"$T/term.err" &
victim=$!
i=0
while [ -z "$(ls "$T/termout/.winnow/work" 2>/dev/null)" ] && [ $i -lt 1200 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -TERM $victim
wait $victim
st=$?
if [ $st != 143 ]; then
	fail kill/term-status "exit status $st, want 143: $(head -c 300 "$T/term.err")"
elif pgrep -f -- "$T/termout/" >"$T/left" 2>&1; then
	fail kill/term-jobs-ended "still running: $(tr '\n' ' ' <"$T/left")"
elif ! flock -n "$T/termout/.winnow/lock" true; then
	fail kill/term-lock-free "the lock is still held"
else
	pass kill/term
fi

# ---- dry run ----

run dry/new 0 "$WR" -n -v "$IN" "$T/dry" && {
	has dry/new "$T/err" "winnow-run: news-2026-11-18.jsonl.gz: would be cleaned"
	[ -e "$T/dry" ] && fail dry/nothing-made "$T/dry made" || pass dry/nothing-made
}
run dry/done 0 "$WR" -n -v -c "$T/conf" "$IN" "$OUT" &&
	has dry/done "$T/err" "winnow-run: news-2026-11-19.jsonl.gz: up to date"
# An OUTDIR that exists is left as it was: no .winnow made in it.
mkdir -p "$T/dry-empty"
run dry/existing 0 "$WR" -n "$IN" "$T/dry-empty" && {
	[ -z "$(ls -A "$T/dry-empty")" ] && pass dry/existing-untouched ||
		fail dry/existing-untouched "made: $(ls -A "$T/dry-empty" | tr '\n' ' ')"
}

# ---- an article republished night after night ----

# The same url in three nights' dumps, cleaned on three nights: it is one
# record of the site, not three, so its lines are not the site's
# furniture; the line every record has is.
mkdir -p "$T/rep-in"
printf 'normalize\ndedupe-boilerplate\n' >"$T/rep.conf"
rep_night() {
	{
		printf '{"url":"https://harbour.test/news/ferry","text":"Ferry timetable to change in March\\nThe ferry to Skye will run twice a day from March, the council said.\\nTide tables and harbour notices for the week ahead"}\n'
		printf '{"url":"https://harbour.test/news/%s","text":"%s\\nTide tables and harbour notices for the week ahead"}\n' "$2" "$3"
	} | gzip >"$T/rep-in/night$1.jsonl.gz"
	"$WR" -q -c "$T/rep.conf" "$T/rep-in" "$T/rep-out" 2>"$T/err"
}
rep_night 1 quay 'Work on the north quay ends a month early, the harbour board says.'
rep_night 2 lifeboat 'The lifeboat crew was called out four times over the weekend.'
rep_night 3 regatta 'The summer regatta moves to the second week of August this year.'
printf '%s\n' '{"url":"https://harbour.test/news/ferry","text":"Ferry timetable to change in March\nThe ferry to Skye will run twice a day from March, the council said."}' \
    '{"url":"https://harbour.test/news/regatta","text":"The summer regatta moves to the second week of August this year."}' >"$T/rep.want"
same_archive republished/kept "$T/rep-out/night3.jsonl.gz" "$T/rep.want"

# ---- the folders ----

# INDIR is OUTDIR under another name (a link): refused, the raw archives
# untouched.
mkdir -p "$T/alias/data"
cp "$A/news-2026-11-18.jsonl.gz" "$T/alias/data/"
ln -s data "$T/alias/in"
run folders/same-by-link 2 "$WR" "$T/alias/in" "$T/alias/data" &&
	has folders/same-by-link "$T/err" "the output folder must not be the input folder"
cmp -s "$A/news-2026-11-18.jsonl.gz" "$T/alias/data/news-2026-11-18.jsonl.gz" &&
	pass folders/same-by-link-untouched || fail folders/same-by-link-untouched "the archive changed"
[ ! -e "$T/alias/data/.winnow" ] && pass folders/same-nothing-made ||
	fail folders/same-nothing-made "$T/alias/data/.winnow made"

# A folder whose name starts with a dash.
mkdir -p "$T/dash/-in"
cp "$A/news-2026-11-18.jsonl.gz" "$T/dash/-in/"
(cd "$T/dash" && "$WR" -q -- -in out) >"$T/out" 2>"$T/err" &&
	[ -s "$T/dash/out/news-2026-11-18.jsonl.gz" ] && pass folders/dash ||
	fail folders/dash "$(head -c 300 "$T/err")"

# An archive that cannot be read fails; its earlier output stays.  (A
# link to /proc/1/mem, which not even root may read.)
mkdir -p "$T/unread/in" "$T/unread/out"
cp "$A/news-2026-11-18.jsonl.gz" "$T/unread/in/"
ln -s /proc/1/mem "$T/unread/in/zz.jsonl.gz"
printf 'earlier output\n' | gzip >"$T/unread/out/zz.jsonl.gz"
cp "$T/unread/out/zz.jsonl.gz" "$T/unread/zz.before"
if { sha256sum </proc/1/mem; } >/dev/null 2>&1; then
	echo "skip: folders/unreadable: /proc/1/mem can be read here"
else
	run folders/unreadable 1 "$WR" "$T/unread/in" "$T/unread/out" &&
		has folders/unreadable "$T/err" "winnow-run: zz.jsonl.gz: failed: it cannot be read"
	cmp -s "$T/unread/zz.before" "$T/unread/out/zz.jsonl.gz" && pass folders/unreadable-kept ||
		fail folders/unreadable-kept "the earlier output was replaced"
	[ -s "$T/unread/out/news-2026-11-18.jsonl.gz" ] && pass folders/unreadable-others ||
		fail folders/unreadable-others "the readable archive was not cleaned"
fi

# An archive that is a link: when the file it names changes, it is
# cleaned again.
mkdir -p "$T/linked/in" "$T/linked/store" "$T/linked/fresh"
cp "$A/news-2026-11-18.jsonl.gz" "$T/linked/store/r.jsonl.gz"
ln -s ../store/r.jsonl.gz "$T/linked/in/l.jsonl.gz"
"$WR" -q "$T/linked/in" "$T/linked/out" 2>"$T/err"
cp "$A/news-2026-11-19.jsonl.gz" "$T/linked/store/r.jsonl.gz"
cp "$A/news-2026-11-19.jsonl.gz" "$T/linked/fresh/l.jsonl.gz"
"$WR" -q "$T/linked/fresh" "$T/linked/want" 2>"$T/err"
run folders/link-changed 0 "$WR" "$T/linked/in" "$T/linked/out" &&
	if cmp -s "$T/linked/out/l.jsonl.gz" "$T/linked/want/l.jsonl.gz"; then
		pass folders/link-changed-cleaned
	else
		fail folders/link-changed-cleaned "the output is not that of the new archive"
	fi

# ---- the shipped data ----

# A rule added to the shipped rules cleans again what it may change.
mkdir -p "$T/data/in"
cp "$A/news-2026-11-18.jsonl.gz" "$T/data/in/"
cp -r "$(pwd)/filters" "$T/data/share"
WINNOW_DATA=$T/data/share "$WR" -q "$T/data/in" "$T/data/out" 2>"$T/err"
printf 'added-rule\tdrop-line\t^Never seen in any archive$\n' >>"$T/data/share/dedupe-boilerplate/rules.txt"
WINNOW_DATA=$T/data/share run data/changed 0 "$WR" -v "$T/data/in" "$T/data/out" &&
	has data/changed "$T/err" "cleaned=1 skipped=0"
WINNOW_DATA=$T/data/share run data/unchanged 0 "$WR" -v "$T/data/in" "$T/data/out" &&
	has data/unchanged "$T/err" "cleaned=0 skipped=1"

# ---- damaged count tables ----

# A table that cannot be read is dropped and its archive counted again:
# the run goes on, and the output is what an undamaged run gives.  A FIFO
# among the tables is no table (reading it would block).
mkdir -p "$T/tab/in"
cp "$A"/*.jsonl.gz "$T/tab/in/"
"$WR" -q "$T/tab/in" "$T/tab/out" 2>"$T/err"
cp -r "$T/tab/out" "$T/tab/want"
t=$(ls "$T/tab/out/.winnow/tables"/*.table | head -1)
head -c 100 "$t" >"$T/tab/cut" && mv "$T/tab/cut" "$t"
mkfifo "$T/tab/out/.winnow/tables/zz.table"
gzip -dc "$A/news-2026-11-18.jsonl.gz" | head -n 3 | gzip >"$T/tab/in/new.jsonl.gz"
cp -r "$T/tab/in" "$T/tab/in2"
"$WR" -q "$T/tab/in2" "$T/tab/want" 2>"$T/err"
run tables/damaged 0 timeout 120 "$WR" "$T/tab/in" "$T/tab/out" &&
	has tables/damaged "$T/err" "its count table could not be read (truncated): counting it again" &&
	has tables/fifo "$T/err" "zz.table: not a count table file: removed"
same_archive tables/damaged-output "$T/tab/out/new.jsonl.gz" /dev/stdin <<EOT
$(gzip -dc "$T/tab/want/new.jsonl.gz")
EOT

# ---- small things ----

# A configuration saved on Windows reads the same.
printf 'normalize\r\ndedupe-boilerplate --min-docs 4\r\n' >"$T/crlf.conf"
run config/crlf 0 "$WR" -n -c "$T/crlf.conf" "$IN" "$T/crlf-out"

# A touched archive (same content, new time) is skipped, and its new time
# recorded, so that the next night trusts it without reading it again.
mkdir -p "$T/touch/in"
cp "$A/news-2026-11-18.jsonl.gz" "$T/touch/in/"
"$WR" -q "$T/touch/in" "$T/touch/out" 2>"$T/err"
touch -d '2026-01-02 03:04:05' "$T/touch/in/news-2026-11-18.jsonl.gz"
run touch/skipped 0 "$WR" -v "$T/touch/in" "$T/touch/out" &&
	has touch/skipped "$T/err" "cleaned=0 skipped=1"
mt=$(stat -c %Y "$T/touch/in/news-2026-11-18.jsonl.gz")
if awk -F '\t' -v m="$mt" '$1 == "news-2026-11-18.jsonl.gz" && $3 == m && $6 == "ok" { f = 1 } END { exit !f }' \
    "$T/touch/out/winnow.manifest"; then
	pass touch/time-recorded
else
	fail touch/time-recorded "$(grep -v '^#' "$T/touch/out/winnow.manifest")"
fi
