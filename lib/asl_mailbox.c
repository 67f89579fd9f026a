/*
 * asl_mailbox.c - what other processes leave for an execution's driver in
 * the store: answers, heartbeats, stop requests (asl_mailbox.h).
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
#include "asl_doc.h"
#include "asl_json.h"
#include "asl_mailbox.h"
#include "asl_store.h"
#include "asl_time.h"

/* The object in the inbox file of token with extension ext, or null. */
static jv
inbox_object(const struct asl_store *st, const char *execution,
    const char *token, const char *ext)
{
	char *path = asl_store_path(st, "executions/%s/inbox/%s.%s",
	    execution, token, ext);
	jv v = path != NULL && access(path, F_OK) == 0 ?
	    asl_doc_read(path, ASL_FORMAT_JSON, 0, NULL) : jv_invalid();

	free(path);
	if (jv_get_kind(v) == JV_KIND_OBJECT)
		return v;
	jv_free(v);
	return jv_null();
}

jv
asl_mailbox_result(const struct asl_store *st, const char *execution,
    const char *token)
{
	return inbox_object(st, execution, token, "json");
}

jv
asl_mailbox_started(const struct asl_store *st, const char *execution,
    const char *token)
{
	return inbox_object(st, execution, token, "started");
}

double
asl_mailbox_heartbeat(const struct asl_store *st, const char *execution,
    const char *token)
{
	jv v = asl_store_read(st, "executions/%s/inbox/%s.heartbeat", execution,
	    token);
	double t = jv_get_kind(v) == JV_KIND_NUMBER ? jv_number_value(v) : 0;

	jv_free(v);
	return t;
}

void
asl_mailbox_clear(const struct asl_store *st, const char *execution,
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
asl_mailbox_stamp(const struct asl_store *st, const char *execution)
{
	char *path = asl_store_path(st, "executions/%s/inbox", execution);
	struct stat sb;
	double t = 0;

	if (path != NULL && stat(path, &sb) == 0)
		t = (double)sb.st_mtim.tv_sec + sb.st_mtim.tv_nsec / 1e9;
	free(path);
	return t;
}

jv
asl_mailbox_stop(const struct asl_store *st, const char *execution,
    jv error, jv cause)
{
	return asl_store_putf(st, JV_OBJECT(ASL_LIT("error"), error, ASL_LIT("cause"),
	    cause), 0, "executions/%s/stop.json%s", execution, "");
}

jv
asl_mailbox_stop_requested(const struct asl_store *st, const char *execution)
{
	jv v = asl_store_read(st, "executions/%s/stop.json%s", execution, "");

	if (jv_get_kind(v) == JV_KIND_OBJECT)
		return v;
	jv_free(v);
	return jv_null();
}

void
asl_mailbox_driver_set(const struct asl_store *st, const char *execution)
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
asl_mailbox_driver_get(const struct asl_store *st, const char *execution)
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
