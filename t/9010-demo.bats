#!/usr/bin/env bats
# examples/demo (make demo): the order-fulfillment workflow of the Step
# Functions guide, with its callback step answered through the task token.

load lib/common

@test "make demo: the guide's workflow as printed fails like AWS; the fixed one runs every path" {
	export TMPDIR="$BATS_TEST_TMPDIR"
	run -0 timeout 60 "$ASL_TOP/examples/demo"
	[[ "$output" == *"execution FAILED: States.Runtime"*"ShipOrder"* ]]
	grep -Eq '^   ok +SUCCEEDED .*ShipOrder > NotifyShipped' <<<"$output"
	grep -Eq '^   declined +SUCCEEDED .*PaymentDeclined' <<<"$output"
	grep -Eq '^   invalid +SUCCEEDED .*RejectOrder' <<<"$output"
	grep -Eq '^   backorder +SUCCEEDED .*CheckInventory > NotifyBackorder$' <<<"$output"
	# ShipOrder waited for the carrier's answer through its task token
	grep -q 'TaskSubmitted' <<<"$output"
}

@test "make demo: its closing hint works where asl is not on PATH" {
	export TMPDIR="$BATS_TEST_TMPDIR"
	run -0 timeout 60 "$ASL_TOP/examples/demo"
	hint=${lines[-1]}
	[[ $hint == "   ASL_STORE="*" list" ]]
	run -0 env PATH=/usr/bin:/bin sh -c "$hint"
	[ "${lines[0]}" = "NAME                                     STATUS     START                    STOP" ]
	[[ $output == *"o-100 "*SUCCEEDED* ]]
}
