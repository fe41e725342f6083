//! Export to Moodle GIFT text: one question per exercise, blank line between questions.
//!
//! How each exercise maps:
//! - single choice → `{=right#why ~wrong#why}`: 1 or 0, as [`crate::exercises::grade`];
//! - multiple response, partial → every correct option `~%P%` and every wrong one `~%−P%`
//!   with P = 100/correct_total. Moodle clamps a multiple-answer question's score at 0, so
//!   this is exactly max(0, (correct chosen − wrong chosen)/correct total). Moodle only offers
//!   a fixed set of grade percentages (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40,
//!   33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5): 1/n is in it for
//!   n = 1–10 and 20, written with Moodle's five decimals (so 3 × 33.33333 = 99.99999, which
//!   Moodle accepts as 100). For any other n the nearest value is used and a `//` comment
//!   above the question says so: its scores then differ slightly from ours.
//! - multiple response, all-or-nothing → correct options `~%P%`, wrong ones `~%-100%`. A wrong
//!   choice then zeroes the question, as here, but GIFT has no all-or-nothing multiple answer
//!   type, so Moodle gives partial credit to a selection that misses a correct option and
//!   picks no wrong one. A comment above the question says so.
//! - free text (reflection) → an essay, `{}`; the rubric goes into a comment (GIFT has no
//!   field for grader information).
//!
//! Text is escaped for GIFT: `\`, `~`, `=`, `#`, `{`, `}`, `:` get a backslash, newlines
//! become `\n`, and the question text is marked `[plain]` so Moodle shows `<` as `<` rather
//! than reading it as HTML.

use std::fmt::Write as _;

use super::qti::title;
use crate::exercises::{Exercise, ExerciseContent, ResponseType, ScoringMode};

/// Moodle's grade fractions for answers, in percent (from `question_bank::fraction_options`).
const MOODLE_PERCENTAGES: [f64; 20] = [
    100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0, 33.33333, 30.0, 25.0, 20.0,
    16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0,
];

/// Escapes GIFT's special characters and newlines.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '~' | '=' | '#' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A `//` comment line: comments end at the line end, so newlines become spaces.
fn comment(out: &mut String, text: &str) {
    let flat: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let _ = writeln!(out, "// {flat}");
}

/// The Moodle percentage for 1/n, and whether it had to be rounded to the nearest allowed one.
pub fn share_percentage(n: usize) -> (f64, bool) {
    let exact = 100.0 / n.max(1) as f64;
    let mut best = MOODLE_PERCENTAGES[0];
    for &p in &MOODLE_PERCENTAGES {
        if (p - exact).abs() < (best - exact).abs() {
            best = p;
        }
    }
    // Listed values carry five decimals, so "the same" means within that precision.
    (best, (best - exact).abs() > 1e-5)
}

fn percent(p: f64) -> String {
    let mut s = format!("{p:.5}");
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    s
}

fn feedback(explanation: &str) -> String {
    if explanation.trim().is_empty() {
        String::new()
    } else {
        format!("#{}", escape(explanation))
    }
}

fn question_text(content: &ExerciseContent) -> String {
    let mut text = escape(&content.prompt);
    if let Some(p) = &content.passage {
        text.push_str("\\n\\n\u{201c}");
        text.push_str(&escape(&p.text));
        text.push('\u{201d}');
    }
    text
}

/// The GIFT text of one exercise, ending with a newline.
pub fn question(exercise: &Exercise) -> String {
    let content = &exercise.content;
    let mut out = String::with_capacity(1024);
    let short_id: String = exercise.id.simple().to_string().chars().take(8).collect();
    comment(&mut out, &format!("newslit exercise {}", exercise.id));
    let name = format!("{} {short_id}", title(exercise.kind));
    let head = format!("::{}::[plain]{}", escape(&name), question_text(content));
    match content.response_type {
        ResponseType::FreeText => {
            if let Some(rubric) = content.rubric.as_deref().filter(|r| !r.trim().is_empty()) {
                comment(&mut out, &format!("rubric for the grader: {rubric}"));
            }
            let _ = writeln!(out, "{head} {{}}");
        }
        ResponseType::SingleChoice => {
            let _ = writeln!(out, "{head} {{");
            for o in &content.options {
                let mark = if o.correct { '=' } else { '~' };
                let _ = writeln!(out, "\t{mark}{}{}", escape(&o.text), feedback(&o.explanation));
            }
            out.push_str("}\n");
        }
        ResponseType::MultipleResponse => {
            let correct_total = content.options.iter().filter(|o| o.correct).count();
            let (share, rounded) = share_percentage(correct_total);
            if rounded {
                comment(
                    &mut out,
                    &format!(
                        "{correct_total} correct options: 1/{correct_total} of the marks is not a grade Moodle \
                         offers, rounded to {}%",
                        percent(share)
                    ),
                );
            }
            let wrong = match content.scoring {
                ScoringMode::Partial => -share,
                ScoringMode::AllOrNothing => {
                    comment(
                        &mut out,
                        "scored all-or-nothing in newslit: any wrong choice scores 0 in Moodle too, but \
                         Moodle gives partial credit for choosing only some of the correct options",
                    );
                    -100.0
                }
            };
            let _ = writeln!(out, "{head} {{");
            for o in &content.options {
                let weight = if o.correct { share } else { wrong };
                let _ = writeln!(
                    out,
                    "\t~%{}%{}{}",
                    percent(weight),
                    escape(&o.text),
                    feedback(&o.explanation)
                );
            }
            out.push_str("}\n");
        }
    }
    out
}

/// A GIFT file of `exercises`, questions separated by blank lines.
pub fn document(exercises: &[Exercise]) -> String {
    let mut out = String::new();
    for (i, e) in exercises.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&question(e));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercises::ExerciseKind;
    use crate::results::qti::tests::exercise;

    /// Splits a GIFT answer block into (weight, text, feedback) with escapes resolved: a
    /// small reader of what Moodle's parser does, to check the writer against.
    fn answers(gift: &str) -> Vec<(String, String, String)> {
        let body = &gift[gift.find(" {\n").expect("answer block") + 3..gift.rfind('}').expect("end")];
        body.lines()
            .map(|line| {
                let line = line.trim_start_matches('\t');
                let (mark, rest) = line.split_at(1);
                let (weight, rest) = if mark == "~" && rest.starts_with('%') {
                    let end = rest[1..].find('%').expect("closing %") + 1;
                    (rest[1..end].to_string(), &rest[end + 1..])
                } else {
                    (mark.to_string(), rest)
                };
                // Split at the first unescaped '#'.
                let mut text = String::new();
                let mut fb = String::new();
                let mut in_fb = false;
                let mut chars = rest.chars();
                while let Some(c) = chars.next() {
                    let target = if in_fb { &mut fb } else { &mut text };
                    match c {
                        '\\' => match chars.next() {
                            Some('n') => target.push('\n'),
                            Some(x) => target.push(x),
                            None => panic!("dangling backslash"),
                        },
                        '#' if !in_fb => in_fb = true,
                        '~' | '=' | '{' | '}' | ':' | '#' => panic!("unescaped {c} in {line}"),
                        c => target.push(c),
                    }
                }
                (weight, text, fb)
            })
            .collect()
    }

    #[test]
    fn single_choice_marks_the_key_with_equals() {
        let e = exercise(
            ResponseType::SingleChoice,
            ScoringMode::Partial,
            &[false, true, false],
        );
        let g = question(&e);
        assert!(g.starts_with("// newslit exercise 00000000-0000-0000-0000-000000001234\n::Anonymous sources 00000000::[plain]"), "{g}");
        let a = answers(&g);
        let weights: Vec<&str> = a.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(weights, vec!["~", "=", "~"]);
        assert_eq!(a[1].1, "Option b2 says 'x' < y");
        assert_eq!(a[1].2, "Because b2: no name is given");
    }

    #[test]
    fn partial_weights_mirror_our_scoring() {
        let e = exercise(
            ResponseType::MultipleResponse,
            ScoringMode::Partial,
            &[true, true, true, false, false],
        );
        let g = question(&e);
        let weights: Vec<String> = answers(&g).into_iter().map(|x| x.0).collect();
        assert_eq!(
            weights,
            vec!["33.33333", "33.33333", "33.33333", "-33.33333", "-33.33333"]
        );
        assert!(!g.contains("rounded"), "1/3 is a Moodle grade: no rounding note");

        let e = exercise(
            ResponseType::MultipleResponse,
            ScoringMode::Partial,
            &[true, false, true, false],
        );
        let weights: Vec<String> = answers(&question(&e)).into_iter().map(|x| x.0).collect();
        assert_eq!(weights, vec!["50", "-50", "50", "-50"]);
    }

    #[test]
    fn moodle_percentages_and_rounding() {
        assert_eq!(share_percentage(1), (100.0, false));
        assert_eq!(share_percentage(6), (16.66667, false));
        assert_eq!(share_percentage(7), (14.28571, false));
        assert_eq!(share_percentage(20), (5.0, false));
        // 1/11 = 9.0909… is not offered; 10 is the nearest.
        assert_eq!(share_percentage(11), (10.0, true));
        assert_eq!(percent(-12.5), "-12.5");
    }

    #[test]
    fn all_or_nothing_voids_on_any_wrong_choice_and_says_what_differs() {
        let e = exercise(
            ResponseType::MultipleResponse,
            ScoringMode::AllOrNothing,
            &[true, false, true],
        );
        let g = question(&e);
        let weights: Vec<String> = answers(&g).into_iter().map(|x| x.0).collect();
        assert_eq!(weights, vec!["50", "-100", "50"]);
        assert!(g.contains("// scored all-or-nothing in newslit"), "{g}");
    }

    #[test]
    fn free_text_is_an_essay_with_the_rubric_in_a_comment() {
        let mut e = exercise(ResponseType::FreeText, ScoringMode::Partial, &[]);
        e.kind = ExerciseKind::Reflection;
        e.content.rubric = Some("Names the source;\nsays how they knew".into());
        let g = question(&e);
        assert!(
            g.contains("// rubric for the grader: Names the source; says how they knew\n"),
            "{g}"
        );
        assert!(g.trim_end().ends_with(" {}"), "{g}");
        assert_eq!(g.lines().filter(|l| l.starts_with("::")).count(), 1);
    }

    #[test]
    fn special_characters_are_escaped() {
        assert_eq!(
            escape("a~b=c#d{e}f:g\\h\ni"),
            "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"
        );
        let mut e = exercise(ResponseType::SingleChoice, ScoringMode::Partial, &[true, false]);
        e.content.prompt = "Who said: {x} = #1?\n\nExplain".into();
        e.content.options[0].text = "=right~ish#".into();
        e.content.options[0].explanation = "the cue: 'said'".into();
        let g = question(&e);
        // The question text holds no bare special character and no line break.
        let head = g.lines().nth(1).unwrap();
        assert!(
            head.contains("Who said\\: \\{x\\} \\= \\#1?\\n\\nExplain"),
            "{head}"
        );
        let a = answers(&g);
        assert_eq!(a[0], ("=".into(), "=right~ish#".into(), "the cue: 'said'".into()));
    }

    #[test]
    fn a_document_separates_questions_by_blank_lines() {
        let a = exercise(ResponseType::SingleChoice, ScoringMode::Partial, &[true, false]);
        let b = exercise(ResponseType::FreeText, ScoringMode::Partial, &[]);
        let doc = document(&[a, b]);
        assert_eq!(doc.matches("\n\n").count(), 1, "{doc}");
        // No blank line inside a question, which would end it early.
        for q in doc.split("\n\n") {
            assert_eq!(q.lines().filter(|l| l.starts_with("::")).count(), 1);
        }
    }
}
