//! The per-article exercise kinds. Each builder returns nothing when the article doesn't
//! support the kind well enough for an unambiguous key: a missing exercise costs a teacher
//! less than a wrong key.

use std::collections::BTreeSet;

use crate::analysis::{Genre, SourceKind, Voice};

use super::facts::{Basis, Facts};
use super::model::{
    Difficulty, Exercise, ExerciseContent, ExerciseKind, ExerciseOption, Quote, ResponseType, ScoringMode,
};
use super::text::{content_words, exercise_id, is_stopword, norm, short_hash, shorten, words, FEELING_WORDS};
use super::ArticleRef;

/// Most options a choice item offers: more is reading practice, not source practice.
const MAX_OPTIONS: usize = 7;

pub(crate) fn all(article: &ArticleRef) -> Vec<Exercise> {
    let f = Facts::new(article.text, article.analysis);
    let g = Gen { article, f: &f };
    let mut out = Vec::new();
    out.extend(g.anonymous_sources());
    out.extend(g.source_of_claim());
    out.extend(g.author_opinion());
    out.extend(g.hedged_claims());
    out.extend(g.loaded_language());
    out.extend(g.claim_chain());
    out.extend(g.piece_type());
    out.extend(g.reflection());
    // Safety net: whatever a builder missed (an option-id hash collision, say), nothing
    // malformed leaves the generator.
    out.retain(|e| {
        e.content.validate().is_ok()
            && (e.content.response_type != ResponseType::MultipleResponse || e.content.options.len() >= 3)
    });
    out
}

struct Gen<'g, 'a> {
    article: &'g ArticleRef<'a>,
    f: &'g Facts<'a>,
}

fn difficulty(points: u32) -> Difficulty {
    match points {
        0 => Difficulty::Easy,
        1 => Difficulty::Medium,
        _ => Difficulty::Hard,
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn option_id(subject: &str) -> String {
    short_hash(subject, 4)
}

fn quote_subject(q: &Quote) -> String {
    format!("{}-{}", q.start, q.end)
}

fn sentence_option(q: &Quote, correct: bool, explanation: String) -> ExerciseOption {
    ExerciseOption {
        id: option_id(&format!("s{}", quote_subject(q))),
        text: q.text.clone(),
        quote: Some(q.clone()),
        article_hash: None,
        correct,
        explanation,
    }
}

/// Up to `n` items of `v`, spread evenly over it so options come from across the article.
fn spread<T: Clone>(v: &[T], n: usize) -> Vec<T> {
    if v.len() <= n {
        return v.to_vec();
    }
    (0..n).map(|k| v[k * v.len() / n].clone()).collect()
}

/// Up to `n` items: the clearest cases first (at most half, rounded up, so the rest can
/// add subtler ones), then the others spread over the article, then more clear cases.
fn pick<T: Clone>(prio: &[T], rest: &[T], n: usize) -> Vec<T> {
    let first = prio.len().min(n.div_ceil(2));
    let mut out = prio[..first].to_vec();
    out.extend(spread(rest, n - out.len()));
    let more = n.saturating_sub(out.len()).min(prio.len() - first);
    out.extend(prio[first..first + more].iter().cloned());
    out
}

/// Options sorted into text order, so a teacher reads them as the article runs.
fn in_text_order(mut opts: Vec<ExerciseOption>) -> Vec<ExerciseOption> {
    opts.sort_by_key(|o| o.quote.as_ref().map(|q| q.start).unwrap_or(usize::MAX));
    opts
}

fn join_quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|t| format!("“{t}”"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Gen<'_, '_> {
    fn exercise(&self, kind: ExerciseKind, subject: &str, content: ExerciseContent) -> Exercise {
        Exercise {
            id: exercise_id(self.article.content_hash, kind, subject),
            kind,
            content,
        }
    }

    /// Evidence for a sentence's sources, joined.
    fn basis_evidence(&self, s: usize) -> String {
        let ev: Vec<String> = self
            .f
            .origins(s)
            .iter()
            .map(|&i| self.f.source_evidence(i))
            .collect();
        let mut text = ev.join("; ");
        let relays: BTreeSet<usize> = self
            .f
            .origins(s)
            .iter()
            .filter_map(|&i| self.f.relay_of[i])
            .collect();
        for r in relays {
            if let Some(name) = self.f.source_name(r) {
                text.push_str(&format!(", passed on through {}", name.text));
            }
        }
        text
    }

    fn anonymous_sources(&self) -> Vec<Exercise> {
        let f = self.f;
        let mut correct = Vec::new();
        let mut named = Vec::new();
        for (s, q) in f.usable() {
            match f.basis[s] {
                Basis::Unnamed => correct.push((s, q)),
                Basis::Named => named.push((s, q)),
                _ => {}
            }
        }
        if correct.is_empty() || named.is_empty() {
            return Vec::new();
        }
        // Sources that announce their anonymity, or reach the writer second-hand, are the
        // anchor examples a teacher would not leave out.
        let announced = |s: usize| {
            f.origins(s).iter().any(|&i| {
                f.relay_of[i].is_some()
                    || f.a.attributions[i].source.as_ref().is_some_and(|src| {
                        let t = src.text.to_lowercase();
                        ANONYMITY_WORDS.iter().any(|w| t.contains(w))
                    })
            })
        };
        let (prio, rest): (Vec<_>, Vec<_>) = correct.iter().partition(|&&(s, _)| announced(s));
        let correct = pick(&prio, &rest, 4);
        let named = spread(&named, (MAX_OPTIONS - correct.len()).min(4));
        if correct.len() + named.len() < 3 {
            return Vec::new();
        }
        // Unnamed sources that sound official ("U.S. intelligence officials") are harder to
        // spot than ones that announce it ("who requested anonymity").
        let subtle = correct.iter().any(|&(s, _)| {
            f.origins(s).iter().any(|&i| {
                f.a.attributions[i].source.as_ref().is_some_and(|src| {
                    let t = src.text.to_lowercase();
                    !ANONYMITY_WORDS.iter().any(|w| t.contains(w))
                })
            })
        });
        let relayed = correct
            .iter()
            .any(|&(s, _)| f.origins(s).iter().any(|&i| f.relay_of[i].is_some()));
        let mut opts = Vec::new();
        for &(s, q) in &correct {
            opts.push(sentence_option(
                q,
                true,
                format!("Rests on {}.", self.basis_evidence(s)),
            ));
        }
        for &(s, q) in &named {
            opts.push(sentence_option(
                q,
                false,
                format!("Not unnamed: it rests on {}.", self.basis_evidence(s)),
            ));
        }
        let n = opts.len();
        let content = ExerciseContent {
            prompt:
                "Which of these statements rest on sources the article does not name? Choose all that apply."
                    .into(),
            response_type: ResponseType::MultipleResponse,
            passage: None,
            options: in_text_order(opts),
            difficulty: difficulty(subtle as u32 + relayed as u32 + (n >= 6) as u32),
            scoring: ScoringMode::Partial,
            rubric: None,
        };
        vec![self.exercise(ExerciseKind::AnonymousSources, "article", content)]
    }

    fn source_of_claim(&self) -> Vec<Exercise> {
        let f = self.f;
        // Two names sharing a word ("one official", "U.S. intelligence officials"; "Judicial
        // Watch", "Judicial Watch revelations") could be read as the same source; never
        // offer both, and never one as a distractor for the other.
        let same_source = |a: &str, b: &str| {
            let wa: BTreeSet<String> = content_words(a).iter().map(|w| norm(w)).collect();
            content_words(b).iter().any(|w| wa.contains(&norm(w)))
        };
        // Every nameable source in the article, first mention first, one entry per name.
        let mut sources: Vec<(usize, Quote)> = Vec::new();
        for (s, _) in f.usable() {
            // Only sources of sentences whose attribution is trusted: an option must really
            // be "a source elsewhere in the article", as its explanation says.
            if !matches!(f.basis[s], Basis::Named | Basis::Unnamed) {
                continue;
            }
            for &i in &f.attrs_in[s] {
                let kind = f.a.attributions[i].source.as_ref().map(|x| x.kind);
                if kind.is_none() || kind == Some(SourceKind::Author) {
                    continue;
                }
                if let Some(name) = f.source_name(i) {
                    if !sources.iter().any(|(_, q)| same_source(&q.text, &name.text)) {
                        sources.push((i, name));
                    }
                }
            }
        }
        if sources.len() < 2 {
            return Vec::new();
        }

        // Claims: single-attribution sentences with no relay (claim_chain covers those).
        // One per kind of source, in this order — unnamed, a pronoun to resolve ("he said"),
        // a named person, an organization or document — each with a different name.
        let mut tiers: [Option<(usize, usize)>; 4] = [None; 4];
        for (s, _) in f.usable() {
            let [i] = f.attrs_in[s][..] else { continue };
            if f.relay_of[i].is_some() || f.relays.contains(&i) || f.source_name(i).is_none() {
                continue;
            }
            let Some(src) = f.a.attributions[i].source.as_ref() else {
                continue;
            };
            let tier = match src.kind {
                SourceKind::UnnamedPerson | SourceKind::UnnamedGroup => 0,
                SourceKind::NamedPerson if src.refers_to.is_some() => 1,
                SourceKind::NamedPerson => 2,
                SourceKind::NamedOrganization | SourceKind::Document => 3,
                SourceKind::Author => continue,
            };
            if tiers[tier].is_none() {
                tiers[tier] = Some((s, i));
            }
        }
        let mut picks: Vec<(usize, usize)> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for (s, i) in tiers.into_iter().flatten() {
            let Some(name) = f.source_name(i) else { continue };
            if picks.len() < 3 && !names.contains(&name.text) {
                names.push(name.text);
                picks.push((s, i));
            }
        }
        picks.sort_unstable();

        let none_id = option_id("no-source");
        let mut out = Vec::new();
        for (s, i) in picks {
            let (Some(q), Some(name)) = (&f.stmt[s], f.source_name(i)) else {
                continue;
            };
            let evidence = f.source_evidence(i);
            let mut opts = vec![ExerciseOption {
                id: option_id(&format!("src:{}", name.text.to_lowercase())),
                text: name.text.clone(),
                quote: Some(name.clone()),
                article_hash: None,
                correct: true,
                explanation: format!("Right: it comes from {evidence}."),
            }];
            // Distractors spread over the article's sources, so they mix named and unnamed
            // ones rather than always being the first three mentioned.
            let others: Vec<&(usize, Quote)> = sources
                .iter()
                .filter(|(_, o)| !same_source(&o.text, &name.text))
                .collect();
            for (_, other) in spread(&others, 3) {
                opts.push(ExerciseOption {
                    id: option_id(&format!("src:{}", other.text.to_lowercase())),
                    text: other.text.clone(),
                    quote: Some(other.clone()),
                    article_hash: None,
                    correct: false,
                    explanation: format!(
                        "Not for this statement: {} is a source elsewhere in the article. This one comes from {evidence}.",
                        other.text
                    ),
                });
            }
            if opts.len() < 3 {
                continue;
            }
            let mut opts = in_text_order(opts);
            opts.push(ExerciseOption {
                id: none_id.clone(),
                text: "No source is given".into(),
                quote: None,
                article_hash: None,
                correct: false,
                explanation: format!("A source is given: it comes from {evidence}."),
            });
            let src = f.a.attributions[i].source.as_ref();
            let unnamed = src.is_some_and(|x| x.kind.is_unnamed());
            let pronoun = src.is_some_and(|x| x.refers_to.is_some());
            // A cue at the far end of a long sentence is easy to miss.
            let late_cue = f.a.attributions[i].cue.start > q.start + q.text.chars().count() / 2;
            let content = ExerciseContent {
                prompt: "Who is the source of this statement?".into(),
                response_type: ResponseType::SingleChoice,
                passage: Some(q.clone()),
                options: opts,
                difficulty: difficulty(unnamed as u32 + pronoun as u32 + late_cue as u32),
                scoring: ScoringMode::AllOrNothing,
                rubric: None,
            };
            out.push(self.exercise(
                ExerciseKind::SourceOfClaim,
                &format!("s{}", quote_subject(q)),
                content,
            ));
        }

        // One statement the writer makes with no source, when the article has such: the
        // skill is noticing that nobody vouches for it.
        let title_words: BTreeSet<String> = content_words(self.article.title).into_iter().collect();
        let author = f
            .usable()
            .filter(|&(s, _)| {
                f.basis[s] == Basis::Unsourced
                    && f.a.sentences[s].voice == Voice::AuthorReport
                    && !f.has_source_words(s)
                    && !f.is_question(s)
                    && words(f.stmt[s].as_ref().map(|q| q.text.as_str()).unwrap_or("")).len() >= 8
            })
            .max_by_key(|&(s, q)| {
                let hits = content_words(&q.text)
                    .iter()
                    .filter(|w| title_words.contains(*w))
                    .count();
                (hits, std::cmp::Reverse(s))
            });
        if let Some((_, q)) = author {
            let mut opts: Vec<ExerciseOption> = spread(&sources, 3)
                .iter()
                .map(|(_, other)| ExerciseOption {
                    id: option_id(&format!("src:{}", other.text.to_lowercase())),
                    text: other.text.clone(),
                    quote: Some(other.clone()),
                    article_hash: None,
                    correct: false,
                    explanation: format!(
                        "Not for this statement: {} is a source elsewhere in the article; this statement names no source.",
                        other.text
                    ),
                })
                .collect();
            opts.push(ExerciseOption {
                id: none_id,
                text: "No source is given".into(),
                quote: None,
                article_hash: None,
                correct: true,
                explanation: "Right: the writer states this as fact and names nobody it comes from — \
                              no “said”, “according to” or similar."
                    .into(),
            });
            let content = ExerciseContent {
                prompt: "Who is the source of this statement?".into(),
                response_type: ResponseType::SingleChoice,
                passage: Some(q.clone()),
                options: opts,
                difficulty: Difficulty::Medium,
                scoring: ScoringMode::AllOrNothing,
                rubric: None,
            };
            out.push(self.exercise(
                ExerciseKind::SourceOfClaim,
                &format!("s{}", quote_subject(q)),
                content,
            ));
        }
        out
    }

    /// A short stretch of the sentence that shows it is the writer's judgement.
    fn opinion_evidence(&self, s: usize) -> String {
        let f = self.f;
        let Some(q) = &f.stmt[s] else {
            return String::new();
        };
        let toks: Vec<&str> = q.text.split_whitespace().collect();
        if let Some(k) = toks.iter().position(|t| is_first_person(t)) {
            if toks.len() <= 8 {
                return format!("the writer speaks for themself — “{}”", q.text);
            }
            let end = (k + 2).min(toks.len());
            return format!(
                "the writer speaks for themself — “{}”",
                toks[k..end].join(" ").trim_end_matches([',', '.', ';'])
            );
        }
        let judged = f.marker_texts(&f.a.loaded_terms, &f.loaded_in[s]);
        if !judged.is_empty() {
            return format!("judging words: {}", join_quoted(&judged));
        }
        let hedges = f.marker_texts(&f.a.hedges, &f.hedges_in[s]);
        if !hedges.is_empty() {
            return format!("a guess about what will happen: {}", join_quoted(&hedges));
        }
        let opening: Vec<&str> = toks.iter().take(6).copied().collect();
        format!(
            "a judgement or prediction of the writer's that no one could check as fact (“{}…”)",
            opening.join(" ").trim_end_matches([',', '.', ';'])
        )
    }

    fn author_opinion(&self) -> Vec<Exercise> {
        let f = self.f;
        // In an interview the answers are the interviewee's, not the writer's: asking for
        // "the author's opinion" there would confuse more than teach.
        if f.a.genre == Genre::Interview {
            return Vec::new();
        }
        let mut opinion = Vec::new();
        let mut report = Vec::new();
        let mut attributed = Vec::new();
        for (s, q) in f.usable() {
            if f.is_question(s) {
                continue;
            }
            match (f.a.sentences[s].voice, f.basis[s]) {
                (Voice::AuthorOpinion, Basis::Unsourced | Basis::Author) => opinion.push((s, q)),
                // The writer's own reports, but not ones leaning on judging words or "we".
                (Voice::AuthorReport, Basis::Unsourced)
                    if f.loaded_in[s].is_empty()
                        && !f.has_feeling_words(s)
                        && !f.has_doubt(s)
                        && !f.has_source_words(s)
                        && !q.text.split_whitespace().any(is_first_person) =>
                {
                    report.push((s, q))
                }
                (Voice::Attributed, Basis::Named | Basis::Unnamed) => attributed.push((s, q)),
                _ => {}
            }
        }
        if opinion.is_empty() || report.len() + attributed.len() == 0 {
            return Vec::new();
        }
        let (prio, rest): (Vec<_>, Vec<_>) = opinion
            .iter()
            .partition(|&&(s, _)| self.opinion_evidence(s).starts_with("the writer speaks"));
        let opinion = pick(&prio, &rest, 4);
        let room = (MAX_OPTIONS - opinion.len()).min(4);
        let n_report = report
            .len()
            .min(room.div_ceil(2).max(room.saturating_sub(attributed.len())));
        let report = spread(&report, n_report);
        let attributed = spread(&attributed, room - report.len());
        if opinion.len() + report.len() + attributed.len() < 3 {
            return Vec::new();
        }
        let mut opts = Vec::new();
        for &(s, q) in &opinion {
            opts.push(sentence_option(
                q,
                true,
                format!("The writer's opinion: {}.", self.opinion_evidence(s)),
            ));
        }
        for &(_, q) in &report {
            opts.push(sentence_option(
                q,
                false,
                "Reported as fact: the writer states it as something that is the case, with no judging or guessing words — a claim you could check."
                    .into(),
            ));
        }
        for &(s, q) in &attributed {
            opts.push(sentence_option(
                q,
                false,
                format!("Reported information: it comes from {}.", self.basis_evidence(s)),
            ));
        }
        // Opinions without "I" are harder to spot.
        let no_first_person = opinion
            .iter()
            .filter(|&&(s, _)| !self.opinion_evidence(s).starts_with("the writer speaks"))
            .count();
        let n = opts.len();
        let content = ExerciseContent {
            prompt: "Which of these statements are the writer's own opinion rather than reported information? Choose all that apply."
                .into(),
            response_type: ResponseType::MultipleResponse,
            passage: None,
            options: in_text_order(opts),
            difficulty: difficulty((no_first_person > 0) as u32 + (n >= 6) as u32),
            scoring: ScoringMode::Partial,
            rubric: None,
        };
        vec![self.exercise(ExerciseKind::AuthorOpinion, "article", content)]
    }

    fn hedged_claims(&self) -> Vec<Exercise> {
        let f = self.f;
        let mut hedged = Vec::new();
        let mut plain = Vec::new();
        for (s, q) in f.usable() {
            if f.is_question(s) {
                continue;
            }
            if !f.hedges_in[s].is_empty() {
                hedged.push((s, q));
            } else if !f.has_doubt(s) && f.basis[s] != Basis::Unclear {
                plain.push((s, q));
            }
        }
        if hedged.is_empty() || plain.is_empty() {
            return Vec::new();
        }
        let hedged = spread(&hedged, 4);
        let plain = spread(&plain, (MAX_OPTIONS - hedged.len()).min(4));
        if hedged.len() + plain.len() < 3 {
            return Vec::new();
        }
        let mut opts = Vec::new();
        let mut subtle = false;
        for &(s, q) in &hedged {
            let hs = f.marker_texts(&f.a.hedges, &f.hedges_in[s]);
            // A lone modal verb is easier to read past than "reportedly" or "not confirmed".
            subtle |= hs
                .iter()
                .all(|h| ["could", "may", "might", "would", "can"].contains(&h.to_lowercase().as_str()));
            opts.push(sentence_option(
                q,
                true,
                format!("Signals uncertainty: {}.", join_quoted(&hs)),
            ));
        }
        for &(_, q) in &plain {
            opts.push(sentence_option(
                q,
                false,
                "States it as certain: no word of doubt such as “may”, “likely” or “reportedly”.".into(),
            ));
        }
        let n = opts.len();
        let content = ExerciseContent {
            prompt: "Which of these statements signal that something is uncertain? Choose all that apply."
                .into(),
            response_type: ResponseType::MultipleResponse,
            passage: None,
            options: in_text_order(opts),
            difficulty: difficulty(subtle as u32 + (n >= 6) as u32),
            scoring: ScoringMode::Partial,
            rubric: None,
        };
        vec![self.exercise(ExerciseKind::HedgedClaims, "article", content)]
    }

    fn loaded_language(&self) -> Vec<Exercise> {
        let f = self.f;
        // The paragraph with the most loaded terms in quotable sentences.
        let mut best: Option<(usize, Vec<usize>)> = None;
        let paragraphs: BTreeSet<usize> = f.usable().map(|(s, _)| f.a.sentences[s].paragraph).collect();
        for p in paragraphs {
            let sents: Vec<usize> = f
                .usable()
                .map(|(s, _)| s)
                .filter(|&s| f.a.sentences[s].paragraph == p)
                .collect();
            let n: usize = sents.iter().map(|&s| f.loaded_in[s].len()).sum();
            if n > 0 && best.as_ref().is_none_or(|(bn, _)| n > *bn) {
                best = Some((n, sents));
            }
        }
        let Some((_, mut sents)) = best else {
            return Vec::new();
        };
        // Keep the passage short enough to read in one go: trim to the sentences that
        // carry loaded terms, then to the single richest sentence.
        let span_len = |ss: &[usize]| match (ss.first(), ss.last()) {
            (Some(&a), Some(&b)) => f.a.sentences[b].end.saturating_sub(f.a.sentences[a].start),
            _ => 0,
        };
        if span_len(&sents) > 700 {
            let first = sents
                .iter()
                .position(|&s| !f.loaded_in[s].is_empty())
                .unwrap_or(0);
            let last = sents
                .iter()
                .rposition(|&s| !f.loaded_in[s].is_empty())
                .unwrap_or(0);
            sents = sents[first..=last].to_vec();
        }
        if span_len(&sents) > 700 {
            let richest = sents
                .iter()
                .copied()
                .max_by_key(|&s| (f.loaded_in[s].len(), std::cmp::Reverse(s)));
            sents = richest.into_iter().collect();
        }
        let (Some(&first), Some(&last)) = (sents.first(), sents.last()) else {
            return Vec::new();
        };
        let Some(passage) = f.doc.quote(f.a.sentences[first].start, f.a.sentences[last].end) else {
            return Vec::new();
        };
        // The passage may span a skipped sentence between usable ones; never quote clutter.
        if sents.windows(2).any(|w| w[1] != w[0] + 1) {
            return Vec::new();
        }

        let mut loaded: Vec<Quote> = Vec::new();
        for &s in &sents {
            for &m in &f.loaded_in[s] {
                let mk = &f.a.loaded_terms[m];
                if let Some(q) = f.doc.quote(mk.start, mk.end) {
                    if !loaded.iter().any(|l| l.text.eq_ignore_ascii_case(&q.text)) {
                        loaded.push(q);
                    }
                }
            }
        }
        let loaded = spread(&loaded, 4);
        let neutral = self.neutral_phrases(&passage, &sents, 6 - loaded.len().min(3));
        if loaded.is_empty() || neutral.is_empty() || loaded.len() + neutral.len() < 3 {
            return Vec::new();
        }
        let mut opts = Vec::new();
        for q in &loaded {
            opts.push(ExerciseOption {
                id: option_id(&format!("p{}", quote_subject(q))),
                text: q.text.clone(),
                quote: Some(q.clone()),
                article_hash: None,
                correct: true,
                explanation: format!(
                    "Loaded: “{}” carries a judgement or strong feeling, not just a description.",
                    q.text
                ),
            });
        }
        for q in &neutral {
            opts.push(ExerciseOption {
                id: option_id(&format!("p{}", quote_subject(q))),
                text: q.text.clone(),
                quote: Some(q.clone()),
                article_hash: None,
                correct: false,
                explanation: format!("Neutral: “{}” just says what or who; it doesn't judge.", q.text),
            });
        }
        // Single loaded words hidden among many options are harder to pick out.
        let n = opts.len();
        let content = ExerciseContent {
            prompt: "Read the passage. Which of these words or phrases are loaded — chosen to make you feel something rather than just describe? Choose all that apply."
                .into(),
            response_type: ResponseType::MultipleResponse,
            passage: Some(passage.clone()),
            options: in_text_order(opts),
            difficulty: difficulty((n >= 6) as u32 + (passage.text.chars().count() > 400) as u32),
            scoring: ScoringMode::Partial,
            rubric: None,
        };
        vec![self.exercise(
            ExerciseKind::LoadedLanguage,
            &format!("p{}", quote_subject(&passage)),
            content,
        )]
    }

    /// Plain words from the passage to stand beside its loaded terms: lowercase
    /// content words only, clear of every marker, and clear of words that often carry
    /// feeling, so a neutral option is never arguably loaded.
    fn neutral_phrases(&self, passage: &Quote, sents: &[usize], want: usize) -> Vec<Quote> {
        let f = self.f;
        let loaded_words: BTreeSet<String> = f.a.loaded_terms.iter().flat_map(|m| words(&m.text)).collect();
        let mut blocked: Vec<(usize, usize)> = Vec::new();
        for &s in sents {
            for &m in &f.loaded_in[s] {
                blocked.push((f.a.loaded_terms[m].start, f.a.loaded_terms[m].end));
            }
            for &m in &f.hedges_in[s] {
                blocked.push((f.a.hedges[m].start, f.a.hedges[m].end));
            }
            for &i in &f.attrs_in[s] {
                let at = &f.a.attributions[i];
                blocked.push((at.cue.start, at.cue.end));
            }
        }
        // Tokens with char offsets.
        let mut toks: Vec<(usize, usize, String)> = Vec::new();
        let mut cur: Option<usize> = None;
        let chars: Vec<char> = passage.text.chars().collect();
        for (k, &c) in chars.iter().chain(std::iter::once(&' ')).enumerate() {
            let inner = (c == '-' || c == '\'' || c == '’')
                && cur.is_some()
                && chars.get(k + 1).is_some_and(|n| n.is_alphabetic());
            if c.is_alphabetic() || inner {
                cur.get_or_insert(k);
            } else if let Some(b) = cur.take() {
                toks.push((passage.start + b, passage.start + k, chars[b..k].iter().collect()));
            }
        }
        // Single plain words rather than two-word windows: a window often straddles a
        // phrase boundary ("cartels felt"), which reads as a trick, not a phrase.
        let plain = |w: &str| {
            let lw = w.to_lowercase();
            w.chars().next().is_some_and(|c| c.is_lowercase())
                && w.chars().count() >= 5
                && !is_stopword(&lw)
                && !VAGUE_WORDS.contains(&lw.as_str())
                && !loaded_words.contains(&lw)
                && !FEELING_WORDS.iter().any(|f| lw.starts_with(f))
                // Adverbs and adjectives ("flagrantly", "nefarious", "massive") and verb forms
                // are where judgement hides; plain nouns are safely neutral.
                && !EVALUATIVE_ENDINGS.iter().any(|e| lw.ends_with(e))
        };
        let mut cands: Vec<Quote> = Vec::new();
        for (start, end, w) in &toks {
            if !plain(w) || blocked.iter().any(|&(s, e)| s < *end && *start < e) {
                continue;
            }
            if let Some(q) = f.doc.quote(*start, *end) {
                cands.push(q);
            }
        }
        let mut out: Vec<Quote> = Vec::new();
        for q in spread(&cands, want) {
            if !out.iter().any(|o| o.text.eq_ignore_ascii_case(&q.text)) {
                out.push(q);
            }
        }
        out
    }

    fn claim_chain(&self) -> Vec<Exercise> {
        let f = self.f;
        let mut out = Vec::new();
        for (s, q) in f.usable() {
            if out.len() >= 3 {
                break;
            }
            let relayed: Vec<(usize, usize)> = f
                .origins(s)
                .into_iter()
                .filter_map(|i| f.relay_of[i].map(|r| (i, r)))
                .collect();
            let content = if let [(o, r)] = relayed[..] {
                let (Some(on), Some(rn)) = (f.source_name(o), f.source_name(r)) else {
                    continue;
                };
                let unnamed = f.a.attributions[o]
                    .source
                    .as_ref()
                    .is_some_and(|x| x.kind.is_unnamed());
                let relay_ev = f.source_evidence(r);
                let opts = vec![
                    ExerciseOption {
                        id: option_id("chain:relayed"),
                        text: format!("It comes from {}, passed on through {}", on.text, rn.text),
                        quote: Some(on.clone()),
                        article_hash: None,
                        correct: true,
                        explanation: format!(
                            "Right: the claim starts with {} and reaches the writer through {}.",
                            f.source_evidence(o),
                            relay_ev
                        ),
                    },
                    ExerciseOption {
                        id: option_id("chain:direct-origin"),
                        text: capitalize(&format!("{} told the writer directly", on.text)),
                        quote: Some(on.clone()),
                        article_hash: None,
                        correct: false,
                        explanation: format!(
                            "The writer did not hear it from {} but through {}.",
                            on.text, relay_ev
                        ),
                    },
                    ExerciseOption {
                        id: option_id("chain:relay-own"),
                        text: capitalize(&format!("{} found it out first-hand", rn.text)),
                        quote: Some(rn.clone()),
                        article_hash: None,
                        correct: false,
                        explanation: format!(
                            "{} only passes on what someone else said: the claim starts with {}.",
                            rn.text,
                            f.source_evidence(o)
                        ),
                    },
                    ExerciseOption {
                        id: option_id("chain:none"),
                        text: "No source is given: the writer states it".into(),
                        quote: None,
                        article_hash: None,
                        correct: false,
                        explanation: format!(
                            "Two sources are named in the sentence: {} and {}.",
                            on.text, rn.text
                        ),
                    },
                ];
                ExerciseContent {
                    prompt: "How did this claim reach the writer?".into(),
                    response_type: ResponseType::SingleChoice,
                    passage: Some(q.clone()),
                    options: opts,
                    difficulty: if unnamed {
                        Difficulty::Hard
                    } else {
                        Difficulty::Medium
                    },
                    scoring: ScoringMode::AllOrNothing,
                    rubric: None,
                }
            } else if let [i] = f.attrs_in[s][..] {
                if !f.is_lone_outlet(i) {
                    continue;
                }
                let Some(rn) = f.source_name(i) else { continue };
                let ev = f.source_evidence(i);
                let opts = vec![
                    ExerciseOption {
                        id: option_id("chain:outlet"),
                        text: format!("The writer passes on what {} reported", rn.text),
                        // No highlight: it would be the only option with one, giving the key
                        // away in the student view.
                        quote: None,
                        article_hash: None,
                        correct: true,
                        explanation: format!(
                            "Right: it comes from {ev}; the writer did not find it out first-hand."
                        ),
                    },
                    ExerciseOption {
                        id: option_id("chain:named-person"),
                        text: "A named person told the writer directly".into(),
                        quote: None,
                        article_hash: None,
                        correct: false,
                        explanation: format!(
                            "No person is named for this claim; it is credited to {}.",
                            rn.text
                        ),
                    },
                    ExerciseOption {
                        id: option_id("chain:unnamed"),
                        text: "Unnamed sources told the writer".into(),
                        quote: None,
                        article_hash: None,
                        correct: false,
                        explanation: format!("The source is named: it comes from {ev}."),
                    },
                    ExerciseOption {
                        id: option_id("chain:none"),
                        text: "No source is given: the writer states it".into(),
                        quote: None,
                        article_hash: None,
                        correct: false,
                        explanation: format!("A source is given: it comes from {ev}."),
                    },
                ];
                ExerciseContent {
                    prompt: "How did this claim reach the writer?".into(),
                    response_type: ResponseType::SingleChoice,
                    passage: Some(q.clone()),
                    options: opts,
                    difficulty: Difficulty::Easy,
                    scoring: ScoringMode::AllOrNothing,
                    rubric: None,
                }
            } else {
                continue;
            };
            out.push(self.exercise(
                ExerciseKind::ClaimChain,
                &format!("s{}", quote_subject(q)),
                content,
            ));
        }
        out
    }

    fn piece_type(&self) -> Vec<Exercise> {
        let f = self.f;
        let usable: Vec<usize> = f.usable().map(|(s, _)| s).collect();
        if usable.len() < 3 {
            return Vec::new();
        }
        let n = usable.len();
        let questions = usable.iter().filter(|&&s| f.is_question(s)).count();
        let opinions = usable
            .iter()
            .filter(|&&s| f.a.sentences[s].voice == Voice::AuthorOpinion)
            .count();
        let attributed = usable
            .iter()
            .filter(|&&s| f.a.sentences[s].voice == Voice::Attributed)
            .count();
        let genre = f.a.genre;
        let cues = if f.a.genre_cues.is_empty() {
            String::new()
        } else {
            format!(" {}.", f.a.genre_cues.join("; "))
        };
        let stats = |g: Genre| match g {
            Genre::NewsReport => format!("{attributed} of {n} sentences report what sources say"),
            Genre::Interview => format!("{questions} of {n} sentences are questions put to someone"),
            Genre::Opinion => format!("{opinions} of {n} sentences give the writer's own opinion"),
        };
        let mk = |g: Genre, id: &str, text: &str| {
            let correct = g == genre;
            let explanation = if correct {
                format!("Right:{cues} {}.", stats(g))
            } else {
                let what = match g {
                    Genre::NewsReport => "A news report mostly tells what happened and who said it",
                    Genre::Interview => "An interview is laid out as questions and the answers to them",
                    Genre::Opinion => "An opinion piece argues the writer's own view",
                };
                format!("{what}; here {}.", stats(g))
            };
            ExerciseOption {
                id: id.into(),
                text: text.into(),
                quote: None,
                article_hash: None,
                correct,
                explanation,
            }
        };
        let opts = vec![
            mk(Genre::NewsReport, "news_report", "A news report"),
            mk(Genre::Interview, "interview", "An interview"),
            mk(Genre::Opinion, "opinion", "An opinion piece"),
        ];
        let mixed = match genre {
            Genre::Opinion => attributed * 3 > n,
            Genre::NewsReport => opinions * 6 > n,
            Genre::Interview => false,
        };
        let passage = f.stmt[usable[0]].clone();
        let content = ExerciseContent {
            prompt: "What kind of piece is this article?".into(),
            response_type: ResponseType::SingleChoice,
            passage,
            options: opts,
            difficulty: if mixed {
                Difficulty::Medium
            } else {
                Difficulty::Easy
            },
            scoring: ScoringMode::AllOrNothing,
            rubric: None,
        };
        vec![self.exercise(ExerciseKind::PieceType, "article", content)]
    }

    fn reflection(&self) -> Vec<Exercise> {
        let f = self.f;
        let title_words: BTreeSet<String> = content_words(self.article.title).into_iter().collect();
        // The most consequential claim resting on unnamed or relayed sources: unnamed and
        // relayed both weigh, stated without doubt weighs more, loaded wording and closeness
        // to the headline too.
        let mut best: Option<(u32, usize, usize)> = None;
        for (s, q) in f.usable() {
            if !matches!(f.basis[s], Basis::Unnamed | Basis::Named) {
                continue;
            }
            for i in f.origins(s) {
                let unnamed = f.a.attributions[i]
                    .source
                    .as_ref()
                    .is_none_or(|x| x.kind.is_unnamed());
                let relayed = f.relay_of[i].is_some();
                if !unnamed && !relayed {
                    continue;
                }
                let headline = content_words(&q.text)
                    .iter()
                    .filter(|w| title_words.contains(*w))
                    .count();
                let weight = 2 * unnamed as u32
                    + 2 * relayed as u32
                    + (!f.has_doubt(s)) as u32
                    + (!f.loaded_in[s].is_empty()) as u32
                    + headline.min(3) as u32;
                if best.is_none_or(|(w, _, _)| weight > w) {
                    best = Some((weight, s, i));
                }
            }
        }
        // Below this weight the claim is too minor to be worth a teacher's grading time.
        let Some((_, s, i)) = best.filter(|&(w, _, _)| w >= 4) else {
            return Vec::new();
        };
        let Some(sentence) = f.stmt[s].clone() else {
            return Vec::new();
        };
        let at = &f.a.attributions[i];
        let claim = at
            .content
            .as_ref()
            .and_then(|c| f.doc.quote(c.start, c.end))
            // A content span that is a fragment ("… assertions and") would misquote the
            // claim; fall back to the whole sentence.
            .filter(|c| {
                let ws = words(&c.text);
                sentence.start <= c.start
                    && c.end <= sentence.end
                    && ws.len() >= 6
                    && ws.last().is_some_and(|w| !is_stopword(w))
            })
            .map(|c| c.text)
            .unwrap_or_else(|| sentence.text.clone());
        let claim = claim.trim_matches(['“', '”', '"', ' ']);
        // "told officials that X" has content "that X"; the claim is X.
        let claim = claim.strip_prefix("that ").unwrap_or(claim);
        // Quotation marks inside the quoted claim become single ones, so the prompt's own
        // quotes stay readable.
        let claim = shorten(claim, 160).replace('“', "‘").replace('”', "’");
        let mut points = vec![format!(
            "Notices who the claim rests on: {}.",
            f.source_evidence(i)
        )];
        if let Some(r) = f.relay_of[i] {
            if let Some(rn) = f.source_name(r) {
                points.push(format!(
                    "Would find the original {} report and check what it actually says and whom it cites.",
                    rn.text
                ));
            }
        }
        points.push(
            "Would look for other outlets, ideally with named sources or official records, that confirm or contradict it."
                .into(),
        );
        points.push(
            "Asks why the source might not be named or what the source gains, and how the source could know."
                .into(),
        );
        if f.has_doubt(s) {
            points.push(
                "Notices the words of doubt in the sentence and does not pass the claim on as certain."
                    .into(),
            );
        }
        if !f.loaded_in[s].is_empty() {
            let ls = f.marker_texts(&f.a.loaded_terms, &f.loaded_in[s]);
            points.push(format!(
                "Notices the loaded wording ({}) and separates it from the facts.",
                join_quoted(&ls)
            ));
        }
        let rubric = format!(
            "A good answer names at least two concrete checks and says why each matters. Look for:\n- {}\nFull credit: two relevant checks with reasons. Half credit: one check, or checks without reasons.",
            points.join("\n- ")
        );
        let content = ExerciseContent {
            prompt: format!(
                "What would you check before sharing the claim that “{claim}”? Name two checks and say why each one matters."
            ),
            response_type: ResponseType::FreeText,
            passage: Some(sentence.clone()),
            options: Vec::new(),
            difficulty: Difficulty::Medium,
            scoring: ScoringMode::Partial,
            rubric: Some(rubric),
        };
        vec![self.exercise(
            ExerciseKind::Reflection,
            &format!("s{}", quote_subject(&sentence)),
            content,
        )]
    }
}

/// Word endings of adverbs, adjectives and verb forms, kept out of neutral options.
const EVALUATIVE_ENDINGS: &[&str] = &[
    "ly", "ing", "ed", "ous", "ful", "less", "ive", "al", "ic", "est", "able", "ible", "ish",
];

/// Plain but empty words that make silly "neutral" options.
const VAGUE_WORDS: &[&str] = &[
    "another",
    "anyone",
    "anything",
    "either",
    "everyone",
    "everything",
    "earlier",
    "later",
    "matter",
    "neither",
    "nothing",
    "others",
    "something",
    "someone",
    "there",
    "where",
    "which",
    "about",
    "among",
    "these",
    "those",
    "since",
    "until",
    "after",
    "other",
    "every",
    "still",
    "again",
    "quite",
];

/// Words by which the writer speaks as themself. Case matters: "US" is a country.
const FIRST_PERSON: &[&str] = &[
    "I", "I'm", "I’m", "I've", "I’ve", "I'd", "I’d", "me", "my", "My", "we", "We", "we've", "we’ve", "We've",
    "We’ve", "our", "Our", "us",
];

fn is_first_person(token: &str) -> bool {
    let t = token.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’');
    FIRST_PERSON.contains(&t)
}

/// Words in a source's description that say it is unnamed on purpose.
const ANONYMITY_WORDS: &[&str] = &[
    "anonym",
    "unnamed",
    "not authorized",
    "declined to be named",
    "not be named",
];

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
