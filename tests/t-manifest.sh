# MANIFEST lists every file of a source release: each listed file exists,
# and no file of the tree is missing from it.
. tests/lib.sh

listed=$T/listed
grep -v '^[[:space:]]*#' MANIFEST | sed '/^[[:space:]]*$/d' | sort >"$listed"

missing=
while read -r f; do
	[ -f "$f" ] || missing="$missing $f"
done <"$listed"
if [ -z "$missing" ]; then
	pass manifest/listed-files-exist
else
	fail manifest/listed-files-exist "listed but absent:$missing"
fi

# The files of the tree: git's list in a checkout, else what is on disk.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files | sort >"$T/tree"
else
	find . -type f ! -path './build/*' | sed 's|^\./||' | sort >"$T/tree"
fi
absent=$(comm -23 "$T/tree" "$listed" | tr '\n' ' ')
if [ -z "$absent" ]; then
	pass manifest/complete
else
	fail manifest/complete "not in MANIFEST: $absent"
fi

sorted=$(grep -v '^#' MANIFEST | sed '/^$/d')
if [ "$sorted" = "$(printf '%s\n' "$sorted" | LC_ALL=C sort)" ]; then
	pass manifest/sorted
else
	fail manifest/sorted "MANIFEST is not in sorted order"
fi

# make dist builds a tarball of exactly those files.
if make -s dist >"$T/dist.out" 2>&1 && tar -tzf build/winnow-*.tar.gz | grep -v '/$' |
    sed 's|^winnow-[^/]*/||' | sort >"$T/tarred" && cmp -s "$T/tarred" "$listed"; then
	pass manifest/dist
else
	fail manifest/dist "make dist did not package exactly MANIFEST ($(head -c 200 "$T/dist.out"))"
fi
