/*
 * lib/exec/exec_restore.c - resuming: the frames of a running execution
 * rebuilt from the fold of its history (asl_fold.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl_fold.h"
#include "asl_token.h"
#include "exec_int.h"

/*
 * Resuming: the engine's frames rebuilt from the fold of the history
 * (asl_fold.h).  Each frame continues from where its events leave it:
 * pure steps are simply taken again, a task that was scheduled but never
 * started is started, one that started waits for its token's answer or,
 * with no token to answer it, fails at most once (Standard) or runs again
 * (Express), timers are recomputed from their state's entry time.
 */

static jv
fj_get(jv fj, const char *key)
{
	return jv_object_get(jv_copy(fj), jv_string(key));
}

static long
fj_long(jv fj, const char *key)
{
	jv v = fj_get(fj, key);
	long n = jv_get_kind(v) == JV_KIND_NUMBER ? (long)jv_number_value(v) : 0;

	jv_free(v);
	return n;
}

/* The retriers' counters after the failures but the last (pure). */
static void
replay_counts(struct frame *f, jv failures)
{
	struct asl_step_request req;
	struct asl_step_result res;
	int i, n = jv_array_length(jv_copy(failures));

	for (i = 0; i + 1 < n; i++) {
		ex_frame_request(f, &req, ASL_STEP_ERROR);
		req.error = jv_array_get(jv_copy(failures), i);
		req.counts = f->counts;
		asl_step(&req, &res);
		jv_free(req.error);
		if (res.status == ASL_STATUS_RETRIABLE) {
			jv_free(f->counts);
			f->counts = jv_copy(res.counts);
		}
		asl_step_result_release(&res);
	}
	jv_free(failures);
}

/* Where a Choice went: its rules again, on its input (pure). */
static const struct asl_state *
choice_next(struct frame *f, int *ok)
{
	struct asl_step_request req;
	struct asl_step_result res;
	const struct asl_state *next;

	ex_frame_request(f, &req, ASL_STEP_ENTER);
	asl_step(&req, &res);
	*ok = res.status == ASL_STATUS_SUCCEEDED;
	next = res.next;
	asl_step_result_release(&res);
	return next;
}

static void restore_group(struct frame *, jv frames, jv fj);

/*
 * Set frame f (its state, input and variables in place) going from the
 * fold's frame fj, as of phase.
 */
static void
restore_phase(struct frame *f, jv frames, jv fj, int redrive)
{
	struct exec *ex = f->ex;
	jv phasev = fj_get(fj, "phase"), task = fj_get(fj, "task"), t;
	const char *name = jv_get_kind(phasev) == JV_KIND_STRING ?
	    jv_string_value(phasev) : "?";
	int phase = asl_events_phase_parse(name), callback, ok, activity;
	const struct asl_event_type *et;

	f->entered = fj_long(fj, "enteredEventId");
	f->last = fj_long(fj, "lastEventId");
	f->retry_count = (int)fj_long(fj, "retryCount");
	t = fj_get(fj, "enteredTime");
	if (jv_get_kind(t) == JV_KIND_STRING)
		snprintf(f->entered_time, sizeof f->entered_time, "%s",
		    jv_string_value(t));
	jv_free(t);
	if (redrive) {
		switch (phase) {
		case ASL_PHASE_FAILED:
		case ASL_PHASE_ABORTED:
		case ASL_PHASE_CHILDREN_FAILED:
		case ASL_PHASE_FAILED_TASK:
		case ASL_PHASE_STARTED:
		case ASL_PHASE_SUBMITTED:
		case ASL_PHASE_SCHEDULED:
		case ASL_PHASE_CHILDREN:
		case ASL_PHASE_ENTERED:
			/* a redrive enters the unfinished state afresh */
			f->pc = PC_ENTER;
			/* a distributed Map's Map Run goes on (ex_maprun_open) */
			jv_free(f->redrive_run);
			f->redrive_run = fj_get(fj, "mapRunArn");
			ex_push_ready(ex, f);
			goto out;
		default:
			break;
		}
	}
	switch (phase) {
	case ASL_PHASE_ENTERED:
		f->token = ex_wants_token(f->state) ? asl_token_new() : jv_null();
		f->pc = PC_REENTER;
		ex_push_ready(ex, f);
		break;
	case ASL_PHASE_SCHEDULED:
	case ASL_PHASE_STARTED:
	case ASL_PHASE_SUBMITTED:
		f->sched_id = fj_long(task, "scheduledEventId");
		t = fj_get(task, "time");
		{
			struct asl_time when;
			if (jv_get_kind(t) == JV_KIND_STRING &&
			    asl_time_parse(jv_string_value(t), &when) == 0)
				f->since = asl_time_diff(when, asl_time_now());
		}
		jv_free(t);
		jv_free(f->token);
		f->token = asl_token_of(ex->store, ex->name, f->sched_id);
		if (jv_get_kind(f->token) == JV_KIND_STRING)
			ex->ntokens++;
		else
			f->sched_id = 0;
		t = fj_get(task, "event");
		et = jv_get_kind(t) == JV_KIND_STRING ?
		    asl_events_lookup(jv_string_value(t)) : NULL;
		activity = et != NULL && et->family == ASL_FAMILY_ACTIVITY;
		jv_free(t);
		callback = jv_get_kind(f->token) == JV_KIND_STRING &&
		    (strstr(jv_string_value(f->state->resource),
		    ".waitForTaskToken") != NULL || activity);
		f->act_started = activity && phase == ASL_PHASE_STARTED;
		if (phase == ASL_PHASE_SCHEDULED)
			f->resumed = RESUME_SCHEDULED;
		else if (callback)
			f->resumed = RESUME_WAIT_ANSWER;
		else if (ex->express)
			f->resumed = RESUME_SCHEDULED;	/* at least once */
		else
			f->resumed = RESUME_INTERRUPTED;
		f->pc = PC_REENTER;
		ex_push_ready(ex, f);
		break;
	case ASL_PHASE_TASK_SUCCEEDED:
		jv_free(f->result);
		f->result = fj_get(task, "result");
		f->pc = PC_COMPLETE;
		ex_push_ready(ex, f);
		break;
	case ASL_PHASE_FAILED_TASK: {
		jv failures = fj_get(fj, "failures");
		int n = jv_array_length(jv_copy(failures));
		jv_free(f->error);
		f->error = jv_array_get(jv_copy(failures), n - 1);
		replay_counts(f, failures);
		f->pc = PC_ERROR;
		ex_push_ready(ex, f);
		break;
	}
	case ASL_PHASE_CHILDREN:
		restore_group(f, frames, fj);
		break;
	case ASL_PHASE_CHILDREN_SUCCEEDED: {
		jv ch = fj_get(fj, "children"), res = fj_get(ch, "results");
		int i, n = (int)fj_long(ch, "length");
		char idx[24];
		jv_free(f->result);
		f->result = jv_array();
		for (i = 0; i < n; i++) {
			snprintf(idx, sizeof idx, "%d", i);
			t = jv_object_get(jv_copy(res), jv_string(idx));
			f->result = jv_array_append(f->result, jv_is_valid(t) ? t :
			    (jv_free(t), jv_null()));
		}
		jv_free(res);
		jv_free(ch);
		f->pc = PC_COMPLETE;
		ex_push_ready(ex, f);
		break;
	}
	case ASL_PHASE_EXITED: {
		const struct asl_state *next = f->state->next;
		jv out = fj_get(fj, "output");
		ok = 1;
		if (f->state->type == ASL_CHOICE)
			next = choice_next(f, &ok);
		jv_free(f->input);
		f->input = out;
		if (!ok)
			ex_frame_fail(f, asl_error("States.Runtime", "cannot tell "
			    "where the Choice state '%s' went",
			    asl_machine_state_name(f->state)), 1);
		else if (next != NULL) {
			f->state = next;
			f->pc = PC_ENTER;
			ex_push_ready(ex, f);
		} else
			ex_frame_done(f, jv_copy(f->input));
		break;
	}
	default:
		/* children-failed, or a history this engine did not write */
		f->error = JV_OBJECT(ASL_LIT("Error"), jv_string(
		    "States.Runtime"), ASL_LIT("Cause"), jv_string_fmt(
		    "the execution cannot resume the state '%s' from its "
		    "history (%s)", asl_machine_state_name(f->state), name));
		f->pc = PC_FAIL;
		ex_push_ready(ex, f);
		break;
	}
out:
	jv_free(phasev);
	jv_free(task);
}

/* A frame of the fold as a frame of the engine (a child of g, or top). */
static struct frame *
restore_frame(struct exec *ex, const struct asl_state *start, jv frames,
    jv fj, int redrive, struct group *g, int index)
{
	jv name = fj_get(fj, "state");
	const struct asl_state *s = jv_get_kind(name) == JV_KIND_STRING ?
	    asl_machine_state(ex->m, jv_string_value(name)) : NULL;
	struct frame *f;

	jv_free(name);
	f = ex_frame_new(ex, s != NULL ? s : start, fj_get(fj, "input"),
	    fj_get(fj, "variables"), fj_long(fj, "lastEventId"));
	if (g != NULL) {
		f->group = g;
		f->index = index;
		f->quiet = g->owner->quiet || g->distributed;
		g->running++;
		ex_group_add_kid(g, f);
	}
	if (s == NULL) {
		/* nothing happened in it yet */
		ex_push_ready(ex, f);
		return f;
	}
	restore_phase(f, frames, fj, redrive);
	return f;
}

/*
 * A Map whose ItemReader had read its items: read them again and step it
 * again with them (its effect is then the Map's).  0 when that failed
 * (the frame fails).
 */
static int
ex_restore_items(struct frame *f)
{
	struct asl_step_request req;
	struct asl_step_result res;
	jv type = jv_object_get(jv_copy(f->effect), ASL_LIT("type")), items;
	int reads = strcmp(jv_string_value(type), "read-items") == 0, ok;

	jv_free(type);
	if (!reads)
		return 1;
	items = ex_items_read(f, jv_copy(f->effect));
	if (!jv_is_valid(items)) {
		jv_free(f->error);
		f->error = asl_error_object(items);
		f->pc = PC_FAIL;
		ex_push_ready(f->ex, f);
		return 0;
	}
	ex_frame_request(f, &req, ASL_STEP_ENTER);
	req.items = items;
	req.items_streamed = f->reader != NULL;
	asl_step(&req, &res);
	jv_free(items);
	ok = res.status == ASL_STATUS_PENDING;
	jv_free(f->effect);
	f->effect = ok ? jv_copy(res.effect) : jv_null();
	asl_step_result_release(&res);
	if (!ok) {
		jv_free(f->error);
		f->error = JV_OBJECT(ASL_LIT("Error"), jv_string(
		    "States.Runtime"), ASL_LIT("Cause"), jv_string_fmt(
		    "the state '%s' does not start as its history says",
		    asl_machine_state_name(f->state)));
		f->pc = PC_FAIL;
		ex_push_ready(f->ex, f);
	}
	return ok;
}

/* A Map or Parallel in the middle of its children. */
static void
restore_group(struct frame *f, jv frames, jv fj)
{
	struct exec *ex = f->ex;
	struct asl_step_request req;
	struct asl_step_result res;
	struct group *g;
	jv ch = fj_get(fj, "children"), list, results, branch_input;
	long me = fj_long(fj, "frame");
	int is_map = f->state->type == ASL_MAP, i, n, *seen;
	char idx[24];

	/* the effect again (pure): items, their selector, concurrency */
	ex_frame_request(f, &req, ASL_STEP_ENTER);
	asl_step(&req, &res);
	if (res.status != ASL_STATUS_PENDING) {
		asl_step_result_release(&res);
		jv_free(ch);
		f->error = JV_OBJECT(ASL_LIT("Error"), jv_string(
		    "States.Runtime"), ASL_LIT("Cause"), jv_string_fmt(
		    "the state '%s' does not start as its history says",
		    asl_machine_state_name(f->state)));
		f->pc = PC_FAIL;
		ex_push_ready(ex, f);
		return;
	}
	jv_free(f->effect);
	f->effect = jv_copy(res.effect);
	asl_step_result_release(&res);
	if (is_map && !ex_restore_items(f)) {
		jv_free(ch);
		return;
	}
	g = ex_group_new(f, is_map);
	g->map_last = g->last_done = g->last_child = f->last;
	seen = calloc((size_t)g->n + 1, sizeof *seen);
	if (seen == NULL)
		abort();
	if (g->distributed) {
		/* its children's events are theirs: its journal says who ended */
		jv arn = fj_get(fj, "mapRunArn");
		if (jv_get_kind(arn) != JV_KIND_STRING) {
			/* the Map Run had not started */
			jv_free(arn);
			if (ex_maprun_open(g) == -1) {
				free(seen);
				jv_free(ch);
				ex_group_settle(g);
				return;
			}
		} else {
			g->run_arn = arn;
			g->map_run = f->last;
			ex_maprun_resume(g);
		}
	}
	results = fj_get(ch, "results");
	list = fj_get(ch, "succeeded");
	n = jv_array_length(jv_copy(list));
	for (i = 0; i < n; i++) {
		int k = (int)jv_number_value(jv_array_get(jv_copy(list), i));
		if (k < 0 || k >= g->n)
			continue;
		snprintf(idx, sizeof idx, "%d", k);
		g->results = jv_array_set(g->results, k, jv_object_get(
		    jv_copy(results), jv_string(idx)));
		g->done++;
		seen[k] = 1;
		if (k + 1 > g->started)
			g->started = k + 1;
	}
	jv_free(list);
	list = fj_get(ch, "failed");
	n = jv_array_length(jv_copy(list));
	for (i = 0; i < n; i++) {
		int k = (int)jv_number_value(jv_array_get(jv_copy(list), i));
		if (k < 0 || k >= g->n)
			continue;
		/* tolerated, or the Map would have failed: as child_finished */
		g->failed++;
		g->done++;
		seen[k] = 1;
		if (k + 1 > g->started)
			g->started = k + 1;
	}
	jv_free(list);
	jv_free(results);
	jv_free(ch);
	/* the children in progress */
	n = jv_array_length(jv_copy(frames));
	for (i = 0; i < n; i++) {
		jv kj = jv_array_get(jv_copy(frames), i);
		jv parent = fj_get(kj, "parent"), kst = fj_get(kj, "state");
		jv kph = fj_get(kj, "phase");
		int index, mine = jv_get_kind(parent) == JV_KIND_NUMBER &&
		    (long)jv_number_value(parent) == me;
		int done = jv_get_kind(kph) == JV_KIND_STRING &&
		    asl_events_phase_parse(jv_string_value(kph)) ==
		    ASL_PHASE_DONE;
		int fresh = jv_get_kind(kst) == JV_KIND_NULL;

		jv_free(parent);
		jv_free(kst);
		jv_free(kph);
		index = (int)fj_long(kj, "index");
		if (!mine || index < 0 || index >= g->n || seen[index]) {
			jv_free(kj);
			continue;
		}
		seen[index] = 1;
		if (index + 1 > g->started)
			g->started = index + 1;
		if (done) {
			/* it ended; its group had not heard yet */
			g->results = jv_array_set(g->results, index,
			    fj_get(kj, "output"));
			g->done++;
			jv_free(kj);
			continue;
		}
		if (fresh) {
			/* an iteration or branch that entered nothing yet */
			jv in = is_map ? asl_step_map_item(&g->req,
			    jv_copy(g->effect), index) : jv_object_get(
			    jv_copy(g->effect), ASL_LIT("input"));
			kj = jv_object_set(kj, ASL_LIT("input"), in);
			kj = jv_object_set(kj, ASL_LIT("variables"),
			    jv_copy(f->vars));
		}
		restore_frame(ex, is_map ? f->state->processor->start :
		    f->state->branches[index]->start, frames, kj, 0, g, index);
		jv_free(kj);
	}
	if (!is_map) {
		/* branches that had not entered their first state */
		branch_input = jv_object_get(jv_copy(g->effect),
		    ASL_LIT("input"));
		for (i = g->n - 1; i >= 0; i--) {
			struct frame *k;
			if (seen[i])
				continue;
			k = ex_frame_new(ex, f->state->branches[i]->start,
			    jv_copy(branch_input), jv_copy(f->vars), f->last);
			k->group = g;
			k->index = i;
			g->running++;
			ex_group_add_kid(g, k);
			ex_push_ready(ex, k);
		}
		jv_free(branch_input);
		g->started = g->n;
	}
	free(seen);
	if (is_map)
		ex_map_fill(g);
	if (g->running == 0 && (jv_get_kind(g->error) != JV_KIND_NULL ||
	    g->done + g->failed >= g->n || (is_map && g->started >= g->n)))
		ex_group_settle(g);
}

int
ex_restore(struct exec *ex, jv fold, int redrive, jv *err)
{
	jv frames, top, name;

	if (!jv_is_valid(fold)) {
		jv msg = jv_invalid_get_msg(fold);
		*err = asl_error("States.Runtime", "the history does not hang "
		    "together: %s", jv_get_kind(msg) == JV_KIND_STRING ?
		    jv_string_value(msg) : "?");
		jv_free(msg);
		return -1;
	}
	frames = jv_object_get(fold, ASL_LIT("frames"));
	top = jv_array_get(jv_copy(frames), 0);
	name = fj_get(top, "state");
	if (jv_get_kind(name) == JV_KIND_NULL) {
		jv_free(top);
		jv_free(frames);
		return 0;	/* nothing entered: start from the start */
	}
	jv_free(name);
	ex->top = restore_frame(ex, ex->m->top->start, frames, top, redrive,
	    NULL, 0);
	jv_free(top);
	jv_free(frames);
	return 1;
}
