#!/usr/bin/env python3
"""The whole grading flow through PgBouncer in transaction mode: students submit answers through
two instances while a grader pulls the change feed with its cursor and grades some answers by
hand; then the gradebook. Checks what a user would see against what PostgreSQL stored:

  - every 201 is stored, once per Idempotency-Key; a retry with the key replays the same id;
  - the pull hands out every stored answer, and again only after it changed (a grade), and its
    last view of each answer is the stored one (score, grade_version);
  - the gradebook (JSON, through either instance) equals the stored answers' best scores.

Not meant to be started by hand: bench/pooler.sh starts the topology and sets

  BASES    space-separated base URLs of the instances    PSQL   psql command line (a string)
  BIN      the newslit binary (for tokens)              SECONDS  load duration (default 8)

Python 3.11 standard library only. Exit status 1 when any check fails.
"""
import http.client
import json
import os
import subprocess
import threading
import time
import urllib.parse
import uuid

BASES = [urllib.parse.urlparse(b) for b in os.environ["BASES"].split()]
PSQL = os.environ["PSQL"]
BIN = os.environ["BIN"]
SECONDS = float(os.environ.get("SECONDS", "8"))
STUDENTS = 24
CLIENTS = 12
run = uuid.uuid4().hex[:8]


class Client:
    """One keep-alive connection to one instance."""

    def __init__(self, n):
        self.base = BASES[n % len(BASES)]
        self.conn = None

    def call(self, method, path, token, body=None, headers=None):
        """(status, headers dict, parsed JSON or None)"""
        for attempt in range(3):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=30)
                hdrs = {"Authorization": f"Bearer {token}", **(headers or {})}
                data = None
                if body is not None:
                    data = json.dumps(body)
                    hdrs["Content-Type"] = "application/json"
                self.conn.request(method, path, body=data, headers=hdrs)
                res = self.conn.getresponse()
                raw = res.read()
                if res.will_close:
                    self.conn.close()
                    self.conn = None
                try:
                    parsed = json.loads(raw) if raw else None
                except ValueError:
                    parsed = raw.decode(errors="replace")
                return res.status, {k.lower(): v for k, v in res.getheaders()}, parsed
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                time.sleep(0.2)


def token(role, sub):
    out = subprocess.run([BIN, "token", "--role", role, "--sub", sub, "--ttl", "2h"],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def psql(sql):
    out = subprocess.run(PSQL.split() + ["-tA", "-F", "\t", "-c", sql], check=True, capture_output=True, text=True)
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def expect(client, status, method, path, tok, body=None, headers=None):
    got, hdrs, parsed = client.call(method, path, tok, body, headers)
    if got != status:
        raise SystemExit(f"{method} {path}: {got} (expected {status}): {parsed}")
    return hdrs, parsed


def main():
    setup = Client(0)
    teacher, grader = token("teacher", f"pool-teacher-{run}"), token("grader", f"pool-grader-{run}")
    _, cls = expect(setup, 201, "POST", "/v1/classes", teacher, {"name": "Pooler flow"})
    expect(setup, 200, "GET", "/v1/me", grader)
    grader_client = Client(1)
    _, me = expect(grader_client, 200, "GET", "/v1/me", grader)
    expect(setup, 201, "POST", f"/v1/classes/{cls['id']}/graders", teacher, {"subject": f"pool-grader-{run}"})
    _, arts = expect(setup, 200, "GET", "/v1/articles", teacher)
    choices = []
    for art in arts["items"]:
        _, items = expect(setup, 200, "GET", f"/v1/articles/{art['id']}/exercises?status=published", teacher)
        choices = [ex for ex in items["items"] if ex["content"]["response_type"] != "free_text"]
        if choices:
            break
    if not choices:
        raise SystemExit("no published choice exercise to assign")
    _, assignment = expect(setup, 201, "POST", f"/v1/classes/{cls['id']}/assignments", teacher, {
        "title": "Pooler flow", "exercise_ids": [ex["id"] for ex in choices],
        "opens_at": "2020-01-01T00:00:00Z", "due_at": "2099-01-01T00:00:00Z",
        "max_attempts": None, "feedback": "immediate",
    })
    aid = assignment["id"]
    students = []
    for i in range(STUDENTS):
        t = token("student", f"pool-student-{run}-{i}")
        expect(Client(i), 201, "POST", "/v1/classes/join", t, {"join_code": cls["join_code"]})
        students.append(t)

    acked = {}  # key -> id
    replays_ok = [0, 0]  # same id on retry, retries
    failures = []
    lock = threading.Lock()
    stop = threading.Event()

    def student_load(n):
        c = Client(n)
        i = 0
        while not stop.is_set():
            tok = students[(n + i * CLIENTS) % STUDENTS]
            ex = choices[i % len(choices)]
            opts = ex["content"]["options"]
            pick = [opts[(n + i) % len(opts)]["id"]]
            key = f"pool-{run}-{n}-{i}"
            body = {"exercise_id": ex["id"], "answer": {"type": "choices", "option_ids": pick}}
            status, hdrs, parsed = c.call("POST", f"/v1/assignments/{aid}/submissions", tok, body,
                                          {"Idempotency-Key": key})
            if status != 201:
                with lock:
                    failures.append(f"submit {key}: {status} {parsed}")
            else:
                with lock:
                    acked[key] = parsed["id"]
                if i % 10 == 0:  # a retry through the other instance replays the same answer
                    other = Client(n + 1)
                    status2, hdrs2, again = other.call("POST", f"/v1/assignments/{aid}/submissions", tok, body,
                                                        {"Idempotency-Key": key})
                    with lock:
                        replays_ok[1] += 1
                        if status2 == 201 and again["id"] == parsed["id"] and "idempotent-replayed" in hdrs2:
                            replays_ok[0] += 1
                        else:
                            failures.append(f"replay {key}: {status2} {again}")
            i += 1

    pulled = {}  # id -> last view
    deliveries = {}  # id -> times handed out
    changes_made = {}  # id -> grade changes by the grader
    pulls = [0, 0]  # pulls, pages

    def pull(c, cursor):
        """Pulls until has_more is false; returns the new cursor."""
        while True:
            q = f"/v1/submissions?assignment_id={aid}&limit=40" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
            status, _, page = c.call("GET", q, grader)
            if status != 200:
                failures.append(f"pull: {status} {page}")
                return cursor
            pulls[1] += 1
            for item in page["items"]:
                pulled[item["id"]] = item
                deliveries[item["id"]] = deliveries.get(item["id"], 0) + 1
            cursor = page["next_cursor"]
            if not page["has_more"]:
                pulls[0] += 1
                return cursor

    def grader_work():
        cursor = None
        graded = 0
        while not stop.is_set():
            cursor = pull(grader_client, cursor)
            # Grade by hand a few answers pulled so far; each must come again with its new grade.
            for sid, item in list(pulled.items()):
                if graded >= 20 or sid in changes_made or stop.is_set():
                    break
                status, hdrs, _ = grader_client.call("GET", f"/v1/submissions/{sid}", grader)
                if status != 200:
                    failures.append(f"get {sid}: {status}")
                    continue
                status, _, body = grader_client.call(
                    "PUT", f"/v1/submissions/{sid}/grade", grader,
                    {"score": 0.25, "comment": "Checked through the pooler."}, {"If-Match": hdrs["etag"]})
                if status != 200:
                    failures.append(f"grade {sid}: {status} {body}")
                    continue
                changes_made[sid] = 1
                graded += 1
            time.sleep(0.05)
        return cursor

    threads = [threading.Thread(target=student_load, args=(n,)) for n in range(CLIENTS)]
    result = {}
    gthread = threading.Thread(target=lambda: result.setdefault("cursor", grader_work()))
    t0 = time.time()
    for t in threads + [gthread]:
        t.start()
    time.sleep(SECONDS)
    stop.set()
    for t in threads + [gthread]:
        t.join()
    elapsed = time.time() - t0
    # After the load: one pull takes everything left; the next hands out nothing.
    cursor = pull(Client(0), result["cursor"])
    before = sum(deliveries.values())
    pull(Client(1), cursor)
    empty_after = sum(deliveries.values()) - before

    stored = {r[0]: r for r in psql(
        f"SELECT id, score, grade_version FROM submissions WHERE assignment_id = '{aid}'")}
    ids = set(acked.values())
    lost = ids - set(stored)
    not_pulled = set(stored) - set(pulled)
    unknown = set(pulled) - set(stored)
    twice_unchanged = [s for s, n in deliveries.items() if n > 1 + changes_made.get(s, 0)]
    graded_not_seen = [s for s in changes_made if pulled.get(s, {}).get("grade_version") != int(stored[s][2])]
    stale = [s for s, item in pulled.items() if s in stored and item["grade_version"] != int(stored[s][2])]

    # The gradebook through each instance against the stored answers (best score per cell).
    best = {(r[0], r[1]): (float(r[2]) if r[2] else None, int(r[3])) for r in psql(
        f"SELECT student_id, exercise_id, max(score), count(*) FROM submissions "
        f"WHERE assignment_id = '{aid}' GROUP BY 1, 2")}
    book_mismatch = []
    for n in range(len(BASES)):
        _, book = expect(Client(n), 200, "GET", f"/v1/assignments/{aid}/results", teacher)
        cells = {(row["student_id"], cell["exercise_id"]): (cell["score"], cell["attempts"])
                 for row in book["students"] for cell in row["cells"] if cell["attempts"] > 0}
        for k in set(cells) | set(best):
            a, b = cells.get(k), best.get(k)
            if a is None or b is None or a[1] != b[1] or (a[0] is None) != (b[0] is None) or \
                    (a[0] is not None and abs(a[0] - b[0]) > 1e-9):
                book_mismatch.append((n, k, a, b))
        if len(book["students"]) != STUDENTS:
            book_mismatch.append((n, "rows", len(book["students"]), STUDENTS))

    print(f"load: {CLIENTS} student clients over {len(BASES)} instances for {elapsed:.1f} s, "
          f"grader pulling (limit 40) and grading by hand")
    print(f"answers acknowledged (201)            {len(acked)}")
    print(f"rows stored for the assignment        {len(stored)}")
    print(f"acknowledged but not stored (lost)    {len(lost)}")
    print(f"retries through the other instance    {replays_ok[1]} ({replays_ok[0]} replayed the same answer)")
    print(f"pulls / pages                          {pulls[0]} / {pulls[1]}")
    print(f"answers handed out by the pull        {len(pulled)} ({sum(deliveries.values())} deliveries)")
    print(f"stored but never pulled               {len(not_pulled)}")
    print(f"pulled twice without a change         {len(twice_unchanged)}")
    print(f"graded by hand / seen again graded    {len(changes_made)} / {len(changes_made) - len(graded_not_seen)}")
    print(f"last pulled view older than stored    {len(stale)}")
    print(f"pull after catching up handed out     {empty_after}")
    print(f"gradebook cells differing from rows   {len(book_mismatch)} (checked through {len(BASES)} instances)")
    print(f"request failures                      {len(failures)}")
    for f in failures[:10]:
        print(f"  {f}")
    ok = (acked and not lost and not unknown and not not_pulled and not twice_unchanged and not graded_not_seen
          and not stale and empty_after == 0 and not book_mismatch and not failures
          and replays_ok[0] == replays_ok[1] and changes_made)
    print(("PASS" if ok else "FAIL") + f": {len(acked)} acknowledged, {len(stored)} stored, {len(lost)} lost; "
          f"the pull gave each once (and again after each of {len(changes_made)} grades); gradebook equal to the rows")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
