#!/usr/bin/env bats
# The pipeline and the driver are one engine: examples/pipeline/run
# (asl-parse, asl-step, asl-retry and asl-history in a shell loop) and
# asl run give the same output and the same event types on a workflow
# with Choice, a Task, Retry and Catch.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	cp -r "$ASL_TOP/examples/pipeline" .
	cd pipeline
	export ASL_STORE="$BATS_TEST_TMPDIR/store" ASL_CLOCK=test
}

# same INPUT STATUS STDOUT ERROR EVENTS: examples/pipeline/run and asl run
# both exit STATUS, print STDOUT, and on stderr "PROG: ERROR" (nothing
# when ERROR is empty), PROG being their own names; and both histories
# hold the EVENTS (their types, separated by spaces).
same() {
	rm -f charge.count
	run "-$2" --separate-stderr ./run payment.asl.json resources.json "$1" pipe.jsonl
	echo "pipeline: $output | $stderr"
	[ "$output" = "$3" ]
	[ "$stderr" = "${4:+run: $4}" ]
	rm -f charge.count
	run "-$2" --separate-stderr asl run payment.asl.json --resources resources.json --input "$1" --name x
	echo "asl run:  $output | $stderr"
	[ "$output" = "$3" ]
	[ "$stderr" = "${4:+asl: $4}" ]
	run -0 asl-history show --json pipe.jsonl
	echo "pipeline: $(jq -r '[.events[].type] | join(" ")' <<<"$output")"
	[ "$(jq -r '[.events[].type] | join(" ")' <<<"$output")" = "$5" ]
	run -0 asl history --json x
	echo "asl run:  $(jq -r '[.events[].type] | join(" ")' <<<"$output")"
	[ "$(jq -r '[.events[].type] | join(" ")' <<<"$output")" = "$5" ]
}

CHOICE="ExecutionStarted ChoiceStateEntered ChoiceStateExited"
CALL="LambdaFunctionScheduled LambdaFunctionStarted"
SUCCEED="SucceedStateEntered SucceedStateExited ExecutionSucceeded"

@test "a charge that succeeds" {
	same '{"amount":20,"card":"ok"}' 0 \
	    '{"amount":20,"card":"ok","charge":{"charged":20,"card":"ok"}}' "" \
	    "$CHOICE TaskStateEntered $CALL LambdaFunctionSucceeded TaskStateExited $SUCCEED"
}

@test "a charge retried once after Busy" {
	same '{"amount":20,"card":"busy"}' 0 \
	    '{"amount":20,"card":"busy","charge":{"charged":20,"card":"busy"}}' "" \
	    "$CHOICE TaskStateEntered $CALL LambdaFunctionFailed $CALL LambdaFunctionSucceeded TaskStateExited $SUCCEED"
}

@test "a declined charge: Catch, then a Fail state" {
	same '{"amount":20,"card":"declined"}' 1 "" \
	    "execution FAILED: PaymentDeclined: the card was declined" \
	    "$CHOICE TaskStateEntered $CALL LambdaFunctionFailed TaskStateExited FailStateEntered ExecutionFailed"
}

@test "a large amount: the Choice sends it to review" {
	same '{"amount":500,"card":"ok"}' 0 \
	    '{"amount":500,"card":"ok","note":"needs review"}' "" \
	    "$CHOICE PassStateEntered PassStateExited $SUCCEED"
}
