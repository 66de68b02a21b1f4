#!/bin/sh
# dedupe-boilerplate: golden cases, properties, rules files and error paths.
#
# Golden cases are testdata/cases/dedupe-boilerplate/NAME.in, NAME.out and
# optionally NAME.args (extra arguments, shell words).  Each .out was
# written from the contract: the article lines of the input, with the
# furniture lines and spans named in the case left out (or, for --mark,
# named in the boilerplate key), never copied from the program.
#
# Properties, over every case and the sample archive after normalize: a
# second run changes nothing, every record comes out, the output is valid
# UTF-8 and valid JSON Lines.
. tests/lib.sh

C=$D/cases/dedupe-boilerplate
DD=$(pwd)/$BIN/dedupe-boilerplate
N=$(pwd)/$BIN/normalize
PT=$(pwd)/$BIN/passthrough
A=$(pwd)/$D/archive
R=$(pwd)/filters/dedupe-boilerplate/rules.txt

# stat NAME: the number NAME of the --stats line (the last of $T/err).
stat() {
	tail -n 1 "$T/err" | sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p"
}

json_ok() {
	"$PT" --on-error=fail "$1" >/dev/null 2>"$T/pt.err"
}

# ---- golden cases ----

for f in "$C"/*.in; do
	cn=$(basename "$f" .in)
	set --
	[ -f "$C/$cn.args" ] && eval "set -- $(cat "$C/$cn.args")"
	run "dedupe/case-$cn" 0 "$DD" "$@" "$f" && same "dedupe/case-$cn" "$T/out" "$C/$cn.out"
	cp "$T/out" "$T/once"
	run "dedupe/idempotent-$cn" 0 "$DD" "$@" "$T/once" && same "dedupe/idempotent-$cn" "$T/out" "$T/once"
done

# ---- properties over the sample archive ----

zcat "$A"/*.jsonl.gz | "$N" >"$T/archive.jsonl" 2>/dev/null
run dedupe/archive 0 "$DD" --stats "$T/archive.jsonl" && cp "$T/out" "$T/archive.once" &&
	if [ "$(stat records_in)" = 43 ] && [ "$(stat records_out)" = 43 ] &&
	    [ "$(wc -l <"$T/archive.once" | tr -d ' ')" = 43 ]; then
		pass dedupe/archive-count
	else
		fail dedupe/archive-count "in $(stat records_in), out $(stat records_out)"
	fi
if json_ok "$T/archive.once" && iconv -f UTF-8 -t UTF-8 "$T/archive.once" >/dev/null 2>&1; then
	pass dedupe/archive-valid
else
	fail dedupe/archive-valid "$(head -c 200 "$T/pt.err")"
fi
run dedupe/archive-twice 0 "$DD" "$T/archive.once" && same dedupe/archive-twice "$T/out" "$T/archive.once"
# The furniture of the four sites is gone; their articles' first lines stay.
for gone in 'Share this article: Facebook Twitter Email' 'Skip to content' 'ADVERTISEMENT' \
    'Home | Politics | Business | Sport | Opinion'; do
	if grep -qF "$gone" "$T/archive.once"; then
		fail "dedupe/archive-gone-$gone" "still there"
	else
		pass "dedupe/archive-gone-$gone"
	fi
done
has dedupe/archive-kept-title "$T/archive.once" 'Councillors back port levy after late-night session'
has dedupe/archive-kept-byline "$T/archive.once" 'By Martin Holloway, Local Democracy Reporter'
# A window of one record counts only what came before: the first records of
# a site keep their furniture, later ones lose it.  Output order stays.
# (Without the rules, whose section-bar rule takes a nav bar anywhere.)
run dedupe/window-1 0 "$DD" --no-rules --window 1 "$T/archive.jsonl"
if [ "$(wc -l <"$T/out" | tr -d ' ')" = 43 ] && head -n 1 "$T/out" | grep -qF 'Home | Politics'; then
	pass dedupe/window-1
else
	fail dedupe/window-1 "$(head -c 200 "$T/out")"
fi
# A second run changes nothing on generated news either, whose records
# hold copies, pull quotes and captions glued onto paragraphs (2 MB each of
# gencorpus -k dirty and -k glue, after normalize): what a judgment keeps
# is judged again within the run, as the second run would judge it.
for kind in dirty glue; do
	"$BIN/gencorpus" -k "$kind" -s 1 -m 2 | "$N" >"$T/$kind.jsonl" 2>/dev/null
	run "dedupe/twice-$kind" 0 "$DD" "$T/$kind.jsonl" && cp "$T/out" "$T/$kind.once" &&
		run "dedupe/twice-$kind" 0 "$DD" "$T/$kind.once" &&
		same "dedupe/twice-$kind" "$T/out" "$T/$kind.once"
done
# --mark keeps every text as it was.
run dedupe/mark-archive 0 "$DD" --mark "$T/archive.jsonl" &&
	"$PT" --to text "$T/out" >"$T/marked.txt" && "$PT" --to text "$T/archive.jsonl" >"$T/orig.txt" &&
	same dedupe/mark-archive "$T/marked.txt" "$T/orig.txt"

# ---- records without text ----

printf '%s\n' '{"id":1}' '{"text":""}' '{"text":null}' '{"text":"Share"}' >"$T/odd.jsonl"
printf '%s\n' '{"id":1}' '{"text":""}' '{"text":null}' '{"text":""}' >"$T/odd.want"
run dedupe/odd-records 0 "$DD" --stats "$T/odd.jsonl" && same dedupe/odd-records "$T/out" "$T/odd.want"
if [ "$(stat records_without_text)" = 2 ] && [ "$(stat records_emptied)" = 1 ]; then
	pass dedupe/odd-records-stats
else
	fail dedupe/odd-records-stats "$(tail -n 1 "$T/err")"
fi

# Bytes that are not UTF-8 (CESU-8 surrogates, Latin-1) become U+FFFD, as
# everywhere in winnow; the record is judged and written, valid UTF-8.
printf '{"text":"Story of a caf\351 owner, told by the people of the town.\\nShare"}\n' >"$T/latin1.in"
printf '{"text":"word \355\240\200 word, and more words after them here."}\n' >>"$T/latin1.in"
printf '{"text":"Story of a caf\357\277\275 owner, told by the people of the town."}\n' >"$T/latin1.want"
printf '{"text":"word \357\277\275\357\277\275\357\277\275 word, and more words after them here."}\n' >>"$T/latin1.want"
run dedupe/bad-utf8 0 "$DD" "$T/latin1.in" && same dedupe/bad-utf8 "$T/out" "$T/latin1.want"

# A 64 MiB text and a line of 1 MB without a space: written, whole.
awk 'BEGIN {
	printf "{\"text\":\""
	for (i = 0; i < 1000000; i++) printf "x"
	printf "\"}\n{\"id\":2,\"text\":\""
	for (i = 0; i < 800000; i++)
		printf "Paragraph %d of a long article about the harbour and the town, said the mayor.\\n", i
	printf "The end.\"}\n"
}' >"$T/huge.jsonl"
run dedupe/huge 0 "$DD" --stats "$T/huge.jsonl" && same dedupe/huge "$T/out" "$T/huge.jsonl"

# ---- rules files ----

printf 'shout\tdrop-line\t^[A-Z ]+!$\n# a comment\n\nsig\tcut-span\t -- sent from my \\w+$\n' >"$T/my.rules"
printf '%s\n' '{"text":"Title\nBUY NOW!\nA paragraph of the story. -- sent from my phone"}' >"$T/r.in"
printf '%s\n' '{"text":"Title\nA paragraph of the story."}' >"$T/r.want"
run dedupe/rules-file 0 "$DD" --rules "$T/my.rules" "$T/r.in" && same dedupe/rules-file "$T/out" "$T/r.want"
# Errors name the file, the line and the column, and end with status 2.
# Each line below: a check name, the rules file (printf format), and the
# message it must give.
while IFS='|' read -r rname rfile rmsg; do
	# shellcheck disable=SC2059
	printf "$rfile" >"$T/$rname.rules"
	run "dedupe/rules-$rname" 2 "$DD" --rules "$T/$rname.rules" "$T/r.in" &&
		has "dedupe/rules-$rname" "$T/err" "$rname.rules:$rmsg"
done <<'EOF'
bad-pattern|ok\tdrop-line\t^x$\nbad\tdrop-line\tab(c\n|2:19: bad pattern: missing closing parenthesis
bad-action|x\tkeep-line\t^x$\n|1:3: unknown action 'keep-line' (drop-line, cut-span, drop-block or keep)
bad-name|x y\tdrop-line\t^x$\n|1:1: a rule name is letters, digits and '-'
two-fields|x\tdrop-line\n|1: want NAME, ACTION and PATTERN separated by tabs
duplicate|menu-words\tdrop-line\t^x$\n|1:1: rule 'menu-words' is already defined at
end-keep|x\tkeep+end\t^x$\n|1:7: only drop-line and drop-block take +end
end-unknown|x\tdrop-lines+end\t^x$\n|1:3: unknown action 'drop-lines'
EOF
run dedupe/rules-missing 2 "$DD" --rules "$T/nope.rules" "$T/r.in" &&
	has dedupe/rules-missing "$T/err" "nope.rules: cannot open: No such file or directory"
# A pattern that backtracks without end gives up on that line: reported
# once, counted, and the record still comes out.
printf 'slow\tdrop-line\t^(a+)+$\n' >"$T/slow.rules"
awk 'BEGIN { s = ""; for (i = 0; i < 60; i++) s = s "a"; for (k = 0; k < 3; k++) printf "{\"text\":\"%sb\"}\n", s }' >"$T/slow.in"
run dedupe/rules-give-up 0 "$DD" --stats --rules "$T/slow.rules" "$T/slow.in" &&
	same dedupe/rules-give-up "$T/out" "$T/slow.in" &&
	if [ "$(grep -c 'rule slow gave up' "$T/err")" = 1 ] && [ "$(stat rule_errors)" = 3 ]; then
		pass dedupe/rules-give-up-reported
	else
		fail dedupe/rules-give-up-reported "$(head -c 300 "$T/err")"
	fi
# The shipped rules are left out with --no-rules.
printf '%s\n' '{"text":"Story.\nShare"}' >"$T/share.in"
run dedupe/no-rules 0 "$DD" --no-rules "$T/share.in" && same dedupe/no-rules "$T/out" "$T/share.in"
# Each shipped rule takes a line it is for and leaves an article sentence
# that looks like it (a rule listed again is tested again as NAME-2,
# NAME-3, ...).
seen=" "
while IFS='	' read -r rule take leave; do
	# shellcheck disable=SC2086
	times=$(printf '%s\n' $seen | grep -cx -- "$rule")
	test_id=$rule
	[ "$times" -gt 0 ] && test_id=$rule-$((times + 1))
	seen="$seen$rule "
	printf '{"text":"%s"}\n' "$take" >"$T/take.in"
	printf '{"text":"%s"}\n' "$leave" >"$T/leave.in"
	run "dedupe/rule-$test_id-takes" 0 "$DD" --mark --no-site --no-repeats "$T/take.in" &&
		has "dedupe/rule-$test_id-takes" "$T/out" "\"why\":\"rule:$rule\""
	run "dedupe/rule-$test_id-leaves" 0 "$DD" --no-site --no-repeats "$T/leave.in" &&
		same "dedupe/rule-$test_id-leaves" "$T/out" "$T/leave.in"
done <<'EOF'
menu-words	Listen Save Translate Close Comments Download Facebook Copy link Email Newsletter Print Share Twitter LinkedIn Search	Share prices fell sharply on Monday.
bare-label	Published on:	Published on Monday, the report found no fault.
bare-label	Comments (112)	Comments (from readers) were mostly kind.
section-bar	Monde | Marchés | Politique | Sciences | Dépêches	Team | P | W | D | L | Pts
related-list	More in Harbour News	More in the harbour than in town, the survey found.
related-list	More Tidewater Ledger	More Tidewater Ledger readers now pay online than by post.
related-list	Around the web	Around the web of alleys lie the old warehouses.
read-more	Read more: Ferry timetable cut for winter	Read more widely, the minister told teachers.
newsletter	Get our weekly briefing on the energy transition. Subscribe now	Get the facts right, the editor said.
subscribe-now	Already a subscriber? Log in	Supporters say the subscription model works.
newsletter-pitch	Want more harbour news? Sign up for our weekly newsletter.	Sign up for our course, the sailing club told new members.
newsletter-pitch	The news of the coast, delivered straight to your inbox.	The letter was delivered to the wrong house, she said.
comments-note	Comments are moderated, please read our community rules before posting.	Comments from residents were mostly positive.
comments-note	34 responses to “Ferry fares frozen until February”	34 responses to the survey came from islanders.
comments-note	Leave a Reply Cancel reply	Leave a reply on the form by Friday, the council asked.
comments-note	[ 167 comments ]	[Comments from readers are printed on Saturdays.]
tag-line	Filed under: Energy , Norway	Tags on the cattle were checked twice.
partnership	This story was produced in partnership with the Nordic Energy Desk.	This story has been told many times in the valley.
cookies	We use cookies to give you the best experience on our website.	The bakery uses cookies from a recipe of 1920.
copyright	© 2026 Daily Harbor. All rights reserved.	Copyright law was changed in 2019 after a long campaign.
photo-credit	Photo: Jane Doe/Harbor Press	The photo was taken by a neighbour from her window.
caption-rights	A market in Almaty. Photo: J. Doe / Flickr. Some rights reserved. Later that year, it closed.	All rights reserved for residents, the sign said.
caption-credit	Turbines at sea. Photo: Sara Lund/Meridian Wire. The operator said output rose.	The image of the town has suffered, she said.
read-more	Also on the Courier: Council tax could rise by 4.99% as county faces £11m gap	Also on Monday, the council met the ferry operator.
credit-after	The operator said output would fall in December, when calmer weather is forecast for most of the month across the whole of the northern coast.Photo: Meridian Wire. Prices will not change.	The photo agency said it had no comment.
EOF

# ---- headings said again ----

# A question put to each guest, each time before an answer, stays every
# time; said a third time before a short line, it is a copy again and
# goes after its first.
A1="I started by cooking for friends and then for the neighbours, who kept asking for more every week."
A2="My grandmother taught me, and every recipe on the page is one she wrote down in her old notebook."
A3="Our readers want dinners that take half an hour at most, so most recipes are quick ones for weeknights."
printf '{"text":"What made you start the page?\\n%s\\nWhat made you start the page?\\n%s\\nWhat made you start the page?\\n%s"}\n' "$A1" "$A2" "$A3" >"$T/heading.in"
run dedupe/heading-said-again 0 "$DD" "$T/heading.in" && same dedupe/heading-said-again "$T/out" "$T/heading.in"
printf '{"text":"What made you start the page?\\n%s\\nWhat made you start the page?\\n%s\\nWhat made you start the page?\\nThanks"}\n' "$A1" "$A2" >"$T/copy.in"
printf '{"text":"What made you start the page?\\n%s\\n%s\\nThanks"}\n' "$A1" "$A2" >"$T/copy.want"
run dedupe/copy-said-again 0 "$DD" "$T/copy.in" && same dedupe/copy-said-again "$T/out" "$T/copy.want"

# ---- menus ----

# Above the body and below it, runs of three short lines or more go
# (World ... Culture; Contact us ... Advertise); the short title nearest
# the body, the byline (a keep rule), the list inside the article and the
# table of results after the body stay.  A run of two (Letters, Puzzles) is
# no menu.  --mark names each line taken.
P1="The council met on Tuesday and voted to build a new car park near the harbour after a long debate."
P2="Residents said that the levy was too high and that the money should go to the ferry service instead."
printf '{"text":"World\\nBusiness\\nSport\\nCulture\\nHarbour car park\\nBy Ann Lee\\n%s\\nWhat was agreed\\nA new car park\\nA lower levy\\nMore ferries\\n%s\\nHarbour 2 Quay 1\\n\\nContact us\\nJobs\\nTerms of use\\nAdvertise"}\n' "$P1" "$P2" >"$T/menu.in"
printf '{"text":"%s\\n%s\\nLetters\\nPuzzles"}\n' "$P1" "$P2" >>"$T/menu.in"
{
	printf '{"text":"Harbour car park\\nBy Ann Lee\\n%s\\nWhat was agreed\\nA new car park\\nA lower levy\\nMore ferries\\n%s\\nHarbour 2 Quay 1"}\n' "$P1" "$P2"
	printf '{"text":"%s\\n%s\\nLetters\\nPuzzles"}\n' "$P1" "$P2"
} >"$T/menu.want"
run dedupe/menus 0 "$DD" "$T/menu.in" && same dedupe/menus "$T/out" "$T/menu.want"
run dedupe/menus-mark 0 "$DD" --mark "$T/menu.in" &&
	has dedupe/menus-mark "$T/out" '"boilerplate":[{"line":1,"why":"menu"},{"line":2,"why":"menu"},{"line":3,"why":"menu"},{"line":4,"why":"menu"},{"line":15,"why":"menu"},{"line":16,"why":"menu"},{"line":17,"why":"menu"},{"line":18,"why":"menu"}]'
run dedupe/no-menus 0 "$DD" --no-menus "$T/menu.in" && same dedupe/no-menus "$T/out" "$T/menu.in"
# The tail: a line of a rule whose action ends in +end, under three body
# paragraphs, ends the article; the teaser after it goes, headline and
# lead, unless --no-tail.
P3="The harbour master said the work on the car park would not close the quay to fishing boats at any time."
TEASER='Ferry strike called off\nThe ferry crews called off next week'"'"'s strike after the operator agreed to talks on their rota and pay.'
printf 'elsewhere\tdrop-line+end\t^Elsewhere on the site$\n' >"$T/end.rules"
printf '{"text":"%s\\n%s\\n%s\\nElsewhere on the site\\n%s"}\n' "$P1" "$P2" "$P3" "$TEASER" >"$T/tail.in"
printf '{"text":"%s\\n%s\\n%s"}\n' "$P1" "$P2" "$P3" >"$T/tail.want"
printf '{"text":"%s\\n%s\\n%s\\n%s"}\n' "$P1" "$P2" "$P3" "$TEASER" >"$T/no-tail.want"
run dedupe/tail-user-rule 0 "$DD" --rules "$T/end.rules" "$T/tail.in" &&
	same dedupe/tail-user-rule "$T/out" "$T/tail.want"
run dedupe/tail-mark 0 "$DD" --mark --rules "$T/end.rules" "$T/tail.in" &&
	has dedupe/tail-mark "$T/out" '"boilerplate":[{"line":4,"why":"rule:elsewhere"},{"line":5,"why":"tail"},{"line":6,"why":"tail"}]'
run dedupe/no-tail 0 "$DD" --no-tail --rules "$T/end.rules" "$T/tail.in" &&
	same dedupe/no-tail "$T/out" "$T/no-tail.want"
# A blog's categories, each with its count of posts in brackets, are a
# menu; a line of results is not (above).
printf '{"text":"%s\\n%s\\nElections (27)\\nHarbour (3)\\nWeather (12)"}\n' "$P1" "$P2" >"$T/counts.in"
printf '{"text":"%s\\n%s"}\n' "$P1" "$P2" >"$T/counts.want"
run dedupe/menu-counts 0 "$DD" "$T/counts.in" && same dedupe/menu-counts "$T/out" "$T/counts.want"
# A record without a body paragraph is left alone.
printf '{"text":"World\\nBusiness\\nSport\\nCulture\\nWeather"}\n' >"$T/menu-only.in"
run dedupe/menus-no-body 0 "$DD" "$T/menu-only.in" && same dedupe/menus-no-body "$T/out" "$T/menu-only.in"

# ---- options ----

run dedupe/window-0 2 "$DD" --window 0 "$T/r.in" &&
	has dedupe/window-0 "$T/err" "--window: '0' is not a number of records from 1"
run dedupe/min-docs-1 2 "$DD" --min-docs 1 "$T/r.in" &&
	has dedupe/min-docs-1 "$T/err" "--min-docs: '1' is not a number of records from 2"
run dedupe/group-empty 2 "$DD" --group= "$T/r.in" &&
	has dedupe/group-empty "$T/err" "--group: the field name is empty"
# --group: the site is the field; two records of site "a" share a line, one of "b".
{
	printf '%s\n' '{"g":"a","text":"Line A\nFooter of a"}' '{"g":"a","text":"Line B\nFooter of a"}'
	printf '%s\n' '{"g":"b","text":"Line C\nFooter of a"}'
} >"$T/g.in"
{
	printf '%s\n' '{"g":"a","text":"Line A"}' '{"g":"a","text":"Line B"}'
	printf '%s\n' '{"g":"b","text":"Line C\nFooter of a"}'
} >"$T/g.want"
run dedupe/group 0 "$DD" --group g --min-docs 2 "$T/g.in" && same dedupe/group "$T/out" "$T/g.want"
# The same article read twice (the same url) counts once.
{
	printf '%s\n' '{"url":"https://x.test/1","text":"Story one\nA line"}'
	printf '%s\n' '{"url":"https://x.test/1","text":"Story one\nA line"}'
} >"$T/same.in"
run dedupe/same-article 0 "$DD" --min-docs 2 "$T/same.in" && same dedupe/same-article "$T/out" "$T/same.in"
# ---- state across runs ----

# Two nights of one site: with --state, the second night knows the
# furniture from its first record even with a window of one record (the
# nav bar, without the rules, which take it anywhere).
zcat "$A"/news-2026-11-18.jsonl.gz | "$N" >"$T/night1.jsonl" 2>/dev/null
zcat "$A"/news-2026-11-19.jsonl.gz | "$N" >"$T/night2.jsonl" 2>/dev/null
rm -f "$T/s.state"
run dedupe/state-night1 0 "$DD" --window 1 --state "$T/s.state" "$T/night1.jsonl" &&
	if [ -s "$T/s.state" ] && [ "$(head -c 8 "$T/s.state")" = WNDDSTAT ]; then
		pass dedupe/state-written
	else
		fail dedupe/state-written "no state file"
	fi
run dedupe/state-night2 0 "$DD" --no-rules --window 1 --state "$T/s.state" "$T/night2.jsonl" &&
	if head -n 1 "$T/out" | grep -qF 'Home | Politics'; then
		fail dedupe/state-known-at-once "the first record kept its nav bar"
	else
		pass dedupe/state-known-at-once
	fi
run dedupe/no-state-night2 0 "$DD" --no-rules --window 1 "$T/night2.jsonl" &&
	has dedupe/no-state-first-record-keeps "$T/out" 'Home | Politics'
# Bad state files: a clear message, status 2, never a crash.
printf 'not a state file at all' >"$T/bad.state"
run dedupe/state-foreign 2 "$DD" --state "$T/bad.state" "$T/r.in" &&
	has dedupe/state-foreign "$T/err" "bad.state: not a winnow dedupe-boilerplate state file"
head -c 40 "$T/s.state" >"$T/trunc.state"
run dedupe/state-truncated 2 "$DD" --state "$T/trunc.state" "$T/r.in" &&
	has dedupe/state-truncated "$T/err" "trunc.state: truncated"
{ printf 'WNDDSTAT\011\000\000\000'; tail -c +13 "$T/s.state"; } >"$T/newer.state"
run dedupe/state-newer 2 "$DD" --state "$T/newer.state" "$T/r.in" &&
	has dedupe/state-newer "$T/err" "newer.state: version 9 is newer than this program reads (2)"
cp "$T/s.state" "$T/flip.state"
printf 'X' | dd of="$T/flip.state" bs=1 seek=60 conv=notrunc 2>/dev/null
run dedupe/state-corrupt 2 "$DD" --state "$T/flip.state" "$T/r.in" &&
	has dedupe/state-corrupt "$T/err" "flip.state: corrupt"
# A count table is not a state file.
run dedupe/count-only 0 "$DD" --count-only -o "$T/all.table" "$T/archive.jsonl" &&
	if [ ! -s "$T/out" ] && [ "$(head -c 8 "$T/all.table")" = WNDDTABL ]; then
		pass dedupe/count-only-writes-table
	else
		fail dedupe/count-only-writes-table "$(head -c 100 "$T/out")"
	fi
# --count-only writes no record, not even an empty zstd frame, and needs
# no standard output.
run dedupe/count-only-zstd 0 sh -c 'exec "$1" --count-only --zstd -o "$2" "$3" >&-' sh "$DD" \
    "$T/z.table" "$T/archive.jsonl" &&
	if [ "$(head -c 8 "$T/z.table")" = WNDDTABL ]; then
		pass dedupe/count-only-zstd-table
	else
		fail dedupe/count-only-zstd-table "$(head -c 20 "$T/z.table" | od -c | head -2)"
	fi
run dedupe/state-is-not-table 2 "$DD" --state "$T/all.table" "$T/r.in" &&
	has dedupe/state-is-not-table "$T/err" "not a winnow dedupe-boilerplate state file"
# Two runs saving one state file at once: the later replaces it whole; the
# file is a valid state either way.
"$DD" --state "$T/race.state" "$T/archive.jsonl" >/dev/null 2>&1 &
"$DD" --state "$T/race.state" "$T/archive.jsonl" >/dev/null 2>&1
wait
run dedupe/state-race 0 "$DD" --state "$T/race.state" "$T/r.in"
# A state file or table that cannot be written is known before the work
# is done: status 2 and no record out.
run dedupe/state-no-folder 2 "$DD" --state "$T/nowhere/s.state" "$T/r.in" &&
	same dedupe/state-no-folder-nothing-out "$T/out" /dev/null &&
	has dedupe/state-no-folder-message "$T/err" "nowhere/s.state: cannot create: No such file or directory"
run dedupe/table-no-folder 2 "$DD" --count-only -o "$T/nowhere/t.table" "$T/r.in" &&
	has dedupe/table-no-folder-message "$T/err" "nowhere/t.table: cannot create"
# Ageing: with --state-max-age 1 a line not seen in the last run goes.
rm -f "$T/age.state"
printf '%s\n' '{"url":"https://a.test/1","text":"Old footer of site a\nStory one"}' >"$T/age1.in"
printf '%s\n' '{"url":"https://a.test/2","text":"Story two"}' >"$T/age2.in"
printf '%s\n' '{"url":"https://a.test/3","text":"Old footer of site a\nStory three"}' >"$T/age3.in"
"$DD" --min-docs 2 --state "$T/age.state" "$T/age1.in" >/dev/null 2>&1
"$DD" --min-docs 2 --state "$T/age.state" --state-max-age 1 "$T/age2.in" >/dev/null 2>&1
run dedupe/state-aged 0 "$DD" --min-docs 2 --state "$T/age.state" "$T/age3.in" &&
	same dedupe/state-aged "$T/out" "$T/age3.in"
rm -f "$T/age.state"
"$DD" --min-docs 2 --state "$T/age.state" "$T/age1.in" >/dev/null 2>&1
"$DD" --min-docs 2 --state "$T/age.state" "$T/age2.in" >/dev/null 2>&1
printf '%s\n' '{"url":"https://a.test/3","text":"Story three"}' >"$T/age3.want"
run dedupe/state-kept 0 "$DD" --min-docs 2 --state "$T/age.state" "$T/age3.in" &&
	same dedupe/state-kept "$T/out" "$T/age3.want"

# ---- shards ----

# Count each shard, add the tables up, judge each shard by the sum: the
# same output as one pass over the whole input with a window that holds
# it all.
head -n 35 "$T/archive.jsonl" >"$T/shard1.jsonl"
tail -n +36 "$T/archive.jsonl" >"$T/shard2.jsonl"
run dedupe/shard-count-1 0 "$DD" --count-only -o "$T/s1.table" "$T/shard1.jsonl"
run dedupe/shard-count-2 0 "$DD" --count-only -o "$T/s2.table" "$T/shard2.jsonl"
run dedupe/shard-merge 0 "$DD" --merge -o "$T/sum.table" "$T/s1.table" "$T/s2.table"
"$DD" --table "$T/sum.table" "$T/shard1.jsonl" >"$T/sharded.jsonl" 2>"$T/err1" &&
	"$DD" --table "$T/sum.table" "$T/shard2.jsonl" >>"$T/sharded.jsonl" 2>>"$T/err1"
run dedupe/one-pass 0 "$DD" --window 100000 "$T/archive.jsonl" &&
	same dedupe/shards-equal-one-pass "$T/sharded.jsonl" "$T/out"
cp "$T/out" "$T/one-pass.jsonl"
if cmp -s "$T/sum.table" "$T/all.table"; then
	pass dedupe/merged-table-equals-whole
else
	fail dedupe/merged-table-equals-whole "the sum of the shards' tables differs from the whole's"
fi
# The archive's re-fetched articles (lines 1 and 18, 19 and 33) split
# between the shards: each counts once all the same.
head -n 25 "$T/archive.jsonl" >"$T/shard1.jsonl"
tail -n +26 "$T/archive.jsonl" >"$T/shard2.jsonl"
"$DD" --count-only -o "$T/s1.table" "$T/shard1.jsonl" 2>"$T/err1" &&
	"$DD" --count-only -o "$T/s2.table" "$T/shard2.jsonl" 2>>"$T/err1" &&
	"$DD" --merge -o "$T/sum.table" "$T/s1.table" "$T/s2.table" 2>>"$T/err1" &&
	"$DD" --table "$T/sum.table" "$T/shard1.jsonl" >"$T/sharded.jsonl" 2>>"$T/err1" &&
	"$DD" --table "$T/sum.table" "$T/shard2.jsonl" >>"$T/sharded.jsonl" 2>>"$T/err1"
same dedupe/refetched-across-shards "$T/sharded.jsonl" "$T/one-pass.jsonl"

# One article republished (the same url) in three nightly dumps, each
# counted on its own and judged by the sum: its lines are in one record,
# not three, and stay; the line every record of the site has goes.
night() {
	printf '{"url":"https://harbour.test/news/ferry","text":"Ferry timetable to change in March\\nThe ferry to Skye will run twice a day from March, the council said.\\nTide tables and harbour notices for the week ahead"}\n'
	printf '{"url":"https://harbour.test/news/%s","text":"%s\\nTide tables and harbour notices for the week ahead"}\n' "$1" "$2"
}
night quay 'Work on the north quay ends a month early, the harbour board says.' >"$T/night1.jsonl"
night lifeboat 'The lifeboat crew was called out four times over the weekend.' >"$T/night2.jsonl"
night regatta 'The summer regatta moves to the second week of August this year.' >"$T/night3.jsonl"
for n in 1 2 3; do
	"$DD" --count-only -o "$T/night$n.table" "$T/night$n.jsonl" 2>"$T/err1" || break
done
"$DD" --merge -o "$T/nights.table" "$T/night1.table" "$T/night2.table" "$T/night3.table" 2>"$T/err1"
cat >"$T/night3.want" <<'EOF'
{"url":"https://harbour.test/news/ferry","text":"Ferry timetable to change in March\nThe ferry to Skye will run twice a day from March, the council said."}
{"url":"https://harbour.test/news/regatta","text":"The summer regatta moves to the second week of August this year."}
EOF
run dedupe/republished-counts-once 0 "$DD" --table "$T/nights.table" "$T/night3.jsonl" &&
	same dedupe/republished-counts-once "$T/out" "$T/night3.want"
run dedupe/merge-no-output 2 "$DD" --merge "$T/s1.table" &&
	has dedupe/merge-no-output "$T/err" "--merge writes a table: name it with -o"
run dedupe/merge-bad-table 2 "$DD" --merge -o "$T/x.table" "$T/s.state" &&
	has dedupe/merge-bad-table "$T/err" "s.state: not a winnow dedupe-boilerplate count table file"
run dedupe/table-and-state 2 "$DD" --table "$T/sum.table" --state "$T/s.state" "$T/r.in"

# --merge keeps the sum under --state-max-mb, as a state is kept: 1 MB
# holds 21,845 entries of 48 bytes (24 and as much again free), a table
# file of 32 + 16 + 24 bytes each.
"$(pwd)/$BIN/gencorpus" -m 8 >"$T/gc.jsonl"
"$DD" --count-only -o "$T/gc.table" "$T/gc.jsonl" 2>"$T/err1"
run dedupe/merge-capped 0 "$DD" --merge --state-max-mb 1 -o "$T/capped.table" "$T/gc.table" && {
	big=$(wc -c <"$T/gc.table") small=$(wc -c <"$T/capped.table")
	if [ "$big" -gt $((48 + 21845 * 24)) ] && [ "$small" -le $((48 + 21845 * 24)) ]; then
		pass dedupe/merge-capped-size
	else
		fail dedupe/merge-capped-size "$big bytes merged into $small"
	fi
}
exit 0
