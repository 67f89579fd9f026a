/*
 * asl_token.c - task tokens in the store, and the answers sent for them
 * (asl_token.h).
 */
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
#include "asl_json.h"
#include "asl_store.h"
#include "asl_time.h"
#include "asl_token.h"

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
	r = asl_store_putf(st, rec, 0, "tokens/%s.json%s", token, "");
	if (!jv_is_valid(r))
		return r;
	jv_free(r);
	snprintf(id, sizeof id, "%ld", scheduled_id);
	return asl_store_putf(st, jv_string(token), 0, "executions/%s/tokens/%s",
	    execution, id);
}

jv
asl_token_of(const struct asl_store *st, const char *execution,
    long scheduled_id)
{
	char id[24];
	jv v;

	snprintf(id, sizeof id, "%ld", scheduled_id);
	v = asl_store_read(st, "executions/%s/tokens/%s", execution, id);
	if (jv_get_kind(v) == JV_KIND_STRING)
		return v;
	jv_free(v);
	return jv_null();
}

void
asl_token_close(const struct asl_store *st, const char *token,
    const char *how)
{
	jv rec = asl_store_read(st, "tokens/%s.json%s", token, "");

	if (jv_get_kind(rec) != JV_KIND_OBJECT) {
		jv_free(rec);
		return;
	}
	rec = jv_object_set(rec, ASL_LIT("closed"), jv_string(how));
	jv_free(asl_store_putf(st, rec, 0, "tokens/%s.json%s", token, ""));
}

/* The token's record if the task is open, else the API's error. */
static jv
open_token(const struct asl_store *st, const char *token)
{
	jv rec, closed;

	if (!token_ok(token))
		return asl_error("InvalidToken", "Invalid Token: '%s'", token);
	rec = asl_store_read(st, "tokens/%s.json%s", token, "");
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
asl_token_send_result(const struct asl_store *st, const char *token,
    jv message)
{
	jv rec = open_token(st, token), exec, r;

	if (!jv_is_valid(rec)) {
		jv_free(message);
		return rec;
	}
	exec = jv_object_get(jv_copy(rec), ASL_LIT("execution"));
	r = asl_store_putf(st, message, 1, "executions/%s/inbox/%s.json",
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
asl_token_send_heartbeat(const struct asl_store *st, const char *token)
{
	jv rec = open_token(st, token), exec, r;
	struct timespec ts;

	if (!jv_is_valid(rec))
		return rec;
	clock_gettime(CLOCK_REALTIME, &ts);
	exec = jv_object_get(jv_copy(rec), ASL_LIT("execution"));
	r = asl_store_putf(st, jv_number((double)ts.tv_sec + ts.tv_nsec / 1e9), 0,
	    "executions/%s/inbox/%s.heartbeat", jv_string_value(exec), token);
	jv_free(exec);
	if (!jv_is_valid(r)) {
		jv_free(rec);
		return r;
	}
	jv_free(r);
	return rec;
}
