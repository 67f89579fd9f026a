#!/usr/bin/env bats
# asl-parse --policy: the IAM policy a machine's execution role needs.

load lib/common

@test "--policy: the guide's order workflow gets the guide's policy, and no more" {
	run -0 --separate-stderr asl-parse --policy \
	    "$ASL_TOP/examples/order-fulfillment/order-fulfillment.asl.json"
	[ "$stderr" = "" ]
	run -0 jq -c '.Version, (.Statement[] | [.Sid, .Action, .Resource])' <<<"$output"
	[ "$output" = '"2012-10-17"
["LambdaInvokeFunction",["lambda:InvokeFunction"],["arn:aws:lambda:us-east-1:012345678901:function:validate-order","arn:aws:lambda:us-east-1:012345678901:function:validate-order:*","arn:aws:lambda:us-east-1:012345678901:function:charge-payment","arn:aws:lambda:us-east-1:012345678901:function:charge-payment:*","arn:aws:lambda:us-east-1:012345678901:function:handle-declined-payment","arn:aws:lambda:us-east-1:012345678901:function:handle-declined-payment:*","arn:aws:lambda:us-east-1:012345678901:function:initiate-shipment","arn:aws:lambda:us-east-1:012345678901:function:initiate-shipment:*","arn:aws:lambda:us-east-1:012345678901:function:handle-backorder","arn:aws:lambda:us-east-1:012345678901:function:handle-backorder:*"]]
["DynamodbUpdateItem",["dynamodb:UpdateItem"],["arn:aws:dynamodb:us-east-1:123456789012:table/inventory"]]
["SnsPublish",["sns:Publish"],["arn:aws:sns:us-east-1:012345678901:order-notifications"]]' ]
}

@test "--policy: every kind of Task, nested ones too; wildcards only where computed, each told" {
	cd "$DATA/observe"
	run -0 --separate-stderr asl-parse --policy policy.json
	diff -u policy.expected.json - <<<"$output"
	diff -u policy.notes - <<<"$stderr"
	# the Wildcard statements are exactly those the notes name
	run -0 jq -r '.Statement[] | select(.Sid | endswith("Wildcard")) |
	    .Sid' policy.expected.json
	[ "$(sort <<<"$output")" = "$(cut -d: -f3 policy.notes | sed 's/^ //' | sort -u)" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "--policy: names resolve in this machine's region and account" {
	run -0 --separate-stderr env AWS_REGION=eu-north-1 \
	    ASL_ACCOUNT=999999999999 asl-parse --policy "$DATA/observe/policy.json"
	run -0 jq -r '.Statement[] | select(.Sid == "DynamodbGetItem") | .Resource[]' <<<"$output"
	[ "$output" = "arn:aws:dynamodb:eu-north-1:999999999999:table/orders" ]
}

@test "--policy: usage" {
	run -2 --separate-stderr asl-parse --policy --graph dot "$DATA/observe/policy.json"
	[ "${stderr_lines[0]}" = "asl-parse: --diagnostics, --graph and --policy do not go together" ]
	run -4 --separate-stderr asl-parse --policy nosuch.json
	[ "$output" = "" ]
	printf '{"StartAt": "X", "States": {}}' >bad.json
	run -1 --separate-stderr asl-parse --policy bad.json
	[ "$output" = "" ]
}
