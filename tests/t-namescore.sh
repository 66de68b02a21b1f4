#!/bin/sh
# tests/namescore, the scorer of extract-names against testdata/names:
# figures on a tiny hand-made gold and output worked out by hand (below),
# -v and --types, its refusals of malformed input, and the gold of
# testdata/names itself (one record per article, perfect against itself).
. tests/lib.sh

S=$BIN/namescore
if [ ! -x "$S" ]; then
	fail namescore "$S is not built (make tests)"
	exit 0
fi

# scores NAME GOLD OUTPUT WANT: namescore's table of OUTPUT against GOLD
# is the file WANT.
scores() {
	if run "namescore/$1" 0 "$S" "$2" "$3"; then
		same "namescore/$1" "$T/out" "$4"
	fi
}

# Gold a: Angela Merkel (alias Merkel), Jonas Gahr Støre (alias Støre),
# Federal Aviation Administration (alias FAA), Bank of England, Norway,
# Norwegian (misc).  Gold b: Lyon the club (org) and Lyon the city
# (place), Tomás Ferreira (a tab in the gold text: squeezed), Ama Owusu
# (alias Owusu) and another person called only Owusu.  Gold c: Paris.
# The output lists b before a and lacks c.
#   a: Merkel = gold alias: match; Jonas Gahr, whose alias is the gold
#      text: match; FAA = gold alias: match; Bank: false org; England:
#      false place; Norway: match; Norwegian: match.  Miss: Bank of England.
#   b: Lyon place: match; Tomás<two spaces>Ferreira: match after
#      squeezing; Tomás Ferreira again: false (a gold name matches once);
#      Lyon person: false (the type differs); Owusu then Ama Owusu: both
#      match, since equal texts pair first (in output order alone, Owusu
#      would take Ama Owusu by its alias and Ama Owusu would be false).
#      Miss: Lyon org.
#   c: miss Paris.
# person: gold 2+3 = 5, out 2+5 = 7, match 2+3 = 5: P 5/7 = 0.714, R 1.000,
#   F1 10/12 = 0.833.
# org: gold 2+1 = 3, out 2, match 1: P 0.500, R 0.333, F1 2/5 = 0.400.
# place: gold 3, out 3, match 2: P = R = F1 = 0.667.
# misc: 1, 1, 1: 1.000.
# all: gold 12, out 13, match 9: P 9/13 = 0.692, R 9/12 = 0.750,
#   F1 18/25 = 0.720.
cat >"$T/gold" <<'EOF'
{"id":"a","names":[{"text":"Angela Merkel","type":"person","aliases":["Merkel"]},{"text":"Federal Aviation Administration","type":"org","aliases":["FAA"]},{"text":"Norway","type":"place"},{"text":"Jonas Gahr Støre","type":"person","aliases":["Støre"]},{"text":"Bank of England","type":"org","aliases":[]},{"text":"Norwegian","type":"misc"}]}

{"id":"b","names":[{"text":"Lyon","type":"org"},{"text":"Lyon","type":"place"},{"text":"Tomás\tFerreira","type":"person"},{"text":"Ama Owusu","type":"person","aliases":["Owusu"]},{"text":"Owusu","type":"person"}]}
{"id":"c","names":[{"text":"Paris","type":"place"}]}
EOF
cat >"$T/out" <<'EOF'
{"id":"b","text":"...","names":[{"text":"Lyon","type":"place","count":3},{"text":"Tomás  Ferreira","type":"person","count":1,"aliases":[]},{"text":"Tomás Ferreira","type":"person","count":1},{"text":"Lyon","type":"person","count":1},{"text":"Owusu","type":"person","count":1},{"text":"Ama Owusu","type":"person","count":2}]}
{"id":"a","text":"...","names":[{"text":"Merkel","type":"person","count":2},{"text":"FAA","type":"org","count":1,"aliases":[]},{"text":"Norway","type":"place","count":1},{"text":"Jonas Gahr","type":"person","count":2,"aliases":["Jonas Gahr Støre"]},{"text":"England","type":"place","count":1},{"text":"Bank","type":"org","count":1},{"text":"Norwegian","type":"misc","count":1}]}
EOF
mv "$T/out" "$T/output"
cat >"$T/want" <<'EOF'
type     gold    out  match      P      R     F1
person      5      7      5  0.714  1.000  0.833
org         3      2      1  0.500  0.333  0.400
place       3      3      2  0.667  0.667  0.667
misc        1      1      1  1.000  1.000  1.000
all        12     13      9  0.692  0.750  0.720
EOF
scores figures "$T/gold" "$T/output" "$T/want"

# -v: falses and misses per record in output order, then the gold
# records the output lacks; the table after.
{
	cat <<'EOF'
false b person Tomás Ferreira
false b person Lyon
miss b org Lyon
false a place England
false a org Bank
miss a org Bank of England
miss c place Paris
EOF
	cat "$T/want"
} >"$T/want-v"
if run namescore/verbose 0 "$S" -v "$T/gold" "$T/output"; then
	same namescore/verbose "$T/out" "$T/want-v"
fi

# --types: only those rows, and "all" over them (gold 8, out 9, match 6:
# P 0.667, R 0.750, F1 12/17 = 0.706); misc is dropped although present.
cat >"$T/want-t" <<'EOF'
type     gold    out  match      P      R     F1
person      5      7      5  0.714  1.000  0.833
org         3      2      1  0.500  0.333  0.400
all         8      9      6  0.667  0.750  0.706
EOF
if run namescore/types 0 "$S" --types person,org "$T/gold" "$T/output"; then
	same namescore/types "$T/out" "$T/want-t"
fi
if run namescore/types-short 0 "$S" -v -t place "$T/gold" "$T/output"; then
	printf '%s\n' 'false a place England' 'miss c place Paris' \
	    'type     gold    out  match      P      R     F1' \
	    'place       3      3      2  0.667  0.667  0.667' \
	    'all         3      3      2  0.667  0.667  0.667' >"$T/want-ts"
	same namescore/types-short "$T/out" "$T/want-ts"
fi

# No misc anywhere: no misc row.  Nothing found: "-" for P and F1.
printf '{"id":"c","names":[]}\n' >"$T/empty"
if run namescore/nothing 0 "$S" -t person,place "$T/gold" "$T/empty"; then
	printf '%s\n' 'type     gold    out  match      P      R     F1' \
	    'person      5      0      0      -  0.000      -' \
	    'place       3      0      0      -  0.000      -' \
	    'all         8      0      0      -  0.000      -' >"$T/want-n"
	same namescore/nothing "$T/out" "$T/want-n"
fi
sed 's/,{"text":"Norwegian"[^}]*}//' "$T/gold" >"$T/gold-nomisc"
sed 's/,{"text":"Norwegian"[^}]*}//' "$T/output" >"$T/output-nomisc"
if run namescore/no-misc 0 "$S" "$T/gold-nomisc" "$T/output-nomisc"; then
	grep -v '^misc' "$T/want" | sed 's/^all .*/all        11     12      8  0.667  0.727  0.696/' >"$T/want-m"
	same namescore/no-misc "$T/out" "$T/want-m"
fi

# refuse NAME MESSAGE GOLD OUTPUT: status 2, nothing on stdout, exactly
# MESSAGE on stderr.
refuse() {
	if run "namescore/refuse-$1" 2 "$S" "$3" "$4"; then
		printf '%s\n' "$2" >"$T/want-err"
		if [ -s "$T/out" ]; then
			fail "namescore/refuse-$1" "wrote on stdout: $(head -c 200 "$T/out")"
		else
			same "namescore/refuse-$1" "$T/err" "$T/want-err"
		fi
	fi
}
G=$T/gold O=$T/output
# Line 3 of the gold is its second record (line 2 is blank).
sed '3s/^{"id":"b",/{"id":"b"/' "$G" >"$T/g-json"
refuse not-json "namescore: $T/g-json:3: not JSON: '}' expected near '\"names\"'" "$T/g-json" "$O"
sed '3s/.*/["b"]/' "$G" >"$T/g-array"
refuse not-object "namescore: $T/g-array:3: not a JSON object" "$T/g-array" "$O"
sed '4s/"id":"c"/"id":"a"/' "$G" >"$T/g-twice"
refuse gold-id-twice "namescore: $T/g-twice:4: id 'a' again" "$T/g-twice" "$O"
sed '4s/"id":"c",//' "$G" >"$T/g-noid"
refuse no-id "namescore: $T/g-noid:4: no \"id\"" "$T/g-noid" "$O"
sed '4s/"names"/"name"/' "$G" >"$T/g-nonames"
refuse no-names "namescore: $T/g-nonames:4: no \"names\" array" "$T/g-nonames" "$O"
sed '2s/"type":"org"/"type":"organisation"/' "$O" >"$T/o-type"
refuse unknown-type "namescore: $T/o-type:2: names[1]: unknown type 'organisation'" "$G" "$T/o-type"
sed '2s/{"text":"Norway",/{"text":7,/' "$O" >"$T/o-text"
refuse text "namescore: $T/o-text:2: names[2] has no string \"text\"" "$G" "$T/o-text"
sed '2s/"text":"Bank"/"text":" \\t "/' "$O" >"$T/o-empty"
refuse empty-text "namescore: $T/o-empty:2: names[5] has an empty \"text\"" "$G" "$T/o-empty"
sed '2s/"type":"misc"/"kind":"misc"/' "$O" >"$T/o-notype"
refuse no-type "namescore: $T/o-notype:2: names[6] has no string \"type\"" "$G" "$T/o-notype"
sed '1s/"aliases":\[\]/"aliases":"none"/' "$O" >"$T/o-aliases"
refuse aliases "namescore: $T/o-aliases:1: names[1]: \"aliases\" is not an array" "$G" "$T/o-aliases"
sed '2s/"aliases":\["Jonas Gahr Støre"\]/"aliases":[null]/' "$O" >"$T/o-alias"
refuse alias "namescore: $T/o-alias:2: names[3]: an alias is not a string" "$G" "$T/o-alias"
sed '2s/"names":\[{/"names":[1,{/' "$O" >"$T/o-elem"
refuse element "namescore: $T/o-elem:2: names[0] is not an object" "$G" "$T/o-elem"
sed '2s/"id":"a"/"id":"z"/' "$O" >"$T/o-id"
refuse unknown-id "namescore: $T/o-id:2: id 'z' is not in the gold" "$G" "$T/o-id"
sed '2s/"id":"a"/"id":"b"/' "$O" >"$T/o-twice"
refuse output-id-twice "namescore: $T/o-twice:2: id 'b' again" "$G" "$T/o-twice"
refuse missing "namescore: $T/none: cannot open: No such file or directory" "$G" "$T/none"

run namescore/usage 2 "$S" "$G" && has namescore/usage "$T/err" "usage: namescore [-hv] [-t types] gold output"
run namescore/bad-type-option 2 "$S" -t person,people "$G" "$O" &&
	has namescore/bad-type-option "$T/err" "namescore: unknown type 'people' in --types"
run namescore/help 0 "$S" --help && has namescore/help "$T/out" "usage: namescore"
"$S" --help >/dev/full 2>"$T/err"
st=$?
[ $st -eq 2 ] && has namescore/help-full "$T/err" "write error" ||
	fail namescore/help-full "status $st with stdout on /dev/full"
"$S" "$G" "$O" >/dev/full 2>"$T/err"
st=$?
[ $st -eq 2 ] && has namescore/table-full "$T/err" "write error" ||
	fail namescore/table-full "status $st with stdout on /dev/full"


# The gold of testdata/names: a record for each article, in the same
# order, and every name found when the gold is its own output.
N=$D/names
sed 's/^{"id": "\([^"]*\)".*/\1/' "$N/news.jsonl" >"$T/news-ids"
sed 's/^{"id": "\([^"]*\)".*/\1/' "$N/gold.jsonl" >"$T/gold-ids"
same namescore/gold-ids "$T/gold-ids" "$T/news-ids"
if run namescore/gold-self 0 "$S" "$N/gold.jsonl" "$N/gold.jsonl"; then
	if awk 'NR > 1 && ($4 != $2 || $5 != "1.000" || $6 != "1.000") { bad = 1 } END { exit bad }' "$T/out"; then
		pass namescore/gold-self
	else
		fail namescore/gold-self "$(tr '\n' '|' <"$T/out")"
	fi
fi

# Gold from a corpus's mentions: the same text in other capitals is one
# name ("JAPAN" and "Japan"), and so is a surname in any capitals
# ("Merkel", "MERKEL") with the full name: gold person Angela Merkel,
# org FAA, places JAPAN (alias Japan) and Syria.  Output: Japan (matches
# the gold alias), Angela Merkel (match), Merkel again (false: the gold
# name is taken), Syria as an org (false), FAA (match); Syria is missed.
# person 1 / 2 / 1, org 1 / 2 / 1, place 2 / 1 / 1; all 4 / 5 / 3:
# P 0.600, R 0.750, F1 0.9 / 1.35 = 0.667.
cat >"$T/egold" <<'EOF'
{"id":"e","entities":[{"type":"LOC","text":"JAPAN"},{"type":"PER","text":"MERKEL"},{"type":"LOC","text":"Japan"},{"type":"PER","text":"Angela Merkel"},{"type":"ORG","text":"FAA"},{"type":"PER","text":"Merkel"},{"type":"LOC","text":"Syria"},{"type":"LOC","text":"Japan"}]}
EOF
cat >"$T/eoutput" <<'EOF'
{"id":"e","names":[{"text":"Japan","type":"place","aliases":["JAPAN"]},{"text":"Angela Merkel","type":"person","aliases":["MERKEL"]},{"text":"Merkel","type":"person"},{"text":"Syria","type":"org"},{"text":"FAA","type":"org"}]}
EOF
cat >"$T/ewant" <<'EOF'
type     gold    out  match      P      R     F1
person      1      2      1  0.500  1.000  0.667
org         1      2      1  0.500  1.000  0.667
place       2      1      1  1.000  0.500  0.667
all         4      5      3  0.600  0.750  0.667
EOF
scores entities-one-referent "$T/egold" "$T/eoutput" "$T/ewant"

# An acronym defined in brackets right after a mention of its type is an
# alias of it ("Party of Democratic Action ( SDA )"), as extract-names
# groups them; a country in brackets after a person is not an acronym of
# the person.  Gold: org Party of Democratic Action (alias SDA), person
# Quigley, place USA.  Output: the party (match), SDA on its own (false:
# the gold name is taken), Quigley and USA (matches).  org 1 / 2 / 1,
# person 1 / 1 / 1, place 1 / 1 / 1; all 3 / 4 / 3: P 0.750, R 1.000,
# F1 1.5 / 1.75 = 0.857.
cat >"$T/fgold" <<'EOF'
{"id":"f","text":"The Party of Democratic Action ( SDA ) won . SDA leaders met Quigley ( USA ) .","entities":[{"type":"ORG","text":"Party of Democratic Action"},{"type":"ORG","text":"SDA"},{"type":"ORG","text":"SDA"},{"type":"PER","text":"Quigley"},{"type":"LOC","text":"USA"}]}
EOF
cat >"$T/foutput" <<'EOF'
{"id":"f","names":[{"text":"Party of Democratic Action","type":"org"},{"text":"SDA","type":"org"},{"text":"Quigley","type":"person"},{"text":"USA","type":"place"}]}
EOF
cat >"$T/fwant" <<'EOF'
type     gold    out  match      P      R     F1
person      1      1      1  1.000  1.000  1.000
org         1      2      1  0.500  1.000  0.667
place       1      1      1  1.000  1.000  1.000
all         3      4      3  0.750  1.000  0.857
EOF
scores entities-bracketed-acronym "$T/fgold" "$T/foutput" "$T/fwant"

# An acronym that spells the initials of the capitalised words of
# another name of its type is an alias of it, brackets or not ("EU" of
# "European Union"), as extract-names groups them; "WTO" of "World Bank"
# is not.  Gold orgs: European Union (alias EU), IMF, World Bank, WTO.
# Output: European Union with its alias, IMF and World Bank (matches);
# WTO missed.  org 4 / 3 / 3: P 1.000, R 0.750, F1 1.5 / 1.75 = 0.857.
cat >"$T/ggold" <<'EOF'
{"id":"g","entities":[{"type":"ORG","text":"EU"},{"type":"ORG","text":"European Union"},{"type":"ORG","text":"IMF"},{"type":"ORG","text":"World Bank"},{"type":"ORG","text":"WTO"}]}
EOF
cat >"$T/goutput" <<'EOF'
{"id":"g","names":[{"text":"European Union","type":"org","aliases":["EU"]},{"text":"IMF","type":"org"},{"text":"World Bank","type":"org"}]}
EOF
cat >"$T/gwant" <<'EOF'
type     gold    out  match      P      R     F1
person      0      0      0      -      -      -
org         4      3      3  1.000  0.750  0.857
place       0      0      0      -      -      -
all         4      3      3  1.000  0.750  0.857
EOF
scores entities-initials-acronym "$T/ggold" "$T/goutput" "$T/gwant"
