/* The operations table as the C library describes it (tp_op_*): the module never keeps a
 * list of its own, so a new operation appears in Lua and in the shell's completion as is. */
#include <string.h>

#include "internal.h"

int tl_op_index_checked(lua_State *L, const char *op_id) {
    int32_t index = tp_op_find(op_id);
    if (index < 0) luaL_error(L, "unknown operation '%s' (turso.operations() lists them)", op_id);
    return index;
}

int tl_op_param_find(int op_index, const char *name) {
    int32_t n = tp_op_param_count(op_index);
    for (int32_t j = 0; j < n; j++)
        if (strcmp(tp_op_param_name(op_index, j), name) == 0) return j;
    return -1;
}

void tl_push_param_list(lua_State *L, int op_index) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    int32_t n = tp_op_param_count(op_index);
    for (int32_t j = 0; j < n; j++) {
        if (j) luaL_addstring(&b, ", ");
        luaL_addstring(&b, tp_op_param_name(op_index, j));
    }
    if (n <= 0) luaL_addstring(&b, "none");
    luaL_pushresult(&b);
}

int tl_namespace_exists(const char *ns, size_t len) {
    int32_t count = tp_op_count();
    for (int32_t i = 0; i < count; i++) {
        const char *id = tp_op_id(i);
        if (strncmp(id, ns, len) == 0 && id[len] == '.') return 1;
    }
    return 0;
}

static const char *kind_name(int32_t kind) {
    switch (kind) {
    case TP_PARAM_PATH:
        return "path";
    case TP_PARAM_QUERY:
        return "query";
    case TP_PARAM_BODY:
        return "body";
    case TP_PARAM_FILE:
        return "file";
    default:
        return "unknown";
    }
}

/* turso.operations([detailed]): the ids in table order, or with detailed = true records
 * {id=, method=, path=, params={{name=, kind=, required=}, ...}}. */
int tl_operations(lua_State *L) {
    int detailed = lua_toboolean(L, 1);
    int32_t count = tp_op_count();
    lua_createtable(L, count, 0);
    for (int32_t i = 0; i < count; i++) {
        if (!detailed) {
            lua_pushstring(L, tp_op_id(i));
            lua_rawseti(L, -2, i + 1);
            continue;
        }
        lua_createtable(L, 0, 4);
        lua_pushstring(L, tp_op_id(i));
        lua_setfield(L, -2, "id");
        lua_pushstring(L, tp_op_method(i));
        lua_setfield(L, -2, "method");
        lua_pushstring(L, tp_op_path(i));
        lua_setfield(L, -2, "path");
        int32_t n = tp_op_param_count(i);
        lua_createtable(L, n > 0 ? n : 0, 0);
        for (int32_t j = 0; j < n; j++) {
            lua_createtable(L, 0, 3);
            lua_pushstring(L, tp_op_param_name(i, j));
            lua_setfield(L, -2, "name");
            lua_pushstring(L, kind_name(tp_op_param_kind(i, j)));
            lua_setfield(L, -2, "kind");
            lua_pushboolean(L, tp_op_param_required(i, j) == 1);
            lua_setfield(L, -2, "required");
            lua_rawseti(L, -2, j + 1);
        }
        luaL_setmetatable(L, TL_ARRAY_MT);
        lua_setfield(L, -2, "params");
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}
