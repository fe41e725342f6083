//! Scores the analyzer against a PolNeAR-layout folder of gold attributions, with the same
//! definitions as the reference scorer (`score_attributions.py`): exact/overlap span
//! matching, greedy one-to-one matching (largest overlap first), relations, and the speech
//! subset. Also measures unnamed-source precision/recall against the hand-labelled fixture
//! `testdata/source_kinds.tsv` for the articles of that fixture found in the gold folder.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::model::SourceKind;

/// Brat entities: id -> (label, pieces).
type Entities = HashMap<String, (String, Vec<(usize, usize)>)>;
/// Brat relations: each a list of (role, entity id).
type Relations = Vec<Vec<(String, String)>>;
/// Span pieces and whether a speech relation refers to them.
type Flagged = (Vec<(usize, usize)>, bool);

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot write predictions: {0}")]
    Json(#[from] serde_json::Error),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> EvalError + '_ {
    move |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Cue words that make a relation a speech relation (the scorer's `SPEECH_CUES`).
pub const SPEECH_CUES: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "according to",
    "added",
    "wrote",
    "writes",
    "stated",
    "claimed",
    "claims",
    "reported",
    "reports",
    "explained",
    "noted",
    "argued",
    "asked",
    "announced",
    "insisted",
    "acknowledged",
    "warned",
    "suggested",
    "testified",
    "tweeted",
];

/// A span as sorted (start, end) pieces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pieces {
    pieces: Vec<(usize, usize)>,
    key: (usize, usize),
}

impl Pieces {
    pub fn new(mut pieces: Vec<(usize, usize)>) -> Option<Self> {
        pieces.sort_unstable();
        let lo = pieces.iter().map(|p| p.0).min()?;
        let hi = pieces.iter().map(|p| p.1).max()?;
        Some(Pieces {
            pieces,
            key: (lo, hi),
        })
    }

    fn overlap(&self, other: &Pieces) -> usize {
        let mut n = 0;
        for &(a, b) in &self.pieces {
            for &(c, d) in &other.pieces {
                let (lo, hi) = (a.max(c), b.min(d));
                if hi > lo {
                    n += hi - lo;
                }
            }
        }
        n
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Exact,
    Overlap,
}

fn span_score(g: Option<&Pieces>, p: Option<&Pieces>, mode: Mode) -> usize {
    match (g, p) {
        (Some(g), Some(p)) => match mode {
            Mode::Exact => usize::from(g.key == p.key),
            Mode::Overlap => g.overlap(p),
        },
        _ => 0,
    }
}

/// One attribution (gold relation or prediction) for scoring.
#[derive(Debug, Clone)]
pub struct Rel {
    pub cue: Option<Pieces>,
    pub source: Option<Pieces>,
    pub content: Option<Pieces>,
    pub speech: bool,
}

/// One gold article: relations, and per role the distinct referenced spans with speech flags.
#[derive(Debug, Clone)]
pub struct GoldArticle {
    pub name: String,
    pub text_len: usize,
    pub rels: Vec<Rel>,
    /// Source, Cue, Content.
    pub spans: [Vec<(Pieces, bool)>; 3],
}

fn collapse_lower(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn is_speech(chars: &[char], pieces: &[(usize, usize)]) -> bool {
    if pieces.is_empty() {
        return false;
    }
    let joined: Vec<String> = pieces
        .iter()
        .map(|&(a, b)| {
            chars
                .get(a.min(chars.len())..b.min(chars.len()))
                .unwrap_or(&[])
                .iter()
                .collect()
        })
        .collect();
    let t = collapse_lower(&joined.join(" "));
    SPEECH_CUES.iter().any(|w| t.contains(w))
}

/// Parses brat standoff into entities {id: (label, pieces)} and relations [(role, id)].
fn parse_ann(src: &str) -> (Entities, Relations) {
    let mut ents = HashMap::new();
    let mut rels = Vec::new();
    for raw in src.split('\n') {
        let line = raw.trim_end_matches(['\r', '\n']);
        let mut f = line.splitn(3, '\t');
        let id = f.next().unwrap_or("");
        let rest = f.next().unwrap_or("");
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if id.starts_with('T') && digits(&id[1..]) {
            if let Some((label, offs)) = rest.split_once(' ') {
                let mut segs = Vec::new();
                let mut ok = !label.is_empty();
                for part in offs.split(';') {
                    let nums: Vec<&str> = part.split(' ').collect();
                    match nums.as_slice() {
                        [a, b] if digits(a) && digits(b) => {
                            segs.push((a.parse().unwrap_or(0), b.parse().unwrap_or(0)))
                        }
                        _ => ok = false,
                    }
                }
                if ok && !segs.is_empty() {
                    ents.insert(id.to_string(), (label.to_string(), segs));
                }
            }
        } else if id.starts_with('E') && digits(&id[1..]) {
            let roles = line[id.len()..]
                .split_whitespace()
                .filter_map(|arg| arg.split_once(':').map(|(r, t)| (r.to_string(), t.to_string())))
                .collect();
            rels.push(roles);
        }
    }
    (ents, rels)
}

fn norm_role(role: &str) -> &str {
    role.trim_end_matches(|c: char| c.is_ascii_digit())
}

/// Builds a gold article from its text and annotation file contents.
pub fn gold_article(name: &str, text: &str, ann: &str) -> GoldArticle {
    let chars: Vec<char> = text.chars().collect();
    let (ents, rels) = parse_ann(ann);
    let tnum = |t: &str| t[1..].parse::<u64>().unwrap_or(u64::MAX);
    // Per label: tid -> (pieces, speech).
    let mut spans: [HashMap<String, Flagged>; 3] = Default::default();
    let mut out_rels = Vec::new();
    for r in &rels {
        let mut ids: [Vec<&String>; 3] = Default::default();
        for (role, tid) in r {
            if !ents.contains_key(tid) {
                continue;
            }
            match norm_role(role) {
                "Source" => ids[0].push(tid),
                "Cue" => ids[1].push(tid),
                "Content" => ids[2].push(tid),
                _ => {}
            }
        }
        let pieces =
            |v: &Vec<&String>| -> Vec<(usize, usize)> { v.iter().flat_map(|t| ents[*t].1.clone()).collect() };
        let cue_p = pieces(&ids[1]);
        let speech = is_speech(&chars, &cue_p);
        for (lab, v) in ids.iter().enumerate() {
            for tid in v {
                let e = spans[lab]
                    .entry((*tid).clone())
                    .or_insert_with(|| (ents[*tid].1.clone(), false));
                e.1 |= speech;
            }
        }
        out_rels.push(Rel {
            cue: Pieces::new(cue_p),
            source: Pieces::new(pieces(&ids[0])),
            content: Pieces::new(pieces(&ids[2])),
            speech,
        });
    }
    let spans = spans.map(|m| {
        let mut v: Vec<(String, Flagged)> = m.into_iter().collect();
        v.sort_by_key(|(t, _)| tnum(t));
        v.into_iter()
            .filter_map(|(_, (p, s))| Pieces::new(p).map(|p| (p, s)))
            .collect()
    });
    GoldArticle {
        name: name.to_string(),
        text_len: chars.len(),
        rels: out_rels,
        spans,
    }
}

/// One-to-one greedy matching, largest score first; returns the number of matches.
fn greedy<G, P>(golds: &[G], preds: &[P], score: impl Fn(&G, &P) -> usize) -> usize {
    let mut pairs = Vec::new();
    for (i, g) in golds.iter().enumerate() {
        for (j, p) in preds.iter().enumerate() {
            let s = score(g, p);
            if s > 0 {
                pairs.push((std::cmp::Reverse(s), i, j));
            }
        }
    }
    pairs.sort_unstable();
    let (mut ug, mut up) = (HashSet::new(), HashSet::new());
    let mut n = 0;
    for (_, i, j) in pairs {
        if ug.contains(&i) || up.contains(&j) {
            continue;
        }
        ug.insert(i);
        up.insert(j);
        n += 1;
    }
    n
}

fn rel_score(g: &Rel, p: &Rel, mode: Mode, with_content: bool) -> usize {
    let c = span_score(g.cue.as_ref(), p.cue.as_ref(), mode);
    if c == 0 {
        return 0;
    }
    let s = if g.source.is_none() && p.source.is_none() {
        1
    } else {
        span_score(g.source.as_ref(), p.source.as_ref(), mode)
    };
    if s == 0 {
        return 0;
    }
    let mut total = c + s;
    if with_content {
        let k = span_score(g.content.as_ref(), p.content.as_ref(), mode);
        if k == 0 {
            return 0;
        }
        total += k;
    }
    total
}

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub gold: usize,
    pub pred: usize,
    pub tp_p: usize,
    pub tp_r: usize,
}

impl Counts {
    fn add(&mut self, gold: usize, pred: usize, tp_p: usize, tp_r: usize) {
        self.gold += gold;
        self.pred += pred;
        self.tp_p += tp_p;
        self.tp_r += tp_r;
    }
    pub fn precision(&self) -> f64 {
        if self.pred == 0 {
            0.0
        } else {
            self.tp_p as f64 / self.pred as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            0.0
        } else {
            self.tp_r as f64 / self.gold as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

pub const ROWS: [&str; 5] = ["Source", "Cue", "Content", "Relation", "Relation+Content"];

/// Counts per subset (all, speech) × row × mode (exact, overlap).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Table {
    pub all: [[Counts; 2]; 5],
    pub speech: [[Counts; 2]; 5],
}

/// Scores predictions (one list per gold article, same order) exactly as the reference scorer.
pub fn score(gold: &[GoldArticle], preds: &[Vec<Rel>]) -> Table {
    let mut t = Table::default();
    let empty = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        let preds = preds.get(gi).unwrap_or(&empty);
        for (mi, mode) in [Mode::Exact, Mode::Overlap].into_iter().enumerate() {
            for lab in 0..3 {
                let gsp: Vec<&Pieces> = g.spans[lab].iter().map(|(s, _)| s).collect();
                let gsp_s: Vec<&Pieces> = g.spans[lab]
                    .iter()
                    .filter(|(_, sp)| *sp)
                    .map(|(s, _)| s)
                    .collect();
                let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
                let mut psp: Vec<&Pieces> = Vec::new();
                let mut psp_speech: Vec<bool> = Vec::new();
                for p in preds {
                    let s = match lab {
                        0 => p.source.as_ref(),
                        1 => p.cue.as_ref(),
                        _ => p.content.as_ref(),
                    };
                    let Some(s) = s else { continue };
                    let idx = *seen.entry(s.key).or_insert_with(|| {
                        psp.push(s);
                        psp_speech.push(false);
                        psp.len() - 1
                    });
                    if p.speech {
                        psp_speech[idx] = true;
                    }
                }
                let psp_s: Vec<&Pieces> = psp
                    .iter()
                    .zip(&psp_speech)
                    .filter(|(_, f)| **f)
                    .map(|(s, _)| *s)
                    .collect();
                let sc = |a: &&Pieces, b: &&Pieces| span_score(Some(a), Some(b), mode);
                let n_all = greedy(&gsp, &psp, sc);
                t.all[lab][mi].add(gsp.len(), psp.len(), n_all, n_all);
                t.speech[lab][mi].add(
                    gsp_s.len(),
                    psp_s.len(),
                    greedy(&gsp, &psp_s, sc),
                    greedy(&gsp_s, &psp, sc),
                );
            }
            for (row, wc) in [(3, false), (4, true)] {
                let sc = |a: &Rel, b: &Rel| rel_score(a, b, mode, wc);
                let gs: Vec<Rel> = g.rels.iter().filter(|r| r.speech).cloned().collect();
                let ps: Vec<Rel> = preds.iter().filter(|r| r.speech).cloned().collect();
                let n_all = greedy(&g.rels, preds, sc);
                t.all[row][mi].add(g.rels.len(), preds.len(), n_all, n_all);
                t.speech[row][mi].add(
                    gs.len(),
                    ps.len(),
                    greedy(&g.rels, &ps, sc),
                    greedy(&gs, preds, sc),
                );
            }
        }
    }
    t
}

/// Turns the analyzer's attributions into scorer predictions (invalid spans become null,
/// as in the reference scorer).
pub fn to_rels(text: &str, attrs: &[super::model::Attribution]) -> Vec<Rel> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let piece = |s: usize, e: usize| {
        if s < e && e <= n {
            Pieces::new(vec![(s, e)])
        } else {
            None
        }
    };
    attrs
        .iter()
        .map(|a| {
            let cue = piece(a.cue.start, a.cue.end);
            let speech = cue.as_ref().is_some_and(|c| is_speech(&chars, &c.pieces));
            Rel {
                cue,
                source: a.source.as_ref().and_then(|s| piece(s.start, s.end)),
                content: a.content.as_ref().and_then(|c| piece(c.start, c.end)),
                speech,
            }
        })
        .collect()
}

/// Unnamed-source precision and recall against hand labels.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KindFigures {
    /// Labelled gold sources whose article was found in the gold folder.
    pub labelled: usize,
    pub unnamed_gold: usize,
    pub unnamed_predicted: usize,
    pub unnamed_correct: usize,
    pub precision: f64,
    pub recall: f64,
    /// Unnamed gold sources that some predicted source overlaps (extraction found them).
    pub unnamed_gold_found: usize,
    /// Recall over those found: how well the kind decision itself does.
    pub recall_when_found: f64,
    /// Per gold kind: (labelled, a source was extracted, the extracted source's kind is right).
    pub per_kind: std::collections::BTreeMap<String, (usize, usize, usize)>,
    /// Labelled sources some predicted source overlaps whose kind is right, over those found.
    pub kind_accuracy_when_found: f64,
}

impl KindFigures {
    fn add(&mut self, gold: SourceKind, pred: Option<SourceKind>) {
        self.labelled += 1;
        let truth = gold.is_unnamed();
        self.unnamed_gold += usize::from(truth);
        self.unnamed_gold_found += usize::from(truth && pred.is_some());
        if pred.is_some_and(SourceKind::is_unnamed) {
            self.unnamed_predicted += 1;
            self.unnamed_correct += usize::from(truth);
        }
        let e = self.per_kind.entry(kind_name(gold)).or_default();
        e.0 += 1;
        e.1 += usize::from(pred.is_some());
        e.2 += usize::from(pred == Some(gold));
    }

    fn finish(mut self) -> Self {
        let ratio = |a: usize, b: usize| if b > 0 { a as f64 / b as f64 } else { 0.0 };
        self.precision = ratio(self.unnamed_correct, self.unnamed_predicted);
        self.recall_when_found = ratio(self.unnamed_correct, self.unnamed_gold_found);
        self.recall = ratio(self.unnamed_correct, self.unnamed_gold);
        let (found, right) = self
            .per_kind
            .values()
            .fold((0, 0), |(f, r), v| (f + v.1, r + v.2));
        self.kind_accuracy_when_found = ratio(right, found);
        self
    }
}

fn kind_name(k: SourceKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A hand-labelled set of source kinds and the figures measured on it.
#[derive(Debug, Clone, Serialize)]
pub struct LabelSet {
    pub name: &'static str,
    pub figures: KindFigures,
}

/// The evaluation's figures.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub articles: usize,
    pub predicted_attributions: usize,
    /// Per subset, row and mode: counts, precision, recall, F1.
    pub results: serde_json::Value,
    #[serde(skip)]
    pub table: Table,
    /// Present when the dev source-kind fixture covers articles of the gold folder.
    pub source_kinds: Option<KindFigures>,
    /// Every hand-labelled set (dev fixture, train tuning half, train reporting half) that
    /// covers articles of the gold folder.
    pub label_sets: Vec<LabelSet>,
}

fn results_json(t: &Table) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for (sub, rows) in [("all", &t.all), ("speech", &t.speech)] {
        let mut m = serde_json::Map::new();
        for (ri, row) in ROWS.iter().enumerate() {
            let mut r = serde_json::Map::new();
            for (mi, mode) in ["exact", "overlap"].iter().enumerate() {
                let c = rows[ri][mi];
                r.insert(
                    (*mode).to_string(),
                    serde_json::json!({
                        "gold": c.gold, "pred": c.pred, "tp_p": c.tp_p, "tp_r": c.tp_r,
                        "precision": round4(c.precision()), "recall": round4(c.recall()), "f1": round4(c.f1()),
                    }),
                );
            }
            m.insert((*row).to_string(), serde_json::Value::Object(r));
        }
        out.insert(sub.to_string(), serde_json::Value::Object(m));
    }
    serde_json::Value::Object(out)
}

/// Rounds like Python's `round(x, 4)` (exact decimal rounding of the double), so printed
/// figures agree with the reference scorer digit for digit.
fn round4(x: f64) -> f64 {
    format!("{x:.4}").parse().unwrap_or(x)
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "articles: {}  predicted attributions: {}",
            self.articles, self.predicted_attributions
        )?;
        for (title, rows) in [
            ("ALL gold relations", &self.table.all),
            ("SPEECH subset", &self.table.speech),
        ] {
            writeln!(f, "\n{title}")?;
            writeln!(
                f,
                "{:17} {:>5} {:>5} | {:>7} {:>5} {:>5} | {:>9} {:>5} {:>5}",
                "", "gold", "pred", "exact P", "R", "F1", "overlap P", "R", "F1"
            )?;
            for (ri, row) in ROWS.iter().enumerate() {
                let (e, o) = (rows[ri][0], rows[ri][1]);
                writeln!(
                    f,
                    "{:17} {:5} {:5} | {:7.1} {:5.1} {:5.1} | {:9.1} {:5.1} {:5.1}",
                    row,
                    e.gold,
                    e.pred,
                    100.0 * round4(e.precision()),
                    100.0 * round4(e.recall()),
                    100.0 * round4(e.f1()),
                    100.0 * round4(o.precision()),
                    100.0 * round4(o.recall()),
                    100.0 * round4(o.f1())
                )?;
            }
        }
        for LabelSet { name, figures: k } in &self.label_sets {
            writeln!(
                f,
                "\nunnamed sources ({name}, {} sources): precision {:.3} ({}/{}), recall {:.3} ({}/{}), \
                 recall where a source was extracted {:.3} ({}/{})",
                k.labelled,
                k.precision,
                k.unnamed_correct,
                k.unnamed_predicted,
                k.recall,
                k.unnamed_correct,
                k.unnamed_gold,
                k.recall_when_found,
                k.unnamed_correct,
                k.unnamed_gold_found
            )?;
            write!(
                f,
                "  kind right where a source was extracted: {:.3};",
                k.kind_accuracy_when_found
            )?;
            for (kind, (n, found, right)) in &k.per_kind {
                let acc = if *found > 0 {
                    *right as f64 / *found as f64
                } else {
                    0.0
                };
                write!(f, " {kind} {acc:.2} ({right}/{found} of {n})")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// The first annotator file for article `name` in sorted order (the scorer's rule).
fn find_ann<'a>(files: &'a [String], name: &str) -> Option<&'a String> {
    files.iter().find(|f| {
        let Some(stem) = f.strip_suffix(".ann") else {
            return false;
        };
        stem == name
            || stem
                .strip_prefix(name)
                .and_then(|r| r.strip_prefix('_'))
                .is_some_and(|r| !r.contains('_'))
    })
}

/// Hand-labelled source kinds: `article<TAB>start<TAB>end<TAB>kind`; `skip` rows (unclear
/// spans) are not counted. The dev fixture first: it also fills `EvalReport::source_kinds`.
const KIND_SETS: &[(&str, &str)] = &[
    ("dev fixture", include_str!("testdata/source_kinds.tsv")),
    (
        "train tuning half",
        include_str!("testdata/train_source_kinds_tune.tsv"),
    ),
    (
        "train reporting half",
        include_str!("testdata/train_source_kinds_report.tsv"),
    ),
];

type Labels<'a> = HashMap<&'a str, Vec<(usize, usize, SourceKind)>>;

fn parse_labels(src: &str) -> Labels<'_> {
    let mut labels: Labels = HashMap::new();
    for line in src
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let f: Vec<&str> = line.split('\t').collect();
        if let [name, s, e, k, ..] = f.as_slice() {
            if let (Ok(s), Ok(e), Some(k)) = (s.parse(), e.parse(), parse_kind(k.trim())) {
                labels.entry(*name).or_default().push((s, e, k));
            }
        }
    }
    labels
}

fn parse_kind(s: &str) -> Option<SourceKind> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}

/// Analyzes every article under `gold_dir/text`, scores it against `gold_dir/attributions`,
/// and, when `pred_out` is given, writes one `<name>.json` analysis per article there
/// (the reference scorer's input).
pub fn evaluate(gold_dir: &Path, pred_out: Option<&Path>) -> Result<EvalReport, EvalError> {
    let text_dir = gold_dir.join("text");
    let att_dir = gold_dir.join("attributions");
    let mut names: Vec<String> = std::fs::read_dir(&text_dir)
        .map_err(io(&text_dir))?
        .filter_map(|e| e.ok().and_then(|e| e.file_name().to_str().map(str::to_string)))
        .filter_map(|f| f.strip_suffix(".txt").map(str::to_string))
        .collect();
    names.sort();
    let mut anns: Vec<String> = std::fs::read_dir(&att_dir)
        .map_err(io(&att_dir))?
        .filter_map(|e| e.ok().and_then(|e| e.file_name().to_str().map(str::to_string)))
        .collect();
    anns.sort();
    if let Some(p) = pred_out {
        std::fs::create_dir_all(p).map_err(io(p))?;
    }
    let sets: Vec<Labels> = KIND_SETS.iter().map(|(_, src)| parse_labels(src)).collect();
    let mut figures: Vec<KindFigures> = vec![KindFigures::default(); sets.len()];
    let mut gold = Vec::new();
    let mut preds = Vec::new();
    let mut n_pred = 0;
    for name in &names {
        let Some(ann) = find_ann(&anns, name) else {
            continue;
        };
        let tp = text_dir.join(format!("{name}.txt"));
        let text = std::fs::read_to_string(&tp).map_err(io(&tp))?;
        let ap = att_dir.join(ann);
        let ann_src = std::fs::read_to_string(&ap).map_err(io(&ap))?;
        let analysis = super::analyze(&text);
        if let Some(p) = pred_out {
            let out = p.join(format!("{name}.json"));
            std::fs::write(&out, serde_json::to_vec(&analysis)?).map_err(io(&out))?;
        }
        n_pred += analysis.attributions.len();
        for (labels, fig) in sets.iter().zip(figures.iter_mut()) {
            for &(s, e, k) in labels.get(name.as_str()).into_iter().flatten() {
                // The predicted source overlapping the labelled span most.
                let pred = analysis
                    .attributions
                    .iter()
                    .filter_map(|a| a.source.as_ref())
                    .map(|src| (src.end.min(e).saturating_sub(src.start.max(s)), src.kind))
                    .filter(|(o, _)| *o > 0)
                    .max_by_key(|(o, _)| *o)
                    .map(|(_, k)| k);
                fig.add(k, pred);
            }
        }
        preds.push(to_rels(&text, &analysis.attributions));
        gold.push(gold_article(name, &text, &ann_src));
    }
    let table = score(&gold, &preds);
    let label_sets: Vec<LabelSet> = KIND_SETS
        .iter()
        .zip(figures)
        .filter(|(_, f)| f.labelled > 0)
        .map(|((name, _), f)| LabelSet {
            name,
            figures: f.finish(),
        })
        .collect();
    let source_kinds = label_sets
        .iter()
        .find(|l| l.name == KIND_SETS[0].0)
        .map(|l| l.figures.clone());
    Ok(EvalReport {
        articles: gold.len(),
        predicted_attributions: n_pred,
        results: results_json(&table),
        table,
        source_kinds,
        label_sets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference scorer's `--selftest` example, checked figure by figure.
    #[test]
    fn agrees_with_reference_selftest() {
        let text = "Title says it\n\nAlice Smith said the plan failed. According to Bob, it worked. \u{201c}No,\u{201d} she told\nreporters.";
        let chars: Vec<char> = text.chars().collect();
        let at = |sub: &str, k: usize| -> (usize, usize) {
            let sc: Vec<char> = sub.chars().collect();
            let mut found = 0;
            for i in 0..chars.len() {
                if chars[i..].starts_with(&sc) {
                    if found == k {
                        return (i, i + sc.len());
                    }
                    found += 1;
                }
            }
            (0, 0)
        };
        let (a_src, a_cue, a_con) = (at("Alice Smith", 0), at("said", 0), at("the plan failed", 0));
        let (b_cue, b_src, b_con) = (at("According to", 0), at("Bob", 0), at("it worked", 0));
        let (c_con, c_src, c_cue) = (at("\u{201c}No,\u{201d}", 0), at("she", 0), at("told", 0));
        let t_cue = at("says", 0);
        let ann = [
            format!("T1\tSource {} {}\tAlice Smith", a_src.0, a_src.1),
            format!("T2\tCue {} {}\tsaid", a_cue.0, a_cue.1),
            format!("T3\tContent {} {}\tthe plan failed", a_con.0, a_con.1),
            format!("T4\tAttribution {} {}\tsaid", a_cue.0, a_cue.1),
            "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1".to_string(),
            format!(
                "T5\tCue {} {};{} {}\tAccording to",
                b_cue.0,
                b_cue.0 + 9,
                b_cue.1 - 2,
                b_cue.1
            ),
            format!("T6\tSource {} {}\tBob", b_src.0, b_src.1),
            format!("T7\tContent {} {}\tit worked", b_con.0, b_con.1),
            "E2\tAttribution:T5 Content:T7 Cue:T5 Source:T6".to_string(),
            format!("T8\tContent {} {}\t\u{201c}No,\u{201d}", c_con.0, c_con.1),
            format!("T9\tSource {} {}\tshe", c_src.0, c_src.1),
            format!("T10\tCue {} {}\ttold", c_cue.0, c_cue.1 + 10),
            "reporters".to_string(),
            "E3\tAttribution:T10 Cue:T10 Source:T9 Content:T8".to_string(),
            format!("T11\tCue {} {}\tsays", t_cue.0, t_cue.1),
            "T12\tContent 0 5\tTitle".to_string(),
            "E4\tAttribution-no-source:T11 Cue:T11 Content:T12".to_string(),
            "#1\tAnnotatorNotes T1\tnote".to_string(),
        ]
        .join("\n");
        let g = gold_article("a_b", text, &ann);
        let p = |x: (usize, usize)| Pieces::new(vec![x]);
        let sp = |c: &Option<Pieces>| c.as_ref().is_some_and(|c| is_speech(&chars, &c.pieces));
        let mk = |source, cue: Option<Pieces>, content| Rel {
            speech: sp(&cue),
            source,
            cue,
            content,
        };
        let preds = vec![
            mk(p(a_src), p(a_cue), p(a_con)),
            mk(p((b_src.0, b_src.1 + 1)), p((b_cue.0, b_cue.0 + 9)), p(b_con)),
            mk(None, None, p((c_con.0 + 1, c_con.1 - 1))),
            mk(p(a_src), p(at("worked", 0)), None),
        ];
        let t = score(&[g], &[preds]);
        let c = |x: Counts| (x.gold, x.pred, x.tp_p, x.tp_r);
        assert_eq!(c(t.all[0][0]), (3, 2, 1, 1));
        assert_eq!(c(t.all[0][1]), (3, 2, 2, 2));
        assert_eq!(c(t.all[1][0]), (4, 3, 1, 1));
        assert_eq!(c(t.all[1][1]), (4, 3, 2, 2));
        assert_eq!(c(t.all[2][0]), (4, 3, 2, 2));
        assert_eq!(c(t.all[2][1]), (4, 3, 3, 3));
        assert_eq!(c(t.all[3][0]), (4, 4, 1, 1));
        assert_eq!(c(t.all[3][1]), (4, 4, 2, 2));
        assert_eq!(c(t.all[4][1]), (4, 4, 2, 2));
        assert_eq!(c(t.speech[3][1]), (4, 1, 1, 2));
        assert_eq!(c(t.speech[1][0]), (4, 1, 1, 1));
    }
}
