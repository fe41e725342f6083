//! Owns attribution extraction: for each cue, the source phrase and the content around it
//! ("X said (that) Y", "Y, X said", "“Y,” said X", "according to X, Y", "X told Z that Y",
//! "X said: “Y”"), then pronoun resolution, quote types and relay chains.

use super::cues::{self, Cue, CueForm, ADDRESSEE_VERBS};
use super::model::{Attribution, QuoteType, Source, SourceKind};
use super::sentences::Segment;
use super::sources::{self, BETWEEN};
use super::tokenize::{is_dquote, Doc, TokKind, Token};

/// One sentence as the extractor sees it.
pub struct SentRef {
    pub seg: Segment,
    pub paragraph: usize,
    /// Page clutter: no attributions are looked for here.
    pub clutter: bool,
}

/// Per token: the index of the opening quotation mark whose quote it is inside, if any.
/// Quotes are tracked per paragraph and never cross a paragraph.
pub fn quote_openers(tokens: &[Token], paragraphs: &[Segment]) -> Vec<Option<usize>> {
    let mut out = vec![None; tokens.len()];
    for p in paragraphs {
        let mut open: Option<usize> = None;
        for k in p.tok_start..p.tok_end {
            let t = &tokens[k];
            if t.kind == TokKind::Punct && is_dquote(t.first) {
                let opens = match t.first {
                    '“' | '«' | '„' => true,
                    '”' | '»' => false,
                    // An ASCII quote opens when no quote is open.
                    _ => open.is_none(),
                };
                if opens {
                    open = Some(k);
                    out[k] = open;
                } else {
                    out[k] = open;
                    open = None;
                }
                continue;
            }
            out[k] = open;
        }
    }
    out
}

struct Raw {
    cue: (usize, usize),
    source: Option<(usize, usize)>,
    /// Token range of the content.
    content: Option<(usize, usize)>,
    sentence: usize,
    /// The cue word is a cue most of the time it occurs.
    strong: bool,
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
            let prev_src = raws
                .last()
                .filter(|r: &&Raw| r.sentence == si)
                .and_then(|r| r.source);
            if let Some(r) = one(prev_src, tokens, &openers, para, a, b, cue, si) {
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
                    .any(|(s, e)| s <= r.cue.0 && r.cue.1 <= e)
        })
        .collect();
    let mut keep = inside.iter().map(|&x| !x);
    raws.retain(|_| keep.next().unwrap_or(true));
    finish(doc, tokens, sents, &openers, raws)
}

fn trim_end(tokens: &[Token], a: usize, mut e: usize) -> usize {
    while e > a
        && tokens[e - 1].kind == TokKind::Punct
        && matches!(tokens[e - 1].first, ',' | ';' | ':' | '—' | '–' | '-' | '.')
    {
        e -= 1;
    }
    e
}

fn trim_start(tokens: &[Token], mut s: usize, e: usize) -> usize {
    while s < e
        && tokens[s].kind == TokKind::Punct
        && matches!(tokens[s].first, ',' | ';' | ':' | '—' | '–' | '-')
    {
        s += 1;
    }
    s
}

/// Content to the right of the cue/source, starting at `s`.
fn right_content(
    tokens: &[Token],
    openers: &[Option<usize>],
    para: Segment,
    s: usize,
    b: usize,
    cue_word: &str,
) -> Option<(usize, usize)> {
    let mut s = trim_start(tokens, s, b);
    if s >= b {
        return None;
    }
    let first = &tokens[s];
    let skip_to_clause = ADDRESSEE_VERBS.contains(&cue_word)
        || (first.is_word()
            && matches!(
                first.norm.as_str(),
                "in" | "on"
                    | "at"
                    | "during"
                    | "to"
                    | "with"
                    | "after"
                    | "of"
                    | "about"
                    | "before"
                    | "while"
                    | "recently"
                    | "last"
                    | "this"
                    | "earlier"
                    | "later"
                    | "monday"
                    | "tuesday"
                    | "wednesday"
                    | "thursday"
                    | "friday"
                    | "saturday"
                    | "sunday"
                    | "yesterday"
                    | "today"
                    | "the"
                    | "a"
                    | "an"
                    | "reporters"
                    | "him"
                    | "her"
                    | "them"
                    | "me"
                    | "us"
            ));
    if skip_to_clause {
        let lim = (s + 14).min(b);
        for k in s..lim {
            let t = &tokens[k];
            if t.is("that")
                || (t.kind == TokKind::Punct && (matches!(t.first, ':' | ',') || is_dquote(t.first)))
            {
                s = trim_start(tokens, k, b);
                break;
            }
        }
    }
    let mut e = b;
    // A quote opened inside the content and closed in a later sentence of the paragraph.
    let mut last_open = None;
    for k in s..b {
        if tokens[k].kind == TokKind::Punct && is_dquote(tokens[k].first) {
            last_open = if openers[k] == Some(k) { Some(k) } else { None };
        }
    }
    if last_open.is_some() {
        let mut k = b;
        while k < para.tok_end {
            if tokens[k].kind == TokKind::Punct && is_dquote(tokens[k].first) && openers[k] != Some(k) {
                e = k + 1;
                break;
            }
            k += 1;
        }
    }
    let e = if e == b { trim_end(tokens, s, b) } else { e };
    (s < e).then_some((s, e))
}

/// Content to the left of the cue/source, ending before `e`.
fn left_content(
    tokens: &[Token],
    openers: &[Option<usize>],
    para: Segment,
    a: usize,
    e: usize,
) -> Option<(usize, usize)> {
    let e = trim_end(tokens, a, e);
    let mut s = trim_start(tokens, a, e);
    // Skip a leading connective ("But", "And").
    while s < e
        && (tokens[s].is("but") || tokens[s].is("and"))
        && s + 1 < e
        && tokens[s + 1].kind != TokKind::Punct
    {
        s += 1;
    }
    if s >= e {
        return None;
    }
    // The sentence starts inside a quote opened in an earlier sentence: take the whole quote.
    if let Some(o) = openers[s] {
        if o < s && o >= para.tok_start {
            s = o;
        }
    }
    Some((s, e))
}

fn is_open_quote_tok(t: &Token) -> bool {
    t.kind == TokKind::Punct && is_dquote(t.first)
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
            })
        }
        CueForm::Verb => {
            // Walk left over auxiliaries and adverbs to the subject.
            let mut i = ts;
            let mut passive = false;
            while i > a && tokens[i - 1].is_word() && BETWEEN.contains(&tokens[i - 1].norm.as_str()) {
                if matches!(
                    tokens[i - 1].norm.as_str(),
                    "is" | "are" | "was" | "were" | "be" | "been" | "being"
                ) {
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
                });
            }
            let left = if li > a {
                sources::left_np(tokens, a, li - 1)
            } else {
                None
            };
            if let Some(src) = left {
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
                });
            }
            // Inverted: "…,” said Smith." / "said Smith, …". Not after an auxiliary
            // ("…, has revealed intelligence"): there the subject is just further left.
            if i < ts {
                return None;
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
            })
        }
    }
}

/// What follows the cue is no content of its own: nothing, an addressee, or a time/place
/// phrase ("…, officials said on Tuesday", "…, two officials told Bloomberg").
fn right_is_minor(tokens: &[Token], te: usize, b: usize, cue_word: &str) -> bool {
    let e = trim_end(tokens, te, b);
    let rest = &tokens[te..e];
    if rest.is_empty() {
        return true;
    }
    let clause = rest
        .iter()
        .any(|t| t.is("that") || (t.kind == TokKind::Punct && (t.first == ':' || is_dquote(t.first))));
    if clause {
        return false;
    }
    if rest.first().is_some_and(|t| t.is_punct(',')) {
        return true;
    }
    let short = rest.len() <= 6;
    let prep = rest[0].is_word()
        && matches!(
            rest[0].norm.as_str(),
            "in" | "on"
                | "at"
                | "during"
                | "to"
                | "with"
                | "after"
                | "before"
                | "while"
                | "when"
                | "recently"
                | "last"
                | "this"
                | "earlier"
                | "later"
                | "yesterday"
                | "today"
                | "monday"
                | "tuesday"
                | "wednesday"
                | "thursday"
                | "friday"
                | "saturday"
                | "sunday"
                | "as"
                | "from"
                | "by"
                | "of"
                | "through"
                | "via"
                | "under"
                | "over"
                | "because"
                | "since"
                | "but"
                | "and"
                | "adding"
                | "noting"
                | "citing"
                | "referring"
        );
    prep || (short && ADDRESSEE_VERBS.contains(&cue_word)) || rest.len() <= 2
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
    (e > s && !starter).then_some((s, e))
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
        });
    }
    out
}

fn quote_type(text: &str) -> QuoteType {
    let t = text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':'));
    let n = t.chars().filter(|&c| is_dquote(c)).count();
    if n == 0 {
        return QuoteType::Indirect;
    }
    let starts = t.chars().next().is_some_and(is_dquote);
    let ends = t.chars().last().is_some_and(is_dquote);
    if starts && ends && n == 2 {
        QuoteType::Direct
    } else {
        QuoteType::Mixed
    }
}

/// Resolves a pronoun source to the nearest fitting earlier source (same or previous two
/// paragraphs). "who"/"which" refer to the phrase right before them.
#[allow(clippy::too_many_arguments)]
fn resolve_pronoun(
    doc: &Doc,
    tokens: &[Token],
    s: usize,
    sents: &[SentRef],
    sentence: usize,
    prev: &[Attribution],
    resolved: &[Option<(SourceKind, usize, usize)>],
    openers: &[Option<usize>],
) -> (SourceKind, Option<super::model::Span>) {
    let w = tokens[s].norm.as_str();
    let sent_start = sents.get(sentence).map_or(0, |x| x.seg.tok_start);
    match w {
        "who" | "which" => {
            // "Trump, who said …": the phrase before the comma.
            let mut i = s;
            while i > sent_start && tokens[i - 1].kind == TokKind::Punct {
                i -= 1;
            }
            if i > sent_start {
                if let Some((ns, ne)) = sources::left_np(tokens, sent_start, i - 1) {
                    let kind =
                        sources::classify(tokens, ns, ne, sent_start).unwrap_or(SourceKind::NamedPerson);
                    return (kind, Some(doc.span(tokens[ns].start, tokens[ne - 1].end)));
                }
            }
            (SourceKind::NamedPerson, None)
        }
        "i" | "we" if openers[s].is_none() => (SourceKind::Author, None),
        _ => {
            let want: &[SourceKind] = match w {
                "he" | "she" | "him" | "her" | "i" => &[SourceKind::NamedPerson, SourceKind::UnnamedPerson],
                "they" | "them" | "we" => &[
                    SourceKind::UnnamedGroup,
                    SourceKind::NamedOrganization,
                    SourceKind::NamedPerson,
                ],
                _ => &[SourceKind::NamedOrganization, SourceKind::Document],
            };
            let para = sents.get(sentence).map_or(0, |x| x.paragraph);
            // Bounded look-back keeps long inputs linear.
            for (j, a) in prev.iter().enumerate().rev().take(64) {
                let ap = sents.get(a.sentence).map_or(0, |x| x.paragraph);
                if para > ap + 2 {
                    break;
                }
                if let Some((k, st, en)) = resolved[j] {
                    if want.contains(&k) && st < tokens[s].start {
                        // "they" may point to a plural named group only; keep person for he/she.
                        return (k, Some(doc.span(st, en)));
                    }
                }
            }
            // Unresolved: a pronoun points back at someone the article introduced, so it is
            // not claimed to be anonymous (precision of unnamed kinds matters more).
            let kind = match w {
                "it" => SourceKind::NamedOrganization,
                _ => SourceKind::NamedPerson,
            };
            (kind, None)
        }
    }
}

/// An attribution whose cue lies inside another's content reached the writer through it.
pub fn relink(out: &mut [Attribution]) {
    let n = out.len();
    for i in 0..n {
        let cue = out[i].cue.start;
        let mut best: Option<(usize, usize)> = None;
        // Only look at attributions of nearby sentences: contents span one sentence or a quote.
        let lo = i.saturating_sub(12);
        let hi = (i + 12).min(n);
        for j in lo..hi {
            if j == i {
                continue;
            }
            if let Some(c) = &out[j].content {
                let inside = c.start <= cue && cue < c.end;
                let src_inside = out[i]
                    .source
                    .as_ref()
                    .is_none_or(|s| c.start <= s.start && s.end <= c.end);
                // The relaying attribution's content must be strictly longer than this one's,
                // and must not itself sit inside this one's content: relays never form cycles.
                let own = out[i].content.as_ref();
                let longer = c.end - c.start > own.map_or(0, |o| o.end - o.start);
                let jcue = out[j].cue.start;
                let mutual = own.is_some_and(|o| o.start <= jcue && jcue < o.end);
                if inside && src_inside && longer && !mutual {
                    let len = c.end - c.start;
                    if best.is_none_or(|(_, l)| len < l) {
                        best = Some((j, len));
                    }
                }
            }
        }
        out[i].relayed_from = best.map(|(j, _)| j);
    }
}
