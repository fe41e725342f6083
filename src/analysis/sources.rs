//! Owns source phrases: finding the noun phrase that names who speaks (left of a cue,
//! after an inverted cue, after "according to"), and deciding its [`SourceKind`].

use super::lexicon::{self, HeadClass};
use super::model::SourceKind;
use super::tagger::{self, class};
use super::tokenize::{TokKind, Token};

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

/// Words after which a noun phrase's head is over ("officials who …", "director of …").
const HEAD_ENDERS: &[&str] = &[
    "who",
    "that",
    "which",
    "of",
    "at",
    "from",
    "with",
    "for",
    "in",
    "close",
    "familiar",
    "on",
    "to",
    "involved",
    "briefed",
    "knowledgeable",
    "speaking",
    "inside",
    "within",
    "under",
    "over",
    "among",
    "whose",
    "working",
    "based",
    "like",
    "including",
];

/// Quantity nouns whose head is after "of".
const QUANTIFIERS: &[&str] = &[
    "number",
    "majority",
    "minority",
    "handful",
    "dozens",
    "couple",
    "lot",
    "lots",
    "group",
    "plenty",
    "most",
    "many",
    "some",
    "several",
    "few",
    "hundreds",
    "thousands",
    "millions",
    "share",
    "percent",
    "half",
];

/// Plural roles that, with "both"/"the", point at people the article has named.
const ROLE_PLURALS: &[&str] = &[
    "candidates",
    "nominees",
    "leaders",
    "senators",
    "presidents",
    "men",
    "women",
];

const INDEFINITE: &[&str] = &[
    "a", "an", "one", "another", "some", "several", "many", "two", "three", "four", "five", "few",
    "multiple", "numerous", "various", "other", "others", "most", "any", "certain", "senior", "top",
];

/// Singular heads that stay anonymous even with "the" ("the source said").
const ANONYMOUS: &[&str] = &[
    "source",
    "official",
    "aide",
    "adviser",
    "advisor",
    "insider",
    "operative",
    "person",
    "someone",
    "informant",
    "staffer",
    "strategist",
    "confidant",
    "associate",
    "ally",
    "friend",
    "donor",
    "witness",
    "employee",
    "observer",
    "expert",
    "analyst",
];

/// Collective nouns for officers of a force: unnamed unless a name says which force.
const GENERIC_FORCES: &[&str] = &["police"];

/// Nouns that make "X and …" one named source.
const COLLEAGUES: &[&str] = &[
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
        if !is_np_token(p) || p.is("who") || p.is("which") {
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
        if p.is_punct('.') && e + 1 < b && !tokens[e + 1].is_capitalized() {
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

/// Decides the kind of the source phrase `[s, e)`. Pronouns come back as `None` (the caller
/// resolves them); `sentence_start` is the first token of the sentence, whose capital letter
/// says nothing about names.
pub fn classify(tokens: &[Token], s: usize, e: usize, sentence_start: usize) -> Option<SourceKind> {
    let lex = lexicon::get();
    if is_pronoun(tokens, s, e) {
        return None;
    }
    // "Many, including myself, have learned": the writer counts among the speakers.
    if tokens[s..e].iter().any(|t| t.is("myself") || t.is("ourselves")) {
        return Some(SourceKind::Author);
    }
    // The core phrase: up to the first head-ender or comma (appositions are handled by the
    // caller choosing the core).
    // A head-ender ends the head only after a noun: "officials familiar with", but
    // "an inside source" (tagged by the tagger; untagged text counts as nouns).
    let after_noun = |k: usize| {
        let p = &tokens[k - 1];
        p.tag == tagger::UNTAGGED || p.has(class::NOUN) || p.has(class::PRON) || !p.is_word()
    };
    let core_end_from = |s: usize| {
        (s..e)
            .find(|&k| {
                let t = &tokens[k];
                (k > s && t.is_word() && HEAD_ENDERS.contains(&t.norm.as_str()) && after_noun(k))
                    || t.is_punct(',')
                    // "Dr. Lee and colleagues", "Trump and Clinton": the first conjunct is
                    // the head when it is a name.
                    || (k > s
                        && k + 1 < e
                        && (t.is("and") || t.is_punct('&'))
                        && tokens[k - 1].has(class::PROPER)
                        && (tokens[k + 1].has(class::PROPER)
                            || COLLEAGUES.contains(&tokens[k + 1].norm.as_str())))
            })
            .unwrap_or(e)
    };
    let mut core_end = core_end_from(s);
    // "a number of tax experts", "dozens of officials": the head follows "of".
    if core_end < e
        && core_end > s
        && tokens[core_end].is("of")
        && QUANTIFIERS.contains(&tokens[core_end - 1].norm.as_str())
    {
        core_end = core_end_from(core_end + 1);
    }
    // Strip a trailing possessive/punctuation.
    let mut h = core_end;
    while h > s && !tokens[h - 1].is_word() {
        h -= 1;
    }
    if h == s {
        return Some(SourceKind::NamedPerson);
    }
    let head = &tokens[h - 1];
    let hw = head.norm.trim_end_matches("'s");
    let head_is_name = head.is_capitalized() && (h - 1 != sentence_start || head.has(class::PROPER));
    let first = tokens[s].norm.as_str();
    let core = &tokens[s..h];
    let any_org_name = core
        .iter()
        .any(|t| t.is_capitalized() && lex.is_head(t.norm.trim_end_matches("'s"), HeadClass::Organization));
    // "Treasury Department spokeswoman Ana Ruiz": a role word before a capitalised name makes
    // the phrase a person, whatever organisation words come before the role.
    if head_is_name
        && core[..core.len() - 1]
            .iter()
            .any(|t| !t.is_capitalized() && lex.is_head(&t.norm, HeadClass::Person))
    {
        return Some(SourceKind::NamedPerson);
    }
    // "Another pollster, David Woodard of Clemson University": an apposition that names a
    // person makes the source a named person.
    // "a spokesman for the fire service, Brian Mitchelhill": also after the head's modifiers.
    let last_comma = (core_end..e).rev().find(|&k| tokens[k].is_punct(','));
    let named_apposition = last_comma.is_some_and(|c| {
        !head_is_name
            && tokens[c + 1..e]
                .iter()
                .take(4)
                .any(|t| t.is_capitalized() && t.has(class::PERSON))
    });
    if named_apposition {
        return Some(SourceKind::NamedPerson);
    }
    if lex.is_head(hw, HeadClass::Document) && !(head_is_name && any_org_name && h - s == 1) {
        return Some(SourceKind::Document);
    }
    // "both presidential candidates", "the two nominees": a definite set of known people.
    let definite_set = matches!(first, "both" | "the")
        && h - s >= 2
        && lex.is_head(hw, HeadClass::Group)
        && ROLE_PLURALS.contains(&hw);
    if definite_set {
        return Some(SourceKind::NamedPerson);
    }
    if lex.is_head(hw, HeadClass::Group) && (!head_is_name || is_demonym_group(hw)) {
        return Some(SourceKind::UnnamedGroup);
    }
    if lex.is_head(hw, HeadClass::Person) && !head_is_name {
        let indefinite = INDEFINITE.contains(&first) || first == "no";
        if indefinite || ANONYMOUS.contains(&hw) {
            return Some(SourceKind::UnnamedPerson);
        }
        // "the candidate", "his spokesman": a definite role points at someone identified.
        return Some(SourceKind::NamedPerson);
    }
    // "police", "the police": officers of no force the text names.
    if GENERIC_FORCES.contains(&hw)
        && !core
            .iter()
            .any(|t| t.is_capitalized() && t.start != tokens[sentence_start].start)
    {
        return Some(SourceKind::UnnamedGroup);
    }
    if any_org_name || lex.is_head(hw, HeadClass::Organization) {
        return Some(SourceKind::NamedOrganization);
    }
    // A capitalised group word alone ("Officials said") is no name; with other capitalised
    // words it is part of one ("the United Nations").
    let other_caps = core[..core.len() - 1]
        .iter()
        .any(|t| t.is_capitalized() && t.start != tokens[sentence_start].start);
    if lex.is_head(hw, HeadClass::Group) && !other_caps {
        return Some(SourceKind::UnnamedGroup);
    }
    Some(by_tags(core, head, head_is_name, first))
}

/// The kind of a phrase no head word list knows, from the tagger: a name by its name class,
/// a plural common noun as an unnamed group ("Local fishermen"), an indefinite singular one
/// as an unnamed person ("a local pediatrician"), a definite role as someone identified.
fn by_tags(core: &[Token], head: &Token, head_is_name: bool, first: &str) -> SourceKind {
    let f = head.pos();
    if head.tag == tagger::UNTAGGED {
        return SourceKind::NamedPerson;
    }
    if head_is_name || f & class::PROPER != 0 {
        if f & class::NORP != 0 && f & class::PLURAL != 0 {
            return SourceKind::UnnamedGroup;
        }
        if f & (class::ORG | class::LOC) != 0 {
            return SourceKind::NamedOrganization;
        }
        return SourceKind::NamedPerson;
    }
    if core.len() == 1 && matches!(first, "another" | "one" | "someone" | "somebody") {
        return SourceKind::UnnamedPerson;
    }
    if f & class::NOUN != 0 {
        if f & class::PLURAL != 0 {
            return SourceKind::UnnamedGroup;
        }
        if INDEFINITE.contains(&first) || first == "another" {
            return SourceKind::UnnamedPerson;
        }
    }
    SourceKind::NamedPerson
}

/// Finite auxiliaries: a subject never spans one ("“X” is a term Y coined").
fn is_verbish(w: &str) -> bool {
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

/// Capitalised group words that stay unnamed: "Republicans", "Democrats", "Americans".
fn is_demonym_group(w: &str) -> bool {
    matches!(
        w,
        "republicans" | "democrats" | "americans" | "conservatives" | "liberals" | "progressives"
    )
}
