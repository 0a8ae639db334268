/* luaopen_turso: the module table. The same code is turso.so for stock lua5.4 and the
 * preloaded "turso" of tursh. */
#include "internal.h"
#include "turso_lua.h"

/* turso.json_encode(value[, pretty]) */
static int json_encode(lua_State *L) {
    luaL_checkany(L, 1);
    tl_encode_json(L, 1, lua_toboolean(L, 2));
    return 1;
}

/* turso.json_decode(text): the value, or nil and a message when text is not JSON. */
static int json_decode(lua_State *L) {
    size_t len = 0;
    const char *text = luaL_checklstring(L, 1, &len);
    if (tl_push_json(L, text, len)) return 1;
    lua_pushnil(L);
    lua_pushliteral(L, "not valid JSON");
    return 2;
}

/* turso.array(t): marks t as a JSON array (so an empty table encodes as []). */
static int array(lua_State *L) {
    if (lua_isnoneornil(L, 1)) lua_newtable(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    luaL_setmetatable(L, TL_ARRAY_MT);
    return 1;
}

/* Whether the table at idx carries the metatable registered as `name`. */
static int has_metatable(lua_State *L, int idx, const char *name) {
    int yes = 0;
    if (lua_istable(L, idx) && lua_getmetatable(L, idx)) {
        luaL_getmetatable(L, name);
        yes = lua_rawequal(L, -1, -2);
        lua_pop(L, 2);
    }
    return yes;
}

/* turso.is_array(v): true for arrays of results and tables marked by turso.array. */
static int is_array(lua_State *L) {
    lua_pushboolean(L, has_metatable(L, 1, TL_ARRAY_MT));
    return 1;
}

/* turso.is_error(v): true for the error tables calls return. */
static int is_error(lua_State *L) {
    lua_pushboolean(L, has_metatable(L, 1, TL_ERROR_MT));
    return 1;
}

static int is_client(lua_State *L) {
    lua_pushboolean(L, luaL_testudata(L, 1, TL_CLIENT_MT) != NULL);
    return 1;
}

/* turso.status_name(code): codes are int32; anything outside is unknown, not truncated. */
static int status_name(lua_State *L) {
    lua_Integer code = luaL_checkinteger(L, 1);
    if (code < INT32_MIN || code > INT32_MAX) code = -1; /* no status is negative */
    lua_pushstring(L, tp_status_name((tp_status)code));
    return 1;
}

void turso_lua_set_cancel(lua_State *L, tp_cancel *cancel) {
    if (cancel)
        lua_pushlightuserdata(L, cancel);
    else
        lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, TL_CANCEL_KEY);
}

static const luaL_Reg functions[] = {
    {"client", tl_client_new},
    {"operations", tl_operations},
    {"json_encode", json_encode},
    {"json_decode", json_decode},
    {"array", array},
    {"is_array", is_array},
    {"is_error", is_error},
    {"is_client", is_client},
    {"status_name", status_name},
    {NULL, NULL},
};

int turso_lua_open_into(lua_State *L) {
    luaL_checkversion(L);
    luaL_checktype(L, -1, LUA_TTABLE);
    tl_box_register(L);
    tl_convert_register(L);
    tl_error_register(L);
    tl_client_register(L);
    tl_batch_register(L);

    luaL_setfuncs(L, functions, 0);
    lua_pushstring(L, tp_version());
    lua_setfield(L, -2, "version");
    tl_push_null(L);
    lua_setfield(L, -2, "null");
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, TL_MODULE_KEY);
    return 1;
}

int luaopen_turso(lua_State *L) {
    lua_createtable(L, 0, sizeof functions / sizeof functions[0] + 2);
    return turso_lua_open_into(L);
}
