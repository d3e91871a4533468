-- wrk script of the benchmarks.
--
-- With BENCH_REQUESTS naming a file, each request is the next line of that file: a path, a Cookie
-- header ("-" for none) and an Accept-Language header, separated by tabs. Every wrk thread reads the
-- whole list at start and walks it in order, round and round, from its own starting line. Without it,
-- wrk sends its one URL as usual.
--
-- The `done` hook prints one JSON line (prefixed BENCH_JSON) with the counts and latency percentiles
-- in microseconds, so the harness need not parse wrk's human-readable report.
local list = os.getenv("BENCH_REQUESTS")

if list then
  local threads = 0

  setup = function(thread)
    thread:set("number", threads)
    threads = threads + 1
  end

  init = function(args)
    requests = {}
    for line in io.lines(list) do
      local path, cookie, language = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)$")
      local headers = {}
      for name, value in pairs(wrk.headers) do
        headers[name] = value
      end
      if cookie ~= "-" then
        headers["Cookie"] = cookie
      end
      headers["Accept-Language"] = language
      requests[#requests + 1] = wrk.format("GET", path, headers)
    end
    -- Threads start far apart in the list, so they do not send the same requests at the same time.
    position = (number * 7919) % #requests
  end

  request = function()
    position = position % #requests + 1
    return requests[position]
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
