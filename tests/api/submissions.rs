//! Submissions: the student story, idempotency, concurrency, attempts, dates, feedback policies.

use newslit::identity::Role;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::classes::{
    at, choice_content, create_assignment, create_class, join, json_of, multiple_response_exercise,
    reflection_exercise, send,
};
use crate::helpers::{assert_problem, insert_published_exercise, TestApp};

/// A teacher, a class with one joined student, and an assignment over `exercises` with `extra`.
struct Setup {
    app: TestApp,
    teacher: String,
    student: String,
    assignment: String,
}

async fn setup(pool: PgPool, exercises: usize, extra: Value) -> (Setup, Vec<String>) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "t1");
    let student = app.token(Role::Student, "sam");
    let (class, code) = create_class(&app, &teacher, "9B").await;
    assert_eq!(join(&app, &student, &code).await, StatusCode::CREATED);
    let mut ids = Vec::new();
    for _ in 0..exercises {
        ids.push(multiple_response_exercise(&app).await);
    }
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let a = create_assignment(&app, &teacher, &class, &refs, extra).await;
    let assignment = a["id"].as_str().unwrap().to_string();
    (
        Setup {
            app,
            teacher,
            student,
            assignment,
        },
        ids,
    )
}

async fn submit(app: &TestApp, token: &str, assignment: &str, key: &str, body: &Value) -> Response {
    app.request(
        Method::POST,
        &format!("/v1/assignments/{assignment}/submissions"),
        Some(token),
    )
    .header("Idempotency-Key", key)
    .json(body)
    .send()
    .await
    .unwrap()
}

fn choices(exercise: &str, ids: &[&str]) -> Value {
    json!({"exercise_id": exercise, "answer": {"type": "choices", "option_ids": ids}})
}

async fn count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM submissions")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn the_whole_story_from_class_to_graded_answers(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "t1");
    let sam = app.token(Role::Student, "sam");
    let (class, code) = create_class(&app, &teacher, "9B").await;
    assert_eq!(join(&app, &sam, &code).await, StatusCode::CREATED);
    let choice = multiple_response_exercise(&app).await;
    let reflection = reflection_exercise(&app).await;
    let a = create_assignment(
        &app,
        &teacher,
        &class,
        &[&choice, &reflection],
        json!({"feedback": "immediate"}),
    )
    .await;
    let id = a["id"].as_str().unwrap();

    let mine = json_of(app.get("/v1/me/assignments", Some(&sam)).await, StatusCode::OK).await;
    assert_eq!(mine["items"][0]["status"], "not_started");
    assert_eq!(mine["items"][0]["exercise_count"], 2);
    let exercises = json_of(
        app.get(&format!("/v1/assignments/{id}/exercises"), Some(&sam))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(exercises["items"].as_array().unwrap().len(), 2);

    // Partial credit: one right (a), one wrong (c) of the key {a, b} → max(0, (1 − 1) / 2) = 0;
    // so answer a alone: (1 − 0) / 2 = 0.5.
    let res = submit(&app, &sam, id, "k1", &choices(&choice, &["a"])).await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let graded = json_of(res, StatusCode::CREATED).await;
    assert_eq!(
        location,
        format!("/v1/submissions/{}", graded["id"].as_str().unwrap())
    );
    assert_eq!(graded["status"], "graded");
    assert_eq!(graded["attempt"], 1);
    assert_eq!(graded["exercise_version"], 1);
    assert_eq!(graded["late"], false);
    assert_eq!(graded["feedback"]["score"], 0.5);
    assert_eq!(graded["feedback"]["max_score"], 1.0);
    let options = graded["feedback"]["options"].as_array().unwrap();
    assert_eq!(options.len(), 4);
    assert_eq!(
        options[0],
        json!({"id": "a", "chosen": true, "correct": true, "explanation": "Explanation of a"})
    );

    let mine = json_of(app.get("/v1/me/assignments", Some(&sam)).await, StatusCode::OK).await;
    assert_eq!(mine["items"][0]["status"], "in_progress");

    let text =
        json!({"exercise_id": reflection, "answer": {"type": "text", "text": "They could lose their job."}});
    let pending = json_of(submit(&app, &sam, id, "k2", &text).await, StatusCode::CREATED).await;
    assert_eq!(pending["status"], "pending_review");
    assert!(pending["feedback"]["score"].is_null());

    let mine = json_of(app.get("/v1/me/assignments", Some(&sam)).await, StatusCode::OK).await;
    assert_eq!(mine["items"][0]["status"], "submitted");
    assert_eq!(mine["items"][0]["answered"], 2);

    // The teacher sees both answers; the stored row is what the gradebook will read.
    let all = json_of(
        app.get(&format!("/v1/assignments/{id}/submissions"), Some(&teacher))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    let (score, status): (Option<f64>, String) =
        sqlx::query_as("SELECT score, status FROM submissions WHERE idempotency_key = 'k1'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((score, status.as_str()), (Some(0.5), "graded"));
    let one = json_of(app.get(&location, Some(&sam)).await, StatusCode::OK).await;
    assert_eq!(one["feedback"]["score"], 0.5);
}

#[sqlx::test]
async fn all_or_nothing_scores_only_the_exact_key(pool: PgPool) {
    let (s, ex) = setup(
        pool,
        1,
        json!({"scoring": "all_or_nothing", "max_attempts": null}),
    )
    .await;
    let half = json_of(
        submit(&s.app, &s.student, &s.assignment, "k1", &choices(&ex[0], &["a"])).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(half["feedback"]["score"], 0.0);
    let full = json_of(
        submit(
            &s.app,
            &s.student,
            &s.assignment,
            "k2",
            &choices(&ex[0], &["b", "a"]),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(full["feedback"]["score"], 1.0);
    assert_eq!(full["attempt"], 2);
}

#[sqlx::test]
async fn a_retry_replays_and_a_reused_key_with_another_body_is_422(pool: PgPool) {
    let (s, ex) = setup(pool, 1, json!({})).await;
    let body = choices(&ex[0], &["a", "b"]);
    let first = json_of(
        submit(&s.app, &s.student, &s.assignment, "key-1", &body).await,
        StatusCode::CREATED,
    )
    .await;
    let res = submit(&s.app, &s.student, &s.assignment, "key-1", &body).await;
    assert_eq!(res.headers()["idempotent-replayed"], "true");
    let again = json_of(res, StatusCode::CREATED).await;
    assert_eq!(first, again, "the stored response, same id");
    assert_eq!(count(&s.app).await, 1);

    let other = choices(&ex[0], &["c"]);
    let problem = assert_problem(
        submit(&s.app, &s.student, &s.assignment, "key-1", &other).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(problem["type"], "/problems/unprocessable");

    let res = send(
        &s.app,
        Method::POST,
        &format!("/v1/assignments/{}/submissions", s.assignment),
        &s.student,
        Some(body),
    )
    .await;
    let problem = assert_problem(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(problem["errors"][0]["field"], "Idempotency-Key");
    assert_eq!(count(&s.app).await, 1);
}

#[sqlx::test]
async fn twenty_concurrent_identical_submissions_store_one_answer(pool: PgPool) {
    let (s, ex) = setup(pool, 1, json!({"max_attempts": null})).await;
    let body = choices(&ex[0], &["a", "b"]);
    let requests = (0..20).map(|_| submit(&s.app, &s.student, &s.assignment, "same-key", &body));
    let responses = futures_util::future::join_all(requests).await;
    let mut ids = Vec::new();
    for res in responses {
        ids.push(
            json_of(res, StatusCode::CREATED).await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every response names the one stored answer");
    assert_eq!(count(&s.app).await, 1);

    // Concurrent answers with different keys each get their own attempt number.
    let requests = (0..10).map(|i| {
        let body = body.clone();
        let app = &s.app;
        let student = s.student.clone();
        let assignment = s.assignment.clone();
        async move { submit(app, &student, &assignment, &format!("k{i}"), &body).await }
    });
    for res in futures_util::future::join_all(requests).await {
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let attempts: Vec<i32> = sqlx::query_scalar("SELECT attempt FROM submissions ORDER BY attempt")
        .fetch_all(&s.app.pool)
        .await
        .unwrap();
    assert_eq!(attempts, (1..=11).collect::<Vec<_>>());
}

#[sqlx::test]
async fn the_attempt_limit_is_enforced(pool: PgPool) {
    let (s, ex) = setup(pool, 2, json!({"max_attempts": 2})).await;
    for key in ["a1", "a2"] {
        submit(&s.app, &s.student, &s.assignment, key, &choices(&ex[0], &["a"]))
            .await
            .error_for_status()
            .unwrap();
    }
    let problem = assert_problem(
        submit(&s.app, &s.student, &s.assignment, "a3", &choices(&ex[0], &["a"])).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["type"], "/problems/attempts-exhausted");
    // The limit is per exercise.
    let res = submit(&s.app, &s.student, &s.assignment, "b1", &choices(&ex[1], &["a"])).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    // A replay of an accepted answer still replays after the limit is reached.
    let res = submit(&s.app, &s.student, &s.assignment, "a1", &choices(&ex[0], &["a"])).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(count(&s.app).await, 3);
}

#[sqlx::test]
async fn answers_are_validated_against_the_exercise(pool: PgPool) {
    let (s, ex) = setup(pool, 1, json!({"max_attempts": null})).await;
    let single = insert_published_exercise(
        &s.app.pool,
        "source_of_claim",
        &choice_content("single_choice", &["a"]),
    )
    .await;
    let reflection = reflection_exercise(&s.app).await;
    // A second assignment in the same class over the other kinds.
    let class: String = sqlx::query_scalar("SELECT class_id::text FROM assignments LIMIT 1")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    let other = create_assignment(
        &s.app,
        &s.teacher,
        &class,
        &[&single.to_string(), &reflection],
        json!({"max_attempts": null}),
    )
    .await;
    let other = other["id"].as_str().unwrap();
    let single = single.to_string();
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (&s.assignment, choices(&ex[0], &["a", "z"]), "answer", "\"z\""),
        (&s.assignment, choices(&ex[0], &[]), "answer", "at least one"),
        (
            &s.assignment,
            choices(&ex[0], &["a", "a"]),
            "answer",
            "more than once",
        ),
        (other, choices(&single, &["a", "b"]), "answer", "exactly one"),
        (
            other,
            json!({"exercise_id": reflection, "answer": {"type": "text", "text": "  "}}),
            "answer",
            "empty",
        ),
        (other, choices(&reflection, &["a"]), "answer", "text"),
        (
            other,
            json!({"exercise_id": reflection, "answer": {"type": "text", "text": "a\u{0}b"}}),
            "answer/text",
            "NUL",
        ),
        (
            other,
            json!({"exercise_id": reflection, "answer": {"type": "text", "text": "x".repeat(20_001)}}),
            "answer",
            "longer than",
        ),
        (
            &s.assignment,
            choices(&single, &["a"]),
            "exercise_id",
            "not an exercise of this assignment",
        ),
    ];
    for (i, (assignment, body, field, says)) in cases.into_iter().enumerate() {
        let res = submit(&s.app, &s.student, assignment, &format!("bad{i}"), &body).await;
        let problem = assert_problem(res, StatusCode::BAD_REQUEST).await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
        assert!(
            problem["detail"].as_str().unwrap().contains(says),
            "{body}: {problem}"
        );
    }
    let res = submit(
        &s.app,
        &s.student,
        &s.assignment,
        "junk",
        &json!({"exercise_id": ex[0], "answer": {"type": "essay"}}),
    )
    .await;
    assert_problem(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(count(&s.app).await, 0);
}

#[sqlx::test]
async fn opening_time_boundary_one_second_either_side(pool: PgPool) {
    let (s, ex) = setup(pool, 1, json!({"opens_at": at(2), "due_at": at(3600)})).await;
    let problem = assert_problem(
        submit(
            &s.app,
            &s.student,
            &s.assignment,
            "early",
            &choices(&ex[0], &["a"]),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["type"], "/problems/not-open-yet");
    let class: String = sqlx::query_scalar("SELECT class_id::text FROM assignments LIMIT 1")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    let open = create_assignment(
        &s.app,
        &s.teacher,
        &class,
        &[&ex[0]],
        json!({"opens_at": at(-1), "due_at": at(3600)}),
    )
    .await;
    let res = submit(
        &s.app,
        &s.student,
        open["id"].as_str().unwrap(),
        "on-time",
        &choices(&ex[0], &["a"]),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[sqlx::test]
async fn due_time_boundaries_late_policies_and_extensions(pool: PgPool) {
    let (s, ex) = setup(
        pool,
        1,
        json!({"opens_at": at(-60), "due_at": at(-1), "late_policy": "reject"}),
    )
    .await;
    let app = &s.app;
    let class: String = sqlx::query_scalar("SELECT class_id::text FROM assignments LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let body = choices(&ex[0], &["a"]);
    // reject, one second past due → refused.
    let problem = assert_problem(
        submit(app, &s.student, &s.assignment, "late", &body).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["type"], "/problems/past-due");
    // reject, due in two seconds → on time.
    let ok = create_assignment(
        app,
        &s.teacher,
        &class,
        &[&ex[0]],
        json!({"opens_at": at(-60), "due_at": at(2), "late_policy": "reject"}),
    )
    .await;
    let res = json_of(
        submit(app, &s.student, ok["id"].as_str().unwrap(), "in-time", &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(res["late"], false);
    // accept_flagged, one second past due → stored and flagged.
    let flagged = create_assignment(
        app,
        &s.teacher,
        &class,
        &[&ex[0]],
        json!({"opens_at": at(-60), "due_at": at(-1), "late_policy": "accept_flagged"}),
    )
    .await;
    let flagged_id = flagged["id"].as_str().unwrap();
    let res = json_of(
        submit(app, &s.student, flagged_id, "flagged", &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(res["late"], true);
    let mine = json_of(
        app.get("/v1/me/assignments", Some(&s.student)).await,
        StatusCode::OK,
    )
    .await;
    let status_of = |id: &str| {
        mine["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status_of(flagged_id), "late");
    assert_eq!(status_of(&s.assignment), "not_started");

    // An extension moves the student's own due time: the rejected assignment now accepts.
    let sam_id = json_of(app.get("/v1/me", Some(&s.student)).await, StatusCode::OK).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .request(
            Method::PUT,
            &format!("/v1/assignments/{}/extensions/{sam_id}", s.assignment),
            Some(&s.teacher),
        )
        .header("If-Match", "*")
        .json(&json!({"due_at": at(60)}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = json_of(
        submit(app, &s.student, &s.assignment, "extended", &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(res["late"], false);
    // Another student without the extension is still refused.
    let kim = app.token(Role::Student, "kim");
    let code: String = sqlx::query_scalar("SELECT join_code FROM classes")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    join(app, &kim, &code).await;
    let problem = assert_problem(
        submit(app, &kim, &s.assignment, "kim", &body).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["type"], "/problems/past-due");
}

#[sqlx::test]
async fn feedback_waits_for_the_due_time_or_the_release(pool: PgPool) {
    let (s, ex) = setup(pool, 1, json!({"feedback": "after_due", "due_at": at(3600)})).await;
    let app = &s.app;
    let body = choices(&ex[0], &["a", "b"]);
    let res = json_of(
        submit(app, &s.student, &s.assignment, "k", &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert!(
        res.get("feedback").is_none(),
        "no score before the due time: {res}"
    );
    assert_eq!(res["status"], "graded");
    let sub = format!("/v1/submissions/{}", res["id"].as_str().unwrap());
    assert!(json_of(app.get(&sub, Some(&s.student)).await, StatusCode::OK)
        .await
        .get("feedback")
        .is_none());
    // The teacher always sees it.
    assert_eq!(
        json_of(app.get(&sub, Some(&s.teacher)).await, StatusCode::OK).await["feedback"]["score"],
        1.0
    );
    // Once due (the teacher moves the due time into the past), the student sees it.
    let res = app
        .request(
            Method::PATCH,
            &format!("/v1/assignments/{}", s.assignment),
            Some(&s.teacher),
        )
        .header("If-Match", "*")
        .json(&json!({"opens_at": at(-120), "due_at": at(-1)}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let seen = json_of(app.get(&sub, Some(&s.student)).await, StatusCode::OK).await;
    assert_eq!(seen["feedback"]["score"], 1.0);
    assert_eq!(seen["feedback"]["options"][0]["explanation"], "Explanation of a");

    // on_release: hidden until released_at is set (the release endpoint comes with results).
    let res = app
        .request(
            Method::PATCH,
            &format!("/v1/assignments/{}", s.assignment),
            Some(&s.teacher),
        )
        .header("If-Match", "*")
        .json(&json!({"feedback": "on_release"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let list = format!("/v1/assignments/{}/submissions", s.assignment);
    let page = json_of(app.get(&list, Some(&s.student)).await, StatusCode::OK).await;
    assert!(page["items"][0].get("feedback").is_none());
    sqlx::query("UPDATE assignments SET released_at = now()")
        .execute(&app.pool)
        .await
        .unwrap();
    let page = json_of(app.get(&list, Some(&s.student)).await, StatusCode::OK).await;
    assert_eq!(page["items"][0]["feedback"]["score"], 1.0);
}

#[sqlx::test]
async fn a_later_exercise_edit_does_not_change_what_an_answer_was_graded_against(pool: PgPool) {
    let (s, ex) = setup(pool, 1, json!({"max_attempts": null})).await;
    let app = &s.app;
    let first = json_of(
        submit(
            app,
            &s.student,
            &s.assignment,
            "v1",
            &choices(&ex[0], &["a", "b"]),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(first["feedback"]["score"], 1.0);
    // A teacher corrects the key: version 2 makes only "c" correct.
    let mut v2 = choice_content("multiple_response", &["c"]);
    v2["options"][2]["explanation"] = json!("Corrected");
    let id = uuid::Uuid::parse_str(&ex[0]).unwrap();
    sqlx::query("INSERT INTO exercise_versions (exercise_id, version, status, content) VALUES ($1, 2, 'published', $2)")
        .bind(id)
        .bind(&v2)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE exercises SET version = 2, content = $2 WHERE id = $1")
        .bind(id)
        .bind(&v2)
        .execute(&app.pool)
        .await
        .unwrap();
    let stored = json_of(
        app.get(
            &format!("/v1/submissions/{}", first["id"].as_str().unwrap()),
            Some(&s.student),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(stored["exercise_version"], 1);
    assert_eq!(stored["feedback"]["score"], 1.0);
    assert_eq!(
        stored["feedback"]["options"][0]["correct"], true,
        "explained by version 1"
    );
    let second = json_of(
        submit(
            app,
            &s.student,
            &s.assignment,
            "v2",
            &choices(&ex[0], &["a", "b"]),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(second["exercise_version"], 2);
    assert_eq!(second["feedback"]["score"], 0.0);
}

#[sqlx::test]
async fn after_due_feedback_follows_each_students_own_due_time(pool: PgPool) {
    let (s, ex) = setup(
        pool,
        1,
        json!({"feedback": "after_due", "opens_at": at(-60), "due_at": at(-1)}),
    )
    .await;
    let app = &s.app;
    let sam_id = json_of(app.get("/v1/me", Some(&s.student)).await, StatusCode::OK).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .request(
            Method::PUT,
            &format!("/v1/assignments/{}/extensions/{sam_id}", s.assignment),
            Some(&s.teacher),
        )
        .header("If-Match", "*")
        .json(&json!({"due_at": at(3600)}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let kim = app.token(Role::Student, "kim");
    let code: String = sqlx::query_scalar("SELECT join_code FROM classes")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    join(app, &kim, &code).await;

    let body = choices(&ex[0], &["a", "b"]);
    let sam = json_of(
        submit(app, &s.student, &s.assignment, "sam", &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert!(
        sam.get("feedback").is_none(),
        "sam's own due time is an hour away"
    );
    assert_eq!(sam["late"], false);
    let kim = json_of(
        submit(app, &kim, &s.assignment, "kim", &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(kim["feedback"]["score"], 1.0, "kim's due time has passed");
    assert_eq!(kim["late"], true);
}

#[sqlx::test]
async fn a_replay_is_byte_identical_even_after_the_answer_is_graded_by_hand(pool: PgPool) {
    let (s, ex) = setup(pool, 1, json!({"max_attempts": null})).await;
    let reflection = reflection_exercise(&s.app).await;
    let class: String = sqlx::query_scalar("SELECT class_id::text FROM assignments LIMIT 1")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    let other = create_assignment(&s.app, &s.teacher, &class, &[&reflection], json!({})).await;
    let other = other["id"].as_str().unwrap();

    // A choice answer with its explanations, replayed byte for byte.
    let body = choices(&ex[0], &["a", "c"]);
    let first = submit(&s.app, &s.student, &s.assignment, "k-choice", &body).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = first.bytes().await.unwrap();
    let again = submit(&s.app, &s.student, &s.assignment, "k-choice", &body).await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.bytes().await.unwrap(), first);

    // A free-text answer waits for a person; once graded, a retry still gets what was sent.
    let text = json!({"exercise_id": reflection, "answer": {"type": "text", "text": "The mayor, named."}});
    let first = submit(&s.app, &s.student, other, "k-text", &text).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = first.bytes().await.unwrap();
    let stored: Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(stored["status"], "pending_review");
    let res = s
        .app
        .request(
            Method::PUT,
            &format!("/v1/submissions/{}/grade", stored["id"].as_str().unwrap()),
            Some(&s.teacher),
        )
        .header("if-match", "\"g1\"")
        .json(&json!({"score": 0.75, "comment": "good"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let again = submit(&s.app, &s.student, other, "k-text", &text).await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.bytes().await.unwrap(), first, "the response as first sent");
    assert_eq!(count(&s.app).await, 2);
}
