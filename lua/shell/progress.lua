-- The progress bar of batches, drawn on stderr when it is a terminal (tursh.init decides):
-- done/total, rate and ETA, redrawn in place at most twenty times a second.
local sys = require "tursh.sys"

local M = {}

local function duration(seconds)
  seconds = math.floor(seconds + 0.5)
  if seconds < 60 then return seconds .. "s" end
  return string.format("%dm%02ds", seconds // 60, seconds % 60)
end

-- Returns a function(done, total) for turso.default_progress or c:batch{progress=}.
function M.new(out)
  local started, last_draw
  return function(done, total)
    local now = sys.now()
    if not started or done == 0 then started, last_draw = now, nil end
    if done < total and last_draw and now - last_draw < 0.05 then return end
    last_draw = now
    local elapsed = now - started
    local rate = elapsed > 0 and done / elapsed or 0
    local eta = (rate > 0 and done < total) and duration((total - done) / rate) or "-"
    local width = 24
    local filled = total > 0 and (width * done) // total or width
    out:write(string.format("\r[%s%s] %d/%d  %.1f/s  ETA %s\27[K", string.rep("#", filled),
      string.rep(".", width - filled), done, total, rate, eta))
    if done >= total then
      out:write("\n")
      started = nil
    end
    out:flush()
  end
end

return M
