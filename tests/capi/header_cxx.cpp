// Compiled as C++17 with -pedantic -Werror by ctest: the header is usable from C++.
#include "turso_platform.h"

#include <type_traits>

static_assert(std::is_same<tp_status, int32_t>::value, "tp_status is an int32_t");
static_assert(std::is_same<tp_value_type, int32_t>::value, "tp_value_type is an int32_t");

int header_check() {
    tp_client *client = nullptr;
    tp_status st = tp_client_new(nullptr, &client);
    tp_client_free(client);
    return st == TP_OK ? 0 : 1;
}
