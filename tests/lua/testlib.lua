-- A small test harness for the Lua tests: named cases, assertions with messages, a summary,
-- and a non-zero exit when anything failed. Runs the same under lua5.4 and tursh.
local M = {failures = 0, count = 0}

function M.test(name, fn)
  M.count = M.count + 1
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    io.write("ok   ", name, "\n")
  else
    M.failures = M.failures + 1
    io.write("FAIL ", name, "\n  ", tostring(err):gsub("\n", "\n  "), "\n")
  end
end

function M.eq(actual, expected, what)
  if actual ~= expected then
    error(string.format("%s: expected %s, got %s", what or "value", tostring(expected), tostring(actual)), 2)
  end
end

function M.check(cond, what)
  if not cond then error(what or "check failed", 2) end
  return cond
end

-- fn must raise an error whose text contains `fragment` (plain text).
function M.raises(fn, fragment)
  local ok, err = pcall(fn)
  if ok then error("expected an error containing '" .. fragment .. "'", 2) end
  if not tostring(err):find(fragment, 1, true) then
    error("error '" .. tostring(err) .. "' does not contain '" .. fragment .. "'", 2)
  end
end

-- A name unique to this run, for resources on a shared server.
local counter = 0
function M.name(prefix)
  counter = counter + 1
  return string.format("%s-%d-%d", prefix, os.time() % 100000, counter)
end

function M.finish()
  io.write(string.format("%d tests, %d failed (%s)\n", M.count, M.failures, _VERSION))
  os.exit(M.failures == 0, true) -- true: close the state, so every __gc runs
end

return M
