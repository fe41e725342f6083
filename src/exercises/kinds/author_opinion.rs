//! The author-opinion kind: which statements are the writer's own opinion rather than reported information.

use crate::analysis::{Genre, Voice};

use super::super::facts::Basis;
use super::super::model::{Exercise, ExerciseContent, ExerciseKind, ResponseType, ScoringMode};
use super::super::options::{
    difficulty, in_text_order, is_first_person, join_quoted, pick, sentence_option, spread, MAX_OPTIONS,
};
use super::Gen;

impl Gen<'_, '_> {
    /// A short stretch of the sentence that shows it is the writer's judgement.
    pub(super) fn opinion_evidence(&self, s: usize) -> String {
        let f = self.f;
        let Some(q) = &f.stmt[s] else {
            return String::new();
        };
        let toks: Vec<&str> = q.text.split_whitespace().collect();
        if let Some(k) = toks.iter().position(|t| is_first_person(t)) {
            if toks.len() <= 8 {
                return format!("the writer speaks for themself — “{}”", q.text);
            }
            let end = (k + 2).min(toks.len());
            return format!(
                "the writer speaks for themself — “{}”",
                toks[k..end].join(" ").trim_end_matches([',', '.', ';'])
            );
        }
        let judged = f.marker_texts(&f.a.loaded_terms, &f.loaded_in[s]);
        if !judged.is_empty() {
            return format!("judging words: {}", join_quoted(&judged));
        }
        let hedges = f.marker_texts(&f.a.hedges, &f.hedges_in[s]);
        if !hedges.is_empty() {
            return format!("a guess about what will happen: {}", join_quoted(&hedges));
        }
        let opening: Vec<&str> = toks.iter().take(6).copied().collect();
        format!(
            "a judgement or prediction of the writer's that no one could check as fact (“{}…”)",
            opening.join(" ").trim_end_matches([',', '.', ';'])
        )
    }

    pub(super) fn author_opinion(&self) -> Vec<Exercise> {
        let f = self.f;
        // In an interview the answers are the interviewee's, not the writer's: asking for
        // "the author's opinion" there would confuse more than teach.
        if f.a.genre == Genre::Interview {
            return Vec::new();
        }
        let mut opinion = Vec::new();
        let mut report = Vec::new();
        let mut attributed = Vec::new();
        for (s, q) in f.usable() {
            if f.is_question(s) {
                continue;
            }
            match (f.a.sentences[s].voice, f.basis[s]) {
                (Voice::AuthorOpinion, Basis::Unsourced | Basis::Author) => opinion.push((s, q)),
                // The writer's own reports, but not ones leaning on judging words or "we".
                (Voice::AuthorReport, Basis::Unsourced)
                    if f.loaded_in[s].is_empty()
                        && !f.has_feeling_words(s)
                        && !f.has_doubt(s)
                        && !f.has_source_words(s)
                        && !q.text.split_whitespace().any(is_first_person) =>
                {
                    report.push((s, q))
                }
                (Voice::Attributed, Basis::Named | Basis::Unnamed) => attributed.push((s, q)),
                _ => {}
            }
        }
        if opinion.is_empty() || report.len() + attributed.len() == 0 {
            return Vec::new();
        }
        let (prio, rest): (Vec<_>, Vec<_>) = opinion
            .iter()
            .partition(|&&(s, _)| self.opinion_evidence(s).starts_with("the writer speaks"));
        let opinion = pick(&prio, &rest, 4);
        let room = (MAX_OPTIONS - opinion.len()).min(4);
        let n_report = report
            .len()
            .min(room.div_ceil(2).max(room.saturating_sub(attributed.len())));
        let report = spread(&report, n_report);
        let attributed = spread(&attributed, room - report.len());
        if opinion.len() + report.len() + attributed.len() < 3 {
            return Vec::new();
        }
        let mut opts = Vec::new();
        for &(s, q) in &opinion {
            opts.push(sentence_option(
                q,
                true,
                format!("The writer's opinion: {}.", self.opinion_evidence(s)),
            ));
        }
        for &(_, q) in &report {
            opts.push(sentence_option(
                q,
                false,
                "Reported as fact: the writer states it as something that is the case, with no judging or guessing words — a claim you could check."
                    .into(),
            ));
        }
        for &(s, q) in &attributed {
            opts.push(sentence_option(
                q,
                false,
                format!("Reported information: it comes from {}.", self.basis_evidence(s)),
            ));
        }
        // Opinions without "I" are harder to spot.
        let no_first_person = opinion
            .iter()
            .filter(|&&(s, _)| !self.opinion_evidence(s).starts_with("the writer speaks"))
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
        vec![self.exercise(ExerciseKind::AuthorOpinion, "article", content)]
    }
}
