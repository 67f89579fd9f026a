/*
 * asl_progress.h - how far long work has gone, as one line for people:
 * states entered, Map items done of total, tasks running, events written.
 * Any part of the engine feeds the counters; asl_progress_tick hands the
 * line to the caller's function at most ten times a second (a terminal
 * redraws it in place), and asl_progress_end once more, with NULL, when
 * the work ends, so that the caller can clear it.  Nothing here prints:
 * where the line goes (stderr, mostly) is the caller's.
 */
#ifndef ASL_PROGRESS_H
#define ASL_PROGRESS_H

/* Where the line goes: the text (no newline), or NULL to clear it. */
typedef void (*asl_progress_fn)(void *arg, const char *line);

struct asl_progress {
	asl_progress_fn	 fn;		/* NULL: no progress is shown */
	void		*arg;
	long		 states;	/* states entered */
	long		 items, items_done;	/* Map items, and done */
	long		 items_failed;	/* of those done, how many failed */
	long		 items_running;	/* Map items under way */
	long		 tasks;		/* task processes running */
	long		 events;	/* events written */
	double		 last;		/* when the line was last given */
	int		 shown;
};

/* Counters at 0; fn NULL shows nothing, and costs a test per tick. */
void	asl_progress_init(struct asl_progress *, asl_progress_fn fn,
	    void *arg);

/* The line for the counters as they stand, in buf (size bytes). */
void	asl_progress_format(const struct asl_progress *, char *buf,
	    size_t size);

/* Give the line to fn if a tenth of a second passed since the last. */
void	asl_progress_tick(struct asl_progress *);

/* The work is over: fn(arg, NULL) if a line was shown. */
void	asl_progress_end(struct asl_progress *);

#endif /* !ASL_PROGRESS_H */
