/*
 * Helpers shared by the C benchmark programs. They use only the public header.
 *
 * Every program prints one line on stdout of space-separated key=value pairs, e.g.
 *   calls=5000 seconds=0.4123 errors=0
 * which bench/run.py reads. Timing covers only the measured calls (after the warm-up).
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "turso_platform.h"

static inline double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline long bench_arg_long(const char *text, const char *what) {
  char *end = NULL;
  long value = strtol(text, &end, 10);
  if (end == text || *end != '\0' || value < 0) {
    fprintf(stderr, "bad %s: %s\n", what, text);
    exit(2);
  }
  return value;
}

static inline void bench_check(tp_status status, const char *what) {
  if (status != TP_OK) {
    fprintf(stderr, "%s: %s\n", what, tp_status_name(status));
    exit(1);
  }
}

/* A client on base_url with token and organization "local", keeping up to max_connections
 * connections open, no retries (a failed call must show up as an error, not as latency). */
static inline tp_client *bench_client(const char *base_url, const char *token, int max_connections) {
  tp_options *options = NULL;
  tp_client *client = NULL;
  bench_check(tp_options_new(&options), "tp_options_new");
  bench_check(tp_options_set_base_url(options, base_url), "tp_options_set_base_url");
  bench_check(tp_options_set_token(options, token), "tp_options_set_token");
  bench_check(tp_options_set_org(options, "local"), "tp_options_set_org");
  bench_check(tp_options_set_retry(options, 1, 100), "tp_options_set_retry");
  if (max_connections < 16) max_connections = 16;
  bench_check(tp_options_set_max_connections(options, max_connections), "tp_options_set_max_connections");
  bench_check(tp_client_new(options, &client), "tp_client_new");
  tp_options_free(options);
  return client;
}

/* Prints the first failure of a run once, so a broken run is visible, not just counted. */
static inline void bench_report_failure(const tp_result *result, int *reported) {
  if (*reported) return;
  *reported = 1;
  fprintf(stderr, "call failed: %s (HTTP %d): %s\n", tp_status_name(tp_result_status(result)),
          (int)tp_result_http_status(result), tp_result_message(result));
}

#endif
