/* libFuzzer target: the public tp_params_* setters and tp_call's argument checks, in C, as a
 * binding would call them. Each input is a script of setter calls; then tp_call of a fuzzed
 * operation on a client whose base and region URLs refuse connections at once (port 1),
 * with one attempt. Properties: a setter refuses exactly the names and strings the header says
 * (NULL/empty name, non-UTF-8 text, JSON that does not parse) and every call hands back a result
 * whose status equals its return value and whose message is never NULL. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "turso_platform.h"

#include "require.h"

static tp_client *client;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    tp_options *o = NULL;
    tp_options_new(&o);
    tp_options_set_base_url(o, "http://127.0.0.1:1");
    tp_options_set_region_url(o, "http://127.0.0.1:1/"); /* locations.closest: stay local */
    tp_options_set_token(o, "fuzz-token");
    tp_options_set_org(o, "fuzz-org");
    tp_options_set_retry(o, 1, 1);
    tp_options_set_connect_timeout_ms(o, 200);
    tp_client_new(o, &client);
    tp_options_free(o);
    return 0;
}

/* A NUL-terminated copy of the next length-prefixed piece. */
static char *piece(const uint8_t **p, size_t *n) {
    size_t len = *n ? (**p % 40) : 0;
    if (*n) {
        (*p)++;
        (*n)--;
    }
    if (len > *n) len = *n;
    char *s = malloc(len + 1);
    memcpy(s, *p, len);
    s[len] = 0;
    *p += len;
    *n -= len;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    const uint8_t *p = data;
    size_t n = size;
    int32_t op = (int32_t)(*p++ % (uint8_t)(tp_op_count() + 1)); /* op_count = an unknown id */
    n--;
    tp_params *params = NULL;
    REQUIRE(tp_params_new(&params) == TP_OK);
    while (n > 1) {
        uint8_t tag = *p++;
        n--;
        char *name = NULL;
        if ((tag >> 3) % 4 != 0 && op < tp_op_count() && tp_op_param_count(op) > 0)
            name = strdup(tp_op_param_name(op, (int32_t)((tag >> 5) % (uint8_t)tp_op_param_count(op))));
        else
            name = piece(&p, &n);
        char *text = piece(&p, &n);
        tp_status st;
        switch (tag & 7) {
        case 0:
            st = tp_params_set_string(params, name, text);
            break;
        case 1:
            st = tp_params_set_int64(params, name, (int64_t)strlen(text) * 1000003);
            break;
        case 2:
            st = tp_params_set_double(params, name, (double)strlen(text) / 3.0);
            break;
        case 3:
            st = tp_params_set_bool(params, name, (int32_t)strlen(text));
            break;
        case 4:
            st = tp_params_set_null(params, name);
            break;
        case 5:
            st = tp_params_set_json(params, name, text);
            break;
        case 6:
            st = tp_params_set_bytes(params, name, text, strlen(text));
            break;
        default:
            st = tp_params_clear(params);
            break;
        }
        if (name[0] == 0 && (tag & 7) != 7) REQUIRE(st == TP_E_INVALID_ARGUMENT);
        REQUIRE(st == TP_OK || st == TP_E_INVALID_ARGUMENT);
        free(name);
        free(text);
    }
    tp_result *r = NULL;
    const char *id = op < tp_op_count() ? tp_op_id(op) : "no.such.operation";
    tp_status st = tp_call(client, id, params, &r);
    REQUIRE(r != NULL);
    REQUIRE(tp_result_status(r) == st);
    REQUIRE(tp_result_message(r) != NULL);
    REQUIRE(st != TP_OK); /* nothing listens: it can never succeed */
    if (op == tp_op_count()) REQUIRE(st == TP_E_INVALID_ARGUMENT);
    tp_result_free(r);
    tp_params_free(params);
    return 0;
}
