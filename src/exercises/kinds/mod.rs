//! The per-article exercise kinds, one file each. Each builder returns nothing when the
//! article doesn't support the kind well enough for an unambiguous key: a missing exercise
//! costs a teacher less than a wrong key.

mod anonymous_sources;
mod author_opinion;
mod claim_chain;
mod hedged_claims;
mod interview_voice;
mod loaded_language;
mod piece_type;
mod reflection;
mod source_of_claim;

use std::collections::BTreeSet;

use super::facts::{Basis, Facts};
use super::model::{Exercise, ExerciseContent, ExerciseKind, ExerciseOption, Quote, ResponseType};
use super::options::{option_id, quote_subject};
use super::statements;
use super::text::exercise_id;
use super::text::shorten;
use super::ArticleRef;

pub(crate) fn all(article: &ArticleRef) -> Vec<Exercise> {
    let f = Facts::new(article.text, article.analysis);
    let g = Gen { article, f: &f };
    let mut out = Vec::new();
    out.extend(g.anonymous_sources());
    out.extend(g.source_of_claim());
    out.extend(g.author_opinion());
    out.extend(g.hedged_claims());
    out.extend(g.loaded_language());
    out.extend(g.claim_chain());
    out.extend(g.interview_voice());
    out.extend(g.piece_type());
    out.extend(g.reflection());
    // Safety net: whatever a builder missed (an option-id hash collision, say), nothing
    // malformed leaves the generator.
    out.retain(|e| {
        e.content.validate().is_ok()
            && (e.content.response_type != ResponseType::MultipleResponse || e.content.options.len() >= 3)
    });
    // An article that supports few exercises a teacher can assign as they stand (one
    // source, no hedge, findings only sure enough for drafts) gets more questions on claims
    // the writer makes with no source: their premise is the surest the generator has.
    let publishable = |out: &[Exercise]| out.iter().filter(|e| !e.content.needs_review).count();
    for rank in 1..=MAX_EXTRA_CLAIMS {
        if publishable(&out) >= MIN_PUBLISHABLE {
            break;
        }
        out.extend(
            g.writer_claim_reflection(rank)
                .into_iter()
                .filter(|e| e.content.validate().is_ok()),
        );
    }
    out
}

/// An article should offer a teacher at least this many exercises that need no review.
const MIN_PUBLISHABLE: usize = 4;
/// Most extra writer's-claim questions added to reach [`MIN_PUBLISHABLE`].
const MAX_EXTRA_CLAIMS: usize = 2;

pub(crate) struct Gen<'g, 'a> {
    pub(crate) article: &'g ArticleRef<'a>,
    pub(crate) f: &'g Facts<'a>,
}

/// Findings the analysis is less sure of than this are left out of every option.
pub(crate) const KEEP_ABOVE: f32 = 0.6;
/// Below this the generator does not offer the exercise at all.
const DROP_BELOW: f32 = 0.6;
/// Below this the exercise is offered as a draft marked `needs_review`.
pub(crate) const REVIEW_BELOW: f32 = 0.7;
/// Below this a doubt is worth a review note even when the exercise is sure enough.
const NOTE_BELOW: f32 = 0.85;

/// What a builder was unsure of while keying one exercise: each finding it rests on, with
/// the analysis's confidence in it and a note a teacher can check.
#[derive(Debug, Default)]
pub(crate) struct Doubts(Vec<(f32, String)>);

impl Doubts {
    pub(crate) fn add(&mut self, confidence: f32, note: impl Into<String>) {
        self.0.push((confidence.clamp(0.0, 1.0), note.into()));
    }

    pub(crate) fn confidence(&self) -> f32 {
        self.0.iter().map(|(c, _)| *c).fold(1.0, f32::min)
    }
}

impl Gen<'_, '_> {
    /// The exercise with its confidence and review notes, or `None` when too unsure.
    pub(crate) fn exercise(
        &self,
        kind: ExerciseKind,
        subject: &str,
        mut content: ExerciseContent,
        doubts: Doubts,
    ) -> Option<Exercise> {
        let confidence = doubts.confidence();
        if confidence < DROP_BELOW {
            return None;
        }
        let mut notes: Vec<(f32, String)> = doubts.0.into_iter().filter(|(c, _)| *c < NOTE_BELOW).collect();
        notes.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        notes.dedup_by(|a, b| a.1 == b.1);
        // Two decimals: enough for a teacher, and stable in JSON.
        content.confidence = (confidence * 100.0).round() / 100.0;
        content.needs_review = confidence < REVIEW_BELOW;
        content.review_notes = notes
            .into_iter()
            .map(|(c, n)| format!("{n} (confidence {:.2})", c))
            .collect();
        Some(Exercise {
            id: exercise_id(self.article.content_hash, kind, subject),
            kind,
            content,
        })
    }

    /// The option for statement `q` (sentence `s`), long ones trimmed to the clauses that
    /// hold `keep`; the id stays that of the whole sentence, so trimming never changes it.
    pub(crate) fn statement_option(
        &self,
        q: &Quote,
        keep: Option<(usize, usize)>,
        correct: bool,
        explanation: String,
    ) -> ExerciseOption {
        let (part, text) = statements::option_text(&self.f.doc, q, keep);
        ExerciseOption {
            id: option_id(&format!("s{}", quote_subject(q))),
            text,
            quote: Some(part),
            article_hash: None,
            correct,
            explanation,
        }
    }

    /// Whether the piece is laid out as questions and answers (a numbered or labelled
    /// interview), where every unsourced line is the interviewer's; a prose interview, told
    /// by the writer around the interviewee's reported words, is not.
    pub(crate) fn questions_and_answers(&self) -> bool {
        let f = self.f;
        f.a.genre == crate::analysis::Genre::Interview
            && f.usable().filter(|&(s, _)| f.is_question(s)).count() >= 2
    }

    /// Where a piece the analysis does not read as an interview turns into questions and
    /// answers: the start of the first paragraph that is a turn, when at least two paragraphs
    /// open with a speaker's label ("Question:", "Secretary Pompeo:", "((WN))"), or at least
    /// two are a question and the title or the introduction calls the piece an interview.
    /// From there on a line may be the interviewer's or the interviewee's: none is keyed as
    /// the writer's own (a writer's claim, the writer's opinion).
    pub(crate) fn turns_from(&self) -> Option<usize> {
        let f = self.f;
        if f.a.genre == crate::analysis::Genre::Interview {
            return None;
        }
        let (paras, labelled, questions) = self.turn_paragraphs();
        if labelled.len() >= 2 {
            return labelled.first().copied();
        }
        let first_question = *questions.first()?;
        let says_interview = std::iter::once(self.article.title)
            .chain(
                paras
                    .iter()
                    .filter(|&&(at, _)| at < first_question)
                    .map(|&(_, t)| t),
            )
            .any(|t| t.to_lowercase().contains("interview"));
        (questions.len() >= 2 && says_interview).then_some(first_question)
    }

    /// The body's paragraphs (start, text), and the starts of those that open with a
    /// speaker's label and of those that are a question.
    fn turn_paragraphs(&self) -> (Vec<(usize, &str)>, Vec<usize>, Vec<usize>) {
        let f = self.f;
        let paras: Vec<(usize, &str)> =
            f.a.paragraphs
                .iter()
                .filter(|p| !p.clutter)
                .filter_map(|p| Some((p.start, f.doc.slice(p.start, p.end)?.trim())))
                .collect();
        let labelled: Vec<usize> = paras
            .iter()
            .filter(|(_, t)| super::text::speaker_label(t))
            .map(|&(at, _)| at)
            .collect();
        let questions: Vec<usize> = paras
            .iter()
            .filter(|(_, t)| t.trim_end_matches(['"', '”', ' ']).ends_with('?') && !t.starts_with(['"', '“']))
            .map(|&(at, _)| at)
            .collect();
        (paras, labelled, questions)
    }

    /// Where the first turn of a question-and-answer piece starts (its first labelled or
    /// question paragraph): what comes before is the writer's introduction.
    pub(crate) fn first_turn(&self) -> Option<usize> {
        let (_, labelled, questions) = self.turn_paragraphs();
        labelled.into_iter().chain(questions).min()
    }

    /// Whether sentence `s` lies in the questions and answers of a piece the analysis does
    /// not read as an interview (see [`Gen::turns_from`]).
    pub(crate) fn in_turns(&self, s: usize) -> bool {
        self.turns_from()
            .is_some_and(|at| self.f.a.sentences.get(s).is_some_and(|x| x.start >= at))
    }

    /// Whether sentence `s` is plainly the writer's own words: no attribution, no word of
    /// saying or source word, no quotation (opened here or earlier), not a question, and at
    /// least `min_words` long. The surest finding the generator has about a sentence.
    pub(crate) fn plainly_writers(&self, s: usize, min_words: usize) -> bool {
        let f = self.f;
        let Some(q) = &f.stmt[s] else { return false };
        f.basis[s] == Basis::Unsourced
            && matches!(
                f.a.sentences[s].voice,
                crate::analysis::Voice::AuthorReport | crate::analysis::Voice::AuthorOpinion
            )
            && f.basis_conf(s) >= KEEP_ABOVE
            && !f.has_source_words(s)
            && !super::text::words(&q.text)
                .iter()
                .any(|w| super::lists::get().reporting_cues.contains(w))
            && !f.is_question(s)
            && !f.inside_quotation(s)
            && !q.text.contains(['"', '“', '”'])
            && super::text::words(&q.text).len() >= min_words
            && !self.in_turns(s)
    }

    /// Notes how sure the analysis is of whose word sentence `s` is.
    pub(crate) fn doubt_basis(&self, doubts: &mut Doubts, s: usize) {
        let Some(q) = &self.f.stmt[s] else { return };
        let who = match self.f.basis[s] {
            Basis::Unsourced => "the writer's own, no source given".to_string(),
            _ => self.basis_evidence(s),
        };
        doubts.add(
            self.f.basis_conf(s),
            format!("whose word “{}” is: {who}", shorten(&q.text, 70)),
        );
    }

    /// Evidence for a sentence's sources, joined.
    pub(crate) fn basis_evidence(&self, s: usize) -> String {
        let ev: Vec<String> = self
            .f
            .origins(s)
            .iter()
            .map(|&i| self.f.source_evidence(i))
            .collect();
        let mut text = ev.join("; ");
        let relays: BTreeSet<usize> = self
            .f
            .origins(s)
            .iter()
            .filter_map(|&i| self.f.relay_of[i])
            .collect();
        for r in relays {
            if let Some(name) = self.f.source_name(r) {
                text.push_str(&format!(", passed on through {}", name.text));
            }
        }
        text
    }
}
