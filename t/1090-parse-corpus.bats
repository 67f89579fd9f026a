#!/usr/bin/env bats
# asl-parse against what others judged (../shared, skipped without it):
# the 112 definitions of asl-validator's test suite, the validation cases
# AWS answered, and every definition AWS accepted in the other areas of
# the conformance corpus (those must all pass: a check against being
# stricter than AWS).

load lib/common

setup_file() {
	if [ ! -d "$SHARED/corpus-validator" ] || [ ! -d "$SHARED/conformance/cases" ]; then
		skip "../shared is not here"
	fi
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
	local d type status want got bad=0 n=0
	for d in "$SHARED"/conformance/cases/validation/*/; do
		n=$((n + 1))
		status=$(jq -r .status "$d/expected.json")
		type=$(jq -r '.type // "STANDARD"' "$d/request.json" 2>/dev/null ||
		    jq -r '.state_machine_type // "STANDARD"' "$d/expected.json")
		got=$(asl-parse --diagnostics --json --type "${type%% *}" \
		    "$d/definition.json" 2>/dev/null || true)
		case $status in
		CREATE_STATE_MACHINE_REJECTED)
			want=FAIL
			[ "$(jq -r .result <<<"$got")" = FAIL ] && continue
			;;
		VALIDATE_*)
			want=$(jq -c '[(if .status == "VALIDATE_OK" then "OK" else "FAIL" end),
			    ([.diagnostics[] | [.code, .location]] | sort)]' "$d/expected.json")
			got=$(jq -c '[.result, ([.diagnostics[] | [.code, .location]] | sort)]' <<<"$got")
			[ "$want" = "$got" ] && continue
			;;
		esac
		echo "${d%/}: expected $want, got $got"
		bad=$((bad + 1))
	done
	[ "$n" -eq 87 ]
	[ "$bad" -eq 0 ]
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
