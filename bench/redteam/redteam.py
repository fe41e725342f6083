#!/usr/bin/env python3
"""Red-team pass over the newslit API: JWT attacks, the authorization matrix over every
operation of the README's role table (two teachers, two classes, their students and graders, an
admin), answer-key leaks under every feedback policy, NUL / oversized / malformed input on every
body field and query parameter, idempotency abuse, and information leaks in errors and headers.

Loopback only and bounded (about two thousand requests). Starts the given binary on a free
port against a fresh database on the local PostgreSQL, with an issuer and audience configured:

    python3 bench/redteam/redteam.py --bin target/debug/newslit [--json out.json]

Prints one line per failed check and a summary per attack family; exits 1 if anything failed.
Standard library only: tokens are signed here (HS256 with the secret the service is given),
because the attacks need tokens no well-behaved minter would produce.
"""

import argparse
import base64
import concurrent.futures
import hashlib
import hmac
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid

SECRET = "redteam-secret-" + uuid.uuid4().hex
ISSUER = "https://id.school.example"
AUDIENCE = "newslit"
LEAKS = re.compile(r"sqlx|postgres|panicked|backtrace|src/|\.rs:|SQLSTATE|duplicate key|violates", re.I)


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(claims, key=SECRET, alg="HS256", header=None):
    head = header or {"alg": alg, "typ": "JWT"}
    signing = b64(json.dumps(head).encode()) + "." + b64(json.dumps(claims).encode())
    if alg == "none":
        return signing + "."
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    sig = hmac.new(key.encode() if isinstance(key, str) else key, signing.encode(), digest).digest()
    return signing + "." + b64(sig)


def claims(sub, role, **extra):
    now = int(time.time())
    c = {"sub": sub, "role": role, "exp": now + 3600, "iat": now, "iss": ISSUER, "aud": AUDIENCE, "name": sub}
    c.update(extra)
    return {k: v for k, v in c.items() if v is not None}


class Api:
    def __init__(self, port):
        self.port = port
        self.requests = 0
        self.server_errors = []

    def call(self, method, path, token=None, body=None, headers=None, raw=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = {"Host": "127.0.0.1"}
        if token is not None:
            h["Authorization"] = "Bearer " + token
        data = None
        if raw is not None:
            data = raw
            h.setdefault("Content-Type", "application/json")
        elif body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        try:
            conn.request(method, path, body=data, headers=h)
            res = conn.getresponse()
            text = res.read().decode("utf-8", "replace")
        except (BrokenPipeError, ConnectionResetError):
            # The server answered (an oversized body: 413) and closed before reading it all.
            conn.close()
            self.requests += 1
            return 413, {"content-type": "application/problem+json"}, None, ""
        conn.close()
        self.requests += 1
        if res.status >= 500:
            self.server_errors.append(f"{method} {path} -> {res.status}: {text[:200]}")
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        return res.status, {k.lower(): v for k, v in res.getheaders()}, parsed, text


class Report:
    def __init__(self):
        self.families = {}
        self.failures = []

    def check(self, family, ok, what):
        passed, total = self.families.get(family, (0, 0))
        self.families[family] = (passed + (1 if ok else 0), total + 1)
        if not ok:
            self.failures.append(f"[{family}] {what}")
            print(f"FAIL [{family}] {what}", flush=True)
        return ok


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(binary, port, db):
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {db}"],
                   check=True, stdout=subprocess.DEVNULL)
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "NEWSLIT_LISTEN": f"127.0.0.1:{port}",
        "NEWSLIT_JWT_SECRET": SECRET,
        "NEWSLIT_JWT_ISSUER": ISSUER,
        "NEWSLIT_JWT_AUDIENCE": AUDIENCE,
        "NEWSLIT_METRICS_TOKEN": "redteam-metrics",
        "NEWSLIT_RATE_LIMIT_WRITES_PER_MINUTE": "0",
        "NEWSLIT_LOG": "error",
    })
    proc = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(240):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/ready")
            if c.getresponse().status == 200:
                return proc
        except OSError:
            pass
        if proc.poll() is not None:
            sys.exit("the service exited before it was ready")
        time.sleep(0.5)
    proc.terminate()
    sys.exit("the service did not become ready")


def policy_table(readme):
    text = open(readme, encoding="utf-8").read()
    block = text.split("<!-- role-policy: generated from src/identity/policy.rs -->", 1)[1].split("<!-- /role-policy -->")[0]
    rows = []
    for line in block.splitlines():
        m = re.match(r"\| `(\w+) ([^`]+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|", line)
        if m:
            rows.append((m.group(1), m.group(2), dict(zip(["student", "teacher", "grader", "admin"],
                                                            [m.group(i).strip() for i in range(3, 7)]))))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/debug/newslit")
    ap.add_argument("--readme", default="README.md")
    ap.add_argument("--json")
    args = ap.parse_args()
    port = free_port()
    proc = start(args.bin, port, "newslit_redteam")
    api = Api(port)
    rep = Report()
    try:
        run(api, rep, policy_table(args.readme), port)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    rep.check("information leaks", not api.server_errors, f"5xx answers: {api.server_errors[:5]}")
    print()
    for family, (passed, total) in rep.families.items():
        print(f"{family:32} {passed:5}/{total:<5} {'ok' if passed == total else 'FAILED'}")
    print(f"{'requests':32} {api.requests}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"families": rep.families, "failures": rep.failures, "requests": api.requests}, f, indent=1)
    sys.exit(1 if rep.failures else 0)


def ok_status(status):
    return status < 500


def run(api, rep, table, port):
    tok = {
        "T1": jwt(claims("rt-t1", "teacher")), "T2": jwt(claims("rt-t2", "teacher")),
        "S1": jwt(claims("rt-s1", "student")), "S2": jwt(claims("rt-s2", "student")),
        "G1": jwt(claims("rt-g1", "grader")), "G2": jwt(claims("rt-g2", "grader")),
        "A": jwt(claims("rt-admin", "admin")),
    }
    ids = {}
    for name, t in tok.items():
        s, _, body, _ = api.call("GET", "/v1/me", t)
        assert s == 200, (name, s, body)
        ids[name] = body["id"]

    # ---- world: two classes, each with its student and grader, assignments, answers
    def make_class(teacher, student, grader, label):
        s, _, c, _ = api.call("POST", "/v1/classes", tok[teacher], {"name": label})
        assert s == 201, c
        api.call("POST", "/v1/classes/join", tok[student], {"join_code": c["join_code"]})
        api.call("POST", f"/v1/classes/{c['id']}/graders", tok[teacher], {"subject": "rt-" + grader.lower()})
        return c["id"]

    classes = {"C1": make_class("T1", "S1", "G1", "Red 1"), "C2": make_class("T2", "S2", "G2", "Red 2")}
    _, _, arts, _ = api.call("GET", "/v1/articles", tok["T1"])
    article = arts["items"][0]["id"]
    _, _, exs, _ = api.call("GET", f"/v1/articles/{article}/exercises?status=published", tok["T1"])
    choice = [e for e in exs["items"] if e["content"]["options"] and e["content"]["response_type"] == "single_choice"]
    multi = [e for e in exs["items"] if e["content"]["options"] and e["content"]["response_type"] == "multiple_response"]
    exercise = (choice or multi)[0]

    def make_assignment(teacher, cls, **extra):
        body = {"title": "Red", "exercise_ids": [exercise["id"]], "opens_at": "2026-01-01T00:00:00Z",
                "due_at": "2031-01-01T00:00:00Z"}
        body.update(extra)
        s, _, a, _ = api.call("POST", f"/v1/classes/{classes[cls]}/assignments", tok[teacher], body)
        assert s == 201, a
        return a["id"]

    a1 = make_assignment("T1", "C1", feedback="on_release", max_attempts=None)
    a2 = make_assignment("T2", "C2", feedback="immediate")
    key_ids = [o["id"] for o in exercise["content"]["options"] if o["correct"]]
    wrong = [o["id"] for o in exercise["content"]["options"] if not o["correct"]][0]

    def submit(student, assignment, option_ids, key=None):
        return api.call("POST", f"/v1/assignments/{assignment}/submissions", tok[student],
                        {"exercise_id": exercise["id"], "answer": {"type": "choices", "option_ids": option_ids}},
                        {"Idempotency-Key": key or str(uuid.uuid4())})

    s, _, sub1, _ = submit("S1", a1, [wrong])
    s, _, sub2, _ = submit("S2", a2, [wrong])
    sub1, sub2 = sub1["id"], sub2["id"]
    _, _, article2, _ = api.call("POST", "/v1/articles", tok["T2"], {"text": "The mayor said the bridge would reopen in May."})

    jwt_attacks(api, rep, tok)
    matrix(api, rep, table, tok, ids, classes, article, exercise, a1, sub1)
    key_leaks(api, rep, tok, classes, exercise, key_ids, wrong, make_assignment, submit)
    bad_input(api, rep, tok, classes, a1, exercise, sub1, port)
    idempotency(api, rep, tok, make_assignment("T2", "C2", feedback="immediate", max_attempts=None), exercise, wrong)
    leaks(api, rep, tok, a1)


def jwt_attacks(api, rep, tok):
    fam = "jwt attacks"
    base = claims("rt-attacker", "admin")
    now = int(time.time())
    attacks = {
        "alg none": jwt(base, alg="none"),
        "alg none, header only": jwt(base, header={"alg": "none"}, alg="none"),
        "HS512 with the right secret": jwt(base, alg="HS512"),
        "HS384 with the right secret": jwt(base, alg="HS384"),
        "RS256 header, HMAC signature": jwt(base, header={"alg": "RS256", "typ": "JWT"}),
        "wrong key": jwt(base, key="not-the-secret"),
        "empty key": jwt(base, key=""),
        "signature stripped": jwt(base).rsplit(".", 1)[0] + ".",
        "payload swapped after signing": jwt(claims("rt-attacker", "student")).split(".")[0] + "." + b64(json.dumps(base).encode()) + "." + jwt(claims("rt-attacker", "student")).split(".")[2],
        "no sub": jwt({k: v for k, v in base.items() if k != "sub"}),
        "no exp": jwt({k: v for k, v in base.items() if k != "exp"}),
        "no role": jwt({k: v for k, v in base.items() if k != "role"}),
        "unknown role": jwt(claims("rt-attacker", "superuser")),
        "role array": jwt(claims("rt-attacker", ["admin"])),
        "expired an hour ago": jwt(claims("rt-attacker", "admin", exp=now - 3600)),
        "expired past the leeway": jwt(claims("rt-attacker", "admin", exp=now - 120)),
        "not valid for an hour": jwt(claims("rt-attacker", "admin", nbf=now + 3600)),
        "no iss": jwt(claims("rt-attacker", "admin", iss=None)),
        "wrong iss": jwt(claims("rt-attacker", "admin", iss="https://evil.example")),
        "no aud": jwt(claims("rt-attacker", "admin", aud=None)),
        "wrong aud": jwt(claims("rt-attacker", "admin", aud="other")),
        "aud array without ours": jwt(claims("rt-attacker", "admin", aud=["a", "b"])),
        "exp as a string": jwt(claims("rt-attacker", "admin", exp="9999999999")),
        "empty sub": jwt(claims("", "admin")),
        "sub over 255 bytes": jwt(claims("x" * 300, "admin")),
        "garbage": "not.a.token",
        "two segments": "abc.def",
        "non-base64": "!!!.@@@.###",
        "json array payload": b64(b'{"alg":"HS256"}') + "." + b64(b"[1,2]") + ".sig",
    }
    for name, t in attacks.items():
        s, h, body, text = api.call("GET", "/v1/me", t)
        rep.check(fam, s == 401 and "www-authenticate" in h and LEAKS.search(text) is None,
                  f"{name}: {s} {text[:120]}")
    # Accepted as designed: aud arrays containing ours, a small clock skew, extra claims ignored.
    for name, t, expect_role in [
        ("aud array with ours", jwt(claims("rt-arr", "student", aud=["lms", AUDIENCE])), "student"),
        ("expired within the leeway", jwt(claims("rt-skew", "student", exp=now - 5)), "student"),
        ("extra claims (admin: true, roles, scope)", jwt(claims("rt-extra", "student", admin=True, roles=["admin"], scope="admin")), "student"),
    ]:
        s, _, body, _ = api.call("GET", "/v1/me", t)
        rep.check(fam, s == 200 and body["role"] == expect_role, f"{name}: {s} {body}")
    # Claims PostgreSQL cannot store are a 400 naming the claim, never a 500.
    for name, c, field in [("NUL in sub", claims("a\u0000b", "student"), "token.sub"),
                           ("NUL in name", claims("rt-nul", "student", name="n\u0000"), "token.name")]:
        s, _, body, _ = api.call("GET", "/v1/me", jwt(c))
        rep.check(fam, s == 400 and body["errors"][0]["field"] == field, f"{name}: {s} {body}")
    # Role changes of one subject take effect at once.
    for role in ["student", "grader", "student"]:
        s, _, body, _ = api.call("GET", "/v1/me", jwt(claims("rt-switch", role)))
        rep.check(fam, s == 200 and body["role"] == role, f"role switch to {role}: {body}")


def matrix(api, rep, table, tok, ids, classes, article, exercise, a1, sub1):
    fam = "authorization matrix"
    actors = {
        # actor: (role, related to class C1)
        "S1": ("student", True), "S2": ("student", False),
        "T1": ("teacher", True), "T2": ("teacher", False),
        "G1": ("grader", True), "G2": ("grader", False),
        "A": ("admin", True),
    }
    bodies = {
        ("POST", "/v1/articles"): {"text": "A spokesperson said the plan was final."},
        ("PATCH", "/v1/exercises/{id}"): {"prompt": "Who speaks?"},
        ("POST", "/v1/classes"): {"name": "Matrix"},
        ("POST", "/v1/classes/join"): {"join_code": "NOSUCH00"},
        ("POST", "/v1/classes/{class_id}/students"): {"subject": "rt-s1"},
        ("POST", "/v1/classes/{class_id}/graders"): {"subject": "rt-g1"},
        ("POST", "/v1/classes/{class_id}/assignments"): {
            "title": "M", "exercise_ids": [exercise["id"]], "opens_at": "2026-01-01T00:00:00Z",
            "due_at": "2031-01-01T00:00:00Z"},
        ("PATCH", "/v1/assignments/{assignment_id}"): {"title": "M2"},
        ("PUT", "/v1/assignments/{assignment_id}/extensions/{student_id}"): {"due_at": "2032-01-01T00:00:00Z"},
        ("POST", "/v1/assignments/{assignment_id}/submissions"): {
            "exercise_id": exercise["id"], "answer": {"type": "choices", "option_ids": [exercise["content"]["options"][0]["id"]]}},
        ("PUT", "/v1/submissions/{id}/grade"): {"score": 1.0},
        ("POST", "/v1/webhooks"): {"url": "https://hooks.example.org/newslit", "class_id": classes["C1"],
                                   "events": ["submission.created"]},
        ("POST", "/v1/lti/platforms"): {"issuer": "https://lms.example.edu", "client_id": "redteam",
                                        "deployment_ids": ["1"], "auth_url": "https://lms.example.edu/auth",
                                        "token_url": "https://lms.example.edu/token",
                                        "jwks_url": "https://lms.example.edu/jwks"},
    }
    # One subscription of C1's teacher, for the operations on a subscription.
    s, _, hook, text = api.call("POST", "/v1/webhooks", tok["T1"], bodies[("POST", "/v1/webhooks")])
    rep.check(fam, s == 201, f"T1 subscribes to C1: {s} {text[:150]}")
    hook_id = (hook or {}).get("id", str(uuid.uuid4()))
    skip_destructive = {("DELETE", "/v1/classes/{class_id}/members/{user_id}")}
    # Unsubscribing is checked last, so the other operations on the subscription still find it.
    table = sorted(table, key=lambda row: (row[0], row[1]) == ("DELETE", "/v1/webhooks/{id}"))
    for method, template, access in table:
        path = (template.replace("{class_id}", classes["C1"]).replace("{assignment_id}", a1)
                .replace("{submission_id}", sub1).replace("{student_id}", ids["S1"]))
        if template.startswith("/v1/articles/"):
            path = path.replace("{id}", article)
        elif template.startswith("/v1/exercises/"):
            path = path.replace("{id}", exercise["id"])
        elif template.startswith("/v1/submissions/"):
            path = path.replace("{id}", sub1)
        elif template.startswith("/v1/webhooks/"):
            path = path.replace("{id}", hook_id)
        else:
            path = path.replace("{id}", a1)
        for actor, (role, related) in actors.items():
            if (method, template) in skip_destructive:
                # Removing the student would change every later answer; aim at a stranger.
                path = template.replace("{class_id}", classes["C1"]).replace("{user_id}", str(uuid.uuid4()))
            s, _, body, text = api.call(method, path, tok[actor], bodies.get((method, template)),
                                        {"If-Match": '"999"', "Idempotency-Key": str(uuid.uuid4())})
            rule = access[role]
            # Articles and exercises are one catalogue: their ids are not class-scoped (what a
            # regrade touches is, and is checked by its own tests).
            scoped = "{" in template and not template.startswith(("/v1/articles/", "/v1/exercises/"))
            if rule == "—":
                ok, want = s == 403, "403"
            elif rule == "within reach" and scoped and not related:
                ok, want = s == 404, "404 (outside reach)"
            else:
                ok, want = s not in (401, 403) and s < 500 and not (rule == "within reach" and scoped and s == 404
                                                                    and (method, template) not in skip_destructive), "allowed"
            rep.check(fam, ok, f"{actor} ({role}) {method} {template}: {s}, want {want}: {text[:150]}")
    # The other class's ids answer 404 to this class's people, whatever the operation.
    for actor in ["T1", "G1", "S1"]:
        s, _, _, _ = api.call("GET", f"/v1/classes/{classes['C2']}", tok[actor])
        rep.check(fam, s == 404, f"{actor} reads class C2: {s}")


def has_key(value):
    text = json.dumps(value)
    return '"correct"' in text or '"explanation"' in text


def key_leaks(api, rep, tok, classes, exercise, key_ids, wrong, make_assignment, submit):
    fam = "answer-key leaks"
    # What a student reads before any answer: never a key.
    for path in [f"/v1/exercises/{exercise['id']}", f"/v1/articles/{exercise['article_ids'][0]}/exercises"]:
        s, _, body, _ = api.call("GET", path, tok["S1"])
        rep.check(fam, s == 200 and not has_key(body), f"student reads {path}: {s}")
    s, _, _, _ = api.call("GET", f"/v1/exercises/{exercise['id']}/qti", tok["S1"])
    rep.check(fam, s == 403, f"student asks for the QTI item: {s}")
    cases = [
        ("immediate, 2 attempts", {"feedback": "immediate", "max_attempts": 2}, "partial-then-full"),
        ("immediate, unlimited", {"feedback": "immediate", "max_attempts": None}, "partial"),
        ("after_due", {"feedback": "after_due", "max_attempts": 3}, "none"),
        ("on_release", {"feedback": "on_release", "max_attempts": 3}, "none"),
    ]
    for name, extra, expect in cases:
        a = make_assignment("T1", "C1", **extra)
        s, _, view, _ = api.call("GET", f"/v1/assignments/{a}/exercises", tok["S1"])
        rep.check(fam, s == 200 and not has_key(view), f"{name}: the assignment view carries a key")
        s, _, first, _ = submit("S1", a, [wrong])
        fb = (first or {}).get("feedback")
        if expect == "none":
            rep.check(fam, fb is None, f"{name}: feedback before it is due: {fb}")
        else:
            unchosen = [o for o in fb["options"] if not o["chosen"]] if fb else ["missing"]
            rep.check(fam, fb is not None and not unchosen and all("explanation" not in o for o in fb["options"]),
                      f"{name}: first answer shows unchosen options or explanations: {fb}")
        for path in [f"/v1/submissions/{first['id']}", f"/v1/assignments/{a}/submissions"]:
            s, _, body, _ = api.call("GET", path, tok["S1"])
            items = body["items"] if "items" in body else [body]
            leaked = any(o.get("correct") is not None and not o.get("chosen")
                         for i in items for o in (i.get("feedback") or {}).get("options", []))
            rep.check(fam, s == 200 and not leaked, f"{name}: {path} shows the key of unchosen options")
        if expect == "partial-then-full":
            s, _, last, _ = submit("S1", a, [wrong])
            rep.check(fam, last["feedback"]["key_shown"] is True and len(last["feedback"]["options"]) == len(exercise["content"]["options"]),
                      f"{name}: the last attempt shows the whole key: {last.get('feedback')}")
    # Another class's student sees nothing of class 1.
    s, _, body, _ = api.call("GET", "/v1/me/assignments", tok["S2"])
    rep.check(fam, s == 200 and all(i.get("class_id") != classes["C1"] for i in body.get("items", [])),
              "a student of class 2 lists class 1's assignments")


def bad_input(api, rep, tok, classes, a1, exercise, sub1, port):
    fam = "bad input"
    nul = "a\u0000b"
    writes = [
        ("POST", "/v1/articles", "T1", {"text": "The minister said so.", "title": "t", "outlet": "o",
                                       "source_url": "https://news.example/a", "published_at": "2026-01-01T00:00:00Z"}),
        ("POST", "/v1/classes", "T1", {"name": "n"}),
        ("POST", "/v1/classes/join", "S1", {"join_code": "ABCDEFGH"}),
        ("POST", f"/v1/classes/{classes['C1']}/students", "T1", {"subject": "s"}),
        ("POST", f"/v1/classes/{classes['C1']}/graders", "T1", {"subject": "g"}),
        ("POST", f"/v1/classes/{classes['C1']}/assignments", "T1", {
            "title": "t", "exercise_ids": [exercise["id"]], "opens_at": "2026-01-01T00:00:00Z",
            "due_at": "2031-01-01T00:00:00Z", "feedback": "immediate", "scoring": "partial", "late_policy": "reject"}),
        ("PATCH", f"/v1/assignments/{a1}", "T1", {"title": "t", "due_at": "2031-01-01T00:00:00Z"}),
        ("PATCH", f"/v1/exercises/{exercise['id']}", "T1", {"prompt": "p", "status": "published"}),
        ("POST", f"/v1/assignments/{a1}/submissions", "S1", {"exercise_id": exercise["id"], "answer": {"type": "text", "text": "t"}}),
        ("PUT", f"/v1/submissions/{sub1}/grade", "T1", {"score": 0.5, "comment": "c"}),
    ]
    for method, path, who, body in writes:
        for field, value in body.items():
            for label, bad in [("NUL", nul if isinstance(value, str) else [nul]), ("wrong type", {"x": [1]}),
                               ("huge", "x" * 1_100_000)]:
                b = dict(body)
                b[field] = bad
                if field == "answer":
                    b[field] = {"type": "text", "text": nul if label == "NUL" else ("x" * 1_100_000 if label == "huge" else 5)}
                s, h, res, text = api.call(method, path, tok[who], b, {"If-Match": '"g1"', "Idempotency-Key": str(uuid.uuid4())})
                good = s in (400, 409, 412, 413, 422, 428) and h.get("content-type") == "application/problem+json"
                if label == "NUL" and s == 400 and res and res.get("errors"):
                    good = good and field in res["errors"][0]["field"]
                rep.check(fam, good, f"{label} in {method} {path} {field}: {s} {text[:120]}")
        s, h, _, text = api.call(method, path, tok[who], raw=b'{"unterminated": ')
        rep.check(fam, s == 400 and h.get("content-type") == "application/problem+json", f"malformed JSON to {path}: {s}")
    # Query parameters.
    for q in ["cursor=%00", "limit=%00", "status=a%00", "updated_since=2026%00", "class_id=%00", "limit=-1",
              "limit=99999999999999999999", "cursor=1_9-1-___", "cursor=" + "1" * 5000, "updated_since=0000-01-01T00:00:00Z"]:
        s, h, _, text = api.call("GET", "/v1/submissions?" + q, tok["T1"])
        rep.check(fam, s == 400 and h.get("content-type") == "application/problem+json", f"/v1/submissions?{q[:40]}: {s} {text[:100]}")
    for path in ["/v1/classes/%00", "/v1/classes/not-a-uuid", "/v1/articles/" + "9" * 5000]:
        s, h, _, _ = api.call("GET", path, tok["T1"])
        rep.check(fam, s in (400, 404, 431) and h.get("content-type") == "application/problem+json", f"path {path[:40]}: {s}")
    # Request heads over the limit, fresh and kept alive.
    for size in [70_000, 140_000]:
        for kept in [False, True]:
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            if kept:
                sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                buf = b""
                while b"\r\n\r\n" not in buf or not buf.endswith(b"}"):
                    chunk = sock.recv(4096)
                    if not chunk:
                        break
                    buf += chunk
            try:
                sock.sendall(b"GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + b"a" * size + b"\r\n\r\n")
            except OSError:
                pass
            answer = b""
            try:
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
                    if b"\r\n\r\n" in answer and answer.rstrip().endswith(b"}"):
                        break
            except OSError:
                pass
            sock.close()
            text = answer.decode("latin-1")
            rep.check(fam, text.startswith("HTTP/1.1 431") and "application/problem+json" in text,
                      f"{size}-byte head ({'kept alive' if kept else 'fresh'}): {text[:80]!r}")
        api.requests += 2


def idempotency(api, rep, tok, a2, exercise, wrong):
    fam = "idempotency abuse"
    path = f"/v1/assignments/{a2}/submissions"
    body = {"exercise_id": exercise["id"], "answer": {"type": "choices", "option_ids": [wrong]}}
    key = "rt-" + uuid.uuid4().hex
    # The other class's student may not answer here at all, with any key.
    s, _, _, _ = api.call("POST", path, tok["S1"], body, {"Idempotency-Key": key})
    rep.check(fam, s == 404, f"a student outside the class answers: {s}")

    def once(_):
        return api.call("POST", path, tok["S2"], body, {"Idempotency-Key": key})[:3]

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        results = list(pool.map(once, range(20)))
    ids = {r[2]["id"] for r in results if r[0] == 201}
    rep.check(fam, len(ids) == 1 and all(r[0] == 201 for r in results), f"20 concurrent retries: {[r[0] for r in results]} ids {ids}")
    other = dict(body, answer={"type": "choices", "option_ids": [exercise["content"]["options"][0]["id"]]})
    s, _, _, _ = api.call("POST", path, tok["S2"], other, {"Idempotency-Key": key})
    rep.check(fam, s == 422, f"same key, other body: {s}")
    for label, k in [("empty", ""), ("256 characters", "k" * 256), ("non-ASCII", "ключ")]:
        hdr = {"Idempotency-Key": k} if label != "non-ASCII" else {"Idempotency-Key": k.encode().decode("latin-1")}
        s, _, _, _ = api.call("POST", path, tok["S2"], body, hdr)
        rep.check(fam, s == 400, f"{label} key: {s}")
    s, _, _, _ = api.call("POST", path, tok["S2"], body)
    rep.check(fam, s == 400, f"no key: {s}")
    # A replay never serves another student's stored answer.
    s, _, res, _ = api.call("POST", path, tok["S1"], body, {"Idempotency-Key": key})
    rep.check(fam, s == 404, f"another student replays the key: {s} {res}")


def leaks(api, rep, tok, a1):
    fam = "information leaks"
    probes = [
        ("GET", "/v1/nowhere", None), ("GET", "/v1/classes", None), ("DELETE", "/v1/articles", tok["T1"]),
        ("GET", f"/v1/assignments/{uuid.uuid4()}", tok["T1"]), ("GET", "/v1/submissions?limit=0", tok["T1"]),
        ("GET", "/metrics", None), ("GET", "/metrics", "wrong"), ("BREW", "/v1/articles", tok["T1"]),
        ("POST", "/v1/classes", tok["S1"]), ("GET", f"/v1/assignments/{a1}/results", tok["S1"]),
    ]
    for method, path, t in probes:
        s, h, body, text = api.call(method, path, t)
        rep.check(fam, s >= 400 and h.get("content-type") == "application/problem+json" and LEAKS.search(text) is None
                  and "server" not in h and "x-powered-by" not in h and "x-request-id" in h,
                  f"{method} {path}: {s} {h.get('content-type')} {text[:120]}")
        rep.check(fam, h.get("x-content-type-options") == "nosniff", f"{method} {path} lacks nosniff")
    s, _, _, text = api.call("GET", "/metrics", "redteam-metrics")
    rep.check(fam, s == 200 and "BREW" not in text and "method=\"other\"" in text, "metrics labels are bounded")
    for path, accept in [(f"/v1/assignments/{a1}/results.csv", "text/csv"), (f"/v1/assignments/{a1}/export.zip", "*/*"),
                         (f"/v1/assignments/{a1}/export.gift", "*/*")]:
        s, h, _, _ = api.call("GET", path, tok["T1"], headers={"Accept": accept})
        rep.check(fam, s == 200 and h.get("cache-control") == "private, no-store" and h.get("x-content-type-options") == "nosniff",
                  f"download {path}: {s} {h.get('cache-control')}")


if __name__ == "__main__":
    main()
