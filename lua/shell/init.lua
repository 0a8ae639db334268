-- tursh's start-up: the progress bar for batches when stderr is a terminal, and the REPL's
-- banner (which also makes the client `c`). The global `turso` is made in C and loads the
-- module on first use (core.c): nothing here may touch it but to set a field.
local sys = require "tursh.sys"

local M = {}

if sys.isatty(2) then
  -- A plain field of the table the module will be opened into: it does not load the module.
  rawset(_G.turso, "default_progress", require("tursh.progress").new(io.stderr))
end

function M.banner()
  local turso = require "turso"
  local ok, client = pcall(turso.client)
  local where
  if ok then
    _G.c = client
    where = sys.local_url() and ("the embedded turso-local at " .. sys.local_url()) or client:base_url()
    where = "c = turso.client{} talks to " .. where
  else
    where = "turso.client{} failed: " .. tostring(client)
  end
  return string.format(
    "tursh %s (turso-platform, %s). %s\n" ..
    "Tab completes namespaces, methods and arguments; Ctrl-C cancels a request; Ctrl-D exits.\n",
    turso.version, _VERSION, where)
end

return M
