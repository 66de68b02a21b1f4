# A bounded libFuzzer run over dedupe-boilerplate's engine
# (tests/fuzz_dedupe.c): no crash, the rebuilt text valid UTF-8, every cut
# span inside its line on character boundaries, --mark output well formed.
# The seeds include every crash found so far (testdata/fuzz/dedupe/regress-*).
. tests/lib.sh

if ! make -s fuzz >"$T/build.log" 2>&1; then
	fail fuzz-dedupe/build "$(tail -c 400 "$T/build.log")"
	exit 0
fi
mkdir -p "$T/corpus"
cp testdata/fuzz/dedupe/* "$T/corpus/"
for seed in testdata/fuzz/dedupe/*; do
	if build/fuzz/fuzz_dedupe "$seed" >"$T/one.log" 2>&1; then
		pass "fuzz-dedupe/$(basename "$seed")"
	else
		fail "fuzz-dedupe/$(basename "$seed")" "$(grep -m1 -E 'ERROR|SUMMARY' "$T/one.log")"
	fi
done
secs=${FUZZ_SECONDS:-30}
if (cd "$T" && "$OLDPWD/build/fuzz/fuzz_dedupe" -max_total_time="$secs" \
    -print_final_stats=0 corpus >"$T/fuzz.log" 2>&1); then
	pass "fuzz-dedupe/${secs}s"
else
	crash=$(ls "$T"/crash-* 2>/dev/null | head -1)
	[ -n "$crash" ] && cp "$crash" build/fuzz/
	fail "fuzz-dedupe/${secs}s" "$(grep -m1 -E 'ERROR|SUMMARY' "$T/fuzz.log"); input kept in build/fuzz/$(basename "${crash:-none}")"
fi
exit 0
