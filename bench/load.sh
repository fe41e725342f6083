#!/usr/bin/env bash
# Load benchmark: a release build on loopback against the local PostgreSQL, driven by wrk.
# Scenarios: a student's assignment view (GET), a teacher's gradebook pull (GET) of a class of 256
# students who each answered every exercise once, then answer submission (POST, unique
# Idempotency-Keys, the same exercise again and again); each at 16, 64 and 256 connections.
# Then pgbench on the same server (one-row insert transaction, one-row select, and the service's
# own statements) as the ceiling, and the ratios.
#
# usage: bench/load.sh [SECONDS_PER_RUN]      (default 10; writes bench/out/load.md)
#   BENCH_SCENARIOS="gradebook" runs only the scenarios named (default: student_view gradebook
#   submit; the profiled submission run needs submit). PostgreSQL is 127.0.0.1:${PGPORT:-5432}.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
scenarios=${BENCH_SCENARIOS:-student_view gradebook submit}
port=${BENCH_PORT:-18090}
db=newslit_bench
source bench/lib.sh
export BENCH_DIR="$out"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
command -v pgbench >/dev/null || { echo "pgbench is needed (Debian: postgresql-contrib / postgresql)"; exit 1; }
# The pool is PostgreSQL's concurrency (two cores: more server processes only contend); the
# queue in front of it must outlast the wait of 256 connections sharing it, so a request waits
# its turn instead of getting a 503 after the default 2 s. wrk's own timeout is raised to match.
export NEWSLIT_DB_POOL_SIZE=${NEWSLIT_DB_POOL_SIZE:-32}
export NEWSLIT_DB_ACQUIRE_TIMEOUT_MS=${NEWSLIT_DB_ACQUIRE_TIMEOUT_MS:-10000}
start_service $port $db "$out/server.log"

python3 bench/setup.py "$base" "$bin" "$out" 256
# The state autovacuum leaves the table in a minute later (visibility map set, statistics
# fresh), so index-only reads are index-only; right after a bulk load they visit the heap.
psql -h 127.0.0.1 -U postgres -d $db -qc "VACUUM (ANALYZE) submissions"

run() { # scenario connections
  cat "bench/$1.lua" bench/report.lua > "$out/$1.run.lua"
  wrk -t2 -c"$2" -d"${secs}s" --timeout 10s --latency -s "$out/$1.run.lua" "$base" | grep '^RESULT' | sed "s/^RESULT/$1 c=$2/"
}

{
  echo "# newslit load benchmark"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, ${secs} s per run, release build, PostgreSQL $(psql -h 127.0.0.1 -U postgres -tAc 'SHOW server_version'), pool ${NEWSLIT_DB_POOL_SIZE}, acquire timeout ${NEWSLIT_DB_ACQUIRE_TIMEOUT_MS} ms"
  echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo '```'
  # The gradebook runs before the submissions pile thousands of attempts onto one exercise.
  # A pause after each run lets requests still queued from an overloaded one drain.
  for scenario in $scenarios; do
    for c in 16 64 256; do run $scenario $c; sleep 3; done
    # The answers the gradebook runs saw: the gradebook's own statement is replayed on these.
    [ "$scenario" != gradebook ] ||
      psql -h 127.0.0.1 -U postgres -d $db -tAc "SELECT max(submitted_at) FROM submissions" > "$out/gradebook-last.txt"
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
case " $scenarios " in *" submit "*) profile_submit=1 ;; *) profile_submit= ;; esac
[ -z "$profile_submit" ] || {
  svc0=$(cpu_of $server); all0=$(machine_cpu)
  cat bench/submit.lua bench/report.lua > "$out/submit.run.lua"
  if command -v perf >/dev/null; then
    perf record -q -F 499 -g -p $server -o "$out/perf.data" -- sleep "$secs" 2>/dev/null &
    perf_pid=$!
  fi
  wrk_out=$( { /usr/bin/time -f 'wrk-cpu %U %S' wrk -t2 -c64 -d"${secs}s" --timeout 10s --latency -s "$out/submit.run.lua" "$base" ; } 2>&1 )
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
    # A flame graph of the same samples (inferno: `cargo install inferno`).
    if command -v inferno-collapse-perf >/dev/null && command -v inferno-flamegraph >/dev/null; then
      perf script -i "$out/perf.data" 2>/dev/null | python3 bench/symbolize.py "$bin" | inferno-collapse-perf 2>/dev/null \
        | inferno-flamegraph --title "newslit: answer submission at 64 connections" > "$out/flame-submit.svg" || true
      echo "flame graph of the submission path: $out/flame-submit.svg"
    fi
  fi
} | tee -a "$out/load.md"

[ -z "$profile_submit" ] || {
stored=$(psql -h 127.0.0.1 -U postgres -d $db -tAc "SELECT count(*) FROM submissions")
acked=$(grep -E '^submit ' "$out/load.md" | sed -E 's/.*requests=([0-9]+).*non2xx=([0-9]+).*/\1 \2/' | awk '{s += $1 - $2} END {print s}')
echo "submissions acknowledged (2xx): $acked, rows stored: $stored (stored >= acknowledged: requests in flight when a run ends are committed but not counted by wrk)" | tee -a "$out/load.md"
}

size=$(psql -h 127.0.0.1 -U postgres -d $db -tAc "SELECT round(avg(pg_column_size(s.*))) FROM submissions s")
indexes=$(psql -h 127.0.0.1 -U postgres -d $db -tAc "SELECT count(*) FROM pg_indexes WHERE tablename = 'submissions'")
echo "a stored submission: $size bytes on average (replays are rebuilt from the row); $indexes indexes on submissions" | tee -a "$out/load.md"

# The service's pooled connections would count against PostgreSQL's max_connections next to
# pgbench's 64 clients: it is done, so stop it first.
kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true

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

assignment=$(head -n 1 "$out/assignment.txt")
if [ -n "$profile_submit" ]; then
# The database work of one answer without HTTP: the service's own statement (rules, key and
# insert in one, as src/store/submissions.rs sends it), so the gap between this and the
# service is what the service itself costs.
exercise=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exercise_id"])' "$out/submission.json")
version=$(psql -h 127.0.0.1 -U postgres -d $db -tAc "SELECT version FROM exercises WHERE id = '$exercise'")
# Each pgbench client answers as a student of its own (the client id), as each wrk connection's
# requests would if they raced: two clients racing for one student's attempt number would fail
# on the unique constraint, which pgbench cannot retry (the service does).
cat > "$out/service-statement.sql" <<SQL
\set n :client_id
\set key random(1, 1000000000)
WITH u AS (SELECT id FROM users WHERE subject = 'bench-student-' || :n),
ctx AS (
    SELECT a.opens_at, COALESCE(x.due_at, a.due_at) AS due_at, a.max_attempts, a.scoring, a.feedback,
           a.late_policy, a.released_at, COALESCE(te.version, ex.version) AS current_version,
           COALESCE((SELECT s.attempt FROM submissions s
                      WHERE s.assignment_id = a.id AND s.student_id = m.user_id AND s.exercise_id = '$exercise'
                      ORDER BY s.attempt DESC LIMIT 1), 0)::int8 AS attempts_used,
           now() AS now, m.user_id,
           EXISTS (SELECT 1 FROM exercise_versions v
                    WHERE v.exercise_id = '$exercise' AND v.version = COALESCE(te.version, ex.version)) AS version_stored,
           EXISTS (SELECT 1 FROM webhook_subscriptions w WHERE w.enabled AND w.class_id = a.class_id)
           OR EXISTS (SELECT 1 FROM webhook_subscriptions w WHERE w.enabled AND w.assignment_id = a.id)
           OR EXISTS (SELECT 1 FROM lti_resource_links l
                       WHERE l.assignment_id = a.id AND l.lineitem_url IS NOT NULL) AS events
    FROM assignments a
    JOIN class_members m ON m.class_id = a.class_id AND m.user_id = (SELECT id FROM u) AND m.role = 'student'
    LEFT JOIN assignment_exercises ae ON ae.assignment_id = a.id AND ae.exercise_id = '$exercise'
    LEFT JOIN exercises ex ON ex.id = ae.exercise_id
    JOIN classes cl ON cl.id = a.class_id
    LEFT JOIN teacher_exercises te ON te.exercise_id = ex.id AND te.teacher_id = cl.teacher_id
    LEFT JOIN assignment_extensions x ON x.assignment_id = a.id AND x.student_id = m.user_id
    WHERE a.id = '$assignment'),
prior AS (SELECT p.id, p.request_hash FROM submissions p WHERE p.student_id = (SELECT id FROM u) AND p.idempotency_key = 'p' || :key),
ins AS (
    INSERT INTO submissions (id, assignment_id, exercise_id, exercise_version, student_id, attempt, answer,
                             score, max_score, status, late, submitted_at, updated_at, idempotency_key,
                             request_hash, feedback_shown, events)
    SELECT gen_random_uuid(), '$assignment', '$exercise', c.current_version, c.user_id, c.attempts_used + 1,
           '{"type": "choices", "option_ids": ["a"]}', CASE c.scoring WHEN 'partial' THEN 1.0 ELSE 1.0 END, 1,
           'graded', c.now > c.due_at, c.now, c.now, 'p' || :key, md5(:key::text),
           CASE c.feedback WHEN 'immediate' THEN true WHEN 'after_due' THEN c.now > c.due_at
                           ELSE COALESCE(c.released_at <= c.now, false) END, c.events
    FROM ctx c
    WHERE c.current_version = $version AND c.version_stored AND NOT EXISTS (SELECT 1 FROM prior) AND c.now >= c.opens_at
      AND (c.max_attempts IS NULL OR c.attempts_used < c.max_attempts)
      AND NOT (c.now > c.due_at AND c.late_policy = 'reject')
    RETURNING attempt, late, feedback_shown)
SELECT c.*, i.attempt, i.late, i.feedback_shown, p.id, p.request_hash
FROM ctx c LEFT JOIN ins i ON true LEFT JOIN prior p ON true;
SQL
{
  echo
  echo '```'
  for c in 16 64; do
    echo "pgbench service-statement c=$c tps=$(tps_of "$out/service-statement.sql" "$c")"
  done
  echo '```'
} | tee -a "$out/load.md"
fi

# The gradebook's own statement (as src/store/results.rs sends it, one row per student with
# their attempts), so the service's gradebook rate can be set against its SQL alone.
class=$(psql -h 127.0.0.1 -U postgres -d $db -tAc "SELECT class_id FROM assignments WHERE id = '$assignment'")
cat > "$out/gradebook-statement.sql" <<SQL
SELECT u.id, u.subject, u.display_name, a.exercise_ids, a.attempts, a.scores, a.graded, a.late
FROM (SELECT s.student_id, array_agg(s.exercise_id) AS exercise_ids,
             array_agg(s.attempt) AS attempts, array_agg(s.score) AS scores,
             array_agg(s.status = 'graded') AS graded, array_agg(s.late) AS late
      FROM submissions s WHERE s.assignment_id = '$assignment'
      GROUP BY s.student_id) a
FULL JOIN (SELECT m.user_id FROM class_members m WHERE m.class_id = '$class' AND m.role = 'student') r
       ON r.user_id = a.student_id
JOIN users u ON u.id = coalesce(a.student_id, r.user_id)
ORDER BY u.subject, u.id;
SQL
case " $scenarios " in *" gradebook "*)
  # The submission runs and pgbench since then added thousands of attempts to this assignment;
  # take them away so the statement reads what the gradebook runs read (by submitted_at).
  psql -h 127.0.0.1 -U postgres -d $db -q -c "DELETE FROM submissions WHERE submitted_at > '$(cat "$out/gradebook-last.txt")'" -c "VACUUM (ANALYZE) submissions"
  {
    echo
    echo '```'
    for c in 16 64; do
      echo "pgbench gradebook-statement c=$c tps=$(tps_of "$out/gradebook-statement.sql" "$c")"
    done
    echo '```'
  } | tee -a "$out/load.md" ;;
esac

python3 - "$out/load.md" "$out/shape.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
# The classroom bench/setup.py made: students, and exercises in the assignment.
students, exercises = open(sys.argv[2]).read().split()
label = {"submit": "answer submission", "student_view": f"student view ({exercises} exercises)",
         "gradebook": f"gradebook ({students} × {exercises})"}
res = {(m[0], m[1]): (float(m[2]), int(m[3]), int(m[4])) for m in
       re.findall(r"^(\w+) c=(\d+) rps=([\d.]+) .*?errors=(\d+) non2xx=(\d+)", text, re.M)}
pg = {(m[0], m[1]): float(m[2]) for m in re.findall(r"^pgbench ([\w-]+) c=(\d+) tps=([\d.]+)", text, re.M)}
# Each scenario against its pgbench ceiling from this same run (256 connections: pgbench's 64,
# since pgbench needs a server process per client).
ceiling = {"submit": "insert", "student_view": "select", "gradebook": "select"}
lines = ["", "| scenario | connections | newslit req/s | errors | non-2xx | pgbench | tps | ratio |",
         "|---|---|---|---|---|---|---|---|"]
for scenario, kind in ceiling.items():
    for c in ("16", "64", "256"):
        if (scenario, c) not in res:
            continue
        rps, errors, non2xx = res[(scenario, c)]
        tps = pg.get((kind, c)) or pg.get((kind, "64"))
        ratio = f"{rps / tps:.4f}" if tps else ""
        lines.append(f"| {label[scenario]} | {c} | {rps:.0f} | {errors} | {non2xx} | one-row {kind} | {tps or 0:.0f} | {ratio} |")
svc = pg.get(("service-statement", "64"))
if svc and ("submit", "64") in res:
    lines.append(f"\nsubmissions at 64 connections / pgbench of the service's own statement at 64: "
                 f"{res[('submit', '64')][0]:.0f} / {svc:.0f} = {res[('submit', '64')][0] / svc:.2f}")
gb = pg.get(("gradebook-statement", "64"))
if gb and ("gradebook", "64") in res:
    lines.append(f"\ngradebooks at 64 connections / pgbench of the gradebook statement at 64: "
                 f"{res[('gradebook', '64')][0]:.0f} / {gb:.0f} = {res[('gradebook', '64')][0] / gb:.2f}")
open(sys.argv[1], "a").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
