//! Owns attribution extraction: for each cue, the source phrase and the content around it
//! ("X said (that) Y", "Y, X said", "“Y,” said X", "according to X, Y", "X told Z that Y",
//! "X said: “Y”"), then pronoun resolution, quote types and relay chains.

use super::content::{
    is_open_quote_tok, left_content, quote_type, right_content, right_is_minor, trim_end, trim_start,
};
use super::cues::{self, Cue, CueForm};
use super::model::{Attribution, AttributionType, QuoteType, Source, SourceKind};
use super::relations::resolve_pronoun;
use super::sentences::Segment;
use super::sources::{self, BETWEEN};
use super::tagger::{self, class};
use super::tokenize::{Doc, TokKind, Token};

pub use super::content::quote_openers;
pub use super::relations::relink;

/// One sentence as the extractor sees it.
pub struct SentRef {
    pub seg: Segment,
    pub paragraph: usize,
    /// Page clutter: no attributions are looked for here.
    pub clutter: bool,
}

struct Raw {
    cue: (usize, usize),
    source: Option<(usize, usize)>,
    /// Token range of the content.
    content: Option<(usize, usize)>,
    sentence: usize,
    /// The cue word is a cue most of the time it occurs.
    strong: bool,
    kind: AttributionType,
}

impl Raw {
    /// How sure the extractor is of this attribution before kinds are known: strong cues with
    /// a source phrase and content are the surest.
    fn confidence(&self) -> f32 {
        let mut c: f32 = 0.4;
        if self.strong {
            c += 0.3;
        }
        if self.source.is_some() {
            c += 0.15;
        }
        if self.content.is_some() {
            c += 0.1;
        }
        c.min(0.95)
    }
}

/// Finds every attribution in the sentences.
pub fn extract(doc: &Doc, tokens: &[Token], sents: &[SentRef], paragraphs: &[Segment]) -> Vec<Attribution> {
    let openers = quote_openers(tokens, paragraphs);
    let mut raws = Vec::new();
    // Source phrases of generalisations dropped below: their relative clauses ("men who
    // report having …") are part of the generalisation too.
    let mut generic = Vec::new();
    for (si, s) in sents.iter().enumerate() {
        if s.clutter {
            continue;
        }
        let (a, b) = (s.seg.tok_start, s.seg.tok_end);
        let para = paragraphs.get(s.paragraph).copied().unwrap_or(s.seg);
        for cue in cues::find(tokens, a, b) {
            // Cues inside a quotation are the speaker's words, and PolNeAR (train: 8 of 551)
            // does not annotate them as attributions.
            if openers[cue.tok_start].is_some() {
                continue;
            }
            // "X said that she thinks Y but said Z": a belief or feeling reported inside a
            // statement does not take over the speaker of the statement's next cue.
            let prev_src = raws
                .iter()
                .rev()
                .take_while(|r: &&Raw| r.sentence == si)
                .find(|r| r.kind == AttributionType::Speech)
                .and_then(|r| r.source);
            if let Some(mut r) = one(prev_src, tokens, &openers, para, a, b, cue, si) {
                // "Many men believe …", "most students saw …": what a part of the public
                // thinks or does, in general (a simple tense), is the writer's claim about it;
                // no one there is a source. A cue of speech ("many voters say") still reports,
                // and so does a particular event ("parents have pushed for …").
                let weak = cue.kind != AttributionType::Speech
                    || (cue.form == CueForm::Verb && cue.stat.is_none_or(|c| c.rate < cues::MIN_RATE));
                let weak = weak && !episodic(tokens, a, cue.tok_start);
                if let Some((s, e)) = r
                    .source
                    .filter(|&(s, e)| weak && super::kinds::generic_population(tokens, s, e))
                {
                    generic.push((s, e));
                    continue;
                }
                r.kind = cue.kind;
                raws.push(r);
            }
        }
    }
    // A cue inside another attribution's source ("officials who requested anonymity told")
    // is part of that source's description, not an attribution of its own.
    // Source phrases are short, so only neighbouring attributions can hold a cue (keeps this
    // linear). Strong cues ("said", "told") stay: there the source phrase over-reached.
    let inside: Vec<bool> = (0..raws.len())
        .map(|i| {
            let r = &raws[i];
            !r.strong
                && raws[i.saturating_sub(16)..(i + 16).min(raws.len())]
                    .iter()
                    .filter_map(|o| o.source)
                    .chain(generic.iter().copied())
                    .any(|(s, e)| s <= r.cue.0 && r.cue.1 <= e)
        })
        .collect();
    let mut keep = inside.iter().map(|&x| !x);
    raws.retain(|_| keep.next().unwrap_or(true));
    finish(doc, tokens, sents, &openers, raws)
}

/// Whether the verb at `k` is in a perfect or progressive form ("have pushed", "are
/// saying"): a particular event, not a generalisation.
fn episodic(tokens: &[Token], a: usize, k: usize) -> bool {
    tokens[a..k]
        .iter()
        .rev()
        .take_while(|t| t.is_word() && (t.has(class::ADV) || BETWEEN.contains(&t.norm.as_str())))
        .any(|t| {
            matches!(
                t.norm.as_str(),
                "has" | "have" | "had" | "is" | "are" | "was" | "were" | "been" | "being"
            )
        })
}

/// Builds the raw attribution for one cue in sentence `[a, b)`.
#[allow(clippy::too_many_arguments)]
fn one(
    prev_src: Option<(usize, usize)>,
    tokens: &[Token],
    openers: &[Option<usize>],
    para: Segment,
    a: usize,
    b: usize,
    cue: Cue,
    si: usize,
) -> Option<Raw> {
    let (ts, te) = (cue.tok_start, cue.tok_end);
    let strong = cue.form == CueForm::AccordingTo || cue.stat.is_some_and(|s| s.rate >= 0.8);
    let cue_word = tokens[te - 1].norm.as_str();
    match cue.form {
        CueForm::AccordingTo => {
            let src =
                sources::right_np(tokens, te, b).or_else(|| sources::right_np(tokens, te, b.min(te + 1)));
            let src_end = src.map_or(te, |x| x.1);
            let before = trim_start(tokens, a, ts);
            let content = if ts <= before || only_connectives(tokens, a, ts) {
                right_content(tokens, openers, para, src_end, b, cue_word)
            } else {
                left_content(tokens, openers, para, a, ts)
            };
            Some(Raw {
                cue: (ts, te),
                source: src,
                content,
                sentence: si,
                strong,
                kind: AttributionType::Speech,
            })
        }
        CueForm::FromSource => {
            let src = sources::right_np(tokens, te, b)?;
            Some(Raw {
                cue: (ts, te - 1),
                source: Some(src),
                content: None,
                sentence: si,
                strong,
                kind: AttributionType::Speech,
            })
        }
        CueForm::Adverb => {
            let e = trim_end(tokens, a, b);
            Some(Raw {
                cue: (ts, te),
                source: None,
                content: (a < e).then_some((a, e)),
                sentence: si,
                strong,
                kind: AttributionType::Speech,
            })
        }
        CueForm::Verb => {
            // Walk left over auxiliaries and adverbs to the subject.
            let mut i = ts;
            let mut passive = false;
            let attitude = cue.kind != AttributionType::Speech;
            while i > a
                && tokens[i - 1].is_word()
                && (BETWEEN.contains(&tokens[i - 1].norm.as_str())
                    || (attitude && cues::ATTITUDE_BETWEEN.contains(&tokens[i - 1].norm.as_str())))
            {
                // "X was asked", not "X is denying": a form of "be" before a participle.
                if matches!(
                    tokens[i - 1].norm.as_str(),
                    "is" | "are" | "was" | "were" | "be" | "been" | "being"
                ) && !tokens[ts].has(class::GERUND)
                    // "are opposed to the plan" holds a view; "was opposed by unions" is a
                    // passive whose agent holds it.
                    && (tokens[ts].first_of & super::lexicon::STANCE == 0 || (te < b && tokens[te].is("by")))
                {
                    passive = true;
                }
                i -= 1;
            }
            let stat = cue.stat;
            let mostly_sourceless = stat.is_some_and(|s| s.no_source * 2 > s.count);
            if passive || mostly_sourceless {
                // "X was asked", "is expected to": the subject is not the speaker.
                let by = (te..b.min(te + 3)).find(|&k| tokens[k].is("by"));
                let src = by.and_then(|k| sources::right_np(tokens, k + 1, b));
                // "A police car … was attacked by residents, who …": a weaker cue word that is
                // no listed reporting verb reports in the passive only on a speaker or with a
                // proposition after its agent; otherwise it is an act done to a thing.
                let listed = tokens[te - 1].first_of & super::lexicon::REPORTING_VERB != 0;
                if let (true, Some((_, e))) = (passive && !strong && !listed, src) {
                    let patient = (i > a)
                        .then(|| sources::left_np(tokens, a, i - 1))
                        .flatten()
                        .is_some_and(|(ps, pe)| sources::speaker_like(tokens, ps, pe));
                    let proposition = e < b && cues::takes_proposition(tokens, e - 1);
                    if !patient && !proposition {
                        return None;
                    }
                }
                let content = match src {
                    Some((_, e)) => right_content(tokens, openers, para, e, b, cue_word),
                    None => {
                        let e = trim_end(tokens, a, b);
                        (a < e).then_some((a, e))
                    }
                };
                return Some(Raw {
                    cue: (ts, te),
                    source: src,
                    content,
                    sentence: si,
                    strong,
                    kind: AttributionType::Speech,
                });
            }
            if i > a && tokens[i - 1].is_punct(',') {
                if let Some(src) = appositive_subject(tokens, a, i - 1) {
                    let content = right_content(tokens, openers, para, te, b, cue_word);
                    return Some(Raw {
                        cue: (ts, te),
                        source: Some(src),
                        content,
                        sentence: si,
                        strong,
                        kind: AttributionType::Speech,
                    });
                }
            }
            // "X (a Connecticut Democrat …) says": the subject is before the parenthesis.
            let mut li = i;
            if li > a && tokens[li - 1].is_punct(')') {
                if let Some(open) = (a..li - 1).rev().take(40).find(|&k| tokens[k].is_punct('(')) {
                    li = open;
                }
            }
            // "Insiders in two states — Ohio and Utah — said", "Veterans at the rally,
            // including Mr. Jebens, said": an aside set off by dashes, or an "including"
            // phrase set off by commas, stands between the subject and its verb.
            let dash = |t: &Token| t.is_punct('—') || t.is_punct('–');
            if li > a && dash(&tokens[li - 1]) {
                if let Some(open) = (a + 1..li - 1).rev().take(30).find(|&k| dash(&tokens[k])) {
                    li = open;
                }
            } else if li > a && tokens[li - 1].is_punct(',') {
                if let Some(c) = (a + 1..li - 1).rev().take(20).find(|&k| tokens[k].is_punct(',')) {
                    if tokens[c + 1].is("including") {
                        li = c;
                    }
                }
            }
            let nominal = cue_word.ends_with("ing")
                && ((li > a && tokens[li - 1].is_word() && is_preposition(&tokens[li - 1].norm))
                    || tokens[li.saturating_sub(3).max(a)..li].iter().any(|t| {
                        t.is_word()
                            && matches!(t.norm.as_str(), "while" | "when" | "without" | "before" | "after")
                    }));
            if nominal {
                // "for saying", "While not completely dismissing": a nominal or adverbial
                // use, not a report.
                return None;
            }
            // "…, saying …" / "… and said …": the speaker is the subject of the clause before.
            let continues = li > a
                && (tokens[li - 1].is("and")
                    || tokens[li - 1].is("but")
                    || tokens[li - 1].is("then")
                    || (cue_word.ends_with("ing") && tokens[li - 1].is_punct(',')));
            if continues {
                let src = prev_src.or_else(|| sentence_subject(tokens, a, li - 1));
                let content = right_content(tokens, openers, para, te, b, cue_word);
                return Some(Raw {
                    cue: (ts, te),
                    source: src,
                    content,
                    sentence: si,
                    strong,
                    kind: AttributionType::Speech,
                });
            }
            let left = if li > a {
                sources::left_np(tokens, a, li - 1)
            } else {
                None
            };
            // "wrote directly to fans insisting that …": a participle clause after an object
            // belongs to the clause's subject ("with aides saying" is the aides' own).
            let object = left.is_some_and(|(s, _)| {
                i == ts
                    && tokens[ts].has(class::GERUND)
                    && s > a
                    && tokens[s - 1].is_word()
                    && tokens[s - 1].has(class::PREP)
                    && !tokens[s - 1].is("with")
            });
            if let (true, Some((os, _))) = (object, left) {
                let src = prev_src.or_else(|| sentence_subject(tokens, a, os - 1));
                let content = right_content(tokens, openers, para, te, b, cue_word);
                return Some(Raw {
                    cue: (ts, te),
                    source: src,
                    content,
                    sentence: si,
                    strong,
                    kind: AttributionType::Speech,
                });
            }
            if let Some(src) = left {
                // A weaker cue word with no proposition reports only from a speaker: "a
                // suicide car bomber has attacked offices" reports nothing.
                // Belief, sentiment and stance cues checked their holder already.
                if !strong
                    && !attitude
                    && !cues::takes_proposition(tokens, te - 1)
                    && !sources::speaker_like(tokens, src.0, src.1)
                {
                    return None;
                }
                // "“Y,” Taylor said …" / "Y, officials said": content on the left.
                let left_len = src.0.saturating_sub(a);
                let comma_before = src.0 > a
                    && tokens[src.0 - 1].kind == TokKind::Punct
                    && (matches!(tokens[src.0 - 1].first, ',' | '—' | '–')
                        || is_open_quote_tok(&tokens[src.0 - 1]));
                let content = if left_len >= 2
                    && comma_before
                    && !only_connectives(tokens, a, src.0)
                    && right_is_minor(tokens, te, b, cue_word)
                {
                    left_content(tokens, openers, para, a, src.0)
                } else {
                    right_content(tokens, openers, para, te, b, cue_word).or_else(|| {
                        if src.0 > a {
                            left_content(tokens, openers, para, a, src.0)
                        } else {
                            None
                        }
                    })
                };
                return Some(Raw {
                    cue: (ts, te),
                    source: Some(src),
                    content,
                    sentence: si,
                    strong,
                    kind: AttributionType::Speech,
                });
            }
            // Inverted: "…,” said Smith." / "said Smith, …". Not after an auxiliary
            // ("…, has revealed intelligence"): there the subject is just further left.
            if i < ts {
                return None;
            }
            // "X, Y, tells reporters that …", "“…,” X, who …, told reporters.": the noun
            // phrase after "told" is the addressee, never the speaker; the speaker is the
            // subject on the left, which no simpler pattern above took.
            if TELL_VERBS.contains(&cue_word) {
                let addressee_end = sources::right_np(tokens, te, b).map_or(te, |x| x.1);
                let src = subject_before_comma(tokens, a, ts);
                let end = src.map_or(ts, |x| x.0);
                let left = || {
                    (end > a)
                        .then(|| left_content(tokens, openers, para, a, end))
                        .flatten()
                };
                let content = if right_is_minor(tokens, te, b, cue_word) {
                    left().or_else(|| right_content(tokens, openers, para, addressee_end, b, cue_word))
                } else {
                    right_content(tokens, openers, para, addressee_end, b, cue_word).or_else(left)
                };
                if src.is_none() && content.is_none() {
                    return None;
                }
                return Some(Raw {
                    cue: (ts, te),
                    source: src,
                    content,
                    sentence: si,
                    strong,
                    kind: AttributionType::Speech,
                });
            }
            let src = sources::right_np(tokens, te, b);
            if let Some((_, e)) = src {
                // "said Sanders has options": the phrase is the content's subject.
                if e < b && tokens[e].is_word() && !sources::ends_right_np(&tokens[e]) {
                    return None;
                }
            }
            let after = src.map_or(te, |x| x.1);
            let content = if i > a {
                left_content(tokens, openers, para, a, i)
            } else {
                right_content(tokens, openers, para, after, b, cue_word)
            };
            if src.is_none() && content.is_none() {
                return None;
            }
            Some(Raw {
                cue: (ts, te),
                source: src,
                content,
                sentence: si,
                strong,
                kind: AttributionType::Speech,
            })
        }
    }
}

/// Verbs whose object is the person told ("told reporters"): English does not invert them
/// ("“…,” said Smith" but never "“…,” told Smith").
const TELL_VERBS: &[&str] = &[
    "told", "tell", "tells", "telling", "assured", "reminded", "informed", "briefed", "urged", "urges",
];

/// The subject of a verb at `ts` set off by commas: "A top strategist, John Weaver, tells"
/// (a noun phrase and its apposition), "Warren, who has not endorsed a candidate, told" (the
/// noun phrase before a relative clause).
fn subject_before_comma(tokens: &[Token], a: usize, ts: usize) -> Option<(usize, usize)> {
    if ts <= a + 1 || !tokens[ts - 1].is_punct(',') {
        return None;
    }
    let comma = ts - 1;
    // The relative clause: ", who …," / ", which …,".
    if let Some(c) = (a..comma)
        .rev()
        .take(20)
        .find(|&k| tokens[k].is_punct(',') && tokens.get(k + 1).is_some_and(|t| t.is("who") || t.is("which")))
    {
        return (c > a).then(|| sources::left_np(tokens, a, c - 1)).flatten();
    }
    // A noun phrase and its apposition, from the start of the clause.
    let mut s = a;
    while s < comma && only_connectives(tokens, s, s + 1) {
        s += 1;
    }
    let c1 = (s..comma).find(|&k| tokens[k].is_punct(','))?;
    let np = |t: &Token| sources::is_np_token(t) || t.is_punct(',');
    let all_np = tokens[s..comma].iter().all(np);
    (all_np && c1 > s && comma - s <= 16 && tokens[s..comma].iter().any(|t| t.is_capitalized()))
        .then_some((s, comma))
}

fn is_preposition(w: &str) -> bool {
    matches!(
        w,
        "for"
            | "by"
            | "of"
            | "about"
            | "without"
            | "after"
            | "before"
            | "while"
            | "from"
            | "in"
            | "on"
            | "at"
            | "with"
    )
}

/// The subject at the start of a sentence, up to `limit`: a run of capitalised words (a
/// name) or a personal pronoun, after connectives and an opening subordinate clause.
fn sentence_subject(tokens: &[Token], a: usize, limit: usize) -> Option<(usize, usize)> {
    let mut s = a;
    while s < limit && only_connectives(tokens, s, s + 1) {
        s += 1;
    }
    let opener = tokens.get(s).is_some_and(|t| {
        t.is_word()
            && matches!(
                t.norm.as_str(),
                "while"
                    | "when"
                    | "after"
                    | "before"
                    | "as"
                    | "in"
                    | "at"
                    | "on"
                    | "during"
                    | "although"
                    | "if"
                    | "since"
                    | "despite"
                    | "with"
                    | "following"
                    | "asked"
                    | "speaking"
                    | "though"
            )
    });
    if opener {
        s = (s..limit).find(|&k| tokens[k].is_punct(','))? + 1;
    }
    if s >= limit {
        return None;
    }
    let t = &tokens[s];
    if t.is_word() && matches!(t.norm.as_str(), "he" | "she" | "they" | "we" | "i" | "it") {
        return Some((s, s + 1));
    }
    let mut e = s;
    while e < limit
        && (tokens[e].is_capitalized()
            || (tokens[e].is_punct('.') && e > s && tokens[e - 1].end == tokens[e].start)
            || (e > s && tokens[e].is_word() && matches!(tokens[e].norm.as_str(), "of" | "de")))
        && e - s < 8
    {
        e += 1;
    }
    while e > s && !tokens[e - 1].is_capitalized() {
        e -= 1;
    }
    let starter = t.is_word()
        && matches!(
            t.norm.as_str(),
            "the" | "a" | "an" | "this" | "that" | "there" | "it" | "but" | "and"
        );
    if e > s && !starter {
        return Some((s, e));
    }
    // "The company …, saying": the noun phrase the clause starts with, by the tagger's chunks.
    tagger::np_chunks(tokens, s, limit)
        .first()
        .filter(|&&(cs, _)| cs == s && !matches!(t.norm.as_str(), "there" | "it" | "this" | "that"))
        .copied()
}

/// Only connectives and punctuation in `[a, e)` ("But according to …").
fn only_connectives(tokens: &[Token], a: usize, e: usize) -> bool {
    tokens[a..e].iter().all(|t| {
        t.kind == TokKind::Punct
            || matches!(
                t.norm.as_str(),
                "but"
                    | "and"
                    | "so"
                    | "yet"
                    | "still"
                    | "also"
                    | "however"
                    | "meanwhile"
                    | "furthermore"
                    | "moreover"
                    | "now"
                    | "then"
                    | "indeed"
            )
    })
}

/// "Francis Taylor, under secretary …, told": a sentence-initial name, a comma, an
/// apposition, and the comma `comma` right before the cue. Returns the subject's token range.
fn appositive_subject(tokens: &[Token], a: usize, comma: usize) -> Option<(usize, usize)> {
    let mut s = a;
    while s < comma && (only_connectives(tokens, s, s + 1)) {
        s += 1;
    }
    let c1 = (s..comma).find(|&k| tokens[k].is_punct(','))?;
    let name = &tokens[s..c1];
    let appo = &tokens[c1 + 1..comma];
    if name.is_empty() || name.len() > 7 || appo.is_empty() || appo.len() > 30 {
        return None;
    }
    let np = |t: &Token| sources::is_np_token(t) || t.is_punct(',') || t.is_punct('(') || t.is_punct(')');
    if !name.iter().all(sources::is_np_token) || !appo.iter().all(np) {
        return None;
    }
    let caps = name.iter().filter(|t| t.is_capitalized()).count();
    let words = name.iter().filter(|t| t.is_word()).count();
    (caps >= 1 && caps * 2 >= words).then_some((s, comma))
}

/// Turns raw attributions into the model: spans, source kinds, pronoun resolution,
/// quote types and relay chains.
fn finish(
    doc: &Doc,
    tokens: &[Token],
    sents: &[SentRef],
    openers: &[Option<usize>],
    raws: Vec<Raw>,
) -> Vec<Attribution> {
    let mut out: Vec<Attribution> = Vec::with_capacity(raws.len());
    // Resolved kind and referent span per attribution, for later pronouns.
    let mut resolved: Vec<Option<(SourceKind, usize, usize)>> = Vec::with_capacity(raws.len());
    for r in &raws {
        let sent_start = sents.get(r.sentence).map_or(0, |s| s.seg.tok_start);
        let source = r.source.map(|(s, e)| {
            let (cs, ce) = (tokens[s].start, tokens[e - 1].end);
            let mut refers_to = None;
            let kind = match sources::classify(tokens, s, e, sent_start) {
                Some(k) => {
                    // A kind for the core phrase only: cut an apposition after the first comma.
                    k
                }
                None => {
                    let (k, r) = resolve_pronoun(doc, tokens, s, sents, r.sentence, &out, &resolved, openers);
                    refers_to = r;
                    k
                }
            };
            Source {
                start: cs,
                end: ce,
                text: doc.slice(cs, ce).to_string(),
                kind,
                refers_to,
            }
        });
        let res = source.as_ref().map(|s| match &s.refers_to {
            Some(sp) => (s.kind, sp.start, sp.end),
            None => (s.kind, s.start, s.end),
        });
        resolved.push(res);
        let content = r
            .content
            .map(|(s, e)| doc.span(tokens[s].start, tokens[e - 1].end));
        let quote = content
            .as_ref()
            .map_or(QuoteType::Indirect, |c| quote_type(&c.text));
        out.push(Attribution {
            source,
            cue: doc.span(tokens[r.cue.0].start, tokens[r.cue.1 - 1].end),
            content,
            quote,
            relayed_from: None,
            sentence: r.sentence,
            entity: None,
            confidence: r.confidence(),
            anonymity: None,
            attribution_type: r.kind,
        });
    }
    out
}
