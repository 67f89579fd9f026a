/*
 * asl_step_map.c - the Map state: its items (ItemsPath, Items, or what an
 * ItemReader read), each iteration's input through ItemSelector (or
 * Parameters) with $$.Map.Item, ItemBatcher's batches, MaxConcurrency
 * and the tolerated failures, as the effect the driver runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_jtemplate.h"
#include "asl_path.h"
#include "asl_step.h"
#include "asl_step_int.h"
#include "asl_template.h"

struct asl_map_items {
	const struct asl_state	*state;
	jv	 items, input, vars;
	jv	 raw_input;	/* the Map state's, for JSONata's $states */
	jv	 context;	/* the Map's, then with each item's Map member */
	jv	 k_map, k_item, k_index, k_value, k_states, k_input, k_context;
};

struct asl_map_items *
asl_step_map_items(const struct asl_step_request *req, jv effect)
{
	struct asl_map_items *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	p->state = req->state;
	p->items = jv_object_get(jv_copy(effect), ASL_LIT("items"));
	p->input = jv_object_get(jv_copy(effect), ASL_LIT("input"));
	p->vars = jv_copy(req->vars);
	p->raw_input = jv_copy(req->input);
	p->context = req->context_fn != NULL ?
	    req->context_fn(req->context_arg) : jv_copy(req->context);
	if (jv_get_kind(p->context) != JV_KIND_OBJECT) {
		jv_free(p->context);
		p->context = jv_object();
	}
	/* the keys made once, their hashes with them */
	p->k_map = ASL_LIT("Map");
	p->k_item = ASL_LIT("Item");
	p->k_index = ASL_LIT("Index");
	p->k_value = ASL_LIT("Value");
	p->k_states = ASL_LIT("states");
	p->k_input = ASL_LIT("input");
	p->k_context = ASL_LIT("context");
	return p;
}

void
asl_step_map_items_free(struct asl_map_items *p)
{
	if (p == NULL)
		return;
	jv_free(p->items);
	jv_free(p->input);
	jv_free(p->vars);
	jv_free(p->raw_input);
	jv_free(p->context);
	jv_free(p->k_map);
	jv_free(p->k_item);
	jv_free(p->k_index);
	jv_free(p->k_value);
	jv_free(p->k_states);
	jv_free(p->k_input);
	jv_free(p->k_context);
	free(p);
}

/* The Map's context with this item's Map member (the context held). */
struct item_context {
	struct asl_map_items	*p;
	int			 index;
	jv			 item;	/* borrowed */
};

static jv
item_context(void *arg)
{
	struct item_context *ic = arg;
	struct asl_map_items *p = ic->p;

	/*
	 * Held by nothing else between items, the context is changed in
	 * place, not copied whole for every item.
	 */
	p->context = jv_object_set(p->context, jv_copy(p->k_map), JV_OBJECT(
	    jv_copy(p->k_item), JV_OBJECT(jv_copy(p->k_index),
	    jv_number(ic->index), jv_copy(p->k_value), jv_copy(ic->item))));
	return jv_copy(p->context);
}

jv
asl_step_map_items_get(struct asl_map_items *p, int index)
{
	return asl_step_map_items_select(p, index, jv_array_get(jv_copy(
	    p->items), index));
}

jv
asl_step_map_items_select(struct asl_map_items *p, int index, jv item)
{
	const struct asl_state *s = p->state;
	struct item_context ic = { p, index, item };
	jv v;

	if (s->item_selector == NULL && s->parameters == NULL)
		return item;
	if (s->ql == ASL_JSONATA) {
		jv b = jv_get_kind(p->vars) == JV_KIND_OBJECT ?
		    jv_copy(p->vars) : jv_object();
		b = jv_object_set(b, jv_copy(p->k_states), JV_OBJECT(
		    jv_copy(p->k_input), jv_copy(p->raw_input),
		    jv_copy(p->k_context), item_context(&ic)));
		v = asl_jtemplate_eval(s->item_selector, b);
		jv_free(b);
	} else {
		/*
		 * $$.Map.Item.Index and .Value, what ItemSelectors mostly
		 * read, come from env.item; the context with this item's Map
		 * member is made only if a path reads anything else of $$.
		 */
		struct asl_env env = ASL_ENV_INIT;
		struct asl_env_item ei = { index, item };
		env.input = p->input;
		env.context_fn = item_context;
		env.context_arg = &ic;
		env.vars = p->vars;
		env.item = &ei;
		v = asl_template_eval(s->parameters, &env);
	}
	jv_free(item);
	return v;
}

jv
asl_step_map_item(const struct asl_step_request *req, jv effect, int index)
{
	struct asl_map_items *p = asl_step_map_items(req, effect);
	jv v;

	jv_free(effect);
	if (p == NULL)
		return asl_error("States.Runtime", "out of memory");
	v = asl_step_map_items_get(p, index);
	asl_step_map_items_free(p);
	return v;
}

/* A count or percentage for the Map (MaxConcurrency, Tolerated*). */
static int
map_number(struct step *st, const struct asl_jtemplate *lit,
    const struct asl_path *path, const char *name, jv input, double *out,
    int integer, double max)
{
	jv v;

	*out = 0;
	if (lit == NULL && path == NULL) {
		jv_free(input);
		return 0;
	}
	v = step_number_field(st, lit, path, input);
	if (!jv_is_valid(v)) {
		step_work_error(st, v);
		return -1;
	}
	if (path != NULL && jv_get_kind(v) == JV_KIND_STRING) {
		/* AWS parses what a *Path refers to as text: "1" will do [O] */
		const char *t = jv_string_value(v);
		char *end;
		double d = strtod(t, &end);
		size_t k = strspn(t, "+-0123456789");
		if (*t != '\0' && *end == '\0' && (!integer || (t[k] == '\0' &&
		    strspn(t + (*t == '+' || *t == '-'), "0123456789") > 0))) {
			jv_free(v);
			v = jv_number(d);
		}
	}
	if (jv_get_kind(v) != JV_KIND_NUMBER ||
	    (integer && !asl_is_integral(v))) {
		jv shown = jv_get_kind(v) == JV_KIND_STRING ? v :
		    jv_dump_string(v, 0);
		if (path != NULL)
			step_work_error(st, asl_error("States.Runtime", "The %sPath field "
			    "refers to value \"%s\" which is not a valid %s: %s",
			    name, jv_string_value(shown), integer ? "integer" :
			    "float", asl_path_text(path)));
		else
			step_work_error(st, step_at_field(asl_error(
			    QUERY_ERROR, "The %s field must be a number, but "
			    "was: %s", name, jv_string_value(shown)), name));
		jv_free(shown);
		return -1;
	}
	*out = jv_number_value(v);
	jv_free(v);
	if (*out < 0 && strcmp(name, "ToleratedFailurePercentage") != 0) {
		step_work_error(st, asl_error("States.Runtime", "%s cannot be negative.",
		    name));
		return -1;
	}
	if (max > 0 && (*out < 0 || *out > max)) {
		step_work_error(st, asl_error("States.Runtime", "%s must be between 0 "
		    "and %g.", name, max));
		return -1;
	}
	return 1;
}

static jv
type_name(jv v)
{
	switch (jv_get_kind(v)) {
	case JV_KIND_NULL:
		return ASL_LIT("null");
	case JV_KIND_TRUE:
	case JV_KIND_FALSE:
		return ASL_LIT("boolean");
	case JV_KIND_NUMBER:
		return ASL_LIT("number");
	case JV_KIND_STRING:
		return ASL_LIT("string");
	case JV_KIND_ARRAY:
		return ASL_LIT("array");
	default:
		return ASL_LIT("object");
	}
}

/*
 * A limit of obj (ReaderConfig's MaxItems, ItemBatcher's ...; borrowed,
 * maybe not an object): NAME, or NAMEPath (a reference path into input,
 * borrowed).  *out is 0 when there is none.  -1 (the step's error set)
 * when it is not a positive integer.
 */
static int
limit_field(struct step *st, jv b, const char *name, jv input, double *out)
{
	jv v, p, err;
	struct asl_path *path;
	char pname[64];

	*out = 0;
	if (jv_get_kind(b) != JV_KIND_OBJECT)
		return 0;
	snprintf(pname, sizeof pname, "%sPath", name);
	v = jv_object_get(jv_copy(b), jv_string(name));
	p = jv_object_get(jv_copy(b), jv_string(pname));
	if (jv_get_kind(v) != JV_KIND_NUMBER && jv_get_kind(p) == JV_KIND_STRING &&
	    (path = asl_path_compile(jv_string_value(p), 0, &err)) != NULL) {
		struct asl_env env = step_env_on(st, input);
		jv_free(v);
		v = asl_path_eval(path, &env);
		asl_path_free(path);
		if (!jv_is_valid(v) || !asl_is_integral(v) ||
		    jv_number_value(v) < 0) {
			jv_free(v);
			step_work_error(st, asl_error("States.Runtime", "The %s "
			    "field refers to a value that is not a positive "
			    "integer: %s", pname, jv_string_value(p)));
			jv_free(p);
			return -1;
		}
	}
	jv_free(p);
	if (jv_get_kind(v) == JV_KIND_NUMBER)
		*out = jv_number_value(v);
	jv_free(v);
	return 0;
}

/*
 * An ItemReader's effect: its resource and its evaluated Parameters or
 * Arguments, and the ReaderConfig.  The caller reads and steps the state
 * again with the items.
 */
/*
 * The Parameters (JSONPath) or Arguments (JSONata) of an ItemReader or a
 * ResultWriter (obj, borrowed), evaluated on input (borrowed): an object,
 * or an error (field names which).
 */
static jv
field_args(struct step *st, jv obj, const char *field, const char *error,
    jv input)
{
	const struct asl_state *s = st->s;
	jv args, errs;

	args = jv_object_get(jv_copy(obj), jv_string(s->ql == ASL_JSONATA ?
	    "Arguments" : "Parameters"));
	if (!jv_is_valid(args))
		args = (jv_free(args), jv_object());
	if (s->ql == ASL_JSONATA) {
		struct asl_jtemplate *t;
		char where[64];
		jv b;

		snprintf(where, sizeof where, "%s/Arguments", field);
		if ((t = asl_jtemplate_compile(args, where, &errs)) == NULL) {
			jv_free(errs);
			return asl_error(error, "invalid %s Arguments", field);
		}
		b = step_bindings(st, jv_object());
		args = asl_jtemplate_eval(t, b);
		jv_free(b);
		asl_jtemplate_free(t);
	} else {
		struct asl_template *t;

		if ((t = asl_template_compile(args, &errs)) == NULL) {
			jv_free(errs);
			return asl_error(error, "invalid %s Parameters", field);
		}
		args = step_eval_template(st, t, jv_copy(input));
		asl_template_free(t);
	}
	return args;
}

static void
read_items(struct step *st, jv input)
{
	const struct asl_state *s = st->s;
	jv reader = s->item_reader, args, effect, cfg;
	double max;
	int rc;

	args = field_args(st, reader, "ItemReader", "States.ItemReaderFailed",
	    input);
	if (!jv_is_valid(args)) {
		jv_free(input);
		step_work_error(st, args);
		return;
	}
	cfg = jv_object_get(jv_copy(reader), ASL_LIT("ReaderConfig"));
	rc = limit_field(st, cfg, "MaxItems", input, &max);
	jv_free(cfg);
	jv_free(input);
	if (rc == -1) {
		jv_free(args);
		return;
	}
	effect = JV_OBJECT(ASL_LIT("type"), ASL_LIT("read-items"),
	    ASL_LIT("resource"), jv_object_get(jv_copy(reader),
	    ASL_LIT("Resource")), ASL_LIT("parameters"), args);
	if (jv_object_has(jv_copy(reader), ASL_LIT("ReaderConfig")))
		effect = jv_object_set(effect, ASL_LIT("readerConfig"),
		    jv_object_get(jv_copy(reader), ASL_LIT("ReaderConfig")));
	if (max > 0)
		effect = jv_object_set(effect, ASL_LIT("maxItems"),
		    jv_number(max));
	step_pending(st, effect);
}

/* A batch of items (consumed), with BatchInput (borrowed), appended. */
static jv
batch_add(const struct asl_state *s, jv batches, jv items, jv bi)
{
	jv b = JV_OBJECT(ASL_LIT("Items"), items);

	if (s->batch_input != NULL)
		b = jv_object_set(b, ASL_LIT("BatchInput"), jv_copy(bi));
	return jv_array_append(batches, b);
}

/*
 * The ItemBatcher's limits and BatchInput on input (borrowed), for a
 * caller that makes the batches: {"per", "bytes", "batchInput"?}, or
 * jv_invalid() with the step's error set.
 */
static jv
batcher_spec(struct step *st, jv input)
{
	const struct asl_state *s = st->s;
	double per, bytes;
	jv r, bi;

	if (limit_field(st, s->item_batcher, "MaxItemsPerBatch", input,
	    &per) == -1 || limit_field(st, s->item_batcher,
	    "MaxInputBytesPerBatch", input, &bytes) == -1)
		return jv_invalid();
	r = JV_OBJECT(ASL_LIT("per"), jv_number(per), ASL_LIT("bytes"),
	    jv_number(bytes));
	if (s->batch_input != NULL) {
		bi = step_eval_template(st, s->batch_input, jv_copy(input));
		if (!jv_is_valid(bi)) {
			jv_free(r);
			step_work_error(st, bi);
			return jv_invalid();
		}
		r = jv_object_set(r, ASL_LIT("batchInput"), bi);
	}
	return r;
}

void
step_map_enter(struct step *st)
{
	const struct asl_state *s = st->s;
	struct asl_step_request req = *st->req;
	jv a, items, effect, selected, shown;
	double mc, tc, tp;
	int n, i, has_tc, has_tp;

	a = step_effective_input(st);
	if (!jv_is_valid(a)) {
		step_work_error(st, a);
		return;
	}
	if (jv_get_kind(s->item_reader) == JV_KIND_OBJECT &&
	    jv_get_kind(st->req->items) == JV_KIND_NULL) {
		/* the items come from the reader: the world reads them first */
		read_items(st, a);
		return;
	}
	if (jv_get_kind(s->item_reader) == JV_KIND_OBJECT) {
		/* ItemsPath / Items do not apply to what an ItemReader read */
		items = jv_copy(st->req->items);
		if (jv_get_kind(items) != JV_KIND_ARRAY) {
			jv_free(items);
			items = asl_error("States.ItemReaderFailed", "Attempting to "
			    "map over non-iterable node.");
		}
	} else if (s->ql == ASL_JSONATA) {
		if (s->items != NULL) {
			jv b = step_bindings(st, jv_object());
			items = asl_jtemplate_eval(s->items, b);
			jv_free(b);
			if (jv_is_valid(items) && jv_get_kind(items) !=
			    JV_KIND_ARRAY) {
				jv t = type_name(items);
				const char *text = asl_jtemplate_text(s->items);

				shown = jv_dump_string(jv_copy(items), 0);
				jv_free(items);
				items = step_at_field(asl_error(QUERY_ERROR, "The JSONata "
				    "expression '%s' specified for the field 'Items' "
				    "returned an unexpected result type. Expected "
				    "'array', but was '%s' for value: %s", text != NULL ?
				    text : jv_string_value(shown), jv_string_value(t),
				    jv_string_value(shown)), "Items");
				jv_free(t);
				jv_free(shown);
			}
		} else if (jv_get_kind(a) != JV_KIND_ARRAY) {
			shown = jv_dump_string(jv_copy(a), 0);
			items = step_at_field(asl_error(QUERY_ERROR, "Map state input "
			    "must be an array but was: %s", jv_string_value(shown)),
			    NULL);
			jv_free(shown);
		} else
			items = jv_copy(a);
	} else if (s->items_path.present && !s->items_path.is_null) {
		struct asl_env env = step_env_on(st, a);
		items = asl_path_eval(s->items_path.path, &env);
		if (!jv_is_valid(items) || jv_get_kind(items) != JV_KIND_ARRAY) {
			const char *p = asl_path_text(s->items_path.path);

			/*
			 * AWS names a path into the context object by its
			 * path in that object: "$$.Execution.Input" is
			 * "$.Execution.Input" here (TestState, 2025).
			 */
			if (strncmp(p, "$$", 2) == 0)
				p++;
			jv_free(items);
			items = asl_error("States.Runtime", "Reference path \"%s\" "
			    "must point to array.", p);
		}
	} else if (jv_get_kind(a) != JV_KIND_ARRAY)
		items = asl_error("States.Runtime", "Reference path \"$\" must "
		    "point to array.");
	else
		items = jv_copy(a);
	if (!jv_is_valid(items)) {
		jv_free(a);
		step_work_error(st, items);
		return;
	}
	step_inspect_of(st, "afterItemsPath", items);
	if (map_number(st, s->max_concurrency, s->max_concurrency_path,
	    "MaxConcurrency", jv_copy(a), &mc, 1, 0) == -1) {
		jv_free(a);
		jv_free(items);
		return;
	}
	if ((has_tc = map_number(st, s->tolerated_count,
	    s->tolerated_count_path, "ToleratedFailureCount", jv_copy(a), &tc,
	    1, 0)) == -1 || (has_tp = map_number(st, s->tolerated_percentage,
	    s->tolerated_percentage_path, "ToleratedFailurePercentage",
	    jv_copy(a), &tp, 0, 100)) == -1) {
		jv_free(a);
		if (!s->distributed) {
			jv_free(items);
			return;
		}
		/*
		 * A Map Run judges its tolerance once it has started: AWS
		 * records MapStateStarted before this failure [O].
		 */
		st->res->status = ASL_STATUS_PENDING;
		st->res->effect = JV_OBJECT(ASL_LIT("type"), ASL_LIT("map"),
		    ASL_LIT("items"), items, ASL_LIT("distributed"),
		    jv_true(), ASL_LIT("error"), jv_copy(st->res->error));
		jv_free(st->res->error);
		st->res->error = jv_null();
		st->res->runtime = 0;
		return;
	}
	effect = JV_OBJECT(ASL_LIT("type"), ASL_LIT("map"),
	    ASL_LIT("input"), jv_copy(a), ASL_LIT("items"), items,
	    ASL_LIT("maxConcurrency"), jv_number(mc));
	step_inspect(st, "maxConcurrency", jv_number(mc));
	if (has_tc) {
		effect = jv_object_set(effect, ASL_LIT("toleratedFailureCount"),
		    jv_number(tc));
		step_inspect(st, "toleratedFailureCount", jv_number(tc));
	}
	if (has_tp) {
		effect = jv_object_set(effect,
		    ASL_LIT("toleratedFailurePercentage"), jv_number(tp));
		step_inspect(st, "toleratedFailurePercentage", jv_number(tp));
	}
	if (s->distributed)
		effect = jv_object_set(effect, ASL_LIT("distributed"),
		    jv_true());
	if (s->distributed && jv_get_kind(s->result_writer) == JV_KIND_OBJECT) {
		/* where the Map Run's results go, and how they are shaped */
		jv w = field_args(st, s->result_writer, "ResultWriter",
		    "States.ResultWriterFailed", a);
		if (!jv_is_valid(w)) {
			jv_free(a);
			jv_free(effect);
			step_work_error(st, w);
			return;
		}
		w = JV_OBJECT(ASL_LIT("parameters"), w, ASL_LIT("resource"),
		    jv_object_get(jv_copy(s->result_writer), ASL_LIT("Resource")),
		    ASL_LIT("writerConfig"), jv_object_get(jv_copy(
		    s->result_writer), ASL_LIT("WriterConfig")));
		effect = jv_object_set(effect, ASL_LIT("resultWriter"), w);
	}
	if (st->req->items_streamed && jv_get_kind(s->item_batcher) ==
	    JV_KIND_OBJECT) {
		/* the caller batches what it reads: how, evaluated here */
		jv bat = batcher_spec(st, a);
		if (!jv_is_valid(bat)) {
			jv_free(a);
			jv_free(effect);
			return;
		}
		effect = jv_object_set(effect, ASL_LIT("batcher"), bat);
	}
	jv_free(a);
	if ((st->req->lazy_items && jv_get_kind(s->item_batcher) ==
	    JV_KIND_NULL) || (s->parameters == NULL && s->item_selector == NULL &&
	    jv_get_kind(s->item_batcher) == JV_KIND_NULL) ||
	    st->req->items_streamed) {
		if (s->parameters != NULL || s->item_selector != NULL)
			effect = jv_object_set(effect, ASL_LIT("itemSelector"),
			    jv_true());
		step_pending(st, effect);
		return;
	}
	/* the iterations' inputs, ItemSelector applied to every item */
	req.state = s;
	n = jv_array_length(jv_object_get(jv_copy(effect), ASL_LIT("items")));
	selected = jv_array_sized(n);
	for (i = 0; i < n; i++) {
		jv v = asl_step_map_item(&req, jv_copy(effect), i);
		if (!jv_is_valid(v)) {
			jv_free(selected);
			jv_free(effect);
			step_work_error(st, v);
			return;
		}
		selected = jv_array_append(selected, v);
	}
	step_inspect_of(st, "afterItemSelector", selected);
	if (jv_get_kind(s->item_batcher) == JV_KIND_OBJECT) {
		jv batches, bi = jv_null(), b = jv_null(), in;
		double per, bytes;
		int k = 0, size = 0, len, bilen = 0;

		in = jv_object_get(jv_copy(effect), ASL_LIT("input"));
		if (limit_field(st, s->item_batcher, "MaxItemsPerBatch", in,
		    &per) == -1 || limit_field(st, s->item_batcher,
		    "MaxInputBytesPerBatch", in, &bytes) == -1) {
			jv_free(in);
			jv_free(selected);
			jv_free(effect);
			return;
		}
		if (s->batch_input != NULL) {
			bi = step_eval_template(st, s->batch_input, jv_copy(in));
			if (!jv_is_valid(bi)) {
				jv_free(in);
				jv_free(selected);
				jv_free(effect);
				step_work_error(st, bi);
				return;
			}
			bilen = jv_string_length_bytes(jv_dump_string(jv_copy(bi),
			    0)) + 14;
		}
		jv_free(in);
		batches = jv_array();
		/*
		 * A batch ends at MaxItemsPerBatch items, or before the item
		 * that would take its JSON text past MaxInputBytesPerBatch.
		 */
		for (i = 0; i < n; i++) {
			jv item = jv_array_get(jv_copy(selected), i);
			len = bytes > 0 ? jv_string_length_bytes(jv_dump_string(
			    jv_copy(item), 0)) + 1 : 0;
			if (k > 0 && ((per > 0 && k >= per) || (bytes > 0 &&
			    size + len > bytes))) {
				batches = batch_add(s, batches, b, bi);
				b = jv_null();
				k = 0;
			}
			if (k == 0) {
				b = jv_array();
				size = 11 + bilen;	/* {"Items":[]} */
			}
			b = jv_array_append(b, item);
			size += len;
			k++;
		}
		if (k > 0)
			batches = batch_add(s, batches, b, bi);
		jv_free(bi);
		jv_free(selected);
		selected = batches;
		step_inspect_of(st, "afterItemBatcher", selected);
		/* the iterations' inputs themselves: no ItemSelector again */
		effect = jv_object_set(effect, ASL_LIT("batched"), jv_true());
	}
	effect = jv_object_set(effect, ASL_LIT("items"), selected);
	step_pending(st, effect);
}
