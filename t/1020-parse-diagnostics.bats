#!/usr/bin/env bats
# asl-parse --diagnostics: ValidateStateMachineDefinition's answer, with
# AWS's codes, messages and locations; --severity and --type as in AWS.

load lib/common

@test "a valid definition: result OK, no diagnostics; exit 0" {
	run -0 --separate-stderr asl-parse --diagnostics "$DATA/parse/hello.json"
	[ "$output" = '{"result":"OK","diagnostics":[],"truncated":false}' ]
	[ "$stderr" = "" ]
}

@test "an invalid one: result FAIL with every diagnostic; exit 1" {
	run -1 --separate-stderr asl-parse --diagnostics "$DATA/parse/three-errors.json"
	[ "$stderr" = "" ]
	assert_json '{"result": "FAIL", "diagnostics": [
	    {"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED",
	     "message": "Field '"'TimeoutSecond'"' is not supported",
	     "location": "/States/Charge"},
	    {"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED",
	     "message": "There should only be one of the following fields: [SecondsPath, Seconds, TimestampPath, Timestamp]",
	     "location": "/States/Notify"},
	    {"severity": "ERROR", "code": "MISSING_TRANSITION_TARGET",
	     "message": "Missing '"'Next'"' target: Ship",
	     "location": "/States/Charge/Next"},
	    {"severity": "ERROR", "code": "MISSING_TRANSITION_TARGET",
	     "message": "State \"Notify\" is not reachable.",
	     "location": "/States/Notify"}],
	    "truncated": false}' "$output"
}

@test "the codes AWS uses: required fields at /, no terminal state without a location" {
	run -1 asl-parse --diagnostics <<<'{}'
	[ "$output" = '{"result":"FAIL","diagnostics":[{"severity":"ERROR","code":"SCHEMA_VALIDATION_FAILED","message":"These fields are required: [States, StartAt]","location":"/"}],"truncated":false}' ]
	run -1 asl-parse --diagnostics <<<'{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}}'
	[ "$output" = '{"result":"FAIL","diagnostics":[{"severity":"ERROR","code":"MISSING_END_STATE","message":"Workflow has no terminal state"}],"truncated":false}' ]
	run -1 asl-parse --diagnostics <<<'{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"A":{"Type":"Succeed"}}}'
	[ "$output" = '{"result":"FAIL","diagnostics":[{"severity":"ERROR","code":"DUPLICATE_STATE_NAME","message":"Duplicate State name: A","location":"/States/A"}],"truncated":false}' ]
}

@test "array indexes in locations are written [0], as AWS writes them" {
	run -1 asl-parse --diagnostics <<<'{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.x","IsNull":true,"Next":"B"}]}}}'
	[ "$(jq -r '.diagnostics[0].location' <<<"$output")" = "/States/A/Choices[0]/Next" ]
}

@test "JSON that does not parse: INVALID_JSON_DESCRIPTION in Jackson's words; exit 3" {
	run -3 --separate-stderr asl-parse --diagnostics --json <<<'not a definition'
	[ "$stderr" = "" ]
	assert_json '{"result": "FAIL", "diagnostics": [{"severity": "ERROR",
	    "code": "INVALID_JSON_DESCRIPTION",
	    "message": "Unrecognized token '"'not'"': was expecting (JSON String, Number, Array, Object or token '"'null'"', '"'true'"' or '"'false'"')\n at [Source: (String)\"not a definition\n\"; line: 1, column: 4]",
	    "location": "[Source: (String)\"not a definition\n\"; line: 1, column: 4]"}],
	    "truncated": false}' "$output"
}

@test "a blank definition: AWS's message, and no location" {
	run -1 asl-parse --diagnostics <<<'   '
	[ "$output" = '{"result":"FAIL","diagnostics":[{"severity":"ERROR","code":"SCHEMA_VALIDATION_FAILED","message":"Definition must be a valid JSON object"}],"truncated":false}' ]
}

@test "warnings only with --severity WARNING; they do not make a FAIL" {
	run -0 asl-parse --diagnostics "$DATA/parse/warnings.json"
	[ "$output" = '{"result":"OK","diagnostics":[],"truncated":false}' ]
	run -0 asl-parse --diagnostics --severity WARNING "$DATA/parse/warnings.json"
	[ "$(jq -c '[.result, (.diagnostics[] | [.severity, .code, .location])]' <<<"$output")" = '["OK",["WARNING","NO_DOLLAR","/States/Fetch/Parameters"],["WARNING","PASS_RESULT_IS_STATIC","/States/Fetch/Result"],["WARNING","NO_PATH","/States/Check/Choices[0]/StringEquals"]]' ]
}

@test "warnings on stderr as 'warning:' lines; the definition is still printed" {
	cd "$DATA/parse"
	run -0 --separate-stderr asl-parse -q --severity WARNING warnings.json
	[ "$output" = "" ]
	[ "$stderr" = "warnings.json:6:22: warning: /States/Fetch/Parameters: The value of the field 'id' looks like a JSONPath or an intrinsic function call, but the field's name does not end with '.$'
warnings.json:7:7: warning: /States/Fetch/Result: The Result field of a Pass state is static: its keys ending in '.\$' are not evaluated
warnings.json:12:43: warning: /States/Check/Choices[0]/StringEquals: The value of the field 'StringEquals' looks like a path, but the field's name does not end with 'Path'" ]
	run -0 --separate-stderr asl-parse warnings.json
	[ "$stderr" = "" ]
	[ "$(jq -r .StartAt <<<"$output")" = Fetch ]
}

@test "--type EXPRESS: no .sync, no .waitForTaskToken, no activities, in AWS's words" {
	run -1 asl-parse --diagnostics --type EXPRESS <<<'{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::sns:publish.waitForTaskToken","Next":"J"},"J":{"Type":"Task","Resource":"arn:aws:states:::glue:startJobRun.sync","Next":"A"},"A":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:work","End":true}}}'
	[ "$(jq -c '[.diagnostics[] | [.message, .location]]' <<<"$output")" = '[["Express state machine does not support '"'.waitForTaskToken'"' service integration ","/States/S/Resource"],["Express state machine does not support '"'.sync'"' service integration","/States/J/Resource"],["Express state machine does not support Activity ARN","/States/A/Resource"]]' ]
	run -0 --separate-stderr asl-parse -q --type STANDARD <<<'{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::sns:publish.waitForTaskToken","End":true}}}'
	[ "$output$stderr" = "" ]
}

@test "--pretty indents the diagnostics too" {
	run -1 asl-parse --diagnostics --pretty <<<'{}'
	[ "${lines[0]}" = "{" ]
	[ "${lines[1]}" = '  "result": "FAIL",' ]
}

@test "a template's problem: AWS's message at the field, the reason on stderr" {
	run -1 --separate-stderr asl-parse --diagnostics <<<'{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"a":{"b.$":"States.Format("}},"End":true}}}'
	[ "$output" = '{"result":"FAIL","diagnostics":[{"severity":"ERROR","code":"SCHEMA_VALIDATION_FAILED","message":"The value for the field '"'b.\$'"' must be a valid JSONPath or a valid intrinsic function call","location":"/States/P/Parameters"}],"truncated":false}' ]
	run -1 --separate-stderr asl-parse <<<'{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"a":{"b.$":"States.Format("}},"End":true}}}'
	[ "$stderr" = "<stdin>:1:64: error: /States/P/Parameters: The value for the field 'b.\$' must be a valid JSONPath or a valid intrinsic function call: missing argument at offset 14" ]
}

@test "a JSONata expression is compiled when the definition is checked: its syntax error, code and place" {
	echo '{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":{"x":"{% 1 + %}","ok":"{% $states.input %}"},"Next":"W"},
	  "W":{"Type":"Wait","Seconds":"{% ( %}","End":true}}}' > m.json
	run -1 --separate-stderr asl-parse --diagnostics m.json
	assert_json '{"result": "FAIL", "diagnostics": [
	    {"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED",
	     "message": "The JSONata expression '"'1 +'"' is not valid: S0207: Unexpected end of expression (at character 3)",
	     "location": "/States/A/Output"},
	    {"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED",
	     "message": "The JSONata expression '"'('"' is not valid: S0203: Expected \")\" before end of expression (at character 1)",
	     "location": "/States/W/Seconds"}],
	    "truncated": false}' "$output"
	run -1 --separate-stderr asl run m.json
	[[ "$stderr" == "m.json:1:"*": error: /States/A/Output: The JSONata expression '1 +' is not valid: S0207: "* ]]
}

@test "a service integration written with a region and an account is accepted, as AWS deploys it" {
	for r in aws-sdk:s3:listBuckets sqs:sendMessage.waitForTaskToken lambda:invoke; do
		echo '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:'$r'","End":true}}}' > m.json
		run -0 asl-parse --diagnostics m.json
		[ "$output" = '{"result":"OK","diagnostics":[],"truncated":false}' ]
	done
	echo '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:s3:nope","End":true}}}' > m.json
	run -1 asl-parse --diagnostics m.json
	[ "$(jq -r '.diagnostics[0].message' <<<"$output")" = "The resource provided arn:aws:states:us-east-1:123456789012:s3:nope is not recognized. The value is not a valid resource ARN, or the resource is not available in this region." ]
}
