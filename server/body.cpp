// Request bodies: parsing and typed access with clear 400s.
#include "api.hpp"
#include "validate.hpp"

#include <cstring>

namespace tl {

Body::Body(const std::string &text) {
    size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
        ++i;
    if (i == text.size()) {
        empty_ = true;
        doc_ = json_object();
        return;
    }
    // cJSON keeps strings NUL-terminated, so "a\u0000b" would silently be read as "a". A body
    // with \u0000 is also parsed with \u0001 in its place (same length, same structure), and a
    // field read from it must come out the same in both (raw below): NUL in fields nobody reads
    // is fine, as the spec allows any string there. A raw NUL byte is not JSON at all.
    std::string shadow;
    for (size_t k = i; k < text.size(); ++k)
        if (text[k] == '\0') {
            fail(400, "the request body must not contain a NUL byte (not even in a string: write \\u0000)");
        } else if (text[k] == '\\') {
            if (text.compare(k + 1, 5, "u0000") == 0) {
                if (shadow.empty()) shadow = text;
                shadow[k + 5] = '1';
            }
            ++k; // the escaped character is not a backslash that starts an escape
        }
    // JSON text is UTF-8 (RFC 8259); cJSON copies any bytes into strings, which would then be
    // stored and sent back to every client that lists them.
    if (!valid_utf8(text)) fail(400, "the request body is not valid UTF-8");
    doc_ = json_parse(text);
    if (!doc_) fail(400, "invalid JSON in request body");
    if (!cJSON_IsObject(doc_.get())) fail(400, "request body must be a JSON object");
    if (!shadow.empty()) shadow_ = json_parse(shadow);
}

namespace {

// Whether two parses of the same text (one with NUL where the other has U+0001) read alike: a
// string or a key cut short at NUL in `a` is longer in `b`.
bool same_without_nul(const cJSON *a, const cJSON *b) {
    if (!a || !b) return a == b;
    if ((a->type & 0xFF) != (b->type & 0xFF)) return false;
    if ((a->string == nullptr) != (b->string == nullptr)) return false;
    if (a->string && std::strlen(a->string) != std::strlen(b->string)) return false;
    if (cJSON_IsString(a) && std::strlen(a->valuestring) != std::strlen(b->valuestring)) return false;
    const cJSON *x = a->child, *y = b->child;
    for (; x && y; x = x->next, y = y->next)
        if (!same_without_nul(x, y)) return false;
    return x == y;
}

} // namespace

const cJSON *Body::raw(const char *key) const {
    const cJSON *v = cJSON_GetObjectItem(doc_.get(), key);
    if (shadow_ && !same_without_nul(v, cJSON_GetObjectItem(shadow_.get(), key)))
        fail(400, std::string("field '") + key + "' must not contain NUL (\\u0000)");
    if (!v || cJSON_IsNull(v)) return nullptr;
    return v;
}

std::optional<std::string> Body::str(const char *key) const {
    const cJSON *v = raw(key);
    if (!v) return std::nullopt;
    if (!cJSON_IsString(v)) fail(400, std::string("field '") + key + "' must be a string");
    return std::string(v->valuestring);
}

std::string Body::require_str(const char *key) const {
    auto s = str(key);
    if (!s || s->empty()) fail(400, std::string("field '") + key + "' is required");
    return *s;
}

std::optional<bool> Body::boolean(const char *key) const {
    const cJSON *v = raw(key);
    if (!v) return std::nullopt;
    if (!cJSON_IsBool(v)) fail(400, std::string("field '") + key + "' must be a boolean");
    return cJSON_IsTrue(v) != 0;
}

std::optional<int64_t> Body::integer(const char *key) const {
    const cJSON *v = raw(key);
    if (!v) return std::nullopt;
    double d = v->valuedouble;
    if (!cJSON_IsNumber(v) || d != static_cast<double>(static_cast<int64_t>(d)) || d > 9e15 || d < -9e15)
        fail(400, std::string("field '") + key + "' must be an integer");
    return static_cast<int64_t>(d);
}

std::optional<std::vector<std::string>> Body::strings(const char *key) const {
    const cJSON *v = raw(key);
    if (!v) return std::nullopt;
    if (!cJSON_IsArray(v)) fail(400, std::string("field '") + key + "' must be an array of strings");
    std::vector<std::string> out;
    const cJSON *it;
    cJSON_ArrayForEach(it, v) {
        if (!cJSON_IsString(it)) fail(400, std::string("field '") + key + "' must be an array of strings");
        out.emplace_back(it->valuestring);
    }
    return out;
}

Body &Ctx::body() {
    if (!body_) body_.emplace(req.body);
    return *body_;
}

void Body::no_nulls(std::initializer_list<const char *> keys) const {
    for (const char *key : keys) {
        const cJSON *v = cJSON_GetObjectItem(doc_.get(), key);
        if (v && cJSON_IsNull(v)) fail(400, std::string("field '") + key + "' must not be null");
    }
}

Body &Ctx::required_body() {
    Body &b = body();
    if (b.empty()) fail(400, "this call needs a JSON object as request body");
    return b;
}

void reply_json(httplib::Response &res, const Json &j) {
    res.status = 200;
    res.set_content(json_print(j.get()), "application/json");
}

void Ctx::reply(Json j) {
    res.status = 200;
    reply_doc = std::move(j);
}

void Ctx::reply_empty() {
    reply_doc.reset();
    res.status = 200;
    res.body.clear();
}

void Ctx::need_role(int min_role, const char *what) const {
    if (role < min_role)
        fail(403, std::string("you need the role ") + role_name(min_role) + " or higher in organization " +
                      org_slug + " to " + what);
}

} // namespace tl
