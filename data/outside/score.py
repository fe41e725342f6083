#!/usr/bin/env python3
"""Score the newslit analyzer against the outside-news audit set (standard library only).

    python3 data/outside/score.py                 # the table
    python3 data/outside/score.py --json          # the same figures as JSON
    python3 data/outside/score.py --article 03    # one article's errors in detail
    python3 data/outside/score.py --set holdout   # the held-out set (data/outside/holdout/)

The analyzer binary is $NEWSLIT_BIN, else target/release/newslit, else target/debug/newslit of
the repository this file sits in. See data/outside/README.md for what each figure means.
"""
import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
# The main set (data/outside/) and the held-out set (data/outside/holdout/), which is never used
# for tuning; see data/outside/README.md.
SETS = {"main": HERE, "holdout": HERE / "holdout"}
SET_TITLES = {"main": "outside-news audit set", "holdout": "outside-news held-out set"}
ARTICLES = HERE / "articles"
GOLD = HERE / "gold"
SET_NAME = "main"


def use_set(name):
    """Point ARTICLES and GOLD at the main set or the held-out set."""
    global ARTICLES, GOLD, SET_NAME
    ARTICLES, GOLD, SET_NAME = SETS[name] / "articles", SETS[name] / "gold", name
KINDS = ["named_person", "named_organization", "unnamed_person", "unnamed_group", "document", "author"]
UNNAMED = {"unnamed_person", "unnamed_group"}
SPEAKING = {"attributed", "interviewee"}


def find_binary():
    env = os.environ.get("NEWSLIT_BIN")
    if env:
        return env
    for rel in ("target/release/newslit", "target/debug/newslit"):
        p = REPO / rel
        if p.is_file() and os.access(p, os.X_OK):
            return str(p)
    sys.exit("no analyzer binary: set NEWSLIT_BIN or build target/release/newslit "
             "(cargo build --release)")


def body_start(text):
    """Offset of the body: after the title line, blank lines and an optional "By ..." line."""
    pos = text.index("\n") + 1
    while pos < len(text) and text[pos] == "\n":
        pos += 1
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    if re.match(r"By\s", text[pos:line_end]):
        pos = line_end + 1
        while pos < len(text) and text[pos] == "\n":
            pos += 1
    return pos


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def best(span, candidates, key=lambda c: c["span"]):
    """The candidate overlapping `span` most (None if none overlaps)."""
    top, top_ov = None, 0
    for c in candidates:
        ov = overlap(span, key(c))
        if ov > top_ov:
            top, top_ov = c, ov
    return top


def analyze(binary, path):
    try:
        out = subprocess.run([binary, "analyze", "--format", "json", str(path)], capture_output=True,
                             text=True, check=False)
    except OSError as e:
        sys.exit(f"cannot run the analyzer {binary!r}: {e}")
    if out.returncode != 0:
        sys.exit(f"{binary} failed on {path.name}: {out.stderr.strip()}")
    data = json.loads(out.stdout)
    return data[0] if isinstance(data, list) else data


class Counter:
    def __init__(self):
        self.tp_p = 0  # predictions that are right
        self.n_p = 0   # predictions
        self.tp_r = 0  # gold items found
        self.n_r = 0   # gold items

    def as_dict(self):
        return {"precision": ratio(self.tp_p, self.n_p), "recall": ratio(self.tp_r, self.n_r),
                "predicted": self.n_p, "gold": self.n_r, "predicted_right": self.tp_p,
                "gold_found": self.tp_r}


def ratio(a, b):
    return None if b == 0 else round(a / b, 3)


def score_article(stem, text, gold, pred):
    bs = body_start(text)
    res = {"article": stem, "errors": []}
    err = res["errors"].append

    # --- sources -------------------------------------------------------------------------
    mentions = []  # every gold mention, with its source's kind and whether it is a speaker mention
    src_by_id = {s["id"]: s for s in gold["sources"]}
    speaking = [(st["start"], st["end"], {st.get("source"), st.get("relayed_from")})
                for st in gold["statements"] if st["voice"] in SPEAKING]
    for s in gold["sources"]:
        for m in s["mentions"]:
            spk = any(a <= m[0] and m[1] <= b and s["id"] in ids for a, b, ids in speaking)
            mentions.append({"span": m, "kind": s["kind"], "source": s["id"], "speaker": spk})
    preds = {}
    for a in pred["attributions"]:
        src = a.get("source")
        if src and src["start"] >= bs:
            preds[(src["start"], src["end"])] = {"span": (src["start"], src["end"]), "kind": src["kind"],
                                                 "text": src["text"]}
    preds = list(preds.values())
    per_kind = {k: Counter() for k in KINDS}
    per_kind_spk = {k: Counter() for k in KINDS}
    unnamed, unnamed_spk = Counter(), Counter()
    for m in mentions:
        p = best(m["span"], preds)
        pk = p["kind"] if p else None
        for table, un, only_spk in ((per_kind, unnamed, False), (per_kind_spk, unnamed_spk, True)):
            if only_spk and not m["speaker"]:
                continue
            table[m["kind"]].n_r += 1
            table[m["kind"]].tp_r += pk == m["kind"]
            if m["kind"] in UNNAMED:
                un.n_r += 1
                un.tp_r += pk in UNNAMED
        if pk != m["kind"] and (m["speaker"] or p):
            got = f"{pk} ({p['text']!r})" if p else "no source"
            err(f"mention {text[m['span'][0]:m['span'][1]]!r} [{m['span'][0]},{m['span'][1]}] "
                f"gold {m['kind']}{' (speaker)' if m['speaker'] else ''}: predicted {got}")
    for p in preds:
        g = best(p["span"], mentions)
        gk = g["kind"] if g else None
        for table, un in ((per_kind, unnamed), (per_kind_spk, unnamed_spk)):
            table[p["kind"]].n_p += 1
            table[p["kind"]].tp_p += gk == p["kind"]
            if p["kind"] in UNNAMED:
                un.n_p += 1
                un.tp_p += gk in UNNAMED
        if g is None:
            err(f"predicted source {p['text']!r} [{p['span'][0]},{p['span'][1]}] ({p['kind']}) "
                f"is no gold source mention")
    res["kinds"] = per_kind
    res["kinds_speaker"] = per_kind_spk
    res["unnamed"] = unnamed
    res["unnamed_speaker"] = unnamed_spk

    # --- genre ---------------------------------------------------------------------------
    res["genre"] = (gold["genre"], pred["genre"])
    if gold["genre"] != pred["genre"]:
        err(f"genre: gold {gold['genre']} ({gold.get('subgenre')}), predicted {pred['genre']}")

    # --- writer's opinion sentences --------------------------------------------------------
    statements = [dict(st, span=(st["start"], st["end"])) for st in gold["statements"]]
    sentences = [dict(s, span=(s["start"], s["end"])) for s in pred["sentences"] if s["end"] > bs]
    op = Counter()
    for s in sentences:
        if s["voice"] != "author_opinion":
            continue
        g = best(s["span"], statements)
        op.n_p += 1
        if g and g["voice"] == "author_opinion":
            op.tp_p += 1
        else:
            err(f"opinion predicted, gold {g['voice'] if g else 'nothing'}: {s['text']!r}")
    for g in statements:
        if g["voice"] != "author_opinion":
            continue
        s = best(g["span"], sentences)
        op.n_r += 1
        if s and s["voice"] == "author_opinion":
            op.tp_r += 1
        else:
            err(f"opinion missed (predicted {s['voice'] if s else 'no sentence'}): "
                f"{text[g['start']:g['end']]!r}")
    res["opinion"] = op

    # --- attributed statements: is the source right? ------------------------------------------
    attrs = []
    for a in pred["attributions"]:
        spans = [(a["cue"]["start"], a["cue"]["end"])]
        if a.get("content"):
            spans.append((a["content"]["start"], a["content"]["end"]))
        attrs.append((a, spans))
    ok = n = 0
    for g in statements:
        if g["voice"] != "attributed":
            continue
        n += 1
        top, top_ov = None, 0
        for a, spans in attrs:
            ov = sum(overlap(g["span"], sp) for sp in spans)
            if ov > top_ov:
                top, top_ov = a, ov
        gsrc = src_by_id.get(g.get("source"))
        wanted = gsrc["mentions"] if gsrc else []
        got = "no attribution"
        if top is not None:
            src = top.get("source")
            if src is None:
                got = "an attribution without source"
            else:
                cand = [(src["start"], src["end"])]
                if src.get("refers_to"):
                    cand.append((src["refers_to"]["start"], src["refers_to"]["end"]))
                if any(overlap(c, m) for c in cand for m in wanted):
                    ok += 1
                    continue
                got = f"source {src['text']!r} ({src['kind']})"
        err(f"attributed statement, gold source {gsrc['label'] if gsrc else g.get('source')!r}: "
            f"predicted {got}: {text[g['start']:g['end']]!r}")
    res["attr_ok"], res["attr_n"] = ok, n
    return res


def aggregate(results):
    def merge(name):
        tot = {}
        for r in results:
            for k, c in (r[name].items() if isinstance(r[name], dict) else [("_", r[name])]):
                t = tot.setdefault(k, Counter())
                t.tp_p += c.tp_p
                t.n_p += c.n_p
                t.tp_r += c.tp_r
                t.n_r += c.n_r
        return tot
    kinds, kinds_spk = merge("kinds"), merge("kinds_speaker")
    wrong = [f"{r['article']} (gold {r['genre'][0]}, predicted {r['genre'][1]})" for r in results
             if r["genre"][0] != r["genre"][1]]
    attr_ok = sum(r["attr_ok"] for r in results)
    attr_n = sum(r["attr_n"] for r in results)
    return {
        "articles": len(results),
        "source_kinds": {k: {**kinds[k].as_dict(),
                             "recall_speaker": kinds_spk[k].as_dict()["recall"],
                             "gold_speaker": kinds_spk[k].n_r} for k in KINDS},
        "unnamed": {**merge("unnamed")["_"].as_dict(),
                    "recall_speaker": merge("unnamed_speaker")["_"].as_dict()["recall"],
                    "gold_speaker": merge("unnamed_speaker")["_"].n_r},
        "genre": {"right": len(results) - len(wrong), "of": len(results), "wrong": wrong},
        "opinion_sentences": merge("opinion")["_"].as_dict(),
        "attributed_source_accuracy": {"right": attr_ok, "of": attr_n,
                                       "accuracy": ratio(attr_ok, attr_n)},
    }


def fmt(x):
    return "  -  " if x is None else f"{x:.3f}"


def print_table(fig):
    print(f"{SET_TITLES[SET_NAME]}: {fig['articles']} articles")
    print()
    print(f"{'source kind':<20}{'P':>7}{'R':>7}{'R spk':>7}{'pred':>6}{'gold':>6}{'spk':>6}")
    rows = [(k, fig["source_kinds"][k]) for k in KINDS] + [("unnamed (both)", fig["unnamed"])]
    for name, r in rows:
        print(f"{name:<20}{fmt(r['precision']):>7}{fmt(r['recall']):>7}{fmt(r['recall_speaker']):>7}"
              f"{r['predicted']:>6}{r['gold']:>6}{r['gold_speaker']:>6}")
    print()
    g = fig["genre"]
    print(f"genre right: {g['right']} of {g['of']}")
    for w in g["wrong"]:
        print(f"  wrong: {w}")
    o = fig["opinion_sentences"]
    print(f"writer's-opinion sentences: P {fmt(o['precision'])}  R {fmt(o['recall'])}  "
          f"(predicted {o['predicted']}, gold {o['gold']})")
    a = fig["attributed_source_accuracy"]
    print(f"attributed-statement source accuracy: {fmt(a['accuracy'])} ({a['right']} of {a['of']})")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--article", metavar="NN", help="show one article's errors in detail")
    ap.add_argument("--set", choices=sorted(SETS), default="main",
                    help="the main set (default) or the held-out set")
    args = ap.parse_args()
    use_set(args.set)
    binary = find_binary()
    results = []
    for gpath in sorted(GOLD.glob("*.json")):
        if args.article and not gpath.stem.startswith(args.article):
            continue
        apath = ARTICLES / f"{gpath.stem}.txt"
        text = apath.read_text(encoding="utf-8")
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        results.append(score_article(gpath.stem, text, gold, analyze(binary, apath)))
    if not results:
        sys.exit("no article matched")
    fig = aggregate(results)
    if args.json:
        print(json.dumps(fig, indent=1))
        return
    print_table(fig)
    if args.article:
        for r in results:
            print()
            print(f"== {r['article']}: {len(r['errors'])} errors")
            for e in r["errors"]:
                print(f"- {e}")


if __name__ == "__main__":
    main()
