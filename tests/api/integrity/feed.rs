//! Pulls that never miss, grading from one submission, feedback while attempts remain, a
//! token's role taking effect, one value per instant.

use std::time::{Duration, Instant};

use newslit::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::classes::{create_class, json_of, send};
use crate::helpers::TestApp;

use super::{answer, pull, world};

// ---------------------------------------------------------------------------------------------
// Pulls that never miss

#[sqlx::test]
async fn a_grader_assigned_after_making_a_cursor_gets_every_earlier_answer_of_the_class(pool: PgPool) {
    let w = world(pool, json!({"max_attempts": null, "feedback": "immediate"})).await;
    let late = w.app.token(Role::Grader, "lou");
    // Lou pulls (nothing within reach yet) and keeps the cursor.
    let (ids, cursor) = pull(&w.app, &late, "").await;
    assert!(ids.is_empty());
    let mut answered = Vec::new();
    for _ in 0..9 {
        let res = answer(&w, &w.student, &["b"]).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        answered.push(
            res.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    // Nothing of the class is Lou's yet.
    let (ids, cursor) = pull(&w.app, &late, &cursor).await;
    assert!(ids.is_empty(), "{ids:?}");
    json_of(
        send(
            &w.app,
            Method::POST,
            &format!("/v1/classes/{}/graders", w.class),
            &w.teacher,
            Some(json!({"subject": "lou"})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let (ids, cursor) = pull(&w.app, &late, &cursor).await;
    assert_eq!(ids, answered, "the class's nine earlier answers, in order, once");
    let (ids, _) = pull(&w.app, &late, &cursor).await;
    assert!(ids.is_empty(), "nothing twice: {ids:?}");
}

#[sqlx::test]
async fn a_pull_during_a_long_read_only_transaction_returns_new_answers_at_once(pool: PgPool) {
    let w = world(
        pool.clone(),
        json!({"max_attempts": null, "feedback": "immediate"}),
    )
    .await;
    let (_, cursor) = pull(&w.app, &w.grader, "").await;
    // Someone else's long read (a gradebook download, a report) and an idle session in a
    // transaction that has written nothing yet.
    let mut reader = pool.begin().await.unwrap();
    sqlx::query!("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *reader)
        .await
        .unwrap();
    sqlx::query_scalar!("SELECT count(*) FROM submissions")
        .fetch_one(&mut *reader)
        .await
        .unwrap();
    let opened = Instant::now();
    let res = answer(&w, &w.student, &["a"]).await;
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let started = Instant::now();
    let (ids, _) = pull(&w.app, &w.grader, &cursor).await;
    assert_eq!(ids, vec![id], "the new answer, while the read is open");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    // Hold the read for ten seconds in all, as a long download would: pulls stay immediate.
    while opened.elapsed() < Duration::from_secs(10) {
        let res = answer(&w, &w.student, &["b"]).await;
        let id = res.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (ids, _) = pull(&w.app, &w.grader, &cursor).await;
        assert!(ids.contains(&id), "answer {id} missing while the read is open");
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
    reader.rollback().await.unwrap();
}

#[sqlx::test]
async fn an_answer_committed_after_later_ones_arrives_exactly_once(pool: PgPool) {
    let w = world(
        pool.clone(),
        json!({"max_attempts": null, "feedback": "immediate"}),
    )
    .await;
    let (_, cursor) = pull(&w.app, &w.grader, "").await;
    // A regrade-like change that starts first and commits last: it takes its transaction id
    // before the answers below, yet becomes visible after them.
    let first = answer(&w, &w.student, &["a"])
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (ids, cursor) = pull(&w.app, &w.grader, &cursor).await;
    assert_eq!(ids, vec![first.clone()]);
    let mut slow = pool.begin().await.unwrap();
    sqlx::query!(
        "UPDATE submissions SET grade_comment = 'slow' WHERE id = $1::text::uuid",
        first
    )
    .execute(&mut *slow)
    .await
    .unwrap();
    let second = answer(&w, &w.student, &["b"])
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (ids, cursor) = pull(&w.app, &w.grader, &cursor).await;
    assert_eq!(ids, vec![second.clone()], "the later commit is not held back");
    slow.commit().await.unwrap();
    let (ids, cursor) = pull(&w.app, &w.grader, &cursor).await;
    assert_eq!(ids, vec![first], "the earlier-started change, once it commits");
    let (ids, _) = pull(&w.app, &w.grader, &cursor).await;
    assert!(ids.is_empty(), "nothing twice: {ids:?}");
}

// ---------------------------------------------------------------------------------------------
// Grading from one submission

#[sqlx::test]
async fn a_grader_grades_one_submission_with_the_etag_it_reads(pool: PgPool) {
    let w = world(pool, json!({"feedback": "immediate"})).await;
    let res = answer(&w, &w.student, &["b"]).await;
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = w.app.get(&format!("/v1/submissions/{id}"), Some(&w.grader)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["grade_version"], 1);
    assert_eq!(etag, "\"g1\"");
    let res = w
        .app
        .request(
            Method::PUT,
            &format!("/v1/submissions/{id}/grade"),
            Some(&w.grader),
        )
        .header("If-Match", &etag)
        .json(&json!({"score": 0.5, "comment": "half"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["etag"], "\"g2\"");
    // The student sees neither the version nor an ETag.
    let res = w
        .app
        .get(&format!("/v1/submissions/{id}"), Some(&w.student))
        .await;
    assert!(res.headers().get("etag").is_none());
    let body: Value = res.json().await.unwrap();
    assert!(body.get("grade_version").is_none(), "{body}");
}

// ---------------------------------------------------------------------------------------------
// Feedback while attempts remain

#[sqlx::test]
async fn immediate_feedback_hides_the_key_while_attempts_remain(pool: PgPool) {
    let w = world(pool, json!({"max_attempts": 2, "feedback": "immediate"})).await;
    let first: Value = answer(&w, &w.student, &["b"]).await.json().await.unwrap();
    let fb = &first["feedback"];
    assert_eq!(fb["score"], 0.0);
    assert_eq!(fb["key_shown"], false);
    let options = fb["options"].as_array().unwrap();
    assert_eq!(options.len(), 1, "only the chosen option: {fb}");
    assert_eq!(options[0]["id"], "b");
    assert_eq!(options[0]["correct"], false);
    assert!(options[0].get("explanation").is_none(), "{fb}");
    assert!(!fb.to_string().contains("Explanation of a"), "{fb}");
    // The same holds when the answer is read back.
    let id = first["id"].as_str().unwrap();
    let read: Value = w
        .app
        .get(&format!("/v1/submissions/{id}"), Some(&w.student))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["feedback"]["key_shown"], false);
    assert_eq!(read["feedback"]["options"].as_array().unwrap().len(), 1);
    // The last attempt: the whole key and its explanations, on that answer and the first.
    let last: Value = answer(&w, &w.student, &["c"]).await.json().await.unwrap();
    assert_eq!(last["feedback"]["key_shown"], true);
    assert_eq!(last["feedback"]["options"].as_array().unwrap().len(), 4);
    let read: Value = w
        .app
        .get(&format!("/v1/submissions/{id}"), Some(&w.student))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["feedback"]["key_shown"], true);
    assert_eq!(read["feedback"]["options"][0]["explanation"], "Explanation of a");
    // Staff always see the key.
    let staff: Value = w
        .app
        .get(&format!("/v1/submissions/{id}"), Some(&w.grader))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(staff["feedback"]["options"].as_array().unwrap().len(), 4);
}

// ---------------------------------------------------------------------------------------------
// Token role and name, one instant

#[sqlx::test]
async fn a_tokens_role_takes_effect_on_the_next_request_every_time(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "tia");
    let (class, _) = create_class(&app, &teacher, "9B").await;
    for role in [Role::Student, Role::Grader, Role::Student] {
        let me = json_of(
            app.get("/v1/me", Some(&app.token(role, "pat"))).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(me["role"], role_name(role), "{me}");
    }
    let res = send(
        &app,
        Method::POST,
        &format!("/v1/classes/{class}/students"),
        &teacher,
        Some(json!({"subject": "pat"})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED, "pat is a student again");
}

fn role_name(role: Role) -> &'static str {
    role.as_str()
}

#[sqlx::test]
async fn an_answer_shows_the_same_instant_when_stored_and_when_read(pool: PgPool) {
    let w = world(pool, json!({"feedback": "immediate"})).await;
    let posted: Value = answer(&w, &w.student, &["a"]).await.json().await.unwrap();
    let id = posted["id"].as_str().unwrap();
    let read: Value = w
        .app
        .get(&format!("/v1/submissions/{id}"), Some(&w.student))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(posted["submitted_at"], read["submitted_at"]);
    let stamp = posted["submitted_at"].as_str().unwrap();
    let fraction = stamp
        .split('.')
        .nth(1)
        .map_or(0, |f| f.trim_end_matches('Z').len());
    assert!(fraction <= 6, "{stamp}");
}
