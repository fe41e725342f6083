#!/usr/bin/env bash
# Load benchmark: a release build on loopback against the local PostgreSQL, driven by wrk.
# Scenarios: a student's assignment view (GET), a teacher's gradebook pull (GET) of a class of 256
# students who each answered every exercise once, then answer submission (POST, unique
# Idempotency-Keys, the same exercise again and again); each at 16, 64 and 256 connections.
# Then pgbench on the same server (one-row insert transaction, one-row select, and the service's
# own statements) as the ceiling, and the ratios.
#
# usage: bench/load.sh [SECONDS_PER_RUN]      (default 10; writes bench/out/load.md)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
port=18090
db=newslit_bench
source bench/lib.sh
export BENCH_DIR="$out"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
command -v pgbench >/dev/null || { echo "pgbench is needed (Debian: postgresql-contrib / postgresql)"; exit 1; }
export NEWSLIT_DB_POOL_SIZE=${NEWSLIT_DB_POOL_SIZE:-32}
start_service $port $db "$out/server.log"

python3 bench/setup.py "$base" "$bin" "$out" 256

run() { # scenario connections
  cat "bench/$1.lua" bench/report.lua > "$out/$1.run.lua"
  wrk -t2 -c"$2" -d"${secs}s" --latency -s "$out/$1.run.lua" "$base" | grep '^RESULT' | sed "s/^RESULT/$1 c=$2/"
}

{
  echo "# newslit load benchmark"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, ${secs} s per run, release build, PostgreSQL $(psql -h 127.0.0.1 -U postgres -tAc 'SHOW server_version'), pool ${NEWSLIT_DB_POOL_SIZE}"
  echo
  echo '```'
  # The gradebook runs before the submissions pile thousands of attempts onto one exercise.
  # A pause after each run lets requests still queued from an overloaded one drain.
  for scenario in student_view gradebook submit; do
    for c in 16 64 256; do run $scenario $c; sleep 3; done
  done
  echo '```'
} | tee "$out/load.md"

# Where the two cores go during a submission run: CPU seconds of the service, of wrk, and of
# everything else on the machine (PostgreSQL's processes, which come and go with connections),
# and (with perf installed) the service's hottest functions.
cpu_of() { # pid -> CPU seconds used so far (user + system)
  awk -v t="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / t}' "/proc/$1/stat"
}
machine_cpu() { # CPU seconds all cores have been busy so far
  awk -v t="$(getconf CLK_TCK)" '/^cpu /{printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / t}' /proc/stat
}
{
  svc0=$(cpu_of $server); all0=$(machine_cpu)
  cat bench/submit.lua bench/report.lua > "$out/submit.run.lua"
  if command -v perf >/dev/null; then
    perf record -q -F 499 -g -p $server -o "$out/perf.data" -- sleep "$secs" 2>/dev/null &
    perf_pid=$!
  fi
  wrk_out=$( { /usr/bin/time -f 'wrk-cpu %U %S' wrk -t2 -c64 -d"${secs}s" --latency -s "$out/submit.run.lua" "$base" ; } 2>&1 )
  [ -n "${perf_pid:-}" ] && wait "$perf_pid" || true
  svc1=$(cpu_of $server); all1=$(machine_cpu)
  wrk_cpu=$(echo "$wrk_out" | awk '/^wrk-cpu/{printf "%.1f", $2 + $3}')
  svc=$(echo "$svc1 - $svc0" | bc); all=$(echo "$all1 - $all0" | bc)
  echo
  echo "CPU during a ${secs} s submission run at 64 connections ($(nproc) cores = $((secs * $(nproc))) CPU-s):"
  echo "machine busy ${all} CPU-s: service ${svc}, wrk ${wrk_cpu}, the rest (PostgreSQL, perf) $(echo "$all - $svc - $wrk_cpu" | bc)"
  echo "$wrk_out" | grep '^RESULT' | sed 's/^RESULT/submit (profiled) c=64/'
  if [ -f "$out/perf.data" ]; then
    perf report -i "$out/perf.data" --no-children --sort dso -q --stdio 2>/dev/null | head -n 12 > "$out/perf-submit-dso.txt" || true
    perf report -i "$out/perf.data" --no-children --sort sym -q --stdio -g none 2>/dev/null | head -n 40 > "$out/perf-submit-sym.txt" || true
    echo "service profile by library: $out/perf-submit-dso.txt; by function: $out/perf-submit-sym.txt"
  fi
} | tee -a "$out/load.md"

stored=$(psql -h 127.0.0.1 -U postgres -d $db -tAc "SELECT count(*) FROM submissions")
acked=$(grep -E '^submit ' "$out/load.md" | sed -E 's/.*requests=([0-9]+).*non2xx=([0-9]+).*/\1 \2/' | awk '{s += $1 - $2} END {print s}')
echo "submissions acknowledged (2xx): $acked, rows stored: $stored (stored >= acknowledged: requests in flight when a run ends are committed but not counted by wrk)" | tee -a "$out/load.md"

size=$(psql -h 127.0.0.1 -U postgres -d $db -tAc "SELECT round(avg(pg_column_size(response))) FROM submissions")
echo "stored response kept for replay: $size bytes a submission on average" | tee -a "$out/load.md"

tps_of() { # sql-file clients -> transactions per second
  pgbench -h 127.0.0.1 -U postgres -n -M prepared -c "$2" -j 2 -T "$secs" -f "$1" $db 2>/dev/null | awk '/^tps = /{print $3}'
}

# The ceiling: pgbench on the same server, one-row insert and one-row select.
psql -h 127.0.0.1 -U postgres -d $db -qc "DROP TABLE IF EXISTS pgbench_rows; CREATE TABLE pgbench_rows (id bigserial PRIMARY KEY, payload jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now()); INSERT INTO pgbench_rows (payload) SELECT '{}' FROM generate_series(1, 10000);"
echo "INSERT INTO pgbench_rows (payload) VALUES ('{\"answer\": [\"a\"]}');" > "$out/insert.sql"
printf '\\set id random(1, 10000)\nSELECT * FROM pgbench_rows WHERE id = :id;\n' > "$out/select.sql"
{
  echo
  echo '```'
  # pgbench opens one server connection per client: 256 would pass PostgreSQL's default
  # max_connections (100), so the ceiling is measured at 16 and 64 clients.
  for c in 16 64; do
    for kind in insert select; do
      echo "pgbench $kind c=$c tps=$(tps_of "$out/$kind.sql" "$c")"
    done
  done
  echo '```'
} | tee -a "$out/load.md"

# The database work of one answer without HTTP: the service's own read (the submit context)
# and insert (same table, indexes, trigger and a stored response of the same size), so the
# gap between this and the service is what the service itself costs.
assignment=$(head -n 1 "$out/assignment.txt")
exercise=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exercise_id"])' "$out/submission.json")
response=$(psql -h 127.0.0.1 -U postgres -d $db -tAc "SELECT response::text FROM submissions LIMIT 1" | sed "s/'/''/g")
cat > "$out/service-statements.sql" <<SQL
\set n random(0, 255)
\set key random(1, 1000000000)
SELECT a.opens_at, a.due_at, x.due_at, a.max_attempts, a.scoring, a.feedback, a.late_policy, a.released_at,
       ex.kind, ex.version, ex.content,
       COALESCE((SELECT s.attempt FROM submissions s WHERE s.assignment_id = a.id AND s.exercise_id = '$exercise'
                 AND s.student_id = m.user_id ORDER BY s.attempt DESC LIMIT 1), 0),
       p.request_hash, p.response, p.id
FROM assignments a
JOIN users u ON u.subject = 'bench-student-' || :n
JOIN class_members m ON m.class_id = a.class_id AND m.user_id = u.id AND m.role = 'student'
LEFT JOIN assignment_exercises ae ON ae.assignment_id = a.id AND ae.exercise_id = '$exercise'
LEFT JOIN exercises ex ON ex.id = ae.exercise_id
LEFT JOIN assignment_extensions x ON x.assignment_id = a.id AND x.student_id = u.id
LEFT JOIN submissions p ON p.student_id = u.id AND p.idempotency_key = 'k' || :key
WHERE a.id = '$assignment';
INSERT INTO submissions (id, assignment_id, exercise_id, exercise_version, student_id, attempt, answer, score,
                         max_score, status, late, submitted_at, updated_at, idempotency_key, request_hash, response)
SELECT gen_random_uuid(), '$assignment', '$exercise', e.version, u.id,
       1000000 + (random() * 2000000000)::int, '{"type": "choices", "option_ids": ["a"]}', 1, 1, 'graded', false,
       now(), now(), gen_random_uuid()::text, md5(random()::text), '$response'
FROM users u, exercises e WHERE u.subject = 'bench-student-' || :n AND e.id = '$exercise'
ON CONFLICT DO NOTHING;
SQL
# Each half on its own too: the read alone, the insert alone (the first two lines set variables).
awk '/^INSERT/{exit} {print}' "$out/service-statements.sql" > "$out/service-read.sql"
{ head -n 2 "$out/service-statements.sql"; awk '/^INSERT/{p=1} p' "$out/service-statements.sql"; } > "$out/service-insert.sql"
{
  echo
  echo '```'
  for c in 16 64; do
    echo "pgbench service-statements c=$c tps=$(tps_of "$out/service-statements.sql" "$c")"
  done
  for part in read insert; do
    echo "pgbench service-$part-only c=16 tps=$(tps_of "$out/service-$part.sql" 16)"
  done
  echo '```'
} | tee -a "$out/load.md"

python3 - "$out/load.md" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = {(m[0], m[1]): float(m[2]) for m in re.findall(r"^(\w+) c=(\d+) rps=([\d.]+)", text, re.M)}
pg = {(m[0], m[1]): float(m[2]) for m in re.findall(r"^pgbench (\w+) c=(\d+) tps=([\d.]+)", text, re.M)}
best = max((v for (k, _), v in pg.items() if k == "insert"), default=None)
svc = {m[0]: float(m[1]) for m in re.findall(r"^pgbench service-statements c=(\d+) tps=([\d.]+)", text, re.M)}
lines = ["", "| connections | submissions/s | pgbench one-row inserts/s | ratio | pgbench service statements/s | ratio |",
         "|---|---|---|---|---|---|"]
for c in ("16", "64", "256"):
    s, p = rps.get(("submit", c)), pg.get(("insert", c), best)
    q = svc.get(c, max(svc.values(), default=None))
    if s and p:
        extra = f" {q:.0f} | {s / q:.0%} |" if q else " | |"
        lines.append(f"| {c} | {s:.0f} | {p:.0f} | {s / p:.0%} |{extra}")
open(sys.argv[1], "a").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
