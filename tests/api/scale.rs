//! Many instances on one database: a concurrent start, limits that hold across instances, and
//! content an older binary must not overwrite.

use newslit::config::Config;
use newslit::identity::Role;
use newslit::service::{catalogue, seed, setup};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

use crate::helpers::{assert_problem, stored_articles, stored_classes, stored_exercises, TestApp};

fn seed_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// A second pool on the same database, as a second instance would have.
async fn another_pool(pool: &PgPool) -> PgPool {
    PgPoolOptions::new()
        .max_connections(4)
        .connect_with(pool.connect_options().as_ref().clone())
        .await
        .expect("second pool")
}

#[sqlx::test(migrations = false)]
async fn two_instances_starting_at_once_on_a_missing_database_both_serve_with_the_seeds_loaded_once(
    pool: PgPool,
) {
    // A database that does not exist yet, on the tests' server.
    let opts = pool.connect_options();
    let name = format!("newslit_race_{}", uuid::Uuid::new_v4().simple());
    let url = format!(
        "postgres://{}@{}:{}/{name}",
        opts.get_username(),
        opts.get_host(),
        opts.get_port()
    );
    let config = |port: u16| {
        let mut c = Config::from_env();
        c.database_url = Some(newslit::config::Secret::new(url.clone()));
        c.seed_dir = None;
        c.listen = format!("127.0.0.1:{port}").parse().unwrap();
        c
    };
    let (a, b) = (config(0), config(0));
    let pool_a = newslit::store::pool::pool(&a).unwrap();
    let pool_b = newslit::store::pool::pool(&b).unwrap();
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(2));
    let start = |config: Config, pool: PgPool| {
        let barrier = barrier.clone();
        tokio::spawn(async move {
            barrier.wait().await;
            setup::run(&config, &pool).await.map_err(|e| format!("{e:#}"))
        })
    };
    let (ra, rb) = tokio::join!(start(a.clone(), pool_a.clone()), start(b, pool_b.clone()));
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert!(ra.is_ok(), "first instance failed to start: {ra:?}");
    assert!(rb.is_ok(), "second instance failed to start: {rb:?}");
    let added: Vec<usize> = [&ra, &rb]
        .iter()
        .map(|r| r.as_ref().unwrap().seeds.as_ref().unwrap().added)
        .collect();
    assert!(
        added == [3, 0] || added == [0, 3],
        "one instance loads the three seeds, the other finds them: {added:?}"
    );
    // Loaded once: three articles, every exercise at its first version, one version row each.
    assert_eq!(stored_articles(&pool_a).await, 3);
    let exercises = stored_exercises(&pool_a).await;
    assert!(exercises > 0);
    assert_eq!(
        sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM exercises WHERE version <> 1"#)
            .fetch_one(&pool_a)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM exercise_versions"#)
            .fetch_one(&pool_a)
            .await
            .unwrap(),
        exercises
    );

    // And both serve.
    for p in [pool_a.clone(), pool_b.clone()] {
        let app = TestApp::spawn(p).await;
        let teacher = app.token(Role::Teacher, "t-race");
        let res = app.get("/v1/articles", Some(&teacher)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["items"].as_array().unwrap().len(), 3);
    }
    pool_a.close().await;
    pool_b.close().await;
    // A database name is an identifier, which no query parameter can carry.
    sqlx::raw_sql(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&pool)
        .await
        .unwrap();
}

#[sqlx::test]
async fn one_users_write_limit_holds_across_two_instances(pool: PgPool) {
    let limit = |c: &mut Config| c.rate_limit_writes_per_minute = 5;
    let one = TestApp::spawn_with(pool.clone(), limit).await;
    let two = TestApp::spawn_with(another_pool(&pool).await, limit).await;
    let teacher = one.token(Role::Teacher, "t-limited");
    let other = one.token(Role::Teacher, "t-other");
    let mut statuses = Vec::new();
    for i in 0..8 {
        let app = if i % 2 == 0 { &one } else { &two };
        let res = app
            .request(Method::POST, "/v1/classes", Some(&teacher))
            .json(&json!({"name": format!("Class {i}")}))
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
            assert!(
                (1..=12).contains(&retry),
                "5 a minute: one every 12 s, not {retry}"
            );
            let problem = assert_problem(res, StatusCode::TOO_MANY_REQUESTS).await;
            assert_eq!(problem["type"], "/problems/rate-limited");
        }
    }
    assert_eq!(
        statuses,
        [201, 201, 201, 201, 201, 429, 429, 429],
        "five in all, whichever instance"
    );
    assert_eq!(stored_classes(&pool).await, 5);
    // Another user is not affected.
    let res = two
        .request(Method::POST, "/v1/classes", Some(&other))
        .json(&json!({"name": "Elsewhere"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[sqlx::test]
async fn the_daily_article_byte_budget_holds_across_two_instances(pool: PgPool) {
    let budget = |c: &mut Config| c.article_bytes_per_day = 3_000;
    let one = TestApp::spawn_with(pool.clone(), budget).await;
    let two = TestApp::spawn_with(another_pool(&pool).await, budget).await;
    let teacher = one.token(Role::Teacher, "t-budget");
    let article = |n: usize| {
        format!(
            "Budget story {n}\n\n{}",
            "The council said the library will reopen next spring. ".repeat(35)
        )
    };
    assert!((1_900..2_100).contains(&article(1).len()));
    let post = |app: &TestApp, text: String| {
        app.request(Method::POST, "/v1/articles", Some(&teacher))
            .header("content-type", "text/plain")
            .body(text)
            .send()
    };
    let res = post(&one, article(1)).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = post(&two, article(2)).await.unwrap();
    let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    // About 1,000 bytes are left and ~2,000 needed: 3,000 bytes a day flow in at one per ~29 s.
    assert!((20_000..40_000).contains(&retry), "Retry-After {retry}");
    let problem = assert_problem(res, StatusCode::TOO_MANY_REQUESTS).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("3000 bytes"),
        "{problem}"
    );
    assert_eq!(stored_articles(&pool).await, 1, "nothing stored");
    // A short article still fits in what is left.
    let res = post(
        &two,
        "Short story\n\nThe mayor said the bridge will reopen.".into(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[sqlx::test]
async fn an_older_binary_never_overwrites_what_a_newer_one_wrote(pool: PgPool) {
    seed::load_dir(&pool, &seed_dir()).await.unwrap();
    // A newer generator and analyzer (as during a rolling deploy) wrote one exercise and one
    // article's analysis.
    let newer_gen = i32::try_from(newslit::exercises::GENERATOR_VERSION).unwrap() + 1;
    let newer_ana = i32::try_from(newslit::analysis::ANALYZER_VERSION).unwrap() + 1;
    let newer = sqlx::query!(
        r#"UPDATE exercises SET generator_version = $1,
                content = jsonb_set(content, '{prompt}', '"Written by the newer generator"'),
                version = version + 1
         WHERE id = (SELECT id FROM exercises WHERE cardinality(article_ids) = 1 ORDER BY id LIMIT 1)
         RETURNING id, version"#,
        newer_gen
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let (exercise, version) = (newer.id, newer.version);
    let article = sqlx::query_scalar!(
        r#"UPDATE articles SET analyzer_version = $1, analysis = jsonb_set(analysis, '{title}', '"Newer analysis"')
         WHERE id = (SELECT id FROM articles ORDER BY id LIMIT 1) RETURNING id"#,
        newer_ana
    )
    .fetch_one(&pool)
    .await
    .unwrap();

    // The older (this) binary starts again: it re-generates every seed's exercises.
    seed::load_dir(&pool, &seed_dir()).await.unwrap();
    let row = sqlx::query!(
        r#"SELECT content->>'prompt' AS "prompt!", version, generator_version FROM exercises WHERE id = $1"#,
        exercise
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let (prompt, now_version, gen) = (row.prompt, row.version, row.generator_version);
    assert_eq!(prompt, "Written by the newer generator");
    assert_eq!((now_version, gen), (version, newer_gen), "version not bumped");
    // It would refresh an analysis it considers stale, but not one a newer analyzer wrote.
    sqlx::query!("UPDATE articles SET analyzer_version = 0 WHERE id <> $1", article)
        .execute(&pool)
        .await
        .unwrap();
    let refreshed = catalogue::refresh_stale(&pool).await.unwrap();
    assert_eq!(refreshed, 2, "the two older analyses are refreshed");
    let stored = newslit::store::articles::refresh_analysis(
        &pool,
        article,
        &newslit::analysis::analyze("Old\n\nThe mayor said so."),
        newer_ana - 1,
    )
    .await
    .unwrap();
    assert!(!stored, "an older analyzer's write is refused");
    let row = sqlx::query!(
        r#"SELECT analysis->>'title' AS "title!", analyzer_version FROM articles WHERE id = $1"#,
        article
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let (title, ana) = (row.title, row.analyzer_version);
    assert_eq!((title.as_str(), ana), ("Newer analysis", newer_ana));
}
