/*
 * asl_task_job.c - a task command as a child process: spawned in its own
 * process group with three pipes, fed and drained without blocking as the
 * caller's poll loop says, reaped, and its output turned into the task's
 * result or error.
 *
 * Cost matters: a chain of a thousand tasks should pay for little more
 * than its thousand processes.  No shell, no temporary files, one
 * posix_spawn (vfork and exec in glibc), and the input written right
 * after the spawn, so that a small document costs no poll round at all.
 */
#define _GNU_SOURCE		/* pipe2, POSIX only since 2024 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "asl.h"
#include "asl_json.h"
#include "asl_task.h"
#include "asl_task_int.h"
#include "asl_utf8.h"

extern char **environ;

static double
monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The most stdout kept: Lambda's own limit on a synchronous response (6
 * MB).  A result that large fails the step's 256 KiB check anyway; the cap
 * only keeps a runaway command from eating the driver's memory.
 */
#define OUT_MAX		(6 * 1024 * 1024)
/* The tail of stderr kept for a cause. */
#define ERR_TAIL	8192
/* AWS's limit on a cause. */
#define CAUSE_MAX	32768

struct asl_job {
	pid_t		 pid;
	int		 in, out, err, pidfd;	/* -1 once closed */
	jv		 input;		/* the text for stdin, a jv string */
	const char	*in_p;
	size_t		 in_len, in_off;
	struct asl_buf	 stdout_, stderr_;
	int		 out_over;	/* stdout passed OUT_MAX */
	int		 err_cut;	/* stderr's head was dropped */
	int		 reaped, status;
	int		 sigpipe_ignored;
	int		 wrap_invoke, log_tail;
	double		 started;	/* monotonic seconds at the spawn */
	enum asl_task_errors errors;
	char		 request_id[ASL_REQUEST_ID_SIZE];
	jv		 label;		/* the resource as a DataLimitExceeded names it */
	char		 prog[64];	/* the command's name, for causes */
	struct asl_task_http *http;	/* an HTTP Task's request instead */
};

/* Descriptors 0-2 are the child's: ours must not sit there when we dup2. */
static int
lift(int fd)
{
	int nfd;

	if (fd > 2)
		return fd;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return nfd;
}

static int
make_pipe(int p[2], int ours)
{
	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	if ((p[0] = lift(p[0])) == -1 || (p[1] = lift(p[1])) == -1 ||
	    fcntl(p[ours], F_SETFL, O_NONBLOCK) == -1) {
		if (p[0] != -1)
			close(p[0]);
		if (p[1] != -1)
			close(p[1]);
		return -1;
	}
	return 0;
}

static void
close_fd(int *fd)
{
	if (*fd != -1) {
		close(*fd);
		*fd = -1;
	}
}

/*
 * The child starts with every signal at its default and none blocked,
 * whatever the driver ignores or blocks (a command run with SIGPIPE
 * ignored would not die in `yes | head`).
 */
static int
spawn_attr(posix_spawnattr_t *attr)
{
	static const int sigs[] = {
		SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGALRM,
		SIGUSR1, SIGUSR2, SIGTSTP, SIGTTIN, SIGTTOU, SIGXFSZ
	};
	sigset_t none, def;
	size_t i;

	sigemptyset(&none);
	sigemptyset(&def);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaddset(&def, sigs[i]);
	if (posix_spawnattr_init(attr) != 0)
		return -1;
	if (posix_spawnattr_setflags(attr, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) != 0 ||
	    posix_spawnattr_setpgroup(attr, 0) != 0 ||
	    posix_spawnattr_setsigmask(attr, &none) != 0 ||
	    posix_spawnattr_setsigdefault(attr, &def) != 0) {
		posix_spawnattr_destroy(attr);
		return -1;
	}
	return 0;
}

static void write_input(struct asl_job *);
static void open_pidfd(struct asl_job *);

struct asl_job *
asl_task_job_http(struct asl_resources *r, const struct asl_task_plan *plan,
    jv *err)
{
	struct asl_job *j;
	struct asl_task_http *h;

	if (plan->kind != ASL_TASK_HTTP) {
		*err = asl_error("States.Runtime", "not an HTTP request");
		return NULL;
	}
	h = asl_task_http_new(asl_task_resources_http(r), jv_copy(plan->input),
	    jv_string(asl_task_resources_region(r)), err);
	if (h == NULL)
		return NULL;
	if ((j = calloc(1, sizeof *j)) == NULL)
		abort();
	j->in = j->out = j->err = j->pidfd = -1;
	j->input = jv_null();
	j->label = jv_null();
	j->http = h;
	return j;
}

long
asl_task_job_wait_ms(const struct asl_job *j)
{
	return j->http != NULL ? asl_task_http_wait_ms(j->http) : -1;
}

struct asl_job *
asl_task_job_start(const struct asl_task_plan *plan, char *const envp[], jv *err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	struct sigaction sa;
	struct asl_job *j;
	int in[2], out[2], errp[2], e;
	const char *base;

	if (plan->kind != ASL_TASK_COMMAND || plan->argv == NULL ||
	    plan->argv[0] == NULL) {
		*err = asl_error("States.Runtime", "not a command to run");
		return NULL;
	}
	if ((j = calloc(1, sizeof *j)) == NULL) {
		*err = asl_error("States.TaskFailed", "out of memory");
		return NULL;
	}
	j->in = j->out = j->err = j->pidfd = -1;
	j->wrap_invoke = plan->wrap_invoke;
	j->log_tail = plan->log_tail;
	j->started = monotonic();
	j->errors = plan->errors;
	memcpy(j->request_id, plan->request_id, sizeof j->request_id);
	/* AWS names lambda:invoke 'lambda', a function its ARN */
	j->label = plan->family == ASL_FAMILY_TASK &&
	    jv_get_kind(plan->resource_type) == JV_KIND_STRING ?
	    jv_copy(plan->resource_type) : jv_copy(plan->resource);
	base = strrchr(plan->argv[0], '/');
	snprintf(j->prog, sizeof j->prog, "%s", base != NULL ? base + 1 :
	    plan->argv[0]);
	if (plan->input_raw && jv_get_kind(plan->input) == JV_KIND_STRING)
		j->input = jv_copy(plan->input);
	else
		j->input = jv_dump_string(jv_copy(plan->input), 0);
	j->in_p = jv_string_value(j->input);
	j->in_len = (size_t)jv_string_length_bytes(jv_copy(j->input));

	if (make_pipe(in, 1) == -1)
		goto fail_pipes0;
	if (make_pipe(out, 0) == -1)
		goto fail_pipes1;
	if (make_pipe(errp, 0) == -1)
		goto fail_pipes2;
	if ((e = posix_spawn_file_actions_init(&fa)) != 0) {
		errno = e;
		goto fail_pipes3;
	}
	if ((e = posix_spawn_file_actions_adddup2(&fa, in[0], 0)) != 0 ||
	    (e = posix_spawn_file_actions_adddup2(&fa, out[1], 1)) != 0 ||
	    (e = posix_spawn_file_actions_adddup2(&fa, errp[1], 2)) != 0 ||
	    (e = spawn_attr(&attr)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		errno = e > 0 ? e : ENOMEM;
		goto fail_pipes3;
	}
	if (strchr(plan->argv[0], '/') != NULL)
		e = posix_spawn(&j->pid, plan->argv[0], &fa, &attr,
		    plan->argv, envp != NULL ? envp : environ);
	else
		e = posix_spawnp(&j->pid, plan->argv[0], &fa, &attr,
		    plan->argv, envp != NULL ? envp : environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (e != 0) {
		errno = e;
		goto fail_pipes3;
	}
	close(in[0]);
	close(out[1]);
	close(errp[1]);
	j->in = in[1];
	j->out = out[0];
	j->err = errp[0];
	/*
	 * Whether a write to a closed pipe would kill us: if SIGPIPE is
	 * ignored there is nothing to guard against.
	 */
	j->sigpipe_ignored = sigaction(SIGPIPE, NULL, &sa) == 0 &&
	    sa.sa_handler == SIG_IGN;
	open_pidfd(j);
	write_input(j);
	return j;

fail_pipes3:
	e = errno;
	close(errp[0]);
	close(errp[1]);
	errno = e;
fail_pipes2:
	e = errno;
	close(out[0]);
	close(out[1]);
	errno = e;
fail_pipes1:
	e = errno;
	close(in[0]);
	close(in[1]);
	errno = e;
fail_pipes0:
	*err = asl_error("States.TaskFailed", "Cannot run %s: %s",
	    plan->argv[0], strerror(errno));
	jv_free(j->input);
	jv_free(j->label);
	free(j);
	return NULL;
}

struct asl_job *
asl_task_job_fork(int (*fn)(void *arg), void *arg, const char *label,
    jv *err)
{
	struct asl_job *j;
	int out[2], errp[2], fd, code;
	long maxfd;

	if ((j = calloc(1, sizeof *j)) == NULL) {
		*err = asl_error("States.TaskFailed", "out of memory");
		return NULL;
	}
	j->in = j->out = j->err = j->pidfd = -1;
	j->errors = ASL_ERRORS_PLAIN;
	j->label = jv_string(label);
	snprintf(j->prog, sizeof j->prog, "%s", label);
	j->input = jv_string("");
	if (make_pipe(out, 0) == -1)
		goto fail0;
	if (make_pipe(errp, 0) == -1)
		goto fail1;
	if ((j->pid = fork()) == -1)
		goto fail2;
	if (j->pid == 0) {
		/* its own process group, as a command's; only its pipes open */
		setpgid(0, 0);
		if ((fd = open("/dev/null", O_RDONLY)) != -1 && fd != 0) {
			dup2(fd, 0);
			close(fd);
		}
		dup2(out[1], 1);
		dup2(errp[1], 2);
		maxfd = sysconf(_SC_OPEN_MAX);
		for (fd = 3; fd < (maxfd > 0 && maxfd < 65536 ? maxfd : 65536);
		    fd++)
			close(fd);
		code = fn(arg);
		_exit(code);
	}
	setpgid(j->pid, j->pid);
	close(out[1]);
	close(errp[1]);
	j->out = out[0];
	j->err = errp[0];
	open_pidfd(j);
	return j;

fail2:
	close(errp[0]);
	close(errp[1]);
fail1:
	close(out[0]);
	close(out[1]);
fail0:
	*err = asl_error("States.TaskFailed", "Cannot start %s: %s", label,
	    strerror(errno));
	jv_free(j->input);
	jv_free(j->label);
	free(j);
	return NULL;
}

/*
 * A write that cannot raise SIGPIPE: with the signal blocked, a write to
 * a pipe nobody reads fails with EPIPE and leaves a pending SIGPIPE,
 * which is taken back before the mask is restored (unless one was
 * already pending for someone else).
 */
static ssize_t
write_nosigpipe(struct asl_job *j, const void *p, size_t n)
{
	static const struct timespec zero = { 0, 0 };
	sigset_t block, old, pending;
	ssize_t r;
	int was_pending, e;

	if (j->sigpipe_ignored)
		return write(j->in, p, n);
	sigemptyset(&block);
	sigaddset(&block, SIGPIPE);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	sigprocmask(SIG_BLOCK, &block, &old);
	r = write(j->in, p, n);
	e = errno;
	if (r == -1 && e == EPIPE && !was_pending)
		while (sigtimedwait(&block, NULL, &zero) == -1 &&
		    errno == EINTR)
			;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return r;
}

static void
input_done(struct asl_job *j)
{
	close_fd(&j->in);
	jv_free(j->input);
	j->input = jv_null();
	j->in_p = NULL;
}

/* As much of the input as the pipe takes now; EOF after the last byte. */
static void
write_input(struct asl_job *j)
{
	ssize_t r;

	while (j->in != -1 && j->in_off < j->in_len) {
		r = write_nosigpipe(j, j->in_p + j->in_off,
		    j->in_len - j->in_off);
		if (r > 0)
			j->in_off += (size_t)r;
		else if (r == -1 && errno == EINTR)
			continue;
		else if (r == -1 && errno == EAGAIN)
			return;
		else {
			/* EPIPE: the command will not read the rest */
			input_done(j);
			return;
		}
	}
	if (j->in != -1)
		input_done(j);
}

/*
 * Drain stdout: all of it up to OUT_MAX, the rest read and dropped; at
 * most budget bytes in this call (SIZE_MAX: until the pipe is empty).
 */
static void
read_stdout(struct asl_job *j, size_t budget)
{
	char sink[16384];
	size_t got = 0;
	ssize_t r;

	for (;;) {
		if (got >= budget)
			return;
		if (!j->out_over && asl_buf_reserve(&j->stdout_, 16384) == -1)
			j->out_over = 1;
		if (j->out_over)
			r = read(j->out, sink, sizeof sink);
		else
			r = read(j->out, j->stdout_.p + j->stdout_.len,
			    j->stdout_.cap - j->stdout_.len);
		if (r > 0) {
			got += (size_t)r;
			if (!j->out_over) {
				j->stdout_.len += (size_t)r;
				if (j->stdout_.len > OUT_MAX) {
					/* the rest is drained, not kept */
					j->out_over = 1;
					asl_buf_free(&j->stdout_);
				}
			}
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && errno == EAGAIN)
			return;
		close_fd(&j->out);	/* EOF, or an error that ends it */
		return;
	}
}

/* Drain stderr, keeping its last ERR_TAIL bytes at least; budget as above. */
static void
read_stderr(struct asl_job *j, size_t budget)
{
	struct asl_buf *b = &j->stderr_;
	size_t got = 0;
	ssize_t r;

	if (b->p == NULL && (b->p = malloc(2 * ERR_TAIL)) == NULL) {
		close_fd(&j->err);
		return;
	}
	b->cap = 2 * ERR_TAIL;
	for (;;) {
		if (got >= budget)
			return;
		if (b->len == b->cap) {
			memmove(b->p, b->p + b->len - ERR_TAIL, ERR_TAIL);
			b->len = ERR_TAIL;
			j->err_cut = 1;
		}
		r = read(j->err, b->p + b->len, b->cap - b->len);
		if (r > 0) {
			got += (size_t)r;
			b->len += (size_t)r;
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && errno == EAGAIN)
			return;
		close_fd(&j->err);
		return;
	}
}

/* The exit status, if the process has exited; 1 once reaped. */
static int
reap(struct asl_job *j)
{
	pid_t r;

	if (j->reaped)
		return 1;
	while ((r = waitpid(j->pid, &j->status, WNOHANG)) == -1 &&
	    errno == EINTR)
		;
	if (r == 0)
		return 0;
	if (r == -1)	/* ECHILD: someone else reaped it */
		j->status = -1;
	j->reaped = 1;
	close_fd(&j->pidfd);
	return 1;
}

/*
 * A pidfd (Linux 5.3) becomes readable when the process exits, whether or
 * not its pipes are closed: a command whose child holds them is not
 * waited for (see leftover_output).
 */
static void
open_pidfd(struct asl_job *j)
{
#if defined(__linux__) && defined(SYS_pidfd_open)
	long fd;

	if (j->pidfd != -1 || j->reaped)
		return;
	if ((fd = syscall(SYS_pidfd_open, j->pid, 0)) >= 0)
		j->pidfd = lift((int)fd);
#else
	(void)j;
#endif
}

/*
 * The command has exited and something it started (`sleep 60 &`) still
 * holds its pipes.  What it wrote before it exited is in them, at most a
 * pipe's worth: read that, then close them; what the child writes later
 * is not the task's (AWS freezes a function's sandbox once its handler
 * returns).  The child is not killed here: the engine kills what is left
 * of a task's process group once the task is over (ex_release_work), but
 * not after a callback's command, whose child may be the one that sends
 * the answer.
 */
static size_t
pipe_budget(int fd)
{
	int n = -1;

#ifdef F_GETPIPE_SZ
	n = fcntl(fd, F_GETPIPE_SZ);
#else
	(void)fd;
#endif
	return n > 0 ? (size_t)n : 65536;
}

static void
leftover_output(struct asl_job *j)
{
	if (j->out != -1) {
		read_stdout(j, pipe_budget(j->out));
		close_fd(&j->out);
	}
	if (j->err != -1) {
		read_stderr(j, pipe_budget(j->err));
		close_fd(&j->err);
	}
}

int
asl_task_job_pollfds(const struct asl_job *j, struct pollfd *fds, int max)
{
	int n = 0;

	if (j->http != NULL)
		return asl_task_http_pollfds(j->http, fds, max);
	if (n < max && j->in != -1) {
		fds[n].fd = j->in;
		fds[n].events = POLLOUT;
		fds[n++].revents = 0;
	}
	if (n < max && j->out != -1) {
		fds[n].fd = j->out;
		fds[n].events = POLLIN;
		fds[n++].revents = 0;
	}
	if (n < max && j->err != -1) {
		fds[n].fd = j->err;
		fds[n].events = POLLIN;
		fds[n++].revents = 0;
	}
	if (n < max && !j->reaped && j->pidfd != -1) {
		fds[n].fd = j->pidfd;
		fds[n].events = POLLIN;
		fds[n++].revents = 0;
	}
	return n;
}

int
asl_task_job_pump(struct asl_job *j, const struct pollfd *fds, int n)
{
	int i, exited = 0;

	if (j->http != NULL)
		return asl_task_http_pump(j->http);
	for (i = 0; i < n; i++) {
		if (fds[i].revents == 0 || fds[i].fd == -1)
			continue;
		if (fds[i].fd == j->in)
			write_input(j);
		else if (fds[i].fd == j->out)
			read_stdout(j, SIZE_MAX);
		else if (fds[i].fd == j->err)
			read_stderr(j, SIZE_MAX);
		else if (fds[i].fd == j->pidfd)
			exited = 1;
	}
	/* without a pidfd, the pipes' EOF says the process is exiting */
	if (exited || (j->out == -1 && j->err == -1))
		(void)reap(j);
	if (j->reaped) {
		leftover_output(j);
		input_done(j);
	}
	return j->reaped && j->out == -1 && j->err == -1;
}

pid_t
asl_task_job_pid(const struct asl_job *j)
{
	return j->pid;
}

void
asl_task_job_kill(struct asl_job *j, int sig)
{
	if (j->http != NULL) {
		asl_task_http_abort(j->http);
		return;
	}
	if (kill(-j->pid, sig) == -1 && !j->reaped)
		kill(j->pid, sig);
}

/* Outcomes. */

/* Trailing white space off; leading too. */
static void
trim(const char **p, size_t *n)
{
	while (*n > 0 && strchr(" \t\r\n", (*p)[*n - 1]) != NULL)
		(*n)--;
	while (*n > 0 && strchr(" \t\r\n", **p) != NULL) {
		(*p)++;
		(*n)--;
	}
}

/* At most max bytes of p: its tail (or head), cut on a UTF-8 boundary. */
static jv
text_part(const char *p, size_t n, size_t max, int tail)
{
	size_t from = tail ? asl_utf8_tail(p, n, max) : 0;

	if (!tail)
		n = asl_utf8_head(p, n, max);
	return jv_string_sized(p + from, (int)(n - from));
}

static const char *
signame(int sig)
{
	static const struct {
		int		 sig;
		const char	*name;
	} names[] = {
		{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" },
		{ SIGQUIT, "SIGQUIT" }, { SIGILL, "SIGILL" },
		{ SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
		{ SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" },
		{ SIGKILL, "SIGKILL" }, { SIGUSR1, "SIGUSR1" },
		{ SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
		{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" },
		{ SIGTERM, "SIGTERM" }, { SIGXCPU, "SIGXCPU" },
		{ SIGXFSZ, "SIGXFSZ" }, { SIGSYS, "SIGSYS" }
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].sig == sig)
			return names[i].name;
	return "a signal";
}

/* stderr's tail as a cause, prefixed; or the prefix alone. */
static jv
with_stderr(struct asl_job *j, jv cause)
{
	const char *p = j->stderr_.p;
	size_t n = j->stderr_.len;

	if (p != NULL && j->err_cut) {
		/* start at a line if one starts in the tail */
		const char *nl = memchr(p + n - ERR_TAIL, '\n', ERR_TAIL);

		p = nl != NULL ? nl + 1 : p + n - ERR_TAIL;
		n = (size_t)(j->stderr_.p + j->stderr_.len - p);
	}
	if (p != NULL)
		trim(&p, &n);
	if (p == NULL || n == 0)
		return cause;
	if (jv_get_kind(cause) == JV_KIND_NULL)
		return text_part(p, n, ERR_TAIL, 1);
	cause = jv_string_append_str(cause, ": ");
	return jv_string_concat(cause, text_part(p, n, ERR_TAIL, 1));
}

/*
 * A failure that printed no Lambda-style error: the cause is what the
 * command said on stderr, else on stdout, else its exit status.
 */
static jv
plain_failure(struct asl_job *j, int code)
{
	const char *p = j->stdout_.p;
	size_t n = j->stdout_.len;
	jv cause;

	cause = with_stderr(j, jv_null());
	if (jv_get_kind(cause) == JV_KIND_NULL && p != NULL) {
		trim(&p, &n);
		if (n > 0)
			cause = text_part(p, n, CAUSE_MAX, 0);
	}
	if (jv_get_kind(cause) == JV_KIND_NULL)
		cause = jv_string_fmt("%s exited with status %d", j->prog,
		    code);
	return asl_error_jv(ASL_LIT("States.TaskFailed"), cause);
}

/* Exit 0, but the output (p, n bytes) is no JSON: err says why. */
static jv
not_json(struct asl_job *j, jv err, const char *p, size_t n)
{
	jv msg = jv_invalid_get_msg(err), cause, line, col, text;

	cause = jv_string_fmt("%s printed output that is not JSON", j->prog);
	if (jv_get_kind(msg) == JV_KIND_OBJECT) {
		line = jv_object_get(jv_copy(msg), ASL_LIT("line"));
		col = jv_object_get(jv_copy(msg), ASL_LIT("column"));
		text = jv_object_get(jv_copy(msg), ASL_LIT("message"));
		if (jv_get_kind(line) == JV_KIND_NUMBER &&
		    jv_get_kind(col) == JV_KIND_NUMBER &&
		    jv_get_kind(text) == JV_KIND_STRING)
			cause = jv_string_concat(cause, jv_string_fmt(
			    " (line %d, column %d: %s)",
			    (int)jv_number_value(line),
			    (int)jv_number_value(col), jv_string_value(text)));
		jv_free(line);
		jv_free(col);
		jv_free(text);
	}
	jv_free(msg);
	cause = jv_string_append_str(cause, ": ");
	cause = jv_string_concat(cause, text_part(p, n, 1024, 0));
	return asl_error_jv(ASL_LIT("States.TaskFailed"), cause);
}

jv
asl_task_job_outcome(struct asl_job *j)
{
	const char *p = j->stdout_.p != NULL ? j->stdout_.p : "";
	size_t n = j->stdout_.len;
	jv v, t;
	int code;

	if (j->http != NULL)
		return asl_task_http_outcome(j->http);
	if (!j->reaped || j->out != -1 || j->err != -1)
		return asl_error("States.Runtime", "the task has not finished");
	if (j->status == -1)
		return asl_error("States.TaskFailed", "%s: its exit status was "
		    "lost (reaped elsewhere)", j->prog);
	if (WIFSIGNALED(j->status))
		return asl_error_jv(ASL_LIT("States.TaskFailed"),
		    with_stderr(j, jv_string_fmt("%s was killed by signal %d "
		    "(%s)", j->prog, WTERMSIG(j->status),
		    signame(WTERMSIG(j->status)))));
	code = WEXITSTATUS(j->status);
	/*
	 * A result over Step Functions' 256 KiB is refused before it is
	 * read: AWS records LambdaFunctionFailed (TaskFailed for
	 * lambda:invoke) with States.DataLimitExceeded, which a Catch sees,
	 * even for a function's bytes that are not JSON
	 * (error_handling/test_states_errors__*_data_limit_exceeded_*).
	 */
	if (j->out_over || (code == 0 && n > ASL_PAYLOAD_LIMIT))
		return asl_error("States.DataLimitExceeded", "The state/task "
		    "'%s' returned a result with a size exceeding the maximum "
		    "number of bytes service limit.",
		    jv_get_kind(j->label) == JV_KIND_STRING ?
		    jv_string_value(j->label) : j->prog);
	trim(&p, &n);
	v = n == 0 ? jv_null() : asl_json_parse(p, n, NULL, NULL);
	if (code != 0) {
		/* {"errorType": ..., "errorMessage": ...}: a function's error */
		if (jv_get_kind(v) == JV_KIND_OBJECT) {
			t = jv_object_get(jv_copy(v), ASL_LIT("errorType"));
			if (jv_get_kind(t) == JV_KIND_STRING) {
				jv_free(t);
				return asl_task_lambda_error(v, j->errors,
				    j->request_id);
			}
			jv_free(t);
		}
		jv_free(v);
		return plain_failure(j, code);
	}
	if (!jv_is_valid(v))
		return not_json(j, v, p, n);
	if (!j->wrap_invoke)
		return v;
	v = asl_task_invoke_response(v, n > 0 ? p : NULL, n, j->request_id);
	if (j->log_tail)
		v = asl_task_invoke_log(v, j->stderr_.p, j->stderr_.len,
		    j->request_id, (monotonic() - j->started) * 1000);
	return v;
}

void
asl_task_job_free(struct asl_job *j)
{
	int status;

	if (j == NULL)
		return;
	if (j->http != NULL) {
		asl_task_http_free(j->http);
		jv_free(j->input);
		jv_free(j->label);
		free(j);
		return;
	}
	if (!j->reaped) {
		kill(-j->pid, SIGKILL);
		kill(j->pid, SIGKILL);
		while (waitpid(j->pid, &status, 0) == -1 && errno == EINTR)
			;
	}
	close_fd(&j->in);
	close_fd(&j->out);
	close_fd(&j->err);
	close_fd(&j->pidfd);
	jv_free(j->input);
	jv_free(j->label);
	asl_buf_free(&j->stdout_);
	asl_buf_free(&j->stderr_);
	free(j);
}


jv
asl_task_job_run(const struct asl_task_plan *plan, char *const envp[],
    double timeout)
{
	struct pollfd fds[ASL_JOB_POLLFDS];
	struct asl_job *job;
	double deadline = timeout > 0 ? monotonic() + timeout : 0, left;
	int n, killed = 0, ms;
	jv err, out;

	if ((job = asl_task_job_start(plan, envp, &err)) == NULL)
		return err;
	for (;;) {
		n = asl_task_job_pollfds(job, fds, ASL_JOB_POLLFDS);
		if (n == 0 && asl_task_job_pump(job, fds, 0))
			break;
		ms = -1;
		if (deadline > 0 && !killed) {
			left = deadline - monotonic();
			ms = left > 0 ? (int)(left * 1000) + 1 : 0;
		}
		if (n == 0 && (ms == -1 || ms > 10))
			ms = 10;	/* no pidfd: look again soon */
		if (poll(fds, (nfds_t)n, ms) == -1 && errno != EINTR) {
			err = asl_error("States.Runtime", "poll: %s",
			    strerror(errno));
			asl_task_job_free(job);
			return err;
		}
		if (asl_task_job_pump(job, fds, n))
			break;
		if (deadline > 0 && !killed && monotonic() >= deadline) {
			asl_task_job_kill(job, SIGKILL);
			killed = 1;
		}
	}
	out = asl_task_job_outcome(job);
	asl_task_job_free(job);
	if (killed) {
		jv_free(out);
		/* what a driver reports for its own kill */
		return asl_error_jv(ASL_LIT("States.Timeout"), jv_string(""));
	}
	return out;
}
