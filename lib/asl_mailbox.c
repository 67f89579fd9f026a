/*
 * asl_mailbox.c - tokens, inboxes, activity queues and stop requests in
 * the store (asl_mailbox.h).
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
#include "asl_arn.h"
#include "asl_json.h"
#include "asl_mailbox.h"
#include "asl_store.h"
#include "asl_time.h"

#define TOKEN_LEN 64

jv
asl_token_new(void)
{
	unsigned char b[TOKEN_LEN / 2];
	char hex[TOKEN_LEN + 1];
	size_t i;

	if (asl_random_bytes(b, sizeof b) == -1)
		abort();	/* never a guessable token */
	for (i = 0; i < sizeof b; i++)
		snprintf(hex + 2 * i, 3, "%02x", b[i]);
	return jv_string(hex);
}

/* Whether token has our shape: it is then safe as a file name. */
static int
token_ok(const char *token)
{
	size_t i;

	for (i = 0; token[i] != '\0'; i++)
		if (!((token[i] >= '0' && token[i] <= '9') ||
		    (token[i] >= 'a' && token[i] <= 'f')))
			return 0;
	return i == TOKEN_LEN;
}

static jv
read_rel(const struct asl_store *st, const char *fmt, const char *a,
    const char *b)
{
	char *path = asl_store_path(st, fmt, a, b);
	jv v;

	if (path == NULL)
		return jv_invalid();
	v = access(path, F_OK) == 0 ? asl_json_read(path, 0, NULL) :
	    jv_invalid();
	free(path);
	return v;
}

static jv
put(const struct asl_store *st, jv v, int excl, const char *fmt,
    const char *a, const char *b)
{
	char *rel;
	jv r;

	if (asprintf(&rel, fmt, a, b) == -1) {
		jv_free(v);
		return asl_error("States.Runtime", "out of memory");
	}
	r = asl_store_put(st, rel, v, excl);
	free(rel);
	return r;
}

jv
asl_token_register(const struct asl_store *st, const char *token,
    const char *execution, long scheduled_id, const char *state,
    const char *activity)
{
	char id[24];
	jv rec = JV_OBJECT(ASL_LIT("execution"), jv_string(execution),
	    ASL_LIT("scheduledEventId"), jv_number(scheduled_id),
	    ASL_LIT("state"), jv_string(state)), r;

	if (activity != NULL)
		rec = jv_object_set(rec, ASL_LIT("activity"),
		    jv_string(activity));
	r = put(st, rec, 0, "tokens/%s.json%s", token, "");
	if (!jv_is_valid(r))
		return r;
	jv_free(r);
	snprintf(id, sizeof id, "%ld", scheduled_id);
	return put(st, jv_string(token), 0, "executions/%s/tokens/%s",
	    execution, id);
}

jv
asl_token_of(const struct asl_store *st, const char *execution,
    long scheduled_id)
{
	char id[24];
	jv v;

	snprintf(id, sizeof id, "%ld", scheduled_id);
	v = read_rel(st, "executions/%s/tokens/%s", execution, id);
	if (jv_get_kind(v) == JV_KIND_STRING)
		return v;
	jv_free(v);
	return jv_null();
}

void
asl_token_close(const struct asl_store *st, const char *token,
    const char *how)
{
	jv rec = read_rel(st, "tokens/%s.json%s", token, "");

	if (jv_get_kind(rec) != JV_KIND_OBJECT) {
		jv_free(rec);
		return;
	}
	rec = jv_object_set(rec, ASL_LIT("closed"), jv_string(how));
	jv_free(put(st, rec, 0, "tokens/%s.json%s", token, ""));
}

/* The token's record if the task is open, else the API's error. */
static jv
open_token(const struct asl_store *st, const char *token)
{
	jv rec, closed;

	if (!token_ok(token))
		return asl_error("InvalidToken", "Invalid Token: '%s'", token);
	rec = read_rel(st, "tokens/%s.json%s", token, "");
	if (jv_get_kind(rec) != JV_KIND_OBJECT) {
		jv_free(rec);
		return asl_error("TaskDoesNotExist", "Task Does Not Exist: "
		    "'%s'", token);
	}
	closed = jv_object_get(jv_copy(rec), ASL_LIT("closed"));
	if (jv_get_kind(closed) == JV_KIND_STRING) {
		int to = strcmp(jv_string_value(closed), "timed-out") == 0;
		jv_free(closed);
		jv_free(rec);
		return to ? asl_error("TaskTimedOut", "Task Timed Out: "
		    "'Provided task does not exist anymore'") :
		    asl_error("TaskDoesNotExist", "Task Does Not Exist: "
		    "the task of '%s' is already closed", token);
	}
	jv_free(closed);
	return rec;
}

jv
asl_send_task_result(const struct asl_store *st, const char *token,
    jv message)
{
	jv rec = open_token(st, token), exec, r;

	if (!jv_is_valid(rec)) {
		jv_free(message);
		return rec;
	}
	exec = jv_object_get(jv_copy(rec), ASL_LIT("execution"));
	r = put(st, message, 1, "executions/%s/inbox/%s.json",
	    jv_string_value(exec), token);
	jv_free(exec);
	if (!jv_is_valid(r)) {
		jv msg = jv_invalid_get_msg(jv_copy(r));
		jv e = jv_object_get(msg, ASL_LIT("Error"));
		int dup = strcmp(jv_string_value(e), "AlreadyExists") == 0;
		jv_free(e);
		jv_free(rec);
		if (!dup)
			return r;
		jv_free(r);
		return asl_error("TaskDoesNotExist", "Task Does Not Exist: "
		    "the task of '%s' has been answered already", token);
	}
	jv_free(r);
	return rec;
}

jv
asl_send_task_heartbeat(const struct asl_store *st, const char *token)
{
	jv rec = open_token(st, token), exec, r;
	struct timespec ts;

	if (!jv_is_valid(rec))
		return rec;
	clock_gettime(CLOCK_REALTIME, &ts);
	exec = jv_object_get(jv_copy(rec), ASL_LIT("execution"));
	r = put(st, jv_number((double)ts.tv_sec + ts.tv_nsec / 1e9), 0,
	    "executions/%s/inbox/%s.heartbeat", jv_string_value(exec), token);
	jv_free(exec);
	if (!jv_is_valid(r)) {
		jv_free(rec);
		return r;
	}
	jv_free(r);
	return rec;
}

/* The object in the inbox file of token with extension ext, or null. */
static jv
inbox_object(const struct asl_store *st, const char *execution,
    const char *token, const char *ext)
{
	char *path = asl_store_path(st, "executions/%s/inbox/%s.%s",
	    execution, token, ext);
	jv v = path != NULL && access(path, F_OK) == 0 ?
	    asl_json_read(path, 0, NULL) : jv_invalid();

	free(path);
	if (jv_get_kind(v) == JV_KIND_OBJECT)
		return v;
	jv_free(v);
	return jv_null();
}

jv
asl_inbox_result(const struct asl_store *st, const char *execution,
    const char *token)
{
	return inbox_object(st, execution, token, "json");
}

jv
asl_inbox_started(const struct asl_store *st, const char *execution,
    const char *token)
{
	return inbox_object(st, execution, token, "started");
}

double
asl_inbox_heartbeat(const struct asl_store *st, const char *execution,
    const char *token)
{
	jv v = read_rel(st, "executions/%s/inbox/%s.heartbeat", execution,
	    token);
	double t = jv_get_kind(v) == JV_KIND_NUMBER ? jv_number_value(v) : 0;

	jv_free(v);
	return t;
}

void
asl_inbox_clear(const struct asl_store *st, const char *execution,
    const char *token)
{
	static const char *const ext[] = { "json", "started", "heartbeat" };
	size_t i;
	char *path;

	for (i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		path = asl_store_path(st, "executions/%s/inbox/%s.%s",
		    execution, token, ext[i]);
		if (path != NULL)
			unlink(path);
		free(path);
	}
}

double
asl_inbox_stamp(const struct asl_store *st, const char *execution)
{
	char *path = asl_store_path(st, "executions/%s/inbox", execution);
	struct stat sb;
	double t = 0;

	if (path != NULL && stat(path, &sb) == 0)
		t = (double)sb.st_mtim.tv_sec + sb.st_mtim.tv_nsec / 1e9;
	free(path);
	return t;
}

/* Activities. */

jv
asl_activity_create(const struct asl_store *st, const char *name)
{
	char now[ASL_TIME_BUFSIZE];
	jv ok = asl_arn_name_check(name), old, rec, r;

	if (!jv_is_valid(ok))
		return ok;
	jv_free(ok);
	old = read_rel(st, "activities/%s.json%s", name, "");
	if (jv_get_kind(old) == JV_KIND_OBJECT)
		return old;	/* CreateActivity is idempotent */
	jv_free(old);
	asl_time_format(asl_clock_now(), now, sizeof now);
	rec = JV_OBJECT(ASL_LIT("activityArn"), asl_arn_activity(name),
	    ASL_LIT("name"), jv_string(name), ASL_LIT("creationDate"),
	    jv_string(now));
	r = put(st, jv_copy(rec), 0, "activities/%s.json%s", name, "");
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
	return put(st, JV_OBJECT(ASL_LIT("taskToken"), jv_string(token),
	    ASL_LIT("input"), input, ASL_LIT("execution"),
	    jv_string(execution)), 0, "activities/%s/queue/%s.json", name, seq);
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
		task = asl_json_read(to, 0, NULL);
		if (jv_get_kind(task) != JV_KIND_OBJECT) {
			jv_free(task);
			continue;
		}
		tok = jv_object_get(jv_copy(task), ASL_LIT("taskToken"));
		exec = jv_object_get(jv_copy(task), ASL_LIT("execution"));
		in = jv_object_get(task, ASL_LIT("input"));
		jv_free(put(st, JV_OBJECT(ASL_LIT("workerName"), worker !=
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

/* Stop requests and the driver's pid. */

jv
asl_stop_request(const struct asl_store *st, const char *execution,
    jv error, jv cause)
{
	return put(st, JV_OBJECT(ASL_LIT("error"), error, ASL_LIT("cause"),
	    cause), 0, "executions/%s/stop.json%s", execution, "");
}

jv
asl_stop_requested(const struct asl_store *st, const char *execution)
{
	jv v = read_rel(st, "executions/%s/stop.json%s", execution, "");

	if (jv_get_kind(v) == JV_KIND_OBJECT)
		return v;
	jv_free(v);
	return jv_null();
}

void
asl_driver_set(const struct asl_store *st, const char *execution)
{
	char *path = asl_store_path(st, "executions/%s/driver", execution);
	FILE *fp;

	if (path != NULL && (fp = fopen(path, "w")) != NULL) {
		fprintf(fp, "%ld\n", (long)getpid());
		fclose(fp);
	}
	free(path);
}

long
asl_driver_get(const struct asl_store *st, const char *execution)
{
	char *path = asl_store_path(st, "executions/%s/driver", execution);
	FILE *fp;
	long pid = 0;

	if (path != NULL && (fp = fopen(path, "r")) != NULL) {
		if (fscanf(fp, "%ld", &pid) != 1)
			pid = 0;
		fclose(fp);
	}
	free(path);
	return pid;
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
