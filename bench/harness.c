/*
 * harness.c - the shared part of the microbenchmarks (harness.h).
 */
#define _GNU_SOURCE		/* nftw's FTW_DEPTH and FTW_PHYS */
#include <errno.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "asl.h"
#include "asl_doc.h"
#include "asl_json.h"
#include "asl_machine.h"
#include "asl_normalize.h"
#include "asl_store.h"
#include "harness.h"

extern char **environ;

static void __attribute__((noreturn))
die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", asl_getprogname(), what,
	    strerror(errno));
	exit(4);
}

double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
bench_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

long
bench_peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

char *
bench_tmpdir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir;

	if (asprintf(&dir, "%s/asl-bench.XXXXXX", tmp != NULL && *tmp != '\0' ?
	    tmp : "/tmp") == -1)
		die("asprintf");
	if (mkdtemp(dir) == NULL)
		die(dir);
	return dir;
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
bench_rmtree(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int
bench_type(const char *arg, const char *usage)
{
	if (strcmp(arg, "EXPRESS") == 0)
		return 1;
	if (strcmp(arg, "STANDARD") == 0)
		return 0;
	fprintf(stderr, "%s\n", usage);
	exit(2);
}

static void __attribute__((noreturn))
die_jv(const char *what, jv v)
{
	jv msg = jv_invalid_get_msg(v);
	jv text = jv_dump_string(msg, 0);

	fprintf(stderr, "%s: %s: %s\n", asl_getprogname(), what,
	    jv_string_value(text));
	jv_free(text);
	exit(1);
}

jv
bench_execute(const char *dir, jv def, jv input,
    const struct asl_exec_options *o, double *seconds, double *cpu)
{
	struct asl_store st;
	jv r, meta, name, status;
	double t0, c0;

	r = asl_store_open(&st, dir);
	if (!jv_is_valid(r))
		die_jv("store", r);
	jv_free(r);
	meta = asl_exec_start(&st, asl_normalize(def, 0), input, o);
	if (!jv_is_valid(meta))
		die_jv("start", meta);
	name = jv_object_get(meta, jv_string("name"));
	t0 = bench_now();
	c0 = bench_cpu();
	r = asl_exec_drive(&st, jv_string_value(name), o, 1);
	*seconds = bench_now() - t0;
	*cpu = bench_cpu() - c0;
	jv_free(name);
	asl_store_close(&st);
	if (!jv_is_valid(r))
		die_jv("drive", r);
	status = jv_object_get(jv_copy(r), jv_string("status"));
	if (strcmp(jv_string_value(status), "SUCCEEDED") != 0) {
		jv text = jv_dump_string(r, 0);
		fprintf(stderr, "%s: the execution did not succeed: %s\n",
		    asl_getprogname(), jv_string_value(text));
		exit(1);
	}
	jv_free(status);
	return r;
}

jv
bench_chain(long n, const char *prefix, jv state)
{
	jv states = jv_object();
	char name[64], next[64];
	long i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "%s%ld", prefix, i);
		snprintf(next, sizeof next, "%s%ld", prefix, i + 1);
		states = jv_object_set(states, jv_string(name), i == n - 1 ?
		    jv_object_set(jv_copy(state), jv_string("End"), jv_true()) :
		    jv_object_set(jv_copy(state), jv_string("Next"),
		    jv_string(next)));
	}
	jv_free(state);
	snprintf(name, sizeof name, "%s0", prefix);
	return JV_OBJECT(jv_string("StartAt"), jv_string(name),
	    jv_string("States"), states);
}

double
bench_load(const char *dir)
{
	struct asl_machine *m;
	char *path;
	double t0, t;
	jv def, errs;

	double best = 0;
	int i;

	if (asprintf(&path, "%s/executions/bench/definition.json", dir) == -1)
		die("asprintf");
	/* the least of three: what the load costs when nothing disturbs it */
	for (i = 0; i < 3; i++) {
		t0 = bench_now();
		def = asl_doc_read(path, ASL_FORMAT_JSON, 0, NULL);
		if (!jv_is_valid(def))
			die_jv("load", def);
		m = asl_machine_load(def, 0, &errs);
		if (m == NULL)
			die_jv("compile", jv_invalid_with_msg(errs));
		asl_machine_free(m);
		t = bench_now() - t0;
		if (i == 0 || t < best)
			best = t;
	}
	free(path);
	return best;
}

/* Run argv once with doc on its stdin; its whole stdout. */
static char *
spawn_one(const char *doc, size_t doclen, char *const argv[], size_t *len)
{
	posix_spawn_file_actions_t fa;
	int in[2], out[2], status;
	size_t cap = 4096, n = 0;
	char *buf;
	ssize_t r;
	pid_t pid;

	if (pipe(in) == -1 || pipe(out) == -1)
		die("pipe");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_addclose(&fa, in[0]);
	posix_spawn_file_actions_addclose(&fa, in[1]);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	posix_spawn_file_actions_addclose(&fa, out[1]);
	if ((errno = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ)) != 0)
		die(argv[0]);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	/* a document bigger than the pipe would need poll: not our case */
	if (asl_write_all(in[1], doc, doclen) == -1)
		die("write");
	close(in[1]);
	if ((buf = malloc(cap)) == NULL)
		die("malloc");
	while ((r = read(out[0], buf + n, cap - n)) > 0)
		if ((n += (size_t)r) == cap && (buf = realloc(buf, cap *= 2))
		    == NULL)
			die("realloc");
	close(out[0]);
	if (waitpid(pid, &status, 0) == -1)
		die("waitpid");
	*len = n;
	return buf;
}

char *
bench_spawn_chain(int n, const char *input, char *const argv[], size_t *len)
{
	char *doc = strdup(input), *next;
	size_t doclen = strlen(input);
	int i;

	if (doc == NULL)
		die("strdup");
	for (i = 0; i < n; i++) {
		next = spawn_one(doc, doclen, argv, &doclen);
		free(doc);
		doc = next;
	}
	*len = doclen;
	return doc;
}
