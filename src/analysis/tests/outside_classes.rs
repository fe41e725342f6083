//! Classes of error met on outside news (reports, wire copy, columns), each with sentences of
//! our own making: typewriter quotation marks, verbs of action that report nothing, members of
//! a named body, an unnamed role the article names later.

use super::*;

fn story(body: &str) -> Analysis {
    analyze(&format!("A headline\n\n{body}\n"))
}

#[test]
fn two_apostrophes_quote_like_double_quotation_marks() {
    let a = story("''We are not leaving,'' said a woman who lives on the block.");
    let at = find(&a, "a woman", "said");
    assert_eq!(
        at.content.as_ref().map(|c| c.text.as_str()),
        Some("''We are not leaving,''")
    );
    assert_eq!(at.quote, QuoteType::Direct);
    // A quotation over two sentences after a colon keeps both.
    let a = story("The foreman said: ''The river is too high. We will stay on the roof.''");
    let at = find(&a, "The foreman", "said");
    assert_eq!(
        at.content.as_ref().map(|c| c.text.as_str()),
        Some("''The river is too high. We will stay on the roof.''")
    );
    assert_eq!(at.quote, QuoteType::Direct);
    // Single apostrophes stay apostrophes.
    let a = story("The farmers' union said the harvest was late.");
    assert_eq!(find(&a, "union", "said").quote, QuoteType::Indirect);
}

#[test]
fn verbs_of_action_before_an_infinitive_report_nothing() {
    for body in [
        "The police decided to close the road after the flood.",
        "Local politicians have sought to capitalise on the strike.",
        "The board voted to shut the clinic in March.",
        "Rescuers tried to reach the village before dark.",
        "Residents planned to march on the town hall.",
    ] {
        let a = story(body);
        assert!(a.attributions.is_empty(), "{body:?}: {:#?}", a.attributions);
    }
    // Before a "that"-clause the same verbs still report.
    let a = story("The judges decided that the ban was lawful.");
    let at = find(&a, "The judges", "decided");
    assert_eq!(
        at.content.as_ref().map(|c| c.text.as_str()),
        Some("that the ban was lawful")
    );
}

#[test]
fn the_members_of_a_named_body_are_the_body() {
    let a = story(
        "The members of the Harbour Commission decided by five votes to two that the pier would close.",
    );
    let at = find(&a, "members of the Harbour Commission", "decided");
    assert_eq!(
        at.source.as_ref().map(|s| s.kind),
        Some(SourceKind::NamedOrganization)
    );
    // Some of its members, or members of an unnamed body, stay unnamed.
    for (body, src) in [
        (
            "Some members of the Harbour Commission said the pier would close.",
            "Some members",
        ),
        ("Members of the commission said the pier would close.", "Members"),
    ] {
        let a = story(body);
        let at = find(&a, src, "said");
        assert!(
            at.source.as_ref().is_some_and(|s| s.kind.is_unnamed()),
            "{body:?}: {:?}",
            at.source
        );
    }
}

#[test]
fn an_unnamed_role_the_article_names_later_is_that_person() {
    let a = story(
        "A coast guard boat sank near the harbour on Monday.\n\n\
         A Frontex spokesman said the crew had been rescued.\n\n\
         \"All six are safe and in hospital,\" said spokesman Tomas Lindqvist.",
    );
    let at = find(&a, "A Frontex spokesman", "said");
    assert_eq!(at.source.as_ref().map(|s| s.kind), Some(SourceKind::NamedPerson));
    let lindqvist = find(&a, "Tomas Lindqvist", "said");
    assert_eq!(at.entity, lindqvist.entity);
    // A holder named for another body, or a plain "a spokesman", is someone else.
    for body in [
        "A Frontex spokesman said the crew had been rescued.\n\n\
         \"All six are safe,\" said Navy spokesman Tomas Lindqvist.",
        "A spokesman said the crew had been rescued.\n\n\
         \"All six are safe,\" said spokesman Tomas Lindqvist.",
    ] {
        let a = story(body);
        let first = a
            .attributions
            .iter()
            .find(|x| x.source.as_ref().is_some_and(|s| s.text.ends_with("spokesman")))
            .unwrap_or_else(|| panic!("{body:?}: {:#?}", a.attributions));
        assert!(
            first.source.as_ref().is_some_and(|s| s.kind.is_unnamed()),
            "{body:?}: {:?}",
            first.source
        );
    }
}

#[test]
fn the_person_told_is_never_the_speaker() {
    let a = story(
        "A senior campaign adviser, Rosa Delgado, tells reporters that the race is tighter than the polls say.",
    );
    let at = find(&a, "Rosa Delgado", "tells");
    assert_eq!(
        at.content.as_ref().map(|c| c.text.as_str()),
        Some("that the race is tighter than the polls say")
    );
    let a = story("“We have the votes,” Okonkwo, who chairs the panel, told reporters in Lagos.");
    let at = find(&a, "Okonkwo", "told");
    assert_eq!(
        at.content.as_ref().map(|c| c.text.as_str()),
        Some("“We have the votes,”")
    );
    assert!(
        !a.attributions
            .iter()
            .any(|x| x.source.as_ref().is_some_and(|s| s.text.contains("reporters"))),
        "{:#?}",
        a.attributions
    );
}

#[test]
fn a_thing_attacked_in_the_passive_is_no_report() {
    for body in [
        "A delivery van parked outside the depot was attacked by a crowd on Friday night.",
        "The convoy was attacked by gunmen near the border.",
    ] {
        let a = story(body);
        assert!(a.attributions.is_empty(), "{body:?}: {:#?}", a.attributions);
    }
    // A listed reporting verb keeps its passive report.
    let a = story("The figures were disputed by the drivers' union on Monday.");
    let at = find(&a, "the drivers' union", "disputed");
    assert!(at.source.is_some());
}

#[test]
fn what_the_public_in_general_thinks_is_the_writers_claim() {
    // A column's generalisations about a part of the public: no one is a source, so no
    // anonymous source for the exercise.
    for body in [
        "Yet many men who dislike the new rules wrongly believe that other men like them.",
        "Most students saw the new timetable as a burden.",
        "Millions of Canadians want a quieter kind of politics.",
        "Fans who follow the club closely fear that the stadium will be sold.",
    ] {
        let a = story(body);
        assert!(
            !a.attributions
                .iter()
                .any(|x| x.source.as_ref().is_some_and(|s| s.kind.is_unnamed())),
            "{body:?}: {:#?}",
            a.attributions
        );
    }
    // People who speak are sources, and so are particular people who hold a view.
    let a = story("Many voters say the bridge should have been built years ago.");
    assert_eq!(
        find(&a, "Many voters", "say").source.as_ref().map(|s| s.kind),
        Some(SourceKind::UnnamedGroup)
    );
    let a = story("Officials believe the dam will hold through the winter.");
    assert_eq!(
        find(&a, "Officials", "believe").source.as_ref().map(|s| s.kind),
        Some(SourceKind::UnnamedGroup)
    );
}

#[test]
fn an_infinitive_cue_after_an_adverb_has_no_subject_of_its_own() {
    let a =
        story("The mayor said she will meet the families of the victims to personally express her sorrow.");
    assert!(
        !a.attributions.iter().any(|x| x.cue.text == "express"),
        "{:#?}",
        a.attributions
    );
    assert!(find(&a, "The mayor", "said").source.is_some());
}

#[test]
fn a_quantity_word_heads_its_phrase() {
    let a = story("Many on the left claim that the reform started to fail in 2016.");
    let at = find(&a, "Many on the left", "claim");
    assert_eq!(at.source.as_ref().map(|s| s.kind), Some(SourceKind::UnnamedGroup));
    let a = story("Some in the party argue that the leader should resign.");
    let at = find(&a, "Some in the party", "argue");
    assert_eq!(at.source.as_ref().map(|s| s.kind), Some(SourceKind::UnnamedGroup));
}

#[test]
fn supporters_of_a_named_person_are_an_unnamed_group() {
    let a = story("In recent days, loyal supporters of Okafor have protested that the verdict was unjust.");
    let at = find(&a, "supporters of Okafor", "protested");
    assert_eq!(at.source.as_ref().map(|s| s.kind), Some(SourceKind::UnnamedGroup));
    assert!(
        at.content
            .as_ref()
            .is_some_and(|c| c.text.contains("the verdict was unjust")),
        "{at:#?}"
    );
}

#[test]
fn agreeing_or_struggling_to_act_reports_nothing() {
    for body in [
        "In June, the rebel forces agreed to withdraw from the valley.",
        "Worried parents may struggle to keep the schools open.",
    ] {
        let a = story(body);
        assert!(a.attributions.is_empty(), "{body:?}: {:#?}", a.attributions);
    }
    let a = story("The two sides agreed that the talks would resume in May.");
    assert!(find(&a, "The two sides", "agreed").content.is_some());
}

#[test]
fn a_noun_of_an_act_or_finding_is_no_person() {
    let a = story("As a student, I attended a campus presentation describing the risks of the new drug.");
    assert!(
        !a.attributions
            .iter()
            .any(|x| x.source.as_ref().is_some_and(|s| s.kind.is_unnamed())),
        "{:#?}",
        a.attributions
    );
    let a = story("An internal assessment concluded that the bridge was unsafe.");
    let at = find(&a, "An internal assessment", "concluded");
    assert_eq!(at.source.as_ref().map(|s| s.kind), Some(SourceKind::Document));
}

#[test]
fn an_aside_between_subject_and_verb_leaves_the_subject() {
    let a = story("Insiders in the next two states — Ohio and Utah — said the race is still open.");
    let at = find(&a, "Insiders in the next two states", "said");
    assert_eq!(at.source.as_ref().map(|s| s.kind), Some(SourceKind::UnnamedGroup));
    let a = story("Veterans at the rally, including Mr. Jebens, said they had no problem with the plan.");
    let at = find(&a, "Veterans at the rally", "said");
    assert_eq!(at.source.as_ref().map(|s| s.kind), Some(SourceKind::UnnamedGroup));
}

#[test]
fn british_spellings_are_the_same_cues_and_heads() {
    let a = story("Aid groups criticised the plan on Monday.");
    let at = find(&a, "Aid groups", "criticised");
    assert_eq!(at.source.as_ref().map(|s| s.kind), Some(SourceKind::UnnamedGroup));
    let a = story("The plan was criticised by officials in the capital.");
    let at = find(&a, "officials", "criticised");
    assert_eq!(at.source.as_ref().map(|s| s.kind), Some(SourceKind::UnnamedGroup));
    let a = story("One monitoring organisation reported that 300 homes had burned.");
    let at = find(&a, "One monitoring organisation", "reported");
    assert_eq!(
        at.source.as_ref().map(|s| s.kind),
        Some(SourceKind::NamedOrganization)
    );
}

#[test]
fn a_stance_word_before_by_is_a_passive() {
    // "was opposed by": the patient holds no view, whatever the agent does.
    let a = story("The measure was opposed by several unions.");
    assert!(
        !a.attributions
            .iter()
            .any(|x| x.source.as_ref().is_some_and(|s| s.text == "The measure")),
        "{:#?}",
        a.attributions
    );
    let a = story("Officials are opposed to the measure.");
    assert!(find(&a, "Officials", "opposed").source.is_some());
}

#[test]
fn uses_of_reporting_words_that_report_nothing() {
    for body in [
        // A judgement of difficulty, and an infinitive shared over "and".
        "In such a climate, witnesses find it hard to come forward and testify.",
        // A phrasal verb.
        "The goalkeeper did not show up to the training session on Monday.",
        // A noun after a preposition and a quantity word.
        "The fund was built from earlier pledges by many states to the relief agency.",
        // A number or a decade is no speaker.
        "The floods of the 1970s shocked the farming towns of the valley.",
        // A reduced passive.
        "The man believed to be behind the leak works for the finance ministry.",
        // The object of a verb before an infinitive holds no view.
        "The task is not to change the rule. It's getting people to see what it already is.",
        // Coming to know, and what someone would allow.
        "Over 50 men on a group chat learned about the fight as it happened.",
        "The deal lets foreign investigators question officials in the capital.",
    ] {
        let a = story(body);
        assert!(a.attributions.is_empty(), "{body:?}: {:#?}", a.attributions);
    }
    // The same words report when they do.
    let a = story("Investigators found that the brakes had failed.");
    assert!(find(&a, "Investigators", "found").content.is_some());
    let a = story("The villagers testified that the soldiers came at night.");
    assert_eq!(
        find(&a, "The villagers", "testified")
            .source
            .as_ref()
            .map(|s| s.kind),
        Some(SourceKind::UnnamedGroup)
    );
    let a = story("Most residents believe the dam will hold.");
    assert_eq!(
        find(&a, "Most residents", "believe")
            .source
            .as_ref()
            .map(|s| s.kind),
        Some(SourceKind::UnnamedGroup)
    );
}

#[test]
fn an_unnamed_group_carrying_out_an_act_takes_no_stand() {
    let a = story("Under the plan, municipal governments carry out a shared agenda with the state.");
    assert!(a.attributions.is_empty(), "{:#?}", a.attributions);
}

#[test]
fn a_phrase_with_a_dotted_abbreviation_stays_whole() {
    let a = story("Voting systems are secure, according to senior U.S. officials who spoke on Monday.");
    let at = find(&a, "senior U.S. officials", "according to");
    assert_eq!(at.source.as_ref().map(|s| s.kind), Some(SourceKind::UnnamedGroup));
}

#[test]
fn who_refers_to_the_object_of_the_last_preposition_unless_it_names_people() {
    let a = story(
        "The order marks a shift in position for Trump, who has repeatedly said he wanted fewer troops.",
    );
    let at = find(&a, "who", "said");
    let src = at.source.as_ref().unwrap();
    assert_eq!(src.refers_to.as_ref().map(|r| r.text.as_str()), Some("Trump"));
    assert!(!src.kind.is_unnamed());
    let a = story("The decision angered a spokesman for the city, who said the council had not been told.");
    let at = find(&a, "who", "said");
    let src = at.source.as_ref().unwrap();
    assert_eq!(
        src.refers_to.as_ref().map(|r| r.text.as_str()),
        Some("a spokesman for the city")
    );
    assert_eq!(src.kind, SourceKind::UnnamedPerson);
}

#[test]
fn a_role_called_by_a_name_is_that_person() {
    let a = story("A member of the national rowing team called Anna Berg said the boats were late.");
    let at = find(&a, "Anna Berg", "said");
    assert_eq!(at.source.as_ref().map(|s| s.kind), Some(SourceKind::NamedPerson));
    let a = story("A member of the national rowing team called Anna Berg did not attend the hearing.");
    assert!(
        a.attributions
            .iter()
            .all(|x| x.source.as_ref().is_none_or(|s| !s.kind.is_unnamed())),
        "{:#?}",
        a.attributions
    );
}

#[test]
fn shares_audiences_and_people_of_a_named_body_are_unnamed_groups() {
    for (body, src) in [
        (
            "Only about 4 in 10 Republican voters in each state said they backed the plan.",
            "Only about 4 in 10",
        ),
        (
            "Some 56 percent of Cuban-Americans polled said the embargo should end.",
            "Some 56 percent",
        ),
        (
            "Some 20 percent of people in a recent CNN/ORC poll said they would stay home.",
            "CNN/ORC poll",
        ),
        (
            "By 58%-33%, those surveyed said the tax should rise.",
            "those surveyed",
        ),
        ("The crowd shouted that the vote was rigged.", "The crowd"),
        (
            "Both sides acknowledged that the talks had stalled.",
            "Both sides",
        ),
        (
            "Fellow GOP presidential hopefuls said the plan was a mistake.",
            "hopefuls",
        ),
    ] {
        let a = story(body);
        let at = a
            .attributions
            .iter()
            .find(|x| x.source.as_ref().is_some_and(|s| s.text.contains(src)))
            .unwrap_or_else(|| panic!("{body:?}: {:#?}", a.attributions));
        assert_eq!(
            at.source.as_ref().map(|s| s.kind),
            Some(SourceKind::UnnamedGroup),
            "{body:?}"
        );
    }
    // Both people the article named stay named; the organisation itself stays one; a work by
    // a named body is a document.
    let a = story("Both senators said the bill would pass.");
    assert_eq!(
        find(&a, "Both senators", "said").source.as_ref().map(|s| s.kind),
        Some(SourceKind::NamedPerson)
    );
    let a = story("The GOP said the bill would pass.");
    assert_eq!(
        find(&a, "The GOP", "said").source.as_ref().map(|s| s.kind),
        Some(SourceKind::NamedOrganization)
    );
    let a = story("The Justice Department's own published guidelines describe the rule as binding.");
    assert_eq!(
        find(&a, "guidelines", "describe").source.as_ref().map(|s| s.kind),
        Some(SourceKind::Document)
    );
}
