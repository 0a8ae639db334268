-- The command layer: `tursh db list`, `tursh group create NAME --location L`, ... for people
-- used to the official CLI. Each command calls operations of the module and prints the answer
-- for people, or as JSON with --json. Exit codes: 0 done, 1 the API said no, 2 usage; either
-- way one line on stderr. What the module raises for the user's input (a name that is not
-- UTF-8, an --org it refuses) is a usage error. The platform token is never printed; tokens
-- minted are (that is what minting is for). Text from the server is escaped (pretty.escape).
local turso = require "turso"
local cli = require "tursh.cli"
local pretty = require "tursh.pretty"

local M = {}

local function say(...) io.stdout:write(...) io.stdout:write("\n") end
local esc = pretty.escape

local function join(list)
  if type(list) ~= "table" then return list == nil and "" or tostring(list) end
  local parts = {}
  for i, v in ipairs(list) do parts[i] = tostring(v) end
  return table.concat(parts, ",")
end

-- The list inside an answer: {databases = {...}} or a bare list.
local function list_of(answer, key)
  if type(answer) ~= "table" then return {} end
  return answer[key] or (#answer > 0 and answer) or {}
end

local function show_record(record)
  say(pretty.format(record))
end

local function token_args(opts)
  return opts.expiration, opts["read-only"] and "read-only" or nil
end

-- Each command: the words naming it, its arguments and options, and run(c, args, opts), which
-- returns the answer (printed as JSON with --json) and how to show it to people.
local commands = {
  {
    words = "db list",
    run = function(c)
      local r, err = c.databases.list{}
      if not r then return nil, err end
      return r, function()
        local rows = {}
        for i, db in ipairs(list_of(r, "databases")) do
          rows[i] = {name = db.Name or db.name, group = db.group, hostname = db.Hostname or db.hostname,
                     locations = join(db.regions or db.locations)}
        end
        say(pretty.columns(rows, {"name", "group", "locations", "hostname"}))
      end
    end,
  },
  {
    words = "db create", args = {"NAME"}, values = {"group", "location"},
    run = function(c, a, opts)
      local group = opts.group
      if not group then
        local err, usage
        group, err, usage = M.group_for_new_database(c, opts.location)
        if not group then return nil, err, usage end
      end
      local r, err = c.databases.create{name = a[1], group = group, location = opts.location}
      if not r then return nil, err end
      return r, function()
        local db = type(r) == "table" and r.database or {}
        say(esc(string.format("Created database %s in group %s%s.", a[1], group,
          db.Hostname and (" at " .. tostring(db.Hostname)) or "")))
      end
    end,
  },
  {
    words = "db show", args = {"NAME"},
    run = function(c, a)
      local r, err = c.databases.get{db = a[1]}
      if not r then return nil, err end
      return r, function() show_record(r.database or r) end
    end,
  },
  {
    words = "db destroy", args = {"NAME"}, flags = {"yes"}, needs_yes = true,
    run = function(c, a)
      local r, err = c.databases.delete{db = a[1]}
      if not r then return nil, err end
      return r, function() say("Destroyed database ", esc(a[1]), ".") end
    end,
  },
  {
    words = "db tokens create", args = {"NAME"}, values = {"expiration"}, flags = {"read-only"},
    run = function(c, a, opts)
      local expiration, authorization = token_args(opts)
      local r, err = c.databases.create_token{db = a[1], expiration = expiration, authorization = authorization}
      if not r then return nil, err end
      return r, function() say(esc(r.jwt)) end
    end,
  },
  {
    words = "db tokens invalidate", args = {"NAME"},
    run = function(c, a)
      local r, err = c.databases.rotate_tokens{db = a[1]}
      if not r then return nil, err end
      local answer = type(r) == "table" and r or {database = a[1], invalidated = true}
      return answer, function() say("Invalidated every token of database ", esc(a[1]), ".") end
    end,
  },
  {
    words = "group list",
    run = function(c)
      local r, err = c.groups.list{}
      if not r then return nil, err end
      return r, function()
        local rows = {}
        for i, g in ipairs(list_of(r, "groups")) do
          rows[i] = {name = g.name, locations = join(g.locations), primary = g.primary}
        end
        say(pretty.columns(rows, {"name", "locations", "primary"}))
      end
    end,
  },
  {
    words = "group create", args = {"NAME"}, values = {"location"},
    run = function(c, a, opts)
      if not opts.location then return nil, nil, "group create: --location is required" end
      local r, err = c.groups.create{name = a[1], location = opts.location}
      if not r then return nil, err end
      return r, function() say(esc("Created group " .. a[1] .. " in " .. opts.location .. ".")) end
    end,
  },
  {
    words = "group destroy", args = {"NAME"}, flags = {"yes"}, needs_yes = true,
    run = function(c, a)
      local r, err = c.groups.delete{group = a[1]}
      if not r then return nil, err end
      return r, function() say("Destroyed group ", esc(a[1]), ".") end
    end,
  },
  {
    words = "group tokens create", args = {"NAME"}, values = {"expiration"}, flags = {"read-only"},
    run = function(c, a, opts)
      local expiration, authorization = token_args(opts)
      local r, err = c.groups.create_token{group = a[1], expiration = expiration, authorization = authorization}
      if not r then return nil, err end
      return r, function() say(esc(r.jwt)) end
    end,
  },
  {
    words = "org list",
    run = function(c)
      local r, err = c.organizations.list{}
      if not r then return nil, err end
      return r, function()
        local rows = {}
        for i, o in ipairs(list_of(r, "organizations")) do
          rows[i] = {name = o.name, slug = o.slug, type = o.type}
        end
        say(pretty.columns(rows, {"name", "slug", "type"}))
      end
    end,
  },
  {
    words = "org members list",
    run = function(c)
      local r, err = c.members.list{}
      if not r then return nil, err end
      return r, function()
        local rows = {}
        for i, m in ipairs(list_of(r, "members")) do rows[i] = {username = m.username, role = m.role, email = m.email} end
        say(pretty.columns(rows, {"username", "role", "email"}))
      end
    end,
  },
  {
    words = "auth api-tokens list",
    run = function(c)
      local r, err = c.tokens.list{}
      if not r then return nil, err end
      return r, function()
        local rows = {}
        for i, t in ipairs(list_of(r, "tokens")) do rows[i] = {name = t.name, id = t.id} end
        say(pretty.columns(rows, {"name", "id"}))
      end
    end,
  },
  {
    words = "auth api-tokens mint", args = {"NAME"},
    run = function(c, a)
      local r, err = c.tokens.create{token_name = a[1]}
      if not r then return nil, err end
      return r, function()
        say(esc(r.token))
        io.stderr:write("Keep this token: it is shown only once.\n")
      end
    end,
  },
  {
    words = "auth api-tokens revoke", args = {"NAME"},
    run = function(c, a)
      local r, err = c.tokens.revoke{token_name = a[1]}
      if not r then return nil, err end
      return r, function() say("Revoked token ", esc(a[1]), ".") end
    end,
  },
  {
    words = "locations",
    run = function(c)
      local r, err = c.locations.list{}
      if not r then return nil, err end
      return r, function()
        local rows = {}
        for code, name in pairs(type(r.locations) == "table" and r.locations or {}) do
          rows[#rows + 1] = {code = code, name = name}
        end
        table.sort(rows, function(x, y) return x.code < y.code end)
        say(pretty.columns(rows, {"code", {"name", "location"}}))
      end
    end,
  },
}

-- The group of `db create` without --group, as the official CLI chooses it: the organization's
-- only group; with none, a group "default" made first in the --location given (the current API
-- requires a group, and the service no longer makes "default" by itself); with several, the
-- caller must choose. Returns the name, or nil and an API error, or nil, nil and a usage error.
-- Without --location the official CLI asks region.turso.io for the closest location; tursh does
-- not guess a place for data and asks for --location instead.
function M.group_for_new_database(c, location)
  local r, err = c.groups.list{}
  if not r then return nil, err end
  local groups = list_of(r, "groups")
  if #groups == 1 then return groups[1].name end
  if #groups > 1 then
    local names = {}
    for i, g in ipairs(groups) do names[i] = g.name end
    table.sort(names)
    return nil, nil, "db create: the organization has " .. #groups .. " groups (" .. table.concat(names, ", ") ..
      "): choose one with --group"
  end
  if not location then
    return nil, nil, "db create: the organization has no group yet: add --location L to create group " ..
      "'default' there ('tursh locations' lists them), or make one with 'tursh group create NAME " ..
      "--location L' and pass --group NAME"
  end
  local created, cerr = c.groups.create{name = "default", location = location}
  if not created and cerr.http_status ~= 409 then return nil, cerr end -- 409: made meanwhile
  if created then
    io.stderr:write(esc("Created group default in " .. location .. "."), "\n")
    -- As the official CLI does: the service may take a moment to place a new group.
    c.groups.wait_location{group = "default", location = location}
  end
  return "default"
end

-- A usage error: one line on stderr, exit code 2.
local function usage_error(message)
  io.stderr:write("tursh: ", esc(message), " (tursh --help)\n")
  return 2
end

-- What the module raises for a call is misuse, and the arguments of commands come from the
-- user: a guarded client turns those raises into a usage error (an error object of its own,
-- so that a bug in a command still shows its traceback).
local Usage = {}
Usage.__index = Usage

local function guarded(c)
  local namespaces = {}
  return setmetatable({}, {__index = function(_, ns)
    if namespaces[ns] then return namespaces[ns] end
    local real = c[ns]
    local methods = setmetatable({}, {__index = function(t, name)
      local method = real[name]
      local function call(args)
        local ok, r, err = pcall(method, args)
        if not ok then error(setmetatable({message = tostring(r)}, Usage), 0) end
        return r, err
      end
      rawset(t, name, call)
      return call
    end})
    namespaces[ns] = methods
    return methods
  end})
end

local function help_for(command)
  local line = "usage: tursh " .. command.words
  for _, a in ipairs(command.args or {}) do line = line .. " " .. a end
  for _, v in ipairs(command.values or {}) do line = line .. " [--" .. v .. " " .. v:upper() .. "]" end
  for _, f in ipairs(command.flags or {}) do line = line .. " [--" .. f .. "]" end
  return line .. " [--json] [--org ORG]"
end

-- The command whose words start `words` (the longest match), and the words after them.
local function find(words)
  local best, used = nil, 0
  for _, command in ipairs(commands) do
    local n, match = 0, true
    for w in command.words:gmatch("%S+") do
      n = n + 1
      if words[n] ~= w then match = false break end
    end
    if match and n > used then best, used = command, n end
  end
  return best, table.move(words, used + 1, #words, 1, {})
end

-- main(words, {json=}): runs one command; returns the exit code.
function M.main(words, global)
  local command, rest = find(words)
  if not command then
    local known = {}
    for _, cmd in ipairs(commands) do
      if cmd.words:match("^%S+") == words[1] then known[#known + 1] = "tursh " .. cmd.words end
    end
    return usage_error("unknown command '" .. table.concat(words, " ") .. "'" ..
      (#known > 0 and ("; did you mean: " .. table.concat(known, ", ")) or ""))
  end
  local args, opts = cli.parse(rest, command)
  if not args then return usage_error(command.words .. ": " .. opts .. "; " .. help_for(command)) end
  if opts.help then
    print(help_for(command))
    return 0
  end
  if command.needs_yes and not opts.yes then
    return usage_error(command.words .. ": this cannot be undone; add --yes to confirm")
  end
  local made, c = pcall(turso.client, {org = opts.org})
  if not made then return usage_error(tostring(c)) end
  -- run returns the answer and how to show it, or nil and the error, or nil, nil, a usage error.
  local ran, answer, show_or_err, usage = xpcall(command.run, function(e)
    if getmetatable(e) == Usage then return e end
    return debug.traceback(tostring(e), 2) -- a bug: shown with its traceback
  end, guarded(c), args, opts)
  c:close()
  if not ran then
    if getmetatable(answer) == Usage then return usage_error(answer.message) end
    io.stderr:write("tursh: ", answer, "\n")
    return 1
  end
  if usage then return usage_error(usage) end
  if answer == nil then
    io.stderr:write("tursh: ", esc(tostring(show_or_err)), "\n")
    return 1
  end
  if global.json or opts.json then
    say(pretty.json(answer))
  else
    show_or_err()
  end
  return 0
end

M.commands = commands
return M
