/* Running chunks: a message handler adding a traceback, Ctrl-C armed while Lua code runs,
 * errors reported on stderr, results printed by the shell's pretty printer (tursh.pretty). */
#include <signal.h>
#include <stdio.h>

#include "tursh.h"

static int msghandler(lua_State *L) {
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

int tursh_docall(lua_State *L, int narg, int nres) {
    int base = lua_gettop(L) - narg;
    lua_pushcfunction(L, msghandler);
    lua_insert(L, base);
    tursh_interrupt_arm();
    int status = lua_pcall(L, narg, nres, base);
    signal(SIGINT, SIG_DFL);
    lua_sethook(L, NULL, 0, 0);
    lua_remove(L, base);
    return status;
}

int tursh_report(lua_State *L, int status) {
    if (status != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        if (msg == NULL) msg = "(error object is not a string)";
        fprintf(stderr, "%s: %s\n", TURSH_PROGNAME, msg);
        fflush(stderr);
        lua_pop(L, 1);
    }
    return status;
}

void tursh_print_results(lua_State *L, int json) {
    int n = lua_gettop(L);
    if (n == 0) return;
    luaL_checkstack(L, 4, "too many results to print");
    lua_getglobal(L, "require");
    lua_pushliteral(L, "tursh.pretty");
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        tursh_report(L, LUA_ERRRUN);
        lua_settop(L, 0);
        return;
    }
    lua_getfield(L, -1, json ? "print_json" : "print_results");
    lua_remove(L, -2);
    lua_insert(L, 1);
    if (tursh_docall(L, n, 0) != LUA_OK) tursh_report(L, LUA_ERRRUN);
    lua_settop(L, 0);
}
