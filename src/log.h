// The log sink of a client: one line per event, never the token (nothing here ever sees it).
#pragma once

#include <string>

#include "options.h"

namespace turso::platform {

inline bool log_enabled(const Options &options, int32_t level) {
    return options.log_fn && level <= options.log_level;
}

inline void log_line(const Options &options, int32_t level, const std::string &message) {
    if (log_enabled(options, level)) options.log_fn(options.log_userdata, level, message.c_str());
}

} // namespace turso::platform
