/*
 * transitions - state transitions per second, in-process: no process
 * start-up, the execution driven through lib/asl_exec.h as `asl run`
 * drives it, in a throw-away store.
 *
 *   transitions pass N TYPE [PAYLOAD]	a chain of N Pass states
 *					(N transitions)
 *   transitions choice N TYPE [PAYLOAD]	a Choice/Pass loop counting to
 *					N with States.MathAdd (2N + 3
 *					transitions)
 *   transitions passmap N TYPE [PAYLOAD]	the same N Pass transitions
 *					with a definition of 1,000 states:
 *					a Map over N / 1,000 items whose
 *					iterations run a chain of 1,000
 *					Pass states (N + 1 transitions)
 *
 * With PAYLOAD, the input carries a string of PAYLOAD bytes besides the
 * numbers, and every state passes it on.
 * TYPE is STANDARD (history.jsonl journaled, fdatasync only at the
 * output-commit points: here, the end) or EXPRESS (no history).  Prints
 * one line of NAME=VALUE fields: the drive's wall and CPU seconds (the
 * least of three drives, each a new execution; the
 * definition's loading and compiling included), the load alone (as the
 * drive does it: reading definition.json, compiling, freeing), the run
 * (the drive less the load), transitions per second of the run and of
 * the whole drive, the history's size and the peak RSS.
 */
#define _GNU_SOURCE	/* asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "asl.h"
#include "asl_store.h"
#include "harness.h"

#define ROUNDS 3
#define CHAIN 1000

static const char usage[] = "usage: transitions pass|choice|passmap N "
    "STANDARD|EXPRESS [PAYLOAD]";

static jv
choice_loop(void)
{
	const char *text = "{\"StartAt\": \"Init\", \"States\": {"
	    "\"Init\": {\"Type\": \"Pass\", \"Parameters\": {\"i\": 0, "
	    "\"limit.$\": \"$.limit\", \"pad.$\": \"$.pad\"}, "
	    "\"Next\": \"Check\"},"
	    "\"Check\": {\"Type\": \"Choice\", \"Choices\": [{\"Variable\": "
	    "\"$.i\", \"NumericLessThanPath\": \"$.limit\", \"Next\": \"Inc\"}],"
	    " \"Default\": \"Done\"},"
	    "\"Inc\": {\"Type\": \"Pass\", \"Parameters\": {\"i.$\": "
	    "\"States.MathAdd($.i, 1)\", \"limit.$\": \"$.limit\", "
	    "\"pad.$\": \"$.pad\"}, "
	    "\"Next\": \"Check\"},"
	    "\"Done\": {\"Type\": \"Succeed\"}}}";

	return jv_parse(text);
}

int
main(int argc, char *argv[])
{
	struct asl_exec_options o;
	struct stat sb;
	char *dir, *end, *hist, *pad;
	double secs = 0, cpu = 0, load, run, t, c;
	int i;
	long n, transitions, payload = 0;
	jv def, input, r;

	asl_setprogname(argv[0]);
	if (argc < 4 || argc > 5 || (n = strtol(argv[2], &end, 10)) < 1 ||
	    *end != '\0' || (argc == 5 && ((payload = strtol(argv[4], &end,
	    10)) < 0 || *end != '\0'))) {
		fprintf(stderr, "%s\n", usage);
		return 2;
	}
	if ((pad = malloc((size_t)payload + 1)) == NULL)
		return 4;
	memset(pad, 'x', (size_t)payload);
	pad[payload] = '\0';
	asl_exec_options_init(&o);
	o.name = "bench";
	o.express = bench_type(argv[3], usage);
	if (strcmp(argv[1], "pass") == 0) {
		def = bench_chain(n, "P", JV_OBJECT(jv_string("Type"),
		    jv_string("Pass")));
		input = JV_OBJECT(jv_string("n"), jv_number(42),
		    jv_string("pad"), jv_string(pad));
		transitions = n;
	} else if (strcmp(argv[1], "passmap") == 0 && n % CHAIN == 0) {
		def = bench_chain(CHAIN, "P", JV_OBJECT(jv_string("Type"),
		    jv_string("Pass")));
		def = JV_OBJECT(jv_string("StartAt"), jv_string("M"),
		    jv_string("States"), JV_OBJECT(jv_string("M"), JV_OBJECT(
		    jv_string("Type"), jv_string("Map"),
		    jv_string("ItemsPath"), jv_string("$.items"),
		    jv_string("MaxConcurrency"), jv_number(1),
		    jv_string("ResultSelector"), JV_OBJECT(jv_string("n.$"),
		    jv_string("States.ArrayLength($)")),
		    jv_string("ItemProcessor"), def, jv_string("End"),
		    jv_true())));
		input = jv_array();
		for (i = 0; i < n / CHAIN; i++)
			input = jv_array_append(input, JV_OBJECT(
			    jv_string("n"), jv_number(i), jv_string("pad"),
			    jv_string(pad)));
		input = JV_OBJECT(jv_string("items"), input);
		transitions = n + 1;
	} else if (strcmp(argv[1], "choice") == 0) {
		def = choice_loop();
		input = JV_OBJECT(jv_string("limit"), jv_number((double)n),
		    jv_string("pad"), jv_string(pad));
		transitions = 2 * n + 3;
	} else {
		fprintf(stderr, "%s\n", usage);
		return 2;
	}
	/* the least of ROUNDS drives, each in a store of its own */
	for (i = 0; i < ROUNDS; i++) {
		dir = bench_tmpdir();
		r = bench_execute(dir, jv_copy(def), jv_copy(input), &o, &t, &c);
		if (i == 0 || t < secs) {
			secs = t;
			cpu = c;
		}
		if (i < ROUNDS - 1) {
			jv_free(r);
			bench_rmtree(dir);
			free(dir);
		}
	}
	jv_free(def);
	jv_free(input);
	load = bench_load(dir);
	run = secs > load ? secs - load : secs;
	hist = NULL;
	if (asprintf(&hist, "%s/executions/bench/history.jsonl", dir) == -1 ||
	    stat(hist, &sb) == -1)
		sb.st_size = 0;
	free(pad);
	printf("workload=%s n=%ld type=%s payload=%ld transitions=%ld "
	    "seconds=%.6f cpu=%.6f load=%.6f run=%.6f rate=%.0f "
	    "rate_total=%.0f history_bytes=%lld rss_kb=%ld\n", argv[1], n,
	    argv[3], payload, transitions, secs, cpu, load, run,
	    transitions / run, transitions / secs, (long long)sb.st_size,
	    bench_peak_rss_kb());
	free(hist);
	jv_free(r);
	bench_rmtree(dir);
	free(dir);
	return asl_close_stdout(0);
}
