/*
 * asl_fold.c - where an execution stands, from its events.
 *
 * Each event is placed in a frame by its previousEventId, inverting the
 * links the engine writes (asl_exec.c): a state's events follow one
 * another in their frame; the first state of a Parallel branch follows
 * ParallelStateStarted and starts a new frame, as the first state of a Map
 * iteration follows its MapIterationStarted; the wrap-up events of a Map
 * or Parallel follow an event of a child, and belong to the frame that
 * owns that child.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_events.h"
#include "asl_fold.h"
#include "asl_history.h"
#include "asl_json.h"
#include "asl_machine.h"

struct ff {
	int	 parent;	/* frame index, or -1 */
	int	 index;		/* branch or iteration */
	jv	 state;		/* the state's name, or null before the first */
	jv	 type;		/* "Pass" ... */
	enum asl_phase phase;
	jv	 input, vars, output, error;
	long	 entered, last;
	jv	 entered_time;
	int	 scheduled;	/* Scheduled events since the state was entered */
	int	 started;	/* (Map/Parallel)StateStarted events since */
	jv	 failures;
	jv	 task;
	jv	 children;	/* null, or the children's summary */
	jv	 map_run;	/* a distributed Map's Map Run ARN, or null */
	int	 live;
};

struct asl_fold {
	struct ff	*f;
	int		 n, cap;
	int		*owner;		/* event id -> frame */
	long		 nowner;	/* owner[0 .. nowner) */
	long		 nevents;	/* folded so far */
	jv		 children;	/* "parent:index" -> its newest frame */
	const struct asl_machine *m;
	jv		 status, output, error, input;
	long		 last_id;
};

static int
new_frame(struct asl_fold *fd, int parent, int index)
{
	struct ff *n;

	if (fd->n == fd->cap) {
		fd->cap = fd->cap ? fd->cap * 2 : 16;
		n = realloc(fd->f, (size_t)fd->cap * sizeof *n);
		if (n == NULL)
			abort();
		fd->f = n;
	}
	n = &fd->f[fd->n];
	memset(n, 0, sizeof *n);
	n->parent = parent;
	n->index = index;
	n->state = jv_null();
	n->type = jv_null();
	n->phase = ASL_PHASE_START;
	n->input = jv_null();
	n->vars = parent >= 0 ? jv_copy(fd->f[parent].vars) : jv_object();
	n->output = jv_null();
	n->error = jv_null();
	n->entered_time = jv_null();
	n->failures = jv_array();
	n->task = jv_null();
	n->children = jv_null();
	n->map_run = jv_null();
	n->live = 1;
	if (parent >= 0)
		fd->children = jv_object_set(fd->children, jv_string_fmt(
		    "%d:%d", parent, index), jv_number(fd->n));
	return fd->n++;
}

/* A field of an event (borrowed), null when it is missing. */
static jv
field(jv obj, jv key)
{
	jv v = jv_object_get(jv_copy(obj), key);

	return jv_is_valid(v) ? v : (jv_free(v), jv_null());
}

/* The JSON text t holds; null when it is missing or is not JSON. */
static jv
parse_text(jv t)
{
	jv v;

	if (!jv_is_valid(t))
		return (jv_free(t), jv_null());
	if (jv_get_kind(t) != JV_KIND_STRING)
		return t;
	v = asl_json_parse(jv_string_value(t), (size_t)jv_string_length_bytes(
	    jv_copy(t)), NULL, NULL);
	jv_free(t);
	if (!jv_is_valid(v)) {
		jv_free(v);
		return jv_null();
	}
	return v;
}

/* From frame k, the nearest frame (itself or an owner) at state type t. */
static int
climb_type(struct asl_fold *fd, int k, int t)
{
	const char *name = asl_machine_type_name((enum asl_state_type)t);

	while (k >= 0 && !(jv_get_kind(fd->f[k].type) == JV_KIND_STRING &&
	    strcmp(jv_string_value(fd->f[k].type), name) == 0))
		k = fd->f[k].parent;
	return k;
}

/* ... at the state called name. */
static int
climb_name(struct asl_fold *fd, int k, jv name)
{
	while (k >= 0 && !(jv_get_kind(fd->f[k].state) == JV_KIND_STRING &&
	    jv_equal(jv_copy(fd->f[k].state), jv_copy(name))))
		k = fd->f[k].parent;
	jv_free(name);
	return k;
}

static int
frame_of(struct asl_fold *fd, long prev)
{
	if (prev <= 0 || prev >= fd->nowner)
		return 0;
	return fd->owner[prev];
}

/*
 * An index or a count written in an event (borrowed): -1 unless it is a
 * number from 0 to INT_MAX (a history may have been edited or torn).
 */
static int
index_of(jv v)
{
	double x;

	if (jv_get_kind(v) != JV_KIND_NUMBER)
		return -1;
	x = jv_number_value(v);
	return x >= 0 && x <= INT_MAX ? (int)x : -1;
}

/*
 * An event id written in an event (borrowed): dflt unless it is a number
 * from 0 to LONG_MAX / 4 (converting a larger one, an infinity or a NaN
 * to long is undefined; no history reaches such an id).
 */
static long
id_of(jv v, long dflt)
{
	double x;

	if (jv_get_kind(v) != JV_KIND_NUMBER)
		return dflt;
	x = jv_number_value(v);
	return x >= 0 && x <= (double)(LONG_MAX / 4) ? (long)x : dflt;
}

/* The newest child of frame o with index i if it is still open, or -1. */
static int
child_of(struct asl_fold *fd, int o, int i)
{
	jv k = jv_object_get(jv_copy(fd->children), jv_string_fmt("%d:%d", o,
	    i));
	int c = jv_is_valid(k) ? (int)jv_number_value(k) : -1;

	jv_free(k);
	return c >= 0 && fd->f[c].live ? c : -1;
}

static void
set_children(struct ff *f, const char *type, int length)
{
	jv_free(f->children);
	f->children = JV_OBJECT(ASL_LIT("type"), jv_string(type),
	    ASL_LIT("length"), jv_number(length),
	    ASL_LIT("succeeded"), jv_array(), ASL_LIT("failed"), jv_array(),
	    ASL_LIT("results"), jv_object());
	f->phase = ASL_PHASE_CHILDREN;
}

static void
child_over(struct asl_fold *fd, int o, int c, int ok)
{
	struct ff *f = &fd->f[o], *k = &fd->f[c];
	char idx[24];
	jv list;

	k->live = 0;
	k->phase = ok ? ASL_PHASE_DONE : ASL_PHASE_FAILED;
	if (jv_get_kind(f->children) != JV_KIND_OBJECT)
		return;
	/* taken out while they grow, so that they grow in place */
	list = jv_object_get(jv_copy(f->children), jv_string(ok ? "succeeded" :
	    "failed"));
	f->children = jv_object_set(f->children, jv_string(ok ? "succeeded" :
	    "failed"), jv_null());
	list = jv_array_append(list, jv_number(k->index));
	f->children = jv_object_set(f->children, jv_string(ok ? "succeeded" :
	    "failed"), list);
	if (ok) {
		jv results = jv_object_get(jv_copy(f->children),
		    ASL_LIT("results"));
		f->children = jv_object_set(f->children, ASL_LIT("results"),
		    jv_null());
		snprintf(idx, sizeof idx, "%d", k->index);
		f->children = jv_object_set(f->children, ASL_LIT("results"),
		    jv_object_set(results, jv_string(idx), jv_copy(k->output)));
	}
}

/* Which branch of Parallel frame o the state called name starts (borrows). */
static int
branch_of(struct asl_fold *fd, int o, jv name)
{
	const struct asl_state *s, *p;
	int i;

	if (fd->m == NULL || jv_get_kind(name) != JV_KIND_STRING ||
	    (s = asl_machine_state(fd->m, jv_string_value(name))) == NULL ||
	    jv_get_kind(fd->f[o].state) !=
	    JV_KIND_STRING || (p = asl_machine_state(fd->m,
	    jv_string_value(fd->f[o].state))) == NULL)
		goto count;
	for (i = 0; i < p->nbranches; i++)
		if (s->scope == p->branches[i])
			return i;
count:
	/* without the definition: the order branches started in */
	for (i = 0; child_of(fd, o, i) != -1; i++)
		;
	return i;
}

/* Whether the state called name ends its frame (End, Succeed). */
static int
terminal(struct asl_fold *fd, jv name)
{
	const struct asl_state *s;

	if (fd->m == NULL || jv_get_kind(name) != JV_KIND_STRING ||
	    (s = asl_machine_state(fd->m, jv_string_value(name))) == NULL)
		return 0;
	return s->type == ASL_SUCCEED || (s->end && s->type != ASL_CHOICE);
}

static void
fold_event(struct asl_fold *fd, jv ev, long id)
{
	jv typev = jv_object_get(jv_copy(ev), ASL_LIT("type"));
	jv prevv = jv_object_get(jv_copy(ev), ASL_LIT("previousEventId"));
	const char *type = jv_get_kind(typev) == JV_KIND_STRING ?
	    jv_string_value(typev) : "";
	long prev = id_of(prevv, 0);
	const struct asl_event_type *t = asl_events_lookup(type);
	enum asl_event_kind kind = t != NULL ? t->kind : ASL_EV_OTHER;
	jv d = jv_object_get(jv_copy(ev), asl_events_details_key(type));
	int k = frame_of(fd, prev), c, o, i, is_map;
	struct ff *f;

	/* details that are missing or not an object (an edited history) */
	if (jv_get_kind(d) != JV_KIND_OBJECT)
		d = (jv_free(d), jv_object());
	fd->last_id = id;
	switch (kind) {
	case ASL_EV_EXECUTION_STARTED:
		jv_free(fd->input);
		fd->input = parse_text(jv_object_get(jv_copy(d),
		    ASL_LIT("input")));
		k = 0;
		jv_free(fd->f[0].input);
		fd->f[0].input = jv_copy(fd->input);
		fd->f[0].last = id;
		break;
	case ASL_EV_EXECUTION_SUCCEEDED:
	case ASL_EV_EXECUTION_FAILED:
	case ASL_EV_EXECUTION_TIMED_OUT:
	case ASL_EV_EXECUTION_ABORTED:
	case ASL_EV_EXECUTION_REDRIVEN:
		/* a redrive makes it RUNNING again */
		jv_free(fd->status);
		fd->status = jv_string(asl_events_status(kind));
		if (kind == ASL_EV_EXECUTION_SUCCEEDED) {
			jv_free(fd->output);
			fd->output = parse_text(jv_object_get(jv_copy(d),
			    ASL_LIT("output")));
		} else if (kind != ASL_EV_EXECUTION_REDRIVEN) {
			jv_free(fd->error);
			fd->error = jv_copy(d);
		}
		k = 0;
		break;
	case ASL_EV_STATE_ENTERED: {
		jv name = field(d, ASL_LIT("name"));
		jv pt = jv_null();

		/* a name that is not a string (an edited history) is none */
		if (jv_get_kind(name) != JV_KIND_STRING)
			name = (jv_free(name), jv_null());
		if (prev > 0 && prev < id)
			pt = jv_copy(fd->f[k].type);
		/* the first state of a Parallel branch starts a frame */
		if (prev > 0 && jv_get_kind(fd->f[k].children) == JV_KIND_OBJECT &&
		    fd->f[k].last == prev && fd->f[k].phase ==
		    ASL_PHASE_CHILDREN && jv_get_kind(pt) == JV_KIND_STRING &&
		    strcmp(jv_string_value(pt), "Parallel") == 0)
			k = new_frame(fd, k, branch_of(fd, k, name));
		jv_free(pt);
		f = &fd->f[k];
		jv_free(f->state);
		f->state = name;
		jv_free(f->type);
		f->type = jv_string(asl_machine_type_name(
		    (enum asl_state_type)t->state));
		jv_free(f->input);
		f->input = parse_text(jv_object_get(jv_copy(d), ASL_LIT("input")));
		f->entered = id;
		jv_free(f->entered_time);
		f->entered_time = field(ev, ASL_LIT("timestamp"));
		f->phase = ASL_PHASE_ENTERED;
		f->scheduled = 0;
		f->started = 0;
		jv_free(f->failures);
		f->failures = jv_array();
		jv_free(f->task);
		f->task = jv_null();
		jv_free(f->children);
		f->children = jv_null();
		jv_free(f->map_run);
		f->map_run = jv_null();
		f->last = id;
		break;
	}
	case ASL_EV_STATE_EXITED: {
		jv name = jv_object_get(jv_copy(d), ASL_LIT("name"));
		jv assigned = jv_object_get(jv_copy(d),
		    ASL_LIT("assignedVariables"));

		k = climb_name(fd, k, jv_copy(name));
		if (k < 0)
			k = frame_of(fd, prev);
		f = &fd->f[k];
		jv_free(f->output);
		f->output = parse_text(jv_object_get(jv_copy(d),
		    ASL_LIT("output")));
		if (jv_get_kind(assigned) == JV_KIND_OBJECT) {
			jv_object_foreach(assigned, an, av)
				f->vars = jv_object_set(f->vars, an, parse_text(av));
		}
		jv_free(assigned);
		f->phase = ASL_PHASE_EXITED;
		f->last = id;
		if (terminal(fd, name) && f->parent >= 0)
			f->phase = ASL_PHASE_DONE;
		jv_free(name);
		break;
	}
	case ASL_EV_STATE_ABORTED:
		f = &fd->f[k];
		f->phase = ASL_PHASE_ABORTED;
		f->last = id;
		break;
	case ASL_EV_GROUP_STARTED:
		is_map = t->state == ASL_MAP;
		k = climb_type(fd, k, t->state);
		if (k < 0)
			goto bad;
		f = &fd->f[k];
		f->started++;
		if (is_map) {
			jv len = jv_object_get(jv_copy(d), ASL_LIT("length"));
			i = index_of(len);
			set_children(f, "map", i > 0 ? i : 0);
			jv_free(len);
		} else {
			const struct asl_state *s = fd->m != NULL &&
			    jv_get_kind(f->state) == JV_KIND_STRING ?
			    asl_machine_state(fd->m, jv_string_value(f->state)) : NULL;
			set_children(f, "parallel", s != NULL ? s->nbranches : 0);
		}
		f->last = id;
		break;
	case ASL_EV_ITERATION_STARTED: {
		jv name = jv_object_get(jv_copy(d), ASL_LIT("name"));
		jv index = jv_object_get(jv_copy(d), ASL_LIT("index"));

		o = climb_name(fd, k, name);
		i = index_of(index);
		jv_free(index);
		if (o < 0 || i < 0)
			goto bad;
		k = new_frame(fd, o, i);
		fd->f[k].last = id;
		break;
	}
	case ASL_EV_ITERATION_SUCCEEDED:
	case ASL_EV_ITERATION_FAILED:
	case ASL_EV_ITERATION_ABORTED: {
		jv name = jv_object_get(jv_copy(d), ASL_LIT("name"));
		jv index = jv_object_get(jv_copy(d), ASL_LIT("index"));

		o = climb_name(fd, k, name);
		i = index_of(index);
		jv_free(index);
		if (o < 0 || i < 0)
			goto bad;
		c = child_of(fd, o, i);
		if (c >= 0) {
			child_over(fd, o, c, kind == ASL_EV_ITERATION_SUCCEEDED);
			if (kind == ASL_EV_ITERATION_ABORTED)
				fd->f[c].phase = ASL_PHASE_ABORTED;
		}
		k = o;
		break;
	}
	case ASL_EV_GROUP_SUCCEEDED:
	case ASL_EV_GROUP_FAILED: {
		int child = k, ok = kind == ASL_EV_GROUP_SUCCEEDED;

		is_map = t->state == ASL_MAP;
		k = climb_type(fd, k, t->state);
		if (k < 0)
			goto bad;
		f = &fd->f[k];
		if (!is_map) {
			/* branches have no events of their own to end them */
			int b;
			for (b = fd->n - 1; b > k; b--)
				if (fd->f[b].parent == k && fd->f[b].live)
					child_over(fd, k, b, ok);
			if (child != k && !ok)
				fd->f[child].phase = ASL_PHASE_FAILED;
		}
		f->phase = ok ? ASL_PHASE_CHILDREN_SUCCEEDED :
		    ASL_PHASE_CHILDREN_FAILED;
		if (!ok)
			f->last = id;
		break;
	}
	case ASL_EV_TASK_SCHEDULED:
		f = &fd->f[k];
		f->last = id;
		jv_free(f->task);
		f->task = JV_OBJECT(ASL_LIT("scheduledEventId"), jv_number(id),
		    ASL_LIT("event"), jv_string(type), ASL_LIT("details"),
		    jv_copy(d), ASL_LIT("time"), field(ev, ASL_LIT("timestamp")));
		f->scheduled++;
		f->phase = ASL_PHASE_SCHEDULED;
		break;
	case ASL_EV_TASK_STARTED:
		f = &fd->f[k];
		f->last = id;
		if (jv_get_kind(f->task) == JV_KIND_OBJECT)
			f->task = jv_object_set(f->task, ASL_LIT("startedEventId"),
			    jv_number(id));
		f->phase = ASL_PHASE_STARTED;
		break;
	case ASL_EV_TASK_SUBMITTED:
		f = &fd->f[k];
		f->last = id;
		f->phase = ASL_PHASE_SUBMITTED;
		break;
	case ASL_EV_TASK_SUCCEEDED:
		f = &fd->f[k];
		f->last = id;
		if (jv_get_kind(f->task) == JV_KIND_OBJECT)
			f->task = jv_object_set(f->task, ASL_LIT("result"),
			    parse_text(jv_object_get(jv_copy(d),
			    ASL_LIT("output"))));
		f->phase = ASL_PHASE_TASK_SUCCEEDED;
		break;
	case ASL_EV_TASK_SCHEDULE_FAILED:
	case ASL_EV_TASK_START_FAILED:
	case ASL_EV_TASK_SUBMIT_FAILED:
	case ASL_EV_TASK_FAILED:
	case ASL_EV_TASK_TIMED_OUT: {
		jv e = jv_object_get(jv_copy(d), ASL_LIT("error"));
		jv c2 = jv_object_get(jv_copy(d), ASL_LIT("cause"));

		f = &fd->f[k];
		f->last = id;
		f->failures = jv_array_append(f->failures, JV_OBJECT(
		    ASL_LIT("Error"), jv_is_valid(e) ? e :
		    (jv_free(e), jv_null()), ASL_LIT("Cause"),
		    jv_is_valid(c2) ? c2 : (jv_free(c2), jv_null())));
		f->phase = ASL_PHASE_FAILED_TASK;
		break;
	}
	case ASL_EV_MAP_RUN_STARTED:
	case ASL_EV_MAP_RUN_REDRIVEN:
		/* a redrive of the Map goes on with the same Map Run */
		jv_free(fd->f[k].map_run);
		fd->f[k].map_run = jv_object_get(jv_copy(d),
		    ASL_LIT("mapRunArn"));
		fd->f[k].last = id;
		break;
	default:
		/* EvaluationFailed, Map Runs' ends, anything unknown: the chain */
		fd->f[k].last = id;
		break;
	}
	goto out;
bad:
	k = frame_of(fd, prev);
out:
	if (id >= 1 && id < fd->nowner)
		fd->owner[id] = k < 0 ? 0 : k;
	jv_free(typev);
	jv_free(prevv);
	jv_free(d);
	jv_free(ev);
}

static jv
frame_json(struct asl_fold *fd, int k)
{
	struct ff *f = &fd->f[k];
	jv j = JV_OBJECT(ASL_LIT("frame"), jv_number(k),
	    ASL_LIT("parent"), f->parent >= 0 ? jv_number(f->parent) :
	    jv_null(), ASL_LIT("index"), jv_number(f->index),
	    ASL_LIT("state"), jv_copy(f->state), ASL_LIT("type"),
	    jv_copy(f->type), ASL_LIT("phase"),
	    jv_string(asl_events_phase_name(f->phase)));

	j = jv_object_set(j, ASL_LIT("input"), jv_copy(f->input));
	j = jv_object_set(j, ASL_LIT("variables"), jv_copy(f->vars));
	j = jv_object_set(j, ASL_LIT("enteredEventId"), jv_number(f->entered));
	j = jv_object_set(j, ASL_LIT("enteredTime"), jv_copy(f->entered_time));
	j = jv_object_set(j, ASL_LIT("lastEventId"), jv_number(f->last));
	j = jv_object_set(j, ASL_LIT("retryCount"), jv_number(
	    f->scheduled > 1 ? f->scheduled - 1 : f->started > 1 ?
	    f->started - 1 : 0));
	j = jv_object_set(j, ASL_LIT("failures"), jv_copy(f->failures));
	if (jv_get_kind(f->task) == JV_KIND_OBJECT)
		j = jv_object_set(j, ASL_LIT("task"), jv_copy(f->task));
	if (jv_get_kind(f->children) == JV_KIND_OBJECT)
		j = jv_object_set(j, ASL_LIT("children"), jv_copy(f->children));
	if (jv_get_kind(f->map_run) == JV_KIND_STRING)
		j = jv_object_set(j, ASL_LIT("mapRunArn"), jv_copy(f->map_run));
	if (f->phase == ASL_PHASE_EXITED || f->phase == ASL_PHASE_DONE)
		j = jv_object_set(j, ASL_LIT("output"), jv_copy(f->output));
	return j;
}

struct asl_fold *
asl_fold_begin(const struct asl_machine *m)
{
	struct asl_fold *fd = calloc(1, sizeof *fd);

	if (fd == NULL)
		return NULL;
	fd->m = m;
	fd->status = ASL_LIT("RUNNING");
	fd->output = jv_null();
	fd->error = jv_null();
	fd->input = jv_null();
	fd->children = jv_object();
	new_frame(fd, -1, 0);
	return fd;
}

int
asl_fold_event(struct asl_fold *fd, jv ev)
{
	jv id = jv_object_get(jv_copy(ev), ASL_LIT("id"));
	long eid = id_of(id, fd->nevents + 1);
	long cap;
	int *p;

	jv_free(id);
	fd->nevents++;
	/* the owner of each id, for ids as the engine writes them: 1, 2, ... */
	if (eid >= fd->nowner && eid <= 2 * fd->nevents + 1024) {
		for (cap = fd->nowner > 0 ? fd->nowner : 1024; cap <= eid;
		    cap *= 2)
			;
		if ((p = realloc(fd->owner, (size_t)cap * sizeof *p)) == NULL) {
			jv_free(ev);
			return -1;
		}
		memset(p + fd->nowner, 0, (size_t)(cap - fd->nowner) *
		    sizeof *p);
		fd->owner = p;
		fd->nowner = cap;
	}
	fold_event(fd, ev, eid);
	return 0;
}

jv
asl_fold_end(struct asl_fold *fd)
{
	jv out, frames;
	int k;

	frames = jv_array();
	for (k = 0; k < fd->n; k++)
		if (fd->f[k].live)
			frames = jv_array_append(frames, frame_json(fd, k));
	out = JV_OBJECT(ASL_LIT("status"), fd->status,
	    ASL_LIT("input"), fd->input, ASL_LIT("lastEventId"),
	    jv_number(fd->last_id));
	if (jv_get_kind(fd->output) != JV_KIND_NULL)
		out = jv_object_set(out, ASL_LIT("output"), fd->output);
	else
		jv_free(fd->output);
	out = asl_events_copy_error(out, fd->error);
	jv_free(fd->error);
	out = jv_object_set(out, ASL_LIT("frames"), frames);
	for (k = 0; k < fd->n; k++) {
		struct ff *f = &fd->f[k];
		jv_free(f->state);
		jv_free(f->type);
		jv_free(f->input);
		jv_free(f->vars);
		jv_free(f->output);
		jv_free(f->error);
		jv_free(f->map_run);
		jv_free(f->entered_time);
		jv_free(f->failures);
		jv_free(f->task);
		jv_free(f->children);
	}
	jv_free(fd->children);
	free(fd->f);
	free(fd->owner);
	free(fd);
	return out;
}

jv
asl_fold(jv events, const struct asl_machine *m)
{
	struct asl_fold *fd = asl_fold_begin(m);

	if (fd == NULL) {
		jv_free(events);
		return jv_invalid_with_msg(ASL_LIT("out of memory"));
	}
	jv_array_foreach(events, i, ev) {
		if (asl_fold_event(fd, ev) == -1) {
			jv_free(events);
			jv_free(asl_fold_end(fd));
			return jv_invalid_with_msg(ASL_LIT("out of memory"));
		}
		(void)i;
	}
	jv_free(events);
	return asl_fold_end(fd);
}
