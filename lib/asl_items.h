/*
 * asl_items.h - a Distributed Map's ItemReader over the local S3
 * (asl_s3.h): the items of an object read as JSON, JSON Lines or CSV
 * (RFC 4180; FIRST_ROW or GIVEN headers; COMMA, PIPE, SEMICOLON, SPACE
 * or TAB), the rows of an S3 inventory's gzipped CSV files named by its
 * manifest (MANIFEST, through zlib), or the objects of a listObjectsV2,
 * as AWS hands them to the Map's iterations, at most MaxItems of them.
 * PARQUET has no reader here: States.ItemReaderFailed says so.
 *
 * A reader streams: JSON Lines and CSV are read a buffer at a time and
 * an item is made when it is asked for, so that a file of a million rows
 * is never in memory at once.  A JSON object is one document and is
 * read whole.
 *
 * Ownership follows jv.h.  Errors are invalid jv values carrying {"Error",
 * "Cause"}: States.ItemReaderFailed, with what went wrong and where.
 */
#ifndef ASL_ITEMS_H
#define ASL_ITEMS_H

#include <jv.h>

struct asl_items;

/*
 * Open the reader a Map's read-items effect describes ({"resource",
 * "parameters", "readerConfig", "maxItems"}; consumed) on the local S3 at
 * root.  NULL with *err on failure.
 */
struct asl_items *asl_items_open(const char *root, jv effect, jv *err);

/*
 * The next item; jv_invalid() without a message once there are no more;
 * an error if the object cannot be read on.
 */
jv	asl_items_next(struct asl_items *);

/* Read from the first item again; 0, or -1 (errno) if it cannot. */
int	asl_items_rewind(struct asl_items *);

/* How many items were handed out so far. */
long	asl_items_count(const struct asl_items *);

void	asl_items_close(struct asl_items *);

/* Every item the effect (consumed) describes, as an array, or an error. */
jv	asl_items_read(const char *root, jv effect);

#endif /* !ASL_ITEMS_H */
