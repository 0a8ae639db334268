-- Lists every database through the Lua module in tursh (databases.list, following
-- pagination.next when the server pages). bench/run.py measures its peak RSS.
--   tursh bench/lua/list.lua BASE_URL TOKEN
-- Prints: databases=COUNT seconds=S errors=E
local common = dofile((arg and arg[0] or "bench/lua/list.lua"):gsub("[^/]*$", "") .. "common.lua")
local args = common.args(...)
local c = common.client(args[1], args[2])

local count, errors, cursor = 0, 0, nil
local start = common.now()
repeat
  local page, err = c.databases.list { cursor = cursor }
  if not page then
    io.stderr:write("call failed: ", tostring(err), "\n")
    errors = 1
    break
  end
  count = count + #page.databases
  cursor = type(page.pagination) == "table" and page.pagination.next or nil
  if type(cursor) ~= "string" or cursor == "" then cursor = nil end
until not cursor
common.report({ databases = count, seconds = common.now() - start, errors = errors }, { "databases", "seconds", "errors" })
os.exit(errors == 0 and 0 or 1)
