/*
 * lib/exec/exec_mapchild.c - the children of a Map Run as executions.
 * Each child has a name (made from its Map Run and its index, so that a
 * resumed or redriven Map Run gives the child the name it had), an ARN
 * under its Map Run's state machine, MACHINE/LABEL, as AWS names them
 * (arn:aws:states:REGION:ACCOUNT:execution:MACHINE/LABEL:NAME), and a
 * history of its own, kept in memory while it runs: ExecutionStarted,
 * its states' events, and how it ended.
 *
 * What is kept of a child once it has ended: a line in its Map Run's
 * journal (exec_items.c) for every child, and an execution in the store
 * (executions/NAME/, with its history) for a child that did not succeed,
 * so that `asl history NAME` shows why it failed and a redrive of the
 * parent appends the child's next attempt to it (ExecutionRedriven).  A
 * child that succeeded leaves its journal line alone: a million
 * directories for a million items would cost more than the work
 * (doc/asl-s3.5).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asl_arn.h"
#include "asl_json.h"
#include "asl_store.h"
#include "exec_int.h"

struct ex_kid {
	struct asl_history	 h;		/* first: frames reach the kid by it */
	jv			 name;
	jv			 input;
	jv			 run;		/* its Map Run's ARN */
	jv			 ctx;		/* $$.Execution, once asked for */
	int			 redrive;
	char			 start[ASL_TIME_BUFSIZE];
	long			 stored;	/* its last event in the store */
};

/* "MACHINE/LABEL" and "REGION:ACCOUNT" of the Map Run ARN arn. */
static void
run_parts(const char *arn, char *where, size_t wlen, char *machine,
    size_t mlen)
{
	/* arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:RUN */
	const char *r = arn, *m = strstr(arn, ":mapRun:"), *end;
	int i;

	for (i = 0; i < 3 && r != NULL; i++)
		r = strchr(r, ':') != NULL ? strchr(r, ':') + 1 : NULL;
	snprintf(where, wlen, "%.*s", r != NULL && m != NULL && m > r ?
	    (int)(m - r) : 0, r != NULL ? r : "");
	if (m == NULL || (end = strrchr(arn, ':')) <= m + 8) {
		snprintf(machine, mlen, "asl");
		return;
	}
	snprintf(machine, mlen, "%.*s", (int)(end - m - 8), m + 8);
}

jv
ex_kid_arn(const char *run, const char *name)
{
	char where[160], machine[256];

	run_parts(run, where, sizeof where, machine,
	    sizeof machine);
	return jv_string_fmt("arn:aws:states:%s:execution:%s:%s", where,
	    machine, name);
}

jv
ex_kid_machine(const char *run)
{
	char where[160], machine[256];

	run_parts(run, where, sizeof where, machine,
	    sizeof machine);
	return jv_string_fmt("arn:aws:states:%s:stateMachine:%s", where,
	    machine);
}

/* The last event id of execution name's history in the store, or 0. */
static long
stored_last(const struct asl_store *st, const char *name)
{
	char *path = asl_store_execution_path(st, name, "history.jsonl");
	jv last = path != NULL && access(path, F_OK) == 0 ?
	    asl_history_last(path) : jv_null();
	jv id = jv_get_kind(last) == JV_KIND_OBJECT ?
	    jv_object_get(last, ASL_LIT("id")) : (jv_free(last), jv_null());
	long n = jv_get_kind(id) == JV_KIND_NUMBER ? (long)jv_number_value(id) :
	    0;

	jv_free(id);
	free(path);
	return n;
}

jv
ex_kid_name_of(const char *run, int index, int redrive)
{
	char seed[512];

	/* Express children are new executions on each redrive [AWS] */
	snprintf(seed, sizeof seed, "%s#%d#%d", run, index, redrive);
	return ex_hashed_name(seed);
}

void
ex_kid_start(struct group *g, struct frame *k, jv input)
{
	struct ex_kid *kid = calloc(1, sizeof *kid);

	if (kid == NULL)
		abort();
	asl_history_open_memory(&kid->h);
	/*
	 * AWS's quota holds for a Standard child too, which fails when it
	 * reaches it and counts as a failed child [AWS: "Redriving Map
	 * Runs"]; it also bounds what a child keeps in memory.
	 */
	if (!g->kid_express)
		kid->h.limit = k->ex->h.limit > 0 ? k->ex->h.limit :
		    ASL_EXEC_HISTORY_LIMIT;
	kid->name = ex_kid_name_of(jv_string_value(g->run_arn), k->index,
	    g->kid_express ? g->redrive : 0);
	kid->input = jv_copy(input);
	kid->run = jv_copy(g->run_arn);
	kid->ctx = jv_null();
	kid->redrive = g->kid_express ? -1 : g->redrive;
	asl_time_format(asl_time_now(), kid->start, sizeof kid->start);
	if (g->redrive > 0 && !g->kid_express && (kid->stored = stored_last(
	    k->ex->store, jv_string_value(kid->name))) > 0) {
		/* it failed before: its history goes on */
		kid->h.next_id = kid->stored + 1;
		k->last = asl_history_add(&kid->h, kid->stored,
		    asl_events_name(ASL_EV_EXECUTION_REDRIVEN), JV_OBJECT(
		    ASL_LIT("redriveCount"), jv_number(g->redrive)));
	} else
		k->last = asl_history_add(&kid->h, 0,
		    asl_events_name(ASL_EV_EXECUTION_STARTED), JV_OBJECT(
		    ASL_LIT("input"), asl_events_text(jv_copy(input)),
		    ASL_LIT("inputDetails"), asl_events_not_truncated(),
		    ASL_LIT("roleArn"), asl_arn_role()));
	ex_kid_free(k->kid);
	k->kid = kid;
	k->hist = &kid->h;
}

jv
ex_kid_context(const struct frame *f, jv ctx)
{
	/* f->hist is its Map Run child's history, the child's first member */
	struct ex_kid *kid = (struct ex_kid *)(void *)f->hist;
	jv machine;

	if (jv_get_kind(kid->ctx) != JV_KIND_OBJECT) {
		/* the child is an execution: $$ names it, not its parent */
		kid->ctx = JV_OBJECT(ASL_LIT("Id"), ex_kid_arn(jv_string_value(
		    kid->run), jv_string_value(kid->name)), ASL_LIT("Input"),
		    jv_copy(kid->input), ASL_LIT("Name"), jv_copy(kid->name),
		    ASL_LIT("RoleArn"), asl_arn_role(), ASL_LIT("StartTime"),
		    jv_string(kid->start));
		if (kid->redrive >= 0)
			kid->ctx = jv_object_set(kid->ctx, ASL_LIT("RedriveCount"),
			    jv_number(kid->stored > 0 ? kid->redrive : 0));
	}
	machine = ex_kid_machine(jv_string_value(kid->run));
	ctx = jv_object_set(ctx, ASL_LIT("Execution"), jv_copy(kid->ctx));
	ctx = jv_object_set(ctx, ASL_LIT("StateMachine"), JV_OBJECT(
	    ASL_LIT("Id"), jv_copy(machine), ASL_LIT("Name"), jv_string(
	    asl_arn_last(jv_string_value(machine)))));
	jv_free(machine);
	return ctx;
}

jv
ex_kid_name(const struct frame *k)
{
	return k->kid != NULL ? k->kid->name : jv_null();
}

int
ex_kid_redriven(const struct frame *k)
{
	return k->kid != NULL && k->kid->stored > 0;
}

const char *
ex_kid_started(const struct frame *k)
{
	return k->kid != NULL ? k->kid->start : "";
}

/* The lines of text (len bytes) as an array of events. */
static jv
events_of(const char *text, size_t len)
{
	const char *p = text, *nl;
	jv a = jv_array();

	while (p < text + len && (nl = memchr(p, '\n', (size_t)(text + len -
	    p))) != NULL) {
		a = jv_array_append(a, asl_json_parse(p, (size_t)(nl - p), NULL,
		    NULL));
		p = nl + 1;
	}
	return a;
}

/* Child k, ended, as an execution of the store. */
static void
store_kid(struct group *g, struct frame *k)
{
	struct exec *ex = k->ex;
	struct ex_kid *kid = k->kid;
	char *path;
	jv meta, machine, r;
	int fd;

	if (kid->stored > 0) {
		/* its earlier attempts are there: this one follows them */
		path = asl_store_execution_path(ex->store,
		    jv_string_value(kid->name), "history.jsonl");
		fd = path != NULL ? open(path, O_WRONLY | O_APPEND | O_CLOEXEC) :
		    -1;
		if (fd != -1) {
			(void)asl_write_all(fd, kid->h.pending.p,
			    kid->h.pending.len);
			if (!g->kid_express)
				(void)fdatasync(fd);
			close(fd);
		}
		free(path);
		return;
	}
	machine = ex_kid_machine(jv_string_value(g->run_arn));
	meta = JV_OBJECT(ASL_LIT("name"), jv_copy(kid->name),
	    ASL_LIT("executionArn"), ex_kid_arn(jv_string_value(g->run_arn), jv_string_value(kid->name)),
	    ASL_LIT("stateMachineName"), jv_string(asl_arn_last(
	    jv_string_value(machine))),
	    ASL_LIT("stateMachineArn"), machine,
	    ASL_LIT("type"), jv_string(g->kid_express ? "EXPRESS" : "STANDARD"),
	    ASL_LIT("input"), jv_copy(kid->input), ASL_LIT("startDate"),
	    jv_string(kid->start));
	meta = jv_object_set(meta, ASL_LIT("mapRunArn"), jv_copy(g->run_arn));
	meta = jv_object_set(meta, ASL_LIT("parent"), jv_string(ex->name));
	meta = jv_object_set(meta, ASL_LIT("roleArn"), asl_arn_role());
	meta = jv_object_set(meta, ASL_LIT("options"), JV_OBJECT(
	    ASL_LIT("history"), jv_true()));
	r = asl_store_create_execution(ex->store, meta, jv_copy(g->kid_def),
	    events_of(kid->h.pending.p, kid->h.pending.len));
	jv_free(r);
}

void
ex_kid_end(struct group *g, struct frame *k, const char *status)
{
	struct ex_kid *kid = k->kid;
	jv d;

	if (kid == NULL)
		return;
	if (strcmp(status, "SUCCEEDED") == 0) {
		d = JV_OBJECT(ASL_LIT("output"), asl_events_text(jv_copy(
		    k->output)), ASL_LIT("outputDetails"),
		    asl_events_not_truncated());
		k->last = asl_history_add(&kid->h, k->last, asl_events_name(
		    ASL_EV_EXECUTION_SUCCEEDED), d);
	} else if (strcmp(status, "FAILED") == 0)
		k->last = asl_history_add(&kid->h, k->last, asl_events_name(
		    ASL_EV_EXECUTION_FAILED), asl_events_error_details(jv_copy(
		    k->error)));
	else
		k->last = asl_history_add(&kid->h, k->last, asl_events_name(
		    ASL_EV_EXECUTION_ABORTED), jv_null());
	if (strcmp(status, "SUCCEEDED") != 0 || kid->stored > 0)
		store_kid(g, k);
}

void
ex_kid_free(struct ex_kid *kid)
{
	if (kid == NULL)
		return;
	asl_history_release(&kid->h);
	jv_free(kid->name);
	jv_free(kid->input);
	jv_free(kid->run);
	jv_free(kid->ctx);
	free(kid);
}
