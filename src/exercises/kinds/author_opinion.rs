//! The author-opinion kind: which statements are the writer's own opinion rather than reported information.

use crate::analysis::{Genre, Voice};

use super::super::facts::Basis;
use super::super::lists;
use super::super::model::{Exercise, ExerciseContent, ExerciseKind, ResponseType, ScoringMode};
use super::super::options::{difficulty, in_text_order, is_first_person, pick, spread, MAX_OPTIONS};
use super::super::text::{shorten, words};
use super::{Doubts, Gen, KEEP_ABOVE, REVIEW_BELOW};

/// A marker (lowercase words, straight apostrophes) as the sentence writes it, case aside;
/// the marker itself when not found.
fn as_written(text: &str, marker: &str) -> String {
    let fold = |t: &str| t.to_lowercase().replace('’', "'");
    let want = fold(marker);
    text.char_indices()
        .filter_map(|(b, _)| {
            let n = text[b..]
                .char_indices()
                .nth(want.chars().count())
                .map_or(text.len() - b, |(k, _)| k);
            text.get(b..b + n)
        })
        // A whole word: not "only" inside "commonly".
        .find(|cand| fold(cand) == want)
        .map(str::to_string)
        .unwrap_or_else(|| marker.to_string())
}

impl Gen<'_, '_> {
    /// The words of sentence `s` that show it is the writer's judgement, quoted, and how
    /// sure that makes it: a plain first-person opinion ("I suspect") 0.9, a judging word
    /// ("sadly", "sounds like") 0.8; anything else is no evidence a teacher would accept.
    pub(super) fn opinion_evidence(&self, s: usize) -> Option<(f32, String)> {
        let q = self.f.stmt[s].as_ref()?;
        let Some((first, marker)) = lists::get().opinion_marker(&q.text) else {
            return self.column_judgement(s);
        };
        let shown = as_written(&q.text, &marker);
        Some(if first {
            (0.9, format!("the writer speaks for themself — “{shown}”"))
        } else {
            (0.8, format!("the writer's own judging words — “{shown}”"))
        })
    }

    /// In a piece the analysis is sure is a column, a sentence it reads as the writer's
    /// judgement with no stock phrase to quote: less sure, and said so.
    fn column_judgement(&self, s: usize) -> Option<(f32, String)> {
        let f = self.f;
        let column = f.a.genre == Genre::Opinion && f.genre_conf() >= REVIEW_BELOW;
        // A word of saying ("commentators point to …") may be a source the analysis missed.
        let saying = f.stmt[s].as_ref().is_some_and(|q| {
            words(&q.text)
                .iter()
                .any(|w| lists::get().reporting_cues.contains(w))
        });
        let judged = f.a.sentences[s].voice == Voice::AuthorOpinion && f.basis[s] == Basis::Unsourced;
        if !column || !judged || saying || f.has_source_words(s) {
            return None;
        }
        // A word that weighs ("very explosive", "should", "worth considering") shows the
        // judgement; without one the sentence may well be a plain fact of the argument.
        let q = f.stmt[s].as_ref()?;
        let word = lists::get().weighing_word(&q.text)?;
        let shown = as_written(&q.text, &word);
        Some((
            0.75,
            format!("the writer weighs rather than reports — “{shown}” — and gives no source for it"),
        ))
    }

    pub(super) fn author_opinion(&self) -> Vec<Exercise> {
        let f = self.f;
        // In an interview the answers are the interviewee's, not the writer's: asking for
        // "the author's opinion" there would confuse more than teach.
        if f.a.genre == Genre::Interview {
            return Vec::new();
        }
        let column = f.a.genre == Genre::Opinion;
        let mut opinion = Vec::new();
        let mut report = Vec::new();
        let mut attributed = Vec::new();
        for (s, q) in f.usable() {
            // A question, or a line of questions and answers the analysis took for prose.
            if f.is_question(s) || self.in_turns(s) {
                continue;
            }
            match (f.a.sentences[s].voice, f.basis[s]) {
                // In a news report only the plainest judgements are keyed: a writer's voice
                // there is rare, and a guess would mark the reporter's facts as opinion.
                // Only sentences whose words show the judgement plainly; the analyzer's voice
                // alone is too often a reporter's fact read as opinion.
                (Voice::AuthorOpinion | Voice::AuthorReport, Basis::Unsourced | Basis::Author)
                    if self.opinion_evidence(s).is_some() && !f.inside_quotation(s) =>
                {
                    opinion.push((s, q))
                }
                // The writer's own reports, only in news pieces (in a column nearly every
                // unsourced line argues), and only plain checkable ones: a number or date,
                // no judging, feeling, doubt or source words, no "we".
                (Voice::AuthorReport, Basis::Unsourced)
                    if !column
                        && q.text.chars().any(|c| c.is_ascii_digit())
                        && f.loaded_in[s].is_empty()
                        && lists::get().opinion_words(&q.text).is_empty()
                        && !f.has_feeling_words(s)
                        && !f.has_doubt(s)
                        && !f.has_source_words(s)
                        && !q.text.split_whitespace().any(is_first_person) =>
                {
                    report.push((s, q))
                }
                (Voice::Attributed, Basis::Named | Basis::Unnamed) if f.basis_conf(s) >= KEEP_ABOVE => {
                    attributed.push((s, q))
                }
                _ => {}
            }
        }
        // The writer's voice must really be there: two clear judgements at least.
        if opinion.len() < 2 || report.len() + attributed.len() == 0 {
            return Vec::new();
        }
        let conf = |s: usize| self.opinion_evidence(s).map_or(0.0, |(c, _)| c);
        let (prio, rest): (Vec<_>, Vec<_>) = opinion.iter().partition(|&&(s, _)| conf(s) >= 0.9);
        // Judgements with words to quote first; the column's unmarked ones only fill in.
        let (marked, unmarked): (Vec<_>, Vec<_>) = rest.into_iter().partition(|&(s, _)| conf(s) >= 0.8);
        let mut opinion = pick(&prio, &marked, 4);
        opinion.extend(spread(&unmarked, 4 - opinion.len()));
        let room = (MAX_OPTIONS - opinion.len()).min(4);
        let n_report = report
            .len()
            .min((room / 2).max(room.saturating_sub(attributed.len())));
        let report = spread(&report, n_report);
        let attributed = spread(&attributed, room - report.len());
        if opinion.len() + report.len() + attributed.len() < 3 {
            return Vec::new();
        }
        let mut opts = Vec::new();
        let mut doubts = Doubts::default();
        for &(s, q) in &opinion {
            let Some((c, evidence)) = self.opinion_evidence(s) else {
                continue;
            };
            doubts.add(
                c,
                format!(
                    "that “{}” is the writer's opinion: {evidence}",
                    shorten(&q.text, 70)
                ),
            );
            opts.push(self.statement_option(q, None, true, format!("The writer's opinion: {evidence}.")));
        }
        for &(_, q) in &report {
            doubts.add(
                0.75,
                format!(
                    "that “{}” is a checkable fact the writer reports",
                    shorten(&q.text, 70)
                ),
            );
            opts.push(self.statement_option(
                q,
                None,
                false,
                "Reported as fact: the writer states something checkable (who, what, when, how many), with no judging or guessing words.".into(),
            ));
        }
        for &(s, q) in &attributed {
            self.doubt_basis(&mut doubts, s);
            opts.push(self.statement_option(
                q,
                f.attr_keep(s),
                false,
                format!("Reported information: it comes from {}.", self.basis_evidence(s)),
            ));
        }
        // Opinions without "I" are harder to spot.
        let no_first_person = opinion
            .iter()
            .filter(|&&(s, _)| self.opinion_evidence(s).is_some_and(|(c, _)| c < 0.9))
            .count();
        let n = opts.len();
        let content = ExerciseContent {
            prompt: "Which of these statements are the writer's own opinion rather than reported information? Choose all that apply."
                .into(),
            response_type: ResponseType::MultipleResponse,
            passage: None,
            options: in_text_order(opts),
            difficulty: difficulty((no_first_person > 0) as u32 + (n >= 6) as u32),
            scoring: ScoringMode::Partial,
            rubric: None,
            confidence: 1.0,
            needs_review: false,
            review_notes: Vec::new(),
        };
        self.exercise(ExerciseKind::AuthorOpinion, "article", content, doubts)
            .into_iter()
            .collect()
    }
}
