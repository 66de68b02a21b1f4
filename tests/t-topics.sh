#!/bin/sh
# tag-topics: taxonomy files and their errors, matching and scoring,
# trained models and their errors, records and bad input.  The taxonomy
# is the small invented one of testdata/topics/news.txt (not the shipped
# one, which is only checked to load), the training sets the invented
# news of testdata/topics/desks.jsonl (one label a record, at "desk") and
# multi.jsonl (one or two, at "topics").  Every score below was worked out
# by hand from tag-topics(1): a cue of weight W counts W / k for its kth
# occurrence, the sum r is divided by sqrt(words / 300), a text under 30
# words counting as 30, and a topic of threshold T is reported as
# s / (s + T) when that is at least --min-score (0.5: s = T).  Most texts
# here are under 30 words: s = r / sqrt(30 / 300) = r x sqrt(10), and
# f(r, T) below is r x 3.16228 / (r x 3.16228 + T); the exact 0.5 at the
# threshold is checked on texts of 300 and 1200 words.
. tests/lib.sh

TT=$(pwd)/$BIN/tag-topics
JD=$(pwd)/$BIN/jsondiff
TD=$(pwd)/$D/topics
TX=$TD/news.txt

# tag NAME STATUS ARGS...: tag-topics with the test taxonomy.
tag() {
	tn=$1 ts=$2
	shift 2
	run "$tn" "$ts" "$TT" --taxonomy "$TX" "$@"
}

# err_is NAME MESSAGE: stderr is exactly "tag-topics: MESSAGE".
err_is() {
	printf 'tag-topics: %s\n' "$2" >"$T/err.want"
	same "$1" "$T/err" "$T/err.want"
}

# topics_of FILE N: the topics array of line N of FILE (the last key).
topics_of() {
	sed -n "${2}p" "$1" | sed 's/.*"topics":\(\[.*\]\)}$/\1/'
}

# want_topics NAME FILE N ARRAY: line N of FILE has the topics ARRAY.
want_topics() {
	equal "$1" "$(topics_of "$2" "$3")" "$4"
}

echo '{"text":"The war began."}' >"$T/one.jsonl"

# ---- taxonomy files: errors are FILE:LINE[:COLUMN]: message, status 2 ----

# bad_tx NAME CONTENT MESSAGE: a taxonomy of CONTENT (printf format) is
# refused with exactly MESSAGE, which names the file as $T/NAME.txt.
bad_tx() {
	# shellcheck disable=SC2059 # the content is a format, for its \n
	printf "$2" >"$T/$1.txt"
	run "taxonomy/$1" 2 "$TT" --taxonomy "$T/$1.txt" "$T/one.jsonl" &&
		err_is "taxonomy/$1" "$T/$1.txt:$3" &&
		if [ -s "$T/out" ]; then fail "taxonomy/$1-no-output" "$(head -c 200 "$T/out")"; else pass "taxonomy/$1-no-output"; fi
}
# The id of the second "topic a" starts at column 7 of line 3.
bad_tx duplicate 'topic a\nlabel A\ntopic a\nlabel B\n' \
    "3:7: topic 'a' again (first at line 1)"
# Parents are checked once everything is read, and named where the parent
# was given: the line of the "parent", the column of its value.
bad_tx no-parent '# comment\ntopic a\nlabel A\nparent zz\n' \
    "4:8: topic 'a': no topic 'zz' for its parent"
bad_tx no-parent-indented 'topic a\n\tparent  zz\nlabel A\ntopic b\nlabel B\n' \
    "2:10: topic 'a': no topic 'zz' for its parent"
bad_tx cycle 'topic a\nlabel A\nparent b\ntopic b\nlabel B\nparent a\n' \
    "3:8: topic 'a' is its own ancestor"
bad_tx self-parent 'topic a\nlabel A\nparent a\n' \
    "3:8: topic 'a' is its own ancestor"
# A topic that only leads into a cycle is not the one named.
bad_tx cycle-below 'topic x\nlabel X\nparent a\ntopic a\nlabel A\nparent  b\ntopic b\nparent a\nlabel B\n' \
    "6:9: topic 'a' is its own ancestor"
# PCRE2 puts the error at the ')' (offset 2 of "ab)cd"), and the pattern
# starts at column 11: column 13.
bad_tx bad-pattern 'topic a\nlabel A\ncue 1 war\npattern 1 ab)cd\n' \
    '4:13: bad pattern: unmatched closing parenthesis'
bad_tx weight-negative 'topic a\nlabel A\ncue -1 war\n' \
    "3:5: weight: '-1' is not a positive decimal number"
bad_tx weight-zero 'topic a\nlabel A\n\tnot  0 war\n' \
    "3:7: weight: '0' is not a positive decimal number"
bad_tx weight-word 'topic a\nlabel A\npattern abc war\n' \
    "3:9: weight: 'abc' is not a positive decimal number"
bad_tx weight-trailing 'topic a\nlabel A\ncue 2x war\n' \
    "3:5: weight: '2x' is not a positive decimal number"
bad_tx threshold-nan 'topic a\nlabel A\nthreshold nan\n' \
    "3:11: threshold: 'nan' is not a positive decimal number"
# Numbers are written in decimal: digits and at most one point; no sign,
# exponent, hex, inf or comma.
for num in 0x10 1e1 1E1 inf infinity +3 . 1.2.3 1,5; do
	bad_tx "number-$num" "topic a\nlabel A\ncue $num war\n" \
	    "3:5: weight: '$num' is not a positive decimal number"
done
# A point may start or end one: war .5 in a text under 30 words, s =
# 0.5 x 3.16228 = 1.581, threshold 1.5: f = 1.581 / 3.081 = 0.513.
printf 'topic a\nlabel A\nthreshold 1.50\ncue .5 war\ncue 2. peace\n' >"$T/decimal.txt"
run taxonomy/decimal 0 "$TT" --taxonomy "$T/decimal.txt" "$T/one.jsonl" &&
	want_topics taxonomy/decimal "$T/out" 1 '[{"id": "a", "score": 0.513}]'
bad_tx brief-zero 'topic a\nlabel A\nbrief 0\n' \
    "3:7: brief: '0' is not a positive decimal number"
# A word after the number is not passed over: the column is the word's.
bad_tx threshold-extra 'topic a\nlabel A\nthreshold 3 extra\n' \
    "3:13: threshold: one number, then nothing"
bad_tx brief-extra 'topic a\nlabel A\n\tbrief  2\t4\n' \
    "3:11: brief: one number, then nothing"
bad_tx before-topic '# a taxonomy\n\ncue 1 war\ntopic a\nlabel A\n' \
    "3:1: 'cue' before any topic line"
bad_tx unknown 'topic a\nlabel A\n  keyword 1 war\n' \
    "3:3: 'keyword' is not topic, parent, label, threshold, brief, cue, not or pattern"
bad_tx no-label 'topic a\nlabel A\ntopic b\ncue 1 war\n' \
    "3: topic 'b' has no label"
bad_tx bad-id 'topic Wars\nlabel A\n' \
    "1:7: a topic id is a-z, 0-9 and '-'"
bad_tx second-label 'topic a\nlabel A\nlabel B\n' \
    "3:1: a second label for 'a'"
bad_tx threshold-twice 'topic a\nlabel A\nthreshold 3\n  threshold 4\n' \
    "4:3: a second threshold for 'a'"
bad_tx brief-twice 'topic a\nlabel A\nbrief 3\ncue 1 war\nbrief 3\n' \
    "5:1: a second brief for 'a'"
bad_tx phrase-twice 'topic a\nlabel A\ncue 1 war\nnot 1 Wars\n' \
    "4:7: the topic 'a' has this phrase already (\"war\")"
bad_tx phrase-long 'topic a\nlabel A\ncue 1 one two three four five six seven eight nine\n' \
    '3:7: a phrase of more than 8 words'
# A taxonomy of no topic would tag nothing: an error, not [] for all.
run taxonomy/empty 2 "$TT" --taxonomy /dev/null "$T/one.jsonl" &&
	err_is taxonomy/empty "/dev/null: no topics"
printf '# nothing yet\n\n   # indented\n' >"$T/comments.txt"
run taxonomy/comments-only 2 "$TT" --taxonomy "$T/comments.txt" "$T/one.jsonl" &&
	err_is taxonomy/comments-only "$T/comments.txt: no topics"
tag taxonomy/add-empty 2 --add-taxonomy "$T/comments.txt" "$T/one.jsonl" &&
	err_is taxonomy/add-empty "$T/comments.txt: no topics"
run taxonomy/missing 2 "$TT" --taxonomy "$T/none.txt" "$T/one.jsonl" &&
	err_is taxonomy/missing "$T/none.txt: cannot open: No such file or directory"

# --add-taxonomy: new topics, more cues for a topic of the first file; its
# label and parent are the first file's.
printf 'topic b\nlabel B\nthreshold 3\ncue 3 peace\n\ntopic conflict\ncue 3 battle\n' >"$T/add.txt"
echo '{"text":"Peace after the battle."}' >"$T/add.jsonl"
# Without it: nothing.  With it: b at f(3, 3) = 0.760, conflict the same
# (first: the taxonomy's order).
tag taxonomy/add-without 0 "$T/add.jsonl" && want_topics taxonomy/add-without "$T/out" 1 '[]'
tag taxonomy/add 0 --add-taxonomy "$T/add.txt" --explain "$T/add.jsonl" &&
	want_topics taxonomy/add "$T/out" 1 \
	    '[{"id": "conflict", "score": 0.760, "cues": ["battle"]}, {"id": "b", "score": 0.760, "cues": ["peace"]}]'
# The cue added joins the first file's: war 3 + battle 3 = 6, f(6, 3) =
# 18.974 / 21.974 = 0.863.
echo '{"text":"war and battle"}' >"$T/add2.jsonl"
tag taxonomy/add-extends 0 --add-taxonomy "$T/add.txt" "$T/add2.jsonl" &&
	want_topics taxonomy/add-extends "$T/out" 1 '[{"id": "conflict", "score": 0.863}]'
printf 'topic economy\nlabel Money\n' >"$T/relabel.txt"
tag taxonomy/add-relabel 2 --add-taxonomy "$T/relabel.txt" "$T/one.jsonl" &&
	err_is taxonomy/add-relabel "$T/relabel.txt:2:1: label: topic 'economy' was defined at $TX:18"
printf 'topic weather\ncue 1 sleet\nparent economy\n' >"$T/reparent.txt"
tag taxonomy/add-reparent 2 --add-taxonomy "$T/reparent.txt" "$T/one.jsonl" &&
	err_is taxonomy/add-reparent "$T/reparent.txt:3:1: parent: topic 'weather' was defined at $TX:32"
# A parent found in no file, or a cycle through two files: the file and
# line where the parent was given.
printf 'topic b\nlabel B\n\nparent zz\n' >"$T/addorphan.txt"
tag taxonomy/add-no-parent 2 --add-taxonomy "$T/addorphan.txt" "$T/one.jsonl" &&
	err_is taxonomy/add-no-parent "$T/addorphan.txt:4:8: topic 'b': no topic 'zz' for its parent"
printf 'topic a\nlabel A\nparent b\n' >"$T/cycle1.txt"
printf 'topic c\nlabel C\ntopic b\nlabel B\nparent a\n' >"$T/cycle2.txt"
run taxonomy/add-cycle 2 "$TT" --taxonomy "$T/cycle1.txt" --add-taxonomy "$T/cycle2.txt" "$T/one.jsonl" &&
	err_is taxonomy/add-cycle "$T/cycle1.txt:3:8: topic 'a' is its own ancestor"
run taxonomy/add-cycle-second 2 "$TT" --taxonomy "$T/cycle2.txt" --add-taxonomy "$T/cycle1.txt" "$T/one.jsonl" &&
	err_is taxonomy/add-cycle-second "$T/cycle2.txt:5:8: topic 'b' is its own ancestor"
# A topic a later file adds is new to that file: naming it again there is
# a duplicate; a third file may add cues to it.
printf 'topic b\nlabel B\ntopic b\n' >"$T/adddup.txt"
tag taxonomy/add-duplicate 2 --add-taxonomy "$T/adddup.txt" "$T/one.jsonl" &&
	err_is taxonomy/add-duplicate "$T/adddup.txt:3:7: topic 'b' again (first at line 1)"
printf 'topic b\ncue 3 truce\n' >"$T/add3.txt"
echo '{"text":"A truce, then peace."}' >"$T/add3.jsonl"
tag taxonomy/add-third 0 --add-taxonomy "$T/add.txt" --add-taxonomy "$T/add3.txt" "$T/add3.jsonl" &&
	want_topics taxonomy/add-third "$T/out" 1 '[{"id": "b", "score": 0.863}]'
printf 'topic b\nlabel Again\n' >"$T/add4.txt"
tag taxonomy/add-third-relabel 2 --add-taxonomy "$T/add.txt" --add-taxonomy "$T/add4.txt" "$T/one.jsonl" &&
	err_is taxonomy/add-third-relabel "$T/add4.txt:2:1: label: topic 'b' was defined at $T/add.txt:1"
# The same file twice: the message names where the topic was defined,
# which is that file.
tag taxonomy/add-twice 2 --add-taxonomy "$T/add.txt" --add-taxonomy "$T/add.txt" "$T/one.jsonl" &&
	err_is taxonomy/add-twice "$T/add.txt:2:1: label: topic 'b' was defined at $T/add.txt:1"
# A later file may set a topic's threshold and brief again: the last
# file's count.  football (3) in a text under 30 words: s = 9.487; the
# test taxonomy's sport threshold 6 gives 0.613, 100 gives 9.487 /
# 109.487 = 0.087, and 3 then 0.760; a brief of 1 (sport is the best
# topic): 0.905.
echo '{"text":"football"}' >"$T/football.jsonl"
printf 'topic sport\nthreshold 100\n' >"$T/th100.txt"
printf '# tuned\ntopic sport\nthreshold 3\n' >"$T/th3.txt"
printf 'topic sport\nbrief 1\n' >"$T/brief1.txt"
tag taxonomy/add-threshold 0 --min-score 0 --add-taxonomy "$T/th100.txt" "$T/football.jsonl" &&
	want_topics taxonomy/add-threshold "$T/out" 1 '[{"id": "sport", "score": 0.087}]'
tag taxonomy/add-threshold-last 0 --add-taxonomy "$T/th100.txt" --add-taxonomy "$T/th3.txt" \
    "$T/football.jsonl" &&
	want_topics taxonomy/add-threshold-last "$T/out" 1 '[{"id": "sport", "score": 0.760}]'
tag taxonomy/add-brief 0 --add-taxonomy "$T/brief1.txt" "$T/football.jsonl" &&
	want_topics taxonomy/add-brief "$T/out" 1 '[{"id": "sport", "score": 0.905}]'
# Comment lines are those whose first non-blank character is '#'; a '#'
# elsewhere is text (the pattern #war matches the hashtag, not the word).
printf 'topic a\nlabel A\n   # an indented comment\nthreshold 3\n\t# another\npattern 3 #war\n' >"$T/hash.txt"
printf '%s\n' '{"text":"The war began."}' '{"text":"#war trends"}' >"$T/hash.jsonl"
run taxonomy/hash 0 "$TT" --taxonomy "$T/hash.txt" "$T/hash.jsonl" && {
	want_topics taxonomy/hash-word "$T/out" 1 '[]'
	want_topics taxonomy/hash-tag "$T/out" 2 '[{"id": "a", "score": 0.760}]'
}

# The default threshold, 14: a cue of 14 once in 300 words is at it.
printf 'topic d\nlabel D\ncue 14 war\n' >"$T/default.txt"
awk 'BEGIN { printf "{\"text\":\"war"; for (i = 0; i < 299; i++) printf " lorem"; printf "\"}\n" }' >"$T/default.jsonl"
awk 'BEGIN { printf "{\"text\":\"war"; for (i = 0; i < 300; i++) printf " lorem"; printf "\"}\n" }' >>"$T/default.jsonl"
run taxonomy/default-threshold 0 "$TT" --taxonomy "$T/default.txt" "$T/default.jsonl" && {
	want_topics taxonomy/default-threshold "$T/out" 1 '[{"id": "d", "score": 0.500}]'
	want_topics taxonomy/default-threshold-301 "$T/out" 2 '[]'
}

# brief: the threshold of the best topic of a text under 100 words.
# harbour (3) in a text under 30 words: s = 9.487; port, threshold 12,
# brief 6: f = 9.487 / 15.487 = 0.613 as the best topic, 9.487 / 21.487 =
# 0.442 against its threshold; gale (3) for wind, threshold 14 and no
# brief: 0.404.  Best is by s / T: port's 0.79 beats wind's 0.68.
printf 'topic port\nlabel P\nthreshold 12\nbrief 6\ncue 3 harbour\ncue 6 lighthouse\n\ntopic wind\nlabel W\nthreshold 14\ncue 3 gale\n' >"$T/brief.txt"
{
	echo '{"text":"The harbour."}'
	echo '{"text":"The harbour in a gale."}'
	echo '{"text":"A gale."}'
	# lighthouse (6) in 99 words: s = 6 / sqrt(99 / 300) = 10.445,
	# f(brief 6) = 0.635; in 100 words s = 10.392, not a brief: 0.464.
	awk 'BEGIN { printf "{\"text\":\"lighthouse"; for (i = 0; i < 98; i++) printf " lorem"; printf "\"}\n" }'
	awk 'BEGIN { printf "{\"text\":\"lighthouse"; for (i = 0; i < 99; i++) printf " lorem"; printf "\"}\n" }'
} >"$T/brief.jsonl"
run brief 0 "$TT" --taxonomy "$T/brief.txt" "$T/brief.jsonl" && {
	want_topics brief/best "$T/out" 1 '[{"id": "port", "score": 0.613}]'
	# Only the best topic: wind stays under its threshold.
	want_topics brief/only-best "$T/out" 2 '[{"id": "port", "score": 0.613}]'
	# A best topic without a brief line keeps its threshold.
	want_topics brief/none "$T/out" 3 '[]'
	want_topics brief/99-words "$T/out" 4 '[{"id": "port", "score": 0.635}]'
	want_topics brief/100-words "$T/out" 5 '[]'
}
run brief/min-score-0 0 "$TT" --taxonomy "$T/brief.txt" --min-score 0 "$T/brief.jsonl" && {
	want_topics brief/second "$T/out" 2 '[{"id": "port", "score": 0.613}, {"id": "wind", "score": 0.404}]'
	want_topics brief/100-words-score "$T/out" 5 '[{"id": "port", "score": 0.464}]'
}

# The shipped taxonomy, when there is one, loads (from the source tree).
if [ -f filters/tag-topics/taxonomy.txt ]; then
	WINNOW_DATA=$(pwd)/filters
	export WINNOW_DATA
	run taxonomy/shipped 0 "$TT" "$T/one.jsonl" && lines taxonomy/shipped-count "$T/out" 1 &&
		json_ok taxonomy/shipped-json "$T/out"
	unset WINNOW_DATA
fi

# The shipped patterns written to start at a rare literal (TAXONOMY.md)
# count what their plain forms count.  twins NAME LINE PLAIN: the shipped
# pattern line that begins with LINE, and PLAIN, each alone in a topic,
# score alike on texts made to catch them out.
twins() {
	{
		printf 'topic p\nlabel P\nthreshold 1\n'
		grep -F -- "$2" filters/tag-topics/taxonomy.txt
	} >"$T/fast.txt"
	printf 'topic p\nlabel P\nthreshold 1\npattern 2 %s\n' "$3" >"$T/plain.txt"
	run "twins/$1-plain" 0 "$TT" --taxonomy "$T/plain.txt" --min-score 0 "$T/twins.jsonl" &&
		has "twins/$1-plain-matches" "$T/out" '"score"' && cp "$T/out" "$T/plain.out" &&
		run "twins/$1" 0 "$TT" --taxonomy "$T/fast.txt" --min-score 0 "$T/twins.jsonl" &&
		same "twins/$1" "$T/out" "$T/plain.out"
}
if [ -f filters/tag-topics/taxonomy.txt ]; then
	for text in 'They won 3-1.' 'WON 10-2, then lost 12-123' 'beat 1234-5' 'beat 123-4567' \
	    'xwon 3-1' 'won 3-1-2 and drew 1-1' 'won  3-1' 'thrashed 100-0, routed 5-0' \
	    'won \u0663-\u0661' 'won 3_1' 'edged 2-1x' 'defeated 7-6 beat 7-6' 'won3-1'; do
		printf '{"text":"%s"}\n' "$text"
	done >"$T/twins.jsonl"
	twins score-after-verb 'pattern 2 (?<=(?<=\bwon ' \
	    '\b(won|beat|lost|drew|defeated|edged|routed|thrashed) \d{1,3}-\d{1,3}\b'
	for text in '#MeToo' 'MeToo' 'metoo#metoo' '#metooX' 'xmetoo' 'me too' '##MeToo #MeToo'; do
		printf '{"text":"%s"}\n' "$text"
	done >"$T/twins.jsonl"
	twins metoo 'pattern 2 MeToo' '#?MeToo\b'
fi

# ---- matching and scores ----

# Each line's topics, by hand (conflict: threshold 3, war 3, missile
# strike 3, not 6 "war of words"; economy: threshold 20, tariff 4,
# pattern 3 "N per cent").  Every text is under 30 words.
cat >"$T/match.jsonl" <<'EOT'
{"id":1,"text":"New software warning: the warehouse was swarming, postwar."}
{"id":2,"text":"The war began."}
{"id":3,"text":"Missile strikes hit the port."}
{"id":4,"text":"MISSILE STRIKING again"}
{"id":5,"text":"a missile\nstrike at dawn"}
{"id":6,"text":"a missile \r\n\n  strike at dawn"}
{"id":7,"text":"A missile hit; the workers' strike went on."}
{"id":8,"text":"A war of words in parliament."}
{"id":9,"text":"Wars and wars."}
{"id":10,"text":"The war's end."}
{"id":11,"text":"Prices rose 5 percent, then 3 PER CENT."}
{"id":12,"text":"Prices rose 5 percent, then 3 PER CENT, then 2 per cent."}
{"id":13,"text":"tariff, tariff"}
{"id":14,"text":"Tariffs"}
{"id":15,"text":"tariff tariff tariff tariff"}
{"id":16,"text":"missile strike, a war of words"}
{"id":17,"text":"missile strike, a war"}
{"id":18}
{"id":19,"text":"war, missile strike, war of words"}
EOT
tag match 0 "$T/match.jsonl" && cp "$T/out" "$T/match.out" && {
	lines match/count "$T/match.out" 19
	# "war" is a word, not a piece of one.
	want_topics match/word-boundary "$T/match.out" 1 '[]'
	# f(3, 3) = 9.487 / 12.487 = 0.760.
	want_topics match/word "$T/match.out" 2 '[{"id": "conflict", "score": 0.760}]'
	# Any case, any inflection: strikes, striking.
	want_topics match/inflection "$T/match.out" 3 '[{"id": "conflict", "score": 0.760}]'
	want_topics match/case "$T/match.out" 4 '[{"id": "conflict", "score": 0.760}]'
	# A phrase across line breaks (and blanks, a CR).
	want_topics match/line-break "$T/match.out" 5 '[{"id": "conflict", "score": 0.760}]'
	want_topics match/line-breaks "$T/match.out" 6 '[{"id": "conflict", "score": 0.760}]'
	# A phrase is its words one after the other, not each word alone.
	want_topics match/phrase-whole "$T/match.out" 7 '[]'
	# war 3 less "war of words" 6: below nothing.
	want_topics match/negative "$T/match.out" 8 '[]'
	# war twice: 3 + 3/2 = 4.5; f(4.5, 3) = 14.230 / 17.230 = 0.826.
	want_topics match/repeat "$T/match.out" 9 '[{"id": "conflict", "score": 0.826}]'
	want_topics match/possessive "$T/match.out" 10 '[{"id": "conflict", "score": 0.760}]'
	# The pattern, caseless, twice: f(4.5, 20) = 0.416; three times
	# f(5.5, 20) = 0.465: below 0.5.
	want_topics match/pattern-below "$T/match.out" 11 '[]'
	want_topics match/pattern-below-3 "$T/match.out" 12 '[]'
	# tariff twice: f(6, 20) = 18.974 / 38.974 = 0.487; once f(4, 20) =
	# 0.387: below.
	want_topics match/below-threshold-2 "$T/match.out" 13 '[]'
	want_topics match/below-threshold "$T/match.out" 14 '[]'
	# 4 + 2 + 4/3 + 1 = 25/3: f(8.333, 20) = 26.352 / 46.352 = 0.569.
	want_topics match/repeats "$T/match.out" 15 '[{"id": "economy", "score": 0.569}]'
	# missile strike 3 + war 3 less war of words 6: nothing; without the
	# negative cue f(6, 3) = 18.974 / 21.974 = 0.863.
	want_topics match/negative-below "$T/match.out" 16 '[]'
	want_topics match/negative-without "$T/match.out" 17 '[{"id": "conflict", "score": 0.863}]'
	want_topics match/no-text "$T/match.out" 18 '[]'
	# war twice 4.5 + missile strike 3 - 6 = 1.5: f(1.5, 3) = 4.743 /
	# 7.743 = 0.613.
	want_topics match/negative-lowered "$T/match.out" 19 '[{"id": "conflict", "score": 0.613}]'
}
# --min-score lower: the scores below 0.5 show, and --explain lists the
# cues that fired, strongest first, never a negative one.
tag match/min-score 0 --min-score 0.3 --explain "$T/match.jsonl" && cp "$T/out" "$T/low.out" && {
	want_topics match/min-score-pattern "$T/low.out" 11 \
	    '[{"id": "economy", "score": 0.416, "cues": ["\\b[0-9]+ per ?cent\\b"]}]'
	want_topics match/min-score-pattern-3 "$T/low.out" 12 \
	    '[{"id": "economy", "score": 0.465, "cues": ["\\b[0-9]+ per ?cent\\b"]}]'
	want_topics match/min-score-twice "$T/low.out" 13 '[{"id": "economy", "score": 0.487, "cues": ["tariff"]}]'
	want_topics match/min-score-once "$T/low.out" 14 '[{"id": "economy", "score": 0.387, "cues": ["tariff"]}]'
	want_topics match/explain-negative "$T/low.out" 19 \
	    '[{"id": "conflict", "score": 0.613, "cues": ["war", "missile strike"]}]'
	want_topics match/min-score-negative "$T/low.out" 8 '[]'
}
tag match/min-score-high 0 --min-score 0.59 "$T/match.jsonl" && {
	want_topics match/min-score-high-kept "$T/out" 9 '[{"id": "conflict", "score": 0.826}]'
	want_topics match/min-score-high-dropped "$T/out" 15 '[]'
}
# Weather: nine cues of weights 9 down to 1, threshold 5: f(45, 5) =
# 142.302 / 147.302 = 0.966; the eight strongest explained, strongest
# first whatever the text's order.
echo '{"text":"drizzle, frost, fog, hail, a gale, flood, snow, rain and a thunderstorm"}' >"$T/wx.jsonl"
tag match/explain-eight 0 --explain "$T/wx.jsonl" &&
	want_topics match/explain-eight "$T/out" 1 \
	    '[{"id": "weather", "score": 0.966, "cues": ["thunderstorm", "rain", "snow", "flood", "gale", "hail", "fog", "frost"]}]'
# A repeated cue counts W + W/2 + ...: rain twice (8 + 4 = 12) is
# stronger than thunderstorm once (9); f(21, 5) = 66.408 / 71.408 = 0.930.
echo '{"text":"Rain, a thunderstorm, more rain."}' >"$T/wx2.jsonl"
tag match/explain-order 0 --explain "$T/wx2.jsonl" &&
	want_topics match/explain-order "$T/out" 1 \
	    '[{"id": "weather", "score": 0.930, "cues": ["rain", "thunderstorm"]}]'
# A negative cue: 8 + 4 + 7 = 19, less 20.
echo '{"text":"rain rain snow in a climate of fear"}' >"$T/wx3.jsonl"
tag match/negative-all 0 --min-score 0 "$T/wx3.jsonl" && want_topics match/negative-all "$T/out" 1 '[]'

# Parents: air strike (threshold 3) brings conflict at the larger score;
# ties in the taxonomy's order.
cat >"$T/parent.jsonl" <<'EOT'
{"id":1,"text":"An air strike."}
{"id":2,"text":"Air strikes, more air strikes."}
{"id":3,"text":"war war war, then an air strike"}
{"id":4,"text":"war, then air strikes and air strikes"}
EOT
tag parents 0 --explain "$T/parent.jsonl" && {
	want_topics parents/brought "$T/out" 1 \
	    '[{"id": "conflict", "score": 0.760, "cues": []}, {"id": "airstrike", "score": 0.760, "cues": ["air strike"]}]'
	# 3 + 1.5 = 4.5: 0.826 for both.
	want_topics parents/at-child-score "$T/out" 2 \
	    '[{"id": "conflict", "score": 0.826, "cues": []}, {"id": "airstrike", "score": 0.826, "cues": ["air strike"]}]'
	# conflict 3 + 1.5 + 1 = 5.5: f(5.5, 3) = 17.393 / 20.393 = 0.853,
	# over the child's 0.760.
	want_topics parents/own-score "$T/out" 3 \
	    '[{"id": "conflict", "score": 0.853, "cues": ["war"]}, {"id": "airstrike", "score": 0.760, "cues": ["air strike"]}]'
	# conflict 0.760 of its own, raised to the child's 0.826.
	want_topics parents/raised "$T/out" 4 \
	    '[{"id": "conflict", "score": 0.826, "cues": ["war"]}, {"id": "airstrike", "score": 0.826, "cues": ["air strike"]}]'
}
tag parents/no-parents 0 --no-parents "$T/parent.jsonl" && {
	want_topics parents/no-parents-1 "$T/out" 1 '[{"id": "airstrike", "score": 0.760}]'
	want_topics parents/no-parents-3 "$T/out" 3 \
	    '[{"id": "conflict", "score": 0.853}, {"id": "airstrike", "score": 0.760}]'
	want_topics parents/no-parents-4 "$T/out" 4 \
	    '[{"id": "airstrike", "score": 0.826}, {"id": "conflict", "score": 0.760}]'
}
# A subtopic below --min-score brings nothing.
tag parents/below 0 --min-score 0.8 "$T/parent.jsonl" && {
	want_topics parents/below "$T/out" 1 '[]'
	want_topics parents/below-own "$T/out" 3 '[{"id": "conflict", "score": 0.853}]'
}

# Best first, and --top.  conflict: war twice, f(4.5, 3) = 0.826;
# weather: gale, f(5, 5) = 0.760; sport: football, f(3, 6) = 0.613;
# economy: tariff twice, f(6, 20) = 0.487.
echo '{"text":"A gale, then war and war; tariff talk, tariffs, and football."}' >"$T/order.jsonl"
tag order 0 --min-score 0.3 "$T/order.jsonl" &&
	want_topics order "$T/out" 1 \
	    '[{"id": "conflict", "score": 0.826}, {"id": "weather", "score": 0.760}, {"id": "sport", "score": 0.613}, {"id": "economy", "score": 0.487}]'
tag order/top 0 --min-score 0.3 --top 2 "$T/order.jsonl" &&
	want_topics order/top "$T/out" 1 '[{"id": "conflict", "score": 0.826}, {"id": "weather", "score": 0.760}]'
tag order/top-1 0 --top 1 --explain "$T/order.jsonl" &&
	want_topics order/top-1 "$T/out" 1 '[{"id": "conflict", "score": 0.826, "cues": ["war"]}]'
tag order/top-0 2 --top 0 "$T/order.jsonl" &&
	has order/top-0 "$T/err" "tag-topics: --top: '0' is not a whole number from 1"
tag order/min-score-bad 2 --min-score 1.5 "$T/order.jsonl" &&
	has order/min-score-bad "$T/err" "tag-topics: --min-score: '1.5' is not a number from 0 to 1"
# Plain decimals only, as the taxonomy's numbers: no sign, exponent, hex,
# blank, inf or nan; a point with digits on either side or one only.
for bad in 5e-1 0x0.8 +0.5 -0 ' 0.5' inf nan . ''; do
	tag "order/min-score-form-$bad" 2 --min-score "$bad" "$T/order.jsonl" &&
		has "order/min-score-form-$bad" "$T/err" "tag-topics: --min-score: '$bad' is not a number from 0 to 1"
done
tag order/min-score-point 0 --min-score .3 --top 2 "$T/order.jsonl" &&
	want_topics order/min-score-point "$T/out" 1 '[{"id": "conflict", "score": 0.826}, {"id": "weather", "score": 0.760}]'
tag order/min-score-point-end 0 --min-score 0. "$T/order.jsonl" &&
	want_topics order/min-score-point-end "$T/out" 1 \
	    '[{"id": "conflict", "score": 0.826}, {"id": "weather", "score": 0.760}, {"id": "sport", "score": 0.613}, {"id": "economy", "score": 0.487}]'

# Length: sport's four cues, 3 each (penalty kick two words), 12 points
# in a text of W words, threshold 6: 12 / sqrt(W / 300), and 1200 words
# make 12 / 2 = 6, 0.5 exactly; 1201 fall below, 1199 are above (and
# print as 0.500).  And football goalkeeper (6) in 300 words is at the
# threshold, in 301 below it, in 299 above.
long() {
	awk -v n="$1" -v cues="$2" 'BEGIN { printf "{\"text\":\"%s", cues; for (i = 0; i < n; i++) printf " lorem"; printf "\"}\n" }'
}
{
	long 1195 'football goalkeeper referee penalty kick'
	long 1196 'football goalkeeper referee penalty kick'
	long 1194 'football goalkeeper referee penalty kick'
	long 298 'Football, goalkeeper.'
	long 299 'Football, goalkeeper.'
	long 1195 '99 football goalkeeper referee penalty kick'
	long 297 'Football, goalkeeper.'
} >"$T/long.jsonl"
tag length 0 "$T/long.jsonl" && {
	want_topics length/1200-words "$T/out" 1 '[{"id": "sport", "score": 0.500}]'
	want_topics length/1201-words "$T/out" 2 '[]'
	want_topics length/1199-words "$T/out" 3 '[{"id": "sport", "score": 0.500}]'
	want_topics length/300-words "$T/out" 4 '[{"id": "sport", "score": 0.500}]'
	want_topics length/301-words "$T/out" 5 '[]'
	# A number is a word too: 1 + 5 + 1195 words.
	want_topics length/numbers-count "$T/out" 6 '[]'
	# 6 / sqrt(299 / 300) = 6.010: 0.5004.
	want_topics length/299-words "$T/out" 7 '[{"id": "sport", "score": 0.500}]'
}
# sqrt(1201 / 300) = 2.000833: 6 / 2.000833 = 5.9975, 5.9975 / 11.9975.
tag length/1201-score 0 --min-score 0.4 "$T/long.jsonl" &&
	want_topics length/1201-score "$T/out" 2 '[{"id": "sport", "score": 0.500}]'
tag length/1201-score-below 0 --min-score 0.49995 "$T/long.jsonl" &&
	want_topics length/1201-score-below "$T/out" 2 '[]'

# ---- records ----

cat >"$T/rec.jsonl" <<'EOF'
{"id": 8.50, "meta":{"a" : [1, "x\u00e9"]},  "text":"Missile strikes and war." ,"z":true}
{"topics":"old","id":2,"text":"The war."}
{"id":3,"title":"Air strike on the port","text":"The war went on."}
{"id":4,"title":"Football and a goalkeeper","text":"Nothing here."}
{"id":5,"text":null}
{"id":6,"text":42}
{"id":7,"text":"caf\u00e9 \u2014 \"war\" \\ done"}
{"id":8,"title":"war"}
EOF
printf '{"id":9,"text":"caf\351 war \377"}\n' >>"$T/rec.jsonl"
tag records 0 "$T/rec.jsonl" && cp "$T/out" "$T/rec.once" && {
	lines records/count "$T/rec.once" 9
	json_ok records/valid-json "$T/rec.once"
	# missile strike 3 + war 3 = 6: f(6, 3) = 0.863.
	want_topics records/two-cues "$T/rec.once" 1 '[{"id": "conflict", "score": 0.863}]'
	# A topics key already there is replaced where it stands.
	printf '%s\n' '{"topics":[{"id": "conflict", "score": 0.760}],"id":2,"text":"The war."}' >"$T/r2.want"
	sed -n 2p "$T/rec.once" >"$T/r2"
	same records/replace-key "$T/r2" "$T/r2.want"
	want_topics records/title-not-read "$T/rec.once" 4 '[]'
	printf '%s\n' '{"id":5,"text":null,"topics":[]}' >"$T/r5.want"
	sed -n 5p "$T/rec.once" >"$T/r5"
	same records/null-text "$T/r5" "$T/r5.want"
	printf '%s\n' '{"id":6,"text":42,"topics":[]}' >"$T/r6.want"
	sed -n 6p "$T/rec.once" >"$T/r6"
	same records/number-text "$T/r6" "$T/r6.want"
	want_topics records/escapes "$T/rec.once" 7 '[{"id": "conflict", "score": 0.760}]'
	want_topics records/no-text "$T/rec.once" 8 '[]'
	want_topics records/bad-utf8 "$T/rec.once" 9 '[{"id": "conflict", "score": 0.760}]'
	# Every other key byte for byte: less the topics added at the end,
	# each line is its input line (line 2 had them first; line 9 is not
	# UTF-8, and bytes that are not become U+FFFD, as everywhere in winnow).
	sed 's/,"topics":\[.*\]}$/}/' "$T/rec.once" | sed '2d; 9d' >"$T/rec.stripped"
	sed '2d; 9d' "$T/rec.jsonl" >"$T/rec.in"
	same records/other-keys-kept "$T/rec.stripped" "$T/rec.in"
	printf '{"id":9,"text":"caf\357\277\275 war \357\277\275","topics":[{"id": "conflict", "score": 0.760}]}\n' >"$T/r9.want"
	sed -n 9p "$T/rec.once" >"$T/r9"
	same records/bad-utf8-repaired "$T/r9" "$T/r9.want"
}
# --stats: records 1, 2, 3, 7 and 9 got one topic each (above).
tag records/stats 0 --stats "$T/rec.jsonl" &&
	has records/stats-tagged "$T/err" '"records_tagged":5,"topics":5,'
tag records/idempotent 0 "$T/rec.once" && same records/idempotent "$T/out" "$T/rec.once"
# --also: the title is read too (after the text); -f: only the title.
# Line 3: war in the text, air strike in the title, 9 words: 0.760 each;
# line 4: football goalkeeper, f(6, 6) = 18.974 / 24.974 = 0.760.
tag records/also 0 --also title "$T/rec.jsonl" && {
	lines records/also-count "$T/out" 9
	want_topics records/also-both "$T/out" 3 \
	    '[{"id": "conflict", "score": 0.760}, {"id": "airstrike", "score": 0.760}]'
	want_topics records/also-title "$T/out" 4 '[{"id": "sport", "score": 0.760}]'
	want_topics records/also-title-only "$T/out" 8 '[{"id": "conflict", "score": 0.760}]'
}
tag records/field 0 -f title "$T/rec.jsonl" && {
	want_topics records/field-title "$T/out" 3 \
	    '[{"id": "conflict", "score": 0.760}, {"id": "airstrike", "score": 0.760}]'
	want_topics records/field-no-title "$T/out" 1 '[]'
}
# --key: the topics go elsewhere; "topics" is left alone.
tag records/key 0 --key subjects "$T/rec.jsonl" && {
	printf '%s\n' '{"topics":"old","id":2,"text":"The war.","subjects":[{"id": "conflict", "score": 0.760}]}' >"$T/key.want"
	sed -n 2p "$T/out" >"$T/key.got"
	same records/key "$T/key.got" "$T/key.want"
	absent records/key-no-topics "$T/out" '"topics":['
	json_ok records/key-json "$T/out"
}
# A malformed line passes as it is, counted in.
printf '{"text":"war"}\nnot json\n{"text":"tariff"}\n' >"$T/malformed.jsonl"
tag records/malformed 0 "$T/malformed.jsonl" && {
	lines records/malformed-count "$T/out" 3
	has records/malformed-kept "$T/out" 'not json'
	has records/malformed-reported "$T/err" 'malformed.jsonl:2: malformed record'
}

# ---- trained models ----

M=$T/desks.model
MM=$T/multi.model
if run train/single 0 "$TT" --train "$TD/desks.jsonl" --labels desk -m "$M"; then
	if [ "$(head -c 7 "$M")" = WNTOPIC ] && [ ! -s "$T/out" ] && [ ! -s "$T/err" ]; then
		pass train/single-model-written
	else
		fail train/single-model-written "$(head -c 16 "$M" | od -c | head -1)"
	fi
fi
[ -s "$M" ] || { fail train/no-model "training wrote no model: the rest cannot run"; exit 0; }
run train/single-again 0 "$TT" --train "$TD/desks.jsonl" --labels desk -m "$T/desks2.model" &&
	if cmp -s "$M" "$T/desks2.model"; then
		pass train/single-deterministic
	else
		fail train/single-deterministic "two trainings on the same data wrote different models"
	fi
# Training data read as any input is: gzip or zstd by its content, "-"
# for standard input; the same records make the same model.
gzip -c "$TD/desks.jsonl" >"$T/desks.gz"
run train/gzip 0 "$TT" --train "$T/desks.gz" --labels desk -m "$T/gz.model" &&
	same train/gzip-same-model "$T/gz.model" "$M"
if command -v zstd >/dev/null; then
	zstd -q -c "$TD/desks.jsonl" >"$T/desks.zst"
	run train/zstd 0 "$TT" --train "$T/desks.zst" --labels desk -m "$T/zst.model" &&
		same train/zstd-same-model "$T/zst.model" "$M"
fi
run train/stdin 0 "$TT" --train - --labels desk -m "$T/stdin.model" <"$TD/desks.jsonl" &&
	same train/stdin-same-model "$T/stdin.model" "$M"
# A truncated gzip file is not taken for the records it holds.
head -c 500 "$T/desks.gz" >"$T/cut.gz"
run train/gzip-truncated 2 "$TT" --train "$T/cut.gz" --labels desk -m "$T/cut.model" &&
	has train/gzip-truncated-msg "$T/err" "tag-topics: $T/cut.gz: " &&
	if [ -e "$T/cut.model" ]; then fail train/gzip-truncated-no-model "a model was written"; else pass train/gzip-truncated-no-model; fi
# Errors in standard input name it <stdin>.
printf '%s\n' '{"text":"Rain tonight.","topics":["weather"]}' '{"text":"Shares fell."}' >"$T/nolab.jsonl"
run train/stdin-error 2 "$TT" --train - -m "$T/nolab.model" <"$T/nolab.jsonl" &&
	err_is train/stdin-error "<stdin>:2: no labels"
# A text without a word gets no label, as with the taxonomy.
printf '%s\n' '{"text":""}' '{"text":" ... "}' >"$T/wordless.jsonl"
printf '%s\n' '{"text":"","topics":[]}' '{"text":" ... ","topics":[]}' >"$T/wordless.want"
run train/wordless 0 "$TT" -m "$M" "$T/wordless.jsonl" && same train/wordless "$T/out" "$T/wordless.want"
# Nor do the text and the --also fields when none of them holds a word.
printf '%s\n' '{"text":"","title":""}' '{"text":" ... ","title":"!","lead":""}' >"$T/wordless-also.jsonl"
printf '%s\n' '{"text":"","title":"","topics":[]}' '{"text":" ... ","title":"!","lead":"","topics":[]}' \
    >"$T/wordless-also.want"
run train/wordless-also 0 "$TT" -m "$M" --also title --also lead "$T/wordless-also.jsonl" &&
	same train/wordless-also "$T/out" "$T/wordless-also.want"
run train/stats 0 "$TT" --train "$TD/desks.jsonl" --labels desk -m "$T/desks3.model" --stats &&
	has train/stats "$T/err" '60 records, 3 labels (one each)'
# Held-out sentences of the training data's kind, each clearly of one
# desk; a single-label model names its best label only.
cat >"$T/held.jsonl" <<'EOF'
{"id":"h1","text":"The striker scored a goal and the team won the cup final."}
{"id":"h2","text":"Investors sold shares as the central bank raised interest rates."}
{"id":"h3","text":"Heavy rain and snow are forecast with strong winds tomorrow."}
{"id":"h4","text":"The goalkeeper and the captain missed training before the league match."}
{"id":"h5","text":"Bond yields rose and the stock index fell as inflation climbed."}
{"id":"h6","text":"Fog and frost in the morning, then sunshine and warm temperatures."}
EOF
# ids ARRAY: the ids of a topics array, space-separated.
ids() {
	printf '%s\n' "$1" | grep -o '"id": "[^"]*"' | sed 's/^"id": "//; s/"$//' | tr '\n' ' ' | sed 's/ $//'
}
# want_ids NAME FILE N IDS: line N's topics have the ids IDS, in order.
want_ids() {
	got=$(ids "$(topics_of "$2" "$3")")
	if [ "$got" = "$4" ]; then
		pass "$1"
	else
		fail "$1" "ids '$got', want '$4': $(topics_of "$2" "$3")"
	fi
}
run predict/single 0 "$TT" -m "$M" "$T/held.jsonl" && {
	lines predict/single-count "$T/out" 6
	json_ok predict/single-json "$T/out"
	want_ids predict/sport "$T/out" 1 sport
	want_ids predict/markets "$T/out" 2 markets
	want_ids predict/weather "$T/out" 3 weather
	want_ids predict/sport-2 "$T/out" 4 sport
	want_ids predict/markets-2 "$T/out" 5 markets
	want_ids predict/weather-2 "$T/out" 6 weather
	# Clearly so: well over the other two.
	if awk -F'"score": ' '{ split($2, a, "}"); if (a[1] + 0 < 0.8) bad = 1 } END { exit bad }' "$T/out"; then
		pass predict/single-confident
	else
		fail predict/single-confident "$(sed 's/.*"topics"://' "$T/out" | tr '\n' '|')"
	fi
}
# With --min-score 0, every label, best first, the probabilities summing
# to 1 (softmax), the best the one named alone above; at --key.
cp "$T/out" "$T/best.out"
run predict/single-all 0 "$TT" -m "$M" --min-score 0 --key desks "$T/held.jsonl" && {
	absent predict/single-all-key "$T/out" '"topics":'
	sed 's/"desks":/"topics":/' "$T/out" >"$T/all.out"
	bad=
	for n in 1 2 3 4 5 6; do
		arr=$(topics_of "$T/all.out" $n)
		scores=$(printf '%s\n' "$arr" | grep -o '"score": [0-9.]*' | cut -d' ' -f2)
		k=$(printf '%s\n' "$scores" | wc -l | tr -d ' ')
		sum=$(printf '%s\n' "$scores" | awk '{ s += $1 } END { printf "%.2f", s }')
		[ "$k" = 3 ] && [ "$sum" = 1.00 ] || bad="$bad line $n: $k labels summing to $sum;"
		[ "$(printf '%s\n' "$scores" | sort -rn)" = "$scores" ] || bad="$bad line $n not best first;"
		[ "$(ids "$arr" | cut -d' ' -f1)" = "$(ids "$(topics_of "$T/best.out" $n)")" ] ||
			bad="$bad line $n: another best label;"
	done
	if [ -z "$bad" ]; then pass predict/single-all; else fail predict/single-all "$bad"; fi
}
# Labels as an array of one, or a string, are the same labels: the
# training data has both.
has predict/labels-array-or-string "$TD/desks.jsonl" '"desk":["sport"]'

# Multi-label: one logistic regression a label; the labels reaching
# --min-score, none when nothing does.
run train/multi 0 "$TT" --train "$TD/multi.jsonl" -m "$MM" --stats &&
	has train/multi-stats "$T/err" '45 records, 3 labels (any number each)'
run train/multi-again 0 "$TT" --train "$TD/multi.jsonl" -m "$T/multi2.model" &&
	if cmp -s "$MM" "$T/multi2.model"; then
		pass train/multi-deterministic
	else
		fail train/multi-deterministic "two trainings on the same data wrote different models"
	fi
cat >"$T/mheld.jsonl" <<'EOF'
{"id":"m1","text":"Farmers fed the cattle and planted wheat on the farms."}
{"id":"m2","text":"Heavy rain and strong winds are forecast with thunderstorms."}
{"id":"m3","text":"New tariffs cut steel imports at the port."}
{"id":"m4","text":"Heavy rain and a storm flattened the wheat crops on the farms."}
{"id":"m5","text":"Wheat exports rose as the trade deal cut tariffs for farmers."}
{"id":"m6","text":"Zebra quilt umbrella."}
EOF
if [ -s "$MM" ]; then
	run predict/multi 0 "$TT" -m "$MM" "$T/mheld.jsonl" && {
		lines predict/multi-count "$T/out" 6
		json_ok predict/multi-json "$T/out"
		want_ids predict/multi-farming "$T/out" 1 farming
		want_ids predict/multi-weather "$T/out" 2 weather
		want_ids predict/multi-trade "$T/out" 3 trade
		# Two labels, each clearly there.
		got=$(ids "$(topics_of "$T/out" 4)")
		case $got in
		"farming weather" | "weather farming") pass predict/multi-two ;;
		*) fail predict/multi-two "ids '$got', want farming and weather" ;;
		esac
		got=$(ids "$(topics_of "$T/out" 5)")
		case $got in
		"farming trade" | "trade farming") pass predict/multi-two-b ;;
		*) fail predict/multi-two-b "ids '$got', want farming and trade" ;;
		esac
		# Words never seen: no label is likely.
		want_ids predict/multi-none "$T/out" 6 ''
	}
	# --min-score 0: every label on every line; --top 1: the best only.
	run predict/multi-all 0 "$TT" -m "$MM" --min-score 0 "$T/mheld.jsonl" && {
		bad=
		for n in 1 2 3 4 5 6; do
			k=$(topics_of "$T/out" $n | grep -o '"score"' | wc -l | tr -d ' ')
			[ "$k" = 3 ] || bad="$bad line $n: $k labels;"
		done
		if [ -z "$bad" ]; then pass predict/multi-all; else fail predict/multi-all "$bad"; fi
		cp "$T/out" "$T/mall.out"
	}
	run predict/multi-top 0 "$TT" -m "$MM" --top 1 "$T/mheld.jsonl" && {
		want_ids predict/multi-top-4 "$T/out" 4 "$(ids "$(topics_of "$T/mall.out" 4)" | cut -d' ' -f1)"
		want_ids predict/multi-top-5 "$T/out" 5 "$(ids "$(topics_of "$T/mall.out" 5)" | cut -d' ' -f1)"
	}
	# A higher --min-score keeps only the scores reaching it.
	run predict/multi-high 0 "$TT" -m "$MM" --min-score 0.99 "$T/mheld.jsonl" &&
		if grep -o '"score": [0-9.]*' "$T/out" | awk '$2 < 0.99 { bad = 1 } END { exit bad }' &&
		    [ "$(grep -o '"score"' "$T/out" | wc -l)" -lt "$(grep -o '"score"' "$T/mall.out" | wc -l)" ]; then
			pass predict/multi-high
		else
			fail predict/multi-high "$(sed 's/.*"topics"://' "$T/out" | tr '\n' '|')"
		fi
fi

# Each solver trains a model that names the desks of the held-out
# sentences; sgd's are its own probabilities, the others' go through the
# held-out slice's slope.
for sv in svm lr cs sgd; do
	run "train/solver-$sv" 0 "$TT" --train "$TD/desks.jsonl" --labels desk --solver "$sv" \
	    -m "$T/$sv.model" &&
		run "predict/solver-$sv" 0 "$TT" -m "$T/$sv.model" "$T/held.jsonl" &&
		equal "predict/solver-$sv-ids" "$(for n in 1 2 3 4 5 6; do printf '%s ' "$(ids "$(topics_of "$T/out" $n)")"; done)" \
		    "sport markets weather sport markets weather "
done
run train/solver-sgd-multi 0 "$TT" --train "$TD/multi.jsonl" --solver sgd --epochs 40 -m "$T/msgd.model" &&
	run predict/solver-sgd-multi 0 "$TT" -m "$T/msgd.model" "$T/mheld.jsonl" &&
	want_ids predict/solver-sgd-multi-weather "$T/out" 2 weather
# --cost: a higher cost gives another model, and still the same desks.
run train/cost 0 "$TT" --train "$TD/desks.jsonl" --labels desk --cost 8 -m "$T/cost8.model" &&
	if cmp -s "$M" "$T/cost8.model"; then
		fail train/cost-differs "--cost 8 wrote the model of the default cost, 2"
	else
		pass train/cost-differs
	fi
run predict/cost 0 "$TT" -m "$T/cost8.model" "$T/held.jsonl" &&
	want_ids predict/cost-weather "$T/out" 6 weather
# Training options out of range or of another solver: status 2, no model.
# bad_opt NAME MESSAGE ARGS...: training with ARGS is refused with MESSAGE.
bad_opt() {
	bn=$1 bm=$2
	shift 2
	run "train/$bn" 2 "$TT" --train "$TD/desks.jsonl" --labels desk -m "$T/$bn.model" "$@" &&
		has "train/$bn" "$T/err" "tag-topics: $bm" &&
		if [ -e "$T/$bn.model" ]; then fail "train/$bn-no-model" "a model was written"; else pass "train/$bn-no-model"; fi
}
bad_opt solver-unknown "--solver: 'svc' is not svm, lr, cs or sgd" --solver svc
bad_opt solver-empty "--solver: '' is not svm, lr, cs or sgd" --solver ''
bad_opt cost-zero "--cost: '0' is not a number over 0, up to 1000000" --cost 0
bad_opt cost-negative "--cost: '-1' is not a number over 0, up to 1000000" --cost -1
bad_opt cost-word "--cost: 'lots' is not a number over 0, up to 1000000" --cost lots
bad_opt cost-nan "--cost: 'nan' is not a number over 0, up to 1000000" --cost nan
bad_opt cost-huge "--cost: '1e7' is not a number over 0, up to 1000000" --cost 1e7
bad_opt cost-exponent "--cost: '2e0' is not a number over 0, up to 1000000" --cost 2e0
bad_opt cost-hex "--cost: '0x2' is not a number over 0, up to 1000000" --cost 0x2
bad_opt cost-sign "--cost: '+2' is not a number over 0, up to 1000000" --cost +2
bad_opt cost-blank "--cost: ' 2' is not a number over 0, up to 1000000" --cost ' 2'
bad_opt cost-inf "--cost: 'inf' is not a number over 0, up to 1000000" --cost inf
bad_opt epochs-svm "--epochs: only with --solver sgd" --epochs 5
bad_opt epochs-lr "--epochs: only with --solver sgd" --solver lr --epochs 5
bad_opt cost-sgd "--cost: not with --solver sgd" --solver sgd --cost 2
# Options that mean nothing to training: refused, not dropped.
bad_opt output "-o: not with --train, which writes no records (the model goes to -m)" -o "$T/train-out.jsonl"
[ -e "$T/train-out.jsonl" ] && fail train/output-not-written "-o file written"
bad_opt out-gzip "-z, --gzip-level, --zstd: not with --train, which writes no records" -z
bad_opt out-zstd "-z, --gzip-level, --zstd: not with --train, which writes no records" --zstd
bad_opt to "--to: not with --train, which writes no records" --to text
bad_opt format "-F: not with --train, whose records are JSON Lines" -F text
bad_opt on-error "--on-error: not with --train: a malformed training record is a fatal error" --on-error=skip
bad_opt on-error-pass "--on-error: not with --train: a malformed training record is a fatal error" --on-error=pass
bad_opt max-record "--max-record-bytes: not with --train, which reads every training record whole" --max-record-bytes 100
bad_opt progress "--progress: not with --train; --stats reports the training on standard error" --progress=always
bad_opt explain "--explain: not with --train, which tags no records" --explain
bad_opt key "--key: not with --train, which tags no records" --key desks
bad_opt top "--top: not with --train, which tags no records" --top 2
bad_opt min-score "--min-score: not with --train, which tags no records" --min-score 0.3
bad_opt no-parents "--no-parents: not with --train, which tags no records" --no-parents
# Options of training when tagging, and of the taxonomy with a model.
# bad_tag NAME MESSAGE ARGS...: tagging with ARGS is refused with MESSAGE.
bad_tag() {
	bn=$1 bm=$2
	shift 2
	run "tag/$bn" 2 "$TT" "$@" "$T/held.jsonl" && err_is "tag/$bn" "$bm" &&
		if [ -s "$T/out" ]; then fail "tag/$bn-no-output" "$(head -c 200 "$T/out")"; else pass "tag/$bn-no-output"; fi
}
bad_tag labels "--labels: only with --train" -m "$M" --labels desk
bad_tag solver "--solver: only with --train" --solver lr
bad_tag cost "--cost: only with --train" -m "$M" --cost 4
bad_tag epochs "--epochs: only with --train" --epochs 4
bad_tag model-explain "--explain: not with -m: a model has no cues to show" -m "$M" --explain
bad_tag model-no-parents "--no-parents: not with -m: a model's labels have no parents" -m "$M" --no-parents

# Models that are not whole: status 2, the file named, nothing written.
head -c 1000 "$M" >"$T/trunc.model"
run model/truncated 2 "$TT" -m "$T/trunc.model" "$T/held.jsonl" &&
	err_is model/truncated "$T/trunc.model: truncated"
[ -s "$T/out" ] && fail model/truncated-no-output "$(head -c 200 "$T/out")"
cp "$M" "$T/flip.model"
printf 'X' | dd of="$T/flip.model" bs=1 seek=500 conv=notrunc 2>/dev/null
run model/corrupt 2 "$TT" -m "$T/flip.model" "$T/held.jsonl" &&
	err_is model/corrupt "$T/flip.model: corrupt: checksum mismatch"
run model/foreign 2 "$TT" -m "$TX" "$T/held.jsonl" &&
	err_is model/foreign "$TX: not a winnow topics model file"
: >"$T/empty.model"
run model/empty 2 "$TT" -m "$T/empty.model" "$T/held.jsonl" &&
	err_is model/empty "$T/empty.model: truncated"
# A model of version 1 (words and pairs of words) is not read as one of
# words alone: train again.
"$BIN/topicsdata" setversion "$M" 1 "$T/v1.model" &&
	run model/older 2 "$TT" -m "$T/v1.model" "$T/held.jsonl" &&
	err_is model/older "$T/v1.model: version 1 is older than this program reads (2)"
"$BIN/topicsdata" setversion "$M" 2 "$T/v2.model" &&
	run model/setversion-same 0 "$TT" -m "$T/v2.model" "$T/held.jsonl"
run model/missing 2 "$TT" -m "$T/none.model" "$T/held.jsonl" &&
	err_is model/missing "$T/none.model: cannot open: No such file or directory"
run model/with-taxonomy 2 "$TT" -m "$M" --taxonomy "$TX" "$T/held.jsonl" &&
	err_is model/with-taxonomy "-m: a model and a taxonomy do not mix"
run model/with-add-taxonomy 2 "$TT" -m "$M" --add-taxonomy "$TX" "$T/held.jsonl" &&
	err_is model/with-add-taxonomy "-m: a model and a taxonomy do not mix"

# Training errors: FILE:LINE: message, status 2, no model written.
# bad_train NAME MESSAGE LINE...: training on the lines is refused with
# exactly MESSAGE (after "$T/NAME.jsonl").
bad_train() {
	bn=$1 bm=$2
	shift 2
	printf '%s\n' "$@" >"$T/$bn.jsonl"
	run "train/$bn" 2 "$TT" --train "$T/$bn.jsonl" -m "$T/$bn.model" &&
		err_is "train/$bn" "$T/$bn.jsonl$bm" &&
		if [ -e "$T/$bn.model" ]; then fail "train/$bn-no-model" "a model was written"; else pass "train/$bn-no-model"; fi
}
bad_train no-labels ':2: no labels' \
    '{"text":"Rain tonight.","topics":["weather"]}' '{"text":"Shares fell."}'
bad_train empty-labels ':3: no labels' \
    '{"text":"Rain tonight.","topics":["weather"]}' '{"text":"Shares fell.","topics":"markets"}' \
    '{"text":"Shares rose.","topics":[]}'
bad_train labels-numbers ':2: the labels are not a string or an array of strings' \
    '{"text":"Rain tonight.","topics":["weather"]}' '{"text":"Shares fell.","topics":["markets",2]}'
bad_train labels-number ':1: the labels are not a string or an array of strings' \
    '{"text":"Rain tonight.","topics":7}'
bad_train labels-object ':1: the labels are not a string or an array of strings' \
    '{"text":"Rain tonight.","topics":{"a":"weather"}}'
bad_train label-empty ':2: a label is empty or not UTF-8' \
    '{"text":"Rain tonight.","topics":["weather"]}' '{"text":"Shares fell.","topics":[""]}'
# A NUL in a label would end it there, making "a\u0000b" the label "a".
bad_train label-nul ':3: a label holds a NUL (\u0000)' \
    '{"text":"Rain tonight.","topics":["a"]}' '{"text":"Shares fell.","topics":["weather"]}' \
    '{"text":"Shares rose.","topics":["a\u0000b"]}'
bad_train no-text ':2: no string at "text"' \
    '{"text":"Rain tonight.","topics":["weather"]}' '{"topics":["markets"]}'
bad_train malformed ':3: not a JSON object: expected a string key' \
    '{"text":"Rain tonight.","topics":["weather"]}' '{"text":"Shares fell.","topics":["markets"]}' \
    '{"text":"Shares rose.", topics}'
bad_train one-label ': want records of two labels at least, not 1' \
    '{"text":"Rain tonight.","topics":["weather"]}' '{"text":"Snow tomorrow.","topics":"weather"}'
# A model holds 100000 labels at most (lm_load refuses more as corrupt):
# training on more is refused at the line of the one too many, and a
# model of exactly as many is written and read.
many_labels() {
	awk -v n="$1" 'BEGIN { print "{\"text\":\"Rain tonight.\",\"topics\":[\"weather\"]}"
		printf "{\"text\":\"Shares fell.\",\"topics\":["
		for (i = 1; i < n; i++) printf "%s\"l%d\"", (i > 1 ? "," : ""), i
		print "]}" }' >"$T/many.jsonl"
}
many_labels 100001
run train/labels-too-many 2 "$TT" --train "$T/many.jsonl" --solver sgd -m "$T/many.model" &&
	err_is train/labels-too-many "$T/many.jsonl:2: more than 100000 labels in all" &&
	if [ -e "$T/many.model" ]; then fail train/labels-too-many-no-model "a model was written"; else pass train/labels-too-many-no-model; fi
many_labels 100000
run train/labels-most 0 "$TT" --train "$T/many.jsonl" --solver sgd --epochs 1 -m "$T/many.model" &&
	run train/labels-most-read 0 "$TT" -m "$T/many.model" "$T/many.jsonl" && lines train/labels-most-read "$T/out" 2
: >"$T/nothing.jsonl"
run train/empty 2 "$TT" --train "$T/nothing.jsonl" -m "$T/nothing.model" &&
	err_is train/empty "$T/nothing.jsonl: want records of two labels at least, not 0"
# The labels at the wrong key: none at "topics".
run train/labels-key 2 "$TT" --train "$TD/desks.jsonl" -m "$T/wrongkey.model" &&
	err_is train/labels-key "$TD/desks.jsonl:1: no labels"
run train/no-model 2 "$TT" --train "$TD/desks.jsonl" --labels desk &&
	err_is train/no-model "--train: say where the model goes with -m FILE"
run train/operands 2 "$TT" --train "$TD/desks.jsonl" --labels desk -m "$T/op.model" "$T/held.jsonl" &&
	err_is train/operands "--train: file operands are not read when training; use --train FILE"
run train/missing 2 "$TT" --train "$T/none.jsonl" -m "$T/none.model" &&
	err_is train/missing "$T/none.jsonl: cannot open: No such file or directory"
# Training reads the text tagging reads: -f, and --also joined as tagging
# joins them.  The same words at another key make the same model; so do
# they at an --also key of records without the -f one (tagging reads the
# fields a record has).
sed 's/"text":/"body":/' "$TD/desks.jsonl" >"$T/body.jsonl"
run train/field 0 "$TT" --train "$T/body.jsonl" --labels desk -f body -m "$T/body.model" &&
	same train/field-same-model "$T/body.model" "$M"
run train/also-only 0 "$TT" --train "$T/body.jsonl" --labels desk --also body -m "$T/also1.model" &&
	same train/also-only-same-model "$T/also1.model" "$M"
# With both keys, the --also one counts: another model.
sed 's/"text":/"title":"News","text":/' "$TD/desks.jsonl" >"$T/titled.jsonl"
run train/also 0 "$TT" --train "$T/titled.jsonl" --labels desk --also title -m "$T/also2.model" &&
	if cmp -s "$T/also2.model" "$M"; then
		fail train/also-read "--also title was not read"
	else
		pass train/also-read
	fi
printf '%s\n' '{"text":"Rain tonight.","topics":"weather"}' '{"id":2,"topics":"markets"}' >"$T/nofields.jsonl"
run train/no-fields 2 "$TT" --train "$T/nofields.jsonl" -f body --also title -m "$T/nofields.model" &&
	err_is train/no-fields "$T/nofields.jsonl:1: no string at \"body\" or \"title\""
# A model path that names a training file is refused before anything is
# written: the training data stays as it was.  So is one that names it
# through a symbolic link, or standard input read from it.
cp "$TD/desks.jsonl" "$T/same.jsonl"
run train/model-is-data 2 "$TT" --train "$T/same.jsonl" --labels desk -m "$T/same.jsonl" &&
	err_is train/model-is-data "$T/same.jsonl: is also the model (-m), which this run would replace" &&
	same train/model-is-data-kept "$T/same.jsonl" "$TD/desks.jsonl"
ln -s same.jsonl "$T/same-link.jsonl"
cp "$TD/desks.jsonl" "$T/same.jsonl"
run train/model-is-data-link 2 "$TT" --train "$TD/desks.jsonl" --train "$T/same.jsonl" --labels desk \
    -m "$T/same-link.jsonl" &&
	err_is train/model-is-data-link "$T/same.jsonl: is also the model (-m), which this run would replace" &&
	same train/model-is-data-link-kept "$T/same.jsonl" "$TD/desks.jsonl"
cp "$TD/desks.jsonl" "$T/same.jsonl"
run train/model-is-stdin 2 "$TT" --train - --labels desk -m "$T/same.jsonl" <"$T/same.jsonl" &&
	err_is train/model-is-stdin "<stdin>: is also the model (-m), which this run would replace" &&
	same train/model-is-stdin-kept "$T/same.jsonl" "$TD/desks.jsonl"
# A model that cannot be written is said at once, before the training
# data is read (here it is not even valid).
echo 'not json' >"$T/notjson.jsonl"
run train/model-unwritable 2 "$TT" --train "$T/notjson.jsonl" -m "$T/nodir/x.model" &&
	err_is train/model-unwritable "$T/nodir/x.model: cannot create: No such file or directory"

# ---- robustness: every record out, in bounded time ----

# big NAME: tag $T/big.jsonl (the big record between two small ones)
# within 60 seconds; every record comes out as valid JSON and the small
# ones are tagged as ever.
big() {
	run "big/$1" 0 timeout 60 "$TT" --taxonomy "$TX" --explain "$T/big.jsonl" && {
		lines "big/$1-count" "$T/out" 3
		json_ok "big/$1-json" "$T/out"
		want_topics "big/$1-first" "$T/out" 1 '[{"id": "conflict", "score": 0.760, "cues": ["war"]}]'
		want_topics "big/$1-last" "$T/out" 3 '[{"id": "conflict", "score": 0.760, "cues": ["missile strike"]}]'
	}
}
# gen AWK-BODY: a record of the text the awk program prints, between two.
gen() {
	{
		echo '{"id":0,"text":"The war began."}'
		printf '{"id":1,"text":"'
		awk "BEGIN { $1 }"
		printf '"}\n'
		echo '{"id":2,"text":"Missile strikes."}'
	} >"$T/big.jsonl"
}
# 4 MiB of "war ": 2^20 words.  s = 3 (1 + 1/2 + ... + 1/2^20), about
# 3 x 14.44 = 43.3, divided by sqrt(2^20 / 300) = 59.1: 0.73, below 3.
gen 'for (i = 0; i < 1048576; i++) printf "war "'
big keyword
want_topics big/keyword-diluted "$T/out" 2 '[]'
# 4 MiB of random words of 3 to 7 letters.
gen 'srand(7); for (i = 0; i < 700000; i++) { n = 3 + int(rand() * 5); w = ""; for (j = 0; j < n; j++) w = w sprintf("%c", 97 + int(rand() * 26)); printf "%s ", w }'
big random-words
# 4 MiB of pattern matches, and of one long number.
gen 'for (i = 0; i < 400000; i++) printf "5 percent "'
big pattern
gen 'for (i = 0; i < 4194304; i++) printf "7"'
big one-token
printf '{"id":0,"text":"The war began."}\n{"id":1,"text":"\377\376 war \300\200 missile \355\240\200 strike \364\220\200\200"}\n{"id":2,"text":"Missile strikes."}\n' >"$T/big.jsonl"
big bad-utf8
# With the model too.
gen 'srand(8); for (i = 0; i < 700000; i++) { n = 3 + int(rand() * 5); w = ""; for (j = 0; j < n; j++) w = w sprintf("%c", 97 + int(rand() * 26)); printf "%s ", w }'
run big/model 0 timeout 60 "$TT" -m "$MM" "$T/big.jsonl" && lines big/model-count "$T/out" 3 &&
	json_ok big/model-json "$T/out"

# ---- fields, records without text, refused options ----

# A phrase does not run from the text into the next field (--also): the
# words "missile" and "Strike" are in two fields.
echo '{"text":"He fired a missile","title":"Strike ends at the port"}' >"$T/fields.jsonl"
tag fields/no-straddle 0 --also title "$T/fields.jsonl" &&
	want_topics fields/no-straddle-out "$T/out" 1 '[]'
# The same words in one field make the phrase.
echo '{"text":"He fired a missile\nStrike ends at the port"}' >"$T/fields1.jsonl"
tag fields/one-field 0 "$T/fields1.jsonl" &&
	absent fields/one-field-out "$T/out" '"topics":[]'
# A record without text gets no topic from a model either (not a guess
# from the biases alone).
echo '{"id":1}' >"$T/notext.jsonl"
run model/no-text 0 "$TT" -m "$M" "$T/notext.jsonl" &&
	want_topics model/no-text-out "$T/out" 1 '[]'
run train/no-taxonomy 2 "$TT" --train "$TD/desks.jsonl" --labels desk -m "$T/x.model" \
    --taxonomy "$TX" && err_is train/no-taxonomy-msg "--train: a model is trained from labels, not from a taxonomy"
# The shipped taxonomy on an invented security report: a reader tags it
# terrorism and intelligence (and their parents), and not sport.
printf '%s\n' '{"text":"Security forces said on Tuesday they had foiled a plot by militants linked to al-Shabaab to bomb a bus station in Mombasa. The National Intelligence Service had tracked the cell for months, intercepting phone calls between its members and a handler in Somalia, officials said. Three suspects were arrested and explosives seized in a raid on a safe house. The interior minister praised the spy agency and said counter-terrorism cooperation with neighbouring countries had improved."}' >"$T/security.jsonl"
if run shipped/security 0 "$TT" "$T/security.jsonl"; then
	for id in terrorism intelligence conflict-war-peace politics; do
		if grep -qF "\"id\": \"$id\"" "$T/out"; then
			pass "shipped/security-$id"
		else
			fail "shipped/security-$id" "no $id in $(head -c 400 "$T/out")"
		fi
	done
	absent shipped/security-not-sport "$T/out" '"id": "sport"'
fi
exit 0
