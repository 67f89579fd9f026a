#!/usr/bin/env bats
# t/4001-retry-rules.bats - asl-retry's decision rules, one @test per
# section of the table t/data/retry-rules.test (asl-retry --run-tests).

load lib/common

# rules SECTION: every case of that section passes
rules() {
	run_tests asl-retry retry-rules.test "$1"
}

@test "retry rules: the ASL spec's example, error by error" {
	rules spec-example
}

@test "retry rules: only the first matching retrier, per-retrier counters" {
	rules first-match
}

@test "retry rules: States.ALL, States.TaskFailed, States.Runtime, null names" {
	rules matching
}

@test "retry rules: backoff, MaxAttempts and MaxDelaySeconds" {
	rules backoff
}

@test "retry rules: FULL jitter stays in bounds and repeats with --seed" {
	rules jitter
}

@test "retry rules: the error output" {
	rules error-output
}

@test "retry rules: the catcher's output without a ResultPath, or null" {
	rules catch-output
}

@test "retry rules: Retry and Catch inside a state object" {
	rules state
}

@test "retry rules: malformed requests, Retry and Catch" {
	rules malformed
}

@test "retry rules: the catcher's ResultPath places the error output" {
	rules resultpath
}
