/* c:batch(calls, {concurrency=, progress=}): many calls run concurrently by tp_batch.
 * calls = { {"databases.create", {name="a"}}, {method="GET", path="/v1/locations"}, ... };
 * returns a list, in order, of each call's value or error table, and the number that failed. */
#include <string.h>

#include "internal.h"

#define TL_BATCH_MT "turso.batch"

/* Owns a tp_batch and counts it among its client's batches, from before the batch is made until
 * it is freed. It is a to-be-closed slot of c:batch, so that happens when c:batch returns or
 * raises, not when the collector gets to it; its user value keeps the client's userdata alive. */
typedef struct batch_guard {
    tp_batch *batch;
    tl_client *owner; /* NULL once released */
} batch_guard;

static int batch_release(lua_State *L) {
    batch_guard *g = luaL_checkudata(L, 1, TL_BATCH_MT);
    tp_batch_free(g->batch);
    g->batch = NULL;
    tl_client *c = g->owner;
    g->owner = NULL;
    if (c && --c->batches == 0 && c->draining) {
        tp_client_free(c->draining); /* closed by Lua code while this batch used it */
        c->draining = NULL;
    }
    return 0;
}

void tl_batch_register(lua_State *L) {
    tl_register_releasing_mt(L, TL_BATCH_MT, batch_release);
}

typedef struct progress_ctx {
    lua_State *L;
    int fn_idx; /* 0 = no Lua progress function */
    int failed; /* the Lua function raised: its error is left at err_idx */
    int err_idx;
    tp_batch *batch;
    tp_cancel *cancel;
} progress_ctx;

/* Runs on this thread, inside tp_batch_run: a Lua error must not unwind through the library,
 * so the function runs protected and a failure cancels the batch. */
static void on_progress(void *userdata, int32_t done, int32_t total) {
    progress_ctx *ctx = userdata;
    if (ctx->cancel && tp_cancel_is_triggered(ctx->cancel)) tp_batch_cancel(ctx->batch);
    if (!ctx->fn_idx || ctx->failed) return;
    lua_State *L = ctx->L;
    if (!lua_checkstack(L, 3)) return;
    lua_pushvalue(L, ctx->fn_idx);
    lua_pushinteger(L, done);
    lua_pushinteger(L, total);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
        ctx->failed = 1;
        lua_replace(L, ctx->err_idx);
        tp_batch_cancel(ctx->batch);
    }
}

/* The string at idx of call i, which must hold no NUL byte (C strings would end there). */
static const char *call_text(lua_State *L, int idx, lua_Integer i, const char *what) {
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    if (strlen(s) != len) luaL_error(L, "batch: call %d: the %s contains a NUL byte", (int)i, what);
    return s;
}

/* Adds call i; a raw request's "METHOD PATH" goes into labels[i], to name it in its error. */
static void add_call(lua_State *L, tp_batch *batch, tp_params *params, int entry, lua_Integer i, int labels) {
    tp_status status;
    if (lua_geti(L, entry, 1) == LUA_TSTRING) {
        const char *id = call_text(L, -1, i, "operation id");
        int op_index = tl_op_index_checked(L, id);
        lua_geti(L, entry, 2);
        tp_params_clear(params);
        tl_fill_params(L, op_index, lua_gettop(L), params);
        lua_pop(L, 1);
        status = tp_batch_add(batch, id, params, NULL);
    } else {
        lua_getfield(L, entry, "method");
        lua_getfield(L, entry, "path");
        lua_getfield(L, entry, "body");
        if (!lua_isstring(L, -3) || !lua_isstring(L, -2))
            luaL_error(L, "batch: call %d must be {\"op.id\", {args}} or {method=, path=, body=}", (int)i);
        call_text(L, -3, i, "method");
        call_text(L, -2, i, "path");
        if (lua_istable(L, -1)) {
            tl_encode_json(L, -1, 0);
            lua_replace(L, -2);
        } else if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING) {
            luaL_error(L, "batch: call %d: body must be a string or a table", (int)i);
        }
        size_t len = 0;
        const char *body = lua_isnil(L, -1) ? NULL : lua_tolstring(L, -1, &len);
        status = tp_batch_add_request(batch, lua_tostring(L, -3), lua_tostring(L, -2), body, len, NULL);
        lua_pushfstring(L, "%s %s", lua_tostring(L, -3), lua_tostring(L, -2));
        lua_rawseti(L, labels, i);
        lua_pop(L, 3);
    }
    lua_pop(L, 1);
    if (status != TP_OK) luaL_error(L, "batch: call %d: %s", (int)i, tp_status_message(status));
}

int tl_client_batch(lua_State *L) {
    tl_client *c = tl_check_client(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    if (!lua_isnoneornil(L, 3)) luaL_checktype(L, 3, LUA_TTABLE);
    lua_settop(L, 3);

    int32_t concurrency = 0;
    int fn_idx = 0;
    if (!lua_isnil(L, 3)) {
        lua_pushnil(L);
        while (lua_next(L, 3)) {
            const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
            if (strcmp(key, "concurrency") == 0) {
                if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > 1024)
                    luaL_error(L, "batch: concurrency must be an integer from 1 to 1024");
                concurrency = (int32_t)lua_tointeger(L, -1);
            } else if (strcmp(key, "progress") != 0) {
                luaL_error(L, "batch: unknown option '%s' (concurrency, progress)", key);
            }
            lua_pop(L, 1);
        }
        lua_getfield(L, 3, "progress");
    } else {
        lua_pushnil(L);
    }
    /* No progress given: the module's default (tursh sets a progress bar); false = none. */
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_getfield(L, LUA_REGISTRYINDEX, TL_MODULE_KEY);
        lua_getfield(L, -1, "default_progress");
        lua_remove(L, -2);
    }
    if (lua_isfunction(L, -1))
        fn_idx = lua_gettop(L);
    else if (!lua_isnil(L, -1) && !(lua_isboolean(L, -1) && !lua_toboolean(L, -1)))
        luaL_error(L, "batch: progress must be a function or false");
    lua_pushnil(L); /* slot for an error raised by the progress function */
    int err_idx = lua_gettop(L);

    batch_guard *guard = lua_newuserdatauv(L, sizeof *guard, 1);
    guard->batch = NULL;
    guard->owner = NULL;
    luaL_setmetatable(L, TL_BATCH_MT);
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, -2, 1);
    lua_toclose(L, -1);
    if (!c->client) luaL_error(L, "attempt to use a closed turso.client"); /* by a finalizer */
    guard->owner = c;
    c->batches++;
    if (tp_batch_new(c->client, &guard->batch) != TP_OK) luaL_error(L, "not enough memory");
    tp_batch *batch = guard->batch;
    if (concurrency) tp_batch_set_concurrency(batch, concurrency);
    tl_box *params = tl_box_new(L, TL_BOX_PARAMS);
    if (tp_params_new((tp_params **)&params->ptr) != TP_OK) luaL_error(L, "not enough memory");

    lua_newtable(L);
    int labels = lua_gettop(L);
    lua_Integer n = luaL_len(L, 2);
    for (lua_Integer i = 1; i <= n; i++) {
        if (lua_geti(L, 2, i) != LUA_TTABLE)
            luaL_error(L, "batch: call %d is a %s, not a table", (int)i, luaL_typename(L, -1));
        add_call(L, batch, params->ptr, lua_gettop(L), i, labels);
        lua_pop(L, 1);
    }

    /* Closed while the calls were read (a metamethod, a finalizer): it does not start. Closed
     * once it runs, it runs to its end (client_close). */
    if (!c->client) luaL_error(L, "attempt to use a closed turso.client");
    progress_ctx ctx = {L, fn_idx, 0, err_idx, batch, tl_current_cancel(L)};
    tp_batch_set_progress(batch, on_progress, &ctx);
    tp_batch_run(batch);
    tp_batch_set_progress(batch, NULL, NULL);
    if (ctx.failed) {
        lua_pushvalue(L, err_idx);
        lua_error(L);
    }

    lua_createtable(L, (int)n, 0);
    lua_Integer failures = 0;
    for (lua_Integer i = 1; i <= n; i++) {
        const tp_result *result = tp_batch_result(batch, (int32_t)(i - 1));
        lua_rawgeti(L, labels, i);
        const char *label = lua_isstring(L, -1) ? lua_tostring(L, -1) : "batch call";
        int ok = tl_push_one(L, result, label);
        lua_remove(L, -2);
        if (!ok) failures++;
        lua_rawseti(L, -2, i);
    }
    luaL_setmetatable(L, TL_ARRAY_MT);
    lua_pushinteger(L, failures);
    return 2;
}
