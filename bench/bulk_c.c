/*
 * Bulk provisioning through the C API, in three tp_batch runs of N calls with C in flight:
 * create N databases in group "default", mint a token for each, delete them.
 *
 *   bulk_c BASE_URL TOKEN N C PREFIX [PHASES]
 *
 * PHASES is a comma list of create, token, delete (default: all three). "create" alone is how
 * the footprint benchmark fills a server with databases. Database names are PREFIX-<i>.
 * Prints: calls=<all calls> seconds=<total> errors=E create_s=.. token_s=.. delete_s=..
 */
#include "bench_common.h"

static const char *const phase_names[] = {"create", "token", "delete"};
static const char *const phase_ops[] = {"databases.create", "databases.create_token", "databases.delete"};

static long run_phase(tp_client *client, int phase, long n, int concurrency, const char *prefix) {
  tp_batch *batch = NULL;
  tp_params *params = NULL;
  bench_check(tp_batch_new(client, &batch), "tp_batch_new");
  bench_check(tp_params_new(&params), "tp_params_new");
  char name[256];
  for (long i = 0; i < n; i++) {
    snprintf(name, sizeof name, "%s-%ld", prefix, i);
    bench_check(tp_params_clear(params), "tp_params_clear");
    if (phase == 0) {
      bench_check(tp_params_set_string(params, "name", name), "tp_params_set_string");
      bench_check(tp_params_set_string(params, "group", "default"), "tp_params_set_string");
    } else {
      bench_check(tp_params_set_string(params, "db", name), "tp_params_set_string");
    }
    bench_check(tp_batch_add(batch, phase_ops[phase], params, NULL), "tp_batch_add");
  }
  tp_params_free(params);
  bench_check(tp_batch_set_concurrency(batch, concurrency), "tp_batch_set_concurrency");
  bench_check(tp_batch_run(batch), "tp_batch_run");
  long errors = 0;
  int reported = 0;
  for (int32_t i = 0; i < tp_batch_size(batch); i++) {
    const tp_result *result = tp_batch_result(batch, i);
    if (tp_result_status(result) != TP_OK) {
      bench_report_failure(result, &reported);
      errors++;
    }
  }
  tp_batch_free(batch);
  return errors;
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: %s BASE_URL TOKEN N C PREFIX [create,token,delete]\n", argv[0]);
    return 2;
  }
  long n = bench_arg_long(argv[3], "N");
  int concurrency = (int)bench_arg_long(argv[4], "C");
  const char *prefix = argv[5];
  const char *phases = argc > 6 ? argv[6] : "create,token,delete";

  tp_client *client = bench_client(argv[1], argv[2], concurrency);
  long errors = 0, calls = 0;
  double total = 0;
  char timings[256] = "";
  for (int phase = 0; phase < 3; phase++) {
    if (!strstr(phases, phase_names[phase])) continue;
    double start = bench_now();
    errors += run_phase(client, phase, n, concurrency, prefix);
    double seconds = bench_now() - start;
    total += seconds;
    calls += n;
    size_t used = strlen(timings);
    snprintf(timings + used, sizeof timings - used, " %s_s=%.6f", phase_names[phase], seconds);
  }
  printf("calls=%ld seconds=%.6f errors=%ld%s\n", calls, total, errors, timings);
  tp_client_free(client);
  return errors ? 1 : 0;
}
