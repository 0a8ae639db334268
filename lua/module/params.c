/* A Lua table of named arguments -> tp_params. Names are checked against the operation's
 * parameters here, so that a typo raises (misuse) instead of becoming a runtime error. */
#include <string.h>

#include "internal.h"

tp_cancel *tl_current_cancel(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, TL_CANCEL_KEY);
    tp_cancel *cancel = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return cancel;
}

static void check_set(lua_State *L, tp_status status, const char *op, const char *name) {
    if (status == TP_OK) return;
    if (status == TP_E_NOMEM) luaL_error(L, "%s: not enough memory", op);
    luaL_error(L, "%s: argument '%s': %s", op, name, tp_status_message(status));
}

static void set_one(lua_State *L, const char *op, int op_index, int param, tp_params *params, int idx) {
    const char *name = tp_op_param_name(op_index, param);
    tp_status status;
    switch (lua_type(L, idx)) {
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        if (tp_op_param_kind(op_index, param) == TP_PARAM_FILE)
            status = tp_params_set_bytes(params, name, s, len);
        else if (strlen(s) != len)
            return (void)luaL_error(L, "%s: argument '%s' contains a NUL byte", op, name);
        else {
            status = tp_params_set_string(params, name, s);
            /* The name is known, so a refusal is about the text. */
            if (status == TP_E_INVALID_ARGUMENT)
                return (void)luaL_error(L, "%s: argument '%s' is not valid UTF-8", op, name);
        }
        break;
    }
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx))
            status = tp_params_set_int64(params, name, (int64_t)lua_tointeger(L, idx));
        else
            status = tp_params_set_double(params, name, lua_tonumber(L, idx));
        break;
    case LUA_TBOOLEAN:
        status = tp_params_set_bool(params, name, lua_toboolean(L, idx));
        break;
    case LUA_TTABLE:
        tl_encode_json(L, idx, 0);
        status = tp_params_set_json(params, name, lua_tostring(L, -1));
        lua_pop(L, 1);
        break;
    case LUA_TUSERDATA:
        if (tl_is_null(L, idx)) {
            status = tp_params_set_null(params, name);
            break;
        }
        /* fallthrough */
    default:
        luaL_error(L, "%s: argument '%s' cannot be a %s (string, number, boolean, table or turso.null)", op,
                   name, luaL_typename(L, idx));
        return;
    }
    check_set(L, status, op, name);
}

void tl_fill_params(lua_State *L, int op_index, int args_idx, tp_params *params) {
    const char *op = tp_op_id(op_index);
    tp_cancel *cancel = tl_current_cancel(L);
    if (cancel) check_set(L, tp_params_set_cancel(params, cancel), op, "cancel");
    if (lua_isnoneornil(L, args_idx))
        args_idx = 0;
    else if (!lua_istable(L, args_idx))
        luaL_error(L, "%s: expected a table of named arguments, got a %s", op, luaL_typename(L, args_idx));
    if (args_idx) {
        args_idx = lua_absindex(L, args_idx);
        lua_pushnil(L);
        while (lua_next(L, args_idx)) {
            if (lua_type(L, -2) != LUA_TSTRING)
                luaL_error(L, "%s: arguments are named (name = value), got a %s key", op,
                           luaL_typename(L, -2));
            size_t name_len;
            const char *name = lua_tolstring(L, -2, &name_len);
            if (strlen(name) != name_len) {
                tl_push_param_list(L, op_index);
                luaL_error(L, "%s: an argument name contains a NUL byte (it takes: %s)", op,
                           lua_tostring(L, -1));
            }
            int param = tl_op_param_find(op_index, name);
            if (param < 0) {
                tl_push_param_list(L, op_index);
                luaL_error(L, "%s: unknown argument '%s' (it takes: %s)", op, name, lua_tostring(L, -1));
            }
            set_one(L, op, op_index, param, params, lua_gettop(L));
            lua_pop(L, 1);
        }
    }
    /* Required arguments other than org (which falls back to the client's) must be there. */
    int32_t n = tp_op_param_count(op_index);
    for (int32_t j = 0; j < n; j++) {
        const char *name = tp_op_param_name(op_index, j);
        if (!tp_op_param_required(op_index, j) || strcmp(name, "org") == 0) continue;
        int present = 0;
        if (args_idx) {
            lua_getfield(L, args_idx, name);
            present = !lua_isnil(L, -1);
            lua_pop(L, 1);
        }
        if (!present) luaL_error(L, "%s: missing argument '%s'", op, name);
    }
}
