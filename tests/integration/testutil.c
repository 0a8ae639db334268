/* Helpers shared by the CMocka tests (testutil.h). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(tp_status st, const char *what) {
    if (st != TP_OK) {
        fprintf(stderr, "%s failed: %s\n", what, tp_status_name(st));
        abort();
    }
}

tp_options *tu_options(const char *base_url) {
    tp_options *o = NULL;
    check(tp_options_new(&o), "tp_options_new");
    check(tp_options_set_base_url(o, base_url), "tp_options_set_base_url");
    check(tp_options_set_token(o, TU_TOKEN), "tp_options_set_token");
    check(tp_options_set_retry(o, 3, 1), "tp_options_set_retry");
    check(tp_options_set_timeout_ms(o, 10000), "tp_options_set_timeout_ms");
    return o;
}

tp_client *tu_client(tp_options *options) {
    tp_client *c = NULL;
    check(tp_client_new(options, &c), "tp_client_new");
    tp_options_free(options);
    return c;
}

tp_client *tu_fixture_client(fx_server *server) {
    return tu_client(tu_options(fx_url(server)));
}

int tu_contains(const char *haystack, const char *needle) {
    return haystack && needle && strstr(haystack, needle) != NULL;
}
