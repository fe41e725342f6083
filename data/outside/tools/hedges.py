#!/usr/bin/env python3
"""Hedged sentences of the outside-news audit set: the analyzer's hedge markers against the
gold's `hedged` flags, sentence by sentence (clutter left out).

A gold statement counts as predicted hedged when a hedge marker of the analyzer lies inside
it. Precision: of the statements with a marker, the share gold calls hedged; recall: of the
statements gold calls hedged, the share with a marker.

    python3 data/outside/tools/hedges.py            # the figure
    python3 data/outside/tools/hedges.py --errors   # and every miss and false alarm
    python3 data/outside/tools/hedges.py --set holdout   # on the held-out set

The binary is found as by score.py ($NEWSLIT_BIN, else target/release or target/debug).
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import score  # noqa: E402
from score import analyze, find_binary  # noqa: E402


def main():
    args = sys.argv[1:]
    if "--set" in args:
        score.use_set(args[args.index("--set") + 1])
    binary = find_binary()
    show = "--errors" in args
    tp = fp = fn = 0
    errors = []
    for gold_path in sorted(score.GOLD.glob("*.json")):
        stem = gold_path.stem
        text_path = score.ARTICLES / f"{stem}.txt"
        text = text_path.read_text(encoding="utf-8")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        pred = analyze(binary, text_path)
        markers = [(h["start"], h["end"]) for h in pred["hedges"]]
        for st in gold["statements"]:
            if st["voice"] == "clutter":
                continue
            marked = any(st["start"] <= a and b <= st["end"] for a, b in markers)
            hedged = st.get("hedged", False)
            if marked and hedged:
                tp += 1
            elif marked:
                fp += 1
                errors.append(f"{stem[:2]} marked, gold not hedged: {text[st['start']:st['end']]!r}")
            elif hedged:
                fn += 1
                errors.append(f"{stem[:2]} hedged, no marker: {text[st['start']:st['end']]!r}")
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    print(f"hedged sentences: P {p:.3f}  R {r:.3f}  (marked {tp + fp}, gold {tp + fn})")
    if show:
        print("\n".join(errors))


if __name__ == "__main__":
    main()
