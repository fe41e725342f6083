//! What a teacher sees of sources: kinds, anonymity, documents, noun-phrase boundaries,
//! reporting cues and one entity per source.

use super::*;

fn story(body: &str) -> Analysis {
    analyze(&format!("A headline\n\n{body}\n"))
}

/// The attribution whose source text contains `src` and whose cue is `cue`.
fn by_source<'a>(a: &'a Analysis, src: &str, cue: &str) -> &'a Attribution {
    a.attributions
        .iter()
        .find(|x| x.cue.text == cue && x.source.as_ref().is_some_and(|s| s.text.contains(src)))
        .unwrap_or_else(|| panic!("no source {src:?} with cue {cue:?}: {:#?}", a.attributions))
}

fn source_of(body: &str, src: &str, cue: &str) -> (String, SourceKind) {
    let a = story(body);
    let s = by_source(&a, src, cue)
        .source
        .as_ref()
        .map(|s| (s.text.clone(), s.kind));
    s.unwrap_or_else(|| panic!("{body:?}: no source"))
}

fn cues(body: &str) -> Vec<String> {
    story(body)
        .attributions
        .iter()
        .map(|x| x.cue.text.clone())
        .collect()
}

#[test]
fn documents_are_typed_document() {
    for (body, src, cue) in [
        (
            "A memo obtained by the paper shows the budget was cut.",
            "A memo obtained by the paper",
            "shows",
        ),
        (
            "A budget memo obtained by the paper said the plan was late.",
            "A budget memo",
            "said",
        ),
        ("Records show the mayor spent more.", "Records", "show"),
        ("Court filings say the firm lied.", "Court filings", "say"),
        (
            "The report found that the water was unsafe.",
            "The report",
            "found",
        ),
        (
            "The pool will close, according to a statement.",
            "a statement",
            "according to",
        ),
        (
            "Data from the census show the town shrank.",
            "Data from the census",
            "show",
        ),
        (
            "Recent reviews have found that the drug works.",
            "Recent reviews",
            "found",
        ),
    ] {
        let (text, kind) = source_of(body, src, cue);
        assert_eq!(kind, SourceKind::Document, "{body:?}: {text:?}");
        assert!(text.starts_with(src), "{body:?}: {text:?}");
    }
}

#[test]
fn sentence_initial_groups_are_unnamed() {
    for (body, src, cue) in [
        ("Officials said the talks would resume.", "Officials", "said"),
        ("Many voters say the plan is bad.", "Many voters", "say"),
        (
            "Critics of the mayor argue that he lied.",
            "Critics of the mayor",
            "argue",
        ),
        (
            "Local fishermen report that the catch fell.",
            "Local fishermen",
            "report",
        ),
        ("Police said the road was closed.", "Police", "said"),
        (
            "The road was closed, according to police.",
            "police",
            "according to",
        ),
        (
            "Authorities are also concerned that the dam may break.",
            "Authorities",
            "concerned",
        ),
        (
            "Many nations made statements after the decision.",
            "Many nations",
            "made statements",
        ),
    ] {
        let (text, kind) = source_of(body, src, cue);
        assert_eq!(kind, SourceKind::UnnamedGroup, "{body:?}: {text:?}");
    }
    // A name with a group word in it stays a name.
    let (_, kind) = source_of(
        "The killings were condemned by the United Nations.",
        "United Nations",
        "condemned",
    );
    assert_eq!(kind, SourceKind::NamedOrganization);
}

#[test]
fn names_titles_and_coordination_stay_whole() {
    let (text, kind) = source_of(
        "Treasury Department spokeswoman Ana Ruiz said the plan was late.",
        "Ana Ruiz",
        "said",
    );
    assert_eq!(
        (text.as_str(), kind),
        (
            "Treasury Department spokeswoman Ana Ruiz",
            SourceKind::NamedPerson
        )
    );
    let (text, kind) = source_of(
        "Dr. Lee and colleagues found that the drug worked.",
        "Lee",
        "found",
    );
    assert_eq!(
        (text.as_str(), kind),
        ("Dr. Lee and colleagues", SourceKind::NamedPerson)
    );
    let (text, kind) = source_of(
        "The Committee on Energy and Commerce said the bill failed.",
        "Commerce",
        "said",
    );
    assert_eq!(
        (text.as_str(), kind),
        (
            "The Committee on Energy and Commerce",
            SourceKind::NamedOrganization
        )
    );
    // An apposition that names the speaker makes a named person, also after "and" in a name.
    let (text, kind) = source_of(
        "“The fire is out,” said a spokesman for the Cumbria Fire and Rescue squad, Brian Mitchelhill.",
        "spokesman",
        "said",
    );
    assert_eq!(kind, SourceKind::NamedPerson, "{text}");
    assert!(text.ends_with("Brian Mitchelhill"), "{text}");
    let (text, kind) = source_of(
        "“It swayed,” said a BBC executive, Caroline Thomson.",
        "executive",
        "said",
    );
    assert_eq!(
        (text.as_str(), kind),
        ("a BBC executive, Caroline Thomson", SourceKind::NamedPerson)
    );
}

#[test]
fn sources_are_noun_phrases_never_clauses() {
    let a = story("The film might show the dictator saying that he was wrong.");
    assert!(
        a.attributions
            .iter()
            .filter_map(|x| x.source.as_ref())
            .all(|s| !s.text.contains("might show")),
        "{:#?}",
        a.attributions
    );
    // A participle clause after an object is the subject's: "wrote directly to fans".
    let a = story("The chairman wrote directly to fans insisting that the club was innocent.");
    let at = by_source(&a, "chairman", "insisting");
    assert_eq!(at.source.as_ref().map(|s| s.text.as_str()), Some("The chairman"));
}

#[test]
fn reporting_verbs_and_others() {
    let found = cues(
        "The minister is denying the report. The mayor divulged that the plan failed. \
         The aide confirmed to reporters that the vote slipped. The firm acknowledged that it erred. \
         Ministry sources have disputed the claims. Tech experts are now warning that it may fail.",
    );
    for cue in [
        "denying",
        "divulged",
        "confirmed",
        "acknowledged",
        "disputed",
        "warning",
    ] {
        assert!(found.iter().any(|c| c == cue), "{cue}: {found:?}");
    }
    let none = story(
        "He continued to work. They tried to explain. The senator has a plan. The talks continued on Monday. \
         She sat there, wondering about it.",
    );
    assert!(none.attributions.is_empty(), "{:#?}", none.attributions);
}

#[test]
fn participles_and_names_that_report_nothing() {
    for body in [
        "Articles presented on the site reflect the time at which they were written.",
        "A decree issued by the former president was unconstitutional.",
        "Note that some listed sources may no longer be online.",
        "There has only been one documented major outbreak.",
        "The plague causes swelling (called buboes) in the lymph nodes.",
        "The students had a day to write a program. They called it myBivy.",
        "A suicide car bomber has attacked government offices.",
    ] {
        let a = story(body);
        assert!(a.attributions.is_empty(), "{body:?}: {:#?}", a.attributions);
    }
    // The perfect and the passive keep their cues.
    let found = cues("The agency has issued a warning that the river will flood.");
    assert!(found.iter().any(|c| c == "issued"), "{found:?}");
}

#[test]
fn anonymity_evidence_by_construction() {
    for (body, src, evidence) in [
        (
            "A city official who was not authorized to speak publicly said the budget was short.",
            "A city official",
            "not authorized to speak publicly",
        ),
        (
            "The talks have stalled, said a senior official, who spoke on condition of anonymity.",
            "a senior official",
            "on condition of anonymity",
        ),
        (
            "A resident who asked not to be named said the water was brown.",
            "A resident",
            "asked not to be named",
        ),
        (
            "A person familiar with the matter said the deal was close.",
            "A person familiar with the matter",
            "familiar with the matter",
        ),
        (
            "People briefed on the talks said the sides were far apart.",
            "People briefed on the talks",
            "briefed on the talks",
        ),
        (
            "The company will close, according to sources.",
            "sources",
            "sources",
        ),
        (
            "A senior administration official said the plan would change.",
            "A senior administration official",
            "senior administration official",
        ),
        (
            "Two officials said the talks had failed.",
            "Two officials",
            "Two officials",
        ),
        (
            "The move was planned for weeks, the source told Reuters.",
            "the source",
            "the source",
        ),
        ("The governor is furious, aides say.", "aides", "aides"),
        (
            "A spokesperson, who declined to be named, said the store would reopen.",
            "A spokesperson",
            "declined to be named",
        ),
        (
            "Officials speaking to the AP blamed recent rains.",
            "Officials speaking to the AP",
            "Officials speaking to the AP",
        ),
    ] {
        let a = story(body);
        let at = a
            .attributions
            .iter()
            .find(|x| x.source.as_ref().is_some_and(|s| s.text.contains(src)))
            .unwrap_or_else(|| panic!("no source {src:?} in {body:?}: {:#?}", a.attributions));
        let kind = at.source.as_ref().map(|s| s.kind);
        assert!(kind.is_some_and(SourceKind::is_unnamed), "{body:?}: {kind:?}");
        let ev = at.anonymity.as_ref().map_or("", |e| e.text.as_str());
        assert!(
            ev.contains(evidence),
            "{body:?}: evidence {ev:?}, wanted {evidence:?}"
        );
        let e = &a.entities[at.entity.expect("entity")];
        assert!(e.kind.is_unnamed() && e.anonymity.is_some(), "{e:?}");
    }
}

/// The entity holding the attribution whose source contains `src`.
fn entity_of<'a>(a: &'a Analysis, src: &str) -> &'a Entity {
    let at = a
        .attributions
        .iter()
        .find(|x| x.source.as_ref().is_some_and(|s| s.text.contains(src)))
        .unwrap_or_else(|| panic!("no source {src:?}: {:#?}", a.attributions));
    &a.entities[at.entity.expect("entity")]
}

#[test]
fn aliases_within_an_article_are_one_source() {
    let a = story(
        "Finance Minister Carlos Ruiz said the budget was late. Mr. Ruiz told reporters the office would wait. \
         The minister acknowledged that it failed.\n\n\
         The city's transit authority (Metro) said fares would rise. Metro said the rise would come in May. \
         The authority said it regretted the rise.",
    );
    let ruiz = entity_of(&a, "Carlos Ruiz");
    let texts: Vec<&str> = ruiz.mentions.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(
        texts,
        ["Finance Minister Carlos Ruiz", "Mr. Ruiz", "The minister"]
    );
    let metro = entity_of(&a, "transit authority");
    assert_eq!(metro.kind, SourceKind::NamedOrganization);
    let texts: Vec<&str> = metro.mentions.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["The city's transit authority", "Metro", "The authority"]);
    // Every attribution of one source points at the same entity, so an exercise lists it once.
    let ids: std::collections::BTreeSet<usize> = a.attributions.iter().filter_map(|x| x.entity).collect();
    assert_eq!(ids.len(), 2, "{:#?}", a.entities);

    // A definite role description is the one named holder of that role nearby, not an
    // anonymous source.
    let a = story(
        "The agency's spokesman said the fire was out.\n\n“We are still assessing it,” said spokesman John Miller.",
    );
    let e = entity_of(&a, "The agency's spokesman");
    assert_eq!(e.kind, SourceKind::NamedPerson);
    assert!(e.name.text.contains("John Miller"), "{e:?}");
    // "A friend" introduces someone new: it stays an unnamed person of its own.
    let a = story("“He was kind,” a friend said. “He was my friend,” said his friend John Miller.");
    let e = entity_of(&a, "a friend");
    assert!(e.kind.is_unnamed() && e.mentions.len() == 1, "{e:?}");
    // An anonymous source keeps its anonymity even when someone with its role is named.
    let a = story(
        "A spokesman, who declined to be named, said the plant would close. Spokesman John Miller said it would not.",
    );
    let e = entity_of(&a, "A spokesman");
    assert!(e.kind.is_unnamed() && e.anonymity.is_some(), "{e:?}");
}

#[test]
fn shares_members_and_reactions_are_unnamed() {
    for (body, src, cue, kind) in [
        (
            "Thirty percent said the party had changed.",
            "Thirty percent",
            "said",
            SourceKind::UnnamedGroup,
        ),
        (
            "Two in three said they would vote.",
            "Two in three",
            "said",
            SourceKind::UnnamedGroup,
        ),
        (
            "“It is close,” said a New Hampshire Republican.",
            "New Hampshire Republican",
            "said",
            SourceKind::UnnamedPerson,
        ),
        (
            "“She was kind,” her friend said.",
            "her friend",
            "said",
            SourceKind::UnnamedPerson,
        ),
        (
            "The plan drew harsh criticism from local business owners.",
            "local business owners",
            "criticism",
            SourceKind::UnnamedGroup,
        ),
        (
            "Campaign officials were thrilled with the editorial.",
            "Campaign officials",
            "thrilled",
            SourceKind::UnnamedGroup,
        ),
        (
            "Both said the talks had failed.",
            "Both",
            "said",
            SourceKind::NamedPerson,
        ),
        (
            "On Monday, Mr. Trump and his attorneys said the case was weak.",
            "Trump and his attorneys",
            "said",
            SourceKind::NamedPerson,
        ),
    ] {
        let (text, got) = source_of(body, src, cue);
        assert_eq!(got, kind, "{body:?}: {text:?}");
    }
}
