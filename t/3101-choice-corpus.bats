#!/usr/bin/env bats
# Choice rules against AWS: every recorded case of ../shared/conformance
# that starts with a JSONPath Choice state takes the branch AWS took (see
# t/choice-corpus).

load lib/common

# corpus_agrees MIN DIR...: every case agrees, and there are at least MIN.
corpus_agrees() {
	local min=$1
	shift
	run "$ASL_TOP/t/choice-corpus" "$@"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" =~ ^"choice corpus: "([0-9]+)" of "([0-9]+)" cases agree"$ ]]
	[ "${BASH_REMATCH[1]}" -ge "$min" ]
}

@test "choice corpus: AWS's branch in every choice_operators case" {
	[ -d "$SHARED/conformance/cases/choice_operators" ] ||
	    skip "no conformance corpus at $SHARED/conformance"
	corpus_agrees 356 "$SHARED/conformance/cases/choice_operators"
}

@test "choice corpus: AWS's branch in the other areas' Choice cases" {
	[ -d "$SHARED/conformance/cases" ] ||
	    skip "no conformance corpus at $SHARED/conformance"
	areas=()
	for a in "$SHARED"/conformance/cases/*/; do
		[[ $a == */choice_operators/ ]] || areas+=("$a")
	done
	corpus_agrees 9 "${areas[@]}"
}
