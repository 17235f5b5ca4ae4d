-- wrk script: POST /api/v1/answers with the JSON bodies of SHOPDESK_BENCH_BODIES (one per line, used in turn),
-- and at the end one JSON line of figures written to SHOPDESK_BENCH_OUT (latencies in microseconds).
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

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local out = assert(io.open(os.getenv("SHOPDESK_BENCH_OUT"), "w"))
  out:write(string.format(
    '{"requests": %d, "seconds": %.3f, "requests_per_second": %.1f, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "max": %d}}\n',
    summary.requests, seconds, summary.requests / seconds, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
  out:close()
end
