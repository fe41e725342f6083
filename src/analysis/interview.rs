//! Owns interview structure: numbered Q&A pieces ("1) Is it …?"), whose questions belong
//! to the interviewers (the byline) and whose answers belong to the interviewee (the person
//! the title or intro names).

use super::model::{Attribution, QuoteType, Source, SourceKind};
use super::sentences::Segment;
use super::tokenize::{Doc, TokKind, Token};

/// Paragraph indices of numbered questions, with the token range of their marker ("1)").
pub fn numbered_questions(doc: &Doc, tokens: &[Token], paras: &[Segment]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for (i, p) in paras.iter().enumerate() {
        let t = &tokens[p.tok_start..p.tok_end];
        if t.len() < 3 {
            continue;
        }
        let numbered = t[0].kind == TokKind::Number && (t[1].is_punct(')') || t[1].is_punct('.'));
        let q_colon = t[0].norm == "q" && t[1].is_punct(':');
        let marker = (numbered || q_colon).then_some(2);
        if let Some(m) = marker {
            if doc.slice(p.start, p.end).contains('?') {
                out.push((i, p.tok_start, p.tok_start + m));
            }
        }
    }
    out
}

const HEADLINE_VERBS: &[&str] = &[
    "answers",
    "talks",
    "speaks",
    "says",
    "discusses",
    "explains",
    "reveals",
    "weighs",
    "on",
    "about",
    "interview",
];

/// The interviewee: the leading run of capitalised words of the title (or of the first
/// paragraph after it), when it is a two- or three-word name.
fn interviewee(
    tokens: &[Token],
    paras: &[Segment],
    title: Option<usize>,
    skip: Option<usize>,
) -> Option<(usize, usize)> {
    let cands = title
        .into_iter()
        .chain(title.map(|t| t + 1..paras.len().min(t + 4)).into_iter().flatten());
    for pi in cands {
        if Some(pi) == skip {
            continue;
        }
        let p = paras.get(pi)?;
        let t = &tokens[p.tok_start..p.tok_end];
        // A title like "Veryan Khan Answers Questions …": the name stops at the verb.
        let n = t
            .iter()
            .take_while(|x| x.is_capitalized() && !HEADLINE_VERBS.contains(&x.norm.as_str()))
            .count()
            .min(3);
        if n >= 2 {
            return Some((t[0].start, t[n - 1].end));
        }
    }
    None
}

/// Q&A attributions: each question to the byline (kind `Author`), each answer block to the
/// interviewee. The question marker serves as the cue of both: the layout is what marks them.
#[allow(clippy::too_many_arguments)]
pub fn attributions(
    doc: &Doc,
    tokens: &[Token],
    paras: &[Segment],
    para_first_sentence: &[usize],
    questions: &[(usize, usize, usize)],
    title: Option<usize>,
    byline: Option<usize>,
    byline_names: Option<(usize, usize)>,
    clutter: &[bool],
) -> Vec<Attribution> {
    let mut out = Vec::new();
    let who = interviewee(tokens, paras, title, byline);
    for (qi, &(pi, ms, me)) in questions.iter().enumerate() {
        let p = paras[pi];
        let cue = doc.span(tokens[ms].start, tokens[me - 1].end);
        let sentence = para_first_sentence.get(pi).copied().unwrap_or(0);
        let qstart = tokens.get(me).map_or(p.end, |t| t.start).min(p.end);
        let source = byline_names.map(|(s, e)| Source {
            start: s,
            end: e,
            text: doc.slice(s, e).to_string(),
            kind: SourceKind::Author,
            refers_to: None,
        });
        out.push(Attribution {
            source,
            cue: cue.clone(),
            content: (qstart < p.end).then(|| doc.span(qstart, p.end)),
            quote: QuoteType::Direct,
            relayed_from: None,
            sentence,
            entity: None,
            confidence: 0.8,
            anonymity: None,
        });
        // The answer: the paragraphs up to the next question (or clutter).
        let next = questions.get(qi + 1).map_or(paras.len(), |q| q.0);
        let mut last = None;
        for (k, q) in paras.iter().enumerate().take(next).skip(pi + 1) {
            if clutter.get(k).copied().unwrap_or(false) {
                break;
            }
            last = Some((k, q.end));
        }
        if let (Some((_, end)), Some(first)) = (last, paras.get(pi + 1)) {
            let source = who.map(|(s, e)| Source {
                start: s,
                end: e,
                text: doc.slice(s, e).to_string(),
                kind: SourceKind::NamedPerson,
                refers_to: None,
            });
            out.push(Attribution {
                source,
                cue,
                content: Some(doc.span(first.start, end)),
                quote: QuoteType::Direct,
                relayed_from: None,
                sentence,
                entity: None,
                confidence: 0.8,
                anonymity: None,
            });
        }
    }
    out
}
