-- wrk script: POST /api/v1/answers with the JSON bodies of SHOPDESK_BENCH_BODIES (one per line, used in turn),
-- and at the end one JSON line of figures written to SHOPDESK_BENCH_OUT (bench/lib/figures.lua).
local bodies = {}
for line in io.lines(os.getenv("SHOPDESK_BENCH_BODIES")) do
  if #line > 0 then bodies[#bodies + 1] = line end
end
local next_body = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, "/api/v1/answers", nil, bodies[next_body])
end

done = dofile("bench/lib/figures.lua").done
