/*
 * asl_normalize.h - the one form of a valid definition that the engine
 * reads, so that it never has to know about older spellings or defaults.
 *
 * From a definition asl_validate accepted, asl_normalize makes:
 *   - Map "Iterator" into "ItemProcessor" and a JSONPath Map's
 *     "Parameters" into "ItemSelector" (same place among the keys);
 *   - every ItemProcessor's "ProcessorConfig" explicit, its "Mode"
 *     "INLINE" unless the definition says otherwise;
 *   - every state's "QueryLanguage" explicit: its own, else the top
 *     level's, else "JSONPath" (a Map's or Parallel's does not flow into
 *     its children);
 *   - every retrier's defaults explicit: IntervalSeconds 1, MaxAttempts
 *     3, BackoffRate 2.0, JitterStrategy "NONE".
 * Nothing else changes, and keys keep their order; added keys come
 * last, except ProcessorConfig, which comes first as AWS writes it.
 *
 * Ownership follows jv.h.  The input must be valid: normalizing an
 * invalid definition gives an unspecified (but well-formed) result.
 */
#ifndef ASL_NORMALIZE_H
#define ASL_NORMALIZE_H

#include <jv.h>

enum {
	ASL_NORMALIZE_STATE = 1		/* def is one state, not a machine */
};

/* The normalized form of def (consumed). */
jv	asl_normalize(jv def, int flags);

#endif /* !ASL_NORMALIZE_H */
