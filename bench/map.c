/*
 * map - an inline Map over N items, in-process, driven through
 * lib/asl_exec.h as `asl run` drives it: the shape of the shared
 * map-10000 workload (an ItemSelector reading $$.Map.Item, an intrinsic
 * per item, a ResultSelector), at any size.
 *
 *   map N STANDARD|EXPRESS [PAYLOAD]
 *
 * Each item is an integer, or with PAYLOAD an object carrying a string
 * of PAYLOAD bytes besides it.  Prints one line of NAME=VALUE fields:
 * the drive's wall and CPU seconds, microseconds per item, the peak RSS
 * of the whole program and the RSS it had before the drive (the input
 * built, nothing run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "harness.h"

static const char usage[] = "usage: map N STANDARD|EXPRESS [PAYLOAD]";

static jv
map_def(long n)
{
	char last[40];

	snprintf(last, sizeof last, "$[%ld]", n - 1);
	return JV_OBJECT(jv_string("StartAt"), jv_string("M"),
	    jv_string("States"), JV_OBJECT(jv_string("M"), JV_OBJECT(
	    jv_string("Type"), jv_string("Map"),
	    jv_string("ItemsPath"), jv_string("$.items"),
	    jv_string("ItemSelector"), JV_OBJECT(
		jv_string("i.$"), jv_string("$$.Map.Item.Index"),
		jv_string("v.$"), jv_string("$$.Map.Item.Value")),
	    jv_string("ItemProcessor"), JV_OBJECT(
		jv_string("ProcessorConfig"), JV_OBJECT(jv_string("Mode"),
		    jv_string("INLINE")),
		jv_string("StartAt"), jv_string("Double"),
		jv_string("States"), JV_OBJECT(jv_string("Double"), JV_OBJECT(
		    jv_string("Type"), jv_string("Pass"),
		    jv_string("Parameters"), JV_OBJECT(
			jv_string("i.$"), jv_string("$.i"),
			jv_string("d.$"), jv_string("States.MathAdd($.i, $.i)"),
			jv_string("v.$"), jv_string("$.v")),
		    jv_string("End"), jv_true()))),
	    jv_string("ResultSelector"), JV_OBJECT(
		jv_string("count.$"), jv_string("States.ArrayLength($)"),
		jv_string("last.$"), jv_string(last)),
	    jv_string("End"), jv_true())));
}

int
main(int argc, char *argv[])
{
	struct asl_exec_options o;
	double secs, cpu;
	char *dir, *end, *pad = NULL;
	long n, payload = -1, before, i;
	jv items, r;

	asl_setprogname(argv[0]);
	if (argc < 3 || argc > 4 || (n = strtol(argv[1], &end, 10)) < 1 ||
	    *end != '\0' || (argc == 4 && ((payload = strtol(argv[3], &end,
	    10)) < 0 || *end != '\0'))) {
		fprintf(stderr, "%s\n", usage);
		return 2;
	}
	asl_exec_options_init(&o);
	o.name = "bench";
	o.express = bench_type(argv[2], usage);
	if (payload >= 0) {
		if ((pad = malloc((size_t)payload + 1)) == NULL)
			return 4;
		memset(pad, 'x', (size_t)payload);
		pad[payload] = '\0';
	}
	items = jv_array_sized((int)n);
	for (i = 0; i < n; i++)
		items = jv_array_append(items, pad == NULL ?
		    jv_number((double)i) : JV_OBJECT(jv_string("k"),
		    jv_number((double)i), jv_string("pad"), jv_string(pad)));
	free(pad);
	before = bench_peak_rss_kb();
	dir = bench_tmpdir();
	r = bench_execute(dir, map_def(n), JV_OBJECT(jv_string("items"), items),
	    &o, &secs, &cpu);
	printf("workload=map n=%ld type=%s payload=%ld seconds=%.6f cpu=%.6f "
	    "item_us=%.3f rss_before_kb=%ld rss_kb=%ld\n", n, argv[2],
	    payload < 0 ? 0 : payload, secs, cpu, secs / n * 1e6, before,
	    bench_peak_rss_kb());
	jv_free(r);
	bench_rmtree(dir);
	free(dir);
	return asl_close_stdout(0);
}
