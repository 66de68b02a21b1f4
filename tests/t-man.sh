# Every filter's man page lists the options its --help lists, with the
# same argument names: the cli tables (filters/lib/cli.c and each
# filter's own) are the source of truth, and filters/NAME/NAME.1 must
# follow them.  The filters are those of FILTERS in the Makefile, so a
# new filter is checked as soon as it is built.
. tests/lib.sh

# Each option becomes one line: "-f --field=name", "--stats",
# "--progress[=when]"; argument names in lower case.

# from_help: the options in --help on standard input.
from_help() {
	awk '$1 ~ /^-/ {
		if ($1 ~ /^-[^-],$/)
			print substr($1, 1, 2) " " tolower($2)
		else
			print tolower($1)
	}' | sort
}

# from_man FILE: the options in the OPTIONS section of mdoc page FILE:
# ".It Fl f , Fl -field Ns = Ns Ar name", ".It Fl -progress Ns Op = Ns
# Ar when", or several ".It Fl -no-glue , Fl -no-spaces" on one line.
from_man() {
	awk '/^\.Sh / { inopt = $2 == "OPTIONS" }
	inopt && /^\.It Fl / {
		short = ""
		for (i = 2; i <= NF; i++) {
			if ($i != "Fl")
				continue
			arg = ""
			if ($(i + 2) == "Ns" && $(i + 3) == "=" && $(i + 4) == "Ns" && $(i + 5) == "Ar")
				arg = "=" $(i + 6)
			else if ($(i + 2) == "Ns" && $(i + 3) == "Op" && $(i + 4) == "=" &&
			    $(i + 5) == "Ns" && $(i + 6) == "Ar")
				arg = "[=" $(i + 7) "]"
			if ($(i + 1) ~ /^-/) {
				print (short != "" ? short " " : "") "-" $(i + 1) tolower(arg)
				short = ""
			} else {
				short = "-" $(i + 1)
			}
		}
		if (short != "")
			print short
	}' "$1" | sort
}

# agree NAME HELP MAN: the two lists must be equal and hold --help.
agree() {
	if ! grep -qx -- '-h --help' "$2" || ! grep -qx -- '-h --help' "$3"; then
		fail "$1" "no -h --help found (help: $(tr '\n' ' ' <"$2" | cut -c1-100); man: $(tr '\n' ' ' <"$3" | cut -c1-100))"
		return 1
	fi
	only_help=$(comm -23 "$2" "$3" | tr '\n' ';')
	only_man=$(comm -13 "$2" "$3" | tr '\n' ';')
	if [ -z "$only_help$only_man" ]; then
		pass "$1"
	else
		fail "$1" "in --help only: ${only_help:-none}; in the man page only: ${only_man:-none}"
		return 1
	fi
}

filters=$(sed -n 's/^FILTERS *= *//p; s/^SCRIPTS *= *//p' Makefile)
[ -n "$filters" ] || fail man/filters "no FILTERS in the Makefile"
for f in $filters; do
	page=filters/$f/$f.1
	if [ ! -f "$page" ]; then
		fail "man/$f" "no man page $page"
		continue
	fi
	run "man/$f-help" 0 "$BIN/$f" --help || continue
	from_help <"$T/out" >"$T/$f.help"
	from_man "$page" >"$T/$f.man"
	agree "man/$f-options" "$T/$f.help" "$T/$f.man"
	# groff's mdoc package warns about broken macros (-k: the page is UTF-8).
	if groff -k -mdoc -Tutf8 -ww -z "$page" >"$T/groff" 2>&1 && [ ! -s "$T/groff" ]; then
		pass "man/$f-groff"
	else
		fail "man/$f-groff" "$(head -c 300 "$T/groff" | tr '\n' '|')"
	fi
done

# Every count a filter's --stats prints past the common ones (records,
# bytes, time, memory) is named in its man page, as an argument of Cm.
# winnow-ingest reads a folder of article files, the others records.
printf '%s\n' '{"text":"A line of text."}' >"$T/one.jsonl"
mkdir -p "$T/articles"
printf 'A line of text.\n' >"$T/articles/one.txt"
for f in $filters; do
	grep -qx -- '--stats' "$T/$f.help" 2>/dev/null || continue
	input=$T/one.jsonl
	[ "$f" = winnow-ingest ] && input=$T/articles
	run "man/$f-stats" 0 "$BIN/$f" --stats "$input" || continue
	missing=
	for key in $(tail -n 1 "$T/err" | tr ',{}' '\n\n\n' | sed -n 's/^"\([a-z0-9_]*\)":.*/\1/p' |
	    sed '1,/^max_rss_kb$/d'); do
		grep -q "^\.Pq Cm .*\<$key\>\|^\.Cm $key\>" "filters/$f/$f.1" || missing="$missing $key"
	done
	if [ -z "$missing" ]; then
		pass "man/$f-stats"
	else
		fail "man/$f-stats" "not in the man page:$missing"
	fi
done

# The check can fail: a page with an option dropped and an argument
# renamed does not agree with normalize's --help.
sed -e '/^\.It Fl -casefold$/d' -e 's/^\.It Fl -form Ns = Ns Ar form$/.It Fl -form Ns = Ns Ar shape/' \
    filters/normalize/normalize.1 >"$T/broken.1"
from_man "$T/broken.1" >"$T/broken.man"
if agree man/self-test "$T/normalize.help" "$T/broken.man" >"$T/self" ||
    ! grep -qF 'in --help only: --casefold;--form=form;; in the man page only: --form=shape;' "$T/self"; then
	fail man/self-test "a broken page passed: $(cat "$T/self")"
else
	pass man/self-test
fi
