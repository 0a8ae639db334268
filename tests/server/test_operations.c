/* Every operation of the client's table succeeds against turso-local. Arguments are derived
 * from each operation's parameter names (tp_op_param_*); what they refer to is created fresh
 * first, so each operation runs alone and in any order. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "support.h"

static tlt_env *g_env;
static int32_t g_ops[512];

/* One cmocka test per operation, named by its id; its state points at the operation index. */
static void test_operation(void **state) {
    int32_t op = *(int32_t *)*state;
    tlt_args a;
    tlt_derive(g_env, op, &a);
    tp_result *r = NULL;
    tp_call(g_env->owner, tp_op_id(op), a.params, &r);
    tp_params_free(a.params);
    tlt_expect(r, TP_OK, tp_op_id(op));
    /* A body, when there is one, is a JSON object or array (else: TP_E_BAD_RESPONSE above). */
    size_t len = 0;
    tp_result_body(r, &len);
    if (len) assert_true(tp_value_type_of(tp_result_value(r)) >= TP_VALUE_ARRAY);
    tp_result_free(r);
}

static int setup(void **state) {
    (void)state;
    g_env = tlt_start();
    return 0;
}

static int teardown(void **state) {
    (void)state;
    tlt_stop(g_env);
    return 0;
}

int main(void) {
    static struct CMUnitTest tests[512];
    size_t n = 0, skipped = 0;
    for (int32_t op = 0; op < tp_op_count() && n < 512; op++) {
        /* Only locations.closest lives outside the API (another host): nothing local answers it. */
        if (tp_op_path(op)[0] != '/') {
            skipped++;
            continue;
        }
        g_ops[n] = op;
        tests[n] = (struct CMUnitTest){tp_op_id(op), test_operation, NULL, NULL, &g_ops[n]};
        n++;
    }
    if (skipped != 1 || n + skipped != (size_t)tp_op_count()) {
        fprintf(stderr, "expected exactly one operation outside the API, found %zu\n", skipped);
        return 1;
    }
    return _cmocka_run_group_tests("operations", tests, n, setup, teardown);
}
