//! The hedged-claims kind: which statements signal that something is uncertain.

use super::super::facts::Basis;
use super::super::model::{Exercise, ExerciseContent, ExerciseKind, ResponseType, ScoringMode};
use super::super::options::{difficulty, in_text_order, join_quoted, sentence_option, spread, MAX_OPTIONS};
use super::Gen;

impl Gen<'_, '_> {
    pub(super) fn hedged_claims(&self) -> Vec<Exercise> {
        let f = self.f;
        let mut hedged = Vec::new();
        let mut plain = Vec::new();
        for (s, q) in f.usable() {
            if f.is_question(s) {
                continue;
            }
            if !f.hedges_in[s].is_empty() {
                hedged.push((s, q));
            } else if !f.has_doubt(s) && f.basis[s] != Basis::Unclear {
                plain.push((s, q));
            }
        }
        if hedged.is_empty() || plain.is_empty() {
            return Vec::new();
        }
        let hedged = spread(&hedged, 4);
        let plain = spread(&plain, (MAX_OPTIONS - hedged.len()).min(4));
        if hedged.len() + plain.len() < 3 {
            return Vec::new();
        }
        let mut opts = Vec::new();
        let mut subtle = false;
        for &(s, q) in &hedged {
            let hs = f.marker_texts(&f.a.hedges, &f.hedges_in[s]);
            // A lone modal verb is easier to read past than "reportedly" or "not confirmed".
            subtle |= hs
                .iter()
                .all(|h| ["could", "may", "might", "would", "can"].contains(&h.to_lowercase().as_str()));
            opts.push(sentence_option(
                q,
                true,
                format!("Signals uncertainty: {}.", join_quoted(&hs)),
            ));
        }
        for &(_, q) in &plain {
            opts.push(sentence_option(
                q,
                false,
                "States it as certain: no word of doubt such as “may”, “likely” or “reportedly”.".into(),
            ));
        }
        let n = opts.len();
        let content = ExerciseContent {
            prompt: "Which of these statements signal that something is uncertain? Choose all that apply."
                .into(),
            response_type: ResponseType::MultipleResponse,
            passage: None,
            options: in_text_order(opts),
            difficulty: difficulty(subtle as u32 + (n >= 6) as u32),
            scoring: ScoringMode::Partial,
            rubric: None,
            confidence: 1.0,
            needs_review: false,
            review_notes: Vec::new(),
        };
        vec![self.exercise(ExerciseKind::HedgedClaims, "article", content)]
    }
}
