//! Owns the links between attributions: a pronoun source's referent ("he" → the nearest
//! fitting earlier source) and relay chains (an attribution reported inside another's content).

use super::attributions::SentRef;
use super::lexicon::HeadClass;
use super::model::{Attribution, SourceKind};
use super::sources;
use super::tokenize::{Doc, TokKind, Token};

/// Resolves a pronoun source to the nearest fitting earlier source (same or previous two
/// paragraphs). "who"/"which" refer to the phrase right before them.
#[allow(clippy::too_many_arguments)]
pub fn resolve_pronoun(
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
                if let Some((mut ns, ne)) = sources::left_np(tokens, sent_start, i - 1) {
                    // "a shift in position for Trump, who has said": the object of the last
                    // preposition, unless the phrase before it names people ("a spokesman
                    // for the city, who").
                    let lex = super::lexicon::get();
                    if let Some(p) = (ns + 1..ne.saturating_sub(1)).rev().find(|&k| {
                        tokens[k].is_word()
                            && tokens[k].has(super::tagger::class::PREP)
                            && !tokens[k].is("of")
                    }) {
                        let before = tokens[p - 1].norm.as_str();
                        let people = [HeadClass::Person, HeadClass::Group, HeadClass::Organization]
                            .iter()
                            .any(|&c| lex.is_head(before, c) || lex.is_head(before.trim_end_matches('s'), c));
                        if !people {
                            ns = p + 1;
                        }
                    }
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
