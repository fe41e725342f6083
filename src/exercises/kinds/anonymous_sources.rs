//! The anonymous-sources kind: which statements rest on sources the article does not name.

use super::super::facts::Basis;
use super::super::lists;
use super::super::model::{Exercise, ExerciseContent, ExerciseKind, ResponseType, ScoringMode};
use super::super::options::{difficulty, in_text_order, pick, sentence_option, spread, MAX_OPTIONS};
use super::Gen;

impl Gen<'_, '_> {
    pub(super) fn anonymous_sources(&self) -> Vec<Exercise> {
        let f = self.f;
        let mut correct = Vec::new();
        let mut named = Vec::new();
        for (s, q) in f.usable() {
            match f.basis[s] {
                Basis::Unnamed => correct.push((s, q)),
                Basis::Named => named.push((s, q)),
                _ => {}
            }
        }
        if correct.is_empty() || named.is_empty() {
            return Vec::new();
        }
        // Sources that announce their anonymity, or reach the writer second-hand, are the
        // anchor examples a teacher would not leave out.
        let announced = |s: usize| {
            f.origins(s).iter().any(|&i| {
                f.relay_of[i].is_some()
                    || f.a.attributions[i]
                        .source
                        .as_ref()
                        .is_some_and(|src| lists::get().announces_anonymity(&src.text))
            })
        };
        let (prio, rest): (Vec<_>, Vec<_>) = correct.iter().partition(|&&(s, _)| announced(s));
        let correct = pick(&prio, &rest, 4);
        let named = spread(&named, (MAX_OPTIONS - correct.len()).min(4));
        if correct.len() + named.len() < 3 {
            return Vec::new();
        }
        // Unnamed sources that sound official ("U.S. intelligence officials") are harder to
        // spot than ones that announce it ("who requested anonymity").
        let subtle = correct.iter().any(|&(s, _)| {
            f.origins(s).iter().any(|&i| {
                f.a.attributions[i]
                    .source
                    .as_ref()
                    .is_some_and(|src| !lists::get().announces_anonymity(&src.text))
            })
        });
        let relayed = correct
            .iter()
            .any(|&(s, _)| f.origins(s).iter().any(|&i| f.relay_of[i].is_some()));
        let mut opts = Vec::new();
        for &(s, q) in &correct {
            opts.push(sentence_option(
                q,
                true,
                format!("Rests on {}.", self.basis_evidence(s)),
            ));
        }
        for &(s, q) in &named {
            opts.push(sentence_option(
                q,
                false,
                format!("Not unnamed: it rests on {}.", self.basis_evidence(s)),
            ));
        }
        let n = opts.len();
        let content = ExerciseContent {
            prompt:
                "Which of these statements rest on sources the article does not name? Choose all that apply."
                    .into(),
            response_type: ResponseType::MultipleResponse,
            passage: None,
            options: in_text_order(opts),
            difficulty: difficulty(subtle as u32 + relayed as u32 + (n >= 6) as u32),
            scoring: ScoringMode::Partial,
            rubric: None,
            confidence: 1.0,
            needs_review: false,
            review_notes: Vec::new(),
        };
        vec![self.exercise(ExerciseKind::AnonymousSources, "article", content)]
    }
}
