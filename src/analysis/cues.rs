//! Owns cue detection: which tokens of a sentence mark an attribution ("said", "told",
//! "according to", "has learned", "reportedly").
//!
//! Single-word cues come from `data/lexicons/cues.tsv`, a list derived from the PolNeAR train
//! split with each word's cue rate; a word is a cue when its rate clears [`MIN_RATE`].

use super::lexicon::{self, CueStat, HeadClass};
use super::model::{AttributionType, SourceKind};
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
    /// Speech, belief or sentiment: from `attitudes.txt` for the cue's last word, else speech.
    pub kind: AttributionType,
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
                kind: AttributionType::Speech,
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
                kind: AttributionType::Speech,
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
                kind: AttributionType::Speech,
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
                kind: AttributionType::Speech,
            });
            k += 2;
            continue;
        }
        // "decided to close", "have sought to capitalise": an act or an aim, no report.
        if (t.first_of & lexicon::ACTION_TO != 0 && infinitive_follows(tokens, k, b))
            || not_a_report(tokens, a, b, k)
        {
            k += 1;
            continue;
        }
        if let Some(end) = light_verb_statement(tokens, k, b) {
            out.push(Cue {
                tok_start: k,
                tok_end: end,
                form: CueForm::Verb,
                stat: lex.cue("said"),
                kind: AttributionType::Speech,
            });
            k = end;
            continue;
        }
        if t.first_of & lexicon::ATTITUDE != 0 && attitude_verb(tokens, a, b, k) {
            out.push(Cue {
                tok_start: k,
                tok_end: k + 1,
                form: CueForm::Verb,
                stat: None,
                kind: AttributionType::Speech,
            });
            k += 1;
            continue;
        }
        if t.first_of & lexicon::STANCE != 0 && stance_that(tokens, a, b, k) {
            out.push(Cue {
                tok_start: k,
                tok_end: k + 1,
                form: CueForm::Verb,
                stat: None,
                kind: AttributionType::Speech,
            });
            k += 1;
            continue;
        }
        if t.cue.is_none_or(|c| c.rate < MIN_RATE)
            && t.first_of & lexicon::REPORTING_VERB == 0
            && group_act(tokens, a, b, k)
        {
            out.push(Cue {
                tok_start: k,
                tok_end: k + 1,
                form: CueForm::Verb,
                stat: None,
                kind: AttributionType::Stance,
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
                kind: AttributionType::Speech,
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
            // Right after its head (no auxiliary, no proposition) a weak word counts after a
            // noun that can name people, not after a number or a decade ("The Balkan wars of
            // the 1990s shocked").
            let adjacent =
                j == k && j > a && !tokens[j - 1].has(class::NUM) && !is_decade(&tokens[j - 1].norm);
            let weak_ok = reporting || (stat.rate >= WEAK_RATE && (adjacent || takes_proposition(tokens, k)));
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
                    kind: AttributionType::Speech,
                });
            }
        }
        k += 1;
    }
    for c in &mut out {
        let kind = cue_type(&tokens[c.tok_end - 1], c.form);
        if c.kind == AttributionType::Speech || kind != AttributionType::Speech {
            c.kind = kind;
        }
    }
    out
}

/// The attribution type a cue marks: belief and sentiment words of `attitudes.txt`, else speech.
fn cue_type(t: &Token, form: CueForm) -> AttributionType {
    if form != CueForm::Verb || t.first_of & (lexicon::ATTITUDE | lexicon::STANCE) == 0 {
        return AttributionType::Speech;
    }
    match lexicon::get().attitude(&t.norm) {
        Some(at) => at.kind,
        // The stance list of `cue_verbs.txt` holds feelings ("thrilled with").
        None if t.first_of & lexicon::STANCE != 0 => AttributionType::Sentiment,
        None => AttributionType::Speech,
    }
}

/// Negations and auxiliaries between a holder and its belief verb ("don't think", "still
/// question"), besides [`super::sources::BETWEEN`].
pub const ATTITUDE_BETWEEN: &[&str] = &[
    "don't",
    "doesn't",
    "didn't",
    "won't",
    "wouldn't",
    "can't",
    "cannot",
    "generally",
    "increasingly",
    "widely",
    "firmly",
    "largely",
    "mostly",
    "overwhelmingly",
    "clearly",
    "really",
    "truly",
    "genuinely",
    "privately",
    "deeply",
    "always",
    "traditionally",
    "sincerely",
    "apparently",
    "certainly",
    "probably",
    "seem",
    "seems",
    "seemed",
    "to",
];

/// Subjects that hold no reportable view of their own: the writer ("I think", "we believe"
/// outside quotes is the writer's opinion) and impersonal "it", "you", "one".
const NO_HOLDER: &[&str] = &[
    "i", "we", "you", "it", "one", "this", "that", "there", "what", "which",
];

/// The head word of the noun phrase `[s, e)`: its last word before a preposition, a comma or
/// a relative pronoun ("Farmers in the valley" → "Farmers").
fn np_head(tokens: &[Token], s: usize, e: usize) -> usize {
    let end = (s + 1..e)
        .find(|&i| {
            let t = &tokens[i];
            (t.is_word() && (t.has(class::PREP) || t.is("who") || t.is("which") || t.is("that")))
                || t.is_punct(',')
        })
        .unwrap_or(e);
    (s..end).rev().find(|&i| tokens[i].is_word()).unwrap_or(e - 1)
}

/// "Officials believe the plan will fail", "Voters fear that …", "Democrats don't think …",
/// "Most Republicans want a new nominee": a belief or sentiment verb (`attitudes.txt`) with a
/// noun-phrase subject that can hold a view, and a proposition after it (for beliefs a clause,
/// an infinitive or an "as"-phrase; for sentiments also an object).
fn attitude_verb(tokens: &[Token], a: usize, b: usize, k: usize) -> bool {
    let t = &tokens[k];
    let Some(at) = lexicon::get().attitude(&t.norm) else {
        return false;
    };
    if !at.verb || t.has(class::GERUND) || k + 1 >= b {
        return false;
    }
    // The tagger sometimes misses the verb between a plural subject and its clause ("voters
    // wonder/WP whether …"); the place says it.
    let by_place = k > a
        && tokens[k - 1].has(class::NOUN)
        && tokens[k - 1].has(class::PLURAL)
        && tokens[k + 1].is_word()
        && matches!(tokens[k + 1].norm.as_str(), "that" | "whether" | "if");
    if !(t.has(class::VERB) || by_place) {
        return false;
    }
    let between = |w: &str| super::sources::BETWEEN.contains(&w) || ATTITUDE_BETWEEN.contains(&w);
    let mut j = k;
    let mut perfect = false;
    let mut infinitive = false;
    while j > a && k - j < 5 && tokens[j - 1].is_word() && between(tokens[j - 1].norm.as_str()) {
        let w = tokens[j - 1].norm.as_str();
        if matches!(w, "has" | "have" | "had") {
            perfect = true;
        }
        infinitive |= w == "to";
        // "is believed to", "was feared": a passive, whose subject holds nothing.
        if matches!(w, "is" | "are" | "was" | "were" | "be" | "been" | "being") && t.has(class::PARTICIPLE) {
            return false;
        }
        j -= 1;
    }
    // A past participle reports only after "have" ("had expected"); elsewhere it modifies a
    // noun ("the much-feared plan") or is passive.
    if t.has(class::PARTICIPLE) && !perfect {
        return false;
    }
    // "The person believed to be responsible": a past form right before an infinitive, with
    // no auxiliary, is a reduced passive (the active verb would need its object first).
    // Verbs of hoping and wanting take an infinitive in the active ("hoped to win"); verbs of
    // believing do not ("believed Smith to be" needs the object).
    if j == k
        && matches!(
            t.norm.as_str(),
            "believed"
                | "thought"
                | "considered"
                | "assumed"
                | "presumed"
                | "suspected"
                | "understood"
                | "known"
        )
        && takes_infinitive(tokens, k, b)
    {
        return false;
    }
    if j == a || !tokens[j - 1].is_word() {
        return false;
    }
    let Some((s, e)) = super::sources::left_np(tokens, a, j - 1) else {
        return false;
    };
    let head = &tokens[np_head(tokens, s, e)];
    if NO_HOLDER.contains(&head.norm.as_str()) || (e == s + 1 && NO_HOLDER.contains(&tokens[s].norm.as_str()))
    {
        return false;
    }
    // "getting people to see what it is": before an infinitive, a phrase that is the object
    // of a verb ("getting", "let", "asked") holds no view of its own.
    if infinitive
        && (tokens[s].has(class::GERUND)
            || (s > a
                && tokens[s - 1].is_word()
                && (tokens[s - 1].has(class::VERB) || tokens[s - 1].norm.ends_with("'s"))))
    {
        return false;
    }
    let holder = super::sources::speaker_like(tokens, s, e)
        || (head.has(class::NOUN) && head.has(class::PLURAL) && !head.has(class::PROPER));
    if !holder || head.has(class::NUM) {
        return false;
    }
    // The phrase must be the verb's subject, not an object ("sent a message to voters who
    // want …" keeps "who"; "told reporters" does not hold a belief): nothing verbal or
    // prepositional right before it, other than a clause opener.
    if s > a {
        let p = &tokens[s - 1];
        // "If Washington rejects controls, …": a supposition, no one's view.
        if p.is("if") || p.is("unless") {
            return false;
        }
        let opener = p.is_word()
            && matches!(
                p.norm.as_str(),
                "that"
                    | "and"
                    | "but"
                    | "while"
                    | "as"
                    | "than"
                    | "because"
                    | "although"
                    | "though"
                    | "when"
                    | "since"
                    | "so"
                    | "yet"
                    | "whether"
                    | "where"
                    | "even"
            );
        if p.is_word() && !opener && (p.has(class::VERB) || p.has(class::PREP)) {
            return false;
        }
    }
    // What the view is about.
    let rest: Vec<&Token> = tokens[k + 1..b].iter().take(12).collect();
    let next = rest
        .iter()
        .position(|t| !(t.is_word() && t.has(class::ADV) && !t.is("so")));
    let Some(n) = next else {
        return false;
    };
    let first = rest[n];
    if first.kind == TokKind::Punct && !(is_dquote(first.first) || first.first == ':') {
        return false;
    }
    if takes_proposition(tokens, k) {
        return true;
    }
    match at.kind {
        // A clause ("think Clinton can win"), "whether"/"if" ("wonder whether"), or an object
        // and "as" ("view the nomination as a takeover").
        AttributionType::Belief => {
            if first.is_word()
                && matches!(
                    first.norm.as_str(),
                    "whether" | "if" | "how" | "why" | "what" | "so"
                )
            {
                return true;
            }
            let upto = rest[n..]
                .iter()
                .take_while(|t| {
                    t.is_word() || t.kind == TokKind::Number || t.is_punct('’') || t.is_punct('\'')
                })
                .count();
            let run = &rest[n..n + upto];
            // A finite verb after a subject noun phrase of at least one word.
            run.iter().enumerate().skip(1).any(|(i, t)| {
                t.has(class::FINITE)
                    && (run[i - 1].has(class::NOUN)
                        || run[i - 1].has(class::PRON)
                        || run[i - 1].has(class::PROPER))
            }) || run.iter().skip(1).any(|t| t.is("as"))
        }
        // An object: a noun phrase, a gerund or an infinitive, not a clause boundary. A
        // country that "backs" or "supports" a side gives aid, not a view ("Iran backs the
        // Houthis").
        _ => {
            !tokens[s..e].iter().any(|t| t.has(class::LOC))
                && first.is_word()
                && (first.has(class::NOUN)
                    || first.has(class::DET)
                    || first.has(class::PRON)
                    || first.has(class::PROPER)
                    || first.has(class::ADJ)
                    || first.has(class::GERUND)
                    || first.has(class::NUM)
                    || matches!(first.norm.as_str(), "for" | "about" | "against" | "to"))
        }
    }
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
    // The subject's head, not the last word before the verb: "supporters of Thaçi have
    // protested that …".
    let mut h = &tokens[j - 1];
    if h.has(class::PROPER) && h.is_word() {
        if let Some((s, e)) = super::sources::left_np(tokens, a, j - 1) {
            h = &tokens[np_head(tokens, s, e)];
        }
    }
    let lex = lexicon::get();
    let head = h.norm.as_str();
    h.is_word()
        && !h.has(class::PROPER)
        && h.has(class::NOUN)
        && h.has(class::PLURAL)
        && (lex.is_head(head, HeadClass::Group) || lex.is_head(head.trim_end_matches('s'), HeadClass::Person))
}

/// Verbs after a group subject that show no position of it ("voters turned out", "officials
/// arrived"), besides [`PLAIN_VERBS`].
const NO_STANCE_VERBS: &[&str] = &[
    "began",
    "begin",
    "begins",
    "started",
    "start",
    "starts",
    "went",
    "left",
    "met",
    "meet",
    "meets",
    "voted",
    "vote",
    "votes",
    "won",
    "win",
    "lost",
    "lose",
    "turned",
    "turn",
    "showed",
    "show",
    "rose",
    "fell",
    "grew",
    "spent",
    "spend",
    "paid",
    "pay",
    "received",
    "receive",
    "used",
    "use",
    "found",
    "find",
    "saw",
    "see",
    "seen",
    "gave",
    "give",
    "put",
    "set",
    "ran",
    "run",
    "seemed",
    "seem",
    "seems",
    "appear",
    "appeared",
    "appears",
    "tend",
    "tends",
    "tended",
    "continue",
    "continued",
    "continues",
    "try",
    "tried",
    "tries",
    "want",
    "kept",
    "keep",
    "let",
    "helped",
    "help",
    "look",
    "looked",
    "looks",
    "moved",
    "came",
    "stayed",
    "stay",
    "sat",
    "stood",
    "waited",
    "wait",
    "killed",
    "died",
    "fled",
    "flee",
    "face",
    "faced",
    "faces",
    "number",
    "numbered",
    "represent",
    "represents",
    "represented",
    "account",
    "accounted",
    "make",
    "made",
    "hold",
    "held",
    "holds",
    "own",
    "owned",
    "earn",
    "earned",
    "live",
    "lived",
    "work",
    "worked",
    "attend",
    "attended",
    "gather",
    "gathered",
    "arrive",
    "arrived",
    "expect",
    "expected",
];

/// "Democrats have pushed for immediate action", "Proponents are hailing the effort",
/// "conservative commentators have exposed his apostasy": PolNeAR attributes what an unnamed
/// group does to show where it stands. The subject must be a noun phrase the kinds layer calls
/// an unnamed group or person, with a head word of the source lexicon; the verb a finite verb
/// (or a participle or gerund after its auxiliary) that is neither plain nor a verb of motion
/// or counting, with an object after it.
fn group_act(tokens: &[Token], a: usize, b: usize, k: usize) -> bool {
    let t = &tokens[k];
    let w = t.norm.as_str();
    if !t.is_word()
        || !t.has(class::VERB)
        || k + 1 >= b
        || PLAIN_VERBS.contains(&w)
        || NO_STANCE_VERBS.contains(&w)
        || w.ends_with("n't")
        || w == "cannot"
        // "carry out an agenda", "set up a fund", "turned down the offer": a phrasal verb of
        // doing.
        || matches!(tokens[k + 1].norm.as_str(), "out" | "up" | "off" | "down" | "away" | "back")
    {
        return false;
    }
    let mut j = k;
    let mut aux = None;
    while j > a
        && k - j < 4
        && tokens[j - 1].is_word()
        && super::sources::BETWEEN.contains(&tokens[j - 1].norm.as_str())
    {
        let p = tokens[j - 1].norm.as_str();
        if aux.is_none() && !tokens[j - 1].has(class::ADV) && p != "not" && p != "n't" {
            aux = Some(p);
        }
        j -= 1;
    }
    let be = |p: &str| matches!(p, "is" | "are" | "was" | "were" | "be" | "been");
    // "relatives could identify the victims": an ability or a supposition, not a stand.
    if tokens[j..k].iter().any(|t| {
        matches!(
            t.norm.as_str(),
            "could" | "would" | "might" | "may" | "can" | "should" | "must"
        )
    }) {
        return false;
    }
    let ok_form = if t.has(class::GERUND) {
        aux.is_some_and(be)
    } else if t.has(class::PARTICIPLE) {
        aux.is_some_and(|p| matches!(p, "has" | "have" | "had"))
    } else {
        t.has(class::FINITE) && !aux.is_some_and(be)
    };
    if !ok_form || j == a || !tokens[j - 1].is_word() {
        return false;
    }
    let Some((s, e)) = super::sources::left_np(tokens, a, j - 1) else {
        return false;
    };
    if s > a {
        let p = &tokens[s - 1];
        let opener = p.is_word()
            && matches!(
                p.norm.as_str(),
                "that"
                    | "and"
                    | "but"
                    | "while"
                    | "as"
                    | "because"
                    | "although"
                    | "though"
                    | "yet"
                    | "so"
                    | "even"
            );
        if !(opener || p.is_punct(',') || p.is_punct('—') || p.is_punct(':') || p.is_punct(';')) {
            return false;
        }
    }
    let head = &tokens[np_head(tokens, s, e)];
    let lex = lexicon::get();
    let head_word = head.norm.as_str();
    // "not everyone is accepting of him": a generalisation, not a group that takes a stand.
    if matches!(
        head_word,
        "everyone" | "everybody" | "anyone" | "anybody" | "nobody" | "one"
    ) {
        return false;
    }
    let group_head = head.is_word()
        && !head.has(class::PROPER)
        && (lex.is_head(head_word, HeadClass::Group)
            || (head.has(class::PLURAL) && lex.is_head(head_word.trim_end_matches('s'), HeadClass::Person)));
    if !group_head {
        return false;
    }
    if !super::kinds::classify(tokens, s, e, a).is_some_and(SourceKind::is_unnamed) {
        return false;
    }
    // Something done to or about something: an object, a preposition, a quotation.
    let next = tokens[k + 1..b]
        .iter()
        .find(|t| !(t.is_word() && t.has(class::ADV)));
    let Some(n) = next else {
        return false;
    };
    if !((n.is_word() && !n.has(class::CONJ) && !n.is("that"))
        || (n.kind == TokKind::Punct && is_dquote(n.first)))
    {
        return false;
    }
    // Train evidence: the verb starts gold cues elsewhere (cues.tsv, any rate), or a
    // particle of taking sides follows ("push for", "campaigned against", "rally behind",
    // "point out"). Other verbs after a group are mostly acts (on the train split about one
    // in five such verbs is a gold cue).
    t.cue.is_some() || (n.is_word() && matches!(n.norm.as_str(), "for" | "against" | "behind" | "out"))
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

fn t_norm(tokens: &[Token], k: usize) -> &str {
    tokens[k].norm.as_str()
}

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
    let certainty = matches!(t_norm(tokens, k), "sure" | "certain");
    let object = k + 2 < b
        && (matches!(
            tokens[k + 1].norm.as_str(),
            "that" | "with" | "about" | "of" | "by" | "over" | "at" | "whether" | "on"
        ) || (tokens[k + 1].is("to") && !certainty));
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
            "is" | "are"
                | "was"
                | "were"
                | "remain"
                | "remains"
                | "remained"
                | "'re"
                | "been"
                | "seem"
                | "seems"
                | "seemed"
                | "appear"
                | "appears"
                | "appeared"
                | "became"
                | "become"
                | "grew"
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
    // "a member of the team called Anna Berg did not attend": a name and then the clause's
    // own verb; "called" names the person there.
    let names = (k + 1..b.min(k + 5))
        .take_while(|&i| tokens[i].is_capitalized())
        .last()
        .is_some_and(|l| {
            tokens[k + 1].has(class::PERSON)
                && l + 1 < b
                && tokens[l + 1].has(class::FINITE)
                && k > 0
                && tokens[k - 1].has(class::NOUN)
                && !tokens[k - 1].has(class::PROPER)
        });
    (obj && bare && closes) || names
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

/// Uses of reporting words that report nothing, read from the words around them: "find it
/// hard" (a judgement of difficulty), "did not show up" (a phrasal verb), "to come forward and
/// testify" (an infinitive shared over "and": what someone would do), "pledges by many states"
/// (a noun after a preposition and a quantity word).
fn not_a_report(tokens: &[Token], a: usize, b: usize, k: usize) -> bool {
    let t = &tokens[k];
    let next = |i: usize| tokens.get(k + i).filter(|_| k + i < b);
    if matches!(t.norm.as_str(), "find" | "finds" | "found" | "finding")
        && next(1).is_some_and(|n| matches!(n.norm.as_str(), "it" | "them" | "this" | "that"))
        && next(2).is_some_and(|n| n.is_word() && n.has(class::ADJ))
    {
        return true;
    }
    if next(1).is_some_and(|n| n.is("up")) {
        return true;
    }
    // "learned about the assault": coming to know, not reporting ("has learned" is handled
    // before).
    if matches!(t.norm.as_str(), "learned" | "learn" | "learns" | "learnt")
        && next(1).is_some_and(|n| n.is("about") || n.is("of"))
    {
        return true;
    }
    // "offered to let U.S. investigators question officials": the object of "let" and its
    // bare infinitive tell what someone would allow.
    let is_let = |x: &Token| x.is("let") || x.is("lets") || x.is("letting");
    if k > a && tokens[k - 1].is_word() && tokens[k.saturating_sub(8).max(a)..k].iter().any(is_let) {
        if let Some((s, _)) = super::sources::left_np(tokens, a, k - 1) {
            if s > a && matches!(tokens[s - 1].norm.as_str(), "let" | "lets" | "letting") {
                return true;
            }
        }
    }
    // A past form after "and" is a verb of its own clause ("went to the site and said").
    let base_form = t.is_word()
        && !t.norm.ends_with("ed")
        && !matches!(
            t.norm.as_str(),
            "said" | "told" | "wrote" | "found" | "thought" | "saw" | "knew" | "spoke"
        );
    if k > a && (tokens[k - 1].is("and") || tokens[k - 1].is("or")) && base_form {
        let lo = k.saturating_sub(8).max(a);
        if let Some(to) = (lo..k - 1).rev().find(|&i| tokens[i].is("to")) {
            // The word after "to" is a base form whatever its tag.
            let shared = to + 1 < k - 1
                && tokens[to + 1].is_word()
                && (tokens[to + 1].has(class::VERB) || to + 2 == k - 1)
                && !tokens[to + 2..k - 1]
                    .iter()
                    .any(|x| x.has(class::FINITE) || !x.is_word());
            if shared {
                return true;
            }
        }
    }
    // A preposition proper, not a conjunction the tagger also reads as one ("although most
    // oppose it").
    if k >= a + 2
        && tokens[k - 2].is_word()
        && matches!(
            tokens[k - 2].norm.as_str(),
            "by" | "of"
                | "from"
                | "for"
                | "in"
                | "on"
                | "with"
                | "to"
                | "among"
                | "at"
                | "against"
                | "between"
                | "about"
        )
        && matches!(
            tokens[k - 1].norm.as_str(),
            "many" | "several" | "some" | "all" | "both" | "other" | "most" | "few" | "these" | "those"
        )
    {
        return true;
    }
    false
}

/// "1990s", "'80s", "twenties": a decade, never a speaker.
fn is_decade(w: &str) -> bool {
    w.strip_suffix('s')
        .is_some_and(|d| !d.is_empty() && d.trim_start_matches('\'').bytes().all(|c| c.is_ascii_digit()))
}

/// "to" and a word right after the verb at `k`: "believed to be".
fn takes_infinitive(tokens: &[Token], k: usize, b: usize) -> bool {
    k + 2 < b && tokens[k + 1].is("to") && tokens[k + 2].is_word()
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
    // Adverbs between do not change what comes before ("to personally express").
    let mut k = k;
    while k > a + 1 && tokens[k - 1].is_word() && tokens[k - 1].has(class::ADV) && tokens[k - 2].is("to") {
        k -= 1;
    }
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
