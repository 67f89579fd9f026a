#!/usr/bin/env bats
# Choice rules against AWS: every recorded choice_operators case of
# ../shared/conformance takes the branch AWS took (see t/choice-corpus).

load lib/common

@test "choice corpus: asl_choice takes AWS's branch in every recorded case" {
	cases="$SHARED/conformance/cases/choice_operators"
	[ -d "$cases" ] || skip "no conformance corpus at $cases"
	run "$ASL_TOP/t/choice-corpus" "$cases"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" =~ ^"choice corpus: "([0-9]+)" of "([0-9]+)" cases agree"$ ]]
	[ "${BASH_REMATCH[1]}" -gt 300 ]
}
