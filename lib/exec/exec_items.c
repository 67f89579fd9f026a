/*
 * lib/exec/exec_items.c - a Distributed Map's data on the local S3: what
 * its ItemReader reads (asl_items.h).
 */
#include "asl_items.h"
#include "exec_int.h"

void
ex_read_items(struct frame *f)
{
	struct exec *ex = f->ex;
	jv items = asl_items_read(ex->s3_root, jv_copy(f->effect));

	ex_release_work(f);
	if (!jv_is_valid(items)) {
		jv_free(f->error);
		f->error = asl_error_object(items);
		f->pc = PC_ERROR;
	} else {
		jv_free(f->result);
		f->result = items;
		f->pc = PC_REENTER;
	}
	ex_push_ready(ex, f);
}
