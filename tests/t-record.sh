#!/bin/sh
# The record contract (filters/lib/rec.h, zio.h, cli.h) through
# tests/passthrough.c, the record library with no filter work: byte-exact
# pass-through, --rewrite and --set, line ends, NUL bytes and bad UTF-8,
# malformed records under each --on-error policy, the report cap,
# --max-record-bytes, a 64 MiB record, gzip input and output under both
# backends, -o, write errors, SIGPIPE, -F text and --to text, --stats and
# usage errors.
#
# Every expected output below was written by hand from the contract; none
# was copied from the program.  Where an expectation is the contract's and
# the program does otherwise, the check fails on purpose (see the comments).
. tests/lib.sh

P=$(pwd)/$BIN/passthrough
JD=$(pwd)/$BIN/jsondiff
cd "$T" || exit 2
unset WINNOW_GZIP

# ---- helpers ----

# check NAME STATUS WANT_OUT WANT_ERR CMD...: CMD must exit with STATUS,
# write exactly file WANT_OUT on stdout and exactly WANT_ERR on stderr.
check() {
	cname=$1 cstatus=$2 cwout=$3 cwerr=$4
	shift 4
	run "$cname" "$cstatus" "$@" || return 1
	if ! cmp -s "$T/out" "$cwout"; then
		fail "$cname" "stdout differs: $(diff "$cwout" "$T/out" | head -c 500 | cat -v | tr '\n' '|')"
		return 1
	fi
	if ! cmp -s "$T/err" "$cwerr"; then
		fail "$cname" "stderr differs: $(diff "$cwerr" "$T/err" | head -c 500 | cat -v | tr '\n' '|')"
		return 1
	fi
	pass "$cname"
}

# stat FIELD: the number FIELD of the --stats line (the last of $T/err).
stat() {
	tail -n 1 "$T/err" | sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p"
}

# conserved NAME IN OUT MALFORMED SKIPPED [stopped]: after a --stats run,
# the counts must be these, records out = records in - skipped, the output
# (if plain) must have OUT lines, and the --stats line must be one JSON
# object.  "stopped": --on-error=fail ended the run, and the record that
# stopped it is counted in but neither out nor skipped.
conserved() {
	cn=$1
	got="$(stat records_in) $(stat records_out) $(stat malformed) $(stat skipped)"
	lost=0
	[ "${6:-}" = stopped ] && lost=1
	if [ "$got" != "$2 $3 $4 $5" ]; then
		fail "$cn" "in/out/malformed/skipped $got, want $2 $3 $4 $5"
	elif [ "$(stat records_out)" -ne $(($(stat records_in) - $(stat skipped) - lost)) ]; then
		fail "$cn" "records_out $(stat records_out) != records_in - skipped"
	elif ! tail -n 1 "$T/err" | "$JD" -c >/dev/null 2>"$T/jd.err"; then
		fail "$cn" "--stats line is not one JSON object: $(cat "$T/jd.err")"
	elif [ "$(head -c 2 "$T/out" | od -An -tx1 | tr -d ' ')" != 1f8b ] &&
	    [ "$(wc -l <"$T/out" | tr -d ' ')" -ne "$3" ]; then
		fail "$cn" "$(wc -l <"$T/out" | tr -d ' ') lines out, --stats says $3"
	else
		pass "$cn"
	fi
}

# counts NAME STATUS "IN OUT MALFORMED SKIPPED [stopped]" CMD...: run CMD
# (which has --stats) and check its exit status and its counts as conserved
# does.  Kept apart from the checks of output and messages, so that a
# --stats bug fails only these.
counts() {
	kn=$1 kst=$2 kwant=$3
	shift 3
	run "$kn" "$kst" "$@" || return 1
	if ! tail -n 1 "$T/err" | grep -q '^{"program":'; then
		fail "$kn" "no --stats line: $(grep -m 3 -E 'ERROR|#[0-2] |passthrough:' "$T/err" | tr '\n' '|' | cut -c1-300)"
		return 1
	fi
	# shellcheck disable=SC2086
	conserved "$kn" $kwant
}

# fromstdin FILE CMD...: CMD with FILE on standard input.
fromstdin() {
	f=$1
	shift
	"$@" <"$f"
}

# gunzip_to FILE OUT: OUT is the gzip-decompressed FILE (checked magic).
is_gzip() {
	[ "$(head -c 2 "$1" | od -An -tx1 | tr -d ' ')" = 1f8b ]
}

# lines_of N FILE: the first N lines of FILE (N may be 0).
lines_of() {
	if [ "$1" -gt 0 ]; then head -n "$1" "$2"; fi
}

# A deterministic corpus of 20000 records, about 1.7 MB.
awk 'BEGIN { srand(7)
	for (i = 1; i <= 20000; i++) {
		s = ""
		for (j = 0; j < 8; j++)
			s = s sprintf("%08x", int(rand() * 4294967296))
		printf "{\"id\":%d,\"text\":\"%s\"}\n", i, s
	}
}' >gen.jsonl

: >empty

# ---- pass-through is byte-exact for well-formed records ----

{
	printf '%s\n' '{"id":1,"text":"Hello, world."}'
	printf '%s\n' '{ "text" : "spaced"  ,  "id" : 2 }'
	printf '%s\n' '{"z":1,"a":2,"text":"key order kept","m":[1,2,{"x":null}]}'
	printf '%s\n' '{"big":123456789012345678901234567890,"f":1.50e+10,"neg":-0,"exp":1E400,"text":"numbers as written"}'
	printf '%s\n' '{"unknown":{"nested":{"deep":[true,false,null,{"a":{"b":[]}}]}},"text":"nested objects kept"}'
	printf '%s\n' '{"text":"escapes as written: \u00e9 \/ \" \\ \n \ud83d\ude00 \u0000"}'
	printf '{"text":"raw UTF-8: \303\251 \342\202\254 \360\237\230\200 \342\200\250"}\n'
	printf '%s\n' '{"title":"no text field"}'
	printf '%s\n' '{"text":12}'
	printf '%s\n' '{}'
	printf '%s\n' '{"text":"duplicate","text":"last"}'
	printf '\t{"text":"leading tab, trailing blanks"}  \t\n'
} >valid.jsonl

check record/pass-exact 0 valid.jsonl empty "$P" valid.jsonl
check record/pass-exact-stdin 0 valid.jsonl empty fromstdin valid.jsonl "$P"
check record/pass-exact-dash 0 valid.jsonl empty fromstdin valid.jsonl "$P" -
check record/pass-two-files 0 valid.jsonl empty "$P" valid.jsonl empty
cat valid.jsonl valid.jsonl >valid2.jsonl
check record/pass-same-file-twice 0 valid2.jsonl empty "$P" valid.jsonl valid.jsonl
counts record/pass-exact-counts 0 "12 12 0 0" "$P" --stats valid.jsonl
if [ "$(stat bytes_in)" = "$(wc -c <valid.jsonl | tr -d ' ')" ]; then
	pass record/stats-bytes-in
else
	fail record/stats-bytes-in "bytes_in $(stat bytes_in), file has $(wc -c <valid.jsonl)"
fi
if [ "$(stat bytes_out)" = "$(wc -c <valid.jsonl | tr -d ' ')" ]; then
	pass record/stats-bytes-out
else
	fail record/stats-bytes-out "bytes_out $(stat bytes_out), output has $(wc -c <valid.jsonl)"
fi
# A field other than text: -f changes nothing in pass-through.
check record/pass-exact-field 0 valid.jsonl empty "$P" -f title valid.jsonl

# ---- --rewrite re-escapes minimally; other bytes stay ----

{
	printf '%s\n' '{"id":1,"text":"plain"}'
	printf '%s\n' '{"text":"caf\u00e9 \u20AC \ud83d\ude00"}'
	printf '%s\n' '{"text":"a\/b \"q\" back\\slash"}'
	printf '%s\n' '{"text":"tab\there\nnew\u0008bs\u000cff\u000d"}'
	printf '%s\n' '{"text":"ctl \u0001 \u001F \u007f"}'
	printf '%s\n' '{"text":"nul \u0000 end"}'
	printf '%s\n' '{"text":"ls \u2028 ps \u2029"}'
	printf '%s\n' '{"text":"lone \ud800 and \udc00, reversed \udc00\ud800"}'
	printf '%s\n' '{"a":"\u00e9","text":"x","b":"\/"}'
	printf '%s\n' '{"t\u0065xt":"escaped \u006bey"}'
	printf '%s\n' '{"text":"first","text":"caf\u00e9"}'
	printf '%s\n' '{"text":null,"x":"\u00e9"}'
	printf '%s\n' '{ "text" : "sp\u0061ced" , "n" : 1 }'
	printf '%s\n' '{"text":"\u0041\u0042","after":{"text":"\u0043"}}'
} >rw.jsonl
{
	printf '%s\n' '{"id":1,"text":"plain"}'
	printf '{"text":"caf\303\251 \342\202\254 \360\237\230\200"}\n'
	printf '%s\n' '{"text":"a/b \"q\" back\\slash"}'
	printf '%s\n' '{"text":"tab\there\nnew\bbs\fff\r"}'
	printf '{"text":"ctl \\u0001 \\u001f \177"}\n'
	printf '%s\n' '{"text":"nul \u0000 end"}'
	printf '{"text":"ls \342\200\250 ps \342\200\251"}\n'
	printf '{"text":"lone \357\277\275 and \357\277\275, reversed \357\277\275\357\277\275"}\n'
	printf '%s\n' '{"a":"\u00e9","text":"x","b":"\/"}'
	printf '%s\n' '{"t\u0065xt":"escaped key"}'
	printf '{"text":"first","text":"caf\303\251"}\n'
	printf '%s\n' '{"text":null,"x":"\u00e9"}'
	printf '%s\n' '{ "text" : "spaced" , "n" : 1 }'
	printf '%s\n' '{"text":"AB","after":{"text":"\u0043"}}'
} >rw.want
check record/rewrite 0 rw.want empty "$P" --rewrite rw.jsonl
# Records that need no change come out byte-identical under --rewrite too.
check record/rewrite-identity 0 gen.jsonl empty "$P" --rewrite gen.jsonl

# ---- lone-surrogate escapes never reach the output ----

# Strict parsers (jq) refuse \ud800 alone, so a line written unchanged
# still gets \ufffd in its place, in every string: the text, other fields,
# nested values and keys.  A pair stays, and so does an escaped backslash
# followed by the letters "ud800".
{
	printf '%s\n' '{"text":"\ud800 x"}'
	printf '%s\n' '{"id":"\udc00","text":"ok"}'
	printf '%s\n' '{"a":{"b":["\udbff\udbff"]},"text":"pair \ud83d\ude00 stays"}'
	printf '%s\n' '{"k\ud800":1,"text":"\\ud800 is text"}'
	printf '%s\n' '{"text":"\udc00\ud800\ud800\udc00"}'
} >surr.jsonl
{
	printf '%s\n' '{"text":"\ufffd x"}'
	printf '%s\n' '{"id":"\ufffd","text":"ok"}'
	printf '%s\n' '{"a":{"b":["\ufffd\ufffd"]},"text":"pair \ud83d\ude00 stays"}'
	printf '%s\n' '{"k\ufffd":1,"text":"\\ud800 is text"}'
	printf '%s\n' '{"text":"\ufffd\ufffd\ud800\udc00"}'
} >surr.want
check record/lone-surrogates 0 surr.want empty "$P" surr.jsonl
check record/lone-surrogates-text-f 0 surr.want empty "$P" -f id surr.jsonl
# With the text rewritten, the other strings are still repaired.
{
	printf '{"text":"\357\277\275 x"}\n'
	printf '%s\n' '{"id":"\ufffd","text":"ok"}'
	printf '{"a":{"b":["\\ufffd\\ufffd"]},"text":"pair \360\237\230\200 stays"}\n'
	printf '%s\n' '{"k\ufffd":1,"text":"\\ud800 is text"}'
	printf '{"text":"\357\277\275\357\277\275\360\220\200\200"}\n'
} >surr-rw.want
check record/lone-surrogates-rewrite 0 surr-rw.want empty "$P" --rewrite surr.jsonl
if "$P" surr.jsonl >surr.out && "$JD" -c surr.out >/dev/null 2>"$T/jd.err"; then
	pass record/lone-surrogates-valid-json
else
	fail record/lone-surrogates-valid-json "$(cat "$T/jd.err")"
fi

# ---- --set appends members before the closing brace ----

{
	printf '%s\n' '{"text":"a"}'
	printf '%s\n' '{}'
	printf '%s\n' '{ }'
	printf '%s\n' '{"text":"a" }'
	printf '%s\n' '{"a":{"b":{}}}'
	printf '%s\n' '{"text":"}"}'
	printf '%s\n' '{"n":[1,{"x":"}"}]}'
	printf '{\t}\n'
	printf '{"text":"a"}  \n'
	printf '{"text":"a"}\r\n'
} >ap.jsonl
{
	printf '%s\n' '{"text":"a","names":[]}'
	printf '%s\n' '{"names":[]}'
	printf '%s\n' '{ "names":[]}'
	printf '%s\n' '{"text":"a" ,"names":[]}'
	printf '%s\n' '{"a":{"b":{}},"names":[]}'
	printf '%s\n' '{"text":"}","names":[]}'
	printf '%s\n' '{"n":[1,{"x":"}"}],"names":[]}'
	printf '{\t"names":[]}\n'
	printf '{"text":"a","names":[]}  \n'
	printf '%s\n' '{"text":"a","names":[]}'
} >ap.want
check record/append 0 ap.want empty "$P" --set 'names=[]' ap.jsonl
printf '%s\n' '{"text":"caf\u00e9","x":1}' '{}' >ap2.jsonl
printf '{"text":"caf\303\251","x":1,"a":1,"b":"x"}\n{"a":1,"b":"x"}\n' >ap2.want
check record/append-rewrite 0 ap2.want empty "$P" --rewrite --set a=1 --set 'b="x"' ap2.jsonl

# ---- empty input, blank lines, no final newline, CRLF ----

check record/empty-file 0 empty empty "$P" empty
check record/empty-stdin 0 empty empty fromstdin /dev/null "$P"
counts record/empty-counts 0 "0 0 0 0" "$P" --stats empty

# A blank line is not a JSON object: it is a malformed record ("empty
# record"), passed through unchanged by default and dropped by skip.
printf '\n\n   \n' >blanks
{
	echo 'passthrough: blanks:1: malformed record: empty record at byte 1'
	echo 'passthrough: blanks:2: malformed record: empty record at byte 1'
	echo 'passthrough: blanks:3: malformed record: empty record at byte 4'
} >blanks.err
check record/blank-lines 0 blanks blanks.err "$P" blanks
counts record/blank-lines-counts 0 "3 3 3 0" "$P" --stats blanks
check record/blank-lines-skip 0 empty blanks.err "$P" --on-error=skip blanks
counts record/blank-lines-skip-counts 0 "3 0 3 3" "$P" --stats --on-error=skip blanks

printf '{"text":"a"}\n{"text":"b"}' >nonl
printf '{"text":"a"}\n{"text":"b"}\n' >nonl.want
check record/no-final-newline 0 nonl.want empty "$P" nonl
printf '{"text":"\\u0041"}' >nonl1
printf '{"text":"A"}\n' >nonl1.want
check record/no-final-newline-rewrite 0 nonl1.want empty "$P" --rewrite nonl1
printf '{"text":"A","n":1}\n' >nonl1a.want
check record/no-final-newline-append 0 nonl1a.want empty "$P" --rewrite --set n=1 nonl1
printf 'bad' >nonlbad
printf 'bad\n' >nonlbad.want
echo 'passthrough: nonlbad:1: malformed record: record is not a JSON object at byte 1' >nonlbad.err
check record/no-final-newline-malformed 0 nonlbad.want nonlbad.err "$P" nonlbad
# The last line of one file is not joined to the first of the next.
printf '{"a":1}' >nonl2
{ printf '{"a":1}\n'; cat valid.jsonl; } >nonl2.want
check record/no-final-newline-then-file 0 nonl2.want empty "$P" nonl2 valid.jsonl

printf '{"text":"a"}\r\n{"text":"b"}\r\n{"text":"c"}\n{"text":"d"}\r' >crlf
printf '{"text":"a"}\n{"text":"b"}\n{"text":"c"}\n{"text":"d"}\n' >crlf.want
check record/crlf 0 crlf.want empty "$P" crlf
counts record/crlf-counts 0 "4 4 0 0" "$P" --stats crlf
# Only the CR of the line end goes; another CR before it is white space.
printf '{"a":1}\r\r\n' >crcr
printf '{"a":1}\r\n' >crcr.want
check record/crlf-double-cr 0 crcr.want empty "$P" crcr
printf 'bad\r\n{"text":"\\u0041"}\r\n' >crlfbad
printf 'bad\n{"text":"A"}\n' >crlfbad.want
echo 'passthrough: crlfbad:1: malformed record: record is not a JSON object at byte 1' >crlfbad.err
check record/crlf-malformed-rewrite 0 crlfbad.want crlfbad.err "$P" --rewrite crlfbad

# ---- NUL bytes and invalid UTF-8 ----

printf '{"text":"a\000b"}\n{"text":"ok"}\n{"text":"a"}\000\n' >nul.jsonl
{
	echo 'passthrough: nul.jsonl:1: malformed record: control character in string at byte 11'
	echo 'passthrough: nul.jsonl:3: malformed record: trailing characters after the object at byte 13'
} >nul.err
check record/nul-byte 0 nul.jsonl nul.err "$P" nul.jsonl
counts record/nul-byte-counts 0 "3 3 2 0" "$P" --stats nul.jsonl
printf '{"text":"ok"}\n' >nul.skip
check record/nul-byte-skip 0 nul.skip nul.err "$P" --on-error=skip nul.jsonl

printf '{"text":"a\377b"}\n' >bad8
printf '{"text":"a\357\277\275b"}\n' >bad8.want
check record/bad-utf8-text 0 bad8.want empty "$P" bad8
# rec.h: "A new text must be valid UTF-8" and the output is valid UTF-8 --
# passthrough --rewrite hands back rec_text's text, which may not be.
check record/bad-utf8-text-rewrite 0 bad8.want empty "$P" --rewrite bad8
printf '{"x":"\300\257","text":"ok"}\n{"k\376":1}\n' >bad8o
printf '{"x":"\357\277\275\357\277\275","text":"ok"}\n{"k\357\277\275":1}\n' >bad8o.want
check record/bad-utf8-other-field 0 bad8o.want empty "$P" bad8o
counts record/bad-utf8-counts 0 "2 2 0 0" "$P" --stats bad8o
check record/bad-utf8-other-field-rewrite 0 bad8o.want empty "$P" --rewrite bad8o
# Maximal subparts: F0 80 80 is three U+FFFD, F1 80 80 one.
printf '{"text":"\360\200\200|\361\200\200|\355\240\200|\364\220\200\200"}\n' >bad8m
printf '{"text":"\357\277\275\357\277\275\357\277\275|\357\277\275|\357\277\275\357\277\275\357\277\275|\357\277\275\357\277\275\357\277\275\357\277\275"}\n' >bad8m.want
check record/bad-utf8-maximal-subparts 0 bad8m.want empty "$P" bad8m
# A malformed record is passed untouched, bad bytes and all.
printf '{"text":"\377' >bad8x
printf '{"text":"\377\n' >bad8x.want
echo 'passthrough: bad8x:1: malformed record: unterminated string at byte 11' >bad8x.err
check record/bad-utf8-malformed-untouched 0 bad8x.want bad8x.err "$P" bad8x
printf 'a\357\277\275b\n' >bad8t.want
check record/bad-utf8-to-text 0 bad8t.want empty "$P" --to text bad8
printf 'a\377b\n' >bad8f
check record/bad-utf8-text-input 0 bad8.want empty "$P" -F text bad8f
check record/bad-utf8-text-input-rewrite 0 bad8.want empty "$P" -F text --rewrite bad8f

# ---- malformed records under each policy ----

{
	printf '%s\n' '{"text":"ok 1"}'
	printf '%s\n' '{"text":"unterminated'
	printf '%s\n' 'not json at all'
	printf '%s\n' '{"text":"ok 2"}'
	printf '%s\n' '[1,2,3]'
	printf '%s\n' '{"text":"a",}'
	printf '%s\n' '{"text":"x"} trailing'
	printf '%s\n' "{'text':'single'}"
	printf '%s\n' '{"text":"ok 3"}'
	printf '%s\n' '{"n":01}'
} >bad.jsonl
# Offsets by hand: {"text":" is 9 bytes; the error is at the byte after.
{
	echo 'passthrough: bad.jsonl:2: malformed record: unterminated string at byte 22'
	echo 'passthrough: bad.jsonl:3: malformed record: record is not a JSON object at byte 1'
	echo 'passthrough: bad.jsonl:5: malformed record: record is not a JSON object at byte 1'
	echo "passthrough: bad.jsonl:6: malformed record: expected a string key at byte 13"
	echo 'passthrough: bad.jsonl:7: malformed record: trailing characters after the object at byte 14'
	echo 'passthrough: bad.jsonl:8: malformed record: expected a string key at byte 2'
	echo "passthrough: bad.jsonl:10: malformed record: expected ',' or '}' at byte 7"
} >bad.err
printf '{"text":"ok 1"}\n{"text":"ok 2"}\n{"text":"ok 3"}\n' >bad.skip
printf '{"text":"ok 1"}\n' >bad.fail
head -n 1 bad.err >bad.fail.err
check record/malformed-pass 0 bad.jsonl bad.err "$P" bad.jsonl
counts record/malformed-pass-counts 0 "10 10 7 0" "$P" --stats bad.jsonl
check record/malformed-pass-explicit 0 bad.jsonl bad.err "$P" --on-error=pass bad.jsonl
check record/malformed-skip 0 bad.skip bad.err "$P" --on-error=skip bad.jsonl
counts record/malformed-skip-counts 0 "10 3 7 7" "$P" --stats --on-error=skip bad.jsonl
# fail stops at the first: records out are those before it (the one that
# stopped the run is counted in, not out, and not skipped).
check record/malformed-fail 1 bad.fail bad.fail.err "$P" --on-error=fail bad.jsonl
counts record/malformed-fail-counts 1 "2 1 1 0 stopped" "$P" --stats --on-error=fail bad.jsonl
sed 's/bad\.jsonl/<stdin>/' bad.err >bad.stdin.err
check record/malformed-stdin-name 0 bad.jsonl bad.stdin.err fromstdin bad.jsonl "$P"
# The rewrite of the good ones goes on around the bad ones.
check record/malformed-rewrite 0 bad.jsonl bad.err "$P" --rewrite bad.jsonl

# ---- the cap on malformed-record messages ----

# makebad N FILE: one good record, then N malformed lines "x".
makebad() {
	{ echo '{"text":"good"}'; i=0; while [ $i -lt "$1" ]; do echo x; i=$((i + 1)); done; } >"$2"
}
# wanterr N FILE SHOWN: the messages for makebad N FILE (SHOWN reported).
wanterr() {
	i=1
	while [ $i -le "$1" ] && [ $i -le "$3" ]; do
		echo "passthrough: $2:$((i + 1)): malformed record: record is not a JSON object at byte 1"
		i=$((i + 1))
	done
}
makebad 25 bad25
{
	wanterr 25 bad25 10
	echo 'passthrough: further malformed records are counted, not reported'
	echo 'passthrough: 25 malformed records in all'
} >bad25.err
check record/cap-25 0 bad25 bad25.err "$P" bad25
counts record/cap-25-counts 0 "26 26 25 0" "$P" --stats bad25
echo '{"text":"good"}' >good1
check record/cap-25-skip 0 good1 bad25.err "$P" --on-error=skip bad25
counts record/cap-25-skip-counts 0 "26 1 25 25" "$P" --stats --on-error=skip bad25
makebad 11 bad11
{
	wanterr 11 bad11 10
	echo 'passthrough: further malformed records are counted, not reported'
	echo 'passthrough: 11 malformed records in all'
} >bad11.err
check record/cap-11 0 bad11 bad11.err "$P" bad11
makebad 10 bad10
run record/cap-10 0 "$P" bad10 &&
	if [ "$(grep -c 'malformed record:' "$T/err")" -eq 10 ] && ! grep -q 'in all' "$T/err"; then
		pass record/cap-10
	else
		fail record/cap-10 "$(tr '\n' '|' <"$T/err" | head -c 400)"
	fi
wanterr 25 bad25 1 >bad25.fail.err
check record/cap-25-fail 1 good1 bad25.fail.err "$P" --on-error=fail bad25
# Records dropped for their length are malformed records too (they are
# counted as such): their messages must obey the same cap.
i=0
while [ $i -lt 12 ]; do echo '{"text":"this line is too long"}'; i=$((i + 1)); done >long12
run record/cap-oversize 0 "$P" --max-record-bytes=10 long12 &&
	if [ "$(grep -c 'record longer than' "$T/err")" -eq 10 ] &&
	    grep -q 'further malformed records are counted, not reported' "$T/err" &&
	    grep -q '12 malformed records in all' "$T/err"; then
		pass record/cap-oversize
	else
		fail record/cap-oversize "$(grep -c 'record longer than' "$T/err") length messages for 12 records, want 10, the 'further' line and the total"
	fi
counts record/cap-oversize-counts 0 "12 0 12 12" "$P" --stats --max-record-bytes=10 long12

# ---- --max-record-bytes ----

printf '%s\n' '{"text":"short"}' '{"text":"this one is longer"}' >mr.jsonl
printf '%s\n' '{"text":"short"}' >mr.want
echo 'passthrough: mr.jsonl:2: record longer than --max-record-bytes=16 dropped' >mr.err
check record/max-record 0 mr.want mr.err "$P" --max-record-bytes=16 mr.jsonl
counts record/max-record-counts 0 "2 1 1 1" "$P" --stats --max-record-bytes=16 mr.jsonl
{
	echo 'passthrough: mr.jsonl:1: record longer than --max-record-bytes=15 dropped'
	echo 'passthrough: mr.jsonl:2: record longer than --max-record-bytes=15 dropped'
} >mr15.err
check record/max-record-15 0 empty mr15.err "$P" --max-record-bytes=15 mr.jsonl
check record/max-record-fail 1 mr.want mr.err "$P" --on-error=fail --max-record-bytes=16 mr.jsonl
# The limit is on the record, without its line end (CR included).
printf '{"text":"short"}\r\n' >mrcr
check record/max-record-crlf 0 mr.want empty "$P" --max-record-bytes=16 mrcr
# The same when a record spans two blocks of input (zio hands the input
# over in blocks; where they end is its business): 100000 CRLF records of
# exactly 33 bytes, 3.5 MB, so that some of them straddle whatever block
# boundaries there are.  All are kept, and without the CRs all are too.
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{\"text\":\"bbbbbbbbbbbbbbbbbb%04d\"}\r\n", i % 10000 }' >mrx
tr -d '\r' <mrx >mrx.want
check record/max-record-crlf-across-blocks 0 mrx.want empty "$P" --max-record-bytes=33 mrx
check record/max-record-across-blocks 0 mrx.want empty "$P" --max-record-bytes=33 mrx.want

# ---- a 64 MiB record, plain and gzip ----

{
	printf '{"id":1,"text":"start \\u00e9 \\" '
	head -c 67108864 /dev/zero | tr '\0' 'a'
	printf ' end"}\n{"text":"after"}\n'
} >big.jsonl
run record/big-64mib 0 "$P" big.jsonl && same record/big-64mib "$T/out" big.jsonl
gzip -1 -c big.jsonl >big.gz

# ---- gzip input and output, under each backend ----

# A gzip file with two members, the first ending one byte before the end
# of the first 256 KiB read (zio.c reads the file 256 KiB at a time): its
# header gets an FEXTRA field of the length that puts it there.
head -n 4800 gen.jsonl >m1.txt
tail -n 9000 gen.jsonl >m2.txt
gzip -1 -n -c m1.txt >m1.gz
gzip -1 -n -c m2.txt >m2.gz
s=$(wc -c <m1.gz | tr -d ' ')
xlen=$((262143 - 2 - s))
{
	head -c 3 m1.gz
	printf '\004'
	tail -c +5 m1.gz | head -c 6
	printf "\\$(printf %03o $((xlen % 256)))\\$(printf %03o $((xlen / 256)))"
	head -c "$xlen" /dev/zero
	tail -c +11 m1.gz
	cat m2.gz
} >edge.gz
cat m1.txt m2.txt >edge.want
if [ "$xlen" -lt 0 ] || [ "$xlen" -gt 65535 ] || ! gzip -dc edge.gz | cmp -s - edge.want; then
	fail record/gzip-setup "could not build the member-edge file (xlen $xlen)"
fi

gzip -c valid.jsonl >gz.txt
cp valid.jsonl plain.gz
{ head -n 5 valid.jsonl | gzip -c; gzip -c <empty; tail -n +6 valid.jsonl | gzip -9 -c; } >members.gz
i=1
while [ $i -le 50 ]; do printf '{"n":%d}\n' $i | gzip -c; i=$((i + 1)); done >many.gz
i=1
while [ $i -le 50 ]; do printf '{"n":%d}\n' $i; i=$((i + 1)); done >many.want
gzip -1 -c gen.jsonl >gen.gz
gsize=$(wc -c <gen.gz | tr -d ' ')
head -c $((gsize / 2)) gen.gz >trunc.gz
# How many whole records gzip(1) gets out of the half file.
ntrunc=$(gzip -dc trunc.gz 2>/dev/null | wc -l | tr -d ' ')
head -c $((gsize - 4)) gen.gz >trunctrailer.gz
head -c 5 gen.gz >trunchead.gz
cp gen.gz corrupt.gz
printf '\377\377\377\377\377\377\377\377' | dd of=corrupt.gz bs=1 seek=$((gsize / 2)) conv=notrunc 2>/dev/null
cp gen.gz badcrc.gz
printf '\000\000' | dd of=badcrc.gz bs=1 seek=$((gsize - 8)) conv=notrunc 2>/dev/null
{ gzip -c valid.jsonl; printf 'garbage\n'; } >garbage.gz
{ gzip -c valid.jsonl; printf 'x'; } >garbage1.gz
{ gzip -c valid.jsonl; head -c 1000 /dev/zero; } >zeros.gz

gzip_cases() {
	be=$1
	WINNOW_GZIP=$be
	export WINNOW_GZIP
	check record/gzip-by-content/$be 0 valid.jsonl empty "$P" gz.txt
	check record/plain-named-gz/$be 0 valid.jsonl empty "$P" plain.gz
	check record/gzip-stdin/$be 0 valid.jsonl empty fromstdin gz.txt "$P"
	check record/gzip-members/$be 0 valid.jsonl empty "$P" members.gz
	check record/gzip-50-members/$be 0 many.want empty "$P" many.gz
	check record/gzip-member-at-read-edge/$be 0 edge.want empty "$P" edge.gz
	cat valid.jsonl valid.jsonl nonl.want valid.jsonl many.want >mixed.want
	check record/gzip-mixed-inputs/$be 0 mixed.want empty "$P" gz.txt valid.jsonl nonl plain.gz many.gz
	check record/gzip-stats/$be 0 gen.jsonl empty "$P" gen.gz
	counts record/gzip-stats-counts/$be 0 "20000 20000 0 0" "$P" --stats gen.gz
	if [ "$(stat bytes_in)" = "$(wc -c <gen.jsonl | tr -d ' ')" ]; then
		pass record/gzip-stats-bytes-in/$be
	else
		fail record/gzip-stats-bytes-in/$be "bytes_in $(stat bytes_in), want the decompressed size"
	fi

	# Damaged input: every whole record before the damage, a message with
	# their number, the next input read all the same, exit 1.
	lines_of "$ntrunc" gen.jsonl >trunc.want
	echo "passthrough: trunc.gz: truncated gzip input after $ntrunc records" >trunc.err
	check record/gzip-truncated/$be 1 trunc.want trunc.err "$P" trunc.gz
	counts record/gzip-truncated-counts/$be 1 "$ntrunc $ntrunc 0 0" "$P" --stats trunc.gz
	cat trunc.want valid.jsonl >trunc2.want
	check record/gzip-truncated-then-next/$be 1 trunc2.want trunc.err "$P" trunc.gz valid.jsonl
	echo "passthrough: trunctrailer.gz: truncated gzip input after 20000 records" >trunctrailer.err
	check record/gzip-truncated-trailer/$be 1 gen.jsonl trunctrailer.err "$P" trunctrailer.gz
	echo "passthrough: trunchead.gz: truncated gzip input after 0 records" >trunchead.err
	check record/gzip-truncated-header/$be 1 valid.jsonl trunchead.err "$P" trunchead.gz valid.jsonl
	echo "passthrough: badcrc.gz: corrupt gzip input after 20000 records" >badcrc.err
	check record/gzip-bad-crc/$be 1 gen.jsonl badcrc.err "$P" badcrc.gz
	# Bytes flipped in the middle: what comes out before the error is not
	# known exactly (garbage may decode first), but the error is reported,
	# the next input is read and the counts add up.
	run record/gzip-corrupt/$be 1 "$P" corrupt.gz valid.jsonl &&
		if grep -q '^passthrough: corrupt\.gz: corrupt gzip input after [0-9]* records$' "$T/err" &&
		    tail -n 12 "$T/out" | cmp -s - valid.jsonl; then
			pass record/gzip-corrupt/$be
		else
			fail record/gzip-corrupt/$be "$(tail -n 3 "$T/err" | cat -v | tr '\n' '|' | cut -c1-300)"
		fi
	run record/gzip-corrupt-counts/$be 1 "$P" --stats corrupt.gz valid.jsonl &&
		if [ "$(stat inputs_failed)" = 1 ]; then
			conserved record/gzip-corrupt-counts/$be "$(stat records_in)" "$(stat records_out)" \
			    "$(stat malformed)" 0
		else
			fail record/gzip-corrupt-counts/$be "inputs_failed $(stat inputs_failed), want 1"
		fi
	echo "passthrough: garbage.gz: trailing garbage after gzip data after 12 records" >garbage.err
	check record/gzip-trailing-garbage/$be 1 valid.jsonl garbage.err "$P" garbage.gz
	counts record/gzip-trailing-garbage-counts/$be 1 "12 12 0 0" "$P" --stats garbage.gz
	echo "passthrough: garbage1.gz: trailing garbage after gzip data after 12 records" >garbage1.err
	check record/gzip-trailing-byte/$be 1 valid.jsonl garbage1.err "$P" garbage1.gz
	echo "passthrough: zeros.gz: trailing garbage after gzip data after 12 records" >zeros.err
	check record/gzip-trailing-zeros/$be 1 valid.jsonl zeros.err "$P" zeros.gz

	# gzip output: -z, -o FILE.gz, --gzip-level; zcat reads back the same.
	for lv in 1 2 3 4 6 9; do
		run record/gzip-level-$lv/$be 0 "$P" --gzip-level=$lv gen.jsonl &&
			if is_gzip "$T/out" && gzip -dc "$T/out" | cmp -s - gen.jsonl; then
				pass record/gzip-level-$lv/$be
			else
				fail record/gzip-level-$lv/$be "not gzip of the input"
			fi
	done
	run record/gzip-z/$be 0 "$P" -z valid.jsonl &&
		if is_gzip "$T/out" && gzip -dc "$T/out" | cmp -s - valid.jsonl; then
			pass record/gzip-z/$be
		else
			fail record/gzip-z/$be "not gzip of the input"
		fi
	run record/gzip-z-empty/$be 0 "$P" -z empty &&
		if is_gzip "$T/out" && [ "$(gzip -dc "$T/out" | wc -c)" -eq 0 ]; then
			pass record/gzip-z-empty/$be
		else
			fail record/gzip-z-empty/$be "not an empty gzip stream"
		fi
	rm -f out.jsonl.gz
	run record/gzip-o-gz/$be 0 "$P" -o out.jsonl.gz gz.txt &&
		if [ ! -s "$T/out" ] && is_gzip out.jsonl.gz && gzip -dc out.jsonl.gz | cmp -s - valid.jsonl; then
			pass record/gzip-o-gz/$be
		else
			fail record/gzip-o-gz/$be "out.jsonl.gz is not gzip of the input"
		fi
	run record/gzip-o-level/$be 0 "$P" --gzip-level=9 -o out9.jsonl gen.gz &&
		if is_gzip out9.jsonl && gzip -dc out9.jsonl | cmp -s - gen.jsonl; then
			pass record/gzip-o-level/$be
		else
			fail record/gzip-o-level/$be "out9.jsonl is not gzip of the input"
		fi
	# The 64 MiB record through gzip in and gzip out.
	run record/big-64mib-gzip/$be 0 "$P" -z big.gz &&
		if gzip -dc "$T/out" | cmp -s - big.jsonl; then
			pass record/big-64mib-gzip/$be
		else
			fail record/big-64mib-gzip/$be "not the same after gzip -d"
		fi
	unset WINNOW_GZIP
}

gzip_cases zlib
if "$P" --version | grep -q 'isa-l'; then
	gzip_cases isal
else
	echo "# record/gzip-*/isal skipped: passthrough was built without ISA-L"
fi

# ---- missing and unreadable inputs ----

cat valid.jsonl valid.jsonl >twice.want
echo 'passthrough: nope.jsonl: No such file or directory' >missing.err
check record/missing-file 1 twice.want missing.err "$P" valid.jsonl nope.jsonl valid.jsonl
counts record/missing-file-counts 1 "24 24 0 0" "$P" --stats valid.jsonl nope.jsonl valid.jsonl
if [ "$(stat inputs_failed)" = 1 ]; then
	pass record/missing-file-inputs-failed
else
	fail record/missing-file-inputs-failed "inputs_failed $(stat inputs_failed)"
fi
mkdir -p adir
echo 'passthrough: adir: Is a directory' >dir.err
check record/directory-input 1 valid.jsonl dir.err "$P" adir valid.jsonl

# ---- -o FILE: written to a temporary file, renamed into place ----

mkdir -p o1
check record/o-file 0 empty empty "$P" -o o1/out.jsonl valid.jsonl &&
	same record/o-file-content o1/out.jsonl valid.jsonl
if [ "$(ls -A o1)" = out.jsonl ]; then
	pass record/o-file-no-temporary
else
	fail record/o-file-no-temporary "o1 holds: $(ls -A o1 | tr '\n' ' ')"
fi
# Replaces an existing file.
check record/o-file-replace 0 empty empty "$P" -o o1/out.jsonl bad.skip &&
	same record/o-file-replace-content o1/out.jsonl bad.skip
# A directory that cannot hold the file (a regular file on the path; as
# root, a read-only mode would not stop the write): exit 2, nothing made.
: >notadir
echo 'passthrough: notadir/out.jsonl: cannot create: Not a directory' >notadir.err
check record/o-cannot-create 2 empty notadir.err "$P" -o notadir/out.jsonl valid.jsonl
echo 'passthrough: nodir/out.jsonl: cannot create: No such file or directory' >nodir.err
check record/o-no-directory 2 empty nodir.err "$P" -o nodir/out.jsonl valid.jsonl
# A fatal write error part way (the file size limit, with SIGXFSZ ignored
# so that write(2) fails with EFBIG): exit 2, no temporary file left, and
# the file already under the final name untouched.
mkdir -p o2
cp valid.jsonl o2/out.jsonl
(trap '' XFSZ; ulimit -f 64 && exec "$P" -o o2/out.jsonl gen.jsonl) >"$T/out" 2>"$T/err"
st=$?
if [ $st -eq 2 ] && grep -q '^passthrough: o2/out.jsonl: write error: File too large$' "$T/err" &&
    [ "$(ls -A o2)" = out.jsonl ] && cmp -s o2/out.jsonl valid.jsonl; then
	pass record/o-write-error-no-half-file
else
	fail record/o-write-error-no-half-file "status $st, o2: $(ls -A o2 | tr '\n' ' '), $(head -c 200 "$T/err")"
fi
# --on-error=fail stops the run with exit 1: the output is not complete,
# so (cli.c: "renamed into place only when complete") nothing may take
# the final name, and an old file there stays as it was.
mkdir -p o3
check record/o-on-error-fail 1 empty bad.fail.err "$P" --on-error=fail -o o3/out.jsonl bad.jsonl
if [ -z "$(ls -A o3)" ]; then
	pass record/o-on-error-fail-no-half-file
else
	fail record/o-on-error-fail-no-half-file "o3 holds: $(ls -A o3 | tr '\n' ' ') ($(wc -l <o3/out.jsonl 2>/dev/null) lines)"
fi
# Killed by SIGTERM while writing: the temporary file is removed.
mkdir -p o4
rm -f fifo
mkfifo fifo
"$P" -o o4/out.jsonl fifo 2>"$T/err" &
pid=$!
exec 3<>fifo	# read-write: never blocks, even if passthrough is gone
cat valid.jsonl >&3
i=0
while [ $i -lt 100 ] && [ -z "$(ls -A o4)" ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM $pid
{ wait $pid; } 2>/dev/null
st=$?
exec 3>&-
if [ $st -eq 143 ] && [ -z "$(ls -A o4)" ]; then
	pass record/o-sigterm-no-temporary
else
	fail record/o-sigterm-no-temporary "status $st, o4 holds: $(ls -A o4 | tr '\n' ' ')"
fi

# ---- write errors and SIGPIPE ----

# wfull NAME CMD...: CMD with stdout on /dev/full must exit 2 with a write error.
wfull() {
	wn=$1
	shift
	"$@" >/dev/full 2>"$T/err"
	st=$?
	if [ $st -eq 2 ] && grep -q '^passthrough: <stdout>: write error: No space left on device$' "$T/err"; then
		pass "$wn"
	else
		fail "$wn" "status $st, stderr: $(head -c 300 "$T/err" | tr '\n' '|')"
	fi
}
wfull record/dev-full "$P" valid.jsonl
wfull record/dev-full-big "$P" gen.jsonl
wfull record/dev-full-gzip "$P" -z gen.jsonl
wfull record/dev-full-help "$P" --help
wfull record/dev-full-version "$P" --version

# The reader goes away: killed by SIGPIPE (status 141), nothing said.
# The status is taken inside sh -c, not through the pipe.
# sigpipe NAME ARGS...: passthrough ARGS | head -n 1.
sigpipe() {
	sn=$1
	shift
	rm -f "$T/status"
	sh -c '"$@" 2>"$T/err"; echo $? >"$T/status"' sh "$P" "$@" | head -n 1 >"$T/first"
	st=$(cat "$T/status")
	if [ "$st" = 141 ] && [ ! -s "$T/err" ] && [ -s "$T/first" ]; then
		pass "$sn"
	else
		fail "$sn" "status $st, stderr: $(head -c 300 "$T/err" | tr '\n' '|')"
	fi
}
sigpipe record/sigpipe gen.jsonl gen.jsonl gen.jsonl
sigpipe record/sigpipe-gzip-in gen.gz gen.gz gen.gz
sigpipe record/sigpipe-rewrite --rewrite --set x=1 gen.jsonl gen.jsonl gen.jsonl

# ---- -F text and --to text ----

{
	printf 'plain line\n'
	printf 'with "quotes" and \\backslash\n'
	printf 'tab\there\n'
	printf '\n'
	printf 'crlf\r\n'
	printf '{"a":1}\n'
	printf 'nul\000byte\n'
	printf 'caf\303\251 \342\200\250'
} >text.txt
{
	printf '%s\n' '{"text":"plain line"}'
	printf '%s\n' '{"text":"with \"quotes\" and \\backslash"}'
	printf '%s\n' '{"text":"tab\there"}'
	printf '%s\n' '{"text":""}'
	printf '%s\n' '{"text":"crlf"}'
	printf '%s\n' '{"text":"{\"a\":1}"}'
	printf '%s\n' '{"text":"nul\u0000byte"}'
	printf '{"text":"caf\303\251 \342\200\250"}\n'
} >text.want
check record/text-in 0 text.want empty "$P" -F text text.txt
counts record/text-in-counts 0 "8 8 0 0" "$P" --stats -F text text.txt
sed 's/^{"text":/{"body":/' text.want >textf.want
check record/text-in-field 0 textf.want empty "$P" -F text -f body text.txt
sed 's/}$/,"n":1}/' text.want >texta.want
check record/text-in-append 0 texta.want empty "$P" -F text --set n=1 text.txt
tr -d '\r' <text.txt >textt.want
printf '\n' >>textt.want
check record/text-in-text-out 0 textt.want empty "$P" -F text --to text text.txt
{
	printf '%s\n' '{"text":"hello"}'
	printf '%s\n' '{"text":"two\nlines\nhere"}'
	printf '%s\n' '{"id":1}'
	printf '%s\n' '{"text":12}'
	printf '%s\n' '{"text":"caf\u00e9 \ud83d\ude00"}'
	printf '%s\n' '{"title":"T","text":"tab\tcr\rend"}'
} >tt.jsonl
{
	printf 'hello\n'
	printf 'two lines here\n'
	printf '\n'
	printf '\n'
	printf 'caf\303\251 \360\237\230\200\n'
	printf 'tab\tcr\rend\n'
} >tt.want
check record/to-text 0 tt.want empty "$P" --to text tt.jsonl
counts record/to-text-counts 0 "6 6 0 0" "$P" --stats --to text tt.jsonl
printf '\n\n\n\n\nT\n' >ttf.want
check record/to-text-field 0 ttf.want empty "$P" -f title --to text tt.jsonl

# ---- usage ----

# usage NAME MESSAGE ARGS...: exit 2, MESSAGE (if any) then the usage on stderr.
usage() {
	un=$1 um=$2
	shift 2
	run "$un" 2 "$P" "$@" &&
		if grep -q '^usage: passthrough ' "$T/err" && { [ -z "$um" ] || grep -qF -- "$um" "$T/err"; } &&
		    [ ! -s "$T/out" ]; then
			pass "$un"
		else
			fail "$un" "stderr: $(head -c 300 "$T/err" | tr '\n' '|')"
		fi
}
usage record/usage-unknown-option '' --bogus valid.jsonl
usage record/usage-unknown-short '' -Q valid.jsonl
usage record/usage-missing-argument '' valid.jsonl -o
usage record/usage-on-error "passthrough: --on-error: 'maybe' is not pass, skip or fail" --on-error=maybe valid.jsonl
usage record/usage-on-error-empty "is not pass, skip or fail" --on-error= valid.jsonl
usage record/usage-gzip-level-0 "passthrough: --gzip-level: '0' is not a level from 1 to 9" --gzip-level=0 valid.jsonl
usage record/usage-gzip-level-10 "'10' is not a level from 1 to 9" --gzip-level=10 valid.jsonl
usage record/usage-gzip-level-word "'fast' is not a level from 1 to 9" --gzip-level=fast valid.jsonl
usage record/usage-max-record-0 "is not a positive number" --max-record-bytes=0 valid.jsonl
usage record/usage-max-record-word "is not a positive number" --max-record-bytes=1k valid.jsonl
usage record/usage-format "passthrough: -F: 'xml' is not json or text" -F xml valid.jsonl
usage record/usage-to "passthrough: --to: 'csv' is not json or text" --to csv valid.jsonl
usage record/usage-empty-field "passthrough: -f: the field name is empty" -f '' valid.jsonl
run record/help 0 "$P" --help &&
	if grep -q '^usage: passthrough ' "$T/out" && grep -q -- '--on-error=ACTION' "$T/out" &&
	    grep -q -- '--rewrite' "$T/out" && [ ! -s "$T/err" ]; then
		pass record/help
	else
		fail record/help "$(head -c 300 "$T/out" | tr '\n' '|')"
	fi
run record/version 0 "$P" --version &&
	if grep -q '^passthrough (winnow) ' "$T/out" && grep -q 'gzip backend' "$T/out"; then
		pass record/version
	else
		fail record/version "$(head -c 300 "$T/out" | tr '\n' '|')"
	fi
