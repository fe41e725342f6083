"""Draw the labelling sample from PolNeAR train and write one context file per labeller.

Sample: random.Random(12).sample(sorted(article names), 150); articles 0-74 are the tuning
half (labellers A, B), 75-149 the reporting half (labellers C, D). Every distinct gold Source
span of each article is listed once, with the cue of (one of) its attributions and context.

Usage: python3 make_batches.py POLNEAR_TRAIN_DIR OUT_DIR  (writes OUT_DIR/{A,B,C,D}.txt, the
labellers' context files, and OUT_DIR/sample.json; the labels themselves are offsets and kinds
only, in train_source_kinds_{tune,report}.tsv beside this script).
"""
import os, random, sys, glob, json
root = sys.argv[1]
outdir = sys.argv[2]
names = sorted(os.path.splitext(f)[0] for f in os.listdir(os.path.join(root, 'text')))
sample = random.Random(12).sample(names, 150)
groups = {'A': sample[0:38], 'B': sample[38:75], 'C': sample[75:113], 'D': sample[113:150]}

def parse(path):
    spans, rels = {}, []
    lines = open(path, encoding='utf-8').read().split('\n')
    for line in lines:
        if line.startswith('T') and '\t' in line:
            parts = line.split('\t')
            if len(parts) < 2: continue
            head = parts[1]
            label, _, rest = head.partition(' ')
            pieces = []
            for p in rest.split(';'):
                a, b = p.split()
                pieces.append((int(a), int(b)))
            spans[parts[0]] = (label, pieces)
        elif line.startswith('E') and '\t' in line:
            rels.append(dict(x.split(':') for x in line.split('\t')[1].split()))
    return spans, rels

for g, arts in groups.items():
    out = open(os.path.join(outdir, f'{g}.txt'), 'w', encoding='utf-8')
    n = 0
    for art in arts:
        text = open(os.path.join(root, 'text', art + '.txt'), encoding='utf-8').read()
        anns = sorted(glob.glob(os.path.join(root, 'attributions', art + '_*.ann')))
        spans, rels = parse(anns[0])
        cue_of = {}
        for r in rels:
            if 'Source' in r and 'Cue' in r and r['Cue'] in spans:
                cue_of.setdefault(r['Source'], spans[r['Cue']][1])
        seen = set()
        items = []
        for tid, (label, pieces) in spans.items():
            if label != 'Source': continue
            s, e = pieces[0][0], pieces[-1][1]
            if (s, e) in seen: continue
            seen.add((s, e))
            items.append((s, e, tid))
        items.sort()
        out.write(f'### ARTICLE {art}  (title: {text.splitlines()[0][:100]})\n')
        for s, e, tid in items:
            cue = cue_of.get(tid)
            cue_txt = ' '.join(text[a:b] for a, b in cue) if cue else '-'
            a = max(0, s - 300); b = min(len(text), e + 160)
            ctx = (text[a:s] + '[[' + text[s:e] + ']]' + text[e:b]).replace('\n', ' / ')
            out.write(f'{art}\t{s}\t{e}\tSPAN: {text[s:e]!r}\tCUE: {cue_txt!r}\n    CONTEXT: ...{ctx}...\n')
            n += 1
    out.close()
    print(g, len(arts), 'articles', n, 'spans')
json.dump(groups, open(os.path.join(outdir, 'sample.json'), 'w'), indent=1)
