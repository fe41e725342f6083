//! Option helpers shared by every kind: ids, sentence options, picking and ordering, and
//! the word lists the kinds use to keep arguable options out.

use super::model::{Difficulty, ExerciseOption, Quote};
use super::text::short_hash;

/// Most options a choice item offers: more is reading practice, not source practice.
pub(crate) const MAX_OPTIONS: usize = 7;

pub(crate) fn difficulty(points: u32) -> Difficulty {
    match points {
        0 => Difficulty::Easy,
        1 => Difficulty::Medium,
        _ => Difficulty::Hard,
    }
}

pub(crate) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub(crate) fn option_id(subject: &str) -> String {
    short_hash(subject, 4)
}

pub(crate) fn quote_subject(q: &Quote) -> String {
    format!("{}-{}", q.start, q.end)
}

/// Up to `n` items of `v`, spread evenly over it so options come from across the article.
pub(crate) fn spread<T: Clone>(v: &[T], n: usize) -> Vec<T> {
    if v.len() <= n {
        return v.to_vec();
    }
    (0..n).map(|k| v[k * v.len() / n].clone()).collect()
}

/// Up to `n` items: the clearest cases first (at most half, rounded up, so the rest can
/// add subtler ones), then the others spread over the article, then more clear cases.
pub(crate) fn pick<T: Clone>(prio: &[T], rest: &[T], n: usize) -> Vec<T> {
    let first = prio.len().min(n.div_ceil(2));
    let mut out = prio[..first].to_vec();
    out.extend(spread(rest, n - out.len()));
    let more = n.saturating_sub(out.len()).min(prio.len() - first);
    out.extend(prio[first..first + more].iter().cloned());
    out
}

/// Options sorted into text order, so a teacher reads them as the article runs.
pub(crate) fn in_text_order(mut opts: Vec<ExerciseOption>) -> Vec<ExerciseOption> {
    opts.sort_by_key(|o| o.quote.as_ref().map(|q| q.start).unwrap_or(usize::MAX));
    opts
}

pub(crate) fn join_quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|t| format!("“{t}”"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Word endings of adverbs, adjectives and verb forms, kept out of neutral options.
pub(crate) const EVALUATIVE_ENDINGS: &[&str] = &[
    "ly", "ing", "ed", "ous", "ful", "less", "ive", "al", "ic", "est", "able", "ible", "ish",
];

/// Words by which the writer speaks as themself. Case matters: "US" is a country.
pub(crate) const FIRST_PERSON: &[&str] = &[
    "I", "I'm", "I’m", "I've", "I’ve", "I'd", "I’d", "me", "my", "My", "we", "We", "we've", "we’ve", "We've",
    "We’ve", "our", "Our", "us",
];

pub(crate) fn is_first_person(token: &str) -> bool {
    let t = token.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’');
    FIRST_PERSON.contains(&t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_takes_evenly_from_the_whole_list() {
        assert_eq!(spread(&[1, 2, 3, 4, 5, 6, 7, 8], 4), vec![1, 3, 5, 7]);
        assert_eq!(spread(&[1, 2], 4), vec![1, 2]);
        assert!(spread::<u8>(&[], 3).is_empty());
        assert!(spread(&[1, 2, 3], 0).is_empty());
    }

    #[test]
    fn pick_leads_with_clear_cases_but_leaves_room_for_subtle_ones() {
        // 4 slots: 2 clear, then 2 spread over the rest.
        assert_eq!(pick(&[10, 11, 12], &[1, 2, 3, 4], 4), vec![10, 11, 1, 3]);
        // Too few others: more clear cases fill up.
        assert_eq!(pick(&[10, 11, 12], &[1], 4), vec![10, 11, 1, 12]);
        assert_eq!(pick::<u8>(&[], &[1, 2], 4), vec![1, 2]);
    }

    #[test]
    fn first_person_is_case_sensitive() {
        assert!(is_first_person("I"));
        assert!(is_first_person("“We"));
        assert!(is_first_person("I’m"));
        assert!(!is_first_person("US"));
        assert!(!is_first_person("Us."));
    }
}
