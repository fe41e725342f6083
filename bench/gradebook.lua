-- GET the assignment's gradebook as its teacher.
local dir = os.getenv("BENCH_DIR")
local teacher = io.open(dir .. "/teacher.txt"):read("*l")
local assignment = io.open(dir .. "/assignment.txt"):read("*l")
request = function()
  return wrk.format("GET", "/v1/assignments/" .. assignment .. "/results", { ["Authorization"] = "Bearer " .. teacher })
end
