#!/bin/sh
# Fuzz json_scan, json_unescape, json_escape and utf8_repair for 20 seconds
# with libFuzzer (tests/fuzz_json.c), starting from a copy of the seeds in
# testdata/fuzz/json.  A crash or a broken property is a FAIL that names
# the saved input and how to run it again.
. tests/lib.sh

FZ=build/fuzz/fuzz_json
CRASHES=build/fuzz/crashes	# kept after the run, unlike $T

# `make fuzz` installs clang and builds every fuzz target.  When it cannot
# (tests/fuzz_normalize.c, which it also builds, not written yet or not
# building), build this target alone with the very command make would run.
built=
if [ -f tests/fuzz_normalize.c ] && make -s fuzz >"$T/build.log" 2>&1; then
	built=yes
else
	{
		scripts/install-deps --fuzz &&
		cmd=$(make -n fuzz | grep ' -o build/fuzz/fuzz_json ') &&
		mkdir -p build/fuzz &&
		eval "$cmd"
	} >>"$T/build.log" 2>&1
fi
st=$?
if [ $st -ne 0 ] || [ ! -x "$FZ" ]; then
	fail fuzz-json/build "status $st: $(tail -n 5 "$T/build.log" | tr '\n' '|' | cut -c1-400)"
	exit 0
fi
pass "fuzz-json/build${built:+ (make fuzz)}"

mkdir -p "$T/corpus" "$CRASHES" || exit 2
cp "$D"/fuzz/json/* "$T/corpus/"
"$FZ" -max_total_time=20 -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -artifact_prefix="$CRASHES/json-" "$T/corpus" >"$T/fuzz.log" 2>&1
st=$?
runs=$(sed -n 's/^#\([0-9][0-9]*\).*DONE.*/\1/p' "$T/fuzz.log" | tail -n 1)
if [ $st -eq 0 ]; then
	pass "fuzz-json (${runs:-?} runs in 20 s)"
else
	saved=$(sed -n 's/.*Test unit written to \([^ ]*\).*/\1/p' "$T/fuzz.log" | tail -n 1)
	why=$(grep -m 2 -E 'ERROR|check failed|runtime error|deadly signal' "$T/fuzz.log" | tr '\n' '|' | cut -c1-300)
	fail fuzz-json "status $st: $why input saved in ${saved:-$CRASHES}; run again: $FZ ${saved:-FILE}"
fi
