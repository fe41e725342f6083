//! The reflection kind: free-text questions on what to check before believing a claim —
//! one resting on an unnamed or relayed source, and one the writer makes with no source.

use std::collections::BTreeSet;

use crate::analysis::{Genre, Voice};

use super::super::facts::Basis;
use super::super::lists;
use super::super::model::{
    Difficulty, Exercise, ExerciseContent, ExerciseKind, Quote, ResponseType, ScoringMode,
};
use super::super::options::{join_quoted, quote_subject};
use super::super::text::{content_words, is_stopword, shorten, words};
use super::{Doubts, Gen, KEEP_ABOVE};

/// Fewest words a writer's claim needs to be worth checking.
const WRITER_CLAIM_WORDS: usize = 10;
/// The same for the second such question of a sparse article: a short plain claim ("Nearly
/// 30,000 disappeared in the Argentina military dictatorship.") is still worth checking.
const SECOND_CLAIM_WORDS: usize = 8;

impl Gen<'_, '_> {
    /// The rubric of a reflection on sentence `s`: the kind's own points, then what either kind
    /// looks for when the sentence doubts or uses loaded words.
    fn rubric(&self, s: usize, mut points: Vec<String>) -> String {
        let f = self.f;
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
        format!(
            "A good answer names at least two concrete checks and says why each matters. Look for:\n- {}\nFull credit: two relevant checks with reasons. Half credit: one check, or checks without reasons.",
            points.join("\n- ")
        )
    }

    pub(super) fn reflection(&self) -> Vec<Exercise> {
        let mut out = self.weak_source_reflection();
        out.extend(self.writer_claim_reflection(0));
        out
    }

    /// The writer's most consequential claim that names no source, asked about as a check a
    /// reader can make: it rests only on the writer. Its premise is the surest finding the
    /// generator has (no cue, no source word, no quotation), so it holds where nothing else
    /// about the article can be keyed.
    ///
    /// `rank` 0 asks about the best such claim; 1 about the next best, for an article that
    /// supports few other exercises (see `kinds::all`).
    pub(super) fn writer_claim_reflection(&self, rank: usize) -> Vec<Exercise> {
        let f = self.f;
        // A transcript's unsourced lines are the interviewer's questions, but for its
        // introduction, the writer's, before the first turn.
        let intro_end = if self.questions_and_answers() {
            let Some(at) = self.first_turn() else {
                return Vec::new();
            };
            Some(at)
        } else {
            None
        };
        let column = f.a.genre == Genre::Opinion && f.genre_conf() >= KEEP_ABOVE;
        let title_words: BTreeSet<String> = content_words(self.article.title).into_iter().collect();
        let mut cands: Vec<(usize, &Quote)> = f
            .usable()
            .filter(|&(s, q)| {
                f.basis[s] == Basis::Unsourced
                    && matches!(f.a.sentences[s].voice, Voice::AuthorReport | Voice::AuthorOpinion)
                    && f.basis_conf(s) >= KEEP_ABOVE
                    && !f.has_source_words(s)
                    // No word of saying at all ("commentators point to …" is theirs).
                    && !words(&q.text).iter().any(|w| lists::get().reporting_cues.contains(w))
                    && !f.is_question(s)
                    && !f.inside_quotation(s)
                    && !q.text.contains(['"', '“', '”'])
                    && words(&q.text).len() >= SECOND_CLAIM_WORDS
                    && !self.in_turns(s)
                    && intro_end.is_none_or(|at| f.a.sentences[s].start < at)
            })
            .collect();
        cands.sort_by_key(|&(s, q)| {
            let headline = content_words(&q.text)
                .iter()
                .filter(|w| title_words.contains(*w))
                .count()
                .min(3);
            // In an opinion piece the writer's judgement first: that is where a reader
            // most needs to ask what the claim rests on. In a report, the claim closest
            // to the headline.
            let judged = column && f.a.sentences[s].voice == Voice::AuthorOpinion;
            std::cmp::Reverse((judged, headline, std::cmp::Reverse(s)))
        });
        let long = |q: &Quote| words(&q.text).len() >= WRITER_CLAIM_WORDS;
        let first = cands.iter().position(|(_, q)| long(q));
        let pick = match rank {
            0 => first,
            // A further question only beside a first one: the rank-th other claim.
            _ => first.and_then(|f0| (0..cands.len()).filter(|&k| k != f0).nth(rank - 1)),
        };
        let Some(&(s, sentence)) = pick.and_then(|k| cands.get(k)) else {
            return Vec::new();
        };
        // The analyzer's opinion voice alone is not sure enough in a report to tell a student
        // "this is the writer's view"; "names no source" holds either way.
        let opinion = column && f.a.sentences[s].voice == Voice::AuthorOpinion;
        let claim = shorten(&sentence.text, 150).replace('“', "‘").replace('”', "’");
        let mut points = vec![
            "Notices that the writer names no source for this: no ‘said’, ‘according to’ or similar, so it rests on the writer alone."
                .to_string(),
        ];
        if opinion {
            points.push(
                "Separates what can be checked (events, figures) from the judgement the writer draws from it.".into(),
            );
            points.push(
                "Looks for the evidence the article gives elsewhere (figures, named sources, documents) and asks whether it is enough."
                    .into(),
            );
            points.push("Looks for a well-informed view that disagrees, and weighs it.".into());
        } else {
            points.push(
                "Would look for an official record, data or a named source that confirms it, or another outlet's report."
                    .into(),
            );
            points.push("Asks how the writer could know this, and whether it is fact or the writer's reading of events.".into());
        }
        let rubric = self.rubric(s, points);
        let prompt = if opinion {
            format!(
                "The writer's own view, no source named: “{claim}” What would you look for before agreeing? Name two things and say why each matters."
            )
        } else {
            format!(
                "The writer states this without naming a source: “{claim}” How could you check it? Name two checks and say why each matters."
            )
        };
        let content = ExerciseContent {
            prompt,
            response_type: ResponseType::FreeText,
            passage: Some(sentence.clone()),
            options: Vec::new(),
            difficulty: Difficulty::Medium,
            scoring: ScoringMode::Partial,
            rubric: Some(rubric),
            confidence: 1.0,
            needs_review: false,
            review_notes: Vec::new(),
        };
        let mut doubts = Doubts::default();
        self.doubt_basis(&mut doubts, s);
        self.exercise(
            ExerciseKind::Reflection,
            &format!("s{}", quote_subject(sentence)),
            content,
            doubts,
        )
        .into_iter()
        .collect()
    }

    /// The most consequential claim resting on an unnamed or relayed source.
    fn weak_source_reflection(&self) -> Vec<Exercise> {
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
                if (!unnamed && !relayed) || f.attr_conf(i) < KEEP_ABOVE {
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
                // Of equal weight, the claim whose source the analysis is surest of.
                let sure = |k: usize| f.attr_conf(k) >= 0.85;
                if best.is_none_or(|(w, _, b)| (weight, sure(i)) > (w, sure(b))) {
                    best = Some((weight, s, i));
                }
            }
        }
        // Below this weight the claim is too minor to be worth a teacher's grading time.
        // A claim stated as certain on a source the analysis is sure is unnamed ("Officials
        // speaking to the AP blamed …") is worth asking about whatever its weight.
        let Some((_, s, i)) = best.filter(|&(w, _, i)| w >= 4 || (w >= 3 && f.attr_conf(i) >= 0.85)) else {
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
        let rubric = self.rubric(s, points);
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
            confidence: 1.0,
            needs_review: false,
            review_notes: Vec::new(),
        };
        let mut doubts = Doubts::default();
        doubts.add(
            f.attr_conf(i),
            format!("that the claim rests on {}", f.source_evidence(i)),
        );
        if let Some(r) = f.relay_of[i] {
            doubts.add(
                f.attr_conf(r),
                format!("that it was passed on by {}", f.source_evidence(r)),
            );
        }
        self.exercise(
            ExerciseKind::Reflection,
            &format!("s{}", quote_subject(&sentence)),
            content,
            doubts,
        )
        .into_iter()
        .collect()
    }
}
