//! Owns source entities: the source phrases of one article grouped into the sources they
//! name ("Ana Ruiz" … "Ms. Ruiz" … "she"), and the anonymity evidence of unnamed sources
//! ("who was not authorized to speak publicly", "on condition of anonymity").

use super::lexicon;
use super::model::{Attribution, Entity, SourceKind, Span};
use super::tokenize::{Doc, Token};

/// Titles and honorifics that are not part of the name itself.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sen",
    "rep",
    "gov",
    "gen",
    "sir",
    "dame",
    "lord",
    "lady",
    "prof",
    "president",
    "senator",
    "governor",
    "mayor",
    "judge",
    "justice",
    "secretary",
    "minister",
    "chancellor",
    "premier",
    "prime",
    "chief",
    "director",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "professor",
    "general",
    "col",
    "lt",
    "sgt",
    "capt",
    "adm",
    "rev",
    "father",
    "the",
    "a",
    "an",
    "former",
    "then",
    "acting",
    "deputy",
    "vice",
    "u.s",
    "state",
    "us",
];

/// Lowercased name words of a phrase: its capitalised words, titles dropped.
fn name_words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .map(|w| w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")).unwrap_or(w))
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .map(str::to_lowercase)
        .filter(|w| !TITLES.contains(&w.as_str()))
        .collect()
}

/// Lowercased words with determiners and possessives dropped, for comparing descriptions.
fn description_key(text: &str) -> String {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|w| {
            !w.is_empty() && !matches!(w.as_str(), "the" | "a" | "an" | "his" | "her" | "their" | "its")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn acronym(words: &[String]) -> String {
    words
        .iter()
        .filter(|w| !matches!(w.as_str(), "of" | "and" | "for" | "on" | "the"))
        .filter_map(|w| w.chars().next())
        .collect()
}

struct Group {
    kind: SourceKind,
    mentions: Vec<Span>,
    /// Name words of the fullest name seen.
    names: Vec<String>,
    key: String,
}

fn same_source(g: &Group, kind: SourceKind, names: &[String], key: &str) -> bool {
    if g.kind == SourceKind::Author || kind == SourceKind::Author {
        return g.kind == kind;
    }
    if !key.is_empty() && g.key == key {
        return true;
    }
    match (g.kind, kind) {
        (SourceKind::NamedPerson, SourceKind::NamedPerson) => {
            // "Ana Ruiz" … "Ms. Ruiz" / "Ruiz": the surname agrees and no first name clashes.
            match (g.names.last(), names.last()) {
                (Some(a), Some(b)) if a == b => {
                    let (fa, fb) = (g.names.first(), names.first());
                    g.names.len() == 1 || names.len() == 1 || fa == fb
                }
                _ => false,
            }
        }
        (SourceKind::NamedOrganization, SourceKind::NamedOrganization) => {
            if g.names.is_empty() || names.is_empty() {
                return false;
            }
            let (short, long) = if g.names.len() <= names.len() {
                (&g.names[..], names)
            } else {
                (names, &g.names[..])
            };
            let contained = short.iter().all(|w| long.contains(w));
            let acro = short.len() == 1 && long.len() >= 2 && short[0] == acronym(long);
            contained || acro
        }
        _ => false,
    }
}

/// Groups the attributions' sources into entities and sets `Attribution::entity`; finds the
/// anonymity evidence of unnamed sources and sets `Attribution::anonymity`.
pub fn link(doc: &Doc, tokens: &[Token], attrs: &mut [Attribution]) -> Vec<Entity> {
    let mut groups: Vec<Group> = Vec::new();
    let mut anonymity: Vec<Option<Span>> = Vec::new();
    for at in attrs.iter_mut() {
        at.anonymity = at
            .source
            .as_ref()
            .filter(|s| s.kind.is_unnamed())
            .and_then(|s| anonymity_near(doc, tokens, s.start, s.end, at.cue.end));
        let Some(src) = at.source.as_ref() else {
            continue;
        };
        let mention = Span {
            start: src.start,
            end: src.end,
            text: src.text.clone(),
        };
        let kind = src.kind;
        // A resolved pronoun joins the entity of its referent.
        let referent = src.refers_to.as_ref().unwrap_or(&mention);
        let by_span = groups.iter().position(|g| {
            g.mentions
                .iter()
                .any(|m| m.start == referent.start && m.end == referent.end)
        });
        let names = name_words(&referent.text);
        let named = matches!(kind, SourceKind::NamedPerson | SourceKind::NamedOrganization);
        let key = if named && !names.is_empty() {
            names.join(" ")
        } else {
            description_key(&referent.text)
        };
        let found = by_span.or_else(|| {
            if src.refers_to.is_none()
                && lexicon::get().is_head(&src.text.to_lowercase(), lexicon::HeadClass::Pronoun)
            {
                // An unresolved pronoun: its own entity, never merged by text.
                return None;
            }
            groups
                .iter()
                .rposition(|g| same_source(g, kind, if named { &names } else { &[] }, &key))
        });
        let gi = match found {
            Some(gi) => gi,
            None => {
                groups.push(Group {
                    kind,
                    mentions: Vec::new(),
                    names: if named { names.clone() } else { Vec::new() },
                    key: key.clone(),
                });
                anonymity.push(None);
                groups.len() - 1
            }
        };
        let g = &mut groups[gi];
        if named && names.len() > g.names.len() {
            g.names = names;
        }
        g.mentions.push(mention);
        if anonymity[gi].is_none() {
            anonymity[gi] = at.anonymity.clone();
        }
        at.entity = Some(gi);
    }
    groups
        .into_iter()
        .zip(anonymity)
        .enumerate()
        .map(|(id, (g, anonymity))| {
            let name = best_name(&g.mentions);
            Entity {
                id,
                kind: g.kind,
                name,
                mentions: g.mentions,
                anonymity,
            }
        })
        .collect()
}

/// The mention that names the entity best: the one with most capitalised words, then the
/// longest, then the first.
fn best_name(mentions: &[Span]) -> Span {
    let score = |m: &Span| {
        let caps = m
            .text
            .split_whitespace()
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .count();
        (caps.min(4), m.text.chars().count().min(60))
    };
    let mut best = &mentions[0];
    for m in &mentions[1..] {
        if score(m) > score(best) {
            best = m;
        }
    }
    best.clone()
}

/// An anonymity phrase inside the source phrase or in the few words around it and the cue.
fn anonymity_near(doc: &Doc, tokens: &[Token], start: usize, end: usize, cue_end: usize) -> Option<Span> {
    let lo = start.saturating_sub(40);
    let hi = end.max(cue_end) + 80;
    let a = tokens.partition_point(|t| t.start < lo);
    let b = tokens.partition_point(|t| t.start < hi);
    let window = &tokens[a..b];
    let (s, e) = lexicon::get()
        .anonymity
        .find(window)
        .into_iter()
        .min_by_key(|&(s, _)| window[s].start.abs_diff(start))?;
    Some(doc.span(window[s].start, window[e - 1].end))
}
