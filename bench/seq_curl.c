/*
 * The floor for sequential calls: a plain libcurl loop on one easy handle (so the connection
 * is kept alive), sending the same request as the library (GET /v1/locations with the
 * Authorization and User-Agent headers) and collecting the body in memory. No JSON parsing.
 *
 *   seq_curl BASE_URL TOKEN N [WARMUP]
 *
 * Prints: calls=N seconds=S errors=E
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct buffer {
  char *data;
  size_t len;
  size_t cap;
};

static size_t on_body(char *data, size_t size, size_t count, void *userdata) {
  struct buffer *buffer = userdata;
  size_t n = size * count;
  if (buffer->len + n + 1 > buffer->cap) {
    size_t cap = buffer->cap ? buffer->cap : 4096;
    while (cap < buffer->len + n + 1) cap *= 2;
    char *grown = realloc(buffer->data, cap);
    if (!grown) return 0;
    buffer->data = grown;
    buffer->cap = cap;
  }
  memcpy(buffer->data + buffer->len, data, n);
  buffer->len += n;
  buffer->data[buffer->len] = '\0';
  return n;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s BASE_URL TOKEN N [WARMUP]\n", argv[0]);
    return 2;
  }
  const char *base_url = argv[1];
  long n = strtol(argv[3], NULL, 10);
  long warmup = argc > 4 ? strtol(argv[4], NULL, 10) : 50;

  char url[1024];
  char auth[1024];
  snprintf(url, sizeof url, "%s/v1/locations", base_url);
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", argv[2]);

  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL *easy = curl_easy_init();
  struct curl_slist *headers = curl_slist_append(NULL, auth);
  headers = curl_slist_append(headers, "Accept: application/json");
  struct buffer body = {0};
  curl_easy_setopt(easy, CURLOPT_URL, url);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "seq_curl");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);

  long errors = 0;
  double start = now();
  for (long i = 0; i < warmup + n; i++) {
    if (i == warmup) start = now();
    body.len = 0;
    long code = 0;
    CURLcode rc = curl_easy_perform(easy);
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
    if (rc != CURLE_OK || code != 200 || body.len == 0) {
      if (errors == 0) fprintf(stderr, "call failed: %s, HTTP %ld\n", curl_easy_strerror(rc), code);
      errors++;
    }
  }
  double seconds = now() - start;
  printf("calls=%ld seconds=%.6f errors=%ld\n", n, seconds, errors);

  free(body.data);
  curl_slist_free_all(headers);
  curl_easy_cleanup(easy);
  curl_global_cleanup();
  return errors ? 1 : 0;
}
