/* Shared declarations of the turso Lua module's files. Not installed, not public. */
#ifndef TURSO_LUA_INTERNAL_H
#define TURSO_LUA_INTERNAL_H

#include <lauxlib.h>
#include <lua.h>

#include "turso_platform.h"

#if LUA_VERSION_NUM != 504
#error "the turso module is written for Lua 5.4"
#endif

/* Registry keys (metatable names double as __name in error messages). */
#define TL_CLIENT_MT "turso.client"
#define TL_ERROR_MT "turso.error"
#define TL_ARRAY_MT "turso.array"
#define TL_NULL_MT "turso.null"
#define TL_BOX_MT "turso.box"
#define TL_NULL_KEY "turso.null.value"
#define TL_MODULE_KEY "turso.module"
#define TL_CANCEL_KEY "turso.cancel"

/* A client handle. Lua code can run inside c:batch (its progress function, metamethods of its
 * calls, finalizers) and may close the client there: the library's client must outlive the
 * batch, so a close while batches use it only hides the handle (client = NULL) and the last
 * batch to end frees it (draining). */
typedef struct tl_client {
    tp_client *client;   /* NULL once closed */
    tp_client *draining; /* closed while batches used it: freed when the last one ends */
    int batches;         /* batches on this client being built or running */
} tl_client;

/* Boxes own C handles while Lua code may raise, so an error never leaks them. */
enum { TL_BOX_PARAMS, TL_BOX_RESULT };
typedef struct tl_box {
    int kind;
    void *ptr;
} tl_box;

/* box.c */
tl_box *tl_box_new(lua_State *L, int kind); /* pushes the box, ptr NULL */
void tl_box_register(lua_State *L);
/* Registers metatable `name` whose __gc and __close both call `release`. */
void tl_register_releasing_mt(lua_State *L, const char *name, lua_CFunction release);

/* convert.c: JSON values <-> Lua values */
void tl_push_value(lua_State *L, const tp_value *value);
void tl_push_null(lua_State *L);
int tl_is_null(lua_State *L, int idx);
/* Encodes the Lua value at idx as JSON into a string pushed on the stack; raises on values
 * JSON cannot hold (functions, cycles, mixed keys, NaN). */
void tl_encode_json(lua_State *L, int idx, int pretty);
void tl_convert_register(lua_State *L);

/* decode.c: JSON text -> the Lua value convert.c would make, pushed; returns 0 and pushes
 * nothing when the text is not JSON. */
int tl_push_json(lua_State *L, const char *text, size_t len);

/* error.c */
void tl_push_error(lua_State *L, const tp_result *result, const char *fallback_op);
void tl_error_register(lua_State *L);
/* Pushes what a single call gives Lua: the value (or true / raw body), else nil, err; raises
 * when the library refused its arguments before sending (TP_E_INVALID_ARGUMENT). Returns the
 * number of values pushed. */
int tl_push_outcome(lua_State *L, const tp_result *result, const char *fallback_op);
/* Pushes the value on success or the error table on failure (one value). Returns 1 on
 * success, 0 on failure. */
int tl_push_one(lua_State *L, const tp_result *result, const char *fallback_op);

/* params.c: a Lua args table -> tp_params, checked against the operation's parameters */
void tl_fill_params(lua_State *L, int op_index, int args_idx, tp_params *params);
tp_cancel *tl_current_cancel(lua_State *L);

/* client.c */
tl_client *tl_check_client(lua_State *L, int idx); /* raises when closed */
void tl_client_register(lua_State *L);
int tl_client_new(lua_State *L);
/* The string at idx, which must hold no NUL byte (C strings would end there): else raises
 * "<where>: <what> contains a NUL byte". */
const char *tl_check_text(lua_State *L, int idx, const char *where, const char *what);

/* batch.c */
int tl_client_batch(lua_State *L);
void tl_batch_register(lua_State *L);

/* introspection helpers (ops.c) */
int tl_op_index_checked(lua_State *L, const char *op_id); /* raises on an unknown id */
int tl_op_param_find(int op_index, const char *name);     /* -1 when unknown */
void tl_push_param_list(lua_State *L, int op_index);      /* "org, db" as a string */
int tl_namespace_exists(const char *ns, size_t len);
int tl_operations(lua_State *L);

#endif
