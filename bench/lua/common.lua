-- Shared by the tursh benchmarks (run as `tursh bench/lua/X.lua ARGS`; this file is loaded with
-- dofile from next to the script).
local turso = require "turso"

local common = {}

-- Wall-clock seconds. Stock Lua has no clock finer than os.time()'s second, so this asks
-- date(1); it is called only outside the timed loops' bodies (about 1 ms each time).
function common.now()
  local pipe = io.popen("date +%s.%N")
  local value = pipe:read("n")
  pipe:close()
  return value
end

function common.args(...)
  local args = { ... }
  if #args == 0 and arg then args = arg end
  return args
end

function common.client(base_url, token)
  return turso.client { token = token, base_url = base_url, org = "local" }
end

function common.int(text, what)
  local value = math.tointeger(tonumber(text))
  if not value or value < 0 then error("bad " .. what .. ": " .. tostring(text)) end
  return value
end

-- Counts the failed entries of a batch's results and prints the first.
function common.batch_errors(results)
  local errors = 0
  for _, r in ipairs(results) do
    local err = type(r) == "table" and (r.err or r.error) or nil
    if r == nil or r == false or err then
      if errors == 0 then io.stderr:write("call failed: ", tostring(err), "\n") end
      errors = errors + 1
    end
  end
  return errors
end

function common.report(fields, order)
  local parts = {}
  for _, k in ipairs(order) do parts[#parts + 1] = k .. "=" .. tostring(fields[k]) end
  print(table.concat(parts, " "))
end

return common
