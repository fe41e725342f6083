//! Who a source is, in words a student can read: the name an option shows, whether two
//! attributions name the same source (so an alias never stands as a distractor), and the
//! evidence an explanation quotes.

use std::collections::BTreeSet;

use crate::analysis::SourceKind;

use super::facts::Facts;
use super::model::Quote;
use super::text::{content_words, norm};

/// Pronouns that are sources only through the mention they refer to.
pub(crate) const PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i", "you", "him", "her", "them"];

/// Words that say how many, not who: "many argue" names no one a student could look up.
const QUANTIFIERS: &[&str] = &[
    "many", "some", "several", "others", "other", "few", "most", "all", "both", "those", "these", "more",
    "certain", "various", "numerous", "two", "three", "four",
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

impl Facts<'_> {
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
    pub(crate) fn mention(&self, i: usize) -> Option<Quote> {
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

    /// The name an option shows for attribution `i`'s source: [`Self::source_name`], with
    /// a person's description dropped ("Conservative pundit Allen West" → "Allen West"),
    /// and `None` for a pronoun, a bare quantity ("many", "some") or the writer.
    pub(crate) fn option_name(&self, i: usize) -> Option<Quote> {
        let src = self.a.attributions.get(i)?.source.as_ref()?;
        if src.kind == SourceKind::Author {
            return None;
        }
        let q = self.source_name(i)?;
        let who: Vec<String> = content_words(&q.text)
            .into_iter()
            .filter(|w| !QUANTIFIERS.contains(&w.as_str()) && !PRONOUNS.contains(&w.as_str()))
            .collect();
        if who.is_empty() {
            return None;
        }
        if src.kind != SourceKind::NamedPerson {
            return Some(q);
        }
        // "Bruce Bennett from the RAND Corporation": the name ends where its affiliation
        // starts, or the option would name the organization instead of the person.
        let mut toks: Vec<(usize, &str)> = token_offsets(&q.text);
        let capital = |t: &str| t.chars().next().is_some_and(char::is_uppercase);
        // Two capitalised words before it, so a title ("Secretary at large") is not cut.
        let affiliation =
            |k: usize| AFFILIATION.contains(&toks[k].1) && capital(toks[k - 1].1) && capital(toks[k - 2].1);
        if let Some(p) = (2..toks.len()).find(|&k| affiliation(k)) {
            toks.truncate(p);
        }
        let &(last_at, last) = toks.last()?;
        let q = self
            .doc
            .quote(q.start, q.start + last_at + last.chars().count())?;
        // The capitalised run at the end is the name; lowercase words before it describe.
        let last_lower = toks.iter().rposition(|(_, t)| {
            t.chars().next().is_some_and(|c| c.is_lowercase()) && !NAME_PARTICLES.contains(t)
        });
        match last_lower {
            Some(k) if k + 1 < toks.len() => {
                let start = q.start + toks[k + 1].0;
                self.doc
                    .quote(start, q.end)
                    .filter(|n| n.text.split_whitespace().count() >= 2)
                    .or(Some(q))
            }
            Some(_) => None,
            None => Some(q),
        }
    }

    /// Whether attributions `i` and `j` name the same source: the analysis groups them
    /// into one entity, or their names share a word ("Judicial Watch", "Judicial Watch
    /// revelations"; "one official", "U.S. intelligence officials"). The second test is
    /// deliberately loose: two options a student could read as one source are worse than
    /// one distractor fewer.
    pub(crate) fn same_source(&self, i: usize, j: usize) -> bool {
        if i == j {
            return true;
        }
        if self.entity_of(i).is_some() && self.entity_of(i) == self.entity_of(j) {
            return true;
        }
        let (Some(x), Some(y)) = (self.source_name(i), self.source_name(j)) else {
            return false;
        };
        let wa: BTreeSet<String> = content_words(&x.text)
            .iter()
            .filter(|w| !QUANTIFIERS.contains(&w.as_str()))
            .map(|w| norm(w))
            .collect();
        content_words(&y.text).iter().any(|w| wa.contains(&norm(w)))
    }

    /// The relays through which the claims of sentence `s` reached the writer.
    pub(crate) fn relay_of_sentence(&self, s: usize) -> Vec<usize> {
        let mut v: Vec<usize> = self.origins(s).iter().filter_map(|&i| self.relay_of[i]).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Words after a person's name that start their affiliation ("… from the RAND Corporation").
const AFFILIATION: &[&str] = &["from", "at"];

/// Lowercase particles inside names ("Ursula von der Leyen").
const NAME_PARTICLES: &[&str] = &[
    "de", "da", "van", "von", "der", "bin", "al", "la", "le", "del", "du",
];

/// Whitespace-separated tokens with their char offsets.
fn token_offsets(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut byte_start = 0;
    for (chars, (b, c)) in s.char_indices().enumerate() {
        if c.is_whitespace() {
            if let Some(st) = start.take() {
                out.push((st, &s[byte_start..b]));
            }
        } else if start.is_none() {
            start = Some(chars);
            byte_start = b;
        }
    }
    if let Some(st) = start {
        out.push((st, &s[byte_start..]));
    }
    out
}
