/* The turso Lua module's entry points, for programs that link or load it (tursh's tursh-core.so
 * exports the three of them). */
#ifndef TURSO_LUA_H
#define TURSO_LUA_H

#include <lua.h>

#include "turso_platform.h"

#if defined(__GNUC__) || defined(__clang__)
#define TURSO_LUA_EXPORT __attribute__((visibility("default")))
#else
#define TURSO_LUA_EXPORT
#endif

/* Opens the module: the function `require "turso"` calls. */
TURSO_LUA_EXPORT int luaopen_turso(lua_State *L);

/* Opens the module into the table on top of the stack (which stays there, and becomes the
 * module): tursh hands out a `turso` table before it loads the module into it. Returns 1. */
TURSO_LUA_EXPORT int turso_lua_open_into(lua_State *L);

/* Makes every later call made from this state carry `cancel` (borrowed: it must outlive the
 * state, or be removed with NULL first), so that a signal handler can cancel the request in
 * flight with tp_cancel_trigger. */
TURSO_LUA_EXPORT void turso_lua_set_cancel(lua_State *L, tp_cancel *cancel);

#endif
