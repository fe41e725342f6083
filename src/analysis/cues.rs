//! Owns cue detection: which tokens of a sentence mark an attribution ("said", "told",
//! "according to", "has learned", "reportedly").
//!
//! Single-word cues come from `data/lexicons/cues.tsv`, a list derived from the PolNeAR train
//! split with each word's cue rate; a word is a cue when its rate clears [`MIN_RATE`].

use super::lexicon::{self, CueStat, HeadClass};
use super::tagger::class;
use super::tokenize::{is_dquote, TokKind, Token};

/// Minimum train cue rate for a word to count as a cue.
pub const MIN_RATE: f32 = 0.45;
/// Train cue rate from which a word is a cue whatever its tag ("said", "told").
pub const SURE_RATE: f32 = 0.8;
/// Minimum train cue rate for a word right after a speaker-like head word.
pub const WEAK_RATE: f32 = 0.15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueForm {
    /// A reporting verb or noun: "said", "told", "claims".
    Verb,
    /// "according to X".
    AccordingTo,
    /// A source-less adverb: "reportedly", "allegedly".
    Adverb,
}

#[derive(Debug, Clone, Copy)]
pub struct Cue {
    /// Token range of the cue words.
    pub tok_start: usize,
    pub tok_end: usize,
    pub form: CueForm,
    pub stat: Option<CueStat>,
}

/// Verbs whose object (the addressee) sits between the cue and the content: "told reporters that".
pub const ADDRESSEE_VERBS: &[&str] = &[
    "told", "tell", "tells", "telling", "warned", "warns", "assured", "reminded", "informed", "asked",
    "asks", "urged", "urges", "promised", "briefed",
];

/// Finds the cues in tokens `[a, b)`.
pub fn find(tokens: &[Token], a: usize, b: usize) -> Vec<Cue> {
    let lex = lexicon::get();
    let mut out = Vec::new();
    let mut k = a;
    while k < b {
        let t = &tokens[k];
        if !t.is_word() {
            k += 1;
            continue;
        }
        // Byte comparisons only: this loop visits every word of the article.
        if t.norm.is("according") && k + 1 < b && tokens[k + 1].is("to") {
            out.push(Cue {
                tok_start: k,
                tok_end: k + 2,
                form: CueForm::AccordingTo,
                stat: t.cue,
            });
            k += 2;
            continue;
        }
        if t.norm.is("learned") && k > a && (tokens[k - 1].is("has") || tokens[k - 1].is("have")) {
            out.push(Cue {
                tok_start: k - 1,
                tok_end: k + 1,
                form: CueForm::Verb,
                stat: lex.cue("said"),
            });
            k += 1;
            continue;
        }
        if t.norm.is("reportedly") || t.norm.is("allegedly") || t.norm.is("purportedly") {
            out.push(Cue {
                tok_start: k,
                tok_end: k + 1,
                form: CueForm::Adverb,
                stat: t.cue,
            });
            k += 1;
            continue;
        }
        if t.cue.is_none_or(|c| c.rate < MIN_RATE) && group_subject_verb(tokens, a, k) {
            out.push(Cue {
                tok_start: k,
                tok_end: k + 1,
                form: CueForm::Verb,
                stat: None,
            });
            k += 1;
            continue;
        }
        if let Some(stat) = t.cue {
            // A weaker cue word counts right after a speaker-like head ("agents claim",
            // "polls show").
            let after_head = stat.rate < MIN_RATE && k > a && {
                let p = &tokens[k - 1];
                p.is_word()
                    && [
                        HeadClass::Group,
                        HeadClass::Person,
                        HeadClass::Document,
                        HeadClass::Organization,
                    ]
                    .iter()
                    .any(|&c| lex.is_head(&p.norm, c))
            };
            let strong_enough = stat.rate >= MIN_RATE || (stat.rate >= WEAK_RATE && after_head);
            // Below the surest cues, the tagger must read the word as a verb ("the report",
            // "a claim" are not cues; "is denying", "divulged" are).
            let verb_ok = stat.rate >= SURE_RATE || t.has(class::VERB);
            let quote_ok = t.first_of & lexicon::NEEDS_QUOTE == 0 || quote_near(tokens, a, b, k);
            if strong_enough && verb_ok && quote_ok && plausible_verb(tokens, a, k) {
                out.push(Cue {
                    tok_start: k,
                    tok_end: k + 1,
                    form: CueForm::Verb,
                    stat: Some(stat),
                });
            }
        }
        k += 1;
    }
    out
}

/// Verbs that state no stance of their subject.
const PLAIN_VERBS: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "do", "does", "did",
    "get", "gets", "got", "go", "goes", "went", "come", "comes", "came", "make", "makes", "made", "take",
    "takes", "took", "live", "lives", "lived", "work", "works", "worked", "include", "includes", "included",
    "arrived", "died", "gathered", "became", "become", "remain", "remained", "remains", "will", "would",
    "can", "could", "may", "might", "must", "should", "shall", "need", "needs",
];

/// A stance or speech verb whose subject is a group or an unnamed person ("Clinton
/// supporters think", "conservative commentators have exposed", "Lobbyists prefer"):
/// PolNeAR attributes such beliefs and acts to their holders.
fn group_subject_verb(tokens: &[Token], a: usize, k: usize) -> bool {
    let t = &tokens[k];
    if !t.has(class::VERB) || t.has(class::GERUND) || PLAIN_VERBS.contains(&t.norm.as_str()) {
        return false;
    }
    let mut j = k;
    while j > a && tokens[j - 1].is_word() && super::sources::BETWEEN.contains(&tokens[j - 1].norm.as_str()) {
        j -= 1;
    }
    // A participle only after an auxiliary ("have exposed"), not as a modifier.
    if t.has(class::PARTICIPLE) && j == k {
        return false;
    }
    if j == a {
        return false;
    }
    // The verb must take a proposition: a "that"-clause, a quotation, a colon or an
    // infinitive ("think that", "fear the plan will fail" is missed, "arrived" never counts).
    let next = tokens[k + 1..].iter().take(3).find(|t| !t.has(class::ADV));
    let proposition = next.is_some_and(|n| {
        n.is("that") || n.is("to") || n.is_punct(':') || (n.kind == TokKind::Punct && is_dquote(n.first))
    });
    if !proposition {
        return false;
    }
    let h = &tokens[j - 1];
    let lex = lexicon::get();
    let head = h.norm.as_str();
    h.is_word()
        && !h.has(class::PROPER)
        && h.has(class::NOUN)
        && h.has(class::PLURAL)
        && (lex.is_head(head, HeadClass::Group) || lex.is_head(head.trim_end_matches('s'), HeadClass::Person))
}

/// A quotation mark or colon within two tokens of token `k`: "“…,” he continued".
fn quote_near(tokens: &[Token], a: usize, b: usize, k: usize) -> bool {
    tokens[k.saturating_sub(2).max(a)..(k + 3).min(b)]
        .iter()
        .any(|t| t.kind == TokKind::Punct && (is_dquote(t.first) || t.first == ':'))
}

/// Rejects uses that are not reporting: "the said", a cue word straight after a
/// determiner ("a claim", "the report").
fn plausible_verb(tokens: &[Token], a: usize, k: usize) -> bool {
    if k > a {
        let p = &tokens[k - 1];
        if p.is_word()
            && matches!(
                p.norm.as_str(),
                "the" | "a" | "an" | "this" | "that" | "his" | "her" | "their"
                    // Modal and hypothetical uses ("you can say", "to say the least") are
                    // rarely attributions in the train split.
                    | "you" | "i" | "will" | "can" | "would" | "could" | "should" | "might" | "may"
                    | "must" | "to" | "just" | "never" | "easier" | "all" | "cannot" | "i'd" | "let's"
            )
        {
            return false;
        }
    }
    true
}
