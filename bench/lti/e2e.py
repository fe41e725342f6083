"""newslit launched from a third-party LTI 1.3 platform (lms.py, on PyPI's lti1p3platform
0.1.8), end to end: the platform is registered, an instructor and a student launch (OIDC login,
id_token posted to the launch URL), the student answers with the launch's token, the score is
checked at the platform's line item against newslit's gradebook, a grader regrades, the score
is checked again, and the course roster is checked in the class. Prints one line per check and
exits 1 when any fails.

usage: e2e.py NEWSLIT_URL NEWSLIT_BIN   (the service running with LTI on; see run.sh)"""

import json
import os
import subprocess
import sys
import time
import urllib.parse

import requests

import lms as lms_platform

BASE, BIN = sys.argv[1], sys.argv[2]
TIMEOUT = 10
results = []


def check(what, ok, detail=""):
    results.append(ok)
    print(f"{'PASS' if ok else 'FAIL'}  {what}" + (f"  ({detail})" if detail and not ok else ""))


def token(role, sub):
    return subprocess.run([BIN, "token", "--role", role, "--sub", sub, "--ttl", "1h"], check=True,
                          capture_output=True, text=True, env=os.environ).stdout.strip()


def api(method, path, tok, body=None, headers=None):
    h = {"Authorization": f"Bearer {tok}", **(headers or {})}
    r = requests.request(method, BASE + path, json=body, headers=h, timeout=TIMEOUT)
    if r.status_code >= 400:
        sys.exit(f"{method} {path}: HTTP {r.status_code}: {r.text}")
    return r.json() if r.content else None


def launch(lms, user, link="link-1"):
    """A browser's launch: the LMS's login initiation, newslit's redirect to the LMS, the form post."""
    start = lms.login_url(user, link)
    r = requests.get(start, allow_redirects=False, timeout=TIMEOUT)
    assert r.status_code == 302, f"login: HTTP {r.status_code}: {r.text}"
    auth = urllib.parse.urlsplit(r.headers["Location"])
    form = requests.get(f"{lms.base}/authorize?{auth.query}", timeout=TIMEOUT).json()
    r = requests.post(form["launch_url"], data={"id_token": form["id_token"], "state": form["state"]},
                      timeout=TIMEOUT)
    assert r.status_code == 200, f"launch of {user}: HTTP {r.status_code}: {r.text}"
    return r.json()


def wait(what, pred, secs=20):
    end = time.time() + secs
    while time.time() < end:
        got = pred()
        if got:
            return got
        time.sleep(0.2)
    return None


def main():
    lms = lms_platform.Lms(BASE)
    lms_platform.serve(lms)
    lms.people = {
        "lms-teacher-1": ("Terry Teacher", [f"{lms_platform.LIS}Instructor"]),
        "lms-student-1": ("Sasha Student", [f"{lms_platform.LIS}Learner"]),
        "lms-student-2": ("Robin Roster", [f"{lms_platform.LIS}Learner"]),
        "lms-ta-1": ("Alex Assistant", ["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"]),
    }
    admin = token("admin", "lti-bench-admin")
    api("POST", "/v1/lti/platforms", admin, {
        "issuer": lms.base, "client_id": lms_platform.CLIENT_ID, "deployment_ids": [lms_platform.DEPLOYMENT_ID],
        "auth_url": f"{lms.base}/authorize", "token_url": f"{lms.base}/token", "jwks_url": f"{lms.base}/jwks",
        "name": "lti1p3platform bench"})

    teacher = launch(lms, "lms-teacher-1")
    check("the instructor's launch makes the course's class", teacher["role"] == "teacher")
    t, class_id = teacher["token"], teacher["class_id"]

    # Two published choice exercises of the seed articles make the assignment.
    exercises = []
    for art in api("GET", "/v1/articles", t)["items"]:
        for ex in api("GET", f"/v1/articles/{art['id']}/exercises?status=published", t)["items"]:
            if ex["content"].get("response_type") in ("single_choice", "multiple_response"):
                exercises.append(ex)
        if len(exercises) >= 2:
            break
    exercises = exercises[:2]
    if len(exercises) < 2:
        sys.exit("setup: fewer than two published choice exercises among the seed articles")
    assignment = api("POST", f"/v1/classes/{class_id}/assignments", t, {
        "title": "LTI bench", "exercise_ids": [e["id"] for e in exercises],
        "opens_at": "2020-01-01T00:00:00Z", "due_at": "2099-01-01T00:00:00Z", "feedback": "immediate"})
    # The instructor places it in the course: the placement's custom parameter names it.
    lms.custom["link-1"] = {"newslit_assignment_id": assignment["id"]}

    student = launch(lms, "lms-student-1")
    check("the student's launch lands on the assignment", student["assignment_id"] == assignment["id"],
          json.dumps(student))
    s = student["token"]

    # The student answers the first exercise right, the second with one wrong option.
    submissions = []
    for i, ex in enumerate(exercises):
        options = ex["content"]["options"]
        correct = [o["id"] for o in options if o.get("correct")] or [options[0]["id"]]
        if ex["content"]["response_type"] == "single_choice":
            correct = correct[:1]
        chosen = correct if i == 0 else [o["id"] for o in options if not o.get("correct")][:1]
        submissions.append(api("POST", f"/v1/assignments/{assignment['id']}/submissions", s,
                               {"exercise_id": ex["id"], "answer": {"type": "choices", "option_ids": chosen}},
                               {"Idempotency-Key": f"lti-bench-{i}"}))

    def gradebook_row():
        book = api("GET", f"/v1/assignments/{assignment['id']}/results", t)
        return next(r for r in book["students"] if r["student_id"] == student["user_id"])

    def latest_score(expect_total):
        with lms.lock:
            mine = [x for x in lms.scores if x.get("userId") == "lms-student-1"]
        last = mine[-1] if mine else {}
        done = last.get("activityProgress") == "Completed" and last.get("gradingProgress") == "FullyGraded"
        return last if done and last.get("scoreGiven") == expect_total else None

    row = gradebook_row()
    got = wait("score", lambda: latest_score(row["total"]))
    check(f"the line item holds the gradebook's score ({row['total']} of {row['max_total']})",
          got is not None and got.get("scoreMaximum") == row["max_total"]
          and got.get("gradingProgress") == "FullyGraded" and got.get("activityProgress") == "Completed",
          json.dumps(lms.scores))

    # A grader (the teacher) corrects the second answer to full marks.
    sub = submissions[1]
    staff = api("GET", f"/v1/submissions/{sub['id']}", t)
    api("PUT", f"/v1/submissions/{sub['id']}/grade", t, {"score": 1.0, "comment": "regraded"},
        {"If-Match": f"\"g{staff.get('grade_version', 1)}\""})
    row = gradebook_row()
    got = wait("regraded score", lambda: latest_score(row["total"]))
    check(f"after the regrade the line item holds the new score ({row['total']} of {row['max_total']})",
          got is not None and row["total"] == 2.0, json.dumps(lms.scores))

    # The instructor's launch offered the roster: it was read into the class.
    def roster():
        page = api("GET", f"/v1/classes/{class_id}/members", t)
        return sorted((m["name"], m["role"]) for m in page["items"])

    want = [("Alex Assistant", "grader"), ("Robin Roster", "student"), ("Sasha Student", "student")]
    got = wait("roster", lambda: roster() if roster() == want else None)
    check("the platform's roster appears in the class (learners as students, the assistant as grader)",
          got == want, json.dumps(roster()))
    done = api("POST", f"/v1/classes/{class_id}/lti/roster-sync", t)
    check("an on-demand roster sync changes nothing the second time",
          done["added"] == 0 and done["students"] == 2 and done["graders"] == 1, json.dumps(done))

    print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
