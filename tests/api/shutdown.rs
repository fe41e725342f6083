//! A graceful stop: a request accepted before it completes with its database work, whichever
//! worker took it and whichever worker opened the database connections.

use std::net::TcpListener;
use std::time::Duration;

use newslit::config::Config;
use newslit::http::startup;
use newslit::identity::{tokens::TokenKeys, Role};
use newslit::state::AppState;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::SECRET;

fn one_shot_client() -> crate::helpers::Client {
    crate::helpers::Client::one_shot()
}

#[sqlx::test]
async fn a_write_accepted_before_a_graceful_stop_completes_and_is_stored(pool: PgPool) {
    let mut config = Config::from_env();
    config.jwt_secret = Some(newslit::config::Secret::new(SECRET));
    config.jwt_public_key_file = None;
    config.jwt_issuer = None;
    config.jwt_audience = None;
    config.rate_limit_writes_per_minute = 0;
    // Two workers, one database connection each: the held request's worker must keep its own.
    config.workers = 2;
    config.db_pool_size = 2;
    config.db_acquire_timeout_ms = 10_000;
    let keys = TokenKeys::from_config(&config).unwrap();
    let teacher = keys
        .mint(
            "tess",
            Role::Teacher,
            Some("Tess"),
            Duration::from_secs(600),
            &config,
        )
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    // The server's own pool, as in `newslit serve` (the test's pool stays the test's).
    let server_pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(config.db_pool_size)
        .acquire_timeout(Duration::from_secs(10))
        .connect_lazy_with(pool.connect_options().as_ref().clone());
    let state = AppState::new(config.clone(), server_pool, keys).unwrap();
    let server = startup::run(listener, state).unwrap();
    let handle = server.handle();
    let stopped = tokio::spawn(server);

    // One worker answers a request (and opens a database connection), its connection closes.
    let res = one_shot_client()
        .get(format!("{base}/v1/me"))
        .bearer_auth(&teacher)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // The next connection goes to the other worker: its write waits on a lock we hold.
    let mut locker = pool.begin().await.unwrap();
    sqlx::query!("LOCK TABLE classes IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *locker)
        .await
        .unwrap();
    let held = tokio::spawn({
        let (base, teacher) = (base.clone(), teacher.clone());
        async move {
            one_shot_client()
                .post(format!("{base}/v1/classes"))
                .bearer_auth(&teacher)
                .json(&json!({"name": "Held over the stop"}))
                .send()
                .await
        }
    });
    // Until the request waits on the lock.
    let mut waiting = false;
    for _ in 0..100 {
        let n = sqlx::query_scalar!(
            r#"SELECT count(*) AS "n!" FROM pg_locks WHERE NOT granted AND relation = 'classes'::regclass"#
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        if n > 0 {
            waiting = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(waiting, "the write never reached the database");

    // The graceful stop: the idle worker exits at once, the other waits for its request.
    let stopping = tokio::spawn(handle.stop(true));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let stopped_early = stopping.is_finished();
    locker.rollback().await.unwrap();

    let res = held.await.unwrap().expect("the held request got an answer");
    let status = res.status();
    let class: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{class}");
    assert!(!stopped_early, "the server stopped before its request was done");
    let stored = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM classes WHERE id = $1::text::uuid"#,
        class["id"].as_str().unwrap()
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(stored, 1, "a 201 means committed");
    tokio::time::timeout(Duration::from_secs(10), stopping)
        .await
        .expect("the server stops once the request is done")
        .unwrap();
    stopped.await.unwrap().unwrap();
}
