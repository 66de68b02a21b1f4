#!/bin/sh
# The C unit tests of the library (tests/unit.c) and the differential test
# of json_scan against jansson (tests/jsondiff.c) on the hand-written nasty
# lines and a few hundred thousand generated ones.  Both programs print
# their own "ok NAME" / "FAIL NAME: why" lines; this relays them and turns
# a crash, a sanitizer report or a wrong exit status into a FAIL line.
. tests/lib.sh

# relay NAME CMD...: run CMD, pass on its ok/FAIL lines (and the detail
# lines under a FAIL), then check how it ended.
relay() {
	rn=$1
	shift
	"$@" >"$T/$rn.out" 2>"$T/$rn.err"
	st=$?
	cat "$T/$rn.out"
	nfail=$(grep -c '^FAIL ' "$T/$rn.out")
	nok=$(grep -c '^ok ' "$T/$rn.out")
	last=$(tail -n 1 "$T/$rn.out" | cut -c1-80)
	if [ $st -gt 128 ]; then
		fail "$rn" "killed by signal $((st - 128)) after \"$last\": $(head -c 300 "$T/$rn.err" | tr '\n' '|')"
	elif [ -s "$T/$rn.err" ]; then
		# The programs say nothing on stderr: anything there is a
		# sanitizer's report (ASan and UBSan exit with status 1).
		fail "$rn" "status $st, stderr after \"$last\": $(grep -m 5 -E 'ERROR|runtime error|#[0-3] ' "$T/$rn.err" | tr '\n' '|' | cut -c1-400)"
	elif [ $st -ne 0 ] && [ "$nfail" -eq 0 ]; then
		fail "$rn" "exit status $st without a FAIL line"
	elif [ $st -eq 0 ] && [ "$nfail" -ne 0 ]; then
		fail "$rn" "FAIL lines but exit status 0"
	elif [ "$nok" -eq 0 ] && [ "$nfail" -eq 0 ]; then
		fail "$rn" "no results"
	fi
}

if [ ! -x "$BIN/unit" ] || [ ! -x "$BIN/jsondiff" ]; then
	fail unit "$BIN/unit or $BIN/jsondiff is not built (make tests)"
	exit 0
fi
relay unit "$BIN/unit"
relay jsondiff "$BIN/jsondiff" -n 300000 "$D/json/nasty.jsonl"
