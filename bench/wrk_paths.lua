-- wrk script for bench/api.py: cycle through real coverage paths, send the API key, and print
-- one JSON line with latency percentiles (ms), throughput and errors.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local key = os.getenv("WRK_KEY")
local i = 0

request = function()
  i = (i % #paths) + 1
  return wrk.format("GET", paths[i], { ["X-API-Key"] = key })
end

done = function(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "req_per_s": %.1f, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, ' ..
    '"errors": %d, "non_2xx": %d}\n',
    summary.requests, summary.requests / secs, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
