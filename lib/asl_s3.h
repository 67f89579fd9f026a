/*
 * asl_s3.h - a local S3: a directory stands for the buckets, bucket B key
 * K being the file ROOT/B/K (a key's '/' make subdirectories).  The root
 * is --s3-root DIR, else $ASL_S3_ROOT; see asl-s3(5).
 *
 * The API calls a Task reaches through arn:aws:states:::aws-sdk:s3:API
 * (or arn:aws:states:::s3:API) answer with the members AWS SDK for Java
 * 2.x gives Step Functions, and fail with its errors
 * (S3.NoSuchBucketException, S3.NoSuchKeyException, ...), so that Retry
 * and Catch written for AWS see what they would there.  Objects are
 * written whole (a temporary file renamed into place).
 *
 * Ownership follows jv.h.  Errors are invalid jv values carrying {"Error",
 * "Cause"}.
 */
#ifndef ASL_S3_H
#define ASL_S3_H

#include <jv.h>

/* The root: dir, else $ASL_S3_ROOT, else NULL (no local S3). */
const char *asl_s3_root(const char *dir);

/*
 * Call api ("getObject", "putObject", "listObjectsV2", "headObject",
 * "deleteObject") with its request parameters (consumed) under root
 * (NULL: S3.S3Exception, no local S3).  Returns the response.
 */
jv	asl_s3_call(const char *root, const char *api, jv params);

/* Whether api is one asl_s3_call serves. */
int	asl_s3_serves(const char *api);

/*
 * The file of bucket/key under root, opened for reading (a descriptor),
 * or -1 with *err (the error GetObject gives).
 */
int	asl_s3_open(const char *root, jv bucket, jv key, jv *err);

/*
 * Write the len bytes at body as bucket/key (borrowed); the bucket must
 * exist.  Returns the object's ETag, or an error.
 */
jv	asl_s3_put(const char *root, const char *bucket, const char *key,
	    const void *body, size_t len);

/*
 * An object written a piece at a time: a temporary file beside where
 * bucket/key goes (the bucket must exist), open for writing; *tmp is its
 * path (the caller frees it).  -1 with *err on failure.
 * asl_s3_commit puts it in place whole; true or an error.
 */
int	asl_s3_create(const char *root, const char *bucket, const char *key,
	    char **tmp, jv *err);
jv	asl_s3_commit(const char *root, const char *bucket, const char *key,
	    const char *tmp);

#endif /* !ASL_S3_H */
