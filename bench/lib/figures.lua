-- Shared by the wrk scripts (run from the repository root): done() writes one JSON line of figures to
-- SHOPDESK_BENCH_OUT (latencies in microseconds).
local figures = {}

function figures.done(summary, latency, requests)
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

return figures
