#include "result.h"

#include <strings.h>

namespace turso::platform {

const char *Result::header(std::string_view name) const {
    for (const auto &h : headers)
        if (h.first.size() == name.size() && strncasecmp(h.first.data(), name.data(), name.size()) == 0)
            return h.second.c_str();
    return nullptr;
}

} // namespace turso::platform
