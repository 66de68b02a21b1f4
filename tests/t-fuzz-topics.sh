#!/bin/sh
# Bounded libFuzzer runs over tag-topics' engine (tests/fuzz_topics.c, the
# first byte of an input picks what the rest is):
#  - any bytes as a taxonomy file, read in a child process: read (and then
#    a few sentences score well) or refused with a message naming the file
#    and status 2, never a crash;
#  - any bytes as a text scored against testdata/topics/news.txt: no
#    crash, results best first, scores in (0, 1], parents with their
#    subtopics, the same results twice;
#  - any bytes as a model file, or as a model's payload behind a valid
#    header, loaded in a child: status 0 or 2 only.
# Taxonomy and text seeds are testdata/topics/fuzz/*; the model seeds are
# made here from a model trained on testdata/topics/desks.jsonl.
. tests/lib.sh

fuzz_built fuzz-topics fuzz_topics || exit 0
# The target's temporary files go to $T.
TMPDIR=$T
export TMPDIR

mkdir -p "$T/seeds"
cp "$D"/topics/fuzz/* "$T/seeds/"
# Model seeds, the first byte the mode: the whole file, a truncated one,
# one byte flipped, and the payload behind a made header (whole and cut).
if "$BIN/tag-topics" --train "$D/topics/desks.jsonl" --labels desk -m "$T/desks.model" 2>"$T/train.err" &&
    "$BIN/tag-topics" --train "$D/topics/multi.jsonl" -m "$T/multi.model" 2>>"$T/train.err"; then
	{ printf '\002'; cat "$T/desks.model"; } >"$T/seeds/model"
	{ printf '\002'; cat "$T/multi.model"; } >"$T/seeds/model-multi"
	{ printf '\002'; head -c 600 "$T/desks.model"; } >"$T/seeds/model-truncated"
	{ printf '\002'; cat "$T/desks.model"; } >"$T/seeds/model-flipped"
	printf 'X' | dd of="$T/seeds/model-flipped" bs=1 seek=300 conv=notrunc 2>/dev/null
	{ printf '\003'; tail -c +33 "$T/desks.model"; } >"$T/seeds/payload"
	{ printf '\003'; tail -c +33 "$T/multi.model"; } >"$T/seeds/payload-multi"
	{ printf '\003'; tail -c +33 "$T/desks.model" | head -c 200; } >"$T/seeds/payload-short"
else
	fail fuzz-topics/train "$(head -c 300 "$T/train.err")"
fi
printf '\002not a model at all' >"$T/seeds/model-foreign"
fuzz_seeds_and_run fuzz-topics build/fuzz/fuzz_topics "$T/seeds"
exit 0
