// libFuzzer target: the Lua module's JSON decoder (lua/module/decode.c: every result body and
// turso.json_decode), which reads untrusted server responses. Input: the JSON text.
// Properties: tl_push_json pushes one value when it returns 1 and nothing when it returns 0, and
// never raises; it accepts exactly src/json.cpp's strict RFC 8259 check less raw control
// characters in strings, but for numbers longer than 63 characters (valid JSON, which the C
// library refuses as cJSON does, and the decoder takes); the value is cJSON's tree as convert.c
// pushes it (turso.null, turso.array, integers when integral); encoding it with the module's
// encoder and decoding that again gives the same text. One lua_State for the whole run, opened by
// luaopen_turso as `require "turso"` does (it stays reachable from a static: no leak reported).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "json.h"

extern "C" {
#include "internal.h"
#include "turso_lua.h"
}

namespace tp = turso::platform;

#include "require.h"

static const int kEncodeMaxDepth = 1000; // convert.c's MAX_DEPTH: tables at this depth raise when encoded
static const size_t kCjsonMaxNumber = 63; // characters of a number that cJSON and json_validate take

static lua_State *state() {
    static lua_State *L = nullptr;
    if (!L) {
        L = luaL_newstate();
        REQUIRE(L != nullptr);
        luaopen_turso(L); // registers turso.null and turso.array's metatable, which decode.c uses
        lua_settop(L, 0);
    }
    return L;
}

struct Decode {
    const char *text;
    size_t len;
    int ret;
};

static int decode_call(lua_State *L) {
    Decode *d = static_cast<Decode *>(lua_touserdata(L, 1));
    int top = lua_gettop(L);
    d->ret = tl_push_json(L, d->text, d->len);
    REQUIRE(d->ret == 0 || d->ret == 1);
    REQUIRE(lua_gettop(L) == top + d->ret);
    return d->ret;
}

// tl_push_json under lua_pcall, so that a raise is reported rather than a panic: pushes the value
// and returns true, or pushes nothing and returns false.
static bool decode(lua_State *L, const char *text, size_t len) {
    Decode d{text, len, -1};
    int base = lua_gettop(L);
    lua_pushcfunction(L, decode_call);
    lua_pushlightuserdata(L, &d);
    int status = lua_pcall(L, 1, LUA_MULTRET, 0);
    if (status != LUA_OK) fprintf(stderr, "tl_push_json raised: %s\n", lua_tostring(L, -1));
    // Inputs this size are far from Lua's stack limit: bad text is an answer of 0, not a raise.
    REQUIRE(status == LUA_OK);
    REQUIRE(lua_gettop(L) == base + d.ret);
    return d.ret == 1;
}

static int encode_call(lua_State *L) {
    tl_encode_json(L, 1, 0);
    return 1;
}

// tl_encode_json of the value at idx under lua_pcall: pushes the text and returns true, or pushes
// the error message and returns false.
static bool encode(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, encode_call);
    lua_pushvalue(L, idx);
    return lua_pcall(L, 1, 1, 0) == LUA_OK;
}

// In text that is JSON: a byte below 0x20 inside a string, which RFC 8259 forbids and decode.c
// refuses (json_validate lets it through, as cJSON does).
static bool control_in_string(std::string_view s) {
    bool in = false;
    for (size_t i = 0; i < s.size(); i++) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (!in)
            in = c == '"';
        else if (c == '\\')
            i++;
        else if (c == '"')
            in = false;
        else if (c < 0x20)
            return true;
    }
    return false;
}

// Whether s[start, end) is a number by the JSON grammar.
static bool json_number(std::string_view n) {
    size_t i = 0, len = n.size();
    auto digits = [&] {
        size_t from = i;
        while (i < len && n[i] >= '0' && n[i] <= '9')
            i++;
        return i > from;
    };
    if (i < len && n[i] == '-') i++;
    if (i < len && n[i] == '0')
        i++;
    else if (!digits())
        return false;
    if (i < len && n[i] == '.') {
        i++;
        if (!digits()) return false;
    }
    if (i < len && (n[i] == 'e' || n[i] == 'E')) {
        i++;
        if (i < len && (n[i] == '+' || n[i] == '-')) i++;
        if (!digits()) return false;
    }
    return i == len;
}

// s with every number longer than cJSON takes (outside strings) written as 0, so that
// json_validate judges the rest; `changed` tells whether there was one.
static std::string short_numbers(std::string_view s, bool &changed) {
    std::string out;
    changed = false;
    bool in = false;
    for (size_t i = 0; i < s.size();) {
        char c = s[i];
        if (in) {
            if (c == '\\' && i + 1 < s.size()) out += s[i++];
            else if (c == '"') in = false;
            out += s[i++];
            continue;
        }
        if (c == '"') in = true;
        if (c == '-' || (c >= '0' && c <= '9')) {
            size_t end = i;
            while (end < s.size() && std::strchr("0123456789+-.eE", s[end]) && s[end] != '\0')
                end++;
            std::string_view run = s.substr(i, end - i);
            if (run.size() > kCjsonMaxNumber && json_number(run)) {
                out += '0';
                changed = true;
            } else {
                out += run;
            }
            i = end;
            continue;
        }
        out += s[i++];
    }
    return out;
}

static bool is_array_table(lua_State *L, int idx) {
    if (!lua_getmetatable(L, idx)) return false;
    luaL_getmetatable(L, TL_ARRAY_MT);
    bool yes = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return yes;
}

static lua_Integer count_pairs(lua_State *L, int idx) {
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        n++;
    }
    return n;
}

// The Lua value at idx is what cJSON made of the same text (no \u0000 in it: cJSON's strings
// end at the first NUL).
static void same_as_cjson(lua_State *L, int idx, const cJSON *node) {
    luaL_checkstack(L, 8, "same_as_cjson");
    idx = lua_absindex(L, idx);
    if (cJSON_IsNull(node)) {
        REQUIRE(tl_is_null(L, idx));
    } else if (cJSON_IsBool(node)) {
        REQUIRE(lua_type(L, idx) == LUA_TBOOLEAN);
        REQUIRE(lua_toboolean(L, idx) == (cJSON_IsTrue(node) ? 1 : 0));
    } else if (cJSON_IsNumber(node)) {
        REQUIRE(lua_type(L, idx) == LUA_TNUMBER);
        double d = node->valuedouble;
        REQUIRE(lua_tonumber(L, idx) == d); // both strtod; an int64 converts back to the same double
        // Integral within the int64 range: an integer. Decimal integers past 2^53 stay exact
        // integers (cJSON's double is then their nearest double, checked above).
        bool integral = d == std::floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0;
        if (!lua_isinteger(L, idx)) REQUIRE(!integral);
    } else if (cJSON_IsString(node)) {
        REQUIRE(lua_type(L, idx) == LUA_TSTRING);
        size_t len = 0;
        const char *s = lua_tolstring(L, idx, &len);
        REQUIRE(len == std::strlen(node->valuestring) && std::memcmp(s, node->valuestring, len) == 0);
    } else if (cJSON_IsArray(node)) {
        REQUIRE(lua_type(L, idx) == LUA_TTABLE && is_array_table(L, idx));
        lua_Integer n = cJSON_GetArraySize(node);
        REQUIRE(static_cast<lua_Integer>(lua_rawlen(L, idx)) == n && count_pairs(L, idx) == n);
        lua_Integer i = 1;
        for (const cJSON *c = node->child; c; c = c->next, i++) {
            lua_rawgeti(L, idx, i);
            same_as_cjson(L, -1, c);
            lua_pop(L, 1);
        }
    } else {
        REQUIRE(cJSON_IsObject(node));
        REQUIRE(lua_type(L, idx) == LUA_TTABLE && !lua_getmetatable(L, idx));
        // Of duplicate keys the last wins: number each member, remember each key's last number.
        lua_newtable(L);
        int last = lua_gettop(L);
        lua_Integer i = 0, distinct = 0;
        for (const cJSON *c = node->child; c; c = c->next) {
            lua_pushstring(L, c->string);
            if (lua_rawget(L, last) == LUA_TNIL) distinct++;
            lua_pop(L, 1);
            lua_pushinteger(L, ++i);
            lua_setfield(L, last, c->string);
        }
        REQUIRE(count_pairs(L, idx) == distinct);
        i = 0;
        for (const cJSON *c = node->child; c; c = c->next) {
            lua_getfield(L, last, c->string);
            bool is_last = lua_tointeger(L, -1) == ++i;
            lua_pop(L, 1);
            if (!is_last) continue;
            lua_pushstring(L, c->string);
            REQUIRE(lua_rawget(L, idx) != LUA_TNIL);
            same_as_cjson(L, -1, c);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
}

// What the encoder may legitimately refuse in a decoded value.
struct Shape {
    int depth = 0;           // of the deepest table, the root's being 0
    bool non_finite = false; // a number that overflowed to inf (1e400)
};

static void shape(lua_State *L, int idx, int depth, Shape &s) {
    int t = lua_type(L, idx);
    if (t == LUA_TTABLE && depth > s.depth) s.depth = depth;
    if (t == LUA_TNUMBER && !lua_isinteger(L, idx) && !std::isfinite(lua_tonumber(L, idx)))
        s.non_finite = true;
    if (t != LUA_TTABLE) return;
    luaL_checkstack(L, 4, "shape");
    idx = lua_absindex(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        shape(L, -1, depth + 1, s);
        lua_pop(L, 1);
    }
}

// Encode the value at idx, decode that text, encode again: the same text.
static void round_trip(lua_State *L, int idx) {
    Shape s;
    shape(L, idx, 0, s);
    bool too_deep = s.depth >= kEncodeMaxDepth;
    if (!encode(L, idx)) {
        const char *msg = lua_tostring(L, -1);
        bool legit = (s.non_finite && std::strstr(msg, "not a JSON number")) ||
                     (too_deep && std::strstr(msg, "nested more than"));
        if (!legit) fprintf(stderr, "tl_encode_json raised: %s\n", msg);
        REQUIRE(legit);
        return;
    }
    REQUIRE(!s.non_finite && !too_deep);
    size_t len1 = 0;
    const char *first = lua_tolstring(L, -1, &len1);
    REQUIRE(decode(L, first, len1));
    REQUIRE(encode(L, -1));
    size_t len2 = 0;
    const char *second = lua_tolstring(L, -1, &len2);
    REQUIRE(len1 == len2 && std::memcmp(first, second, len1) == 0);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    lua_State *L = state();
    const char *text = reinterpret_cast<const char *>(data);
    std::string_view s(text, size);
    lua_pushliteral(L, "below"); // something under the value: the decoder's slots are relative
    bool ok = decode(L, text, size);
    bool long_numbers = false;
    std::string judged = short_numbers(s, long_numbers);
    REQUIRE(ok == (tp::json_validate(judged) != 0 && !control_in_string(s)));
    if (ok && !long_numbers && s.find("\\u0000") == std::string_view::npos) {
        // Stricter than cJSON, never looser (cJSON may refuse \u0000, which the decoder keeps).
        tp::JsonPtr tree = tp::parse_json(s);
        REQUIRE(tree != nullptr);
        same_as_cjson(L, -1, tree.get());
    }
    if (ok) round_trip(L, lua_gettop(L));
    REQUIRE(lua_gettop(L) >= 1 && lua_type(L, 1) == LUA_TSTRING);
    lua_settop(L, 0);
    return 0;
}
