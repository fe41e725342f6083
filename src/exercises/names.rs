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

/// Words of rank or standing that say nothing of what a person does: "a senior official"
/// and "a former minister" share no description.
const RANKS: &[&str] = &[
    "senior",
    "former",
    "top",
    "high-ranking",
    "junior",
    "deputy",
    "chief",
    "person",
    "official",
];

/// Whether `short` is the initials of `full`'s capitalised words, or of its last ones
/// ("WJR", "William J Resetarits"; "ALB", "Ecologist Ann Lee Brown").
fn is_initials_of(short: &str, full: &str) -> bool {
    let s = short.trim();
    let n = s.chars().count();
    let capitals: String = full
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    (2..=4).contains(&n) && s.chars().all(|c| c.is_alphabetic() && c.is_uppercase()) && capitals.ends_with(s)
}

/// The name in a named source's mention, without the description after it: "Francis
/// Taylor, under secretary for …" → "Francis Taylor".
fn name_part(q: Quote) -> Quote {
    let Some(cut) = q.text.find([',', '(']) else {
        return q;
    };
    // "a spokesman for the Cumbria Fire and Rescue squad, Brian Mitchelhill": the description
    // comes first and the person's name after the comma; the option names the person.
    if let Some(after) = described_name(&q) {
        return after;
    }
    let name = q.text[..cut].trim_end();
    if content_words(name).is_empty() && !has_acronym(name) {
        return q;
    }
    Quote {
        start: q.start,
        end: q.start + name.chars().count(),
        text: name.to_string(),
    }
}

/// The capitalised name after a leading description's comma ("a BBC executive, Caroline
/// Thomson" → "Caroline Thomson"): two to five words, each capitalised or a name particle,
/// running to the end of the mention or to the next comma.
fn name_after_description(q: &Quote, cut: usize) -> Option<Quote> {
    if !q.text[cut..].starts_with(',') {
        return None;
    }
    let rest = &q.text[cut + 1..];
    let lead = rest.chars().take_while(|c| c.is_whitespace()).count();
    let body = rest.trim_start();
    let end = body.find([',', '(', ';']).unwrap_or(body.len());
    let name = body[..end].trim_end();
    let toks: Vec<&str> = name.split_whitespace().collect();
    let capital = |t: &str| t.chars().next().is_some_and(char::is_uppercase);
    let ok = (2..=5).contains(&toks.len())
        && capital(toks[0])
        && capital(toks[toks.len() - 1])
        && toks.iter().all(|t| capital(t) || NAME_PARTICLES.contains(t));
    if !ok {
        return None;
    }
    let start = q.start + q.text[..cut + 1].chars().count() + lead;
    Some(Quote {
        start,
        end: start + name.chars().count(),
        text: name.to_string(),
    })
}

/// The person's name of a mention that opens with a lowercase description and gives the
/// name after a comma ("a spokesman for the Cumbria Fire and Rescue squad, Brian
/// Mitchelhill" → "Brian Mitchelhill").
pub(crate) fn described_name(q: &Quote) -> Option<Quote> {
    if !q.text.chars().next().is_some_and(char::is_lowercase) {
        return None;
    }
    let cut = q.text.find(',')?;
    name_after_description(q, cut)
}

/// Whether `text` holds an acronym ("The US", "the UN"): a name even where its letters
/// spell a stopword.
fn has_acronym(text: &str) -> bool {
    text.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && w.chars().all(|c| !c.is_lowercase())
    })
}

/// Capitalised content words of a name ("The Chinese government" → {"chinese"}): the words
/// that tell two named sources apart.
fn name_words(text: &str) -> BTreeSet<String> {
    text.split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .flat_map(content_words)
        .map(|w| norm(&w))
        .collect()
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
        let fuller = self
            .person_mentions()
            // The name the mention opens with, not the phrase that holds it ("Tyler
            // Skluzacek and another team member …" → "Tyler Skluzacek"; "Bruce Bennett
            // from the RAND Corporation" → "Bruce Bennett").
            .filter_map(|m| self.leading_name(m))
            .filter(|m| self.in_body(m))
            .filter(|m| {
                let theirs: BTreeSet<String> = content_words(&m.text).iter().map(|w| norm(w)).collect();
                !mine.is_empty() && theirs.len() > mine.len() && mine.is_subset(&theirs)
            })
            .min_by_key(|m| m.start);
        Some(fuller.unwrap_or(q))
    }

    /// The name part of the mention of every plausible attribution to a named person.
    fn person_mentions(&self) -> impl Iterator<Item = Quote> + '_ {
        (0..self.a.attributions.len())
            .filter(|&j| {
                self.plausible[j]
                    && self.a.attributions[j]
                        .source
                        .as_ref()
                        .is_some_and(|s| s.kind == SourceKind::NamedPerson)
            })
            .filter_map(|j| self.mention(j).map(name_part))
    }

    /// Whether `m` lies within one of the article's own statements (never a caption).
    fn in_body(&self, m: &Quote) -> bool {
        self.usable()
            .any(|(_, st)| st.start <= m.start && m.end <= st.end)
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
        let q = self.without_trailing_adverb(q);
        (!PRONOUNS.contains(&q.text.to_lowercase().as_str())).then_some(q)
    }

    /// "The Supreme Court of Argentina today" → "The Supreme Court of Argentina": an adverb
    /// of time the analysis ran on into is not part of who the source is.
    fn without_trailing_adverb(&self, q: Quote) -> Quote {
        let Some((head, last)) = q.text.rsplit_once(' ') else {
            return q;
        };
        if !super::facts::TRAILING_ADVERBS.contains(&last) || content_words(head).is_empty() {
            return q;
        }
        let head = head.trim_end_matches([' ', ',']);
        self.doc
            .quote(q.start, q.start + head.chars().count())
            .unwrap_or(q)
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
        if who.is_empty() && !(src.kind != SourceKind::NamedPerson && has_acronym(&q.text)) {
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
                let run = self.doc.quote(start, q.end)?;
                if run.text.split_whitespace().count() >= 2 {
                    return Some(run);
                }
                // "The mayor-elect Collins": a surname alone, shown as the full name another
                // mention of the person gives ("Wilmot Collins"), else with its description.
                Some(self.full_name_of(&run.text).unwrap_or(q))
            }
            Some(_) => None,
            None => Some(q),
        }
    }

    /// [`name_words`] of a mention, its first word left out when it opens a sentence (its
    /// capital is the sentence's).
    fn name_words_of(&self, q: &Quote) -> BTreeSet<String> {
        let opens = self.usable().any(|(_, st)| st.start == q.start);
        let text = match (opens, q.text.split_once(' ')) {
            (true, Some((_, rest))) => rest,
            (true, None) => "",
            (false, _) => q.text.as_str(),
        };
        name_words(text)
    }

    /// The run of capitalised words (and name particles) a mention opens with, up to four.
    fn leading_name(&self, m: Quote) -> Option<Quote> {
        let toks = token_offsets(&m.text);
        let n = toks
            .iter()
            .take_while(|(_, t)| {
                t.chars().next().is_some_and(char::is_uppercase) || NAME_PARTICLES.contains(t)
            })
            .count();
        if n == 0 || n > 4 {
            return None;
        }
        let (at, last) = toks[n - 1];
        let end = m.start + at + last.trim_end_matches([',', '.', ';', ':']).chars().count();
        self.doc.quote(m.start, end)
    }

    /// The earliest mention of a named person, as a source, that is a full name ending in
    /// `surname` ("Wilmot Collins" for "Collins"): two to four capitalised words.
    fn full_name_of(&self, surname: &str) -> Option<Quote> {
        let capital = |t: &str| t.chars().next().is_some_and(char::is_uppercase);
        self.person_mentions()
            .filter(|m| self.in_body(m))
            .filter(|m| {
                let toks: Vec<&str> = m.text.split_whitespace().collect();
                (2..=4).contains(&toks.len())
                    && toks.last() == Some(&surname)
                    && toks.iter().all(|t| capital(t) || NAME_PARTICLES.contains(t))
                    && !["The", "A", "An"].contains(&toks[0])
            })
            .min_by_key(|m| m.start)
    }

    /// A person's full name as the article's body gives it, for a name shown with only a
    /// title or the surname ("Mr. Haddox", "Collins" → "Eric Haddox"): the first "<Given>
    /// <Surname>" in a quotable sentence, the given name capitalised and no title.
    pub(crate) fn full_name_in_text(&self, name: &str) -> Option<String> {
        let toks: Vec<&str> = name.split_whitespace().collect();
        let surname = *toks.last()?;
        let titled = toks.len() == 2 && HONORIFICS.contains(&toks[0].trim_end_matches('.'));
        if !(toks.len() == 1 || titled) {
            return None;
        }
        self.usable().find_map(|(_, q)| {
            let ws: Vec<&str> = q.text.split_whitespace().collect();
            ws.windows(2).find_map(|w| {
                let last = w[1].trim_end_matches(|c: char| !c.is_alphanumeric());
                let given = w[0];
                let ok = last == surname
                    && given.chars().next().is_some_and(char::is_uppercase)
                    && given.chars().all(char::is_alphabetic)
                    && !HONORIFICS.contains(&given)
                    && !["The", "A", "An", "In", "On", "At", "But", "And"].contains(&given);
                ok.then(|| format!("{given} {surname}"))
            })
        })
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
        // Two named sources whose names differ in the words that name them ("The Chinese
        // government", "The Philippine government") are two sources, whatever head word
        // they share.
        // Documents ("First reports", "Early investigators reports") keep the loose test:
        // their capitals are mostly the sentence's.
        let named = |k: usize| {
            self.a.attributions[k]
                .source
                .as_ref()
                .is_some_and(|s| matches!(s.kind, SourceKind::NamedPerson | SourceKind::NamedOrganization))
        };
        // "WJR" and "William J Resetarits": a transcript's initials are the person.
        if is_initials_of(&x.text, &y.text) || is_initials_of(&y.text, &x.text) {
            return true;
        }
        if self.described_alike(i, j) || self.described_alike(j, i) {
            return true;
        }
        if named(i) && named(j) {
            let (nx, ny) = (self.name_words_of(&x), self.name_words_of(&y));
            if !nx.is_empty() && !ny.is_empty() && nx.is_disjoint(&ny) {
                return false;
            }
        }
        let wa: BTreeSet<String> = content_words(&x.text)
            .iter()
            .filter(|w| !QUANTIFIERS.contains(&w.as_str()))
            .map(|w| norm(w))
            .collect();
        content_words(&y.text).iter().any(|w| wa.contains(&norm(w)))
    }

    /// Whether the unnamed person of attribution `u` ("a senior intelligence analyst") is
    /// described by a word that describes the named person of `n` where the article
    /// introduces them ("Colonel Abdullahi Ali Maow, a former national intelligence officer
    /// …"): they may be one person, so they are never two options of one question.
    fn described_alike(&self, u: usize, n: usize) -> bool {
        let kind = |k: usize| self.a.attributions[k].source.as_ref().map(|s| s.kind);
        if kind(u) != Some(SourceKind::UnnamedPerson) || kind(n) != Some(SourceKind::NamedPerson) {
            return false;
        }
        let (Some(who), Some(name)) = (self.source_name(u), self.source_name(n)) else {
            return false;
        };
        let described: BTreeSet<String> = content_words(&who.text)
            .iter()
            .filter(|w| !QUANTIFIERS.contains(&w.as_str()) && !RANKS.contains(&w.as_str()))
            .map(|w| norm(w))
            .collect();
        let names = name_words(&name.text);
        if described.is_empty() || names.is_empty() {
            return false;
        }
        self.a
            .attributions
            .iter()
            .filter_map(|at| at.source.as_ref())
            .filter(|s| s.kind == SourceKind::NamedPerson)
            .filter(|s| !name_words(&s.text).is_disjoint(&names))
            .any(|s| {
                s.text
                    .split_whitespace()
                    .filter(|w| !w.chars().next().is_some_and(char::is_uppercase))
                    .flat_map(content_words)
                    .any(|w| described.contains(&norm(&w)))
            })
    }

    /// The relays through which the claims of sentence `s` reached the writer.
    pub(crate) fn relay_of_sentence(&self, s: usize) -> Vec<usize> {
        let mut v: Vec<usize> = self.origins(s).iter().filter_map(|&i| self.relay_of[i]).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Titles before a surname ("Mr. Haddox"), without their full stop.
const HONORIFICS: &[&str] = &["Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sir", "Dame"];

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
