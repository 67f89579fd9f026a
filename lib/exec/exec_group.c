/*
 * lib/exec/exec_group.c - Map and Parallel states in an execution: the
 * group of a state's children (branches or iterations), how many run at
 * once, tolerated failures, and how the first failure stops the rest.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asl_arn.h"
#include "asl_items.h"
#include "exec_int.h"

/* Map and Parallel: their children. */

void
ex_group_free(struct group *g)
{
	int i;

	if (g == NULL)
		return;
	for (i = 0; i < g->nkids; i++)
		if (g->kids[i] != NULL)
			ex_frame_free(g->kids[i]);
	free(g->kids);
	jv_free(g->results);
	jv_free(g->effect);
	jv_free(g->req.context);
	asl_step_map_items_free(g->items);
	jv_free(g->error);
	jv_free(g->run_arn);
	jv_free(g->kid_def);
	ex_writer_free(g->writer);
	asl_items_close(g->reader);
	ex_batches_free(g->batches);
	if (g->journal > 0)
		close(g->journal);
	free(g);
}

void
ex_group_add_kid(struct group *g, struct frame *k)
{
	int i;

	for (i = 0; i < g->nkids; i++)
		if (g->kids[i] == NULL) {
			g->kids[i] = k;
			return;
		}
	g->kids = realloc(g->kids, (size_t)(g->nkids + 1) * sizeof *g->kids);
	if (g->kids == NULL)
		abort();
	g->kids[g->nkids++] = k;
}

static void
group_drop_kid(struct group *g, struct frame *k)
{
	int i;

	for (i = 0; i < g->nkids; i++)
		if (g->kids[i] == k)
			g->kids[i] = NULL;
}

/*
 * AWS runs at most 40 iterations of an inline Map at once when
 * MaxConcurrency leaves it open.
 */
#define MAP_DEFAULT_CONCURRENCY 40

void
ex_map_fill(struct group *g)
{
	struct frame *owner = g->owner, *k;
	struct exec *ex = owner->ex;
	int limit;
	jv input;
	int i;

	ex_maprun_settings(g);
	limit = g->max_conc > 0 ? g->max_conc : MAP_DEFAULT_CONCURRENCY;
	if (g->started >= g->n || jv_get_kind(g->error) != JV_KIND_NULL ||
	    g->running >= limit || g->aborting)
		return;
	i = g->started++;
	input = ex_map_input(g, i);
	if (!jv_is_valid(input)) {
		/* an ItemSelector that fails fails the Map */
		jv_free(g->error);
		g->error = jv_invalid_get_msg(input);
		g->runtime = strcmp(asl_error_name(g->error),
		    "States.Runtime") == 0;
		return;
	}
	if (!g->distributed)
		g->map_last = ex_iteration_event(owner, g->map_last,
		    ASL_EV_ITERATION_STARTED, i);
	if (g->writer != NULL)
		ex_writer_started(g->writer, i, input);
	/* a distributed Map's children cannot see the outer variables */
	k = ex_frame_new(ex, owner->state->processor->start, input,
	    g->distributed ? jv_object() : jv_copy(owner->vars), g->map_last);
	k->quiet = owner->quiet || g->distributed;
	k->hist = owner->hist;
	k->group = g;
	k->index = i;
	if (g->distributed)
		ex_kid_start(g, k, k->input);
	g->running++;
	ex->progress.items_running++;
	ex_group_add_kid(g, k);
	ex_push_ready(ex, k);
}

/*
 * The definition of a Map Run's children, from the Map's ItemProcessor,
 * and their ExecutionType.
 */
static void
kid_definition(struct group *g)
{
	jv p = jv_object_get(jv_copy(g->owner->state->def),
	    ASL_LIT("ItemProcessor")), c, t, q;

	if (jv_get_kind(p) != JV_KIND_OBJECT) {
		jv_free(p);
		p = jv_object_get(jv_copy(g->owner->state->def),
		    ASL_LIT("Iterator"));
	}
	if (jv_get_kind(p) != JV_KIND_OBJECT) {
		jv_free(p);
		p = jv_object();
	}
	c = jv_object_get(jv_copy(p), ASL_LIT("ProcessorConfig"));
	t = jv_get_kind(c) == JV_KIND_OBJECT ? jv_object_get(c,
	    ASL_LIT("ExecutionType")) : (jv_free(c), jv_null());
	g->kid_express = jv_get_kind(t) == JV_KIND_STRING &&
	    strcmp(jv_string_value(t), "EXPRESS") == 0;
	jv_free(t);
	p = jv_object_delete(p, ASL_LIT("ProcessorConfig"));
	/* the children speak the parent's language unless they say */
	q = jv_object_get(jv_copy(g->owner->ex->m->definition),
	    ASL_LIT("QueryLanguage"));
	if (jv_get_kind(q) == JV_KIND_STRING && !jv_object_has(jv_copy(p),
	    ASL_LIT("QueryLanguage")))
		p = jv_object_set(p, ASL_LIT("QueryLanguage"), q);
	else
		jv_free(q);
	g->kid_def = p;
}

int
ex_maprun_open(struct group *g)
{
	struct frame *f = g->owner;
	struct exec *ex = f->ex;
	jv err;

	kid_definition(g);
	if (jv_get_kind(f->redrive_run) == JV_KIND_STRING) {
		/*
		 * A redrive: the same Map Run, its children that did not
		 * succeed run again [AWS: "Redriving Map Runs"].
		 */
		jv_free(g->run_arn);
		g->run_arn = f->redrive_run;
		f->redrive_run = jv_null();
		g->redrive = ex_maprun_redrives(g) + 1;
		f->last = ex_femit(f, f->last, ASL_EV_MAP_RUN_REDRIVEN, JV_OBJECT(
		    ASL_LIT("mapRunArn"), jv_copy(g->run_arn),
		    ASL_LIT("redriveCount"), jv_number(g->redrive)));
		g->map_run = f->last;
		/* on disk before any child's line: a resume finds this run */
		asl_history_commit(&ex->h);
		ex_maprun_begin(g);
		g->map_last = g->last_done = f->last;
		ex_maprun_resume(g);
		return 0;
	}
	{
		jv arn = jv_object_get(jv_copy(ex->meta),
		    ASL_LIT("stateMachineName")), run = asl_arn_new_name();
		jv label = jv_object_get(jv_copy(f->state->def),
		    ASL_LIT("Label"));
		jv_free(g->run_arn);
		g->run_arn = asl_arn_map_run(jv_string_value(arn),
		    jv_get_kind(label) == JV_KIND_STRING ?
		    jv_string_value(label) : asl_machine_state_name(f->state),
		    jv_string_value(run));
		jv_free(arn);
		jv_free(run);
		jv_free(label);
	}
	f->last = ex_femit(f, f->last, ASL_EV_MAP_RUN_STARTED, JV_OBJECT(
	    ASL_LIT("mapRunArn"), jv_copy(g->run_arn)));
	g->map_run = f->last;
	/*
	 * MapRunStarted on disk before the journal's first line: a driver
	 * killed and resumed goes on with this Map Run, not a new one.
	 */
	asl_history_commit(&ex->h);
	ex_maprun_begin(g);
	ex_maprun_register(g, jv_copy(g->run_arn));
	g->writer = ex_writer_new(f, jv_copy(g->run_arn), &err);
	g->map_last = g->last_done = f->last;
	if (jv_get_kind(err) == JV_KIND_OBJECT) {
		jv_free(g->error);
		g->error = err;
		return -1;
	}
	return 0;
}

struct group *
ex_group_new(struct frame *f, int is_map)
{
	struct group *g = calloc(1, sizeof *g);
	jv v;
	int i;

	if (g == NULL)
		abort();
	g->owner = f;
	g->is_map = is_map;
	g->effect = jv_copy(f->effect);
	g->error = jv_null();
	f->kids = g;
	f->st = F_CHILDREN;
	if (!is_map) {
		g->n = f->state->nbranches;
		g->results = jv_array_sized(g->n);
		for (i = 0; i < g->n; i++)
			g->results = jv_array_append(g->results, jv_null());
		return g;
	}
	g->n = jv_array_length(jv_object_get(jv_copy(f->effect),
	    ASL_LIT("items")));
	f->ex->progress.items += g->n;
	v = jv_object_get(jv_copy(f->effect), ASL_LIT("maxConcurrency"));
	g->max_conc = jv_get_kind(v) == JV_KIND_NUMBER ?
	    (int)jv_number_value(v) : 0;
	jv_free(v);
	v = jv_object_get(jv_copy(f->effect),
	    ASL_LIT("toleratedFailureCount"));
	if ((g->has_tc = jv_get_kind(v) == JV_KIND_NUMBER))
		g->tol_count = jv_number_value(v);
	jv_free(v);
	v = jv_object_get(jv_copy(f->effect),
	    ASL_LIT("toleratedFailurePercentage"));
	if ((g->has_tp = jv_get_kind(v) == JV_KIND_NUMBER))
		g->tol_pct = jv_number_value(v);
	jv_free(v);
	g->results = jv_array_sized(g->n);
	for (i = 0; i < g->n; i++)
		g->results = jv_array_append(g->results, jv_null());
	asl_step_request_init(&g->req);
	g->req.state = f->state;
	g->req.input = f->input;
	g->req.vars = f->vars;
	g->req.context = ex_context(f);
	g->items = asl_step_map_items(&g->req, g->effect);
	g->reader = f->reader;
	f->reader = NULL;
	ex_batches_start(g);
	v = jv_object_get(jv_copy(f->effect), ASL_LIT("distributed"));
	g->distributed = jv_get_kind(v) == JV_KIND_TRUE;
	jv_free(v);
	return g;
}

void
ex_start_group(struct frame *f, int is_map)
{
	struct exec *ex = f->ex;
	struct group *g = ex_group_new(f, is_map);
	jv v;
	int i;

	if (is_map) {
		f->last = ex_femit(f, f->last, ASL_EV_GROUP_STARTED, ex->events ?
		    JV_OBJECT(ASL_LIT("length"), jv_number(g->n)) : jv_null());
		v = jv_object_get(jv_copy(f->effect), ASL_LIT("error"));
		if (jv_get_kind(v) == JV_KIND_OBJECT) {
			/* the Map started, then could not run (asl_step) */
			f->kids = NULL;
			ex_group_free(g);
			jv_free(f->error);
			f->error = v;
			f->pc = PC_FAIL;
			ex_push_ready(ex, f);
			return;
		}
		jv_free(v);
		g->map_last = f->last;
		g->last_done = f->last;
		/* the iterations of a distributed Map: a Map Run of children */
		if (g->distributed && ex_maprun_open(g) == -1) {
			ex_group_settle(g);
			return;
		}
		if (g->n == 0) {
			ex_group_settle(g);
			return;
		}
		ex_map_fill(g);
		if (g->running == 0 && (jv_get_kind(g->error) != JV_KIND_NULL ||
		    g->started >= g->n))
			ex_group_settle(g);	/* the first ItemSelector failed */
		return;
	}
	f->last = ex_femit(f, f->last, ASL_EV_GROUP_STARTED, jv_null());
	g->last_child = f->last;
	v = jv_object_get(jv_copy(f->effect), ASL_LIT("input"));
	/* every branch gets the input; run them in reverse onto the stack so
	 * that branch 0 runs first */
	for (i = g->n - 1; i >= 0; i--) {
		struct frame *k = ex_frame_new(ex, f->state->branches[i]->start,
		    jv_copy(v), jv_copy(f->vars), f->last);
		k->quiet = f->quiet;
		k->hist = f->hist;
		k->group = g;
		k->index = i;
		g->running++;
		g->started++;
		ex_group_add_kid(g, k);
		ex_push_ready(ex, k);
	}
	jv_free(v);
}

void
ex_abort_frame(struct frame *k)
{
	struct exec *ex = k->ex;
	int i;

	if (k->st == F_DONE || k->st == F_FAILED)
		return;
	if (k->st == F_CHILDREN && k->kids != NULL) {
		struct group *g = k->kids;
		g->aborting = 1;
		for (i = 0; i < g->nkids; i++) {
			struct frame *o = g->kids[i];
			if (o == NULL)
				continue;
			ex_abort_frame(o);
			if (!g->distributed)
				continue;
			/* a Map Run's child under way ends ABORTED */
			ex_maprun_finished(g, o, "ABORTED");
			ex->progress.items_running--;
			ex_frame_free(o);
			g->kids[i] = NULL;
			g->running--;
		}
		/* the Map Run ends before the Map state does */
		if (g->distributed)
			k->last = ex_femit(k, g->map_run,
			    ASL_EV_MAP_RUN_ABORTED, jv_null());
	}
	if (k->st == F_QUEUED) {
		struct frame **pp;
		for (pp = &ex->queued; *pp != NULL; pp = &(*pp)->next_queued)
			if (*pp == k) {
				*pp = k->next_queued;
				break;
			}
		ex->queued_tail = NULL;
		for (struct frame *q = ex->queued; q != NULL; q = q->next_queued)
			ex->queued_tail = q;
	}
	if (k->st == F_TASK || k->st == F_TIMER || k->st == F_CALLBACK)
		ex_remove_waiting(ex, k);
	if (k->st == F_READY) {
		struct frame **pp;
		for (pp = &ex->ready; *pp != NULL; pp = &(*pp)->next_ready)
			if (*pp == k) {
				*pp = k->next_ready;
				break;
			}
	}
	ex_release_work(k);
	ex_close_token(k, "aborted");
	if (ex_has_event(k, ASL_EV_STATE_ABORTED) && k->entered > 0 &&
	    (k->st == F_TASK || k->st == F_QUEUED || k->st == F_TIMER ||
	    k->st == F_CHILDREN || k->st == F_CALLBACK))
		k->last = ex_femit(k, k->last, ASL_EV_STATE_ABORTED, jv_null());
	k->st = F_FAILED;
}

void
ex_child_finished(struct frame *k)
{
	struct group *g = k->group;
	struct frame *owner = g->owner;
	int i, exceeded, rt;

	g->running--;
	group_drop_kid(g, k);
	if (g->is_map) {
		owner->ex->progress.items_done++;
		owner->ex->progress.items_running--;
		if (k->st != F_DONE)
			owner->ex->progress.items_failed++;
	}
	if (g->aborting) {
		ex_frame_free(k);
		return;
	}
	/* the tolerance UpdateMapRun last set decides */
	ex_maprun_settings(g);
	if (k->st == F_DONE) {
		g->results = jv_array_set(g->results, k->index, jv_copy(k->output));
		g->done++;
		if (g->distributed)
			ex_maprun_finished(g, k, "SUCCEEDED");
		if (g->is_map && !g->distributed) {
			g->last_done = ex_iteration_event(owner, k->last,
			    ASL_EV_ITERATION_SUCCEEDED, k->index);
			g->map_last = k->last;
		} else if (!g->is_map)
			g->last_child = k->last;
	} else {
		g->failed++;
		if (g->is_map) {
			if (!g->distributed) {
				ex_iteration_event(owner, k->last,
				    ASL_EV_ITERATION_FAILED, k->index);
				g->map_last = k->last;
			}
			/*
			 * tolerated failures (distributed mode's fields); a Map
			 * Run's child is an execution of its own, whose runtime
			 * error fails it alone, like any other failure
			 */
			rt = k->runtime && !g->distributed;
			exceeded = !(g->has_tc || g->has_tp) || rt ||
			    ((!g->has_tc || g->failed > g->tol_count) &&
			    (!g->has_tp || g->tol_pct < 100) &&
			    (!g->has_tp || g->failed * 100.0 / g->n > g->tol_pct));
			if (!exceeded) {
				g->results = jv_array_set(g->results, k->index,
				    jv_copy(k->error));
				g->done++;
			} else {
				jv_free(g->error);
				g->error = (g->has_tc || g->has_tp) && !rt ?
				    JV_OBJECT(ASL_LIT("Error"), jv_string(
				    "States.ExceedToleratedFailureThreshold"),
				    ASL_LIT("Cause"), jv_string("The specified "
				    "tolerated failure threshold was exceeded")) :
				    jv_copy(k->error);
				g->runtime = rt;
			}
			if (g->distributed)
				ex_maprun_finished(g, k, "FAILED");
		} else {
			g->last_child = k->last;
			jv_free(g->error);
			g->error = jv_copy(k->error);
			g->runtime = k->runtime;
		}
		if (jv_get_kind(g->error) != JV_KIND_NULL) {
			/* the first failure stops the rest */
			owner->last = g->distributed ? g->map_run : k->last;
			g->aborting = 1;
			for (i = 0; i < g->nkids; i++)
				if (g->kids[i] != NULL) {
					struct frame *o = g->kids[i];
					ex_abort_frame(o);
					if (g->is_map && !g->distributed)
						ex_iteration_event(owner, o->last,
						    ASL_EV_ITERATION_ABORTED, o->index);
					else if (g->distributed)
						ex_maprun_finished(g, o, "ABORTED");
					if (g->is_map)
						owner->ex->progress.items_running--;
					ex_frame_free(o);
					g->kids[i] = NULL;
					g->running--;
				}
			g->aborting = 0;
		}
	}
	ex_frame_free(k);
	if (g->is_map && jv_get_kind(g->error) == JV_KIND_NULL)
		ex_map_fill(g);
	if (g->running == 0 && (jv_get_kind(g->error) != JV_KIND_NULL ||
	    g->done + g->failed >= g->n || (g->is_map && g->started >= g->n)))
		ex_group_settle(g);
}

void
ex_group_settle(struct group *g)
{
	struct frame *f = g->owner;
	struct exec *ex = f->ex;

	f->kids = NULL;
	if (g->distributed) {
		/* the Map Run ends before the Map state does */
		if (jv_get_kind(g->error) != JV_KIND_NULL)
			f->last = ex_femit(f, g->map_run, ASL_EV_MAP_RUN_FAILED,
			    asl_events_error_details(jv_copy(g->error)));
		else
			f->last = ex_femit(f, g->map_run, ASL_EV_MAP_RUN_SUCCEEDED,
			    jv_null());
		g->last_done = f->last;
	}
	if (g->writer != NULL) {
		/* the results go where the ResultWriter says, even a failure's */
		jv r = ex_writer_close(g, jv_copy(g->results));
		if (!jv_is_valid(r) && jv_get_kind(g->error) == JV_KIND_NULL) {
			g->error = jv_invalid_get_msg(r);
			g->runtime = 0;
		} else if (!jv_is_valid(r))
			jv_free(r);
		else {
			jv_free(g->results);
			g->results = r;
		}
	}
	if (jv_get_kind(g->error) != JV_KIND_NULL) {
		if (g->runtime) {
			jv e = jv_invalid_with_msg(g->error);
			g->error = jv_null();
			ex_group_free(g);
			ex_frame_fail(f, e, 1);
			return;
		}
		jv_free(f->error);
		f->error = g->error;
		g->error = jv_null();
		f->pc = PC_ERROR;
	} else {
		long prev = g->is_map ? g->last_done : g->last_child;
		ex_femit(f, prev, ASL_EV_GROUP_SUCCEEDED, jv_null());
		/* the Exited event follows what the wrap-up followed [O] */
		f->last = prev;
		jv_free(f->result);
		f->result = jv_copy(g->results);
		f->pc = PC_COMPLETE;
	}
	ex_group_free(g);
	ex_release_work(f);
	ex_push_ready(ex, f);
}
