#!/usr/bin/env python3
"""Prepares a load-test classroom on a running newslit: a teacher, a class, STUDENTS students who
joined it, and an assignment (unlimited attempts, immediate feedback) of 14 published choice
exercises of the seed articles, each answered once by every student, so the gradebook has a
class's worth of answers. The submission scenario then answers the first multiple-response
exercise again and again. Writes the ids and tokens the wrk scripts read into OUT_DIR.

usage: setup.py BASE_URL NEWSLIT_BINARY OUT_DIR [STUDENTS]
"""
import json
import os
import subprocess
import sys
import urllib.request

# The assignment's size: the student view shows this many exercises, the gradebook has this
# many columns.
EXERCISES = 14


def call(base, method, path, token, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req) as res:
        return json.load(res)


def token(binary, role, sub):
    out = subprocess.run([binary, "token", "--role", role, "--sub", sub, "--ttl", "2h"],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def main():
    base, binary, out_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    students = int(sys.argv[4]) if len(sys.argv) > 4 else 256
    os.makedirs(out_dir, exist_ok=True)
    teacher = token(binary, "teacher", "bench-teacher")
    cls = call(base, "POST", "/v1/classes", teacher, {"name": "Load test"})
    articles = call(base, "GET", "/v1/articles", teacher)["items"]
    # The assignment: exactly EXERCISES published choice exercises, from as many seed articles
    # as it takes, starting with the first that has a multiple-response one (the submission
    # scenario's exercise); an exercise listed under two articles is taken once.
    published = [call(base, "GET", f"/v1/articles/{art['id']}/exercises?status=published", teacher)["items"]
                 for art in articles]
    published.sort(key=lambda items: not any(ex["content"]["response_type"] == "multiple_response"
                                             for ex in items))
    exercise, choices, taken = None, [], set()
    for items in published:
        for ex in items:
            if ex["content"]["response_type"] == "free_text" or ex["id"] in taken or len(choices) == EXERCISES:
                continue
            if exercise is None and ex["content"]["response_type"] == "multiple_response":
                exercise = ex
            taken.add(ex["id"])
            choices.append(ex)
    if exercise is None:
        sys.exit("no published multiple-response exercise to assign")
    if len(choices) < EXERCISES:
        sys.exit(f"only {len(choices)} published choice exercises in the seed articles; {EXERCISES} are needed")
    assignment = call(base, "POST", f"/v1/classes/{cls['id']}/assignments", teacher, {
        "title": "Load test", "exercise_ids": [ex["id"] for ex in choices],
        "opens_at": "2020-01-01T00:00:00Z", "due_at": "2099-01-01T00:00:00Z",
        "max_attempts": None, "feedback": "immediate",
    })
    tokens = []
    for i in range(students):
        t = token(binary, "student", f"bench-student-{i}")
        call(base, "POST", "/v1/classes/join", t, {"join_code": cls["join_code"]})
        tokens.append(t)
        for n, ex in enumerate(choices):
            first = ex["content"]["options"][(i + n) % len(ex["content"]["options"])]["id"]
            call(base, "POST", f"/v1/assignments/{assignment['id']}/submissions", t,
                 {"exercise_id": ex["id"], "answer": {"type": "choices", "option_ids": [first]}},
                 {"Idempotency-Key": f"setup-{i}-{n}"})
    correct = [o["id"] for o in exercise["content"]["options"] if o["correct"]]
    with open(os.path.join(out_dir, "tokens.txt"), "w") as f:
        f.write("\n".join(tokens) + "\n")
    with open(os.path.join(out_dir, "teacher.txt"), "w") as f:
        f.write(teacher + "\n")
    body = json.dumps({"exercise_id": exercise["id"], "answer": {"type": "choices", "option_ids": correct}})
    with open(os.path.join(out_dir, "submission.json"), "w") as f:
        f.write(body)
    with open(os.path.join(out_dir, "assignment.txt"), "w") as f:
        f.write(assignment["id"] + "\n")
    with open(os.path.join(out_dir, "shape.txt"), "w") as f:
        f.write(f"{students} {len(choices)}\n")
    print(f"class {cls['id']}, assignment {assignment['id']}, {students} students x {len(choices)} exercises "
          f"answered once; submissions answer exercise {exercise['id']}")


if __name__ == "__main__":
    main()
