-- The module without a server: loading, introspection, JSON, turso.null, misuse that raises.
local t = require "testlib"
local turso = require "turso"

t.test("require gives the module with its version", function()
  t.eq(type(turso), "table", "module type")
  t.check(turso.version:match("^%d+%.%d+%.%d+$"), "version looks like x.y.z: " .. tostring(turso.version))
  t.check(require("turso") == turso, "require returns the same table")
end)

t.test("operations() lists ids, and details with params", function()
  local ids = turso.operations()
  t.check(#ids >= 70, "at least 70 operations, got " .. #ids)
  local seen = {}
  for _, id in ipairs(ids) do seen[id] = true end
  for _, id in ipairs {"databases.create", "groups.list", "tokens.validate", "locations.list",
                       "members.list", "instances.list", "user_groups.create", "organizations.usage"} do
    t.check(seen[id], "operation " .. id .. " listed")
  end
  local detailed = turso.operations(true)
  t.eq(#detailed, #ids, "same count")
  local create
  for _, op in ipairs(detailed) do if op.id == "databases.create" then create = op end end
  t.eq(create.method, "POST", "method")
  t.eq(create.path, "/v1/organizations/{org}/databases", "path")
  local params = {}
  for _, p in ipairs(create.params) do params[p.name] = p end
  t.eq(params.org.kind, "path", "org is a path parameter")
  t.eq(params.name.kind, "body", "name is a body field")
  t.eq(params.name.required, true, "name is required")
  t.eq(params.group.required, false, "group is optional")
end)

t.test("turso.null is a unique sentinel printing as null", function()
  t.eq(tostring(turso.null), "null", "tostring")
  t.check(turso.null ~= nil and turso.null ~= false, "a real value")
  t.eq(turso.json_encode(turso.null), "null", "encodes as null")
  t.eq(turso.json_encode({a = turso.null}), '{"a":null}', "inside an object")
end)

t.test("json_encode: arrays, objects, scalars, escapes", function()
  t.eq(turso.json_encode({1, 2, 3}), "[1,2,3]", "array")
  t.eq(turso.json_encode({b = 1, a = "x"}), '{"a":"x","b":1}', "object, keys sorted")
  t.eq(turso.json_encode({}), "{}", "empty table is an object")
  t.eq(turso.json_encode(turso.array {}), "[]", "turso.array marks an empty array")
  t.eq(turso.json_encode(true), "true", "boolean")
  t.eq(turso.json_encode(1.5), "1.5", "float")
  t.eq(turso.json_encode(42), "42", "integer")
  t.eq(turso.json_encode('a"b\\c\n\1'), '"a\\"b\\\\c\\n\\u0001"', "escapes")
  t.eq(turso.json_encode({x = {1, {y = false}}}), '{"x":[1,{"y":false}]}', "nested")
  t.eq(turso.json_encode({["a\0b"] = 2, a = 1}), '{"a":1,"a\\u0000b":2}', "keys with NUL bytes kept whole")
  t.eq(turso.json_encode({a = {1}}, true), '{\n  "a": [\n    1\n  ]\n}', "pretty form indents")
end)

t.test("json_decode: the values results give, straight from the text", function()
  local v = turso.json_decode(' {"a": [1, 2.5, "x", true, false, null], "b": {}, "c": []} ')
  t.eq(v.a[1], 1, "integer")
  t.eq(math.type(v.a[1]), "integer", "integral numbers are integers")
  t.eq(v.a[2], 2.5, "float")
  t.eq(v.a[3], "x", "string")
  t.eq(v.a[4], true, "true")
  t.eq(v.a[5], false, "false")
  t.check(v.a[6] == turso.null, "null is turso.null")
  t.check(turso.is_array(v.a) and turso.is_array(v.c), "arrays are marked, even empty")
  t.check(not turso.is_array(v.b), "objects are not")
  t.eq(turso.json_encode(v.c), "[]", "an empty array encodes back as []")
  t.eq(math.type(turso.json_decode("1.0")), "integer", "1.0 is an integer, as from the C API")
  t.eq(turso.json_decode("1e2"), 100, "exponent")
  t.eq(turso.json_decode("-0.25e1"), -2.5, "negative with fraction and exponent")
  t.eq(turso.json_decode("9007199254740993"), 9007199254740993, "integers beyond 2^53 are exact")
  t.eq(math.type(turso.json_decode("12345678901234567890")), "float", "beyond int64: a float")
  t.eq(turso.json_decode([["\"\\\/\b\f\n\r\t"]]), "\"\\/\b\f\n\r\t", "escapes")
  t.eq(turso.json_decode([["caf\u00e9 \u20ac \ud83d\ude00"]]), "café € 😀", "\\u escapes and surrogate pairs to UTF-8")
  t.eq(turso.json_decode([["a\u0000b"]]), "a\0b", "\\u0000 is kept")
  t.eq(turso.json_decode('{"k": 1, "k": 2}').k, 2, "of duplicate keys the last wins")
end)

t.test("json_decode: long arrays and objects keep every member in order", function()
  local items, fields = {}, {}
  for i = 1, 1000 do
    items[i] = tostring(i * 3)
    fields[i] = string.format('"f%d": %d', i, i)
  end
  local a = turso.json_decode("[" .. table.concat(items, ",") .. "]")
  t.eq(#a, 1000, "length")
  for i = 1, 1000 do
    if a[i] ~= i * 3 then t.eq(a[i], i * 3, "item " .. i) end
  end
  local o = turso.json_decode("{" .. table.concat(fields, ",") .. "}")
  local count = 0
  for k, val in pairs(o) do
    count = count + 1
    t.eq(k, "f" .. val, "key matches value")
  end
  t.eq(count, 1000, "every field")
  local nested = string.rep("[", 1000) .. string.rep("]", 1000)
  t.check(turso.json_decode(nested) ~= nil, "1000 levels (cJSON's limit) decode")
end)

t.test("json_decode refuses what is not JSON, with nil and a message", function()
  local bad = {"", " ", "[1,]", "[1 2]", '{"a" 1}', '{"a":1,}', "{1:2}", "01", "1.", ".5", "-", "1e",
               "tru", "nul", "[1] x", '"abc', '"\\x"', '"\\u12"', '"\\ud800"', '"\\udc00x"',
               '"a\1b"', "[" .. string.rep("[", 1000) .. string.rep("]", 1001), "NaN", "'x'"}
  for _, text in ipairs(bad) do
    local v, err = turso.json_decode(text)
    t.check(v == nil and err == "not valid JSON", "refused: " .. text:sub(1, 20))
  end
  t.raises(function() turso.json_decode({}) end, "string expected")
end)

t.test("json_decode finds a string's end, escape or control byte wherever it falls", function()
  -- Strings are scanned 8 bytes at a time: every position within and across those words.
  for len = 0, 40 do
    local plain = string.rep("x", len)
    t.eq(turso.json_decode('"' .. plain .. '"'), plain, "plain string of " .. len)
    t.eq(turso.json_decode('["' .. plain .. '\\n' .. plain .. '"]')[1], plain .. "\n" .. plain,
         "escape after " .. len)
    t.eq(turso.json_decode('"' .. plain .. '\xc3\xa9\x7f"'), plain .. "\xc3\xa9\x7f", "high and DEL bytes pass")
    for _, control in ipairs({"\0", "\31"}) do
      local v, err = turso.json_decode('"' .. plain .. control .. plain .. '"')
      t.check(v == nil and err == "not valid JSON", "control byte " .. control:byte() .. " refused after " .. len)
    end
    local v, err = turso.json_decode('"' .. plain)
    t.check(v == nil and err == "not valid JSON", "unterminated after " .. len)
  end
end)

t.test("json_encode raises on what JSON cannot hold", function()
  t.raises(function() turso.json_encode(print) end, "cannot encode a function")
  t.raises(function() turso.json_encode({1, 2, x = 3}) end, "mixes keys")
  t.raises(function() turso.json_encode(0 / 0) end, "not a JSON number")
  local cycle = {}
  cycle.self = cycle
  t.raises(function() turso.json_encode(cycle) end, "nested too deeply")
end)

t.test("turso.client falls back to the environment and checks options", function()
  local c = turso.client {token = "t", base_url = "http://127.0.0.1:9", org = "acme"}
  t.eq(c:org(), "acme", "org")
  t.eq(c:base_url(), "http://127.0.0.1:9", "base_url")
  t.check(tostring(c):find("turso.client", 1, true), "tostring names the type")
  t.raises(function() turso.client {tokn = "x"} end, "unknown option 'tokn'")
  t.raises(function() turso.client {timeout_ms = "soon"} end, "'timeout_ms' must be an integer")
  t.raises(function() turso.client {token = 5} end, "'token' must be a string")
  t.raises(function() turso.client {base_url = "ftp://x"} end, "bad value for 'base_url'")
  t.raises(function() turso.client {retries = -1} end, "'retries' must be >= 0")
  t.raises(function() turso.client "x" end, "table expected")
  c:close()
end)

t.test("namespaces and methods come from the operations table", function()
  local c = turso.client {token = "t", base_url = "http://127.0.0.1:9", org = "o"}
  for _, id in ipairs(turso.operations()) do
    local ns, method = id:match("^([^.]+)%.(.+)$")
    t.eq(type(c[ns][method]), "function", id)
  end
  t.raises(function() return c.nonsense end, "no namespace or method 'nonsense'")
  t.raises(function() return c.databases.explode end, "unknown operation 'databases.explode'")
  t.eq(c.databases, c.databases, "a namespace is built once")
  c:close()
end)

t.test("misuse raises before anything is sent", function()
  local c = turso.client {token = "t", base_url = "http://127.0.0.1:9", org = "o", retries = 0}
  t.raises(function() c.databases.get {dbb = "x"} end, "unknown argument 'dbb' (it takes: org, db)")
  t.raises(function() c.databases.get "x" end, "expected a table of named arguments")
  t.raises(function() c.databases.get {} end, "missing argument 'db'")
  t.raises(function() c.databases.create {name = print} end, "argument 'name' cannot be a function")
  t.raises(function() c.databases.get {"x"} end, "arguments are named")
  t.raises(function() c:call("databases.nope", {}) end, "unknown operation 'databases.nope'")
  t.raises(function() c:call(42) end, "unknown operation '42'")
  t.raises(function() c:batch {{"no.such", {}}} end, "unknown operation 'no.such'")
  t.raises(function() c:batch({}, {concurrency = 0}) end, "concurrency must be")
  t.raises(function() c:batch({}, {bogus = 1}) end, "unknown option 'bogus'")
  t.raises(function() c:batch {42} end, "call 1 is a number")
  t.raises(function() c:request(nil, "/x") end, "string expected")
  c:close()
end)

t.test("closed handles raise; __close and __gc free them", function()
  local ns
  do
    local c <close> = turso.client {token = "t", base_url = "http://127.0.0.1:9"}
    ns = c.locations
    t.check(not tostring(c):find("closed"), "open inside the block")
  end
  t.raises(function() ns.list {} end, "attempt to use a closed turso.client")
  local c = turso.client {token = "t", base_url = "http://127.0.0.1:9"}
  c:close()
  c:close() -- closing twice is harmless
  t.eq(tostring(c), "turso.client (closed)", "tostring of a closed client")
  t.raises(function() c:call("locations.list", {}) end, "closed turso.client")
  t.raises(function() return c.databases end, "closed turso.client")
  -- Many clients left to the collector: __gc frees each (LeakSanitizer checks under tursh).
  for _ = 1, 200 do
    local tmp = turso.client {token = "t", base_url = "http://127.0.0.1:9"}
    local _ = tmp.databases
  end
  collectgarbage()
  collectgarbage()
end)

t.test("a network failure is a runtime error: nil, err", function()
  -- Port 9 (discard) on loopback is closed: the connection is refused at once.
  local c = turso.client {token = "t", base_url = "http://127.0.0.1:9", org = "o", retries = 0}
  local v, err = c.locations.list {}
  t.eq(v, nil, "no value")
  t.check(turso.is_error(err), "an error table")
  t.eq(err.status, "TP_E_NETWORK", "status")
  t.eq(err.code, 10, "code")
  t.eq(err.http_status, 0, "no HTTP status")
  t.eq(err.op, "locations.list", "op")
  t.check(tostring(err):find("^locations.list: .*%(TP_E_NETWORK%)$"), "tostring: " .. tostring(err))
  c:close()
end)

t.finish()
