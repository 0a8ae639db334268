// cJSON behind RAII, plus the few builders the routes use.
#pragma once
#include <cjson/cJSON.h>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tl {

struct JsonFree {
    void operator()(cJSON *j) const { cJSON_Delete(j); }
};
using Json = std::unique_ptr<cJSON, JsonFree>;

Json json_object();
Json json_array();
Json json_parse(const std::string &text); // null Json if not valid JSON
std::string json_print(const cJSON *j);   // compact

// Builders: each adds one member to obj (an object) and returns obj.
cJSON *jstr(cJSON *obj, const char *key, const std::string &value);
cJSON *jint(cJSON *obj, const char *key, int64_t value);
cJSON *jbool(cJSON *obj, const char *key, bool value);
cJSON *jnull(cJSON *obj, const char *key);
cJSON *jstrs(cJSON *obj, const char *key, const std::vector<std::string> &values);
cJSON *jput(cJSON *obj, const char *key, Json value); // takes ownership of value
void jpush(cJSON *array, Json value);                 // takes ownership of value

// {"key": value}: the wrapper most answers use.
Json jwrap(const char *key, Json value);

} // namespace tl
