#!/usr/bin/env python3
"""Score newslit's generated exercises against the outside-news gold (standard library only).

    python3 data/outside/score_exercises.py                # the table per kind
    python3 data/outside/score_exercises.py --json         # the same figures as JSON
    python3 data/outside/score_exercises.py --article 03   # every judgement on article 03
    python3 data/outside/score_exercises.py --set holdout  # the held-out set (data/outside/holdout/)

The binary is $NEWSLIT_BIN, else target/release/newslit, else target/debug/newslit of the
repository this file sits in; it runs `newslit exercises FILE` on each article.

What is judged automatically from the gold (per-sentence voice, source, relay and hedge; sources
with kinds and mentions; the genre), option by option: each quoted option (or the passage) is
matched to the gold statement it overlaps most.

- anonymous_sources: an option is truly right when its statement is `attributed` to a source of
  kind unnamed_person/unnamed_group.
- source_of_claim: the truth is the gold source of the passage's statement (or "No source is
  given" for the writer's own statements); a source option is that source when its quote lies in
  one of the source's mentions. An alias of the truth offered as a distractor counts as a second
  right answer, so the key is not fully right.
- author_opinion: truly right when the statement's voice is `author_opinion`.
- hedged_claims: truly right when the statement is `hedged`.
- claim_chain: the relayed option ("It comes from X, passed on through Y") is right when the gold
  statement has a `relayed_from` and X/Y name its source/relay; the outlet option ("The writer
  passes on what Y reported") when the statement's source or relay is named Y; the other options
  are truly wrong when the keyed one is right.
- piece_type: the keyed option's id against the gold genre.
- interview_voice: `interviewer`/`interviewee` against the statement's voice (`attributed` to
  the interviewee in a prose interview counts as interviewee; attributed to anyone else, as
  "someone quoted").
- reflection (free text): right when the passage's statement is attributed to an unnamed source
  or relayed (the premise of the question), or, for the writer's-claim question ("The writer
  states this without naming a source…", "The writer's own view, no source named…"), when it
  is the writer's own (author_report or author_opinion); its rubric is not judged.
- loaded_language: the gold has no loaded words, so these are not judged automatically
  (reported as "unjudged"; see docs/exercises.md for the hand judgement).

Coverage: exercises per article (drafts included), and publishable ones (not marked
needs_review) on the articles of at least 300 words, which should each get 4 of 3 kinds.

Garbled option: its quote lies in a gold `clutter` statement or outside the body, or covers less
than 80% of its statement without an ellipsis saying it was cut (a transcript's speaker label
opening the statement, "DP: " or "((WN)) ", is layout and not counted). False explanation: an
explanation on a rightly keyed option that quotes a source phrase (“…”) of the statement which
overlaps no mention of the statement's gold source or relay. Usable: fully right key, no garbled
option, no false explanation.
"""
import argparse
import json
import os
import re
import subprocess
import sys
from collections import OrderedDict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
# The main set (data/outside/) and the held-out set (data/outside/holdout/), never used for tuning.
SETS = {"main": HERE, "holdout": HERE / "holdout"}
SET_TITLES = {"main": "the outside-news set", "holdout": "the outside-news held-out set"}
ARTICLES = HERE / "articles"
GOLD = HERE / "gold"
SET_NAME = "main"


def use_set(name):
    """Point ARTICLES and GOLD at the main set or the held-out set."""
    global ARTICLES, GOLD, SET_NAME
    ARTICLES, GOLD, SET_NAME = SETS[name] / "articles", SETS[name] / "gold", name
UNNAMED = {"unnamed_person", "unnamed_group"}
# Articles at least this long must get 4 publishable exercises of 3 kinds.
LONG_WORDS = 300
WRITER = {"author_report", "author_opinion"}
KINDS = ["anonymous_sources", "source_of_claim", "author_opinion", "hedged_claims", "loaded_language",
         "claim_chain", "piece_type", "interview_voice", "reflection"]


def find_binary():
    env = os.environ.get("NEWSLIT_BIN")
    if env:
        return env
    for rel in ("target/release/newslit", "target/debug/newslit"):
        p = REPO / rel
        if p.is_file() and os.access(p, os.X_OK):
            return str(p)
    sys.exit("no newslit binary: set NEWSLIT_BIN or run cargo build --release")


def generate(binary, path):
    try:
        out = subprocess.run([binary, "exercises", str(path)], capture_output=True, text=True, check=False)
    except OSError as e:
        sys.exit(f"cannot run {binary!r}: {e}")
    if out.returncode != 0:
        sys.exit(f"{binary} failed on {path.name}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def norm(s):
    return re.sub(r"[^a-z0-9 ]", "", s.lower().replace("’", "'")).strip()


class Article:
    def __init__(self, text, gold):
        self.text = text
        self.gold = gold
        self.sources = {s["id"]: s for s in gold["sources"]}
        self.statements = gold["statements"]

    def statement(self, q):
        """The gold statement a quote overlaps most, or None."""
        if not q:
            return None
        span = (q["start"], q["end"])
        top, top_ov = None, 0
        for st in self.statements:
            ov = overlap(span, (st["start"], st["end"]))
            if ov > top_ov:
                top, top_ov = st, ov
        return top

    def mention_of(self, q):
        """The gold source one of whose mentions the quote overlaps most, or None."""
        span = (q["start"], q["end"])
        top, top_ov = None, 0
        for s in self.gold["sources"]:
            for m in s["mentions"]:
                ov = overlap(span, m)
                if ov > top_ov:
                    top, top_ov = s["id"], ov
        return top

    def names(self, sid):
        s = self.sources.get(sid)
        if not s:
            return set()
        out = {norm(s["label"].split(",")[0])}
        for m in s["mentions"]:
            out.add(norm(self.text[m[0]:m[1]]))
        return {n for n in out if n}

    def named_as(self, sid, name):
        """Whether `name` (an option's wording) names gold source `sid`."""
        n = norm(name)
        if not n:
            return False
        for cand in self.names(sid):
            if n == cand or (len(n) > 3 and (n in cand or cand in n)):
                return True
        return False


SPEAKER_LABEL = re.compile(r"\(*[A-Z][\w .’'-]{0,30}[:)]\)*\s*")
STATEMENT_KINDS = {"anonymous_sources", "author_opinion", "hedged_claims"}


def garbled(art, o, statement=True):
    """Why a quoted option (or passage) is garbled, or None. Only statement options must
    cover their sentence; names and words need only lie in the body."""
    q = o.get("quote")
    if not q:
        return None
    st = art.statement(q)
    if st is None:
        return "outside the body"
    if st["voice"] == "clutter":
        return "page clutter"
    if not statement:
        return None
    start = st["start"]
    # A transcript's speaker label ("DP: ", "((WN)) ") is layout, not part of the statement.
    if SPEAKER_LABEL.fullmatch(art.text[start:max(start, q["start"])]):
        start = q["start"]
    cover = overlap((q["start"], q["end"]), (start, st["end"])) / max(1, st["end"] - start)
    if cover < 0.8 and "…" not in o["text"]:
        return f"covers {cover:.0%} of its sentence"
    return None


def false_explanation(art, o, st):
    """A source phrase quoted in the explanation that is not the statement's gold source."""
    if not st or st.get("voice") not in ("attributed", "interviewee"):
        return None
    ok = {st.get("source"), st.get("relayed_from")} - {None}
    for snippet in re.findall(r"“([^”]+)”", o["explanation"]):
        part = snippet.split(" … ")[0].strip()
        if len(part) < 3:
            continue
        lo = art.text.find(part, st["start"], st["end"] + 1)
        if lo < 0:
            continue
        span = (lo, lo + len(part))
        hit = set()
        for sid in ok:
            for m in art.sources[sid]["mentions"] if sid in art.sources else []:
                if overlap(span, m):
                    hit.add(sid)
        other = art.mention_of({"start": span[0], "end": span[1]})
        if not hit and other is not None and other not in ok:
            return f"quotes “{part}”, not the statement's source"
    return None


def truth_statement(kind, art, o, st):
    """Whether a statement option is truly right, or None when it cannot be judged."""
    if st is None or st["voice"] == "clutter":
        return None
    if kind == "anonymous_sources":
        src = art.sources.get(st.get("source"))
        return st["voice"] in ("attributed", "interviewee") and bool(src) and src["kind"] in UNNAMED
    if kind == "author_opinion":
        return st["voice"] == "author_opinion"
    if kind == "hedged_claims":
        return bool(st.get("hedged"))
    return None


def judge(art, ex):
    """Per-option truths (None: not judged), garbled notes, false-explanation notes."""
    kind, c = ex["kind"], ex["content"]
    opts = c["options"]
    truths, garb, false = [], [], []
    passage_st = art.statement(c.get("passage"))
    for o in opts:
        g = garbled(art, o, kind in STATEMENT_KINDS)
        if g:
            garb.append(f"{o['text'][:60]!r}: {g}")
    if c.get("passage") and kind != "piece_type":
        g = garbled(art, {"quote": c["passage"], "text": c["passage"]["text"]}, kind != "loaded_language")
        if g:
            garb.append(f"passage {c['passage']['text'][:60]!r}: {g}")
    if kind in ("anonymous_sources", "author_opinion", "hedged_claims"):
        for o in opts:
            st = art.statement(o.get("quote"))
            truths.append(truth_statement(kind, art, o, st))
            if o["correct"] and truths[-1]:
                f = false_explanation(art, o, st)
                if f:
                    false.append(f"{o['text'][:50]!r}: {f}")
    elif kind == "source_of_claim":
        st = passage_st
        for o in opts:
            if st is None or st["voice"] == "clutter":
                truths.append(None)
                continue
            writer = st["voice"] in WRITER or st["voice"] == "interviewer"
            if o["id"] == opts[-1]["id"] and o.get("quote") is None and o["text"].startswith("No source"):
                truths.append(writer)
                continue
            sid = art.mention_of(o["quote"]) if o.get("quote") else None
            if sid is None and o.get("quote") is None:
                truths.append(None)
                continue
            truths.append(not writer and sid is not None and sid in {st.get("source")})
        if st is not None:
            for o in opts:
                if o["correct"]:
                    f = false_explanation(art, o, st)
                    if f:
                        false.append(f"{o['text'][:50]!r}: {f}")
    elif kind == "claim_chain":
        st = passage_st
        keyed = next((o for o in opts if o["correct"]), None)
        right = None
        if st is not None and keyed is not None:
            src, relay = st.get("source"), st.get("relayed_from")
            m = re.match(r"It comes from (.+), passed on through (.+)$", keyed["text"])
            m2 = re.match(r"The writer passes on what (.+) reported$", keyed["text"])
            if m:
                right = bool(relay) and art.named_as(src, m.group(1)) and art.named_as(relay, m.group(2))
            elif m2:
                right = st["voice"] == "attributed" and any(art.named_as(s, m2.group(1)) for s in (src, relay) if s)
        # With the keyed option right, every other option is wrong by construction.
        truths = [None if right is None else (right if o["correct"] else False) for o in opts]
    elif kind == "piece_type":
        truths = [o["id"] == {"news_report": "news_report", "interview": "interview",
                              "opinion": "opinion"}[art.gold["genre"]] for o in opts]
    elif kind == "interview_voice":
        st = passage_st
        if st is None or st["voice"] == "clutter":
            truths = [None for _ in opts]
        else:
            v = st["voice"]
            guest = next((s["id"] for s in art.gold["sources"] if s["kind"] == "named_person"
                          and any(x.get("source") == s["id"] and x["voice"] == "interviewee"
                                  for x in art.statements)), None)
            if v == "attributed" and guest is None:
                # A prose interview: the interviewee is the source most statements are attributed to.
                counts = {}
                for x in art.statements:
                    if x["voice"] == "attributed" and x.get("source"):
                        counts[x["source"]] = counts.get(x["source"], 0) + 1
                guest = max(counts, key=counts.get) if counts else None
            role = {"interviewer": "interviewer", "interviewee": "interviewee"}.get(v)
            if v == "attributed":
                role = "interviewee" if st.get("source") == guest and not st.get("relayed_from") else "quoted"
            if v in WRITER:
                role = "interviewer"
            truths = [o["id"] == role for o in opts]
    elif kind == "reflection":
        st = passage_st
        if st is None:
            truths = [None]
        else:
            src = art.sources.get(st.get("source"))
            if c["prompt"].startswith("The writer"):
                # A claim the writer makes with no source: the premise is that nobody else vouches.
                truths = [st["voice"] in WRITER]
            else:
                truths = [st["voice"] == "attributed" and bool(src) and (src["kind"] in UNNAMED or bool(st.get("relayed_from")))]
        keyed_free = True
        return truths, garb, false, keyed_free
    else:
        truths = [None for _ in opts]
    return truths, garb, false, False


def score(binary, only=None):
    per = OrderedDict((k, {"generated": 0, "judged": 0, "fully_right": 0, "usable": 0, "keyed": 0,
                           "keyed_right": 0, "true": 0, "true_keyed": 0, "garbled": 0, "false_expl": 0,
                           "needs_review": 0}) for k in KINDS)
    articles, details = [], []
    for path in sorted(ARTICLES.glob("*.txt")):
        stem = path.stem
        if only and not stem.startswith(only):
            continue
        text = path.read_text(encoding="utf-8")
        gold = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))
        art = Article(text, gold)
        exs = generate(binary, path)
        kinds = sorted({e["kind"] for e in exs})
        # Publishable: not a draft marked needs_review (drafts wait for a teacher).
        pub = [e for e in exs if not e["content"].get("needs_review")]
        articles.append({"article": stem, "words": len(text.split()), "exercises": len(exs), "kinds": len(kinds),
                         "publishable": len(pub), "publishable_kinds": len({e["kind"] for e in pub})})
        for e in exs:
            k = e["kind"]
            row = per.setdefault(k, {key: 0 for key in per["piece_type"]})
            row["generated"] += 1
            row["needs_review"] += bool(e["content"].get("needs_review"))
            truths, garb, false, free = judge(art, e)
            opts = e["content"]["options"]
            if free:
                judged = truths[0] is not None
                right = bool(truths[0])
                row["judged"] += judged
                row["fully_right"] += judged and right
                row["usable"] += judged and right and not garb
                row["garbled"] += bool(garb)
                details.append((stem, k, judged and right, garb, false, e["content"]["passage"]["text"][:70] if e["content"].get("passage") else ""))
                continue
            judged = bool(opts) and all(t is not None for t in truths)
            right = judged and all(t == o["correct"] for t, o in zip(truths, opts))
            row["judged"] += judged
            row["fully_right"] += right
            row["usable"] += right and not garb and not false
            row["garbled"] += bool(garb)
            row["false_expl"] += bool(false)
            for t, o in zip(truths, opts):
                if t is None:
                    continue
                row["keyed"] += o["correct"]
                row["keyed_right"] += o["correct"] and t
                row["true"] += t
                row["true_keyed"] += t and o["correct"]
            wrong = [f"{'keyed' if o['correct'] else 'unkeyed'} {o['text'][:70]!r} (gold: {t})"
                     for t, o in zip(truths, opts) if t is not None and t != o["correct"]]
            unj = [o["text"][:50] for t, o in zip(truths, opts) if t is None]
            details.append((stem, k, right, garb + wrong + ([f"unjudged: {unj}"] if unj and not judged else []), false,
                            (e["content"].get("passage") or {}).get("text", "")[:70]))
    return per, articles, details


def ratio(a, b):
    return None if b == 0 else round(a / b, 3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--article")
    ap.add_argument("--set", choices=sorted(SETS), default="main",
                    help="the main set (default) or the held-out set")
    args = ap.parse_args()
    use_set(args.set)
    per, articles, details = score(find_binary(), args.article)
    tot = {key: sum(r[key] for r in per.values()) for key in per["piece_type"]}
    judged_kinds = {k: r for k, r in per.items() if k != "loaded_language"}
    tj = {key: sum(r[key] for r in judged_kinds.values()) for key in per["piece_type"]}
    if args.json:
        out = {"per_kind": {k: dict(r, fully_right_share=ratio(r["fully_right"], r["judged"]),
                                    usable_share=ratio(r["usable"], r["judged"]),
                                    keyed_precision=ratio(r["keyed_right"], r["keyed"]),
                                    keyed_recall=ratio(r["true_keyed"], r["true"])) for k, r in per.items()},
               "all": tot, "articles": articles}
        print(json.dumps(out, indent=2))
        return
    if args.article:
        for stem, k, right, notes, false, passage in details:
            print(f"{stem} {k:18} {'RIGHT' if right else 'WRONG'}  {passage!r}")
            for n in notes:
                print(f"    {n}")
            for n in false:
                print(f"    false explanation: {n}")
        return
    print(f"exercises on {SET_TITLES[SET_NAME]}: {len(articles)} articles, {tot['generated']} exercises")
    print()
    print(f"{'kind':18} {'gen':>4} {'judged':>6} {'right':>5} {'usable':>6} {'P key':>6} {'R key':>6} {'garbled':>7} {'false ex':>8} {'review':>6}")
    for k, r in per.items():
        if r["generated"] == 0:
            continue
        p = ratio(r["keyed_right"], r["keyed"])
        rc = ratio(r["true_keyed"], r["true"])
        print(f"{k:18} {r['generated']:4} {r['judged']:6} {r['fully_right']:5} {r['usable']:6} "
              f"{'-' if p is None else f'{p:.2f}':>6} {'-' if rc is None else f'{rc:.2f}':>6} "
              f"{r['garbled']:7} {r['false_expl']:8} {r['needs_review']:6}")
    p = ratio(tj["keyed_right"], tj["keyed"])
    rc = ratio(tj["true_keyed"], tj["true"])
    print(f"{'all judged':18} {tj['generated']:4} {tj['judged']:6} {tj['fully_right']:5} {tj['usable']:6} "
          f"{p:6.2f} {rc:6.2f} {tj['garbled']:7} {tj['false_expl']:8} {tj['needs_review']:6}")
    print()
    print(f"fully right: {tj['fully_right']} of {tj['judged']} judged ({tj['fully_right'] / max(1, tj['judged']):.0%}); "
          f"usable as generated: {tj['usable']} of {tj['judged']} ({tj['usable'] / max(1, tj['judged']):.0%})")
    counts = [a["exercises"] for a in articles]
    few = [f"{a['article']} ({a['exercises']})" for a in articles if a["exercises"] < 4]
    print(f"exercises per article: mean {sum(counts) / max(1, len(counts)):.1f}, min {min(counts) if counts else 0}; "
          f"fewer than 4: {', '.join(few) if few else 'none'}")
    print(f"articles with fewer than 3 kinds: "
          f"{', '.join(a['article'] for a in articles if a['kinds'] < 3) or 'none'}")
    # The coverage goal counts publishable exercises on articles of at least 300 words.
    long = [a for a in articles if a["words"] >= LONG_WORDS]
    pubs = [a["publishable"] for a in long]
    short = [f"{a['article']} ({a['publishable']}, {a['publishable_kinds']} kinds)" for a in long
             if a["publishable"] < 4 or a["publishable_kinds"] < 3]
    print(f"publishable (not needs_review) on the {len(long)} articles of >= {LONG_WORDS} words: "
          f"mean {sum(pubs) / max(1, len(pubs)):.1f}, min {min(pubs) if pubs else 0}; "
          f"short of 4 exercises of 3 kinds: {', '.join(short) if short else 'none'}")


if __name__ == "__main__":
    main()
