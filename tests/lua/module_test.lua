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
  t.raises(function() turso.json_encode(cycle) end, "a table contains itself")
  local deep = {cycle = {{cycle}}}
  t.raises(function() turso.json_encode(deep) end, "a table contains itself")
end)

t.test("JSON nesting: encode and decode both take 1000 levels, and say so past them", function()
  local function nest(levels)
    local top = turso.array {}
    local cur = top
    for _ = 2, levels do
      cur[1] = turso.array {}
      cur = cur[1]
    end
    return top
  end
  local text = turso.json_encode(nest(1000))
  t.check(text == string.rep("[", 1000) .. string.rep("]", 1000), "1000 levels encode")
  t.check(turso.json_decode(text) ~= nil, "and decode back")
  t.eq(#turso.json_encode(turso.json_decode(text), true) > 0, true, "pretty too")
  t.raises(function() turso.json_encode(nest(1001)) end, "nested more than 1000 levels deep")
  local v, err = turso.json_decode(string.rep("[", 1001) .. string.rep("]", 1001))
  t.check(v == nil and err == "not valid JSON", "1001 levels do not decode")
  -- The same table twice, side by side, is no cycle.
  local shared = {1, 2}
  t.eq(turso.json_encode({a = shared, b = {shared, shared}}), '{"a":[1,2],"b":[[1,2],[1,2]]}', "shared table")
end)

t.test("json_decode takes numbers of any length, as JSON does", function()
  local long = "0.1000000000000000000000000000000000000000000000000000000000000001" -- 66 characters
  t.eq(turso.json_decode(long), 0.1, "a 66-character fraction")
  t.eq(turso.json_decode("[" .. long .. "]")[1], 0.1, "inside an array")
  t.eq(turso.json_decode("-" .. long), -0.1, "negative")
  local one = "1." .. string.rep("0", 300)
  t.eq(turso.json_decode(one), 1, "300 zeros after the point")
  t.eq(math.type(turso.json_decode(one)), "integer", "integral, so an integer as short ones are")
  local big = turso.json_decode(string.rep("9", 400))
  t.eq(math.type(big), "float", "400 digits: a float")
  t.eq(big, math.huge, "past the double range, as strtod and shorter numbers give")
  t.eq(turso.json_decode("12345678901234567890123456789012345678901234567890123456789012345e-60"),
       12345.678901234567890123456789, "64 characters with an exponent")
  for _, bad in ipairs {"1." .. string.rep("0", 100) .. ".", string.rep("1", 100) .. "e", "-" .. string.rep("0", 80),
                        "0" .. string.rep("1", 80), string.rep("1", 70) .. "x"} do
    local v, err = turso.json_decode(bad)
    t.check(v == nil and err == "not valid JSON", "refused: " .. bad:sub(1, 30))
  end
end)

t.test("status_name: codes outside int32 are unknown, not truncated", function()
  t.eq(turso.status_name(0), "TP_OK", "0")
  t.eq(turso.status_name(24), "TP_E_NOT_FOUND", "24")
  for _, code in ipairs {2 ^ 32, 2 ^ 32 + 24, math.mininteger, math.maxinteger, 2 ^ 31, -2 ^ 31 - 1, -1, 999} do
    t.eq(turso.status_name(math.tointeger(code)), "TP_E_UNKNOWN", "code " .. string.format("%.0f", code))
  end
  t.raises(function() turso.status_name(1.5) end, "number has no integer representation")
end)

t.test("turso.client falls back to the environment and checks options", function()
  local c = turso.client {token = "t", base_url = "http://127.0.0.1:9", org = "acme"}
  t.eq(c:org(), "acme", "org")
  t.eq(c:base_url(), "http://127.0.0.1:9", "base_url")
  t.check(tostring(c):find("turso.client", 1, true), "tostring names the type")
  t.raises(function() turso.client {tokn = "x"} end, "unknown option 'tokn'")
  t.raises(function() turso.client {timeout_ms = "soon"} end, "'timeout_ms' must be an integer")
  t.raises(function() turso.client {token = 5} end, "'token' must be a string")
  -- A refused value: the library's reason, naming the option and never quoting the value.
  t.raises(function() turso.client {base_url = "ftp://x"} end,
           "turso.client: base_url: the URL must start with http:// or https:// and a host")
  local ok, err = pcall(turso.client, {base_url = "http://user:s3cret@127.0.0.1:9"})
  t.check(not ok, "userinfo refused")
  t.eq(err:match("turso.client: .*"), "turso.client: base_url: the URL must not contain a user name or password " ..
       "(user@host)", "userinfo")
  t.raises(function() turso.client {token = "s3cret\r\nX: 1"} end,
           "turso.client: token contains a control character (such as CR or LF)")
  ok, err = pcall(turso.client, {token = "s3cret\n", org = "acme"})
  t.check(not ok and not err:find("s3cret", 1, true), "the token is not quoted: " .. tostring(err))
  t.raises(function() turso.client {timeout_ms = 0} end, "turso.client: timeout_ms must be greater than 0")
  t.raises(function() turso.client {max_connections = 2000} end,
           "turso.client: max_connections must be from 1 to 1024")
  t.raises(function() turso.client {retries = -1} end, "'retries' must be from 0 to 19")
  t.raises(function() turso.client {retries = 20} end, "'retries' must be from 0 to 19")
  t.raises(function() turso.client {retries = 2147483647} end, "'retries' must be from 0 to 19")
  t.raises(function() turso.client {retries = math.maxinteger} end, "'retries' is out of range")
  t.raises(function() turso.client {retry_delay_ms = 60001} end, "'retry_delay_ms' must be from 0 to 60000")
  t.raises(function() turso.client {retry_delay_ms = -1} end, "'retry_delay_ms' must be from 0 to 60000")
  turso.client({retries = 19, retry_delay_ms = 60000}):close()
  turso.client({retries = 0, retry_delay_ms = 0}):close()
  t.raises(function() turso.client {verify_tls = "yes"} end, "'verify_tls' must be a boolean, got a string")
  t.raises(function() turso.client {verify_tls = {}} end, "'verify_tls' must be a boolean, got a table")
  t.raises(function() turso.client {verbose = 1} end, "'verbose' must be a boolean, got a number")
  t.raises(function() turso.client "x" end, "table expected")
  c:close()
end)

-- turso.client{} in a child of this interpreter (lua5.4 or tursh) whose environment adds `env`
-- (sh assignments); gives what the child printed.
local function client_in_child(env)
  local i = -1
  while arg[i - 1] do i = i - 1 end -- the interpreter, before any of its options
  local code = 'local ok, err = pcall(require("turso").client, {base_url = "http://127.0.0.1:9"}) ' ..
               'io.write(tostring(ok), "|", tostring(err))'
  local p = assert(io.popen(string.format("env -u TURSO_TOKEN %s TURSO_CONFIG_FOLDER=/nonexistent '%s' -e '%s' 2>&1",
                                          env, arg[i], code)))
  local out = p:read("a")
  p:close()
  return out
end

t.test("turso.client: a bad environment value raises naming the variable, never the value", function()
  local out = client_in_child("TURSO_API_TOKEN=t TURSO_API_BASEURL=localhost:8080")
  t.check(out:find("^false|turso.client: TURSO_API_BASEURL: the URL must start with http:// or https:// and a host$"),
          "TURSO_API_BASEURL, even with base_url given: " .. out)
  out = client_in_child("TURSO_API_TOKEN=t TURSO_BASE_URL=http://u:s3cret@127.0.0.1:9")
  t.check(out:find("^false|turso.client: TURSO_BASE_URL: the URL must not contain a user name or password"),
          "TURSO_BASE_URL: " .. out)
  t.check(not out:find("s3cret", 1, true), "the URL is not quoted: " .. out)
  out = client_in_child("TURSO_API_TOKEN='s3cret\nX: 1'")
  t.check(out:find("^false|turso.client: TURSO_API_TOKEN contains a control character %(such as CR or LF%)$"),
          "TURSO_API_TOKEN: " .. out)
  t.check(not out:find("s3cret", 1, true), "the token is not quoted: " .. out)
  out = client_in_child("TURSO_API_TOKEN=t TURSO_ORG=$(printf 'a\\377')")
  t.check(out:find("^false|turso.client: TURSO_ORG is not valid UTF%-8$"), "TURSO_ORG: " .. out)
  t.eq(client_in_child("TURSO_API_TOKEN=t TURSO_ORG=acme"), "true|turso.client (http://127.0.0.1:9, org acme)",
       "a good environment")
end)

t.test("strings with a NUL byte are refused, not cut there", function()
  for _, key in ipairs {"token", "base_url", "org", "region_url", "user_agent", "ca_file", "proxy"} do
    t.raises(function() turso.client {[key] = "http://a\0b"} end, "turso.client: '" .. key .. "' contains a NUL byte")
  end
  local c = turso.client {token = "t", base_url = "http://127.0.0.1:9", org = "o", retries = 0}
  t.raises(function() c:request("GET", "/v1/locations\0/junk") end, "request: the path contains a NUL byte")
  t.raises(function() c:request("GET\0X", "/v1/locations") end, "request: the method contains a NUL byte")
  t.raises(function() c:call("locations.list\0x", {}) end, "call: the operation id contains a NUL byte")
  t.raises(function() c:batch {{method = "GET", path = "/v1/locations\0/junk"}} end,
           "batch: call 1: the path contains a NUL byte")
  t.raises(function() c:batch {{method = "DELETE\0", path = "/v1/x"}} end, "batch: call 1: the method contains a NUL byte")
  t.raises(function() c:batch {{"locations.list", {}}, {"locations.list\0x", {}}} end,
           "batch: call 2: the operation id contains a NUL byte")
  t.raises(function() c.databases.get {["db\0x"] = "a"} end, "databases.get: an argument name contains a NUL byte")
  t.raises(function() c.databases.get {db = "victim\0-user42"} end, "argument 'db' contains a NUL byte")
  t.raises(function() return c["databases\0x"] end, "a namespace or method name contains a NUL byte")
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

t.test("arguments the library refuses before sending raise too, naming the operation once", function()
  local c = turso.client {token = "t", base_url = "http://127.0.0.1:9", org = "o", retries = 0}
  for _, case in ipairs {{1, "an integer"}, {true, "a boolean"}, {{1, 2}, "JSON"}, {turso.null, "null"},
                         {1.5, "a number"}} do
    t.raises(function() c.databases.get {db = case[1]} end,
             "databases.get: parameter 'db' must be a string, not " .. case[2])
  end
  t.raises(function() c.databases.get {db = ""} end, "databases.get: parameter 'db' must not be empty")
  t.raises(function() c.databases.get {db = "a\xff"} end, "databases.get: argument 'db' is not valid UTF-8")
  t.raises(function() c:call("databases.get", {db = 7}) end, "databases.get: parameter 'db' must be a string")
  local ok, err = pcall(c.databases.get, {db = ""})
  t.check(not ok and not tostring(err):find("databases.get: databases.get", 1, true), "op once: " .. tostring(err))
  t.raises(function() c:request("GET", "v1/locations") end, "GET v1/locations: path must start with '/'")
  t.raises(function() c:request("GET", "/v1/locations", "{}") end, "GET /v1/locations:")
  local bare = turso.client {token = "t", base_url = "http://127.0.0.1:9", retries = 0}
  t.raises(function() bare.databases.list {} end, "databases.list: missing parameter 'org'")
  bare:close()
  -- In a batch the other calls have run: the refusal stays in place as a value, so that their
  -- results are not lost.
  local results, failed = c:batch({{"databases.get", {db = 1}}, {"databases.get", {db = ""}}}, {progress = false})
  t.eq(failed, 2, "both failed")
  t.eq(results[1].status, "TP_E_INVALID_ARGUMENT", "status in place")
  t.check(results[1].message:find("must be a string", 1, true), "message: " .. results[1].message)
  t.eq(tostring(results[2]), "databases.get: " .. results[2].message .. " (TP_E_INVALID_ARGUMENT)", "op once")
  t.check(not results[2].message:find("databases.get", 1, true), "message without the op")
  c:close()
end)

t.test("closing a client from Lua code run inside its batch is safe", function()
  -- Port 9 refuses at once, so each call ends with TP_E_NETWORK and progress runs per call.
  local function client() return turso.client {token = "t", base_url = "http://127.0.0.1:9", retries = 0} end
  local calls = {}
  for i = 1, 20 do calls[i] = {"locations.list", {}} end
  -- From the progress function: the batch runs to its end, then the client is freed.
  local c = client()
  local seen = 0
  local results, failed = c:batch(calls, {concurrency = 2, progress = function(done)
    seen = done
    if done == 1 then c:close() end
  end})
  t.eq(#results, 20, "every result")
  t.eq(failed, 20, "each refused by the port")
  t.eq(results[20].status, "TP_E_NETWORK", "the last call ran")
  t.eq(seen, 20, "progress to the end")
  t.eq(tostring(c), "turso.client (closed)", "closed")
  t.raises(function() c:batch(calls) end, "attempt to use a closed turso.client")
  c:close() -- still harmless
  -- A batch inside the progress function of another, both on the client closed by the inner one.
  c = client()
  local inner
  local outer = c:batch({calls[1], calls[2], calls[3]}, {concurrency = 1, progress = function(done)
    if done == 1 then inner = c:batch({calls[1]}, {progress = function() c:close() end}) end
  end})
  t.eq(#outer, 3, "the outer batch ends")
  t.eq(#inner, 1, "the inner batch ends")
  t.eq(tostring(c), "turso.client (closed)", "closed after both")
  -- From metamethods of the calls table, while the batch is built: it does not start.
  c = client()
  local by_len = setmetatable({}, {__len = function() c:close() return 2 end,
                                   __index = function() return calls[1] end})
  t.raises(function() c:batch(by_len, {progress = false}) end, "attempt to use a closed turso.client")
  c = client()
  local by_index = setmetatable({}, {__len = function() return 3 end, __index = function(_, i)
    if i == 2 then c:close() end
    return calls[1]
  end})
  t.raises(function() c:batch(by_index, {progress = false}) end, "attempt to use a closed turso.client")
  -- From a metamethod of a single call's arguments.
  c = client()
  local args = setmetatable({}, {__index = function() c:close() return "x" end})
  t.raises(function() c.databases.get(args) end, "attempt to use a closed turso.client")
  -- From the finalizer of an object collected during a batch.
  c = client()
  local results2 = c:batch(calls, {concurrency = 2, progress = function(done)
    if done == 1 then
      setmetatable({}, {__gc = function() c:close() end})
      collectgarbage()
    end
  end})
  t.eq(#results2, 20, "every result")
  t.eq(tostring(c), "turso.client (closed)", "closed by the finalizer")
  collectgarbage()
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
