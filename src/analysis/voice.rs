//! Owns the writer's-voice layer: hedge and loaded-term markers, the voice of each
//! sentence (attributed / author opinion / author report), and the genre decision.

use super::lexicon::{self, PhraseSet};
use super::model::{Attribution, Genre, Marker, Voice};
use super::sentences::Segment;
use super::stance;
use super::tokenize::{Doc, Token};

/// Markers from `set` in every sentence, with sentence indices.
pub fn markers(doc: &Doc, tokens: &[Token], sents: &[Segment], set: &PhraseSet) -> Vec<Marker> {
    found(doc, tokens, sents, set, |_, _, _| true)
}

/// Hedges in every sentence, except modals that concede rather than doubt ("The film might
/// feature a star, but …", "Although it may look calm, …"): the claim there is the other one.
pub fn hedges(doc: &Doc, tokens: &[Token], sents: &[Segment], set: &PhraseSet) -> Vec<Marker> {
    found(doc, tokens, sents, set, |toks, a, b| {
        !concessive(toks, a, b)
            && !inability(toks, a)
            && !type_noun(toks, a)
            && !modal_noun(toks, a)
            && !asked(toks, a)
    })
}

/// "military might": a modal's spelling used as a noun is no doubt. A modal is followed
/// (past any adverbs) by a verb in its base form; the noun by punctuation, a conjunction or
/// a finite verb ("might is vast"), or the tagger calls it a noun.
fn modal_noun(toks: &[Token], a: usize) -> bool {
    use super::tagger::class::{ADV, NOUN};
    if !matches!(toks[a].norm.as_str(), "might" | "may") {
        return false;
    }
    if toks[a].pos() & NOUN != 0 {
        return true;
    }
    let m = super::tagger::model();
    let next = toks[a + 1..]
        .iter()
        .find(|t| !(t.is_word() && t.pos() & ADV != 0 && !t.is("nor")));
    !next.is_some_and(|t| {
        t.is_word()
            && !matches!(t.norm.as_str(), "and" | "or" | "nor" | "but")
            && (matches!(m.name(t.tag), "VB" | "VBP") || t.is("be") || t.is("have"))
    })
}

/// A question claims nothing, so "How likely are you to …?" hedges nothing; only its
/// own hedging phrases ("reportedly") outside a modal or "likely" do.
fn asked(toks: &[Token], a: usize) -> bool {
    matches!(
        toks[a].norm.as_str(),
        "might" | "may" | "could" | "likely" | "unlikely"
    ) && toks
        .iter()
        .rev()
        .find(|t| !t.is_word() && !super::tokenize::is_quote(t.first))
        .is_some_and(|t| t.is_punct('?'))
}

/// "could not" says what someone was unable to do ("police could not reach the site"), not
/// that a claim is in doubt.
fn inability(toks: &[Token], a: usize) -> bool {
    toks[a].is("could") && toks.get(a + 1).is_some_and(|t| t.is("not") || t.is("never"))
}

/// "kind of" / "sort of" after a determiner or adjective names a type ("a new kind of
/// bacteria", "this sort of case"); only the bare adverb ("it was kind of odd") hedges.
fn type_noun(toks: &[Token], a: usize) -> bool {
    use super::tagger::class::{ADJ, DET, NUM, POSS};
    (toks[a].is("kind") || toks[a].is("sort"))
        && a > 0
        && (toks[a - 1].pos() & (DET | ADJ | POSS | NUM) != 0
            || matches!(
                toks[a - 1].norm.as_str(),
                "a" | "the" | "this" | "that" | "what" | "any" | "every" | "some" | "one"
            ))
}

fn found(
    doc: &Doc,
    tokens: &[Token],
    sents: &[Segment],
    set: &PhraseSet,
    keep: impl Fn(&[Token], usize, usize) -> bool,
) -> Vec<Marker> {
    let mut out = Vec::new();
    for (si, s) in sents.iter().enumerate() {
        let toks = &tokens[s.tok_start..s.tok_end];
        for (a, b) in set.find(toks) {
            if !keep(toks, a, b) {
                continue;
            }
            let (cs, ce) = (toks[a].start, toks[b - 1].end);
            out.push(Marker {
                start: cs,
                end: ce,
                text: doc.slice(cs, ce).to_string(),
                sentence: si,
            });
        }
    }
    out
}

/// A modal hedge at `toks[a..b]` inside a concession: after "although/though/while/even if"
/// in its sentence, or before a ", but"/", yet" that carries the claim.
fn concessive(toks: &[Token], a: usize, _b: usize) -> bool {
    let modal = ["might", "may", "could"].iter().any(|w| toks[a].is(w));
    if !modal {
        return false;
    }
    let before = toks[..a]
        .iter()
        .any(|t| t.is("although") || t.is("though") || t.is("while") || t.is("whilst"))
        || toks[..a].windows(2).any(|w| w[0].is("even") && w[1].is("if"));
    let after = toks[a..]
        .windows(2)
        .any(|w| w[0].is_punct(',') && (w[1].is("but") || w[1].is("yet")));
    before || after
}

/// Voice of each sentence. `quoted[k]` says whether token k is inside a quotation; a
/// sentence of page clutter (a sign-off, a notice) is never the writer's opinion.
pub fn voices(
    tokens: &[Token],
    sents: &[Segment],
    attrs: &[Attribution],
    quoted: &[bool],
    clutter: &[bool],
) -> Vec<Voice> {
    let lex = lexicon::get();
    let mut attributed = vec![false; sents.len()];
    for a in attrs {
        if let Some(v) = attributed.get_mut(a.sentence) {
            *v = true;
        }
    }
    // Sentences wholly inside some attribution's content are attributed too (multi-sentence
    // quotes). Contents are visited in order, so a two-pointer sweep keeps this linear.
    let mut spans: Vec<(usize, usize)> = attrs
        .iter()
        .filter_map(|a| a.content.as_ref().map(|c| (c.start, c.end)))
        .collect();
    spans.sort_unstable();
    let mut j = 0;
    let mut reach = 0usize;
    for (si, s) in sents.iter().enumerate() {
        while j < spans.len() && spans[j].0 <= s.start {
            reach = reach.max(spans[j].1);
            j += 1;
        }
        if reach >= s.end {
            attributed[si] = true;
        }
    }
    sents
        .iter()
        .enumerate()
        .map(|(si, s)| {
            if attributed[si] {
                return Voice::Attributed;
            }
            if clutter.get(si).copied().unwrap_or(false) {
                return Voice::AuthorReport;
            }
            let toks = &tokens[s.tok_start..s.tok_end];
            let q = &quoted[s.tok_start..s.tok_end];
            if stance::judges(toks, q, lex) {
                Voice::AuthorOpinion
            } else {
                Voice::AuthorReport
            }
        })
        .collect()
}

/// In an opinion piece, a sentence with a single sign of judgement (a plain evaluative
/// predicate, "must", a denial) is the writer's judgement too: the genre says whose
/// evaluations they are. In a report the same sentence stays a report.
pub fn lean_to_opinion(
    tokens: &[Token],
    sents: &[Segment],
    quoted: &[bool],
    body: &[usize],
    voices: &mut [Voice],
) {
    let lex = lexicon::get();
    for &i in body {
        if voices[i] != Voice::AuthorReport {
            continue;
        }
        let s = sents[i];
        let (toks, q) = (&tokens[s.tok_start..s.tok_end], &quoted[s.tok_start..s.tok_end]);
        // A past event placed by a figure ("In 1968, the regime came under severe
        // pressure", "It was the highest rate since 1998") is the record the argument
        // rests on, not the argument.
        if stance::dated_past(toks, q) {
            continue;
        }
        if stance::leans(toks, q, lex)
            || stance::weighs(toks, q)
            || stance::judging_adjective(toks, q)
            || stance::predicts(toks, q)
        {
            voices[i] = Voice::AuthorOpinion;
        }
    }
}

/// What the genre decision looks at.
pub struct GenreSignals<'a> {
    pub numbered_questions: usize,
    /// Questions set as paragraphs of their own ("What did you see?"), each answered: at
    /// least three, or two in a piece that says it is an interview
    /// ([`super::interview::question_paragraphs`] returns none otherwise).
    pub question_lines: usize,
    /// Turns of a speaker-labelled transcript ("Name: …").
    pub speaker_turns: usize,
    /// A body sentence that says the piece is an interview ("Wikinews interviewed Eric
    /// Haddox"), as written.
    pub interviewed: Option<String>,
    /// The one person a prose interview or profile is built on ("Collins says …").
    pub one_voice: Option<String>,
    pub title: &'a str,
    /// The writer's post as the byline gives it, when it is in scholarship or research
    /// ("Senior Lecturer in History, University of Leeds").
    pub expert: Option<&'a str>,
    /// First-person singular pronouns of the writer (outside quotes and attributed content).
    pub first_person: usize,
    pub opinion_sentences: usize,
    pub sentences: usize,
    /// Of the writer's own body sentences with a finite verb (`own_tensed`), how many are
    /// in the present or a modal.
    pub own_present: usize,
    pub own_tensed: usize,
    /// Body sentences attributed to a source.
    pub attributed_sentences: usize,
    /// The writer's own body sentences with any sign of evaluation, weak or strong.
    pub evaluating_sentences: usize,
    /// The writer's own voice outside quotes: see [`OwnVoice`].
    pub own: OwnVoice,
}

/// Signs of a writer who addresses the reader and argues, counted over the writer's own
/// body sentences (not attributed), outside quotes: a report's writer neither says "we",
/// nor asks, nor advises.
#[derive(Debug, Default, Clone, Copy)]
pub struct OwnVoice {
    /// First person plural: "we", "us", "our", "ourselves" (not the capitalised "US").
    pub we: usize,
    /// The reader addressed: "you", "your".
    pub you: usize,
    /// Sentences that end in a question mark.
    pub questions: usize,
    /// "should", "must", "ought".
    pub advice: usize,
}

/// Counts [`OwnVoice`] over the writer's own body sentences.
pub fn own_voice(
    tokens: &[Token],
    sents: &[Segment],
    quoted: &[bool],
    body: &[usize],
    voices: &[Voice],
) -> OwnVoice {
    let mut v = OwnVoice::default();
    for &i in body {
        if voices[i] == Voice::Attributed {
            continue;
        }
        let s = sents[i];
        let mut asks = false;
        for k in s.tok_start..s.tok_end {
            let t = &tokens[k];
            if quoted[k] {
                continue;
            }
            if t.is_punct('?') {
                asks = true;
            }
            if !t.is_word() || t.caps {
                continue;
            }
            match t.norm.as_str() {
                "we" | "us" | "our" | "ours" | "ourselves" | "we're" | "we've" | "we'll" => v.we += 1,
                "you" | "your" | "yours" | "you're" | "you've" | "you'll" => v.you += 1,
                "should" | "must" | "ought" | "shouldn't" | "mustn't" => v.advice += 1,
                _ => {}
            }
        }
        v.questions += usize::from(asks);
    }
    v
}

/// How many of the writer's own body sentences argue at all (see [`stance::argues`]).
pub fn evaluating(
    tokens: &[Token],
    sents: &[Segment],
    quoted: &[bool],
    body: &[usize],
    voices: &[Voice],
) -> usize {
    let lex = lexicon::get();
    body.iter()
        .filter(|&&i| {
            let s = sents[i];
            voices[i] != Voice::Attributed
                && stance::argues(
                    &tokens[s.tok_start..s.tok_end],
                    &quoted[s.tok_start..s.tok_end],
                    lex,
                )
        })
        .count()
}

/// How many of the writer's own body sentences (not attributed) are in the present tense,
/// and how many have a tense at all.
pub fn own_tense(
    tokens: &[Token],
    sents: &[Segment],
    quoted: &[bool],
    voices: &[Voice],
    body: &[usize],
) -> (usize, usize) {
    let mut present = 0;
    let mut tensed = 0;
    for &i in body {
        if voices[i] == Voice::Attributed {
            continue;
        }
        let s = sents[i];
        if let Some(p) =
            stance::present_tense(&tokens[s.tok_start..s.tok_end], &quoted[s.tok_start..s.tok_end])
        {
            tensed += 1;
            present += usize::from(p);
        }
    }
    (present, tensed)
}

/// The first body sentence where a named outlet or person "interviewed" someone named
/// ("Wikinews interviewed Eric Haddox, a civil engineer …"), outside quotes: the words of
/// "X interviewed Y".
pub fn interviewed(
    doc: &Doc,
    tokens: &[Token],
    sents: &[super::attributions::SentRef],
    quoted: &[bool],
    body: &[usize],
) -> Option<String> {
    for &si in body.iter().take(12) {
        let s = sents[si].seg;
        for k in s.tok_start + 1..s.tok_end.saturating_sub(1) {
            if tokens[k].is("interviewed")
                && !quoted[k]
                && tokens[k - 1].is_capitalized()
                && tokens[k + 1].is_capitalized()
            {
                let e = (k + 1..s.tok_end)
                    .take_while(|&j| tokens[j].is_capitalized())
                    .last()
                    .unwrap_or(k + 1);
                return Some(doc.slice(tokens[k - 1].start, tokens[e].end).to_string());
            }
        }
    }
    None
}

/// Weights of the argued-voice score (`data/lexicons/genre.tsv`).
struct ArguedWeights {
    opinion: f32,
    evaluating: f32,
    we: f32,
    question: f32,
    advice: f32,
    min_address: f32,
    threshold: f32,
    min_own: usize,
    max_attributed: f32,
}

fn argued_weights() -> &'static ArguedWeights {
    static W: std::sync::OnceLock<ArguedWeights> = std::sync::OnceLock::new();
    W.get_or_init(|| {
        let text = include_str!("../../data/lexicons/genre.tsv");
        let get = |key: &str| -> f32 {
            text.lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split_once('\t'))
                .find(|(k, _)| *k == key)
                .and_then(|(_, v)| v.trim().parse().ok())
                .unwrap_or_else(|| panic!("data/lexicons/genre.tsv: no number for {key}"))
        };
        ArguedWeights {
            opinion: get("opinion"),
            evaluating: get("evaluating"),
            we: get("we"),
            question: get("question"),
            advice: get("advice"),
            min_address: get("min_address"),
            threshold: get("threshold"),
            // A whole count of sentences.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            min_own: get("min_own") as usize,
            max_attributed: get("max_attributed"),
        }
    })
}

/// The writer who argues with the reader: among the writer's own sentences, a share that
/// say "we", ask, or advise ("should", "must"), which a report's writer does not, on top
/// of judgement and evaluation, in a piece not mostly attributed to sources. Catches the
/// column or analysis that quotes a good deal, has no "I" and judges in few sentences.
/// Returns the address share and the score when the piece is argued.
fn argued(g: &GenreSignals<'_>) -> Option<(f32, f32)> {
    let w = argued_weights();
    let own = g.sentences.saturating_sub(g.attributed_sentences);
    if own < w.min_own || own == 0 {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let share = |n: usize| n as f32 / own as f32;
    #[allow(clippy::cast_precision_loss)]
    let attributed = g.attributed_sentences as f32 / g.sentences.max(1) as f32;
    let address =
        w.we * share(g.own.we) + w.question * share(g.own.questions) + w.advice * share(g.own.advice);
    let score =
        address + w.opinion * share(g.opinion_sentences) + w.evaluating * share(g.evaluating_sentences);
    (attributed <= w.max_attributed && address >= w.min_address && score >= w.threshold)
        .then_some((address, score))
}

/// Picks the genre and says why, in words a teacher can check.
pub fn genre(g: &GenreSignals<'_>) -> (Genre, Vec<String>, f32) {
    let mut cues = Vec::new();
    let t = g.title.to_lowercase();
    let title_interview = [
        "interview",
        "q&a",
        "answers questions",
        "questions about",
        "talks to",
        "speaks to",
        "sits down with",
    ]
    .iter()
    .find(|w| t.contains(*w));
    let (numbered_questions, sentences, opinion_sentences, first_person) = (
        g.numbered_questions,
        g.sentences,
        g.opinion_sentences,
        g.first_person,
    );
    if numbered_questions >= 2
        || g.question_lines >= 2
        || g.speaker_turns >= 3
        || g.interviewed.is_some()
        || g.one_voice.is_some()
    {
        if numbered_questions >= 2 {
            cues.push(format!(
                "{numbered_questions} numbered questions, each followed by an answer"
            ));
        }
        if g.question_lines >= 2 {
            cues.push(format!(
                "{} questions put to the interviewee (\"you\") as lines of their own, each followed by an answer in the first person",
                g.question_lines
            ));
        }
        if g.speaker_turns >= 3 {
            cues.push(format!(
                "{} paragraphs open with the speaker's name or label, as in a transcript",
                g.speaker_turns
            ));
        }
        if let Some(s) = &g.interviewed {
            cues.push(format!("the text says \"{s}\""));
        }
        if let Some(s) = &g.one_voice {
            cues.push(format!(
                "most statements are {s}'s, told in the present (\"says\"), as in an interview feature"
            ));
        }
        if let Some(w) = title_interview {
            cues.push(format!("title says \"{w}\""));
        }
        let conf = if title_interview.is_some() { 0.95 } else { 0.85 };
        return (Genre::Interview, cues, conf);
    }
    let attributed = g.attributed_sentences;
    // The writer's own voice: an "I" that recurs alongside judgements; judgements in a
    // quarter of the sentences; or, with no "I", a piece that argues in the present tense
    // (a report narrates in the past) or is mostly the writer's judgement, with few
    // sentences attributed to sources.
    let voiced = first_person >= 3 && (opinion_sentences >= 3 || first_person >= 6);
    let dense = sentences > 0 && opinion_sentences * 4 >= sentences && opinion_sentences >= 3;
    let few_sources = attributed * 10 <= sentences * 3;
    let evaluating = g.evaluating_sentences;
    let argues_now = g.own_tensed >= 15
        && g.own_present * 4 >= g.own_tensed * 3
        && ((opinion_sentences >= 3 && opinion_sentences * 10 >= sentences)
            || (evaluating >= 6 && evaluating * 100 >= sentences * 15));
    let judges =
        opinion_sentences >= 3 && opinion_sentences * 100 >= sentences * 15 && attributed * 5 <= sentences;
    let argued = argued(g);
    // An expert's contribution (the byline gives a post in scholarship or research, not a
    // newsroom) that is not mostly attributed and evaluates at all is the expert's
    // analysis or column: a staff report carries no such byline.
    let contributed = g
        .expert
        .filter(|_| attributed * 2 <= sentences && (evaluating >= 2 || opinion_sentences >= 1));
    if voiced || dense || (few_sources && (argues_now || judges)) || argued.is_some() || contributed.is_some()
    {
        if first_person > 0 {
            cues.push(format!(
                "the writer speaks in the first person outside quotes ({first_person} times)"
            ));
        }
        cues.push(format!(
            "{opinion_sentences} of {sentences} sentences carry the writer's own judgement or prediction"
        ));
        if argues_now && !voiced {
            cues.push(format!(
                "{} of the writer's {} own sentences are in the present tense, as an argument is",
                g.own_present, g.own_tensed
            ));
            if opinion_sentences < 3 || opinion_sentences * 10 < sentences {
                cues.push(format!("{evaluating} of {sentences} sentences evaluate or urge"));
            }
        }
        if few_sources && !voiced {
            cues.push(format!(
                "only {attributed} of {sentences} sentences are attributed to sources"
            ));
        }
        if argued.is_some() && !(voiced || dense || (few_sources && (argues_now || judges))) {
            let o = g.own;
            cues.push(format!(
                "the writer addresses the reader in their own sentences: \"we\" {} times, {} questions, {} \"should\" or \"must\"",
                o.we, o.questions, o.advice
            ));
        }
        if let Some(post) = contributed {
            cues.push(format!(
                "the byline gives the writer's post as \"{post}\": an expert's contribution, not a staff report"
            ));
        }
        let conf = if voiced || dense { 0.85 } else { 0.7 };
        return (Genre::Opinion, cues, conf);
    }
    cues.push("third-person reporting: statements are attributed to sources".to_string());
    if opinion_sentences > 0 {
        cues.push(format!(
            "only {opinion_sentences} of {sentences} sentences carry the writer's own judgement"
        ));
    }
    let conf = if first_person == 0 && opinion_sentences * 8 < sentences.max(1) {
        0.85
    } else {
        0.65
    };
    (Genre::NewsReport, cues, conf)
}
