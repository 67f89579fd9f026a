#!/usr/bin/env bats
# The short version of make crashtest (t/crashtest): a workflow with a
# ledger of its tasks, Retry, Catch, a Parallel, a Wait and a Map of 50,
# its driver killed with SIGKILL at random moments and resumed until it
# ends: the same output as an uninterrupted run, no task run twice, a
# history that folds.  And the short version of its races (t/racetest):
# ticks, answers and drivers at once on one store.

load lib/common

@test "kill -9 and resume, twice in a run: the output of a run never killed, no task run twice" {
	run -0 "$ASL_TOP/t/crashtest" 1 2
	[ "${#lines[@]}" = 2 ]
	[[ ${lines[0]} =~ ^run\ 1:\ [0-2]\ kills,\ [0-9]+\ events,\ [0-9]+\ task\ runs,\ [0-9]+\ interrupted:\ ok$ ]]
	[[ ${lines[1]} =~ ^crashtest:\ STANDARD,\ 1\ runs,\ [0-2]\ kills,\ 0\ failed$ ]]
}

@test "EXPRESS, kill -9 and resume: the same output, every Map item run at least once" {
	CRASH_TYPE=EXPRESS run -0 "$ASL_TOP/t/crashtest" 1 2
	[ "${#lines[@]}" = 2 ]
	[[ ${lines[0]} =~ ^run\ 1:\ [0-2]\ kills,\ [0-9]+\ events,\ [0-9]+\ task\ runs,\ [0-9]+\ interrupted:\ ok$ ]]
	[[ ${lines[1]} =~ ^crashtest:\ EXPRESS,\ 1\ runs,\ [0-2]\ kills,\ 0\ failed$ ]]
}

@test "races: two ticks and an answer at once, two drivers on one execution and on one store" {
	# a round of each pair of drivers on one execution (round % 3)
	run -0 "$ASL_TOP/t/racetest" 3
	[ "${#lines[@]}" = 4 ]
	for i in 1 2 3; do
		[[ ${lines[i - 1]} =~ ^round\ $i:\ 6\ executions,\ 43\ task\ runs:\ ok$ ]]
	done
	[ "${lines[3]}" = "racetest: 3 rounds, 18 executions, 0 failed" ]
}
