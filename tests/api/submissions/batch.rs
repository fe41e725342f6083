//! Answers stored together (group commit): concurrent answers of several students share one
//! statement and one commit, each still decided by its own rules. To make answers queue
//! behind each other, a test holds `LOCK TABLE submissions IN SHARE MODE` for a moment (an
//! insert waits for it, as it would for a slow commit): the answers arriving meanwhile are
//! stored together once it is released. Two answers stored by one transaction share their
//! `change_xid`.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use futures_util::future::join_all;
use newslit::identity::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::classes::{join, json_of};
use crate::helpers::{assert_problem, TestApp};

use super::{choices, setup, submit, Setup};

/// `n` more students who joined the class.
async fn students(s: &Setup, n: usize) -> Vec<String> {
    let mut tokens = Vec::new();
    for i in 0..n {
        let t = s.app.token(Role::Student, &format!("batch-{i}"));
        assert_eq!(join(&s.app, &t, &s.code).await, StatusCode::CREATED);
        tokens.push(t);
    }
    tokens
}

/// Holds a lock that makes every insert into `submissions` wait until it is released.
async fn hold_inserts(pool: &PgPool) -> sqlx::Transaction<'static, sqlx::Postgres> {
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("LOCK TABLE submissions IN SHARE MODE")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx
}

/// How many stored answers share a transaction with another one.
async fn answers_stored_together(pool: &PgPool) -> i64 {
    sqlx::query_scalar::<_, i64>(
        "SELECT coalesce(sum(n), 0)::int8 FROM (SELECT count(*) AS n FROM submissions GROUP BY change_xid HAVING count(*) > 1) t",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Sends every request at once while inserts are held, then releases them.
async fn race<F, Fut, T>(pool: &PgPool, requests: Vec<F>) -> Vec<T>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let lock = hold_inserts(pool).await;
    let all = join_all(requests.into_iter().map(|f| f()));
    let release = async {
        tokio::time::sleep(Duration::from_millis(400)).await;
        lock.commit().await.unwrap();
    };
    let (responses, ()) = tokio::join!(all, release);
    responses
}

#[sqlx::test]
async fn two_instances_race_for_attempts_and_keys_and_each_student_sees_one_answer_per_key(pool: PgPool) {
    let (s, ex) = setup(pool.clone(), 1, json!({"max_attempts": null})).await;
    let other = TestApp::spawn(pool.clone()).await;
    let tokens = students(&s, 6).await;
    let body = choices(&ex[0], &["a", "b"]);
    // Each student: four answers under keys of their own, and one key sent four times, the
    // requests spread over both instances.
    let mut requests = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        for k in 0..8 {
            let app = if k % 2 == 0 { &s.app } else { &other };
            let key = if k < 4 {
                format!("own-{k}")
            } else {
                "same".to_string()
            };
            let (t, body, assignment) = (t.clone(), body.clone(), s.assignment.clone());
            requests.push(move || async move { (i, k, submit(app, &t, &assignment, &key, &body).await) });
        }
    }
    let responses = race(&pool, requests).await;
    let mut seen: BTreeMap<usize, (Vec<i64>, HashSet<String>)> = BTreeMap::new();
    for (i, k, res) in responses {
        let answer = json_of(res, StatusCode::CREATED).await;
        let entry = seen.entry(i).or_default();
        if k < 4 {
            entry.0.push(answer["attempt"].as_i64().unwrap());
        } else {
            entry.1.insert(answer["id"].as_str().unwrap().to_string());
        }
    }
    for (i, (mut attempts, same)) in seen {
        assert_eq!(
            same.len(),
            1,
            "student {i}: every request under one key names one answer"
        );
        attempts.sort_unstable();
        attempts.dedup();
        assert_eq!(attempts.len(), 4, "student {i}: four keys, four attempt numbers");
        let listed = sqlx::query_scalar::<_, i32>(
            "SELECT s.attempt FROM submissions s JOIN users u ON u.id = s.student_id
             WHERE u.subject = $1 ORDER BY s.attempt",
        )
        .bind(format!("batch-{i}"))
        .fetch_all(&pool)
        .await
        .unwrap();
        assert_eq!(
            listed,
            (1..=5).collect::<Vec<_>>(),
            "student {i}: attempts 1 to 5, one per key"
        );
    }
    assert!(
        answers_stored_together(&pool).await > 1,
        "the answers that queued behind the lock were stored together"
    );
}

#[sqlx::test]
async fn the_attempt_limit_holds_when_answers_race_in_batches(pool: PgPool) {
    let (s, ex) = setup(pool.clone(), 1, json!({"max_attempts": 2})).await;
    let tokens = students(&s, 5).await;
    let body = choices(&ex[0], &["a"]);
    let mut requests = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        for k in 0..4 {
            let (app, t, body, assignment) = (&s.app, t.clone(), body.clone(), s.assignment.clone());
            requests.push(
                move || async move { (i, submit(app, &t, &assignment, &format!("k{k}"), &body).await) },
            );
        }
    }
    let responses = race(&pool, requests).await;
    let mut stored: BTreeMap<usize, Vec<i64>> = BTreeMap::new();
    for (i, res) in responses {
        if res.status() == StatusCode::CREATED {
            let answer: Value = res.json().await.unwrap();
            stored
                .entry(i)
                .or_default()
                .push(answer["attempt"].as_i64().unwrap());
        } else {
            let problem = assert_problem(res, StatusCode::CONFLICT).await;
            assert_eq!(problem["type"], "/problems/attempts-exhausted");
        }
    }
    for i in 0..tokens.len() {
        let mut attempts = stored.remove(&i).unwrap_or_default();
        attempts.sort_unstable();
        assert_eq!(
            attempts,
            vec![1, 2],
            "student {i}: two answers accepted, the other two refused"
        );
    }
    let rows = sqlx::query_scalar::<_, i64>("SELECT count(*) FROM submissions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 10);
    assert!(answers_stored_together(&pool).await > 1);
}

#[sqlx::test]
async fn in_one_batch_a_refused_answer_does_not_keep_the_others_from_being_stored(pool: PgPool) {
    let (s, ex) = setup(pool.clone(), 1, json!({"max_attempts": 1})).await;
    // Sam has used the one attempt already.
    submit(
        &s.app,
        &s.student,
        &s.assignment,
        "first",
        &choices(&ex[0], &["a"]),
    )
    .await
    .error_for_status()
    .unwrap();
    let tokens = students(&s, 5).await;
    let outsider = s.app.token(Role::Student, "not-in-the-class");
    let body = choices(&ex[0], &["b"]);
    let mut requests = Vec::new();
    for (who, t) in tokens.iter().chain([&s.student, &outsider]).enumerate() {
        let (app, t, body, assignment) = (&s.app, t.clone(), body.clone(), s.assignment.clone());
        requests.push(move || async move { (who, submit(app, &t, &assignment, "second", &body).await) });
    }
    let responses = race(&pool, requests).await;
    for (who, res) in responses {
        match who {
            0..=4 => {
                let answer = json_of(res, StatusCode::CREATED).await;
                assert_eq!(answer["attempt"], 1);
            }
            5 => {
                let problem = assert_problem(res, StatusCode::CONFLICT).await;
                assert_eq!(problem["type"], "/problems/attempts-exhausted");
            }
            _ => {
                assert_problem(res, StatusCode::NOT_FOUND).await;
            }
        }
    }
    let rows = sqlx::query_scalar::<_, i64>("SELECT count(*) FROM submissions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 6, "sam's first answer and one from each of the five");
    assert!(answers_stored_together(&pool).await > 1);
}

#[sqlx::test]
async fn when_a_batch_fails_each_answer_is_stored_on_its_own(pool: PgPool) {
    let (s, ex) = setup(pool.clone(), 1, json!({"max_attempts": null})).await;
    let tokens = students(&s, 6).await;
    // One answer the database refuses, whichever statement stores it.
    sqlx::raw_sql(
        "CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF NEW.idempotency_key = 'poison' THEN RAISE EXCEPTION 'refused by the test'; END IF;
           RETURN NEW;
         END $$;
         CREATE TRIGGER refuse_poison BEFORE INSERT ON submissions FOR EACH ROW EXECUTE FUNCTION refuse_poison();",
    )
    .execute(&pool)
    .await
    .unwrap();
    let body = choices(&ex[0], &["a"]);
    let mut requests = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let key = if i == tokens.len() - 1 { "poison" } else { "fine" };
        let (app, t, body, assignment) = (&s.app, t.clone(), body.clone(), s.assignment.clone());
        requests.push(move || async move { (key, submit(app, &t, &assignment, key, &body).await) });
    }
    let responses = race(&pool, requests).await;
    for (key, res) in responses {
        if key == "poison" {
            assert_problem(res, StatusCode::INTERNAL_SERVER_ERROR).await;
        } else {
            json_of(res, StatusCode::CREATED).await;
        }
    }
    let keys = sqlx::query_scalar::<_, String>("SELECT idempotency_key FROM submissions")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(
        keys,
        vec!["fine"; 5],
        "the five others stored, the refused one not"
    );
}
