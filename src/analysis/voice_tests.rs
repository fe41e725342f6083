//! Tests of the writer's-voice layer as a reader meets it: hedges read with case and sense,
//! transcripts and prose interviews, page furniture, acronyms that look like pronouns.

use super::*;

fn hedge_words(text: &str) -> Vec<String> {
    analyze(text).hedges.into_iter().map(|m| m.text).collect()
}

fn voice_of(a: &Analysis, needle: &str) -> Voice {
    a.sentences
        .iter()
        .find(|s| s.text.contains(needle))
        .map(|s| s.voice)
        .unwrap_or_else(|| panic!("no sentence with {needle:?}"))
}

#[test]
fn may_the_month_is_no_hedge() {
    let h = hedge_words("Budget vote set\n\nThe council will vote in May on the budget.\n");
    assert!(h.is_empty(), "{h:?}");
    let h = hedge_words("Budget vote set\n\nThe council may vote on the budget next week.\n");
    assert_eq!(h, vec!["may"]);
}

#[test]
fn concessive_might_is_no_hedge() {
    let h = hedge_words("A film review\n\nThe film might feature a famous star, but the story is thin.\n");
    assert!(h.is_empty(), "{h:?}");
    let h = hedge_words("A film review\n\nAlthough it may look calm, the city is tense.\n");
    assert!(h.is_empty(), "{h:?}");
    let h = hedge_words("Storm warning\n\nThe storm might reach the coast on Friday.\n");
    assert_eq!(h, vec!["might"]);
}

#[test]
fn us_the_country_is_not_the_writers_we() {
    let a = analyze("Trade figures\n\nThe strait carries about US$5 trillion in trade every year.\n");
    assert_eq!(voice_of(&a, "strait carries"), Voice::AuthorReport);
}

#[test]
fn speaker_labelled_transcript_is_an_interview() {
    let text = "Wikinews interviews curler Ana Ruiz\n\n\
        Wikinews interviewed Ana Ruiz about the games.\n\n\
        ((Wikinews)) How likely are you to be on the final team?\n\n\
        Ana Ruiz: I am very happy and I think we will be the team.\n\n\
        ((WN)) Were you happy with fourth place?\n\n\
        AR: I was happy with the way the team played.\n\n\
        ((WN)) What comes next?\n\n\
        AR: We will be training harder. I hope we win.\n";
    let a = analyze(text);
    assert_eq!(a.genre, Genre::Interview, "{:?}", a.genre_cues);
    // The interviewee's first person is hers, not the writer's.
    assert_eq!(voice_of(&a, "I hope we win"), Voice::Attributed);
    assert_eq!(voice_of(&a, "I am very happy"), Voice::Attributed);
    let src = a
        .attributions
        .iter()
        .find(|x| {
            x.content
                .as_ref()
                .is_some_and(|c| c.text.starts_with("I was happy"))
        })
        .and_then(|x| x.source.clone())
        .map(|s| s.text);
    assert_eq!(src.as_deref(), Some("AR"));
}

#[test]
fn labelled_lines_without_a_recurring_speaker_are_no_transcript() {
    let text = "Floods hit the valley\n\n\
        Photo: City archive.\n\n\
        Note: roads are closed.\n\n\
        Update: the river is falling.\n\n\
        The mayor said the water would recede by Friday.\n";
    assert_eq!(analyze(text).genre, Genre::NewsReport);
}

#[test]
fn prose_interview_is_an_interview() {
    let text = "Broken drain led to sinkhole\n\n\
        A sinkhole opened in the city on Monday.\n\n\
        Wikinews interviewed Eric Haddox, a civil engineer who visited the site.\n\n\
        Mr. Haddox told us that the hole is smaller than reported.\n";
    let a = analyze(text);
    assert_eq!(a.genre, Genre::Interview, "{:?}", a.genre_cues);
}

#[test]
fn sign_offs_notices_and_captions_are_clutter() {
    let text = "North Korea expels journalists\n\n\
        North Korea expelled three journalists on Monday.\n\n\
        Canada takes on Australia in wheelchair rugby\n\n\
        Image: Laura Hale.\n\n\
        I'm Mario Ritter.\n\n\
        We want to hear from you. Write to us in the Comments section.\n\n\
        Please note that due to our archival policy, we will not alter archived articles.\n";
    let a = analyze(text);
    let kinds: Vec<ClutterKind> = a.clutter.iter().map(|c| c.kind).collect();
    for k in [
        ClutterKind::Caption,
        ClutterKind::MediaCredit,
        ClutterKind::SignOff,
        ClutterKind::CallToAction,
        ClutterKind::Notice,
    ] {
        assert!(kinds.contains(&k), "{k:?} missing from {kinds:?}");
    }
    assert!(
        a.sentences.iter().all(|s| s.voice != Voice::AuthorOpinion),
        "{:?}",
        a.sentences
    );
}
