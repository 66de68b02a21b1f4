#!/bin/sh
# The C unit tests of extract-names' tokens, sentences, name grouping and
# map (tests/unit_names.c), relayed as in t-unit.sh.
. tests/lib.sh

if [ ! -x "$BIN/unit_names" ]; then
	fail unit_names "$BIN/unit_names is not built (make tests)"
	exit 0
fi
relay unit_names "$BIN/unit_names"
