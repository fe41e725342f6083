//! Owns the word lists in `data/lexicons/` (compiled in with `include_str!`) and phrase
//! matching over tokens. Parsed once per process.

use std::collections::HashSet;

use rustc_hash::FxHashMap as FxMap;
use std::sync::OnceLock;

use super::cues;
use super::model::AttributionType;
use super::tokenize::Token;

/// What the train split says about one cue word.
#[derive(Debug, Clone, Copy)]
pub struct CueStat {
    /// Share of the word's occurrences that start a gold cue.
    pub rate: f32,
    pub count: u32,
    /// How many of its cues had no source.
    pub no_source: u32,
}

/// One lexicon phrase: its lowercase words, and whether its first word must be written in
/// lowercase (a line starting with `=`: "=may" is doubt, "May" the month).
#[derive(Debug, Default)]
struct Phrase {
    words: Vec<String>,
    lower_only: bool,
}

/// Lowercase multi-word phrases, indexed by first word.
#[derive(Debug, Default)]
pub struct PhraseSet {
    /// This set's bit in [`Token::first_of`].
    bit: u16,
    by_first: FxMap<String, Vec<Phrase>>,
}

impl PhraseSet {
    fn parse(src: &str, bit: u16) -> Self {
        let mut by_first: FxMap<String, Vec<Phrase>> = FxMap::default();
        for line in data_lines(src) {
            let (lower_only, line) = match line.strip_prefix('=') {
                Some(rest) => (true, rest),
                None => (false, line),
            };
            let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
            if let Some(first) = words.first() {
                by_first
                    .entry(first.clone())
                    .or_default()
                    .push(Phrase { words, lower_only });
            }
        }
        // Longest phrase first, so "no solid proof" wins over "no proof".
        for v in by_first.values_mut() {
            v.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
        }
        PhraseSet { bit, by_first }
    }

    /// Token-index ranges `[a, b)` of non-overlapping phrase matches among `tokens`, scanning
    /// left to right. Only words take part; punctuation breaks a phrase. A word in capitals
    /// ("US") is an acronym and starts no phrase.
    pub fn find<T: std::borrow::Borrow<Token>>(&self, tokens: &[T]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let mut matched = 0;
            let t = tokens[i].borrow();
            if t.first_of & self.bit != 0 && !t.caps {
                if let Some(cands) = self.by_first.get(t.norm.as_str()) {
                    for p in cands {
                        if p.lower_only && !t.first.is_lowercase() {
                            continue;
                        }
                        if i + p.words.len() <= tokens.len()
                            && p.words
                                .iter()
                                .zip(&tokens[i..])
                                .all(|(w, t)| t.borrow().is_word() && t.borrow().norm.as_str() == w.as_str())
                        {
                            matched = p.words.len();
                            break;
                        }
                    }
                }
            }
            if matched > 0 {
                out.push((i, i + matched));
                i += matched;
            } else {
                i += 1;
            }
        }
        out
    }

    #[cfg(test)]
    pub fn contains_word(&self, w: &str) -> bool {
        self.by_first
            .get(w)
            .is_some_and(|v| v.iter().any(|p| p.words.len() == 1))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadClass {
    Person,
    Group,
    Organization,
    Document,
    Pronoun,
    /// A part of the public rather than a role ("men", "voters"); also a group head.
    Population,
}

pub struct Lexicons {
    pub cues: FxMap<String, CueStat>,
    pub hedges: PhraseSet,
    pub loaded: PhraseSet,
    pub opinion: PhraseSet,
    /// Phrases that mark a source as deliberately unnamed ("on condition of anonymity").
    pub anonymity: PhraseSet,
    heads: FxMap<String, Vec<HeadClass>>,
    /// Belief and sentiment verbs and adjectives (`attitudes.txt`).
    attitudes: FxMap<String, Attitude>,
    words: FxMap<Box<[u8]>, (Option<CueStat>, u16)>,
}

impl Lexicons {
    pub fn cue(&self, w: &str) -> Option<CueStat> {
        self.cues.get(w).copied()
    }

    /// Per-word facts looked up once at tokenization: cue statistics and the phrase
    /// lexicons a phrase of which starts with the word.
    pub fn word_info(&self, w: &[u8]) -> (Option<CueStat>, u16) {
        self.words.get(w).copied().unwrap_or((None, 0))
    }

    pub fn head_classes(&self, w: &str) -> &[HeadClass] {
        self.heads.get(w).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn is_head(&self, w: &str, c: HeadClass) -> bool {
        self.head_classes(w).contains(&c)
    }

    /// What a belief or sentiment word attributes, and whether it is a verb.
    pub fn attitude(&self, w: &str) -> Option<Attitude> {
        self.attitudes.get(w).copied()
    }
}

/// A word of `attitudes.txt`: the attribution type it marks and its part of speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attitude {
    pub kind: AttributionType,
    pub verb: bool,
}

fn parse_attitudes(src: &str) -> FxMap<String, Attitude> {
    let mut out = FxMap::default();
    for (section, w) in sectioned(src) {
        let (kind, verb) = match section {
            "belief" => (AttributionType::Belief, true),
            "sentiment" => (AttributionType::Sentiment, true),
            "belief_adj" => (AttributionType::Belief, false),
            "sentiment_adj" => (AttributionType::Sentiment, false),
            _ => continue,
        };
        out.insert(w.to_string(), Attitude { kind, verb });
    }
    out
}

pub(super) fn data_lines(src: &str) -> impl Iterator<Item = &str> {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The data lines of a list in sections (a `[name]` line opens one), each with its section
/// name ("" before the first).
pub(super) fn sectioned(src: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut section = "";
    data_lines(src).filter_map(
        move |l| match l.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            Some(name) => {
                section = name;
                None
            }
            None => Some((section, l)),
        },
    )
}

/// `cues.tsv`, less the words that start gold cues only as part of a longer cue (`not_cues`).
fn parse_cues(src: &str, not_cues: &HashSet<&str>) -> FxMap<String, CueStat> {
    let mut out = FxMap::default();
    for line in data_lines(src) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 || not_cues.contains(f[0]) {
            continue;
        }
        let stat = CueStat {
            rate: f[1].parse().unwrap_or(0.0),
            count: f[2].parse().unwrap_or(0),
            no_source: f[3].parse().unwrap_or(0),
        };
        out.insert(f[0].to_string(), stat);
    }
    out
}

/// The sections of `cue_verbs.txt`: reporting verb forms, stance adjectives, quote-only verbs,
/// and words that are no cues on their own.
struct CueVerbs<'a> {
    reporting: Vec<&'a str>,
    stance: Vec<&'a str>,
    quote_only: Vec<&'a str>,
    action_to: Vec<&'a str>,
    not_cues: HashSet<&'a str>,
}

fn parse_cue_verbs(src: &str) -> CueVerbs<'_> {
    let mut v = CueVerbs {
        reporting: Vec::new(),
        stance: Vec::new(),
        quote_only: Vec::new(),
        action_to: Vec::new(),
        not_cues: HashSet::new(),
    };
    for (section, w) in sectioned(src) {
        match section {
            "reporting" => v.reporting.push(w),
            "needs_quote" => v.quote_only.push(w),
            "stance" => v.stance.push(w),
            "action_to" => v.action_to.push(w),
            "not_cue" => {
                v.not_cues.insert(w);
            }
            _ => {}
        }
    }
    v
}

/// `Token::first_of` bit: a reporting verb form (`cue_verbs.txt`).
pub const REPORTING_VERB: u16 = 16;
/// `Token::first_of` bit: a verb that reports only next to a quotation.
pub const NEEDS_QUOTE: u16 = 32;
/// `Token::first_of` bit: a stance adjective ("concerned that").
pub const STANCE: u16 = 64;
/// `Token::first_of` bit: a verb of action that reports nothing before an infinitive ("decided
/// to close").
pub const ACTION_TO: u16 = 128;
/// `Token::first_of` bit: a belief or sentiment verb ("believe", "fear").
pub const ATTITUDE: u16 = 256;

fn parse_heads(src: &str) -> FxMap<String, Vec<HeadClass>> {
    let mut out: FxMap<String, Vec<HeadClass>> = FxMap::default();
    let mut class = None;
    for line in data_lines(src) {
        class = match line {
            "[person]" => Some(HeadClass::Person),
            "[group]" => Some(HeadClass::Group),
            "[organization]" => Some(HeadClass::Organization),
            "[document]" => Some(HeadClass::Document),
            "[pronoun]" => Some(HeadClass::Pronoun),
            "[population]" => Some(HeadClass::Population),
            w => {
                if let Some(c) = class {
                    out.entry(w.to_string()).or_default().push(c);
                }
                class
            }
        };
    }
    out
}

pub fn get() -> &'static Lexicons {
    static LEX: OnceLock<Lexicons> = OnceLock::new();
    LEX.get_or_init(build)
}

fn build() -> Lexicons {
    let verbs = parse_cue_verbs(include_str!("../../data/lexicons/cue_verbs.txt"));
    let mut l = Lexicons {
        words: FxMap::default(),
        cues: parse_cues(include_str!("../../data/lexicons/cues.tsv"), &verbs.not_cues),
        hedges: PhraseSet::parse(include_str!("../../data/lexicons/hedges.txt"), 1),
        loaded: PhraseSet::parse(include_str!("../../data/lexicons/loaded.txt"), 2),
        opinion: PhraseSet::parse(include_str!("../../data/lexicons/opinion.txt"), 4),
        anonymity: PhraseSet::parse(include_str!("../../data/lexicons/anonymity.txt"), 8),
        heads: parse_heads(include_str!("../../data/lexicons/sources.txt")),
        attitudes: parse_attitudes(include_str!("../../data/lexicons/attitudes.txt")),
    };
    let mut words: FxMap<Box<[u8]>, (Option<CueStat>, u16)> = FxMap::default();
    for (w, s) in &l.cues {
        words.entry(w.as_bytes().into()).or_default().0 = Some(*s);
    }
    for set in [&l.hedges, &l.loaded, &l.opinion, &l.anonymity] {
        for w in set.by_first.keys() {
            words.entry(w.as_bytes().into()).or_default().1 |= set.bit;
        }
    }
    for w in verbs.stance {
        words.entry(w.as_bytes().into()).or_default().1 |= STANCE;
    }
    for (w, at) in &l.attitudes {
        words.entry(w.as_bytes().into()).or_default().1 |= if at.verb { ATTITUDE } else { STANCE };
    }
    for w in verbs.reporting {
        let e = words.entry(w.as_bytes().into()).or_default();
        e.1 |= REPORTING_VERB;
        // Forms the train counts miss are cues when read as verbs (see `cues::find`).
        if e.0.is_none() {
            e.0 = Some(CueStat {
                rate: cues::MIN_RATE,
                count: 0,
                no_source: 0,
            });
        }
    }
    for w in verbs.quote_only {
        words.entry(w.as_bytes().into()).or_default().1 |= NEEDS_QUOTE;
    }
    for w in verbs.action_to {
        words.entry(w.as_bytes().into()).or_default().1 |= ACTION_TO;
    }
    // British spellings ("criticised", "organisation") read as the American forms the train
    // split and the lists spell.
    let extra: Vec<_> = words
        .iter()
        .filter_map(|(w, v)| {
            let b: Box<[u8]> = british(std::str::from_utf8(w).ok()?)?.into_bytes().into();
            Some((b, *v))
        })
        .collect();
    for (w, v) in extra {
        words.entry(w).or_insert(v);
    }
    add_british(&mut l.cues);
    add_british(&mut l.attitudes);
    add_british(&mut l.heads);
    l.words = words;
    l
}

/// The British spelling of an American "-ize" form ("criticized" → "criticised",
/// "organizations" → "organisations"), if the word is one.
fn british(w: &str) -> Option<String> {
    let i = w.rfind("iz")?;
    matches!(&w[i + 2..], "e" | "ed" | "es" | "ing" | "ation" | "ations")
        .then(|| format!("{}is{}", &w[..i], &w[i + 2..]))
}

fn add_british<V: Clone>(m: &mut FxMap<String, V>) {
    let extra: Vec<(String, V)> = m
        .iter()
        .filter_map(|(w, v)| Some((british(w)?, v.clone())))
        .collect();
    for (w, v) in extra {
        m.entry(w).or_insert(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicons_load() {
        let l = get();
        assert!(l.cue("said").is_some_and(|c| c.rate > 0.8));
        // British spellings read as the American ones.
        assert_eq!(
            l.cue("criticised").map(|c| c.rate),
            l.cue("criticized").map(|c| c.rate)
        );
        assert!(l.is_head("organisations", HeadClass::Group));
        assert!(l.cue("also").is_none());
        assert!(l.hedges.contains_word("reportedly"));
        assert!(l.is_head("officials", HeadClass::Group));
        assert!(l.is_head("poll", HeadClass::Document));
        assert_eq!(
            l.attitude("believes").map(|a| a.kind),
            Some(AttributionType::Belief)
        );
        assert_eq!(
            l.attitude("reluctant").map(|a| (a.kind, a.verb)),
            Some((AttributionType::Sentiment, false))
        );
    }
}
