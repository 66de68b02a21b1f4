# Every global symbol defined in the library carries its module's prefix
# (libdeflate checks the same with nm), so that a filter or a program
# linking the library never meets a clash.  The table below says which
# prefixes each object may use; a prefix ends in "_", anything else is
# an exact name.  A new module fails here until it gets a line.
. tests/lib.sh

cat >"$T/prefixes" <<'TABLE'
afile.o af_
bfile.o bf_
buf.o buf_
cli.o cli_
cpage.o cpage_
dfile.o df_
fmap.o fm_
json.o json_
legacy.o legacy_
msg.o msg_ xmalloc xcalloc xcalloc_table xrealloc xstrdup
rec.o rec_
rx.o rx_
shuffle.o shuffle_
tok.o tok_
uni.o uni_
utf8.o utf8_
zio.o zio_ zin_ zout_
zlines.o zl_
TABLE
# The one exception: msg.o's allocators keep the short names every C
# programmer knows (git's xmalloc), and the one for large tables is named
# after them.

# check_lib LIB: print one line per object that is not in the table and
# per symbol without an allowed prefix; 0 when there is none.
check_lib() {
	nm -A -g --defined-only "$1" >"$T/nm" 2>"$T/nm.err" || {
		echo "nm failed: $(head -c 200 "$T/nm.err")"
		return 1
	}
	# "lib.a:obj.o:0000000000000000 T name" (no address for some types).
	awk 'NR == FNR { allowed[$1] = $0; next }
	{
		n = split($1, p, ":"); obj = p[n - 1]; sym = $NF
		# AddressSanitizer adds an ODR indicator beside each global
		# variable: the name after it is ours.
		sub(/^__odr_asan[._]/, "", sym)
		if (!(obj in allowed)) {
			if (!(obj in told))
				print obj ": not in the prefix table of tests/t-symbols.sh: add a line \"" obj " PREFIX_\" for its module"
			told[obj] = 1
			next
		}
		k = split(allowed[obj], a, " "); ok = 0
		for (i = 2; i <= k; i++)
			if (a[i] ~ /_$/ ? index(sym, a[i]) == 1 : sym == a[i])
				ok = 1
		if (!ok)
			print obj ": " sym " lacks the prefix " substr(allowed[obj], length(obj) + 2)
	}' "$T/prefixes" "$T/nm" >"$T/bad"
	cat "$T/bad"
	[ ! -s "$T/bad" ]
}

if [ ! -f "$BIN/libwinnow.a" ]; then
	fail symbols "no $BIN/libwinnow.a (make tests)"
	exit 0
fi
if check_lib "$BIN/libwinnow.a" >"$T/out"; then
	n=$(grep -c . "$T/nm")
	if [ "$n" -gt 0 ]; then
		pass "symbols/prefixes ($n symbols)"
	else
		fail symbols/prefixes "nm listed no symbol"
	fi
else
	fail symbols/prefixes "$(tr '\n' ';' <"$T/out" | cut -c1-600)"
fi

# The check can fail: a library with a stray global in a known module and
# a module missing from the table.
mkdir -p "$T/fake"
printf 'int buf_ok(void) { return 0; }\nint helper(void) { return 1; }\n' >"$T/fake/buf.c"
printf 'int newmod_next(void) { return 0; }\n' >"$T/fake/newmod.c"
printf 'buf.o: helper lacks the prefix buf_\nnewmod.o: not in the prefix table of tests/t-symbols.sh: add a line "newmod.o PREFIX_" for its module\n' >"$T/fake/want"
if (cd "$T/fake" && ${CC:-cc} -c buf.c newmod.c && ar rcs libfake.a buf.o newmod.o) >"$T/fake/log" 2>&1; then
	if check_lib "$T/fake/libfake.a" >"$T/fake/got"; then
		fail symbols/self-test "a library with bad symbols passed"
	else
		same symbols/self-test "$T/fake/got" "$T/fake/want"
	fi
else
	fail symbols/self-test "could not build the fake library: $(head -c 200 "$T/fake/log")"
fi
