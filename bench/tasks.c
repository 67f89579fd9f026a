/*
 * tasks - what a Task state costs beyond its process, in-process: a
 * chain of N Task states, each a command (default /bin/cat) that echoes
 * its input, driven through lib/asl_exec.h as `asl run` drives it; and
 * beside it the reference loop (harness.h) that spawns the same N
 * commands one after the other, piping the JSON through them.  Three
 * rounds of both, alternating; the medians.
 *
 *   tasks N STANDARD|EXPRESS [PROGRAM [ARG...]]
 *
 * Prints one line of NAME=VALUE fields: seconds for the chain and for
 * the reference, milliseconds per task for each, and the overhead per
 * task (the difference).  A STANDARD execution fdatasyncs its history
 * before each task starts (the output-commit rule); fsync_ms is what one
 * such fdatasync of a growing file costs here, measured alone.
 */
#define _GNU_SOURCE	/* asprintf */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asl.h"
#include "harness.h"

#define ROUNDS 3
#define RESOURCE "arn:aws:lambda:us-east-1:123456789012:function:Echo"

static const char usage[] = "usage: tasks N STANDARD|EXPRESS "
    "[PROGRAM [ARG...]]";

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One fdatasync after appending a line of history's size, n times. */
static double
fsync_cost(const char *dir, int n)
{
	char *path, line[200];
	double t0, t;
	int fd, i;

	if (asprintf(&path, "%s/fsync-probe", dir) == -1)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd == -1) {
		free(path);
		return 0;
	}
	memset(line, 'x', sizeof line - 1);
	line[sizeof line - 1] = '\n';
	t0 = bench_now();
	for (i = 0; i < n; i++)
		if (asl_write_all(fd, line, sizeof line) == -1 ||
		    fdatasync(fd) == -1)
			break;
	t = (bench_now() - t0) / n;
	close(fd);
	unlink(path);
	free(path);
	return t;
}

int
main(int argc, char *argv[])
{
	static char *cat[] = { "/bin/cat", NULL };
	struct asl_exec_options o;
	double chain[ROUNDS], ref[ROUNDS], cpu, c, r;
	char *dir, *end, *out, name[32];
	char *const *cmd;
	long n;
	size_t len;
	int i;
	jv def, res;

	asl_setprogname(argv[0]);
	if (argc < 3 || (n = strtol(argv[1], &end, 10)) < 1 || *end != '\0') {
		fprintf(stderr, "%s\n", usage);
		return 2;
	}
	cmd = argc > 3 ? argv + 3 : cat;
	asl_exec_options_init(&o);
	o.express = bench_type(argv[2], usage);
	o.jobs = 1;
	o.resources = jv_object_set(jv_object(), jv_string(RESOURCE),
	    jv_array());
	for (i = 0; cmd[i] != NULL; i++)
		o.resources = jv_object_set(o.resources, jv_string(RESOURCE),
		    jv_array_append(jv_object_get(jv_copy(o.resources),
		    jv_string(RESOURCE)), jv_string(cmd[i])));
	def = bench_chain(n, "T", JV_OBJECT(jv_string("Type"),
	    jv_string("Task"), jv_string("Resource"), jv_string(RESOURCE)));
	dir = bench_tmpdir();
	for (i = 0; i < ROUNDS; i++) {
		r = bench_now();
		out = bench_spawn_chain((int)n, "{\"n\":0}", cmd, &len);
		ref[i] = bench_now() - r;
		free(out);
		snprintf(name, sizeof name, "bench%d", i);
		o.name = name;
		jv_free(bench_execute(dir, jv_copy(def),
		    JV_OBJECT(jv_string("n"), jv_number(0)), &o, &chain[i],
		    &cpu));
	}
	c = median(chain, ROUNDS);
	r = median(ref, ROUNDS);
	printf("workload=tasks n=%ld type=%s seconds=%.6f reference=%.6f "
	    "task_ms=%.4f reference_ms=%.4f overhead_ms=%.4f fsync_ms=%.4f "
	    "rss_kb=%ld\n", n, argv[2], c, r, c / n * 1e3, r / n * 1e3,
	    (c - r) / n * 1e3, fsync_cost(dir, 20) * 1e3,
	    bench_peak_rss_kb());
	jv_free(def);
	jv_free(res = o.resources);
	bench_rmtree(dir);
	free(dir);
	return asl_close_stdout(0);
}
