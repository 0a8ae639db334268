/*
 * The floor for concurrent calls: a plain libcurl multi loop with C easy handles, each sending
 * the same request as the library (GET /v1/locations with Authorization) over its own kept-alive
 * connection, body discarded, no JSON parsing, nothing kept per call. What any libcurl-based
 * client can reach at best on this machine; compare tp_batch with it, and it with wrk.
 *
 *   conc_curl BASE_URL TOKEN N C
 *
 * 4*C warm-up calls open the connections before timing. Prints: calls=N seconds=S errors=E
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static size_t discard(char *data, size_t size, size_t count, void *userdata) {
  (void)data;
  (void)userdata;
  return size * count;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: %s BASE_URL TOKEN N C\n", argv[0]);
    return 2;
  }
  long n = strtol(argv[3], NULL, 10);
  int c = (int)strtol(argv[4], NULL, 10);
  if (c < 1) c = 1;
  char url[1024], auth[1024];
  snprintf(url, sizeof url, "%s/v1/locations", argv[1]);
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", argv[2]);

  curl_global_init(CURL_GLOBAL_DEFAULT);
  struct curl_slist *headers = curl_slist_append(NULL, auth);
  headers = curl_slist_append(headers, "Accept: application/json");
  CURLM *multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)c);
  CURL **easy = calloc((size_t)c, sizeof *easy);
  for (int i = 0; i < c; i++) {
    easy[i] = curl_easy_init();
    curl_easy_setopt(easy[i], CURLOPT_URL, url);
    curl_easy_setopt(easy[i], CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy[i], CURLOPT_USERAGENT, "conc_curl");
    curl_easy_setopt(easy[i], CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy[i], CURLOPT_WRITEFUNCTION, discard);
  }

  long warmup = 4L * c, total = warmup + n, started = 0, done = 0, errors = 0;
  double start = now();
  for (int i = 0; i < c && started < total; i++, started++) curl_multi_add_handle(multi, easy[i]);
  while (done < total) {
    int running = 0;
    curl_multi_perform(multi, &running);
    int queued = 0;
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(multi, &queued))) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL *e = msg->easy_handle;
      long code = 0;
      curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
      if (msg->data.result != CURLE_OK || code != 200) {
        if (errors == 0) fprintf(stderr, "call failed: %s, HTTP %ld\n", curl_easy_strerror(msg->data.result), code);
        errors++;
      }
      curl_multi_remove_handle(multi, e);
      if (++done == warmup) start = now();
      if (started < total) {
        curl_multi_add_handle(multi, e);
        started++;
      }
    }
    if (done < total) curl_multi_poll(multi, NULL, 0, 100, NULL);
  }
  double seconds = now() - start;
  printf("calls=%ld seconds=%.6f errors=%ld\n", n, seconds, errors);

  for (int i = 0; i < c; i++) curl_easy_cleanup(easy[i]);
  free(easy);
  curl_multi_cleanup(multi);
  curl_slist_free_all(headers);
  curl_global_cleanup();
  return errors ? 1 : 0;
}
