//! Property tests: any analysis of a seed text gives well-formed exercises.

use super::*;
use crate::analysis::{
    Analysis, Attribution, Genre, Marker, Paragraph, QuoteType, Sentence, Source, SourceKind, Span, Voice,
};
use proptest::prelude::*;

const TEXT: &str = super::super::fixtures::SEED_001;

fn span(text: &str, s: usize, e: usize) -> Span {
    Span {
        start: s,
        end: e,
        text: text.chars().skip(s).take(e.saturating_sub(s)).collect(),
    }
}

/// Any analysis at all, offsets in or out of bounds, indices dangling, text fields
/// true or not: the generator must neither panic nor quote wrongly.
fn analysis() -> impl Strategy<Value = Analysis> {
    let n = TEXT.chars().count();
    let range = (0..n + 20, 0..400usize, any::<bool>());
    let sentences = proptest::collection::vec((range.clone(), 0..8usize, 0..3u8), 0..30);
    let kinds = [
        SourceKind::NamedPerson,
        SourceKind::NamedOrganization,
        SourceKind::UnnamedPerson,
        SourceKind::UnnamedGroup,
        SourceKind::Document,
        SourceKind::Author,
    ];
    let attrs = proptest::collection::vec(
        (
            range.clone(),
            range.clone(),
            0..7usize,
            0..40usize,
            proptest::option::of(0..40usize),
            any::<bool>(),
        ),
        0..25,
    );
    let markers = proptest::collection::vec((range.clone(), 0..40usize), 0..30);
    let paragraphs = proptest::collection::vec((range, any::<bool>()), 0..8);
    (sentences, attrs, markers.clone(), markers, paragraphs, 0..3u8).prop_map(
        move |(ss, ats, hs, ls, ps, g)| {
            let mk = |((s, len, honest), _): ((usize, usize, bool), usize)| {
                let e = s + len;
                let mut sp = span(TEXT, s, e);
                if !honest {
                    sp.text.push('x');
                }
                sp
            };
            Analysis {
                title: "t".into(),
                title_span: None,
                byline: vec![],
                genre: [Genre::NewsReport, Genre::Interview, Genre::Opinion][g as usize],
                genre_cues: vec!["cue".into()],
                genre_confidence: 1.0,
                paragraphs: ps
                    .into_iter()
                    .map(|((s, len, _), clutter)| Paragraph {
                        start: s,
                        end: s + len,
                        clutter,
                    })
                    .collect(),
                clutter: vec![],
                sentences: ss
                    .into_iter()
                    .map(|(r, p, v)| {
                        let sp = mk((r, 0));
                        Sentence {
                            start: sp.start,
                            end: sp.end,
                            text: sp.text,
                            paragraph: p,
                            voice: [Voice::Attributed, Voice::AuthorOpinion, Voice::AuthorReport][v as usize],
                        }
                    })
                    .collect(),
                attributions: ats
                    .into_iter()
                    .map(|(src, cue, k, sent, relay, has_src)| {
                        let s = mk((src, 0));
                        Attribution {
                            source: (has_src && k < 6).then(|| Source {
                                start: s.start,
                                end: s.end,
                                text: s.text,
                                kind: kinds[k % 6],
                                refers_to: None,
                            }),
                            cue: mk((cue, 0)),
                            content: None,
                            quote: QuoteType::Indirect,
                            relayed_from: relay,
                            sentence: sent,
                            entity: None,
                            confidence: 1.0,
                            anonymity: None,
                            attribution_type: crate::analysis::AttributionType::Speech,
                        }
                    })
                    .collect(),
                entities: vec![],
                hedges: hs
                    .into_iter()
                    .map(|(r, sent)| {
                        let sp = mk((r, 0));
                        Marker {
                            start: sp.start,
                            end: sp.end,
                            text: sp.text,
                            sentence: sent,
                        }
                    })
                    .collect(),
                loaded_terms: ls
                    .into_iter()
                    .map(|(r, sent)| {
                        let sp = mk((r, 0));
                        Marker {
                            start: sp.start,
                            end: sp.end,
                            text: sp.text,
                            sentence: sent,
                        }
                    })
                    .collect(),
            }
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn any_analysis_gives_well_formed_exercises(a in analysis(), b in analysis()) {
        let h = hash(TEXT);
        let r = ArticleRef { content_hash: &h, title: "Cartels and ISIS", text: TEXT, analysis: &a };
        let r2 = ArticleRef { content_hash: "other", title: "Cartels", text: TEXT, analysis: &b };
        let mut all = generate(&r);
        prop_assert_eq!(&all, &generate(&r));
        all.extend(compare_articles(&[r, r2]));
        let ids: BTreeSet<uuid::Uuid> = all.iter().map(|e| e.id).collect();
        prop_assert_eq!(ids.len(), all.len());
        for e in &all {
            prop_assert_eq!(e.content.validate(), Ok(()));
            let quotes = e.content.passage.iter()
                .chain(e.content.options.iter().filter_map(|o| o.quote.as_ref()));
            for q in quotes {
                prop_assert_eq!(&chars(TEXT, q.start, q.end), &q.text);
            }
            if e.content.response_type == ResponseType::MultipleResponse {
                prop_assert!(e.content.options.len() >= 3);
            }
        }
    }
}
