//! The interview kind: whose words a statement of an interview is — the interviewer's
//! question, the interviewee's answer, or someone the interviewee quotes.

use crate::analysis::{Genre, SourceKind};

use super::super::facts::Basis;
use super::super::model::{
    Difficulty, Exercise, ExerciseContent, ExerciseKind, ExerciseOption, Quote, ResponseType, ScoringMode,
};
use super::super::options::quote_subject;
use super::{Doubts, Gen, KEEP_ABOVE, REVIEW_BELOW};

/// Most statements asked about per interview.
const MAX_ITEMS: usize = 4;
/// Answers at least this long are asked about before shorter ones.
const MIN_ANSWER_WORDS: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Interviewer,
    Interviewee,
    Quoted,
}

/// The initials of a name's capitalised words: "David Palmer" → "DP".
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

/// The question both interview layouts ask of a statement `q` whose speaker has `role`:
/// the interviewer, the interviewee and someone quoted (`labels`, in that order) as options,
/// the right one explained by `why` and the other two told why not.
fn whose_words(
    q: &Quote,
    role: Role,
    why: &str,
    labels: [&str; 3],
    difficulty: Difficulty,
) -> ExerciseContent {
    let roles = [
        ("interviewer", Role::Interviewer),
        ("interviewee", Role::Interviewee),
        ("quoted", Role::Quoted),
    ];
    let options = roles
        .iter()
        .zip(labels)
        .map(|(&(id, r), text)| ExerciseOption {
            id: id.into(),
            text: text.into(),
            quote: None,
            article_hash: None,
            correct: r == role,
            explanation: if r == role {
                format!("Right: {why}.")
            } else {
                format!("Not here: {why}.")
            },
        })
        .collect();
    ExerciseContent {
        prompt: "In this interview, whose words are these?".into(),
        response_type: ResponseType::SingleChoice,
        passage: Some(q.clone()),
        options,
        difficulty,
        scoring: ScoringMode::AllOrNothing,
        rubric: None,
        confidence: 1.0,
        needs_review: false,
        review_notes: Vec::new(),
    }
}

impl Gen<'_, '_> {
    /// Whether attributions `i` and `j` are one speaker: the same source, or a transcript's
    /// label abbreviating the name to its initials ("DP" for "David Palmer").
    fn same_speaker(&self, i: usize, j: usize) -> bool {
        let f = self.f;
        if f.same_source(i, j) {
            return true;
        }
        let text = |k: usize| {
            f.a.attributions[k]
                .source
                .as_ref()
                .map(|s| s.text.trim().to_string())
        };
        let (Some(x), Some(y)) = (text(i), text(j)) else {
            return false;
        };
        let abbreviates = |short: &str, long: &str| {
            short.chars().count() >= 2
                && short.chars().all(char::is_uppercase)
                && long.split_whitespace().count() >= 2
                && initials(long) == short
        };
        abbreviates(&x, &y) || abbreviates(&y, &x)
    }

    /// How the text marks the turn attribution `h` opens, quoted, for a statement in
    /// `role`: a numbered question ("to question “1)”"), a transcript's speaker label ("the
    /// transcript's label “DP:”") or the cue.
    fn turn_marker(&self, h: usize, role: Role) -> String {
        let f = self.f;
        let at = &f.a.attributions[h];
        let cue = at.cue.text.trim();
        if cue.chars().any(char::is_alphabetic) {
            return format!("“{cue}”");
        }
        if cue.chars().any(|c| c.is_ascii_digit()) {
            let to = if role == Role::Interviewer { "" } else { "to " };
            return format!("{to}question “{cue}”");
        }
        // The label runs from its opening brackets to its closing ones: “((WN))”, “DP:”.
        let label = at.source.as_ref().and_then(|src| {
            let mut lo = src.start.min(at.cue.start);
            while lo > 0 && f.doc.slice(lo - 1, lo).is_some_and(|c| c == "(" || c == "[") {
                lo -= 1;
            }
            let mut hi = at.cue.end;
            while f.doc.slice(hi, hi + 1).is_some_and(|c| c == ")" || c == "]") {
                hi += 1;
            }
            f.doc.quote(lo, hi).filter(|q| q.text.chars().count() <= 40)
        });
        match label {
            Some(q) => format!("the transcript's label “{}”", q.text),
            None => format!("“{cue}”"),
        }
    }

    /// The attribution whose content holds all of sentence `s`, if exactly one does.
    fn holder(&self, s: usize) -> Option<usize> {
        let f = self.f;
        let sent = f.stmt.get(s)?.as_ref()?;
        let holders: Vec<usize> =
            f.a.attributions
                .iter()
                .enumerate()
                .filter(|(_, at)| {
                    at.content
                        .as_ref()
                        .is_some_and(|c| c.start <= sent.start && sent.end <= c.end + 1)
                        && at.source.is_some()
                })
                .map(|(i, _)| i)
                .collect();
        match holders[..] {
            [i] => Some(i),
            // The interviewer's and the interviewee's attribution of one Q&A share a cue
            // ("1)") but not their content; more than one holder is a muddle.
            _ => None,
        }
    }

    pub(super) fn interview_voice(&self) -> Vec<Exercise> {
        let f = self.f;
        if f.a.genre != Genre::Interview || f.genre_conf() < KEEP_ABOVE {
            return Vec::new();
        }
        let out = self.transcript_voice();
        if out.is_empty() && !self.questions_and_answers() {
            return self.prose_interview_voice();
        }
        out
    }

    /// A prose interview ("Mr. Haddox told us that …"): the writer tells the story around
    /// the interviewee's reported words, so a statement is the writer's narration, the
    /// interviewee's words (cued "he says", "Collins told VOA"), or someone the interviewee
    /// quotes. Only the surest of each: the writer's plain statements (no cue, no quotation,
    /// no source word) and the interviewee's cued ones with no other source in the sentence.
    fn prose_interview_voice(&self) -> Vec<Exercise> {
        let f = self.f;
        // The interviewee: the named person behind most trusted statements, at least three.
        let mut counts: Vec<(usize, usize)> = Vec::new();
        let mut theirs: Vec<(usize, usize)> = Vec::new();
        for (s, _) in f.usable() {
            let [h] = f.origins(s)[..] else { continue };
            let person = f.a.attributions[h]
                .source
                .as_ref()
                .is_some_and(|src| src.kind == SourceKind::NamedPerson);
            if !person || f.basis[s] != Basis::Named || f.is_question(s) || f.attr_conf(h) < REVIEW_BELOW {
                continue;
            }
            // Anyone else cued in the sentence ("when people say …") makes it a mix.
            if f.attrs_in[s].iter().any(|&i| i != h && !self.same_speaker(i, h)) || f.relay_of[h].is_some() {
                continue;
            }
            match counts.iter_mut().find(|(j, _)| self.same_speaker(*j, h)) {
                Some((_, n)) => *n += 1,
                None => counts.push((h, 1)),
            }
            theirs.push((s, h));
        }
        let Some(&(guest, n)) = counts.iter().max_by_key(|&&(j, n)| (n, std::cmp::Reverse(j))) else {
            return Vec::new();
        };
        // A second person as often quoted would make "the person interviewed" a guess.
        let rivals = counts.iter().filter(|&&(_, m)| m * 2 > n).count();
        if n < 2 || rivals > 1 {
            return Vec::new();
        }
        let guest_name = (0..f.a.attributions.len())
            .filter(|&j| self.same_speaker(j, guest))
            .filter_map(|j| f.option_name(j))
            .max_by_key(|q| (q.text.split_whitespace().count(), std::cmp::Reverse(q.start)));
        let Some(guest_name) = guest_name else {
            return Vec::new();
        };
        // "Mr. Haddox" is introduced as "Eric Haddox": the label uses the full name.
        let name = f
            .full_name_in_text(&guest_name.text)
            .unwrap_or_else(|| guest_name.text.clone());
        let answers: Vec<(usize, usize)> = theirs
            .into_iter()
            .filter(|&(_, h)| self.same_speaker(h, guest))
            .collect();
        // The writer's plain narration, nearest the top first (the introduction says who
        // is interviewed).
        let writer: Vec<usize> = f
            .usable()
            .map(|(s, _)| s)
            .filter(|&s| self.plainly_writers(s, 8))
            .collect();
        let Some(&narration) = writer.first() else {
            return Vec::new();
        };
        let mut picks: Vec<(usize, Role, Option<usize>)> = vec![(narration, Role::Interviewer, None)];
        for (s, h) in super::super::options::spread(&answers, MAX_ITEMS - 1) {
            picks.push((s, Role::Interviewee, Some(h)));
        }
        picks.sort_unstable_by_key(|p| p.0);

        let name = &name;
        let host_label = format!("The writer, who interviewed {name}");
        let guest_label = format!("{name}, the person interviewed");
        let quoted_label = format!("Someone {name} quotes or cites");
        let mut out = Vec::new();
        for (s, role, h) in picks {
            let Some(q) = &f.stmt[s] else { continue };
            let mut doubts = Doubts::default();
            doubts.add(f.genre_conf(), "that the piece is an interview");
            let why = match h {
                Some(h) => {
                    doubts.add(
                        f.attr_conf(h),
                        format!("whose words “{}” are", super::super::text::shorten(&q.text, 60)),
                    );
                    format!(
                        "these are {name}'s words, as the writer reports them — {}",
                        f.source_evidence(h)
                    )
                }
                None => {
                    doubts.add(
                        f.basis_conf(s),
                        format!(
                            "that “{}” is the writer's own narration",
                            super::super::text::shorten(&q.text, 60)
                        ),
                    );
                    format!(
                        "the writer tells this in their own words; no ‘said’ or quotation marks give it to {name} or anyone else"
                    )
                }
            };
            let labels = [host_label.as_str(), guest_label.as_str(), quoted_label.as_str()];
            let hard = if role == Role::Interviewer {
                Difficulty::Medium
            } else {
                Difficulty::Easy
            };
            out.extend(self.exercise(
                ExerciseKind::InterviewVoice,
                &format!("s{}", quote_subject(q)),
                whose_words(q, role, &why, labels, hard),
                doubts,
            ));
        }
        out
    }

    /// A question-and-answer interview: its questions are the interviewer's, its answers
    /// the interviewee's (or someone the interviewee quotes).
    fn transcript_voice(&self) -> Vec<Exercise> {
        let f = self.f;
        // The interviewer: the writer asking (an Author source holding the questions). The
        // interviewee: the named person holding most answers.
        let mut interviewer: Option<usize> = None;
        let mut counts: Vec<(usize, usize)> = Vec::new();
        let mut roles: Vec<(usize, Role, usize)> = Vec::new();
        for (s, _) in f.usable() {
            let Some(h) = self.holder(s) else { continue };
            let Some(src) = f.a.attributions[h].source.as_ref() else {
                continue;
            };
            if src.kind == SourceKind::Author {
                interviewer.get_or_insert(h);
                roles.push((s, Role::Interviewer, h));
            } else if src.kind == SourceKind::NamedPerson {
                match counts.iter_mut().find(|(j, _)| self.same_speaker(*j, h)) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((h, 1)),
                }
                // Someone else's words inside the answer: a source cued in this sentence
                // that is not the interviewee.
                let quoted = f.attrs_in[s].iter().copied().find(|&i| {
                    i != h
                        && !self.same_speaker(i, h)
                        && f.option_name(i).is_some()
                        && f.attr_conf(i) >= KEEP_ABOVE
                });
                match quoted {
                    Some(i) => roles.push((s, Role::Quoted, i)),
                    None => roles.push((s, Role::Interviewee, h)),
                }
            }
        }
        let Some(&(guest, _)) = counts.iter().max_by_key(|&&(j, n)| (n, std::cmp::Reverse(j))) else {
            return Vec::new();
        };
        // The guest's fullest name among the mentions of them ("David Palmer", not "DP").
        let guest_name = (0..f.a.attributions.len())
            .filter(|&j| self.same_speaker(j, guest))
            .filter_map(|j| f.option_name(j))
            .max_by_key(|q| (q.text.chars().count(), std::cmp::Reverse(q.start)));
        let Some(guest_name) = guest_name else {
            return Vec::new();
        };
        // A transcript whose interviewer's label the page lost ("Wikinews waves Left.png…")
        // still labels the answers: they are the interviewee's, asked about without a
        // question of the interviewer's beside them, when there are at least three.
        let labelled_answers = roles
            .iter()
            .filter(|r| r.1 == Role::Interviewee && self.same_speaker(r.2, guest))
            .count();
        if interviewer.is_none() && labelled_answers < 3 {
            return Vec::new();
        }
        let host_name = interviewer
            .and_then(|host| f.a.attributions[host].source.as_ref())
            .map(|s| s.text.trim().to_string())
            .filter(|t| !t.is_empty() && !super::super::names::PRONOUNS.contains(&t.to_lowercase().as_str()));
        // Only statements of this interviewee (or quoted inside their answers).
        roles.retain(|&(_, role, h)| match role {
            Role::Interviewer => true,
            Role::Interviewee => self.same_speaker(h, guest),
            Role::Quoted => true,
        });
        // One question, then answers spread over the interview, then a quoted line.
        let questions: Vec<usize> = roles
            .iter()
            .filter(|r| r.1 == Role::Interviewer && f.is_question(r.0))
            .map(|r| r.0)
            .collect();
        let answers: Vec<usize> = roles
            .iter()
            .filter(|r| r.1 == Role::Interviewee && !f.is_question(r.0))
            .map(|r| r.0)
            .collect();
        let quoted: Vec<usize> = roles
            .iter()
            .filter(|r| r.1 == Role::Quoted)
            .map(|r| r.0)
            .collect();
        let mut picks: Vec<usize> = Vec::new();
        picks.extend(questions.get(questions.len() / 2));
        picks.extend(quoted.first());
        let want = MAX_ITEMS.saturating_sub(picks.len());
        // Whole answers first: "A Winnipeg Jets fan!" cut from its "(laughter)" is a
        // fragment of the turn, and "Winnipeg?" too short to be worth asking about.
        let fragment = |s: usize| {
            let Some(q) = f.stmt[s].as_ref() else { return true };
            let para_end =
                f.a.paragraphs
                    .get(f.a.sentences[s].paragraph)
                    .map_or(q.end, |p| p.end);
            let rest = f.doc.slice(q.end, para_end.max(q.end)).unwrap_or("").trim_start();
            rest.starts_with(['(', '['])
        };
        let (full, short): (Vec<usize>, Vec<usize>) =
            answers.iter().filter(|&&s| !fragment(s)).partition(|&&s| {
                f.stmt[s]
                    .as_ref()
                    .is_some_and(|q| super::super::text::words(&q.text).len() >= MIN_ANSWER_WORDS)
            });
        let answers: Vec<usize> = if full.len() >= want {
            full
        } else {
            full.into_iter().chain(short).collect()
        };
        picks.extend(super::super::options::spread(&answers, want));
        picks.sort_unstable();
        picks.dedup();

        let host_label = match &host_name {
            Some(n) => format!("The interviewer ({n})"),
            None => "The interviewer".to_string(),
        };
        let guest_label = format!("{}, the person interviewed", guest_name.text);
        let quoted_label = format!("Someone {} quotes or cites", guest_name.text);
        let mut out = Vec::new();
        for s in picks {
            let Some(q) = &f.stmt[s] else { continue };
            let Some(&(_, role, h)) = roles.iter().find(|r| r.0 == s) else {
                continue;
            };
            let mut doubts = Doubts::default();
            // A transcript label ("DP:") is no phrase to check as a source: the layout
            // says who speaks, so the analysis's own confidence in it stands.
            let at = &f.a.attributions[h];
            let label = !at.cue.text.chars().any(char::is_alphanumeric);
            let conf = if role == Role::Interviewee && label {
                at.confidence.clamp(0.0, 1.0)
            } else {
                f.attr_conf(h)
            };
            doubts.add(
                conf,
                format!("whose words “{}” are", super::super::text::shorten(&q.text, 60)),
            );
            let marker = self.turn_marker(h, role);
            let why = match role {
                Role::Interviewer => format!("it is a question put to {} ({marker})", guest_name.text),
                Role::Interviewee => format!("it is part of {}'s answer ({marker})", guest_name.text),
                Role::Quoted => format!("{} passes on what {}", guest_name.text, f.source_evidence(h)),
            };
            let labels = [host_label.as_str(), guest_label.as_str(), quoted_label.as_str()];
            let hard = if role == Role::Quoted {
                Difficulty::Hard
            } else {
                Difficulty::Easy
            };
            out.extend(self.exercise(
                ExerciseKind::InterviewVoice,
                &format!("s{}", quote_subject(q)),
                whose_words(q, role, &why, labels, hard),
                doubts,
            ));
        }
        out
    }
}
