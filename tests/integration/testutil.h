/* Helpers shared by the CMocka tests: clients pointed at a fixture, and small JSON checks. */
#ifndef TP_TEST_UTIL_H
#define TP_TEST_UTIL_H

#include "fixture.h"
#include "turso_platform.h"

#define TU_TOKEN "tok-3f9c1e-secret"

/* Options aimed at `base_url` with token TU_TOKEN, retries (3 attempts, 1 ms base delay) and a
 * 10 s timeout; the test may change them before tu_client. Aborts on failure. */
tp_options *tu_options(const char *base_url);
/* A client from `options`, which it frees. Aborts on failure. */
tp_client *tu_client(tp_options *options);
/* tu_client(tu_options(fx_url(server))). */
tp_client *tu_fixture_client(fx_server *server);

/* 1 when `haystack` contains `needle`; NULL-safe (0). */
int tu_contains(const char *haystack, const char *needle);

#endif
