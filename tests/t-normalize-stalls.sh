#!/bin/sh
# normalize: inputs that once held up a whole stream.  Each is checked for
# its output, for idempotence, and for time linear in its size: 10 MB may
# take at most 30 times what 1 MB takes (a pass per nesting level, or
# ICU's quadratic work, made it a hundred times and more).  The ratio is
# measured here, never a fixed number of seconds, so a slow or busy
# machine does not fail it; the 10 MB run is stopped at 30 times the
# 1 MB one, so a regression fails instead of stalling the tests.
. tests/lib.sh

N=$BIN/normalize

if [ ! -x "$N" ]; then
	fail normalize-stalls-built "no $N: run make all"
	exit 0
fi

# now_ms: milliseconds since the epoch.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# Each input below is one record of about MB megabytes, from gen_KIND MB.

# gen_repeat MB BEFORE UNIT AFTER: BEFORE, UNIT over and over (MB
# megabytes when UNIT divides 1024), AFTER.
gen_repeat() {
	awk -v mb="$1" -v before="$2" -v unit="$3" -v after="$4" 'BEGIN {
		c = unit; while (length(c) < 1024) c = c c
		printf "%s", before
		for (i = 0; i < mb * 1024; i++) printf "%s", c
		print after }'
}

# linear NAME KIND ARGS...: normalize (with ARGS) 1 MB and 10 MB of
# gen_KIND; the larger may take at most 30 times as long.  The 1 MB time
# is the slowest of three runs, and the 10 MB run gets two tries, so
# that a busy machine does not fail it; a quadratic cost is 100 times.
linear() {
	lname=$1 kind=$2
	shift 2
	"gen_$kind" 1 >"$T/small.jsonl" && "gen_$kind" 10 >"$T/big.jsonl" || {
		fail "$lname" "could not write the inputs"
		return
	}
	small=1
	for try in 1 2 3; do
		t0=$(now_ms)
		"$N" "$@" "$T/small.jsonl" >"$T/small.out" 2>"$T/err" || {
			fail "$lname" "1 MB: exit status $? ($(head -c 300 "$T/err"))"
			return
		}
		took=$(($(now_ms) - t0))
		[ "$took" -gt "$small" ] && small=$took
	done
	limit=$((30 * small))
	for try in 1 2; do
		t0=$(now_ms)
		timeout "$((limit / 1000)).$(printf %03d $((limit % 1000)))" \
		    "$N" "$@" "$T/big.jsonl" >"$T/big.out" 2>"$T/err"
		st=$?
		took=$(($(now_ms) - t0))
		if [ "$st" -eq 0 ] && [ "$took" -le "$limit" ]; then
			pass "$lname"
			return
		fi
	done
	fail "$lname" "1 MB in $small ms, 10 MB in $took ms (status $st), over 30 times"
}

# output NAME INPUT EXPECTED ARGS...: normalize INPUT with ARGS; the output
# must be EXPECTED and a second run must change nothing.
output() {
	oname=$1 oin=$2 want=$3
	shift 3
	printf '%s\n' "$want" >"$T/want"
	run "$oname" 0 "$N" "$@" "$oin" && same "$oname" "$T/out" "$T/want" &&
	    mv "$T/out" "$T/once" &&
	    run "$oname-idempotent" 0 "$N" "$@" "$T/once" &&
	    same "$oname-idempotent" "$T/out" "$T/once"
}

# ---- entities: a chain of escapes is decoded in one pass ----

# "&amp;amp;amp;...;": an ampersand escaped a million times over.
gen_amp() {
	gen_repeat "$1" '{"text":"a &' 'amp;' ' b"}'
}

gen_amp 1 >"$T/amp.jsonl"
output amp-chain "$T/amp.jsonl" '{"text":"a & b"}'
linear amp-chain-linear amp

# ---- nesting through characters a later step removes ----

# gen_nested MB DEPTH BYTES INNER OUTER: "x ", DEPTH times "&am", INNER,
# DEPTH - 1 times OUTER; with no DEPTH, enough levels of BYTES for MB.
gen_nested() {
	awk -v mb="$1" -v d="$2" -v per="$3" -v inner="$4" -v outer="$5" 'BEGIN {
		if (d == "") d = int(mb * 1048576 / per)
		printf "{\"text\":\"x "
		for (i = 0; i < d; i++) printf "&am"
		printf "%s", inner
		for (i = 1; i < d; i++) printf "%s", outer
		print "\"}" }'
}

# "&am&#1;p;" nested: level k is "&am", level k-1, then "#1;p;".  Once
# U+0001 is decoded and removed, each level makes the "&" that, with
# "#1;", gives the next U+0001.
gen_nest() {
	gen_nested "$1" "$2" 8 '&#1;p;' '#1;p;'
}

for depth in 1 2 63 64 200; do
	gen_nest 0 "$depth" >"$T/nest.jsonl"
	output "nest-$depth" "$T/nest.jsonl" '{"text":"x &"}'
done
linear nest-linear nest

# "&am&lt;b&gt;p;" nested: each level's "<b>" is removed only after the
# level inside it is decoded, and only then joins "&am" and "p;", so each
# level takes a round over the whole text.  Past TN_MAX_ROUNDS (16) the
# text is refused: left as it was (it is valid UTF-8 in NFC), with a
# message, and a second run does the same.
gen_tag_nest() {
	gen_nested "$1" "$2" 13 '&lt;b&gt;p;' 'lt;b&gt;p;'
}

gen_tag_nest 0 14 >"$T/tags.jsonl"
output tag-nest-14 "$T/tags.jsonl" '{"text":"x &"}'
gen_tag_nest 0 100 >"$T/tags.jsonl"
output tag-nest-refused "$T/tags.jsonl" "$(cat "$T/tags.jsonl")"
run tag-nest-message 0 "$N" "$T/tags.jsonl" &&
    has tag-nest-message "$T/err" "tags.jsonl:1: repairs nest more than 16 rounds deep"
linear tag-nest-linear tag_nest

# ---- a transliterator that changes its own output runs once ----

# Words to transliterate.
gen_words() {
	gen_repeat "$1" '{"text":"' 'ab ' 'x"}'
}

# (A second run would hex the hex: such a transliterator is not idempotent.)
printf '{"text":"ab"}\n' >"$T/ab.jsonl"
run translit-hex 0 "$N" --translit=Any-Hex "$T/ab.jsonl" &&
    has translit-hex "$T/out" '{"text":"\\u0061\\u0062"}'
run translit-name 0 "$N" --translit=Any-Name "$T/ab.jsonl" &&
    has translit-name "$T/out" '{"text":"\\N{LATIN SMALL LETTER A}\\N{LATIN SMALL LETTER B}"}'
# One that does not also maps what a later round repairs: the reference
# whole only once its tag is gone.
printf '{"text":"caf&eac<b>ute; ete"}\n' >"$T/latin.jsonl"
output translit-later-round "$T/latin.jsonl" '{"text":"cafe ete"}' \
    --translit='Any-Latin; Latin-ASCII'
linear translit-linear words --translit=Any-Hex

# ---- combining marks: a joiner after 30, so ICU's sort stays short ----

# One letter, then U+0301 U+0323 (acute above, dot below: classes 230
# and 220, which ICU must sort) over and over.
gen_marks() {
	gen_repeat "$1" '{"text":"e' '\314\201\314\243' '"}'
}

linear marks-linear marks
