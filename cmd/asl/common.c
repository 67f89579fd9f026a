/*
 * cmd/asl/common.c - what every verb of the driver does the same way.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asl.h"
#include "asl_cli.h"
#include "asl_definition.h"
#include "asl_doc.h"
#include "asl_exec.h"
#include "asl_metrics.h"
#include "asl_store.h"
#include "asl_task.h"
#include "verbs.h"

void
open_store(const struct args *a, struct asl_store *st)
{
	jv r = asl_store_open(st, a->store);

	if (!jv_is_valid(r))
		asl_cli_die_error(ASL_EX_OS, r);
	jv_free(r);
}

const struct asl_time *
since_arg(const struct args *a, struct asl_time *t)
{
	if (a->since == NULL)
		return NULL;
	if (asl_metrics_since(a->since, t) == -1)
		usage("--since: '%s' is not a timestamp or a duration (90s, "
		    "15m, 2h, 7d)", a->since);
	return t;
}

void
die_api(jv err)
{
	asl_cli_die_error(ASL_EX_FAIL, err);
}

jv
load_doc(const char *what, const char *path)
{
	int is_io;
	jv v = asl_doc_read(path, ASL_FORMAT_AUTO, 0, &is_io), msg;

	if (!jv_is_valid(v)) {
		msg = jv_invalid_get_msg(v);
		asl_cli_die(is_io ? ASL_EX_OS : ASL_EX_DATA, "%s %s", what,
		    jv_string_value(msg));
	}
	return v;
}

void
load_definition(struct asl_definition *d, const struct asl_store *st,
    const char *arg, int flags)
{
	jv err;

	asl_definition_init(d);
	if (asl_definition_load(d, st, arg, ASL_FORMAT_AUTO, flags |
	    ASL_DEFINITION_REGISTERED, &err) == -1)
		asl_cli_die_definition(d, err);
}

void
exec_options(const struct args *a, struct asl_exec_options *o)
{
	asl_exec_options_init(o);
	o->name = a->name;
	o->jobs = a->jobs;
	o->history_limit = a->history_limit;
	o->detach = a->detach;
	o->history = a->history;
	o->test_case = a->test_case;
	if (a->resources != NULL)
		o->resources = load_doc("resource map", a->resources);
	if (a->mock != NULL)
		o->mock = load_doc("mock file", a->mock);
	o->path = getenv("ASL_PATH");
	o->s3_root = a->s3_root;
	http_options(a, o);
	progress_options(a, o);
}

void
http_options(const struct args *a, struct asl_exec_options *o)
{
	jv c, msg;

	o->insecure = a->insecure;
	if (a->connections == NULL)
		return;
	c = asl_task_connections_read(a->connections);
	if (!jv_is_valid(c)) {
		msg = jv_invalid_get_msg(c);
		asl_cli_die(ASL_EX_FAIL, "connections file %s",
		    jv_string_value(msg));
	}
	jv_free(o->connections);
	o->connections = c;
}

/* The line redrawn in place: a carriage return, and the rest erased. */
static void
progress_line(void *arg, const char *line)
{
	(void)arg;
	if (line != NULL)
		fprintf(stderr, "\r%s\033[K", line);
	else
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

void
progress_options(const struct args *a, struct asl_exec_options *o)
{
	if (a->progress || (!a->quiet && isatty(STDERR_FILENO)))
		o->progress = progress_line;
}

void
exec_options_release(struct asl_exec_options *o)
{
	jv_free(o->resources);
	jv_free(o->mock);
	jv_free(o->connections);
	jv_free(o->definition);
	jv_free(o->execution);
	asl_exec_options_init(o);
}

static void
on_signal(int sig)
{
	asl_exec_interrupt(sig);
}

/*
 * Ctrl-C and kill stop a drive cleanly: tasks killed, history written;
 * the execution stays RUNNING for resume.  A closed pipe to a task is the
 * task's business, not ours.  A history past the file-size limit (ulimit
 * -f) is a write that fails, as on a full disk, not a death.
 */
void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);	/* asl stop: look at the request */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
}

static int
status_code(const char *status)
{
	if (strcmp(status, "SUCCEEDED") == 0)
		return ASL_EX_OK;
	if (strcmp(status, "TIMED_OUT") == 0)
		return ASL_EX_TIMED_OUT;
	if (strcmp(status, "ABORTED") == 0)
		return ASL_EX_ABORTED;
	if (strcmp(status, "RUNNING") == 0)
		return ASL_EX_WAITING;
	return ASL_EX_FAIL;
}

int
report(jv r, int pretty)
{
	jv status = jv_object_get(jv_copy(r), ASL_LIT("status"));
	jv sig = jv_object_get(jv_copy(r), ASL_LIT("interrupted"));
	int code = status_code(jv_string_value(status));

	if (jv_get_kind(sig) == JV_KIND_NUMBER) {
		asl_cli_warn("interrupted: the execution stays RUNNING");
		code = 128 + (int)jv_number_value(sig);
	} else if (code == ASL_EX_OK)
		asl_print(jv_object_get(jv_copy(r), ASL_LIT("output")), pretty);
	else if (code == ASL_EX_WAITING)
		asl_cli_warn("execution RUNNING: waiting for a timer, a callback "
		    "or an activity worker");
	else {
		jv e = jv_object_get(jv_copy(r), ASL_LIT("error"));
		jv c = jv_object_get(jv_copy(r), ASL_LIT("cause"));
		int has_cause = jv_get_kind(c) == JV_KIND_STRING &&
		    *jv_string_value(c) != '\0';
		int has_error = jv_get_kind(e) == JV_KIND_STRING;
		jv hint = asl_task_unserved_hint(has_error ?
		    jv_string_value(e) : NULL, has_cause ? jv_string_value(c) :
		    NULL);
		asl_cli_warn("execution %s%s%s%s%s", jv_string_value(status),
		    has_error ? ": " : "", has_error ? jv_string_value(e) : "",
		    has_cause ? ": " : "", has_cause ? jv_string_value(c) : "");
		if (jv_get_kind(hint) == JV_KIND_STRING)
			asl_cli_warn("hint: %s", jv_string_value(hint));
		jv_free(hint);
		jv_free(e);
		jv_free(c);
	}
	jv_free(sig);
	jv_free(status);
	jv_free(r);
	return code;
}
