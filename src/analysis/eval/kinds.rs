//! Source kinds against hand labels: unnamed-source precision and recall, and kind accuracy
//! where a source was extracted.

use std::collections::HashMap;

use serde::Serialize;

use crate::analysis::model::SourceKind;

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
    pub(super) fn add(&mut self, gold: SourceKind, pred: Option<SourceKind>) {
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

    pub(super) fn finish(mut self) -> Self {
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

/// Hand-labelled source kinds: `article<TAB>start<TAB>end<TAB>kind`; `skip` rows (unclear
/// spans) are not counted. The dev fixture first: it also fills `EvalReport::source_kinds`.
pub(super) const KIND_SETS: &[(&str, &str)] = &[
    ("dev fixture", include_str!("../testdata/source_kinds.tsv")),
    (
        "train tuning half",
        include_str!("../testdata/train_source_kinds_tune.tsv"),
    ),
    (
        "train reporting half",
        include_str!("../testdata/train_source_kinds_report.tsv"),
    ),
];

pub(super) type Labels<'a> = HashMap<&'a str, Vec<(usize, usize, SourceKind)>>;

pub(super) fn parse_labels(src: &str) -> Labels<'_> {
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
