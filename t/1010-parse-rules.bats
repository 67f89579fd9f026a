#!/usr/bin/env bats
# asl-parse's validation rules, one small invalid definition each: the
# definition is t/data/parse/rules/NAME.json, the exact diagnostics it
# must produce on stderr are NAME.err, and NAME.args holds any extra
# arguments (--type EXPRESS).  Every one must exit 1 and print nothing
# on stdout.

load lib/common

check_rule() {
	local args=() st=0
	cd "$DATA/parse/rules" || return 1
	if [ -f "$1.args" ]; then
		read -r -a args <"$1.args"
	fi
	# into files, not run: bats trims $stderr, and AWS's callback message
	# ends with a blank
	asl-parse "${args[@]}" "$1.json" >"$BATS_TEST_TMPDIR/stdout" \
	    2>"$BATS_TEST_TMPDIR/stderr" || st=$?
	[ "$st" -eq 1 ]
	[ ! -s "$BATS_TEST_TMPDIR/stdout" ]
	diff -u "$1.err" "$BATS_TEST_TMPDIR/stderr"
}

@test "a definition needs States and StartAt (missing-states-startat)" {
	check_rule missing-states-startat
}

@test "StartAt is required (missing-startat)" {
	check_rule missing-startat
}

@test "unknown top-level fields are refused (top-unknown-field)" {
	check_rule top-unknown-field
}

@test "StartAt names a state that does not exist (startat-target)" {
	check_rule startat-target
}

@test "Next names a state that does not exist (next-target)" {
	check_rule next-target
}

@test "Default names a state that does not exist (default-target)" {
	check_rule default-target
}

@test "a Catch's Next names a state that does not exist (catch-target)" {
	check_rule catch-target
}

@test "a machine without a terminal state (no-terminal)" {
	check_rule no-terminal
}

@test "a state nothing leads to (unreachable)" {
	check_rule unreachable
}

@test "Next and End together (next-and-end)" {
	check_rule next-and-end
}

@test "neither Next nor End (no-next-no-end)" {
	check_rule no-next-no-end
}

@test "End must be a boolean (end-not-boolean)" {
	check_rule end-not-boolean
}

@test "every state needs a Type (missing-type)" {
	check_rule missing-type
}

@test "Type must be one of the eight (unknown-type)" {
	check_rule unknown-type
}

@test "a misspelt field (unknown-field)" {
	check_rule unknown-field
}

@test "a field another state type has (field-not-for-type)" {
	check_rule field-not-for-type
}

@test "a Task needs a Resource (task-no-resource)" {
	check_rule task-no-resource
}

@test "state names are at most 80 characters (name-too-long)" {
	check_rule name-too-long
}

@test "state names are unique across branches too (duplicate-name-nested)" {
	check_rule duplicate-name-nested
}

@test "a key given twice in one object (duplicate-key)" {
	check_rule duplicate-key
}

@test "a state given twice (duplicate-state)" {
	check_rule duplicate-state
}

@test "no jumping into a Parallel branch (into-branch)" {
	check_rule into-branch
}

@test "no jumping out of a Map processor (out-of-map)" {
	check_rule out-of-map
}

@test "Choices cannot be empty (choice-empty)" {
	check_rule choice-empty
}

@test "a rule has exactly one comparator (choice-two-comparators)" {
	check_rule choice-two-comparators
}

@test "a rule with Variable needs a comparator (choice-no-comparator)" {
	check_rule choice-no-comparator
}

@test "Next only at the top of a rule (choice-nested-next)" {
	check_rule choice-nested-next
}

@test "a top-level rule needs Next (choice-rule-no-next)" {
	check_rule choice-rule-no-next
}

@test "And needs rules (choice-and-empty)" {
	check_rule choice-and-empty
}

@test "Variable is a Path (choice-variable-path)" {
	check_rule choice-variable-path
}

@test "a Timestamp comparator needs an RFC 3339 value (choice-timestamp)" {
	check_rule choice-timestamp
}

@test "Numeric comparators take numbers (choice-numeric-type)" {
	check_rule choice-numeric-type
}

@test "States.ALL alone in ErrorEquals (retry-all-not-alone)" {
	check_rule retry-all-not-alone
}

@test "a States.ALL retrier comes last (retry-all-not-last)" {
	check_rule retry-all-not-last
}

@test "BackoffRate is at least 1.0 (retry-backoff)" {
	check_rule retry-backoff
}

@test "retriers have a fixed set of fields (retry-unknown-field)" {
	check_rule retry-unknown-field
}

@test "a catcher needs Next (catch-no-next)" {
	check_rule catch-no-next
}

@test "a States.ALL catcher comes last (catch-all-not-last)" {
	check_rule catch-all-not-last
}

@test "ErrorEquals catches any name, States.Http.StatusCode.404 and States.X too" {
	# the spec reserves raising States.* names, not catching them: AWS
	# accepts the HTTP Task's States.Http.StatusCode.NNN in Retry and Catch
	run asl-parse -q - <<-'EOF'
	{"StartAt": "A", "States": {
	  "A": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
	    "Parameters": {"ApiEndpoint": "https://example.com", "Method": "GET"},
	    "Retry": [{"ErrorEquals": ["States.Http.StatusCode.429", "States.Oops"]}],
	    "Catch": [{"ErrorEquals": ["States.Http.StatusCode.404"], "Next": "B"}],
	    "End": true},
	  "B": {"Type": "Succeed"}}}
	EOF
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "a Pass state cannot retry (retry-on-pass)" {
	check_rule retry-on-pass
}

@test "InputPath must be a Path (inputpath)" {
	check_rule inputpath
}

@test "ResultPath must be a Reference Path (resultpath-reference)" {
	check_rule resultpath-reference
}

@test "ResultPath cannot name a variable (resultpath-variable)" {
	check_rule resultpath-variable
}

@test "a .$ value must be a path or an intrinsic (template-path)" {
	check_rule template-path
}

@test "a key cannot be given as x and x.$ (template-both-keys)" {
	check_rule template-both-keys
}

@test "intrinsic calls must parse (template-intrinsic)" {
	check_rule template-intrinsic
}

@test "ResultSelector is an object (resultselector-object)" {
	check_rule resultselector-object
}

@test "Wait takes exactly one of its four fields (wait-two-fields)" {
	check_rule wait-two-fields
}

@test "Wait needs one of its four fields (wait-no-field)" {
	check_rule wait-no-field
}

@test "Timestamp must be RFC 3339 (wait-timestamp)" {
	check_rule wait-timestamp
}

@test "Seconds cannot be negative (wait-negative)" {
	check_rule wait-negative
}

@test "Error and ErrorPath are exclusive (fail-error-errorpath)" {
	check_rule fail-error-errorpath
}

@test "only some intrinsics in ErrorPath (fail-intrinsic)" {
	check_rule fail-intrinsic
}

@test "TimeoutSeconds and TimeoutSecondsPath are exclusive (timeout-and-path)" {
	check_rule timeout-and-path
}

@test "HeartbeatSeconds is less than TimeoutSeconds (heartbeat-too-long)" {
	check_rule heartbeat-too-long
}

@test "TimeoutSeconds is positive (timeout-zero)" {
	check_rule timeout-zero
}

@test "Branches cannot be empty (parallel-empty)" {
	check_rule parallel-empty
}

@test "a Parallel needs Branches (parallel-no-branches)" {
	check_rule parallel-no-branches
}

@test "a Map needs an ItemProcessor (map-no-processor)" {
	check_rule map-no-processor
}

@test "ItemProcessor or Iterator, not both (map-processor-and-iterator)" {
	check_rule map-processor-and-iterator
}

@test "ToleratedFailurePercentage is 0 to 100 (map-tolerated-percentage)" {
	check_rule map-tolerated-percentage
}

@test "MaxConcurrency is not negative (map-concurrency)" {
	check_rule map-concurrency
}

@test "a Label has no special characters (map-label)" {
	check_rule map-label
}

@test "a Label's U+0000 is refused like any control character (map-label-nul)" {
	check_rule map-label-nul
}

@test "Labels are unique (map-label-duplicate)" {
	check_rule map-label-duplicate
}

@test "a processor has no QueryLanguage of its own (map-processor-querylanguage)" {
	check_rule map-processor-querylanguage
}

@test "a distributed processor needs ExecutionType (map-execution-type)" {
	check_rule map-execution-type
}

@test "MaxItems and MaxItemsPath are exclusive (map-reader-maxitems)" {
	check_rule map-reader-maxitems
}

@test "QueryLanguage is JSONPath or JSONata (querylanguage-value)" {
	check_rule querylanguage-value
}

@test "no JSONPath state in a JSONata machine (querylanguage-downgrade)" {
	check_rule querylanguage-downgrade
}

@test "Output is a JSONata field (jsonata-field)" {
	check_rule jsonata-field
}

@test "InputPath is a JSONPath field (jsonpath-field)" {
	check_rule jsonpath-field
}

@test "a {% expression must end with %} (jsonata-delimiters)" {
	check_rule jsonata-delimiters
}

@test "Arguments is an object or an expression (jsonata-arguments)" {
	check_rule jsonata-arguments
}

@test "Condition is a boolean or an expression (jsonata-condition)" {
	check_rule jsonata-condition
}

@test "variable names are plain names (assign-name)" {
	check_rule assign-name
}

@test "an optimized integration AWS does not have (resource-integration)" {
	check_rule resource-integration
}

@test "an integration pattern the API does not support (resource-pattern)" {
	check_rule resource-pattern
}

@test "a Lambda function ARN with a bad alias (resource-lambda)" {
	check_rule resource-lambda
}

@test "a Resource that is not an ARN (resource-not-arn)" {
	check_rule resource-not-arn
}

@test "Credentials need a RoleArn (credentials-rolearn)" {
	check_rule credentials-rolearn
}

@test "EXPRESS machines cannot wait for a job (express-sync)" {
	check_rule express-sync
}

@test "EXPRESS machines cannot wait for a callback (express-callback)" {
	check_rule express-callback
}

@test "EXPRESS machines cannot run activities (express-activity)" {
	check_rule express-activity
}
