//! What a careful reader sees around a finding: a description named right after it or
//! elsewhere, a speaker who rejects what others say, a plain verb of saying.

use super::*;
use crate::analysis::{Genre, QuoteType, SourceKind};
use fixtures::Fx;

const BRIDGE: &str = "Old bridge falls into the river

Witnesses said the old bridge collapsed shortly after noon on Friday.

\"The whole deck just folded into the river,\" said a council spokesman, Mary Jones.

The bridge was built in 1932 and carried about four thousand cars a day across the river.

Hill says it is not true when people claim the town ignored the warnings.

Two officials said the inspection report had warned of cracks in the main supports.

The mayor, Tom Hill, said repairs had been planned for next year.
";

fn bridge() -> Fx {
    let mut fx = Fx::new(
        BRIDGE,
        Genre::NewsReport,
        &["statements are attributed to sources"],
    );
    fx.attr(
        "Witnesses said",
        Some(("Witnesses", SourceKind::UnnamedGroup)),
        "said",
        Some("the old bridge collapsed shortly after noon on Friday"),
        QuoteType::Indirect,
    );
    fx.attr(
        "\"The whole deck",
        Some(("a council spokesman", SourceKind::UnnamedPerson)),
        "said",
        Some("The whole deck just folded into the river"),
        QuoteType::Direct,
    );
    let hill = fx.attr(
        "Hill says it is not true",
        Some(("Hill", SourceKind::NamedPerson)),
        "says",
        Some("it is not true when people claim the town ignored the warnings"),
        QuoteType::Indirect,
    );
    let people = fx.attr(
        "Hill says it is not true",
        Some(("people", SourceKind::UnnamedGroup)),
        "claim",
        Some("the town ignored the warnings"),
        QuoteType::Indirect,
    );
    fx.relay(people, hill);
    fx.attr(
        "Two officials said",
        Some(("Two officials", SourceKind::UnnamedGroup)),
        "said",
        Some("the inspection report had warned of cracks in the main supports"),
        QuoteType::Indirect,
    );
    fx.attr(
        "The mayor, Tom Hill",
        Some(("Tom Hill", SourceKind::NamedPerson)),
        "said",
        Some("repairs had been planned for next year"),
        QuoteType::Indirect,
    );
    fx
}

fn generated(fx: &Fx) -> Vec<Exercise> {
    let h = hash(fx.text);
    generate(&art(fx, &h))
}

#[test]
fn a_description_named_right_after_is_not_an_unnamed_source() {
    let ex = generated(&bridge());
    let anon = of_kind(&ex, ExerciseKind::AnonymousSources);
    assert_eq!(anon.len(), 1, "{ex:#?}");
    let keys = key_texts(anon[0]);
    assert!(keys.iter().any(|k| k.starts_with("Witnesses said")), "{keys:?}");
    assert!(
        keys.iter().any(|k| k.starts_with("Two officials said")),
        "{keys:?}"
    );
    // "a council spokesman, Mary Jones" is named: never keyed as unnamed.
    assert!(keys.iter().all(|k| !k.contains("Mary Jones")), "{keys:?}");
}

#[test]
fn a_speaker_rejecting_what_others_say_does_not_pass_it_on() {
    let ex = generated(&bridge());
    let chains = of_kind(&ex, ExerciseKind::ClaimChain);
    assert!(chains.is_empty(), "{chains:#?}");
    for e in of_kind(&ex, ExerciseKind::AnonymousSources) {
        assert!(
            key_texts(e).iter().all(|k| !k.starts_with("Hill says")),
            "{:?}",
            key_texts(e)
        );
    }
}

#[test]
fn a_plain_verb_of_saying_is_sure_enough_to_publish() {
    let mut fx = bridge();
    // The analyzer's weaker reading of every cue.
    for at in &mut fx.a.attributions {
        at.confidence = 0.65;
    }
    let ex = generated(&fx);
    let anon = of_kind(&ex, ExerciseKind::AnonymousSources);
    assert_eq!(anon.len(), 1, "{ex:#?}");
    let c = &anon[0].content;
    assert!(!c.needs_review, "{c:#?}");
    assert_eq!(c.confidence, 0.75);
    // The doubt is still noted for the teacher.
    assert!(
        c.review_notes.iter().any(|n| n.contains("Witnesses said")),
        "{:?}",
        c.review_notes
    );
}
