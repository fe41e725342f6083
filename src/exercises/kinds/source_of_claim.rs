//! The source-of-a-claim kind: who a statement comes from, the true source always offered.

use std::collections::BTreeSet;

use crate::analysis::{SourceKind, Voice};

use super::super::facts::Basis;
use super::super::model::{
    Difficulty, Exercise, ExerciseContent, ExerciseKind, ExerciseOption, Quote, ResponseType, ScoringMode,
};
use super::super::options::{difficulty, in_text_order, option_id, quote_subject, spread};
use super::super::text::{content_words, norm, words};
use super::Gen;

impl Gen<'_, '_> {
    pub(super) fn source_of_claim(&self) -> Vec<Exercise> {
        let f = self.f;
        // Two names sharing a word ("one official", "U.S. intelligence officials"; "Judicial
        // Watch", "Judicial Watch revelations") could be read as the same source; never
        // offer both, and never one as a distractor for the other.
        let same_source = |a: &str, b: &str| {
            let wa: BTreeSet<String> = content_words(a).iter().map(|w| norm(w)).collect();
            content_words(b).iter().any(|w| wa.contains(&norm(w)))
        };
        // Every nameable source in the article, first mention first, one entry per name.
        let mut sources: Vec<(usize, Quote)> = Vec::new();
        for (s, _) in f.usable() {
            // Only sources of sentences whose attribution is trusted: an option must really
            // be "a source elsewhere in the article", as its explanation says.
            if !matches!(f.basis[s], Basis::Named | Basis::Unnamed) {
                continue;
            }
            for &i in &f.attrs_in[s] {
                let kind = f.a.attributions[i].source.as_ref().map(|x| x.kind);
                if kind.is_none() || kind == Some(SourceKind::Author) {
                    continue;
                }
                if let Some(name) = f.source_name(i) {
                    if !sources.iter().any(|(_, q)| same_source(&q.text, &name.text)) {
                        sources.push((i, name));
                    }
                }
            }
        }
        if sources.len() < 2 {
            return Vec::new();
        }

        // Claims: single-attribution sentences with no relay (claim_chain covers those).
        // One per kind of source, in this order — unnamed, a pronoun to resolve ("he said"),
        // a named person, an organization or document — each with a different name.
        let mut tiers: [Option<(usize, usize)>; 4] = [None; 4];
        for (s, _) in f.usable() {
            let [i] = f.attrs_in[s][..] else { continue };
            if f.relay_of[i].is_some() || f.relays.contains(&i) || f.source_name(i).is_none() {
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
            if tiers[tier].is_none() {
                tiers[tier] = Some((s, i));
            }
        }
        let mut picks: Vec<(usize, usize)> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for (s, i) in tiers.into_iter().flatten() {
            let Some(name) = f.source_name(i) else { continue };
            if picks.len() < 3 && !names.contains(&name.text) {
                names.push(name.text);
                picks.push((s, i));
            }
        }
        picks.sort_unstable();

        let none_id = option_id("no-source");
        let mut out = Vec::new();
        for (s, i) in picks {
            let (Some(q), Some(name)) = (&f.stmt[s], f.source_name(i)) else {
                continue;
            };
            let evidence = f.source_evidence(i);
            let mut opts = vec![ExerciseOption {
                id: option_id(&format!("src:{}", name.text.to_lowercase())),
                text: name.text.clone(),
                quote: Some(name.clone()),
                article_hash: None,
                correct: true,
                explanation: format!("Right: it comes from {evidence}."),
            }];
            // Distractors spread over the article's sources, so they mix named and unnamed
            // ones rather than always being the first three mentioned.
            let others: Vec<&(usize, Quote)> = sources
                .iter()
                .filter(|(_, o)| !same_source(&o.text, &name.text))
                .collect();
            for (_, other) in spread(&others, 3) {
                opts.push(ExerciseOption {
                    id: option_id(&format!("src:{}", other.text.to_lowercase())),
                    text: other.text.clone(),
                    quote: Some(other.clone()),
                    article_hash: None,
                    correct: false,
                    explanation: format!(
                        "Not for this statement: {} is a source elsewhere in the article. This one comes from {evidence}.",
                        other.text
                    ),
                });
            }
            if opts.len() < 3 {
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
            out.push(self.exercise(
                ExerciseKind::SourceOfClaim,
                &format!("s{}", quote_subject(q)),
                content,
            ));
        }

        // One statement the writer makes with no source, when the article has such: the
        // skill is noticing that nobody vouches for it.
        let title_words: BTreeSet<String> = content_words(self.article.title).into_iter().collect();
        let author = f
            .usable()
            .filter(|&(s, _)| {
                f.basis[s] == Basis::Unsourced
                    && f.a.sentences[s].voice == Voice::AuthorReport
                    && !f.has_source_words(s)
                    && !f.is_question(s)
                    && words(f.stmt[s].as_ref().map(|q| q.text.as_str()).unwrap_or("")).len() >= 8
            })
            .max_by_key(|&(s, q)| {
                let hits = content_words(&q.text)
                    .iter()
                    .filter(|w| title_words.contains(*w))
                    .count();
                (hits, std::cmp::Reverse(s))
            });
        if let Some((_, q)) = author {
            let mut opts: Vec<ExerciseOption> = spread(&sources, 3)
                .iter()
                .map(|(_, other)| ExerciseOption {
                    id: option_id(&format!("src:{}", other.text.to_lowercase())),
                    text: other.text.clone(),
                    quote: Some(other.clone()),
                    article_hash: None,
                    correct: false,
                    explanation: format!(
                        "Not for this statement: {} is a source elsewhere in the article; this statement names no source.",
                        other.text
                    ),
                })
                .collect();
            opts.push(ExerciseOption {
                id: none_id,
                text: "No source is given".into(),
                quote: None,
                article_hash: None,
                correct: true,
                explanation: "Right: the writer states this as fact and names nobody it comes from — \
                              no “said”, “according to” or similar."
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
            out.push(self.exercise(
                ExerciseKind::SourceOfClaim,
                &format!("s{}", quote_subject(q)),
                content,
            ));
        }
        out
    }
}
