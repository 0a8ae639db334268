-- Tab completion for the REPL. Namespaces, methods and argument names come from
-- turso.operations(), never from a list kept here.
local turso = require "turso"

local M = {}

local keywords = {"and", "break", "do", "else", "elseif", "end", "false", "for", "function",
  "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"}
local client_methods = {"call", "request", "batch", "close", "org", "base_url"}

local ops_cache
local function ops()
  if not ops_cache then
    ops_cache = {byid = {}, namespaces = {}, list = turso.operations(true)}
    local seen = {}
    for _, op in ipairs(ops_cache.list) do
      ops_cache.byid[op.id] = op
      local ns = op.id:match("^([^.]+)%.")
      if not seen[ns] then
        seen[ns] = true
        ops_cache.namespaces[#ops_cache.namespaces + 1] = ns
      end
    end
  end
  return ops_cache
end

-- The operation whose argument table the cursor is in: `x.ns.method{... ` or
-- `x:call("ns.method", {... `.
local function open_call(before)
  local id = before:match("call%s*%(%s*[\"']([%w_.]+)[\"']%s*,%s*{[^{}]*$")
  if not id then
    local ns, method = before:match("([%a_][%w_]*)[.:]([%a_][%w_]*)%s*%(?%s*{[^{}]*$")
    if ns then id = ns .. "." .. method end
  end
  return id and ops().byid[id]
end

-- The value a dotted chain names ("c.databases"), or nil; never raises.
local function resolve(path)
  local value = _G
  for part in path:gmatch("[^.:]+") do
    if turso.is_client(value) then
      local known = false
      for _, ns in ipairs(ops().namespaces) do known = known or ns == part end
      if not known then return nil end
    elseif type(value) ~= "table" then
      return nil
    end
    local ok, v = pcall(function() return value[part] end)
    if not ok or v == nil then return nil end
    value = v
  end
  return value
end

local function names_of(value, after_colon)
  local names = {}
  if turso.is_client(value) then
    for _, m in ipairs(client_methods) do names[#names + 1] = m end
    if not after_colon then
      for _, ns in ipairs(ops().namespaces) do names[#names + 1] = ns .. "." end
    end
  elseif type(value) == "table" then
    for k in pairs(value) do
      if type(k) == "string" and k:match("^[%a_][%w_]*$") and k:sub(1, 1) ~= "_" then
        names[#names + 1] = k
      end
    end
  end
  return names
end

local function common_prefix(list)
  local prefix = list[1]
  for i = 2, #list do
    local s = list[i]
    local n = 0
    while n < #prefix and n < #s and prefix:sub(n + 1, n + 1) == s:sub(n + 1, n + 1) do n = n + 1 end
    prefix = prefix:sub(1, n)
  end
  return prefix
end

local function finish(found)
  table.sort(found)
  local out = {}
  for i, v in ipairs(found) do
    if v ~= found[i - 1] then out[#out + 1] = v end
  end
  if #out == 1 then return out end
  if #out == 0 then return {} end
  table.insert(out, 1, common_prefix(out))
  return out
end

-- candidates(line up to the cursor, the word being completed): a list whose first element
-- replaces the word (the common prefix), followed by the candidates; {} for none.
function M.candidates(line, word)
  local before = line:sub(1, #line - #word)
  local found = {}
  local op = word:match("^[%a_]*[%w_]*$") and open_call(before)
  if op then
    for _, p in ipairs(op.params) do
      if p.name:sub(1, #word) == word then found[#found + 1] = p.name .. "=" end
    end
    return finish(found)
  end
  local path, sep, partial = word:match("^(.-)([.:]?)([%a_]?[%w_]*)$")
  if path == nil then return {} end
  if sep == "" then
    for k in pairs(_G) do
      if type(k) == "string" and k:sub(1, #partial) == partial then found[#found + 1] = k end
    end
    for _, k in ipairs(keywords) do
      if k:sub(1, #partial) == partial then found[#found + 1] = k end
    end
    return finish(found)
  end
  local value = resolve(path)
  if value == nil then return {} end
  for _, name in ipairs(names_of(value, sep == ":")) do
    if name:sub(1, #partial) == partial then found[#found + 1] = path .. sep .. name end
  end
  return finish(found)
end

return M
