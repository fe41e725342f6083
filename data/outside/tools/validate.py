#!/usr/bin/env python3
"""Check every gold file of the outside-news set (standard library only).

    python3 data/outside/tools/validate.py                 # the main set (data/outside/)
    python3 data/outside/tools/validate.py --set holdout   # the held-out set (data/outside/holdout/)

Checks: each gold file has its article; genre/subgenre/kinds/voices are known values; every span is
inside the text and not empty; statements lie in the body, are in order and do not overlap; every
non-blank stretch of the body is inside a statement; source ids are unique and every statement's
source/relayed_from resolves; attributed and interviewee statements name a source; every source has
a mention; mentions do not overlap each other. For the held-out set also: its articles are numbered
from 50 on and none has the number or the text of an article of the main set. Exit status 1 on any
problem.
"""
import argparse
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(OUT))
from score import body_start  # noqa: E402

GENRES = {"news_report": {"straight", "wire"}, "opinion": {"column", "analysis"},
          "interview": {"qa_transcript", "speaker_labels", "numbered", "prose_interview"}}
KINDS = {"named_person", "named_organization", "unnamed_person", "unnamed_group", "document", "author"}
VOICES = {"attributed", "author_report", "author_opinion", "interviewer", "interviewee", "clutter"}


SETS = {"main": OUT, "holdout": OUT / "holdout"}


def check(gpath, base=OUT):
    problems = []
    bad = problems.append
    apath = base / "articles" / f"{gpath.stem}.txt"
    if not apath.exists():
        return [f"no article {apath.name}"]
    text = apath.read_text(encoding="utf-8")
    if not re.fullmatch(r"\d\d_[a-z0-9_]+", gpath.stem):
        bad("file name is not NN_slug")
    g = json.loads(gpath.read_text(encoding="utf-8"))
    if g.get("genre") not in GENRES:
        bad(f"genre {g.get('genre')!r}")
    elif g.get("subgenre") not in GENRES[g["genre"]]:
        bad(f"subgenre {g.get('subgenre')!r} for {g['genre']}")
    n = len(text)

    def span_ok(what, s, e):
        if not (0 <= s < e <= n):
            bad(f"{what} [{s},{e}] out of range (text has {n} chars)")
            return False
        return True

    ids = set()
    all_mentions = []
    for s in g["sources"]:
        if s["id"] in ids:
            bad(f"duplicate source id {s['id']}")
        ids.add(s["id"])
        if s["kind"] not in KINDS:
            bad(f"source {s['id']} kind {s['kind']!r}")
        if not s["mentions"]:
            bad(f"source {s['id']} has no mention")
        for m in s["mentions"]:
            if span_ok(f"mention of {s['id']}", *m):
                all_mentions.append((m[0], m[1], s["id"]))
        if s.get("anonymity") and s["anonymity"] not in text:
            bad(f"source {s['id']}: anonymity phrase {s['anonymity']!r} not in the text")
    all_mentions.sort()
    for a, b in zip(all_mentions, all_mentions[1:]):
        if b[0] < a[1]:
            bad(f"mentions overlap: {a} {b} {text[a[0]:a[1]]!r} / {text[b[0]:b[1]]!r}")
    bs = body_start(text)
    prev_end = bs
    for st in g["statements"]:
        s, e = st["start"], st["end"]
        if not span_ok("statement", s, e):
            continue
        if s < prev_end:
            bad(f"statement [{s},{e}] overlaps the previous one or starts before the body")
        gap = text[prev_end:s]
        if gap.strip():
            bad(f"text outside any statement: {gap.strip()[:60]!r}")
        prev_end = e
        if st["voice"] not in VOICES:
            bad(f"statement [{s},{e}] voice {st['voice']!r}")
        for key in ("source", "relayed_from"):
            if st.get(key) and st[key] not in ids:
                bad(f"statement [{s},{e}] {key} {st[key]!r} is no source")
        if st["voice"] in ("attributed", "interviewee") and not st.get("source"):
            bad(f"{st['voice']} statement [{s},{e}] has no source: {text[s:e][:50]!r}")
        if not isinstance(st.get("hedged"), bool):
            bad(f"statement [{s},{e}] hedged is not a boolean")
    if text[prev_end:].strip():
        bad(f"text after the last statement: {text[prev_end:].strip()[:60]!r}")
    return problems


def flat_body(path):
    text = path.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", text[body_start(text):]).strip()


def holdout_problems(base):
    """The held-out set must not repeat a number or a text of the main set."""
    problems = []
    main_numbers = {p.name[:2] for p in (OUT / "articles").glob("*.txt")}
    main_bodies = {flat_body(p) for p in (OUT / "articles").glob("*.txt")}
    for p in sorted((base / "articles").glob("*.txt")):
        if int(p.name[:2]) < 50 or p.name[:2] in main_numbers:
            problems.append(f"{p.name}: number {p.name[:2]} is below 50 or taken by the main set")
        if flat_body(p) in main_bodies:
            problems.append(f"{p.name}: the same body as an article of the main set")
        if not (base / "gold" / f"{p.stem}.json").exists():
            problems.append(f"{p.name}: no gold file")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=sorted(SETS), default="main", help="which set to check (default main)")
    args = ap.parse_args()
    base = SETS[args.set]
    files = sorted((base / "gold").glob("*.json"))
    failed = 0
    for f in files:
        probs = check(f, base)
        for p in probs:
            print(f"{f.name}: {p}")
        failed += bool(probs)
    if args.set == "holdout":
        extra = holdout_problems(base)
        for p in extra:
            print(p)
        failed += len(extra)
    print(f"{args.set} set: {len(files)} gold files, {failed} with problems")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
