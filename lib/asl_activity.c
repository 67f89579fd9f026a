/*
 * asl_activity.c - activities and their queues of tasks in the store
 * (asl_activity.h).
 */
#define _GNU_SOURCE	/* asprintf */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "asl.h"
#include "asl_activity.h"
#include "asl_arn.h"
#include "asl_doc.h"
#include "asl_json.h"
#include "asl_store.h"
#include "asl_time.h"

jv
asl_activity_create(const struct asl_store *st, const char *name)
{
	char now[ASL_TIME_BUFSIZE];
	jv ok = asl_arn_name_check(name), old, rec, r;

	if (!jv_is_valid(ok))
		return ok;
	jv_free(ok);
	old = asl_store_read(st, "activities/%s.json%s", name, "");
	if (jv_get_kind(old) == JV_KIND_OBJECT)
		return old;	/* CreateActivity is idempotent */
	jv_free(old);
	asl_time_format(asl_time_now(), now, sizeof now);
	rec = JV_OBJECT(ASL_LIT("activityArn"), asl_arn_activity(name),
	    ASL_LIT("name"), jv_string(name), ASL_LIT("creationDate"),
	    jv_string(now));
	r = asl_store_putf(st, jv_copy(rec), 0, "activities/%s.json%s", name, "");
	if (!jv_is_valid(r)) {
		jv_free(rec);
		return r;
	}
	jv_free(r);
	return rec;
}

int
asl_activity_exists(const struct asl_store *st, const char *name)
{
	char *path;
	int ok;

	if (!jv_is_valid(asl_arn_name_check(name)))
		return 0;
	path = asl_store_path(st, "activities/%s.json", name);
	ok = path != NULL && access(path, F_OK) == 0;
	free(path);
	return ok;
}

jv
asl_activity_enqueue(const struct asl_store *st, const char *name,
    const char *token, jv input, const char *execution)
{
	struct timespec ts;
	char seq[80];

	clock_gettime(CLOCK_REALTIME, &ts);
	/* the name sorts by time: workers take the oldest first */
	snprintf(seq, sizeof seq, "%020lld%09ld-%s", (long long)ts.tv_sec,
	    ts.tv_nsec, token);
	return asl_store_putf(st, JV_OBJECT(ASL_LIT("taskToken"), jv_string(token),
	    ASL_LIT("input"), input, ASL_LIT("execution"),
	    jv_string(execution)), 0, "activities/%s/queue/%s.json", name, seq);
}

int
asl_activity_queued(const struct asl_store *st, const char *name,
    const char *token)
{
	char *qdir = asl_store_path(st, "activities/%s/queue", name);
	struct dirent *de;
	size_t tl = strlen(token), len;
	DIR *d;
	int found = 0;

	if (qdir != NULL && (d = opendir(qdir)) != NULL) {
		while (!found && (de = readdir(d)) != NULL) {
			len = strlen(de->d_name);
			found = len > tl + 5 && strncmp(de->d_name + len - tl - 5,
			    token, tl) == 0;
		}
		closedir(d);
	}
	free(qdir);
	return found;
}


static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Try once to take the oldest queued task; null if none. */
static jv
take_one(const struct asl_store *st, const char *name, const char *worker)
{
	char *qdir = asl_store_path(st, "activities/%s/queue", name);
	char *tdir = asl_store_path(st, "activities/%s/taken", name);
	char **names = NULL, *from = NULL, *to = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;
	jv r = jv_null();

	if (qdir == NULL || tdir == NULL || (d = opendir(qdir)) == NULL)
		goto out;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			if ((names = realloc(names, cap * sizeof *names)) == NULL)
				abort();
		}
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, by_name);
	mkdir(tdir, 0700);
	for (i = 0; i < n && jv_get_kind(r) == JV_KIND_NULL; i++) {
		jv task, tok, exec, in;
		free(from);
		free(to);
		if (asprintf(&from, "%s/%s", qdir, names[i]) == -1 ||
		    asprintf(&to, "%s/%s", tdir, names[i]) == -1)
			abort();
		/* the rename is the claim: one worker gets it */
		if (rename(from, to) == -1)
			continue;
		task = asl_doc_read(to, ASL_FORMAT_JSON, 0, NULL);
		if (jv_get_kind(task) != JV_KIND_OBJECT) {
			jv_free(task);
			continue;
		}
		tok = jv_object_get(jv_copy(task), ASL_LIT("taskToken"));
		exec = jv_object_get(jv_copy(task), ASL_LIT("execution"));
		in = jv_object_get(task, ASL_LIT("input"));
		jv_free(asl_store_putf(st, JV_OBJECT(ASL_LIT("workerName"), worker !=
		    NULL ? jv_string(worker) : jv_null()), 0,
		    "executions/%s/inbox/%s.started", jv_string_value(exec),
		    jv_string_value(tok)));
		r = JV_OBJECT(ASL_LIT("taskToken"), tok, ASL_LIT("input"),
		    jv_dump_string(in, 0));
		jv_free(exec);
		unlink(to);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
out:
	free(from);
	free(to);
	free(qdir);
	free(tdir);
	return r;
}

jv
asl_activity_take(const struct asl_store *st, const char *name,
    const char *worker, double wait)
{
	struct timespec start, now, nap = { 0, 50 * 1000 * 1000 };
	jv r;

	if (!asl_activity_exists(st, name))
		return asl_error("ActivityDoesNotExist", "Activity Does Not "
		    "Exist: '%s'", name);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		r = take_one(st, name, worker);
		if (jv_get_kind(r) != JV_KIND_NULL)
			return r;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((double)(now.tv_sec - start.tv_sec) + (now.tv_nsec -
		    start.tv_nsec) / 1e9 >= wait)
			return r;
		nanosleep(&nap, NULL);
	}
}
