#!/usr/bin/env bats
# The normalized form asl-parse prints and asl-step trusts: current field
# names, explicit ProcessorConfig, QueryLanguage and retrier defaults,
# everything else as written, in the order written.

load lib/common

@test "older spellings and implicit defaults, made explicit" {
	run -0 asl-parse "$DATA/parse/legacy.json"
	assert_json "$(cat "$DATA/parse/legacy.normalized.json")" "$output"
}

@test "the normalized form is a fixed point" {
	run -0 asl-parse "$DATA/parse/legacy.json"
	first=$output
	run -0 asl-parse <<<"$first"
	[ "$output" = "$first" ]
}

@test "Iterator becomes ItemProcessor in place, with ProcessorConfig first" {
	run -0 asl-parse <<<'{"StartAt":"M","States":{"M":{"Type":"Map","Iterator":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}'
	[ "$output" = '{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true,"QueryLanguage":"JSONPath"}}},"End":true,"QueryLanguage":"JSONPath"}}}' ]
}

@test "a ProcessorConfig without a Mode gets INLINE" {
	run -0 asl-parse <<<'{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"P","ProcessorConfig":{},"States":{"P":{"Type":"Pass","End":true}}},"End":true}}}'
	[ "$(jq -c '.States.M.ItemProcessor | keys_unsorted, .ProcessorConfig' <<<"$output")" = '["ProcessorConfig","StartAt","States"]
{"Mode":"INLINE"}' ]
}

@test "a JSONata machine's states all say JSONata; a Map's language stays its own" {
	run -0 asl-parse <<<'{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}'
	[ "$(jq -c '[.QueryLanguage, .States.M.QueryLanguage, .States.M.ItemProcessor.States.P.QueryLanguage]' <<<"$output")" = '["JSONata","JSONata","JSONata"]' ]
	run -0 asl-parse <<<'{"StartAt":"M","States":{"M":{"Type":"Map","QueryLanguage":"JSONata","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}'
	[ "$(jq -c '[.QueryLanguage, .States.M.QueryLanguage, .States.M.ItemProcessor.States.P.QueryLanguage]' <<<"$output")" = '[null,"JSONata","JSONPath"]' ]
}

@test "a Parallel's branches are normalized too" {
	run -0 asl-parse <<<'{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["States.ALL"]}],"End":true}}}],"End":true}}}'
	[ "$(jq -c '.States.P.Branches[0].States.T | [.QueryLanguage, .Retry]' <<<"$output")" = '["JSONPath",[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":3,"BackoffRate":2,"JitterStrategy":"NONE"}]]' ]
}

@test "a Task's Parameters stay Parameters (only a Map's are renamed)" {
	run -0 asl-parse <<<'{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"End":true}}}'
	[ "$(jq -c '.States.T.Parameters' <<<"$output")" = '{"FunctionName":"f"}' ]
}

@test "YAML in, the same JSON out" {
	run -0 asl-parse "$DATA/parse/hello.yaml"
	yaml=$output
	run -0 asl-parse "$DATA/parse/hello.json"
	[ "$output" = "$yaml" ]
}

@test "the order fulfillment example, normalized" {
	run -0 asl-parse "$ASL_TOP/examples/order-fulfillment/order-fulfillment.asl.json"
	[ "$(jq -c '[.. | objects | select(has("Type")) | .QueryLanguage] | unique' <<<"$output")" = '["JSONPath"]' ]
	[ "$(jq -c '.States.ValidateOrder.Retry[0] | [.IntervalSeconds, .MaxAttempts, .BackoffRate, .JitterStrategy]' <<<"$output")" = '[2,3,2,"NONE"]' ]
	[ "$(jq -c 'del(.. | .QueryLanguage?, .JitterStrategy?)' <<<"$output")" = "$(jq -c . "$ASL_TOP/examples/order-fulfillment/order-fulfillment.asl.json")" ]
}
