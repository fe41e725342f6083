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
/// Train cue occurrences below which a word's rate alone does not make it a cue.
pub const MIN_COUNT: u32 = 8;
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
    /// A reaction noun with its source after "from": "criticism from Democrats", "warnings
    /// from AI leaders".
    FromSource,
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
        if k + 2 < b && tokens[k + 1].is("from") && REACTION_NOUNS.contains(&t.norm.as_str()) {
            out.push(Cue {
                tok_start: k,
                tok_end: k + 2,
                form: CueForm::FromSource,
                stat: None,
            });
            k += 2;
            continue;
        }
        // "decided to close", "have sought to capitalise": an act or an aim, no report.
        if t.first_of & lexicon::ACTION_TO != 0 && infinitive_follows(tokens, k, b) {
            k += 1;
            continue;
        }
        if let Some(end) = light_verb_statement(tokens, k, b) {
            out.push(Cue {
                tok_start: k,
                tok_end: end,
                form: CueForm::Verb,
                stat: lex.cue("said"),
            });
            k = end;
            continue;
        }
        if t.first_of & lexicon::STANCE != 0 && stance_that(tokens, a, b, k) {
            out.push(Cue {
                tok_start: k,
                tok_end: k + 1,
                form: CueForm::Verb,
                stat: None,
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
            let lexicon_head = |j: usize| {
                let p = &tokens[j];
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
            // A plural common noun names people or things that can hold a view
            // ("Local fishermen report").
            let head_at = |j: usize| {
                let p = &tokens[j];
                lexicon_head(j)
                    || (p.is_word() && p.has(class::NOUN | class::PLURAL) && !p.has(class::PROPER))
            };
            // Auxiliaries and adverbs may stand between ("sources have disputed").
            let mut j = k;
            while j > a
                && k - j < 3
                && tokens[j - 1].is_word()
                && super::sources::BETWEEN.contains(&tokens[j - 1].norm.as_str())
            {
                j -= 1;
            }
            // The head may come before a modifier: "Data from the census show".
            let head_before = j > a
                && (head_at(j - 1)
                    || (tokens[j - 1].has(class::NOUN)
                        && super::sources::left_np(tokens, a, j - 1).is_some_and(|(s, _)| {
                            (s..j - 1)
                                .take_while(|&x| !tokens[x].has(class::PREP))
                                .any(lexicon_head)
                        })));
            // A rate from a handful of train occurrences ("avoided": 5) is no evidence alone.
            let trusted = stat.count >= MIN_COUNT
                || stat.rate >= SURE_RATE
                || t.first_of & lexicon::REPORTING_VERB != 0;
            let after_head = (stat.rate < MIN_RATE || !trusted) && head_before;
            // A verb of the reporting list needs no more ("ministry sources have disputed the
            // claims"); another weak word must introduce a proposition ("authorities are
            // concerned that …", not "people covered in lumps").
            let listed = t.first_of & lexicon::REPORTING_VERB != 0;
            let reporting = listed && t.has(class::VERB);
            // "Local fishermen report that …": a listed verb between a speaker-like head and
            // a proposition is a verb even where the tagger reads a noun compound.
            let verb_by_place = listed && head_before && takes_proposition(tokens, k);
            let weak_ok = reporting || (stat.rate >= WEAK_RATE && (j == k || takes_proposition(tokens, k)));
            let strong_enough = (stat.rate >= MIN_RATE && trusted) || (after_head && weak_ok);
            // Below the surest cues, the tagger must read the word as a verb ("the report",
            // "a claim" are not cues; "is denying", "divulged" are).
            let verb_ok = stat.rate >= SURE_RATE || t.has(class::VERB) || verb_by_place;
            let quote_ok = t.first_of & lexicon::NEEDS_QUOTE == 0 || quote_near(tokens, a, b, k);
            let modifier = stat.rate < SURE_RATE && modifying_participle(tokens, a, b, k);
            if strong_enough
                && verb_ok
                && quote_ok
                && !modifier
                && !naming(tokens, k, b)
                && plausible_verb(tokens, a, k)
            {
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

/// A past participle with no auxiliary before it that modifies a noun: after a determiner
/// ("some listed sources", "one documented outbreak") or as a reduced relative clause whose
/// noun has its own verb later ("Articles presented on the site reflect …", "a decree issued
/// by the president was …"). No one reports anything there. A passive ("was issued by") or
/// perfect ("has issued") keeps its cue.
fn modifying_participle(tokens: &[Token], a: usize, b: usize, k: usize) -> bool {
    let t = &tokens[k];
    if !(t.norm.ends_with("ed") || t.has(class::PARTICIPLE)) || k == a {
        return false;
    }
    let mut j = k - 1;
    while j > a && tokens[j].is_word() && tokens[j].has(class::ADV) && !tokens[j].is("not") {
        j -= 1;
    }
    let p = &tokens[j];
    if !p.is_word() {
        // "(called buboes)"
        return p.is_punct('(');
    }
    if matches!(
        p.norm.as_str(),
        "has"
            | "have"
            | "had"
            | "having"
            | "is"
            | "are"
            | "was"
            | "were"
            | "be"
            | "been"
            | "being"
            | "'s"
            | "'ve"
            | "'d"
    ) {
        return false;
    }
    if p.has(class::DET)
        || matches!(
            p.norm.as_str(),
            "some" | "one" | "many" | "few" | "several" | "any" | "no"
        )
    {
        return true;
    }
    // A reduced relative hangs on a common noun ("Trump called for …" is a report).
    let after_noun = p.has(class::NOUN) && !p.has(class::PRON) && !p.has(class::PROPER);
    let then_prep = tokens.get(k + 1).is_some_and(|n| {
        k + 1 < b
            && n.is_word()
            && matches!(
                n.norm.as_str(),
                "by" | "in"
                    | "on"
                    | "at"
                    | "for"
                    | "from"
                    | "with"
                    | "during"
                    | "under"
                    | "into"
                    | "through"
                    | "across"
                    | "via"
                    | "as"
            )
    });
    if !(after_noun && then_prep) {
        return false;
    }
    // Read as a participle, with nothing reported after it: "medieval people covered in
    // painful lumps".
    let reports = tokens[k + 1..b]
        .iter()
        .any(|t| t.is("that") || (t.kind == TokKind::Punct && (t.first == ':' || is_dquote(t.first))));
    if t.has(class::PARTICIPLE) && !reports {
        return true;
    }
    // The noun's own verb follows before any clause boundary; a base form after "to"
    // ("called for contestants to wear") is not one.
    (k + 2..b)
        .take_while(|&i| {
            (tokens[i].is_word() && !matches!(tokens[i].norm.as_str(), "that" | "and" | "but" | "or"))
                || tokens[i].is_punct(',')
                || tokens[i].is_punct('.')
        })
        .any(|i| {
            let t = &tokens[i];
            t.has(class::FINITE) && !tokens[i - 1].is("to") && t.cue.is_none_or(|c| c.rate < MIN_RATE)
        })
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
    // The verb must take a proposition ("fear the plan will fail" is missed, "arrived" never
    // counts).
    if !takes_proposition(tokens, k) {
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

/// Nouns of a public reaction whose holder follows "from" ("drew criticism from", "calls
/// from", "warnings from").
const REACTION_NOUNS: &[&str] = &[
    "criticism",
    "criticisms",
    "scorn",
    "anger",
    "outrage",
    "praise",
    "condemnation",
    "calls",
    "shouts",
    "complaints",
    "objections",
    "warnings",
    "warning",
    "opposition",
    "resistance",
    "pushback",
    "backlash",
    "protests",
    "demands",
    "pressure",
    "questions",
];

/// "made statements", "issued a statement", "released a joint statement": a light verb
/// and a reporting noun report like a verb. Returns the end of the cue.
fn light_verb_statement(tokens: &[Token], k: usize, b: usize) -> Option<usize> {
    let t = &tokens[k];
    if !matches!(
        t.norm.as_str(),
        "made" | "issued" | "released" | "gave" | "make" | "issue" | "release"
    ) {
        return None;
    }
    let mut j = k + 1;
    while j < b
        && j < k + 4
        && tokens[j].is_word()
        && (tokens[j].has(class::DET) || tokens[j].has(class::ADJ))
    {
        j += 1;
    }
    (j < b
        && tokens[j].is_word()
        && matches!(
            tokens[j].norm.as_str(),
            "statement" | "statements" | "comments" | "remarks" | "announcement"
        ))
    .then_some(j + 1)
}

/// "Authorities are also concerned that …", "officials were thrilled with …": a stance word
/// after a form of "be" (adverbs between) and before "that" or its object, with a subject
/// that can hold a view.
fn stance_that(tokens: &[Token], a: usize, b: usize, k: usize) -> bool {
    // A "that"-clause or the object of the feeling ("thrilled with the editorial", "leery
    // of registering").
    let object = k + 2 < b
        && matches!(
            tokens[k + 1].norm.as_str(),
            "that" | "with" | "about" | "of" | "by" | "over"
        );
    if !(object || (k + 1 < b && tokens[k + 1].is("that"))) {
        return false;
    }
    let mut j = k;
    while j > a && tokens[j - 1].is_word() && tokens[j - 1].has(class::ADV) {
        j -= 1;
    }
    let be = j > a
        && matches!(
            tokens[j - 1].norm.as_str(),
            "is" | "are" | "was" | "were" | "remain" | "remains" | "remained" | "'re" | "been"
        );
    if !be {
        return false;
    }
    let mut h = j - 1;
    while h > a && tokens[h - 1].is_word() && super::sources::BETWEEN.contains(&tokens[h - 1].norm.as_str()) {
        h -= 1;
    }
    h > a
        && super::sources::left_np(tokens, a, h - 1)
            .is_some_and(|(s, e)| super::sources::speaker_like(tokens, s, e))
}

/// "They called it myBivy": naming something, not reporting. A bare name after the object
/// ends the clause; "called it a disgrace" (a judgement) stays a cue.
fn naming(tokens: &[Token], k: usize, b: usize) -> bool {
    if !matches!(
        tokens[k].norm.as_str(),
        "called" | "call" | "calls" | "calling" | "named" | "dubbed"
    ) {
        return false;
    }
    let obj = tokens.get(k + 1).is_some_and(|t| {
        k + 1 < b && matches!(t.norm.as_str(), "it" | "them" | "this" | "itself" | "themselves")
    });
    let bare = tokens
        .get(k + 2)
        .is_some_and(|t| k + 2 < b && t.is_word() && !t.has(class::DET) && !t.has(class::ADJ));
    let closes = k + 3 >= b || !tokens[k + 3].is_word();
    obj && bare && closes
}

/// "to" and a verb right after the verb at `k` (adverbs and "not" between): "decided to close",
/// "tried not to laugh".
fn infinitive_follows(tokens: &[Token], k: usize, b: usize) -> bool {
    let mut j = k + 1;
    while j < b && tokens[j].is_word() && (tokens[j].has(class::ADV) || tokens[j].is("not")) && j < k + 3 {
        j += 1;
    }
    j + 1 < b && tokens[j].is("to") && tokens[j + 1].is_word() && tokens[j + 1].has(class::VERB)
}

/// A "that"-clause, a quotation, a colon or an infinitive right after the verb at `k`.
pub fn takes_proposition(tokens: &[Token], k: usize) -> bool {
    let next = tokens[k + 1..].iter().take(3).find(|t| !t.has(class::ADV));
    next.is_some_and(|n| {
        n.is("that") || n.is("to") || n.is_punct(':') || (n.kind == TokKind::Punct && is_dquote(n.first))
    })
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
                "the" | "a" | "an" | "this" | "that" | "his" | "her" | "their" | "its" | "our" | "my" | "your"
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
