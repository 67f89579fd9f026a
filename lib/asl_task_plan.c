/*
 * asl_task_plan.c - which command, mock or built-in runs a Task's
 * Resource: the resource map and the mock file compiled once, then one
 * asl_task_plan per invocation.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "asl.h"
#include "asl_arn.h"
#include "asl_json.h"
#include "asl_rng.h"
#include "asl_s3.h"
#include "asl_task.h"
#include "asl_task_int.h"

#define DEFAULT_REGION	"us-east-1"
#define DEFAULT_ACCOUNT	"123456789012"

enum wrap {
	WRAP_DEFAULT,		/* as the resource implies */
	WRAP_NONE,
	WRAP_INVOKE
};

/* One entry of the resource map. */
struct command {
	char	 *key;
	int	  glob;		/* the key has *, ? or [ */
	char	**argv;		/* one allocation, strings included */
	enum wrap wrap;
};

struct asl_resources {
	struct command	*cmds;
	int		 ncmds;
	jv		 exact;		/* key -> index in cmds */
	int		*globs;		/* indices in cmds, in file order */
	int		 nglobs;
	/* the test case: state name -> compiled mocked response */
	jv		 mock_states;
	char		*test_case;
	/* $ASL_PATH */
	char		**dirs;
	int		 ndirs;
	jv		 found;		/* function name -> executable, a cache */
	char		*region, *account;
	struct asl_rng	 rng;
	struct asl_task_http_config http;
};

/* A new string, printf-formatted; NULL when out of memory. */
static char *format(const char *, ...) __attribute__((format(printf, 1, 2)));

static char *
format(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* Argument vectors: one allocation holding the pointers and the strings. */

static char **
argv_new(jv strings)
{
	size_t size, off;
	char **argv, *s;
	int i, n;

	n = jv_array_length(jv_copy(strings));
	size = ((size_t)n + 1) * sizeof(char *);
	for (i = 0; i < n; i++) {
		jv e = jv_array_get(jv_copy(strings), i);

		size += (size_t)jv_string_length_bytes(e) + 1;
	}
	if ((argv = malloc(size)) == NULL) {
		jv_free(strings);
		return NULL;
	}
	s = (char *)(argv + n + 1);
	off = 0;
	for (i = 0; i < n; i++) {
		jv e = jv_array_get(jv_copy(strings), i);
		size_t len = (size_t)jv_string_length_bytes(jv_copy(e));

		argv[i] = s + off;
		memcpy(s + off, jv_string_value(e), len + 1);
		off += len + 1;
		jv_free(e);
	}
	argv[n] = NULL;
	jv_free(strings);
	return argv;
}

/* A copy of argv in one allocation: a plan owns its own. */
static char **
argv_dup(char *const *argv)
{
	size_t size = sizeof(char *), len;
	char **copy, *s;
	int i, n;

	for (n = 0; argv[n] != NULL; n++)
		size += sizeof(char *) + strlen(argv[n]) + 1;
	if ((copy = malloc(size)) == NULL)
		return NULL;
	s = (char *)(copy + n + 1);
	for (i = 0; i < n; i++) {
		len = strlen(argv[i]) + 1;
		copy[i] = memcpy(s, argv[i], len);
		s += len;
	}
	copy[n] = NULL;
	return copy;
}

/* The executable named name in one of the directories, or NULL. */
static char *
search(char *const *dirs, int ndirs, const char *name)
{
	struct stat st;
	char *p;
	int i;

	for (i = 0; i < ndirs; i++) {
		if ((p = format("%s/%s", *dirs[i] != '\0' ? dirs[i] : ".",
		    name)) == NULL)
			return NULL;
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(p, X_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

static void
free_dirs(char **dirs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
}

/* A colon-separated list of directories, split. */
static int
split_path(const char *path, char ***dirs)
{
	const char *p, *q;
	int n = 1, i = 0;

	for (p = path; *p != '\0'; p++)
		if (*p == ':')
			n++;
	if ((*dirs = calloc((size_t)n, sizeof(char *))) == NULL)
		return -1;
	for (p = path;; p = q + 1) {
		q = strchr(p, ':');
		if (q == NULL)
			q = p + strlen(p);
		if (((*dirs)[i++] = strndup(p, (size_t)(q - p))) == NULL) {
			free_dirs(*dirs, i - 1);
			*dirs = NULL;
			return -1;
		}
		if (*q == '\0')
			break;
	}
	return n;
}

/* The resource map. */

static const char *const command_fields[] = {
	"command", "sh", "wrap", NULL
};

static int
is_field(const char *const *fields, const char *k)
{
	for (; *fields != NULL; fields++)
		if (strcmp(*fields, k) == 0)
			return 1;
	return 0;
}

static int
string_array(jv a)
{
	int ok = jv_get_kind(a) == JV_KIND_ARRAY &&
	    jv_array_length(jv_copy(a)) > 0;

	if (ok)
		jv_array_foreach(a, i, e) {
			if (jv_get_kind(e) != JV_KIND_STRING)
				ok = 0;
			jv_free(e);
		}
	jv_free(a);
	return ok;
}

/*
 * A command without a slash is looked up in $PATH now, once, rather than
 * by every spawn; one not found stays as it is and fails when it runs.
 */
static void
resolve_argv0(struct command *c)
{
	char **dirs, *p, **argv;
	const char *path;
	int n;
	jv a;

	if (strchr(c->argv[0], '/') != NULL ||
	    (path = getenv("PATH")) == NULL ||
	    (n = split_path(path, &dirs)) == -1)
		return;
	p = search(dirs, n, c->argv[0]);
	free_dirs(dirs, n);
	if (p == NULL)
		return;
	a = JV_ARRAY(jv_string(p));
	for (n = 1; c->argv[n] != NULL; n++)
		a = jv_array_append(a, jv_string(c->argv[n]));
	free(p);
	if ((argv = argv_new(a)) != NULL) {
		free(c->argv);
		c->argv = argv;
	}
}

static jv
compile_command(struct command *c, const char *key, jv v)
{
	jv cmd = jv_invalid(), sh = jv_invalid(), wrap = jv_invalid();

	c->wrap = WRAP_DEFAULT;
	if (jv_get_kind(v) == JV_KIND_ARRAY) {
		cmd = v;
		v = jv_null();
	} else if (jv_get_kind(v) == JV_KIND_OBJECT) {
		jv_object_foreach(v, k, e) {
			if (!is_field(command_fields, jv_string_value(k))) {
				jv err = jv_string_fmt("resource map: %s: "
				    "unknown member \"%s\" (command, sh, "
				    "wrap)", key, jv_string_value(k));

				jv_free(k);
				jv_free(e);
				jv_free(v);
				return err;
			}
			jv_free(k);
			jv_free(e);
		}
		if (jv_object_has(jv_copy(v), ASL_LIT("command")))
			cmd = jv_object_get(jv_copy(v), ASL_LIT("command"));
		if (jv_object_has(jv_copy(v), ASL_LIT("sh")))
			sh = jv_object_get(jv_copy(v), ASL_LIT("sh"));
		if (jv_object_has(jv_copy(v), ASL_LIT("wrap")))
			wrap = jv_object_get(jv_copy(v), ASL_LIT("wrap"));
	} else if (jv_get_kind(v) == JV_KIND_STRING) {
		jv_free(v);
		return jv_string_fmt("resource map: %s: a command is an array "
		    "of arguments; a string runs only as {\"sh\": TEXT}", key);
	} else {
		jv_free(v);
		return jv_string_fmt("resource map: %s: a command is an array "
		    "of arguments or an object", key);
	}
	jv_free(v);
	if (jv_is_valid(cmd) == jv_is_valid(sh)) {
		jv_free(cmd);
		jv_free(sh);
		jv_free(wrap);
		return jv_string_fmt("resource map: %s: give either command "
		    "or sh", key);
	}
	if (jv_is_valid(wrap)) {
		if (jv_get_kind(wrap) == JV_KIND_STRING &&
		    strcmp(jv_string_value(wrap), "invoke") == 0)
			c->wrap = WRAP_INVOKE;
		else if (jv_get_kind(wrap) == JV_KIND_STRING &&
		    strcmp(jv_string_value(wrap), "none") == 0)
			c->wrap = WRAP_NONE;
		else {
			jv_free(cmd);
			jv_free(sh);
			jv_free(wrap);
			return jv_string_fmt("resource map: %s: wrap is "
			    "\"invoke\" or \"none\"", key);
		}
	}
	jv_free(wrap);
	if (jv_is_valid(sh)) {
		if (jv_get_kind(sh) != JV_KIND_STRING) {
			jv_free(sh);
			return jv_string_fmt("resource map: %s: sh is the text "
			    "of a shell command", key);
		}
		cmd = JV_ARRAY(ASL_LIT("/bin/sh"), ASL_LIT("-c"), sh);
	} else if (!string_array(jv_copy(cmd))) {
		jv_free(cmd);
		return jv_string_fmt("resource map: %s: command is a non-empty "
		    "array of strings", key);
	}
	if ((c->argv = argv_new(cmd)) == NULL)
		return ASL_LIT("out of memory");
	resolve_argv0(c);
	return jv_null();
}

static jv
compile_map(struct asl_resources *r, jv map)
{
	struct command *c;
	jv err = jv_null();
	int n;

	if (jv_get_kind(map) == JV_KIND_NULL) {
		jv_free(map);
		return err;
	}
	if (jv_get_kind(map) != JV_KIND_OBJECT) {
		jv_free(map);
		return jv_string("resource map: not an object of Resource -> "
		    "command");
	}
	n = jv_object_length(jv_copy(map));
	r->cmds = calloc((size_t)n + 1, sizeof *r->cmds);
	r->globs = calloc((size_t)n + 1, sizeof *r->globs);
	if (r->cmds == NULL || r->globs == NULL) {
		jv_free(map);
		return ASL_LIT("out of memory");
	}
	jv_object_foreach(map, k, v) {
		if (jv_get_kind(err) != JV_KIND_NULL) {
			jv_free(k);
			jv_free(v);
			continue;
		}
		c = &r->cmds[r->ncmds];
		if ((c->key = strdup(jv_string_value(k))) == NULL) {
			err = ASL_LIT("out of memory");
			jv_free(k);
			jv_free(v);
			continue;
		}
		r->ncmds++;
		err = compile_command(c, c->key, v);
		/* a glob matches its own text exactly too */
		c->glob = strpbrk(c->key, "*?[") != NULL;
		if (c->glob)
			r->globs[r->nglobs++] = r->ncmds - 1;
		r->exact = jv_object_set(r->exact, jv_copy(k),
		    jv_number(r->ncmds - 1));
		jv_free(k);
	}
	jv_free(map);
	return err;
}

/*
 * The first command for the candidate keys: an exact key for any of them
 * wins; then the first glob, in file order, that matches any of them.
 */
static const struct command *
lookup(const struct asl_resources *r, const char *const *keys, int nkeys)
{
	jv i;
	int g, k;

	if (r->ncmds == 0)
		return NULL;
	for (k = 0; k < nkeys; k++) {
		if (keys[k] == NULL)
			continue;
		i = jv_object_get(jv_copy(r->exact), jv_string(keys[k]));
		if (jv_get_kind(i) == JV_KIND_NUMBER) {
			g = (int)jv_number_value(i);
			return &r->cmds[g];
		}
		jv_free(i);
	}
	for (g = 0; g < r->nglobs; g++)
		for (k = 0; k < nkeys; k++)
			if (keys[k] != NULL && fnmatch(r->cmds[r->globs[g]].key,
			    keys[k], 0) == 0)
				return &r->cmds[r->globs[g]];
	return NULL;
}

/* The mock file. */

/* obj's member key, null if absent or if obj is no object (borrows obj). */
static jv
member(jv obj, const char *key)
{
	jv v = jv_get_kind(obj) == JV_KIND_OBJECT ?
	    jv_object_get(jv_copy(obj), asl_key(key)) : jv_invalid();

	return jv_is_valid(v) ? v : (jv_free(v), jv_null());
}


/* "7" or "1-3" into lo and hi; -1 if it is neither. */
static int
parse_range(const char *s, long *lo, long *hi)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*lo = strtol(s, &end, 10);
	if (errno != 0)
		return -1;
	if (*end == '\0') {
		*hi = *lo;
		return 0;
	}
	if (*end != '-' || end[1] < '0' || end[1] > '9')
		return -1;
	*hi = strtol(end + 1, &end, 10);
	if (errno != 0 || *end != '\0' || *hi < *lo)
		return -1;
	return 0;
}

/*
 * One entry of a mocked response, "N" or "N-M" -> {"Return": VALUE} or
 * {"Throw": {"Error", "Cause"}}, as [lo, hi, "Return"|"Throw", value];
 * an invalid jv with a message if it is not one.
 */
static jv
compile_entry(const char *name, const char *key, jv entry)
{
	jv t, e, c, out;
	long lo, hi;
	int ret, thr;

	ret = jv_get_kind(entry) == JV_KIND_OBJECT &&
	    jv_object_has(jv_copy(entry), ASL_LIT("Return"));
	thr = jv_get_kind(entry) == JV_KIND_OBJECT &&
	    jv_object_has(jv_copy(entry), ASL_LIT("Throw"));
	if (parse_range(key, &lo, &hi) == -1) {
		jv_free(entry);
		return jv_invalid_with_msg(jv_string_fmt("mock file: "
		    "/MockedResponses/%s/%s: not an invocation number or a "
		    "range N-M", name, key));
	}
	if (ret == thr) {
		jv_free(entry);
		return jv_invalid_with_msg(jv_string_fmt("mock file: "
		    "/MockedResponses/%s/%s: give either Return or Throw",
		    name, key));
	}
	if (ret) {
		out = JV_ARRAY(jv_number(lo), jv_number(hi),
		    ASL_LIT("Return"), jv_object_get(entry,
		    ASL_LIT("Return")));
		return out;
	}
	t = jv_object_get(entry, ASL_LIT("Throw"));
	e = member(t, "Error");
	c = member(t, "Cause");
	jv_free(t);
	if (jv_get_kind(e) != JV_KIND_STRING ||
	    jv_get_kind(c) != JV_KIND_STRING) {
		jv_free(e);
		jv_free(c);
		return jv_invalid_with_msg(jv_string_fmt("mock file: "
		    "/MockedResponses/%s/%s/Throw: Error and Cause are strings",
		    name, key));
	}
	return JV_ARRAY(jv_number(lo), jv_number(hi), ASL_LIT("Throw"),
	    JV_OBJECT(ASL_LIT("Error"), e, ASL_LIT("Cause"), c));
}

/*
 * A mocked response compiled to [[hi, kind, value], ...] in invocation
 * order: the entry for invocation n is the first whose hi >= n.  Step
 * Functions Local wants the entries to cover 0..last without gaps or
 * overlaps.
 */
static jv
compile_response(const char *name, jv resp)
{
	jv entries = jv_array(), out = jv_array(), err = jv_null(), e;
	long next = 0;
	int i, j, k, n;

	if (jv_get_kind(resp) != JV_KIND_OBJECT) {
		jv_free(resp);
		jv_free(entries);
		jv_free(out);
		return jv_invalid_with_msg(jv_string_fmt("mock file: "
		    "/MockedResponses/%s: not an object", name));
	}
	jv_object_foreach(resp, key, entry) {
		e = jv_get_kind(err) == JV_KIND_NULL ? compile_entry(name,
		    jv_string_value(key), entry) : (jv_free(entry), jv_null());
		if (!jv_is_valid(e))
			err = jv_invalid_get_msg(e);
		else if (jv_get_kind(e) == JV_KIND_ARRAY)
			entries = jv_array_append(entries, e);
		jv_free(key);
	}
	jv_free(resp);
	n = jv_array_length(jv_copy(entries));
	if (jv_get_kind(err) == JV_KIND_NULL && n == 0)
		err = jv_string_fmt("mock file: /MockedResponses/%s: no "
		    "responses", name);
	/* few entries: find the one that starts at next, n times */
	for (i = 0; i < n && jv_get_kind(err) == JV_KIND_NULL; i++) {
		for (j = 0, k = -1; j < n; j++) {
			e = jv_array_get(jv_copy(entries), j);
			if ((long)jv_number_value(jv_array_get(jv_copy(e), 0)) ==
			    next)
				k = j;
			jv_free(e);
		}
		if (k == -1) {
			err = jv_string_fmt("mock file: /MockedResponses/%s: no "
			    "response for invocation %ld: the invocation "
			    "numbers must run from 0 with no gap or overlap",
			    name, next);
			break;
		}
		e = jv_array_get(jv_copy(entries), k);
		next = (long)jv_number_value(jv_array_get(jv_copy(e), 1)) + 1;
		out = jv_array_append(out, jv_array_slice(e, 1, 4));
	}
	jv_free(entries);
	if (jv_get_kind(err) != JV_KIND_NULL) {
		jv_free(out);
		return jv_invalid_with_msg(err);
	}
	return out;
}

/* Each state of a test case names a mocked response that exists. */
static jv
check_test_case(jv tc, jv compiled, const char *sm, const char *name)
{
	jv err = jv_null();

	if (jv_get_kind(tc) != JV_KIND_OBJECT)
		return jv_string_fmt("mock file: /StateMachines/%s/TestCases/"
		    "%s: not an object", sm, name);
	jv_object_foreach(tc, st, rn) {
		if (jv_get_kind(err) == JV_KIND_NULL &&
		    (jv_get_kind(rn) != JV_KIND_STRING ||
		    !jv_object_has(jv_copy(compiled), jv_copy(rn))))
			err = jv_string_fmt("mock file: /StateMachines/%s/"
			    "TestCases/%s/%s: no such mocked response", sm,
			    name, jv_string_value(st));
		jv_free(st);
		jv_free(rn);
	}
	return err;
}

/*
 * The selected test case: the states it mocks, each with its compiled
 * responses, into r->mock_states.
 */
static jv
select_test_case(struct asl_resources *r, jv tc, jv compiled,
    const char *test_case)
{
	r->mock_states = jv_object();
	jv_object_foreach(tc, st, rn) {
		jv entries = jv_object_get(jv_copy(compiled), jv_copy(rn));

		r->mock_states = jv_object_set(r->mock_states, st,
		    JV_ARRAY(rn, entries));
	}
	jv_free(tc);
	if ((r->test_case = strdup(test_case)) == NULL)
		return ASL_LIT("out of memory");
	return jv_null();
}

static jv
compile_mock(struct asl_resources *r, jv mock, const char *sm,
    const char *test_case)
{
	jv machines, responses, compiled, tc = jv_invalid(), err = jv_null();
	int found = 0;

	if (jv_get_kind(mock) == JV_KIND_NULL) {
		jv_free(mock);
		return test_case != NULL ? jv_string("a test case needs a mock "
		    "file") : jv_null();
	}
	machines = member(mock, "StateMachines");
	responses = member(mock, "MockedResponses");
	jv_free(mock);
	if (jv_get_kind(machines) != JV_KIND_OBJECT ||
	    jv_get_kind(responses) != JV_KIND_OBJECT) {
		jv_free(machines);
		jv_free(responses);
		return jv_string("mock file: an object with the objects "
		    "StateMachines and MockedResponses");
	}
	compiled = jv_object();
	jv_object_foreach(responses, k, v) {
		jv c = jv_get_kind(err) == JV_KIND_NULL ?
		    compile_response(jv_string_value(k), v) : (jv_free(v),
		    jv_null());

		if (!jv_is_valid(c)) {
			err = jv_invalid_get_msg(c);
			jv_free(k);
		} else
			compiled = jv_object_set(compiled, k, c);
	}
	jv_object_foreach(machines, smk, smv) {
		jv cases = member(smv, "TestCases");

		if (jv_get_kind(cases) != JV_KIND_OBJECT) {
			if (jv_get_kind(err) == JV_KIND_NULL)
				err = jv_string_fmt("mock file: /StateMachines"
				    "/%s/TestCases: not an object",
				    jv_string_value(smk));
			jv_free(cases);
			cases = jv_object();
		}
		jv_object_foreach(cases, tck, tcv) {
			if (jv_get_kind(err) == JV_KIND_NULL)
				err = check_test_case(tcv, compiled,
				    jv_string_value(smk), jv_string_value(tck));
			if (test_case != NULL &&
			    strcmp(jv_string_value(tck), test_case) == 0 &&
			    (sm == NULL || strcmp(sm, jv_string_value(smk)) ==
			    0)) {
				found++;
				jv_free(tc);
				tc = jv_copy(tcv);
			}
			jv_free(tck);
			jv_free(tcv);
		}
		jv_free(cases);
		jv_free(smk);
		jv_free(smv);
	}
	jv_free(machines);
	jv_free(responses);
	if (jv_get_kind(err) == JV_KIND_NULL && test_case != NULL) {
		if (found == 0)
			err = sm != NULL ? jv_string_fmt("mock file: no test "
			    "case %s for the state machine %s", test_case, sm) :
			    jv_string_fmt("mock file: no test case %s",
			    test_case);
		else if (found > 1)
			err = jv_string_fmt("mock file: test case %s is in "
			    "more than one state machine: name one", test_case);
		else {
			err = select_test_case(r, tc, compiled, test_case);
			tc = jv_invalid();
		}
	}
	jv_free(tc);
	jv_free(compiled);
	return err;
}

struct asl_resources *
asl_task_resources_new(jv map, jv mock, const char *state_machine,
    const char *test_case, const char *path, jv *err)
{
	struct asl_resources *r;
	const char *s;
	jv e;

	if ((r = calloc(1, sizeof *r)) == NULL) {
		jv_free(map);
		jv_free(mock);
		*err = ASL_LIT("out of memory");
		return NULL;
	}
	r->exact = jv_object();
	r->mock_states = jv_null();
	r->found = jv_object();
	r->http.connections = jv_null();
	r->http.tokens = jv_object();
	if ((s = getenv("AWS_REGION")) == NULL || *s == '\0')
		if ((s = getenv("AWS_DEFAULT_REGION")) == NULL || *s == '\0')
			s = DEFAULT_REGION;
	r->region = strdup(s);
	if ((s = getenv("ASL_ACCOUNT")) == NULL || *s == '\0')
		s = DEFAULT_ACCOUNT;
	r->account = strdup(s);
	if (asl_rng_seed_os(&r->rng) == -1)
		asl_rng_seed(&r->rng, (uint64_t)time(NULL) ^
		    ((uint64_t)getpid() << 32));
	e = compile_map(r, map);
	if (jv_get_kind(e) == JV_KIND_NULL) {
		/*
		 * Step Functions Local names a test case MACHINE#CASE (its
		 * StartExecution takes stateMachineArn#CASE): the machine
		 * whose test cases to look in, and the case.
		 */
		const char *hash = test_case != NULL ? strchr(test_case, '#') :
		    NULL;
		char *sm = hash != NULL ? strndup(test_case,
		    (size_t)(hash - test_case)) : NULL;
		jv_free(e);
		if (sm != NULL)
			e = compile_mock(r, mock, *sm != '\0' ? asl_arn_last(sm) :
			    state_machine, hash + 1);
		else
			e = compile_mock(r, mock, state_machine, test_case);
		free(sm);
	} else
		jv_free(mock);
	if (jv_get_kind(e) == JV_KIND_NULL && path != NULL &&
	    (r->ndirs = split_path(path, &r->dirs)) == -1)
		e = ASL_LIT("out of memory");
	if (jv_get_kind(e) == JV_KIND_NULL && (r->region == NULL ||
	    r->account == NULL))
		e = ASL_LIT("out of memory");
	if (jv_get_kind(e) != JV_KIND_NULL) {
		if (r->ndirs == -1)
			r->ndirs = 0;
		asl_task_resources_free(r);
		*err = e;
		return NULL;
	}
	return r;
}

void
asl_task_resources_free(struct asl_resources *r)
{
	int i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ncmds; i++) {
		free(r->cmds[i].key);
		free(r->cmds[i].argv);
	}
	free(r->cmds);
	free(r->globs);
	jv_free(r->exact);
	jv_free(r->mock_states);
	free(r->test_case);
	if (r->dirs != NULL)
		free_dirs(r->dirs, r->ndirs);
	jv_free(r->found);
	free(r->region);
	free(r->account);
	jv_free(r->http.connections);
	jv_free(r->http.tokens);
	free(r->http.insecure);
	free(r);
}

void
asl_task_resources_connections(struct asl_resources *r, jv connections)
{
	jv_free(r->http.connections);
	r->http.connections = connections;
}

void
asl_task_resources_insecure(struct asl_resources *r, const char *host)
{
	free(r->http.insecure);
	r->http.insecure = host != NULL ? strdup(host) : NULL;
}

struct asl_task_http_config *
asl_task_resources_http(struct asl_resources *r)
{
	return &r->http;
}

const char *
asl_task_resources_region(const struct asl_resources *r)
{
	return r->region;
}

const char *
asl_task_resources_account(const struct asl_resources *r)
{
	return r->account;
}

/* Resources. */

enum shape {
	SHAPE_FUNCTION,		/* a Lambda function ARN or name */
	SHAPE_ACTIVITY,		/* arn:aws:states:R:A:activity:NAME */
	SHAPE_SERVICE,		/* arn:aws:states:[R:A]:SERVICE:API[.suffix] */
	SHAPE_OTHER		/* some other ARN */
};

/* A Lambda function named by a name, a partial ARN or an ARN. */
struct function {
	char	*partition, *region, *account, *name, *qualifier;
};

static void
function_free(struct function *f)
{
	free(f->partition);
	free(f->region);
	free(f->account);
	free(f->name);
	free(f->qualifier);
}

static int
field_is(const char *f, size_t len, const char *s)
{
	return strlen(s) == len && strncmp(f, s, len) == 0;
}

/*
 * Lambda's forms of a function: NAME, NAME:QUALIFIER,
 * ACCOUNT:function:NAME[:QUALIFIER] and
 * arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER].  -1 for
 * anything else, or a name that could not be a file name.
 */
static int
function_parse(const char *s, struct function *fn)
{
	const char *f[6], *name, *colon;
	size_t len[6];

	memset(fn, 0, sizeof *fn);
	if (asl_arn_split(s, f, len) == 0) {
		if (!field_is(f[2], len[2], "lambda") ||
		    strncmp(f[5], "function:", 9) != 0)
			return -1;
		fn->partition = strndup(f[1], len[1]);
		if (len[3] > 0)
			fn->region = strndup(f[3], len[3]);
		if (len[4] > 0)
			fn->account = strndup(f[4], len[4]);
		name = f[5] + 9;
	} else if ((colon = strstr(s, ":function:")) != NULL &&
	    strchr(s, ':') == colon) {
		fn->account = strndup(s, (size_t)(colon - s));
		name = colon + 10;
	} else
		name = s;
	if ((colon = strchr(name, ':')) != NULL) {
		fn->name = strndup(name, (size_t)(colon - name));
		fn->qualifier = strdup(colon + 1);
	} else
		fn->name = strdup(name);
	if (fn->name == NULL || *fn->name == '\0' ||
	    strchr(fn->name, '/') != NULL || strcmp(fn->name, ".") == 0 ||
	    strcmp(fn->name, "..") == 0 || (fn->qualifier != NULL &&
	    (*fn->qualifier == '\0' || strchr(fn->qualifier, ':') != NULL))) {
		function_free(fn);
		return -1;
	}
	return 0;
}

/* The unqualified ARN of fn, with the defaults for what it leaves out. */
static char *
function_arn(const struct asl_resources *r, const struct function *fn)
{
	return format("arn:%s:lambda:%s:%s:function:%s",
	    fn->partition != NULL ? fn->partition : "aws",
	    fn->region != NULL ? fn->region : r->region,
	    fn->account != NULL ? fn->account : r->account, fn->name);
}

/* The executable of a function in $ASL_PATH, or NULL. */
static char *
function_path(struct asl_resources *r, const char *name)
{
	char *p;
	jv c;

	if (r->ndirs == 0)
		return NULL;
	c = jv_object_get(jv_copy(r->found), jv_string(name));
	if (jv_get_kind(c) == JV_KIND_STRING) {
		p = strdup(jv_string_value(c));
		jv_free(c);
		return p;
	}
	jv_free(c);
	if ((p = search(r->dirs, r->ndirs, name)) != NULL)
		r->found = jv_object_set(r->found, jv_string(name),
		    jv_string(p));
	return p;
}

/* Service names in the errors AWS raises: SQS.AmazonSQSException ... */
static const struct service {
	const char	*id;		/* in arn:aws:states:::ID:API */
	const char	*prefix;	/* of the error name */
	const char	*exception;	/* the service's generic exception */
} services[] = {
	{ "athena", "Athena", "AmazonAthenaException" },
	{ "batch", "Batch", "AWSBatchException" },
	{ "bedrock", "Bedrock", "AmazonBedrockRuntimeException" },
	{ "codebuild", "CodeBuild", "AWSCodeBuildException" },
	{ "dynamodb", "DynamoDB", "AmazonDynamoDBException" },
	{ "ecs", "ECS", "AmazonECSException" },
	{ "eks", "EKS", "AmazonEKSException" },
	{ "elasticmapreduce", "EMR", "AmazonElasticMapReduceException" },
	{ "events", "EventBridge", "AmazonEventBridgeException" },
	{ "glue", "Glue", "AWSGlueException" },
	{ "lambda", "Lambda", "AWSLambdaException" },
	{ "sagemaker", "SageMaker", "AmazonSageMakerException" },
	{ "sns", "SNS", "AmazonSNSException" },
	{ "sqs", "SQS", "AmazonSQSException" },
	{ "states", "StepFunctions", "AWSStepFunctionsException" },
	{ NULL, NULL, NULL }
};

/* AWS SDK for Java 2.x service names, for aws-sdk:ID:action. */
static const struct sdk_name {
	const char	*id;
	const char	*name;
} sdk_names[] = {
	{ "apigateway", "ApiGateway" }, { "cloudformation", "CloudFormation" },
	{ "cloudwatch", "CloudWatch" }, { "cloudwatchlogs", "CloudWatchLogs" },
	{ "dynamodb", "DynamoDb" }, { "ec2", "Ec2" }, { "ecs", "Ecs" },
	{ "eventbridge", "EventBridge" }, { "iam", "Iam" },
	{ "kinesis", "Kinesis" }, { "kms", "Kms" }, { "rds", "Rds" },
	{ "s3", "S3" }, { "secretsmanager", "SecretsManager" },
	{ "sfn", "Sfn" }, { "sns", "Sns" }, { "sqs", "Sqs" }, { "ssm", "Ssm" },
	{ "sts", "Sts" }, { NULL, NULL }
};

/*
 * The error of a service integration that nothing here can serve: the
 * name AWS gives that service's own failures (optimized integrations:
 * SQS.AmazonSQSException, DynamoDB.AmazonDynamoDBException ...; AWS SDK
 * integrations: S3.S3Exception, SecretsManager.SecretsManagerException
 * ...), so that a Catch written for AWS catches it.
 */
static jv
service_error(const char *resource, const char *type)
{
	const struct service *s;
	const struct sdk_name *n;
	char name[128];

	if (strncmp(type, "aws-sdk:", 8) == 0) {
		type += 8;
		for (n = sdk_names; n->id != NULL; n++)
			if (strcmp(n->id, type) == 0)
				break;
		if (n->id != NULL)
			snprintf(name, sizeof name, "%s.%sException", n->name,
			    n->name);
		else
			snprintf(name, sizeof name, "%c%.50s.%c%.50sException",
			    (*type >= 'a' && *type <= 'z') ? *type - 32 : *type,
			    *type ? type + 1 : "",
			    (*type >= 'a' && *type <= 'z') ? *type - 32 : *type,
			    *type ? type + 1 : "");
	} else {
		for (s = services; s->id != NULL; s++)
			if (strcmp(s->id, type) == 0)
				break;
		if (s->id != NULL)
			snprintf(name, sizeof name, "%s.%s", s->prefix,
			    s->exception);
		else
			snprintf(name, sizeof name, "States.TaskFailed");
	}
	return asl_error(name, "No local command serves %s: map it in a "
	    "resource map or mock it", resource);
}

/*
 * AWS refuses a service integration's parameters before the task starts
 * with States.Runtime.
 */
static jv
parameters_error(jv parameters, const char *reason)
{
	jv text = jv_dump_string(parameters, 0), e;

	e = asl_error("States.Runtime", "The Parameters '%s' could not be used "
	    "to start the Task: [%s]", jv_string_value(text), reason);
	jv_free(text);
	return e;
}

/* Plans. */

static void
plan_command(struct asl_task_plan *p, const struct command *c, jv input,
    int wrap_default)
{
	if ((p->argv = argv_dup(c->argv)) == NULL) {
		jv_free(input);
		p->kind = ASL_TASK_FAIL;
		p->error = JV_OBJECT(ASL_LIT("Error"),
		    ASL_LIT("States.Runtime"), ASL_LIT("Cause"),
		    ASL_LIT("out of memory"));
		return;
	}
	p->kind = ASL_TASK_COMMAND;
	p->input = input;
	p->wrap_invoke = c->wrap == WRAP_DEFAULT ? wrap_default :
	    c->wrap == WRAP_INVOKE;
}

static void
plan_path(struct asl_task_plan *p, char *path, jv input, int wrap)
{
	char *argv[2];

	argv[0] = path;
	argv[1] = NULL;
	p->kind = ASL_TASK_COMMAND;
	p->input = input;
	p->wrap_invoke = wrap;
	if ((p->argv = argv_dup(argv)) == NULL) {
		p->kind = ASL_TASK_FAIL;
		p->error = JV_OBJECT(ASL_LIT("Error"),
		    ASL_LIT("States.Runtime"), ASL_LIT("Cause"),
		    ASL_LIT("out of memory"));
	}
	free(path);
}

static void
plan_fail(struct asl_task_plan *p, jv err)
{
	p->kind = ASL_TASK_FAIL;
	p->error = asl_error_object(err);
}

/*
 * A function (a name, partial ARN or ARN, maybe qualified) through the
 * map, under its qualified ARN, its ARN or its name, else $ASL_PATH.
 */
static void
plan_function(struct asl_resources *r, struct asl_task_plan *p,
    const char *fname, jv input, int wrap_default)
{
	const struct command *c;
	struct function fn;
	const char *keys[4];
	char *arn, *qarn = NULL, *path;

	if (function_parse(fname, &fn) == -1) {
		jv_free(input);
		/* not a name Lambda accepts: it cannot exist */
		plan_fail(p, asl_error("Lambda.ResourceNotFoundException",
		    "Function not found: %s (Service: AWSLambda; Status Code: "
		    "404; Error Code: ResourceNotFoundException; Request ID: "
		    "%s; Proxy: null)", fname, p->request_id));
		return;
	}
	if ((arn = function_arn(r, &fn)) == NULL || (fn.qualifier != NULL &&
	    (qarn = format("%s:%s", arn, fn.qualifier)) == NULL)) {
		free(arn);
		function_free(&fn);
		jv_free(input);
		plan_fail(p, asl_error("States.Runtime", "out of memory"));
		return;
	}
	keys[0] = qarn;
	keys[1] = arn;
	keys[2] = fn.name;
	if ((c = lookup(r, keys, 3)) != NULL)
		plan_command(p, c, input, wrap_default);
	else if ((path = function_path(r, fn.name)) != NULL)
		plan_path(p, path, input, wrap_default);
	else {
		jv_free(input);
		plan_fail(p, asl_task_no_function(arn, fn.qualifier,
		    p->request_id));
	}
	free(qarn);
	free(arn);
	function_free(&fn);
}

/* lambda:invoke: FunctionName, Qualifier and Payload. */
static void
plan_invoke(struct asl_resources *r, struct asl_task_plan *p, jv params)
{
	struct function fn;
	jv fname, qual, payload, lt;
	char *name;

	fname = member(params, "FunctionName");
	if (jv_get_kind(params) != JV_KIND_OBJECT ||
	    jv_get_kind(fname) != JV_KIND_STRING) {
		jv_free(fname);
		plan_fail(p, parameters_error(params, "The field "
		    "\"FunctionName\" is required"));
		return;
	}
	/* Invoke's Qualifier parameter, unless the name has one */
	qual = member(params, "Qualifier");
	if (jv_get_kind(qual) == JV_KIND_STRING &&
	    function_parse(jv_string_value(fname), &fn) == 0) {
		if (fn.qualifier == NULL) {
			jv q = jv_string_fmt("%s:%s", jv_string_value(fname),
			    jv_string_value(qual));

			jv_free(fname);
			fname = q;
		}
		function_free(&fn);
	}
	jv_free(qual);
	/*
	 * A Payload given as a string is the payload's text itself: "0.0"
	 * reaches the function as 0.0 (lambda/test_lambda_task_service__
	 * test_invoke_json_values__0.0).  No Payload, or null, reaches it as
	 * {}: the identity function answered {} (..._test_invoke).
	 */
	payload = member(params, "Payload");
	/* LogType Tail: the function's log comes back with its response */
	lt = member(params, "LogType");
	p->log_tail = jv_get_kind(lt) == JV_KIND_STRING &&
	    strcmp(jv_string_value(lt), "Tail") == 0;
	jv_free(lt);
	jv_free(params);
	if (jv_get_kind(payload) == JV_KIND_STRING) {
		jv v = asl_json_parse(jv_string_value(payload),
		    (size_t)jv_string_length_bytes(jv_copy(payload)), NULL,
		    NULL);

		if (!jv_is_valid(v)) {
			/* Lambda refuses it before any function runs */
			jv msg = jv_invalid_get_msg(v);
			jv m = member(msg, "message");

			plan_fail(p, asl_error("Lambda.InvalidRequestContent"
			    "Exception", "Could not parse request body into "
			    "json: %s (Service: AWSLambda; Status Code: 400; "
			    "Error Code: InvalidRequestContentException; "
			    "Request ID: %s; Proxy: null)",
			    jv_get_kind(m) == JV_KIND_STRING ?
			    jv_string_value(m) : "not JSON", p->request_id));
			jv_free(m);
			jv_free(msg);
			jv_free(payload);
			jv_free(fname);
			return;
		}
		jv_free(v);
		p->input_raw = 1;
	} else if (jv_get_kind(payload) == JV_KIND_NULL) {
		jv_free(payload);
		payload = jv_object();
	}
	p->errors = ASL_ERRORS_INVOKE;
	name = strdup(jv_string_value(fname));
	jv_free(fname);
	if (name == NULL) {
		jv_free(payload);
		plan_fail(p, asl_error("States.Runtime", "out of memory"));
		return;
	}
	plan_function(r, p, name, payload, 1);
	if (p->kind != ASL_TASK_COMMAND)
		p->input_raw = 0;
	free(name);
}

static void
plan_execution(struct asl_task_plan *p, jv params)
{
	jv arn = member(params, "StateMachineArn");

	if (jv_get_kind(params) != JV_KIND_OBJECT ||
	    jv_get_kind(arn) != JV_KIND_STRING) {
		jv_free(arn);
		plan_fail(p, parameters_error(params, "The field "
		    "\"StateMachineArn\" is required"));
		return;
	}
	p->kind = ASL_TASK_EXECUTION;
	p->execution = JV_OBJECT(ASL_LIT("stateMachine"), arn,
	    ASL_LIT("input"), member(params, "Input"),
	    ASL_LIT("name"), member(params, "Name"));
	jv_free(params);
}

/* The mocked response of this invocation, if the test case mocks the state. */
static int
plan_mock(struct asl_resources *r, struct asl_task_plan *p,
    const char *state, int invocation)
{
	jv m, entries, e;
	int i, n;

	if (jv_get_kind(r->mock_states) != JV_KIND_OBJECT || state == NULL)
		return 0;
	m = jv_object_get(jv_copy(r->mock_states), jv_string(state));
	if (!jv_is_valid(m)) {
		jv_free(m);
		return 0;
	}
	entries = jv_array_get(jv_copy(m), 1);
	n = jv_array_length(jv_copy(entries));
	for (i = 0; i < n; i++) {
		e = jv_array_get(jv_copy(entries), i);
		if (invocation <= jv_number_value(jv_array_get(jv_copy(e), 0)))
			break;
		jv_free(e);
	}
	if (i == n) {
		jv name = jv_array_get(jv_copy(m), 0);

		/*
		 * Step Functions Local fails the execution when a state runs
		 * more often than its mocked responses say: the test case is
		 * wrong, so no Catch may hide it.
		 */
		p->kind = ASL_TASK_FAIL;
		p->error = asl_error_object(asl_error("States.Runtime",
		    "The mocked response %s of test case %s has no response "
		    "for invocation %d of state '%s' (it has %d)",
		    jv_string_value(name), r->test_case, invocation, state,
		    (int)jv_number_value(jv_array_get(jv_array_get(
		    jv_copy(entries), n - 1), 0)) + 1));
		jv_free(name);
	} else {
		jv kind = jv_array_get(jv_copy(e), 1);

		p->kind = ASL_TASK_MOCK;
		if (strcmp(jv_string_value(kind), "Return") == 0)
			p->result = jv_array_get(jv_copy(e), 2);
		else
			p->error = jv_array_get(jv_copy(e), 2);
		jv_free(kind);
		jv_free(e);
	}
	jv_free(entries);
	jv_free(m);
	return 1;
}

void
asl_task_plan(struct asl_resources *r, const char *state_name,
    int invocation, jv resource, jv parameters, struct asl_task_plan *p)
{
	const char *s, *f[6], *api = NULL, *end = NULL, *key[1];
	const struct command *c;
	enum shape shape;
	size_t len[6], n;
	char *type = NULL;
	int invoke = 0, start = 0, http = 0, s3 = 0;

	memset(p, 0, sizeof *p);
	p->resource_type = jv_null();
	p->resource = jv_null();
	p->input = jv_null();
	p->result = jv_null();
	p->error = jv_null();
	p->activity = jv_null();
	p->execution = jv_null();
	asl_task_uuid(&r->rng, p->request_id);
	if (jv_get_kind(resource) != JV_KIND_STRING) {
		jv_free(resource);
		jv_free(parameters);
		p->family = ASL_FAMILY_TASK;
		plan_fail(p, asl_error("States.Runtime", "The Resource is not "
		    "a string"));
		return;
	}
	s = jv_string_value(resource);

	/* What the resource is, and so which events it produces. */
	if (asl_arn_split(s, f, len) == -1) {
		shape = SHAPE_FUNCTION;
		p->family = ASL_FAMILY_LAMBDA;
	} else if (field_is(f[2], len[2], "lambda") &&
	    strncmp(f[5], "function:", 9) == 0) {
		shape = SHAPE_FUNCTION;
		p->family = ASL_FAMILY_LAMBDA;
	} else if (field_is(f[2], len[2], "states") &&
	    strncmp(f[5], "activity:", 9) == 0) {
		shape = SHAPE_ACTIVITY;
		p->family = ASL_FAMILY_ACTIVITY;
	} else if (field_is(f[2], len[2], "states") &&
	    strchr(f[5], ':') != NULL) {
		/* with or without a region and an account, as AWS takes it */
		shape = SHAPE_SERVICE;
		p->family = ASL_FAMILY_TASK;
		/*
		 * resourceType is what comes before the API, resource the API
		 * with its suffix: "sqs" and "sendMessage.waitForTaskToken",
		 * "aws-sdk:s3" and "listBuckets".
		 */
		n = len[5];
		if (n > 17 && strcmp(f[5] + n - 17, ".waitForTaskToken") == 0) {
			p->pattern = ASL_PATTERN_CALLBACK;
			n -= 17;
		} else if (n > 7 && strcmp(f[5] + n - 7, ".sync:2") == 0) {
			p->pattern = ASL_PATTERN_SYNC;
			n -= 7;
		} else if (n > 5 && strcmp(f[5] + n - 5, ".sync") == 0) {
			p->pattern = ASL_PATTERN_SYNC;
			n -= 5;
		}
		end = f[5] + n;
		for (api = end; api > f[5] && api[-1] != ':'; api--)
			;
		type = strndup(f[5], (size_t)(api - f[5] - 1));
		p->resource_type = jv_string(type != NULL ? type : "");
		p->resource = jv_string(api);
	} else {
		shape = SHAPE_OTHER;
		p->family = ASL_FAMILY_TASK;
		p->resource_type = jv_string_sized(f[2], (int)len[2]);
	}
	if (shape != SHAPE_SERVICE)
		p->resource = jv_copy(resource);
	else if (type == NULL) {
		jv_free(parameters);
		plan_fail(p, asl_error("States.Runtime", "out of memory"));
		goto done;
	} else {
		invoke = strcmp(type, "lambda") == 0 && end - api == 6 &&
		    strncmp(api, "invoke", 6) == 0;
		start = strcmp(type, "states") == 0 && end - api == 14 &&
		    strncmp(api, "startExecution", 14) == 0;
		http = strcmp(type, "http") == 0 && end - api == 6 &&
		    strncmp(api, "invoke", 6) == 0;
		s3 = (strcmp(type, "s3") == 0 || strcmp(type, "aws-sdk:s3") == 0) &&
		    p->pattern == ASL_PATTERN_REQUEST && asl_s3_serves(api);
	}
	if (shape == SHAPE_FUNCTION)
		p->errors = ASL_ERRORS_LAMBDA;
	else if (invoke)
		p->errors = ASL_ERRORS_INVOKE;

	/* 1. the mock file */
	if (plan_mock(r, p, state_name, invocation)) {
		jv_free(parameters);
		goto done;
	}
	/* 2. the resource map, under the Resource itself */
	key[0] = s;
	if ((c = lookup(r, key, 1)) != NULL) {
		plan_command(p, c, parameters, 0);
		goto done;
	}
	/* 3. built-ins, 4. functions */
	switch (shape) {
	case SHAPE_FUNCTION:
		plan_function(r, p, s, parameters, 0);
		break;
	case SHAPE_ACTIVITY:
		jv_free(parameters);
		p->kind = ASL_TASK_ACTIVITY;
		p->activity = jv_copy(resource);
		break;
	case SHAPE_SERVICE:
		if (invoke)
			plan_invoke(r, p, parameters);
		else if (start)
			plan_execution(p, parameters);
		else if (http) {
			/* the request goes out with libcurl (asl_task_http.c) */
			p->kind = ASL_TASK_HTTP;
			p->input = parameters;
		} else if (s3) {
			p->kind = ASL_TASK_S3;
			p->input = parameters;
		} else {
			jv_free(parameters);
			plan_fail(p, service_error(s, type));
		}
		break;
	case SHAPE_OTHER:
		jv_free(parameters);
		plan_fail(p, asl_error("States.TaskFailed", "No local command "
		    "serves %s: map it in a resource map or mock it", s));
		break;
	}
done:
	free(type);
	jv_free(resource);
}

void
asl_task_plan_release(struct asl_task_plan *p)
{
	free(p->argv);
	p->argv = NULL;
	jv_free(p->resource_type);
	jv_free(p->resource);
	jv_free(p->input);
	jv_free(p->result);
	jv_free(p->error);
	jv_free(p->activity);
	jv_free(p->execution);
	p->resource_type = p->resource = p->input = p->result = p->error =
	    p->activity = p->execution = jv_null();
}
