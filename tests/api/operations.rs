use newslit::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{assert_problem, stored_articles, TestApp};

#[sqlx::test]
async fn metrics_count_requests_by_route_pattern_and_report_the_pool(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "tess");
    app.get("/v1/me", Some(&teacher)).await;
    app.get(&format!("/v1/articles/{}", uuid::Uuid::new_v4()), Some(&teacher))
        .await;
    let res = app.get("/metrics", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = res.text().await.unwrap();
    assert!(
        text.contains(r#"newslit_http_requests_total{method="GET",route="/v1/me",status="200"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"route="/v1/articles/{id}",status="404"} 1"#),
        "ids never become labels: {text}"
    );
    assert!(text.contains("newslit_http_request_duration_seconds_bucket{route=\"/v1/me\",le=\"+Inf\"} 1"));
    assert!(text.contains("newslit_db_pool_connections{state=\"idle\"}"));
    assert!(text.contains("newslit_db_pool_max_connections"));
}

#[sqlx::test]
async fn writes_beyond_the_per_user_limit_get_429_with_retry_after(pool: PgPool) {
    let app = TestApp::spawn_with(pool, |c| c.rate_limit_writes_per_minute = 2).await;
    let teacher = app.token(Role::Teacher, "tess");
    for i in 0..2 {
        let res = app
            .request(Method::POST, "/v1/articles", Some(&teacher))
            .json(&json!({"text": format!("Story {i}\n\nThe mayor said so.")}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let res = app
        .request(Method::POST, "/v1/articles", Some(&teacher))
        .json(&json!({"text": "Story 3\n\nThe mayor said so."}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers().get("retry-after").unwrap(), "30");
    assert_eq!(
        res.headers().get("ratelimit-policy").unwrap(),
        "\"writes\";q=2;w=60"
    );
    assert!(res.headers().contains_key("ratelimit"));
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS).await;
    let count = stored_articles(&app.pool).await;
    assert_eq!(count, 2, "the refused write stored nothing");

    assert_eq!(
        app.get("/v1/articles", Some(&teacher)).await.status(),
        StatusCode::OK,
        "reads are not limited"
    );
    let other = app.token(Role::Teacher, "tom");
    let res = app
        .request(Method::POST, "/v1/articles", Some(&other))
        .json(&json!({"text": "Story 4\n\nThe mayor said so."}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "the limit is per user");
}
