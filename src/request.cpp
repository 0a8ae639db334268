#include "request.h"

#include <cmath>
#include <cstdio>
#include <new>

#include "encoding.h"
#include "json.h"
#include "response.h"

namespace turso::platform {

namespace {

struct Lookup {
    const PositionalArg *positional = nullptr; // set when found positionally
    const ParamValue *value = nullptr;         // set when found in params
    bool found() const { return positional || value; }
};

Lookup lookup(const PositionalArg *args, size_t n, const Params *params, std::string_view name) {
    Lookup l;
    for (size_t i = 0; i < n; ++i)
        if (args[i].name == name) {
            l.positional = &args[i];
            return l;
        }
    if (params) l.value = params->get(name);
    return l;
}

std::string prefix(const Operation &op) {
    return std::string(op.id) + ": ";
}

// "databases.get: parameter 'db'", built only when there is an error to report.
std::string where(const Operation &op, std::string_view name) {
    return prefix(op) + "parameter '" + std::string(name) + "'";
}

// " is too long (...)": the end of the message for a value that made the URL too long.
std::string too_long_for_url() {
    return " is too long (the request URL may be at most " + std::to_string(kMaxUrlBytes) + " bytes)";
}

cJSON *add_item(cJSON *object, const char *wire, cJSON *item) {
    if (!item) throw std::bad_alloc();
    if (!cJSON_AddItemToObject(object, wire, item)) {
        cJSON_Delete(item);
        throw std::bad_alloc();
    }
    return item;
}

// A body field as cJSON; nullptr (with error set) for a value a JSON body cannot carry.
bool add_body_field(cJSON *object, const char *wire, const Lookup &l, std::string &error, const Operation &op,
                    std::string_view name) {
    if (l.positional) {
        if (l.positional->is_bytes) {
            error = where(op, name) + " must not be bytes";
            return false;
        }
        add_item(object, wire, cJSON_CreateString(std::string(l.positional->value).c_str()));
        return true;
    }
    const ParamValue &v = *l.value;
    switch (v.kind) {
    case ValueKind::String:
        add_item(object, wire, cJSON_CreateString(v.text.c_str()));
        return true;
    // Raw text keeps every digit of an int64 (a cJSON number is a double).
    case ValueKind::Int:
        add_item(object, wire, cJSON_CreateRaw(std::to_string(v.integer).c_str()));
        return true;
    case ValueKind::Double:
        add_item(object, wire, cJSON_CreateNumber(v.number));
        return true;
    case ValueKind::Bool:
        add_item(object, wire, cJSON_CreateBool(v.boolean));
        return true;
    case ValueKind::Null:
        add_item(object, wire, cJSON_CreateNull());
        return true;
    case ValueKind::Json:
        add_item(object, wire, cJSON_CreateRaw(v.text.c_str()));
        return true;
    case ValueKind::Bytes:
        error = where(op, name) + " must not be bytes";
        return false;
    }
    return false;
}

bool query_value(const Lookup &l, std::string &text, std::string &error, const Operation &op,
                 std::string_view name) {
    if (l.positional) {
        if (l.positional->is_bytes) {
            error = where(op, name) + " must be a string, an integer or a boolean";
            return false;
        }
        text.assign(l.positional->value);
        return true;
    }
    const ParamValue &v = *l.value;
    switch (v.kind) {
    case ValueKind::String:
        text = v.text;
        return true;
    case ValueKind::Int:
        text = std::to_string(v.integer);
        return true;
    case ValueKind::Bool:
        text = v.boolean ? "true" : "false";
        return true;
    default:
        error = where(op, name) + " must be a string, an integer or a boolean";
        return false;
    }
}

} // namespace

bool build_operation_request(const Options &options, const Operation &op, const PositionalArg *args,
                             size_t arg_count, const Params *params, HttpRequest &out, std::string &error) {
    out = HttpRequest();
    out.method = op.method;
    out.op = op.id;
    out.answer = op.answer;
    if (params) {
        out.cancel = params->cancel;
        out.timeout_ms = params->timeout_ms;
        for (const auto &entry : params->values)
            if (!find_param(op, entry.first)) {
                // The caller's text: one line and bounded, as tp_result_message promises.
                error = prefix(op) + "unknown parameter '" + one_line(entry.first, 100) + "'";
                return false;
            }
    }
    for (size_t i = 0; i < arg_count; ++i)
        if (!find_param(op, args[i].name)) {
            error = prefix(op) + "unknown parameter '" + one_line(args[i].name, 100) + "'";
            return false;
        }

    // The path: an absolute URL is another host that never gets the token (locations.closest).
    std::string_view tmpl = op.path;
    if (tmpl.rfind("http://", 0) == 0 || tmpl.rfind("https://", 0) == 0) {
        out.url = options.region_url;
        out.with_auth = false;
    } else {
        out.url.reserve(options.base_url.size() + tmpl.size() + 32);
        out.url = options.base_url;
        size_t i = 0;
        while (i < tmpl.size()) {
            size_t open = tmpl.find('{', i);
            if (open == std::string_view::npos) {
                out.url.append(tmpl.substr(i));
                break;
            }
            size_t close = tmpl.find('}', open);
            if (close == std::string_view::npos) {
                error = prefix(op) + "bad path template";
                return false;
            }
            out.url.append(tmpl.substr(i, open - i));
            std::string_view name = tmpl.substr(open + 1, close - open - 1);
            Lookup l = lookup(args, arg_count, params, name);
            std::string_view value;
            if (l.positional) {
                if (l.positional->is_bytes) {
                    error = where(op, name) + " must be a string";
                    return false;
                }
                value = l.positional->value;
            } else if (l.value) {
                if (l.value->kind != ValueKind::String) {
                    error = where(op, name) + " must be a string, not " + value_kind_name(l.value->kind);
                    return false;
                }
                value = l.value->text;
            } else if (name == "org" && !options.org.empty()) {
                value = options.org;
            } else {
                error = prefix(op) + "missing parameter '" + std::string(name) + "'" +
                        (name == "org" ? " (and the client has no default organization)" : "");
                return false;
            }
            if (value.empty()) {
                error = where(op, name) + " must not be empty";
                return false;
            }
            out.url += percent_encode_segment(value);
            if (out.url.size() > kMaxUrlBytes) {
                error = where(op, name) + too_long_for_url();
                return false;
            }
            i = close + 1;
        }
    }

    // Query string and body, in the table's order.
    char separator = '?';
    JsonPtr body;
    bool any_body_param = false;
    for (int j = 0; j < op.param_count; ++j) {
        const ParamSpec &spec = op.params[j];
        if (spec.kind == TP_PARAM_PATH) continue;
        if (spec.kind == TP_PARAM_BODY) any_body_param = true;
        Lookup l = lookup(args, arg_count, params, spec.name);
        std::string_view name = spec.name;
        if (!l.found()) {
            if (spec.required) {
                error = prefix(op) + "missing parameter '" + spec.name + "'";
                return false;
            }
            continue;
        }
        // A required value given empty is as good as missing (as the typed functions and path
        // parameters already say): "" for a group's name or a member's role, an empty dump file.
        if (spec.required) {
            bool empty = l.positional
                             ? l.positional->value.empty()
                             : (l.value->kind == ValueKind::String || l.value->kind == ValueKind::Bytes) &&
                                   l.value->text.empty();
            if (empty) {
                error = where(op, name) + " must not be empty";
                return false;
            }
        }
        if (spec.kind == TP_PARAM_QUERY) {
            std::string text;
            if (!query_value(l, text, error, op, name)) return false;
            out.url += separator;
            separator = '&';
            out.url += percent_encode_query(spec.wire);
            out.url += '=';
            out.url += percent_encode_query(text);
            if (out.url.size() > kMaxUrlBytes) {
                error = where(op, name) + too_long_for_url();
                return false;
            }
        } else if (spec.kind == TP_PARAM_BODY) {
            if (!body) {
                body.reset(cJSON_CreateObject());
                if (!body) throw std::bad_alloc();
            }
            if (!add_body_field(body.get(), spec.wire, l, error, op, name)) return false;
        } else if (spec.kind == TP_PARAM_FILE) {
            if (l.positional) {
                out.file.assign(l.positional->value);
            } else if (l.value->kind == ValueKind::Bytes || l.value->kind == ValueKind::String) {
                out.file = l.value->text;
            } else {
                error = where(op, name) + " must be bytes";
                return false;
            }
            out.multipart = true;
        }
    }
    if (body) {
        out.body = json_to_string(body.get(), false);
        out.has_body = true;
    } else if (any_body_param && !out.multipart) {
        out.body = "{}"; // the operation takes a JSON object even when every field is optional
        out.has_body = true;
    }
    return true;
}

bool build_raw_request(const Options &options, std::string_view method, std::string_view path,
                       std::string_view body, bool has_body, const Params *call_params, HttpRequest &out,
                       std::string &error) {
    out = HttpRequest();
    if (method.empty()) {
        error = "tp_request: method must not be empty";
        return false;
    }
    for (char c : method)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_')) {
            error = "tp_request: method must be letters only (e.g. \"GET\")";
            return false;
        }
    if (path.empty() || path.front() != '/') {
        error = "tp_request: path must start with '/' (absolute URLs are refused)";
        return false;
    }
    if (options.base_url.size() + path.size() > kMaxUrlBytes) {
        error = "tp_request: path" + too_long_for_url();
        return false;
    }
    if (body.size() > kMaxBodyBytes) {
        error = "tp_request: body_len is larger than " + std::to_string(kMaxBodyBytes) + " bytes";
        return false;
    }
    if (!is_valid_utf8(path)) {
        error = "tp_request: path is not valid UTF-8";
        return false;
    }
    for (char c : path)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == '#' || c == '\\') {
            error = "tp_request: path must be percent-encoded (no spaces, control characters, '#' or '\\')";
            return false;
        }
    out.method.assign(method);
    for (char &c : out.method)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    // GET and HEAD carry no body: libcurl would send one as a POST. "" is no body; more is refused.
    if (out.method == "GET" || out.method == "HEAD") {
        if (has_body && !body.empty()) {
            error = "tp_request: a " + out.method + " request cannot have a body (pass NULL or length 0)";
            return false;
        }
        has_body = false;
    }
    out.url = options.base_url;
    out.url.append(path);
    if (has_body) {
        out.body.assign(body);
        out.has_body = true;
    }
    if (call_params) {
        out.cancel = call_params->cancel;
        out.timeout_ms = call_params->timeout_ms;
    }
    return true;
}

} // namespace turso::platform
