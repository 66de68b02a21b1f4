# make install puts each filter, its man page and its shipped data under
# DESTDIR/PREFIX, and nothing else; the installed programs find their data.
. tests/lib.sh

san=
[ "$O" = build/san ] && san=SANITIZE=1
root=$T/root
if make -s install $san DESTDIR="$root" PREFIX=/usr/local >"$T/log" 2>&1; then
	pass install/make
else
	fail install/make "$(tail -c 300 "$T/log")"
fi
filters=$(sed -n 's/^FILTERS = //p; s/^SCRIPTS = //p' Makefile)
for f in $filters; do
	if [ -x "$root/usr/local/bin/$f" ] && "$root/usr/local/bin/$f" --version >"$T/v" 2>&1 &&
	    grep -q "^$f (winnow)" "$T/v"; then
		pass "install/bin-$f"
	else
		fail "install/bin-$f" "not installed or does not run: $(head -c 200 "$T/v" 2>/dev/null)"
	fi
	if [ -f "$root/usr/local/share/man/man1/$f.1" ] &&
	    grep -q "^\.Sh EXIT STATUS" "$root/usr/local/share/man/man1/$f.1"; then
		pass "install/man-$f"
	else
		fail "install/man-$f" "no man page with an EXIT STATUS section"
	fi
done
# Exactly the programs, man pages and data files the Makefile names: test
# tools stay out.
make -s install-list | sed 's|^|./usr/local/|' | sort >"$T/want"
(cd "$root" && find . -type f | sort) >"$T/got"
if cmp -s "$T/want" "$T/got"; then
	pass install/exact-list
else
	fail install/exact-list "$(diff "$T/want" "$T/got" | tr '\n' ' ' | head -c 300)"
fi
# Every filter's list names at least its program and man page.
if [ "$(grep -c '^./usr/local/bin/' "$T/want")" -eq "$(echo $filters | wc -w)" ]; then
	pass install/list-has-filters
else
	fail install/list-has-filters "$(cat "$T/want" | tr '\n' ' ')"
fi
# An installed filter reads the data installed beside it.
if [ -x "$root/usr/local/bin/dedupe-boilerplate" ]; then
	printf '%s\n' '{"text":"Body of the story, long enough to stay.\nShare this article: Facebook Twitter Email"}' >"$T/in"
	printf '%s\n' '{"text":"Body of the story, long enough to stay."}' >"$T/want-dd"
	run install/dedupe-data 0 env WINNOW_DATA="$root/usr/local/share/winnow" \
	    "$root/usr/local/bin/dedupe-boilerplate" "$T/in" &&
		same install/dedupe-data "$T/out" "$T/want-dd"
	# Without WINNOW_DATA it finds the data at BIN/../share/winnow: the
	# programs were built for PREFIX=/usr/local (make's default) and
	# installed elsewhere, as by make install PREFIX=... after make.
	if [ ! -e /usr/local/share/winnow/dedupe-boilerplate/rules.txt ]; then
		run install/dedupe-data-beside 0 env -u WINNOW_DATA \
		    "$root/usr/local/bin/dedupe-boilerplate" "$T/in" &&
			same install/dedupe-data-beside "$T/out" "$T/want-dd"
	fi
fi
# A plain make where pkg-config finds none of the libraries stops before
# compiling, with status 2 and what to run.
if PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR="$T/no-pc" make -s O="$T/nolib" >"$T/log" 2>&1; then
	fail install/no-libraries "make went on: $(tail -c 200 "$T/log")"
elif [ -e "$T/nolib" ] || ! grep -q 'libraries missing.*run scripts/install-deps' "$T/log"; then
	fail install/no-libraries "$(tail -c 300 "$T/log")"
else
	pass install/no-libraries
fi
exit 0
