//! The claim-chain kind: how a claim reached the writer (who said it, who passed it on).

use super::super::model::{
    Difficulty, Exercise, ExerciseContent, ExerciseKind, ExerciseOption, ResponseType, ScoringMode,
};
use super::super::options::{capitalize, option_id, quote_subject};
use super::{Doubts, Gen};

/// Most chains asked about per article.
const MAX_ITEMS: usize = 5;

impl Gen<'_, '_> {
    pub(super) fn claim_chain(&self) -> Vec<Exercise> {
        let f = self.f;
        let mut out = Vec::new();
        for (s, q) in f.usable() {
            if out.len() >= MAX_ITEMS {
                break;
            }
            let mut doubts = Doubts::default();
            let relayed: Vec<(usize, usize)> = f
                .origins(s)
                .into_iter()
                .filter_map(|i| f.relay_of[i].map(|r| (i, r)))
                .collect();
            let content = if let [(o, r)] = relayed[..] {
                let (Some(on), Some(rn)) = (f.option_name(o), f.option_name(r)) else {
                    continue;
                };
                if f.same_source(o, r) {
                    continue;
                }
                doubts.add(
                    f.attr_conf(o),
                    format!("that the claim starts with {}", f.source_evidence(o)),
                );
                doubts.add(
                    f.attr_conf(r),
                    format!("that it was passed on by {}", f.source_evidence(r)),
                );
                let unnamed = f.a.attributions[o]
                    .source
                    .as_ref()
                    .is_some_and(|x| x.kind.is_unnamed());
                let relay_ev = f.source_evidence(r);
                let opts = vec![
                    ExerciseOption {
                        id: option_id("chain:relayed"),
                        text: format!("It comes from {}, passed on through {}", on.text, rn.text),
                        quote: Some(on.clone()),
                        article_hash: None,
                        correct: true,
                        explanation: format!(
                            "Right: the claim starts with {} and reaches the writer through {}.",
                            f.source_evidence(o),
                            relay_ev
                        ),
                    },
                    ExerciseOption {
                        id: option_id("chain:direct-origin"),
                        text: capitalize(&format!("{} told the writer directly", on.text)),
                        quote: Some(on.clone()),
                        article_hash: None,
                        correct: false,
                        explanation: format!(
                            "The writer did not hear it from {} but through {}.",
                            on.text, relay_ev
                        ),
                    },
                    ExerciseOption {
                        id: option_id("chain:relay-own"),
                        text: capitalize(&format!("{} found it out first-hand", rn.text)),
                        quote: Some(rn.clone()),
                        article_hash: None,
                        correct: false,
                        explanation: format!(
                            "{} only passes on what someone else said: the claim starts with {}.",
                            rn.text,
                            f.source_evidence(o)
                        ),
                    },
                    ExerciseOption {
                        id: option_id("chain:none"),
                        text: "No source is given: the writer states it".into(),
                        quote: None,
                        article_hash: None,
                        correct: false,
                        explanation: format!("The sentence gives two sources: {} and {}.", on.text, rn.text),
                    },
                ];
                ExerciseContent {
                    prompt: "How did this claim reach the writer?".into(),
                    response_type: ResponseType::SingleChoice,
                    passage: Some(q.clone()),
                    options: opts,
                    difficulty: if unnamed {
                        Difficulty::Hard
                    } else {
                        Difficulty::Medium
                    },
                    scoring: ScoringMode::AllOrNothing,
                    rubric: None,
                    confidence: 1.0,
                    needs_review: false,
                    review_notes: Vec::new(),
                }
            } else if let [i] = f.attrs_in[s][..] {
                if !f.is_lone_outlet(i) {
                    continue;
                }
                let Some(rn) = f.option_name(i) else { continue };
                // "what a New York Times report says", not "… report reported".
                let is_document = f.a.attributions[i]
                    .source
                    .as_ref()
                    .is_some_and(|x| x.kind == crate::analysis::SourceKind::Document);
                let ev = f.source_evidence(i);
                doubts.add(f.attr_conf(i), format!("that the claim is credited to {ev}"));
                let opts = vec![
                    ExerciseOption {
                        id: option_id("chain:outlet"),
                        text: if is_document {
                            format!("The writer passes on what {} says", rn.text)
                        } else {
                            format!("The writer passes on what {} reported", rn.text)
                        },
                        // No highlight: it would be the only option with one, giving the key
                        // away in the student view.
                        quote: None,
                        article_hash: None,
                        correct: true,
                        explanation: format!(
                            "Right: it comes from {ev}; the writer did not find it out first-hand."
                        ),
                    },
                    ExerciseOption {
                        id: option_id("chain:named-person"),
                        text: "A named person told the writer directly".into(),
                        quote: None,
                        article_hash: None,
                        correct: false,
                        explanation: format!(
                            "No person is named for this claim; it is credited to {}.",
                            rn.text
                        ),
                    },
                    ExerciseOption {
                        id: option_id("chain:unnamed"),
                        text: "Unnamed sources told the writer".into(),
                        quote: None,
                        article_hash: None,
                        correct: false,
                        explanation: format!("The source is named: it comes from {ev}."),
                    },
                    ExerciseOption {
                        id: option_id("chain:none"),
                        text: "No source is given: the writer states it".into(),
                        quote: None,
                        article_hash: None,
                        correct: false,
                        explanation: format!("A source is given: it comes from {ev}."),
                    },
                ];
                ExerciseContent {
                    prompt: "How did this claim reach the writer?".into(),
                    response_type: ResponseType::SingleChoice,
                    passage: Some(q.clone()),
                    options: opts,
                    difficulty: Difficulty::Easy,
                    scoring: ScoringMode::AllOrNothing,
                    rubric: None,
                    confidence: 1.0,
                    needs_review: false,
                    review_notes: Vec::new(),
                }
            } else {
                continue;
            };
            out.extend(self.exercise(
                ExerciseKind::ClaimChain,
                &format!("s{}", quote_subject(q)),
                content,
                doubts,
            ));
        }
        out
    }
}
