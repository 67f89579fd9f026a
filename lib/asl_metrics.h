/*
 * asl_metrics.h - what CloudWatch counts of Step Functions executions,
 * counted from a store's list of executions: per state machine,
 * ExecutionsStarted, ExecutionsSucceeded, ExecutionsFailed,
 * ExecutionsTimedOut, ExecutionsAborted (and the executions still
 * running), and ExecutionTime's percentiles over the executions that
 * ended (nearest rank, in milliseconds, from start to stop).
 *
 *   {"since": TIMESTAMP | null,
 *    "stateMachines": [{"stateMachineName", "stateMachineArn",
 *        "ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed",
 *        "ExecutionsTimedOut", "ExecutionsAborted", "ExecutionsRunning",
 *        "ExecutionTime": {"count", "sum", "p50", "p90", "p99"}}]}
 *
 * State machines are sorted by name; ExecutionTime's percentiles are
 * null when no execution ended.  Ownership follows jv.h.
 */
#ifndef ASL_METRICS_H
#define ASL_METRICS_H

#include <jv.h>

struct asl_store;
struct asl_time;

/*
 * What metrics need of every execution of the store, in ListExecutions'
 * shape ({"executions": [{"stateMachineArn", "status", "startDate",
 * "stopDate"?}]}) but in no order: each execution.json read once and
 * each history's last event only, so that a store of 100,000
 * executions is counted in seconds (bench/metrics).
 */
jv	asl_metrics_collect(const struct asl_store *);

/*
 * The metrics of list (consumed: ListExecutions' {"executions": [...]},
 * as asl_exec_list gives it), of the state machine called machine only
 * (NULL: every one), of the executions started at since or later (NULL:
 * all).
 */
jv	asl_metrics(jv list, const char *machine, const struct asl_time *since);

/*
 * The instant a --since argument names: an RFC 3339 timestamp, or a
 * duration before now ("90s", "15m", "2h", "7d").  0, or -1 if it is
 * neither.
 */
int	asl_metrics_since(const char *arg, struct asl_time *t);

/* The metrics (consumed) as a table for people. */
jv	asl_metrics_table(jv metrics);

/*
 * The metrics (consumed) in Prometheus's text exposition format, for a
 * node exporter's textfile collector: counters asl_executions_*_total,
 * the gauge asl_executions_running, and the summary
 * asl_execution_time_seconds, labelled state_machine="NAME".
 */
jv	asl_metrics_prometheus(jv metrics);

#endif /* !ASL_METRICS_H */
