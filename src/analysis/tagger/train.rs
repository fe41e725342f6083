//! Offline training of the tagger's weights (run by hand, never in CI):
//!
//! ```sh
//! NEWSLIT_SILVER=/tmp/silver.tsv POLNEAR_TRAIN=../shared/polnear/train \
//!   cargo test --lib --config 'profile.dev.package.newslit.opt-level=3' \
//!   -- --ignored --nocapture train_tagger
//! ```
//!
//! Reads the silver tags written by `data/tagger/make.py`, re-tokenizes each text with the
//! analyzer's tokenizer and sentence splitter, labels each token with the silver tag of the
//! token it starts in (proper nouns refined by entity type), trains a greedy averaged
//! perceptron, keeps the strongest features, quantises them to one byte and writes
//! `data/tagger/tagger.bin`. The reporting half of the hand-labelled train sample is left out,
//! and every 20th remaining article is held out to measure agreement with the silver tags.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use super::{features, Model, START};
use crate::analysis::sentences;
use crate::analysis::tokenize::{tokenize, Doc};

struct Art {
    text: String,
    /// Per sentence: token range and gold label ids.
    labels: Vec<u8>,
    sents: Vec<(usize, usize)>,
}

fn label(tag: &str, ent: &str) -> String {
    if tag.starts_with("NNP") {
        let c = match ent {
            "PERSON" => "-PER",
            "ORG" => "-ORG",
            "GPE" | "LOC" | "FAC" => "-LOC",
            "NORP" => "-NORP",
            _ => "",
        };
        return format!("{tag}{c}");
    }
    tag.to_string()
}

const MIN_COUNT: u32 = 3;
const KEEP: usize = 36_000;
const EPOCHS: usize = 6;

#[test]
#[ignore]
fn train_tagger() {
    let (Ok(silver), train) = (
        std::env::var("NEWSLIT_SILVER"),
        std::env::var("POLNEAR_TRAIN").unwrap_or_else(|_| "../shared/polnear/train".into()),
    ) else {
        panic!("set NEWSLIT_SILVER to the TSV written by data/tagger/make.py");
    };
    let report: std::collections::HashSet<String> = include_str!("../testdata/train_source_kinds_report.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next().map(str::to_string))
        .collect();
    let src = std::fs::read_to_string(&silver).expect("silver tsv");
    let mut by_art: HashMap<&str, Vec<(usize, usize, String)>> = HashMap::new();
    for line in src.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        if let [a, s, e, t, n] = f.as_slice() {
            by_art
                .entry(a)
                .or_default()
                .push((s.parse().unwrap_or(0), e.parse().unwrap_or(0), label(t, n)));
        }
    }
    let mut names: Vec<&str> = by_art.keys().copied().filter(|a| !report.contains(*a)).collect();
    names.sort_unstable();
    // Label ids by frequency.
    let mut freq: HashMap<&str, usize> = HashMap::new();
    for v in by_art.values() {
        for x in v {
            *freq.entry(x.2.as_str()).or_default() += 1;
        }
    }
    let mut classes: Vec<&str> = freq.keys().copied().collect();
    classes.sort_by_key(|c| (std::cmp::Reverse(freq[c]), c.to_string()));
    classes.truncate(250);
    let id: HashMap<&str, u8> = classes.iter().enumerate().map(|(i, c)| (*c, i as u8)).collect();
    let n = classes.len();
    let mut arts = Vec::new();
    for name in &names {
        let text = std::fs::read_to_string(format!("{train}/text/{name}.txt")).expect("train text");
        let doc = Doc::new(&text);
        let toks = tokenize(&doc);
        let silver = &by_art[name];
        let mut labels = vec![0u8; toks.len()];
        let mut j = 0;
        for (k, t) in toks.iter().enumerate() {
            while j + 1 < silver.len() && silver[j].1 <= t.start {
                j += 1;
            }
            labels[k] = id.get(silver[j].2.as_str()).copied().unwrap_or(0);
        }
        let mut sents = Vec::new();
        for p in sentences::paragraphs(&toks) {
            for s in sentences::sentences(&toks, p.tok_start, p.tok_end) {
                sents.push((s.tok_start, s.tok_end));
            }
        }
        drop(toks);
        arts.push(Art { text, labels, sents });
    }
    type Split<'a> = Vec<(usize, &'a Art)>;
    let (held, train_arts): (Split, Split) = arts.iter().enumerate().partition(|(i, _)| i % 20 == 0);
    eprintln!(
        "{} classes, {} train articles, {} held out",
        n,
        train_arts.len(),
        held.len()
    );

    // Pass 1: feature counts with gold history.
    let mut counts: FxHashMap<u64, u32> = FxHashMap::default();
    let mut feats = [0u64; super::N_FEATURES];
    for (_, art) in &train_arts {
        let doc = Doc::new(&art.text);
        let toks = tokenize(&doc);
        for &(a, b) in &art.sents {
            for i in a..b {
                let p1 = if i > a { art.labels[i - 1] } else { START };
                let p2 = if i > a + 1 { art.labels[i - 2] } else { START };
                features(&toks, a, b, i, p1, p2, &mut feats);
                for f in &feats {
                    *counts.entry(*f).or_default() += 1;
                }
            }
        }
    }
    let mut rows: FxHashMap<u64, usize> = FxHashMap::default();
    for (f, c) in &counts {
        if *c >= MIN_COUNT {
            let r = rows.len();
            rows.insert(*f, r);
        }
    }
    eprintln!(
        "{} features, {} seen at least {MIN_COUNT} times",
        counts.len(),
        rows.len()
    );
    drop(counts);
    let size = rows.len() * n;
    let mut w = vec![0f32; size];
    let mut total = vec![0f32; size];
    let mut stamp = vec![0u32; size];
    let mut clock: u32 = 0;
    let mut order: Vec<usize> = (0..train_arts.len()).collect();
    let mut seed: u64 = 12;
    let mut scores = vec![0f32; n];
    for epoch in 0..EPOCHS {
        // Deterministic shuffle.
        for i in (1..order.len()).rev() {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            order.swap(i, (seed >> 33) as usize % (i + 1));
        }
        let (mut right, mut all) = (0usize, 0usize);
        for &oi in &order {
            let art = train_arts[oi].1;
            let doc = Doc::new(&art.text);
            let toks = tokenize(&doc);
            for &(a, b) in &art.sents {
                let (mut p1, mut p2) = (START, START);
                for i in a..b {
                    clock += 1;
                    features(&toks, a, b, i, p1, p2, &mut feats);
                    let rs: Vec<usize> = feats.iter().filter_map(|f| rows.get(f).copied()).collect();
                    scores.iter_mut().for_each(|s| *s = 0.0);
                    for &r in &rs {
                        for (s, x) in scores.iter_mut().zip(&w[r * n..r * n + n]) {
                            *s += x;
                        }
                    }
                    let guess = argmax_f(&scores);
                    let truth = art.labels[i];
                    if guess != truth {
                        for &r in &rs {
                            for (c, d) in [(truth, 1f32), (guess, -1f32)] {
                                let k = r * n + usize::from(c);
                                total[k] += (clock - stamp[k]) as f32 * w[k];
                                stamp[k] = clock;
                                w[k] += d;
                            }
                        }
                    } else {
                        right += 1;
                    }
                    all += 1;
                    p2 = p1;
                    p1 = guess;
                }
            }
        }
        eprintln!("epoch {epoch}: train accuracy {:.4}", right as f64 / all as f64);
    }
    // Average.
    for k in 0..size {
        total[k] += (clock - stamp[k]) as f32 * w[k];
        w[k] = total[k] / clock as f32;
    }
    // Keep the strongest features and quantise.
    let mut strength: Vec<(f32, u64, usize)> = rows
        .iter()
        .map(|(&f, &r)| (w[r * n..r * n + n].iter().map(|x| x.abs()).sum::<f32>(), f, r))
        .collect();
    strength.sort_by(|a, b| b.0.total_cmp(&a.0));
    strength.truncate(KEEP);
    strength.sort_by_key(|x| x.1);
    let max = strength
        .iter()
        .flat_map(|&(_, _, r)| w[r * n..r * n + n].iter().map(|x| x.abs()))
        .fold(0f32, f32::max);
    let scale = max / 127.0;
    let mut out = Vec::new();
    out.extend_from_slice(b"NLTG1\n");
    out.push(n as u8);
    for c in &classes {
        out.push(c.len() as u8);
        out.extend_from_slice(c.as_bytes());
    }
    out.extend_from_slice(&scale.to_le_bytes());
    out.extend_from_slice(&(strength.len() as u32).to_le_bytes());
    for &(_, f, r) in &strength {
        out.extend_from_slice(&f.to_le_bytes());
        for x in &w[r * n..r * n + n] {
            out.push((x / scale).round().clamp(-127.0, 127.0) as i8 as u8);
        }
    }
    let model = Model::parse(&out).expect("own weights parse");
    // Held-out agreement with the silver tags, with the shipped (quantised) weights.
    let (mut right, mut all, mut nnp_right, mut nnp_all) = (0usize, 0usize, 0usize, 0usize);
    for (_, art) in &held {
        let doc = Doc::new(&art.text);
        let toks = tokenize(&doc);
        let mut tags = vec![0u8; toks.len()];
        for &(a, b) in &art.sents {
            model.tag_sentence(&toks, a, b, &mut tags);
            for i in a..b {
                all += 1;
                right += usize::from(tags[i] == art.labels[i]);
                if classes[usize::from(art.labels[i])].starts_with("NNP") {
                    nnp_all += 1;
                    nnp_right += usize::from(tags[i] == art.labels[i]);
                }
            }
        }
    }
    eprintln!(
        "held-out agreement with silver: {:.4} of {all} tokens; proper nouns with name class {:.4} of {nnp_all}",
        right as f64 / all as f64,
        nnp_right as f64 / nnp_all as f64
    );
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/tagger/tagger.bin");
    std::fs::write(path, &out).expect("write weights");
    eprintln!("wrote {} bytes, {} features", out.len(), strength.len());
}

fn argmax_f(s: &[f32]) -> u8 {
    let mut best = 0;
    for (i, &v) in s.iter().enumerate() {
        if v > s[best] {
            best = i;
        }
    }
    u8::try_from(best).unwrap_or(0)
}
