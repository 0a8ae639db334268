-- wrk script: the same GET for every request, with the platform token as a bearer.
--   wrk -t T -c C -d Ds -s bench/wrk/auth.lua BASE_URL/v1/locations -- TOKEN
function init(args)
  wrk.headers["Authorization"] = "Bearer " .. args[1]
end
