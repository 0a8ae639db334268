#define _GNU_SOURCE
#include "local_server.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void nap_ms(int ms) {
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

int ls_start(local_server *s, const char *binary, const char *data, const char *token,
             const char *admin_token) {
    memset(s, 0, sizeof *s);
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(s->log_path, sizeof s->log_path, "%s/turso-local-XXXXXX", tmp);
    int log_fd = mkstemp(s->log_path);
    if (log_fd < 0) {
        perror("mkstemp");
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        close(log_fd);
        return -1;
    }
    if (pid == 0) {
        dup2(log_fd, 1);
        dup2(log_fd, 2);
        execl(binary, binary, "--listen", "127.0.0.1:0", "--data", data, "--token", token, "--admin-token",
              admin_token, (char *)NULL);
        _exit(127);
    }
    close(log_fd);
    s->pid = pid;
    /* Wait (generously: a sanitizer build starts slowly) for "turso-local listening on URL". */
    for (int i = 0; i < 600 && !s->url[0]; i++) {
        FILE *f = fopen(s->log_path, "r");
        char line[512];
        while (f && fgets(line, sizeof line, f)) {
            char *at = strstr(line, "listening on ");
            if (at && sscanf(at + 13, "%127s", s->url) == 1) break;
            s->url[0] = 0;
        }
        if (f) fclose(f);
        if (!s->url[0]) {
            int st;
            if (waitpid(pid, &st, WNOHANG) == pid) {
                fprintf(stderr, "turso-local exited early (status %d); log %s\n", st, s->log_path);
                s->pid = 0;
                return -1;
            }
            nap_ms(50);
        }
    }
    if (!s->url[0]) {
        fprintf(stderr, "turso-local printed no URL; log %s\n", s->log_path);
        ls_stop(s, 0);
        return -1;
    }
    tp_options *o = NULL;
    tp_options_new(&o);
    tp_options_set_base_url(o, s->url);
    tp_options_set_token(o, admin_token);
    tp_options_set_retry(o, 1, 10);
    tp_options_set_timeout_ms(o, 20000);
    tp_client_new(o, &s->admin);
    tp_options_free(o);
    return s->admin ? 0 : -1;
}

static int admin_call(local_server *s, const char *method, const char *json) {
    tp_result *r = NULL;
    tp_status st = tp_request(s->admin, method, "/admin/faults", json, json ? strlen(json) : 0, &r);
    if (st != TP_OK)
        fprintf(stderr, "%s /admin/faults %s: %s (%s)\n", method, json ? json : "", tp_status_name(st),
                tp_result_message(r));
    tp_result_free(r);
    return st == TP_OK ? 0 : -1;
}

int ls_fault(local_server *s, const char *json) {
    return admin_call(s, "POST", json);
}
int ls_clear_faults(local_server *s) {
    return admin_call(s, "DELETE", NULL);
}

/* Sanitizer reports and crash messages in the server's output: each is a bug in the server. */
static int scan_log(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[1024];
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "Sanitizer") || strstr(line, "runtime error:") || strstr(line, "terminate called")) {
            if (found++ < 20) fprintf(stderr, "turso-local: %s", line);
        }
    }
    fclose(f);
    return found;
}

int ls_stop(local_server *s, int graceful) {
    int problems = 0;
    if (s->pid > 0) {
        kill(s->pid, graceful ? SIGTERM : SIGKILL);
        int st = 0;
        while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR) {
        }
        if (graceful && WIFEXITED(st) && WEXITSTATUS(st) != 0) {
            fprintf(stderr, "turso-local exited %d after SIGTERM\n", WEXITSTATUS(st));
            problems++;
        } else if (graceful && WIFSIGNALED(st) && WTERMSIG(st) != SIGTERM) {
            fprintf(stderr, "turso-local died of signal %d\n", WTERMSIG(st));
            problems++;
        }
        s->pid = 0;
    }
    tp_client_free(s->admin);
    s->admin = NULL;
    if (s->log_path[0]) {
        problems += scan_log(s->log_path);
        if (!s->keep_log) {
            unlink(s->log_path);
            s->log_path[0] = 0;
        }
    }
    return problems;
}
