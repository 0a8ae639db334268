-- A tour of the turso module: a group, three databases, a token for each, a listing, usage,
-- and clean-up. Run it against a local server with:
--     tursh --local examples/lua/quickstart.lua
-- or against your account (TURSO_API_TOKEN and TURSO_ORG set) with tursh or lua5.4.
local turso = require "turso"

-- The client reads TURSO_API_TOKEN, TURSO_API_BASEURL and TURSO_ORG (tursh --local sets them).
local c <close> = turso.client {}
print(string.format("turso %s, talking to %s as organization %s", turso.version, c:base_url(), c:org()))

-- Calls answer a Lua table, or nil and an error whose text reads well in assert().
local group = "quickstart"
local location = "ams"
print(string.format("\n1. Creating group %q in %s", group, location))
local created = assert(c.groups.create {name = group, location = location})
print("   group " .. created.group.name .. " has locations " .. table.concat(created.group.locations, ", "))

-- Several calls at once: a batch runs them concurrently and answers in order.
local names = {"db-1", "db-2", "db-3"}
print("\n2. Creating three databases in one batch")
local calls = {}
for i, name in ipairs(names) do calls[i] = {"databases.create", {name = name, group = group}} end
local results, failed = c:batch(calls)
assert(failed == 0, "some databases were not created")
for _, r in ipairs(results) do print("   created " .. r.database.Name .. " at " .. r.database.Hostname) end

print("\n3. A read-only token for each database, valid for one day")
for _, name in ipairs(names) do
  local token = assert(c.databases.create_token {db = name, expiration = "1d", authorization = "read-only"})
  -- Tokens are secrets: show only that one arrived.
  print(string.format("   %s: a token of %d characters", name, #token.jwt))
end

print("\n4. Listing the group's databases")
local list = assert(c.databases.list {group = group})
for _, db in ipairs(list.databases) do
  print(string.format("   %-6s group %-10s regions %s", db.Name, tostring(db.group),
    type(db.regions) == "table" and table.concat(db.regions, ",") or "-"))
end

print("\n5. Reading usage")
for _, name in ipairs(names) do
  local usage = assert(c.databases.usage {db = name})
  -- The current spec answers database.total; the 2023 API answered database.usage.
  local totals = usage.database and (usage.database.total or usage.database.usage) or {}
  print(string.format("   %s: %s rows read, %s rows written, %s bytes stored", name,
    tostring(totals.rows_read or 0), tostring(totals.rows_written or 0), tostring(totals.storage_bytes or 0)))
end

-- A failure is a value, not an exception: here, asking for a database that does not exist.
local _, err = c.databases.get {db = "no-such-database"}
print("\n6. Errors are values: " .. tostring(err) .. " [" .. err.status .. "]")

print("\n7. Cleaning up")
local deletes = {}
for i, name in ipairs(names) do deletes[i] = {"databases.delete", {db = name}} end
local _, delete_failures = c:batch(deletes)
assert(delete_failures == 0, "some databases were not deleted")
assert(c.groups.delete {group = group})
print("   deleted " .. table.concat(names, ", ") .. " and group " .. group)
print("\nCleaned up. Done.")
