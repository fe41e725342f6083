//! Retries and concurrency: one key, one stored answer, the same bytes on every replay.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::classes::{create_assignment, json_of, reflection_exercise, send};
use crate::helpers::{assert_problem, stored_submissions};

use super::{choices, setup, submit};

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
    assert_eq!(stored_submissions(&s.app.pool).await, 1);

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
    assert_eq!(stored_submissions(&s.app.pool).await, 1);
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
    assert_eq!(stored_submissions(&s.app.pool).await, 1);

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
    let attempts = sqlx::query_scalar!("SELECT attempt FROM submissions ORDER BY attempt")
        .fetch_all(&s.app.pool)
        .await
        .unwrap();
    assert_eq!(attempts, (1..=11).collect::<Vec<_>>());
}

#[sqlx::test]
async fn a_replay_is_byte_identical_even_after_the_answer_is_graded_by_hand(pool: PgPool) {
    let (s, ex) = setup(pool, 1, json!({"max_attempts": null})).await;
    let reflection = reflection_exercise(&s.app).await;
    let other = create_assignment(&s.app, &s.teacher, &s.class, &[&reflection], json!({})).await;
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
    assert_eq!(stored_submissions(&s.app.pool).await, 2);
}
