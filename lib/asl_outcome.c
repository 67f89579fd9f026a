/*
 * asl_outcome.c - what happened to each state, from an execution's
 * events: one pass placing every event in a visit (the state it belongs
 * to) and a frame (the top level, a branch, an iteration), then a pass
 * telling how each visit and frame ended.
 *
 * Placing follows the links AWS writes: an event's previousEventId is the
 * last event of its own branch or iteration, so an event belongs to the
 * visit of its previous event, except that a StateEntered opens a visit,
 * a StateExited closes the visit of its state (a Map or Parallel exits
 * after the last event of a child: the visit is found by climbing from
 * the child), a Map iteration's events name their Map, and a Map or
 * Parallel's Succeeded or Failed follows a child's last event too.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_events.h"
#include "asl_outcome.h"
#include "asl_time.h"

struct visit {
	jv	 state;		/* its name */
	char	 type[16];	/* "Task", "Map" ... */
	int	 frame;
	double	 start, last;	/* ms: entered; its last event */
	double	 end;		/* ms: exited */
	int	 exited, caught, pending, fail_state, aborted;
	int	 failures, attempts, group_open, length;
	jv	 tries;		/* the attempts, as reported */
	const char *outcome;
};

struct frame {
	int	 parent;	/* the Map or Parallel visit; -1 at the top */
	const char *kind;
	int	 index;
	double	 start, end;
	int	 ended;		/* end is known */
	const char *outcome;	/* told by an iteration event, or NULL */
	int	 last;		/* its latest visit, -1 none */
	int	 branches;	/* Parallel visit frames: branches started */
};

struct oc {
	struct visit	*v;
	int		 nv, av;
	struct frame	*f;
	int		 nf, af;
	int		*ev_visit, *ev_frame;	/* by event id */
	unsigned char	*ev_par;	/* a ParallelStateStarted */
	unsigned char	*ev_exit;	/* a StateExited */
	long		 nev;
	struct asl_time	 t0;
	int		 have_t0;
	double		 now;		/* the last event's time */
	const char	*status;
	jv		 names;		/* state name -> its latest visit */
	jv		 transitions;
};

static void *
grow(void *p, int *alloc, int n, size_t size)
{
	if (n < *alloc)
		return p;
	*alloc = *alloc == 0 ? 16 : *alloc * 2;
	p = realloc(p, (size_t)*alloc * size);
	if (p == NULL)
		abort();
	return p;
}

static int
new_frame(struct oc *o, int parent, const char *kind, int index, double t)
{
	struct frame *f;

	o->f = grow(o->f, &o->af, o->nf, sizeof *o->f);
	f = &o->f[o->nf];
	memset(f, 0, sizeof *f);
	f->parent = parent;
	f->kind = kind;
	f->index = index;
	f->start = t;
	f->last = -1;
	return o->nf++;
}

static int
new_visit(struct oc *o, jv name, const char *type, int frame, double t)
{
	struct visit *v;
	size_t n = strlen(type);

	o->v = grow(o->v, &o->av, o->nv, sizeof *o->v);
	v = &o->v[o->nv];
	memset(v, 0, sizeof *v);
	/* "TaskStateEntered": the type is what comes before "StateEntered" */
	if (n > 12)
		n -= 12;
	if (n >= sizeof v->type)
		n = sizeof v->type - 1;
	memcpy(v->type, type, n);
	v->state = name;
	v->frame = frame;
	v->start = v->last = t;
	v->tries = jv_array();
	v->fail_state = strcmp(v->type, "Fail") == 0;
	o->names = jv_object_set(o->names, jv_copy(name), jv_number(o->nv));
	o->f[frame].last = o->nv;
	return o->nv++;
}

static int
visit_named(struct oc *o, jv name)
{
	jv n = jv_object_get(jv_copy(o->names), name);
	int i = jv_get_kind(n) == JV_KIND_NUMBER ? (int)jv_number_value(n) :
	    -1;

	jv_free(n);
	return i;
}

/* The visit holding visit i: its frame's Map or Parallel, or -1. */
static int
holder(struct oc *o, int i)
{
	return i < 0 ? -1 : o->f[o->v[i].frame].parent;
}

/* The current attempt of visit i ends at t with outcome (and error). */
static void
attempt_end(struct visit *v, double t, const char *outcome, jv error)
{
	int n = jv_array_length(jv_copy(v->tries));
	jv a;

	if (n == 0) {
		jv_free(error);
		return;
	}
	a = jv_array_get(jv_copy(v->tries), n - 1);
	a = jv_object_set(a, jv_string("end"), jv_number(t));
	a = jv_object_set(a, jv_string("outcome"), jv_string(outcome));
	if (jv_get_kind(error) == JV_KIND_STRING)
		a = jv_object_set(a, jv_string("error"), error);
	else
		jv_free(error);
	v->tries = jv_array_set(v->tries, n - 1, a);
}

static void
attempt_start(struct visit *v, double t)
{
	v->attempts++;
	v->tries = jv_array_append(v->tries, JV_OBJECT(jv_string("start"),
	    jv_number(t)));
}

static double
ms(struct oc *o, jv ev)
{
	jv ts = jv_object_get(jv_copy(ev), ASL_LIT("timestamp"));
	struct asl_time t;
	double r = o->now;

	if (jv_get_kind(ts) == JV_KIND_STRING &&
	    asl_time_parse(jv_string_value(ts), &t) == 0) {
		if (!o->have_t0) {
			o->t0 = t;
			o->have_t0 = 1;
		}
		r = round(asl_time_diff(o->t0, t) * 1e6) / 1e3;
	}
	jv_free(ts);
	return r;
}

static void
event(struct oc *o, jv ev, long id)
{
	jv typev = jv_object_get(jv_copy(ev), ASL_LIT("type"));
	jv prevv = jv_object_get(jv_copy(ev), ASL_LIT("previousEventId"));
	const char *type = jv_get_kind(typev) == JV_KIND_STRING ?
	    jv_string_value(typev) : "";
	long prev = jv_get_kind(prevv) == JV_KIND_NUMBER ?
	    (long)jv_number_value(prevv) : 0;
	const struct asl_event_type *et = asl_events_lookup(type);
	enum asl_event_kind kind = et != NULL ? et->kind : ASL_EV_OTHER;
	jv d = jv_object_get(jv_copy(ev), asl_events_details_key(type));
	double t = ms(o, ev);
	int vi, fr;
	struct visit *v;

	if (jv_get_kind(d) != JV_KIND_OBJECT)
		d = (jv_free(d), jv_object());
	if (prev < 0 || prev >= id)
		prev = 0;
	vi = o->ev_visit[prev];
	fr = o->ev_frame[prev];
	o->now = t;
	if (kind != ASL_EV_OTHER && asl_events_status(kind)[0] != 'R')
		o->status = asl_events_status(kind);
	else if (kind == ASL_EV_EXECUTION_STARTED ||
	    kind == ASL_EV_EXECUTION_REDRIVEN)
		o->status = "RUNNING";
	switch (kind) {
	case ASL_EV_STATE_ENTERED:
		if (o->ev_par[prev])	/* the first event of a branch */
			fr = new_frame(o, vi, "branch", o->v[vi].length++, t);
		if (o->ev_exit[prev]) {
			jv from = jv_copy(o->v[vi].state);
			jv name = jv_object_get(jv_copy(d), ASL_LIT("name"));
			jv row = jv_object_get(jv_copy(o->transitions),
			    jv_copy(from));
			jv n;
			if (!jv_is_valid(row))
				row = (jv_free(row), jv_object());
			n = jv_object_get(jv_copy(row), jv_copy(name));
			row = jv_object_set(row, name, jv_number(
			    jv_get_kind(n) == JV_KIND_NUMBER ?
			    jv_number_value(n) + 1 : 1));
			jv_free(n);
			o->transitions = jv_object_set(o->transitions, from, row);
		}
		vi = new_visit(o, jv_object_get(jv_copy(d), ASL_LIT("name")),
		    type, fr, t);
		if (o->v[vi].fail_state) {
			o->v[vi].failures++;
			o->v[vi].pending = 1;
		}
		break;
	case ASL_EV_STATE_EXITED: {
		jv name = jv_object_get(jv_copy(d), ASL_LIT("name"));
		while (vi >= 0 && jv_get_kind(name) == JV_KIND_STRING &&
		    strcmp(jv_string_value(o->v[vi].state),
		    jv_string_value(name)) != 0)
			vi = holder(o, vi);
		jv_free(name);
		if (vi >= 0) {
			v = &o->v[vi];
			v->exited = 1;
			v->end = t;
			v->caught = v->pending;
			v->pending = 0;
			fr = v->frame;
			o->ev_exit[id] = 1;
		}
		break;
	}
	case ASL_EV_ITERATION_STARTED: {
		jv ix = jv_object_get(jv_copy(d), ASL_LIT("index"));
		vi = visit_named(o, jv_object_get(jv_copy(d),
		    ASL_LIT("name")));
		if (vi >= 0)
			fr = new_frame(o, vi, "iteration",
			    jv_get_kind(ix) == JV_KIND_NUMBER ?
			    (int)jv_number_value(ix) : 0, t);
		jv_free(ix);
		break;
	}
	case ASL_EV_ITERATION_SUCCEEDED:
	case ASL_EV_ITERATION_FAILED:
	case ASL_EV_ITERATION_ABORTED:
		if (fr > 0) {
			o->f[fr].outcome = kind == ASL_EV_ITERATION_SUCCEEDED ?
			    "succeeded" : kind == ASL_EV_ITERATION_FAILED ?
			    "failed" : "aborted";
			o->f[fr].end = t;
			o->f[fr].ended = 1;
		}
		vi = visit_named(o, jv_object_get(jv_copy(d),
		    ASL_LIT("name")));
		break;
	case ASL_EV_GROUP_SUCCEEDED:
	case ASL_EV_GROUP_FAILED:
		while (vi >= 0 && !o->v[vi].group_open)
			vi = holder(o, vi);
		if (vi >= 0) {
			v = &o->v[vi];
			v->group_open = 0;
			fr = v->frame;
			if (kind == ASL_EV_GROUP_FAILED) {
				v->failures++;
				v->pending = 1;
				attempt_end(v, t, "failed", jv_null());
			} else
				attempt_end(v, t, "succeeded", jv_null());
		}
		break;
	default:
		break;
	}
	if (vi >= 0 && kind != ASL_EV_STATE_ENTERED &&
	    kind != ASL_EV_STATE_EXITED) {
		v = &o->v[vi];
		switch (kind) {
		case ASL_EV_GROUP_STARTED: {
			jv len = jv_object_get(jv_copy(d), ASL_LIT("length"));
			attempt_start(v, t);
			v->group_open = 1;
			v->pending = 0;
			if (jv_get_kind(len) == JV_KIND_NUMBER)
				v->length += (int)jv_number_value(len);
			jv_free(len);
			o->ev_par[id] = strncmp(type, "Parallel", 8) == 0;
			break;
		}
		case ASL_EV_TASK_SCHEDULED:
			attempt_start(v, t);
			v->pending = 0;
			break;
		case ASL_EV_TASK_SUCCEEDED:
			attempt_end(v, t, "succeeded", jv_null());
			break;
		case ASL_EV_TASK_SCHEDULE_FAILED:
		case ASL_EV_TASK_START_FAILED:
		case ASL_EV_TASK_SUBMIT_FAILED:
		case ASL_EV_TASK_FAILED:
		case ASL_EV_TASK_TIMED_OUT:
		case ASL_EV_EVALUATION_FAILED:
			v->failures++;
			v->pending = 1;
			attempt_end(v, t, kind == ASL_EV_TASK_TIMED_OUT ?
			    "timed-out" : "failed", jv_object_get(jv_copy(d),
			    ASL_LIT("error")));
			break;
		case ASL_EV_STATE_ABORTED:
			v->aborted = 1;
			attempt_end(v, t, "aborted", jv_null());
			break;
		default:
			break;
		}
		if (t > v->last)
			v->last = t;
	}
	o->ev_visit[id] = vi;
	o->ev_frame[id] = fr;
	jv_free(d);
	jv_free(typev);
	jv_free(prevv);
}

/* Whether the frames around visit i still run. */
static int
frames_run(struct oc *o, int i)
{
	int f = o->v[i].frame, p;

	while (f > 0) {
		if (o->f[f].outcome != NULL)
			return 0;
		p = o->f[f].parent;
		if (o->v[p].exited || o->v[p].pending || !o->v[p].group_open)
			return 0;
		f = o->v[p].frame;
	}
	return strcmp(o->status, "RUNNING") == 0;
}

static void
tell(struct oc *o)
{
	struct visit *v;
	struct frame *f;
	int i;

	for (i = 0; i < o->nv; i++) {
		v = &o->v[i];
		if (v->exited)
			v->outcome = v->caught ? "caught" : "succeeded";
		else if (v->fail_state) {
			v->outcome = "failed";
			v->end = v->start;
		} else if (v->pending) {
			v->outcome = "failed";
			v->end = v->last;
		} else if (!v->aborted && frames_run(o, i))
			v->outcome = "running";
		else {
			v->outcome = "aborted";
			v->end = v->last;
		}
	}
	for (i = 1; i < o->nf; i++) {
		f = &o->f[i];
		if (f->outcome != NULL || f->last < 0)
			continue;
		v = &o->v[f->last];
		f->outcome = strcmp(v->outcome, "caught") == 0 ? "succeeded" :
		    v->outcome;
		if (strcmp(f->outcome, "running") != 0) {
			f->end = v->end;
			f->ended = 1;
		}
	}
	if (o->nf > 0) {
		f = &o->f[0];
		f->outcome = o->status;
		f->ended = strcmp(o->status, "RUNNING") != 0;
		f->end = o->now;
	}
}

static int
rank(const char *outcome)
{
	static const char *order[] = { "aborted", "succeeded", "caught",
	    "failed", "running" };
	int i;

	for (i = 0; i < 5; i++)
		if (strcmp(order[i], outcome) == 0)
			return i;
	return -1;
}

static jv
add(jv obj, const char *key, int n)
{
	jv k = jv_string(key), x = jv_object_get(jv_copy(obj), jv_copy(k));
	double have = jv_get_kind(x) == JV_KIND_NUMBER ? jv_number_value(x) :
	    0;

	jv_free(x);
	return jv_object_set(obj, k, jv_number(have + n));
}

static jv
state_row(jv states, struct visit *v)
{
	jv row = jv_object_get(jv_copy(states), jv_copy(v->state)), st;

	if (!jv_is_valid(row)) {
		jv_free(row);
		row = JV_OBJECT(jv_string("type"), jv_string(v->type),
		    jv_string("status"), jv_string("not-reached"),
		    jv_string("visits"), jv_number(0),
		    jv_string("succeeded"), jv_number(0),
		    jv_string("caught"), jv_number(0),
		    jv_string("failed"), jv_number(0),
		    jv_string("running"), jv_number(0),
		    jv_string("aborted"), jv_number(0),
		    jv_string("retries"), jv_number(0));
		row = jv_object_set(row, jv_string("failures"), jv_number(0));
	}
	st = jv_object_get(jv_copy(row), jv_string("status"));
	if (rank(v->outcome) > rank(jv_string_value(st)))
		row = jv_object_set(row, jv_string("status"),
		    jv_string(v->outcome));
	jv_free(st);
	return row;
}

static jv
report(struct oc *o)
{
	jv states = jv_object(), visits = jv_array(), frames = jv_array();
	jv row, ch, each;
	char buf[ASL_TIME_BUFSIZE];
	struct visit *v;
	struct frame *f;
	int i;

	for (i = 0; i < o->nv; i++) {
		v = &o->v[i];
		row = state_row(states, v);
		row = add(row, "visits", 1);
		row = add(row, v->outcome, 1);
		row = add(row, "retries", v->attempts > 1 ? v->attempts - 1 :
		    0);
		row = add(row, "failures", v->failures);
		if (strcmp(v->type, "Map") == 0 ||
		    strcmp(v->type, "Parallel") == 0) {
			ch = jv_object_get(jv_copy(row), jv_string("children"));
			if (!jv_is_valid(ch))
				ch = (jv_free(ch), JV_OBJECT(jv_string("kind"),
				    jv_string(v->type[0] == 'M' ? "items" :
				    "branches"), jv_string("length"),
				    jv_number(0)));
			ch = add(ch, "length", v->length);
			row = jv_object_set(row, jv_string("children"), ch);
		}
		states = jv_object_set(states, jv_copy(v->state), row);
		row = JV_OBJECT(jv_string("state"), jv_copy(v->state),
		    jv_string("type"), jv_string(v->type),
		    jv_string("frame"), jv_number(v->frame),
		    jv_string("start"), jv_number(v->start));
		if (strcmp(v->outcome, "running") != 0)
			row = jv_object_set(row, jv_string("end"),
			    jv_number(v->end));
		row = jv_object_set(row, jv_string("outcome"),
		    jv_string(v->outcome));
		row = jv_object_set(row, jv_string("retries"),
		    jv_number(v->attempts > 1 ? v->attempts - 1 : 0));
		row = jv_object_set(row, jv_string("attempts"),
		    jv_copy(v->tries));
		visits = jv_array_append(visits, row);
	}
	for (i = 0; i < o->nf; i++) {
		f = &o->f[i];
		row = JV_OBJECT(jv_string("kind"), jv_string(f->kind),
		    jv_string("parent"), f->parent < 0 ? jv_null() :
		    jv_number(f->parent), jv_string("index"),
		    jv_number(f->index), jv_string("start"),
		    jv_number(f->start));
		if (f->ended)
			row = jv_object_set(row, jv_string("end"),
			    jv_number(f->end));
		row = jv_object_set(row, jv_string("outcome"),
		    jv_string(f->outcome));
		frames = jv_array_append(frames, row);
		if (f->parent < 0)
			continue;
		/* a child's outcome counts for the Map or Parallel state */
		v = &o->v[f->parent];
		row = jv_object_get(jv_copy(states), jv_copy(v->state));
		ch = jv_object_get(jv_copy(row), jv_string("children"));
		ch = add(ch, f->outcome, 1);
		ch = add(ch, "started", 1);
		row = jv_object_set(row, jv_string("children"), ch);
		states = jv_object_set(states, jv_copy(v->state), row);
	}
	each = jv_copy(states);
	jv_object_foreach(each, k, r) {
		ch = jv_object_get(jv_copy(r), jv_string("children"));
		if (jv_is_valid(ch)) {
			jv len = jv_object_get(jv_copy(ch), jv_string("length"));
			jv st = jv_object_get(jv_copy(ch), jv_string("started"));
			double n = jv_number_value(len) -
			    (jv_get_kind(st) == JV_KIND_NUMBER ?
			    jv_number_value(st) : 0);
			ch = jv_object_delete(ch, jv_string("started"));
			ch = add(ch, "succeeded", 0);
			ch = add(ch, "failed", 0);
			ch = add(ch, "running", 0);
			ch = add(ch, "aborted", 0);
			ch = jv_object_set(ch, jv_string("notStarted"),
			    jv_number(n > 0 ? n : 0));
			r = jv_object_set(r, jv_string("children"), ch);
			states = jv_object_set(states, jv_copy(k), r);
			jv_free(len);
			jv_free(st);
		} else {
			jv_free(ch);
			jv_free(r);
		}
		jv_free(k);
	}
	jv_free(each);
	asl_time_format(o->t0, buf, sizeof buf);
	row = JV_OBJECT(jv_string("status"), jv_string(o->status),
	    jv_string("start"), jv_string(buf));
	asl_time_format(asl_time_add(o->t0, o->now / 1000), buf, sizeof buf);
	row = jv_object_set(row, jv_string("end"), jv_string(buf));
	row = jv_object_set(row, jv_string("duration"), jv_number(o->now));
	row = jv_object_set(row, jv_string("states"), states);
	row = jv_object_set(row, jv_string("transitions"),
	    jv_copy(o->transitions));
	row = jv_object_set(row, jv_string("visits"), visits);
	return jv_object_set(row, jv_string("frames"), frames);
}

jv
asl_outcome(jv events)
{
	struct oc o;
	long n, i;
	jv r;

	memset(&o, 0, sizeof o);
	n = jv_get_kind(events) == JV_KIND_ARRAY ?
	    jv_array_length(jv_copy(events)) : 0;
	o.nev = n + 1;
	o.ev_visit = malloc((size_t)o.nev * sizeof *o.ev_visit);
	o.ev_frame = malloc((size_t)o.nev * sizeof *o.ev_frame);
	o.ev_par = calloc((size_t)o.nev, 1);
	o.ev_exit = calloc((size_t)o.nev, 1);
	if (o.ev_visit == NULL || o.ev_frame == NULL || o.ev_par == NULL ||
	    o.ev_exit == NULL)
		abort();
	o.ev_visit[0] = -1;
	o.ev_frame[0] = 0;
	o.status = "RUNNING";
	o.names = jv_object();
	o.transitions = jv_object();
	new_frame(&o, -1, "execution", 0, 0);
	for (i = 0; i < n; i++) {
		jv ev = jv_array_get(jv_copy(events), (int)i);
		jv idv = jv_object_get(jv_copy(ev), ASL_LIT("id"));
		long id = jv_get_kind(idv) == JV_KIND_NUMBER ?
		    (long)jv_number_value(idv) : i + 1;
		/* ids count from 1 without gaps; trust the position if not */
		if (id != i + 1)
			id = i + 1;
		jv_free(idv);
		event(&o, ev, id);
		jv_free(ev);
	}
	tell(&o);
	r = report(&o);
	for (i = 0; i < o.nv; i++) {
		jv_free(o.v[i].state);
		jv_free(o.v[i].tries);
	}
	free(o.v);
	free(o.f);
	free(o.ev_visit);
	free(o.ev_frame);
	free(o.ev_par);
	free(o.ev_exit);
	jv_free(o.names);
	jv_free(o.transitions);
	jv_free(events);
	return r;
}
