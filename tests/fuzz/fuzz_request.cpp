// libFuzzer target: building a call's HTTP request (src/request.h) from any operation and any
// arguments, and checking base URLs (src/options.h).
// Properties: a built URL stays under the base URL (or the region URL for locations.closest,
// which must then carry no token), keeps the template's number of path segments whatever the
// arguments hold (so "/" or ".." in a name cannot reach another route), and a JSON body is
// always a JSON object; a refused call names its problem.
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "encoding.h"
#include "json.h"
#include "operations.h"
#include "options.h"
#include "params.h"
#include "request.h"

namespace tp = turso::platform;

#include "require.h"

// Reads length-prefixed pieces off the input.
struct Reader {
    const uint8_t *p;
    size_t n;
    bool more() const { return n > 0; }
    uint8_t byte() {
        if (!n) return 0;
        n--;
        return *p++;
    }
    std::string piece() {
        size_t len = byte() % 48;
        if (len > n) len = n;
        std::string s(reinterpret_cast<const char *>(p), len);
        p += len;
        n -= len;
        return s;
    }
};

static size_t slashes(std::string_view s) {
    size_t q = s.find('?');
    if (q != std::string_view::npos) s = s.substr(0, q);
    size_t k = 0;
    for (char c : s)
        k += c == '/';
    return k;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    Reader in{data, size};
    tp::Options options;
    options.base_url = "http://api.example:8080/base";
    options.org = in.byte() & 1 ? "default-org" : "";

    // Base URL checks: anything accepted is an absolute http(s) URL without query or fragment.
    std::string url_in = in.piece(), normalized, error;
    if (tp::normalize_base_url(url_in, normalized, error)) {
        // "scheme://host...": the scheme in any case, then an authority (not "https:/h" nor "https:///h").
        std::string lower = normalized.substr(0, 8);
        for (char &ch : lower)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        size_t after = lower.rfind("http://", 0) == 0 ? 7 : lower.rfind("https://", 0) == 0 ? 8 : 0;
        REQUIRE(after > 0 && normalized.size() > after && normalized[after] != '/');
        REQUIRE(normalized.find_first_of("?#") == std::string::npos);
        REQUIRE(normalized.empty() || normalized.back() != '/');
        // No userinfo (it would be echoed in logs) and no backslash (parsers disagree on it).
        REQUIRE(normalized.find('\\') == std::string::npos);
        REQUIRE(normalized.substr(after, normalized.find('/', after) - after).find('@') == std::string::npos);
    } else {
        REQUIRE(!error.empty());
    }

    const tp::Operation *op = tp::operation_at(in.byte() % tp::operation_count());
    REQUIRE(op != nullptr);

    // Positional arguments for the required parameters, then named ones (known names or not).
    std::vector<std::string> texts;
    texts.reserve(64);
    std::vector<tp::PositionalArg> args;
    args.reserve(op->param_count);
    for (int i = 0; i < op->param_count; i++) {
        if (!op->params[i].required || (in.byte() & 7) == 0) continue;
        std::string s = in.piece();
        if (!tp::is_valid_utf8(s) || s.find('\0') != std::string::npos) continue; // the C ABI refuses these
        texts.push_back(s);
        args.push_back({op->params[i].name, texts.back(), op->params[i].kind == TP_PARAM_FILE});
    }
    tp::Params params;
    while (in.more()) {
        uint8_t tag = in.byte();
        int which = (tag >> 3) % (op->param_count + 1);
        std::string name = which < op->param_count ? op->params[which].name : in.piece();
        if (name.empty()) continue;
        tp::ParamValue v;
        std::string s = in.piece();
        switch (tag & 7) {
        case 0:
            v.kind = tp::ValueKind::String;
            v.text = s;
            break;
        case 1:
            v.kind = tp::ValueKind::Int;
            v.integer = static_cast<int64_t>(std::hash<std::string>{}(s));
            break;
        case 2:
            v.kind = tp::ValueKind::Double;
            v.number = static_cast<double>(std::hash<std::string>{}(s)) / 7.0;
            break;
        case 3:
            v.kind = tp::ValueKind::Bool;
            v.boolean = !s.empty();
            break;
        case 4:
            v.kind = tp::ValueKind::Null;
            break;
        case 5:
            v.kind = tp::ValueKind::Json;
            v.text = s;
            break;
        default:
            v.kind = tp::ValueKind::Bytes;
            v.text = s;
            break;
        }
        // What tp_params_set_* would refuse never reaches the builder.
        if ((v.kind == tp::ValueKind::String || v.kind == tp::ValueKind::Json) &&
            (!tp::is_valid_utf8(s) || s.find('\0') != std::string::npos))
            continue;
        if (v.kind == tp::ValueKind::Json && !tp::parse_json(s)) continue;
        params.set(name, v);
    }

    tp::HttpRequest req;
    std::string why;
    bool ok = tp::build_operation_request(options, *op, args.data(), args.size(), &params, req, why);
    if (!ok) {
        REQUIRE(!why.empty());
        return 0;
    }
    std::string_view tmpl = op->path;
    if (tmpl.rfind("https://", 0) == 0 || tmpl.rfind("http://", 0) == 0) {
        REQUIRE(!req.with_auth); // another host never gets the token
        REQUIRE(req.url.rfind(options.region_url, 0) == 0);
    } else {
        REQUIRE(req.with_auth);
        REQUIRE(req.url.rfind(options.base_url + "/", 0) == 0);
        std::string_view rest = std::string_view(req.url).substr(options.base_url.size());
        REQUIRE(slashes(rest) == slashes(tmpl));
        REQUIRE(rest.find("/../") == std::string_view::npos && rest.find("/./") == std::string_view::npos);
    }
    REQUIRE(req.method == op->method);
    if (req.has_body && !req.multipart) {
        tp::JsonPtr body = tp::parse_json(req.body);
        REQUIRE(body && cJSON_IsObject(body.get()));
    }
    return 0;
}
