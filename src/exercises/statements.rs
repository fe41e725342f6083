//! Which sentences may stand as options or passages: whole statements of the article body,
//! never captions, credits, date lines, list furniture or half sentences; and how a long one
//! is trimmed at clause boundaries with an ellipsis while its offsets stay exact.

use crate::analysis::Analysis;

use super::model::Quote;
use super::text::{words, Doc};

/// Options longer than this are trimmed to the clauses that carry their evidence.
const LONG: usize = 240;

/// Openings of credits and page furniture that the analyzer's clutter may have missed.
const FURNITURE: &[&str] = &[
    "photo",
    "image",
    "credit",
    "caption",
    "file photo",
    "illustration",
    "read more",
    "related",
    "click here",
    "sign up",
    "subscribe",
    "follow us",
    "share this",
    "advertisement",
    "written by",
    "reporting by",
    "editing by",
    "additional reporting",
    "contact the",
    "copyright",
    "all rights reserved",
    "watch:",
    "listen:",
    "we want to hear from you",
    "write to us",
    "this page is archived",
    "articles presented on",
    "please note that due to",
    "note that some listed sources",
    "this article is licensed",
    "from wikinews",
    "jump to",
    "have your say",
    "got a correction",
    "this story has updates",
];

/// Credits that give a caption away wherever they sit in it.
const CREDIT_MARKS: &[&str] = &[
    "getty images",
    "ap photo",
    "/reuters",
    "/afp",
    "(photo",
    "photo by",
    "photograph:",
    "reported on this story",
    "wrote this story",
    "adapted this story",
    "adapted it for",
    "was the editor",
    "contributed to the report",
    "contributed to this report",
    "does not work for, consult",
    "receives funding from",
    "has received funding from",
    "comments section",
    "creative commons",
];

/// Auxiliaries and common verbs: a one-sentence paragraph with none of these and no word
/// ending like a verb is a caption ("Map of South China Sea.").
const VERBISH: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "will",
    "would", "can", "could", "may", "might", "must", "shall", "should", "said", "says", "say", "told",
    "made", "took", "gave", "went", "came", "got", "left", "became", "began", "built", "won", "lost", "held",
    "kept", "met", "ran", "saw", "sent", "set", "put", "hit", "cut", "led", "fell", "found", "knew",
    "thought", "wrote", "spoke", "broke", "chose", "drove", "flew", "grew", "rose", "shot", "sold", "stood",
    "struck", "wore", "bought", "brought", "caught", "fought", "taught",
];

fn overlaps(s: usize, e: usize, s2: usize, e2: usize) -> bool {
    s < e2 && s2 < e
}

/// The sentence `s` as a quotable statement, or `None` when it is not one a student should
/// read as an option. A leading date line ("WASHINGTON (AP) —") or a Q&A marker ("1)", "Q:")
/// is cut off the quote, not counted against it.
pub(crate) fn quotable(doc: &Doc, a: &Analysis, s: usize) -> Option<Quote> {
    let sent = a.sentences.get(s)?;
    let para_ok = a.paragraphs.get(sent.paragraph).is_some_and(|p| !p.clutter);
    let clutter = a
        .clutter
        .iter()
        .any(|c| overlaps(sent.start, sent.end, c.start, c.end));
    let title = a
        .title_span
        .as_ref()
        .is_some_and(|t| overlaps(sent.start, sent.end, t.start, t.end));
    // The analysis must describe this very text; otherwise quotes would lie.
    let matches = doc.slice(sent.start, sent.end) == Some(sent.text.as_str());
    if !para_ok || clutter || title || !matches {
        return None;
    }
    // "FILE - Fighters are seen marching …": a wire photo's caption, the photo left behind.
    let file_photo = a
        .paragraphs
        .get(sent.paragraph)
        .and_then(|p| doc.slice(p.start, p.end))
        .is_some_and(file_caption);
    if file_photo {
        return None;
    }
    let q = doc.quote(sent.start, sent.end)?;
    let q = strip_lead(doc, q)?;
    let q = strip_speaker_label(doc, a, s, q)?;
    let alone = a
        .sentences
        .iter()
        .filter(|o| o.paragraph == sent.paragraph)
        .count()
        == 1;
    (whole_statement(&q.text) && !(alone && caption_like(&q.text))).then_some(q)
}

/// Cuts a transcript's speaker label ("DP: ", "((WN)) ") off the front of a quote: the
/// label is the layout, not the statement, and shown in an option it gives the answer away.
/// A label is an attribution of this sentence whose cue is punctuation only and whose source
/// opens the sentence.
fn strip_speaker_label(doc: &Doc, a: &Analysis, s: usize, q: Quote) -> Option<Quote> {
    let label_end = a
        .attributions
        .iter()
        .filter(|at| at.sentence == s && !at.cue.text.chars().any(char::is_alphanumeric))
        .filter(|at| {
            at.source.as_ref().is_some_and(|src| {
                src.start >= q.start && src.start <= q.start + 2 && src.end <= at.cue.start
            })
        })
        .map(|at| at.cue.end)
        .find(|&end| end > q.start && end < q.end && end - q.start <= 40);
    let Some(end) = label_end else {
        return Some(q);
    };
    let rest = doc.slice(end, q.end)?;
    let skip = rest
        .chars()
        .take_while(|c| c.is_whitespace() || matches!(c, ')' | ']'))
        .count();
    doc.quote(end + skip, q.end)
}

/// Whether a paragraph is a wire photo's caption: it opens "FILE -", "FILE –", "FILE PHOTO".
fn file_caption(paragraph: &str) -> bool {
    let t = paragraph.trim_start();
    t.strip_prefix("FILE").is_some_and(|rest| {
        ["-", "–", "—", "PHOTO"]
            .iter()
            .any(|m| rest.trim_start().starts_with(m))
    })
}

/// A line with no verb in sight: a caption, a map label, a heading.
fn caption_like(text: &str) -> bool {
    let lower: Vec<String> = text
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(|c| c.is_lowercase()))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .collect();
    !lower.iter().any(|w| {
        VERBISH.contains(&w.as_str())
            || w.ends_with("ed")
            || w.ends_with("ing")
            || (w.ends_with('s') && !w.ends_with("ss") && w.len() > 3)
    })
}

/// Cuts a date line or a Q&A marker off the front of a quote.
fn strip_lead(doc: &Doc, q: Quote) -> Option<Quote> {
    let chars: Vec<char> = q.text.chars().collect();
    let mut cut = 0;
    // "1) ", "2. ", "Q: ", "A: ", "Q. "
    let marker_len = {
        let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
        if (1..=2).contains(&digits) && matches!(chars.get(digits), Some(')') | Some('.')) {
            digits + 1
        } else if matches!(chars.first(), Some('Q') | Some('A'))
            && matches!(chars.get(1), Some(':') | Some('.'))
        {
            2
        } else {
            0
        }
    };
    if marker_len > 0 && chars.get(marker_len).is_some_and(|c| c.is_whitespace()) {
        cut = marker_len;
    }
    // A date line: capitalised place words, maybe an agency in brackets, then a dash.
    if cut == 0 {
        let head: String = chars.iter().take(80).collect();
        for dash in [" — ", " – ", " - ", "—", " -- "] {
            let Some(b) = head.find(dash) else { continue };
            let prefix = &head[..b];
            let shouty = prefix
                .split(|c: char| !c.is_alphabetic())
                .any(|w| w.chars().count() >= 3 && w.chars().all(|c| c.is_uppercase()));
            let agency = prefix.contains('(') && prefix.contains(')');
            let no_verbs = prefix
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|w| !w.is_empty() && !w.starts_with('('))
                .all(|w| {
                    w.chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                });
            if (shouty || agency) && no_verbs {
                cut = prefix.chars().count() + dash.chars().count();
            }
            break;
        }
    }
    if cut == 0 {
        return Some(q);
    }
    doc.quote(q.start + cut, q.end)
}

/// A sentence reads as a whole statement: it starts like a sentence, ends like one, is not
/// shouted, not a credit and not list furniture.
pub(crate) fn whole_statement(text: &str) -> bool {
    let t = text.trim();
    let ws = words(t);
    if ws.len() < 4 {
        return false;
    }
    let lower = t.to_lowercase();
    if t.starts_with("By ") && t.chars().count() < 80 {
        return false;
    }
    if FURNITURE.iter().any(|f| lower.starts_with(f)) || CREDIT_MARKS.iter().any(|m| lower.contains(m)) {
        return false;
    }
    let first = t
        .chars()
        .find(|c| !matches!(c, '“' | '"' | '‘' | '\'' | '(' | '['));
    let starts_ok = first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let last = t
        .chars()
        .rev()
        .find(|c| !matches!(c, '”' | '"' | '’' | '\'' | ')' | ']'));
    let ends_ok = last.is_some_and(|c| matches!(c, '.' | '!' | '?' | '…'));
    // A sign-off ("I’m Mario Ritter.", "And I’m Alice Bryant.") or a glossary line
    // ("monitor – v. to watch closely").
    let signoff = ws.len() <= 5
        && (lower.starts_with("i’m ") || lower.starts_with("i'm ") || lower.starts_with("and i"));
    let glossary = [" – n.", " – v.", " – adj.", " – adv.", " - n.", " - v."]
        .iter()
        .any(|g| t.contains(g));
    if signoff || glossary {
        return false;
    }
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    let shouted = letters.len() > 12 && letters.iter().all(|c| c.is_uppercase());
    // Half of a quotation split over sentences reads as a fragment.
    let balanced = t.matches('“').count() == t.matches('”').count() && t.matches('"').count() % 2 == 0;
    starts_ok && ends_ok && !shouted && balanced
}

/// The text an option shows for statement `q`, and the exact stretch it quotes. A long
/// statement is cut at clause boundaries (commas, semicolons, dashes, colons) to the clauses
/// holding `keep` (char offsets into the article: the cue, source or hedge the key rests
/// on), with "…" where something was left out; the quote is always an exact slice.
pub(crate) fn option_text(doc: &Doc, q: &Quote, keep: Option<(usize, usize)>) -> (Quote, String) {
    let len = q.text.chars().count();
    if len <= LONG {
        return (q.clone(), q.text.clone());
    }
    let (ks, ke) = keep
        .map(|(s, e)| (s.max(q.start) - q.start, e.min(q.end).saturating_sub(q.start)))
        .unwrap_or((0, 0));
    let chars: Vec<char> = q.text.chars().collect();
    // Boundaries: char index just after a clause mark and its space.
    let mut bounds = vec![0];
    for k in 1..chars.len() {
        let mark = matches!(chars[k - 1], ',' | ';' | ':' | '—' | '–');
        if mark && chars[k] == ' ' {
            bounds.push(k + 1);
        } else if chars[k - 1] == ' ' && matches!(chars[k], '—' | '–') {
            bounds.push(k);
        }
    }
    bounds.push(len);
    // The window keeps the sentence's start (its subject and verb) and runs to a clause
    // boundary past the evidence: the longest such window of at most LONG chars whose
    // quotation marks pair up. Without evidence to keep, nothing is cut.
    if keep.is_none() {
        return (q.clone(), q.text.clone());
    }
    let mut best: Option<(usize, (usize, usize))> = None;
    for &b in &bounds[1..] {
        let part: String = chars[..b].iter().collect();
        let balanced =
            part.matches('“').count() == part.matches('”').count() && part.matches('"').count() % 2 == 0;
        if b < ke.max(ks) || !(60..=LONG).contains(&b) || !balanced {
            continue;
        }
        if best.is_none_or(|(size, _)| b > size) {
            best = Some((b, (0, b)));
        }
    }
    let best = best.map(|(_, w)| w);
    let Some((a, b)) = best else {
        return (q.clone(), q.text.clone());
    };
    let Some(part) = doc.quote(q.start + a, q.start + b) else {
        return (q.clone(), q.text.clone());
    };
    let body = part.text.trim_end_matches([',', ';', ':', '—', '–', ' ']);
    let part = match doc.quote(part.start, part.start + body.chars().count()) {
        Some(p) => p,
        None => part,
    };
    let mut text = String::new();
    if a > 0 {
        text.push_str("… ");
    }
    text.push_str(&part.text);
    if b < len {
        text.push_str(" …");
    }
    (part, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_statements_only() {
        assert!(whole_statement(
            "The council voted 5-2 on Tuesday to close the library."
        ));
        assert!(whole_statement(
            "“We cannot keep every building open,” the mayor said."
        ));
        // Half sentences, captions, credits, bylines, list furniture, shouting.
        assert!(!whole_statement(
            "and the council voted 5-2 on Tuesday to close it."
        ));
        assert!(!whole_statement("The council voted 5-2 on Tuesday to close the"));
        assert!(!whole_statement(
            "Protesters outside city hall. (Photo by Jane Doe/Getty Images)"
        ));
        assert!(!whole_statement("By Jane Doe and John Roe."));
        assert!(!whole_statement(
            "Read more: The council's budget in five charts."
        ));
        assert!(!whole_statement("THE COUNCIL VOTED TO CLOSE THE LIBRARY TODAY."));
        assert!(!whole_statement("“We cannot keep every building open."));
        assert!(!whole_statement("And I’m Alice Bryant."));
        assert!(!whole_statement(
            "Brian Padden reported on this story for VOANews.com."
        ));
        assert!(!whole_statement(
            "Jane Doe does not work for, consult, own shares in or receive funding from any company."
        ));
        assert!(!whole_statement(
            "monitor – v. to watch closely or keep track of."
        ));
        assert!(file_caption(
            "FILE - Fighters are seen marching near the city. Some are fleeing."
        ));
        assert!(file_caption("FILE PHOTO: The minister speaks."));
        assert!(!file_caption("FILES were lost in the fire."));
        assert!(caption_like("Map of South China Sea."));
        assert!(caption_like(
            "Virgin West Coast Class 390 Pendolino EMU 390009 at platform 1 of Carlisle railway station."
        ));
        assert!(!caption_like("The train derailed near Grayrigg."));
        assert!(!caption_like("China built islands in the sea."));
    }

    #[test]
    fn date_lines_and_qa_markers_are_cut_off_the_quote() {
        let text = "WASHINGTON (AP) — The council voted on Tuesday to close the library.";
        let doc = Doc::new(text);
        let q = doc.quote(0, text.chars().count()).expect("in bounds");
        let q = strip_lead(&doc, q).expect("still a quote");
        assert_eq!(q.text, "The council voted on Tuesday to close the library.");
        assert_eq!(doc.slice(q.start, q.end), Some(q.text.as_str()));

        let text = "1) Is it possible that the cartels work with them?";
        let doc = Doc::new(text);
        let q = strip_lead(&doc, doc.quote(0, text.chars().count()).expect("in bounds")).expect("quote");
        assert_eq!(q.text, "Is it possible that the cartels work with them?");

        // A sentence that merely holds a dash keeps its start.
        let text = "The vote — the third this year — closed the library.";
        let doc = Doc::new(text);
        let q = strip_lead(&doc, doc.quote(0, text.chars().count()).expect("in bounds")).expect("quote");
        assert_eq!(q.start, 0);
    }

    #[test]
    fn long_statements_are_cut_at_clauses_around_the_evidence_with_exact_offsets() {
        let text = "Such a response would tighten border security and severely hamper the cartels’ narcotics smuggling operations across the whole of the southern border region, which has long been their main route north, two intelligence officials who requested anonymity discussing intelligence assets told Bloomberg.";
        let doc = Doc::new(text);
        let q = doc.quote(0, text.chars().count()).expect("in bounds");
        let cue = text
            .find("two intelligence")
            .map(|b| text[..b].chars().count())
            .expect("cue");
        // Evidence at the far end: nothing can be cut without losing the start or the cue.
        let (part, shown) = option_text(&doc, &q, Some((cue, q.end)));
        assert_eq!(part, q);
        assert_eq!(shown, q.text);
        // Evidence near the start: cut after a clause past it, start kept, offsets exact.
        let hedge = text
            .find("would")
            .map(|b| text[..b].chars().count())
            .expect("hedge");
        let (part, shown) = option_text(&doc, &q, Some((hedge, hedge + 5)));
        assert_eq!(part.start, 0);
        assert!(part.end < q.end);
        assert_eq!(doc.slice(part.start, part.end), Some(part.text.as_str()));
        assert!(
            shown.ends_with(" …") && shown.starts_with("Such a response would"),
            "{shown}"
        );
        assert!(!part.text.ends_with(','), "{shown}");
        assert!(shown.chars().count() <= LONG + 2);
        // A short statement is shown whole.
        let short = doc.quote(0, 40).expect("in bounds");
        assert_eq!(option_text(&doc, &short, None).1, short.text);
    }
}
