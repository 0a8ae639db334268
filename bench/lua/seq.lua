-- Sequential calls through the Lua module in tursh: c.locations.list{} (GET /v1/locations), N times.
--   tursh bench/lua/seq.lua BASE_URL TOKEN N [WARMUP]
-- Prints: calls=N seconds=S errors=E
local common = dofile((arg and arg[0] or "bench/lua/seq.lua"):gsub("[^/]*$", "") .. "common.lua")
local args = common.args(...)
local c = common.client(args[1], args[2])
local n, warmup = common.int(args[3], "N"), common.int(args[4] or "50", "WARMUP")

local errors, start = 0, nil
for i = 1, warmup + n do
  if i == warmup + 1 then start = common.now() end
  local locations, err = c.locations.list {}
  if not locations then
    if errors == 0 then io.stderr:write("call failed: ", tostring(err), "\n") end
    errors = errors + 1
  end
end
local seconds = n > 0 and common.now() - start or 0
common.report({ calls = n, seconds = string.format("%.6f", seconds), errors = errors }, { "calls", "seconds", "errors" })
os.exit(errors == 0 and 0 or 1)
