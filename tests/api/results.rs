//! Results: gradebook (JSON and CSV), incremental pulls, manual grading, release, regrade,
//! item analysis and exports. The classroom is set up directly in the database, so these
//! tests only depend on its schema.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use newslit::exercises::{Difficulty, ExerciseContent, ExerciseOption, ResponseType, ScoringMode};
use newslit::identity::{user_id, Role};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::{assert_problem, TestApp};

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
    sqlx::query(
        "INSERT INTO users (id, subject, role, display_name) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(subject)
    .bind(role)
    .bind(name)
    .execute(pool)
    .await
    .unwrap();
    id
}

async fn exercise(pool: &PgPool, kind: &str, content: &ExerciseContent) -> Uuid {
    let id = Uuid::new_v4();
    let c = serde_json::to_value(content).unwrap();
    sqlx::query(
        "INSERT INTO exercises (id, article_ids, kind, status, content, generated, generator_version)
         VALUES ($1, '{}', $2, 'published', $3, $3, 1)",
    )
    .bind(id)
    .bind(kind)
    .bind(&c)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO exercise_versions (exercise_id, version, status, content) VALUES ($1, 1, 'published', $2)")
        .bind(id)
        .bind(&c)
        .execute(pool)
        .await
        .unwrap();
    id
}

async fn setup(pool: &PgPool, feedback: &str, students: &[(&str, Option<&str>)]) -> Fixture {
    let teacher = user(pool, TEACHER, "teacher", Some("Tess")).await;
    let grader = user(pool, GRADER, "grader", Some("Gary")).await;
    user(pool, "olga", "grader", None).await;
    user(pool, "tom", "teacher", None).await;
    let class_id = Uuid::new_v4();
    sqlx::query("INSERT INTO classes (id, name, teacher_id, join_code) VALUES ($1, 'Media 9b', $2, $3)")
        .bind(class_id)
        .bind(teacher)
        .bind(format!("J{}", &class_id.simple().to_string()[..7]))
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO class_members (class_id, user_id, role) VALUES ($1, $2, 'grader')")
        .bind(class_id)
        .bind(grader)
        .execute(pool)
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (subject, name) in students {
        let id = user(pool, subject, "student", *name).await;
        sqlx::query("INSERT INTO class_members (class_id, user_id, role) VALUES ($1, $2, 'student')")
            .bind(class_id)
            .bind(id)
            .execute(pool)
            .await
            .unwrap();
        ids.push(id);
    }
    let assignment_id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO assignments (id, class_id, title, opens_at, due_at, scoring, feedback, late_policy, created_by)
         VALUES ($1, $2, 'Week 3: sources', now() - interval '2 days', now() - interval '1 day', 'partial', $3,
                 'accept_flagged', $4)",
    )
    .bind(assignment_id)
    .bind(class_id)
    .bind(feedback)
    .bind(teacher)
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
        sqlx::query(
            "INSERT INTO assignment_exercises (assignment_id, position, exercise_id) VALUES ($1, $2, $3)",
        )
        .bind(assignment_id)
        .bind(pos as i32 + 1)
        .bind(ex)
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
    sqlx::query(
        "INSERT INTO submissions (id, assignment_id, exercise_id, exercise_version, student_id, attempt, answer,
                                  score, max_score, status, late, submitted_at, updated_at, idempotency_key,
                                  request_hash, response)
         VALUES ($1, $2, $3, 1, $4, $5, $6, $7, 1, $8, $9, now(), now(), $10, 'h', '{}')",
    )
    .bind(id)
    .bind(f.assignment_id)
    .bind(exercise)
    .bind(student)
    .bind(attempt)
    .bind(answer)
    .bind(score)
    .bind(status)
    .bind(late)
    .bind(id.to_string())
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

#[sqlx::test]
async fn the_gradebook_counts_the_best_attempt_in_json_and_csv(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = setup(
        &pool,
        "immediate",
        &[
            ("ana", Some("Ana, B.")),
            ("ben", Some("=HYPERLINK(\"http://x\")")),
            ("cy", None),
        ],
    )
    .await;
    let [q1, q2, q3] = f.exercises;
    let (ana, ben) = (f.students[0], f.students[1]);
    submit(&pool, &f, ana, q1, 1, choices(&["b"]), Some(0.0), false).await;
    submit(&pool, &f, ana, q1, 2, choices(&["a"]), Some(1.0), true).await;
    submit(&pool, &f, ana, q1, 3, choices(&["c"]), Some(0.0), true).await;
    submit(&pool, &f, ana, q2, 1, choices(&["a"]), Some(0.5), false).await;
    submit(&pool, &f, ana, q3, 1, text("The officials"), None, false).await;
    submit(&pool, &f, ben, q2, 1, choices(&["a", "b"]), Some(1.0), false).await;

    let teacher = app.token(Role::Teacher, TEACHER);
    let res = app
        .get(
            &format!("/v1/assignments/{}/results", f.assignment_id),
            Some(&teacher),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let book: Value = res.json().await.unwrap();
    assert_eq!(book["counting_rule"], "best_graded_attempt");
    assert_eq!(book["columns"].as_array().unwrap().len(), 3);
    let students = book["students"].as_array().unwrap();
    assert_eq!(
        students.len(),
        3,
        "enrolled students without answers are listed too"
    );
    let a = &students[0];
    assert_eq!(a["subject"], "ana");
    // Best of 0, 1, 0 is the late second attempt.
    assert_eq!(a["cells"][0]["score"], 1.0);
    assert_eq!(a["cells"][0]["attempts"], 3);
    assert_eq!(a["cells"][0]["late"], true);
    assert_eq!(a["cells"][1]["score"], 0.5);
    assert_eq!(a["cells"][1]["late"], false);
    assert_eq!(a["cells"][2]["score"], Value::Null);
    assert_eq!(a["cells"][2]["pending_review"], 1);
    assert_eq!(a["total"], 1.5);
    assert_eq!(a["max_total"], 3.0);
    assert_eq!(a["late"], true);
    assert_eq!(a["pending_review"], 1);
    assert_eq!(students[2]["subject"], "cy");
    assert_eq!(students[2]["total"], 0.0);

    let res = app
        .request(
            Method::GET,
            &format!("/v1/assignments/{}/results.csv", f.assignment_id),
            Some(&teacher),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = res.text().await.unwrap();
    let lines: Vec<&str> = body.split_terminator("\r\n").collect();
    assert_eq!(lines.len(), 4, "{body}");
    assert!(
        lines[0].starts_with("student,name,Q1 Anonymous sources ("),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with(",total,late,pending_review"));
    assert_eq!(lines[1], "ana,\"Ana, B.\",1,0.5,,1.5,yes,1");
    assert_eq!(lines[2], "ben,\"'=HYPERLINK(\"\"http://x\"\")\",,1,,1,no,0");
    assert_eq!(lines[3], "cy,,,,,0,no,0");
    assert!(body.ends_with("\r\n"));

    // One representation per path: a browser's Accept gets each; one that allows neither
    // is a 406 naming what the path serves.
    for (path, expected, refused) in [
        ("results", "application/json", "text/csv"),
        ("results.csv", "text/csv", "application/json"),
    ] {
        let path = format!("/v1/assignments/{}/{path}", f.assignment_id);
        let res = app
            .request(Method::GET, &path, Some(&teacher))
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let got = res.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(got.starts_with(expected), "{path}: {got}");
        let res = app
            .request(Method::GET, &path, Some(&teacher))
            .header("accept", refused)
            .send()
            .await
            .unwrap();
        let problem = assert_problem(res, StatusCode::NOT_ACCEPTABLE).await;
        assert!(
            problem["detail"].as_str().unwrap().contains(expected),
            "{problem}"
        );
    }

    // Graders see the classes they are assigned to; everyone else gets 404 or 403.
    let grader = app.token(Role::Grader, GRADER);
    let path = format!("/v1/assignments/{}/results", f.assignment_id);
    assert_eq!(app.get(&path, Some(&grader)).await.status(), StatusCode::OK);
    assert_problem(
        app.get(&path, Some(&app.token(Role::Grader, "olga"))).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_problem(
        app.get(&path, Some(&app.token(Role::Teacher, "tom"))).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_problem(
        app.get(&path, Some(&app.token(Role::Student, "ana"))).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(
        app.get(&path, Some(&app.token(Role::Admin, "root")))
            .await
            .status(),
        StatusCode::OK
    );
    let _ = f.class_id;
}

/// Pulls pages until `has_more` is false; returns (id, grade_version) seen and the cursor.
async fn pull_all(
    app: &TestApp,
    token: &str,
    cursor: &str,
    limit: u32,
    seen: &mut Vec<(String, i64)>,
) -> String {
    let mut cursor = cursor.to_string();
    loop {
        let q = if cursor.is_empty() {
            format!("/v1/submissions?limit={limit}")
        } else {
            format!("/v1/submissions?limit={limit}&cursor={cursor}")
        };
        let res = app.get(&q, Some(token)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let has_link = res.headers().get("link").is_some();
        let page: Value = res.json().await.unwrap();
        for item in page["items"].as_array().unwrap() {
            seen.push((
                item["id"].as_str().unwrap().to_string(),
                item["grade_version"].as_i64().unwrap(),
            ));
        }
        assert_eq!(has_link, page["has_more"].as_bool().unwrap());
        cursor = page["next_cursor"].as_str().unwrap().to_string();
        if !page["has_more"].as_bool().unwrap() {
            return cursor;
        }
    }
}

#[sqlx::test]
async fn incremental_pulls_see_every_change_exactly_once(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = setup(&pool, "immediate", &[("ana", None), ("ben", None), ("cy", None)]).await;
    let [q1, q2, q3] = f.exercises;
    let grader = app.token(Role::Grader, GRADER);
    let teacher = app.token(Role::Teacher, TEACHER);
    let mut expected: Vec<(String, i64)> = Vec::new();

    // Five rows sharing one timestamp (writers normally get distinct clock readings; force it).
    sqlx::query("ALTER TABLE submissions DISABLE TRIGGER submissions_touch")
        .execute(&pool)
        .await
        .unwrap();
    let mut tied = Vec::new();
    for (i, s) in f.students.iter().enumerate() {
        tied.push(submit(&pool, &f, *s, q1, 1, choices(&["a"]), Some(1.0), false).await);
        if i < 2 {
            tied.push(submit(&pool, &f, *s, q3, 1, text("because"), None, false).await);
        }
    }
    sqlx::query("UPDATE submissions SET updated_at = '2026-11-01T10:00:00Z'")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("ALTER TABLE submissions ENABLE TRIGGER submissions_touch")
        .execute(&pool)
        .await
        .unwrap();
    expected.extend(tied.iter().map(|id| (id.to_string(), 1)));

    // First pull: two rows a page, so page boundaries fall between tied rows.
    let mut seen = Vec::new();
    let res = app.get("/v1/submissions?limit=2", Some(&grader)).await;
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    for item in page["items"].as_array().unwrap() {
        seen.push((
            item["id"].as_str().unwrap().to_string(),
            item["grade_version"].as_i64().unwrap(),
        ));
    }
    let cursor = page["next_cursor"].as_str().unwrap().to_string();

    // Between pages: a new answer arrives and a teacher grades one of the pending ones.
    let new_one = submit(&pool, &f, f.students[2], q2, 1, choices(&["a"]), Some(0.5), false).await;
    expected.push((new_one.to_string(), 1));
    let pending = tied[1];
    let res = app
        .request(
            Method::PUT,
            &format!("/v1/submissions/{pending}/grade"),
            Some(&teacher),
        )
        .header("if-match", "\"g1\"")
        .json(&json!({"score": 0.75, "comment": "good"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    expected.push((pending.to_string(), 2));

    let cursor = pull_all(&app, &grader, &cursor, 2, &mut seen).await;

    // A change whose transaction is still open is held back, not skipped.
    let mut tx = pool.begin().await.unwrap();
    let in_flight = submit(
        &mut *tx,
        &f,
        f.students[0],
        q2,
        1,
        choices(&["b"]),
        Some(0.5),
        false,
    )
    .await;
    let after_it = submit(
        &pool,
        &f,
        f.students[1],
        q2,
        1,
        choices(&["a", "b"]),
        Some(1.0),
        false,
    )
    .await;
    // The committed answer comes at once: the open transaction holds nothing back.
    let mut during = Vec::new();
    let cursor = pull_all(&app, &grader, &cursor, 2, &mut during).await;
    assert_eq!(
        during,
        vec![(after_it.to_string(), 1)],
        "what is committed is handed out while another transaction is open"
    );
    tx.commit().await.unwrap();
    expected.push((in_flight.to_string(), 1));
    expected.push((after_it.to_string(), 1));
    seen.extend(during);
    let cursor = pull_all(&app, &grader, &cursor, 2, &mut seen).await;

    // Nothing new: an empty pull, and from its cursor nothing again.
    let mut nothing = Vec::new();
    let again = pull_all(&app, &grader, &cursor, 2, &mut nothing).await;
    assert!(nothing.is_empty());
    pull_all(&app, &grader, &again, 2, &mut nothing).await;
    assert!(
        nothing.is_empty(),
        "the resume point of an empty pull gives nothing either"
    );

    let seen_set: HashSet<&(String, i64)> = seen.iter().collect();
    assert_eq!(
        seen_set.len(),
        seen.len(),
        "a change was handed out twice: {seen:?}"
    );
    let expected_set: HashSet<&(String, i64)> = expected.iter().collect();
    assert_eq!(seen_set, expected_set);

    // Filters and bad input.
    let res = app
        .get(
            &format!(
                "/v1/submissions?status=pending_review&assignment_id={}",
                f.assignment_id
            ),
            Some(&grader),
        )
        .await;
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let res = app
        .get(
            &format!("/v1/submissions?student_id={}", f.students[2]),
            Some(&grader),
        )
        .await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let res = app
        .get(
            "/v1/submissions?updated_since=2030-01-01T00:00:00Z",
            Some(&grader),
        )
        .await;
    let future: Value = res.json().await.unwrap();
    assert_eq!(future["items"].as_array().unwrap().len(), 0);
    // Its cursor keeps the start time: a change made now is still before it.
    submit(&pool, &f, f.students[2], q3, 1, text("late thought"), None, false).await;
    let next = format!(
        "/v1/submissions?cursor={}",
        future["next_cursor"].as_str().unwrap()
    );
    let res = app.get(&next, Some(&grader)).await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // A time-mark cursor of an older version cannot resume (it could skip answers): a 400
    // naming the cursor, not a database error.
    let old = format!("{:016x}{}", i64::MAX / 2, Uuid::nil().simple());
    let problem = assert_problem(
        app.get(&format!("/v1/submissions?cursor={old}"), Some(&grader))
            .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "cursor");
    assert_problem(
        app.get(
            "/v1/submissions?updated_since=0000-01-01T00:00:00Z",
            Some(&grader),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_problem(
        app.get("/v1/submissions?cursor=nope", Some(&grader)).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_problem(
        app.get("/v1/submissions?limit=0", Some(&grader)).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    // Outside reach: an empty list, not someone else's data.
    let res = app
        .get("/v1/submissions", Some(&app.token(Role::Grader, "olga")))
        .await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[sqlx::test]
async fn manual_grades_need_if_match_and_keep_a_history(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = setup(&pool, "on_release", &[("ana", None)]).await;
    let sub = submit(
        &pool,
        &f,
        f.students[0],
        f.exercises[2],
        1,
        text("The officials"),
        None,
        false,
    )
    .await;
    let grader = app.token(Role::Grader, GRADER);
    let teacher = app.token(Role::Teacher, TEACHER);
    let path = format!("/v1/submissions/{sub}/grade");

    let res = app
        .request(Method::PUT, &path, Some(&grader))
        .json(&json!({"score": 1.0}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::PRECONDITION_REQUIRED).await;
    let res = app
        .request(Method::PUT, &path, Some(&grader))
        .header("if-match", "\"g1\"")
        .json(&json!({"score": 1.5}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST).await;
    let res = app
        .request(Method::PUT, &path, Some(&grader))
        .header("if-match", "\"g1\"")
        .json(&json!({"score": 0.5, "comment": "nul \u{0} here"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(problem["errors"][0]["field"], "comment");
    let res = app
        .request(Method::PUT, &path, Some(&grader))
        .header("if-match", "\"g1\"")
        .json(&json!({"score": 0.5, "comment": "Names the source, not how they knew"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["etag"], "\"g2\"");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "graded");
    assert_eq!(body["score"], 0.5);
    // The same ETag again is stale now.
    let res = app
        .request(Method::PUT, &path, Some(&teacher))
        .header("if-match", "\"g1\"")
        .json(&json!({"score": 1.0}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::PRECONDITION_FAILED).await;
    // A score out of range is a 400 saying so, stale ETag or not.
    let res = app
        .request(Method::PUT, &path, Some(&teacher))
        .header("if-match", "\"g1\"")
        .json(&json!({"score": 7.0}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(problem["errors"][0]["field"], "score");
    let res = app
        .request(Method::PUT, &path, Some(&teacher))
        .header("if-match", "\"g2\"")
        .json(&json!({"score": 0.75}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // Outside reach: 404.
    let res = app
        .request(Method::PUT, &path, Some(&app.token(Role::Grader, "olga")))
        .header("if-match", "\"g3\"")
        .json(&json!({"score": 0.0}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND).await;

    let history_path = format!("/v1/submissions/{sub}/grade-history");
    let res = app.get(&history_path, Some(&teacher)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let history: Value = res.json().await.unwrap();
    let items = history["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["changed_by_subject"], GRADER);
    assert_eq!(items[0]["old_score"], Value::Null);
    assert_eq!(items[0]["new_score"], 0.5);
    assert_eq!(items[0]["old_status"], "pending_review");
    assert_eq!(items[0]["reason"], "manual");
    assert_eq!(items[0]["comment"], "Names the source, not how they knew");
    assert_eq!(items[1]["changed_by_subject"], TEACHER);
    assert_eq!(items[1]["old_score"], 0.5);
    assert_eq!(items[1]["new_score"], 0.75);
    assert_problem(app.get(&history_path, Some(&grader)).await, StatusCode::FORBIDDEN).await;

    // Release: on_release assignments only; repeated release keeps the first time.
    // Release is the teacher's (and admins'): a grader is refused.
    let release = format!("/v1/assignments/{}/release", f.assignment_id);
    let res = app
        .request(Method::POST, &release, Some(&grader))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN).await;
    let res = app
        .request(Method::POST, &release, Some(&teacher))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let first: Value = res.json().await.unwrap();
    let res = app
        .request(Method::POST, &release, Some(&teacher))
        .send()
        .await
        .unwrap();
    let second: Value = res.json().await.unwrap();
    assert_eq!(first["released_at"], second["released_at"]);
    let stored: Option<DateTime<Utc>> =
        sqlx::query_scalar("SELECT released_at FROM assignments WHERE id = $1")
            .bind(f.assignment_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(stored.is_some());
    sqlx::query("UPDATE assignments SET feedback = 'immediate' WHERE id = $1")
        .bind(f.assignment_id)
        .execute(&pool)
        .await
        .unwrap();
    let res = app
        .request(Method::POST, &release, Some(&teacher))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::CONFLICT).await;
    assert_eq!(problem["type"], "/problems/not-on-release");
}

#[sqlx::test]
async fn a_regrade_after_a_key_fix_lists_then_applies_changes(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = setup(&pool, "immediate", &[("ana", None), ("ben", None), ("cy", None)]).await;
    let q2 = f.exercises[1];
    // Key a, b. Ana chose a, c: (1 − 1)/2 = 0. Ben chose a, b: 1. Cy chose c: 0, but a person
    // overrode it by hand.
    let ana = submit(
        &pool,
        &f,
        f.students[0],
        q2,
        1,
        choices(&["a", "c"]),
        Some(0.0),
        false,
    )
    .await;
    let ben = submit(
        &pool,
        &f,
        f.students[1],
        q2,
        1,
        choices(&["a", "b"]),
        Some(1.0),
        false,
    )
    .await;
    let cy = submit(&pool, &f, f.students[2], q2, 1, choices(&["c"]), Some(0.0), false).await;
    let teacher = app.token(Role::Teacher, TEACHER);
    let res = app
        .request(
            Method::PUT,
            &format!("/v1/submissions/{cy}/grade"),
            Some(&teacher),
        )
        .header("if-match", "\"g1\"")
        .json(&json!({"score": 0.25}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // The teacher fixes the key: a and c are right, b is wrong.
    let fixed = content(
        ResponseType::MultipleResponse,
        &[("a", true), ("b", false), ("c", true)],
    );
    sqlx::query("UPDATE exercises SET content = $2, version = 2 WHERE id = $1")
        .bind(q2)
        .bind(serde_json::to_value(&fixed).unwrap())
        .execute(&pool)
        .await
        .unwrap();

    let path = format!("/v1/exercises/{q2}/regrade");
    let res = app
        .request(Method::POST, &format!("{path}?dry_run=true"), Some(&teacher))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let dry: Value = res.json().await.unwrap();
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["examined"], 2, "the hand-graded one is left alone");
    let changes: HashMap<String, (f64, f64)> = dry["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["submission_id"].as_str().unwrap().to_string(),
                (c["old_score"].as_f64().unwrap(), c["new_score"].as_f64().unwrap()),
            )
        })
        .collect();
    // Ana: a, c → 1. Ben: a, b → (1 − 1)/2 = 0.
    assert_eq!(changes[&ana.to_string()], (0.0, 1.0));
    assert_eq!(changes[&ben.to_string()], (1.0, 0.0));
    let score: Option<f64> = sqlx::query_scalar("SELECT score FROM submissions WHERE id = $1")
        .bind(ana)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(score, Some(0.0), "a dry run changes nothing");

    let res = app
        .request(Method::POST, &path, Some(&teacher))
        .send()
        .await
        .unwrap();
    let applied: Value = res.json().await.unwrap();
    assert_eq!(applied["changes"].as_array().unwrap().len(), 2);
    let score: Option<f64> = sqlx::query_scalar("SELECT score FROM submissions WHERE id = $1")
        .bind(ana)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(score, Some(1.0));
    let history: Value = app
        .get(&format!("/v1/submissions/{ana}/grade-history"), Some(&teacher))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["items"][0]["reason"], "regrade");
    assert_eq!(history["items"][0]["exercise_version"], 2);
    // Applying again finds nothing left to change.
    let res = app
        .request(Method::POST, &path, Some(&teacher))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.json::<Value>().await.unwrap()["changes"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // Graders may not regrade.
    let res = app
        .request(Method::POST, &path, Some(&app.token(Role::Grader, GRADER)))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN).await;
}

#[sqlx::test]
async fn item_analysis_and_exports(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let teacher = app.token(Role::Teacher, TEACHER);
    let f = setup(
        &pool,
        "immediate",
        &[("s1", None), ("s2", None), ("s3", None), ("s4", None)],
    )
    .await;
    let [q1, q2, q3] = f.exercises;
    // The hand-computed example of results::item_analysis: scores per student
    // s1 1 1 1, s2 1 1 0, s3 1 0 1, s4 0 0 0 → facility .75 .5 .5, alpha 12/19.
    let table = [[1.0, 1.0, 1.0], [1.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 0.0, 0.0]];
    for (s, row) in f.students.iter().zip(table) {
        let a1 = if row[0] == 1.0 { "a" } else { "b" };
        submit(&pool, &f, *s, q1, 1, choices(&[a1]), Some(row[0]), false).await;
        let a2: &[&str] = if row[1] == 1.0 { &["a", "b"] } else { &["c"] };
        submit(&pool, &f, *s, q2, 1, choices(a2), Some(row[1]), false).await;
        submit(&pool, &f, *s, q3, 1, text("answer"), Some(row[2]), false).await;
    }
    let grader = app.token(Role::Grader, GRADER);
    let res = app
        .get(
            &format!("/v1/assignments/{}/item-analysis", f.assignment_id),
            Some(&grader),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["complete_students"], 4);
    let alpha = report["cronbach_alpha"].as_f64().unwrap();
    assert!((alpha - 12.0 / 19.0).abs() < 1e-9, "{alpha}");
    let facility: Vec<f64> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["stats"]["facility"].as_f64().unwrap())
        .collect();
    assert_eq!(facility, vec![0.75, 0.5, 0.5]);
    let d1 = report["items"][0]["stats"]["discrimination"].as_f64().unwrap();
    assert!((d1 - 1.0 / 1.5f64.sqrt()).abs() < 1e-9);
    assert_eq!(report["items"][0]["stats"]["options"][0]["option_id"], "a");
    assert_eq!(report["items"][0]["stats"]["options"][0]["count"], 3);

    // QTI for one exercise.
    assert_problem(
        app.get(&format!("/v1/exercises/{q2}/qti"), Some(&grader)).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let res = app
        .get(
            &format!("/v1/exercises/{q2}/qti"),
            Some(&app.token(Role::Teacher, TEACHER)),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let xml = res.text().await.unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "qti-assessment-item");
    assert!(doc.descendants().any(|n| n.tag_name().name() == "qti-mapping"));
    assert_problem(
        app.get(
            &format!("/v1/exercises/{q2}/qti"),
            Some(&app.token(Role::Student, "s1")),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;

    // The package and GIFT.
    let export = format!("/v1/assignments/{}/export", f.assignment_id);
    assert_problem(
        app.get(&format!("{export}.zip"), Some(&grader)).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let res = app.get(&format!("{export}.zip"), Some(&teacher)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/zip");
    let zip = res.bytes().await.unwrap();
    assert!(zip.starts_with(b"PK\x03\x04"));
    let res = app.get(&format!("{export}.gift"), Some(&teacher)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let gift = res.text().await.unwrap();
    assert_eq!(gift.matches("// newslit exercise").count(), 3);
    assert!(gift.contains("~%50%Option a#Why a"), "{gift}");
    assert_problem(
        app.get(&format!("{export}.pdf"), Some(&teacher)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_problem(
        app.get(&format!("{export}.gift"), Some(&app.token(Role::Teacher, "tom")))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

/// The whole loop through the classroom API: a student answers, a grader pulls the answers,
/// grades the free text, releases feedback, and the student then sees the grade.
#[sqlx::test]
async fn from_submission_to_released_grade_through_the_api(pool: PgPool) {
    use crate::classes::{
        create_assignment, create_class, join, json_of, multiple_response_exercise, reflection_exercise, send,
    };

    let app = TestApp::spawn(pool.clone()).await;
    let teacher = app.token(Role::Teacher, TEACHER);
    let grader = app.token(Role::Grader, GRADER);
    let student = app.token(Role::Student, "sam");
    // Tokens provision users on first use.
    assert_eq!(app.get("/v1/me", Some(&grader)).await.status(), StatusCode::OK);
    let (class, code) = create_class(&app, &teacher, "9B").await;
    assert_eq!(join(&app, &student, &code).await, StatusCode::CREATED);
    let res = send(
        &app,
        Method::POST,
        &format!("/v1/classes/{class}/graders"),
        &teacher,
        Some(json!({"subject": GRADER})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let choice = multiple_response_exercise(&app).await;
    let essay = reflection_exercise(&app).await;
    let a = create_assignment(
        &app,
        &teacher,
        &class,
        &[&choice, &essay],
        json!({"feedback": "on_release"}),
    )
    .await;
    let assignment = a["id"].as_str().unwrap().to_string();

    let submit = |key: &'static str, body: Value| {
        app.request(
            Method::POST,
            &format!("/v1/assignments/{assignment}/submissions"),
            Some(&student),
        )
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
    };
    let res = submit(
        "k1",
        json!({"exercise_id": choice, "answer": {"type": "choices", "option_ids": ["a"]}}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = submit(
        "k2",
        json!({"exercise_id": essay, "answer": {"type": "text", "text": "They could lose their job."}}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let essay_submission = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    let page = json_of(
        app.get(
            &format!("/v1/submissions?assignment_id={assignment}"),
            Some(&grader),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["score"], 0.5);
    assert_eq!(items[1]["status"], "pending_review");
    assert_eq!(items[1]["id"], essay_submission.as_str());
    let cursor = page["next_cursor"].as_str().unwrap().to_string();

    let res = app
        .request(
            Method::PUT,
            &format!("/v1/submissions/{essay_submission}/grade"),
            Some(&grader),
        )
        .header("if-match", format!("\"g{}\"", items[1]["grade_version"]))
        .json(&json!({"score": 0.75, "comment": "Good: names the risk."}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // The next pull holds exactly the grade change.
    let page = json_of(
        app.get(&format!("/v1/submissions?cursor={cursor}"), Some(&grader))
            .await,
        StatusCode::OK,
    )
    .await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["score"], 0.75);
    assert_eq!(items[0]["grade_comment"], "Good: names the risk.");

    let book = json_of(
        app.get(&format!("/v1/assignments/{assignment}/results"), Some(&grader))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(book["students"][0]["total"], 1.25);
    assert_eq!(book["students"][0]["pending_review"], 0);

    let mine = format!("/v1/submissions/{essay_submission}");
    let before = json_of(app.get(&mine, Some(&student)).await, StatusCode::OK).await;
    assert!(
        before.get("feedback").is_none(),
        "on_release: nothing before the release: {before}"
    );
    let res = app
        .request(
            Method::POST,
            &format!("/v1/assignments/{assignment}/release"),
            Some(&teacher),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let after = json_of(app.get(&mine, Some(&student)).await, StatusCode::OK).await;
    assert_eq!(after["feedback"]["score"], 0.75, "{after}");
}

/// A big class: the CSV is streamed row by row and still complete and in order.
#[sqlx::test]
async fn a_large_gradebook_streams_as_csv(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = setup(&pool, "immediate", &[]).await;
    sqlx::query(
        "INSERT INTO users (id, subject, role)
         SELECT gen_random_uuid(), 'stu' || lpad(g::text, 5, '0'), 'student' FROM generate_series(1, 3000) g",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO class_members (class_id, user_id, role)
         SELECT $1, id, 'student' FROM users WHERE subject LIKE 'stu%'",
    )
    .bind(f.class_id)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO submissions (id, assignment_id, exercise_id, exercise_version, student_id, attempt, answer,
                                  score, max_score, status, late, submitted_at, updated_at, idempotency_key,
                                  request_hash, response)
         SELECT gen_random_uuid(), $1, $2, 1, id, 1, '{\"type\":\"choices\",\"option_ids\":[\"a\"]}', 1, 1,
                'graded', false, now(), now(), 'k', 'h', '{}'
         FROM users WHERE subject LIKE 'stu%'",
    )
    .bind(f.assignment_id)
    .bind(f.exercises[0])
    .execute(&pool)
    .await
    .unwrap();
    let res = app
        .request(
            Method::GET,
            &format!("/v1/assignments/{}/results.csv", f.assignment_id),
            Some(&app.token(Role::Teacher, TEACHER)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers().get("content-length").is_none(),
        "streamed, not buffered"
    );
    let body = res.text().await.unwrap();
    let lines: Vec<&str> = body.split_terminator("\r\n").collect();
    assert_eq!(lines.len(), 3001);
    for (i, line) in lines[1..].iter().enumerate() {
        assert_eq!(*line, format!("stu{:05},,1,,,1,no,0", i + 1));
    }

    // The JSON gradebook streams too, and still parses as one document.
    let res = app
        .get(
            &format!("/v1/assignments/{}/results", f.assignment_id),
            Some(&app.token(Role::Teacher, TEACHER)),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers().get("content-length").is_none(),
        "streamed, not buffered"
    );
    let book: Value = res.json().await.unwrap();
    let students = book["students"].as_array().unwrap();
    assert_eq!(students.len(), 3000);
    assert_eq!(students[0]["subject"], "stu00001");
    assert_eq!(students[2999]["subject"], "stu03000");
    assert_eq!(students[2999]["total"], 1.0);
    assert_eq!(book["columns"].as_array().unwrap().len(), 3);
}

/// Every exercise generated from the seed articles (real quotes, curly quotes, ampersands)
/// exports to well-formed QTI and to GIFT with every special character escaped.
#[sqlx::test]
async fn generated_exercises_export_cleanly(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    newslit::service::seed::load_dir(&pool, &dir).await.unwrap();
    let rows: Vec<(Uuid, String, Value)> =
        sqlx::query_as("SELECT id, kind, content FROM exercises ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(!rows.is_empty(), "the seeds generate exercises");
    let teacher = app.token(Role::Teacher, TEACHER);
    for (id, kind, content) in &rows {
        let res = app.get(&format!("/v1/exercises/{id}/qti"), Some(&teacher)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let xml = res.text().await.unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{kind} {id}: {e}"));
        let prompt = doc
            .descendants()
            .find(|n| n.tag_name().name() == "qti-prompt")
            .and_then(|n| n.text())
            .unwrap_or_default();
        assert_eq!(prompt, content["prompt"].as_str().unwrap(), "{kind} {id}");

        let exercise = newslit::exercises::Exercise {
            id: *id,
            kind: serde_json::from_value(Value::String(kind.clone())).unwrap(),
            content: serde_json::from_value(content.clone()).unwrap(),
        };
        let gift = newslit::results::gift::question(&exercise);
        // Outside comments, a special character is either escaped or GIFT syntax in its
        // place: `::name::`, the answer block braces, and a weight/feedback marker after a tab.
        for line in gift.lines().filter(|l| !l.starts_with("//")) {
            let body = line
                .strip_prefix('\t')
                .map(|l| l.trim_start_matches(['=', '~']))
                .map(|l| {
                    if l.starts_with('%') {
                        l.splitn(3, '%').nth(2).unwrap_or("")
                    } else {
                        l
                    }
                })
                .unwrap_or(line);
            let mut chars = body.chars().peekable();
            let mut bare = Vec::new();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    chars.next();
                } else if "~=#{}:".contains(c) {
                    bare.push(c);
                }
            }
            let allowed: &[&[char]] = &[
                &[':', ':', ':', ':', '{'],
                &[':', ':', ':', ':', '{', '}'],
                &['#'],
                &['}'],
                &[],
            ];
            assert!(
                allowed.contains(&bare.as_slice()),
                "{kind} {id}: bare {bare:?} in {line:?}"
            );
        }
    }
}

/// Writers whose transactions overlap and commit out of order, while a grader keeps pulling:
/// at the end every stored answer has been handed out exactly once.
#[sqlx::test]
async fn pulls_under_concurrent_out_of_order_commits_lose_nothing(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let names: Vec<String> = (0..6).map(|i| format!("w{i}")).collect();
    let students: Vec<(&str, Option<&str>)> = names.iter().map(|n| (n.as_str(), None)).collect();
    let f = std::sync::Arc::new(setup(&pool, "immediate", &students).await);
    let grader = app.token(Role::Grader, GRADER);
    // The writers get their own connections, so the app's pulls never wait for them.
    let writer_pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(6)
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap();
    let mut writers = Vec::new();
    for w in 0..6usize {
        let (pool, f) = (writer_pool.clone(), f.clone());
        writers.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for attempt in 1..=15 {
                let mut tx = pool.begin().await.unwrap();
                let id = submit(
                    &mut *tx,
                    &f,
                    f.students[w],
                    f.exercises[0],
                    attempt,
                    choices(&["a"]),
                    Some(1.0),
                    false,
                )
                .await;
                // Hold the transaction open a varying while, so commits land out of order.
                tokio::time::sleep(std::time::Duration::from_millis(
                    ((w * 7 + attempt as usize * 13) % 23) as u64,
                ))
                .await;
                tx.commit().await.unwrap();
                ids.push(id.to_string());
            }
            ids
        }));
    }
    let mut seen = Vec::new();
    let mut cursor = String::new();
    while !writers.iter().all(|w| w.is_finished()) {
        cursor = pull_all(&app, &grader, &cursor, 7, &mut seen).await;
    }
    let mut written = HashSet::new();
    for w in writers {
        written.extend(w.await.unwrap());
    }
    pull_all(&app, &grader, &cursor, 7, &mut seen).await;
    let ids: Vec<&String> = seen.iter().map(|(id, _)| id).collect();
    let unique: HashSet<&String> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "an answer was handed out twice");
    assert_eq!(unique.len(), written.len(), "an answer was skipped");
    assert!(written.iter().all(|id| unique.contains(id)));
}

/// The schema itself, or the component a `$ref` names.
fn resolved<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => &spec["components"]["schemas"][r.trim_start_matches("#/components/schemas/")],
        None => schema,
    }
}

/// The properties a spec schema declares and requires, following `$ref`s.
fn declared(spec: &Value, schema: &Value) -> (HashSet<String>, HashSet<String>) {
    let schema = resolved(spec, schema);
    let names = |v: &Value| -> HashSet<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let required = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(|n| n.as_str().map(String::from)).collect())
        .unwrap_or_default();
    (names(&schema["properties"]), required)
}

/// Every key of `body` is declared by `schema` and every required key is present.
fn assert_shape(spec: &Value, schema: &Value, body: &Value, what: &str) {
    let (props, required) = declared(spec, schema);
    let keys: HashSet<String> = body.as_object().unwrap().keys().cloned().collect();
    assert!(
        required.is_subset(&keys),
        "{what}: missing {:?}",
        required.difference(&keys)
    );
    assert!(
        keys.is_subset(&props),
        "{what}: undocumented {:?}",
        keys.difference(&props)
    );
}

#[sqlx::test]
async fn both_submission_lists_answer_in_the_shape_the_spec_documents(pool: PgPool) {
    let f = setup(&pool, "immediate", &[("stu", Some("Stu"))]).await;
    submit(
        &pool,
        &f,
        f.students[0],
        f.exercises[0],
        1,
        choices(&["a"]),
        Some(1.0),
        false,
    )
    .await;
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, TEACHER);
    let spec: Value = app.get("/openapi.json", None).await.json().await.unwrap();
    for (template, path) in [
        (
            "/v1/assignments/{assignment_id}/submissions",
            format!("/v1/assignments/{}/submissions", f.assignment_id),
        ),
        ("/v1/submissions", "/v1/submissions".to_string()),
    ] {
        let res = app.get(&path, Some(&teacher)).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let body: Value = res.json().await.unwrap();
        let page =
            &spec["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_shape(&spec, page, &body, template);
        let item_schema = &resolved(&spec, page)["properties"]["items"]["items"];
        let first = &body["items"][0];
        assert!(first.is_object(), "{template}: one submission listed");
        assert_shape(&spec, item_schema, first, &format!("{template} item"));
    }
}
