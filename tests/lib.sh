# Helpers sourced by the tests/t-*.sh scripts.  Each check prints one line,
# "ok NAME" or "FAIL NAME: why", which tests/run counts.
#
# $O is the build folder (build/rel or build/san); $T a scratch folder
# that tests/run removes afterwards.

LC_ALL=C.UTF-8
export LC_ALL
BIN=${O:?}
D=testdata

pass() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }

# run NAME STATUS CMD...: run CMD with stdout in $T/out and stderr in
# $T/err, and check its exit status (never through a pipe, so the status
# is the program's own).  A status above 128 is a crash unless asked for.
run() {
	name=$1 want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		if [ "$got" -gt 128 ] && [ "$want" -le 128 ]; then
			fail "$name" "killed by signal $((got - 128)) ($(head -c 300 "$T/err"))"
		else
			fail "$name" "exit status $got, want $want ($(head -c 300 "$T/err"))"
		fi
		return 1
	fi
	return 0
}

# same NAME FILE EXPECTED: FILE must equal EXPECTED byte for byte.
same() {
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1" "$(diff "$3" "$2" | head -c 600 | tr '\n' '|')"
	fi
}

# equal NAME GOT WANT: the strings GOT and WANT must be equal.
equal() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "got '$2', want '$3'"
	fi
}

# has NAME FILE TEXT: FILE must contain the fixed string TEXT.
has() {
	if grep -qF -- "$3" "$2"; then
		pass "$1"
	else
		fail "$1" "no '$3' in $(head -c 300 "$2" | tr '\n' '|')"
	fi
}

# lines NAME FILE N: FILE must have N lines.
lines() {
	n=$(wc -l <"$2" | tr -d ' ')
	if [ "$n" -eq "$3" ]; then
		pass "$1"
	else
		fail "$1" "$n lines, want $3"
	fi
}

# relay NAME CMD...: run CMD, a C test program that prints its own ok/FAIL
# lines; pass them on (and the detail lines under a FAIL), then check how
# it ended.
relay() {
	rn=$1
	shift
	"$@" >"$T/$rn.out" 2>"$T/$rn.err"
	st=$?
	cat "$T/$rn.out"
	nfail=$(grep -c '^FAIL ' "$T/$rn.out")
	nok=$(grep -c '^ok ' "$T/$rn.out")
	last=$(tail -n 1 "$T/$rn.out" | cut -c1-80)
	if [ $st -gt 128 ]; then
		fail "$rn" "killed by signal $((st - 128)) after \"$last\": $(head -c 300 "$T/$rn.err" | tr '\n' '|')"
	elif [ -s "$T/$rn.err" ]; then
		# The programs say nothing on stderr: anything there is a
		# sanitizer's report (ASan and UBSan exit with status 1).
		fail "$rn" "status $st, stderr after \"$last\": $(grep -m 5 -E 'ERROR|runtime error|#[0-3] ' "$T/$rn.err" | tr '\n' '|' | cut -c1-400)"
	elif [ $st -ne 0 ] && [ "$nfail" -eq 0 ]; then
		fail "$rn" "exit status $st without a FAIL line"
	elif [ $st -eq 0 ] && [ "$nfail" -ne 0 ]; then
		fail "$rn" "FAIL lines but exit status 0"
	elif [ "$nok" -eq 0 ] && [ "$nfail" -eq 0 ]; then
		fail "$rn" "no results"
	fi
}

# fuzz_built NAME TARGET...: make fuzz, which installs clang and builds
# every fuzz target, and check that build/fuzz/TARGET is there for each;
# when not, a FAIL line and status 1 (the script then has nothing to run).
fuzz_built() {
	fbname=$1
	shift
	if ! make -s fuzz >"$T/build.log" 2>&1; then
		fail "$fbname/build" "$(tail -c 400 "$T/build.log")"
		return 1
	fi
	for fbt in "$@"; do
		if [ ! -x "build/fuzz/$fbt" ]; then
			fail "$fbname/build-$fbt" "make fuzz did not build build/fuzz/$fbt"
			return 1
		fi
	done
}

# fuzz_seeds_and_run NAME TARGET SEEDS: run the libFuzzer binary TARGET on
# each seed file in folder SEEDS (regression inputs must not fail), then
# for $FUZZ_SECONDS (30) from a copy of them, drawing its mutations from
# $FUZZ_SEED (1, so that every run of make check walks the same inputs
# as far as its time allows; 0 is a new seed each run); a crash input is
# kept in build/fuzz/.  Run from the top of the tree, after make fuzz.
fuzz_seeds_and_run() {
	fname=$1 target=$2 seeds=$3
	mkdir -p "$T/corpus-$fname"
	cp "$seeds"/* "$T/corpus-$fname/"
	for seed in "$seeds"/*; do
		if "$target" "$seed" >"$T/one.log" 2>&1; then
			pass "$fname/$(basename "$seed")"
		else
			fail "$fname/$(basename "$seed")" "$(grep -m1 -E 'ERROR|SUMMARY' "$T/one.log")"
		fi
	done
	secs=${FUZZ_SECONDS:-30}
	if (cd "$T" && "$OLDPWD/$target" -max_total_time="$secs" -seed="${FUZZ_SEED:-1}" \
	    -print_final_stats=0 "corpus-$fname" >"$T/fuzz.log" 2>&1); then
		pass "$fname/${secs}s"
	else
		crash=$(ls "$T"/crash-* 2>/dev/null | head -1)
		[ -n "$crash" ] && cp "$crash" build/fuzz/
		fail "$fname/${secs}s" "$(grep -m1 -E 'ERROR|SUMMARY' "$T/fuzz.log"); input kept in build/fuzz/$(basename "${crash:-none}")"
	fi
}

# json_ok NAME FILE: every line of FILE is a JSON object (to jansson's
# parser, through the test program jsondiff).
json_ok() {
	if "${JD:-$BIN/jsondiff}" -c "$2" >/dev/null 2>"$T/jd.err"; then
		pass "$1"
	else
		fail "$1" "$(head -c 300 "$T/jd.err")"
	fi
}

# absent NAME FILE TEXT: FILE must not contain the fixed string TEXT.
absent() {
	if grep -qF -- "$3" "$2"; then
		fail "$1" "'$3' is there: $(grep -F -- "$3" "$2" | head -c 300)"
	else
		pass "$1"
	fi
}
