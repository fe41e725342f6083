//! Gold attributions from brat standoff, and the analyzer's attributions in the same shape.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::analysis::lexicon::data_lines;

/// Brat entities: id -> (label, pieces).
type Entities = HashMap<String, (String, Vec<(usize, usize)>)>;
/// Brat relations: each a list of (role, entity id).
type Relations = Vec<Vec<(String, String)>>;
/// Span pieces and whether a speech relation refers to them.
type Flagged = (Vec<(usize, usize)>, bool);

/// Cue words that make a relation a speech relation: the reference scorer's `SPEECH_CUES`,
/// kept in `data/lexicons/speech_cues.txt`.
pub fn speech_cues() -> &'static [&'static str] {
    static CUES: OnceLock<Vec<&'static str>> = OnceLock::new();
    CUES.get_or_init(|| data_lines(include_str!("../../../data/lexicons/speech_cues.txt")).collect())
}

/// A span as sorted (start, end) pieces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pieces {
    pub(super) pieces: Vec<(usize, usize)>,
    pub(super) key: (usize, usize),
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

    pub(super) fn overlap(&self, other: &Pieces) -> usize {
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

pub(super) fn is_speech(chars: &[char], pieces: &[(usize, usize)]) -> bool {
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
    speech_cues().iter().any(|w| t.contains(w))
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

/// Turns the analyzer's attributions into scorer predictions (invalid spans become null,
/// as in the reference scorer).
pub fn to_rels(text: &str, attrs: &[crate::analysis::model::Attribution]) -> Vec<Rel> {
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
