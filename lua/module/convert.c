/* JSON <-> Lua: result values become tables (arrays carry the turso.array metatable so that
 * they encode back as arrays, even empty), and Lua values become JSON text for parameters. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_DEPTH 1000 /* tables within tables, as json_decode and cJSON accept */

void tl_push_null(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, TL_NULL_KEY);
}

int tl_is_null(lua_State *L, int idx) {
    if (lua_type(L, idx) != LUA_TUSERDATA) return 0;
    idx = lua_absindex(L, idx);
    tl_push_null(L);
    int same = lua_rawequal(L, idx, -1);
    lua_pop(L, 1);
    return same;
}

static void push_number(lua_State *L, const tp_value *value) {
    double d = tp_value_number(value);
    /* Integral values within the int64 range read as Lua integers (ids, counts, bytes). */
    if (d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
        lua_pushinteger(L, (lua_Integer)d);
    else
        lua_pushnumber(L, d);
}

static void push_value(lua_State *L, const tp_value *value, int depth) {
    luaL_checkstack(L, 4, "JSON nested too deeply");
    switch (tp_value_type_of(value)) {
    case TP_VALUE_NULL:
        tl_push_null(L);
        return;
    case TP_VALUE_BOOL:
        lua_pushboolean(L, tp_value_bool(value));
        return;
    case TP_VALUE_NUMBER:
        push_number(L, value);
        return;
    case TP_VALUE_STRING:
        lua_pushstring(L, tp_value_string(value));
        return;
    case TP_VALUE_ARRAY: {
        size_t n = tp_value_length(value);
        lua_createtable(L, n > INT32_MAX ? 0 : (int)n, 0);
        lua_Integer i = 1;
        for (const tp_value *item = tp_value_first(value); item; item = tp_value_next(item)) {
            push_value(L, item, depth + 1);
            lua_rawseti(L, -2, i++);
        }
        luaL_setmetatable(L, TL_ARRAY_MT);
        return;
    }
    case TP_VALUE_OBJECT: {
        size_t n = tp_value_length(value);
        lua_createtable(L, 0, n > INT32_MAX ? 0 : (int)n);
        for (const tp_value *item = tp_value_first(value); item; item = tp_value_next(item)) {
            push_value(L, item, depth + 1);
            lua_setfield(L, -2, tp_value_key(item));
        }
        return;
    }
    default:
        lua_pushnil(L);
        return;
    }
}

void tl_push_value(lua_State *L, const tp_value *value) {
    push_value(L, value, 0);
}

/* ---- encoding ---------------------------------------------------------------------------- */

/* A growable buffer owned by a userdata (freed by __gc even when encoding raises); a
 * luaL_Buffer would not do, as encoding pushes values while the buffer is in use. */
typedef struct sbuf {
    char *data;
    size_t len, cap;
    lua_State *L;
    int seen; /* stack slot of a table: the tables being encoded, to tell a cycle */
} sbuf;

static int sbuf_gc(lua_State *L) {
    sbuf *b = lua_touserdata(L, 1);
    free(b->data);
    b->data = NULL;
    return 0;
}

static void sbuf_add(sbuf *b, const char *s, size_t len) {
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len)
            cap *= 2;
        char *data = realloc(b->data, cap);
        if (!data) luaL_error(b->L, "not enough memory to encode JSON");
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, len);
    b->len += len;
}

static void sbuf_char(sbuf *b, char c) {
    sbuf_add(b, &c, 1);
}
static void sbuf_str(sbuf *b, const char *s) {
    sbuf_add(b, s, strlen(s));
}

static void add_string(sbuf *b, const char *s, size_t len) {
    sbuf_char(b, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"':
            sbuf_str(b, "\\\"");
            break;
        case '\\':
            sbuf_str(b, "\\\\");
            break;
        case '\n':
            sbuf_str(b, "\\n");
            break;
        case '\r':
            sbuf_str(b, "\\r");
            break;
        case '\t':
            sbuf_str(b, "\\t");
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char esc[8];
                snprintf(esc, sizeof esc, "\\u%04x", c);
                sbuf_str(b, esc);
            } else {
                sbuf_char(b, (char)c);
            }
        }
    }
    sbuf_char(b, '"');
}

static void add_indent(sbuf *b, int pretty, int depth) {
    if (!pretty) return;
    sbuf_char(b, '\n');
    for (int i = 0; i < depth; i++)
        sbuf_str(b, "  ");
}

/* What a table holds: 1..n only (an array of n), string keys only (an object), or neither. */
static int table_kind(lua_State *L, int idx, lua_Integer *n_out) {
    if (lua_getmetatable(L, idx)) {
        luaL_getmetatable(L, TL_ARRAY_MT);
        int marked = lua_rawequal(L, -1, -2);
        lua_pop(L, 2);
        if (marked) {
            *n_out = (lua_Integer)lua_rawlen(L, idx);
            return 'a';
        }
    }
    lua_Integer count = 0, max = 0;
    int strings = 0, integers = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) {
            strings++;
        } else if (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1) {
            integers++;
            if (lua_tointeger(L, -1) > max) max = lua_tointeger(L, -1);
        } else {
            lua_pop(L, 1);
            return '?';
        }
        count++;
    }
    if (count == 0) return 'o';
    if (strings == 0 && max == count) {
        *n_out = max;
        return 'a';
    }
    return strings == count ? 'o' : '?';
}

/* An object key: Lua strings may hold NUL bytes, so keys carry their length. */
typedef struct key_text {
    const char *s;
    size_t len;
} key_text;

static int compare_keys(const void *a, const void *b) {
    const key_text *x = a, *y = b;
    int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void encode(lua_State *L, sbuf *b, int idx, int pretty, int depth);

static void encode_object(lua_State *L, sbuf *b, int idx, int pretty, int depth) {
    /* Keys sorted, so the output is stable (tests, diffs). The key strings stay anchored in
     * the table, which does not change while it is encoded. */
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        n++;
    }
    if (n == 0) {
        sbuf_str(b, "{}");
        return;
    }
    key_text *keys = lua_newuserdatauv(L, n * sizeof *keys, 0);
    int keys_idx = lua_gettop(L);
    size_t i = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        keys[i].s = lua_tolstring(L, -1, &keys[i].len);
        i++;
    }
    qsort(keys, n, sizeof *keys, compare_keys);
    sbuf_char(b, '{');
    for (i = 0; i < n; i++) {
        if (i) sbuf_char(b, ',');
        add_indent(b, pretty, depth + 1);
        add_string(b, keys[i].s, keys[i].len);
        sbuf_str(b, pretty ? ": " : ":");
        lua_pushlstring(L, keys[i].s, keys[i].len);
        lua_rawget(L, idx);
        encode(L, b, lua_gettop(L), pretty, depth + 1);
        lua_pop(L, 1);
    }
    add_indent(b, pretty, depth);
    sbuf_char(b, '}');
    lua_remove(L, keys_idx);
}

static void encode_number(lua_State *L, sbuf *b, int idx) {
    char num[64];
    if (lua_isinteger(L, idx)) {
        snprintf(num, sizeof num, LUA_INTEGER_FMT, (LUAI_UACINT)lua_tointeger(L, idx));
    } else {
        double d = lua_tonumber(L, idx);
        if (!isfinite(d)) luaL_error(L, "cannot encode as JSON: %f is not a JSON number", d);
        snprintf(num, sizeof num, "%.17g", d);
    }
    sbuf_str(b, num);
}

/* Marks the table at idx as being encoded (on = 1) or done (on = 0). */
static void mark_seen(lua_State *L, sbuf *b, int idx, int on) {
    lua_pushvalue(L, idx);
    if (on)
        lua_pushboolean(L, 1);
    else
        lua_pushnil(L);
    lua_rawset(L, b->seen);
}

static void encode(lua_State *L, sbuf *b, int idx, int pretty, int depth) {
    luaL_checkstack(L, 6, "JSON nested too deeply");
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        sbuf_str(b, "null");
        return;
    case LUA_TBOOLEAN:
        sbuf_str(b, lua_toboolean(L, idx) ? "true" : "false");
        return;
    case LUA_TNUMBER:
        encode_number(L, b, idx);
        return;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        add_string(b, s, len);
        return;
    }
    case LUA_TUSERDATA:
        if (tl_is_null(L, idx)) {
            sbuf_str(b, "null");
            return;
        }
        break;
    case LUA_TTABLE: {
        lua_pushvalue(L, idx);
        if (lua_rawget(L, b->seen) != LUA_TNIL)
            luaL_error(L, "cannot encode as JSON: a table contains itself");
        lua_pop(L, 1);
        if (depth >= MAX_DEPTH)
            luaL_error(L, "cannot encode as JSON: tables nested more than %d levels deep", MAX_DEPTH);
        mark_seen(L, b, idx, 1);
        lua_Integer n = 0;
        int kind = table_kind(L, idx, &n);
        if (kind == 'a') {
            sbuf_char(b, '[');
            for (lua_Integer i = 1; i <= n; i++) {
                if (i > 1) sbuf_char(b, ',');
                add_indent(b, pretty, depth + 1);
                lua_rawgeti(L, idx, i);
                encode(L, b, lua_gettop(L), pretty, depth + 1);
                lua_pop(L, 1);
            }
            if (n > 0) add_indent(b, pretty, depth);
            sbuf_char(b, ']');
        } else if (kind == 'o') {
            encode_object(L, b, idx, pretty, depth);
        } else {
            luaL_error(L, "cannot encode as JSON: a table mixes keys (a list is keyed 1..n, an "
                          "object by strings)");
        }
        mark_seen(L, b, idx, 0);
        return;
    }
    default:
        break;
    }
    luaL_error(L, "cannot encode a %s as JSON", luaL_typename(L, idx));
}

void tl_encode_json(lua_State *L, int idx, int pretty) {
    idx = lua_absindex(L, idx);
    sbuf *b = lua_newuserdatauv(L, sizeof *b, 0);
    b->data = NULL;
    b->len = b->cap = 0;
    b->L = L;
    lua_newtable(L);
    lua_pushcfunction(L, sbuf_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    lua_newtable(L);
    b->seen = lua_gettop(L);
    encode(L, b, idx, pretty, 0);
    lua_pushlstring(L, b->data ? b->data : "", b->len);
    free(b->data);
    b->data = NULL;
    lua_remove(L, -3); /* the buffer */
    lua_remove(L, -2); /* the seen table */
}

static int null_tostring(lua_State *L) {
    lua_pushliteral(L, "null");
    return 1;
}

static int array_tostring(lua_State *L) {
    lua_pushfstring(L, "turso.array: %p", lua_topointer(L, 1));
    return 1;
}

void tl_convert_register(lua_State *L) {
    luaL_newmetatable(L, TL_ARRAY_MT);
    lua_pushcfunction(L, array_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    /* turso.null: one zero-size userdata per state, compared by identity. */
    lua_getfield(L, LUA_REGISTRYINDEX, TL_NULL_KEY);
    int exists = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (exists) return;
    lua_newuserdatauv(L, 0, 0);
    luaL_newmetatable(L, TL_NULL_MT);
    lua_pushcfunction(L, null_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "null"); /* keeps getmetatable(turso.null) from exposing the table */
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, TL_NULL_KEY);
}
