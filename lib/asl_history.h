/*
 * asl_history.h - execution histories: AWS's GetExecutionHistory events,
 * one per line in history.jsonl, the source of truth of an execution.
 *
 * An event is {"timestamp", "type", "id", "previousEventId",
 * "<detailsKey>": {...}} as AWS returns it: ids count from 1, JSON
 * payloads (input, output, parameters, assigned variable values) are JSON
 * text, timestamps are ISO-8601 UTC with milliseconds.
 *
 * Writing follows the store's durability rules: events are built in
 * memory and reach the file as whole lines, several at a time, in one
 * write(2) each; asl_history_commit writes what is pending and, for a
 * Standard execution, fdatasyncs, before anything leaves the engine.  A
 * torn last line (a crash in the middle of a write) is cut off when the
 * file is opened again.
 */
#ifndef ASL_HISTORY_H
#define ASL_HISTORY_H

#include <stddef.h>

#include <jv.h>

#include "asl.h"

struct asl_history {
	int	 fd;		/* -1: nothing is written to disk */
	int	 sync;		/* fdatasync at each commit (Standard) */
	int	 unsynced;	/* written since the last fdatasync */
	long	 next_id;	/* the id of the next event */
	struct asl_buf	 pending;	/* whole lines not yet written */
	/*
	 * The payload last written as text, held, and that text as a JSON
	 * string: a state's output is the next state's input, and a Choice's
	 * input its output, so the same value is written twice in a row.
	 */
	int	 have_last;
	jv	 last;
	struct asl_buf	 last_text;
	int	 keep;		/* also keep every event in events */
	jv	 events;	/* array, when keep */
	int	 failed;	/* a write failed: errno saved in err */
	int	 err;
};

/*
 * Start a history: on path (created, or opened for append after its
 * existing events, whose count sets next_id, with a torn last line cut
 * off), or in memory only when path is NULL.  Returns 0, or -1 with errno.
 */
int	asl_history_open(struct asl_history *, const char *path, int sync,
	    int keep);

/*
 * Add an event of type with its details (consumed; null for none) after
 * event prev; returns its id.  The details' member is named for the type
 * (asl_events_details_key).  type is an event type's name, which
 * asl_events_lookup knows: it is written as it is.
 */
long	asl_history_add(struct asl_history *, long prev, const char *type,
	    jv details);

/*
 * The event a state's entering or leaving makes, type ending in
 * StateEntered or StateExited: what asl_history_add(h, prev, type,
 * asl_events_state_entered(name, data)) adds, or for Exited
 * asl_events_state_exited(name, data, assigned), written from data and
 * assigned (both consumed; assigned null for none) with no details object
 * built: most of a Standard execution's events are these.
 */
long	asl_history_add_state(struct asl_history *, long prev, const char *type,
	    const char *name, jv data, jv assigned);

/*
 * A Map iteration's event (MapIterationStarted, MapIterationSucceeded,
 * ...): what asl_history_add adds with the details {"index", "name"},
 * written with no details object built.
 */
long	asl_history_add_iteration(struct asl_history *, long prev,
	    const char *type, int index, const char *name);

/* Write what is pending, and fdatasync if sync.  0, or -1 with errno. */
int	asl_history_commit(struct asl_history *);

/*
 * Write what is pending, without a sync: for readers of the file, when
 * nothing is about to leave the engine.  0, or -1 with errno.
 */
int	asl_history_flush(struct asl_history *);

/* Commit and close (the events array stays until asl_history_release). */
int	asl_history_close(struct asl_history *);
void	asl_history_release(struct asl_history *);

/*
 * Read a history file: the array of its events.  A torn last line is
 * ignored (*torn set to 1).  Errors: an invalid jv with a message string,
 * with errno set for an I/O error and 0 for a line that is not an event.
 */
jv	asl_history_read(const char *path, int *torn);

/*
 * The last event of a history file, read from its end: what
 * asl_history_read(path)'s last element is, without reading the rest
 * (a torn last line ignored likewise); jv_null() when it has none.
 * Errors as asl_history_read's.
 */
jv	asl_history_last(const char *path);

/*
 * The status the events (borrowed) end in: "SUCCEEDED", "FAILED",
 * "TIMED_OUT", "ABORTED", or "RUNNING"; NULL when there are none.
 */
const char *asl_history_status(jv events);

/* The same for the last event alone (borrowed; jv_null(): none). */
const char *asl_history_last_status(jv last);

/*
 * The events (consumed) as a table for people: ID, TIMESTAMP, TYPE, STATE
 * (the state the event belongs to, followed through previousEventId),
 * DETAIL (an error, a cause's start, an index); newest first when
 * reverse.  Returns the text.
 */
jv	asl_history_table(jv events, int reverse);

/*
 * AWS's GetExecutionHistory document for the events (consumed):
 * {"events": [...]}, newest first when reverse.
 */
jv	asl_history_document(jv events, int reverse);

#endif /* !ASL_HISTORY_H */
