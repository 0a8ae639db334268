-- How the shell shows values: a list of records as aligned columns, other tables as indented
-- key = value lines, errors in one line; colour only when stdout is a terminal (and NO_COLOR
-- is unset). print_json is the --json form. Text from the server never reaches the terminal
-- raw: control characters are escaped (M.escape), so a name cannot retitle or recolour it.
local turso = require "turso"
local sys = require "tursh.sys"

local M = {}

local colour = sys.isatty(1) and not os.getenv("NO_COLOR")
local function paint(code, s)
  if not colour then return s end
  return "\27[" .. code .. "m" .. s .. "\27[0m"
end

-- Lua-style escapes of what a terminal would act on: C0 controls, DEL, C1 controls (U+0080 to
-- U+009F, which some terminals take as ESC sequences) and bytes that are not UTF-8. Ordinary
-- UTF-8 stays. `lines` keeps newlines and tabs (a raw body, a multi-line message).
local named = {["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t"}

local function utf8_length(lead)
  if lead >= 0xC2 and lead <= 0xDF then return 2 end
  if lead >= 0xE0 and lead <= 0xEF then return 3 end
  if lead >= 0xF0 and lead <= 0xF4 then return 4 end
  return nil
end

function M.escape(s, lines)
  s = tostring(s)
  if not s:find("[\0-\31\127-\255]") then return s end -- plain ASCII: the common case
  local out, i, n = {}, 1, #s
  while i <= n do
    local b = s:byte(i)
    if b < 0x80 then
      local c = string.char(b)
      if b >= 0x20 and b ~= 0x7f or lines and (c == "\n" or c == "\t") then
        out[#out + 1] = c
      else
        out[#out + 1] = named[c] or string.format("\\x%02X", b)
      end
      i = i + 1
    else
      local len = utf8_length(b)
      local seq = len and s:sub(i, i + len - 1)
      if seq and #seq == len and utf8.len(seq) == 1 then
        local code = utf8.codepoint(seq)
        out[#out + 1] = code <= 0x9F and string.format("\\u{%X}", code) or seq
        i = i + len
      else
        out[#out + 1] = string.format("\\x%02X", b)
        i = i + 1
      end
    end
  end
  return table.concat(out)
end

local function is_scalar(v)
  local t = type(v)
  return t == "string" or t == "number" or t == "boolean" or v == turso.null
end

local function is_list(t)
  if type(t) ~= "table" then return false end
  if turso.is_array(t) then return true end
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n > 0 and n == #t
end

-- A cell of a column: scalars as text, a list of scalars joined by commas.
local function cell(v)
  if v == nil then return "" end
  if v == turso.null then return "null" end
  if is_scalar(v) then return M.escape(v) end
  if is_list(v) then
    local parts = {}
    for i, item in ipairs(v) do
      if not is_scalar(item) then return "[" .. #v .. " items]" end
      parts[i] = M.escape(item)
    end
    return table.concat(parts, ",")
  end
  return "{...}"
end

-- A list of records: every element a table with string keys, at least one.
local function is_records(t)
  if not is_list(t) or #t == 0 then return false end
  for _, row in ipairs(t) do
    if type(row) ~= "table" or is_list(row) or next(row) == nil then return false end
  end
  return true
end

local preferred = {name = 1, Name = 1, id = 2, uuid = 3, DbId = 3, slug = 4}

local function column_order(rows)
  local seen, keys = {}, {}
  for _, row in ipairs(rows) do
    for k in pairs(row) do
      if type(k) == "string" and not seen[k] then
        seen[k] = true
        keys[#keys + 1] = k
      end
    end
  end
  table.sort(keys, function(a, b)
    local pa, pb = preferred[a] or 9, preferred[b] or 9
    if pa ~= pb then return pa < pb end
    return a:lower() < b:lower()
  end)
  return keys
end

local function width(s) return utf8.len(s) or #s end

local function pad(s, n) return s .. string.rep(" ", n - width(s)) end

-- Aligned columns; columns = a list of keys, or {key, title} pairs (default: every key).
function M.columns(rows, columns)
  columns = columns or column_order(rows)
  local keys, titles = {}, {}
  for i, col in ipairs(columns) do
    if type(col) == "table" then keys[i], titles[i] = col[1], col[2]
    else keys[i], titles[i] = col, col end
    titles[i] = M.escape(titles[i]) -- keys of records come from the server too
  end
  local widths, cells = {}, {}
  for i, title in ipairs(titles) do widths[i] = width(title) end
  for r, row in ipairs(rows) do
    cells[r] = {}
    for i, key in ipairs(keys) do
      local text = cell(row[key])
      if width(text) > 60 then text = text:sub(1, utf8.offset(text, 58) - 1) .. "..." end
      cells[r][i] = text
      if width(text) > widths[i] then widths[i] = width(text) end
    end
  end
  local lines = {}
  local header = {}
  for i, title in ipairs(titles) do header[i] = pad(title:upper(), widths[i]) end
  lines[1] = paint("1", (table.concat(header, "  "):gsub("%s+$", "")))
  for r, row in ipairs(cells) do
    local parts = {}
    for i, text in ipairs(row) do parts[i] = pad(text, widths[i]) end
    lines[r + 1] = (table.concat(parts, "  "):gsub("%s+$", ""))
  end
  return table.concat(lines, "\n")
end

-- A string as a Lua literal, escaped for the terminal.
local function quoted(s)
  return '"' .. M.escape((s:gsub('[\\"]', "\\%0"))) .. '"'
end

local function scalar_text(v)
  if type(v) == "string" then return paint("32", quoted(v)) end
  if type(v) == "number" then return paint("36", tostring(v)) end
  if v == turso.null then return paint("2", "null") end
  return tostring(v)
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) == type(b) and (type(a) == "number" or type(a) == "string") then return a < b end
    return type(a) < type(b)
  end)
  return keys
end

local function format(v, indent, seen)
  if turso.is_error(v) then return paint("31", "error: " .. M.escape(tostring(v))) end
  if type(v) ~= "table" then return is_scalar(v) and scalar_text(v) or tostring(v) end
  if seen[v] then return "<cycle>" end
  seen[v] = true
  if is_records(v) then
    local text = M.columns(v)
    seen[v] = nil
    return "\n" .. (text:gsub("^", indent .. "  "):gsub("\n", "\n" .. indent .. "  "))
  end
  local keys = sorted_keys(v)
  if #keys == 0 then return turso.is_array(v) and "[]" or "{}" end
  if is_list(v) then
    local inline = {}
    for i, item in ipairs(v) do inline[i] = is_scalar(item) and scalar_text(item) or nil end
    if #inline == #v then
      seen[v] = nil
      return "[" .. table.concat(inline, ", ") .. "]"
    end
  end
  local lines = {}
  for _, k in ipairs(keys) do
    local value = v[k]
    local label = M.escape(type(k) == "string" and k or "[" .. tostring(k) .. "]")
    local text = format(value, indent .. "  ", seen)
    -- Nested key lines go below their key; inline forms ([1, 2], {}, errors) stay on it.
    if type(value) == "table" and not turso.is_error(value) and not text:find("^[\n%[{]") then
      text = "\n" .. text
    end
    lines[#lines + 1] = indent .. paint("1", label) .. ":" .. (text:find("^\n") and "" or " ") .. text
  end
  seen[v] = nil
  return table.concat(lines, "\n")
end

-- The human form of one value, as the REPL and commands show it.
function M.format(v)
  if type(v) == "table" and not turso.is_error(v) then
    -- An answer that wraps one list of records ({databases = {...}}) shows as its columns.
    local keys = sorted_keys(v)
    if #keys == 1 and is_records(v[keys[1]]) then return M.columns(v[keys[1]]) end
    if is_records(v) then return M.columns(v) end
    local text = format(v, "", {})
    return (text:gsub("^\n", ""))
  end
  if type(v) == "string" then return M.escape(v, true) end
  return format(v, "", {})
end

-- The REPL's printing of results: `nil, err` shows only the error.
function M.print_results(...)
  local n = select("#", ...)
  local values = table.pack(...)
  local i = 1
  while i <= n do
    local v = values[i]
    if v == nil and i < n and turso.is_error(values[i + 1]) then
      i = i + 1
      v = values[i]
    end
    io.stdout:write(M.format(v), "\n")
    i = i + 1
  end
end

-- JSON text of a value; values JSON cannot hold show as strings. json_encode escapes C0 and
-- DEL; C1 controls (UTF-8 C2 80 to C2 9F, only ever inside strings) become \u0080..\u009f too.
local function json_c1(text)
  return (text:gsub("\xC2([\x80-\x9F])", function(b) return string.format("\\u%04x", b:byte()) end))
end

function M.json(v)
  local ok, text = pcall(turso.json_encode, v, true)
  if ok then return json_c1(text) end
  return json_c1(turso.json_encode(tostring(v)))
end

function M.print_json(...)
  local values = table.pack(...)
  for i = 1, values.n do io.stdout:write(M.json(values[i]), "\n") end
end

return M
