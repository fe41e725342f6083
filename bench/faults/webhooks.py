#!/usr/bin/env python3
"""Scenario 4, the outbox: acknowledged grades against delivered webhook events, verified by the
Standard Webhooks reference library (PyPI `standardwebhooks`), across a PostgreSQL restart and a
restart of the service.

A loopback receiver subscribes to a class. Eight students answer a choice exercise (each 201 is
an acknowledged grade: the answer is scored on arrival, so it owes `submission.created` and
`submission.graded`); a grader thread changes acknowledged scores by hand (each 200 owes a
`grade.changed`). PostgreSQL is stopped for 5 s in the middle of that. Then the receiver refuses
everything (503) while the service is stopped with SIGTERM and started again, and accepts again.
It also answers 503 to one delivery in ten throughout, so retries (the same `webhook-id`) happen.

Properties: every delivery verifies with the reference library; after deduplication on
`webhook-id` every acknowledged answer and grade change is there exactly once; no event arrives
under two ids; nothing arrives that PostgreSQL does not hold.

Started by bench/faults/run.sh (in a virtual environment with standardwebhooks) with the same
environment as faults.py, whose helpers it uses.
"""
import http.client
import http.server
import json
import os
import random
import sys
import threading
import time
import uuid

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

sys.path.insert(0, os.path.dirname(__file__))
import faults  # noqa: E402
from faults import (Client, Load, Service, call, check, log, ok2xx, pg_accepting, pg_ctl,  # noqa: E402
                    table, tally, token, PG_OPTS, PGLOG, SVC_PORT, HTTP_TIMEOUT)

import importlib.metadata as md  # noqa: E402

SERVICE_ENV = {"NEWSLIT_OUTBOUND_ALLOW_PRIVATE": "true", "NEWSLIT_OUTBOX_POLL_MS": 100,
               "NEWSLIT_OUTBOX_RETRY_BASE_MS": 200, "NEWSLIT_DB_POOL_SIZE": 8}


class Receiver:
    def __init__(self):
        self.secret = None
        self.lock = threading.Lock()
        self.deliveries = []          # (webhook-id, parsed body) of each verified delivery
        self.bad = []                 # verification failures
        self.down = False
        self.refused = 0
        rx = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if rx.down or random.random() < 0.1:
                    with rx.lock:
                        rx.refused += 1
                    self.send_response(503)
                    self.end_headers()
                    return
                try:
                    payload = Webhook(rx.secret).verify(body, dict(self.headers.items()))
                    with rx.lock:
                        rx.deliveries.append((self.headers["webhook-id"], payload))
                    self.send_response(204)
                except (WebhookVerificationError, ValueError) as e:
                    with rx.lock:
                        rx.bad.append(f"{type(e).__name__}: {e}")
                    self.send_response(400)
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/newslit"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def put_grade(teacher, sid, version, score):
    conn = http.client.HTTPConnection("127.0.0.1", SVC_PORT, timeout=HTTP_TIMEOUT)
    try:
        conn.request("PUT", f"/v1/submissions/{sid}/grade", body=json.dumps({"score": score}), headers={
            "Authorization": f"Bearer {teacher}", "Content-Type": "application/json", "If-Match": f'"g{version}"'})
        res = conn.getresponse()
        res.read()
        return res.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def scenario_outbox():
    name = "4 outbox"
    rx = Receiver()
    svc = Service("outbox-setup", **SERVICE_ENV).start()
    run = uuid.uuid4().hex[:8]
    teacher = token("teacher", f"hooks-teacher-{run}")
    cls = call("POST", "/v1/classes", teacher, {"name": "Outbox"})
    exercise = None
    for art in call("GET", "/v1/articles", teacher)["items"]:
        for ex in call("GET", f"/v1/articles/{art['id']}/exercises?status=published", teacher)["items"]:
            if ex["content"].get("response_type") == "single_choice":
                exercise = ex
                break
        if exercise:
            break
    assignment = call("POST", f"/v1/classes/{cls['id']}/assignments", teacher, {
        "title": "Outbox", "exercise_ids": [exercise["id"]], "opens_at": "2020-01-01T00:00:00Z",
        "due_at": "2099-01-01T00:00:00Z", "max_attempts": None, "feedback": "immediate"})
    hook = call("POST", "/v1/webhooks", teacher, {
        "url": rx.url, "class_id": cls["id"],
        "events": ["submission.created", "submission.graded", "grade.changed", "assignment.released"]})
    rx.secret = hook["secret"]
    correct = [o["id"] for o in exercise["content"]["options"] if o.get("correct")][:1]

    class Room:
        path = f"/v1/assignments/{assignment['id']}/submissions"
        body = json.dumps({"exercise_id": exercise["id"], "answer": {"type": "choices", "option_ids": correct}})
        students = []
    for i in range(8):
        t = token("student", f"hooks-student-{run}-{i}")
        call("POST", "/v1/classes/join", t, {"join_code": cls["join_code"]})
        Room.students.append(t)

    # Paced: the scenario is about losing nothing across an outage and a restart, so the events
    # owed must fit the delivery window below (a back-to-back load owes more than it drains).
    load = Load(Room, "s4", clients=8, pause=0.2).start()
    grades = []                                   # (submission id, grade version after) per 200
    stop = threading.Event()

    def grader():
        versions = {}
        while not stop.is_set():
            with load.lock:
                acked = [r["id"] for r in load.records if ok2xx(r)]
            if not acked:
                time.sleep(0.05)
                continue
            sid = random.choice(acked)
            v = versions.get(sid, 1)
            status = put_grade(teacher, sid, v, 0.25 if v % 2 else 0.75)
            if status == 200:
                versions[sid] = v + 1
                grades.append((sid, v + 1))
                time.sleep(0.2)
            elif status == 412:
                versions[sid] = v + 1             # answered before a lost response: read it again
            else:
                time.sleep(0.05)
    g = threading.Thread(target=grader, daemon=True)
    g.start()
    time.sleep(3)
    pg_ctl("-m", "fast", "-w", "stop")
    time.sleep(5)
    pg_ctl("-o", PG_OPTS, "-l", PGLOG, "-W", "start")
    while not pg_accepting():
        time.sleep(0.02)
    time.sleep(3)
    load.stop()
    stop.set()
    g.join(HTTP_TIMEOUT + 5)
    # The receiver goes down; the service restarts with deliveries owed.
    rx.down = True
    time.sleep(1)
    svc.stop()
    svc = Service("outbox", **SERVICE_ENV).start()
    rx.down = False

    acked = [r for r in load.records if ok2xx(r)]
    expected = set()
    for r in acked:
        expected.add(("submission.created", r["id"], None))
        expected.add(("submission.graded", r["id"], None))
    for sid, v in grades:
        expected.add(("grade.changed", sid, v))

    def key(p):
        d = p["data"]
        return (p["type"], d["submission_id"], d["grade_version"] if p["type"] == "grade.changed" else None)

    deadline = time.time() + 90
    while time.time() < deadline:
        with rx.lock:
            seen = {key(p) for _, p in rx.deliveries}
        if expected <= seen:
            break
        time.sleep(0.5)
    time.sleep(1)
    svc.stop()

    with rx.lock:
        deliveries = list(rx.deliveries)
        bad = list(rx.bad)
    by_id = {}
    for wid, p in deliveries:
        by_id.setdefault(wid, p)
    unique = {}
    for wid, p in by_id.items():
        unique.setdefault(key(p), []).append(wid)
    missing = expected - set(unique)
    two_ids = {k: ids for k, ids in unique.items() if len(ids) > 1}
    stored = {row[0] for row in faults.psql("SELECT DISTINCT event_id::text FROM outbox")}
    phantom = [wid for wid in by_id if wid not in stored]
    rows = [
        ("answers: requests / by status", f"{len(load.records)} / {tally(load.records)}"),
        ("acknowledged answers (graded on arrival)", len(acked)),
        ("acknowledged manual grade changes", len(grades)),
        ("events owed for acknowledged writes", len(expected)),
        ("deliveries received (2xx answered)", len(deliveries)),
        ("  refused by the receiver (503: 1 in 10, and while down)", rx.refused),
        ("  verified by standardwebhooks " + md.version("standardwebhooks"), f"{len(deliveries)} of {len(deliveries) + len(bad)}"),
        ("distinct webhook-ids delivered", len(by_id)),
        ("duplicates removed by webhook-id", len(deliveries) - len(by_id)),
        ("owed events missing after dedup", len(missing)),
        ("events delivered under two ids", len(two_ids)),
        ("delivered events PostgreSQL does not hold", len(phantom)),
        ("events beyond the owed (committed, response lost)", len(set(unique) - expected)),
    ]
    table("Scenario 4: outbox: answers and grades through a 5 s PostgreSQL outage and a service "
          "restart, webhooks verified by the reference library", rows)
    check(name, "every delivery verifies with standardwebhooks", not bad and deliveries,
          f"{len(deliveries)} verified, {len(bad)} failed" + (f": {bad[:3]}" if bad else ""))
    check(name, "every acknowledged answer and grade change delivered (after dedup)", not missing,
          f"{len(expected) - len(missing)}/{len(expected)}" + (f"; missing {sorted(missing)[:3]}" if missing else ""))
    check(name, "each event delivered under one id (once after dedup)", not two_ids, str(len(two_ids)))
    check(name, "nothing delivered that was not committed", not phantom, str(len(phantom)))
    check(name, "the PostgreSQL outage hit the load", any(r["status"] == 503 for r in load.records),
          str(tally(load.records)))


def main():
    scenario_outbox()
    log("### Verdict (outbox)")
    log()
    log("```")
    for scenario, prop, ok, detail in faults.RESULTS:
        log(f"{'PASS' if ok else 'FAIL'}  [{scenario}] {prop}: {detail}")
    failed = sum(1 for r in faults.RESULTS if not r[2])
    log("```")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
