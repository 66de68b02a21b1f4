#!/bin/sh
# The C unit tests of the library modules that the word-level filters
# share (tests/unit_shared.c), relayed as in t-unit.sh.
. tests/lib.sh

if [ ! -x "$BIN/unit_shared" ]; then
	fail unit_shared "$BIN/unit_shared is not built (make tests)"
	exit 0
fi
relay unit_shared "$BIN/unit_shared"
