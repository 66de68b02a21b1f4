# The shared command line (filters/lib/cli.c) through passthrough and
# normalize: numbers are digits only and reach SIZE_MAX, every option
# that takes a field name refuses an empty one the same way, -o '' is a
# usage error before any input is read, and option values are printed
# escaped so that a message stays one line.  Expected messages are
# written by hand from cli.h and msg.h.
. tests/lib.sh
P=$BIN/passthrough
N=$BIN/normalize

printf '{"id":1,"text":"one"}\n{"id":2,"text":"two"}\n' >"$T/two.jsonl"

# refused NAME PROG MESSAGE ARGS...: PROG ARGS exits 2 having written
# nothing on stdout and exactly MESSAGE and the usage on stderr.
refused() {
	rn=$1 rp=$2 rm=$3
	shift 3
	# (Bounded in time: the -o cases must not wait on their FIFO.)
	run "$rn" 2 timeout 10 "$rp" "$@" || return
	prog=$(basename "$rp")
	{
		printf '%s\n' "$rm"
		"$rp" --help | sed -n '1,/^[^ u]/p' | sed '$d'
		echo "Try '$prog --help' for more information."
	} >"$T/want.err"
	if [ -s "$T/out" ]; then
		fail "$rn" "wrote on stdout: $(head -c 200 "$T/out")"
	else
		same "$rn" "$T/err" "$T/want.err"
	fi
}

# ---- numbers: digits only, up to SIZE_MAX ----

for v in ' 5' '+5' '-5' '5 ' '' '0x10' '1e3' '٥'; do
	refused "cli/max-record-bytes-refuses-'$v'" "$P" \
	    "passthrough: --max-record-bytes: '$v' is not a positive number" --max-record-bytes="$v" "$T/two.jsonl"
done
for v in ' 5' '+5' '05x'; do
	refused "cli/gzip-level-refuses-'$v'" "$P" \
	    "passthrough: --gzip-level: '$v' is not a level from 1 to 9" --gzip-level="$v" "$T/two.jsonl"
done
# Leading zeros are still digits.
run cli/gzip-level-leading-zero 0 "$P" --gzip-level=09 "$T/two.jsonl" &&
	if [ "$(head -c 2 "$T/out" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
		pass cli/gzip-level-leading-zero
	else
		fail cli/gzip-level-leading-zero "not gzip output"
	fi

if [ "$(getconf LONG_BIT)" = 64 ]; then
	# A record longer than the 1 MiB read blocks, so that it is gathered
	# piece by piece under the limit check.
	awk 'BEGIN { printf "{\"text\":\""; for (i = 0; i < 40000; i++) printf "abcdefghijklmnopqrstuvwxyz0123456789.,;:"; print "\"}" }' >"$T/long.jsonl"
	cat "$T/two.jsonl" >>"$T/long.jsonl"
	for v in 18446744073709551615 018446744073709551615 18446744073709551614; do
		run "cli/max-record-bytes-$v" 0 "$P" --max-record-bytes=$v "$T/long.jsonl" &&
			same "cli/max-record-bytes-$v-keeps-records" "$T/out" "$T/long.jsonl"
	done
	for v in 18446744073709551616 99999999999999999999999; do
		refused "cli/max-record-bytes-$v" "$P" \
		    "passthrough: --max-record-bytes: '$v' is not a positive number" --max-record-bytes=$v "$T/two.jsonl"
	done
fi

# ---- field names ----

refused cli/f-empty "$P" "passthrough: -f: the field name is empty" -f '' "$T/two.jsonl"
refused cli/field-empty "$P" "passthrough: -f: the field name is empty" --field= "$T/two.jsonl"
refused cli/also-empty "$N" "normalize: --also: the field name is empty" --also= "$T/two.jsonl"
refused cli/also-empty-separate "$N" "normalize: --also: the field name is empty" --also '' "$T/two.jsonl"

# --also: up to 7 fields, as --help and the man page say.
set -- --also a --also b --also c --also d --also e --also f --also g
run cli/also-7 0 "$N" "$@" "$T/two.jsonl" && same cli/also-7-output "$T/out" "$T/two.jsonl"
refused cli/also-8 "$N" "normalize: --also: at most 7 fields" "$@" --also h "$T/two.jsonl"
run cli/also-help 0 "$N" --help && has cli/also-help-says-7 "$T/out" "up to 7 fields"
has cli/also-man-says-7 filters/normalize/normalize.1 "up to 7 fields"

# ---- -o '' is refused before any input is read ----

# From a FIFO nobody writes to: reading it would wait for ever.
mkfifo "$T/never.fifo"
refused cli/o-empty "$P" "passthrough: -o: the file name is empty" -o '' "$T/never.fifo"
refused cli/output-empty "$P" "passthrough: -o: the file name is empty" --output= "$T/never.fifo"

# ---- values are printed escaped: one message, one line ----

refused cli/value-escaped "$P" \
    "passthrough: --on-error: 'a\\nb\\tc\\\\d\\x01e\\x7ff\\rg' is not pass, skip or fail" \
    --on-error="$(printf 'a\nb\tc\\d\001e\177f\rg')" "$T/two.jsonl"
refused cli/value-utf8-kept "$P" "passthrough: --progress: 'é…' is not auto or always" \
    --progress='é…' "$T/two.jsonl"
refused cli/value-format-escaped "$P" "passthrough: -F: 'x\\ny' is not json or text" \
    -F "$(printf 'x\ny')" "$T/two.jsonl"
