#!/usr/bin/env bats
# asl-step's request mode, one state type and feature at a time: the
# table of t/data/step.test, a section per test.

load lib/common

table() {
	run_tests asl-step step.test "$1"
}

@test "Pass: Result, InputPath, Parameters, ResultPath, OutputPath, errors" { table pass; }
@test "Succeed and Fail: Error, Cause, ErrorPath, CausePath" { table succeed-fail; }
@test "Choice: rules, Default, NoChoiceMatched, missing Variable, Assign" { table choice; }
@test "Wait: Seconds, Timestamp(Path), SecondsPath and AWS's runtime errors" { table wait; }
@test "Task: the effect, ResultSelector, ResultPath, OutputPath, limits" { table task; }
@test "Retry and Catch through the state" { table retry-catch; }
@test "Parallel and Map: effects, ItemSelector, the older names, errors" { table parallel-map; }
@test "JSONata: the failed expression quoted, and the EvaluationFailed report" { table jsonata; }
@test "Assign and variables: snapshot semantics, the raw result" { table variables; }
@test "the context object" { table context; }
