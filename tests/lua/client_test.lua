-- The module against a real turso-local (the driver exports TURSO_API_TOKEN, TURSO_API_BASEURL
-- and TURSO_ORG=local): every namespace answers, errors, null, batches, call and request.
local t = require "testlib"
local turso = require "turso"

local c = turso.client {}

t.test("the client comes from the environment", function()
  t.eq(c:org(), "local", "org from TURSO_ORG")
  t.eq(c:base_url(), os.getenv("TURSO_API_BASEURL"), "base URL from TURSO_API_BASEURL")
  local v = assert(c.tokens.validate {})
  t.eq(math.type(v.exp), "integer", "exp is an integer")
end)

t.test("a client with a wrong token gets TP_E_UNAUTHORIZED", function()
  local bad = turso.client {token = "not-the-token", retries = 0}
  local v, err = bad.databases.list {}
  t.eq(v, nil, "no value")
  t.eq(err.status, "TP_E_UNAUTHORIZED", "status")
  t.eq(err.http_status, 401, "HTTP status")
  bad:close()
end)

t.test("locations, user, organizations, members, invites, tokens", function()
  local loc = assert(c.locations.list {})
  t.eq(type(loc.locations), "table", "locations is a table")
  local code, name = next(loc.locations)
  t.eq(type(code), "string", "a code")
  t.eq(type(name), "string", "a description")
  assert(c.user.get {})
  local answer = assert(c.organizations.list {})
  -- The current spec answers a bare array, the 2023 reference {organizations = [...]}.
  local orgs = turso.is_array(answer) and answer or answer.organizations
  t.check(turso.is_array(orgs), "organizations.list holds a JSON array")
  local found = false
  for _, o in ipairs(orgs) do found = found or o.slug == "local" end
  t.check(found, "the personal organization 'local' is listed")
  t.eq(assert(c.organizations.get {}).organization.slug, "local", "org defaults to the client's")
  t.eq(assert(c.organizations.get {org = "local"}).organization.slug, "local", "org given")
  local members = assert(c.members.list {})
  t.check(#members.members >= 1, "at least the owner")
  assert(c.invites.list {})
  local tokens = assert(c.tokens.list {})
  t.check(turso.is_array(tokens.tokens), "tokens is an array")
end)

t.test("groups, databases, instances, tokens, usage: a full round", function()
  local group = assert(c.groups.create {name = "g1", location = "ams"}).group
  t.eq(group.name, "g1", "group name")
  t.check(turso.is_array(group.locations), "locations is an array")
  local created = assert(c.databases.create {name = "db1", group = "g1"})
  t.eq(created.database.Name, "db1", "database name")
  t.check(created.database.Hostname:find("db1", 1, true), "hostname names the database")
  local db = assert(c.databases.get {db = "db1"}).database
  t.eq(db.Name, "db1", "get")
  local list = assert(c.databases.list {})
  t.eq(#list.databases, 1, "one database")
  local listed = assert(c.databases.list {group = "g1"})
  t.eq(#listed.databases, 1, "query parameter group")
  local jwt = assert(c.databases.create_token {db = "db1", expiration = "1d", authorization = "read-only"}).jwt
  t.check(#jwt > 20 and select(2, jwt:gsub("%.", "")) == 2, "a JWT")
  t.eq(assert(c.databases.rotate_tokens {db = "db1"}), true, "an empty success is true")
  local usage = assert(c.databases.usage {db = "db1"})
  t.eq(type(usage.database), "table", "usage")
  local instances = assert(c.instances.list {db = "db1"})
  t.check(#instances.instances >= 1, "an instance")
  local inst = instances.instances[1]
  t.eq(assert(c.instances.get {db = "db1", instance = inst.name}).instance.name, inst.name, "instance get")
  t.eq(assert(c.groups.get {group = "g1"}).group.name, "g1", "groups.get")
  t.check(#assert(c.groups.list {}).groups >= 1, "groups.list")
  t.check(#assert(c.groups.create_token {group = "g1"}).jwt > 20, "group token")
  t.eq(assert(c.databases.delete {db = "db1"}).database, "db1", "delete answers the name")
  assert(c.groups.delete {group = "g1"})
end)

t.test("user-level groups act on the personal organization", function()
  assert(c.user_groups.create {name = "ug", location = "ams"})
  t.eq(assert(c.user_groups.get {group = "ug"}).group.name, "ug", "get")
  t.eq(assert(c.groups.get {group = "ug"}).group.name, "ug", "same organization")
  assert(c.user_groups.delete {group = "ug"})
end)

t.test("errors: nil, err with status, code, HTTP status, message, op", function()
  local v, err = c.databases.get {db = "missing"}
  t.eq(v, nil, "no value")
  t.check(turso.is_error(err), "an error table")
  t.eq(err.status, "TP_E_NOT_FOUND", "status")
  t.eq(err.code, 24, "code")
  t.eq(err.http_status, 404, "HTTP status")
  t.eq(err.op, "databases.get", "op")
  t.eq(type(err.message), "string", "message")
  t.check(#err.message > 0, "message not empty")
  t.eq(tostring(err), "databases.get: " .. err.message .. " (HTTP 404)", "tostring")
  local ok, raised = pcall(function() return assert(c.databases.get {db = "missing"}) end)
  t.eq(ok, false, "assert raises")
  t.check(tostring(raised):find("(HTTP 404)", 1, true), "assert's message reads well")
  t.check(not tostring(raised):find("databases.get: databases.get", 1, true), "the op once: " .. tostring(raised))
  -- The core's own argument checks (misuse: they raise) write "databases.get: ..." or
  -- "tp_request: ..."; the op is still named once, and no C function.
  local ok, empty = pcall(c.databases.get, {db = ""})
  t.eq(ok, false, "an empty path parameter raises")
  t.check(tostring(empty):find("databases.get: parameter 'db' must not be empty", 1, true), tostring(empty))
  t.check(not tostring(empty):find("databases.get: databases.get", 1, true), "op once: " .. tostring(empty))
  local ok2, relative = pcall(c.request, c, "GET", "v1/locations")
  t.eq(ok2, false, "a relative path raises")
  t.check(tostring(relative):find("GET v1/locations: path must", 1, true), tostring(relative))
  t.check(not tostring(relative):find("tp_request", 1, true), "no C function name: " .. tostring(relative))
  assert(c.groups.create {name = "dup", location = "ams"})
  local _, conflict = c.groups.create {name = "dup", location = "ams"}
  t.eq(conflict.status, "TP_E_CONFLICT", "409")
  assert(c.groups.delete {group = "dup"})
end)

t.test("JSON null in answers is turso.null; turso.null is sent as null", function()
  -- A raw request echoing a body is not available, so check both ways through the API:
  -- a database's optional fields may be null, and a null sent for an optional field is accepted.
  assert(c.groups.create {name = "gn", location = "ams"})
  local created = assert(c.databases.create {name = "dbn", group = "gn", seed = turso.null})
  t.eq(created.database.Name, "dbn", "created with a null field")
  local raw = assert(c:request("GET", "/v1/organizations/local/databases/dbn"))
  local function find_null(v)
    if v == turso.null then return true end
    if type(v) == "table" then for _, x in pairs(v) do if find_null(x) then return true end end end
    return false
  end
  -- Not every server sends nulls; when it does, they must be turso.null, never nil or a string.
  local body = turso.json_encode(raw)
  t.eq(find_null(raw), body:find("null", 1, true) ~= nil, "nulls in the answer are turso.null")
  assert(c.databases.delete {db = "dbn"})
  assert(c.groups.delete {group = "gn"})
end)

t.test("c:call and c:request", function()
  t.eq(type(assert(c:call("locations.list", {})).locations), "table", "call by id")
  t.eq(type(assert(c:call("locations.list")).locations), "table", "args may be omitted")
  local raw = assert(c:request("GET", "/v1/locations"))
  t.eq(type(raw.locations), "table", "raw GET")
  local g = assert(c:request("POST", "/v1/organizations/local/groups", {name = "rq", location = "ams"}))
  t.eq(g.group.name, "rq", "raw POST with a table body")
  local g2 = assert(c:request("GET", "/v1/organizations/local/groups/rq", nil))
  t.eq(g2.group.name, "rq", "raw GET")
  local _, err = c:request("GET", "/v1/organizations/local/groups/none")
  t.eq(err.status, "TP_E_NOT_FOUND", "raw 404")
  t.eq(err.op, "GET /v1/organizations/local/groups/none", "op names the request")
  assert(c:request("DELETE", "/v1/organizations/local/groups/rq"))
end)

t.test("batch: results in order, failures in place, progress called", function()
  assert(c.groups.create {name = "gb", location = "ams"})
  local calls = {}
  for i = 1, 12 do calls[i] = {"databases.create", {name = "b" .. i, group = "gb"}} end
  calls[13] = {"databases.get", {db = "no-such-db"}}
  calls[14] = {method = "GET", path = "/v1/locations"}
  local seen = {}
  local results, failed = c:batch(calls, {concurrency = 4, progress = function(done, total)
    seen[#seen + 1] = done
    t.eq(total, 14, "total")
  end})
  t.eq(#results, 14, "one result per call")
  t.eq(failed, 1, "one failure")
  for i = 1, 12 do t.eq(results[i].database.Name, "b" .. i, "result " .. i .. " in order") end
  t.check(turso.is_error(results[13]), "the failure is an error table in place")
  t.eq(results[13].status, "TP_E_NOT_FOUND", "its status")
  t.eq(type(results[14].locations), "table", "a raw request in a batch")
  t.eq(seen[#seen], 14, "progress reached the total")
  for i = 2, #seen do t.check(seen[i] >= seen[i - 1], "progress never goes back") end
  local listed = assert(c.databases.list {group = "gb"})
  t.eq(#listed.databases, 12, "all twelve exist")
  local deletes = {}
  for i = 1, 12 do deletes[i] = {"databases.delete", {db = "b" .. i}} end
  local _, delete_failures = c:batch(deletes, {progress = false})
  t.eq(delete_failures, 0, "deleted in a batch")
  assert(c.groups.delete {group = "gb"})
end)

t.test("batch: an error in progress stops the batch and is raised", function()
  local calls = {}
  for i = 1, 5 do calls[i] = {"locations.list", {}} end
  t.raises(function() c:batch(calls, {progress = function() error("stop here") end}) end, "stop here")
  local results = c:batch({}, {})
  t.eq(#results, 0, "an empty batch")
end)

c:close()
t.finish()
