//! Beliefs, feelings and stands as attributions: "officials believe", "voters fear", "are
//! reluctant to", "parents have pushed for". Each construction in its own test, on invented
//! sentences; each checks the source phrase, its kind, the cue, the content and the type.

use super::*;

fn story(body: &str) -> Analysis {
    analyze(&format!("A headline\n\n{body}\n"))
}

/// The attribution with cue `cue`: its source text and kind, content text and type.
fn held(body: &str, cue: &str) -> (String, SourceKind, String, AttributionType) {
    let a = story(body);
    let at = a
        .attributions
        .iter()
        .find(|x| x.cue.text == cue)
        .unwrap_or_else(|| panic!("{body:?}: no cue {cue:?}: {:#?}", a.attributions));
    let (src, kind) = at
        .source
        .as_ref()
        .map(|s| (s.text.clone(), s.kind))
        .unwrap_or_else(|| panic!("{body:?}: cue {cue:?} has no source"));
    let content = at.content.as_ref().map(|c| c.text.clone()).unwrap_or_default();
    (src, kind, content, at.attribution_type)
}

fn no_cue(body: &str, cue: &str) {
    let a = story(body);
    assert!(
        !a.attributions.iter().any(|x| x.cue.text == cue),
        "{body:?}: {cue:?} taken as a cue: {:#?}",
        a.attributions
    );
}

#[test]
fn group_believes_a_clause() {
    let (src, kind, content, ty) = held(
        "Local officials believe the new bridge will not open before spring.",
        "believe",
    );
    assert_eq!(src, "Local officials");
    assert_eq!(kind, SourceKind::UnnamedGroup);
    assert_eq!(content, "the new bridge will not open before spring");
    assert_eq!(ty, AttributionType::Belief);
}

#[test]
fn negated_belief_keeps_its_holder() {
    let (src, kind, content, ty) = held("Farmers in the valley don't think the dam can hold.", "think");
    assert_eq!(src, "Farmers in the valley");
    assert_eq!(kind, SourceKind::UnnamedGroup);
    assert_eq!(content, "the dam can hold");
    assert_eq!(ty, AttributionType::Belief);
}

#[test]
fn fear_that() {
    let (src, kind, content, ty) = held("Many residents fear that the river will flood again.", "fear");
    assert_eq!(src, "Many residents");
    assert!(kind.is_unnamed(), "{kind:?}");
    assert!(content.contains("the river will flood again"), "{content:?}");
    assert_eq!(ty, AttributionType::Sentiment);
}

#[test]
fn want_an_object() {
    let (src, kind, content, ty) = held("Most shop owners want a later closing time.", "want");
    assert_eq!(src, "Most shop owners");
    assert!(kind.is_unnamed(), "{kind:?}");
    assert_eq!(content, "a later closing time");
    assert_eq!(ty, AttributionType::Sentiment);
}

#[test]
fn wonder_whether() {
    let (src, _, content, ty) = held("Some voters wonder whether the count will be fair.", "wonder");
    assert_eq!(src, "Some voters");
    assert!(content.contains("the count will be fair"), "{content:?}");
    assert_eq!(ty, AttributionType::Belief);
}

#[test]
fn reluctant_to() {
    let (src, kind, content, ty) = held(
        "Teachers at the school are reluctant to return to crowded classrooms.",
        "reluctant",
    );
    assert_eq!(src, "Teachers at the school");
    assert_eq!(kind, SourceKind::UnnamedGroup);
    assert!(content.contains("return to crowded classrooms"), "{content:?}");
    assert_eq!(ty, AttributionType::Sentiment);
}

#[test]
fn convinced_that() {
    let (src, _, content, ty) = held(
        "Several council members are convinced that the audit was rigged.",
        "convinced",
    );
    assert_eq!(src, "Several council members");
    assert!(content.contains("the audit was rigged"), "{content:?}");
    assert_eq!(ty, AttributionType::Belief);
}

#[test]
fn group_stance_by_act() {
    let (src, kind, content, ty) = held("Parents have pushed for a longer school day.", "pushed");
    assert_eq!(src, "Parents");
    assert_eq!(kind, SourceKind::UnnamedGroup);
    assert!(content.contains("a longer school day"), "{content:?}");
    assert_eq!(ty, AttributionType::Stance);
}

#[test]
fn speech_stays_speech() {
    let (_, _, _, ty) = held("The mayor said the road will close in May.", "said");
    assert_eq!(ty, AttributionType::Speech);
}

#[test]
fn a_supposition_holds_no_view() {
    no_cue(
        "If the city rejects the plan, the builders will leave.",
        "rejects",
    );
}

#[test]
fn the_writer_thinking_is_opinion_not_a_source() {
    no_cue("I think the council is wrong about the park.", "think");
}

#[test]
fn a_country_backing_a_side_is_no_view() {
    no_cue("Norway supports the rebels in the north.", "supports");
}

#[test]
fn a_participle_modifier_is_no_belief() {
    no_cue(
        "The long feared storm finally reached the coast on Monday.",
        "feared",
    );
}

#[test]
fn a_passive_belief_has_no_holder() {
    let a = story("The repairs are believed to cost millions.");
    assert!(
        a.attributions
            .iter()
            .all(|x| x.cue.text != "believed" || x.source.is_none()),
        "{:#?}",
        a.attributions
    );
}

#[test]
fn a_group_that_only_moves_takes_no_stand() {
    no_cue("Thousands of fans gathered outside the stadium.", "gathered");
    no_cue("Hundreds of voters waited outside the hall.", "waited");
}

#[test]
fn a_belief_inside_a_statement_keeps_the_speaker_of_the_next_cue() {
    let a = story(
        "The mayor said on Friday that she thinks the video should be released but said the timing matters.",
    );
    let said: Vec<_> = a
        .attributions
        .iter()
        .filter(|x| x.cue.text == "said")
        .map(|x| x.source.as_ref().map(|s| s.text.as_str()))
        .collect();
    assert_eq!(
        said,
        vec![Some("The mayor"), Some("The mayor")],
        "{:#?}",
        a.attributions
    );
    let thinks = a.attributions.iter().find(|x| x.cue.text == "thinks");
    assert_eq!(thinks.map(|x| x.attribution_type), Some(AttributionType::Belief));
}
