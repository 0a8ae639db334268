/* Ctrl-C. While Lua code runs, SIGINT cancels the request in flight (tp_cancel_trigger is
 * async-signal-safe) and sets a hook that raises "interrupted!" at the next Lua instruction:
 * the hook alone could not fire while C code waits inside libcurl. At the prompt it only flags. */
#include <signal.h>
#include <string.h>

#include "tursh.h"

static lua_State *g_state;
static tp_cancel *g_cancel;
static volatile sig_atomic_t g_flag;

static void stop_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    lua_sethook(L, NULL, 0, 0);
    luaL_error(L, "interrupted!");
}

static void on_sigint_running(int sig) {
    (void)sig;
    g_flag = 1;
    tp_cancel_trigger(g_cancel);
    lua_sethook(g_state, stop_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

static void on_sigint_prompt(int sig) {
    (void)sig;
    g_flag = 1;
}

static void install(void (*handler)(int), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

void tursh_interrupt_init(lua_State *L, tp_cancel *cancel) {
    g_state = L;
    g_cancel = cancel;
}

void tursh_interrupt_arm(void) {
    g_flag = 0;
    tp_cancel_reset(g_cancel);
    /* A second Ctrl-C while the first is being handled ends the program, as in lua.c. */
    install(on_sigint_running, (int)SA_RESETHAND);
}

void tursh_interrupt_at_prompt(void) {
    install(on_sigint_prompt, 0);
    g_flag = 0; /* a Ctrl-C that interrupted the last chunk must not also abandon this line */
}

int tursh_interrupt_take(void) {
    int was = g_flag;
    g_flag = 0;
    return was;
}
