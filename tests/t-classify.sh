#!/bin/sh
# dedupe-boilerplate's line model (classify.c): the model file's errors, a
# hand-built model whose decisions can be worked out by hand, and the
# options that turn it on and off.
. tests/lib.sh

DD=$(pwd)/$BIN/dedupe-boilerplate
SHIPPED=$(pwd)/filters/dedupe-boilerplate/model.txt
# Only the line model: the other detectors off.  The tests of the model's
# decisions let it judge every line (--classifier); by default it judges
# only the lines outside the article ("on and off" below).
ALONE="--no-site --no-repeats --no-menus --no-rules"

# The feature names, in the order of the shipped model.
grep -v '^#' "$SHIPPED" | sed -n '6,$p' | cut -f1 >"$T/names"

# model FILE LWORDS-LINE: every weight 0 but log-words' (4, mean 0, std
# 1), bias -8: logit(p) = 4 log(1 + words) - 8, so p > 0.5 from 7 words.
# The span is taken at span-c -2; inside it p > 0.05 stays, outside it
# p > 0.5.
model() {
	{
		echo 'winnow dedupe-boilerplate line model 1'
		printf 'span-c\t-2\np-in\t0.05\np-out\t0.5\nbias\t-8\n'
		while read -r f; do
			if [ "$f" = lwords ]; then echo "$2"; else printf '%s\t0\t1\t0\n' "$f"; fi
		done <"$T/names"
	} >"$1"
}
model "$T/m.txt" "$(printf 'lwords\t0\t1\t4')"

# Logits by hand: one word -5.23, two -3.61, four -1.56 (p 0.17), 19 and
# 20 words +3.98 and +4.18.  The span of largest sum of logit + 2 is the
# two paragraphs and the four-word heading between them (+6.18 + 0.44 +
# 5.98), where the heading's p 0.17 > 0.05 keeps it; the four-word line
# among the menu lines below is outside the span, p 0.17 < 0.5: it goes.
P1='The council met on Tuesday and voted to build a new car park near the harbour after a long debate.'
P2='Residents said that the levy was too high and that the money should go to the ferry service instead.'
printf '{"text":"Home\\nSearch\\nSubscribe\\n%s\\nWhat the council decided\\n%s\\nContact\\nTerms of use policy\\nJobs"}\n' \
    "$P1" "$P2" >"$T/rec.jsonl"
printf '%s\n' '[{"line":1,"why":"classifier"},{"line":2,"why":"classifier"},{"line":3,"why":"classifier"},{"line":7,"why":"classifier"},{"line":8,"why":"classifier"},{"line":9,"why":"classifier"}]' >"$T/want"
# shellcheck disable=SC2086
run classify/hand-model 0 "$DD" $ALONE --classifier --mark --model "$T/m.txt" "$T/rec.jsonl" &&
	sed -n 's/.*"boilerplate":\(\[.*\]\)}$/\1/p' "$T/out" >"$T/got" &&
	same classify/hand-model "$T/got" "$T/want"
# The same without --mark: the heading stays between its paragraphs.
printf '{"text":"%s\\nWhat the council decided\\n%s"}\n' "$P1" "$P2" >"$T/kept.want"
# shellcheck disable=SC2086
run classify/hand-model-text 0 "$DD" $ALONE --classifier --model "$T/m.txt" "$T/rec.jsonl" &&
	same classify/hand-model-text "$T/out" "$T/kept.want"
# The article's head: short lines just above the first long paragraph,
# with no menu word, stay (a title and a byline).
printf '{"text":"Subscribe\\nCouncil backs car park\\nBy Ann Lee\\n%s\\nJobs"}\n' "$P1" >"$T/head.jsonl"
printf '{"text":"Council backs car park\\nBy Ann Lee\\n%s"}\n' "$P1" >"$T/head.want"
# shellcheck disable=SC2086
run classify/head 0 "$DD" $ALONE --classifier --model "$T/m.txt" "$T/head.jsonl" && same classify/head "$T/out" "$T/head.want"
# A title of five words with one menu word ("about") is no menu line:
# outside the span (logit -0.83), it stays as the head.
printf '{"text":"Subscribe\\nCouncil talks about car park\\nBy Lee\\n%s\\nJobs"}\n' "$P1" >"$T/head2.jsonl"
printf '{"text":"Council talks about car park\\nBy Lee\\n%s"}\n' "$P1" >"$T/head2.want"
# shellcheck disable=SC2086
run classify/head-menu-word 0 "$DD" $ALONE --classifier --model "$T/m.txt" "$T/head2.jsonl" &&
	same classify/head-menu-word "$T/out" "$T/head2.want"
# The article's headline, the page's title said again with or without
# the site's name, stays though the model would take it (six words, p
# 0.45 < 0.5 outside the span) and a menu word stands between it and the
# body.
for title in 'Council backs new car park plan - Harbour Notes' \
    'Harbour Notes - Council backs new car park plan'; do
	printf '{"text":"%s\\nHome\\nCouncil backs new car park plan\\nSubscribe\\n%s\\n%s"}\n' \
	    "$title" "$P1" "$P2"
done >"$T/headline.jsonl"
for title in 'Council backs new car park plan - Harbour Notes' \
    'Harbour Notes - Council backs new car park plan'; do
	printf '{"text":"%s\\nCouncil backs new car park plan\\n%s\\n%s"}\n' "$title" "$P1" "$P2"
done >"$T/headline.want"
# shellcheck disable=SC2086
run classify/headline 0 "$DD" $ALONE --classifier --model "$T/m.txt" "$T/headline.jsonl" && same classify/headline "$T/out" "$T/headline.want"
# A record without a long paragraph is left alone.
printf '{"text":"Home\\nShort note\\nJobs"}\n' >"$T/short.jsonl"
# shellcheck disable=SC2086
run classify/no-paragraph 0 "$DD" $ALONE --classifier --model "$T/m.txt" "$T/short.jsonl" &&
	same classify/no-paragraph "$T/out" "$T/short.jsonl"

# ---- on and off ----

# By default the model judges only the lines outside the article: above
# it, those with six kept lines or more between them and the first body
# paragraph, the record's first line aside (Search, Subscribe, Login);
# below it, none here, as no other detector marked the article's end.
# With --classifier it judges every line: the first, the head's lines with
# a menu word, the one-word line between the paragraphs (p 0.005 < 0.05)
# and the one after them.
printf '{"text":"Home\\nSearch\\nSubscribe\\nLogin\\nWorld\\nSport\\nWeather\\nTravel\\nCouncil backs car park\\nBy Ann Lee\\n%s\\nPhotos\\n%s\\nJobs"}\n' \
    "$P1" "$P2" >"$T/scope.jsonl"
printf '%s\n' '[{"line":2,"why":"classifier"},{"line":3,"why":"classifier"},{"line":4,"why":"classifier"}]' >"$T/outside.want"
printf '%s\n' '[{"line":1,"why":"classifier"},{"line":2,"why":"classifier"},{"line":3,"why":"classifier"},{"line":4,"why":"classifier"},{"line":12,"why":"classifier"},{"line":14,"why":"classifier"}]' >"$T/every.want"
# shellcheck disable=SC2086
run classify/outside-by-default 0 "$DD" $ALONE --mark --model "$T/m.txt" "$T/scope.jsonl" &&
	sed -n 's/.*"boilerplate":\(\[.*\]\)}$/\1/p' "$T/out" >"$T/got" &&
	same classify/outside-by-default "$T/got" "$T/outside.want"
# shellcheck disable=SC2086
run classify/every-line 0 "$DD" $ALONE --mark --classifier --model "$T/m.txt" "$T/scope.jsonl" &&
	sed -n 's/.*"boilerplate":\(\[.*\]\)}$/\1/p' "$T/out" >"$T/got" &&
	same classify/every-line "$T/got" "$T/every.want"
# shellcheck disable=SC2086
run classify/no-classifier 0 "$DD" $ALONE --model "$T/m.txt" --no-classifier "$T/rec.jsonl" &&
	same classify/no-classifier "$T/out" "$T/rec.jsonl"
# --classifier loads the shipped model (WINNOW_DATA points at the tree).
# shellcheck disable=SC2086
run classify/shipped 0 env WINNOW_DATA="$(pwd)/filters" "$DD" $ALONE --classifier --stats "$T/rec.jsonl" &&
	has classify/shipped "$T/err" '"lines_classifier":'
run classify/shipped-missing 2 env WINNOW_DATA="$T/nowhere" "$DD" --no-rules --classifier "$T/rec.jsonl" &&
	has classify/shipped-missing "$T/err" "nowhere/dedupe-boilerplate/model.txt: cannot open"
run classify/shipped-by-default 2 env WINNOW_DATA="$T/nowhere" "$DD" --no-rules "$T/rec.jsonl" &&
	has classify/shipped-by-default "$T/err" "nowhere/dedupe-boilerplate/model.txt: cannot open"

# ---- the model file's errors: file:line:column, status 2 ----

# bad NAME FILE MESSAGE: the model FILE is refused with MESSAGE.
bad() {
	run "classify/bad-$1" 2 "$DD" --model "$2" "$T/rec.jsonl" && has "classify/bad-$1" "$T/err" "$3"
}
printf 'winnow something else\n' >"$T/b1.txt"
bad header "$T/b1.txt" "b1.txt:1:1: not a dedupe-boilerplate line model (want 'winnow dedupe-boilerplate line model 1')"
sed '1s/ 1$/ 2/' "$T/m.txt" >"$T/b2.txt"
bad version "$T/b2.txt" "b2.txt:1:38: line model version '2' is not supported (want 1)"
grep -v '^gone2	' "$T/m.txt" >"$T/b3.txt"
bad missing "$T/b3.txt" "b3.txt:$(wc -l <"$T/b3.txt" | tr -d ' '): 'gone2' is missing"
model "$T/b4.txt" "$(printf 'lwords\t0\tx1\t4')"
bad number "$T/b4.txt" "b4.txt:$(grep -n '^lwords' "$T/b4.txt" | cut -d: -f1):10: 'x1' is not a number"
model "$T/b5.txt" "$(printf 'lwords\t0\t0\t4')"
bad std "$T/b5.txt" "b5.txt:$(grep -n '^lwords' "$T/b5.txt" | cut -d: -f1):10: the standard deviation must be above 0"
{ cat "$T/m.txt"; printf 'shoe-size\t0\t1\t0\n'; } >"$T/b6.txt"
bad unknown "$T/b6.txt" "b6.txt:$(wc -l <"$T/b6.txt" | tr -d ' '):1: unknown name 'shoe-size'"
{ cat "$T/m.txt"; printf 'lwords\t0\t1\t0\n'; } >"$T/b7.txt"
bad twice "$T/b7.txt" "b7.txt:$(wc -l <"$T/b7.txt" | tr -d ' '):1: 'lwords' is already given at line"
sed 's/^p-in	0.05$/p-in	1.5/' "$T/m.txt" >"$T/b8.txt"
bad probability "$T/b8.txt" "b8.txt:3:6: p-in is a probability, from 0 to 1"
model "$T/b9.txt" "$(printf 'lwords\t0\t1')"
bad fields "$T/b9.txt" "b9.txt:$(grep -n '^lwords' "$T/b9.txt" | cut -d: -f1): want FEATURE, MEAN, STD and WEIGHT separated by tabs"
run classify/bad-no-file 2 "$DD" --model "$T/none.txt" "$T/rec.jsonl" &&
	has classify/bad-no-file "$T/err" "none.txt: cannot open"

# ---- the shipped model ----

if head -n 1 "$SHIPPED" | grep -qx 'winnow dedupe-boilerplate line model 1' &&
    [ "$(wc -l <"$T/names" | tr -d ' ')" -ge 60 ]; then
	pass classify/shipped-format
else
	fail classify/shipped-format "$(head -n 1 "$SHIPPED")"
fi
