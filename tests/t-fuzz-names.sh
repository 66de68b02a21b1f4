#!/bin/sh
# Bounded libFuzzer runs over extract-names' engine:
#  - tests/fuzz_names.c tokenises, tags and groups any bytes as a record's
#    text: no crash, the names a JSON array, every span inside the text on
#    character boundaries and spelling one of its name's forms;
#  - tests/fuzz_names_model.c gives any bytes to the model loader, in a
#    child process: loaded (and then tagging works) or refused with a
#    message and status 2, never a crash.
# Text seeds are testdata/names-train/fuzz/*; the model seeds are made
# here from a model trained on testdata/names-train, which fuzz_names
# tags with too (NAMES_MODEL).
. tests/lib.sh

fuzz_built fuzz-names fuzz_names fuzz_names_model || exit 0

TD=$D/names-train
LX="--gazetteer $TD/lexicon/gazetteer.txt --clusters $TD/lexicon/clusters.txt"
# shellcheck disable=SC2086
if "$BIN/extract-names" $LX --train "$TD/train.conll" -m "$T/names.model" 2>"$T/train.err"; then
	NAMES_MODEL=$(pwd)/$T/names.model
	case $T in /*) NAMES_MODEL=$T/names.model ;; esac
	export NAMES_MODEL
else
	# The target trains its own.
	fail fuzz-names/train "$(head -c 300 "$T/train.err")"
fi
# The model's temporary files go to $T.
TMPDIR=$T
export TMPDIR

fuzz_seeds_and_run fuzz-names build/fuzz/fuzz_names "$TD/fuzz"

# Model seeds, the first byte the mode (see fuzz_names_model.c): the whole
# file, a truncated one, and the payload behind a made header.
mkdir -p "$T/model-seeds"
if [ -s "$T/names.model" ]; then
	{ printf '\000'; cat "$T/names.model"; } >"$T/model-seeds/whole"
	{ printf '\000'; head -c 500 "$T/names.model"; } >"$T/model-seeds/truncated"
	{ printf '\001'; tail -c +33 "$T/names.model"; } >"$T/model-seeds/payload"
	{ printf '\002'; tail -c +33 "$T/names.model"; } >"$T/model-seeds/payload-digest"
	{ printf '\002'; tail -c +33 "$T/names.model" | head -c 2000; } >"$T/model-seeds/payload-short"
fi
printf '\000not a model at all' >"$T/model-seeds/foreign"
fuzz_seeds_and_run fuzz-names-model build/fuzz/fuzz_names_model "$T/model-seeds"
exit 0
