//! What an answer refers to (its assignment, the exercise version it was graded against, its
//! student) cannot be deleted or re-keyed while the answer is stored: the database refuses
//! as a foreign key would, and the answer is still there and still readable.

use reqwest::StatusCode;
use serde_json::json;
use sqlx::PgPool;

use crate::classes::json_of;
use crate::helpers::stored_submissions;

use super::{choices, setup, submit};

/// Runs `sql` (binding `id` when given) and returns the SQLSTATE it failed with, after checking
/// the refusal names the answers (not another table's foreign key).
async fn refused(pool: &PgPool, sql: &str, id: Option<uuid::Uuid>) -> String {
    let mut query = sqlx::query(sql);
    if let Some(id) = id {
        query = query.bind(id);
    }
    let err = query.execute(pool).await.expect_err("the database must refuse");
    let db = err.as_database_error().expect("a database error");
    assert!(db.message().contains("submissions"), "{sql}: {}", db.message());
    db.code().map(|c| c.to_string()).unwrap_or_default()
}

#[sqlx::test]
async fn what_an_answer_refers_to_cannot_be_deleted(pool: PgPool) {
    let (s, ex) = setup(pool, 1, json!({})).await;
    let stored = json_of(
        submit(
            &s.app,
            &s.student,
            &s.assignment,
            "key-1",
            &choices(&ex[0], &["a"]),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let (assignment, exercise, student): (uuid::Uuid, uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "SELECT assignment_id, exercise_id, student_id FROM submissions WHERE id = $1::text::uuid",
    )
    .bind(stored["id"].as_str().unwrap())
    .fetch_one(&s.app.pool)
    .await
    .unwrap();
    let pool = &s.app.pool;
    let fk = "23503";
    for (sql, id) in [
        ("DELETE FROM assignments WHERE id = $1", assignment),
        (
            "UPDATE assignments SET id = gen_random_uuid() WHERE id = $1",
            assignment,
        ),
        ("DELETE FROM exercise_versions WHERE exercise_id = $1", exercise),
        (
            "UPDATE exercise_versions SET version = version + 100 WHERE exercise_id = $1",
            exercise,
        ),
        ("DELETE FROM users WHERE id = $1", student),
        ("UPDATE users SET id = gen_random_uuid() WHERE id = $1", student),
    ] {
        assert_eq!(refused(pool, sql, Some(id)).await, fk, "{sql}");
    }
    for table in ["assignments", "exercise_versions", "users"] {
        let sql = format!("TRUNCATE {table} CASCADE");
        assert_eq!(refused(pool, &sql, None).await, fk, "{sql}");
    }

    assert_eq!(stored_submissions(pool).await, 1);
    let res = submit(
        &s.app,
        &s.student,
        &s.assignment,
        "key-1",
        &choices(&ex[0], &["a"]),
    )
    .await;
    assert_eq!(res.headers()["idempotent-replayed"], "true");
    assert_eq!(
        json_of(res, StatusCode::CREATED).await,
        stored,
        "the answer replays as stored"
    );
}
