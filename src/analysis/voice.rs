//! Owns the writer's-voice layer: hedge and loaded-term markers, the voice of each
//! sentence (attributed / author opinion / author report), and the genre decision.

use super::lexicon::{self, PhraseSet};
use super::model::{Attribution, Genre, Marker, Voice};
use super::sentences::Segment;
use super::tokenize::{Doc, Token};

/// Markers from `set` in every sentence, with sentence indices.
pub fn markers(doc: &Doc, tokens: &[Token], sents: &[Segment], set: &PhraseSet) -> Vec<Marker> {
    let mut out = Vec::new();
    for (si, s) in sents.iter().enumerate() {
        for (a, b) in set.find(&tokens[s.tok_start..s.tok_end]) {
            let (cs, ce) = (tokens[s.tok_start + a].start, tokens[s.tok_start + b - 1].end);
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

/// Voice of each sentence. `quoted[k]` says whether token k is inside a quotation.
pub fn voices(tokens: &[Token], sents: &[Segment], attrs: &[Attribution], quoted: &[bool]) -> Vec<Voice> {
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
            let toks = &tokens[s.tok_start..s.tok_end];
            let q = &quoted[s.tok_start..s.tok_end];
            let outside: Vec<&Token> = toks.iter().zip(q).filter(|(_, &q)| !q).map(|(t, _)| t).collect();
            let opinion = !lex.opinion.find(&outside).is_empty() || !lex.loaded.find(&outside).is_empty();
            if opinion {
                Voice::AuthorOpinion
            } else {
                Voice::AuthorReport
            }
        })
        .collect()
}

/// Picks the genre and says why, in words a teacher can check.
pub fn genre(
    numbered_questions: usize,
    title: &str,
    first_person: usize,
    opinion_sentences: usize,
    sentences: usize,
) -> (Genre, Vec<String>, f32) {
    let mut cues = Vec::new();
    let t = title.to_lowercase();
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
    if numbered_questions >= 2 {
        cues.push(format!(
            "{numbered_questions} numbered questions, each followed by an answer"
        ));
        if let Some(w) = title_interview {
            cues.push(format!("title says \"{w}\""));
        }
        let conf = if title_interview.is_some() { 0.95 } else { 0.85 };
        return (Genre::Interview, cues, conf);
    }
    if first_person >= 2 || (sentences > 0 && opinion_sentences * 4 >= sentences && opinion_sentences >= 3) {
        if first_person > 0 {
            cues.push(format!(
                "the writer speaks in the first person outside quotes ({first_person} times)"
            ));
        }
        cues.push(format!(
            "{opinion_sentences} of {sentences} sentences carry the writer's own judgement or prediction"
        ));
        let conf = if first_person >= 2 && opinion_sentences * 4 >= sentences {
            0.85
        } else {
            0.65
        };
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
