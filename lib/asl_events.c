/*
 * asl_events.c - the vocabulary of histories (asl_events.h).
 */
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_events.h"
#include "asl_json.h"
#include "asl_machine.h"

#define NONE	(-1)
#define L	ASL_FAMILY_LAMBDA
#define T	ASL_FAMILY_TASK
#define A	ASL_FAMILY_ACTIVITY

/* AWS's HistoryEventType values, by name. */
static const struct asl_event_type types[] = {
	{ "ActivityFailed", ASL_EV_TASK_FAILED, NONE, A },
	{ "ActivityScheduleFailed", ASL_EV_TASK_SCHEDULE_FAILED, NONE, A },
	{ "ActivityScheduled", ASL_EV_TASK_SCHEDULED, NONE, A },
	{ "ActivityStarted", ASL_EV_TASK_STARTED, NONE, A },
	{ "ActivitySucceeded", ASL_EV_TASK_SUCCEEDED, NONE, A },
	{ "ActivityTimedOut", ASL_EV_TASK_TIMED_OUT, NONE, A },
	{ "ChoiceStateEntered", ASL_EV_STATE_ENTERED, ASL_CHOICE, NONE },
	{ "ChoiceStateExited", ASL_EV_STATE_EXITED, ASL_CHOICE, NONE },
	{ "EvaluationFailed", ASL_EV_EVALUATION_FAILED, NONE, NONE },
	{ "ExecutionAborted", ASL_EV_EXECUTION_ABORTED, NONE, NONE },
	{ "ExecutionFailed", ASL_EV_EXECUTION_FAILED, NONE, NONE },
	{ "ExecutionRedriven", ASL_EV_EXECUTION_REDRIVEN, NONE, NONE },
	{ "ExecutionStarted", ASL_EV_EXECUTION_STARTED, NONE, NONE },
	{ "ExecutionSucceeded", ASL_EV_EXECUTION_SUCCEEDED, NONE, NONE },
	{ "ExecutionTimedOut", ASL_EV_EXECUTION_TIMED_OUT, NONE, NONE },
	{ "FailStateEntered", ASL_EV_STATE_ENTERED, ASL_FAIL, NONE },
	{ "LambdaFunctionFailed", ASL_EV_TASK_FAILED, NONE, L },
	{ "LambdaFunctionScheduleFailed", ASL_EV_TASK_SCHEDULE_FAILED, NONE,
	    L },
	{ "LambdaFunctionScheduled", ASL_EV_TASK_SCHEDULED, NONE, L },
	{ "LambdaFunctionStartFailed", ASL_EV_TASK_START_FAILED, NONE, L },
	{ "LambdaFunctionStarted", ASL_EV_TASK_STARTED, NONE, L },
	{ "LambdaFunctionSucceeded", ASL_EV_TASK_SUCCEEDED, NONE, L },
	{ "LambdaFunctionTimedOut", ASL_EV_TASK_TIMED_OUT, NONE, L },
	{ "MapIterationAborted", ASL_EV_ITERATION_ABORTED, ASL_MAP, NONE },
	{ "MapIterationFailed", ASL_EV_ITERATION_FAILED, ASL_MAP, NONE },
	{ "MapIterationStarted", ASL_EV_ITERATION_STARTED, ASL_MAP, NONE },
	{ "MapIterationSucceeded", ASL_EV_ITERATION_SUCCEEDED, ASL_MAP, NONE },
	{ "MapRunAborted", ASL_EV_MAP_RUN_ABORTED, ASL_MAP, NONE },
	{ "MapRunFailed", ASL_EV_MAP_RUN_FAILED, ASL_MAP, NONE },
	{ "MapRunRedriven", ASL_EV_MAP_RUN_REDRIVEN, ASL_MAP, NONE },
	{ "MapRunStarted", ASL_EV_MAP_RUN_STARTED, ASL_MAP, NONE },
	{ "MapRunSucceeded", ASL_EV_MAP_RUN_SUCCEEDED, ASL_MAP, NONE },
	{ "MapStateAborted", ASL_EV_STATE_ABORTED, ASL_MAP, NONE },
	{ "MapStateEntered", ASL_EV_STATE_ENTERED, ASL_MAP, NONE },
	{ "MapStateExited", ASL_EV_STATE_EXITED, ASL_MAP, NONE },
	{ "MapStateFailed", ASL_EV_GROUP_FAILED, ASL_MAP, NONE },
	{ "MapStateStarted", ASL_EV_GROUP_STARTED, ASL_MAP, NONE },
	{ "MapStateSucceeded", ASL_EV_GROUP_SUCCEEDED, ASL_MAP, NONE },
	{ "ParallelStateAborted", ASL_EV_STATE_ABORTED, ASL_PARALLEL, NONE },
	{ "ParallelStateEntered", ASL_EV_STATE_ENTERED, ASL_PARALLEL, NONE },
	{ "ParallelStateExited", ASL_EV_STATE_EXITED, ASL_PARALLEL, NONE },
	{ "ParallelStateFailed", ASL_EV_GROUP_FAILED, ASL_PARALLEL, NONE },
	{ "ParallelStateStarted", ASL_EV_GROUP_STARTED, ASL_PARALLEL, NONE },
	{ "ParallelStateSucceeded", ASL_EV_GROUP_SUCCEEDED, ASL_PARALLEL,
	    NONE },
	{ "PassStateEntered", ASL_EV_STATE_ENTERED, ASL_PASS, NONE },
	{ "PassStateExited", ASL_EV_STATE_EXITED, ASL_PASS, NONE },
	{ "SucceedStateEntered", ASL_EV_STATE_ENTERED, ASL_SUCCEED, NONE },
	{ "SucceedStateExited", ASL_EV_STATE_EXITED, ASL_SUCCEED, NONE },
	{ "TaskFailed", ASL_EV_TASK_FAILED, NONE, T },
	{ "TaskScheduled", ASL_EV_TASK_SCHEDULED, NONE, T },
	{ "TaskStartFailed", ASL_EV_TASK_START_FAILED, NONE, T },
	{ "TaskStarted", ASL_EV_TASK_STARTED, NONE, T },
	{ "TaskStateAborted", ASL_EV_STATE_ABORTED, ASL_TASK, NONE },
	{ "TaskStateEntered", ASL_EV_STATE_ENTERED, ASL_TASK, NONE },
	{ "TaskStateExited", ASL_EV_STATE_EXITED, ASL_TASK, NONE },
	{ "TaskSubmitFailed", ASL_EV_TASK_SUBMIT_FAILED, NONE, T },
	{ "TaskSubmitted", ASL_EV_TASK_SUBMITTED, NONE, T },
	{ "TaskSucceeded", ASL_EV_TASK_SUCCEEDED, NONE, T },
	{ "TaskTimedOut", ASL_EV_TASK_TIMED_OUT, NONE, T },
	{ "WaitStateAborted", ASL_EV_STATE_ABORTED, ASL_WAIT, NONE },
	{ "WaitStateEntered", ASL_EV_STATE_ENTERED, ASL_WAIT, NONE },
	{ "WaitStateExited", ASL_EV_STATE_EXITED, ASL_WAIT, NONE }
};

#define NTYPES	(sizeof types / sizeof types[0])

static int
by_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct asl_event_type *)elem)->name);
}

const struct asl_event_type *
asl_events_lookup(const char *name)
{
	return bsearch(name, types, NTYPES, sizeof types[0], by_name);
}

#define NKINDS	(ASL_EV_EVALUATION_FAILED + 1)

/*
 * The names by kind and state type, and by kind and task family, made
 * once from the table: a history writes one for almost every event.
 */
static const char *by_state[NKINDS][ASL_MAP + 1];
static const char *by_family[NKINDS][ASL_FAMILY_ACTIVITY + 1];
static const char *by_kind[NKINDS];
static int indexed;

static void
index_types(void)
{
	size_t i;

	for (i = 0; i < NTYPES; i++) {
		if (types[i].state != NONE)
			by_state[types[i].kind][types[i].state] = types[i].name;
		else if (types[i].family != NONE)
			by_family[types[i].kind][types[i].family] = types[i].name;
		else
			by_kind[types[i].kind] = types[i].name;
	}
	indexed = 1;
}

const char *
asl_events_state_event(enum asl_event_kind kind, int state)
{
	if (!indexed)
		index_types();
	if ((unsigned)kind >= NKINDS || state < ASL_PASS || state > ASL_MAP)
		return NULL;
	return by_state[kind][state];
}

const char *
asl_events_task_event(enum asl_event_kind kind, enum asl_task_family family)
{
	if (!indexed)
		index_types();
	if ((unsigned)kind >= NKINDS || (unsigned)family > ASL_FAMILY_ACTIVITY)
		return NULL;
	return by_family[kind][family];
}

const char *
asl_events_name(enum asl_event_kind kind)
{
	if (!indexed)
		index_types();
	return (unsigned)kind < NKINDS ? by_kind[kind] : NULL;
}

const char *
asl_events_status(enum asl_event_kind kind)
{
	switch (kind) {
	case ASL_EV_EXECUTION_SUCCEEDED:
		return "SUCCEEDED";
	case ASL_EV_EXECUTION_FAILED:
		return "FAILED";
	case ASL_EV_EXECUTION_TIMED_OUT:
		return "TIMED_OUT";
	case ASL_EV_EXECUTION_ABORTED:
		return "ABORTED";
	default:
		return "RUNNING";
	}
}

const char *
asl_events_details_member(const char *type, char buf[ASL_EVENTS_KEYSIZE])
{
	static const char *const suffixes[] = { "StateEntered", "StateExited" };
	size_t len = strlen(type), n, i;

	/* TaskStateEntered, PassStateExited ...: one shared member */
	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		n = strlen(suffixes[i]);
		if (len > n && strcmp(type + len - n, suffixes[i]) == 0)
			return i == 0 ? "stateEnteredEventDetails" :
			    "stateExitedEventDetails";
	}
	if (len + 16 >= ASL_EVENTS_KEYSIZE)
		return "eventDetails";
	memcpy(buf, type, len);
	buf[0] = (char)(buf[0] >= 'A' && buf[0] <= 'Z' ? buf[0] - 'A' + 'a' :
	    buf[0]);
	strcpy(buf + len, "EventDetails");
	return buf;
}

jv
asl_events_details_key(const char *type)
{
	char buf[ASL_EVENTS_KEYSIZE];
	const char *k = asl_events_details_member(type, buf);

	return k == buf ? jv_string(buf) : asl_key(k);
}

jv
asl_events_text(jv v)
{
	return asl_json_text(v);
}

jv
asl_events_not_truncated(void)
{
	return JV_OBJECT(ASL_LIT("truncated"), jv_false());
}

jv
asl_events_state_entered(const char *name, jv input)
{
	return JV_OBJECT(ASL_LIT("name"), jv_string(name),
	    ASL_LIT("input"), asl_events_text(input),
	    ASL_LIT("inputDetails"), asl_events_not_truncated());
}

jv
asl_events_state_exited(const char *name, jv output, jv assigned)
{
	jv d = JV_OBJECT(ASL_LIT("name"), jv_string(name),
	    ASL_LIT("output"), asl_events_text(output),
	    ASL_LIT("outputDetails"), asl_events_not_truncated());

	if (jv_get_kind(assigned) == JV_KIND_OBJECT &&
	    jv_object_length(jv_copy(assigned)) > 0) {
		jv texts = jv_object();
		jv_object_foreach(assigned, k, v)
			texts = jv_object_set(texts, k, asl_events_text(v));
		d = jv_object_set(d, ASL_LIT("assignedVariables"), texts);
		d = jv_object_set(d, ASL_LIT("assignedVariablesDetails"),
		    asl_events_not_truncated());
	}
	jv_free(assigned);
	return d;
}

jv
asl_events_error_details(jv error)
{
	jv d = jv_object(), e, c;

	if (jv_get_kind(error) == JV_KIND_OBJECT) {
		e = jv_object_get(jv_copy(error), ASL_LIT("Error"));
		c = jv_object_get(jv_copy(error), ASL_LIT("Cause"));
		/* AWS leaves out what is not there */
		if (jv_get_kind(e) == JV_KIND_STRING)
			d = jv_object_set(d, ASL_LIT("error"), e);
		else
			jv_free(e);
		if (jv_get_kind(c) == JV_KIND_STRING)
			d = jv_object_set(d, ASL_LIT("cause"), c);
		else
			jv_free(c);
	}
	jv_free(error);
	return d;
}

jv
asl_events_copy_error(jv out, jv details)
{
	jv e, c;

	if (jv_get_kind(details) != JV_KIND_OBJECT)
		return out;
	e = jv_object_get(jv_copy(details), ASL_LIT("error"));
	c = jv_object_get(jv_copy(details), ASL_LIT("cause"));
	if (jv_is_valid(e))
		out = jv_object_set(out, ASL_LIT("error"), e);
	else
		jv_free(e);
	if (jv_is_valid(c))
		out = jv_object_set(out, ASL_LIT("cause"), c);
	else
		jv_free(c);
	return out;
}

static const char *const phases[ASL_PHASE_COUNT] = {
	[ASL_PHASE_START] = "start",
	[ASL_PHASE_ENTERED] = "entered",
	[ASL_PHASE_SCHEDULED] = "scheduled",
	[ASL_PHASE_STARTED] = "started",
	[ASL_PHASE_SUBMITTED] = "submitted",
	[ASL_PHASE_TASK_SUCCEEDED] = "task-succeeded",
	[ASL_PHASE_FAILED_TASK] = "failed-task",
	[ASL_PHASE_CHILDREN] = "children",
	[ASL_PHASE_CHILDREN_SUCCEEDED] = "children-succeeded",
	[ASL_PHASE_CHILDREN_FAILED] = "children-failed",
	[ASL_PHASE_EXITED] = "exited",
	[ASL_PHASE_DONE] = "done",
	[ASL_PHASE_FAILED] = "failed",
	[ASL_PHASE_ABORTED] = "aborted"
};

const char *
asl_events_phase_name(enum asl_phase p)
{
	return (unsigned)p < ASL_PHASE_COUNT ? phases[p] : "?";
}

int
asl_events_phase_parse(const char *name)
{
	int i;

	for (i = 0; i < ASL_PHASE_COUNT; i++)
		if (strcmp(phases[i], name) == 0)
			return i;
	return -1;
}
