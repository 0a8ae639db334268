/* Ctrl-C. While Lua code runs, SIGINT cancels the request in flight (tp_cancel_trigger is
 * async-signal-safe) and sets a hook that raises "interrupted!" at the next Lua instruction:
 * the hook alone could not fire while C code waits inside libcurl. At the prompt it flags and
 * writes a byte to a pipe: the REPL's reader polls that pipe with the terminal, so a Ctrl-C that
 * lands just before the read starts still ends the line (a flag alone would be seen too late,
 * after the next key). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "tursh.h"

static lua_State *g_state;
static tp_cancel *volatile g_cancel; /* set last, cleared first: the handler checks it */
static void (*g_trigger)(tp_cancel *);
static void (*g_reset)(tp_cancel *);
static volatile sig_atomic_t g_flag;
static int g_wake[2] = {-1, -1}; /* the self-pipe of the prompt: [0] polled, [1] written */

static void stop_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    lua_sethook(L, NULL, 0, 0);
    luaL_error(L, "interrupted!");
}

static void on_sigint_running(int sig) {
    (void)sig;
    g_flag = 1;
    if (g_cancel) g_trigger(g_cancel);
    lua_sethook(g_state, stop_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

static void on_sigint_prompt(int sig) {
    (void)sig;
    int saved = errno;
    g_flag = 1;
    if (g_wake[1] >= 0) {
        ssize_t n = write(g_wake[1], "", 1); /* full pipe: a byte is already waiting */
        (void)n;
    }
    errno = saved;
}

static void install(void (*handler)(int), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

void tursh_interrupt_init(lua_State *L) {
    g_state = L;
}

void tursh_interrupt_set_cancel(tp_cancel *cancel, void (*trigger)(tp_cancel *), void (*reset)(tp_cancel *)) {
    g_cancel = NULL;
    g_trigger = trigger;
    g_reset = reset;
    g_cancel = cancel;
}

void tursh_interrupt_arm(void) {
    g_flag = 0;
    if (g_cancel) g_reset(g_cancel);
    /* A second Ctrl-C while the first is being handled ends the program, as in lua.c. */
    install(on_sigint_running, (int)SA_RESETHAND);
}

void tursh_interrupt_at_prompt(void) {
    if (g_wake[0] < 0 && pipe(g_wake) == 0) {
        for (int i = 0; i < 2; i++) {
            fcntl(g_wake[i], F_SETFL, fcntl(g_wake[i], F_GETFL) | O_NONBLOCK);
            fcntl(g_wake[i], F_SETFD, FD_CLOEXEC);
        }
    }
    /* A Ctrl-C that interrupted the last chunk must not also abandon this line. */
    char drain[64];
    while (g_wake[0] >= 0 && read(g_wake[0], drain, sizeof drain) > 0) {
    }
    g_flag = 0;
    install(on_sigint_prompt, 0);
}

int tursh_interrupt_wake_fd(void) {
    return g_wake[0];
}

int tursh_interrupt_pending(void) {
    return g_flag;
}

int tursh_interrupt_take(void) {
    int was = g_flag;
    g_flag = 0;
    return was;
}
