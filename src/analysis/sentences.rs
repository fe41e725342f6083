//! Owns paragraph and sentence segmentation over the token stream.
//!
//! A paragraph is one non-blank line (PolNeAR and scraped pages put one paragraph per line).
//! Sentences end at `.`, `!`, `?` or `…` (plus closing quotes/brackets) when the next token
//! looks like a sentence start; titles (Mr., Sen.), initials (J. Smith), dotted
//! abbreviations (U.S., Inc.) and numbered-list markers do not end a sentence on their own.

use std::sync::OnceLock;

use super::lexicon::sectioned;
use super::tokenize::{is_open_quote, is_quote, Token};

/// Token range of a paragraph or sentence, with its char span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub tok_start: usize,
    pub tok_end: usize,
    pub start: usize,
    pub end: usize,
}

/// The lists of `data/lexicons/abbreviations.txt`: titles (a dot after them never ends a
/// sentence), soft abbreviations (often at a sentence end too, as in "… Acme Inc. The firm …")
/// and words that, capitalised, very likely open a new sentence.
struct Abbreviations {
    titles: Vec<&'static str>,
    soft: Vec<&'static str>,
    starters: Vec<&'static str>,
}

fn abbreviations() -> &'static Abbreviations {
    static A: OnceLock<Abbreviations> = OnceLock::new();
    A.get_or_init(|| {
        let mut a = Abbreviations {
            titles: Vec::new(),
            soft: Vec::new(),
            starters: Vec::new(),
        };
        for (section, w) in sectioned(include_str!("../../data/lexicons/abbreviations.txt")) {
            match section {
                "title" => a.titles.push(w),
                "soft" => a.soft.push(w),
                "starter" => a.starters.push(w),
                _ => {}
            }
        }
        a
    })
}

pub fn paragraphs(tokens: &[Token]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=tokens.len() {
        if i == tokens.len() || tokens[i].newline_before {
            if start < i {
                out.push(Segment {
                    tok_start: start,
                    tok_end: i,
                    start: tokens[start].start,
                    end: tokens[i - 1].end,
                });
            }
            start = i;
        }
    }
    out
}

fn is_terminal(t: &Token) -> bool {
    t.kind == super::tokenize::TokKind::Punct && matches!(t.first, '.' | '!' | '?' | '…')
}

fn is_closer(t: &Token) -> bool {
    t.kind == super::tokenize::TokKind::Punct && (matches!(t.first, ')' | ']' | '"' | '”' | '’' | '»' | '\''))
}

/// Splits one paragraph's tokens `[a, b)` into sentences.
pub fn sentences(tokens: &[Token], a: usize, b: usize) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut s = a;
    let mut k = a;
    while k < b {
        if !is_terminal(&tokens[k]) {
            k += 1;
            continue;
        }
        let term = k;
        let mut j = k;
        while j + 1 < b && is_terminal(&tokens[j + 1]) && !tokens[j + 1].space_before {
            j += 1;
        }
        while j + 1 < b && is_closer(&tokens[j + 1]) && !tokens[j + 1].space_before {
            j += 1;
        }
        let next = j + 1;
        if next >= b {
            break;
        }
        if ends_here(tokens, a, term, j, next) {
            out.push(seg(tokens, s, next));
            s = next;
        }
        k = next;
    }
    if s < b {
        out.push(seg(tokens, s, b));
    }
    out
}

fn seg(tokens: &[Token], a: usize, b: usize) -> Segment {
    Segment {
        tok_start: a,
        tok_end: b,
        start: tokens[a].start,
        end: tokens[b - 1].end,
    }
}

fn ends_here(tokens: &[Token], para_start: usize, term: usize, last: usize, next: usize) -> bool {
    let nt = &tokens[next];
    if !nt.space_before {
        return false;
    }
    let starts_upper = nt.first.is_uppercase()
        || nt.first.is_ascii_digit()
        || is_open_quote(nt.first)
        || (is_quote(nt.first) && nt.first != '’')
        || matches!(nt.first, '(' | '[' | '—' | '-' | '•');
    if !starts_upper {
        return false;
    }
    let single_dot = term == last || !tokens[term + 1..=last].iter().any(is_terminal);
    if tokens[term].first != '.' || !single_dot || term == para_start {
        return true;
    }
    let prev = &tokens[term - 1];
    if prev.end != tokens[term].start {
        return true;
    }
    // A numbered-list marker at the start of a paragraph ("1. Is it …").
    if term - 1 == para_start && prev.kind == super::tokenize::TokKind::Number {
        return false;
    }
    if !prev.is_word() {
        return true;
    }
    let w = prev.norm.as_str();
    let lists = abbreviations();
    let next_is_starter = nt.is_word() && lists.starters.contains(&nt.norm.as_str());
    if lists.titles.contains(&w) {
        return false;
    }
    let mut cs = w.chars();
    let single_letter = matches!((cs.next(), cs.next()), (Some(c), None) if c.is_alphabetic());
    if single_letter && prev.first.is_uppercase() {
        // Initials ("J. Smith"); a capitalised function word after it still starts a sentence.
        return next_is_starter && nt.norm != "a";
    }
    if w.contains('.') || lists.soft.contains(&w) {
        return next_is_starter;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::super::tokenize::{tokenize, Doc};
    use super::*;

    fn split(s: &str) -> Vec<String> {
        let d = Doc::new(s);
        let t = tokenize(&d);
        let mut out = Vec::new();
        for p in paragraphs(&t) {
            for x in sentences(&t, p.tok_start, p.tok_end) {
                out.push(d.slice(x.start, x.end).to_string());
            }
        }
        out
    }

    #[test]
    fn abbreviations_initials_decimals() {
        assert_eq!(
            split("Sen. John McCain, R-Arizona, met Mr. J. Smith of Acme Inc. in the U.S. on Sept. 11. It cost $2.5 million. The U.S. The end."),
            vec![
                "Sen. John McCain, R-Arizona, met Mr. J. Smith of Acme Inc. in the U.S. on Sept. 11.",
                "It cost $2.5 million.",
                "The U.S.",
                "The end."
            ]
        );
    }

    #[test]
    fn quotes_ellipses_questions() {
        assert_eq!(
            split("“It works. It really does,” he said. Money … moves everything... Right? Yes!"),
            vec![
                "“It works.",
                "It really does,” he said.",
                "Money … moves everything...",
                "Right?",
                "Yes!"
            ]
        );
    }

    #[test]
    fn numbered_questions_and_paragraphs() {
        assert_eq!(
            split("1) Is it possible? And why?\n\n2. Logistics: would it work?\nDr. Who."),
            vec![
                "1) Is it possible?",
                "And why?",
                "2. Logistics: would it work?",
                "Dr. Who."
            ]
        );
    }
}
