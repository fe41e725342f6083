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
}

fn lines(src: &str) -> impl Iterator<Item = String> + '_ {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
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
