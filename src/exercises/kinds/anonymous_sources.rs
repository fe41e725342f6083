//! The anonymous-sources kind: which statements rest on sources the article does not name.

use super::super::facts::Basis;
use super::super::lists;
use super::super::model::{Exercise, ExerciseContent, ExerciseKind, ResponseType, ScoringMode};
use super::super::options::{difficulty, in_text_order, pick, spread, MAX_OPTIONS};
use super::{Doubts, Gen, KEEP_ABOVE};
use crate::analysis::Voice;

/// Whether a description goes on to name its source: two capitalised words in a row after
/// its first word ("Another expert, Bong Young-shik", "a spokesman, John Smith").
fn gives_a_name(text: &str) -> bool {
    let caps: Vec<bool> = text
        .split_whitespace()
        .skip(1)
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
        })
        .collect();
    caps.windows(2).any(|w| w[0] && w[1])
}

impl Gen<'_, '_> {
    pub(super) fn anonymous_sources(&self) -> Vec<Exercise> {
        let f = self.f;
        let mut correct = Vec::new();
        let mut named = Vec::new();
        let mut writer = Vec::new();
        for (s, q) in f.usable() {
            if f.basis_conf(s) < KEEP_ABOVE || f.is_question(s) {
                continue;
            }
            // An unnamed source the text shows ("two officials"), not a bare "reportedly"
            // or "allegedly", which a teacher would not call a source.
            // Named by what they are ("two officials", "witnesses"), not "we", "many" or a
            // description that goes on to give a name ("another expert, Bong Young-shik").
            let shown = f.origins(s).iter().all(|&i| {
                f.a.attributions[i].source.as_ref().is_some_and(|src| {
                    src.kind.is_unnamed()
                        && src.refers_to.is_none()
                        && f.option_name(i).is_some()
                        && lists::get().names_people(&src.text)
                        && !gives_a_name(&src.text)
                })
            });
            match f.basis[s] {
                Basis::Unnamed if shown => correct.push((s, q)),
                Basis::Named => named.push((s, q)),
                Basis::Unsourced if f.a.sentences[s].voice != Voice::Attributed => writer.push((s, q)),
                _ => {}
            }
        }
        if correct.is_empty() {
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
        let room = (MAX_OPTIONS - correct.len()).min(4);
        let named = spread(&named, room);
        // The writer's own statements fill in when the article names few sources.
        let writer = spread(&writer, room.saturating_sub(named.len()).min(2));
        if named.len() + writer.len() == 0 || correct.len() + named.len() + writer.len() < 3 {
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
        let mut doubts = Doubts::default();
        for &(s, q) in &correct {
            self.doubt_basis(&mut doubts, s);
            opts.push(self.statement_option(
                q,
                f.attr_keep(s),
                true,
                format!("Comes from {}.", self.basis_evidence(s)),
            ));
        }
        for &(s, q) in &named {
            self.doubt_basis(&mut doubts, s);
            opts.push(self.statement_option(
                q,
                f.attr_keep(s),
                false,
                format!("Not unnamed: it comes from {}.", self.basis_evidence(s)),
            ));
        }
        for &(s, q) in &writer {
            self.doubt_basis(&mut doubts, s);
            opts.push(self.statement_option(
                q,
                None,
                false,
                "Not from an unnamed source: the writer states this and gives no source for it.".into(),
            ));
        }
        let n = opts.len();
        let content = ExerciseContent {
            prompt:
                "Which of these statements come from a source the article does not name (an unnamed person or group)? Choose all that apply."
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
        self.exercise(ExerciseKind::AnonymousSources, "article", content, doubts)
            .into_iter()
            .collect()
    }
}
