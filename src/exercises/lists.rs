//! The generator's word lists: `data/exercises/*.txt` plus the analyzer's own hedges
//! (`data/lexicons/hedges.txt`, not a second copy), compiled in and parsed once.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use super::text::words;

pub(crate) struct Lists {
    /// Words that mark a claim as coming from someone.
    pub source_words: BTreeSet<String>,
    /// Single words of doubt: the analyzer's one-word hedges and the generator's extras.
    doubt_words: BTreeSet<String>,
    /// Multi-word hedges, as space-joined lowercase words.
    doubt_phrases: Vec<String>,
    /// Word starts that often carry feeling.
    pub feeling_stems: Vec<String>,
    /// Plain but empty words.
    pub vague_words: BTreeSet<String>,
    /// Phrases that say a source is unnamed on purpose.
    pub anonymity: Vec<String>,
    /// The analyzer's words and phrases of the writer's own judgement
    /// (`data/lexicons/opinion.txt`), as space-joined lowercase words.
    opinion: Vec<String>,
    /// Hedges keyed with confidence, and hedges never keyed (`data/exercises/hedge_strength.txt`).
    strong_hedges: BTreeSet<String>,
    never_hedges: BTreeSet<String>,
    /// Plain opinion markers (`data/exercises/opinion_markers.txt`): first person, judging.
    first_person_opinion: Vec<String>,
    judging: Vec<String>,
    /// Words by which a column's sentence weighs rather than reports (`weigh:` lines).
    weighing: Vec<String>,
    /// Words of saying and reporting a trusted cue holds (`data/exercises/reporting_cues.txt`).
    pub reporting_cues: BTreeSet<String>,
    /// Feeling words said aloud ("blamed", "condemned"): a `sentiment` cue of one of these
    /// still names a claim's source (`data/exercises/spoken_sentiments.txt`).
    pub spoken_sentiments: BTreeSet<String>,
    /// Words of saying whose object is what is said ("officials say a bomber struck"): a weak
    /// cue of one of these introduces a claim (`data/exercises/clause_cues.txt`).
    pub clause_cues: BTreeSet<String>,
    /// Loaded-lexicon words news copy mostly uses literally (`data/exercises/literal_loaded.txt`).
    pub literal_loaded: BTreeSet<String>,
    /// The analyzer's head words of unnamed people and groups (`data/lexicons/sources.txt`).
    people: BTreeSet<String>,
}

/// How surely a hedge marks doubt about its claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum HedgeStrength {
    Never,
    Middling,
    Strong,
}

fn lines(src: &str) -> impl Iterator<Item = String> + '_ {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
}

/// The lines under the given `[section]` headers.
fn section(src: &str, wanted: &[&str]) -> BTreeSet<String> {
    let mut on = false;
    let mut out = BTreeSet::new();
    for l in lines(src) {
        if l.starts_with('[') {
            on = wanted.contains(&l.as_str());
        } else if on {
            out.insert(l);
        }
    }
    out
}

/// The phrases of `tag: phrase` lines.
fn tagged(src: &str, tag: &str) -> BTreeSet<String> {
    lines(src)
        .filter_map(|l| {
            l.split_once(':')
                .filter(|(t, _)| t.trim() == tag)
                .map(|(_, p)| p.trim().to_string())
        })
        .collect()
}

pub(crate) fn get() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let (phrases, single): (Vec<String>, Vec<String>) =
            lines(include_str!("../../data/lexicons/hedges.txt"))
                .chain(lines(include_str!("../../data/exercises/doubt_words.txt")))
                .partition(|l| l.contains(' '));
        Lists {
            source_words: lines(include_str!("../../data/exercises/source_words.txt")).collect(),
            doubt_words: single.into_iter().collect(),
            doubt_phrases: phrases,
            feeling_stems: lines(include_str!("../../data/exercises/feeling_stems.txt")).collect(),
            vague_words: lines(include_str!("../../data/exercises/vague_words.txt")).collect(),
            anonymity: lines(include_str!("../../data/exercises/anonymity_words.txt")).collect(),
            opinion: lines(include_str!("../../data/lexicons/opinion.txt")).collect(),
            strong_hedges: tagged(include_str!("../../data/exercises/hedge_strength.txt"), "strong"),
            never_hedges: tagged(include_str!("../../data/exercises/hedge_strength.txt"), "never"),
            first_person_opinion: tagged(include_str!("../../data/exercises/opinion_markers.txt"), "first")
                .into_iter()
                .map(|p| words(&p).join(" "))
                .collect(),
            reporting_cues: lines(include_str!("../../data/exercises/reporting_cues.txt")).collect(),
            literal_loaded: lines(include_str!("../../data/exercises/literal_loaded.txt")).collect(),
            spoken_sentiments: lines(include_str!("../../data/exercises/spoken_sentiments.txt")).collect(),
            clause_cues: lines(include_str!("../../data/exercises/clause_cues.txt")).collect(),
            people: section(
                include_str!("../../data/lexicons/sources.txt"),
                &["[person]", "[group]"],
            ),
            weighing: tagged(include_str!("../../data/exercises/opinion_markers.txt"), "weigh")
                .into_iter()
                .map(|p| words(&p).join(" "))
                .collect(),
            judging: tagged(include_str!("../../data/exercises/opinion_markers.txt"), "judge")
                .into_iter()
                .map(|p| words(&p).join(" "))
                .collect(),
        }
    })
}

impl Lists {
    /// Whether `text` holds a word or phrase of doubt.
    pub(crate) fn has_doubt(&self, text: &str) -> bool {
        let ws = words(text);
        if ws.iter().any(|w| self.doubt_words.contains(w)) {
            return true;
        }
        let joined = format!(" {} ", ws.join(" "));
        self.doubt_phrases
            .iter()
            .any(|p| joined.contains(&format!(" {p} ")))
    }

    /// The judging words and phrases of `text` found in the analyzer's opinion list.
    pub(crate) fn opinion_words(&self, text: &str) -> Vec<String> {
        let joined = format!(" {} ", words(text).join(" "));
        self.opinion
            .iter()
            .filter(|p| joined.contains(&format!(" {p} ")))
            .cloned()
            .collect()
    }

    /// The first plain opinion marker in `text` and whether it is the writer speaking as
    /// themself (else a judging word), as written in the text.
    pub(crate) fn opinion_marker(&self, text: &str) -> Option<(bool, String)> {
        let ws = words(text);
        let joined = format!(" {} ", ws.join(" "));
        let find = |list: &[String]| {
            list.iter()
                .filter_map(|p| joined.find(&format!(" {p} ")).map(|at| (at, p.clone())))
                .min()
        };
        match (find(&self.first_person_opinion), find(&self.judging)) {
            (Some((a, p)), Some((b, _))) if a <= b => Some((true, p)),
            (Some((_, p)), None) => Some((true, p)),
            (_, Some((_, p))) => Some((false, p)),
            (None, None) => None,
        }
    }

    /// The first word or phrase of `text` (in text order) by which it weighs rather than
    /// reports: a `weigh:` word or one of the analyzer's opinion words; lowercase.
    pub(crate) fn weighing_word(&self, text: &str) -> Option<String> {
        let joined = format!(" {} ", words(text).join(" "));
        self.weighing
            .iter()
            .chain(self.opinion.iter())
            .filter_map(|p| {
                joined
                    .find(&format!(" {p} "))
                    .map(|at| (at, std::cmp::Reverse(p.len()), p.clone()))
            })
            .min()
            .map(|(_, _, p)| p)
    }

    /// Whether a source phrase names people or a group by what they are ("two officials",
    /// "witnesses", "a police spokesman"), not by a pronoun or a quantity alone.
    pub(crate) fn names_people(&self, source_text: &str) -> bool {
        words(source_text).iter().any(|w| {
            self.people.contains(w)
                || w.strip_suffix('s').is_some_and(|x| self.people.contains(x))
                || w.strip_suffix("es").is_some_and(|x| self.people.contains(x))
        })
    }

    /// How surely the hedge `marker` (a hedge the analyzer found) marks doubt.
    pub(crate) fn hedge_strength(&self, marker: &str) -> HedgeStrength {
        let m = words(marker).join(" ");
        if self.strong_hedges.contains(&m) {
            HedgeStrength::Strong
        } else if self.never_hedges.contains(&m) {
            HedgeStrength::Never
        } else {
            HedgeStrength::Middling
        }
    }

    /// Whether the word starts like one that often carries feeling.
    pub(crate) fn is_feeling(&self, word: &str) -> bool {
        let w = word.to_lowercase();
        self.feeling_stems.iter().any(|f| w.starts_with(f.as_str()))
    }

    /// Whether a source description says the source is unnamed on purpose.
    pub(crate) fn announces_anonymity(&self, source_text: &str) -> bool {
        let t = source_text.to_lowercase();
        self.anonymity.iter().any(|w| t.contains(w.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_the_analyzers_hedges_and_the_generators_extras() {
        let l = get();
        // From data/lexicons/hedges.txt.
        assert!(l.has_doubt("The deal was reportedly signed."));
        assert!(l.has_doubt("There is no solid proof of it."));
        // From data/exercises/doubt_words.txt.
        assert!(l.has_doubt("Whether it works is open."));
        assert!(!l.has_doubt("The council voted on Tuesday."));
        assert!(l.source_words.contains("according"));
        assert!(l.is_feeling("Terrorists"));
        assert!(!l.is_feeling("council"));
        assert!(l.announces_anonymity("two officials who requested anonymity"));
        assert!(l
            .opinion_words("Sounds like anarchy to me.")
            .contains(&"sounds like".to_string()));
    }
}
