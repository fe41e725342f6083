//! Owns interview structure: numbered Q&A pieces ("1) Is it …?"), whose questions belong
//! to the interviewers (the byline) and whose answers belong to the interviewee (the person
//! the title or intro names).

use rustc_hash::FxHashMap;

use super::model::{Attribution, AttributionType, Entity, QuoteType, Source, SourceKind};
use super::sentences::Segment;
use super::tokenize::{Doc, TokKind, Token};

/// Whether the paragraphs after the first numbered question speak in the first person, as
/// an interviewee's answers do; a listicle's numbered questions ("2) Will she go
/// negative?") are answered by the writer, in the third person.
pub fn answered_in_person(tokens: &[Token], paras: &[Segment], questions: &[(usize, usize, usize)]) -> bool {
    let Some(&(first, _, _)) = questions.first() else {
        return false;
    };
    let asked: Vec<usize> = questions.iter().map(|q| q.0).collect();
    let persons = paras[first..]
        .iter()
        .enumerate()
        .filter(|(i, _)| !asked.contains(&(first + i)))
        .flat_map(|(_, p)| &tokens[p.tok_start..p.tok_end])
        .filter(|t| {
            t.is_word()
                && !t.caps
                && matches!(t.norm.as_str(), "i" | "i'm" | "i've" | "me" | "my" | "we" | "our")
        })
        .count();
    persons >= 2
}

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

/// Questions set as paragraphs of their own, with no "Q:" or number (a heading or a bold
/// line ending in "?"), each followed by an answer that is no question: at least three, most
/// of them putting the question to the interviewee as "you". A column's rhetorical question
/// asks no one. When the text before the first question presents one of the byline's
/// `authors` in the third person ("Conflict researcher Paola Vesco and her team have …"),
/// the byline's writers are the ones asked, and one question put as "you" is enough: an
/// explainer's writer does not introduce themselves. Same shape as [`numbered_questions`],
/// with an empty marker.
pub fn question_paragraphs(
    doc: &Doc,
    tokens: &[Token],
    paras: &[Segment],
    skip: &[bool],
    authors: &[String],
) -> Vec<(usize, usize, usize)> {
    let body: Vec<usize> = (0..paras.len())
        .filter(|&i| !skip.get(i).copied().unwrap_or(true))
        .collect();
    let asks = |i: usize| {
        doc.slice(paras[i].start, paras[i].end)
            .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '"' | '\u{201d}'))
            .ends_with('?')
    };
    let mut out = Vec::new();
    let mut addressed = 0;
    for (n, &i) in body.iter().enumerate() {
        let p = paras[i];
        let t = &tokens[p.tok_start..p.tok_end];
        let words = t.iter().filter(|x| x.is_word()).count();
        // A question quoted in a report ("Trump asked: \u{201c}Why …?\u{201d}") is no one's
        // question to the interviewee: a question line quotes nothing.
        let opens_quote = t
            .iter()
            .any(|x| x.kind != TokKind::Word && super::tokenize::is_dquote(x.first));
        // An answer may end on a question of its own ("Is it any better?"); one longer than
        // any question line is still an answer.
        let answered = body.get(n + 1).is_some_and(|&j| {
            !asks(j)
                || tokens[paras[j].tok_start..paras[j].tok_end]
                    .iter()
                    .filter(|x| x.is_word())
                    .count()
                    > 40
        });
        if !(2..=40).contains(&words) || opens_quote || !answered || !asks(i) {
            continue;
        }
        addressed += usize::from(t.iter().any(|x| x.is("you") || x.is("your")));
        out.push((i, p.tok_start, p.tok_start));
    }
    // Questions and answers alternate through the piece: a question at least every six
    // paragraphs from the first one on (a report with a few questions set apart is no Q&A).
    let from_first = out
        .first()
        .map_or(0, |q| body.iter().filter(|&&i| i >= q.0).count());
    let introduced = out.first().is_some_and(|q| {
        let surnames: Vec<&str> = authors
            .iter()
            .filter_map(|a| a.split_whitespace().last())
            .collect();
        body.iter()
            .take_while(|&&i| i < q.0)
            .flat_map(|&i| &tokens[paras[i].tok_start..paras[i].tok_end])
            .any(|t| t.is_capitalized() && surnames.iter().any(|s| doc.slice(t.start, t.end) == *s))
    });
    // Written-up answers from the byline's experts run longer: a question every twelve
    // paragraphs.
    // The piece may say what it is before its first question ("Below is the full
    // interview.", "This interview has been edited for length"): then two questions put as
    // "you" are enough, however short the copy.
    let declared = out.first().is_some_and(|q| {
        body.iter()
            .take_while(|&&i| i < q.0)
            .any(|&i| declares_interview(&tokens[paras[i].tok_start..paras[i].tok_end]))
    });
    let (enough, gap) = if introduced {
        (addressed >= 1, 12)
    } else if declared {
        (addressed >= 2, 12)
    } else {
        (addressed >= 2 && addressed * 2 >= out.len(), 6)
    };
    let least = if declared { 2 } else { 3 };
    if out.len() < least || !enough || out.len() * gap < from_first {
        return Vec::new();
    }
    out
}

/// A paragraph that presents the text after it as an interview: "interview" (or
/// "transcript") with a word that points at the text itself ("below", "following",
/// "edited", "full", "condensed", "excerpts"): "Below is the full exclusive interview."
fn declares_interview(toks: &[Token]) -> bool {
    toks.iter().any(|t| t.is("interview") || t.is("transcript"))
        && toks.iter().any(|t| {
            matches!(
                t.norm.as_str(),
                "below" | "following" | "follows" | "edited" | "full" | "condensed" | "excerpts" | "abridged"
            )
        })
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
        // A question set as its own paragraph has no marker: its "?" is the cue.
        let cue = if me > ms {
            doc.span(tokens[ms].start, tokens[me - 1].end)
        } else {
            let q = (p.tok_start..p.tok_end)
                .rev()
                .find(|&k| tokens[k].is_punct('?'))
                .unwrap_or(p.tok_start);
            doc.span(tokens[q].start, tokens[q].end)
        };
        let sentence = para_first_sentence.get(pi).copied().unwrap_or(0);
        let qstart = if me > ms {
            tokens.get(me).map_or(p.end, |t| t.start).min(p.end)
        } else {
            p.start
        };
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
            attribution_type: AttributionType::Speech,
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
                attribution_type: AttributionType::Speech,
            });
        }
    }
    out
}

/// One turn of a speaker-labelled transcript ("David Palmer: …", "DP: …", "Q: …",
/// "((WN)) …"): its paragraph, the label's token range, the token where the words start, and
/// whether the label is the interviewer's.
#[derive(Debug, Clone, Copy)]
pub struct Turn {
    pub para: usize,
    pub label: (usize, usize),
    pub body: usize,
    pub interviewer: bool,
}

/// Words that open a "Label: …" paragraph without naming a speaker (page furniture, notes).
const NOT_SPEAKERS: &[&str] = &[
    "photo",
    "photos",
    "image",
    "images",
    "map",
    "chart",
    "graphic",
    "video",
    "audio",
    "source",
    "sources",
    "note",
    "editor's",
    "editors",
    "update",
    "updated",
    "correction",
    "caption",
    "credit",
    "credits",
    "related",
    "read",
    "watch",
    "listen",
    "tags",
    "see",
    "more",
    "warning",
    "disclaimer",
    "transcript",
    "published",
    "posted",
    "filed",
    "dateline",
    "contact",
    "email",
    "tel",
    "phone",
    "fax",
    "web",
    "website",
    "twitter",
    "facebook",
    "translation",
    "summary",
];

/// The label of paragraph `p`, if it opens with one: 1–3 capitalised words (or one short
/// all-caps tag: "DP", "Q", "A") and a colon, or "((Name))". Returns (label tokens, first
/// body token, bracketed).
fn label_of(tokens: &[Token], p: &Segment) -> Option<((usize, usize), usize, bool)> {
    let (s, e) = (p.tok_start, p.tok_end);
    if e - s < 3 {
        return None;
    }
    if tokens[s].is_punct('(') && tokens[s + 1].is_punct('(') {
        let close = (s + 2..e.min(s + 7)).find(|&k| tokens[k].is_punct(')'))?;
        let ok = close > s + 2
            && tokens.get(close + 1).is_some_and(|t| t.is_punct(')'))
            && tokens[s + 2..close].iter().all(Token::is_capitalized);
        return (ok && close + 2 < e).then_some(((s + 2, close), close + 2, true));
    }
    let colon = (s + 1..e.min(s + 5)).find(|&k| tokens[k].is_punct(':'))?;
    let words = &tokens[s..colon];
    let named = words.iter().all(Token::is_capitalized)
        && !words.iter().any(|t| NOT_SPEAKERS.contains(&t.norm.as_str()));
    // A turn is speech: "Clinton: 1,769." in a table of figures is no answer.
    let speech = tokens[colon + 1..e].iter().filter(|t| t.is_word()).count() >= 2;
    (named && speech).then_some(((s, colon), colon + 1, false))
}

/// The turns of a speaker-labelled transcript, or nothing when the article is not one: at
/// least three labelled paragraphs, a label that recurs. An unlabelled paragraph just before
/// an interviewee's turn is the interviewer's question (its label may be lost in the copy).
pub fn speaker_turns(
    doc: &Doc,
    tokens: &[Token],
    paras: &[Segment],
    skip: &[bool],
    title: &str,
) -> Vec<Turn> {
    let title_first = title.split_whitespace().next().unwrap_or("").to_lowercase();
    let mut turns = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut repeated = false;
    for (pi, p) in paras.iter().enumerate() {
        if skip.get(pi).copied().unwrap_or(true) {
            continue;
        }
        let Some((label, body, bracketed)) = label_of(tokens, p) else {
            continue;
        };
        let text = doc
            .slice(tokens[label.0].start, tokens[label.1 - 1].end)
            .to_lowercase();
        // One speaker under two labels still recurs: "Question:" then "Q:", "Secretary
        // Pompeo:" then "Pompeo:" (the same last word).
        let asker = matches!(text.as_str(), "q" | "question" | "interviewer");
        let key = if asker {
            "q".to_string()
        } else {
            text.rsplit(' ').next().unwrap_or(&text).to_string()
        };
        repeated |= seen.contains(&key);
        seen.push(key);
        let interviewer = bracketed || asker || text == title_first;
        turns.push(Turn {
            para: pi,
            label,
            body,
            interviewer,
        });
    }
    if turns.len() < 3 || !repeated {
        return Vec::new();
    }
    // The interviewer is also whoever asks: a label most of whose turns are questions (an
    // outlet's name, "TIME:", needs no match with the title).
    let asks = |t: &Turn| {
        doc.slice(paras[t.para].start, paras[t.para].end)
            .trim_end()
            .ends_with('?')
    };
    for i in 0..turns.len() {
        let label = turn_label(doc, tokens, &turns[i]);
        let same: Vec<&Turn> = turns
            .iter()
            .filter(|t| turn_label(doc, tokens, t) == label)
            .collect();
        let questions = same.iter().filter(|t| asks(t)).count();
        if questions * 2 > same.len() {
            turns[i].interviewer = true;
        }
    }
    // Unlabelled questions: the paragraph right before an interviewee's turn.
    let labelled: Vec<usize> = turns.iter().map(|t| t.para).collect();
    let mut extra = Vec::new();
    for t in turns.iter().filter(|t| !t.interviewer) {
        let q = t.para.wrapping_sub(1);
        if t.para > 0 && !labelled.contains(&q) && !skip.get(q).copied().unwrap_or(true) && q > labelled[0] {
            let p = paras[q];
            if p.tok_end > p.tok_start {
                extra.push(Turn {
                    para: q,
                    label: (p.tok_start, p.tok_start),
                    body: p.tok_start,
                    interviewer: true,
                });
            }
        }
    }
    turns.extend(extra);
    turns.sort_by_key(|t| t.para);
    turns
}

fn turn_label(doc: &Doc, tokens: &[Token], t: &Turn) -> String {
    doc.slice(tokens[t.label.0].start, tokens[t.label.1 - 1].end)
        .to_lowercase()
}

/// Attributions of transcript turns: each turn's words to its label (the interviewer's to the
/// byline when the label is lost, kind `Author`); the label's colon (or bracket) is the cue.
pub fn turn_attributions(
    doc: &Doc,
    tokens: &[Token],
    paras: &[Segment],
    para_first_sentence: &[usize],
    turns: &[Turn],
    byline_names: Option<(usize, usize)>,
) -> Vec<Attribution> {
    let mut out = Vec::new();
    for t in turns {
        let p = paras[t.para];
        let (ls, le) = t.label;
        let source = if le > ls {
            let (s, e) = (tokens[ls].start, tokens[le - 1].end);
            Some(Source {
                start: s,
                end: e,
                text: doc.slice(s, e).to_string(),
                kind: if t.interviewer {
                    SourceKind::Author
                } else {
                    SourceKind::NamedPerson
                },
                refers_to: None,
            })
        } else {
            byline_names.map(|(s, e)| Source {
                start: s,
                end: e,
                text: doc.slice(s, e).to_string(),
                kind: SourceKind::Author,
                refers_to: None,
            })
        };
        // The cue: the colon or closing bracket after the label; a lost label has none, so
        // the paragraph's first token stands in.
        let cue_tok = if le > ls { t.body - 1 } else { p.tok_start };
        let cue = doc.span(tokens[cue_tok].start, tokens[cue_tok].end);
        let start = tokens.get(t.body).map_or(p.end, |x| x.start).min(p.end);
        out.push(Attribution {
            source,
            cue,
            content: (start < p.end).then(|| doc.span(start, p.end)),
            quote: QuoteType::Direct,
            relayed_from: None,
            sentence: para_first_sentence.get(t.para).copied().unwrap_or(0),
            entity: None,
            confidence: 0.8,
            anonymity: None,
            attribution_type: AttributionType::Speech,
        });
    }
    out
}

/// A prose interview or profile built on one person's account: one named person is the
/// source of most attributions (at least eight, three in five), told in the present
/// ("Collins says", "he argues"), as interview features are written; a report quotes
/// several sources, in the past ("said"). The person's name, as first written.
pub fn one_voice(tokens: &[Token], attrs: &[Attribution], entities: &[Entity]) -> Option<String> {
    let m = super::tagger::model();
    let mut by_entity: FxHashMap<usize, (usize, usize)> = FxHashMap::default();
    let mut sourced = 0;
    for a in attrs.iter().filter(|a| a.source.is_some()) {
        sourced += 1;
        let Some(e) = a.entity else { continue };
        let k = tokens.partition_point(|t| t.start < a.cue.start);
        // Speech verbs only: a report compares positions in the present too ("she calls
        // for", "he backs").
        let present = tokens.get(k).is_some_and(|t| {
            t.start == a.cue.start
                && matches!(m.name(t.tag), "VBZ" | "VBP")
                && matches!(
                    t.norm.as_str(),
                    "says"
                        | "say"
                        | "tells"
                        | "tell"
                        | "recalls"
                        | "explains"
                        | "argues"
                        | "adds"
                        | "remembers"
                )
        });
        let slot = by_entity.entry(e).or_default();
        slot.0 += 1;
        slot.1 += usize::from(present);
    }
    let (&e, &(n, present)) = by_entity
        .iter()
        .max_by_key(|(&e, &(n, _))| (n, std::cmp::Reverse(e)))?;
    let person = entities.iter().find(|x| x.id == e)?;
    (person.kind == SourceKind::NamedPerson && n >= 8 && n * 5 >= sourced * 3 && present * 2 >= n).then(
        || {
            person
                .mentions
                .first()
                .map_or(person.name.text.clone(), |s| s.text.clone())
        },
    )
}
