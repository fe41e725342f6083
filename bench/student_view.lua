-- GET the assignment's exercises as a student (round-robin over the students' tokens).
local dir = os.getenv("BENCH_DIR")
local tokens = {}
for line in io.lines(dir .. "/tokens.txt") do tokens[#tokens + 1] = line end
local assignment = io.open(dir .. "/assignment.txt"):read("*l")
local n = 0
request = function()
  n = n + 1
  local t = tokens[(n % #tokens) + 1]
  return wrk.format("GET", "/v1/assignments/" .. assignment .. "/exercises", { ["Authorization"] = "Bearer " .. t })
end
