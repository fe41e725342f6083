//! The cross-article kind: questions that compare several articles on one topic, built only
//! from measured differences between their analyses. A question is asked only when its
//! measure clearly separates the top article from the runner-up; the explanations give the
//! counts so a teacher can check them.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::Voice;

use super::facts::{Basis, Facts};
use super::model::{
    Difficulty, Exercise, ExerciseContent, ExerciseKind, ExerciseOption, ResponseType, ScoringMode,
};
use super::text::{content_words, exercise_id, norm, short_hash};
use super::ArticleRef;

/// One article's measures.
struct Measures {
    unnamed: usize,
    sourced: usize,
    topic: usize,
    topic_fact: usize,
    sentences: usize,
    hedged: usize,
    loaded: usize,
    words: usize,
}

/// A measured value per article, with the words that explain it.
struct Question {
    key: &'static str,
    prompt: String,
    /// (value, explanation) per article, in input order.
    values: Vec<(f64, String)>,
    /// The top value must beat the runner-up by this much (absolute)…
    min_gap: f64,
    /// …and by this factor.
    min_ratio: f64,
    /// The count behind each article's value…
    top_count: Vec<usize>,
    /// …which for the top article must reach this.
    min_count: usize,
}

/// The name an option gives an article: its title, else the analyzer's, else a hash
/// prefix (an option must never be blank).
fn display_title(a: &ArticleRef) -> String {
    [a.title, a.analysis.title.as_str()]
        .iter()
        .map(|t| t.trim())
        .find(|t| !t.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| format!("Article {}", a.content_hash.chars().take(8).collect::<String>()))
}

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "0%".into()
    } else {
        format!("{:.0}%", 100.0 * n as f64 / d as f64)
    }
}

pub(crate) fn all(articles: &[ArticleRef]) -> Vec<Exercise> {
    // One entry per distinct text: the same article twice cannot be compared with itself.
    let mut seen = BTreeSet::new();
    let articles: Vec<&ArticleRef> = articles.iter().filter(|a| seen.insert(a.content_hash)).collect();
    if articles.len() < 2 {
        return Vec::new();
    }
    // The shared topic: headline words found in at least two titles.
    let mut title_counts: BTreeMap<String, usize> = BTreeMap::new();
    for a in &articles {
        let ws: BTreeSet<String> = content_words(a.title)
            .iter()
            .filter(|w| w.chars().count() >= 4)
            .map(|w| norm(w))
            .collect();
        for w in ws {
            *title_counts.entry(w).or_default() += 1;
        }
    }
    let topic: BTreeSet<String> = title_counts
        .into_iter()
        .filter(|&(_, n)| n >= 2)
        .map(|(w, _)| w)
        .collect();
    let need = if topic.len() >= 2 { 2 } else { 1 };

    let measures: Vec<Measures> = articles
        .iter()
        .map(|a| {
            let f = Facts::new(a.text, a.analysis);
            let mut m = Measures {
                unnamed: 0,
                sourced: 0,
                topic: 0,
                topic_fact: 0,
                sentences: 0,
                hedged: 0,
                loaded: 0,
                words: 0,
            };
            for (s, q) in f.usable() {
                m.sentences += 1;
                m.words += q.text.split_whitespace().count();
                m.hedged += (!f.hedges_in[s].is_empty()) as usize;
                m.loaded += f.loaded_in[s].len();
                for i in f.origins(s) {
                    let kind = f.a.attributions[i].source.as_ref().map(|x| x.kind);
                    match kind {
                        Some(crate::analysis::SourceKind::Author) => {}
                        None => {
                            m.unnamed += 1;
                            m.sourced += 1;
                        }
                        Some(k) => {
                            m.unnamed += k.is_unnamed() as usize;
                            m.sourced += 1;
                        }
                    }
                }
                let hits: BTreeSet<String> = content_words(&q.text)
                    .iter()
                    .map(|w| norm(w))
                    .filter(|w| topic.contains(w))
                    .collect();
                if topic.is_empty() || hits.len() >= need {
                    m.topic += 1;
                    let fact = f.a.sentences[s].voice == Voice::AuthorReport
                        && f.basis[s] == Basis::Unsourced
                        && f.hedges_in[s].is_empty()
                        && !f.has_doubt(s)
                        && !f.has_source_words(s)
                        && !f.is_question(s);
                    m.topic_fact += fact as usize;
                }
            }
            m
        })
        .collect();

    let topic_words: Vec<String> = topic.iter().cloned().collect();
    let topic_note = if topic_words.is_empty() {
        "all sentences".to_string()
    } else {
        format!(
            "sentences mentioning at least {need} of: {}",
            topic_words
                .iter()
                .map(|w| format!("“{w}”"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let questions = vec![
        Question {
            key: "most_unnamed_sources",
            prompt: "Which article relies most on sources it does not name (the biggest share of its sourced statements)?"
                .into(),
            values: measures
                .iter()
                .map(|m| {
                    // At least 3 in the denominator: one unnamed source out of one is not
                    // "relying most" on unnamed sources.
                    let share = m.unnamed as f64 / m.sourced.max(3) as f64;
                    (
                        share,
                        if m.sourced < 3 {
                            format!(
                                "{} of {} sourced statements rest on unnamed sources, but with only {} sourced statement(s) it hardly relies on sources at all",
                                m.unnamed, m.sourced, m.sourced
                            )
                        } else {
                            format!(
                                "{} of {} sourced statements rest on unnamed sources ({})",
                                m.unnamed,
                                m.sourced,
                                pct(m.unnamed, m.sourced)
                            )
                        },
                    )
                })
                .collect(),
            min_gap: 0.2,
            min_ratio: 1.5,
            top_count: measures.iter().map(|m| m.unnamed).collect(),
            min_count: 3,
        },
        Question {
            key: "states_topic_as_fact",
            prompt: "Which article most often presents the story as established fact — in the writer's own words, with no source and no word of doubt?"
                .into(),
            values: measures
                .iter()
                .map(|m| {
                    let share = if m.topic == 0 { 0.0 } else { m.topic_fact as f64 / m.topic as f64 };
                    (
                        share,
                        format!(
                            "{} of {} sentences on the topic are stated as plain fact by the writer ({}; counted over {topic_note})",
                            m.topic_fact,
                            m.topic,
                            pct(m.topic_fact, m.topic)
                        ),
                    )
                })
                .collect(),
            // Few sentences state the story as bare fact in any article, so the gap is
            // smaller in absolute terms; the ratio (at least double) carries the weight.
            min_gap: 0.1,
            min_ratio: 2.0,
            top_count: measures.iter().map(|m| m.topic_fact).collect(),
            min_count: 2,
        },
        Question {
            key: "most_hedged",
            prompt: "Which article most often signals that it is not sure (words like “may”, “likely”, “reportedly”)?"
                .into(),
            values: measures
                .iter()
                .map(|m| {
                    let share = if m.sentences == 0 { 0.0 } else { m.hedged as f64 / m.sentences as f64 };
                    (
                        share,
                        format!(
                            "{} of {} sentences signal uncertainty ({})",
                            m.hedged,
                            m.sentences,
                            pct(m.hedged, m.sentences)
                        ),
                    )
                })
                .collect(),
            min_gap: 0.15,
            min_ratio: 1.5,
            top_count: measures.iter().map(|m| m.hedged).collect(),
            min_count: 2,
        },
        Question {
            key: "most_loaded",
            prompt: "Which article uses the most loaded words — words meant to make you feel something?".into(),
            values: measures
                .iter()
                .map(|m| {
                    let rate = if m.words == 0 { 0.0 } else { 100.0 * m.loaded as f64 / m.words as f64 };
                    (rate, format!("{} loaded words in {} words ({rate:.1} per 100 words)", m.loaded, m.words))
                })
                .collect(),
            min_gap: 0.5,
            min_ratio: 2.0,
            top_count: measures.iter().map(|m| m.loaded).collect(),
            min_count: 2,
        },
    ];

    let mut hashes: Vec<&str> = articles.iter().map(|a| a.content_hash).collect();
    hashes.sort_unstable();
    let set_key = hashes.join("+");
    let mut out = Vec::new();
    for q in questions {
        let mut order: Vec<usize> = (0..q.values.len()).collect();
        order.sort_by(|&a, &b| q.values[b].0.total_cmp(&q.values[a].0).then(a.cmp(&b)));
        let (top, second) = (order[0], order[1]);
        let (tv, sv) = (q.values[top].0, q.values[second].0);
        // Shares of a handful of cases mean little: the winner needs a minimum raw count.
        let clear = tv - sv >= q.min_gap && tv >= sv * q.min_ratio && q.top_count[top] >= q.min_count;
        if !clear {
            continue;
        }
        let options: Vec<ExerciseOption> = articles
            .iter()
            .enumerate()
            .map(|(k, a)| ExerciseOption {
                id: short_hash(a.content_hash, 4),
                text: display_title(a),
                quote: None,
                article_hash: Some(a.content_hash.to_string()),
                correct: k == top,
                explanation: if k == top {
                    format!("Right: {}.", q.values[k].1)
                } else {
                    format!(
                        "{}; compare {}: {}.",
                        q.values[k].1,
                        display_title(articles[top]),
                        q.values[top].1
                    )
                },
            })
            .collect();
        // Option ids are short hashes of the article hashes; two colliding would make the
        // key ambiguous, so such a set gets no question rather than a broken one.
        let ids: BTreeSet<&str> = options.iter().map(|o| o.id.as_str()).collect();
        if ids.len() != options.len() {
            continue;
        }
        // A narrow winner takes closer reading.
        let difficulty = if sv == 0.0 || tv >= 2.0 * sv {
            Difficulty::Easy
        } else {
            Difficulty::Medium
        };
        out.push(Exercise {
            id: exercise_id(&set_key, ExerciseKind::CompareArticles, q.key),
            kind: ExerciseKind::CompareArticles,
            content: ExerciseContent {
                prompt: q.prompt,
                response_type: ResponseType::SingleChoice,
                passage: None,
                options,
                difficulty,
                scoring: ScoringMode::AllOrNothing,
                rubric: None,
                confidence: 1.0,
                needs_review: false,
                review_notes: Vec::new(),
            },
        });
    }
    out.retain(|e| e.content.validate().is_ok());
    out
}
