//! The hedged-claims kind: which statements signal that something is uncertain.

use super::super::facts::Basis;
use super::super::lists::{self, HedgeStrength};
use super::super::model::{Exercise, ExerciseContent, ExerciseKind, ResponseType, ScoringMode};
use super::super::options::{difficulty, in_text_order, join_quoted, spread, MAX_OPTIONS};
use super::super::text::shorten;
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
            HedgeStrength::Middling => 0.65,
            HedgeStrength::Never => 0.0,
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
