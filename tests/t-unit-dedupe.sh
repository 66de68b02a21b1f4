#!/bin/sh
# The C unit tests of dedupe-boilerplate's fingerprints, each line hashed
# byte by byte and in vector lanes (tests/unit_dedupe.c), relayed as in
# t-unit.sh.
. tests/lib.sh

if [ ! -x "$BIN/unit_dedupe" ]; then
	fail unit_dedupe "$BIN/unit_dedupe is not built (make tests)"
	exit 0
fi
relay unit_dedupe "$BIN/unit_dedupe"
