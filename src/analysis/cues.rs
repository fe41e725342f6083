//! Owns cue detection: which tokens of a sentence mark an attribution ("said", "told",
//! "according to", "has learned", "reportedly").
//!
//! Single-word cues come from `data/lexicons/cues.tsv`, a list derived from the PolNeAR train
//! split with each word's cue rate; a word is a cue when its rate clears [`MIN_RATE`].

use super::lexicon::{self, CueStat, HeadClass};
use super::tokenize::Token;

/// Minimum train cue rate for a word to count as a cue.
pub const MIN_RATE: f32 = 0.45;
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
            if strong_enough && plausible_verb(tokens, a, k) {
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
