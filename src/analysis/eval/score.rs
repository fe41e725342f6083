//! Matching predictions to gold as the reference scorer does: exact or overlap span scores,
//! greedy one-to-one matching (largest score first), relations, and the speech subset.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::gold::{GoldArticle, Pieces, Rel};

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

#[cfg(test)]
mod tests {
    use super::super::gold::{gold_article, is_speech};
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
