// turso-local: command line, startup line, clean stop on SIGINT/SIGTERM.
#include "config.hpp"
#include "server.hpp"

#include <csignal>
#include <cstdio>
#include <pthread.h>

int main(int argc, char **argv) {
    tl::Options opts;
    std::string error;
    switch (tl::parse_args(argc, argv, opts, error)) {
    case tl::PARSE_HELP:
        std::fputs(tl::usage_text(), stdout);
        return 0;
    case tl::PARSE_ERROR:
        std::fprintf(stderr, "turso-local: %s\n", error.c_str());
        return 2;
    case tl::PARSE_OK:
        break;
    }

    // Block the stop signals in every thread; the main thread waits for them below.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    try {
        tl::LocalServer server(opts);
        server.bind();
        if (server.token_generated())
            std::fprintf(stderr, "turso-local: generated platform token for user local (shown once): %s\n",
                         server.bootstrap_token().c_str());
        server.serve_background();
        std::printf("turso-local listening on %s\n", server.url().c_str());
        std::fflush(stdout);
        int sig = 0;
        sigwait(&stop_signals, &sig);
        server.stop();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "turso-local: %s\n", e.what());
        return 1;
    }
    return 0;
}
