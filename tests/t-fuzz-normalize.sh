# A bounded libFuzzer run over normalize's text path (tests/fuzz_normalize.c):
# no crash, output always valid UTF-8, a second run changes nothing.  The
# seeds include every crash found so far (testdata/fuzz/normalize/regress-*).
. tests/lib.sh

if ! make -s fuzz >"$T/build.log" 2>&1; then
	fail fuzz-normalize/build "$(tail -c 400 "$T/build.log")"
	exit 0
fi
mkdir -p "$T/corpus"
cp testdata/fuzz/normalize/* "$T/corpus/"
for seed in testdata/fuzz/normalize/regress-*; do
	if build/fuzz/fuzz_normalize "$seed" >"$T/one.log" 2>&1; then
		pass "fuzz-normalize/$(basename "$seed")"
	else
		fail "fuzz-normalize/$(basename "$seed")" "$(grep -m1 -E 'ERROR|SUMMARY' "$T/one.log")"
	fi
done
secs=${FUZZ_SECONDS:-30}
if (cd "$T" && "$OLDPWD/build/fuzz/fuzz_normalize" -max_total_time="$secs" \
    -print_final_stats=0 corpus >"$T/fuzz.log" 2>&1); then
	pass "fuzz-normalize/${secs}s"
else
	crash=$(ls "$T"/crash-* 2>/dev/null | head -1)
	[ -n "$crash" ] && cp "$crash" build/fuzz/
	fail "fuzz-normalize/${secs}s" "$(grep -m1 -E 'ERROR|SUMMARY' "$T/fuzz.log"); input kept in build/fuzz/$(basename "${crash:-none}")"
fi
