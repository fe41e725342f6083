//! Text plumbing shared by the generators: char-offset quoting, hashing, stable ids.

use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::model::{ExerciseKind, Quote};

/// Namespace for exercise ids. Fixed forever: changing it would orphan every stored
/// teacher correction.
const EXERCISE_NAMESPACE: Uuid = Uuid::from_u128(0x6e65_7773_6c69_7445_7865_7263_6973_6573);

pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The first `n_bytes` bytes of sha256(`s`) as lowercase hex.
pub(crate) fn short_hash(s: &str, n_bytes: usize) -> String {
    sha256(s.as_bytes())
        .iter()
        .take(n_bytes)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// UUIDv5 over article hash + kind + subject. The generator version is deliberately left out
/// so a regenerated exercise keeps the id a teacher's correction is stored under.
pub(crate) fn exercise_id(article_hash: &str, kind: ExerciseKind, subject: &str) -> Uuid {
    // Hex case is not part of an article's identity.
    let name = format!(
        "{}\u{1f}{}\u{1f}{subject}",
        article_hash.to_ascii_lowercase(),
        kind.as_str()
    );
    Uuid::new_v5(&EXERCISE_NAMESPACE, name.as_bytes())
}

/// An article's text indexed by char, so analysis offsets (chars) can be sliced cheaply.
pub(crate) struct Doc<'a> {
    text: &'a str,
    /// Byte offset of every char, plus one past the end.
    bytes: Vec<usize>,
}

impl<'a> Doc<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        bytes.push(text.len());
        Doc { text, bytes }
    }

    pub(crate) fn char_len(&self) -> usize {
        self.bytes.len() - 1
    }

    /// The chars `start..end`, or `None` when the range is empty or out of bounds.
    pub(crate) fn slice(&self, start: usize, end: usize) -> Option<&'a str> {
        if start >= end || end > self.char_len() {
            return None;
        }
        self.text.get(self.bytes[start]..self.bytes[end])
    }

    /// A quote of `start..end` with surrounding whitespace trimmed off (offsets moved to
    /// match), so highlights don't start on a line break.
    pub(crate) fn quote(&self, start: usize, end: usize) -> Option<Quote> {
        let raw = self.slice(start, end)?;
        let lead = raw.chars().take_while(|c| c.is_whitespace()).count();
        let trail = raw.chars().rev().take_while(|c| c.is_whitespace()).count();
        let (s, e) = (start + lead, end.saturating_sub(trail));
        let text = self.slice(s, e)?;
        Some(Quote {
            start: s,
            end: e,
            text: text.to_string(),
        })
    }
}

/// Words that say nothing about a phrase's content, for matching and phrase picking.
pub(crate) const STOPWORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "before",
    "both", "but", "by", "can", "could", "did", "do", "does", "each", "even", "for", "from", "had", "has",
    "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "may", "me",
    "more", "most", "my", "no", "not", "of", "on", "one", "only", "or", "other", "our", "out", "over", "own",
    "said", "says", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "through", "to", "too", "under", "up", "upon", "us", "very",
    "was", "we", "were", "what", "when", "where", "whether", "which", "while", "who", "whose", "will",
    "with", "would", "you", "your",
];

pub(crate) fn is_stopword(w: &str) -> bool {
    STOPWORDS.binary_search(&w).is_ok()
}

/// Lowercase words of `s` (letters, digits, inner apostrophes and hyphens).
pub(crate) fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Content words (not stopwords, at least 3 chars), for "do these two phrases name the same
/// thing" checks.
pub(crate) fn content_words(s: &str) -> Vec<String> {
    words(s)
        .into_iter()
        .filter(|w| w.chars().count() >= 3 && !is_stopword(w))
        .collect()
}

/// Singular, lowercase form of a word, so "Cartels" and "cartel", "officials" and
/// "official" match.
pub(crate) fn norm(w: &str) -> String {
    let w = w.to_lowercase();
    match w.strip_suffix('s') {
        Some(stem) if w.chars().count() > 4 && !w.ends_with("ss") => stem.to_string(),
        _ => w,
    }
}

/// `s` cut to at most `max` chars at a word boundary, with an ellipsis when cut.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        let mut sorted = STOPWORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOPWORDS);
    }

    #[test]
    fn quote_uses_char_offsets_and_trims() {
        let doc = Doc::new("é  “two officials” said.");
        let q = doc.quote(1, 18).expect("in bounds");
        assert_eq!(q.text, "“two officials”");
        assert_eq!((q.start, q.end), (3, 18));
        assert!(doc.quote(5, 100).is_none());
        assert!(doc.quote(5, 5).is_none());
    }

    #[test]
    fn shorten_cuts_at_words() {
        assert_eq!(shorten("one two three four", 11), "one two…");
        assert_eq!(shorten("short", 10), "short");
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn norm_matches_singular_and_plural() {
        assert_eq!(norm("Cartels"), "cartel");
        assert_eq!(norm("officials"), "official");
        assert_eq!(norm("ISIS"), "isis");
        assert_eq!(norm("press"), "press");
    }

    #[test]
    fn exercise_ids_ignore_hash_case_and_differ_by_kind_and_subject() {
        let a = exercise_id("ABCD", ExerciseKind::HedgedClaims, "article");
        assert_eq!(a, exercise_id("abcd", ExerciseKind::HedgedClaims, "article"));
        assert_ne!(a, exercise_id("abcd", ExerciseKind::AuthorOpinion, "article"));
        assert_ne!(a, exercise_id("abcd", ExerciseKind::HedgedClaims, "s1-2"));
        assert_eq!(a.get_version_num(), 5);
    }
}

/// Whether a paragraph opens with a speaker's label, as a transcript's turns do: "Q:",
/// "Question:", "Secretary Pompeo:" (up to four capitalised words and a colon, no digits),
/// or a bracketed one, "((WN))".
pub(crate) fn speaker_label(paragraph: &str) -> bool {
    let t = paragraph.trim_start();
    if t.starts_with("((") {
        return true;
    }
    let Some((head, rest)) = t.split_once(':') else {
        return false;
    };
    let ws: Vec<&str> = head.split_whitespace().collect();
    !ws.is_empty()
        && ws.len() <= 4
        && !rest.trim().is_empty()
        && ws.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '’' | '-'))
        })
}

#[cfg(test)]
mod label_tests {
    use super::speaker_label;

    #[test]
    fn a_transcripts_labels_are_told_from_prose() {
        for t in [
            "Q: Why now?",
            "Question: Thank you.",
            "Secretary Pompeo: It is great.",
            "((WN)) Do you?",
        ] {
            assert!(speaker_label(t), "{t}");
        }
        for t in [
            "The council said: repairs will take a year.",
            "At 10:30 the wall fell.",
            "Update:",
            "He had one aim: to win.",
        ] {
            assert!(!speaker_label(t), "{t}");
        }
    }
}
