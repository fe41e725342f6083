#!/usr/bin/env python3
"""Kills one of two instances behind the proxy in the middle of a submission load, and counts
what was acknowledged (2xx) against what PostgreSQL stored. Every request that got no answer, or
an answer other than 2xx, is retried through the proxy with the same Idempotency-Key until it
gets a 201 (bounded), so each key must end up stored exactly once.

Not meant to be started by hand: bench/cluster.sh starts the topology and sets

  PROXY      http://127.0.0.1:PORT of the proxy     PSQL     psql command line (a string)
  VICTIM     pid of the instance to kill             SETUP    dir with tokens.txt, assignment.txt, submission.json
  CLIENTS    concurrent clients (default 16)         SECONDS  load duration (default 10)

Python 3.11 standard library only. Exit status 1 when an acknowledged answer is missing.
"""
import http.client
import json
import os
import signal
import subprocess
import threading
import time
import urllib.parse
import uuid

PROXY = urllib.parse.urlparse(os.environ["PROXY"])
PSQL = os.environ["PSQL"]
VICTIM = int(os.environ["VICTIM"])
SETUP = os.environ["SETUP"]
CLIENTS = int(os.environ.get("CLIENTS", "16"))
SECONDS = float(os.environ.get("SECONDS", "10"))
RETRIES = 20
TIMEOUT = 10.0

tokens = open(f"{SETUP}/tokens.txt").read().split()
assignment = open(f"{SETUP}/assignment.txt").read().split()[0]
body = open(f"{SETUP}/submission.json").read()
path = f"/v1/assignments/{assignment}/submissions"
run = uuid.uuid4().hex[:8]


def post(conn, token, key):
    """(status or None, id or None, replayed, new conn)"""
    try:
        if conn is None:
            conn = http.client.HTTPConnection(PROXY.hostname, PROXY.port, timeout=TIMEOUT)
        conn.request("POST", path, body=body, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": key})
        res = conn.getresponse()
        raw = res.read()
        ident = json.loads(raw)["id"] if 200 <= res.status < 300 else None
        replayed = res.getheader("Idempotent-Replayed") is not None
        if res.will_close:
            conn.close()
            conn = None
        return res.status, ident, replayed, conn
    except (OSError, http.client.HTTPException, ValueError) as e:
        if conn is not None:
            conn.close()
        return type(e).__name__, None, False, None


records = []  # one per key: first outcome, final outcome, attempts
lock = threading.Lock()
stop = threading.Event()


def client(n):
    conn, i = None, 0
    token = tokens[n % len(tokens)]
    while not stop.is_set():
        key = f"cluster-{run}-{n}-{i}"
        i += 1
        t0 = time.time()
        first, ident, replayed, conn = post(conn, token, key)
        rec = {"key": key, "first": first, "t": t0, "attempts": 1, "id": ident, "replayed": replayed,
               "final": first}
        while not (isinstance(rec["final"], int) and 200 <= rec["final"] < 300) and rec["attempts"] < RETRIES:
            time.sleep(0.1)
            rec["attempts"] += 1
            rec["final"], rec["id"], rec["replayed"], conn = post(conn, token, key)
        with lock:
            records.append(rec)


def main():
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
    t_start = time.time()
    for t in threads:
        t.start()
    time.sleep(SECONDS / 2)
    t_kill = time.time()
    os.kill(VICTIM, signal.SIGKILL)
    time.sleep(SECONDS / 2)
    stop.set()
    for t in threads:
        t.join(TIMEOUT * RETRIES)
    elapsed = time.time() - t_start

    out = subprocess.run(PSQL.split() + ["-tAc", f"SELECT idempotency_key, id FROM submissions "
                                                 f"WHERE idempotency_key LIKE 'cluster-{run}-%'"],
                         check=True, capture_output=True, text=True).stdout
    stored = dict(line.split("|") for line in out.split())
    acked = [r for r in records if isinstance(r["final"], int) and 200 <= r["final"] < 300]
    lost = [r for r in acked if stored.get(r["key"]) != r["id"]]
    first_failed = [r for r in records if not (isinstance(r["first"], int) and 200 <= r["first"] < 300)]
    retried_ok = [r for r in first_failed if r in acked]
    never = [r for r in records if r not in acked]
    unacked_stored = [k for k in stored if k not in {r["key"] for r in acked}]
    kinds = {}
    for r in first_failed:
        kinds[str(r["first"])] = kinds.get(str(r["first"]), 0) + 1
    after = [r for r in records if r["t"] >= t_kill]
    rows = [
        ("clients / load / instance killed (SIGKILL) at", f"{CLIENTS} / {elapsed:.1f} s / +{t_kill - t_start:.1f} s"),
        ("answers sent (distinct Idempotency-Keys)", len(records)),
        ("  sent after the kill", len(after)),
        ("first attempt failed (by status / error)", f"{len(first_failed)} {kinds or ''}"),
        ("  retried with the same key and then 2xx", f"{len(retried_ok)} "
         f"({sum(r['replayed'] for r in retried_ok)} replayed: stored before the failure)"),
        ("never acknowledged after retries", len(never)),
        ("acknowledged (2xx)", len(acked)),
        ("rows stored for these keys", len(stored)),
        ("acknowledged but not stored (lost)", len(lost)),
        ("stored but not acknowledged", len(unacked_stored)),
    ]
    width = max(len(k) for k, _ in rows)
    print("```")
    for k, v in rows:
        print(f"{k.ljust(width)}  {v}")
    print("```")
    ok = not lost and not never and len(stored) == len(acked)
    print(f"{'PASS' if ok else 'FAIL'}: {len(acked)} acknowledged, {len(stored)} stored, {len(lost)} lost, "
          f"{len(retried_ok)}/{len(first_failed)} failed first attempts succeeded on retry with the same key")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
