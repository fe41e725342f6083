//! The per-article exercise kinds, one file each. Each builder returns nothing when the
//! article doesn't support the kind well enough for an unambiguous key: a missing exercise
//! costs a teacher less than a wrong key.

mod anonymous_sources;
mod author_opinion;
mod claim_chain;
mod hedged_claims;
mod loaded_language;
mod piece_type;
mod reflection;
mod source_of_claim;

use std::collections::BTreeSet;

use super::facts::Facts;
use super::model::{Exercise, ExerciseContent, ExerciseKind, ResponseType};
use super::text::exercise_id;
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
    out.extend(g.piece_type());
    out.extend(g.reflection());
    // Safety net: whatever a builder missed (an option-id hash collision, say), nothing
    // malformed leaves the generator.
    out.retain(|e| {
        e.content.validate().is_ok()
            && (e.content.response_type != ResponseType::MultipleResponse || e.content.options.len() >= 3)
    });
    out
}

pub(crate) struct Gen<'g, 'a> {
    pub(crate) article: &'g ArticleRef<'a>,
    pub(crate) f: &'g Facts<'a>,
}

impl Gen<'_, '_> {
    pub(crate) fn exercise(&self, kind: ExerciseKind, subject: &str, content: ExerciseContent) -> Exercise {
        Exercise {
            id: exercise_id(self.article.content_hash, kind, subject),
            kind,
            content,
        }
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
