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
	int	 mem;		/* no file: the lines stay in pending */
	jv	 events;	/* array, when keep */
	/*
	 * At most limit events (0: no limit): once the next one would be
	 * the limit's, every event but one that ends the execution is
	 * dropped, and full is set (the driver then fails the execution).
	 */
	long	 limit;
	int	 full;
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
 * A history kept in memory as its lines (h->pending, never written): a
 * Map Run's child, whose history is kept only if it fails.
 */
void	asl_history_open_memory(struct asl_history *);

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
 * A history read one line at a time, in memory that does not grow with
 * its length: a file, or standard input for NULL or "-".
 */
struct asl_history_reader {
	int	 fd;
	int	 own;		/* fd opened here, closed by close */
	const char *name;	/* for messages: the path, or "-" */
	char	*buf;
	size_t	 cap, start, end;	/* unread: buf[start .. end) */
	off_t	 offset;	/* where buf[start] is in the input */
	long	 line;		/* lines read */
	int	 eof, torn, err;	/* torn: bytes after the last newline */
};

/* 0, or -1 with errno (a file that cannot be opened). */
int	asl_history_reader_open(struct asl_history_reader *, const char *path);

/*
 * The next line (without its newline; *len bytes, valid until the next
 * call), where it starts in *at when at is not NULL; NULL at the end, or
 * with err set to an errno.  A torn last line is not a line: torn is set.
 */
const char *asl_history_reader_line(struct asl_history_reader *,
	    size_t *len, off_t *at);

/*
 * The next event (an object), empty lines skipped; jv_null() at the end.
 * Errors: an invalid jv with a message, errno set to the system error or
 * 0 for a line that is not a JSON event.
 */
jv	asl_history_reader_next(struct asl_history_reader *);

/* Go to offset at, the start of line line + 1.  0, or -1 with errno. */
int	asl_history_reader_seek(struct asl_history_reader *, off_t at,
	    long line);

void	asl_history_reader_close(struct asl_history_reader *);

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
 * AWS's GetExecutionHistory document for the events (consumed), all in
 * memory: {"events": [...]}, newest first when reverse.
 */
jv	asl_history_document(jv events, int reverse);

/* Where asl_history_show writes: 0, or -1 with errno. */
typedef int (*asl_history_out_fn)(void *arg, const char *p, size_t len);

/*
 * Write the history that r reads (from where it stands) through out, as
 * it comes: with table, for people: ID, TIMESTAMP, TYPE, STATE (the state
 * the event belongs to, followed through previousEventId), DETAIL (an
 * error, a cause's start, an index); else as AWS's GetExecutionHistory
 * document {"events": [...]}, indented by 2.  Newest first when reverse.
 * Memory: a few words per event for the table or reverse (an input that
 * is not a file is copied to a temporary one), none else.  Returns
 * jv_null(), or an invalid jv with a message (errno set as
 * asl_history_reader_next sets it); what was written before stays.
 */
jv	asl_history_show(struct asl_history_reader *r, int table, int reverse,
	    asl_history_out_fn out, void *arg);

#endif /* !ASL_HISTORY_H */
