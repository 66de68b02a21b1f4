#!/bin/sh
# Bounded libFuzzer run over the trainers' input readers and the trainers
# (tests/fuzz_train.c; the first byte of an input picks what reads the
# rest), each input read in a child process that must end with status 0,
# or 2 with a message naming the file (and a line of it), never a crash:
#  - extract-names' training and --dev data (CoNLL columns or JSON Lines
#    with character offsets): tokens in order inside the text, reference
#    tags that make well-formed names, one token a line;
#  - the same read for tagging -F conll: every line written back, the
#    tokens' with their tags;
#  - extract-names --train with one or two passes: the model saved loads
#    and tags as the one trained;
#  - tag-topics --train with each solver: the model saved loads, two
#    labels at least, probabilities in [0, 1].
# Seeds are testdata/fuzz/train/*.  The seeds take some 10 s (each child
# trains), so the run from them is 15 s (FUZZ_SECONDS).
. tests/lib.sh

fuzz_built fuzz-train fuzz_train || exit 0
# The target's temporary files (input, stderr, model) go to $T.
TMPDIR=$T
export TMPDIR
FUZZ_SECONDS=${FUZZ_SECONDS:-15}
fuzz_seeds_and_run fuzz-train build/fuzz/fuzz_train "$D/fuzz/train"
exit 0
