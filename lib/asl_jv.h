/*
 * asl_jv.h - jv_free, jv_copy and jv_identical without a call into libjq
 * for the values that need none: the one place in asl that knows how a
 * jv is laid out.
 *
 * Debian's libjq checks assertions in every call (a jv_free of null costs
 * some 100 instructions), and a step frees and copies a dozen nulls.  A
 * jv is passed by value, and jv.h declares its fields: kind_flags first,
 * then offset, size and the union of a number and a reference.  null,
 * false, true and a plain number (kind_flags exactly its kind; jq 1.7
 * flags a number that keeps its literal, and frees it) hold no reference.
 * jv.h calls the fields private, so their use stops here: every file that
 * includes asl.h gets jv_free and jv_copy through the macros below, and
 * t/unit/json-write checks the assumption against the libjq asl is built
 * with.  Build with -DASL_JV_OPAQUE to use libjq's functions only (a few
 * percent slower; see doc/performance.md).
 */
#ifndef ASL_JV_H
#define ASL_JV_H

#include <string.h>

#include <jv.h>

#ifndef ASL_JV_OPAQUE

static inline int
asl_jv_unowned(jv v)
{
	return v.kind_flags == JV_KIND_NULL || v.kind_flags == JV_KIND_FALSE ||
	    v.kind_flags == JV_KIND_TRUE || v.kind_flags == JV_KIND_NUMBER;
}

/*
 * jv_identical(jv_copy(a), jv_copy(b)) without the calls: the same value
 * (not only an equal one), a and b borrowed.  The test jq makes, on the
 * same fields.
 */
static inline int
asl_jv_identical(jv a, jv b)
{
	if (a.kind_flags != b.kind_flags || a.offset != b.offset ||
	    a.size != b.size)
		return 0;
	switch (a.kind_flags & 0xf) {
	case JV_KIND_ARRAY:
	case JV_KIND_STRING:
	case JV_KIND_OBJECT:
		return a.u.ptr == b.u.ptr;
	case JV_KIND_NUMBER:
		/* the bits, as jq compares them: 0 is not -0 */
		return a.kind_flags == JV_KIND_NUMBER ?
		    memcmp(&a.u.number, &b.u.number, sizeof a.u.number) == 0 :
		    a.u.ptr == b.u.ptr;
	default:
		return 1;
	}
}

#else	/* ASL_JV_OPAQUE: libjq's public functions only */

static inline int
asl_jv_unowned(jv v)
{
	jv_kind k = jv_get_kind(v);

	/* a number may hold its literal (jq 1.7): freed by libjq */
	return k == JV_KIND_NULL || k == JV_KIND_FALSE || k == JV_KIND_TRUE;
}

static inline int
asl_jv_identical(jv a, jv b)
{
	return jv_identical(jv_copy(a), jv_copy(b));
}

#endif	/* ASL_JV_OPAQUE */

static inline void
asl_jv_free(jv v)
{
	if (!asl_jv_unowned(v))
		jv_free(v);	/* the real one: the macro is defined below */
}

static inline jv
asl_jv_copy(jv v)
{
	return asl_jv_unowned(v) ? v : jv_copy(v);
}

#define jv_free(v) asl_jv_free(v)
#define jv_copy(v) asl_jv_copy(v)

#endif /* !ASL_JV_H */
