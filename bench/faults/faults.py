#!/usr/bin/env python3
"""Fault injection against a running-and-restartable newslit: counts what the service
acknowledged (2xx) against what PostgreSQL actually stored, under three faults.

  1. pg-outage  PostgreSQL is stopped (fast shutdown) for ~5 s during a submission load, then
                started again; the service is NOT restarted. Every 2xx must be stored, every 503
                must be problem+json with Retry-After, and the first 2xx must come <= 5 s after
                PostgreSQL accepts connections again.
  2. sigterm    SIGTERM to the service during a submission load: requests in flight at the
                signal must get a complete response, every 2xx must be stored, and new connections
                are refused after the shutdown (expected).
  3. pool       A pool of 2 connections, a psql session holding ACCESS EXCLUSIVE on submissions
                so the service's queries block holding their connections, and more concurrent
                requests than the pool holds (as many as it holds first, the rest 0.3 s later,
                once those hold the connections): the extra ones must get 503 problem+json with
                Retry-After within about the acquire timeout, nothing may hang, and after the lock
                is released the service must answer 2xx again.

Not meant to be started by hand: bench/faults/run.sh builds the service, creates a private
PostgreSQL cluster, sets the environment below and cleans everything up afterwards.

  NEWSLIT_BIN  the service binary          PGBIN     PostgreSQL's bin directory
  PGDATA       the private cluster         PGPORT    its port        PG_OPTS  its postgres options
  PGLOG        its log file                AS_PG     prefix that runs a command as the cluster owner
  SVC_PORT     port for the service        WORK      scratch dir (service.pid lives there)
  LOG_DIR      where the service logs go

  FAULTS_SCENARIOS  optional, e.g. "1,3": run only these scenarios (default all)

Python 3.11 standard library only. Exit status 1 when any property FAILs.
"""
import http.client
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

BIN = os.environ["NEWSLIT_BIN"]
PGBIN = os.environ["PGBIN"]
PGDATA = os.environ["PGDATA"]
PGPORT = os.environ["PGPORT"]
PG_OPTS = os.environ["PG_OPTS"]
PGLOG = os.environ["PGLOG"]
AS_PG = shlex.split(os.environ.get("AS_PG", ""))
SVC_PORT = int(os.environ["SVC_PORT"])
WORK = os.environ["WORK"]
LOG_DIR = os.environ["LOG_DIR"]

DB = "newslit_faults"
SECRET = "fault-secret"
HTTP_TIMEOUT = 10.0  # seconds, per request
PROBLEM = "application/problem+json"

RESULTS = []  # (scenario, property, ok, detail)


def log(msg=""):
    print(msg, flush=True)


def check(scenario, prop, ok, detail):
    RESULTS.append((scenario, prop, ok, detail))


# --- PostgreSQL --------------------------------------------------------------------------------

def psql(sql, db=DB):
    out = subprocess.run(
        [f"{PGBIN}/psql", "-h", "127.0.0.1", "-p", PGPORT, "-U", "postgres", "-d", db, "-X", "-q", "-t", "-A",
         "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True, capture_output=True, text=True)
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def pg_accepting():
    return subprocess.run([f"{PGBIN}/pg_isready", "-h", "127.0.0.1", "-p", PGPORT, "-q", "-t", "1"]).returncode == 0


def pg_ctl(*args):
    subprocess.run(AS_PG + [f"{PGBIN}/pg_ctl", "-D", PGDATA, *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stored_submissions(prefix):
    """idempotency_key -> id of the rows whose key starts with prefix."""
    rows = psql(f"SELECT idempotency_key, id FROM submissions WHERE idempotency_key LIKE '{prefix}-%'")
    return {k: i for k, i in rows}


# --- the service -------------------------------------------------------------------------------

class Service:
    def __init__(self, name, **env):
        self.name = name
        self.env = dict(os.environ)
        self.env.update({
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PGPORT}/{DB}",
            "NEWSLIT_LISTEN": f"127.0.0.1:{SVC_PORT}",
            "NEWSLIT_JWT_SECRET": SECRET,
            "NEWSLIT_RATE_LIMIT_WRITES_PER_MINUTE": "0",
            "NEWSLIT_LOG": "warn",
        })
        self.env.update({k: str(v) for k, v in env.items()})
        self.proc = None
        self.logfile = os.path.join(LOG_DIR, f"faults-{name}.log")

    def start(self):
        out = open(self.logfile, "w")
        self.proc = subprocess.Popen([BIN, "serve"], env=self.env, stdout=out, stderr=subprocess.STDOUT)
        with open(os.path.join(WORK, "service.pid"), "w") as f:
            f.write(str(self.proc.pid))
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"the service exited during start (status {self.proc.returncode}); see {self.logfile}")
            try:
                if http_get("/ready", timeout=2)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        sys.exit(f"the service did not become ready in 120 s; see {self.logfile}")

    def wait(self, timeout):
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        self.forget()
        return self.proc.returncode

    def forget(self):
        try:
            os.remove(os.path.join(WORK, "service.pid"))
        except FileNotFoundError:
            pass

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            if self.wait(40) is None:
                self.proc.kill()
                self.proc.wait()
        self.forget()


# --- HTTP --------------------------------------------------------------------------------------

def http_get(path, timeout=HTTP_TIMEOUT, token=None):
    conn = http.client.HTTPConnection("127.0.0.1", SVC_PORT, timeout=timeout)
    try:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        conn.request("GET", path, headers=headers)
        res = conn.getresponse()
        return res.status, res.read()
    finally:
        conn.close()


def call(method, path, token, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", SVC_PORT, timeout=HTTP_TIMEOUT)
    try:
        data = json.dumps(body) if body is not None else None
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=headers)
        res = conn.getresponse()
        raw = res.read()
        if not 200 <= res.status < 300:
            sys.exit(f"setup: {method} {path} answered {res.status}: {raw[:300]!r}")
        return json.loads(raw)
    finally:
        conn.close()


def token(role, sub):
    """A token signed with the service's secret, minted by the service's own `token` command."""
    env = {**os.environ, "NEWSLIT_JWT_SECRET": SECRET}
    return subprocess.run([BIN, "token", "--role", role, "--sub", sub, "--ttl", "2h"], env=env,
                          check=True, capture_output=True, text=True).stdout.strip()


class Classroom:
    """A teacher, a class, an assignment of one published choice exercise, and students."""

    def __init__(self, students):
        run = uuid.uuid4().hex[:8]
        teacher = token("teacher", f"faults-teacher-{run}")
        cls = call("POST", "/v1/classes", teacher, {"name": "Fault injection"})
        exercise = None
        for art in call("GET", "/v1/articles", teacher)["items"]:
            for ex in call("GET", f"/v1/articles/{art['id']}/exercises?status=published", teacher)["items"]:
                if ex["content"].get("response_type") in ("single_choice", "multiple_response"):
                    exercise = ex
                    break
            if exercise:
                break
        if exercise is None:
            sys.exit("setup: no published choice exercise among the seed articles")
        assignment = call("POST", f"/v1/classes/{cls['id']}/assignments", teacher, {
            "title": "Fault injection", "exercise_ids": [exercise["id"]],
            "opens_at": "2020-01-01T00:00:00Z", "due_at": "2099-01-01T00:00:00Z",
            "max_attempts": None, "feedback": "immediate",
        })
        options = exercise["content"]["options"]
        correct = [o["id"] for o in options if o.get("correct")] or [options[0]["id"]]
        if exercise["content"]["response_type"] == "single_choice":
            correct = correct[:1]
        self.path = f"/v1/assignments/{assignment['id']}/submissions"
        self.body = json.dumps({"exercise_id": exercise["id"],
                                "answer": {"type": "choices", "option_ids": correct}})
        self.students = []
        for i in range(students):
            t = token("student", f"faults-student-{run}-{i}")
            call("POST", "/v1/classes/join", t, {"join_code": cls["join_code"]})
            self.students.append(t)
        self.exercise_kind = exercise["content"]["response_type"]


class Client:
    """One keep-alive connection; reconnects after any error."""

    def __init__(self):
        self.conn = None

    def submit(self, room, student, key):
        rec = {"key": key, "status": None, "ctype": None, "retry_after": None, "id": None, "err": None,
               "replayed": False, "reused": self.conn is not None, "t_send": time.time(), "t_written": None,
               "t_end": None, "detail": None}
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", SVC_PORT, timeout=HTTP_TIMEOUT)
            self.conn.request("POST", room.path, body=room.body, headers={
                "Authorization": f"Bearer {room.students[student]}", "Content-Type": "application/json",
                "Idempotency-Key": key})
            rec["t_written"] = time.time()
            res = self.conn.getresponse()
            raw = res.read()
            rec["status"] = res.status
            rec["ctype"] = res.getheader("Content-Type")
            rec["retry_after"] = res.getheader("Retry-After")
            rec["replayed"] = res.getheader("Idempotent-Replayed") is not None
            if 200 <= res.status < 300:
                rec["id"] = json.loads(raw)["id"]
            else:
                rec["body"] = raw[:300].decode(errors="replace")
                try:
                    rec["detail"] = json.loads(raw).get("detail")
                except ValueError:
                    pass
            if res.will_close:
                self.close()
        except (OSError, http.client.HTTPException, ValueError) as e:
            rec["err"] = classify(e)
            self.close()
        rec["t_end"] = time.time()
        return rec

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def classify(e):
    if isinstance(e, ConnectionRefusedError):
        return "connection refused"
    if isinstance(e, (socket.timeout, TimeoutError)):
        return "timeout"
    if isinstance(e, http.client.RemoteDisconnected):
        return "closed without response"
    if isinstance(e, (ConnectionResetError, BrokenPipeError)):
        return "connection reset"
    return type(e).__name__


class Load:
    """`clients` threads, one student each, POSTing answers with unique keys: back to back, or
    `pause` seconds apart."""

    def __init__(self, room, prefix, clients, first_student=0, pause=0.0):
        self.room, self.prefix, self.pause = room, prefix, pause
        self.stop_flag = threading.Event()
        self.records = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(first_student + i,), daemon=True)
                        for i in range(clients)]

    def run(self, student):
        client, n = Client(), 0
        while not self.stop_flag.is_set():
            rec = client.submit(self.room, student, f"{self.prefix}-{student}-{n}-{uuid.uuid4().hex[:12]}")
            n += 1
            with self.lock:
                self.records.append(rec)
            if rec["status"] is None or rec["status"] >= 500:
                time.sleep(0.05)  # back off a little, but keep probing for recovery
            elif self.pause:
                time.sleep(self.pause)
        client.close()

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def stop(self):
        self.stop_flag.set()
        for t in self.threads:
            t.join(HTTP_TIMEOUT + 5)


# --- reporting ---------------------------------------------------------------------------------

def ok2xx(r):
    return r["status"] is not None and 200 <= r["status"] < 300


def tally(records):
    out = {}
    for r in records:
        k = str(r["status"]) if r["status"] is not None else r["err"]
        out[k] = out.get(k, 0) + 1
    return dict(sorted(out.items()))


def durability(scenario, prefix, records):
    """Acknowledged vs stored; returns printable rows."""
    stored = stored_submissions(prefix)
    acked = {r["key"]: r["id"] for r in records if ok2xx(r)}
    found = sum(1 for k, i in acked.items() if stored.get(k) == i)
    lost = [k for k, i in acked.items() if stored.get(k) != i]
    unacked_stored = [k for k in stored if k not in acked]
    check(scenario, "zero acknowledged-but-lost", not lost,
          f"{len(acked)} acknowledged, {found} found in DB" + (f"; LOST keys: {lost[:5]}" if lost else ""))
    return [
        ("2xx acknowledged", len(acked)),
        ("acknowledged ids found in DB", found),
        ("acknowledged but lost", len(lost)),
        ("rows stored, not acknowledged (committed, response lost)", len(unacked_stored)),
        ("rows stored in total", len(stored)),
    ], unacked_stored


def problems_503(scenario, records):
    s503 = [r for r in records if r["status"] == 503]
    good = [r for r in s503 if (r["ctype"] or "").startswith(PROBLEM) and r["retry_after"]]
    check(scenario, "every 503 is problem+json with Retry-After", len(good) == len(s503),
          f"{len(good)}/{len(s503)}")
    ras = sorted({r["retry_after"] for r in s503 if r["retry_after"]})
    rows = [("503 responses", len(s503)),
            ("503 with problem+json and Retry-After", f"{len(good)} (Retry-After values: {', '.join(ras) or '-'})")]
    if s503:
        lat = sorted(r["t_end"] - r["t_send"] for r in s503)
        rows.append(("503 latency min / median / max", f"{lat[0]:.3f} / {lat[len(lat) // 2]:.3f} / {lat[-1]:.3f} s"))
        details = {}
        for r in s503:
            details[r["detail"]] = details.get(r["detail"], 0) + 1
        for d, n in sorted(details.items(), key=lambda x: -x[1]):
            rows.append(("  503 detail", f"{n} x {d!r}"))
    return rows


def table(title, rows):
    log(f"### {title}")
    log()
    log("```")
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        log(f"{k.ljust(width)}  {v}")
    log("```")
    log()


def replay_check(scenario, room, prefix, unacked_stored, records):
    """A retry with the key of a stored-but-unacknowledged answer must replay that answer."""
    if not unacked_stored:
        return ("retries of stored-but-unacknowledged keys replayed", "none to retry")
    by_key = {r["key"]: r for r in records}
    stored = stored_submissions(prefix)
    client, good = Client(), 0
    for key in unacked_stored:
        student = int(key.split("-")[1])
        rec = client.submit(room, student, key)
        if rec["status"] == 201 and rec["replayed"] and rec["id"] == stored[key]:
            good += 1
        by_key.get(key, {})["retried"] = rec
    client.close()
    check(scenario, "retry of a stored-but-unacknowledged key replays the stored answer",
          good == len(unacked_stored), f"{good}/{len(unacked_stored)}")
    return ("retries of stored-but-unacknowledged keys replayed (201, same id)", f"{good}/{len(unacked_stored)}")


# --- scenario 1: PostgreSQL outage ---------------------------------------------------------------

def scenario_pg_outage(room):
    name, prefix = "1 pg-outage", "s1"
    svc = Service("pg-outage", NEWSLIT_DB_POOL_SIZE=8).start()
    load = Load(room, prefix, clients=8).start()
    time.sleep(3)
    t_stop = time.time()
    pg_ctl("-m", "fast", "-w", "stop")
    t_down = time.time()
    probe = {}

    def ready_probe():  # the readiness endpoint while PostgreSQL is down
        time.sleep(1)
        c = http.client.HTTPConnection("127.0.0.1", SVC_PORT, timeout=HTTP_TIMEOUT)
        t0 = time.time()
        try:
            c.request("GET", "/ready")
            res = c.getresponse()
            res.read()
            probe.update(status=res.status, ctype=res.getheader("Content-Type"),
                         retry_after=res.getheader("Retry-After"), secs=time.time() - t0)
        except (OSError, http.client.HTTPException) as e:
            probe.update(status=classify(e), ctype=None, retry_after=None, secs=time.time() - t0)
        finally:
            c.close()
    prober = threading.Thread(target=ready_probe, daemon=True)
    prober.start()
    time.sleep(5)
    prober.join(HTTP_TIMEOUT)
    t_start = time.time()
    pg_ctl("-o", PG_OPTS, "-l", PGLOG, "-W", "start")
    while not pg_accepting():
        time.sleep(0.02)
    t_up = time.time()
    # Keep loading until a 2xx arrives after the restart (at most 15 s), then 2 s more.
    deadline = t_up + 15
    while time.time() < deadline:
        with load.lock:
            if any(ok2xx(r) and r["t_end"] >= t_up for r in load.records):
                break
        time.sleep(0.05)
    time.sleep(2)
    load.stop()
    records = load.records
    alive = svc.proc.poll() is None
    svc.stop()

    after = [r for r in records if ok2xx(r) and r["t_end"] >= t_up]
    first = min((r["t_end"] for r in after), default=None)
    recovery = None if first is None else first - t_up
    during = [r for r in records if r["t_end"] >= t_stop and r["t_send"] < t_up]
    others = {k: v for k, v in tally(records).items() if k not in ("201", "503")}
    rows = [("requests", len(records)),
            ("by status / error", tally(records)),
            ("requests overlapping the outage", f"{len(during)}: {tally(during)}")]
    rows += problems_503(name, records)
    rows.append(("other statuses / connection errors", others or "none"))
    rows.append(("PostgreSQL stopped (fast) / down after", f"{t_down - t_stop:.2f} s, kept down {t_start - t_down:.2f} s"))
    rows.append(("GET /ready while PostgreSQL was down", f"{probe.get('status')} {probe.get('ctype')}, "
                 f"Retry-After {probe.get('retry_after')}, in {probe.get('secs', 0):.3f} s"))
    rows.append(("PostgreSQL accepting again after start", f"{t_up - t_start:.2f} s"))
    rows.append(("first 2xx after PostgreSQL accepts", "never" if recovery is None else f"{recovery:.2f} s"))
    dur_rows, unacked = durability(name, prefix, records)
    rows += dur_rows
    rows.append(replay_check(name, room, prefix, unacked, records))
    rows.append(("service process still running (not restarted)", alive))
    table("Scenario 1: PostgreSQL stopped for 5 s during the load (8 clients, pool 8)", rows)
    check(name, "no statuses other than 201/503, no connection errors", not others, str(others or "none"))
    check(name, "first 2xx <= 5 s after PostgreSQL accepts connections",
          recovery is not None and recovery <= 5.0, "never" if recovery is None else f"{recovery:.2f} s")
    check(name, "service kept running through the outage", alive, str(alive))
    check(name, "/ready answered 503 problem+json while PostgreSQL was down",
          probe.get("status") == 503 and (probe.get("ctype") or "").startswith(PROBLEM), str(probe.get("status")))
    for r in records:
        if r["status"] is not None and r["status"] >= 500 and r["status"] != 503:
            log(f"evidence: {r['status']} at +{r['t_end'] - t_stop:.2f} s from the stop: {r.get('body')}")


# --- scenario 2: SIGTERM -------------------------------------------------------------------------

def sigterm_under_load(room, prefix, hold_in_handler):
    """Runs a load, sends SIGTERM; with hold_in_handler, a psql session first locks submissions so
    that every client's request is parked inside the handler at the signal, and releases it 2 s
    after the signal. Returns the facts."""
    svc = Service(f"sigterm-{prefix}", NEWSLIT_DB_POOL_SIZE=16).start()
    f = {"retried": []}
    if "retry" in hold_in_handler:
        # Requests of the previous run cut at the signal: retry them with their keys, here.
        client = Client()
        for key in hold_in_handler["retry"]:
            f["retried"].append(client.submit(room, int(key.split("-")[1]), key))
        client.close()
    load = Load(room, prefix, clients=8).start()
    time.sleep(2)
    locker = None
    if hold_in_handler.get("hold"):
        locker = lock_submissions()
        time.sleep(1)  # every client is now blocked inside the handler, holding a connection
    t_sig = time.time()
    svc.proc.send_signal(signal.SIGTERM)
    if locker:
        time.sleep(2)
        f["alive_while_held"] = svc.proc.poll() is None
        unlock(locker)
        f["t_release"] = time.time()
    code = svc.wait(45)
    t_exit = time.time()
    if code is None:
        svc.proc.kill()
        svc.proc.wait()
        svc.forget()
    time.sleep(1)  # clients now meet a closed port
    load.stop()
    f.update(records=load.records, t_sig=t_sig, t_exit=t_exit, code=code)
    return f


def sigterm_rows(name, prefix, f):
    records, t_sig = f["records"], f["t_sig"]
    in_flight = [r for r in records if r["t_send"] <= t_sig < r["t_end"]]
    complete = [r for r in in_flight if r["status"] is not None]
    cut = [r for r in in_flight if r["status"] is None]
    after = [r for r in records if r["t_send"] > t_sig]
    refused = [r for r in after if r["err"] == "connection refused"]
    served_after = [r for r in after if r["status"] is not None]
    other_err = [r for r in records if r["err"] and r["err"] != "connection refused"]
    first_refused = min((r["t_end"] for r in refused), default=None)
    last_served = max((r["t_end"] for r in served_after), default=None)
    rows = [("requests", len(records)),
            ("by status / error", tally(records)),
            ("in flight at the signal (sent, not yet answered)", len(in_flight)),
            ("  of those, got a complete response", f"{len(complete)} {tally(complete)}")]
    if "t_release" in f:
        rows.append(("  service still running 2 s after SIGTERM (requests held)", f["alive_while_held"]))
        done = [r["t_end"] - f["t_release"] for r in complete]
        if done:
            rows.append(("  answered after the lock was released", f"within {max(done):.3f} s"))
    if cut:
        written = ", ".join(f"{(r['t_written'] or r['t_send']) - t_sig:+.4f}" for r in cut)
        rows.append(("  of those, connection closed without a response", f"{len(cut)} {tally(cut)}, "
                     f"written {written} s from the signal, on a kept-alive connection: "
                     f"{sum(r['reused'] for r in cut)}"))
    rows += [("sent after the signal and still answered", f"{len(served_after)} {tally(served_after)}"
              + ("" if last_served is None else f", last {last_served - t_sig:.2f} s after the signal")),
             ("connection refused after the signal (expected)", len(refused)
              if first_refused is None else f"{len(refused)}, first {first_refused - t_sig:.3f} s after the signal"),
             ("other connection errors (reset / closed without response)", f"{len(other_err)} {tally(other_err)}"),
             ("service exit", "did not exit in 45 s (killed)" if f["code"] is None
              else f"status {f['code']}, {f['t_exit'] - t_sig:.2f} s after SIGTERM")]
    dur_rows, _ = durability(name, prefix, records)
    rows += dur_rows
    check(name, "service exited by itself within the 30 s shutdown timeout",
          f["code"] is not None and f["t_exit"] - t_sig <= 31,
          "killed" if f["code"] is None else f"{f['t_exit'] - t_sig:.2f} s, status {f['code']}")
    check(name, "no 5xx responses", not any((r["status"] or 0) >= 500 for r in records),
          str({k: v for k, v in tally(records).items() if k.startswith("5")} or "none"))
    return rows, in_flight, complete, cut


def scenario_sigterm(room):
    # 2a: a plain load; requests take a few ms, so "in flight" includes requests racing the signal.
    name = "2a sigterm"
    fa = sigterm_under_load(room, "s2a", {})
    rows, in_flight, complete, cut = sigterm_rows(name, "s2a", fa)
    stored = stored_submissions("s2a")
    cut_stored = [r for r in cut if r["key"] in stored]
    # 2b: every client parked in the handler at the signal (a lock on submissions, released 2 s later);
    # first, the requests 2a cut are retried on this new process with their Idempotency-Keys.
    name_b = "2b sigterm"
    fb = sigterm_under_load(room, "s2b", {"hold": True, "retry": [r["key"] for r in cut]})
    retried = fb["retried"]
    retried_ok = [r for r in retried if r["status"] == 201]
    if cut:
        rows.append(("cut requests retried with the same key on the next process",
                     f"{len(retried_ok)}/{len(retried)} x 201 "
                     f"({sum(r['replayed'] for r in retried_ok)} replayed, "
                     f"{len(retried_ok) - sum(r['replayed'] for r in retried_ok)} stored now)"))
    table("Scenario 2a: SIGTERM to the service during the load (8 clients)", rows)
    benign = [r for r in cut if r["key"] not in stored and r["reused"]]
    check(name, "every request in flight at the signal got a complete response, or was closed unprocessed "
          "(keep-alive close race: nothing stored, safe to retry)", len(in_flight) > 0 and len(benign) == len(cut),
          f"{len(complete)}/{len(in_flight)} complete" + (f", {len(benign)} closed unprocessed" if cut else ""))
    check(name, "no request cut at the signal was half-done (stored without a response)", not cut_stored,
          f"{len(cut_stored)} of {len(cut)} cut requests stored")
    check(name, "retrying a cut request with its Idempotency-Key succeeds (201) on the next process",
          len(retried_ok) == len(cut), f"{len(retried_ok)}/{len(cut)}")
    for r in cut:
        log(f"evidence: POST {room.path} (Idempotency-Key {r['key']}) on a kept-alive connection={r['reused']}: "
            f"written {(r['t_written'] or r['t_send']) - fa['t_sig']:+.4f} s, "
            f"'{r['err']}' {r['t_end'] - fa['t_sig']:+.4f} s relative to SIGTERM; stored: {r['key'] in stored}")
    if cut:
        log()

    rows, in_flight, complete, cut = sigterm_rows(name_b, "s2b", fb)
    table("Scenario 2b: SIGTERM while all 8 clients' requests are held inside the handler "
          "(submissions locked, released 2 s after the signal)", rows)
    check(name_b, "all requests in flight at the signal completed with 2xx after the release",
          len(in_flight) >= 8 and all(ok2xx(r) for r in in_flight),
          f"{sum(ok2xx(r) for r in in_flight)}/{len(in_flight)} x 2xx")
    check(name_b, "the service waited for them (still running 2 s after SIGTERM)", fb["alive_while_held"],
          str(fb["alive_while_held"]))


def lock_submissions():
    locker = subprocess.Popen(
        [f"{PGBIN}/psql", "-h", "127.0.0.1", "-p", PGPORT, "-U", "postgres", "-d", DB, "-X", "-q", "-t", "-A"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    locker.stdin.write("BEGIN;\nLOCK TABLE submissions IN ACCESS EXCLUSIVE MODE;\nSELECT 'locked';\n")
    locker.stdin.flush()
    line = locker.stdout.readline().strip()
    if line != "locked":
        sys.exit(f"could not lock submissions: {line}")
    return locker


def unlock(locker):
    locker.stdin.write("ROLLBACK;\n")
    locker.stdin.close()
    locker.wait(10)


# --- scenario 3: pool exhausted by slow queries --------------------------------------------------

def scenario_pool(room):
    name, prefix = "3 pool", "s3"
    pool, acquire_ms, wave = 2, 1000, 8
    svc = Service("pool", NEWSLIT_DB_POOL_SIZE=pool, NEWSLIT_DB_ACQUIRE_TIMEOUT_MS=acquire_ms).start()
    records = []
    # Warm-up: one answer per student (provisions the users, fills the pool).
    client = Client()
    warm = [client.submit(room, s, f"{prefix}-{s}-warm-{uuid.uuid4().hex[:12]}") for s in range(wave)]
    client.close()
    records += warm

    locker = lock_submissions()
    t_lock = time.time()

    def fire(tag, stagger=0.0):
        out, barrier = [None] * wave, threading.Barrier(wave)

        def one(i):
            c = Client()
            barrier.wait()
            if i >= pool:
                # The first `pool` requests take the connections (and whatever batch they
                # start); the rest arrive once those are held, so some find none.
                time.sleep(stagger)
            out[i] = c.submit(room, i, f"{prefix}-{i}-{tag}-{uuid.uuid4().hex[:12]}")
            c.close()
        threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(wave)]
        for t in threads:
            t.start()
        return threads, out

    threads, locked_wave = fire("locked", stagger=0.3)
    time.sleep(acquire_ms / 1000 + 1.5)
    # While the lock is still held: the process answers what needs no database.
    t0 = time.time()
    try:
        health = http_get("/health", timeout=5)[0]
    except OSError as e:
        health = classify(e)
    health_s = time.time() - t0
    done_before_release = sum(1 for r in locked_wave if r is not None)
    unlock(locker)
    t_release = time.time()
    for t in threads:
        t.join(HTTP_TIMEOUT + 5)
    hung = [i for i, r in enumerate(locked_wave) if r is None or r["err"] == "timeout"]
    locked_wave = [r for r in locked_wave if r is not None]
    records += locked_wave

    threads, after_wave = fire("after")
    for t in threads:
        t.join(HTTP_TIMEOUT + 5)
    after_wave = [r for r in after_wave if r is not None]
    records += after_wave
    svc.stop()

    s503 = [r for r in locked_wave if r["status"] == 503]
    ok_locked = [r for r in locked_wave if ok2xx(r)]
    max503 = max((r["t_end"] - r["t_send"] for r in s503), default=None)
    blocked_after = [r["t_end"] - t_release for r in ok_locked]
    rows = [("pool size / acquire timeout", f"{pool} / {acquire_ms} ms"),
            ("warm-up (before the lock)", tally(warm)),
            (f"{wave} concurrent requests while locked", tally(locked_wave)),
            ("  answered before the lock was released", f"{done_before_release} (lock held {t_release - t_lock:.2f} s)"),
            ("  max latency of the 503s", "-" if max503 is None else f"{max503:.3f} s"),
            ("  2xx (held a connection, blocked on the lock)",
             f"{len(ok_locked)}, completed {', '.join(f'{x:.3f}' for x in blocked_after) or '-'} s after release"),
            ("  requests that hung (no answer within 10 s)", len(hung)),
            ("GET /health while the pool was exhausted", f"{health} in {health_s:.3f} s")]
    rows += problems_503(name, locked_wave)
    rows.append((f"{wave} concurrent requests after release", tally(after_wave)))
    dur_rows, unacked = durability(name, prefix, records)
    rows += dur_rows
    # A connection carries one request, or one batch of answers stored together (group commit:
    # they share a transaction, so its change_xid): what the pool's connections did not carry
    # must have got 503.
    carried = 0
    if ok_locked:
        ids = ", ".join(f"'{r['id']}'" for r in ok_locked)
        carried = int(psql(f"SELECT count(DISTINCT change_xid) FROM submissions WHERE id IN ({ids})")[0][0])
    rows.append(("  transactions that stored the 2xx (connections used)", carried))
    table(f"Scenario 3: pool of {pool}, submissions locked by another session, {wave} concurrent requests", rows)
    check(name, f"what the {pool} connections did not carry got 503",
          carried <= pool and len(s503) + len(ok_locked) == wave and len(s503) >= 1,
          f"{len(s503)} x 503 of {wave}; {len(ok_locked)} x 2xx in {carried} transaction(s); "
          f"others {tally([r for r in locked_wave if r['status'] != 503 and not ok2xx(r)])}")
    check(name, f"503s came within about the acquire timeout (<= {acquire_ms / 1000 + 0.5:.1f} s)",
          max503 is not None and max503 <= acquire_ms / 1000 + 0.5, "-" if max503 is None else f"max {max503:.3f} s")
    check(name, "nothing hung", not hung, f"{len(hung)} hung")
    check(name, "2xx again after the lock is released", all(ok2xx(r) for r in after_wave) and len(after_wave) == wave,
          str(tally(after_wave)))
    check(name, "no 5xx other than 503", not any((r["status"] or 0) >= 500 and r["status"] != 503 for r in records),
          str({k: v for k, v in tally(records).items() if k.startswith("5")}))


def main():
    started = time.time()
    version = psql("SHOW server_version", db="postgres")[0][0]
    log("# newslit fault injection")
    log()
    log(f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}, {os.cpu_count()} cores, private PostgreSQL "
        f"{version} on port {PGPORT}, service on port {SVC_PORT}, clients time out after {HTTP_TIMEOUT:.0f} s")
    log()
    svc = Service("setup").start()
    room = Classroom(students=8)
    svc.stop()
    log(f"classroom: 8 students, one assignment of a published {room.exercise_kind} exercise, "
        "every POST with a fresh Idempotency-Key")
    log()
    chosen = os.environ.get("FAULTS_SCENARIOS", "1,2,3").split(",")
    for number, scenario in (("1", scenario_pg_outage), ("2", scenario_sigterm), ("3", scenario_pool)):
        if number in chosen:
            scenario(room)

    log("### Verdict")
    log()
    log("```")
    for scenario, prop, ok, detail in RESULTS:
        log(f"{'PASS' if ok else 'FAIL'}  [{scenario}] {prop}: {detail}")
    failed = sum(1 for r in RESULTS if not r[2])
    log(f"{'PASS' if not failed else 'FAIL'}  overall: {len(RESULTS) - failed}/{len(RESULTS)} properties hold "
        f"({time.time() - started:.0f} s)")
    log("```")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
