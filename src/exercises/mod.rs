//! Exercise generation and grading: turns an article's [`Analysis`] into exercises with
//! answer keys, and scores students' answers. Pure: no I/O, no clock, no randomness, so the
//! same text and generator version always give the same exercises with the same ids.
//!
//! What each file owns:
//! - `mod.rs`: the entry points ([`generate`], [`compare_articles`]), [`ArticleRef`] and
//!   [`GENERATOR_VERSION`].
//! - `model.rs`: the exercise types (teacher view with key, separate student view without
//!   it), [`ExerciseContent::validate`] for teacher edits and the seeded option shuffle.
//! - `grading.rs`: [`Answer`], [`validate_answer`] and [`grade`].
//! - `text.rs`: char-offset quoting, hashing and the UUIDv5 exercise ids.
//! - `cues.rs`: whether a weak cue introduces a claim (a clause, a quotation) or names an act.
//! - `facts.rs`: what the generators read off an analysis (usable sentences with clutter
//!   skipped, the source class of each statement, relays), computed once per article.
//! - `kinds/`: the per-article kinds, one file each (anonymous sources, source of a claim,
//!   author opinion, hedges, loaded language, claim chain, piece type, interview voice,
//!   reflection).
//! - `options.rs`: what every kind shares to build options (ids, sentence options, picking
//!   and ordering them, the lists that keep arguable options out).
//! - `compare.rs`: the cross-article kind.
//! - `fixtures/` (tests only): hand-built analyses that mirror the seed articles, one file
//!   per seed beside the builder.
//! - `tests/`: generator tests, one file per subject (determinism and ids, well-formedness,
//!   keys a teacher would set on the seeds, robustness against any analysis); model and
//!   grading tests sit in their files.
//!
//! Identity. An exercise id is UUIDv5 over (lowercased article hash, kind, subject), with
//! no generator version in it, so a teacher's correction stored under an id still matches
//! after a regeneration. Subjects: `article` for the one-per-article kinds
//! (anonymous_sources, author_opinion, hedged_claims, piece_type); `s<start>-<end>` (the
//! statement's char offsets) for source_of_claim, claim_chain and reflection;
//! `p<start>-<end>` (the passage) for loaded_language; for compare_articles the article
//! hashes sorted and joined with `+` stand for the article hash and the subject names the
//! question (`most_unnamed_sources`, `states_topic_as_fact`, `most_hedged`, `most_loaded`).
//! Option ids are short hashes of what the option is about (statement offsets, source
//! name, article hash), so they too survive regeneration; piece_type uses the fixed ids
//! `news_report`, `interview`, `opinion`.
//!
//! Trust. A wrong key teaches the wrong thing, so the generators use the analysis only
//! where it is self-consistent: quotes are cut from the article text itself (never copied
//! from the analysis) and only where the analysis text matches; clutter, title, byline and
//! half-quotation fragments are never quoted; a sentence whose sources disagree, or whose
//! source span doesn't read like a source, is left out of every key; distractors that could
//! arguably be right (a "plain" sentence with a doubt word the lexicon missed, a "neutral"
//! word that often carries feeling, a source sharing a name word with the key) are dropped.
//! A kind the article doesn't support well enough is not generated at all.

mod compare;
mod cues;
mod facts;
mod grading;
mod kinds;
mod lists;
mod model;
mod names;
mod options;
pub mod review_page;
mod statements;
mod text;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod seed_checks;
#[cfg(test)]
mod tests;

pub use grading::{grade, validate_answer, Answer, AnswerError, Grade, OptionFeedback};
pub use model::{
    ContentError, Difficulty, Exercise, ExerciseContent, ExerciseKind, ExerciseOption, Quote, ResponseType,
    ScoringMode, StudentExercise, StudentOption,
};

use crate::analysis::Analysis;

/// Bumped whenever the generator's output changes. Not part of exercise ids (see
/// [`Exercise::id`]), so stored teacher corrections survive a bump.
pub const GENERATOR_VERSION: u32 = 15;

/// One article as the generator sees it.
#[derive(Debug, Clone, Copy)]
pub struct ArticleRef<'a> {
    /// Hex sha256 of `text`; the root of every exercise id.
    pub content_hash: &'a str,
    pub title: &'a str,
    pub text: &'a str,
    /// The analysis of `text`; its char offsets index into `text`.
    pub analysis: &'a Analysis,
}

/// The per-article exercises the analysis supports, in a fixed order.
pub fn generate(article: &ArticleRef) -> Vec<Exercise> {
    kinds::all(article)
}

/// Cross-article exercises for a set of articles on one topic.
pub fn compare_articles(articles: &[ArticleRef]) -> Vec<Exercise> {
    compare::all(articles)
}
