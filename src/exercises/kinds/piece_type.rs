//! The piece-type kind: news report, interview or opinion piece.

use crate::analysis::{Genre, Voice};

use super::super::lists;
use super::super::model::{
    Difficulty, Exercise, ExerciseContent, ExerciseKind, ExerciseOption, ResponseType, ScoringMode,
};
use super::super::options::is_first_person;
use super::super::text::words;
use super::{Doubts, Gen};

/// Words that date a news lead: the days of the week, today, yesterday, tonight.
const NEWS_DAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tonight",
];

/// The passage shown is the first sentence of at least this many words.
const LEAD_WORDS: usize = 6;

fn genre_name(g: Genre) -> &'static str {
    match g {
        Genre::NewsReport => "a news report",
        Genre::Interview => "an interview",
        Genre::Opinion => "an opinion piece",
    }
}

impl Gen<'_, '_> {
    pub(super) fn piece_type(&self) -> Vec<Exercise> {
        let f = self.f;
        let usable: Vec<usize> = f.usable().map(|(s, _)| s).collect();
        // Laid out as questions and answers the analysis read as prose: its genre is wrong.
        if usable.len() < 3 || self.turns_from().is_some() {
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
                // The analyzer's cues already count what they rest on; two sets of
                // counts over slightly different sentences would only confuse.
                if cues.is_empty() {
                    format!("Right: {}.", stats(g))
                } else {
                    format!("Right:{cues}")
                }
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
        // The lead the student reads first: the first sentence long enough to be one, not a
        // page's "See our media guide." left above it.
        let lead = usable
            .iter()
            .copied()
            .find(|&s| {
                f.stmt[s]
                    .as_ref()
                    .is_some_and(|q| super::super::text::words(&q.text).len() >= LEAD_WORDS)
            })
            .unwrap_or(usable[0]);
        let passage = f.stmt[lead].clone();
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
            confidence: 1.0,
            needs_review: false,
            review_notes: Vec::new(),
        };
        // The genre must show in what a student can count, not only in the analyzer's
        // reading: a news report attributes much of what it says, an opinion piece has the
        // writer's plain judgements, an interview has its questions.
        let plain_opinions = usable
            .iter()
            .filter(|&&s| {
                f.stmt[s]
                    .as_ref()
                    .is_some_and(|q| lists::get().opinion_marker(&q.text).is_some() && !f.inside_quotation(s))
            })
            .count();
        // A prose interview has no questions to count, but says what it is in its title or
        // its introduction (the first three paragraphs of the body).
        let mut intro: Vec<usize> = usable.iter().map(|&s| f.a.sentences[s].paragraph).collect();
        intro.dedup();
        intro.truncate(3);
        let says_interview = std::iter::once(self.article.title)
            .chain(
                usable
                    .iter()
                    .filter(|&&s| intro.contains(&f.a.sentences[s].paragraph))
                    .filter_map(|&s| f.stmt[s].as_ref().map(|q| q.text.as_str())),
            )
            .any(|t| t.to_lowercase().contains("interview"));
        // A report that quotes little still shows its kind in its lead: it dates the event
        // ("On Sunday, China announced …"), and nowhere does the writer ask, judge or speak
        // as themself.
        let dated_lead = f.stmt[usable[0]].as_ref().is_some_and(|q| {
            let ws = words(&q.text);
            ws.iter().any(|w| NEWS_DAYS.contains(&w.as_str()))
                || ws.windows(2).any(|p| {
                    matches!(p[1].as_str(), "week" | "night" | "morning")
                        && matches!(p[0].as_str(), "this" | "last")
                })
        });
        let writer_speaks = usable.iter().any(|&s| {
            f.stmt[s].as_ref().is_some_and(|q| {
                f.a.sentences[s].voice != Voice::Attributed
                    && !f.inside_quotation(s)
                    && !q.text.contains(['"', '“', '”'])
                    && q.text.split_whitespace().any(is_first_person)
            })
        });
        // Hardly a judgement of the writer's own (one in twenty sentences) shows it as well.
        let plain_report = questions == 0
            && plain_opinions == 0
            && !writer_speaks
            && ((dated_lead && opinions * 8 < n) || opinions * 20 < n);
        let (shows, what) = match genre {
            Genre::NewsReport => (
                attributed * 100 >= n * 35 || plain_report,
                if plain_report && attributed * 100 < n * 35 {
                    format!(
                        "{attributed} of {n} sentences attributed, {opinions} of the writer's own judgements; the writer never asks a question or says ‘I’"
                    )
                } else {
                    format!("{attributed} of {n} sentences attributed")
                },
            ),
            // Plain judging words, or many of the writer's own judgements with few sources.
            Genre::Opinion => (
                plain_opinions >= 2 || (opinions >= 5 && attributed * 4 < n),
                format!(
                    "{plain_opinions} sentences with the writer's plain judgement, {opinions} of the writer's own judgements, {attributed} of {n} sentences attributed"
                ),
            ),
            Genre::Interview => (
                questions >= 2 || says_interview,
                format!("{questions} questions; the piece calls itself an interview: {says_interview}"),
            ),
        };
        let attributed_enough = attributed * 100 >= n * 35;
        // Read off the lead and the missing judgements, the key's explanation says so rather
        // than repeat the analyzer's count of attributions.
        let mut content = content;
        if genre == Genre::NewsReport && !attributed_enough && plain_report {
            let lead = if dated_lead {
                "the lead dates the event, and "
            } else {
                ""
            };
            for o in content.options.iter_mut().filter(|o| o.correct) {
                o.explanation = format!(
                    "Right: it tells what happened in the third person — {lead}the writer asks no questions, never says ‘I’ and gives an opinion in {opinions} of {n} sentences."
                );
            }
        }
        let mut doubts = Doubts::default();
        doubts.add(
            match (shows, genre == Genre::NewsReport && !attributed_enough) {
                (false, _) => 0.5,
                // Read off the lead and the absent judgements: less than counting sources.
                (true, true) => 0.8,
                (true, false) => 0.9,
            },
            format!("that the text shows it is {}: {what}", genre_name(genre)),
        );
        doubts.add(
            f.genre_conf(),
            format!(
                "that the piece is {}: {}",
                genre_name(genre),
                f.a.genre_cues.join("; ")
            ),
        );
        self.exercise(ExerciseKind::PieceType, "article", content, doubts)
            .into_iter()
            .collect()
    }
}
