-- Shared by the tursh benchmarks (run as `tursh bench/lua/X.lua ARGS`; this file is loaded with
-- dofile from next to the script).
local turso = require "turso"

local common = {}

-- Wall-clock seconds: tursh's monotonic clock (tursh.sys.now). Outside tursh (stock lua5.4, which
-- has no clock finer than a second) it asks date(1), about 1 ms a time, outside timed loops.
local has_sys, sys = pcall(require, "tursh.sys")
if has_sys then
  common.now = sys.now
else
  function common.now()
    local pipe = io.popen("date +%s.%N")
    local value = pipe:read("n")
    pipe:close()
    return value
  end
end

function common.args(...)
  local args = { ... }
  if #args == 0 and arg then args = arg end
  return args
end

function common.client(base_url, token)
  -- No retries, as in the C programs: a failure must show up as an error, not as latency.
  return turso.client { token = token, base_url = base_url, org = "local", retries = 0 }
end

function common.int(text, what)
  local value = math.tointeger(tonumber(text))
  if not value or value < 0 then error("bad " .. what .. ": " .. tostring(text)) end
  return value
end

-- c:batch without progress output; returns how many calls failed, printing the first failure.
function common.batch(c, calls, concurrency)
  local results, failures = c:batch(calls, { concurrency = concurrency, progress = false })
  if failures > 0 then
    for _, r in ipairs(results) do
      if type(r) == "table" and r.status and r.op then
        io.stderr:write("call failed: ", tostring(r), "\n")
        break
      end
    end
  end
  return failures
end

function common.report(fields, order)
  local parts = {}
  for _, k in ipairs(order) do parts[#parts + 1] = k .. "=" .. tostring(fields[k]) end
  print(table.concat(parts, " "))
end

return common
