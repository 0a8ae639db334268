// Names and sentences of tp_status codes, and the status an HTTP code maps to.
#pragma once

#include "turso_platform.h"

namespace turso::platform {

const char *status_name(tp_status status);
const char *status_message(tp_status status);
// TP_OK for 2xx; TP_E_BAD_REQUEST for 400, ... TP_E_SERVER for 5xx, TP_E_HTTP for the rest.
tp_status status_for_http(long http_status);

} // namespace turso::platform
