/* The platform token goes only to the base URL's scheme, host and port: a redirect to another
 * host (127.0.0.2 is another host than 127.0.0.1) or another port must not carry Authorization.
 * The base host itself must get it, or the test proves nothing. */
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "turso_platform.h"

#define TOKEN "redirect-test-token-0b7d"

#include "check.h"

static void redirect_to(const char *target_ip, const char *what) {
    fx_server *target = fx_start(target_ip, FX_RESPOND, 200, NULL, "{\"exp\":-1}");
    char location[256];
    snprintf(location, sizeof location, "Location: http://%s:%d/v1/auth/validate\r\n", target_ip,
             fx_port(target));
    fx_server *origin = fx_start("127.0.0.1", FX_RESPOND, 307, location, "{}");
    if (!target || !origin) {
        failures++;
        return;
    }
    char base[128];
    snprintf(base, sizeof base, "http://127.0.0.1:%d", fx_port(origin));
    tp_options *o = NULL;
    tp_client *c = NULL;
    tp_options_new(&o);
    tp_options_set_base_url(o, base);
    tp_options_set_token(o, TOKEN);
    tp_options_set_retry(o, 1, 10);
    tp_options_set_timeout_ms(o, 10000);
    tp_client_new(o, &c);
    tp_options_free(o);

    tp_result *r = NULL;
    tp_status st = tp_tokens_validate(c, NULL, &r);
    printf("%s: %s, HTTP %d, origin saw %d request(s), target saw %d\n", what, tp_status_name(st),
           tp_result_http_status(r), fx_requests(origin), fx_requests(target));
    CHECK(fx_requests(origin) == 1, "origin saw %d requests", fx_requests(origin));
    CHECK(fx_saw_header(origin, "Authorization"), "the base host never got the token");
    CHECK(!fx_saw_header(target, "Authorization"), "%s: Authorization sent after a redirect", what);
    /* Followed (the target answered) or not (the 307 is the answer): either is safe. */
    CHECK(st == TP_OK || tp_result_http_status(r) == 307, "%s: %s", tp_status_name(st), tp_result_message(r));
    CHECK(strstr(tp_result_message(r), TOKEN) == NULL, "the token is in the message");
    tp_result_free(r);
    tp_client_free(c);
    fx_stop(origin);
    fx_stop(target);
}

int main(void) {
    redirect_to("127.0.0.2", "another host");
    redirect_to("127.0.0.1", "same host, another port");
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
