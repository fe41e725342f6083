//! Anonymous sourcing as the press writes it: each construction of the issue in its own test.

use super::*;

/// Anonymous sourcing as the press writes it: each construction gives an unnamed source
/// with the phrase that marks it as evidence.
fn anonymous(body: &str, src: &str, evidence: &str) {
    let a = analyze(&format!("A headline\n\n{body}\n"));
    let at = a
        .attributions
        .iter()
        .find(|x| x.source.as_ref().is_some_and(|s| s.text.contains(src)))
        .unwrap_or_else(|| panic!("no source {src:?} in {body:?}: {:#?}", a.attributions));
    let s = at.source.as_ref().map(|s| (s.text.as_str(), s.kind));
    assert!(s.is_some_and(|(_, k)| k.is_unnamed()), "{body:?}: {s:?}");
    let ev = at.anonymity.as_ref().map(|e| e.text.as_str()).unwrap_or("");
    assert!(
        ev.contains(evidence),
        "{body:?}: evidence {ev:?}, wanted {evidence:?}"
    );
    let e = &a.entities[at.entity.expect("entity")];
    assert!(e.kind.is_unnamed() && e.anonymity.is_some(), "{e:?}");
}

#[test]
fn anonymity_not_authorized() {
    anonymous(
        "A city official who was not authorized to speak publicly said the budget was short.",
        "A city official",
        "not authorized to speak publicly",
    );
}

#[test]
fn anonymity_condition_of_anonymity() {
    anonymous(
        "The plan is dead, said one diplomat, who spoke on condition of anonymity.",
        "one diplomat",
        "on condition of anonymity",
    );
    anonymous(
        "An aide, speaking on the condition of anonymity, said the vote would slip.",
        "An aide",
        "on the condition of anonymity",
    );
}

#[test]
fn anonymity_asked_not_to_be_named() {
    anonymous(
        "A resident who asked not to be named said the water was brown.",
        "A resident",
        "asked not to be named",
    );
    anonymous(
        "A teacher who asked not to be identified told the paper that classes were cancelled.",
        "A teacher",
        "asked not to be identified",
    );
}

#[test]
fn anonymity_familiar_with_the_matter() {
    anonymous(
        "A person familiar with the matter said the deal was close.",
        "A person familiar with the matter",
        "familiar with the matter",
    );
}

#[test]
fn anonymity_briefed_on_the_talks() {
    anonymous(
        "People briefed on the talks said the sides were far apart.",
        "People briefed on the talks",
        "briefed on the talks",
    );
}

#[test]
fn anonymity_according_to_sources() {
    anonymous(
        "The company will close, according to sources.",
        "sources",
        "sources",
    );
}

#[test]
fn anonymity_senior_administration_official() {
    anonymous(
        "A senior administration official said the plan would change.",
        "A senior administration official",
        "senior administration official",
    );
}

#[test]
fn anonymity_two_officials_said() {
    anonymous(
        "Two officials said the talks had failed.",
        "Two officials",
        "Two officials",
    );
}

#[test]
fn anonymity_the_source_told() {
    anonymous(
        "The move was planned for weeks, the source told Reuters.",
        "the source",
        "the source",
    );
}

#[test]
fn anonymity_aides_say() {
    anonymous("The governor is furious, aides say.", "aides", "aides");
}

#[test]
fn anonymity_spokesperson_declined_to_be_named() {
    anonymous(
        "A spokesperson, who declined to be named, said the store would reopen.",
        "A spokesperson",
        "declined to be named",
    );
}
