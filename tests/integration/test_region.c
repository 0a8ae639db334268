/* locations.closest goes to the region URL, never with the platform token. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static void test_closest_goes_to_region_without_token(void **state) {
    (void)state;
    fx_server *api = fx_start(), *region = fx_start();
    char region_url[80];
    snprintf(region_url, sizeof region_url, "%s/", fx_url(region));
    tp_options *o = tu_options(fx_url(api));
    assert_int_equal(tp_options_set_region_url(o, region_url), TP_OK);
    tp_client *c = tu_client(o);
    fx_push(region, 200, NULL, "{\"server\":\"ams\",\"client\":\"fra\"}", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_locations_closest(c, NULL, &r), TP_OK);
    assert_string_equal(tp_value_string(tp_value_get(tp_result_value(r), "server")), "ams");
    tp_result_free(r);
    assert_int_equal(fx_request_count(api), 0);
    assert_int_equal(fx_request_count(region), 1);
    const fx_request *q = fx_request_at(region, 0);
    assert_string_equal(q->method, "GET");
    assert_string_equal(q->target, "/");
    char *auth = fx_header(q, "Authorization");
    assert_null(auth);
    /* Through tp_call too. */
    r = NULL;
    assert_int_equal(tp_call(c, "locations.closest", NULL, &r), TP_OK);
    tp_result_free(r);
    auth = fx_header(fx_request_at(region, 1), "Authorization");
    assert_null(auth);
    assert_int_equal(fx_request_count(api), 0);
    tp_client_free(c);
    fx_stop(api);
    fx_stop(region);
}

static void test_token_stays_on_base_host(void **state) {
    (void)state;
    /* Same host and scheme, other port: a different origin, so no token. */
    fx_server *api = fx_start(), *other = fx_start();
    tp_options *o = tu_options(fx_url(api));
    assert_int_equal(tp_options_set_region_url(o, fx_url(other)), TP_OK);
    tp_client *c = tu_client(o);
    tp_result *r = NULL;
    assert_int_equal(tp_locations_closest(c, NULL, &r), TP_OK);
    tp_result_free(r);
    r = NULL;
    assert_int_equal(tp_locations_list(c, NULL, &r), TP_OK);
    tp_result_free(r);
    char *auth = fx_header(fx_request_at(other, 0), "Authorization");
    assert_null(auth);
    auth = fx_header(fx_request_at(api, 0), "Authorization");
    assert_string_equal(auth, "Bearer " TU_TOKEN);
    free(auth);
    tp_client_free(c);
    fx_stop(api);
    fx_stop(other);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closest_goes_to_region_without_token),
        cmocka_unit_test(test_token_stays_on_base_host),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
