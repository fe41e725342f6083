-- POST an answer with a fresh Idempotency-Key each time (round-robin over the students).
local dir = os.getenv("BENCH_DIR")
local tokens = {}
for line in io.lines(dir .. "/tokens.txt") do tokens[#tokens + 1] = line end
local assignment = io.open(dir .. "/assignment.txt"):read("*l")
local body = io.open(dir .. "/submission.json"):read("*a")
-- `thread_id` stays a global: setup() gives each wrk thread its own value through thread:set,
-- which a local would shadow (and two threads would then send the same keys).
local counter = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  threads[#threads + 1] = thread
end

request = function()
  counter = counter + 1
  local t = tokens[(counter % #tokens) + 1]
  local key = string.format("bench-%d-%d-%d", thread_id, counter, math.random(1, 1e9))
  return wrk.format("POST", "/v1/assignments/" .. assignment .. "/submissions", {
    ["Authorization"] = "Bearer " .. t,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = key,
  }, body)
end

function init(args)
  math.randomseed(os.time() + (thread_id or 0) * 7919)
end
-- Shared `done` hook: one machine-readable line per run.
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, errors, summary.errors.status))
end
