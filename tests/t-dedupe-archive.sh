#!/bin/sh
# dedupe-boilerplate over testdata/dedupe: five invented sites, three
# nights, against a gold made by construction (scripts/gen-dedupe-testdata;
# see testdata/dedupe/README).  The three nights go through normalize and
# dedupe-boilerplate in one pass, as one stream.
#
# gold/lines.tsv labels every line of every record: N (record, counted from
# 1 over the nights in order), SITE, KIND, MATCH (line or span) and TEXT as
# it reads after normalize, JSON-escaped.  Article kinds must all survive,
# whole and unchanged, in their record (a check per kind and site: none
# lost); furniture kinds must all be gone (a check per kind and site: none
# left; a span, a caption glued onto a paragraph, must not begin any line).
# Lines of the output that are neither article nor labelled furniture (a
# caption cut in half, say) are reported by dedupe-archive/no-fragments.
# A summary per site goes out as "# " lines.
. tests/lib.sh

DD=$(pwd)/$BIN/dedupe-boilerplate
N=$(pwd)/$BIN/normalize
PT=$(pwd)/$BIN/passthrough
G=$(pwd)/$D/dedupe
L=$G/gold/lines.tsv
NIGHTS="2026-11-21 2026-11-22 2026-11-23"

: >"$T/raw.jsonl"
: >"$T/gold.jsonl"
for n in $NIGHTS; do
	gzip -dc "$G/night-$n.jsonl.gz" >>"$T/raw.jsonl"
	cat "$G/gold/night-$n.jsonl" >>"$T/gold.jsonl"
done
nrec=$(wc -l <"$T/gold.jsonl" | tr -d ' ')

# textlines FILE: "N<TAB>LINE" for each line of the text of each record,
# JSON-escaped as passthrough --rewrite writes it (the texts hold no
# backslash but those of \" and \n).
textlines() {
	"$PT" --rewrite "$1" | sed -E 's/.*"text": ?"(([^"\\]|\\.)*)".*/\1/' |
		awk '{ n = split($0, a, /\\n/); for (i = 1; i <= n; i++) print NR "\t" a[i] }'
}

# notext FILE: the records with the text left out, for the other keys.
notext() {
	"$PT" --rewrite "$1" | sed -E 's/"text": ?"(([^"\\]|\\.)*)"/"text":""/'
}

stat() {
	tail -n 1 "$T/err" | sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p"
}

# ---- the test data itself ----

if run dedupe-archive/normalize 0 "$N" "$T/raw.jsonl"; then
	cp "$T/out" "$T/in.jsonl"
else
	exit 0
fi
# normalize leaves every article line of the gold as it is, so a line the
# filter keeps reads as in the gold.
run dedupe-archive/data-gold-normal 0 "$N" "$T/gold.jsonl" &&
	textlines "$T/out" >"$T/gn.lines" && textlines "$T/gold.jsonl" >"$T/gold.lines" &&
	same dedupe-archive/data-gold-normal "$T/gn.lines" "$T/gold.lines"
# Every labelled line is in its record of the input after normalize (else
# a "gone" check would pass for nothing), and the article lines are the gold.
textlines "$T/in.jsonl" >"$T/in.lines"
awk -F '\t' 'FNR == NR { have[$1 SUBSEP $2] = 1; nl[$1]++; ln[$1, nl[$1]] = $2; next }
	/^#/ { next }
	$4 == "span" { span = $5; next }
	$3 == "glued" && !(($1 SUBSEP span " " $5) in have) { print "record " $1 ": " $3 ": " $5; bad++ }
	$3 != "glued" && !(($1 SUBSEP $5) in have) { print "record " $1 ": " $3 ": " $5; bad++ }
	END { exit bad > 0 }' "$T/in.lines" "$L" >"$T/missing" &&
	pass dedupe-archive/data-labels-in-input ||
	fail dedupe-archive/data-labels-in-input "$(head -n 3 "$T/missing" | tr '\n' '|')"
awk -F '\t' '/^#/ { next } $3 ~ /^(title|standfirst|byline|date|heading|list|reply|body|brief-head|glued)$/ {
	print $1 "\t" $5 }' "$L" | sort >"$T/lab.lines"
sort "$T/gold.lines" >"$T/gold.sorted" && same dedupe-archive/data-gold-labels "$T/gold.sorted" "$T/lab.lines"

# ---- one pass over the three nights ----

run dedupe-archive/run 0 "$DD" --stats "$T/in.jsonl" || exit 0
cp "$T/out" "$T/once"
cp "$T/err" "$T/once.err"
if [ "$(stat records_in)" = "$nrec" ] && [ "$(stat records_out)" = "$nrec" ] &&
    [ "$(wc -l <"$T/once" | tr -d ' ')" = "$nrec" ]; then
	pass dedupe-archive/count
else
	fail dedupe-archive/count "in $(stat records_in), out $(stat records_out), want $nrec"
fi
if "$PT" --on-error=fail "$T/once" >/dev/null 2>"$T/pt.err" &&
    iconv -f UTF-8 -t UTF-8 "$T/once" >/dev/null 2>&1; then
	pass dedupe-archive/valid-json
else
	fail dedupe-archive/valid-json "$(head -c 200 "$T/pt.err")"
fi
run dedupe-archive/idempotent 0 "$DD" "$T/once" && same dedupe-archive/idempotent "$T/out" "$T/once"
# Every other key, and the order of the records, as in the gold.
notext "$T/once" >"$T/once.nt"
notext "$T/gold.jsonl" >"$T/gold.nt"
same dedupe-archive/other-keys "$T/once.nt" "$T/gold.nt"
textlines "$T/once" >"$T/out.lines"
same dedupe-archive/exact "$T/out.lines" "$T/gold.lines"

# ---- line by line, per kind and site ----
#
# Beyond the contract as the man page writes it today (kept as checks all
# the same, the brief asks for them):
#  - kept-byline, kept-date: a site's reporters and its date line ("22
#    November 2026", digits folded) repeat in 3 records or more, so the
#    site detector takes them as furniture; a line-level filter can keep
#    them only with a byline/date pattern or a place above the first
#    body paragraph, as it does for pull quotes.
#  - gone-caption-glued and gone-caption on lechodesdunes: French credits
#    ("Photo : ... Tous droits réservés.") are unique lines, seen by no
#    detector but a rule; the shipped rules are English.
awk -F '\t' -v out="$T/report" '
	FNR == NR { O[$1 SUBSEP $2]++; nl[$1]++; ln[$1, nl[$1]] = $2; next }
	/^#/ { next }
	{ n = $1; site = $2; kind = $3; text = $5; SITE[site] = 1
	  if (kind ~ /^(title|standfirst|byline|date|heading|list|reply|body|brief-head|glued)$/) {
		art[kind, site]++; AK[kind] = 1; G[n SUBSEP text]++
		if (G[n SUBSEP text] > O[n SUBSEP text]) {
			lost[kind, site]++
			if (!((kind, site) in ex)) ex[kind, site] = "record " n ": " text
		}
	  } else {
		fur[kind, site]++; FK[kind] = 1
		if ($4 == "span") {
			left = 0
			for (i = 1; i <= nl[n]; i++) if (index(ln[n, i], text) == 1) left = 1
		} else
			left = O[n SUBSEP text] > G[n SUBSEP text]
		if (left) {
			stay[kind, site]++
			if (!((kind, site) in ex)) ex[kind, site] = "record " n ": " text
		}
		F[n SUBSEP text] = 1
	  }
	}
	END {
		for (k in AK) for (s in SITE) if ((k, s) in art)
			print "kept\t" k "\t" s "\t" art[k, s] "\t" lost[k, s] + 0 "\t" ex[k, s] > out
		for (k in FK) for (s in SITE) if ((k, s) in fur)
			print "gone\t" k "\t" s "\t" fur[k, s] "\t" stay[k, s] + 0 "\t" ex[k, s] > out
		# lines of the output that are neither article nor furniture
		for (key in O) {
			split(key, p, SUBSEP)
			if (!(key in G) && !(key in F)) {
				site = ""
				print "frag\t" p[1] "\t" p[2] > out
			}
		}
	}' "$T/out.lines" "$L"

sort -t '	' -k1,1 -k2,2 -k3,3 "$T/report" >"$T/report.sorted"
while IFS='	' read -r what kind site total bad example; do
	case $what in
	kept)
		if [ "$bad" -eq 0 ]; then
			pass "dedupe-archive/kept-$kind-$site"
		else
			fail "dedupe-archive/kept-$kind-$site" "$bad of $total $kind lines lost, e.g. $example"
		fi ;;
	gone)
		if [ "$bad" -eq 0 ]; then
			pass "dedupe-archive/gone-$kind-$site"
		else
			fail "dedupe-archive/gone-$kind-$site" "$bad of $total $kind lines left, e.g. $example"
		fi ;;
	esac
done <"$T/report.sorted"

nfrag=$(grep -c '^frag' "$T/report.sorted")
if [ "$nfrag" -eq 0 ]; then
	pass dedupe-archive/no-fragments
else
	fail dedupe-archive/no-fragments "$nfrag lines neither article nor furniture, e.g. $(grep -m 3 '^frag' "$T/report.sorted" | cut -f2- | tr '\t\n' ' |')"
fi

# Summary per site and overall: article lines and lost, furniture lines and left.
awk -F '\t' '$1 == "kept" { a[$3] += $4; l[$3] += $5; A += $4; LL += $5 }
	$1 == "gone" { f[$3] += $4; s[$3] += $5; FF += $4; S += $5 }
	END {
		for (x in a) printf "# dedupe-archive: %s: %d article lines, %d lost; %d furniture lines, %d left\n", x, a[x], l[x], f[x], s[x] | "sort"
		close("sort")
		printf "# dedupe-archive: all: %d article lines, %d lost; %d furniture lines, %d left\n", A, LL, FF, S
	}' "$T/report.sorted"
awk -F '\t' '$1 == "kept" { a[$3] += $5 } $1 == "gone" { f[$3] += $5 }
	END { for (x in a) print x "\t" a[x] "\t" f[x] }' "$T/report.sorted" | sort >"$T/sites"
while IFS='	' read -r site lost left; do
	if [ "$lost" -eq 0 ]; then
		pass "dedupe-archive/kept-site-$site"
	else
		fail "dedupe-archive/kept-site-$site" "$lost article lines lost"
	fi
	if [ "$left" -eq 0 ]; then
		pass "dedupe-archive/gone-site-$site"
	else
		fail "dedupe-archive/gone-site-$site" "$left furniture lines left"
	fi
done <"$T/sites"
exit 0
