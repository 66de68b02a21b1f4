# --progress: a one-line display on stderr, only when asked or on a terminal.
. tests/lib.sh
P=$BIN/passthrough

i=0
while [ $i -lt 2000 ]; do
	echo '{"id":'$i',"text":"a record of some length to count"}'
	i=$((i + 1))
done >"$T/in.jsonl"
gzip -c "$T/in.jsonl" >"$T/in.jsonl.gz"

# stderr is a file here, not a terminal: auto shows nothing.
run progress/auto-not-a-terminal 0 "$P" --progress "$T/in.jsonl" &&
	if [ -s "$T/err" ]; then
		fail progress/auto-not-a-terminal "wrote to a non-terminal: $(head -c 200 "$T/err")"
	else
		pass progress/auto-not-a-terminal
	fi

# always: the final line counts every record and reaches 100% of a known size.
for f in in.jsonl in.jsonl.gz; do
	run "progress/always-$f" 0 "$P" --progress=always "$T/$f" &&
		if tr '\r' '\n' <"$T/err" | tail -1 | grep -qE '^passthrough: 2000 records, [0-9.]+ MB, [0-9.]+ MB/s, 100%$'; then
			pass "progress/always-$f"
		else
			fail "progress/always-$f" "last line: $(tr '\r' '\n' <"$T/err" | tail -1)"
		fi
	same "progress/always-$f-output" "$T/out" "$T/in.jsonl"
done

# From a pipe the size is unknown: no percentage.
run progress/pipe 0 sh -c "cat '$T/in.jsonl' | '$P' --progress=always" &&
	if tr '\r' '\n' <"$T/err" | tail -1 | grep -qE '^passthrough: 2000 records, [0-9.]+ MB, [0-9.]+ MB/s$'; then
		pass progress/pipe
	else
		fail progress/pipe "last line: $(tr '\r' '\n' <"$T/err" | tail -1)"
	fi

run progress/bad-value 2 "$P" --progress=sometimes "$T/in.jsonl" &&
	has progress/bad-value-message "$T/err" "--progress: 'sometimes' is not auto or always"
