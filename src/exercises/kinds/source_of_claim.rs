//! The source-of-a-claim kind: who a statement comes from, the true source always offered.

use std::collections::BTreeSet;

use crate::analysis::{SourceKind, Voice};

use super::super::facts::Basis;
use super::super::model::{
    Difficulty, Exercise, ExerciseContent, ExerciseKind, ExerciseOption, Quote, ResponseType, ScoringMode,
};
use super::super::options::{capitalize, difficulty, in_text_order, option_id, quote_subject, spread};
use super::super::text::{content_words, words};
use super::{Doubts, Gen, KEEP_ABOVE, REVIEW_BELOW};

/// Most statements asked about per article: more is the same skill again.
const MAX_ITEMS: usize = 6;

impl Gen<'_, '_> {
    fn source_option(&self, name: &Quote, correct: bool, explanation: String) -> ExerciseOption {
        ExerciseOption {
            id: option_id(&format!("src:{}", name.text.to_lowercase())),
            text: capitalize(&name.text),
            quote: Some(name.clone()),
            article_hash: None,
            correct,
            explanation,
        }
    }

    pub(super) fn source_of_claim(&self) -> Vec<Exercise> {
        let f = self.f;
        // Every nameable source in the article, first mention first, one entry per source:
        // only sources of sentences whose attribution is trusted, so an option really is
        // "a source elsewhere in the article", as its explanation says.
        let mut sources: Vec<(usize, Quote)> = Vec::new();
        for (s, _) in f.usable() {
            if !matches!(f.basis[s], Basis::Named | Basis::Unnamed) || f.basis_conf(s) < KEEP_ABOVE {
                continue;
            }
            for i in f.origins(s).into_iter().chain(f.relay_of_sentence(s)) {
                let Some(name) = f.option_name(i) else { continue };
                if !sources.iter().any(|&(j, _)| f.same_source(i, j)) {
                    sources.push((i, name));
                }
            }
        }
        // One real source is still enough for the writer's-claim question below: it sets
        // the source against "No source is given", the contrast the kind teaches.
        if sources.is_empty() {
            return Vec::new();
        }

        // Claims: sentences with one trusted origin and no relay (claim_chain covers
        // those). One per kind of source first — unnamed, a pronoun to resolve ("he
        // said"), a named person, an organization or document — then more of any kind,
        // each with a different source.
        let mut cands: Vec<(u8, usize, usize)> = Vec::new();
        for (s, _) in f.usable() {
            let [i] = f.origins(s)[..] else { continue };
            if f.relay_of[i].is_some() || f.is_question(s) || f.basis_conf(s) < KEEP_ABOVE {
                continue;
            }
            if f.option_name(i).is_none() {
                continue;
            }
            let Some(src) = f.a.attributions[i].source.as_ref() else {
                continue;
            };
            let tier = match src.kind {
                SourceKind::UnnamedPerson | SourceKind::UnnamedGroup => 0,
                SourceKind::NamedPerson if src.refers_to.is_some() => 1,
                SourceKind::NamedPerson => 2,
                SourceKind::NamedOrganization | SourceKind::Document => 3,
                SourceKind::Author => continue,
            };
            cands.push((tier, s, i));
        }
        // A source's surest statement first, so its item is published rather than a draft.
        cands.sort_by_key(|&(t, s, _)| (t, f.basis_conf(s) < REVIEW_BELOW, s));
        let mut picks: Vec<(usize, usize)> = Vec::new();
        for round in 0..2 {
            for tier in 0..4 {
                for &(t, s, i) in &cands {
                    if picks.len() >= MAX_ITEMS {
                        break;
                    }
                    let taken = picks.iter().any(|&(ps, pi)| ps == s || f.same_source(pi, i));
                    if t == tier && !taken {
                        picks.push((s, i));
                        if round == 0 {
                            break;
                        }
                    }
                }
            }
        }
        picks.sort_unstable();

        let none_id = option_id("no-source");
        let mut out = Vec::new();
        for (s, i) in picks {
            let (Some(q), Some(name)) = (&f.stmt[s], f.option_name(i)) else {
                continue;
            };
            let mut doubts = Doubts::default();
            self.doubt_basis(&mut doubts, s);
            let evidence = f.source_evidence(i);
            let mut opts = vec![self.source_option(&name, true, format!("Right: it comes from {evidence}."))];
            // Distractors spread over the article's sources, so they mix named and unnamed
            // ones rather than always being the first three mentioned; never another name
            // of the answer.
            let others: Vec<&(usize, Quote)> =
                sources.iter().filter(|&&(j, _)| !f.same_source(i, j)).collect();
            for (_, other) in spread(&others, 3) {
                opts.push(self.source_option(
                    other,
                    false,
                    format!(
                        "Not for this statement: {} is a source elsewhere in the article. This one comes from {evidence}.",
                        capitalize(&other.text)
                    ),
                ));
            }
            // The answer and one other real source, with "No source is given" a third:
            // enough for a single choice when the article names only two sources (the
            // answer alone against "No source is given" would be the only highlighted name).
            if opts.len() < 2 {
                continue;
            }
            let mut opts = in_text_order(opts);
            opts.push(ExerciseOption {
                id: none_id.clone(),
                text: "No source is given".into(),
                quote: None,
                article_hash: None,
                correct: false,
                explanation: format!("A source is given: it comes from {evidence}."),
            });
            let src = f.a.attributions[i].source.as_ref();
            let unnamed = src.is_some_and(|x| x.kind.is_unnamed());
            let pronoun = src.is_some_and(|x| x.refers_to.is_some());
            // A cue at the far end of a long sentence is easy to miss.
            let late_cue = f.a.attributions[i].cue.start > q.start + q.text.chars().count() / 2;
            let content = ExerciseContent {
                prompt: "Who is the source of this statement?".into(),
                response_type: ResponseType::SingleChoice,
                passage: Some(q.clone()),
                options: opts,
                difficulty: difficulty(unnamed as u32 + pronoun as u32 + late_cue as u32),
                scoring: ScoringMode::AllOrNothing,
                rubric: None,
                confidence: 1.0,
                needs_review: false,
                review_notes: Vec::new(),
            };
            out.extend(self.exercise(
                ExerciseKind::SourceOfClaim,
                &format!("s{}", quote_subject(q)),
                content,
                doubts,
            ));
        }

        // One statement the writer makes with no source, when the article has such: the
        // skill is noticing that nobody vouches for it. Not in a question-and-answer
        // interview, where the unsourced lines are the interviewer's.
        if self.questions_and_answers() {
            return out;
        }
        let title_words: BTreeSet<String> = content_words(self.article.title).into_iter().collect();
        let author = f
            .usable()
            .filter(|&(s, _)| {
                f.basis[s] == Basis::Unsourced
                    && f.a.sentences[s].voice == Voice::AuthorReport
                    && f.basis_conf(s) >= KEEP_ABOVE
                    && !f.has_source_words(s)
                    && !f.is_question(s)
                    && !f.inside_quotation(s)
                    // A sentence that quotes someone is that someone's, whoever the
                    // analysis found.
                    && !f.stmt[s].as_ref().is_some_and(|q| q.text.contains(['"', '“', '”']))
                    && words(f.stmt[s].as_ref().map(|q| q.text.as_str()).unwrap_or("")).len() >= 8
            })
            .max_by_key(|&(s, q)| {
                let hits = content_words(&q.text)
                    .iter()
                    .filter(|w| title_words.contains(*w))
                    .count();
                (hits, std::cmp::Reverse(s))
            });
        if let Some((s, q)) = author {
            let mut doubts = Doubts::default();
            self.doubt_basis(&mut doubts, s);
            let mut opts: Vec<ExerciseOption> = spread(&sources, 3)
                .iter()
                .map(|(_, other)| {
                    self.source_option(
                        other,
                        false,
                        format!(
                            "Not for this statement: {} is a source elsewhere in the article; this statement names no source.",
                            capitalize(&other.text)
                        ),
                    )
                })
                .collect();
            opts.push(ExerciseOption {
                id: none_id,
                text: "No source is given".into(),
                quote: None,
                article_hash: None,
                correct: true,
                explanation: "Right: the writer states this and names nobody it comes from — \
                              no ‘said’, ‘according to’ or similar."
                    .into(),
            });
            let content = ExerciseContent {
                prompt: "Who is the source of this statement?".into(),
                response_type: ResponseType::SingleChoice,
                passage: Some(q.clone()),
                options: opts,
                difficulty: Difficulty::Medium,
                scoring: ScoringMode::AllOrNothing,
                rubric: None,
                confidence: 1.0,
                needs_review: false,
                review_notes: Vec::new(),
            };
            out.extend(self.exercise(
                ExerciseKind::SourceOfClaim,
                &format!("s{}", quote_subject(q)),
                content,
                doubts,
            ));
        }
        out
    }
}
