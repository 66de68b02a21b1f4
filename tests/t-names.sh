#!/bin/sh
# extract-names: training, tagging, records, the grouping rules and bad
# input.  No model is shipped yet, so this trains its own on the invented
# news of testdata/names-train (train.conll, dev.conll; see gen-train)
# with the small hand-made gazetteer and clusters there, and tags with
# them.  Every expected name below was worked out by hand from the
# sentence and the rules of extract-names(1); the sentences are ones the
# tiny model gets right (names it saw in training, in familiar places).
. tests/lib.sh

EN=$(pwd)/$BIN/extract-names
JD=$(pwd)/$BIN/jsondiff
TD=$(pwd)/$D/names-train
G=$TD/lexicon/gazetteer.txt
CL=$TD/lexicon/clusters.txt
M=$T/m.model

# tag NAME STATUS ARGS...: extract-names with the test lexicon and model.
tag() {
	tn=$1 ts=$2
	shift 2
	run "$tn" "$ts" "$EN" --gazetteer "$G" --clusters "$CL" -m "$M" "$@"
}

# The usage lines of --help name the options the man page's SYNOPSIS
# does, the training ones too.  opts: one option a line ("-hz" is -h, -z).
opts() {
	tr ' []' '\n\n\n' | grep -- '^-' |
	    awk '/^--/ { print; next } { for (i = 2; i <= length($0); i++) print "-" substr($0, i, 1) }' | sort -u
}
"$EN" --help | awk 'NR == 1 || /^       / { print; next } { exit }' | opts >"$T/usage.opts"
awk '/^\.Sh / { s = $2 == "SYNOPSIS"; next } s { for (i = 1; i < NF; i++) if ($i == "Fl") print "-" $(i + 1) }' \
    filters/extract-names/extract-names.1 | opts >"$T/synopsis.opts"
if grep -qx -- --replicas "$T/usage.opts" && grep -qx -- --threads "$T/synopsis.opts"; then
	same names/usage-synopsis "$T/usage.opts" "$T/synopsis.opts"
else
	fail names/usage-synopsis "usage: $(tr '\n' ' ' <"$T/usage.opts"); synopsis: $(tr '\n' ' ' <"$T/synopsis.opts")"
fi

# ---- training ----

if run names/train 0 "$EN" --gazetteer "$G" --clusters "$CL" --train "$TD/train.conll" -m "$M"; then
	if [ "$(head -c 7 "$M")" = WNNAMES ] && [ ! -s "$T/out" ]; then
		pass names/train-model-written
	else
		fail names/train-model-written "$(head -c 16 "$M" | od -c | head -1)"
	fi
fi
[ -s "$M" ] || { fail names/no-model "training wrote no model: the rest cannot run"; exit 0; }
run names/train-again 0 "$EN" --gazetteer "$G" --clusters "$CL" --train "$TD/train.conll" -m "$T/m2.model" &&
	if cmp -s "$M" "$T/m2.model"; then
		pass names/train-deterministic
	else
		fail names/train-deterministic "two trainings on the same data wrote different models"
	fi
# Training data compressed, or on standard input: the same model.
gzip -c "$TD/train.conll" >"$T/train.conll.gz"
run names/train-gzip 0 "$EN" --gazetteer "$G" --clusters "$CL" --train "$T/train.conll.gz" -m "$T/mgz.model" &&
	same names/train-gzip-same-model "$T/mgz.model" "$M"
if command -v zstd >/dev/null 2>&1; then
	zstd -q -c "$TD/train.conll" >"$T/train.conll.zst"
	run names/train-zstd 0 "$EN" --gazetteer "$G" --clusters "$CL" --train "$T/train.conll.zst" -m "$T/mzst.model" &&
		same names/train-zstd-same-model "$T/mzst.model" "$M"
fi
run names/train-stdin 0 "$EN" --gazetteer "$G" --clusters "$CL" --train - -m "$T/mstdin.model" <"$TD/train.conll" &&
	same names/train-stdin-same-model "$T/mstdin.model" "$M"
# A truncated one is fatal: a model of part of the data would say nothing.
head -c 4000 "$T/train.conll.gz" >"$T/cut.conll.gz"
run names/train-gzip-truncated 2 "$EN" --gazetteer "$G" --clusters "$CL" --train "$T/cut.conll.gz" -m "$T/cut.model" &&
	has names/train-gzip-truncated "$T/err" "cut.conll.gz: truncated gzip input"
# --replicas 1: one perceptron, not the mean of four, so another model.
run names/train-one-replica 0 "$EN" --gazetteer "$G" --clusters "$CL" --train "$TD/train.conll" \
    --replicas 1 -m "$T/m1.model" &&
	if [ -s "$T/m1.model" ] && ! cmp -s "$M" "$T/m1.model"; then
		pass names/train-one-replica-differs
	else
		fail names/train-one-replica-differs "--replicas 1 wrote the default model, or none"
	fi
for bad in 0 65 x; do
	run names/replicas-$bad 2 "$EN" --gazetteer "$G" --clusters "$CL" --train "$TD/train.conll" \
	    --replicas $bad -m "$T/bad.model" &&
		has names/replicas-$bad-message "$T/err" "extract-names: --replicas: '$bad' is not a number from 1 to 64"
done
# --dev: a line per pass on stderr with the dev F1, for each of the four
# replicas, then the F1 of their mean; the dev sentences are of the
# training data's kind, so the tiny model scores well on them.
run names/train-dev 0 "$EN" --gazetteer "$G" --clusters "$CL" --train "$TD/train.conll" \
    --dev "$TD/dev.conll" --iterations 3 -m "$T/m3.model" &&
	if grep -q 'pass 1: .*dev F1 [0-9][0-9]*\.[0-9][0-9]$' "$T/err" &&
	    grep -q 'pass 3: .*dev F1 [0-9][0-9]*\.[0-9][0-9]$' "$T/err" && ! grep -q 'pass 4:' "$T/err" &&
	    [ "$(grep -c 'replica [1-4] of 4$' "$T/err")" = 4 ] &&
	    [ "$(grep -c 'pass [0-9]*:' "$T/err")" = 12 ] &&
	    [ "$(grep -c 'dev F1' "$T/err")" = 13 ] &&
	    tail -n 1 "$T/err" | grep -q 'the mean of 4 replicas: dev F1 [0-9][0-9]*\.[0-9][0-9]$'; then
		pass names/train-dev-lines
	else
		fail names/train-dev-lines "$(head -c 400 "$T/err" | tr '\n' '|')"
	fi
f1=$(sed -n 's/.*dev F1 \([0-9]*\)\.[0-9]*$/\1/p' "$T/err" | tail -n 1)
if [ -n "$f1" ] && [ "$f1" -ge 90 ]; then
	pass names/train-dev-f1
else
	fail names/train-dev-f1 "last dev F1 '$f1', want 90 or more"
fi

# -F conll on held-out sentences (two columns, a token and a POS tag; no
# gold tags): each line comes back with the tag added, IOB2, worked out
# by hand: people, a place, a possessive outside the name, a title
# outside it, an organisation with "of" inside it.
cat >"$T/held.conll" <<'EOF'
-DOCSTART- -X-

Angela NNP
Merkel NNP
met VBD
Erna NNP
Solberg NNP
in IN
Oslo NNP
. .

Merkel NNP
said VBD
Norway NNP
's POS
economy NN
was VBD
strong JJ
. .

President NNP
Erna NNP
Solberg NNP
arrived VBD
in IN
Paris NNP
. .

The DT
Bank NNP
of IN
England NNP
said VBD
it PRP
had VBD
no DT
comment NN
. .
EOF
cat >"$T/held.want" <<'EOF'
-DOCSTART- -X-

Angela NNP B-PER
Merkel NNP I-PER
met VBD O
Erna NNP B-PER
Solberg NNP I-PER
in IN O
Oslo NNP B-LOC
. . O

Merkel NNP B-PER
said VBD O
Norway NNP B-LOC
's POS O
economy NN O
was VBD O
strong JJ O
. . O

President NNP O
Erna NNP B-PER
Solberg NNP I-PER
arrived VBD O
in IN O
Paris NNP B-LOC
. . O

The DT O
Bank NNP B-ORG
of IN I-ORG
England NNP I-ORG
said VBD O
it PRP O
had VBD O
no DT O
comment NN O
. . O
EOF
tag names/conll 0 -F conll "$T/held.conll" && {
	same names/conll-tags "$T/out" "$T/held.want"
	lines names/conll-line-count "$T/out" "$(wc -l <"$T/held.conll" | tr -d ' ')"
	# The input lines, each token line with one more column.
	awk 'NF && $1 != "-DOCSTART-" { sub(/ [^ ]*$/, "") } { print }' "$T/out" >"$T/held.stripped"
	same names/conll-input-kept "$T/held.stripped" "$T/held.conll"
}
# The same from standard input.
tag names/conll-stdin 0 -F conll <"$T/held.conll" && same names/conll-stdin "$T/out" "$T/held.want"
# An input that cannot be read is reported and passed over: status 1, the
# others tagged.
tag names/conll-missing 1 -F conll "$T/held.conll" "$T/no-such.conll" && {
	same names/conll-missing-output "$T/out" "$T/held.want"
	has names/conll-missing-message "$T/err" "no-such.conll: No such file or directory"
}
# A column file whose first token is "{" is no JSON record: a record's
# "{" is followed by a key's '"' (or the "}" of an empty object).
printf '{ (\nErna NNP\nSolberg NNP\n} )\narrived VBD\nin IN\nOslo NNP\n. .\n' >"$T/brace.conll"
tag names/conll-brace-first 0 -F conll "$T/brace.conll" && {
	lines names/conll-brace-first-lines "$T/out" 8
	has names/conll-brace-first-tag "$T/out" "{ ( O"
	has names/conll-brace-first-name "$T/out" "Solberg NNP I-PER"
}
# -DOCSTART- lines after the last document are written back too.
printf 'Erna NNP\nSolberg NNP\n\n-DOCSTART- -X- -X- O\n' >"$T/docstart-last.conll"
tag names/conll-docstart-last 0 -F conll "$T/docstart-last.conll" && {
	lines names/conll-docstart-last-lines "$T/out" 4
	equal names/conll-docstart-last-line "$(tail -n 1 "$T/out")" "-DOCSTART- -X- -X- O"
}
{ printf '{ ( O\nErna NNP B-PER\n} ) O\n\n'; cat "$TD/train.conll"; } >"$T/brace-train.conll"
run names/train-brace-first 0 "$EN" --gazetteer "$G" --clusters "$CL" --train "$T/brace-train.conll" \
    --iterations 1 --replicas 1 --no-history -m "$T/brace.model"
printf '  {  "text": "Erna Solberg in Oslo."}\n' >"$T/spaced.jsonl"
tag names/conll-json-spaced 2 -F conll "$T/spaced.jsonl" &&
	has names/conll-json-spaced "$T/err" "-F conll reads the CoNLL column format"

# ---- records ----

cat >"$T/rec.jsonl" <<'EOF'
{"id":1,"text":"Angela Merkel met Erna Solberg in Oslo on Monday. Merkel said Norway’s economy was strong."}
{"id":2,"text":"The Federal Aviation Administration (FAA) said flights to Berlin would resume. The FAA declined to comment."}
{"id":3,"text":"President Erna Solberg arrived in Paris on Tuesday. Mr. Brandt told reporters in London that the deal was fair."}
{"id":4,"text":"Shares rose 3 percent in Tokyo trading. The Bank of England said it had no comment."}
{"id":5}
{"id":6,"text":"The weather was mild for the time of year."}
{"id":7,"text":null}
{"id": 8.50, "meta":{"a" : [1, "x\u00e9"]},  "text":"Police in Oslo said four people were hurt." ,"z":true}
EOF
tag names/records 0 "$T/rec.jsonl" && cp "$T/out" "$T/rec.once" && {
	lines names/records-count "$T/rec.once" 8
	json_ok names/records-valid-json "$T/rec.once"
}
tag names/idempotent 0 "$T/rec.once" && same names/idempotent "$T/out" "$T/rec.once"
sed -n 1p "$T/rec.once" >"$T/r1"
sed -n 2p "$T/rec.once" >"$T/r2"
sed -n 3p "$T/rec.once" >"$T/r3"
sed -n 4p "$T/rec.once" >"$T/r4"
# Surname: "Merkel" after "Angela Merkel" is the same person, twice.
has names/surname-alias "$T/r1" '{"text": "Angela Merkel", "type": "person", "count": 2, "aliases": ["Merkel"]}'
has names/second-person "$T/r1" '{"text": "Erna Solberg", "type": "person", "count": 1, "aliases": []}'
# Possessive: "Norway’s" is Norway.
has names/possessive "$T/r1" '{"text": "Norway", "type": "place", "count": 1, "aliases": []}'
sed 's/.*"names"://' "$T/r1" >"$T/r1.names"
# shellcheck disable=SC1112
absent names/possessive-not-in-name "$T/r1.names" '’s'
# In order of first mention: Angela Merkel, Erna Solberg, Oslo, Norway.
if sed 's/.*"names":/"names":/' "$T/r1" | grep -q '"Angela Merkel".*"Erna Solberg".*"Oslo".*"Norway"'; then
	pass names/first-mention-order
else
	fail names/first-mention-order "$(head -c 400 "$T/r1")"
fi
# An acronym defined in parentheses is the name's alias: three mentions.
has names/acronym-alias "$T/r2" \
    '{"text": "Federal Aviation Administration", "type": "org", "count": 3, "aliases": ["FAA"]}'
absent names/acronym-not-a-name "$T/r2" '{"text": "FAA"'
# Titles are not part of a name.
has names/title-president "$T/r3" '{"text": "Erna Solberg", "type": "person", "count": 1, "aliases": []}'
has names/title-mr "$T/r3" '{"text": "Brandt", "type": "person", "count": 1, "aliases": []}'
sed 's/.*"names"://' "$T/r3" >"$T/r3.names"
absent names/title-not-in-name "$T/r3.names" 'President'
absent names/title-mr-not-in-name "$T/r3.names" 'Mr.'
# A lower-case word inside a name.
has names/connector "$T/r4" '{"text": "Bank of England", "type": "org", "count": 1, "aliases": []}'
# Without text, or with a null: an empty array; with nothing to find too.
printf '%s\n' '{"id":5,"names":[]}' >"$T/r5.want"
sed -n 5p "$T/rec.once" >"$T/r5"
same names/no-text "$T/r5" "$T/r5.want"
printf '%s\n' '{"id":6,"text":"The weather was mild for the time of year.","names":[]}' >"$T/r6.want"
sed -n 6p "$T/rec.once" >"$T/r6"
same names/nothing-found "$T/r6" "$T/r6.want"
printf '%s\n' '{"id":7,"text":null,"names":[]}' >"$T/r7.want"
sed -n 7p "$T/rec.once" >"$T/r7"
same names/null-text "$T/r7" "$T/r7.want"
# Every other key byte for byte: the record less the names added at its
# end is the input line.
sed -n 8p "$T/rec.jsonl" >"$T/r8.in"
sed -n 8p "$T/rec.once" | sed 's/,"names":\[.*\]}$/}/' >"$T/r8"
same names/other-keys-kept "$T/r8" "$T/r8.in"
has names/other-keys-names-added "$T/rec.once" '"z":true,"names":[{"text": "Oslo", "type": "place", "count": 1, "aliases": []}]}'
# A names key already there is replaced where it stands.
printf '%s\n' '{"names":"old","id":1,"text":"Erna Solberg met Angela Merkel."}' >"$T/old.jsonl"
printf '%s\n' '{"names":[{"text": "Erna Solberg", "type": "person", "count": 1, "aliases": []}, {"text": "Angela Merkel", "type": "person", "count": 1, "aliases": []}],"id":1,"text":"Erna Solberg met Angela Merkel."}' >"$T/old.want"
tag names/replace-key 0 "$T/old.jsonl" && same names/replace-key "$T/out" "$T/old.want"

# A title capitalises every word: there a name must be one the rest of
# the record names too (in any capitals), or one the gazetteer lists.
# The tagger alone takes "Warns Of Fare" for an org in this title (as it
# does when the line stands second), and nothing in the body says it.
# The small model of these tests leaves "Eriksen" in the second title
# untagged (the shipped one tags it, an alias of Lars Eriksen), so there
# the body confirms "Volta Ferries" alone.
cat >"$T/title.jsonl" <<'EOF'
{"id":1,"text":"Volta Harbour Ferries Warns Of Fare Rise\nThe minister said on Monday that the harbour in Bergen would close."}
{"id":2,"text":"Eriksen Signs Deal With Volta Ferries\nLars Eriksen said on Monday that Volta Ferries would grow."}
{"id":3,"text":"OSLO — The police in Oslo said four people were hurt."}
EOF
cat >"$T/title.want" <<'EOF'
{"id":1,"text":"Volta Harbour Ferries Warns Of Fare Rise\nThe minister said on Monday that the harbour in Bergen would close.","names":[{"text": "Bergen", "type": "place", "count": 1, "aliases": []}]}
{"id":2,"text":"Eriksen Signs Deal With Volta Ferries\nLars Eriksen said on Monday that Volta Ferries would grow.","names":[{"text": "Volta Ferries", "type": "org", "count": 2, "aliases": []}, {"text": "Lars Eriksen", "type": "person", "count": 1, "aliases": []}]}
{"id":3,"text":"OSLO — The police in Oslo said four people were hurt.","names":[{"text": "OSLO", "type": "place", "count": 2, "aliases": ["Oslo"]}]}
EOF
tag names/title 0 "$T/title.jsonl" && same names/title "$T/out" "$T/title.want"
# A record that is a title alone has nothing to confirm its names by:
# the tagger's stay (the same title above a body gave Bergen alone).
printf '%s\n' '{"id":1,"text":"Volta Harbour Ferries Warns Of Fare Rise"}' >"$T/title-alone.jsonl"
tag names/title-alone 0 "$T/title-alone.jsonl" && has names/title-alone "$T/out" '{"text": "Volta Harbour", '

# Rules that change what the tagger said, on sentences where the small
# model says it: an acronym in brackets that spells the lower-case words
# before it is a term's, no org (the tagger's org HRW goes; FAA, which
# spells capitals, stays the alias of its name); names written with a
# place in brackets are of one kind, and three people in four make the
# fourth, the tagger's org Petter Volta, a person; a word joined by a
# hyphen to a number is one token, as CoNLL writes it, so no org "CAC".
cat >"$T/rules.jsonl" <<'EOF'
{"id":1,"text":"Prices for hard red winter (HRW) wheat rose, the Federal Aviation Administration (FAA) said."}
{"id":2,"text":"Results: Erna Solberg (Norway), Angela Merkel (Germany), Lars Eriksen (Kenya), Petter Volta (Norway)."}
{"id":3,"text":"The CAC-40 index fell in Oslo."}
EOF
cat >"$T/rules.want" <<'EOF'
{"id":1,"text":"Prices for hard red winter (HRW) wheat rose, the Federal Aviation Administration (FAA) said.","names":[{"text": "Federal Aviation Administration", "type": "org", "count": 2, "aliases": ["FAA"]}]}
{"id":2,"text":"Results: Erna Solberg (Norway), Angela Merkel (Germany), Lars Eriksen (Kenya), Petter Volta (Norway).","names":[{"text": "Erna Solberg", "type": "person", "count": 1, "aliases": []}, {"text": "Norway", "type": "place", "count": 2, "aliases": []}, {"text": "Angela Merkel", "type": "person", "count": 1, "aliases": []}, {"text": "Germany", "type": "place", "count": 1, "aliases": []}, {"text": "Lars Eriksen", "type": "person", "count": 1, "aliases": []}, {"text": "Kenya", "type": "place", "count": 1, "aliases": []}, {"text": "Petter Volta", "type": "person", "count": 1, "aliases": []}]}
EOF
tag names/rules 0 --types person,org,place,misc "$T/rules.jsonl" && {
	head -n 2 "$T/out" >"$T/rules.out"
	same names/rules-term-and-bracketed-places "$T/rules.out" "$T/rules.want"
	sed -n 3p "$T/out" >"$T/rules.cac"
	has names/rules-word-number-token "$T/rules.cac" '{"text": "CAC-40", '
	absent names/rules-word-number-no-org "$T/rules.cac" '{"text": "CAC", '
}

# --key: the names go elsewhere, "names" is left alone.
printf '%s\n' '{"names":"old","id":1,"text":"Erna Solberg met Angela Merkel.","found":[{"text": "Erna Solberg", "type": "person", "count": 1, "aliases": []}, {"text": "Angela Merkel", "type": "person", "count": 1, "aliases": []}]}' >"$T/key.want"
tag names/key 0 --key found "$T/old.jsonl" && same names/key "$T/out" "$T/key.want"
# --types: only people; misc on request.
tag names/types-person 0 --types person "$T/rec.jsonl" && {
	absent names/types-person-no-place "$T/out" '"type": "place"'
	absent names/types-person-no-org "$T/out" '"type": "org"'
	has names/types-person-kept "$T/out" '{"text": "Angela Merkel", "type": "person", "count": 2, "aliases": ["Merkel"]}'
	lines names/types-person-count "$T/out" 8
}
printf '%s\n' '{"text":"Elena Rossi , a former Norwegian diplomat , died on Tuesday aged 81 ."}' >"$T/misc.jsonl"
printf '%s\n' '{"text":"Elena Rossi , a former Norwegian diplomat , died on Tuesday aged 81 .","names":[{"text": "Norwegian", "type": "misc", "count": 1, "aliases": []}]}' >"$T/misc.want"
tag names/types-misc 0 --types misc "$T/misc.jsonl" && same names/types-misc "$T/out" "$T/misc.want"
tag names/types-default-no-misc 0 "$T/misc.jsonl" && absent names/types-default-no-misc "$T/out" '"misc"'

# --spans: each span is the bytes of a mention (bytes, not characters:
# "’" before "Norway" is three).  slice FILE START END: those bytes.
slice() {
	tail -c +$(($2 + 1)) "$1" | head -c $(($3 - $2))
}
# shellcheck disable=SC1112
printf '%s' 'Angela Merkel met Erna Solberg in Oslo on Monday. Merkel said Norway’s economy was strong.' >"$T/r1.text"
tag names/spans 0 --spans "$T/rec.jsonl" && sed -n 1p "$T/out" >"$T/s1" && {
	has names/spans-listed "$T/s1" '"aliases": ["Merkel"], "spans": [[0, 13], [50, 56]]}'
	# Every span of the record, sliced from its text, is a form of the name.
	sed 's/.*"names"://; s/}, {/\n/g' "$T/s1" >"$T/s1.names"
	bad=
	nspans=0
	while IFS= read -r nm; do
		forms=$(printf '%s' "$nm" | sed 's/.*"text": "\([^"]*\)".*"aliases": \[\([^]]*\)\].*/"\1", \2/')
		for sp in $(printf '%s' "$nm" | sed 's/.*"spans": \[//; s/\]\].*$//; s/\], \[/ /g; s/\[//g; s/, /:/g'); do
			s=${sp%:*} e=${sp#*:}
			nspans=$((nspans + 1))
			case "$forms" in
			*"\"$(slice "$T/r1.text" "$s" "$e")\""*) ;;
			*) bad="$bad [$s,$e]=$(slice "$T/r1.text" "$s" "$e") not in $forms" ;;
			esac
		done
	done <"$T/s1.names"
	if [ -z "$bad" ] && [ "$nspans" = 5 ]; then
		pass names/spans-slice
	else
		fail names/spans-slice "$nspans spans;$bad"
	fi
	[ "$(slice "$T/r1.text" 62 68)" = Norway ] && has names/spans-bytes "$T/s1" '"spans": [[62, 68]]'
}
# -f: another field.
printf '%s\n' '{"title":"Angela Merkel met Erna Solberg in Oslo.","text":"The weather was mild for the time of year."}' >"$T/title.jsonl"
printf '%s\n' '{"title":"Angela Merkel met Erna Solberg in Oslo.","text":"The weather was mild for the time of year.","names":[{"text": "Angela Merkel", "type": "person", "count": 1, "aliases": []}, {"text": "Erna Solberg", "type": "person", "count": 1, "aliases": []}, {"text": "Oslo", "type": "place", "count": 1, "aliases": []}]}' >"$T/title.want"
tag names/field-title 0 -f title "$T/title.jsonl" && same names/field-title "$T/out" "$T/title.want"
# Bytes that are not UTF-8 become U+FFFD, as everywhere in winnow, and the
# spans count the repaired text's bytes.
printf '{"text":"caf\351 owner Erna Solberg met Angela Merkel."}\n' >"$T/latin1.jsonl"
printf '%s\n' '{"text":"caf� owner Erna Solberg met Angela Merkel.","names":[{"text": "Erna Solberg", "type": "person", "count": 1, "aliases": [], "spans": [[13, 25]]}, {"text": "Angela Merkel", "type": "person", "count": 1, "aliases": [], "spans": [[30, 43]]}]}' >"$T/latin1.want"
tag names/bad-utf8 0 --spans "$T/latin1.jsonl" && same names/bad-utf8 "$T/out" "$T/latin1.want"

# ---- the title rule, on a model that tags titles inside names ----

# Train a model on data where "President", "Mr." and "Dr." before a
# person are tagged as part of it: the tagger then takes the title in,
# and extract-names must leave it out of the name (the gazetteer says
# they are titles).
awk '{ if (prev ~ /^(President|Mr\.|Dr\.) / && $NF ~ /-PER$/ && held != "") { sub(/ O$/, " I-PER", held) }
	if (held != "") print held; held = $0; prev = $0 } END { print held }' "$TD/train.conll" >"$T/titled.conll"
if grep -q '^President NNP I-NP I-PER$' "$T/titled.conll"; then
	pass names/titled-data
else
	fail names/titled-data "no President tagged I-PER"
fi
run names/titled-train 0 "$EN" --gazetteer "$G" --clusters "$CL" --train "$T/titled.conll" -m "$T/titled.model"
printf 'President NNP\nErna NNP\nSolberg NNP\narrived VBD\nin IN\nParis NNP\n. .\n' >"$T/pres.conll"
run names/titled-tags 0 "$EN" --gazetteer "$G" --clusters "$CL" -m "$T/titled.model" -F conll "$T/pres.conll" &&
	has names/titled-tags "$T/out" 'President NNP B-PER'
printf '%s\n' '{"text":"President Erna Solberg arrived in Paris."}' >"$T/pres.jsonl"
run names/titled-name 0 "$EN" --gazetteer "$G" --clusters "$CL" -m "$T/titled.model" --spans "$T/pres.jsonl" &&
	has names/titled-name "$T/out" '{"text": "Erna Solberg", "type": "person", "count": 1, "aliases": [], "spans": [[10, 22]]}'

# ---- bad input: a message and status 2 ----

printf '%s\n' '{"text":"Oslo"}' >"$T/oslo.jsonl"
head -c 1000 "$M" >"$T/trunc.model"
tag names/model-truncated 2 -m "$T/trunc.model" "$T/oslo.jsonl" &&
	has names/model-truncated "$T/err" "trunc.model: truncated"
cp "$M" "$T/flip.model"
printf 'X' | dd of="$T/flip.model" bs=1 seek=500 conv=notrunc 2>/dev/null
tag names/model-corrupt 2 -m "$T/flip.model" "$T/oslo.jsonl" &&
	has names/model-corrupt "$T/err" "flip.model: corrupt: checksum mismatch"
tag names/model-foreign 2 -m "$G" "$T/oslo.jsonl" &&
	has names/model-foreign "$T/err" "gazetteer.txt: not a winnow names model file"
: >"$T/empty.model"
tag names/model-empty 2 -m "$T/empty.model" "$T/oslo.jsonl" &&
	has names/model-empty "$T/err" "empty.model: truncated"
tag names/model-missing 2 -m "$T/none.model" "$T/oslo.jsonl" &&
	has names/model-missing "$T/err" "none.model: cannot open: No such file or directory"
{ cat "$G"; printf 'city\tTromso\n'; } >"$T/other-gazetteer.txt"
run names/model-other-gazetteer 2 "$EN" --gazetteer "$T/other-gazetteer.txt" --clusters "$CL" -m "$M" "$T/oslo.jsonl" &&
	has names/model-other-gazetteer "$T/err" "trained with another gazetteer or cluster file"
run names/model-no-clusters 2 "$EN" --gazetteer "$G" --clusters /dev/null -m "$M" "$T/oslo.jsonl" &&
	has names/model-no-clusters "$T/err" "trained with another gazetteer or cluster file"
# Training files: FILE:LINE: and nothing written.
printf 'Oslo I-LOC\nis O\nBerlin X-LOC\n' >"$T/badtag.conll"
run names/train-bad-tag 2 "$EN" --gazetteer "$G" --clusters "$CL" --train "$T/badtag.conll" -m "$T/bad.model" &&
	has names/train-bad-tag "$T/err" "badtag.conll:3: 'X-LOC' is not a tag" &&
	if [ -e "$T/bad.model" ]; then fail names/train-bad-tag-no-model "a model was written"; else pass names/train-bad-tag-no-model; fi
printf 'Oslo I-LOC\nBerlin\n' >"$T/notag.conll"
run names/train-no-tag 2 "$EN" --gazetteer "$G" --clusters "$CL" --train "$T/notag.conll" -m "$T/bad.model" &&
	has names/train-no-tag "$T/err" "notag.conll:2: want a token and a tag"
run names/train-no-model 2 "$EN" --gazetteer "$G" --clusters "$CL" --train "$TD/train.conll" &&
	has names/train-no-model "$T/err" "--train: say where the model goes with -m FILE"
# Options only training reads are a usage error without --train, not
# passed over: the first one given is named.
for o in "--dev $TD/dev.conll" "--iterations 3" "--min-count 2" --no-history "--replicas 2"; do
	n=${o%% *}
	# shellcheck disable=SC2086
	tag names/train-only${n#-} 2 $o "$T/oslo.jsonl" &&
		has names/train-only${n#-} "$T/err" "extract-names: $n: only training reads it; use it with --train FILE" &&
		equal names/train-only${n#-}-no-output "$(wc -c <"$T/out" | tr -d ' ')" 0
done
tag names/train-only-first 2 --replicas 2 --dev "$TD/dev.conll" "$T/oslo.jsonl" &&
	has names/train-only-first "$T/err" "extract-names: --replicas: only training reads it"
# Options only tagging reads, and the common ones of the records a filter
# reads and writes, are a usage error with --train, not passed over: the
# option named, no model written.
# not_train NAME MESSAGE ARGS...: training with ARGS is refused with MESSAGE.
not_train() {
	nn=$1 nm=$2
	shift 2
	run "names/not-train-$nn" 2 "$EN" --gazetteer "$G" --clusters "$CL" --train "$TD/train.conll" \
	    --iterations 1 --replicas 1 --no-history -m "$T/not-train.model" "$@" &&
		has "names/not-train-$nn" "$T/err" "extract-names: $nm" &&
		if [ -e "$T/not-train.model" ]; then fail "names/not-train-$nn-no-model" "a model was written"; else pass "names/not-train-$nn-no-model"; fi
}
not_train key "--key: not with --train, which tags no records" --key who
not_train types "--types: not with --train, which tags no records" --types person
not_train spans "--spans: not with --train, which tags no records" --spans
not_train threads "--threads: not with --train, which tags no records" --threads 4
not_train first "--spans: not with --train, which tags no records" --spans --key who
not_train conll "-F: not with --train, which tells CoNLL columns from JSON Lines by their content" -F conll
not_train format "-F: not with --train, which tells CoNLL columns from JSON Lines by their content" -F text
not_train field "-f: not with --train, whose JSON Lines records have their text at \"text\"" -f body
not_train output "-o: not with --train, which writes no records (the model goes to -m)" -o "$T/not-train.jsonl"
not_train gzip "-z, --gzip-level, --zstd: not with --train, which writes no records" -z
not_train to "--to: not with --train, which writes no records" --to text
not_train on-error "--on-error: not with --train: a malformed training record is a fatal error" --on-error=pass
not_train max-record "--max-record-bytes: not with --train, which reads every training record whole" --max-record-bytes 100
not_train progress "--progress: not with --train; --stats reports the training on standard error" --progress=always
run names/train-missing 2 "$EN" --gazetteer "$G" --clusters "$CL" --train "$T/none.conll" -m "$T/bad.model" &&
	has names/train-missing "$T/err" "none.conll: cannot open"
# JSON Lines training data: an entity that does not begin and end on
# token edges is left out with a warning that names it, its text cut to
# 40 bytes on a character's edge.
cat >"$T/edges.jsonl" <<'EOF'
{"text":"Angela Merkel met Erna Solberg in Oslo.","entities":[{"type":"person","start":0,"end":13},{"type":"person","start":2,"end":13},{"type":"place","start":34,"end":38}]}
{"text":"Le président de la Fédération Française de Football\nparla à Paris.","entities":[{"type":"org","start":21,"end":63},{"type":"place","start":60,"end":65}]}
EOF
run names/train-json-edges 0 "$EN" --gazetteer "$G" --clusters "$CL" --train "$T/edges.jsonl" \
    --iterations 1 --replicas 1 --no-history -m "$T/edges.model" && {
	has names/train-json-edges-named "$T/err" \
	    "extract-names: $T/edges.jsonl:1: the person [2,13) 'gela Merkel' does not begin and end on token edges: left out"
	has names/train-json-edges-cut "$T/err" \
	    "extract-names: $T/edges.jsonl:2: the org [21,63) 'dération Française de Football\\nparla ...' does not begin and end on token edges: left out"
	lines names/train-json-edges-two "$T/err" 2
}
# Data without a name to learn from writes no model: an empty file, one
# of -DOCSTART- alone, every token tagged O, JSON records without
# entities, or several such files.
: >"$T/empty.conll"
printf -- '-DOCSTART- -X- -X- O\n\n' >"$T/docstart.conll"
awk 'NF { $NF = "O" } { print }' "$TD/train.conll" >"$T/all-o.conll"
printf '{"text":"Erna Solberg met Angela Merkel in Oslo."}\n{"text":"Oslo","entities":[]}\n' >"$T/none.jsonl"
for f in empty:"no tokens" docstart:"no tokens" all-o:"every token is tagged O"; do
	n=${f%%:*}
	run names/train-no-names-$n 2 "$EN" --gazetteer "$G" --clusters "$CL" --train "$T/$n.conll" -m "$T/no-names.model" &&
		has names/train-no-names-$n "$T/err" "extract-names: $T/$n.conll: no names to learn from: ${f#*:}"
done
run names/train-no-names-json 2 "$EN" --gazetteer "$G" --clusters "$CL" --train "$T/none.jsonl" -m "$T/no-names.model" &&
	has names/train-no-names-json "$T/err" "none.jsonl: no names to learn from: every token is tagged O"
run names/train-no-names-files 2 "$EN" --gazetteer "$G" --clusters "$CL" --train "$T/empty.conll" \
    --train "$T/all-o.conll" -m "$T/no-names.model" &&
	has names/train-no-names-files "$T/err" "extract-names: no names to learn from in the 2 --train files: every token is tagged O"
# A --dev file without a name to score against is refused the same way.
for f in empty:"no tokens" all-o:"every token is tagged O"; do
	n=${f%%:*}
	run names/dev-no-names-$n 2 "$EN" --gazetteer "$G" --clusters "$CL" --train "$TD/train.conll" \
	    --dev "$T/$n.conll" --iterations 1 --replicas 1 --no-history -m "$T/no-names.model" &&
		has names/dev-no-names-$n "$T/err" "extract-names: $T/$n.conll: no names to score against (--dev): ${f#*:}"
done
run names/dev-no-names-json 2 "$EN" --gazetteer "$G" --clusters "$CL" --train "$TD/train.conll" \
    --dev "$T/none.jsonl" --iterations 1 --replicas 1 --no-history -m "$T/no-names.model" &&
	has names/dev-no-names-json "$T/err" "none.jsonl: no names to score against (--dev): every token is tagged O"
if [ -e "$T/no-names.model" ]; then
	fail names/train-no-names-no-model "a model was written"
else
	pass names/train-no-names-no-model
fi
# The model must not replace a file the training reads, named as it is,
# through another link or as standard input: status 2, the file kept.
cp "$TD/dev.conll" "$T/same.conll"
ln -s same.conll "$T/same-link.conll"
run names/train-model-is-data 2 "$EN" --gazetteer "$G" --clusters "$CL" --train "$T/same.conll" -m "$T/same.conll" &&
	has names/train-model-is-data "$T/err" "extract-names: $T/same.conll: is also the model (-m), which this run would replace"
run names/train-model-is-dev 2 "$EN" --gazetteer "$G" --clusters "$CL" --train "$TD/train.conll" \
    --dev "$T/same.conll" -m "$T/same-link.conll" &&
	has names/train-model-is-dev "$T/err" "same.conll: is also the model (-m)"
run names/train-model-is-stdin 2 "$EN" --gazetteer "$G" --clusters "$CL" --train - -m "$T/same.conll" \
    <"$T/same.conll" &&
	has names/train-model-is-stdin "$T/err" "<stdin>: is also the model (-m)"
same names/train-model-is-data-kept "$T/same.conll" "$TD/dev.conll"
# A model that cannot be written fails before any training data is read:
# the bad tag of badtag.conll goes unseen.
run names/train-model-unwritable 2 "$EN" --gazetteer "$G" --clusters "$CL" --train "$T/badtag.conll" \
    -m "$T/nodir/x.model" &&
	has names/train-model-unwritable "$T/err" "nodir/x.model: cannot create" &&
	absent names/train-model-unwritable-first "$T/err" "X-LOC"
tag names/types-bogus 2 --types bogus "$T/oslo.jsonl" &&
	has names/types-bogus "$T/err" "--types: 'bogus' is not person, org, place or misc"
tag names/format-bogus 2 -F bogus "$T/oslo.jsonl" &&
	has names/format-bogus "$T/err" "-F: 'bogus' is not json, text or conll"
printf 'city\tOslo\nbad class\tBerlin\n' >"$T/bad-gazetteer.txt"
run names/gazetteer-bad 2 "$EN" --gazetteer "$T/bad-gazetteer.txt" --clusters "$CL" -m "$M" "$T/oslo.jsonl" &&
	has names/gazetteer-bad "$T/err" "bad-gazetteer.txt:2:"
printf '0101\tOslo\t10\n01x1\tBerlin\t10\n' >"$T/bad-clusters.txt"
run names/clusters-bad 2 "$EN" --gazetteer "$G" --clusters "$T/bad-clusters.txt" -m "$M" "$T/oslo.jsonl" &&
	has names/clusters-bad "$T/err" "bad-clusters.txt:2:3: a cluster path is 0s and 1s"

# ---- robustness: no crash, every record out, in bounded time ----

# big NAME FILE: tag FILE (two records, the big one between small ones)
# within 60 seconds; every record comes out as valid JSON.
big() {
	run "names/big-$1" 0 timeout 60 "$EN" --gazetteer "$G" --clusters "$CL" -m "$M" --spans "$2" &&
		lines "names/big-$1-count" "$T/out" 3 && json_ok "names/big-$1-json" "$T/out"
}
# gen AWK-BODY: a record of the text the awk program prints, between two.
gen() {
	{
		echo '{"id":0,"text":"Angela Merkel met Erna Solberg."}'
		printf '{"id":1,"text":"'
		awk "BEGIN { $1 }"
		printf '"}\n'
		echo '{"id":2,"text":"Merkel said."}'
	} >"$T/big.jsonl"
}
gen 'for (i = 0; i < 1000000; i++) printf "x"'
big token "$T/big.jsonl"
gen 'for (i = 0; i < 1000000; i++) printf "X"'
big caps-token "$T/big.jsonl"
gen 'for (i = 0; i < 125000; i++) printf "Oslo Ab "'
big capitals "$T/big.jsonl"
gen 'for (i = 0; i < 500000; i++) printf "Oslo Ab "'
big capitals-4mb "$T/big.jsonl"
gen 'for (i = 0; i < 100000; i++) printf "(Oslo) Ab ("'
big parens "$T/big.jsonl"
gen 'for (i = 0; i < 30000; i++) printf "Angela Merkel and the Federal Aviation Administration (FAA) met Merkel. "'
big many-names "$T/big.jsonl"
has names/big-many-names-grouped "$T/out" '{"text": "Angela Merkel", "type": "person", "count": 60000, "aliases": ["Merkel"]'
gen 'for (i = 0; i < 200000; i++) printf "A%d B%d. ", i, i'
big distinct "$T/big.jsonl"
printf '{"id":1,"text":"\377\376 Erna \300\200 Solberg \355\240\200 Oslo \364\220\200\200"}\n{"id":2,"text":"Oslo"}\n{"id":3}\n' >"$T/big.jsonl"
big bad-utf8 "$T/big.jsonl"
# An empty text first, before any record had tokens (under UBSan, a
# memset of the not yet allocated token arrays).
printf '{"id":1,"text":""}\n{"id":2,"text":"Erna Solberg in Oslo."}\n{"id":3,"text":" "}\n' >"$T/big.jsonl"
big empty-first "$T/big.jsonl"
has names/empty-first-none "$T/out" '{"id":1,"text":"","names":[]}'

# --threads: the output is the same on any number of threads, and a
# record's names do not hang on the records before it, even where a word
# comes in two spellings of one form (I’ve, I've).
{
	cat "$D/names/news.jsonl"
	printf '%s\n' '{"id":"a1","text":"“I’ve seen it,” said Erna Solberg in Oslo."}' \
	    '{"id":"a2","text":"I'"'"'ve seen it, said Erna Solberg in Oslo."}' \
	    '{"id":"a3","text":"I’ve Seen It: Solberg'"'"'s Oslo Speech\nErna Solberg spoke."}'
} >"$T/threads.jsonl"
tag names/threads-1 0 --threads 1 "$T/threads.jsonl" && cp "$T/out" "$T/threads.1"
for n in 2 3 16; do
	tag names/threads-$n 0 --threads $n "$T/threads.jsonl" &&
		same names/threads-$n-same "$T/out" "$T/threads.1"
done
# Each record alone, then all in reverse order: the same names each.
while IFS= read -r line; do
	printf '%s\n' "$line" >"$T/one.jsonl"
	"$EN" --gazetteer "$G" --clusters "$CL" -m "$M" "$T/one.jsonl"
done <"$T/threads.jsonl" >"$T/threads.alone"
same names/threads-alone "$T/threads.alone" "$T/threads.1"
awk '{ l[NR] = $0 } END { for (i = NR; i > 0; i--) print l[i] }' "$T/threads.jsonl" >"$T/rev.jsonl"
tag names/threads-reversed 0 "$T/rev.jsonl" &&
	awk '{ l[NR] = $0 } END { for (i = NR; i > 0; i--) print l[i] }' "$T/out" >"$T/rev.out" &&
	same names/threads-reversed-same "$T/rev.out" "$T/threads.1"
for bad in 0 17 x; do
	tag names/threads-bad-$bad 2 --threads $bad "$T/threads.jsonl" &&
		has names/threads-bad-$bad-message "$T/err" "extract-names: --threads: '$bad' is not a number from 1 to 16"
done
# Malformed lines among the records tagged together are written as they
# came, in their place.
printf '%s\n' '{"id":1,"text":"Erna Solberg in Oslo."}' '{"id":2,"text":' \
    '{"id":3,"text":"Angela Merkel."}' 'not json' >"$T/mixed.jsonl"
tag names/threads-malformed 0 "$T/mixed.jsonl" &&
	lines names/threads-malformed-lines "$T/out" 4 &&
	equal names/threads-malformed-kept "$(sed -n '2p;4p' "$T/out" | tr '\n' '|')" '{"id":2,"text":|not json|' &&
	has names/threads-malformed-third "$T/out" '{"id":3,"text":"Angela Merkel.","names":[{"text": "Angela Merkel"'
# Records that trickle in through a pipe are tagged as they come, not held
# back until a batch of them has come.
rm -f "$T/names.fifo"
mkfifo "$T/names.fifo"
"$EN" --gazetteer "$G" --clusters "$CL" -m "$M" >"$T/trickle.out" <"$T/names.fifo" 2>/dev/null &
pid=$!
timeout 20 sh -c 'exec 3>"$1"; echo "{\"text\":\"Erna Solberg met Angela Merkel.\"}" >&3; i=0
    while [ $i -lt 100 ]; do
	grep -q "\"names\":\[{" "$2" && exit 0
	sleep 0.1; i=$((i + 1))
    done; exit 1' sh "$T/names.fifo" "$T/trickle.out"
st=$?
wait $pid
[ $st -eq 0 ] && pass names/threads-trickle || fail names/threads-trickle "the first record was held back"
exit 0
