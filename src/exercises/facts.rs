//! What the generators read off one analysis, computed once: which sentences may be quoted
//! (clutter, title and byline skipped; offsets checked against the text), whose word each
//! statement rests on, and which attributions are relays of others.
//!
//! The generators trust the analysis only where a wrong answer key would be unlikely: a
//! sentence whose sources disagree (named and unnamed) or whose recorded text doesn't match
//! the article is left out rather than guessed at.

use std::collections::BTreeSet;

use crate::analysis::{Analysis, Attribution, AttributionType, SourceKind, Voice};

use super::lists;
use super::model::Quote;
use super::statements;
use super::text::{content_words, is_stopword, words, Doc};

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
    /// Attributions inside what another source of their sentence says (not its origin).
    pub embedded: BTreeSet<usize>,
    /// Per sentence: the attribution whose content carries it when it has no cue itself.
    pub carried: Vec<Option<usize>>,
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

/// Quantifiers a source phrase never ends on ("earlier pledges by many", cut before "states"):
/// the head noun the quantifier belongs to is missing.
const TRAILING_QUANTIFIERS: &[&str] = &["many", "several", "few"];

/// First-person words a source phrase may open with: "we", "our model" are the writer's own
/// voice (a column's "we find"), never a third party the reader should weigh.
const FIRST_PERSON: &[&str] = &["i", "we", "us", "my", "our", "me"];

/// Adverbs a source phrase never ends on: a sign the analysis cut it in the wrong place.
pub(crate) const TRAILING_ADVERBS: &[&str] = &[
    "now",
    "then",
    "also",
    "still",
    "already",
    "again",
    "today",
    "yesterday",
    "recently",
    "previously",
    "later",
    "earlier",
    "regularly",
    "repeatedly",
    "publicly",
    "privately",
    "currently",
    "once",
    "often",
];

pub(crate) fn is_according_to(a: &Attribution) -> bool {
    a.cue.text.trim().to_lowercase().starts_with("according to")
}

fn is_outlet_kind(k: SourceKind) -> bool {
    matches!(k, SourceKind::NamedOrganization | SourceKind::Document)
}

impl<'a> Facts<'a> {
    pub(crate) fn new(text: &'a str, a: &'a Analysis) -> Self {
        let doc = Doc::new(text);
        let n = a.sentences.len();
        let stmt: Vec<Option<Quote>> = (0..n).map(|s| statements::quotable(&doc, a, s)).collect();

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
            embedded: BTreeSet::new(),
            carried: Vec::new(),
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
            // A weak cue inside what a speaker says ("He says it is not true when people
            // say …") is part of the speaker's words, not a claim the speaker passes on.
            let weak_inner = at.confidence < 0.7 && !relaying_cue;
            r != i && f.plausible[r] && named && !same && (relaying_cue || (holds && !weak_inner))
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
        // "Taylor told a panel that militants … discuss entering": the militants' words are
        // part of what Taylor says, so Taylor alone is the sentence's source.
        f.embedded = (0..m)
            .filter(|&j| {
                let at = &a.attributions[j];
                f.attrs_in.get(at.sentence).into_iter().flatten().any(|&k| {
                    let outer = &a.attributions[k];
                    k != j
                        && !f.relays.contains(&k)
                        && f.relay_of[j] != Some(k)
                        && outer.content.as_ref().is_some_and(|c| {
                            c.start <= at.cue.start
                                && at.cue.end <= c.end
                                && !(c.start <= outer.cue.start && outer.cue.end <= c.end)
                        })
                })
            })
            .collect();

        // A sentence with no cue of its own inside one attribution's content (the second
        // sentence of an interviewee's answer, a quote running on) is that source's.
        f.carried = (0..n)
            .map(|s| {
                let q = f.stmt[s].as_ref()?;
                if !f.attrs_in[s].is_empty() || a.sentences[s].voice != Voice::Attributed {
                    return None;
                }
                let holders: Vec<usize> = (0..m)
                    .filter(|&i| {
                        let at = &a.attributions[i];
                        at.source.is_some()
                            && at.sentence < s
                            && at
                                .content
                                .as_ref()
                                .is_some_and(|c| c.start <= q.start && q.end <= c.end + 1)
                    })
                    .collect();
                match holders[..] {
                    [i] => Some(i),
                    _ => None,
                }
            })
            .collect();
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
        // In a quotable sentence, or (an interviewee named in the title or the
        // introduction) in the title or a paragraph of the body.
        let within = |s: usize, e: usize| s <= q.start && q.end <= e;
        let in_text = self.usable().any(|(_, s)| within(s.start, s.end))
            || self.a.title_span.as_ref().is_some_and(|t| within(t.start, t.end))
            || self
                .a
                .paragraphs
                .iter()
                .any(|p| !p.clutter && within(p.start, p.end))
                && !self.a.clutter.iter().any(|c| c.start < q.end && q.start < c.end);
        let ws = words(&q.text);
        let Some(first) = ws.first() else {
            return false;
        };
        let leading_ok = !is_stopword(first) || LEADING_OK.contains(&first.as_str());
        let has_content = !content_words(&q.text).is_empty();
        let at = &self.a.attributions[i];
        // "… told reporters": the one told is the hearer, not the source.
        let cue = at.cue.text.trim().to_lowercase();
        let hearer = ["told", "tell", "tells", "telling"]
            .iter()
            .any(|t| cue.ends_with(t))
            && src.start >= at.cue.end
            && src.start <= at.cue.end + 2;
        let named_ok = src.kind.is_unnamed() || {
            let starts_upper = q.text.chars().next().is_some_and(|c| c.is_uppercase());
            // A capital only on the sentence's first word ("Shop owners near the bridge")
            // is the sentence's, not a person's name.
            let sentence_start = src.kind == SourceKind::NamedPerson
                && self
                    .stmt
                    .get(at.sentence)
                    .and_then(Option::as_ref)
                    .is_some_and(|s| s.start == q.start);
            let has_capital = q
                .text
                .split_whitespace()
                .skip(usize::from(sentence_start && ws.len() > 1))
                .any(|w| w.chars().next().is_some_and(|c| c.is_uppercase()));
            // A person's name starts with the name; "a term … Rick Perry" is not a person.
            let article_ok =
                src.kind != SourceKind::NamedPerson && ["the", "a", "an"].contains(&first.as_str());
            // "a BBC executive, Caroline Thomson": a description, then the person's name.
            let described = src.kind == SourceKind::NamedPerson && super::names::described_name(&q).is_some();
            (starts_upper || article_ok || described) && has_capital
        };
        // A source phrase ends on who it is, not on an adverb or a function word the
        // analysis ran on into ("companies whose own leaders now").
        let trailing_ok = ws.last().is_some_and(|w| {
            !is_stopword(w)
                && !TRAILING_ADVERBS.contains(&w.as_str())
                && !TRAILING_QUANTIFIERS.contains(&w.as_str())
        });
        // "We find", "our model shows": the writer speaking, not someone the writer quotes.
        let first_person = FIRST_PERSON.contains(&first.as_str());
        // "companies whose own leaders": a relative clause the analysis ran into, not a speaker.
        let relative = ws.iter().skip(1).any(|w| w == "whose" || w == "which");
        in_text
            && ws.len() <= 16
            && leading_ok
            && has_content
            && named_ok
            && trailing_ok
            && !hearer
            && !relative
            && !first_person
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
        if let Some(i) = self.carried.get(s).copied().flatten() {
            return vec![i];
        }
        self.attrs_in[s]
            .iter()
            .copied()
            .filter(|i| !self.relays.contains(i) && !self.embedded.contains(i))
            .collect()
    }

    /// How sure the analysis is of the article's genre.
    pub(crate) fn genre_conf(&self) -> f32 {
        self.a.genre_confidence
    }

    /// The analysis's source entity of attribution `i` (its aliases grouped).
    pub(crate) fn entity_of(&self, i: usize) -> Option<usize> {
        let e = self.a.attributions.get(i)?.entity?;
        (e < self.a.entities.len()).then_some(e)
    }

    /// Whether sentence `s` sits inside a quotation opened in an earlier sentence of its
    /// paragraph (the middle of a multi-sentence quote): someone's words, not the writer's.
    pub(crate) fn inside_quotation(&self, s: usize) -> bool {
        let Some(sent) = self.a.sentences.get(s) else {
            return false;
        };
        let Some(p) = self.a.paragraphs.get(sent.paragraph) else {
            return false;
        };
        let before = self.doc.slice(p.start, sent.start).unwrap_or("");
        let open = before.matches('“').count() as i64 - before.matches('”').count() as i64;
        open > 0 || before.matches('"').count() % 2 == 1
    }

    /// How sure the analysis is of attribution `i` (source, cue and kind), after the
    /// generator's own check that the source reads like one.
    pub(crate) fn attr_conf(&self, i: usize) -> f32 {
        if !self.plausible.get(i).copied().unwrap_or(false) {
            return 0.0;
        }
        // A cue that is no word of saying ("covered", "attacked") is a misreading; the
        // interview's question markers ("1)", "Q:") are the structure, not words.
        let cue = &self.a.attributions[i].cue.text;
        let marker = !cue.chars().any(char::is_alphabetic) || cue.trim().len() <= 2;
        if !marker && !words(cue).iter().any(|w| lists::get().reporting_cues.contains(w)) {
            return 0.3;
        }
        // A belief, feeling or stand ("many men mistakenly believe", "voters fear", "unions
        // campaigned against") is something the writer tells about the group, not words the
        // group is quoted as saying: it is no source of the sentence's claim, and whether the
        // writer vouches for the claim is a reading the analysis cannot settle. Feelings said
        // aloud ("officials blamed the rains") are words all the same, but not in the passive
        // ("the executions were condemned by the UN"), where the writer reports the act.
        let at = &self.a.attributions[i];
        let spoken = |w: &String| lists::get().spoken_sentiments.contains(w);
        let active = at.source.as_ref().is_some_and(|s| s.end <= at.cue.start);
        match at.attribution_type {
            AttributionType::Speech => {}
            AttributionType::Sentiment if active && words(cue).iter().any(spoken) => {}
            _ => return 0.5,
        }
        if !super::cues::states_a_claim(self, i) {
            return 0.5;
        }
        self.a
            .attributions
            .get(i)
            .map_or(0.0, |at| at.confidence.clamp(0.0, 1.0))
    }

    /// How sure the generator is of whose word sentence `s` is: the least sure of its
    /// origins, or for the writer's own sentence how clearly no source is in sight.
    pub(crate) fn basis_conf(&self, s: usize) -> f32 {
        match self.basis[s] {
            Basis::Unclear => 0.0,
            Basis::Unsourced if self.has_source_words(s) => 0.4,
            Basis::Unsourced => 0.9,
            _ => self
                .origins(s)
                .iter()
                .map(|&i| self.attr_conf(i))
                .fold(1.0, f32::min),
        }
    }

    /// The stretch of sentence `s` an option must keep: its origins' cues and sources.
    pub(crate) fn attr_keep(&self, s: usize) -> Option<(usize, usize)> {
        let mut lo = usize::MAX;
        let mut hi = 0;
        for i in self.origins(s) {
            let at = &self.a.attributions[i];
            lo = lo.min(at.cue.start);
            hi = hi.max(at.cue.end);
            if let Some(src) = &at.source {
                lo = lo.min(src.start);
                hi = hi.max(src.end);
            }
        }
        (lo < hi).then_some((lo, hi))
    }

    /// The stretch of sentence `s` an option must keep: its hedges.
    pub(crate) fn hedge_keep(&self, s: usize) -> Option<(usize, usize)> {
        let ms = &self.hedges_in[s];
        let lo = ms.iter().map(|&m| self.a.hedges[m].start).min()?;
        let hi = ms.iter().map(|&m| self.a.hedges[m].end).max()?;
        Some((lo, hi))
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
