/* Boxes: userdata owning a tp_params or tp_result, freed by __gc, so that a Lua error raised
 * while one is alive cannot leak it. (Batches have their own guard, in batch.c.) */
#include "internal.h"

static int box_gc(lua_State *L) {
    tl_box *box = luaL_checkudata(L, 1, TL_BOX_MT);
    if (box->ptr) {
        switch (box->kind) {
        case TL_BOX_PARAMS:
            tp_params_free(box->ptr);
            break;
        case TL_BOX_RESULT:
            tp_result_free(box->ptr);
            break;
        }
        box->ptr = NULL;
    }
    return 0;
}

tl_box *tl_box_new(lua_State *L, int kind) {
    tl_box *box = lua_newuserdatauv(L, sizeof *box, 0);
    box->kind = kind;
    box->ptr = NULL;
    luaL_setmetatable(L, TL_BOX_MT);
    return box;
}

void tl_register_releasing_mt(lua_State *L, const char *name, lua_CFunction release) {
    luaL_newmetatable(L, name);
    lua_pushcfunction(L, release);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, release);
    lua_setfield(L, -2, "__close");
    lua_pop(L, 1);
}

void tl_box_register(lua_State *L) {
    tl_register_releasing_mt(L, TL_BOX_MT, box_gc);
}
