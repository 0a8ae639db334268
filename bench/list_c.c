/*
 * Lists every database of the organization through the C API (databases.list, following
 * pagination.next with "cursor" when the server pages), and prints how many it saw. The runner
 * measures its peak RSS. Built twice: list_c against the shared library, tp_list_static against
 * libturso_platform.a (the "small static tool" of the footprint benchmark).
 *
 *   list_c BASE_URL TOKEN
 *
 * Prints: databases=COUNT seconds=S errors=E
 */
#include "bench_common.h"

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s BASE_URL TOKEN\n", argv[0]);
    return 2;
  }
  tp_client *client = bench_client(argv[1], argv[2], 1);
  tp_params *params = NULL;
  bench_check(tp_params_new(&params), "tp_params_new");
  size_t count = 0;
  long errors = 0;
  double start = bench_now();
  for (;;) {
    tp_result *result = NULL;
    if (tp_databases_list(client, NULL, params, &result) != TP_OK) {
      int reported = 0;
      bench_report_failure(result, &reported);
      errors++;
      tp_result_free(result);
      break;
    }
    const tp_value *root = tp_result_value(result);
    count += tp_value_length(tp_value_get(root, "databases"));
    const char *next = tp_value_string(tp_value_path(root, "pagination.next"));
    if (!next || !*next) {
      tp_result_free(result);
      break;
    }
    bench_check(tp_params_set_string(params, "cursor", next), "tp_params_set_string");
    tp_result_free(result);
  }
  double seconds = bench_now() - start;
  printf("databases=%zu seconds=%.6f errors=%ld\n", count, seconds, errors);
  tp_params_free(params);
  tp_client_free(client);
  return errors ? 1 : 0;
}
