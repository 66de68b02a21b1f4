# A bounded libFuzzer run over normalize's text path (tests/fuzz_normalize.c):
# no crash, output always valid UTF-8, a second run changes nothing.  The
# seeds include every crash found so far (testdata/fuzz/normalize/regress-*).
. tests/lib.sh

fuzz_built fuzz-normalize fuzz_normalize || exit 0
fuzz_seeds_and_run fuzz-normalize build/fuzz/fuzz_normalize testdata/fuzz/normalize
