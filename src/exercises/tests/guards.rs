//! What is never offered: garbled source spans and relative clauses as sources, false relays,
//! "us" as the writer, job titles in names.

use super::*;
use crate::analysis::{QuoteType, SourceKind, Voice};

fn exercises(fx: &Fx) -> Vec<Exercise> {
    let h = hash(fx.text);
    generate(&art(fx, &h))
}

fn all_option_texts(ex: &[Exercise]) -> Vec<String> {
    ex.iter()
        .flat_map(|e| e.content.options.iter().map(|o| o.text.clone()))
        .collect()
}

#[test]
fn a_garbled_source_span_never_becomes_an_option() {
    let mut fx = seed_003();
    // A span an analyzer might get wrong: a clause, not a source.
    fx.attr(
        "It was only a matter of time",
        Some((
            "before the cartels felt the real pinch",
            SourceKind::NamedOrganization,
        )),
        "felt",
        None,
        QuoteType::Indirect,
    );
    let ex = exercises(&fx);
    assert!(all_option_texts(&ex)
        .iter()
        .all(|t| !t.contains("before the cartels felt")));
    // Its sentence is no longer trusted as a keyed statement either.
    let s = fx.sentence("It was only a matter of time");
    let text = fx.a.sentences[s].text.trim().to_string();
    for e in &ex {
        for o in &e.content.options {
            assert!(
                o.text != text || e.kind == ExerciseKind::HedgedClaims,
                "{:?}",
                e.kind
            );
        }
    }
}

#[test]
fn a_relay_through_the_same_source_or_without_relaying_words_is_ignored() {
    let mut fx = seed_001();
    let a = fx.sentence("Francis Taylor, under secretary");
    let taylor =
        fx.a.attributions
            .iter()
            .position(|at| at.sentence == a)
            .expect("Taylor");
    let other = fx.attr(
        "Francis Taylor, under secretary",
        Some(("a Senate panel", SourceKind::NamedOrganization)),
        "told",
        None,
        QuoteType::Indirect,
    );
    fx.relay(taylor, other);
    let ex = exercises(&fx);
    assert!(of_kind(&ex, ExerciseKind::ClaimChain).iter().all(|e| !e
        .content
        .passage
        .as_ref()
        .is_some_and(|p| p.text.starts_with("Francis Taylor"))));
}

#[test]
fn us_the_country_is_not_the_writer_speaking() {
    let mut fx = seed_003();
    fx.voice("A recent fusillade", Voice::AuthorOpinion);
    let ex = exercises(&fx);
    let op = of_kind(&ex, ExerciseKind::AuthorOpinion);
    for o in &op[0].content.options {
        assert!(!o.explanation.contains("“US"), "{}", o.explanation);
    }
}

#[test]
fn named_sources_show_the_name_without_the_job_title() {
    let mut fx = seed_001();
    // An analyzer may take the whole appositive as the source.
    let long = "Francis Taylor, under secretary for intelligence and analysis at the Department of Homeland Security";
    let (start, end) = fx.find(long);
    let s = fx.sentence(long);
    let i =
        fx.a.attributions
            .iter()
            .position(|at| at.sentence == s)
            .expect("Taylor");
    if let Some(src) = fx.a.attributions[i].source.as_mut() {
        (src.start, src.end, src.text) = (start, end, long.to_string());
    }
    let ex = exercises(&fx);
    let texts = all_option_texts(
        &of_kind(&ex, ExerciseKind::SourceOfClaim)
            .into_iter()
            .cloned()
            .collect::<Vec<_>>(),
    );
    assert!(texts.iter().any(|t| t == "Francis Taylor"), "{texts:?}");
    assert!(texts.iter().all(|t| !t.contains("under secretary")));
}

const MARKET: &str = "Harbour market to reopen

The mayor, Ana Lopez, said the market would reopen in June after the storm repairs.

Police said the harbour road would stay closed to lorries until the end of May.

It is untenable for Harbour Traders whose own leaders warn that rents will rise to stay silent.

The market has about two hundred stalls and opened in 1921.
";

#[test]
fn a_relative_clause_never_stands_as_a_source() {
    let mut fx = Fx::new(MARKET, crate::analysis::Genre::NewsReport, &["attributed"]);
    fx.attr(
        "would reopen in June",
        Some(("Ana Lopez", SourceKind::NamedPerson)),
        "said",
        Some("the market would reopen in June after the storm repairs"),
        QuoteType::Indirect,
    );
    fx.attr(
        "harbour road",
        Some(("Police", SourceKind::NamedOrganization)),
        "said",
        Some("the harbour road would stay closed to lorries until the end of May"),
        QuoteType::Indirect,
    );
    fx.attr(
        "It is untenable",
        Some(("Harbour Traders whose own leaders", SourceKind::NamedOrganization)),
        "warn",
        Some("rents will rise"),
        QuoteType::Indirect,
    );
    let ex = exercises(&fx);
    assert!(!ex.is_empty());
    for t in all_option_texts(&ex) {
        assert!(!t.contains("whose"), "{t}");
    }
}

const BELIEFS: &str = "Flood waters rise in river town

Heavy rain flooded the lower streets of Easton on Monday, and about 200 families left their homes.

The mayor, Ruth Lang, said the town's pumps had worked through the night.

\"We expect the water to fall by Wednesday,\" said Tom Reed, a spokesman for the regional water board.

Officials speaking to reporters blamed a blocked drain under the main bridge for the worst of the flooding.

Many residents believe the new housing estate upstream has made the floods worse.

Shop owners fear that insurance costs will rise again next year.

The river last burst its banks in 2019, when the town's school was closed for a month.
";

#[test]
fn a_belief_or_a_fear_is_never_keyed_as_a_claims_source_but_blame_said_aloud_is() {
    let a = crate::analysis::analyze(BELIEFS);
    let h = hash(BELIEFS);
    let ex = generate(&ArticleRef {
        content_hash: &h,
        title: &a.title,
        text: BELIEFS,
        analysis: &a,
    });
    // What residents believe and shop owners fear is the writer's account of a mood, not words
    // anyone is quoted saying: neither sentence is asked about nor offered, and the groups are
    // never offered as sources.
    for e in &ex {
        let passage = e.content.passage.as_ref().map_or("", |p| p.text.as_str());
        assert!(
            !passage.contains("believe") && !passage.contains("fear"),
            "{e:#?}"
        );
        for o in &e.content.options {
            assert!(
                !o.text.contains("Many residents") && !o.text.contains("Shop owners"),
                "{e:#?}"
            );
        }
    }
    // "Officials … blamed a blocked drain" is a claim they made aloud: it is the unnamed
    // source's statement, keyed as such.
    let anon = ex
        .iter()
        .find(|e| e.kind == ExerciseKind::AnonymousSources)
        .expect("an anonymous-sources exercise");
    let keyed = key_shown(anon);
    assert_eq!(keyed.len(), 1, "{anon:#?}");
    assert!(
        keyed[0].starts_with("Officials speaking to reporters blamed"),
        "{anon:#?}"
    );
}

const ACTS: &str = "Bridge closes after crack found

A crack was found in the Elm Street bridge on Tuesday, and the city closed it to traffic.

\"We will not reopen it until it is safe,\" said Ann Cole, the city's transport director.

Residents described the closure as a long detour for the whole east side.

Officials speaking to reporters say repairs could take three months.

The bridge was built in 1962 and last repaired in 2004.
";

#[test]
fn a_weak_cue_naming_an_act_is_no_source_but_one_introducing_a_clause_is() {
    let a = crate::analysis::analyze(ACTS);
    let h = hash(ACTS);
    let ex = generate(&ArticleRef {
        content_hash: &h,
        title: &a.title,
        text: ACTS,
        analysis: &a,
    });
    // "Residents described the closure as …" tells what residents did, not a claim they are
    // quoted making: never keyed as an unnamed source's statement, never asked about.
    for e in &ex {
        for o in key_shown(e) {
            assert!(!o.starts_with("Residents described"), "{e:#?}");
        }
        let passage = e.content.passage.as_ref().map_or("", |p| p.text.as_str());
        assert!(!passage.starts_with("Residents described"), "{e:#?}");
        for o in &e.content.options {
            assert_ne!(o.text, "Residents", "{e:#?}");
        }
    }
    // "Officials … say repairs could take three months": the same weak kind of cue, with what
    // they say after it, is their claim.
    let anon = ex
        .iter()
        .find(|e| e.kind == ExerciseKind::AnonymousSources)
        .expect("an anonymous-sources exercise");
    assert_eq!(
        key_shown(anon),
        vec!["Officials speaking to reporters say repairs could take three months."],
        "{anon:#?}"
    );
}

const QA: &str = "The harbour master on the storm: an interview

The harbour at Wenlow reopened on Monday after a storm damaged its outer wall in March. Repairs cost the town council about two million pounds to complete.

Mary Hale has run the harbour for eleven years. She spoke to us in an interview at her office on the quay.

Was the wall really in danger of collapse?

It was badly cracked along most of its length. I think another storm would certainly have brought the whole wall down. Sadly, the council waited far too long before acting.

Some fishermen say the work took far too long. Do you agree with them?

I understand their frustration, but the divers could only work in calm weather. It is a terrible shame that the whole summer season was lost to the town.
";

#[test]
fn lines_of_questions_and_answers_are_never_keyed_as_the_writers_even_when_read_as_prose() {
    let mut a = crate::analysis::analyze(QA);
    // An analysis that misreads the transcript as an opinion piece.
    a.genre = crate::analysis::Genre::Opinion;
    a.genre_confidence = 0.85;
    let h = hash(QA);
    let ex = generate(&ArticleRef {
        content_hash: &h,
        title: &a.title,
        text: QA,
        analysis: &a,
    });
    let turns = QA.find("Was the wall").unwrap();
    let turns = QA[..turns].chars().count();
    // The interviewee's "I think …" and "It is a terrible shame …" are not the writer's view,
    // and no question asks how to check the writer's claim on a line of the interview.
    assert!(
        ex.iter().all(|e| e.kind != ExerciseKind::AuthorOpinion),
        "{ex:#?}"
    );
    // Nor is the piece offered as the opinion piece the analysis took it for.
    assert!(ex.iter().all(|e| e.kind != ExerciseKind::PieceType), "{ex:#?}");
    for e in ex.iter().filter(|e| e.kind == ExerciseKind::Reflection) {
        if e.content.prompt.starts_with("The writer") {
            let p = e.content.passage.as_ref().expect("a passage");
            assert!(p.start < turns, "{e:#?}");
        }
    }
    // The introduction is still the writer's: a claim there may be asked about.
    assert!(
        ex.iter().any(|e| e.kind == ExerciseKind::Reflection
            && e.content.passage.as_ref().is_some_and(|p| p.start < turns)),
        "{ex:#?}"
    );
}
