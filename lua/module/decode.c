/* JSON text -> Lua values in one pass, with no tree in between: a result's body becomes tables
 * directly (the cJSON tree the C API builds on demand cost more than the tables themselves).
 * The values are those convert.c makes from a tree: arrays carry turso.array, null is
 * turso.null, integral numbers within the int64 range are integers. Stricter than cJSON (RFC
 * 8259: no control characters in strings, no lone surrogates); and a string keeps a \u0000. */
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_DEPTH 1000  /* as cJSON's nesting limit, so both accept the same documents */
#define SHORT_NUMBER 63 /* characters of a number converted from a buffer on the stack */
#define BATCH 64        /* values gathered on the stack before they go into their table */

typedef struct decoder {
    lua_State *L;
    const char *p, *end;
    int null_idx, array_mt_idx; /* stack slots of turso.null and turso.array's metatable */
} decoder;

static void skip_space(decoder *d) {
    while (d->p < d->end && (*d->p == ' ' || *d->p == '\t' || *d->p == '\n' || *d->p == '\r'))
        d->p++;
}

static int hex4(const char *s, unsigned *out) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return 0;
    }
    *out = v;
    return 1;
}

static void add_utf8(luaL_Buffer *b, unsigned cp) {
    char s[4];
    size_t n;
    if (cp < 0x80) {
        s[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        s[0] = (char)(0xF0 | (cp >> 18));
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    luaL_addlstring(b, s, n);
}

/* One escape after the backslash at d->p; 0 when invalid. */
static int add_escape(decoder *d, luaL_Buffer *b) {
    if (d->end - d->p < 2) return 0;
    char c = d->p[1];
    d->p += 2;
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *hit = c ? strchr(from, c) : NULL;
    if (hit) {
        luaL_addchar(b, to[hit - from]);
        return 1;
    }
    unsigned cp, low;
    if (c != 'u' || d->end - d->p < 4 || !hex4(d->p, &cp)) return 0;
    d->p += 4;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return 0; /* a low surrogate first */
    if (cp >= 0xD800 && cp <= 0xDBFF) {         /* a high one needs its low one */
        if (d->end - d->p < 6 || d->p[0] != '\\' || d->p[1] != 'u' || !hex4(d->p + 2, &low) || low < 0xDC00 ||
            low > 0xDFFF)
            return 0;
        d->p += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    add_utf8(b, cp);
    return 1;
}

/* The first byte in [p, end) that ends a run of plain string bytes - '"', '\\' or a control
 * character - or end. Eight bytes at a time: the byte loop was a tenth of a call's instructions
 * for the locations list (70 short strings). */
static const char *string_run_end(const char *p, const char *end) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    while (end - p >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        uint64_t quote = word ^ (ones * '"');
        uint64_t slash = word ^ (ones * '\\');
        /* A byte's high bit set where that byte is zero (below 0x20 for the last term); exact
         * for the lowest such byte, which is all that is used. */
        uint64_t hits =
            ((quote - ones) & ~quote) | ((slash - ones) & ~slash) | ((word - ones * 0x20) & ~word);
        hits &= highs;
        if (hits) return p + (__builtin_ctzll(hits) >> 3);
        p += 8;
    }
#endif
    while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
        p++;
    return p;
}

/* The string starting at the quote at d->p, pushed; 0 when invalid. */
static int push_string(decoder *d) {
    const char *start = ++d->p;
    d->p = string_run_end(d->p, d->end);
    if (d->p < d->end && *d->p == '"') { /* no escapes: the common case */
        lua_pushlstring(d->L, start, (size_t)(d->p - start));
        d->p++;
        return 1;
    }
    luaL_Buffer b;
    luaL_buffinit(d->L, &b);
    luaL_addlstring(&b, start, (size_t)(d->p - start));
    while (d->p < d->end && *d->p != '"') {
        if (*d->p == '\\') {
            if (!add_escape(d, &b)) return 0;
        } else if ((unsigned char)*d->p < 0x20) {
            return 0;
        } else {
            luaL_addchar(&b, *d->p++);
        }
    }
    if (d->p >= d->end) return 0;
    d->p++;
    luaL_pushresult(&b);
    return 1;
}

/* A number longer than the stack buffer (JSON sets no limit), as a float: no integer of that
 * many digits fits in int64. strtod with the locale's decimal point, as Lua converts, since
 * lua_stringtonumber gives up past 200 characters when the locale's point is not '.'. */
static int push_long_number(lua_State *L, const char *start, size_t len) {
    char *text = malloc(len + 1);
    if (!text) luaL_error(L, "not enough memory to decode JSON");
    memcpy(text, start, len);
    text[len] = '\0';
    char *dot = memchr(text, '.', len);
    if (dot) *dot = lua_getlocaledecpoint();
    char *end;
    double n = strtod(text, &end);
    int ok = end == text + len;
    free(text);
    if (ok) lua_pushnumber(L, n);
    return ok;
}

static int digits(decoder *d) {
    const char *start = d->p;
    while (d->p < d->end && *d->p >= '0' && *d->p <= '9')
        d->p++;
    return d->p > start;
}

/* A number per the JSON grammar, pushed as convert.c would: an integer when integral. */
static int push_number(decoder *d) {
    const char *start = d->p;
    if (*d->p == '-') d->p++;
    if (d->p < d->end && *d->p == '0')
        d->p++;
    else if (!digits(d))
        return 0;
    if (d->p < d->end && *d->p == '.') {
        d->p++;
        if (!digits(d)) return 0;
    }
    if (d->p < d->end && (*d->p == 'e' || *d->p == 'E')) {
        d->p++;
        if (d->p < d->end && (*d->p == '+' || *d->p == '-')) d->p++;
        if (!digits(d)) return 0;
    }
    size_t len = (size_t)(d->p - start);
    if (len <= SHORT_NUMBER) {
        char text[SHORT_NUMBER + 1];
        memcpy(text, start, len);
        text[len] = '\0';
        /* Lua's own conversion: exact integers, and the decimal point whatever the locale. */
        if (lua_stringtonumber(d->L, text) == 0) return 0;
    } else if (!push_long_number(d->L, start, len)) {
        return 0;
    }
    if (!lua_isinteger(d->L, -1)) {
        lua_Number n = lua_tonumber(d->L, -1);
        if (n == floor(n) && n >= -9223372036854775808.0 && n < 9223372036854775808.0) {
            lua_pop(d->L, 1);
            lua_pushinteger(d->L, (lua_Integer)n);
        }
    }
    return 1;
}

static int push_value(decoder *d, int depth);

/* Moves the `pending` values (or key/value pairs) on top of the stack into the table below them,
 * in order, creating the table first when `*table` is 0. */
static void flush(decoder *d, int *table, int pending, int pairs, lua_Integer *count) {
    lua_State *L = d->L;
    int width = pairs ? 2 : 1;
    int first = lua_gettop(L) - pending * width + 1;
    if (!*table) {
        if (pairs)
            lua_createtable(L, 0, pending);
        else
            lua_createtable(L, pending, 0);
        lua_insert(L, first);
        *table = first++;
    }
    for (int i = 0; i < pending; i++) {
        int slot = first + i * width;
        if (pairs) {
            lua_pushvalue(L, slot);
            lua_pushvalue(L, slot + 1);
            lua_rawset(L, *table); /* in order: of duplicate keys the last wins, as in cJSON */
        } else {
            lua_pushvalue(L, slot);
            lua_rawseti(L, *table, ++*count);
        }
    }
    lua_settop(L, *table);
}

/* An array or object starting at the bracket at d->p, pushed; 0 when invalid. */
static int push_container(decoder *d, int depth) {
    lua_State *L = d->L;
    int pairs = *d->p == '{';
    char close = pairs ? '}' : ']';
    if (depth >= MAX_DEPTH) return 0;
    d->p++;
    int table = 0, pending = 0;
    lua_Integer count = 0;
    luaL_checkstack(L, BATCH * 2 + 8, "JSON nested too deeply");
    skip_space(d);
    if (d->p < d->end && *d->p == close) {
        d->p++;
    } else {
        for (;;) {
            skip_space(d);
            if (pairs) {
                if (d->p >= d->end || *d->p != '"' || !push_string(d)) return 0;
                skip_space(d);
                if (d->p >= d->end || *d->p != ':') return 0;
                d->p++;
                skip_space(d);
            }
            if (!push_value(d, depth + 1)) return 0;
            if (++pending == BATCH) {
                flush(d, &table, pending, pairs, &count);
                pending = 0;
            }
            skip_space(d);
            if (d->p < d->end && *d->p == ',') {
                d->p++;
                continue;
            }
            if (d->p < d->end && *d->p == close) {
                d->p++;
                break;
            }
            return 0;
        }
    }
    if (pending || !table) flush(d, &table, pending, pairs, &count);
    if (!pairs) {
        lua_pushvalue(L, d->array_mt_idx);
        lua_setmetatable(L, -2);
    }
    return 1;
}

static int literal(decoder *d, const char *word, size_t len) {
    if ((size_t)(d->end - d->p) < len || memcmp(d->p, word, len) != 0) return 0;
    d->p += len;
    return 1;
}

static int push_value(decoder *d, int depth) {
    if (d->p >= d->end) return 0;
    switch (*d->p) {
    case '{':
    case '[':
        return push_container(d, depth);
    case '"':
        return push_string(d);
    case 't':
        if (!literal(d, "true", 4)) return 0;
        lua_pushboolean(d->L, 1);
        return 1;
    case 'f':
        if (!literal(d, "false", 5)) return 0;
        lua_pushboolean(d->L, 0);
        return 1;
    case 'n':
        if (!literal(d, "null", 4)) return 0;
        lua_pushvalue(d->L, d->null_idx);
        return 1;
    default:
        return (*d->p == '-' || (*d->p >= '0' && *d->p <= '9')) && push_number(d);
    }
}

int tl_push_json(lua_State *L, const char *text, size_t len) {
    int top = lua_gettop(L);
    luaL_checkstack(L, 4, "JSON nested too deeply");
    decoder d = {L, text, text + len, top + 1, top + 2};
    tl_push_null(L);
    luaL_getmetatable(L, TL_ARRAY_MT);
    skip_space(&d);
    int ok = push_value(&d, 0);
    if (ok) {
        skip_space(&d);
        ok = d.p == d.end;
    }
    if (!ok) {
        lua_settop(L, top);
        return 0;
    }
    lua_replace(L, top + 1);
    lua_settop(L, top + 1);
    return 1;
}
