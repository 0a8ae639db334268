-- Bulk provisioning in a tursh batch script, C calls in flight: create N databases in group
-- "default", mint a token for each, delete them (three c:batch runs).
--   tursh bench/lua/bulk.lua BASE_URL TOKEN N C PREFIX
-- Prints: calls=3N seconds=S errors=E create_s=.. token_s=.. delete_s=..
local common = dofile((arg and arg[0] or "bench/lua/bulk.lua"):gsub("[^/]*$", "") .. "common.lua")
local args = common.args(...)
local c = common.client(args[1], args[2])
local n, concurrency, prefix = common.int(args[3], "N"), common.int(args[4], "C"), args[5]

local phases = {
  { "create", function(name) return { "databases.create", { name = name, group = "default" } } end },
  { "token", function(name) return { "databases.create_token", { db = name } } end },
  { "delete", function(name) return { "databases.delete", { db = name } } end },
}
local fields = { calls = 3 * n, errors = 0, seconds = 0 }
for _, phase in ipairs(phases) do
  local label, make = phase[1], phase[2]
  local calls = {}
  for i = 0, n - 1 do calls[i + 1] = make(prefix .. "-" .. i) end
  local start = common.now()
  fields.errors = fields.errors + common.batch(c, calls, concurrency)
  local seconds = common.now() - start
  fields.seconds = fields.seconds + seconds
  fields[label .. "_s"] = string.format("%.6f", seconds)
end
fields.seconds = string.format("%.6f", fields.seconds)
common.report(fields, { "calls", "seconds", "errors", "create_s", "token_s", "delete_s" })
os.exit(fields.errors == 0 and 0 or 1)
