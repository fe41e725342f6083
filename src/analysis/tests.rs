//! Whole-pipeline tests: the span invariant (property tests) and robustness on odd input here;
//! the seed articles a teacher would check, source phrases and kinds, and anonymous sourcing
//! in the modules below.

mod anonymity;
mod beliefs;
mod outside_classes;
mod seeds;
mod sources;

use proptest::prelude::*;

use super::*;

/// Every span is a char range of the input and its text is exactly those chars.
pub(super) fn check_spans(text: &str, a: &Analysis) {
    let chars: Vec<char> = text.chars().collect();
    let check = |start: usize, end: usize, t: &str, what: &str| {
        assert!(
            start <= end && end <= chars.len(),
            "{what} {start}..{end} out of range"
        );
        let got: String = chars[start..end].iter().collect();
        assert_eq!(got, t, "{what} text differs from input at {start}..{end}");
    };
    if let Some(s) = &a.title_span {
        check(s.start, s.end, &s.text, "title");
    }
    for s in &a.sentences {
        check(s.start, s.end, &s.text, "sentence");
        assert!(s.paragraph < a.paragraphs.len());
    }
    for p in &a.paragraphs {
        assert!(p.start <= p.end && p.end <= chars.len());
    }
    for c in &a.clutter {
        check(c.start, c.end, &c.text, "clutter");
    }
    for (i, at) in a.attributions.iter().enumerate() {
        check(at.cue.start, at.cue.end, &at.cue.text, "cue");
        if let Some(s) = &at.source {
            check(s.start, s.end, &s.text, "source");
            if let Some(r) = &s.refers_to {
                check(r.start, r.end, &r.text, "refers_to");
            }
        }
        if let Some(c) = &at.content {
            check(c.start, c.end, &c.text, "content");
        }
        assert!(
            at.sentence < a.sentences.len(),
            "attribution {i} sentence out of range"
        );
        if let Some(j) = at.relayed_from {
            assert!(j < a.attributions.len() && j != i);
        }
        if let Some(e) = at.entity {
            assert!(e < a.entities.len(), "attribution {i} entity out of range");
        }
        if let Some(an) = &at.anonymity {
            check(an.start, an.end, &an.text, "anonymity");
        }
        assert!((0.0..=1.0).contains(&at.confidence));
    }
    for (id, e) in a.entities.iter().enumerate() {
        assert_eq!(e.id, id);
        check(e.name.start, e.name.end, &e.name.text, "entity name");
        assert!(!e.mentions.is_empty());
        for m in &e.mentions {
            check(m.start, m.end, &m.text, "entity mention");
        }
        if let Some(an) = &e.anonymity {
            check(an.start, an.end, &an.text, "entity anonymity");
        }
    }
    assert!((0.0..=1.0).contains(&a.genre_confidence));
    for m in a.hedges.iter().chain(&a.loaded_terms) {
        check(m.start, m.end, &m.text, "marker");
        assert!(m.sentence < a.sentences.len());
    }
}

fn article_like() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "said",
        "told",
        "according",
        "to",
        "he",
        "she",
        "officials",
        "Smith",
        "U.S.",
        "Mr.",
        "“",
        "”",
        "\"",
        ",",
        ".",
        "?",
        "!",
        "…",
        ":",
        "\n",
        "\n\n",
        "that",
        "1)",
        "By",
        "and",
        "reportedly",
        "é",
        "日本",
        "🙂",
        "Sen.",
        "J.",
        "2.5",
        "Photo Source:",
        "Join the conversation!",
        "’s",
        "(",
        ")",
    ]);
    prop::collection::vec(word, 0..80).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn spans_match_input_random_unicode(text in any::<String>()) {
        check_spans(&text, &analyze(&text));
    }

    #[test]
    fn spans_match_input_article_like(text in article_like()) {
        let a = analyze(&text);
        check_spans(&text, &a);
        let _ = render_text(&text, &a);
    }
}

#[test]
fn odd_inputs_do_not_panic() {
    for text in [
        "",
        " ",
        "\n\n\n",
        "no punctuation at all here",
        "“unbalanced quote said he",
        "”",
        "said",
        "according to",
        "1) ?",
        "By .",
        "\u{feff}x",
    ] {
        let a = analyze(text);
        check_spans(text, &a);
        let _ = render_text(text, &a);
    }
}

#[test]
fn one_megabyte_single_line() {
    let unit = "Officials said the “plan” works, according to Smith and U.S. Sen. Jones 2.5 … ";
    let text: String = unit.repeat(1_000_000 / unit.len() + 1);
    let a = analyze(&text);
    check_spans(&text, &a);
    let plain = "word ".repeat(200_000);
    check_spans(&plain, &analyze(&plain));
}

/// The attribution whose source text contains `src` and whose cue is `cue`.
pub(super) fn find<'a>(a: &'a Analysis, src: &str, cue: &str) -> &'a Attribution {
    a.attributions
        .iter()
        .find(|x| {
            x.cue.text.to_lowercase() == cue
                && x.source.as_ref().is_some_and(|s| {
                    if src.len() <= 3 {
                        s.text == src
                    } else {
                        s.text.contains(src)
                    }
                })
        })
        .unwrap_or_else(|| panic!("no attribution {src:?} {cue:?}"))
}
