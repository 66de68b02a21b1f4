# make install puts each filter and its man page under DESTDIR/PREFIX.
. tests/lib.sh

san=
[ "$O" = build/san ] && san=SANITIZE=1
root=$T/root
if make -s install $san DESTDIR="$root" PREFIX=/usr/local >"$T/log" 2>&1; then
	pass install/make
else
	fail install/make "$(tail -c 300 "$T/log")"
fi
for f in normalize; do
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
# Nothing but programs and man pages: test tools stay out.
extra=$(cd "$root" && find . -type f | grep -v -e '^\./usr/local/bin/normalize$' \
    -e '^\./usr/local/share/man/man1/normalize\.1$' | tr '\n' ' ')
if [ -z "$extra" ]; then
	pass install/nothing-else
else
	fail install/nothing-else "also installed: $extra"
fi
