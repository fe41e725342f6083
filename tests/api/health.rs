use reqwest::StatusCode;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use crate::helpers::{assert_problem, TestApp};

/// A 503 problem of type unavailable that says when to retry.
async fn assert_unavailable(res: reqwest::Response) -> serde_json::Value {
    assert!(
        res.headers().contains_key("retry-after"),
        "503 carries Retry-After"
    );
    let problem = assert_problem(res, StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(problem["type"], "/problems/unavailable");
    problem
}

#[sqlx::test]
async fn health_and_ready_answer_ok_with_a_database(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let res = app.get("/health", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().contains_key("x-request-id"));
    let res = app.get("/ready", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["status"], "ready");
}

#[sqlx::test]
async fn ready_turns_503_when_the_database_is_unreachable_while_health_stays_up(pool: PgPool) {
    // Nothing listens on port 1: every connection attempt is refused at once.
    let gone = PgConnectOptions::new()
        .host("127.0.0.1")
        .port(1)
        .username("postgres");
    let unreachable = PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_millis(500))
        .connect_lazy_with(gone);
    drop(pool);
    let app = TestApp::spawn(unreachable).await;

    let res = app.get("/ready", None).await;
    let problem = assert_unavailable(res).await;
    assert!(
        !problem["detail"].as_str().unwrap().contains("127.0.0.1"),
        "no internals: {problem}"
    );

    assert_eq!(app.get("/health", None).await.status(), StatusCode::OK);
}

#[sqlx::test]
async fn an_exhausted_pool_answers_503_quickly_and_serves_again_once_freed(pool: PgPool) {
    // One connection per worker (two workers), both taken by requests waiting on a lock: the
    // next request waits the acquire timeout, then is refused with a problem, never left hanging.
    let options = pool.connect_options().as_ref().clone();
    let small = PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(std::time::Duration::from_millis(300))
        .connect_with(options)
        .await
        .unwrap();
    let app = TestApp::spawn(small.clone()).await;
    let teacher = app.token(newslit::identity::Role::Teacher, "t1");
    assert_eq!(
        app.get("/v1/classes", Some(&teacher)).await.status(),
        StatusCode::OK
    );
    // A new connection per request, so requests go to the workers in turn.
    let fresh = || {
        let (url, teacher) = (app.url("/v1/classes"), teacher.clone());
        async move {
            crate::helpers::Client::one_shot()
                .get(url)
                .bearer_auth(teacher)
                .send()
                .await
                .unwrap()
        }
    };

    let mut locker = pool.begin().await.unwrap();
    sqlx::query!("LOCK TABLE classes IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *locker)
        .await
        .unwrap();
    let blocked = [tokio::spawn(fresh()), tokio::spawn(fresh())];
    let mut waiting = 0;
    for _ in 0..100 {
        waiting = sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'classes'::regclass",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        if waiting == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(waiting, 2, "both workers' connections wait on the lock");
    let started = std::time::Instant::now();
    let res = fresh().await;
    let waited = started.elapsed();
    assert_unavailable(res).await;
    assert!(
        waited < std::time::Duration::from_secs(2),
        "refused within about the acquire timeout, not hung: {waited:?}"
    );

    locker.rollback().await.unwrap();
    for request in blocked {
        assert_eq!(request.await.unwrap().status(), StatusCode::OK);
    }
    assert_eq!(
        app.get("/v1/classes", Some(&teacher)).await.status(),
        StatusCode::OK
    );
}
