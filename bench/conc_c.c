/*
 * Concurrent throughput through the C API: N calls of GET /v1/locations with C in flight.
 *
 *   conc_c batch   BASE_URL TOKEN N C    one tp_batch of N calls, tp_batch_set_concurrency(C)
 *   conc_c threads BASE_URL TOKEN N C    C threads sharing one tp_client, calling until N are done
 *
 * The time covers building the batch (or starting the threads), running it and checking every
 * result. Prints: calls=N seconds=S errors=E
 */
#include <pthread.h>
#include <stdatomic.h>

#include "bench_common.h"

static long run_batch(tp_client *client, long n, int concurrency) {
  tp_batch *batch = NULL;
  bench_check(tp_batch_new(client, &batch), "tp_batch_new");
  for (long i = 0; i < n; i++) bench_check(tp_batch_add(batch, "locations.list", NULL, NULL), "tp_batch_add");
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

struct shared {
  tp_client *client;
  long n;
  atomic_long next;
  atomic_long errors;
  atomic_int reported;
};

static void *worker(void *arg) {
  struct shared *shared = arg;
  while (atomic_fetch_add(&shared->next, 1) < shared->n) {
    tp_result *result = NULL;
    if (tp_locations_list(shared->client, NULL, &result) != TP_OK) {
      if (atomic_exchange(&shared->reported, 1) == 0) {
        int once = 0;
        bench_report_failure(result, &once);
      }
      atomic_fetch_add(&shared->errors, 1);
    }
    tp_result_free(result);
  }
  return NULL;
}

static long run_threads(tp_client *client, long n, int concurrency) {
  struct shared shared = {.client = client, .n = n};
  atomic_init(&shared.next, 0);
  atomic_init(&shared.errors, 0);
  atomic_init(&shared.reported, 0);
  pthread_t *threads = calloc((size_t)concurrency, sizeof *threads);
  for (int i = 0; i < concurrency; i++) {
    if (pthread_create(&threads[i], NULL, worker, &shared) != 0) {
      fprintf(stderr, "pthread_create failed\n");
      exit(1);
    }
  }
  for (int i = 0; i < concurrency; i++) pthread_join(threads[i], NULL);
  free(threads);
  return atomic_load(&shared.errors);
}

/* Opens `concurrency` connections before timing, as wrk does, so no mode pays for connecting.
 * Each mode warms up the way it runs: a batch's connections live in the batch's multi handle and
 * a thread's in its pooled handle, so warming the threads with a batch would leave `concurrency`
 * idle connections open beside the ones the threads open (and turso-local, one pool thread per
 * open connection, 64 threads, then stalls the new ones until the idle ones time out). */
static void warm_up(tp_client *client, int use_batch, int concurrency) {
  if (!use_batch) {
    if (run_threads(client, (long)concurrency * 4, concurrency) != 0) {
      fprintf(stderr, "warm-up calls failed\n");
      exit(1);
    }
    return;
  }
  tp_batch *batch = NULL;
  bench_check(tp_batch_new(client, &batch), "tp_batch_new");
  for (int i = 0; i < concurrency * 4; i++) bench_check(tp_batch_add(batch, "locations.list", NULL, NULL), "tp_batch_add");
  bench_check(tp_batch_set_concurrency(batch, concurrency), "tp_batch_set_concurrency");
  bench_check(tp_batch_run(batch), "tp_batch_run");
  tp_batch_free(batch);
}

int main(int argc, char **argv) {
  if (argc < 6 || (strcmp(argv[1], "batch") != 0 && strcmp(argv[1], "threads") != 0)) {
    fprintf(stderr, "usage: %s batch|threads BASE_URL TOKEN N C\n", argv[0]);
    return 2;
  }
  int use_batch = strcmp(argv[1], "batch") == 0;
  long n = bench_arg_long(argv[4], "N");
  int concurrency = (int)bench_arg_long(argv[5], "C");
  if (concurrency < 1) concurrency = 1;

  tp_client *client = bench_client(argv[2], argv[3], concurrency);
  warm_up(client, use_batch, concurrency);
  double start = bench_now();
  long errors = use_batch ? run_batch(client, n, concurrency) : run_threads(client, n, concurrency);
  double seconds = bench_now() - start;
  printf("calls=%ld seconds=%.6f errors=%ld\n", n, seconds, errors);
  tp_client_free(client);
  return errors ? 1 : 0;
}
