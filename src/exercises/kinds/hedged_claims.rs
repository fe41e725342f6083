//! The hedged-claims kind: which statements signal that something is uncertain.

use super::super::facts::Basis;
use super::super::lists::{self, HedgeStrength};
use super::super::model::{Exercise, ExerciseContent, ExerciseKind, ResponseType, ScoringMode};
use super::super::options::{difficulty, in_text_order, join_quoted, spread, MAX_OPTIONS};
use super::super::text::{shorten, words};
use super::{Doubts, Gen, KEEP_ABOVE};

impl Gen<'_, '_> {
    /// How surely hedge marker `m` signals doubt about the claim (see
    /// `data/exercises/hedge_strength.txt`); the month May and "may not be reached" not at all.
    fn hedge_conf(&self, m: usize) -> f32 {
        let f = self.f;
        let mk = &f.a.hedges[m];
        let t = mk.text.trim();
        let sentence_start = f.stmt[mk.sentence].as_ref().is_some_and(|q| q.start == mk.start);
        if t == "May" && !sentence_start {
            return 0.0;
        }
        let after: String = f
            .doc
            .slice(mk.end, (mk.end + 16).min(f.doc.char_len()))
            .unwrap_or("")
            .to_lowercase();
        if after.trim_start().starts_with("not be reached") {
            return 0.0;
        }
        match lists::get().hedge_strength(t) {
            HedgeStrength::Strong => 0.9,
            HedgeStrength::Middling if self.modal_doubt(m) => 0.85,
            HedgeStrength::Middling => 0.65,
            HedgeStrength::Never => 0.0,
        }
    }

    /// Whether a middling hedge reads as doubt by where it stands: "may" or "might" as the
    /// verb of its clause with the claim going on after it ("the building may collapse as the
    /// earth …", "AI might wipe out humanity"), not in a relative or concessive clause ("tiny
    /// droplets that may be released", "however unequal … might be,") nor closing one ("what
    /// a book might be."); "unknown" as what something is ("who is responsible is currently
    /// unknown"), not a modifier ("of unknown cause").
    fn modal_doubt(&self, m: usize) -> bool {
        let f = self.f;
        let mk = &f.a.hedges[m];
        let t = mk.text.trim().to_lowercase();
        let Some(q) = f.stmt[mk.sentence].as_ref() else {
            return false;
        };
        let before = f.doc.slice(q.start, mk.start).unwrap_or("");
        let after = f.doc.slice(mk.end, q.end).unwrap_or("");
        let prev: Vec<String> = words(before).into_iter().rev().take(2).collect();
        match t.as_str() {
            "may" | "might" => {
                const CLAUSE_OPENERS: &[&str] = &[
                    "that", "which", "who", "whom", "where", "when", "what", "whatever", "however", "how",
                    "than", "if", "whether",
                ];
                // The verb after the modal, then more of the clause: "might be," ends it.
                let mut toks = after.split_whitespace();
                let verb = toks.next().unwrap_or("");
                let goes_on = toks.next().is_some();
                let verb_ok =
                    verb.chars().all(|c| c.is_lowercase() || c == '-') && !verb.is_empty() && verb != "have";
                let opener = before.to_lowercase().contains("however")
                    || prev.first().is_some_and(|w| CLAUSE_OPENERS.contains(&w.as_str()));
                !prev.is_empty() && verb_ok && goes_on && !opener
            }
            "unknown" => {
                const COPULA: &[&str] = &[
                    "is",
                    "are",
                    "was",
                    "were",
                    "remains",
                    "remain",
                    "still",
                    "currently",
                ];
                prev.first().is_some_and(|w| COPULA.contains(&w.as_str()))
            }
            _ => false,
        }
    }

    pub(super) fn hedged_claims(&self) -> Vec<Exercise> {
        let f = self.f;
        let mut strong = Vec::new();
        let mut plain = Vec::new();
        for (s, q) in f.usable() {
            if f.is_question(s) {
                continue;
            }
            let best = f.hedges_in[s]
                .iter()
                .map(|&m| self.hedge_conf(m))
                .fold(0.0, f32::max);
            if best >= 0.8 {
                strong.push((s, q));
            } else if f.hedges_in[s].is_empty()
                && !f.has_doubt(s)
                && f.basis[s] != Basis::Unclear
                && !f.inside_quotation(s)
            {
                plain.push((s, q));
            }
        }
        // Clear hedges only: a middling one ("may", "might") is as often a concession
        // ("however unequal … might be") or a noun ("military might") as a doubt, so its
        // sentence is neither keyed nor offered as certain.
        let mut hedged = spread(&strong, 4);
        hedged.sort_by_key(|&(s, _)| s);
        if hedged.is_empty() || plain.is_empty() {
            return Vec::new();
        }
        let plain = spread(&plain, (MAX_OPTIONS - hedged.len()).min(4));
        if hedged.len() + plain.len() < 3 {
            return Vec::new();
        }
        let mut opts = Vec::new();
        let mut doubts = Doubts::default();
        let mut subtle = false;
        for &(s, q) in &hedged {
            let ms: Vec<usize> = f.hedges_in[s]
                .iter()
                .copied()
                .filter(|&m| self.hedge_conf(m) >= KEEP_ABOVE)
                .collect();
            let hs = f.marker_texts(&f.a.hedges, &ms);
            let c = ms.iter().map(|&m| self.hedge_conf(m)).fold(0.0, f32::max);
            doubts.add(
                c,
                format!(
                    "that {} in “{}” signals doubt",
                    join_quoted(&hs),
                    shorten(&q.text, 60)
                ),
            );
            // A lone modal verb is easier to read past than "reportedly" or "not confirmed".
            subtle |= c < 0.8;
            opts.push(self.statement_option(
                q,
                f.hedge_keep(s),
                true,
                format!("Signals uncertainty: {}.", join_quoted(&hs)),
            ));
        }
        for &(_, q) in &plain {
            opts.push(self.statement_option(
                q,
                None,
                false,
                "States it as certain: no word of doubt such as ‘may’, ‘likely’ or ‘reportedly’.".into(),
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
        self.exercise(ExerciseKind::HedgedClaims, "article", content, doubts)
            .into_iter()
            .collect()
    }
}
