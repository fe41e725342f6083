//! The interview kind: whose words a statement of an interview is — the interviewer's
//! question, the interviewee's answer, or someone the interviewee quotes.

use crate::analysis::{Genre, SourceKind};

use super::super::model::{
    Difficulty, Exercise, ExerciseContent, ExerciseKind, ExerciseOption, ResponseType, ScoringMode,
};
use super::super::options::quote_subject;
use super::{Doubts, Gen, KEEP_ABOVE};

/// Most statements asked about per interview.
const MAX_ITEMS: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Interviewer,
    Interviewee,
    Quoted,
}

impl Gen<'_, '_> {
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
                match counts.iter_mut().find(|(j, _)| f.same_source(*j, h)) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((h, 1)),
                }
                // Someone else's words inside the answer: a source cued in this sentence
                // that is not the interviewee.
                let quoted = f.attrs_in[s].iter().copied().find(|&i| {
                    i != h
                        && !f.same_source(i, h)
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
        let (Some(host), Some(guest_name)) = (interviewer, f.option_name(guest)) else {
            return Vec::new();
        };
        let host_name = f.a.attributions[host]
            .source
            .as_ref()
            .map(|s| s.text.trim().to_string())
            .filter(|t| !t.is_empty() && !super::super::names::PRONOUNS.contains(&t.to_lowercase().as_str()));
        // Only statements of this interviewee (or quoted inside their answers).
        roles.retain(|&(_, role, h)| match role {
            Role::Interviewer => true,
            Role::Interviewee => f.same_source(h, guest),
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
            doubts.add(
                f.attr_conf(h),
                format!("whose words “{}” are", super::super::text::shorten(&q.text, 60)),
            );
            let cue = f.a.attributions[h].cue.text.trim().to_string();
            let why = match role {
                Role::Interviewer => {
                    format!("it is a question put to {} (question “{cue}”)", guest_name.text)
                }
                Role::Interviewee => {
                    format!("it is part of {}'s answer (to question “{cue}”)", guest_name.text)
                }
                Role::Quoted => format!("{} passes on what {}", guest_name.text, f.source_evidence(h)),
            };
            let opt = |id: &str, text: &str, r: Role| ExerciseOption {
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
            };
            let opts = vec![
                opt("interviewer", &host_label, Role::Interviewer),
                opt("interviewee", &guest_label, Role::Interviewee),
                opt("quoted", &quoted_label, Role::Quoted),
            ];
            let content = ExerciseContent {
                prompt: "In this interview, whose words are these?".into(),
                response_type: ResponseType::SingleChoice,
                passage: Some(q.clone()),
                options: opts,
                difficulty: if role == Role::Quoted {
                    Difficulty::Hard
                } else {
                    Difficulty::Easy
                },
                scoring: ScoringMode::AllOrNothing,
                rubric: None,
                confidence: 1.0,
                needs_review: false,
                review_notes: Vec::new(),
            };
            out.extend(self.exercise(
                ExerciseKind::InterviewVoice,
                &format!("s{}", quote_subject(q)),
                content,
                doubts,
            ));
        }
        out
    }
}
