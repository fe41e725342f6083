//! The seed articles a teacher would check: sources and kinds, relayed claims, opinion, clutter,
//! and the interview.

use super::*;

fn seed(n: &str) -> &'static str {
    match n {
        "000" => include_str!("../../../seeds/000_9a35427c4e6943e7.txt"),
        "001" => include_str!("../../../seeds/001_0a5197380f058e42.txt"),
        _ => include_str!("../../../seeds/003_be4cf3f2cab0475a.txt"),
    }
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
