//! Source phrases, kinds, cues and aliases: sentence splitting, the common patterns, and what the
//! syntactic layer changes.

use super::*;

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

/// What the tagger changes: sources are noun phrases, names with "and" stay whole,
/// sentence-initial common nouns are unnamed groups, reporting verbs are read by their part
/// of speech.
#[test]
fn syntactic_layer_sources_and_cues() {
    let story = |body: &str| analyze(&format!("A headline\n\n{body}\n"));
    let kind_of = |text: &str, src: &str, cue: &str| {
        let a = story(text);
        let at = find(&a, src, cue);
        (
            at.source.as_ref().map(|s| s.text.clone()),
            at.source.as_ref().map(|s| s.kind),
        )
    };
    let t = "The Committee on Energy and Commerce said the bill failed.";
    assert_eq!(
        kind_of(t, "Commerce", "said"),
        (
            Some("The Committee on Energy and Commerce".into()),
            Some(SourceKind::NamedOrganization)
        )
    );
    let t = "Dr. Lee and colleagues found that the drug worked.";
    assert_eq!(
        kind_of(t, "Dr. Lee", "found"),
        (
            Some("Dr. Lee and colleagues".into()),
            Some(SourceKind::NamedPerson)
        )
    );
    for (t, src) in [
        ("Officials said the talks would resume.", "Officials"),
        ("Many voters say the plan is bad.", "Many voters"),
        ("Critics of the mayor argue that he lied.", "Critics of the mayor"),
    ] {
        assert_eq!(
            kind_of(t, src, t.split(' ').nth(src.split(' ').count()).unwrap_or("")).1,
            Some(SourceKind::UnnamedGroup),
            "{t}"
        );
    }
    let t = "Treasury Department spokeswoman Ana Ruiz said the plan was late.";
    assert_eq!(kind_of(t, "Ruiz", "said").1, Some(SourceKind::NamedPerson));
    let t = "A producer for the studio told the paper that the show was cancelled.";
    assert_eq!(kind_of(t, "producer", "told").1, Some(SourceKind::UnnamedPerson));

    let a = story("The minister is denying the report. The mayor divulged that the plan failed.");
    let cues: Vec<&str> = a.attributions.iter().map(|x| x.cue.text.as_str()).collect();
    assert!(
        cues.contains(&"denying") && cues.contains(&"divulged"),
        "{cues:?}"
    );
    assert_eq!(
        find(&a, "The minister", "denying")
            .source
            .as_ref()
            .map(|s| s.kind),
        Some(SourceKind::NamedPerson)
    );

    let a = story("He continued to work. They tried to explain. The talks continued on Monday.");
    assert!(a.attributions.is_empty(), "{:#?}", a.attributions);
    let a = story("“We will win,” he continued.");
    assert_eq!(a.attributions.len(), 1);

    let a = story("The film might show the dictator saying that he was wrong.");
    assert!(
        a.attributions
            .iter()
            .filter_map(|x| x.source.as_ref())
            .all(|s| !s.text.contains("might show")),
        "{:#?}",
        a.attributions
    );
}
