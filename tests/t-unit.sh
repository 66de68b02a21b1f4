#!/bin/sh
# The C unit tests of the library (tests/unit.c) and the differential test
# of json_scan against jansson (tests/jsondiff.c) on the hand-written nasty
# lines and a few hundred thousand generated ones.  Both programs print
# their own "ok NAME" / "FAIL NAME: why" lines; relay (tests/lib.sh) passes
# them on and turns a crash, a sanitizer report or a wrong exit status into
# a FAIL line.
. tests/lib.sh

if [ ! -x "$BIN/unit" ] || [ ! -x "$BIN/jsondiff" ]; then
	fail unit "$BIN/unit or $BIN/jsondiff is not built (make tests)"
	exit 0
fi
relay unit "$BIN/unit"
relay jsondiff "$BIN/jsondiff" -n 300000 "$D/json/nasty.jsonl"
