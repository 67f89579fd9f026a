/*
 * harness.h - what the microbenchmarks of bench/ share: a clock, peak
 * memory, a throw-away store, one execution driven in-process through
 * lib/asl_exec.h as `asl run` drives it, and the reference task loop.
 *
 * Every function dies (exit 4, a message on stderr) on a system error:
 * these are measuring programs, not library code.  jv ownership follows
 * jv.h.
 */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#include <stddef.h>

#include <jv.h>

#include "asl_exec.h"

/* Seconds on the monotonic clock; CPU seconds (user + system) used. */
double	bench_now(void);
double	bench_cpu(void);

/* The process's peak resident set, in kilobytes (getrusage). */
long	bench_peak_rss_kb(void);

/* A fresh directory under $TMPDIR; bench_rmtree removes it. */
char	*bench_tmpdir(void);
void	bench_rmtree(const char *dir);

/* "STANDARD" or "EXPRESS" from argv, or exit 2 with usage. */
int	bench_type(const char *arg, const char *usage);

/*
 * One execution of def (consumed; normalized here) with input (consumed)
 * in a new store under dir: start it, then drive it to its end.  *seconds
 * is the wall time of the drive alone (loading the definition from the
 * store and compiling it included, as asl run pays it); *cpu its CPU
 * time.  Returns the outcome ({"status", "output", ...}); anything but
 * SUCCEEDED is fatal.
 */
jv	bench_execute(const char *dir, jv def, jv input,
	    const struct asl_exec_options *, double *seconds, double *cpu);

/*
 * A definition of n states in a row named PREFIX0, PREFIX1, ...: each a
 * copy of state (an object, consumed) with its Next, the last with End.
 */
jv	bench_chain(long n, const char *prefix, jv state);

/*
 * The seconds a drive spends loading the definition of the execution
 * bench_execute left in dir: reading and parsing its definition.json,
 * compiling it (asl_machine_load) and freeing it at the end (the least
 * of three tries).  What is left of the drive's time is the run.
 */
double	bench_load(const char *dir);

/*
 * The least a chain of n tasks can cost: n times, posix_spawn argv[0]
 * (no shell, no process group) with a pipe on its stdin and one on its
 * stdout, write the document, close, read all of its output, waitpid;
 * each output is the next one's input.  Returns the last output (the
 * caller frees it); *len its length.
 */
char	*bench_spawn_chain(int n, const char *input, char *const argv[],
	    size_t *len);

#endif /* !BENCH_HARNESS_H */
