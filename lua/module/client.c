/* The client handle: turso.client{...}, its namespaces (c.databases.get{db=...}), c:call,
 * c:request, c:close. Namespaces and methods come from the operations table at run time. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

tl_client *tl_check_client(lua_State *L, int idx) {
    tl_client *c = luaL_checkudata(L, idx, TL_CLIENT_MT);
    if (!c->client) luaL_error(L, "attempt to use a closed turso.client");
    return c;
}

static void log_to_stderr(void *userdata, int32_t level, const char *message) {
    (void)userdata;
    (void)level;
    fprintf(stderr, "turso: %s\n", message);
}

/* ---- turso.client{...} ------------------------------------------------------------------- */

/* tp_options_error names the setting as the option is named here (base_url, timeout_ms, ...)
 * or the environment variable, and says why, never quoting the value. */
static void check_option(lua_State *L, tp_status status, const tp_options *o) {
    if (status == TP_E_NOMEM) luaL_error(L, "turso.client: not enough memory");
    if (status != TP_OK) {
        const char *why = tp_options_error(o);
        luaL_error(L, "turso.client: %s", *why ? why : tp_status_message(status));
    }
}

const char *tl_check_text(lua_State *L, int idx, const char *where, const char *what) {
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    if (s && strlen(s) != len) luaL_error(L, "%s: %s contains a NUL byte", where, what);
    return s;
}

static const char *opt_string(lua_State *L, const char *key) {
    if (lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "turso.client: '%s' must be a string, got a %s", key, luaL_typename(L, -1));
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (strlen(s) != len) luaL_error(L, "turso.client: '%s' contains a NUL byte", key);
    return s;
}

static int opt_bool(lua_State *L, const char *key) {
    if (!lua_isboolean(L, -1))
        luaL_error(L, "turso.client: '%s' must be a boolean, got a %s", key, luaL_typename(L, -1));
    return lua_toboolean(L, -1);
}

static int32_t opt_int(lua_State *L, const char *key) {
    if (!lua_isinteger(L, -1))
        luaL_error(L, "turso.client: '%s' must be an integer, got a %s", key, luaL_typename(L, -1));
    lua_Integer v = lua_tointeger(L, -1);
    if (v < INT32_MIN || v > INT32_MAX) luaL_error(L, "turso.client: '%s' is out of range", key);
    return (int32_t)v;
}

static void apply_option(lua_State *L, tp_options *o, const char *key) {
    tp_status s;
    if (strcmp(key, "token") == 0)
        s = tp_options_set_token(o, opt_string(L, key));
    else if (strcmp(key, "org") == 0)
        s = tp_options_set_org(o, opt_string(L, key));
    else if (strcmp(key, "base_url") == 0)
        s = tp_options_set_base_url(o, opt_string(L, key));
    else if (strcmp(key, "region_url") == 0)
        s = tp_options_set_region_url(o, opt_string(L, key));
    else if (strcmp(key, "user_agent") == 0)
        s = tp_options_set_user_agent(o, opt_string(L, key));
    else if (strcmp(key, "ca_file") == 0)
        s = tp_options_set_ca_file(o, opt_string(L, key));
    else if (strcmp(key, "proxy") == 0)
        s = tp_options_set_proxy(o, opt_string(L, key));
    else if (strcmp(key, "timeout_ms") == 0)
        s = tp_options_set_timeout_ms(o, opt_int(L, key));
    else if (strcmp(key, "connect_timeout_ms") == 0)
        s = tp_options_set_connect_timeout_ms(o, opt_int(L, key));
    else if (strcmp(key, "max_connections") == 0)
        s = tp_options_set_max_connections(o, opt_int(L, key));
    else if (strcmp(key, "max_response_bytes") == 0)
        s = tp_options_set_max_response_bytes(o, opt_int(L, key));
    else if (strcmp(key, "verify_tls") == 0)
        s = tp_options_set_verify_tls(o, opt_bool(L, key));
    else if (strcmp(key, "verbose") == 0)
        s = tp_options_set_log(o, opt_bool(L, key) ? log_to_stderr : NULL, NULL, TP_LOG_DEBUG);
    else if (strcmp(key, "retries") == 0 || strcmp(key, "retry_delay_ms") == 0) {
        return; /* applied together below */
    } else {
        luaL_error(L,
                   "turso.client: unknown option '%s' (token, org, base_url, timeout_ms, retries, "
                   "retry_delay_ms, connect_timeout_ms, region_url, user_agent, ca_file, verify_tls, "
                   "proxy, max_connections, max_response_bytes, verbose)",
                   key);
        return;
    }
    check_option(L, s, o);
}

/* retries = how many times a failed attempt is retried (attempts = retries + 1). The ranges
 * are tp_options_set_retry's (1 to 20 attempts, a delay of 0 to 60000 ms), checked here so
 * that the message names the Lua option. */
static void apply_retry(lua_State *L, tp_options *o, int opts) {
    lua_getfield(L, opts, "retries");
    int has_retries = !lua_isnil(L, -1);
    int32_t retries = has_retries ? opt_int(L, "retries") : TP_DEFAULT_MAX_ATTEMPTS - 1;
    lua_getfield(L, opts, "retry_delay_ms");
    int has_delay = !lua_isnil(L, -1);
    int32_t delay = has_delay ? opt_int(L, "retry_delay_ms") : TP_DEFAULT_RETRY_BASE_DELAY_MS;
    lua_pop(L, 2);
    if (!has_retries && !has_delay) return;
    if (retries < 0 || retries > 19) luaL_error(L, "turso.client: 'retries' must be from 0 to 19");
    if (delay < 0 || delay > 60000) luaL_error(L, "turso.client: 'retry_delay_ms' must be from 0 to 60000");
    check_option(L, tp_options_set_retry(o, retries + 1, delay), o);
}

static int options_gc(lua_State *L) {
    tp_options **o = lua_touserdata(L, 1);
    tp_options_free(*o);
    *o = NULL;
    return 0;
}

int tl_client_new(lua_State *L) {
    int has_opts = !lua_isnoneornil(L, 1);
    if (has_opts) luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    /* The handle is created closed, then opened, so a failure leaves nothing half made. */
    tl_client *c = lua_newuserdatauv(L, sizeof *c, 1);
    c->client = c->draining = NULL;
    c->batches = 0;
    luaL_setmetatable(L, TL_CLIENT_MT);
    lua_newtable(L); /* namespace cache */
    lua_setiuservalue(L, -2, 1);

    tp_options **o = lua_newuserdatauv(L, sizeof *o, 0);
    *o = NULL;
    lua_newtable(L);
    lua_pushcfunction(L, options_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    /* On a bad value *o is set too (freed by options_gc), and says which variable it was. */
    tp_status from_env = tp_options_from_env(o);
    check_option(L, from_env, *o);
    if (has_opts) {
        lua_pushnil(L);
        while (lua_next(L, 1)) {
            if (lua_type(L, -2) != LUA_TSTRING)
                luaL_error(L, "turso.client: options are named (key = value)");
            apply_option(L, *o, lua_tostring(L, -2));
            lua_pop(L, 1);
        }
        apply_retry(L, *o, 1);
    }
    if (tp_client_new(*o, &c->client) != TP_OK) luaL_error(L, "turso.client: not enough memory");
    tp_options_free(*o);
    *o = NULL;
    lua_pop(L, 1);
    return 1;
}

/* ---- calls ------------------------------------------------------------------------------- */

static int call_op(lua_State *L, tl_client *c, int op_index, int args_idx) {
    lua_settop(L, args_idx); /* an absent args table must not become the boxes pushed below */
    tl_box *params = tl_box_new(L, TL_BOX_PARAMS);
    if (tp_params_new((tp_params **)&params->ptr) != TP_OK) luaL_error(L, "not enough memory");
    tl_fill_params(L, op_index, args_idx, params->ptr);
    tl_box *result = tl_box_new(L, TL_BOX_RESULT);
    /* Lua code (a metamethod of args, a finalizer run by an allocation) may have closed it. */
    if (!c->client) luaL_error(L, "attempt to use a closed turso.client");
    tp_call(c->client, tp_op_id(op_index), params->ptr, (tp_result **)&result->ptr);
    return tl_push_outcome(L, result->ptr, tp_op_id(op_index));
}

/* A method of a namespace: upvalues client, op index, namespace table. Both
 * c.databases.get{...} and c.databases:get{...} work. */
static int namespace_method(lua_State *L) {
    tl_client *c = tl_check_client(L, lua_upvalueindex(1));
    int op_index = (int)lua_tointeger(L, lua_upvalueindex(2));
    int args = 1;
    if (lua_rawequal(L, 1, lua_upvalueindex(3))) args = 2;
    if (lua_gettop(L) > args) luaL_error(L, "%s: takes one table of named arguments", tp_op_id(op_index));
    return call_op(L, c, op_index, args);
}

/* c:call(id, args) */
static int client_call(lua_State *L) {
    tl_client *c = tl_check_client(L, 1);
    luaL_checkstring(L, 2);
    const char *id = tl_check_text(L, 2, "call", "the operation id");
    int op_index = tl_op_index_checked(L, id);
    return call_op(L, c, op_index, 3);
}

/* c:request(method, path[, body]): body is a JSON string or a table (encoded). */
static int client_request(lua_State *L) {
    tl_client *c = tl_check_client(L, 1);
    luaL_checkstring(L, 2);
    luaL_checkstring(L, 3);
    const char *method = tl_check_text(L, 2, "request", "the method");
    const char *path = tl_check_text(L, 3, "request", "the path");
    const char *body = NULL;
    size_t len = 0;
    if (lua_istable(L, 4) || tl_is_null(L, 4)) {
        tl_encode_json(L, 4, 0);
        lua_replace(L, 4);
    } else if (!lua_isnoneornil(L, 4)) {
        luaL_checktype(L, 4, LUA_TSTRING);
    }
    if (lua_isstring(L, 4)) body = lua_tolstring(L, 4, &len);
    lua_settop(L, 4);
    tl_box *params = tl_box_new(L, TL_BOX_PARAMS);
    if (tp_params_new((tp_params **)&params->ptr) != TP_OK) luaL_error(L, "not enough memory");
    tp_cancel *cancel = tl_current_cancel(L);
    if (cancel) tp_params_set_cancel(params->ptr, cancel);
    tl_box *result = tl_box_new(L, TL_BOX_RESULT);
    if (!c->client) luaL_error(L, "attempt to use a closed turso.client"); /* see call_op */
    tp_request_with(c->client, method, path, body, len, params->ptr, (tp_result **)&result->ptr);
    lua_pushfstring(L, "%s %s", method, path);
    const char *label = lua_tostring(L, -1);
    return tl_push_outcome(L, result->ptr, label);
}

static int client_org(lua_State *L) {
    lua_pushstring(L, tp_client_org(tl_check_client(L, 1)->client));
    return 1;
}

static int client_base_url(lua_State *L) {
    lua_pushstring(L, tp_client_base_url(tl_check_client(L, 1)->client));
    return 1;
}

/* c:close(), __close and __gc: idempotent, never raises. While batches use the client (the
 * close came from Lua code running inside one), the handle closes now and the last batch to
 * end frees the client (tl_batch_register's guard). */
static int client_close(lua_State *L) {
    tl_client *c = luaL_checkudata(L, 1, TL_CLIENT_MT);
    if (!c->client) return 0;
    if (c->batches > 0)
        c->draining = c->client;
    else
        tp_client_free(c->client);
    c->client = NULL;
    return 0;
}

static int client_tostring(lua_State *L) {
    tl_client *c = luaL_checkudata(L, 1, TL_CLIENT_MT);
    if (!c->client) {
        lua_pushliteral(L, "turso.client (closed)");
    } else {
        const char *org = tp_client_org(c->client);
        lua_pushfstring(L, "turso.client (%s, org %s)", tp_client_base_url(c->client), org ? org : "none");
    }
    return 1;
}

/* ---- namespaces -------------------------------------------------------------------------- */

static int namespace_missing(lua_State *L) {
    const char *key = luaL_tolstring(L, 2, NULL);
    lua_getfield(L, 1, "_namespace");
    luaL_error(L, "unknown operation '%s.%s' (turso.operations() lists them)", lua_tostring(L, -1), key);
    return 0;
}

/* Builds c.<ns>: a table of every operation "<ns>.<name>", bound to this client. */
static void push_namespace(lua_State *L, int client_idx, const char *ns, size_t len) {
    lua_newtable(L);
    int ns_idx = lua_gettop(L);
    lua_pushlstring(L, ns, len);
    lua_setfield(L, ns_idx, "_namespace");
    int32_t count = tp_op_count();
    for (int32_t i = 0; i < count; i++) {
        const char *id = tp_op_id(i);
        if (strncmp(id, ns, len) != 0 || id[len] != '.') continue;
        lua_pushvalue(L, client_idx);
        lua_pushinteger(L, i);
        lua_pushvalue(L, ns_idx);
        lua_pushcclosure(L, namespace_method, 3);
        lua_setfield(L, ns_idx, id + len + 1);
    }
    lua_newtable(L);
    lua_pushcfunction(L, namespace_missing);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, ns_idx);
}

static const luaL_Reg client_methods[] = {
    {"call", client_call},
    {"request", client_request},
    {"batch", tl_client_batch},
    {"close", client_close},
    {"org", client_org},
    {"base_url", client_base_url},
    {NULL, NULL},
};

/* c.<key>: a method, else a namespace (built once, cached in the handle's user value). */
static int client_index(lua_State *L) {
    luaL_checkudata(L, 1, TL_CLIENT_MT);
    size_t len;
    const char *key = luaL_checklstring(L, 2, &len);
    if (strlen(key) != len) luaL_error(L, "turso.client: a namespace or method name contains a NUL byte");
    lua_getfield(L, lua_upvalueindex(1), key);
    if (!lua_isnil(L, -1)) return 1;
    lua_getiuservalue(L, 1, 1);
    lua_getfield(L, -1, key);
    if (!lua_isnil(L, -1)) return 1;
    lua_pop(L, 1);
    if (!tl_namespace_exists(key, len)) luaL_error(L, "turso.client has no namespace or method '%s'", key);
    tl_check_client(L, 1);
    push_namespace(L, 1, key, len);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, key);
    return 1;
}

void tl_client_register(lua_State *L) {
    luaL_newmetatable(L, TL_CLIENT_MT);
    luaL_newlib(L, client_methods);
    lua_pushcclosure(L, client_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, client_close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, client_close);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, client_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
}
