//! Results: gradebook (JSON and CSV), incremental pulls, manual grading, release, regrade,
//! item analysis and exports. The fixture here sets the classroom up directly in the database
//! (answers with the scores, attempts and late flags a test needs), so these tests depend on
//! its schema only; `classroom_loop` goes through the API end to end.

mod changes;
mod classroom_loop;
mod exports;
mod gradebook;
mod grading;

use newslit::exercises::{Difficulty, ExerciseContent, ExerciseOption, ResponseType, ScoringMode};
use newslit::identity::user_id;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::insert_published_exercise;

const TEACHER: &str = "tess";
const GRADER: &str = "gary";

struct Fixture {
    class_id: Uuid,
    assignment_id: Uuid,
    /// q1: single choice (key a), q2: multiple response (key a, b), q3: free text.
    exercises: [Uuid; 3],
    students: Vec<Uuid>,
}

fn option(id: &str, correct: bool) -> ExerciseOption {
    ExerciseOption {
        id: id.into(),
        text: format!("Option {id}"),
        quote: None,
        article_hash: None,
        correct,
        explanation: format!("Why {id}"),
    }
}

fn content(response_type: ResponseType, key: &[(&str, bool)]) -> ExerciseContent {
    ExerciseContent {
        prompt: "Which statements come from unnamed sources?".into(),
        response_type,
        passage: None,
        options: key.iter().map(|(id, c)| option(id, *c)).collect(),
        difficulty: Difficulty::Easy,
        scoring: ScoringMode::Partial,
        rubric: (response_type == ResponseType::FreeText).then(|| "Names the source".into()),
        confidence: 1.0,
        needs_review: false,
        review_notes: Vec::new(),
    }
}

async fn user(pool: &PgPool, subject: &str, role: &str, name: Option<&str>) -> Uuid {
    let id = user_id(subject);
    sqlx::query!(
        "INSERT INTO users (id, subject, role, display_name) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        id,
        subject,
        role,
        name,
    )
    .execute(pool)
    .await
    .unwrap();
    id
}

async fn exercise(pool: &PgPool, kind: &str, content: &ExerciseContent) -> Uuid {
    insert_published_exercise(pool, kind, &serde_json::to_value(content).unwrap()).await
}

async fn setup(pool: &PgPool, feedback: &str, students: &[(&str, Option<&str>)]) -> Fixture {
    let teacher = user(pool, TEACHER, "teacher", Some("Tess")).await;
    let grader = user(pool, GRADER, "grader", Some("Gary")).await;
    user(pool, "olga", "grader", None).await;
    user(pool, "tom", "teacher", None).await;
    let class_id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO classes (id, name, teacher_id, join_code) VALUES ($1, 'Media 9b', $2, $3)",
        class_id,
        teacher,
        format!("J{}", &class_id.simple().to_string()[..7]),
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query!(
        "INSERT INTO class_members (class_id, user_id, role) VALUES ($1, $2, 'grader')",
        class_id,
        grader,
    )
    .execute(pool)
    .await
    .unwrap();
    let mut ids = Vec::new();
    for (subject, name) in students {
        let id = user(pool, subject, "student", *name).await;
        sqlx::query!(
            "INSERT INTO class_members (class_id, user_id, role) VALUES ($1, $2, 'student')",
            class_id,
            id,
        )
        .execute(pool)
        .await
        .unwrap();
        ids.push(id);
    }
    let assignment_id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO assignments (id, class_id, title, opens_at, due_at, scoring, feedback, late_policy, created_by)
         VALUES ($1, $2, 'Week 3: sources', now() - interval '2 days', now() - interval '1 day', 'partial', $3,
                 'accept_flagged', $4)",
        assignment_id,
        class_id,
        feedback,
        teacher,
    )
    .execute(pool)
    .await
    .unwrap();
    let q1 = exercise(
        pool,
        "anonymous_sources",
        &content(
            ResponseType::SingleChoice,
            &[("a", true), ("b", false), ("c", false)],
        ),
    )
    .await;
    let q2 = exercise(
        pool,
        "hedged_claims",
        &content(
            ResponseType::MultipleResponse,
            &[("a", true), ("b", true), ("c", false)],
        ),
    )
    .await;
    let q3 = exercise(pool, "reflection", &content(ResponseType::FreeText, &[])).await;
    for (pos, ex) in [q1, q2, q3].iter().enumerate() {
        sqlx::query!(
            "INSERT INTO assignment_exercises (assignment_id, position, exercise_id) VALUES ($1, $2, $3)",
            assignment_id,
            pos as i32 + 1,
            ex,
        )
        .execute(pool)
        .await
        .unwrap();
    }
    Fixture {
        class_id,
        assignment_id,
        exercises: [q1, q2, q3],
        students: ids,
    }
}

/// Stores an answer the way the classroom side does (machine-graded where possible).
#[allow(clippy::too_many_arguments)]
async fn submit(
    pool: impl sqlx::PgExecutor<'_>,
    f: &Fixture,
    student: Uuid,
    exercise: Uuid,
    attempt: i32,
    answer: Value,
    score: Option<f64>,
    late: bool,
) -> Uuid {
    let id = Uuid::now_v7();
    let status = if score.is_some() {
        "graded"
    } else {
        "pending_review"
    };
    sqlx::query!(
        "INSERT INTO submissions (id, assignment_id, exercise_id, exercise_version, student_id, attempt, answer,
                                  score, max_score, status, late, submitted_at, updated_at, idempotency_key,
                                  request_hash, response)
         VALUES ($1, $2, $3, 1, $4, $5, $6, $7, 1, $8, $9, now(), now(), $10, 'h', '{}')",
        id,
        f.assignment_id,
        exercise,
        student,
        attempt,
        answer,
        score,
        status,
        late,
        id.to_string(),
    )
    .execute(pool)
    .await
    .unwrap();
    id
}

fn choices(ids: &[&str]) -> Value {
    json!({"type": "choices", "option_ids": ids})
}

fn text(t: &str) -> Value {
    json!({"type": "text", "text": t})
}
