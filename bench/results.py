#!/usr/bin/env python3
"""Results benchmark, driven by bench/results.sh against a running release build.

1. Through the API: a teacher, a class of STUDENTS students who join it, an assignment of
   EXERCISES published exercises, and one answer per student per exercise (20,000 by default).
2. Times the gradebook (JSON and CSV) and an incremental pull of every submission, page by page.
3. Scales the class up in SQL (copies of the API-made answers) to LARGE answers and streams
   the CSV gradebook while sampling the server's resident memory, to show it stays flat.

usage: results.py BASE_URL SERVER_PID DATABASE OUT_FILE [STUDENTS EXERCISES LARGE]
Tokens are minted by the service binary NEWSLIT_BIN with NEWSLIT_JWT_SECRET, as the server is configured.
"""
import concurrent.futures as futures
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

BIN = os.environ["NEWSLIT_BIN"]


def token(role, sub):
    """A token signed with the server's secret (NEWSLIT_JWT_SECRET), by its own `token` command."""
    return subprocess.run([BIN, "token", "--role", role, "--sub", sub, "--ttl", "2h"],
                          check=True, capture_output=True, text=True).stdout.strip()


class Client:
    """One keep-alive connection per thread."""

    def __init__(self, base):
        self.url = urllib.parse.urlsplit(base)
        self.local = threading.local()

    def conn(self):
        c = getattr(self.local, "conn", None)
        if c is None:
            c = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=600)
            self.local.conn = c
        return c

    def call(self, method, path, tok, body=None, headers=None, raw=False):
        h = {"Authorization": "Bearer " + tok}
        h.update(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        c = self.conn()
        try:
            c.request(method, path, body=data, headers=h)
            res = c.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed a keep-alive connection that sat idle: reconnect once.
            c.close()
            c.request(method, path, body=data, headers=h)
            res = c.getresponse()
        payload = res.read()
        if res.status >= 300:
            sys.exit(f"{method} {path}: {res.status} {payload[:300]!r}")
        return (res, payload) if raw else json.loads(payload)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def timed(fn, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return times


def curl_ms(base, path, tok, accept, runs):
    """Times a GET with curl (a new connection each time, the body read to its last byte and
    thrown away): what a grader's script sees, without Python's slow chunked reading.
    Returns the sorted times in ms and the body's size in bytes."""
    times, size = [], 0
    for _ in range(runs):
        out = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{time_total} %{size_download}",
                              "-H", f"Authorization: Bearer {tok}", "-H", f"Accept: {accept}", base + path],
                             check=True, capture_output=True, text=True).stdout.split()
        assert out[0] == "200", out
        times.append(float(out[1]) * 1000)
        size = int(out[2])
    times.sort()
    return times, size


def summary(times):
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms ({len(times)} runs)"


def stream_csv(client, path, tok, pid):
    """Streams a CSV, sampling the server's RSS meanwhile; returns (bytes, rows, ms, peak KiB)."""
    peak = [rss_kib(pid)]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_kib(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    c = http.client.HTTPConnection(client.url.hostname, client.url.port, timeout=600)
    t0 = time.perf_counter()
    c.request("GET", path, headers={"Authorization": "Bearer " + tok, "Accept": "text/csv"})
    res = c.getresponse()
    size = rows = 0
    while True:
        chunk = res.read(1 << 16)
        if not chunk:
            break
        size += len(chunk)
        rows += chunk.count(b"\n")
    ms = (time.perf_counter() - t0) * 1000
    done.set()
    sampler.join()
    if res.status != 200:
        sys.exit(f"CSV pull answered {res.status}")
    return size, rows, ms, peak[0]


def main():
    base, pid, database, out_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    students = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
    n_exercises = int(sys.argv[6]) if len(sys.argv) > 6 else 20
    large = int(sys.argv[7]) if len(sys.argv) > 7 else 1_000_000
    client = Client(base)
    report = []

    def say(line=""):
        print(line, flush=True)
        report.append(line)

    teacher = token("teacher", "results-bench-teacher")
    grader = token("grader", "results-bench-grader")
    cls = client.call("POST", "/v1/classes", teacher, {"name": "Results benchmark"})
    exercises = []
    for art in client.call("GET", "/v1/articles?limit=100", teacher)["items"]:
        page = client.call("GET", f"/v1/articles/{art['id']}/exercises?status=published&limit=100", teacher)
        exercises.extend(page["items"])
    # An exercise can be listed under more than one article; an assignment takes each once.
    exercises = list({e["id"]: e for e in exercises}.values())
    if len(exercises) < n_exercises:
        sys.exit(f"only {len(exercises)} published exercises; the benchmark needs {n_exercises}")
    exercises = exercises[:n_exercises]
    assignment = client.call("POST", f"/v1/classes/{cls['id']}/assignments", teacher, {
        "title": "Results benchmark", "exercise_ids": [e["id"] for e in exercises],
        "opens_at": "2020-01-01T00:00:00Z", "due_at": "2099-01-01T00:00:00Z",
        "max_attempts": None, "feedback": "immediate",
    })
    aid = assignment["id"]
    client.call("GET", "/v1/me", grader)  # signs the grader in, so the teacher can assign them
    client.call("POST", f"/v1/classes/{cls['id']}/graders", teacher, {"subject": "results-bench-grader"})

    tokens = [token("student", f"results-bench-student-{i:05d}") for i in range(students)]
    rng = random.Random(7)

    def answer_for(ex):
        content = ex["content"]
        if content["response_type"] == "free_text":
            return {"type": "text", "text": "The article relies on one unnamed official."}
        options = [o["id"] for o in content["options"]]
        if content["response_type"] == "single_choice":
            return {"type": "choices", "option_ids": [rng.choice(options)]}
        return {"type": "choices", "option_ids": rng.sample(options, rng.randint(1, len(options)))}

    jobs = [(t, ex, answer_for(ex)) for t in tokens for ex in exercises]

    def join(t):
        client.call("POST", "/v1/classes/join", t, {"join_code": cls["join_code"]})

    def submit(job):
        t, ex, ans = job
        client.call("POST", f"/v1/assignments/{aid}/submissions", t,
                    {"exercise_id": ex["id"], "answer": ans}, {"Idempotency-Key": str(uuid.uuid4())})

    t0 = time.perf_counter()
    with futures.ThreadPoolExecutor(16) as pool:
        list(pool.map(join, tokens))
        list(pool.map(submit, jobs))
    load_s = time.perf_counter() - t0
    say(f"Loaded through the API: {students} students x {n_exercises} exercises = {len(jobs)} answers "
        f"in {load_s:.1f} s ({len(jobs) / load_s:.0f} answers/s, 16 clients)")
    say()

    gb = f"/v1/assignments/{aid}/results"
    client.call("GET", gb, teacher)  # warm caches
    body = client.call("GET", gb, teacher)
    assert len(body["students"]) == students, len(body["students"])
    assert all(len(r["cells"]) == n_exercises for r in body["students"])

    def gradebooks(when):
        for name, path, accept in (("JSON", gb, "application/json"), ("CSV ", gb + ".csv", "text/csv")):
            times, size = curl_ms(base, path, grader, accept, 30)
            say(f"Gradebook {name} ({students} students, as the grader, curl){when}: "
                + f"{summary(times)}, {size / 1000:.0f} kB")

    gradebooks("")
    # Right after a bulk load the table's visibility map is empty, so the covering index still
    # visits the heap; autovacuum sets it in time. The same requests once it has:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qc",
                    "VACUUM (ANALYZE) submissions"], check=True)
    gradebooks(", after VACUUM (ANALYZE)")

    def pull(limit):
        path, seen, pages = f"/v1/submissions?assignment_id={aid}&limit={limit}", 0, 0
        while path:
            res, payload = client.call("GET", path, grader, raw=True)
            seen += len(json.loads(payload)["items"])
            pages += 1
            link = res.getheader("Link")
            path = link[1:link.index(">")] if link else None
        return seen, pages

    seen, pages = pull(500)
    assert seen == len(jobs), (seen, len(jobs))
    times = timed(lambda: pull(500), 5)
    say(f"Incremental pull of all {seen} submissions, {pages} pages of 500: "
        f"median {statistics.median(times):.0f} ms in all, {statistics.median(times) / pages:.1f} ms per page")
    say()

    # Scale up in SQL: more students in a second class, each with copies of the answers.
    copies = max(1, large // len(jobs))
    sql = f"""
    BEGIN;
    CREATE TEMP TABLE src AS SELECT * FROM submissions WHERE assignment_id = '{aid}';
    CREATE TEMP TABLE extra AS
        SELECT g AS n, u.id AS src_student,
               md5('results-bench-copy-' || g || '-' || u.id)::uuid AS id,
               'results-bench-copy-' || g || '-' || u.subject AS subject
        FROM generate_series(1, {copies - 1}) g
        CROSS JOIN (SELECT DISTINCT u.id, u.subject FROM users u JOIN src ON src.student_id = u.id) u;
    INSERT INTO users (id, subject, role) SELECT id, subject, 'student' FROM extra;
    INSERT INTO class_members (class_id, user_id, role) SELECT '{cls['id']}', id, 'student' FROM extra;
    INSERT INTO submissions (id, assignment_id, exercise_id, exercise_version, student_id, attempt, answer,
                             score, max_score, status, late, submitted_at, updated_at, idempotency_key,
                             request_hash, response)
        SELECT gen_random_uuid(), s.assignment_id, s.exercise_id, s.exercise_version, e.id, s.attempt, s.answer,
               s.score, s.max_score, s.status, s.late, s.submitted_at, s.updated_at, s.idempotency_key,
               s.request_hash, s.response
        FROM src s JOIN extra e ON e.src_student = s.student_id;
    COMMIT;
    ANALYZE submissions; ANALYZE users; ANALYZE class_members;
    """
    t0 = time.perf_counter()
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-q", "-v", "ON_ERROR_STOP=1"],
                   input=sql, text=True, check=True)
    total = int(subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc",
                                f"SELECT count(*) FROM submissions WHERE assignment_id = '{aid}'"],
                               capture_output=True, text=True, check=True).stdout)
    say(f"Scaled up in SQL to {total} answers ({total // n_exercises} students) in {time.perf_counter() - t0:.0f} s")

    rss0 = rss_kib(pid)
    size, rows, ms, peak = stream_csv(client, gb + ".csv", teacher, pid)
    say(f"CSV gradebook of {total} answers: {rows - 1} student rows, {size / 1e6:.1f} MB in {ms / 1000:.1f} s; "
        f"server RSS {rss0 / 1024:.0f} MiB before, peak {peak / 1024:.0f} MiB during "
        f"(+{(peak - rss0) / 1024:.1f} MiB)")
    size2, rows2, ms2, peak2 = stream_csv(client, gb + ".csv", teacher, pid)
    say(f"Again: {size2 / 1e6:.1f} MB in {ms2 / 1000:.1f} s, peak RSS {peak2 / 1024:.0f} MiB")

    with open(out_file, "w") as f:
        f.write("\n".join(report) + "\n")


if __name__ == "__main__":
    main()
