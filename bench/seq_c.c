/*
 * Sequential calls on one client through the C API: GET /v1/locations (locations.list), N times.
 *
 *   seq_c BASE_URL TOKEN N [WARMUP]
 *
 * Prints: calls=N seconds=S errors=E
 */
#include "bench_common.h"

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s BASE_URL TOKEN N [WARMUP]\n", argv[0]);
    return 2;
  }
  const char *base_url = argv[1];
  const char *token = argv[2];
  long n = bench_arg_long(argv[3], "N");
  long warmup = argc > 4 ? bench_arg_long(argv[4], "WARMUP") : 50;

  tp_client *client = bench_client(base_url, token, 1);
  long errors = 0;
  int reported = 0;
  double start = bench_now();
  for (long i = 0; i < warmup + n; i++) {
    if (i == warmup) start = bench_now();
    tp_result *result = NULL;
    if (tp_locations_list(client, NULL, &result) != TP_OK) {
      bench_report_failure(result, &reported);
      errors++;
    }
    tp_result_free(result);
  }
  double seconds = bench_now() - start;
  printf("calls=%ld seconds=%.6f errors=%ld\n", n, seconds, errors);
  tp_client_free(client);
  return errors ? 1 : 0;
}
