//! Pure text analysis: who says what in a news article. No I/O.
//!
//! The pipeline: [`tokenize`] → [`sentences`] (paragraphs, sentences) → [`clutter`] (title,
//! byline, page furniture) → [`cues`] + [`sources`] + [`attributions`] (who says what) →
//! [`interview`] (Q&A pieces) → [`voice`] (hedges, loaded terms, voice, genre).
//! [`render`] draws an analysis for the terminal; [`eval`] scores it against PolNeAR.

mod attributions;
mod clutter;
mod content;
mod cues;
mod entities;
mod interview;
mod kinds;
mod lexicon;
mod model;
mod norm;
mod relations;
mod render;
mod sentences;
mod sources;
mod stance;
mod tagger;
mod tokenize;
mod voice;

pub mod eval;

#[cfg(test)]
mod sources_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod voice_tests;

pub use model::*;

use tokenize::{Doc, Token};

/// Bumped whenever the analyzer's output changes, so stored analyses are refreshed.
pub const ANALYZER_VERSION: u32 = 20;

/// Analyzes one article given as raw text (title line, optional byline, body, page clutter).
pub fn analyze(text: &str) -> Analysis {
    let doc = Doc::new(text);
    let tokens = tokenize::tokenize(&doc);
    let paras = sentences::paragraphs(&tokens);
    let layout = clutter::layout(&doc, &tokens, &paras);

    let mut sent_refs = Vec::new();
    let mut para_first_sentence = Vec::with_capacity(paras.len());
    for (pi, p) in paras.iter().enumerate() {
        para_first_sentence.push(sent_refs.len());
        for seg in sentences::sentences(&tokens, p.tok_start, p.tok_end) {
            sent_refs.push(attributions::SentRef {
                seg,
                paragraph: pi,
                clutter: layout.clutter[pi].is_some(),
            });
        }
    }
    let is_clutter: Vec<bool> = layout.clutter.iter().map(Option::is_some).collect();
    let mut tokens = tokens;
    let tags = tagger::tag(
        &tokens,
        sent_refs.iter().map(|s| (s.seg.tok_start, s.seg.tok_end)),
    );
    for (t, g) in tokens.iter_mut().zip(tags) {
        t.tag = g;
    }
    tagger::names_from_document(&mut tokens, sent_refs.iter().map(|s| s.seg.tok_start));
    let tokens = tokens;

    // Paragraphs no transcript turn or question can open: clutter, the title, the byline.
    let not_body: Vec<bool> = (0..paras.len())
        .map(|i| is_clutter[i] || Some(i) == layout.title || Some(i) == layout.byline)
        .collect();
    let mut questions = interview::numbered_questions(&doc, &tokens, &paras);
    if !interview::answered_in_person(&tokens, &paras, &questions) {
        questions.clear();
    }
    let title_text = layout
        .title
        .and_then(|t| paras.get(t))
        .map_or("", |p| doc.slice(p.start, p.end));
    let turns = if questions.len() >= 2 {
        Vec::new()
    } else {
        interview::speaker_turns(&doc, &tokens, &paras, &not_body, title_text)
    };
    // Neither numbered nor labelled: questions may still be set as lines of their own.
    let mut question_lines = 0;
    if questions.len() < 2 && turns.is_empty() {
        let lines = interview::question_paragraphs(&doc, &tokens, &paras, &not_body, &layout.authors);
        if interview::answered_in_person(&tokens, &paras, &lines) {
            question_lines = lines.len();
            questions = lines;
        }
    }
    let mut attrs = if questions.len() >= 2 || !turns.is_empty() {
        // Q&A pieces: the layout, not reporting verbs, says who speaks; cues inside answers
        // still count (an interviewee may quote others).
        let mut qa = if turns.is_empty() {
            interview::attributions(
                &doc,
                &tokens,
                &paras,
                &para_first_sentence,
                &questions,
                layout.title,
                layout.byline,
                layout.byline_names,
                &is_clutter,
            )
        } else {
            interview::turn_attributions(
                &doc,
                &tokens,
                &paras,
                &para_first_sentence,
                &turns,
                layout.byline_names,
            )
        };
        let inner = attributions::extract(&doc, &tokens, &sent_refs, &paras);
        qa.extend(inner);
        qa.sort_by_key(|a| (a.sentence, a.cue.start));
        qa
    } else {
        attributions::extract(&doc, &tokens, &sent_refs, &paras)
    };
    // Keep `relayed_from` valid after any reordering: recompute on the final order.
    attributions::relink(&mut attrs);
    let entities = entities::link(&doc, &tokens, &mut attrs);

    let segs: Vec<sentences::Segment> = sent_refs.iter().map(|s| s.seg).collect();
    let openers = attributions::quote_openers(&tokens, &paras);
    let quoted: Vec<bool> = openers.iter().map(Option::is_some).collect();
    let quoted = stance::with_typewriter_quotes(&tokens, &paras, &quoted);
    let sent_clutter: Vec<bool> = sent_refs.iter().map(|s| s.clutter).collect();
    let voices = voice::voices(&tokens, &segs, &attrs, &quoted, &sent_clutter);
    let lex = lexicon::get();
    let hedges = voice::hedges(&doc, &tokens, &segs, &lex.hedges);
    let loaded_terms = voice::markers(&doc, &tokens, &segs, &lex.loaded);

    let title_span = layout
        .title
        .and_then(|t| paras.get(t))
        .map(|p| doc.span(p.start, p.end));
    let title = title_span.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    let body_sentences: Vec<usize> = (0..sent_refs.len())
        .filter(|&i| {
            let p = Some(sent_refs[i].paragraph);
            !is_clutter[sent_refs[i].paragraph] && p != layout.title && p != layout.byline
        })
        .collect();
    let first_person = first_person_outside_quotes(&tokens, &sent_refs, &quoted, &voices, &body_sentences);
    let opinion = body_sentences
        .iter()
        .filter(|&&i| voices[i] == Voice::AuthorOpinion)
        .count();
    let (own_present, own_tensed) = voice::own_tense(&tokens, &segs, &quoted, &voices, &body_sentences);
    let signals = voice::GenreSignals {
        numbered_questions: questions.len() - question_lines,
        question_lines,
        speaker_turns: turns.len(),
        interviewed: voice::interviewed(&doc, &tokens, &sent_refs, &quoted, &body_sentences),
        one_voice: interview::one_voice(&tokens, &attrs, &entities),
        title: &title,
        expert: layout.expert.as_deref(),
        first_person,
        opinion_sentences: opinion,
        sentences: body_sentences.len(),
        own_present,
        own_tensed,
        attributed_sentences: body_sentences
            .iter()
            .filter(|&&i| voices[i] == Voice::Attributed)
            .count(),
        evaluating_sentences: voice::evaluating(&tokens, &segs, &quoted, &body_sentences, &voices),
        own: voice::own_voice(&tokens, &segs, &quoted, &body_sentences, &voices),
    };
    let (genre, genre_cues, genre_confidence) = voice::genre(&signals);
    let mut voices = voices;
    if genre == Genre::Opinion {
        voice::lean_to_opinion(&tokens, &segs, &quoted, &body_sentences, &mut voices);
    }
    let sentences: Vec<Sentence> = sent_refs
        .iter()
        .zip(&voices)
        .map(|(s, &voice)| Sentence {
            start: s.seg.start,
            end: s.seg.end,
            text: doc.slice(s.seg.start, s.seg.end).to_string(),
            paragraph: s.paragraph,
            voice,
        })
        .collect();

    let clutter_out = paras
        .iter()
        .zip(&layout.clutter)
        .filter_map(|(p, k)| {
            k.map(|kind| Clutter {
                start: p.start,
                end: p.end,
                text: doc.slice(p.start, p.end).to_string(),
                kind,
            })
        })
        .collect();
    let paragraphs = paras
        .iter()
        .zip(&is_clutter)
        .map(|(p, &c)| Paragraph {
            start: p.start,
            end: p.end,
            clutter: c,
        })
        .collect();

    Analysis {
        title,
        title_span,
        byline: layout.authors,
        genre,
        genre_cues,
        genre_confidence,
        paragraphs,
        clutter: clutter_out,
        sentences,
        attributions: attrs,
        entities,
        hedges,
        loaded_terms,
    }
}

/// First-person singular pronouns the writer uses outside quotes, in body sentences of the
/// writer's own voice (an interviewee's "I" in an answer is the interviewee's).
fn first_person_outside_quotes(
    tokens: &[Token],
    sents: &[attributions::SentRef],
    quoted: &[bool],
    voices: &[Voice],
    body: &[usize],
) -> usize {
    body.iter()
        .filter(|&&i| voices[i] != Voice::Attributed)
        .flat_map(|&i| sents[i].seg.tok_start..sents[i].seg.tok_end)
        .filter(|&k| {
            !quoted[k]
                && tokens[k].is_word()
                // Cheap byte test first; the UTF-8 view is only needed for candidates.
                && matches!(tokens[k].norm.bytes().first(), Some(b'i' | b'm'))
                && matches!(
                    tokens[k].norm.as_str(),
                    "i" | "i'm" | "me" | "my" | "i've" | "i'd"
                )
        })
        .count()
}

/// A readable view of an analysis that marks sources, cues, content, hedges and loaded terms.
pub fn render_text(text: &str, analysis: &Analysis) -> String {
    render::render(text, analysis)
}
