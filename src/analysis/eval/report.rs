//! The evaluation's figures as JSON (rounded as the reference scorer rounds) and as a table.

use std::fmt;

use super::kinds::LabelSet;
use super::score::{Table, ROWS};
use super::EvalReport;

pub(super) fn results_json(t: &Table) -> serde_json::Value {
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
