/* Runtime failures as Lua values: a table {status=, code=, http_status=, message=, op=} whose
 * __tostring reads "op: message (HTTP 404)", so that assert(c.databases.get{...}) reads well. */
#include <string.h>

#include "internal.h"

/* The core writes some messages as "<op>: ..." (argument checks) or "tp_request: ...": the op is
 * a field of its own here, so the message goes without it and __tostring names it once. */
static const char *without_prefix(const char *message, const char *op) {
    size_t n = op ? strlen(op) : 0;
    if (n && strncmp(message, op, n) == 0 && message[n] == ':' && message[n + 1] == ' ')
        return message + n + 2;
    static const char raw[] = "tp_request: ";
    if (strncmp(message, raw, sizeof raw - 1) == 0) return message + sizeof raw - 1;
    return message;
}

static int error_tostring(lua_State *L) {
    lua_getfield(L, 1, "op");
    lua_getfield(L, 1, "message");
    lua_getfield(L, 1, "http_status");
    lua_getfield(L, 1, "status");
    const char *op = luaL_optstring(L, 2, "request");
    const char *message = luaL_optstring(L, 3, "");
    lua_Integer http = lua_isinteger(L, 4) ? lua_tointeger(L, 4) : 0;
    const char *status = luaL_optstring(L, 5, "TP_E_UNKNOWN");
    message = without_prefix(message, op);
    if (http > 0)
        lua_pushfstring(L, "%s: %s (HTTP %d)", op, message, (int)http);
    else
        lua_pushfstring(L, "%s: %s (%s)", op, message, status);
    return 1;
}

void tl_push_error(lua_State *L, const tp_result *result, const char *fallback_op) {
    tp_status status = result ? tp_result_status(result) : TP_E_NOMEM;
    lua_createtable(L, 0, 7);
    lua_pushstring(L, tp_status_name(status));
    lua_setfield(L, -2, "status");
    lua_pushinteger(L, status);
    lua_setfield(L, -2, "code");
    lua_pushinteger(L, tp_result_http_status(result));
    lua_setfield(L, -2, "http_status");
    const char *op = tp_result_op(result);
    if (!op) op = fallback_op;
    const char *message = tp_result_message(result);
    lua_pushstring(L, message && *message ? without_prefix(message, op) : tp_status_message(status));
    lua_setfield(L, -2, "message");
    lua_pushstring(L, op);
    lua_setfield(L, -2, "op");
    const char *error_code = tp_result_error_code(result);
    if (error_code) {
        lua_pushstring(L, error_code);
        lua_setfield(L, -2, "error_code");
    }
    lua_pushinteger(L, tp_result_attempts(result));
    lua_setfield(L, -2, "attempts");
    luaL_setmetatable(L, TL_ERROR_MT);
}

/* A success: the parsed body; true for an empty body; the raw text of a body that is not
 * JSON (tp_request may answer anything). The body goes straight to Lua values; the C API's
 * value tree is the fallback for what the strict decoder refuses but cJSON takes. */
static void push_success(lua_State *L, const tp_result *result) {
    size_t len = 0;
    const char *body = tp_result_body(result, &len);
    if (len == 0) {
        lua_pushboolean(L, 1);
        return;
    }
    if (tl_push_json(L, body, len)) return;
    const tp_value *value = tp_result_value(result);
    if (value)
        tl_push_value(L, value);
    else
        lua_pushlstring(L, body, len);
}

int tl_push_one(lua_State *L, const tp_result *result, const char *fallback_op) {
    if (result && tp_result_status(result) == TP_OK) {
        push_success(L, result);
        return 1;
    }
    tl_push_error(L, result, fallback_op);
    return 0;
}

int tl_push_outcome(lua_State *L, const tp_result *result, const char *fallback_op) {
    if (result && tp_result_status(result) == TP_OK) {
        push_success(L, result);
        return 1;
    }
    /* Arguments the library refused before sending anything (a wrong type, an empty or too
     * long value, a relative path) are misuse, which raises, as the module's own checks do. */
    if (result && tp_result_status(result) == TP_E_INVALID_ARGUMENT && tp_result_attempts(result) == 0) {
        const char *op = tp_result_op(result);
        if (!op) op = fallback_op;
        luaL_error(L, "%s: %s", op, without_prefix(tp_result_message(result), op));
    }
    lua_pushnil(L);
    tl_push_error(L, result, fallback_op);
    return 2;
}

void tl_error_register(lua_State *L) {
    luaL_newmetatable(L, TL_ERROR_MT);
    lua_pushcfunction(L, error_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
}
