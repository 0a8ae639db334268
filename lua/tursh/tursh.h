/* tursh's internal interfaces: one file per job (arguments and running, the REPL, the embedded
 * server, signals, the embedded Lua sources, small system helpers for the Lua side). */
#ifndef TURSH_H
#define TURSH_H

#include <lauxlib.h>
#include <lua.h>

#include "turso_platform.h"

#define TURSH_PROGNAME "tursh"

/* run.c: calling chunks the way lua.c does (traceback, Ctrl-C interrupts) */
int tursh_docall(lua_State *L, int narg, int nres);
int tursh_report(lua_State *L, int status);       /* prints an error to stderr; returns status */
void tursh_print_results(lua_State *L, int json); /* prints every value on the stack */

/* interrupt.c: SIGINT cancels the request in flight and interrupts Lua code */
void tursh_interrupt_init(lua_State *L);
/* The cancel of the module's calls, once tursh-core.so is loaded (NULLs: none). */
void tursh_interrupt_set_cancel(tp_cancel *cancel, void (*trigger)(tp_cancel *), void (*reset)(tp_cancel *));
void tursh_interrupt_arm(void);       /* while running Lua code */
void tursh_interrupt_at_prompt(void); /* while reading a line: Ctrl-C only flags */
int tursh_interrupt_take(void);       /* 1 once after a Ctrl-C, then 0 */
int tursh_interrupt_pending(void);    /* 1 after a Ctrl-C not yet taken */
int tursh_interrupt_wake_fd(void);    /* readable after a Ctrl-C at the prompt; -1 if none */

/* repl.c */
void tursh_repl(lua_State *L, int json);

/* core.c: tursh-core.so (the turso module, the client library, libcurl) and tursh-local.so
 * (turso-local), loaded when first needed */
void tursh_core_preload(lua_State *L); /* package.preload.turso and the global `turso` */
const char *tursh_core_version(void);  /* tp_version(), loading the core */
void tursh_core_release(void);         /* after lua_close */
struct tl_server;
typedef struct tursh_local_api {
    struct tl_server *(*start)(const char *data_path, const char *token, const char *admin_token,
                               char *errbuf, size_t errbuf_len);
    const char *(*url)(const struct tl_server *s);
    const char *(*token)(const struct tl_server *s);
    void (*stop)(struct tl_server *s);
} tursh_local_api;
int tursh_local_load(tursh_local_api *api, char *err, size_t err_len); /* 0, or -1 and err */

/* local_server.c: --local / --local-data */
int tursh_local_start(const char *data_path, char *err, size_t err_len);
const char *tursh_local_url(void); /* NULL when no local server runs */
void tursh_local_stop(void);

/* sys.c: the "tursh.sys" Lua module */
int tursh_open_sys(lua_State *L);

/* embedded.c (generated): the shell's Lua sources, put into package.preload */
void tursh_preload_embedded(lua_State *L);

#endif
