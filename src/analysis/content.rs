//! Owns attribution content spans: quotations that run over sentences, content right of a
//! cue ("said (that) Y", "told Z that Y", "said: Y") or left of it ("Y, X said"), and quote types.

use super::cues::ADDRESSEE_VERBS;
use super::model::QuoteType;
use super::sentences::Segment;
use super::tokenize::{is_dquote, TokKind, Token};

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

pub fn trim_end(tokens: &[Token], a: usize, mut e: usize) -> usize {
    while e > a
        && tokens[e - 1].kind == TokKind::Punct
        && matches!(tokens[e - 1].first, ',' | ';' | ':' | '—' | '–' | '-' | '.')
    {
        e -= 1;
    }
    e
}

pub fn trim_start(tokens: &[Token], mut s: usize, e: usize) -> usize {
    while s < e
        && tokens[s].kind == TokKind::Punct
        && matches!(tokens[s].first, ',' | ';' | ':' | '—' | '–' | '-')
    {
        s += 1;
    }
    s
}

/// Content to the right of the cue/source, starting at `s`.
pub fn right_content(
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
pub fn left_content(
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

pub fn is_open_quote_tok(t: &Token) -> bool {
    t.kind == TokKind::Punct && is_dquote(t.first)
}

/// What follows the cue is no content of its own: nothing, an addressee, or a time/place
/// phrase ("…, officials said on Tuesday", "…, two officials told Bloomberg").
pub fn right_is_minor(tokens: &[Token], te: usize, b: usize, cue_word: &str) -> bool {
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

pub fn quote_type(text: &str) -> QuoteType {
    let t = text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':'));
    // Two apostrophes typed for a double quotation mark (''…'') count as one, as the
    // tokenizer reads them.
    let apostrophe = |c: char| matches!(c, '\'' | '‘' | '’');
    let mut marks = Vec::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        if apostrophe(c) && chars.peek().is_some_and(|&d| apostrophe(d)) {
            chars.next();
            marks.push('"');
        } else {
            marks.push(c);
        }
    }
    let n = marks.iter().filter(|&&c| is_dquote(c)).count();
    if n == 0 {
        return QuoteType::Indirect;
    }
    let starts = marks.first().is_some_and(|&c| is_dquote(c));
    let ends = marks.last().is_some_and(|&c| is_dquote(c));
    if starts && ends && n == 2 {
        QuoteType::Direct
    } else {
        QuoteType::Mixed
    }
}
