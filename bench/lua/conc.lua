-- Concurrent throughput through the Lua module in tursh: one c:batch of N locations.list calls
-- with C in flight.
--   tursh bench/lua/conc.lua BASE_URL TOKEN N C
-- Prints: calls=N seconds=S errors=E
local common = dofile((arg and arg[0] or "bench/lua/conc.lua"):gsub("[^/]*$", "") .. "common.lua")
local args = common.args(...)
local c = common.client(args[1], args[2])
local n, concurrency = common.int(args[3], "N"), common.int(args[4], "C")

local function batch_of(count)
  local calls = {}
  for i = 1, count do calls[i] = { "locations.list", {} } end
  return common.batch(c, calls, concurrency)
end

-- Open the connections before timing, as the C benchmark and wrk do.
local errors = batch_of(concurrency * 4)
local start = common.now()
errors = errors + batch_of(n)
local seconds = common.now() - start
common.report({ calls = n, seconds = string.format("%.6f", seconds), errors = errors }, { "calls", "seconds", "errors" })
os.exit(errors == 0 and 0 or 1)
