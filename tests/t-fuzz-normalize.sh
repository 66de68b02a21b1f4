# A bounded libFuzzer run over normalize's text path (tests/fuzz_normalize.c):
# no crash, output always valid UTF-8, a second run changes nothing.  The
# seeds include every crash found so far (testdata/fuzz/normalize/regress-*).
. tests/lib.sh

if ! make -s fuzz >"$T/build.log" 2>&1; then
	fail fuzz-normalize/build "$(tail -c 400 "$T/build.log")"
	exit 0
fi
fuzz_seeds_and_run fuzz-normalize build/fuzz/fuzz_normalize testdata/fuzz/normalize
