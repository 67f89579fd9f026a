#!/usr/bin/env bats
# examples/http-webhook: an HTTP Task posts an order to a webhook on
# 127.0.0.1, a callback task hands it its task token, and the webhook's
# asl send-task-success decides the execution.

load lib/common

@test "examples/http-webhook/run: approved through the task token" {
	export TMPDIR="$BATS_TEST_TMPDIR"
	run -0 --separate-stderr timeout 60 "$ASL_TOP/examples/http-webhook/run"
	[ "${lines[1]}" = '{"shipped":"o-42","approvedBy":"webhook"}' ]
	# the HTTP Task, then the callback: submitted, then answered
	[ "$(grep -Eo '(TaskSucceeded|TaskSubmitted) +[A-Za-z]+' <<<"$output" | tr -s ' ')" = \
	    "TaskSucceeded PlaceOrder
TaskSubmitted AwaitApproval
TaskSucceeded AwaitApproval" ]
}

@test "examples/http-webhook/run 5000: the webhook declines, the execution fails" {
	export TMPDIR="$BATS_TEST_TMPDIR"
	run -1 --separate-stderr timeout 60 "$ASL_TOP/examples/http-webhook/run" 5000
	[ "$stderr" = "asl: execution FAILED: OrderRejected: the webhook declined the order" ]
	grep -q 'ExecutionFailed' <<<"$output"
}
