/* "tursh.sys": what the shell's Lua code needs from the system and plain Lua lacks. */
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "tursh.h"

/* sys.isatty(fd) */
static int sys_isatty(lua_State *L) {
    lua_pushboolean(L, isatty((int)luaL_checkinteger(L, 1)));
    return 1;
}

/* sys.now(): seconds on a monotonic clock, for rates and ETAs. */
static int sys_now(lua_State *L) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    lua_pushnumber(L, (lua_Number)ts.tv_sec + (lua_Number)ts.tv_nsec / 1e9);
    return 1;
}

/* sys.columns(fd): the terminal's width, or nil. */
static int sys_columns(lua_State *L) {
    struct winsize ws;
    if (ioctl((int)luaL_optinteger(L, 1, 1), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        lua_pushinteger(L, ws.ws_col);
    else
        lua_pushnil(L);
    return 1;
}

/* sys.local_url(): the embedded server's URL under --local, else nil. */
static int sys_local_url(lua_State *L) {
    lua_pushstring(L, tursh_local_url());
    return 1;
}

int tursh_open_sys(lua_State *L) {
    static const luaL_Reg functions[] = {
        {"isatty", sys_isatty},       {"now", sys_now}, {"columns", sys_columns},
        {"local_url", sys_local_url}, {NULL, NULL},
    };
    luaL_newlib(L, functions);
    return 1;
}
