/*
 * asl_progress.c - the progress line: counters, and a clock that keeps
 * it to ten redraws a second however fast the counters move.
 */
#include <stdio.h>
#include <string.h>

#include "asl_progress.h"
#include "asl_time.h"

void
asl_progress_init(struct asl_progress *p, asl_progress_fn fn, void *arg)
{
	memset(p, 0, sizeof *p);
	p->fn = fn;
	p->arg = arg;
}

void
asl_progress_format(const struct asl_progress *p, char *buf, size_t size)
{
	int n;

	n = snprintf(buf, size, "%ld states entered", p->states);
	if (p->items > 0 && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, ", %ld/%ld Map items "
		    "(%ld failed, %ld running)", p->items_done, p->items,
		    p->items_failed, p->items_running > 0 ? p->items_running : 0);
	if (n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, ", %ld tasks running, "
		    "%ld events", p->tasks, p->events);
}

void
asl_progress_tick(struct asl_progress *p)
{
	char line[160];
	double t;

	if (p->fn == NULL)
		return;
	t = asl_time_monotonic();
	if (p->shown && t - p->last < 0.1)
		return;
	p->last = t;
	p->shown = 1;
	asl_progress_format(p, line, sizeof line);
	p->fn(p->arg, line);
}

void
asl_progress_end(struct asl_progress *p)
{
	if (p->fn != NULL && p->shown)
		p->fn(p->arg, NULL);
	p->shown = 0;
}
