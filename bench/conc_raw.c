/*
 * An experiment, not the library: what a client would reach at 16 in flight if libcurl only made
 * the connections and the client wrote its requests and read its answers itself (the route
 * bench/results/findings.md section 12 names for 0.8x of wrk). libcurl connects each of C
 * handles with CURLOPT_CONNECT_ONLY (DNS, TLS and proxies stay libcurl's); requests go out with
 * curl_easy_send and answers come in with curl_easy_recv, so the same code would run over TLS.
 * Every call formats its request anew and keeps a copy of its answer's body until the next
 * answer on that connection, as a library would; epoll says which connection can read.
 *
 * Handles only what turso-local sends to GET /v1/locations: a Content-Length answer on a kept
 * connection. Anything else (chunked, close, 1xx, a short read at EOF) ends the run with an
 * error, so a number it prints is for complete, checked answers.
 *
 *   conc_raw BASE_URL TOKEN N C
 *
 * 4*C warm-up calls before timing. Prints: calls=N seconds=S errors=E
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <time.h>

enum { kBufSize = 64 * 1024 };

struct conn {
  CURL *easy;
  curl_socket_t fd;
  char in[kBufSize];
  size_t have;    // bytes in `in`
  char *body;     // the last answer's body, kept until the next one (a result's copy)
  size_t body_len;
};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *put(char *out, const char *s, size_t n) {
  memcpy(out, s, n);
  return out + n;
}
#define PUT(out, lit) put(out, lit, sizeof lit - 1)

// A request as a library would write it for each call: method, path, Host, User-Agent, Accept,
// Authorization.
static size_t format_request(char *out, const char *path, const char *host, const char *token) {
  char *p = out;
  p = PUT(p, "GET ");
  p = put(p, path, strlen(path));
  p = PUT(p, " HTTP/1.1\r\nHost: ");
  p = put(p, host, strlen(host));
  p = PUT(p, "\r\nUser-Agent: conc_raw\r\nAccept: application/json\r\nAuthorization: Bearer ");
  p = put(p, token, strlen(token));
  p = PUT(p, "\r\n\r\n");
  return (size_t)(p - out);
}

static int send_all(struct conn *c, const char *data, size_t len) {
  while (len) {
    size_t sent = 0;
    CURLcode rc = curl_easy_send(c->easy, data, len, &sent);
    if (rc == CURLE_AGAIN) continue; // a GET's few hundred bytes fit a socket buffer at once
    if (rc != CURLE_OK) return -1;
    data += sent;
    len -= sent;
  }
  return 0;
}

// 1 when `in` holds a whole answer (body kept, bytes consumed), 0 when more is needed, -1 when
// the answer is not one this experiment reads.
static int take_answer(struct conn *c, int *status) {
  char *end = memmem(c->in, c->have, "\r\n\r\n", 4);
  if (!end) return c->have == sizeof c->in ? -1 : 0;
  size_t head = (size_t)(end - c->in) + 4;
  if (c->have < 12 || memcmp(c->in, "HTTP/1.1 ", 9) != 0) return -1;
  *status = atoi(c->in + 9);
  if (*status < 200) return -1;
  long long length = -1;
  // Each line ends in \n before `end`, whose \r\n\r\n holds the last two.
  for (char *line = (char *)memchr(c->in, '\n', head) + 1; line < end;
       line = (char *)memchr(line, '\n', (size_t)(c->in + head - line)) + 1) {
    if (strncasecmp(line, "Content-Length:", 15) == 0) length = atoll(line + 15);
    if (strncasecmp(line, "Transfer-Encoding:", 18) == 0) return -1;
    if (strncasecmp(line, "Connection: close", 17) == 0) return -1;
  }
  if (length < 0 || head + (size_t)length > sizeof c->in) return -1;
  if (c->have < head + (size_t)length) return 0;
  free(c->body);
  c->body = malloc((size_t)length + 1);
  if (!c->body) return -1;
  memcpy(c->body, c->in + head, (size_t)length);
  c->body[length] = '\0';
  c->body_len = (size_t)length;
  c->have -= head + (size_t)length;
  memmove(c->in, c->in + head + (size_t)length, c->have);
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: %s BASE_URL TOKEN N C\n", argv[0]);
    return 2;
  }
  long n = strtol(argv[3], NULL, 10);
  int nconn = (int)strtol(argv[4], NULL, 10);
  if (nconn < 1) nconn = 1;
  const char *base = argv[1], *token = argv[2];
  const char *host = strstr(base, "://") ? strstr(base, "://") + 3 : base;
  if (strlen(host) > 200 || strlen(token) > 4000) return 2;

  curl_global_init(CURL_GLOBAL_DEFAULT);
  int ep = epoll_create1(0);
  struct conn *conns = calloc((size_t)nconn, sizeof *conns);
  for (int i = 0; i < nconn; i++) {
    struct conn *c = &conns[i];
    c->easy = curl_easy_init();
    curl_easy_setopt(c->easy, CURLOPT_URL, base);
    curl_easy_setopt(c->easy, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(c->easy, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(c->easy);
    if (rc == CURLE_OK) rc = curl_easy_getinfo(c->easy, CURLINFO_ACTIVESOCKET, &c->fd);
    if (rc != CURLE_OK) {
      fprintf(stderr, "connect failed: %s\n", curl_easy_strerror(rc));
      return 1;
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
  }

  char request[4400];
  long warmup = 4L * nconn, total = warmup + n, started = 0, done = 0, errors = 0;
  double start = now();
  for (int i = 0; i < nconn && started < total; i++, started++)
    if (send_all(&conns[i], request, format_request(request, "/v1/locations", host, token)) != 0) errors++;
  struct epoll_event events[64];
  while (done < total && !errors) {
    int ready = epoll_wait(ep, events, 64, 1000);
    if (ready < 0 && errno != EINTR) break;
    for (int e = 0; e < ready; e++) {
      struct conn *c = events[e].data.ptr;
      size_t got = 0;
      CURLcode rc = curl_easy_recv(c->easy, c->in + c->have, sizeof c->in - c->have, &got);
      if (rc == CURLE_AGAIN) continue;
      if (rc != CURLE_OK || got == 0) {
        fprintf(stderr, "receive failed: %s\n", got == 0 ? "connection closed" : curl_easy_strerror(rc));
        errors++;
        break;
      }
      c->have += got;
      int status = 0, whole;
      while ((whole = take_answer(c, &status)) == 1) {
        if (status != 200) {
          if (!errors) fprintf(stderr, "call failed: HTTP %d\n", status);
          errors++;
        }
        if (++done == warmup) start = now();
        if (started < total) {
          started++;
          if (send_all(c, request, format_request(request, "/v1/locations", host, token)) != 0) errors++;
        }
      }
      if (whole < 0) {
        fprintf(stderr, "an answer this experiment does not read\n");
        errors++;
      }
    }
  }
  double seconds = now() - start;
  printf("calls=%ld seconds=%.6f errors=%ld\n", n, seconds, errors);

  for (int i = 0; i < nconn; i++) {
    free(conns[i].body);
    curl_easy_cleanup(conns[i].easy);
  }
  free(conns);
  curl_global_cleanup();
  return errors ? 1 : 0;
}
