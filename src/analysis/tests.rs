//! Whole-pipeline tests: the span invariant (property tests), robustness on odd input, and
//! the seed articles a teacher would check.

use proptest::prelude::*;

use super::*;

/// Every span is a char range of the input and its text is exactly those chars.
fn check_spans(text: &str, a: &Analysis) {
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

fn seed(n: &str) -> &'static str {
    match n {
        "000" => include_str!("../../seeds/000_9a35427c4e6943e7.txt"),
        "001" => include_str!("../../seeds/001_0a5197380f058e42.txt"),
        _ => include_str!("../../seeds/003_be4cf3f2cab0475a.txt"),
    }
}

/// The attribution whose source text contains `src` and whose cue is `cue`.
fn find<'a>(a: &'a Analysis, src: &str, cue: &str) -> &'a Attribution {
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

#[test]
fn seed_001_sources_and_kinds() {
    let t = seed("001");
    let a = analyze(t);
    check_spans(t, &a);
    assert_eq!(a.genre, Genre::NewsReport);
    let anon = find(&a, "two intelligence officials", "told");
    assert_eq!(
        anon.source.as_ref().map(|s| s.kind),
        Some(SourceKind::UnnamedGroup)
    );
    let taylor = a
        .attributions
        .iter()
        .find(|x| x.source.as_ref().is_some_and(|s| s.text == "Taylor"))
        .expect("Taylor said");
    assert_eq!(taylor.quote, QuoteType::Direct);
    assert_eq!(
        taylor.source.as_ref().map(|s| s.kind),
        Some(SourceKind::NamedPerson)
    );
    assert!(taylor
        .content
        .as_ref()
        .is_some_and(|c| c.text.starts_with("“There have been Twitter")));
    let ft = find(&a, "Francis Taylor", "told");
    assert_eq!(ft.source.as_ref().map(|s| s.kind), Some(SourceKind::NamedPerson));
    let bb = find(&a, "Bloomberg", "according to");
    assert_eq!(
        bb.source.as_ref().map(|s| s.kind),
        Some(SourceKind::NamedOrganization)
    );
    // Rasmussen's assessment is his, not the anonymous officials'.
    let he = find(&a, "he", "said");
    let src = he.source.as_ref().expect("source");
    assert!(
        src.refers_to
            .as_ref()
            .is_some_and(|r| r.text.contains("Rasmussen")),
        "{src:?}"
    );
    assert_eq!(src.kind, SourceKind::NamedPerson);
    assert!(he
        .content
        .as_ref()
        .is_some_and(|c| c.text.starts_with("Their scope does not reach")));
    let r = find(&a, "Rasmussen", "said");
    assert_eq!(r.quote, QuoteType::Direct);
    assert!(r
        .content
        .as_ref()
        .is_some_and(|c| c.text.contains("We do not assess")));
    // Page clutter at the end.
    let kinds: Vec<ClutterKind> = a.clutter.iter().map(|c| c.kind).collect();
    assert!(kinds.contains(&ClutterKind::SourceList));
    assert!(kinds.contains(&ClutterKind::MediaCredit));
    assert!(kinds.contains(&ClutterKind::Widget));
    assert!(a.hedges.iter().any(|h| h.text == "might"));
}

#[test]
fn seed_003_relay_opinion_clutter() {
    let t = seed("003");
    let a = analyze(t);
    check_spans(t, &a);
    assert_eq!(
        a.title,
        "Mexican Cartel and ISIS are Conspiring South of the Border"
    );
    assert_eq!(a.byline, vec!["Stephen Owsinski".to_string()]);
    assert!(a
        .clutter
        .iter()
        .any(|c| c.kind == ClutterKind::SectionLabel && c.text == "National Security"));
    assert!(a
        .clutter
        .iter()
        .any(|c| c.kind == ClutterKind::CommentPolicy && c.text.starts_with("We have no tolerance")));
    assert!(a
        .clutter
        .iter()
        .any(|c| c.kind == ClutterKind::AuthorBio && c.text.starts_with("Stephen Owsinski is")));
    assert!(a.clutter.iter().any(|c| c.kind == ClutterKind::CallToAction));
    // The informants' claim reached the writer through Judicial Watch.
    let jw = a
        .attributions
        .iter()
        .position(|x| {
            x.source
                .as_ref()
                .is_some_and(|s| s.text.starts_with("Judicial Watch revelations"))
        })
        .expect("according to Judicial Watch");
    let inf = find(&a, "cartel informants", "told");
    assert_eq!(inf.relayed_from, Some(jw));
    assert_eq!(
        inf.source.as_ref().map(|s| s.kind),
        Some(SourceKind::UnnamedGroup)
    );
    let agents = find(&a, "Mexican federal intelligence agents", "claim");
    assert_eq!(
        agents.source.as_ref().map(|s| s.kind),
        Some(SourceKind::UnnamedGroup)
    );
    let suspect = a
        .sentences
        .iter()
        .find(|s| s.text.starts_with("I suspect the exact opposite"))
        .expect("sentence");
    assert_eq!(suspect.voice, Voice::AuthorOpinion);
    assert!(a.loaded_terms.iter().any(|m| m.text == "lunatics"));
    assert!(a.loaded_terms.iter().any(|m| m.text == "powder keg"));
    assert!(a.hedges.iter().any(|m| m.text == "reportedly"));
    assert_eq!(a.genre, Genre::Opinion);
}

#[test]
fn seed_000_interview() {
    let t = seed("000");
    let a = analyze(t);
    check_spans(t, &a);
    assert_eq!(a.genre, Genre::Interview);
    assert_eq!(
        a.byline,
        vec!["Luis Salomon".to_string(), "Jaime Ortega".to_string()]
    );
    let q1 = a
        .attributions
        .iter()
        .find(|x| {
            x.content
                .as_ref()
                .is_some_and(|c| c.text.starts_with("Is it somewhat possible"))
        })
        .expect("question 1");
    let qs = q1.source.as_ref().expect("question source");
    assert_eq!(qs.kind, SourceKind::Author);
    assert_eq!(qs.text, "Luis Salomon and Jaime Ortega");
    let a1 = a
        .attributions
        .iter()
        .find(|x| {
            x.content
                .as_ref()
                .is_some_and(|c| c.text.starts_with("There have been many such rumors"))
        })
        .expect("answer 1");
    let asrc = a1.source.as_ref().expect("answer source");
    assert_eq!(asrc.text, "Veryan Khan");
    assert_eq!(asrc.kind, SourceKind::NamedPerson);
    let hedge_sentence = a
        .sentences
        .iter()
        .position(|s| {
            s.text
                .starts_with("Though there is no solid proof I have seen of either rumor")
        })
        .expect("sentence");
    assert!(a
        .hedges
        .iter()
        .any(|h| h.sentence == hedge_sentence && h.text == "no solid proof"));
}

#[test]
fn splitting_cases_from_the_issue() {
    let t = "Sen. John McCain, R-Arizona, asked Dr. J. Smith of Acme Inc. about the U.S. plan. It cost $2.5 million... Really? “It works. It really does,” he said.";
    let a = analyze(t);
    let s: Vec<&str> = a.sentences.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        s,
        vec![
            "Sen. John McCain, R-Arizona, asked Dr. J. Smith of Acme Inc. about the U.S. plan.",
            "It cost $2.5 million...",
            "Really?",
            "“It works.",
            "It really does,” he said."
        ]
    );
    // The quote runs over two sentences; its content takes both.
    let he = find(&a, "he", "said");
    assert_eq!(
        he.content.as_ref().map(|c| c.text.as_str()),
        Some("“It works. It really does,”")
    );
    assert_eq!(he.quote, QuoteType::Direct);
}

#[test]
fn patterns_and_kinds() {
    let cases: &[(&str, &str, &str, SourceKind, &str)] = &[
        (
            "The plan failed, officials said.",
            "officials",
            "said",
            SourceKind::UnnamedGroup,
            "The plan failed",
        ),
        (
            "“It failed,” said John Smith.",
            "John Smith",
            "said",
            SourceKind::NamedPerson,
            "“It failed,”",
        ),
        (
            "According to a new poll, Trump leads.",
            "a new poll",
            "according to",
            SourceKind::Document,
            "Trump leads",
        ),
        (
            "A source close to the campaign told CNN that it was over.",
            "A source close to the campaign",
            "told",
            SourceKind::UnnamedPerson,
            "that it was over",
        ),
        (
            "Twitter and social-media exchanges show that militants discussed the border.",
            "Twitter and social-media exchanges",
            "show",
            SourceKind::Document,
            "that militants discussed the border",
        ),
        (
            "The New York Times reported that the deal collapsed.",
            "The New York Times",
            "reported",
            SourceKind::NamedOrganization,
            "that the deal collapsed",
        ),
    ];
    for &(text, src, cue, kind, content) in cases {
        let a = analyze(text);
        let at = find(&a, src, cue);
        assert_eq!(at.source.as_ref().map(|s| s.kind), Some(kind), "{text}");
        assert_eq!(
            at.content.as_ref().map(|c| c.text.as_str()),
            Some(content),
            "{text}"
        );
    }
}

#[test]
fn aliases_of_one_person_form_one_entity() {
    let text = "Budget fight\n\nTreasury Department spokeswoman Ana Ruiz said the plan was late. \
                Ms. Ruiz told reporters the office would wait. She said more was coming. \
                Senator Tom Baker said he disagreed.\n";
    let a = analyze(text);
    let ruiz: Vec<usize> = a
        .attributions
        .iter()
        .filter(|at| {
            at.source
                .as_ref()
                .is_some_and(|s| s.text.contains("Ruiz") || s.text == "She")
        })
        .filter_map(|at| at.entity)
        .collect();
    assert_eq!(ruiz.len(), 3, "{:#?}", a.attributions);
    assert!(ruiz.iter().all(|&e| e == ruiz[0]), "{:#?}", a.entities);
    let e = &a.entities[ruiz[0]];
    assert!(e.name.text.contains("Ana Ruiz"), "{}", e.name.text);
    assert_eq!(e.mentions.len(), 3);
    let baker = a
        .attributions
        .iter()
        .find(|at| at.source.as_ref().is_some_and(|s| s.text.contains("Baker")))
        .and_then(|at| at.entity);
    assert!(baker.is_some() && baker != Some(ruiz[0]));
}

#[test]
fn anonymity_evidence_is_given_for_unnamed_sources() {
    let text =
        "Talks stall\n\nThe talks have stalled, said a senior official, who spoke on condition of anonymity \
                because the talks are private.\n";
    let a = analyze(text);
    let at = a
        .attributions
        .iter()
        .find(|at| at.source.as_ref().is_some_and(|s| s.kind.is_unnamed()))
        .expect("an unnamed source");
    let an = at.anonymity.as_ref().expect("anonymity evidence");
    assert_eq!(an.text, "on condition of anonymity");
    let e = &a.entities[at.entity.expect("an entity")];
    assert_eq!(
        e.anonymity.as_ref().map(|s| s.text.as_str()),
        Some("on condition of anonymity")
    );
}
