-- wrk script: database creation, POST /v1/organizations/local/databases with a fresh name for
-- every request (PREFIX-<thread>-<counter>) in group "default".
--   wrk -t T -c C -d Ds -s bench/wrk/create.lua BASE_URL/v1/organizations/local/databases -- TOKEN PREFIX
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

local counter, prefix = 0, "wrk"

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. args[1]
  wrk.headers["Content-Type"] = "application/json"
  prefix = args[2] or prefix
end

function request()
  counter = counter + 1
  local body = string.format('{"name":"%s-%d-%d","group":"default"}', prefix, id, counter)
  return wrk.format("POST", nil, nil, body)
end
