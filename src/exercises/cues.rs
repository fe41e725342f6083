//! Whether a weak cue introduces a claim. The analyzer gives a cue that is a word of saying
//! less often than not (described, called, found, denied, asked) a confidence under 0.7; such
//! an attribution names a source of its sentence's claim only when something said follows it.

use super::facts::{is_according_to, Facts};
use super::lists;
use super::text::words;

/// Words a weak cue's content never opens with when it is what was said: a preposition or
/// particle the cue governs ("saying to reporters", "reported on the findings").
const NOT_A_CLAUSE: &[&str] = &[
    "to", "for", "about", "out", "with", "on", "of", "in", "at", "by", "from", "into", "over", "up", "off",
    "as",
];

/// Whether attribution `i`, when its cue is a weak one (a word that is a word of saying
/// less often than not: the analysis gives it under 0.7), introduces something said: a
/// "that" clause, a quotation or a colon after the cue, words the cue follows ("…,
/// witnesses said"), a clause after a verb whose object is what is said ("officials say a
/// bomber struck"; `data/exercises/clause_cues.txt`), or blame or praise said aloud. "Scientists have also described the telescope's potential",
/// "Brazilians called it the democratic pact", "witnesses find it hard", "Russia has
/// denied these allegations" name an act or a state, which the writer reports; their
/// subject is no source of the sentence's claim. A strong cue ("said", "told") passes.
pub(crate) fn states_a_claim(f: &Facts, i: usize) -> bool {
    let at = &f.a.attributions[i];
    if at.confidence >= 0.7 || is_according_to(at) {
        return true;
    }
    let Some(c) = &at.content else { return false };
    if c.end <= at.cue.start {
        return true;
    }
    let between = f.doc.slice(at.cue.end, c.start.max(at.cue.end)).unwrap_or("");
    let opening = words(&c.text);
    // "pointed out that …", "pointed to the attempt as evidence that …": the claim is
    // the "that" clause; a "that" past another cue ("with Peng Bo saying … that of current equipment") is
    // is not this cue's.
    let that = opening.iter().any(|w| w == "that") && {
        let lower = c.text.to_lowercase();
        let at_that = lower
            .match_indices("that")
            .map(|(b, _)| c.start + lower[..b].chars().count())
            .next()
            .unwrap_or(c.end);
        !f.attrs_in[at.sentence].iter().any(|&k| {
            let other = &f.a.attributions[k].cue;
            k != i && c.start <= other.start && other.start < at_that
        })
    };
    // "Officials blamed a blocked drain": blame, condemnation, praise are said aloud, and
    // what they are about is their object.
    let spoken = words(&at.cue.text)
        .iter()
        .any(|w| lists::get().spoken_sentiments.contains(w));
    // "officials say a bomber struck": a verb of saying whose object is the claim, not a
    // preposition's ("saying to reporters", "report on the findings").
    let clause = words(&at.cue.text)
        .iter()
        .any(|w| lists::get().clause_cues.contains(w))
        && opening
            .first()
            .is_some_and(|w| !NOT_A_CLAUSE.contains(&w.as_str()));
    between.contains([':', '"', '“'])
        || c.text.trim_start().starts_with(['"', '“'])
        || that
        || spoken
        || clause
        || words(between).iter().any(|w| w == "that")
}
