#!/bin/sh
# tests/bpeval, the scorer make eval runs on dedupe-boilerplate's --mark
# output, on two tiny hand-written records whose figures were worked out
# by hand (below), and its refusals when the three files do not match.
. tests/lib.sh

B=$BIN/bpeval
if [ ! -x "$B" ]; then
	fail bpeval "$B is not built (make tests)"
	exit 0
fi

# Record a, lines as dedupe-boilerplate numbers them (3 is blank, ignored):
#   1 Home | News | Sport             boilerplate  marked site
#   2 Big  storm hits the coast.      content (gold has a tab: squeezed, equal)
#   4 Photo: J. Doe. The river rose overnight.
#                                     boilerplate  cut [48,63) "Photo: J. Doe. "
#   5 Share this story                boilerplate  marked rule:share
#   6 He said: "We will rebuild."     content (curly quotes)  marked pull-quote
#   7 <tab>Advertisement<space>       boilerplate  kept
# Record b:
#   1 One two three!                  content
#   2 Sign in                         boilerplate  marked label
#   3 One two three!                  content      marked repeat
#   4 Read more.                      boilerplate  kept
# Lines 10, content 4, boilerplate 6.
# dedupe-boilerplate keeps content a2, b1: 2/4 = 0.500; removes a1, a5,
# b2: 3/6 = 0.500 (the cut a4 is kept).
# C4 keeps a2, a4, a6, b1, b3 (three words or more, ending in . ! ? or a
# closing quote): content 4/4 = 1.000; removes a1, a5, a7, b2, b4
# ("Read more." has two words): 5/6 = 0.833.
# Words of the gold: a 5 + 4 + 5 + 6 = 20, b 3: 23.
# dedupe-boilerplate keeps a2 (5, all in the gold), a4 minus the span
# (4, all in), a7 (1, not in), b1 (3, in), b4 (2, not): 15 words, 12 in
# the gold: P 12/15 = 0.800, R 12/23 = 0.522, F1 24/38 = 0.632.
# C4 keeps a2 (5 in), a4 (7, of which 4 in), a6 (5 in), b1 and b3 (6, but
# the gold has the 3 words once): 23 words, 17 in: P = R = F1 = 17/23 = 0.739.
cat >"$T/dump" <<'EOF'
{"id":"a","url":"https://example.test/a","text":"Home | News | Sport\nBig  storm hits the coast.\n\nPhoto: J. Doe. The river rose overnight.\nShare this story\nHe said: \u201cWe will rebuild.\u201d\n\tAdvertisement "}
{"id":"b","text":"One two three!\nSign in\nOne two three!\nRead more."}
EOF
cat >"$T/gold" <<'EOF'
{"id":"a","text":"Big storm\thits the coast.\nThe river rose overnight.\nHe said: \u201cWe will rebuild.\u201d\nA line only in the gold."}
{"text":"One two three!","id":"b"}
EOF
cat >"$T/marked" <<'EOF'
{"id":"a","url":"https://example.test/a","text":"Home | News | Sport\nBig  storm hits the coast.\n\nPhoto: J. Doe. The river rose overnight.\nShare this story\nHe said: \u201cWe will rebuild.\u201d\n\tAdvertisement ","boilerplate":[{"line":1,"why":"site"},{"line":4,"why":"rule:credit","span":[48,63]},{"line":5,"why":"rule:share"},{"line":6,"why":"pull-quote"}]}
{"id":"b","text":"One two three!\nSign in\nOne two three!\nRead more.","boilerplate":[ {"why":"label", "line":2} , {"line":3,"why":"repeat"} ]}
EOF
cat >"$T/want" <<'EOF'
corpus scorer records lines content boiler kept removed P R F1
tiny dedupe-boilerplate 2 10 4 6 0.500 0.500 0.800 0.522 0.632
 - site 0 1
 - repeat 1 0
 - pull-quote 1 0
 - label 0 1
 - menu 0 0
 - rule 0 1
 - classifier 0 0
 - cut 0 1
 - tail 0 0
 C4 line rule 2 10 4 6 1.000 0.833 0.739 0.739 0.739
EOF
if run bpeval/figures 0 "$B" tiny "$T/dump" "$T/gold" "$T/marked"; then
	head -n 12 "$T/out" | tr -s ' ' >"$T/got"
	same bpeval/figures "$T/got" "$T/want"
fi

# Two corpora in one run: one table, a block each, the same figures.
if run bpeval/two 0 "$B" one "$T/dump" "$T/gold" "$T/marked" two "$T/dump" "$T/gold" "$T/marked"; then
	sed -n '2,12p' "$T/out" | cut -c24- >"$T/one"
	sed -n '13,23p' "$T/out" | cut -c24- >"$T/two"
	same bpeval/two "$T/two" "$T/one"
fi

# The scorer reads what the filter writes.
if run bpeval/real-marks 0 "$BIN/dedupe-boilerplate" --mark "$T/dump"; then
	cp "$T/out" "$T/real"
	run bpeval/real-marks 0 "$B" tiny "$T/dump" "$T/gold" "$T/real" &&
		has bpeval/real-marks "$T/out" "tiny "
fi

# refuse NAME WANT-IN-STDERR MARKED-FILE GOLD-FILE: status 2 and a message.
refuse() {
	run "bpeval/refuse-$1" 2 "$B" tiny "$T/dump" "$4" "$3" && has "bpeval/refuse-$1" "$T/err" "$2"
}
sed 's/"id":"b"/"id":"c"/' "$T/gold" >"$T/gold-id"
refuse id "id 'b' in" "$T/marked" "$T/gold-id"
head -n 1 "$T/gold" >"$T/gold-short"
refuse count "they must match" "$T/marked" "$T/gold-short"
sed 's/Sign in/Sign up/' "$T/marked" >"$T/marked-text"
refuse text "not the dump's" "$T/marked-text" "$T/gold"
sed 's/"line":3/"line":5/' "$T/marked" >"$T/marked-range"
refuse line-range "line number from 1 to 4" "$T/marked-range" "$T/gold"
sed 's/"why":"repeat"/"why":"magic"/' "$T/marked" >"$T/marked-why"
refuse why "unknown" "$T/marked-why" "$T/gold"
sed 's/\[48,63\]/[40,63]/' "$T/marked" >"$T/marked-span"
refuse span "not within the line" "$T/marked-span" "$T/gold"
sed 's/,"boilerplate":.*}$/}/' "$T/marked" >"$T/marked-none"
refuse no-marks "--mark" "$T/marked-none" "$T/gold"
run bpeval/usage 2 "$B" tiny "$T/dump" "$T/gold" && has bpeval/usage "$T/err" "usage: bpeval"
