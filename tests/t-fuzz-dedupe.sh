# A bounded libFuzzer run over dedupe-boilerplate's engine
# (tests/fuzz_dedupe.c): no crash, the rebuilt text valid UTF-8, every cut
# span inside its line on character boundaries, --mark output well formed.
# The seeds include every crash found so far (testdata/fuzz/dedupe/regress-*).
. tests/lib.sh

fuzz_built fuzz-dedupe fuzz_dedupe || exit 0
fuzz_seeds_and_run fuzz-dedupe build/fuzz/fuzz_dedupe testdata/fuzz/dedupe
exit 0
