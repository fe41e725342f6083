//! Scores the analyzer against a PolNeAR-layout folder of gold attributions, with the same
//! definitions as the reference scorer (`score_attributions.py`): exact/overlap span
//! matching, greedy one-to-one matching (largest overlap first), relations, and the speech
//! subset. Also measures unnamed-source precision/recall against the hand-labelled fixture
//! `testdata/source_kinds.tsv` for the articles of that fixture found in the gold folder.
//!
//! [`gold`] reads brat standoff, [`score`] matches predictions to gold, [`kinds`] checks source
//! kinds against hand labels, and [`report`] prints the figures.

mod gold;
mod kinds;
mod report;
mod score;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use gold::{gold_article, speech_cues, to_rels, GoldArticle, Pieces, Rel};
pub use kinds::{KindFigures, LabelSet};
pub use score::{score, Counts, Mode, Table, ROWS};

use kinds::{parse_labels, Labels, KIND_SETS};

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
        results: report::results_json(&table),
        table,
        source_kinds,
        label_sets,
    })
}
