#!/bin/sh
# normalize's mojibake step beyond the golden cases: the generated cases
# (testdata/cases/normalize/mojibake-gen-*) are what scripts/gen-mojibake-cases
# writes from clean text, the --stats counters of the repairs, and the
# options that turn the steps off.
. tests/lib.sh

N=$BIN/normalize
C=$D/cases/normalize

if [ ! -x "$N" ]; then
	fail mojibake-built "no $N: run make all"
	exit 0
fi

# stat_of FILE NAME: the number NAME in the --stats line in FILE.
stat_of() {
	sed -n "s/.*\"$2\":\([0-9][0-9]*\).*/\1/p" "$1"
}

# stat_is NAME FILE KEY N: the --stats counter KEY in FILE must be N.
stat_is() {
	equal "$1" "$(stat_of "$2" "$3")" "$4"
}

# The generated cases are up to date with their generator.
if command -v python3 >/dev/null 2>&1; then
	if scripts/gen-mojibake-cases --check 2>"$T/gen.err"; then
		pass mojibake-gen-current
	else
		fail mojibake-gen-current "$(head -c 300 "$T/gen.err"); run scripts/gen-mojibake-cases"
	fi
else
	echo "ok mojibake-gen-current # skipped: no python3"
fi

# UTF-8 read as Latin-1: U+0085 inside a look-alike is part of it, not a
# line break; the C1 controls between two layers are kept for the step.
printf '{"text":"Ferries to \303\203\302\205land, twice: \303\203\302\203\303\202\302\205land."}\n' >"$T/c1.in"
printf '{"text":"Ferries to \303\205land, twice: \303\205land."}\n' >"$T/c1.want"
run c1-in-pair 0 "$N" --stats "$T/c1.in" && same c1-in-pair "$T/out" "$T/c1.want" &&
    stat_is c1-in-pair-count "$T/err" mojibake 4

# A C1 control standing alone is the Windows-1252 punctuation it was;
# U+0085 after a letter is an ellipsis, between sentences a line end.
printf '{"text":"\\u0093Yes\\u0094, she said\\u0085 Then: one.\\u0085Two."}\n' >"$T/p.in"
printf '{"text":"\342\200\234Yes\342\200\235, she said\342\200\246 Then: one.\\nTwo."}\n' >"$T/p.want"
run c1-punct 0 "$N" --stats "$T/p.in" && same c1-punct "$T/out" "$T/p.want" &&
    stat_is c1-punct-count "$T/err" cp1252_bytes 3

# --no-mojibake leaves look-alikes of every code page alone.
run no-mojibake-stats 0 "$N" --stats --no-mojibake "$C/mojibake-gen-codepages.in" &&
    stat_is no-mojibake-stats "$T/err" mojibake 0

# The negative cases come out with no mojibake repair counted.
run falsefix-count 0 "$N" --stats "$C/mojibake-gen-falsefix-punct.in" &&
    stat_is falsefix-count "$T/err" mojibake 0
