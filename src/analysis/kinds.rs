//! Owns source kinds: whether a source phrase names a person, an organisation, an unnamed
//! person or group, a document or the writer, from its head word, determiner and the tagger.

use super::lexicon::{self, HeadClass};
use super::model::SourceKind;
use super::sources::{is_pronoun, COLLEAGUES};
use super::tagger::{self, class};
use super::tokenize::{TokKind, Token};

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
    "by",
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
    "average",
    "version",
    "copy",
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
    // A quantity word stands for its people ("Many on the left", "some in the party").
    let after_noun = |k: usize| {
        let p = &tokens[k - 1];
        p.tag == tagger::UNTAGGED
            || p.has(class::NOUN)
            || p.has(class::PRON)
            || !p.is_word()
            || (k - 1 == s
                && matches!(
                    p.norm.as_str(),
                    "many" | "most" | "some" | "several" | "few" | "others"
                ))
    };
    let core_end_from = |s: usize| {
        (s..e)
            .find(|&k| {
                let t = &tokens[k];
                (k > s
                    && t.is_word()
                    && HEAD_ENDERS.contains(&t.norm.as_str())
                    && after_noun(k)
                    // "4 in 10 Republican voters": "in" between numbers makes a share.
                    && !(t.is("in")
                        && tokens[k - 1].kind == TokKind::Number
                        && tokens.get(k + 1).is_some_and(|n| n.kind == TokKind::Number)))
                    || t.is_punct(',')
                    // "Dr. Lee and colleagues", "Trump and Clinton": the first conjunct is
                    // the head when it is a name.
                    || (k > s
                        && k + 1 < e
                        && (t.is("and") || t.is_punct('&'))
                        && ((tokens[k - 1].has(class::PROPER)
                            && (tokens[k + 1].has(class::PROPER)
                                || COLLEAGUES.contains(&tokens[k + 1].norm.as_str())))
                            // "Sanders and his supporters", "Trump and his attorneys".
                            || (tokens[k - 1].is_capitalized()
                                && matches!(tokens[k + 1].norm.as_str(), "his" | "her" | "their"))))
            })
            .unwrap_or(e)
    };
    let mut core_end = core_end_from(s);
    let mut percent_of = false;
    // "a number of tax experts", "dozens of officials": the head follows "of".
    if core_end < e
        && core_end > s
        && tokens[core_end].is("of")
        && QUANTIFIERS.contains(&tokens[core_end - 1].norm.as_str())
    {
        // "Some 56 percent of Cuban-Americans polled": a share of people, whoever they are.
        percent_of = matches!(tokens[core_end - 1].norm.as_str(), "percent" | "%")
            // "Many of you", "some of us": part of an audience the text does not name.
            || (core_end + 1 < e && matches!(tokens[core_end + 1].norm.as_str(), "you" | "us" | "them"));
        core_end = core_end_from(core_end + 1);
    }
    // Strip a trailing possessive/punctuation and adverbs ("Democrats largely", "voters
    // overall").
    let mut h = core_end;
    while h > s && (!tokens[h - 1].is_word() || (h - 1 > s && tokens[h - 1].has(class::ADV))) {
        h -= 1;
    }
    if h == s {
        return Some(SourceKind::NamedPerson);
    }
    if percent_of {
        return Some(SourceKind::UnnamedGroup);
    }
    // "Cuban-Americans polled", "voters surveyed": a participle after the head is no head.
    while h > s + 1
        && tokens[h - 1].has(class::VERB)
        && !tokens[h - 1].has(class::NOUN)
        && (tokens[h - 2].has(class::NOUN) || tokens[h - 2].is("those"))
    {
        h -= 1;
    }
    let head = &tokens[h - 1];
    let hw = head.norm.trim_end_matches("'s");
    // "The members of the Supreme Court", "the members of the Senate committee": all the
    // members of a body the text names speak as that body ("some members of the board",
    // "members of the board" stay unnamed).
    if h - s == 2 && tokens[s].is("the") && hw == "members" && core_end + 1 < e && tokens[core_end].is("of") {
        let mut j = core_end + 1;
        if tokens[j].is("the") {
            j += 1;
        }
        if j < e
            && tokens[j].is_capitalized()
            && (tokens[j].has(class::PROPER) || lex.is_head(&tokens[j].norm, HeadClass::Organization))
        {
            return Some(SourceKind::NamedOrganization);
        }
    }
    // "Thirty percent", "two in three", "58 percent of Florida Latino voters": a share of
    // people polled or counted.
    let share = matches!(hw, "percent" | "%")
        || (h - s == 3
            && tokens[s].has(class::NUM)
            && tokens[s + 1].is("in")
            && tokens[h - 1].has(class::NUM))
        || (h - s >= 3
            && tokens[h - 2].is("in")
            && tokens[h - 1].has(class::NUM)
            && tokens[h - 3].has(class::NUM));
    if share {
        return Some(SourceKind::UnnamedGroup);
    }
    // "Both", "both parents": two people the article has named; "both sides" of a
    // question are not named.
    if tokens[s].is("both") && !matches!(hw, "sides" | "camps") {
        return Some(SourceKind::NamedPerson);
    }
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
    // "a member of the shooting team called Kim Hyon-Suk": the phrase names its person.
    let called_name = (s + 1..e.saturating_sub(1)).any(|k| {
        matches!(tokens[k].norm.as_str(), "called" | "named")
            && tokens[k + 1].is_capitalized()
            && tokens[k + 1].has(class::PERSON)
    });
    if named_apposition || called_name {
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
    // "a New Hampshire Republican", "an Iowa Democrat": one unnamed member of a party or
    // people.
    let member = is_demonym_group(&format!("{hw}s")) || (head.has(class::NORP) && !head.has(class::PLURAL));
    if member && (INDEFINITE.contains(&first) || first == "another") {
        return Some(SourceKind::UnnamedPerson);
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
    // "fellow GOP presidential hopefuls", "Google engineers": a plural common noun after an
    // organisation's name names some of its people, not the organisation.
    if any_org_name
        && !lex.is_head(hw, HeadClass::Organization)
        && !head.is_capitalized()
        && head.has(class::NOUN)
        && head.has(class::PLURAL)
        && !head.has(class::PROPER)
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
    // "those who described …", "Some view …", "Others paid tribute": people not named.
    if core.len() == 1
        && matches!(
            first,
            "those" | "others" | "some" | "many" | "most" | "anyone" | "everyone" | "few" | "several"
        )
    {
        return SourceKind::UnnamedGroup;
    }
    if f & class::NOUN != 0 {
        // "a dorm presentation describing …", "the assessments found": a noun made from a
        // verb or an adjective names an act or a finding, not a person.
        if is_nominalisation(&head.norm) {
            return SourceKind::Document;
        }
        if f & class::PLURAL != 0 {
            return SourceKind::UnnamedGroup;
        }
        if INDEFINITE.contains(&first) || first == "another" {
            return SourceKind::UnnamedPerson;
        }
    }
    SourceKind::NamedPerson
}

/// Nouns made from verbs and adjectives ("presentation", "assessment", "analyses",
/// "reluctance"), by their suffix.
fn is_nominalisation(w: &str) -> bool {
    let w = w.strip_suffix('s').unwrap_or(w);
    w.len() > 6
        && ["tion", "sion", "ment", "ance", "ence", "ness", "ysis", "yse"]
            .iter()
            .any(|suf| w.ends_with(suf))
}

/// Capitalised group words that stay unnamed: "Republicans", "Democrats", "Americans".
fn is_demonym_group(w: &str) -> bool {
    matches!(
        w,
        "republicans" | "democrats" | "americans" | "conservatives" | "liberals" | "progressives"
    )
}

/// Words before a head that pick out particular people ("the voters", "his supporters",
/// "some voters", "several parents").
const DEFINITE: &[&str] = &[
    "the", "these", "those", "this", "that", "his", "her", "their", "its", "our", "my", "your", "some",
    "several", "a",
];

/// Whether the phrase `[s, e)` speaks of a part of the public in general, no one in particular:
/// a population head ("men", "voters", "Brazilians") that no definite or existential
/// determiner, possessive or count picks out ("many men", "most students", "millions of
/// Brazilians", "men who find …"; not "the voters", "his supporters", "some voters", "50
/// men"). A belief or feeling held by such a phrase in a simple tense is the writer's
/// generalisation, not anyone's report.
pub fn generic_population(tokens: &[Token], s: usize, e: usize) -> bool {
    let lex = lexicon::get();
    let mut head = None;
    for i in s..e {
        let t = &tokens[i];
        if !t.is_word() {
            break;
        }
        let w = t.norm.as_str();
        // "millions of Brazilians", "many of his voters": the head follows "of".
        if t.is("of") && head.is_some_and(|h: usize| QUANTIFIERS.contains(&tokens[h].norm.as_str())) {
            continue;
        }
        if i > s && HEAD_ENDERS.contains(&w) {
            break;
        }
        if (i == s && DEFINITE.contains(&w)) || t.has(class::NUM) || w.ends_with("'s") || w.ends_with("’s")
        {
            return false;
        }
        if !t.has(class::ADV) {
            head = Some(i);
        }
    }
    head.is_some_and(|h| {
        let t = &tokens[h];
        let w = t.norm.as_str();
        lex.is_head(w, HeadClass::Population)
            || (t.has(class::NORP) && t.has(class::PLURAL) && !is_demonym_group(w))
    })
}
