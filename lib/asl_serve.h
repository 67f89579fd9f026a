/*
 * asl_serve.h - asl serve: the Step Functions API (asl_api.h) over HTTP,
 * the AWS JSON 1.0 protocol (POST /, X-Amz-Target:
 * AWSStepFunctions.<Operation>, application/x-amz-json-1.0), and the
 * drivers of the executions it starts.
 *
 * One thread runs libmicrohttpd's event loop and every operation, so no
 * jv value is shared between threads.  An operation that waits
 * (GetActivityTask's long poll, StartSyncExecution) suspends its
 * connection and is asked again from the loop.  Executions are driven by
 * driver processes forked from the loop, one per execution, each holding
 * the execution's lock as any driver does; a machine without a resource
 * is driven in the loop itself up to its end or its first pause.  At
 * start, and every second after, every RUNNING execution of the store
 * that no process holds gets a driver: those a killed server left, those
 * the CLI started or left paused.
 *
 * Durability: what one turn of the loop writes is made durable by a group
 * commit (asl_store.h), one syncfs for all the turn's requests, and a
 * request is answered, and an execution it started given a driver, only
 * once what it wrote is durable.
 *
 * Bounds: request bodies of 1 MiB, 256 connections, idle connections
 * closed after 30 s, 128 driver processes (more executions wait their
 * turn), per server process; --workers runs several on one port.
 *
 * Ownership follows jv.h.  Errors are invalid jv values carrying {"Error",
 * "Cause"}.
 */
#ifndef ASL_SERVE_H
#define ASL_SERVE_H

#include <jv.h>

struct asl_store;

struct asl_serve_options {
	const char	*listen;	/* ADDR:PORT ([V6]:PORT); NULL: the default */
	const struct asl_store *store;
	jv		 resources;	/* the resource map or null; borrowed */
	jv		 mock;		/* a MockConfigFile document or null; borrowed */
	const char	*path;		/* $ASL_PATH for Lambda functions */
	/*
	 * Server processes (0: 1), each its own socket on the same port
	 * (SO_REUSEPORT; the kernel spreads the connections), so that the
	 * syncs of concurrent requests overlap; ASL_SERVE_WORKERS_MAX at most.
	 */
	int		 workers;
	/* told the address listened on, once listening (port 0: the one chosen) */
	void		(*ready)(void *arg, const char *address);
	void		*arg;
};

#define ASL_SERVE_LISTEN	"127.0.0.1:8083"
#define ASL_SERVE_WORKERS_MAX	16

/*
 * Serve until asl_serve_stop; then the connections are answered and
 * closed and the drivers stopped (their executions stay RUNNING, for the
 * next start).  Returns true, or an error (the address, listening).
 */
jv	asl_serve_run(const struct asl_serve_options *);

/* Make asl_serve_run return.  Async-signal-safe. */
void	asl_serve_stop(void);

#endif /* !ASL_SERVE_H */
