#!/bin/sh
# winnow-ingest: folders of article files to records.  A fixed tree of
# invented articles (testdata/ingest/dailyharbor, with a gzip article and
# the mtimes added here) against output written by hand; odd file names;
# the error paths with their messages and statuses; properties (valid
# JSON in valid UTF-8, normalize reads it, runs are byte-identical
# whatever order the files were made in); gzip output; a full disk.
. tests/lib.sh

W=$BIN/winnow-ingest
PT=$BIN/passthrough
# The fault injection shim is not built with the sanitizers; let ASan accept it.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS

if [ ! -x "$W" ] || [ ! -x "$PT" ]; then
	fail ingest-built "no $W or $PT: run make tests"
	exit 0
fi

# stat_of FILE NAME: the number NAME in the --stats line in FILE.
stat_of() {
	sed -n "s/.*\"$2\":\([0-9][0-9]*\).*/\1/p" "$1"
}

# valid NAME FILE: every line of FILE is a JSON object in valid UTF-8.
valid() {
	if "$PT" --on-error=fail "$2" >/dev/null 2>"$T/pt.err" &&
	    iconv -f UTF-8 -t UTF-8 "$2" >/dev/null 2>&1; then
		pass "$1"
	else
		fail "$1" "not JSON Lines in UTF-8: $(head -c 300 "$T/pt.err")"
	fi
}

# quiet NAME: nothing on stderr from the last run.
quiet() {
	if [ -s "$T/err" ]; then
		fail "$1" "stderr: $(head -c 300 "$T/err")"
	else
		pass "$1"
	fi
}

# ---- the fixed tree ----

# make_site DIR: the dailyharbor tree, with its gzip article and mtimes.
make_site() {
	cp -R "$D/ingest/dailyharbor" "$1" &&
	{ printf 'Storm warning for the coast tonight.\n' | gzip -n &&
	  printf 'Winds up to 90 km/h are expected.\n' | gzip -n; } >"$1/2026-11-29/storm-warning.txt.gz" &&
	touch -d '2026-11-28 23:55:00Z' "$1/2026-11-28-late.txt" &&
	touch -d '2026-11-28 18:40:09Z' "$1/2026-11-28/council-vote.txt" &&
	touch -d '2026-11-28 07:05:00Z' "$1/2026-11-28/harbour-fire.html" &&
	touch -d '2026-11-29 06:00:00Z' "$1/2026-11-29/market-report.htm" &&
	touch -d '2026-11-29 21:30:00Z' "$1/2026-11-29/storm-warning.txt.gz"
}

make_site "$T/dailyharbor"
if run ingest/site 0 "$W" --stats "$T/dailyharbor"; then
	same ingest/site "$T/out" "$D/ingest/dailyharbor.jsonl"
	cp "$T/out" "$T/site.jsonl"
	# Two text articles and a .gz, two HTML pages with an address; the
	# README and sitemap.json are skipped, .scraper/ is hidden.
	got=$(for k in files records_out unreadable skipped hidden urls cp1252_bytes replaced_bytes; do
		printf '%s=%s ' $k "$(stat_of "$T/err" $k)"; done)
	want='files=5 records_out=5 unreadable=0 skipped=2 hidden=1 urls=2 cp1252_bytes=4 replaced_bytes=0 '
	if [ "$got" = "$want" ]; then
		pass ingest/site-stats
	else
		fail ingest/site-stats "$got, want $want"
	fi
fi
valid ingest/site-valid "$T/site.jsonl"

# A trailing slash and --source.
run ingest/source 0 "$W" --source=wire "$T/dailyharbor/" &&
	sed 's/"source":"dailyharbor"/"source":"wire"/' "$D/ingest/dailyharbor.jsonl" >"$T/want" &&
	same ingest/source "$T/out" "$T/want"
# "." is named after the folder it is.
case $W in /*) WA=$W ;; *) WA=$PWD/$W ;; esac
(cd "$T/dailyharbor" && "$WA" .) >"$T/dot" 2>"$T/err"
same ingest/dot-source "$T/dot" "$D/ingest/dailyharbor.jsonl"

# The same files made in another order, at other times of day, give the
# same bytes: the order is the paths', not the file system's.
mkdir -p "$T/again/2026-11-29" "$T/again/2026-11-28"
for f in 2026-11-29/storm-warning.txt.gz 2026-11-29/market-report.htm 2026-11-28/harbour-fire.html \
    2026-11-28/council-vote.txt 2026-11-28-late.txt; do
	cp -p "$T/dailyharbor/$f" "$T/again/$f"
done
mv "$T/again" "$T/rebuilt" && mkdir "$T/again" && mv "$T/rebuilt" "$T/again/dailyharbor"
run ingest/deterministic 0 "$W" "$T/again/dailyharbor" &&
	same ingest/deterministic "$T/out" "$D/ingest/dailyharbor.jsonl"
run ingest/twice 0 "$W" "$T/dailyharbor" && same ingest/twice "$T/out" "$T/site.jsonl"

# --progress=always reports on stderr and changes nothing in the output.
run ingest/progress 0 "$W" --progress=always "$T/dailyharbor" &&
	has ingest/progress-line "$T/err" "winnow-ingest: 5 files," &&
	same ingest/progress-output "$T/out" "$T/site.jsonl"

# Two folders, in the order given.
cat "$D/ingest/dailyharbor.jsonl" "$D/ingest/dailyharbor.jsonl" >"$T/want"
run ingest/two-dirs 0 "$W" "$T/dailyharbor" "$T/again/dailyharbor" && same ingest/two-dirs "$T/out" "$T/want"

# normalize reads the output, every record of it, and decodes what was
# left for it (&copy;).
if run ingest/normalize 0 "$BIN/normalize" "$T/site.jsonl"; then
	lines ingest/normalize-records "$T/out" 5
	has ingest/normalize-entities "$T/out" '© 2026 Daily Harbor'
fi

# ---- gzip and zstd output ----

run ingest/z 0 "$W" -z "$T/dailyharbor" && gzip -dc <"$T/out" >"$T/unz" 2>"$T/gz.err" &&
	same ingest/z "$T/unz" "$T/site.jsonl"
mkdir -p "$T/o"
run ingest/o-gz 0 "$W" -o "$T/o/night.jsonl.gz" "$T/dailyharbor" && quiet ingest/o-gz-quiet &&
	zcat "$T/o/night.jsonl.gz" >"$T/unz" && same ingest/o-gz "$T/unz" "$T/site.jsonl"
run ingest/o-plain 0 "$W" -o "$T/o/night.jsonl" "$T/dailyharbor" && same ingest/o-plain "$T/o/night.jsonl" "$T/site.jsonl"
if command -v zstd >/dev/null 2>&1; then
	run ingest/o-zst 0 "$W" -o "$T/o/night.jsonl.zst" "$T/dailyharbor" &&
		zstd -dc "$T/o/night.jsonl.zst" >"$T/unz" 2>/dev/null && same ingest/o-zst "$T/unz" "$T/site.jsonl"
fi

# ---- odd names and odd files ----

O2=$T/odd
mkdir -p "$O2/sub/deep"
printf 'space\n' >"$O2/a b.txt"
printf 'backslash\n' >"$O2/back\\slash.txt"
printf 'latin-1 name\n' >"$O2/caf$(printf '\351').txt"
: >"$O2/empty.html"
printf 'gzip inside\n' | gzip -n >"$O2/gzip-named.txt"
ln -s "a b.txt" "$O2/link.txt"
ln -s .. "$O2/dirlink"
mkfifo "$O2/fifo.txt"
printf 'newline\n' >"$O2/new
line.txt"
printf 'plain inside\n' >"$O2/plain.txt.gz"
printf 'quote\n' >"$O2/quote\".txt"
printf '<p>deep</p>' >"$O2/sub/deep/x.htm"
find "$O2" ! -type l -exec touch -d '2026-11-28 03:12:45Z' {} +
cat >"$T/want" <<'EOF'
{"id":"a b.txt","source":"odd","fetched":"2026-11-28T03:12:45Z","text":"space\n"}
{"id":"back\\slash.txt","source":"odd","fetched":"2026-11-28T03:12:45Z","text":"backslash\n"}
{"id":"caf\\xE9.txt","source":"odd","fetched":"2026-11-28T03:12:45Z","text":"latin-1 name\n"}
{"id":"empty.html","source":"odd","fetched":"2026-11-28T03:12:45Z","text":""}
{"id":"gzip-named.txt","source":"odd","fetched":"2026-11-28T03:12:45Z","text":"gzip inside\n"}
{"id":"link.txt","source":"odd","fetched":"2026-11-28T03:12:45Z","text":"space\n"}
{"id":"new\nline.txt","source":"odd","fetched":"2026-11-28T03:12:45Z","text":"newline\n"}
{"id":"plain.txt.gz","source":"odd","fetched":"2026-11-28T03:12:45Z","text":"plain inside\n"}
{"id":"quote\".txt","source":"odd","fetched":"2026-11-28T03:12:45Z","text":"quote\n"}
{"id":"sub/deep/x.htm","source":"odd","fetched":"2026-11-28T03:12:45Z","text":"deep"}
EOF
if run ingest/odd-names 0 "$W" --stats "$O2"; then
	same ingest/odd-names "$T/out" "$T/want"
	valid ingest/odd-names-valid "$T/out"
	# The FIFO and the link to a folder.
	[ "$(stat_of "$T/err" skipped)" = 2 ] && pass ingest/odd-skipped ||
		fail ingest/odd-skipped "skipped=$(stat_of "$T/err" skipped), want 2"
fi

# Bytes that are not UTF-8 are read as normalize's encoding step reads
# them: each case's text, through normalize with its other steps off,
# is what normalize -F text makes of the same bytes.
E=$T/enc
mkdir -p "$E"
i=0
for bytes in 'caf\351' '\223quoted\224' '\351\222 and caf\351' '\351\222 alone' \
    'it\342\200\231\222s' 'x\201y' '\303( broken' 'cut \360\237\230' 'ok \303\251t\351'; do
	i=$((i + 1))
	printf "$bytes" >"$E/c$i.txt"
	printf "$bytes\\n" >>"$T/enc.lines"
done
OFF='--no-entities --no-mojibake --no-invisible --no-spaces --no-glue --tags=none --form=none --to=text'
if run ingest/encoding 0 "$W" "$E" && "$BIN/normalize" $OFF "$T/out" >"$T/enc.got" 2>"$T/err" &&
    "$BIN/normalize" -F text $OFF "$T/enc.lines" >"$T/enc.want" 2>>"$T/err"; then
	same ingest/encoding-as-normalize "$T/enc.got" "$T/enc.want"
	# And what that is, for the first cases.
	printf 'café\n“quoted”\né’ and café\n' >"$T/want"
	head -n 3 "$T/enc.got" >"$T/got"
	same ingest/encoding-cp1252 "$T/got" "$T/want"
else
	fail ingest/encoding-as-normalize "normalize failed: $(head -c 300 "$T/err")"
fi

# ---- errors: reported, skipped, status 1; the rest written ----

B=$T/bad
mkdir -p "$B/keep"
printf 'kept\n' >"$B/keep/ok.txt"
touch -d '2026-11-28 03:12:45Z' "$B/keep/ok.txt"
printf '{"id":"keep/ok.txt","source":"bad","fetched":"2026-11-28T03:12:45Z","text":"kept\\n"}\n' >"$T/kept"

# A truncated .gz is left out whole.
head -c 3000 /dev/urandom | gzip -n >"$T/full.gz"
head -c 40 "$T/full.gz" >"$B/cut.txt.gz"
run ingest/truncated-gz 1 "$W" "$B" &&
	has ingest/truncated-gz-message "$T/err" "winnow-ingest: $B/cut.txt.gz: truncated gzip input" &&
	same ingest/truncated-gz-rest "$T/out" "$T/kept"
rm -f "$B/cut.txt.gz"

# A link to nowhere with an article's name.
ln -s nowhere.txt "$B/gone.txt"
run ingest/dangling 1 "$W" "$B" &&
	has ingest/dangling-message "$T/err" "winnow-ingest: $B/gone.txt: dangling symbolic link" &&
	same ingest/dangling-rest "$T/out" "$T/kept"
rm -f "$B/gone.txt"

# A read error (the fault injection library: it works as root too).
printf 'will fail\n' >"$B/eio.txt"
run ingest/read-error 1 env INJECT_READ_EIO="eio.txt:0" LD_PRELOAD="$BIN/inject.so" "$W" "$B" &&
	has ingest/read-error-message "$T/err" "winnow-ingest: $B/eio.txt: read error: Input/output error" &&
	same ingest/read-error-rest "$T/out" "$T/kept"

# Permission denied: a file and a folder.  root reads them anyway.
if [ "$(id -u)" -ne 0 ]; then
	mkdir -p "$B/locked"
	chmod 000 "$B/eio.txt" "$B/locked"
	run ingest/eacces 1 "$W" "$B" &&
		has ingest/eacces-file "$T/err" "winnow-ingest: $B/eio.txt: Permission denied" &&
		has ingest/eacces-folder "$T/err" "winnow-ingest: $B/locked: Permission denied" &&
		same ingest/eacces-rest "$T/out" "$T/kept"
	chmod 755 "$B/locked"
	chmod 644 "$B/eio.txt"
else
	echo "# ingest/eacces skipped: running as root, where permissions do not stop reading"
fi
rm -f "$B/eio.txt"

# A DIR that is missing or is a file, beside one that is there.
run ingest/missing-dir 1 "$W" "$T/nope" "$B" "$T/kept" &&
	has ingest/missing-dir-message "$T/err" "winnow-ingest: $T/nope: No such file or directory" &&
	has ingest/not-a-dir-message "$T/err" "winnow-ingest: $T/kept: Not a directory" &&
	same ingest/missing-dir-rest "$T/out" "$T/kept"
# None of them: a usage error, and an output file is left alone.
echo "the previous night's file" >"$T/o/prev.jsonl"
cp "$T/o/prev.jsonl" "$T/prev"
run ingest/no-dir-at-all 2 "$W" -o "$T/o/prev.jsonl" "$T/nope" "$T/nope2" &&
	has ingest/no-dir-at-all-message "$T/err" "winnow-ingest: $T/nope2: No such file or directory"
same ingest/no-dir-at-all-untouched "$T/o/prev.jsonl" "$T/prev"

# ---- usage ----

run ingest/no-operand 2 "$W" && has ingest/no-operand-message "$T/err" "usage: winnow-ingest"
run ingest/record-option 2 "$W" -f title "$B"
run ingest/empty-source 2 "$W" --source= "$B" && has ingest/empty-source-message "$T/err" "winnow-ingest: --source: the name is empty"
run ingest/help 0 "$W" --help && has ingest/help-source "$T/out" "base name of each DIR"
absent ingest/help-no-record-options "$T/out" "--on-error"
run ingest/help-full 2 sh -c "'$W' --help >/dev/full"
run ingest/version 0 "$W" --version && has ingest/version "$T/out" "winnow-ingest (winnow)"

# ---- write errors: status 2, nothing under the name ----

run ingest/dev-full 2 sh -c "'$W' '$T/dailyharbor' >/dev/full" &&
	has ingest/dev-full-message "$T/err" "winnow-ingest: <stdout>: write error: No space left on device"
# A tree big enough to fill the injected disk.
mkdir -p "$T/many"
i=0
while [ $i -lt 40 ]; do
	i=$((i + 1))
	head -c 6000 /dev/urandom | od -An -tx1 >"$T/many/a$i.txt"
done
for z in "" .gz; do
	cp "$T/prev" "$T/o/old.jsonl$z"
	run "ingest/enospc$z" 2 env INJECT_WRITE_ENOSPC="$T/o/:2000" LD_PRELOAD="$BIN/inject.so" \
	    "$W" -o "$T/o/old.jsonl$z" "$T/many" &&
		has "ingest/enospc$z-message" "$T/err" "write error: No space left on device"
	same "ingest/enospc$z-old-file-untouched" "$T/o/old.jsonl$z" "$T/prev"
	left=$(find "$T/o" -name '.wn-*' | head -1)
	[ -z "$left" ] && pass "ingest/enospc$z-no-temp" || fail "ingest/enospc$z-no-temp" "left behind: $left"
done
exit 0
