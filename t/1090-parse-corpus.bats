#!/usr/bin/env bats
# asl-parse against what others judged (../shared, skipped without it):
# the 112 definitions of asl-validator's test suite, the validation cases
# AWS answered, and every definition AWS accepted in the other areas of
# the conformance corpus (those must all pass: a check against being
# stricter than AWS).

load lib/common

# (bats 1.8 fails a file whose setup_file skips: each test skips instead)
setup() {
	if [ ! -d "$SHARED/corpus-validator" ] || [ ! -d "$SHARED/conformance/cases" ]; then
		skip "no corpus at $SHARED (corpus-validator, conformance/cases)"
	fi
	cd "$BATS_TEST_TMPDIR" || return 1
}

# known NAME: whether NAME is a listed disagreement
known() {
	grep -q "^$1	" "$DATA/parse/corpus-disagreements.txt"
}

@test "asl-validator's valid definitions pass" {
	local f name bad=0 n=0
	for f in "$SHARED"/corpus-validator/valid/*; do
		name=${f##*/}
		n=$((n + 1))
		if asl-parse -q "$f" 2>err; then
			known "$name" && echo "# now agrees: $name" >&3
		elif ! known "$name"; then
			echo "rejected: $name"
			cat err
			bad=$((bad + 1))
		fi
	done
	[ "$n" -eq 62 ]
	[ "$bad" -eq 0 ]
}

@test "asl-validator's invalid definitions fail" {
	local f name bad=0 n=0
	for f in "$SHARED"/corpus-validator/invalid/*; do
		name=${f##*/}
		n=$((n + 1))
		if ! asl-parse -q "$f" 2>/dev/null; then
			known "$name" && echo "# now agrees: $name" >&3
		elif ! known "$name"; then
			echo "accepted: $name"
			bad=$((bad + 1))
		fi
	done
	[ "$n" -eq 50 ]
	[ "$bad" -eq 0 ]
}

@test "the validation area: AWS's verdicts, codes and locations" {
	local dir type smtype got st n=0
	local -A reqtype
	cd "$SHARED/conformance/cases/validation"
	# one jq for all the files (jq starts in 20 ms; asl-parse in 2): the
	# type a request names, else the one the recording names
	while IFS=$'\t' read -r dir type; do
		reqtype[$dir]=$type
	done < <(jq -r '[(input_filename | rtrimstr("/request.json")),
	    (.type // "STANDARD")] | @tsv' */request.json)
	# a line per case: where, what AWS answered (JSON text holds no raw
	# tab, and @tsv would double its backslashes), and asl-parse's answer
	# with its exit status
	while IFS=$'\t' read -r dir smtype want; do
		n=$((n + 1))
		type=${reqtype[$dir]:-$smtype}
		st=0
		got=$(asl-parse --diagnostics --json --type "${type%% *}" \
		    "$dir/definition.json" 2>/dev/null) || st=$?
		printf '{"dir":"%s","want":%s,"status":%d,"got":%s}\n' \
		    "$dir" "$want" "$st" "${got:-null}"
	done < <(jq -r '[(input_filename | rtrimstr("/expected.json")),
	    (.state_machine_type // "STANDARD"),
	    (if .status == "CREATE_STATE_MACHINE_REJECTED" then "FAIL"
	     elif .status | startswith("VALIDATE_") then
		[(if .status == "VALIDATE_OK" then "OK" else "FAIL" end),
		 ([.diagnostics[] | [.code, .location]] | sort)]
	     else "status \(.status)?" end | tojson)] | join("\t")' */expected.json) \
	    > "$BATS_TEST_TMPDIR/answers"
	[ "$n" -eq 87 ]
	# a rejected definition needs only FAIL; a validation, the same
	# codes at the same places; exit 0 exactly when the result is OK
	run -0 jq -r '
	    (if .want | type == "array" then
		[.got.result, ([.got.diagnostics[] | [.code, .location]] | sort)]
	     else .got.result end) as $got
	    | select($got != .want or (.status == 0) != (.got.result == "OK"))
	    | "\(.dir): expected \(.want | tojson), got \($got | tojson), exit \(.status)"' \
	    "$BATS_TEST_TMPDIR/answers"
	printf '%s\n' "$output"
	[ "$output" = "" ]
}

@test "every definition AWS accepted in the other areas passes" {
	local dir status type bad=0 n=0
	local -A single
	cd "$SHARED/conformance/cases"
	# one jq for all the files (jq starts in 20 ms; asl-parse in 2)
	while read -r dir; do
		single[$dir]=1
	done < <(jq -r 'select(has("Type") and (has("States") | not)) |
	    input_filename | rtrimstr("/definition.json")' \
	    $(ls -d */*/ | grep -v '^validation/' | sed 's|/$|/definition.json|'))
	while IFS=$'\t' read -r dir status type; do
		[ "$status" = CREATE_STATE_MACHINE_REJECTED ] && continue
		n=$((n + 1))
		# TestState takes a single state as its definition
		if ! asl-parse -q --json --type "$type" \
		    ${single[$dir]:+--state} "$dir/definition.json" 2>"$BATS_TEST_TMPDIR/err"; then
			echo "rejected: $dir"
			head -3 "$BATS_TEST_TMPDIR/err"
			bad=$((bad + 1))
		fi
	done < <(jq -r '[(input_filename | rtrimstr("/expected.json")), .status,
	    ((.state_machine_type // "STANDARD") | split(" ")[0])] | @tsv' \
	    $(ls -d */*/ | grep -v '^validation/' | sed 's|/$|/expected.json|'))
	echo "# $n accepted definitions checked" >&3
	[ "$n" -gt 800 ]
	[ "$bad" -eq 0 ]
}
