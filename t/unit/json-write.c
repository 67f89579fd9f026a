/*
 * json-write - test driver for asl_json_write: for each JSON text of
 * standard input (a stream, as jq reads one), print the text
 * asl_json_text writes, then "same" or "differs: JQ" against jq's
 * jv_dump_string(v, 0), which it must equal byte for byte.  Each object
 * is also checked after its first member was deleted and set again (jq
 * objects iterate in slot order, and a deletion leaves a hole), and
 * asl_json_length's count against the text's length, and
 * asl_json_write_as_string against jq's text of jq's text.  Exit 1 if
 * anything differs.
 */
#include <stdio.h>
#include <string.h>

#include "asl.h"
#include "asl_json.h"

static int
check(jv v)
{
	size_t len = asl_json_length(v, (size_t)-1 / 2);
	jv ours = asl_json_text(jv_copy(v)), theirs = jv_dump_string(jv_copy(v), 0);
	int same = strcmp(jv_string_value(ours), jv_string_value(theirs)) == 0;

	if ((int)len != jv_string_length_bytes(jv_copy(theirs))) {
		printf("length %zu, not %d\n", len,
		    jv_string_length_bytes(jv_copy(theirs)));
		same = 0;
	}
	{
		/* the text as a JSON string, as a history holds it */
		struct asl_buf b = { NULL, 0, 0, 0 };
		jv twice = jv_dump_string(jv_copy(theirs), 0);

		asl_json_write_as_string(&b, v);
		if (b.len != (size_t)jv_string_length_bytes(jv_copy(twice)) ||
		    memcmp(b.p, jv_string_value(twice), b.len) != 0) {
			printf("as a string: %.*s, not %s\n", (int)b.len, b.p,
			    jv_string_value(twice));
			same = 0;
		}
		jv_free(twice);
		asl_buf_free(&b);
	}
	printf("%s\n", jv_string_value(ours));
	if (same)
		printf("same\n");
	else
		printf("differs: %s\n", jv_string_value(theirs));
	jv_free(ours);
	jv_free(theirs);
	jv_free(v);
	return same;
}

int
main(void)
{
	char buf[65536];
	size_t n;
	int ok = 1, it;
	jv_parser *p = jv_parser_new(0);
	jv v, k, e;

	/* asl.h's fast jv_free and jv_copy: these own nothing, those do */
	{
		jv str = jv_string(""), arr = jv_array();
		int wrong = !asl_jv_unowned(jv_null()) ||
		    !asl_jv_unowned(jv_true()) || !asl_jv_unowned(jv_false()) ||
		    !asl_jv_unowned(jv_number(1.5)) || asl_jv_unowned(str) ||
		    asl_jv_unowned(arr);

		jv_free(str);
		jv_free(arr);
		if (wrong) {
			fprintf(stderr, "json-write: asl_jv_unowned is wrong "
			    "for this libjq\n");
			return 3;
		}
	}
	{
		/* asl_jv_identical says what jv_identical says */
		jv s1 = jv_string("a"), s2 = jv_string("a");
		jv pairs[][2] = {
			{ jv_number(0), jv_number(-0.0) },
			{ jv_number(1), jv_number(1) },
			{ jv_null(), jv_null() },
			{ jv_null(), jv_false() },
			{ s1, s1 },
			{ s1, s2 },
			{ jv_invalid(), jv_invalid() },
		};
		size_t i;

		for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
			if (asl_jv_identical(pairs[i][0], pairs[i][1]) !=
			    jv_identical(jv_copy(pairs[i][0]),
			    jv_copy(pairs[i][1]))) {
				fprintf(stderr, "json-write: asl_jv_identical "
				    "differs from jv_identical (pair %zu)\n", i);
				return 3;
			}
		jv_free(s1);
		jv_free(s2);
	}

	for (;;) {
		n = fread(buf, 1, sizeof buf, stdin);
		/* the last argument: whether more is to come */
		jv_parser_set_buf(p, buf, (int)n, n > 0);
		while (jv_is_valid(v = jv_parser_next(p))) {
			if (jv_get_kind(v) == JV_KIND_OBJECT &&
			    jv_object_length(jv_copy(v)) > 1) {
				it = jv_object_iter(v);
				k = jv_object_iter_key(v, it);
				e = jv_object_iter_value(v, it);
				ok &= check(jv_object_set(jv_object_delete(
				    jv_copy(v), jv_copy(k)), k, e));
			}
			ok &= check(v);
		}
		if (jv_invalid_has_msg(jv_copy(v))) {
			jv m = jv_invalid_get_msg(v);
			fprintf(stderr, "json-write: %s\n", jv_string_value(m));
			jv_free(m);
			return 2;
		}
		jv_free(v);
		if (n == 0)
			break;
	}
	jv_parser_free(p);
	return ok ? 0 : 1;
}
