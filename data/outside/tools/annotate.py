#!/usr/bin/env python3
"""Authoring aid for the outside-news gold files (standard library only).

The gold JSON of an article is built from a short annotation file, data/outside/annot/NN_slug.ann,
so that no offset is ever typed by hand: sources and mentions are given by quoting the article.

    python3 data/outside/tools/annotate.py sentences NN   # numbered sentences of article NN's body
    python3 data/outside/tools/annotate.py find NN "text" # every offset of a quoted text
    python3 data/outside/tools/annotate.py build NN       # write gold/NN_slug.json from annot/NN_slug.ann
    python3 data/outside/tools/annotate.py build all
    python3 data/outside/tools/annotate.py show NN        # the gold of article NN, for re-reading

Every command takes `--set holdout` first to work on the held-out set (data/outside/holdout/)
instead of the main set: `annotate.py --set holdout sentences 26`.

Annotation file lines (# starts a comment):
    genre news_report|opinion|interview
    subgenre straight|wire|column|analysis|qa_transcript|speaker_labels|numbered|prose_interview
    source ID KIND "label" [anon "phrase marking it anonymous"]
    mention ID "quoted text" [#N | after "anchor text" | in "context" [#N]]
                    # N-th occurrence (1-based), the first occurrence after the anchor, or the text
                    # inside the (N-th) occurrence of a longer context; default #1
    mentions ID "text"            # every whole-word occurrence of the text in the body
    unmention ID "text" [#N | in "context" [#N]]   # drop one occurrence added by `mentions`
    cut "text"      # force a sentence boundary just before this text (first occurrence)
    nocut "text"    # no sentence boundary inside this text (first occurrence)
    S<n> VOICE [SOURCE] [from=SOURCE] [hedged]   # label of sentence n (as `sentences` numbers them)
"""
import json
import re
import shlex
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent
SETS = {"main": OUT, "holdout": OUT / "holdout"}
ARTICLES = OUT / "articles"
ANNOT = OUT / "annot"
GOLD = OUT / "gold"


def use_set(name):
    """Point ARTICLES/ANNOT/GOLD at the main set or the held-out set."""
    global ARTICLES, ANNOT, GOLD
    if name not in SETS:
        sys.exit(f"unknown set {name!r} (known: {', '.join(SETS)})")
    ARTICLES, ANNOT, GOLD = (SETS[name] / d for d in ("articles", "annot", "gold"))

KINDS = {"named_person", "named_organization", "unnamed_person", "unnamed_group", "document", "author"}
VOICES = {"attributed", "author_report", "author_opinion", "interviewer", "interviewee", "clutter"}
GENRES = {"news_report", "opinion", "interview"}
SUBGENRES = {"straight", "wire", "column", "analysis", "qa_transcript", "speaker_labels", "numbered",
             "prose_interview"}

ABBREV = {"mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "st",
          "jr", "sr", "no", "vs", "etc", "inc", "corp", "co", "ltd", "jan", "feb", "mar", "apr", "jun",
          "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m",
          "supt", "mt", "ft", "approx", "fig", "dept", "univ", "assn", "ave", "blvd", "rev", "hon", "pres"}


def article_path(key):
    hits = sorted(ARTICLES.glob(f"{key}_*.txt")) if re.fullmatch(r"\d+", key) else [ARTICLES / f"{key}.txt"]
    if len(hits) != 1 or not hits[0].exists():
        sys.exit(f"no single article for {key!r}")
    return hits[0]


def read_text(path):
    return path.read_text(encoding="utf-8")


def body_start(text):
    """Offset of the body: after the title line, the blank line and an optional "By ..." line."""
    first_nl = text.index("\n")
    pos = first_nl + 1
    while pos < len(text) and text[pos] == "\n":
        pos += 1
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    if re.match(r"By\s", text[pos:line_end]):
        pos = line_end + 1
        while pos < len(text) and text[pos] == "\n":
            pos += 1
    return pos


def _is_abbreviation(before):
    """Whether the token ending `before` (which ends with a period) is an abbreviation or initial."""
    token = re.search(r"(\S+)$", before).group(1).lstrip("\"'“‘([")
    core = token[:-1]
    if core.lower() in ABBREV:
        return True
    if re.fullmatch(r"[A-Z]", core):  # an initial: "J. Smith"
        return True
    return bool(re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", core))  # "U.S", "e.g"


def split_sentences(text, start, cuts=(), nocuts=()):
    """(start, end) of every sentence from `start` on: lines are split on sentence punctuation."""
    spans = []
    for m in re.finditer(r"[^\n]+", text[start:]):
        ls, le = start + m.start(), start + m.end()
        line = text[ls:le]
        if not line.strip():
            continue
        bounds = [0]
        for b in re.finditer(r"[.!?]+[\"'”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])", line):
            if line[b.start()] == "." and _is_abbreviation(line[: b.start() + 1]):
                continue
            cut = b.end()
            while cut < len(line) and line[cut] == " ":
                cut += 1
            bounds.append(cut)
        bounds.append(len(line))
        for a, b in zip(bounds, bounds[1:]):
            seg = line[a:b].rstrip()
            if seg.strip():
                spans.append([ls + a, ls + a + len(seg)])
    for c in cuts:
        spans = _apply_cut(spans, c, text)
    for nc in nocuts:
        spans = _apply_nocut(spans, nc, text)
    return spans


def _apply_cut(spans, pos, text):
    out = []
    for s, e in spans:
        if s < pos < e:
            left = text[s:pos].rstrip()
            out.append([s, s + len(left)])
            out.append([pos, e])
        else:
            out.append([s, e])
    return out


def _apply_nocut(spans, rng, text):
    a, b = rng
    out = []
    for s, e in spans:
        if out and a < s < b:
            out[-1][1] = e
        else:
            out.append([s, e])
    return out


def occurrences(text, needle):
    return [m.start() for m in re.finditer(re.escape(needle), text)]


def word_at(context, needle):
    """Where `needle` first stands as a whole word in `context` (so "he" is never the "he" of
    "when"), or -1."""
    m = re.search(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", context)
    return m.start() if m else -1


def locate(text, needle, spec, lo=0):
    occ = [o for o in occurrences(text, needle) if o >= lo]
    if not occ:
        raise ValueError(f"not found: {needle!r}")
    if spec is None:
        return occ[0]
    if spec[0] == "#":
        n = int(spec[1])
        if n > len(occ):
            raise ValueError(f"{needle!r} occurs {len(occ)} times, not {n}")
        return occ[n - 1]
    anchor = occurrences(text, spec[1])
    if not anchor:
        raise ValueError(f"anchor not found: {spec[1]!r}")
    after = [o for o in occ if o >= anchor[0] + len(spec[1])]
    if not after:
        raise ValueError(f"{needle!r} not after {spec[1]!r}")
    return after[0]


def parse_ann(path, text):
    ann = {"genre": None, "subgenre": None, "sources": [], "labels": {}, "cuts": [], "nocuts": []}
    src = {}
    bstart = body_start(text)
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            tok = shlex.split(line)
        except ValueError as e:
            sys.exit(f"{path.name}:{lineno}: {e}")
        if not tok:
            continue
        head = tok[0]
        try:
            if head == "genre":
                ann["genre"] = tok[1]
            elif head == "subgenre":
                ann["subgenre"] = tok[1]
            elif head == "source":
                sid, kind, label = tok[1], tok[2], tok[3]
                entry = {"id": sid, "label": label, "kind": kind, "mentions": []}
                if len(tok) > 4:
                    if tok[4] != "anon":
                        raise ValueError("expected anon")
                    entry["anonymity"] = tok[5]
                if kind not in KINDS:
                    raise ValueError(f"bad kind {kind}")
                src[sid] = entry
                ann["sources"].append(entry)
            elif head == "mention":
                sid, needle = tok[1], tok[2]
                spec = None
                if len(tok) > 3 and tok[3] == "in":
                    cspec = ("#", tok[5][1:]) if len(tok) > 5 else None
                    c = locate(text, tok[4], cspec)
                    inner = word_at(tok[4], needle)
                    if inner < 0:
                        raise ValueError(f"{needle!r} not a whole word inside {tok[4]!r}")
                    s = c + inner
                else:
                    if len(tok) > 3:
                        spec = ("#", tok[3][1:]) if tok[3].startswith("#") else ("after", tok[4])
                    s = locate(text, needle, spec)
                src[sid]["mentions"].append([s, s + len(needle)])
            elif head == "mentions":
                # every whole-word occurrence in the body
                sid, needle = tok[1], tok[2]
                for m in re.finditer(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", text):
                    if m.start() >= bstart:
                        src[sid]["mentions"].append([m.start(), m.end()])
            elif head == "unmention":
                sid, needle = tok[1], tok[2]
                spec = None
                if len(tok) > 3 and tok[3] == "in":
                    c = locate(text, tok[4], ("#", tok[5][1:]) if len(tok) > 5 else None)
                    inner = word_at(tok[4], needle)
                    if inner < 0:
                        raise ValueError(f"{needle!r} not a whole word inside {tok[4]!r}")
                    s = c + inner
                else:
                    s = locate(text, needle, ("#", tok[3][1:]) if len(tok) > 3 else None)
                before = len(src[sid]["mentions"])
                src[sid]["mentions"] = [m for m in src[sid]["mentions"] if m != [s, s + len(needle)]]
                if len(src[sid]["mentions"]) == before:
                    raise ValueError(f"{needle!r} at {s} was not a mention of {sid}")
            elif head in ("cut", "nocut"):
                s = locate(text, tok[1], None if len(tok) < 3 else ("#", tok[2][1:]), bstart)
                if head == "cut":
                    ann["cuts"].append(s)
                else:
                    ann["nocuts"].append((s, s + len(tok[1])))
            elif re.fullmatch(r"S\d+", head):
                n = int(head[1:])
                voice = tok[1]
                if voice not in VOICES:
                    raise ValueError(f"bad voice {voice}")
                lab = {"voice": voice, "source": None, "relayed_from": None, "hedged": False}
                for t in tok[2:]:
                    if t == "hedged":
                        lab["hedged"] = True
                    elif t.startswith("from="):
                        lab["relayed_from"] = t[5:]
                    else:
                        lab["source"] = t
                ann["labels"][n] = lab
            else:
                raise ValueError(f"unknown line kind {head!r}")
        except (ValueError, IndexError, KeyError) as e:
            sys.exit(f"{path.name}:{lineno}: {e}: {raw}")
    return ann


def build(key):
    apath = article_path(key)
    text = read_text(apath)
    stem = apath.stem
    annp = ANNOT / f"{stem}.ann"
    ann = parse_ann(annp, text)
    spans = split_sentences(text, body_start(text), ann["cuts"], ann["nocuts"])
    missing = [i + 1 for i in range(len(spans)) if i + 1 not in ann["labels"]]
    extra = [n for n in ann["labels"] if n > len(spans)]
    if missing or extra:
        sys.exit(f"{stem}: sentences without a label: {missing}; labels past the end: {extra}")
    statements = []
    for i, (s, e) in enumerate(spans, 1):
        lab = ann["labels"][i]
        st = {"start": s, "end": e, "voice": lab["voice"]}
        if lab["source"]:
            st["source"] = lab["source"]
        if lab["relayed_from"]:
            st["relayed_from"] = lab["relayed_from"]
        st["hedged"] = lab["hedged"]
        statements.append(st)
    for s in ann["sources"]:
        s["mentions"].sort()
    gold = {"genre": ann["genre"], "subgenre": ann["subgenre"], "sources": ann["sources"],
            "statements": statements}
    out = GOLD / f"{stem}.json"
    out.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(OUT.parent.parent)}: {len(ann['sources'])} sources, "
          f"{len(statements)} statements")


def main(argv):
    if len(argv) > 2 and argv[1] == "--set":
        use_set(argv[2])
        argv = argv[:1] + argv[3:]
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd = argv[1]
    if cmd == "sentences":
        apath = article_path(argv[2])
        text = read_text(apath)
        annp = ANNOT / f"{apath.stem}.ann"
        cuts, nocuts = [], []
        if annp.exists():
            ann = parse_ann(annp, text)
            cuts, nocuts = ann["cuts"], ann["nocuts"]
        for i, (s, e) in enumerate(split_sentences(text, body_start(text), cuts, nocuts), 1):
            print(f"S{i} [{s},{e}] {text[s:e]}")
    elif cmd == "find":
        text = read_text(article_path(argv[2]))
        for o in occurrences(text, argv[3]):
            print(o, o + len(argv[3]), repr(text[max(0, o - 30):o + len(argv[3]) + 30]))
    elif cmd == "show":
        apath = article_path(argv[2])
        text = read_text(apath)
        gold = json.loads((GOLD / f"{apath.stem}.json").read_text(encoding="utf-8"))
        print(f"{apath.stem}: {gold['genre']} / {gold['subgenre']}")
        for s in gold["sources"]:
            ms = ", ".join(repr(text[a:b]) for a, b in s["mentions"])
            anon = f" [anon: {s['anonymity']}]" if s.get("anonymity") else ""
            print(f"  {s['id']} {s['kind']} {s['label']!r}{anon}: {ms}")
        for i, st in enumerate(gold["statements"], 1):
            extra = "".join(f" {k}={st[k]}" for k in ("source", "relayed_from") if st.get(k))
            extra += " HEDGED" if st["hedged"] else ""
            print(f"  S{i} {st['voice']}{extra}: {text[st['start']:st['end']][:100]}")
    elif cmd == "build":
        keys = [p.stem for p in sorted(ANNOT.glob("*.ann"))] if argv[2] == "all" else [argv[2]]
        for k in keys:
            build(k.split("_")[0] if k[:2].isdigit() else k)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
