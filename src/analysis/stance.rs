//! Owns the writer's stance in one sentence: the syntactic signs, read on part-of-speech
//! tags, that the sentence's main assertion is the writer's own judgement, prediction or
//! appeal rather than a report of fact.
//!
//! Each sign has a weight: a strong sign (an evaluative predicate after "it/this/that", a
//! degree-modified evaluative predicate, "should", an imperative, a stance adverb) decides
//! alone; a weak one (a plain evaluative predicate, first or second person, a rhetorical
//! question, a loaded term, "must") needs a second. Quoted words never count: they are
//! someone else's.

use std::sync::OnceLock;

use rustc_hash::FxHashSet;

use super::lexicon::{self, Lexicons};
use super::sentences::Segment;
use super::tagger::class::{ADJ, ADV, DET, FINITE, NOUN, NUM, PARTICIPLE, PREP, PRON, PROPER, VERB};
use super::tokenize::{TokKind, Token};

/// The word classes of `data/lexicons/stance.txt`, parsed once.
struct Words {
    copula: FxHashSet<String>,
    degree: FxHashSet<String>,
    factual: FxHashSet<String>,
    temporal: FxHashSet<String>,
    contrast: FxHashSet<String>,
    weighing: FxHashSet<String>,
    evaluative: FxHashSet<String>,
}

fn words() -> &'static Words {
    static W: OnceLock<Words> = OnceLock::new();
    W.get_or_init(|| {
        let mut w = Words {
            copula: FxHashSet::default(),
            degree: FxHashSet::default(),
            factual: FxHashSet::default(),
            temporal: FxHashSet::default(),
            contrast: FxHashSet::default(),
            weighing: FxHashSet::default(),
            evaluative: FxHashSet::default(),
        };
        for (section, word) in lexicon::sectioned(include_str!("../../data/lexicons/stance.txt")) {
            let set = match section {
                "copula" => &mut w.copula,
                "degree" => &mut w.degree,
                "factual" => &mut w.factual,
                "temporal" => &mut w.temporal,
                "contrast" => &mut w.contrast,
                "weighing" => &mut w.weighing,
                "evaluative" => &mut w.evaluative,
                _ => continue,
            };
            set.insert(word.to_string());
        }
        w
    })
}

/// A sign that decides alone.
const STRONG: u32 = 2;
/// A sign that needs another.
const WEAK: u32 = 1;

/// Whether the sentence `toks` (with `quoted[k]` true for quoted tokens) carries the
/// writer's own judgement.
pub fn judges(toks: &[Token], quoted: &[bool], lex: &Lexicons) -> bool {
    signs(toks, quoted, lex).total >= STRONG
}

/// Whether the sentence argues at all: [`leans`], or a "must". Counted over an article, as
/// evidence that it is an argued piece.
pub fn argues(toks: &[Token], quoted: &[bool], lex: &Lexicons) -> bool {
    signs(toks, quoted, lex).argues
}

/// Whether the sentence evaluates at all: an evaluative predicate, "must", a denial or
/// contrast, a loaded term. (A narrator's "I" or a "this includes" is no evaluation.)
pub fn leans(toks: &[Token], quoted: &[bool], lex: &Lexicons) -> bool {
    signs(toks, quoted, lex).evaluates
}

struct Signs {
    total: u32,
    evaluates: bool,
    /// `evaluates`, or a "must": evidence of an argued piece, taken over many sentences.
    argues: bool,
}

fn signs(toks: &[Token], quoted: &[bool], lex: &Lexicons) -> Signs {
    let none = Signs {
        total: 0,
        evaluates: false,
        argues: false,
    };
    let outside: Vec<&Token> = toks
        .iter()
        .zip(quoted)
        .filter(|(_, &q)| !q)
        .map(|(t, _)| t)
        .collect();
    if outside.iter().filter(|t| t.is_word()).count() < 2 {
        return none;
    }
    // A heading (no closing punctuation: "Guterres' legacy is less impressive") labels
    // what follows rather than asserting it.
    let closed = toks.last().is_some_and(|t| {
        t.kind == TokKind::Punct
            && matches!(
                t.first,
                '.' | '!' | '?' | '…' | '"' | '”' | '’' | '\'' | ')' | ';'
            )
    });
    if !closed {
        return none;
    }
    // A question asks rather than asserts ("Should we be worried?" opens a section).
    if outside.last().is_some_and(|t| t.is_punct('?')) {
        let total = stance_phrases(&outside, lex);
        return Signs {
            total,
            evaluates: total > 0,
            argues: total > 0,
        };
    }
    let loaded = if lex.loaded.find(&outside).is_empty() {
        0
    } else {
        WEAK
    };
    let modal = modals(&outside);
    // "must" alone states rules as often as it urges ("under the rules, companies must …"):
    // it counts towards a judgement but makes no evaluation by itself.
    let urges = if modal >= STRONG { modal } else { 0 };
    let pred = predicate(&outside);
    let contrasted = if contrast(&outside) { WEAK } else { 0 };
    let mut total = stance_phrases(&outside, lex) + loaded + modal + pred + contrasted;
    total += persons(&outside);
    if imperative(&outside) || correlative_comparison(&outside) {
        total += STRONG;
    }
    total += graded_elsewhere(&outside);
    Signs {
        total,
        evaluates: total >= STRONG || loaded + urges + pred + contrasted > 0,
        argues: total >= STRONG || loaded + modal + pred + contrasted > 0,
    }
}

/// Phrases of the opinion lexicon: stance adverbs ("unfortunately", "of course"), "i think".
fn stance_phrases(toks: &[&Token], lex: &Lexicons) -> u32 {
    if lex.opinion.find(toks).is_empty() {
        0
    } else {
        STRONG
    }
}

/// The writer's first person, or the reader addressed as "you": a narrator's "I remember"
/// or an explainer's "we have antibiotics" is still a report, so this is a weak sign.
fn persons(toks: &[&Token]) -> u32 {
    let person = toks.iter().any(|t| {
        t.is_word()
            && !t.caps
            && matches!(
                t.norm.as_str(),
                "i" | "i'm"
                    | "i've"
                    | "i'd"
                    | "me"
                    | "my"
                    | "myself"
                    | "we"
                    | "we're"
                    | "we've"
                    | "us"
                    | "our"
                    | "ourselves"
                    | "you"
                    | "your"
                    | "you're"
                    | "yourself"
            )
    });
    if person {
        WEAK
    } else {
        0
    }
}

/// "should" and "ought to" give the writer's advice, unless a verb reports them ("they
/// decided that she should go": no sign at all); "must" and "need to" also state rules ("applicants must
/// register"), so they are weak.
fn modals(toks: &[&Token]) -> u32 {
    let mut s = 0;
    for (k, t) in toks.iter().enumerate() {
        let next_to = toks.get(k + 1).is_some_and(|n| n.is("to"));
        if t.is("should") || (t.is("ought") && next_to) {
            let reported = toks[..k]
                .windows(2)
                .any(|w| w[0].pos() & VERB != 0 && w[1].is("that"));
            if !reported {
                return STRONG;
            }
            continue;
        }
        if t.is("must") || (matches!(t.norm.as_str(), "need" | "needs") && next_to) {
            s = WEAK;
        }
    }
    s
}

/// Verbs that link a subject to what is said of it.
fn copula(t: &Token) -> bool {
    t.is_word() && words().copula.contains(t.norm.as_str())
}

/// Adverbs that grade an evaluation ("very low", "truly subterranean").
fn degree(t: &Token) -> bool {
    t.is_word() && words().degree.contains(t.norm.as_str())
}

/// Adjectives that state a fact about the subject (its state, ability or position) rather
/// than judge it: "was unable to", "is available", "were dead", "is likely to".
fn factual_adjective(t: &Token) -> bool {
    t.is_word() && words().factual.contains(t.norm.as_str())
}

/// Adverbs in "-ly" that place in time or frequency ("currently closed", "usually mild")
/// rather than grade.
fn temporal(t: &Token) -> bool {
    t.is_word() && words().temporal.contains(t.norm.as_str())
}

/// An evaluative predicate in a copular clause: "That is a ridiculous approach", "the risk
/// is very low", "it's impossible to overstate", "the verdict of history will be harsh",
/// "integrity is not some technicality".
///
/// Strong after an expletive or demonstrative subject ("it", "this", "that"), with a grading
/// adverb, or as a modal prediction ("will be harsh"); weak in a plain present; nothing in
/// the past tense (a report's "the road was dangerous" is background), nor where the
/// predicate states a fact ("was unable to", "is 30 metres deep").
fn predicate(toks: &[&Token]) -> u32 {
    let mut best = 0;
    for c in 0..toks.len() {
        if !copula(toks[c]) {
            continue;
        }
        let contracted = toks[c].is("it's") || toks[c].is("that's");
        let subject_pointer = contracted
            || c.checked_sub(1).is_some_and(|p| {
                matches!(toks[p].norm.as_str(), "it" | "this" | "that" | "these" | "those")
                    && (p == 0
                        || !toks[p - 1].is_word()
                        || toks[p - 1].pos() & (PREP | VERB) != 0
                        || toks[p - 1].is("and")
                        || toks[p - 1].is("but"))
            });
        let past = matches!(toks[c].norm.as_str(), "was" | "were" | "remained" | "seemed")
            || (toks[c].is("been") && c > 0 && toks[c - 1].is("had"));
        let modal = toks[c].is("be")
            && toks[c.saturating_sub(2)..c]
                .iter()
                .any(|t| matches!(t.norm.as_str(), "will" | "would" | "could" | "may" | "might"));
        let mut k = c + 1;
        let mut graded = false;
        let mut negated = false;
        let mut noun_phrase = false;
        // Adverbs, negation, a determiner, then the predicate's adjective(s).
        while k < toks.len() && k < c + 6 {
            let t = toks[k];
            if !t.is_word() {
                break;
            }
            if degree(t) || (t.pos() & ADV != 0 && t.norm.as_str().ends_with("ly") && !temporal(t)) {
                graded = true;
            } else if t.is("not") || t.is("never") || t.is("no") {
                negated = true;
            } else if t.pos() & ADV != 0 {
            } else if t.pos() & DET != 0 && matches!(t.norm.as_str(), "a" | "an" | "some" | "the") {
                noun_phrase = true;
            } else {
                break;
            }
            k += 1;
        }
        let Some(head) = toks.get(k) else { continue };
        // A number in the predicate ("is 30 metres deep", "was 12th") measures, not judges.
        if toks[c..toks.len().min(k + 4)]
            .iter()
            .any(|t| t.pos() & NUM != 0 || t.kind == TokKind::Number)
        {
            continue;
        }
        // "Integrity is not some technicality", "Form is never decoration": a denial of
        // what something is, in the present, argues.
        if negated && !past && head.pos() & NOUN != 0 && head.pos() & PROPER == 0 {
            best = best.max(if subject_pointer { STRONG } else { WEAK });
            continue;
        }
        if head.pos() & ADJ == 0 || head.pos() & PARTICIPLE != 0 || factual_adjective(head) || !head.is_word()
        {
            continue;
        }
        // An adjective that only classifies the noun after it ("a Russian company") judges
        // nothing; one among others ("a living, unsettled terrain") may.
        if noun_phrase {
            let n = toks.get(k + 1).map_or(0, |t| t.pos());
            let listed = toks.get(k + 1).is_some_and(|t| t.is_punct(',')) || n & ADJ != 0;
            if (n & NOUN == 0 && !listed) || n & PROPER != 0 || head.first.is_uppercase() {
                continue;
            }
        }
        // The writer's evaluations are in the present (or a modal future).
        let w = if subject_pointer || graded || modal {
            STRONG
        } else if !past || negated {
            WEAK
        } else {
            0
        };
        best = best.max(w);
    }
    best
}

/// A graded evaluation outside a copular clause ("increasingly difficult choices", "the
/// most glorious periods"), or "this/that/it" doing something in the present ("That means
/// …", "It underpins …"): the writer arguing. Each is weak.
fn graded_elsewhere(toks: &[&Token]) -> u32 {
    let graded = toks.windows(2).any(|w| {
        degree(w[0]) && w[1].pos() & ADJ != 0 && w[1].pos() & PARTICIPLE == 0 && !factual_adjective(w[1])
    });
    let pointer_acts = toks.windows(2).enumerate().any(|(k, w)| {
        matches!(w[0].norm.as_str(), "it" | "this" | "that")
            && (k == 0 || !toks[k - 1].is_word() || toks[k - 1].is("and") || toks[k - 1].is("but"))
            && w[1].pos() & FINITE != 0
            && w[1].norm.as_str().ends_with('s')
            && !copula(w[1])
            && !matches!(w[1].norm.as_str(), "has" | "was" | "does" | "says")
    });
    let mut s = 0;
    if graded {
        s += WEAK;
    }
    if pointer_acts {
        s += WEAK;
    }
    s
}

/// A sentence that opens with a verb in its base form and no subject gives an order or an
/// appeal ("Consider the cost.", "Systematically circumvent those rules and …").
fn imperative(toks: &[&Token]) -> bool {
    let Some(first) = toks.iter().position(|t| t.is_word() && t.pos() & ADV == 0) else {
        return false;
    };
    let t = toks[first];
    let w = t.norm.as_str();
    let base = t.pos() & FINITE != 0 && t.pos() & (NOUN | PRON) == 0;
    let aux = matches!(
        w,
        "is" | "are"
            | "was"
            | "were"
            | "be"
            | "do"
            | "does"
            | "did"
            | "has"
            | "have"
            | "had"
            | "can"
            | "could"
            | "will"
            | "would"
            | "should"
            | "may"
            | "might"
            | "must"
            | "shall"
            | "am"
    );
    base && !aux
        && !w.ends_with('s')
        && !w.ends_with("ed")
        && toks.last().is_some_and(|l| l.is_punct('.') || l.is_punct('!'))
        && toks.len() > 3
}

/// "The worse the fighting becomes, the greater the impact": a correlative comparison is an
/// argument, not a report.
fn correlative_comparison(toks: &[&Token]) -> bool {
    let comparative = |t: &Token| {
        t.is_word()
            && (t.is("more")
                || t.is("less")
                || t.is("worse")
                || t.is("better")
                || (t.pos() & (ADJ | ADV) != 0 && t.norm.as_str().ends_with("er")))
    };
    toks.len() > 4
        && toks[0].is("the")
        && comparative(toks[1])
        && toks
            .windows(3)
            .skip(2)
            .any(|w| w[0].is_punct(',') && w[1].is("the") && comparative(w[2]))
}

/// "not by collapsing difference but by inhabiting it", "not a method but a sense": the
/// writer setting one reading against another.
fn contrast(toks: &[&Token]) -> bool {
    toks.iter()
        .position(|t| t.is("not"))
        .is_some_and(|n| toks[n + 1..].iter().take(12).any(|t| t.is("but")))
}

/// Whether the sentence's finite verbs outside quotes are mostly in the present (or a
/// modal), as the writer's own argument is; `None` when it has none. A report narrates in
/// the past.
pub fn present_tense(toks: &[Token], quoted: &[bool]) -> Option<bool> {
    let m = super::tagger::model();
    let (mut present, mut past) = (0, 0);
    for (t, &q) in toks.iter().zip(quoted) {
        if q || !t.is_word() {
            continue;
        }
        match m.name(t.tag) {
            "VBZ" | "VBP" | "MD" => present += 1,
            "VBD" => past += 1,
            _ => {}
        }
    }
    (present + past > 0).then_some(present > past)
}

/// A judging adjective (`[evaluative]` of `data/lexicons/stance.txt`: "an invidious
/// position", "a convenient target", "is misguided") outside quotes, tagged as an adjective,
/// lowercase and not opening a name ("the Wonderful Company"), in a sentence not narrated
/// in the past. Only the opinion pass reads it: in an opinion piece such a word is the
/// writer's assessment, in a report it is background.
pub fn judging_adjective(toks: &[Token], quoted: &[bool]) -> bool {
    // A heading ("Guterres' legacy is less impressive") labels what follows.
    let closed = toks
        .iter()
        .rev()
        .find(|t| !(t.kind == TokKind::Punct && super::tokenize::is_quote(t.first)))
        .is_some_and(|t| matches!(t.first, '.' | '!' | '…' | ';') && t.kind == TokKind::Punct);
    if !closed || present_tense(toks, quoted) == Some(false) {
        return false;
    }
    let w = words();
    toks.iter().enumerate().any(|(k, t)| {
        !quoted[k]
            && t.is_word()
            && !t.first.is_uppercase()
            && t.pos() & ADJ != 0
            && w.evaluative.contains(t.norm.as_str())
            && toks
                .get(k + 1)
                .is_none_or(|n| n.pos() & PROPER == 0 && !n.first.is_uppercase())
    })
}

/// A prediction or possibility in the writer's words: a modal of what will or may happen
/// ("would", "could", "may", "might", "will") before a verb in its base form, outside
/// quotes, and no figure in the sentence (a forecast with numbers reports a projection).
/// "Can" states an ability and "must" a rule, so neither counts; nor "would be able to", a
/// power conferred. Only the opinion pass reads it: in an opinion piece the writer's
/// forecasts are the writer's judgement ("A change of government would matter.").
pub fn predicts(toks: &[Token], quoted: &[bool]) -> bool {
    use super::tagger::class::ADV;
    let m = super::tagger::model();
    if toks
        .iter()
        .zip(quoted)
        .any(|(t, &q)| !q && (t.kind == TokKind::Number || t.pos() & NUM != 0))
    {
        return false;
    }
    // A question asks what might be ("What might have happened?").
    if toks
        .iter()
        .rev()
        .find(|t| !t.is_word())
        .is_some_and(|t| t.is_punct('?'))
    {
        return false;
    }
    (0..toks.len()).any(|k| {
        // A modal in a relative clause ("droplets that may be released") describes its
        // noun; after a verb in the past ("I warned that attention would wane", "organisers
        // were concerned that it might") it is the tense of reported words.
        let subordinate = k > 0 && matches!(toks[k - 1].norm.as_str(), "that" | "which" | "who");
        let reported = toks[..k]
            .iter()
            .zip(quoted)
            .any(|(t, &q)| !q && matches!(m.name(t.tag), "VBD"));
        if quoted[k]
            || subordinate
            || reported
            || !matches!(
                toks[k].norm.as_str(),
                "would" | "could" | "may" | "might" | "will" | "won't" | "wouldn't"
            )
            || m.name(toks[k].tag) != "MD"
        {
            return false;
        }
        let Some(v) = (k + 1..toks.len()).find(|&j| !(toks[j].is_word() && toks[j].pos() & ADV != 0)) else {
            return false;
        };
        let able = toks[v].is("be") && toks.get(v + 1).is_some_and(|t| t.is("able") || t.is("allowed"));
        !quoted[v] && m.name(toks[v].tag) == "VB" && !able
    })
}

/// A sentence in the past tense with a figure outside quotes (a year, a count, an age):
/// a dated record of what happened.
pub fn dated_past(toks: &[Token], quoted: &[bool]) -> bool {
    present_tense(toks, quoted) == Some(false)
        && toks
            .iter()
            .zip(quoted)
            .any(|(t, &q)| !q && (t.kind == TokKind::Number || t.pos() & NUM != 0))
}

/// `quoted`, widened by quotations typed the typewriter way, a double quotation mark
/// written as two apostrophes (''…''), which some wire and newspaper text uses: words
/// between such a pair are the speaker's, not the writer's. Within a paragraph, like the
/// other quotation marks.
pub fn with_typewriter_quotes(tokens: &[Token], paragraphs: &[Segment], quoted: &[bool]) -> Vec<bool> {
    let mut out = quoted.to_vec();
    let apostrophe = |t: &Token| t.kind == TokKind::Punct && matches!(t.first, '\'' | '‘' | '’');
    for p in paragraphs {
        let mut open = false;
        let mut k = p.tok_start;
        while k < p.tok_end {
            if k + 1 < p.tok_end
                && apostrophe(&tokens[k])
                && apostrophe(&tokens[k + 1])
                && tokens[k].end == tokens[k + 1].start
            {
                out[k] = true;
                out[k + 1] = true;
                open = !open;
                k += 2;
                continue;
            }
            if open {
                out[k] = true;
            }
            k += 1;
        }
    }
    out
}

/// In a piece already known to argue (an opinion piece), whether the sentence weighs
/// rather than records: at least three of five signs outside quotes, and no figure (a
/// figure reports). The signs: a modal (a prediction, a possibility, an obligation: "a
/// change of government would matter"); a contrast ("however", "but", "though"); a weighing
/// adverb ("largely", "merely", "even", "no longer"; `data/lexicons/stance.txt`); a
/// negation; a present tense (a report narrates in the past). "Can" is no sign: it states
/// an ability ("plague can kill within days"), as an explainer does. Each alone is common in a
/// report; together they are the writer's assessment.
pub fn weighs(toks: &[Token], quoted: &[bool]) -> bool {
    let m = super::tagger::model();
    let w = words();
    let (mut modal, mut contrast, mut weighing, mut negation) = (false, false, false, false);
    let (mut present, mut past) = (0, 0);
    for (t, &q) in toks.iter().zip(quoted) {
        if q {
            continue;
        }
        if t.kind == TokKind::Number || t.pos() & NUM != 0 {
            return false;
        }
        if !t.is_word() {
            continue;
        }
        let n = t.norm.as_str();
        match m.name(t.tag) {
            // "can" states what something is able to do ("plague can kill"), a fact.
            "MD" => modal |= !matches!(n, "can" | "cannot" | "can't"),
            "VBZ" | "VBP" => present += 1,
            "VBD" => past += 1,
            _ => {}
        }
        contrast |= w.contrast.contains(n);
        weighing |= w.weighing.contains(n) || w.degree.contains(n);
        negation |= matches!(n, "not" | "never" | "no" | "nothing" | "none" | "nor") || n.ends_with("n't");
    }
    let signs = [modal, contrast, weighing, negation, present > past];
    signs.iter().filter(|&&s| s).count() >= 3
}
