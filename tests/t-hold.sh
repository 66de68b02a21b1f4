#!/bin/sh
# What the record library gives filters beyond one record at a time
# (filters/lib/rec.h), through tests/passthrough.c: holding a window of
# records (--hold, --hold-bytes), malformed lines kept in input order
# behind held records, keys a filter owns (--set: replaced in place or
# appended, so a second run changes nothing), records dropped on purpose
# (--skip-every), and the start-up fixes for closed standard descriptors,
# a blocked SIGPIPE and a byte order mark.
#
# Every expected output is written here by hand or is the input itself
# (holding must not change a byte); none is copied from the program.
. tests/lib.sh

P=$(pwd)/$BIN/passthrough
A=$(pwd)/$D/archive
cd "$T" || exit 2

# stat FIELD: the number FIELD of the --stats line (the last of $T/err).
stat() {
	tail -n 1 "$T/err" | sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p"
}

# ---- a held window changes nothing ----

zcat "$A"/*.jsonl.gz >archive.jsonl
for n in 1 2 3 16 1000; do
	run hold/archive-$n 0 "$P" --hold $n "$A"/*.jsonl.gz && same hold/archive-$n "$T/out" archive.jsonl
done
run hold/archive-bytes 0 "$P" --hold-bytes 5000 "$A"/*.jsonl.gz &&
	same hold/archive-bytes "$T/out" archive.jsonl
# One record longer than the byte bound is still held and written.
run hold/archive-bytes-1 0 "$P" --hold-bytes 1 "$A"/*.jsonl.gz &&
	same hold/archive-bytes-1 "$T/out" archive.jsonl

# 3000 records with a malformed line after every seventh, texts with
# escapes (held texts must not share one unescape buffer) and bad UTF-8.
awk 'BEGIN { for (i = 1; i <= 3000; i++) {
	printf "{\"id\":%d,\"text\":\"r\\u00e9cord %d \\\"q\\\" \\ud83d\\ude00\"}\n", i, i
	if (i % 7 == 0) printf "not json %d\n", i
	if (i % 11 == 0) printf "{\"id\":%d,\"text\":\"caf\351\"}\n", i
} }' >mixed.jsonl
run hold/mixed-plain 0 "$P" mixed.jsonl && cp "$T/out" mixed.want
for n in 1 5 64 4000; do
	run hold/mixed-$n 0 "$P" --hold $n mixed.jsonl && same hold/mixed-$n "$T/out" mixed.want
done
# Malformed lines stay where they were: line 8 is the first of them.
if [ "$(sed -n 8p mixed.want)" = "not json 7" ] && [ "$(grep -c '^not json' mixed.want)" -eq 428 ]; then
	pass hold/mixed-order
else
	fail hold/mixed-order "line 8: $(sed -n 8p mixed.want)"
fi
run hold/mixed-rewrite-plain 0 "$P" --rewrite mixed.jsonl && cp "$T/out" mixed-rw.want
# Unescaped texts of held records are their own: a window of 50 under
# --rewrite writes each record's own text.
has hold/mixed-rewrite-text mixed-rw.want '{"id":2999,"text":"récord 2999 \"q\" 😀"}'
run hold/mixed-rewrite-50 0 "$P" --rewrite --hold 50 mixed.jsonl &&
	same hold/mixed-rewrite-50 "$T/out" mixed-rw.want
run hold/mixed-skip 0 "$P" --on-error=skip --hold 9 mixed.jsonl &&
	grep -v '^not json' mixed.want >mixed-skip.want &&
	same hold/mixed-skip "$T/out" mixed-skip.want
run hold/mixed-stats 0 "$P" --stats --hold 9 mixed.jsonl
if [ "$(stat records_in) $(stat records_out) $(stat malformed)" = "3700 3700 428" ]; then
	pass hold/mixed-counts
else
	fail hold/mixed-counts "in/out/malformed $(stat records_in) $(stat records_out) $(stat malformed)"
fi
# --on-error=fail stops at the first malformed line; what came before is written.
run hold/mixed-fail 1 "$P" --on-error=fail --hold 4 mixed.jsonl &&
	head -n 7 mixed.want >mixed-fail.want && same hold/mixed-fail "$T/out" mixed-fail.want

# Malformed lines met while records are held count in the window: a
# flood of them behind one held record does not pile up in memory.
{
	printf '{"text":"first"}\n'
	awk 'BEGIN { for (i = 0; i < 300000; i++) printf "not json, line %d of a long run of them\n", i }'
	printf '{"text":"last"}\n'
} >flood.jsonl
run hold/flood-plain 0 "$P" --stats flood.jsonl && cp "$T/out" flood.want && cp "$T/err" flood.err0
run hold/flood-held 0 "$P" --stats --hold 1 --hold-bytes 4096 flood.jsonl &&
	same hold/flood-held "$T/out" flood.want
a=$(tail -n 1 flood.err0 | sed -n 's/.*"max_rss_kb":\([0-9]*\).*/\1/p')
b=$(tail -n 1 "$T/err" | sed -n 's/.*"max_rss_kb":\([0-9]*\).*/\1/p')
if [ "$O" = build/san ]; then
	:	# the sanitizers' quarantine keeps freed memory on purpose
elif [ -n "$a" ] && [ -n "$b" ] && [ "$b" -le $((a + 4096)) ]; then
	pass hold/flood-memory
else
	fail hold/flood-memory "peak RSS ${b:-?} kB held, ${a:-?} kB not (12 MB of malformed lines)"
fi

# ---- records dropped on purpose ----

printf '{"n":%d}\n' 1 2 3 4 5 6 7 >seven.jsonl
printf '{"n":%d}\n' 1 2 4 5 7 >seven-skip3.want
run skip/every-3 0 "$P" --skip-every 3 seven.jsonl && same skip/every-3 "$T/out" seven-skip3.want
run skip/every-3-held 0 "$P" --skip-every 3 --hold 2 seven.jsonl &&
	same skip/every-3-held "$T/out" seven-skip3.want
run skip/counts 0 "$P" --stats --skip-every 3 --hold 4 seven.jsonl
if [ "$(stat records_in) $(stat records_out) $(stat skipped)" = "7 5 2" ]; then
	pass skip/counts
else
	fail skip/counts "in/out/skipped $(stat records_in) $(stat records_out) $(stat skipped)"
fi
# A malformed line behind a dropped record is still written, in its place.
printf '{"n":1}\n{"n":2}\nbad\n{"n":3}\n' >behind.jsonl
printf '{"n":1}\nbad\n{"n":3}\n' >behind.want
run skip/malformed-behind 0 "$P" --skip-every 2 --hold 3 behind.jsonl &&
	same skip/malformed-behind "$T/out" behind.want

# ---- keys a filter owns ----

{
	printf '%s\n' '{"text":"a"}'
	printf '%s\n' '{"text":"a","names":["old"]}'
	printf '%s\n' '{"names":"x","text":"b","id":1}'
	printf '%s\n' '{"names":[1],"names":[2],"text":"last counts"}'
	printf '%s\n' '{ "n\u0061mes" : {"deep":[1]} , "text":"c"}'
	printf '%s\n' '{}'
} >own.jsonl
{
	printf '%s\n' '{"text":"a","names":["A","B"]}'
	printf '%s\n' '{"text":"a","names":["A","B"]}'
	printf '%s\n' '{"names":["A","B"],"text":"b","id":1}'
	printf '%s\n' '{"names":[1],"names":["A","B"],"text":"last counts"}'
	printf '%s\n' '{ "n\u0061mes" : ["A","B"] , "text":"c"}'
	printf '%s\n' '{"names":["A","B"]}'
} >own.want
run own/set 0 "$P" --set 'names=["A","B"]' own.jsonl && same own/set "$T/out" own.want
run own/set-again 0 "$P" --set 'names=["A","B"]' own.want && same own/set-again "$T/out" own.want
run own/set-held 0 "$P" --hold 3 --set 'names=["A","B"]' own.jsonl && same own/set-held "$T/out" own.want
# Two owned keys, one present and one not; the text field owned by name.
printf '%s\n' '{"text":"t","b":0}' >two.jsonl
printf '%s\n' '{"text":"new","b":true,"a":null}' >two.want
run own/two-keys 0 "$P" --set 'a=null' --set 'b=true' --set 'text="new"' two.jsonl &&
	same own/two-keys "$T/out" two.want
# Plain text input: the owned key follows the text.
printf 'one\n' >one.txt
printf '%s\n' '{"text":"one","topics":[]}' >one.want
run own/text-input 0 "$P" -F text --set 'topics=[]' one.txt && same own/text-input "$T/out" one.want

# ---- start-up: standard descriptors and signals ----

printf '{"text":"a"}\nbad\n' >bad.jsonl
printf '{"text":"a"}\nbad\n' >bad.want
# With standard error closed, the temporary output file must not take
# descriptor 2: the message is lost, not written into the archive.
"$P" -o out.jsonl bad.jsonl 2>&-
st=$?
if [ "$st" -eq 0 ] && cmp -s out.jsonl bad.want; then
	pass start/stderr-closed
else
	fail start/stderr-closed "status $st, out.jsonl: $(head -c 200 out.jsonl | tr '\n' '|')"
fi
# With standard input closed, reading it fails; it is not the output file.
run start/stdin-closed 1 sh -c 'exec "$1" -o out2.jsonl <&-' sh "$P" &&
	has start/stdin-closed-message "$T/err" 'passthrough: <stdin>: Bad file descriptor'
# Standard output closed: a write error, status 2.
run start/stdout-closed 2 sh -c 'exec "$1" "$2" >&-' sh "$P" bad.jsonl &&
	has start/stdout-closed-message "$T/err" 'passthrough: <stdout>: write error'
# A parent that blocked SIGPIPE: "| head" still ends the filter quietly.
awk 'BEGIN { for (i = 0; i < 200000; i++) print "{\"text\":\"line " i "\"}" }' >big.jsonl
if command -v perl >/dev/null; then
	rm -f status
	perl -MPOSIX -e 'sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGPIPE)) or die; exec @ARGV' \
	    sh -c '"$1" "$2" 2>err.txt; echo $? >status' sh "$P" big.jsonl | head -n 1 >first
	if [ "$(cat status)" = 141 ] && [ ! -s err.txt ]; then
		pass start/sigpipe-blocked
	else
		fail start/sigpipe-blocked "status $(cat status), $(head -c 200 err.txt)"
	fi
fi

# ---- small things ----

# A byte order mark at the start of a file is not part of the first record.
printf '\357\273\277{"text":"bom"}\n\357\273\277{"text":"second"}\n' >bom.jsonl
printf '{"text":"bom"}\n\357\273\277{"text":"second"}\n' >bom.want
{
	printf '%s\n' "passthrough: bom.jsonl:2: malformed record: record is not a JSON object at byte 1"
} >bom.err
run misc/bom 0 "$P" bom.jsonl bom.jsonl && {
	printf '{"text":"bom"}\n\357\273\277{"text":"second"}\n{"text":"bom"}\n\357\273\277{"text":"second"}\n' >bom2.want
	same misc/bom "$T/out" bom2.want
}
run misc/bom-once 0 "$P" bom.jsonl && same misc/bom-once "$T/out" bom.want && same misc/bom-message "$T/err" bom.err
# A message is not glued onto the progress line: it starts on a cleared line.
run misc/progress-message 0 "$P" --progress=always bad.jsonl
if grep -q "$(printf '\r\033\\[Kpassthrough: bad.jsonl:2: malformed')" "$T/err"; then
	pass misc/progress-message
else
	fail misc/progress-message "$(cat -v "$T/err" | head -c 300)"
fi
# A file name with a newline does not break a message in two.
nl='
'
printf '{"text":"a"}\nbad\n' >"odd${nl}name.jsonl"
run misc/name-with-newline 0 "$P" "odd${nl}name.jsonl" &&
	if [ "$(wc -l <"$T/err" | tr -d ' ')" = 1 ]; then
		has misc/name-with-newline "$T/err" 'passthrough: odd\nname.jsonl:2: malformed record'
	else
		fail misc/name-with-newline "$(cat -v "$T/err")"
	fi
exit 0
