-- Argument parsing for the command layer: positional words and --options, checked against
-- what a command declares. Errors are messages for the caller to print (exit code 2).
local M = {}

-- spec = {args = {"NAME"}, values = {"group", ...}, flags = {"yes", ...}}.
-- Returns positional (a list), options (a table), or nil and a message.
function M.parse(words, spec)
  local values, flags = {}, {json = true, help = true}
  for _, v in ipairs(spec.values or {}) do values[v] = true end
  for _, f in ipairs(spec.flags or {}) do flags[f] = true end
  values.org = true
  local positional, options = {}, {}
  local i = 1
  while i <= #words do
    local w = words[i]
    local name, inline = w:match("^%-%-([%w-]+)=(.*)$")
    name = name or w:match("^%-%-([%w-]+)$")
    if w == "-h" then name = "help" end
    if name then
      if values[name] then
        local v = inline
        if not v then
          i = i + 1
          v = words[i]
        end
        if v == nil then return nil, "--" .. name .. " needs a value" end
        options[name] = v
      elseif flags[name] and not inline then
        options[name] = true
      else
        return nil, "unknown option " .. w
      end
    else
      positional[#positional + 1] = w
    end
    i = i + 1
  end
  if options.help then return positional, options end
  local want = spec.args or {}
  if #positional < #want then return nil, "missing " .. want[#positional + 1] end
  if #positional > #want then return nil, "unexpected argument '" .. positional[#want + 1] .. "'" end
  return positional, options
end

return M
