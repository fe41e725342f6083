//! What the generators read off one analysis, computed once: which sentences may be quoted
//! (clutter, title and byline skipped; offsets checked against the text), whose word each
//! statement rests on, and which attributions are relays of others.
//!
//! The generators trust the analysis only where a wrong answer key would be unlikely: a
//! sentence whose sources disagree (named and unnamed) or whose recorded text doesn't match
//! the article is left out rather than guessed at.

use std::collections::BTreeSet;

use crate::analysis::{Analysis, Attribution, SourceKind, Voice};

use super::lists;
use super::model::Quote;
use super::text::{content_words, is_stopword, norm, words, Doc};

/// Whose word a statement rests on, from the attributions that originate it (relays such as
/// "according to Bloomberg" don't count: they pass a claim on, they don't make it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Basis {
    /// No attribution: the writer says it.
    Unsourced,
    /// Only unnamed people/groups, or no source at all ("it was reported").
    Unnamed,
    /// Only named people, organizations or documents.
    Named,
    /// The writer speaking as a source ("I think").
    Author,
    /// Sources of different classes, or the voice says attributed but no attribution was
    /// found: not safe to build a key on.
    Unclear,
}

/// Pronouns that are sources only through the mention they refer to.
const PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i", "you", "him", "her", "them"];

pub(crate) struct Facts<'a> {
    pub doc: Doc<'a>,
    pub a: &'a Analysis,
    /// Per sentence: its trimmed quote when it may be shown to students.
    pub stmt: Vec<Option<Quote>>,
    /// Per sentence: indices of the attributions whose cue sits in it.
    pub attrs_in: Vec<Vec<usize>>,
    /// Per attribution: the attribution it was passed on through, if any.
    pub relay_of: Vec<Option<usize>>,
    /// Attributions that are relays of another one.
    pub relays: BTreeSet<usize>,
    /// Per sentence.
    pub basis: Vec<Basis>,
    /// Per sentence: indices of hedges / loaded terms that can be quoted.
    pub hedges_in: Vec<Vec<usize>>,
    pub loaded_in: Vec<Vec<usize>>,
    /// Per attribution: whether its source reads like a source (see `check_source`).
    pub plausible: Vec<bool>,
}

/// Cue words by which an outlet or group passes someone else's claim on.
const RELAY_CUES: &[&str] = &[
    "report",
    "reveal",
    "unearth",
    "via",
    "citing",
    "cited",
    "according to",
    "published",
];

/// Stopwords a source phrase may start with ("the officials", "two officials", "many").
const LEADING_OK: &[&str] = &[
    "the", "a", "an", "some", "one", "two", "his", "her", "their", "its", "our", "many",
];

/// The name in a named source's mention, without the description after it: "Francis
/// Taylor, under secretary for …" → "Francis Taylor".
fn name_part(q: Quote) -> Quote {
    let Some(cut) = q.text.find([',', '(']) else {
        return q;
    };
    let name = q.text[..cut].trim_end();
    if content_words(name).is_empty() {
        return q;
    }
    Quote {
        start: q.start,
        end: q.start + name.chars().count(),
        text: name.to_string(),
    }
}

fn is_according_to(a: &Attribution) -> bool {
    a.cue.text.trim().to_lowercase().starts_with("according to")
}

fn is_outlet_kind(k: SourceKind) -> bool {
    matches!(k, SourceKind::NamedOrganization | SourceKind::Document)
}

impl<'a> Facts<'a> {
    pub(crate) fn new(text: &'a str, a: &'a Analysis) -> Self {
        let doc = Doc::new(text);
        let n = a.sentences.len();
        let overlaps = |s: usize, e: usize, s2: usize, e2: usize| s < e2 && s2 < e;
        let stmt: Vec<Option<Quote>> = a
            .sentences
            .iter()
            .map(|s| {
                let para_ok = a.paragraphs.get(s.paragraph).is_some_and(|p| !p.clutter);
                let clutter = a.clutter.iter().any(|c| overlaps(s.start, s.end, c.start, c.end));
                let title = a
                    .title_span
                    .as_ref()
                    .is_some_and(|t| overlaps(s.start, s.end, t.start, t.end));
                // The analysis must describe this very text; otherwise quotes would lie.
                let matches = doc.slice(s.start, s.end) == Some(s.text.as_str());
                let q = doc.quote(s.start, s.end)?;
                let byline = q.text.starts_with("By ") && q.text.chars().count() < 80;
                let long_enough = words(&q.text).len() >= 4;
                // Half of a quotation split over sentences reads as a fragment; leave it out.
                let balanced = q.text.matches('“').count() == q.text.matches('”').count()
                    && q.text.matches('"').count() % 2 == 0;
                (para_ok && !clutter && !title && matches && !byline && long_enough && balanced).then_some(q)
            })
            .collect();

        let mut attrs_in = vec![Vec::new(); n];
        for (i, at) in a.attributions.iter().enumerate() {
            if let Some(v) = attrs_in.get_mut(at.sentence) {
                v.push(i);
            }
        }
        let marker_index = |ms: &[crate::analysis::Marker]| {
            let mut v = vec![Vec::new(); n];
            for (i, m) in ms.iter().enumerate() {
                let in_sentence = a
                    .sentences
                    .get(m.sentence)
                    .is_some_and(|s| s.start <= m.start && m.end <= s.end);
                if in_sentence && doc.slice(m.start, m.end) == Some(m.text.as_str()) {
                    v[m.sentence].push(i);
                }
            }
            v
        };
        let hedges_in = marker_index(&a.hedges);
        let loaded_in = marker_index(&a.loaded_terms);

        let m = a.attributions.len();
        let mut f = Facts {
            doc,
            a,
            stmt,
            attrs_in,
            relay_of: vec![None; m],
            relays: BTreeSet::new(),
            basis: Vec::new(),
            hedges_in,
            loaded_in,
            plausible: Vec::new(),
        };
        f.plausible = (0..m).map(|i| f.check_source(i)).collect();

        // Relays: explicit `relayed_from`, or an "according to <outlet>" next to another
        // attribution in the same sentence ("officials say X, according to Bloomberg").
        // A relay must be a believable named source other than the origin itself.
        let good_relay = |f: &Facts, i: usize, r: usize| {
            let named = f.a.attributions[r]
                .source
                .as_ref()
                .is_some_and(|s| !s.kind.is_unnamed() && s.kind != SourceKind::Author);
            let same = match (f.mention(i), f.mention(r)) {
                (Some(x), Some(y)) => x.text.eq_ignore_ascii_case(&y.text),
                _ => false,
            };
            // "According to X" / "X reported" pass a claim on by their wording; any other
            // relay must hold the origin's cue inside what it reports ("X reported that
            // officials told …"), or the link is not believable.
            let (at, rt) = (&f.a.attributions[i], &f.a.attributions[r]);
            let cue = rt.cue.text.to_lowercase();
            let relaying_cue = is_according_to(rt) || RELAY_CUES.iter().any(|c| cue.contains(c));
            let holds = rt
                .content
                .as_ref()
                .is_some_and(|c| c.start <= at.cue.start && at.cue.end <= c.end);
            r != i && f.plausible[r] && named && !same && (relaying_cue || holds)
        };
        let mut relay_of: Vec<Option<usize>> = (0..m)
            .map(|i| {
                a.attributions[i]
                    .relayed_from
                    // Two attributions each relayed from the other: the analysis could not
                    // tell which is inner, so neither link is used.
                    .filter(|&r| r < m && a.attributions[r].relayed_from != Some(i) && good_relay(&f, i, r))
            })
            .collect();
        for ids in &f.attrs_in {
            let outlets: Vec<usize> = ids
                .iter()
                .copied()
                .filter(|&i| {
                    let at = &a.attributions[i];
                    is_according_to(at) && at.source.as_ref().is_some_and(|s| is_outlet_kind(s.kind))
                })
                .collect();
            if let [outlet] = outlets[..] {
                for &i in ids {
                    if relay_of[i].is_none()
                        && !is_according_to(&a.attributions[i])
                        && good_relay(&f, i, outlet)
                    {
                        relay_of[i] = Some(outlet);
                    }
                }
            }
        }
        f.relays = relay_of.iter().flatten().copied().collect();
        f.relay_of = relay_of;

        f.basis = (0..n)
            .map(|s| {
                let origins = f.origins(s);
                // A source the analysis got visibly wrong makes the whole sentence unsafe.
                if origins
                    .iter()
                    .any(|&i| a.attributions[i].source.is_some() && !f.plausible[i])
                {
                    return Basis::Unclear;
                }
                let classes: BTreeSet<u8> = origins
                    .iter()
                    .map(|&i| match a.attributions[i].source.as_ref().map(|s| s.kind) {
                        None | Some(SourceKind::UnnamedPerson | SourceKind::UnnamedGroup) => 0,
                        Some(
                            SourceKind::NamedPerson | SourceKind::NamedOrganization | SourceKind::Document,
                        ) => 1,
                        Some(SourceKind::Author) => 2,
                    })
                    .collect();
                match (classes.len(), classes.first()) {
                    (0, _) if a.sentences[s].voice == Voice::Attributed => Basis::Unclear,
                    (0, _) => Basis::Unsourced,
                    (1, Some(0)) => Basis::Unnamed,
                    (1, Some(1)) => Basis::Named,
                    (1, Some(2)) => Basis::Author,
                    _ => Basis::Unclear,
                }
            })
            .collect();
        f
    }

    /// Whether an attribution's source reads like a source: a short phrase in a quotable
    /// sentence, not starting with a preposition or adverb, with a content word, and for
    /// named sources a capitalized name. Catches spans the analysis got visibly wrong
    /// ("of shoring up border crossings …", "not completely", "both") before they become
    /// answer options.
    fn check_source(&self, i: usize) -> bool {
        let Some(src) = self.a.attributions.get(i).and_then(|at| at.source.as_ref()) else {
            return false;
        };
        if src.kind == SourceKind::Author {
            return true;
        }
        let Some(q) = self.mention(i) else {
            return false;
        };
        let in_text = self.usable().any(|(_, s)| s.start <= q.start && q.end <= s.end);
        let ws = words(&q.text);
        let Some(first) = ws.first() else {
            return false;
        };
        let leading_ok = !is_stopword(first) || LEADING_OK.contains(&first.as_str());
        let has_content = !content_words(&q.text).is_empty();
        let named_ok = src.kind.is_unnamed() || {
            let starts_upper = q.text.chars().next().is_some_and(|c| c.is_uppercase());
            let has_capital = q
                .text
                .split_whitespace()
                .any(|w| w.chars().next().is_some_and(|c| c.is_uppercase()));
            // A person's name starts with the name; "a term … Rick Perry" is not a person.
            let article_ok =
                src.kind != SourceKind::NamedPerson && ["the", "a", "an"].contains(&first.as_str());
            (starts_upper || article_ok) && has_capital
        };
        in_text && ws.len() <= 16 && leading_ok && has_content && named_ok
    }

    /// Sentences that may be quoted, in text order.
    pub(crate) fn usable(&self) -> impl Iterator<Item = (usize, &Quote)> + '_ {
        self.stmt
            .iter()
            .enumerate()
            .filter_map(|(i, q)| q.as_ref().map(|q| (i, q)))
    }

    pub(crate) fn is_question(&self, s: usize) -> bool {
        self.stmt[s]
            .as_ref()
            .is_some_and(|q| q.text.trim_end_matches(['"', '”', ' ']).ends_with('?'))
    }

    /// Whether the sentence holds a word that might mark a source the analyzer missed.
    pub(crate) fn has_source_words(&self, s: usize) -> bool {
        self.stmt[s].as_ref().is_some_and(|q| {
            words(&q.text)
                .iter()
                .any(|w| lists::get().source_words.contains(w))
        })
    }

    /// Whether the sentence holds a word of doubt, found by the analyzer or not.
    pub(crate) fn has_doubt(&self, s: usize) -> bool {
        !self.hedges_in[s].is_empty()
            || self.stmt[s]
                .as_ref()
                .is_some_and(|q| lists::get().has_doubt(&q.text))
    }

    /// The attributions that originate the claim in a sentence (not relays).
    pub(crate) fn origins(&self, s: usize) -> Vec<usize> {
        self.attrs_in[s]
            .iter()
            .copied()
            .filter(|i| !self.relays.contains(i))
            .collect()
    }

    /// The name to show for an attribution's source: the mention a pronoun refers to, or the
    /// source text itself, widened to the fullest earlier mention of the same named source
    /// ("Rasmussen" → "Nicholas Rasmussen"); `None` for a bare pronoun or no source.
    pub(crate) fn source_name(&self, i: usize) -> Option<Quote> {
        if !self.plausible.get(i).copied().unwrap_or(false) {
            return None;
        }
        let kind = self.a.attributions[i].source.as_ref()?.kind;
        let q = self.mention(i)?;
        if kind.is_unnamed() || kind == SourceKind::Author {
            return Some(q);
        }
        let q = name_part(q);
        // Only a person's name widens ("Rasmussen" → "Nicholas Rasmussen"); an
        // organization's longer mention is often a different thing ("Judicial Watch
        // revelations" is a report, "Judicial Watch" the group).
        if kind != SourceKind::NamedPerson {
            return Some(q);
        }
        let mine: BTreeSet<String> = content_words(&q.text).iter().map(|w| norm(w)).collect();
        let fuller = (0..self.a.attributions.len())
            .filter(|&j| {
                self.plausible[j]
                    && self.a.attributions[j]
                        .source
                        .as_ref()
                        .is_some_and(|s| s.kind == SourceKind::NamedPerson)
            })
            .filter_map(|j| self.mention(j).map(name_part))
            .filter(|m| {
                let theirs: BTreeSet<String> = content_words(&m.text).iter().map(|w| norm(w)).collect();
                !mine.is_empty() && theirs.len() > mine.len() && mine.is_subset(&theirs)
            })
            .min_by_key(|m| m.start);
        Some(fuller.unwrap_or(q))
    }

    /// The source's own mention (or the one a pronoun refers to), unwidened.
    fn mention(&self, i: usize) -> Option<Quote> {
        let src = self.a.attributions.get(i)?.source.as_ref()?;
        if let Some(r) = &src.refers_to {
            if let Some(q) = self.doc.quote(r.start, r.end) {
                if !PRONOUNS.contains(&q.text.to_lowercase().as_str()) {
                    return Some(q);
                }
            }
        }
        let q = self.doc.quote(src.start, src.end)?;
        (!PRONOUNS.contains(&q.text.to_lowercase().as_str())).then_some(q)
    }

    /// Who an attribution's claim comes from, as a noun phrase quoting the text: "an unnamed
    /// source (no name is given — “two intelligence officials who requested anonymity …
    /// told”)", "a named source, Nicholas Rasmussen (“he said”)".
    pub(crate) fn source_evidence(&self, i: usize) -> String {
        let Some(at) = self.a.attributions.get(i) else {
            return String::new();
        };
        let cue = at.cue.text.trim();
        let Some(src) = &at.source else {
            return format!("no named source at all (only “{cue}”)");
        };
        // Source and cue quoted together when they sit close ("he said", "Nicholas
        // Rasmussen, deputy director of …, told"), else joined with an ellipsis.
        let (lo, hi) = (src.start.min(at.cue.start), src.end.max(at.cue.end));
        let said = match self.doc.quote(lo, hi) {
            Some(q) if hi - lo <= 100 => q.text,
            _ if src.start < at.cue.start => format!("{} … {}", src.text.trim(), cue),
            _ => format!("{} … {}", cue, src.text.trim()),
        };
        let name = self
            .source_name(i)
            .map(|q| q.text)
            .unwrap_or_else(|| src.text.clone());
        match src.kind {
            SourceKind::UnnamedPerson | SourceKind::UnnamedGroup => {
                format!("an unnamed source (no name is given — “{said}”)")
            }
            SourceKind::NamedPerson | SourceKind::NamedOrganization => {
                format!("a named source, {name} (“{said}”)")
            }
            SourceKind::Document => format!("a named report or record, {name} (“{said}”)"),
            SourceKind::Author => format!("the writer themself (“{said}”)"),
        }
    }

    /// Whether the sentence holds a word that often carries feeling, listed or not.
    pub(crate) fn has_feeling_words(&self, s: usize) -> bool {
        self.stmt[s]
            .as_ref()
            .is_some_and(|q| words(&q.text).iter().any(|w| lists::get().is_feeling(w)))
    }

    pub(crate) fn marker_texts(&self, ms: &[crate::analysis::Marker], ids: &[usize]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for &i in ids {
            let t = ms[i].text.trim().to_string();
            if !out.iter().any(|o| o.eq_ignore_ascii_case(&t)) {
                out.push(t);
            }
        }
        out
    }

    /// Is this attribution an outlet passing a claim on by itself ("according to a New York
    /// Times report", "Judicial Watch reported that …")?
    pub(crate) fn is_lone_outlet(&self, i: usize) -> bool {
        let at = &self.a.attributions[i];
        let cue = at.cue.text.to_lowercase();
        let outlet = at.source.as_ref().is_some_and(|s| is_outlet_kind(s.kind));
        outlet
            && (cue.trim().starts_with("according to") || cue.contains("report"))
            && self.relay_of[i].is_none()
            && !self.relays.contains(&i)
            && self.attrs_in[at.sentence].len() == 1
    }
}
