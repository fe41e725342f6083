//! The loaded-language kind: which words of a passage are loaded rather than descriptive.

use std::collections::BTreeSet;

use super::super::lists;
use super::super::model::{
    Exercise, ExerciseContent, ExerciseKind, ExerciseOption, Quote, ResponseType, ScoringMode,
};
use super::super::options::{
    difficulty, in_text_order, join_quoted, option_id, quote_subject, spread, EVALUATIVE_ENDINGS,
};
use super::super::text::{is_stopword, words};
use super::{Doubts, Gen};

impl Gen<'_, '_> {
    /// The loaded terms of sentence `s` that are loaded in nearly any use: not one news copy
    /// mostly means literally ("destroyed", "regime"), not inside someone's quotation marks.
    fn keyable_loaded(&self, s: usize) -> Vec<usize> {
        let f = self.f;
        f.loaded_in[s]
            .iter()
            .copied()
            .filter(|&m| {
                let t = f.a.loaded_terms[m].text.trim().to_lowercase();
                !words(&t).iter().any(|w| lists::get().literal_loaded.contains(w))
            })
            .collect()
    }

    pub(super) fn loaded_language(&self) -> Vec<Exercise> {
        let f = self.f;
        // The paragraph with the most loaded terms in quotable sentences.
        let mut best: Option<(usize, Vec<usize>)> = None;
        let paragraphs: BTreeSet<usize> = f.usable().map(|(s, _)| f.a.sentences[s].paragraph).collect();
        for p in paragraphs {
            let sents: Vec<usize> = f
                .usable()
                .map(|(s, _)| s)
                .filter(|&s| f.a.sentences[s].paragraph == p)
                .collect();
            let n: usize = sents.iter().map(|&s| self.keyable_loaded(s).len()).sum();
            if n > 0 && best.as_ref().is_none_or(|(bn, _)| n > *bn) {
                best = Some((n, sents));
            }
        }
        let Some((_, mut sents)) = best else {
            return Vec::new();
        };
        // Keep the passage short enough to read in one go: trim to the sentences that
        // carry loaded terms, then to the single richest sentence.
        let span_len = |ss: &[usize]| match (ss.first(), ss.last()) {
            (Some(&a), Some(&b)) => f.a.sentences[b].end.saturating_sub(f.a.sentences[a].start),
            _ => 0,
        };
        if span_len(&sents) > 700 {
            let first = sents
                .iter()
                .position(|&s| !self.keyable_loaded(s).is_empty())
                .unwrap_or(0);
            let last = sents
                .iter()
                .rposition(|&s| !self.keyable_loaded(s).is_empty())
                .unwrap_or(0);
            sents = sents[first..=last].to_vec();
        }
        if span_len(&sents) > 700 {
            let richest = sents
                .iter()
                .copied()
                .max_by_key(|&s| (self.keyable_loaded(s).len(), std::cmp::Reverse(s)));
            sents = richest.into_iter().collect();
        }
        let (Some(&first), Some(&last)) = (sents.first(), sents.last()) else {
            return Vec::new();
        };
        let Some(passage) = f.doc.quote(f.a.sentences[first].start, f.a.sentences[last].end) else {
            return Vec::new();
        };
        // The passage may span a skipped sentence between usable ones; never quote clutter.
        if sents.windows(2).any(|w| w[1] != w[0] + 1) {
            return Vec::new();
        }

        let mut loaded: Vec<Quote> = Vec::new();
        for &s in &sents {
            for m in self.keyable_loaded(s) {
                let mk = &f.a.loaded_terms[m];
                if let Some(q) = f.doc.quote(mk.start, mk.end) {
                    if !loaded.iter().any(|l| l.text.eq_ignore_ascii_case(&q.text)) {
                        loaded.push(q);
                    }
                }
            }
        }
        let loaded = spread(&loaded, 4);
        let neutral = self.neutral_phrases(&passage, &sents, 6 - loaded.len().min(3));
        if loaded.is_empty() || neutral.is_empty() || loaded.len() + neutral.len() < 3 {
            return Vec::new();
        }
        let mut opts = Vec::new();
        for q in &loaded {
            opts.push(ExerciseOption {
                id: option_id(&format!("p{}", quote_subject(q))),
                text: q.text.clone(),
                quote: Some(q.clone()),
                article_hash: None,
                correct: true,
                explanation: format!(
                    "Loaded: “{}” carries a judgement or strong feeling, not just a description.",
                    q.text
                ),
            });
        }
        for q in &neutral {
            opts.push(ExerciseOption {
                id: option_id(&format!("p{}", quote_subject(q))),
                text: q.text.clone(),
                quote: Some(q.clone()),
                article_hash: None,
                correct: false,
                explanation: format!("Neutral: “{}” just says what or who; it doesn't judge.", q.text),
            });
        }
        // Single loaded words hidden among many options are harder to pick out.
        let n = opts.len();
        let content = ExerciseContent {
            prompt: "Read the passage. Which of these words or phrases are loaded — chosen to make you feel something rather than just describe? Choose all that apply."
                .into(),
            response_type: ResponseType::MultipleResponse,
            passage: Some(passage.clone()),
            options: in_text_order(opts),
            difficulty: difficulty((n >= 6) as u32 + (passage.text.chars().count() > 400) as u32),
            scoring: ScoringMode::Partial,
            rubric: None,
            confidence: 1.0,
            needs_review: false,
            review_notes: Vec::new(),
        };
        let mut doubts = Doubts::default();
        doubts.add(
            0.8,
            format!(
                "that {} carry judgement (the loaded-words list) and the other words do not",
                join_quoted(&loaded.iter().map(|q| q.text.clone()).collect::<Vec<_>>())
            ),
        );
        self.exercise(
            ExerciseKind::LoadedLanguage,
            &format!("p{}", quote_subject(&passage)),
            content,
            doubts,
        )
        .into_iter()
        .collect()
    }

    /// Plain words from the passage to stand beside its loaded terms: lowercase
    /// content words only, clear of every marker, and clear of words that often carry
    /// feeling, so a neutral option is never arguably loaded.
    pub(super) fn neutral_phrases(&self, passage: &Quote, sents: &[usize], want: usize) -> Vec<Quote> {
        let f = self.f;
        let loaded_words: BTreeSet<String> = f.a.loaded_terms.iter().flat_map(|m| words(&m.text)).collect();
        let mut blocked: Vec<(usize, usize)> = Vec::new();
        for &s in sents {
            for &m in &f.loaded_in[s] {
                blocked.push((f.a.loaded_terms[m].start, f.a.loaded_terms[m].end));
            }
            for &m in &f.hedges_in[s] {
                blocked.push((f.a.hedges[m].start, f.a.hedges[m].end));
            }
            for &i in &f.attrs_in[s] {
                let at = &f.a.attributions[i];
                blocked.push((at.cue.start, at.cue.end));
            }
        }
        // Tokens with char offsets.
        let mut toks: Vec<(usize, usize, String)> = Vec::new();
        let mut cur: Option<usize> = None;
        let chars: Vec<char> = passage.text.chars().collect();
        // Words inside quotation marks are someone's chosen words (“sham”, “invade”): never
        // offered as neutral.
        let mut quoted = vec![false; chars.len() + 1];
        let mut open = false;
        for (k, &c) in chars.iter().enumerate() {
            if c == '“' || (c == '"' && !open) {
                open = true;
            } else if c == '”' || c == '"' {
                open = false;
            }
            quoted[k] = open;
        }
        for (k, &c) in chars.iter().chain(std::iter::once(&' ')).enumerate() {
            let inner = (c == '-' || c == '\'' || c == '’')
                && cur.is_some()
                && chars.get(k + 1).is_some_and(|n| n.is_alphabetic());
            if c.is_alphabetic() || inner {
                cur.get_or_insert(k);
            } else if let Some(b) = cur.take() {
                if !quoted[b] {
                    toks.push((passage.start + b, passage.start + k, chars[b..k].iter().collect()));
                }
            }
        }
        // Single plain words rather than two-word windows: a window often straddles a
        // phrase boundary ("cartels felt"), which reads as a trick, not a phrase.
        let plain = |w: &str| {
            let lw = w.to_lowercase();
            w.chars().next().is_some_and(|c| c.is_lowercase())
                && w.chars().count() >= 5
                && !is_stopword(&lw)
                && !lists::get().vague_words.contains(&lw)
                && !loaded_words.contains(&lw)
                && !lists::get().is_feeling(&lw)
                // Adverbs and adjectives ("flagrantly", "nefarious", "massive") and verb forms
                // are where judgement hides; plain nouns are safely neutral.
                && !EVALUATIVE_ENDINGS.iter().any(|e| lw.ends_with(e))
        };
        let mut cands: Vec<Quote> = Vec::new();
        for (start, end, w) in &toks {
            if !plain(w) || blocked.iter().any(|&(s, e)| s < *end && *start < e) {
                continue;
            }
            if let Some(q) = f.doc.quote(*start, *end) {
                cands.push(q);
            }
        }
        let mut out: Vec<Quote> = Vec::new();
        for q in spread(&cands, want) {
            if !out.iter().any(|o| o.text.eq_ignore_ascii_case(&q.text)) {
                out.push(q);
            }
        }
        out
    }
}
