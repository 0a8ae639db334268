#include "json.hpp"

#include <new>

namespace tl {

static cJSON *checked(cJSON *j) {
    if (!j) throw std::bad_alloc();
    return j;
}

Json json_object() {
    return Json(checked(cJSON_CreateObject()));
}
Json json_array() {
    return Json(checked(cJSON_CreateArray()));
}

Json json_parse(const std::string &text) {
    const char *end = nullptr;
    Json j(cJSON_ParseWithLengthOpts(text.data(), text.size(), &end, 0));
    // One value and nothing after it but whitespace: cJSON stops at the end of the first value.
    if (j && end)
        for (const char *p = end; p < text.data() + text.size(); ++p)
            if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') return Json();
    return j;
}

std::string json_print(const cJSON *j) {
    char *text = cJSON_PrintUnformatted(j);
    if (!text) throw std::bad_alloc();
    std::string out(text);
    cJSON_free(text);
    return out;
}

cJSON *jstr(cJSON *obj, const char *key, const std::string &value) {
    checked(cJSON_AddStringToObject(obj, key, value.c_str()));
    return obj;
}

cJSON *jint(cJSON *obj, const char *key, int64_t value) {
    checked(cJSON_AddNumberToObject(obj, key, static_cast<double>(value)));
    return obj;
}

cJSON *jbool(cJSON *obj, const char *key, bool value) {
    checked(cJSON_AddBoolToObject(obj, key, value ? 1 : 0));
    return obj;
}

cJSON *jnull(cJSON *obj, const char *key) {
    checked(cJSON_AddNullToObject(obj, key));
    return obj;
}

cJSON *jstrs(cJSON *obj, const char *key, const std::vector<std::string> &values) {
    Json arr = json_array();
    for (const auto &v : values)
        cJSON_AddItemToArray(arr.get(), checked(cJSON_CreateString(v.c_str())));
    return jput(obj, key, std::move(arr));
}

cJSON *jput(cJSON *obj, const char *key, Json value) {
    if (!cJSON_AddItemToObject(obj, key, value.get())) throw std::bad_alloc();
    value.release();
    return obj;
}

void jpush(cJSON *array, Json value) {
    if (!cJSON_AddItemToArray(array, value.get())) throw std::bad_alloc();
    value.release();
}

Json jwrap(const char *key, Json value) {
    Json o = json_object();
    jput(o.get(), key, std::move(value));
    return o;
}

} // namespace tl
