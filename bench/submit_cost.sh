#!/usr/bin/env bash
# What an answer's statement costs, part by part: the service's own submission statement (as
# bench/load.sh replays it) with one part of the schema removed at a time — each index
# on `submissions` the statement does not itself rely on, each trigger, each foreign key — and
# the statement without its rule reads (the INSERT alone), against pgbench's one-row insert.
#
# Three measures per variant:
#   cpu: the backend's CPU time per answer (utime + stime from /proc/self/stat, read through
#        pg_read_file) over N executions of the prepared statement in autocommit on one
#        connection. CPU time, not wall time, so it moves little with the machine's load.
#   wal: the WAL bytes per answer over the same executions (pg_current_wal_insert_lsn). At 64
#        clients both the statement and the one-row insert spend most of their time waiting for
#        the WAL flush of their commit, so the bytes each commit adds are what their rates follow.
#   tps: pgbench at 64 clients for SECONDS, as in bench/load.sh (moves with the load).
# The schema is put back after each variant.
#
# usage: bench/submit_cost.sh [SECONDS] [N]      (defaults 10 and 2000)
# Run after bench/load.sh, on its database and its bench/out (assignment.txt, submission.json,
# service-statement.sql, insert.sql). Writes bench/out/submit-cost.md.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
n=${2:-2000}
db=newslit_bench
out=${out:-bench/out}
for f in service-statement.sql insert.sql; do
  [ -f "$out/$f" ] || { echo "$out/$f is missing: run bench/load.sh first" >&2; exit 1; }
done
P() { psql -h 127.0.0.1 -U postgres -d $db -qAtX -v ON_ERROR_STOP=1 "$@"; }

# The statement without the rule reads: the same row, every value given.
assignment=$(head -n 1 "$out/assignment.txt")
exercise=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exercise_id"])' "$out/submission.json")
version=$(P -c "SELECT version FROM exercises WHERE id = '$exercise'")
cat > "$out/insert-only.sql" <<SQL
\set n :client_id
\set key random(1, 1000000000)
INSERT INTO submissions (id, assignment_id, exercise_id, exercise_version, student_id, attempt, answer,
                         score, max_score, status, late, submitted_at, updated_at, idempotency_key,
                         request_hash, feedback_shown, events)
SELECT gen_random_uuid(), '$assignment', '$exercise', $version, u.id, 1000 + :key,
       '{"type": "choices", "option_ids": ["a"]}', 1.0, 1, 'graded', false, now(), now(),
       'p' || :key, md5(:key::text), true, false
FROM users u WHERE u.subject = 'bench-student-' || :n;
SQL

cpu_us() { # pgbench-file -> backend CPU µs per execution, then WAL bytes per execution
  local body start
  body=$(grep -v '^\\set' "$1" | sed 's/:n\b/$1/g; s/:key\b/$2/g; s/;[[:space:]]*$//')
  start=$(( $(date +%s%N) / 1000 % 900000000 ))
  local stat="split_part(pg_read_file('/proc/self/stat'), ' ', 14)::int + split_part(pg_read_file('/proc/self/stat'), ' ', 15)::int"
  {
    echo "PREPARE s(int, bigint) AS $body;"
    # Past the first executions, which plan the statement for their own parameters.
    for i in $(seq 1 20); do echo "EXECUTE s($((i % 64)), $((start + i)));"; done
    echo "SELECT $stat AS c0, pg_current_wal_insert_lsn() AS l0 \\gset"
    for i in $(seq 21 $((n + 20))); do echo "EXECUTE s($((i % 64)), $((start + i)));"; done
    echo "SELECT $stat AS c1, pg_wal_lsn_diff(pg_current_wal_insert_lsn(), :'l0')::bigint AS wal \\gset"
    echo "\\echo :c0 :c1 :wal"
  } > "$out/cpu.in"
  local c0 c1 wal
  read -r c0 c1 wal < <(psql -h 127.0.0.1 -U postgres -d $db -qX -v ON_ERROR_STOP=1 -o /dev/null -f "$out/cpu.in" | tail -n 1)
  echo "$(( (c1 - c0) * 1000000 / $(getconf CLK_TCK) / n )) | $(( wal / n ))"
}
tps() { # pgbench-file -> transactions per second at 64 clients
  pgbench -h 127.0.0.1 -U postgres -n -M prepared -c 64 -j 2 -T "$secs" -f "$1" $db 2>/dev/null | awk '/^tps = /{printf "%.0f", $3}'
}
row() { # label [statement file]
  local f=${2:-$out/service-statement.sql}
  echo "| $1 | $(cpu_us "$f") | $(cpu_us "$out/insert.sql") | $(tps "$f") | $(tps "$out/insert.sql") | $(cut -d' ' -f1 /proc/loadavg) |"
}

{
  echo "# What an answer's statement costs"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(P -c 'SELECT count(*) FROM submissions') rows in submissions, $n executions per CPU figure, ${secs} s per pgbench run"
  echo
  echo "| variant | statement CPU µs/answer | statement WAL bytes/answer | one-row insert CPU µs | insert WAL bytes | statement tps (64 clients) | one-row insert tps | load average |"
  echo "|---|---|---|---|---|---|---|---|"
  row "the statement as the service sends it"
  row "the INSERT alone (no rule reads)" "$out/insert-only.sql"
  # Indexes the statement does not need itself (the primary key, the idempotency key and the
  # attempt number are its rules).
  for idx in $(P -c "SELECT indexrelid::regclass FROM pg_index WHERE indrelid = 'submissions'::regclass
                     AND indexrelid::regclass::text NOT IN ('submissions_pkey', 'submissions_idempotency', 'submissions_attempt')
                     ORDER BY 1"); do
    def=$(P -c "SELECT pg_get_indexdef('$idx'::regclass)")
    P -c "DROP INDEX $idx"
    row "without index $idx"
    P -c "$def"
  done
  for trg in $(P -c "SELECT tgname FROM pg_trigger WHERE tgrelid = 'submissions'::regclass AND NOT tgisinternal
                     AND tgtype & 4 = 4 ORDER BY 1"); do
    P -c "ALTER TABLE submissions DISABLE TRIGGER $trg"
    row "without trigger $trg"
    P -c "ALTER TABLE submissions ENABLE TRIGGER $trg"
  done
  for fk in $(P -c "SELECT conname FROM pg_constraint WHERE conrelid = 'submissions'::regclass AND contype = 'f' ORDER BY 1"); do
    def=$(P -c "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = '$fk' AND conrelid = 'submissions'::regclass")
    P -c "ALTER TABLE submissions DROP CONSTRAINT $fk"
    row "without foreign key $fk"
    P -c "ALTER TABLE submissions ADD CONSTRAINT $fk $def"
  done
  row "the statement again (after every variant)"
} | tee "$out/submit-cost.md"
