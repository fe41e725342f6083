//! The reflection kind: a free-text question on what to check before sharing a weakly sourced claim.

use std::collections::BTreeSet;

use super::super::facts::Basis;
use super::super::model::{Difficulty, Exercise, ExerciseContent, ExerciseKind, ResponseType, ScoringMode};
use super::super::options::{join_quoted, quote_subject};
use super::super::text::{content_words, is_stopword, shorten, words};
use super::{Doubts, Gen};

impl Gen<'_, '_> {
    pub(super) fn reflection(&self) -> Vec<Exercise> {
        let f = self.f;
        let title_words: BTreeSet<String> = content_words(self.article.title).into_iter().collect();
        // The most consequential claim resting on unnamed or relayed sources: unnamed and
        // relayed both weigh, stated without doubt weighs more, loaded wording and closeness
        // to the headline too.
        let mut best: Option<(u32, usize, usize)> = None;
        for (s, q) in f.usable() {
            if !matches!(f.basis[s], Basis::Unnamed | Basis::Named) {
                continue;
            }
            for i in f.origins(s) {
                let unnamed = f.a.attributions[i]
                    .source
                    .as_ref()
                    .is_none_or(|x| x.kind.is_unnamed());
                let relayed = f.relay_of[i].is_some();
                if !unnamed && !relayed {
                    continue;
                }
                let headline = content_words(&q.text)
                    .iter()
                    .filter(|w| title_words.contains(*w))
                    .count();
                let weight = 2 * unnamed as u32
                    + 2 * relayed as u32
                    + (!f.has_doubt(s)) as u32
                    + (!f.loaded_in[s].is_empty()) as u32
                    + headline.min(3) as u32;
                if best.is_none_or(|(w, _, _)| weight > w) {
                    best = Some((weight, s, i));
                }
            }
        }
        // Below this weight the claim is too minor to be worth a teacher's grading time.
        let Some((_, s, i)) = best.filter(|&(w, _, _)| w >= 4) else {
            return Vec::new();
        };
        let Some(sentence) = f.stmt[s].clone() else {
            return Vec::new();
        };
        let at = &f.a.attributions[i];
        let claim = at
            .content
            .as_ref()
            .and_then(|c| f.doc.quote(c.start, c.end))
            // A content span that is a fragment ("… assertions and") would misquote the
            // claim; fall back to the whole sentence.
            .filter(|c| {
                let ws = words(&c.text);
                sentence.start <= c.start
                    && c.end <= sentence.end
                    && ws.len() >= 6
                    && ws.last().is_some_and(|w| !is_stopword(w))
            })
            .map(|c| c.text)
            .unwrap_or_else(|| sentence.text.clone());
        let claim = claim.trim_matches(['“', '”', '"', ' ']);
        // "told officials that X" has content "that X"; the claim is X.
        let claim = claim.strip_prefix("that ").unwrap_or(claim);
        // Quotation marks inside the quoted claim become single ones, so the prompt's own
        // quotes stay readable.
        let claim = shorten(claim, 160).replace('“', "‘").replace('”', "’");
        let mut points = vec![format!(
            "Notices who the claim rests on: {}.",
            f.source_evidence(i)
        )];
        if let Some(r) = f.relay_of[i] {
            if let Some(rn) = f.source_name(r) {
                points.push(format!(
                    "Would find the original {} report and check what it actually says and whom it cites.",
                    rn.text
                ));
            }
        }
        points.push(
            "Would look for other outlets, ideally with named sources or official records, that confirm or contradict it."
                .into(),
        );
        points.push(
            "Asks why the source might not be named or what the source gains, and how the source could know."
                .into(),
        );
        if f.has_doubt(s) {
            points.push(
                "Notices the words of doubt in the sentence and does not pass the claim on as certain."
                    .into(),
            );
        }
        if !f.loaded_in[s].is_empty() {
            let ls = f.marker_texts(&f.a.loaded_terms, &f.loaded_in[s]);
            points.push(format!(
                "Notices the loaded wording ({}) and separates it from the facts.",
                join_quoted(&ls)
            ));
        }
        let rubric = format!(
            "A good answer names at least two concrete checks and says why each matters. Look for:\n- {}\nFull credit: two relevant checks with reasons. Half credit: one check, or checks without reasons.",
            points.join("\n- ")
        );
        let content = ExerciseContent {
            prompt: format!(
                "What would you check before sharing the claim that “{claim}”? Name two checks and say why each one matters."
            ),
            response_type: ResponseType::FreeText,
            passage: Some(sentence.clone()),
            options: Vec::new(),
            difficulty: Difficulty::Medium,
            scoring: ScoringMode::Partial,
            rubric: Some(rubric),
            confidence: 1.0,
            needs_review: false,
            review_notes: Vec::new(),
        };
        let mut doubts = Doubts::default();
        doubts.add(
            f.attr_conf(i),
            format!("that the claim rests on {}", f.source_evidence(i)),
        );
        if let Some(r) = f.relay_of[i] {
            doubts.add(
                f.attr_conf(r),
                format!("that it was passed on by {}", f.source_evidence(r)),
            );
        }
        self.exercise(
            ExerciseKind::Reflection,
            &format!("s{}", quote_subject(&sentence)),
            content,
            doubts,
        )
        .into_iter()
        .collect()
    }
}
