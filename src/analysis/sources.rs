//! Owns source phrases: finding the noun phrase that names who speaks (left of a cue,
//! after an inverted cue, after "according to"); [`super::kinds`] decides what they name.

use super::lexicon::{self, HeadClass};
use super::tagger::{self, class};
use super::tokenize::{TokKind, Token};

pub use super::kinds::classify;

/// Longest source phrase, in tokens; keeps the scans linear on pathological input.
const MAX_NP: usize = 24;

/// Words that end a source phrase when scanning left from a cue: a new clause starts there.
const LEFT_STOPS: &[&str] = &[
    "that",
    "because",
    "but",
    "while",
    "if",
    "when",
    "after",
    "before",
    "since",
    "although",
    "though",
    "so",
    "where",
    "what",
    "how",
    "why",
    "whether",
    "than",
    "unless",
    "until",
    "as",
    "said",
    "says",
    "told",
    "and",
    "or",
    "then",
    "once",
    "also",
    "yet",
    "however",
    "meanwhile",
    "instead",
    "even",
];

/// Auxiliaries and adverbs that may sit between a source and its cue ("has also said").
pub const BETWEEN: &[&str] = &[
    "has",
    "have",
    "had",
    "also",
    "then",
    "later",
    "previously",
    "recently",
    "once",
    "repeatedly",
    "publicly",
    "privately",
    "already",
    "now",
    "further",
    "earlier",
    "again",
    "would",
    "will",
    "did",
    "does",
    "do",
    "never",
    "just",
    "even",
    "often",
    "still",
    "reportedly",
    "allegedly",
    "initially",
    "first",
    "last",
    "subsequently",
    "flatly",
    "strongly",
    "openly",
    "quickly",
    "immediately",
    "directly",
    "simply",
    "confidently",
    "bluntly",
    "explicitly",
    "frequently",
    "separately",
    "ultimately",
    "finally",
    "only",
    "long",
    "famously",
    "notably",
    "angrily",
    "might",
    "may",
    "could",
    "can",
    "should",
    "must",
    "not",
    "n't",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
];

/// Words that end a source phrase on the right ("said Smith in an interview").
const RIGHT_STOPS: &[&str] = &[
    "in",
    "on",
    "at",
    "during",
    "to",
    "that",
    "when",
    "after",
    "before",
    "about",
    "while",
    "as",
    "last",
    "this",
    "on",
    "recently",
    "earlier",
    "yesterday",
    "today",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "and",
    "but",
    "because",
    "if",
    "since",
    "with",
    "from",
    "via",
    "through",
    "by",
    "told",
    "adding",
    "noting",
    "referring",
];

/// Nouns that make "X and …" one named source.
pub const COLLEAGUES: &[&str] = &[
    "colleagues",
    "co-authors",
    "coauthors",
    "collaborators",
    "associates",
    "others",
    "co-workers",
    "team",
];

pub fn is_np_token(t: &Token) -> bool {
    match t.kind {
        TokKind::Word | TokKind::Number => true,
        TokKind::Punct => matches!(t.first, '.' | '’' | '\'' | '-' | '&'),
    }
}

/// The source phrase ending at token `i` (inclusive), scanning left but not before `a`.
/// Returns the token range `[s, i + 1)`, or `None` when token `i` cannot end one.
pub fn left_np(tokens: &[Token], a: usize, i: usize) -> Option<(usize, usize)> {
    let t = &tokens[i];
    if !t.is_word() && t.kind != TokKind::Number {
        return None;
    }
    if t.is_word() && (LEFT_STOPS.contains(&t.norm.as_str()) || BETWEEN.contains(&t.norm.as_str())) {
        return None;
    }
    if t.is("who") || t.is("which") {
        return Some((i, i + 1));
    }
    let mut s = i;
    // "A city official who was not authorized to speak publicly said": a relative clause
    // ends right before the cue; the source is its head noun phrase with the clause.
    if let Some(w) = (a + 1..i).rev().take(12).find(|&k| tokens[k].is("who")) {
        let clause_ok = tokens[w + 1..=i]
            .iter()
            .all(|t| t.is_word() && !LEFT_STOPS.contains(&t.norm.as_str()));
        if clause_ok && tokens[w - 1].is_word() && tokens[w - 1].has(class::NOUN) {
            s = w;
        }
    }
    while s > a && i + 1 - s < MAX_NP {
        let p = &tokens[s - 1];
        if p.is("who") && s - 1 > a && tokens[s - 2].is_word() {
            // "officials who requested anonymity told": the relative clause belongs to the
            // source; keep scanning to its head.
            s -= 1;
            continue;
        }
        // "a CNN/ORC poll": a slash inside a name joins it.
        let slash_name = p.is_punct('/')
            && s >= 2
            && s - 1 > a
            && tokens[s - 2].end == p.start
            && p.end == tokens[s].start
            && tokens[s - 2].is_capitalized()
            && tokens[s].is_capitalized();
        if (!is_np_token(p) && !slash_name) || p.is("who") || p.is("which") {
            break;
        }
        // A dot only belongs to the phrase as an abbreviation's ("Mr.", "U.S.").
        if p.is_punct('.') && !(s >= 2 && tokens[s - 2].end == p.start && tokens[s - 2].is_word()) {
            break;
        }
        // "Trump and Clinton said", "Twitter and social-media exchanges show": a coordinated
        // subject when "and" joins two capitalised words or sits at the sentence start side.
        let coordinated = p.is("and")
            && s >= 2
            && s - 1 > a
            && tokens[s - 2].is_word()
            && tokens[s - 2].is_capitalized()
            && tokens[s].is_word()
            && (s - 2 == a || !tokens[s - 3].is_word() || tokens[s - 3].is_capitalized());
        // "Committee on Energy and Commerce", "Dr. Lee and colleagues": "and" between names,
        // or a name and "colleagues".
        let coordinated = coordinated
            || (p.is("and")
                && s >= 2
                && s - 1 > a
                && tokens[s - 2].has(class::PROPER)
                && (tokens[s].has(class::PROPER) || COLLEAGUES.contains(&tokens[s].norm.as_str())));
        if !coordinated && p.is_word() && (LEFT_STOPS.contains(&p.norm.as_str()) || is_verbish(&p.norm)) {
            break;
        }
        // A source is a noun phrase, never a clause: a finite verb ends it ("The film might
        // show the dictator …" → "the dictator").
        // Inside a relative clause ("officials who requested anonymity told") the scan goes
        // on to the head.
        let relative = tokens[(s - 1).saturating_sub(6).max(a)..s - 1]
            .iter()
            .any(|t| t.is("who") || t.is("which"));
        // "people briefed on the talks": words of anonymous sourcing stay in the phrase.
        let anonymity_word = p.first_of & 8 != 0;
        let name_inside = p.is_capitalized() && s - 1 > a;
        if p.has(class::FINITE) && !name_inside && !relative && !anonymity_word {
            break;
        }
        // A preposition belongs to the phrase only after its noun ("a spokesman for the
        // city", "critics of the mayor"); after a verb or adverb the phrase is its object
        // ("wrote directly to fans insisting").
        let attaches = s - 1 > a
            && {
                let q = &tokens[s - 2];
                !q.is_word() || q.has(class::NOUN) || q.has(class::PRON) || q.tag == tagger::UNTAGGED || q.is_capitalized()
                // "officials speaking to the AP", "sources close to the talks".
                || (s - 2 > a
                    && (q.has(class::GERUND) || q.has(class::PARTICIPLE) || q.has(class::ADJ) || q.first_of & 8 != 0)
                    && (tokens[s - 3].has(class::NOUN) || tokens[s - 3].has(class::DET) || tokens[s - 3].has(class::PRON)))
            };
        if p.is_word() && p.has(class::PREP) && !p.is("of") && !attaches && !anonymity_word && !relative {
            break;
        }
        s -= 1;
    }
    // Drop a leading lone punctuation token.
    while s <= i && tokens[s].kind == TokKind::Punct {
        s += 1;
    }
    (s <= i).then_some((s, i + 1))
}

/// The source phrase starting at token `i`, scanning right but not to `b`.
pub fn right_np(tokens: &[Token], i: usize, b: usize) -> Option<(usize, usize)> {
    if i >= b {
        return None;
    }
    let t = &tokens[i];
    if !t.is_word() || RIGHT_STOPS.contains(&t.norm.as_str()) {
        return None;
    }
    let mut e = i;
    while e < b && e - i < MAX_NP {
        let p = &tokens[e];
        if !is_np_token(p) {
            break;
        }
        if p.is_punct('.') && !(e > i && tokens[e - 1].end == p.start && tokens[e - 1].is_word()) {
            break;
        }
        // A dot before a lowercase word ends the phrase, except after a dotted abbreviation
        // ("according to senior U.S. officials who warn").
        if p.is_punct('.')
            && e + 1 < b
            && !tokens[e + 1].is_capitalized()
            && !tokens[e - 1].norm.contains('.')
        {
            break;
        }
        // "the Cumbria Fire and Rescue squad": "and" inside a name.
        let in_name = p.is("and")
            && e > i
            && e + 1 < b
            && tokens[e - 1].is_capitalized()
            && tokens[e + 1].is_capitalized();
        if e > i
            && p.is_word()
            && !in_name
            && (RIGHT_STOPS.contains(&p.norm.as_str()) || p.is("who") || is_verbish(&p.norm))
        {
            break;
        }
        e += 1;
    }
    while e > i && tokens[e - 1].kind == TokKind::Punct {
        e -= 1;
    }
    // "said a BBC executive, Caroline Thomson.": an apposition that names the speaker
    // closes the sentence or clause; it belongs to the source.
    if e > i && e < b && tokens[e].is_punct(',') && !tokens[e - 1].is_capitalized() {
        let n = (e + 1..b.min(e + 6))
            .take_while(|&k| {
                tokens[k].is_capitalized()
                    || (tokens[k].is_punct('.') && tokens[k - 1].end == tokens[k].start)
            })
            .count();
        let closes = e + 1 + n == b
            || tokens
                .get(e + 1 + n)
                .is_some_and(|t| t.kind == TokKind::Punct && matches!(t.first, '.' | ',' | ';'));
        let person = tokens[e + 1..e + 1 + n].iter().any(|t| t.has(class::PERSON));
        if n >= 2 && closes && person {
            e += 1 + n;
            while e > i && tokens[e - 1].kind == TokKind::Punct {
                e -= 1;
            }
        }
    }
    (e > i).then_some((i, e))
}

/// A word that may follow an inverted source ("said Smith in …", "said Smith, who …").
pub fn ends_right_np(t: &Token) -> bool {
    RIGHT_STOPS.contains(&t.norm.as_str()) || matches!(t.norm.as_str(), "who" | "which" | "whose")
}

/// Whether the phrase `[s, e)` names something that can speak: a name, a pronoun, or a
/// head word of the source lexicon ("residents", "the ministry", "a report"); "a suicide car
/// bomber" is none of these.
pub fn speaker_like(tokens: &[Token], s: usize, e: usize) -> bool {
    let lex = lexicon::get();
    tokens[s..e].iter().any(|t| {
        t.is_word()
            && (t.has(class::PROPER)
                || t.has(class::PRON)
                || !lex.head_classes(t.norm.trim_end_matches("'s")).is_empty())
    })
}

/// Whether a one-token source is a pronoun that needs resolving.
pub fn is_pronoun(tokens: &[Token], s: usize, e: usize) -> bool {
    e == s + 1 && lexicon::get().is_head(&tokens[s].norm, HeadClass::Pronoun)
}

/// Finite auxiliaries: a subject never spans one ("“X” is a term Y coined").
fn is_verbish(w: &str) -> bool {
    // "It's getting people to see": a pronoun with a contracted verb opens a clause.
    if let Some(p) = w.strip_suffix("'s").or_else(|| w.strip_suffix("'re")) {
        if matches!(
            p,
            "it" | "that" | "there" | "here" | "what" | "he" | "she" | "who" | "they" | "we" | "you"
        ) {
            return true;
        }
    }
    matches!(
        w,
        "is" | "are"
            | "was"
            | "were"
            | "has"
            | "have"
            | "had"
            | "will"
            | "would"
            | "can"
            | "could"
            | "did"
            | "does"
            | "do"
            | "be"
            | "been"
    )
}
