# tests/run itself: a script that dies half-way, or ends with a status
# other than 0, is a failure even when every check it reached passed.
. tests/lib.sh

# runner NAME STATUS BODY: tests/run on a script t-NAME.sh holding BODY
# must exit STATUS; its output is left in $T/out.
runner() {
	mkdir -p "$T/$1"
	printf '%s\n' "$3" >"$T/$1/t-$1.sh"
	run "run/$1" "$2" env O="$O" tests/run "$T/$1/t-$1.sh"
}

printf '2 passed, 0 failed\n' >"$T/want.clean"
runner clean 0 'echo "ok a"; echo "ok b"' &&
	same run/clean-output "$T/out" "$T/want.clean"

# (dash also says "Killed" in the output; other shells do not.)
runner killed 1 'echo "ok before"; kill -KILL $$; echo "ok after"' &&
	has run/killed-counted "$T/out" "FAIL t-killed.sh: exited with status 137" &&
	has run/killed-total "$T/out" "1 passed, 1 failed"

printf 'FAIL t-exits.sh: exited with status 3\n2 passed, 1 failed\n' >"$T/want.exits"
runner exits 1 'echo "ok a"; echo "ok b"; exit 3' &&
	same run/exits-output "$T/out" "$T/want.exits"

# A syntax error part way: the checks before it ran, the rest did not.
runner syntax 1 'echo "ok a"
fi
echo "ok b"' &&
	has run/syntax-counted "$T/out" "FAIL t-syntax.sh: exited with status 2" &&
	has run/syntax-total "$T/out" "1 passed, 1 failed"
