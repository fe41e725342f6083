//! The review page: one HTML page per article for staff, with the article marked up and every
//! exercise beside it.

use newslit::identity::Role;
use newslit::service::seed;
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

use crate::helpers::{assert_problem, TestApp};

/// The seed article with the most exercises, with its id and exercise count.
async fn seeded_article(app: &TestApp, token: &str) -> (String, usize, String) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    seed::load_dir(&app.pool, &dir).await.unwrap();
    let list: Value = app.get("/v1/articles", Some(token)).await.json().await.unwrap();
    let mut best = (String::new(), 0, String::new());
    for a in list["items"].as_array().unwrap() {
        let id = a["id"].as_str().unwrap().to_string();
        let ex: Value = app
            .get(&format!("/v1/articles/{id}/exercises"), Some(token))
            .await
            .json()
            .await
            .unwrap();
        let n = ex["items"].as_array().unwrap().len();
        if n > best.1 {
            best = (id, n, a["title"].as_str().unwrap().to_string());
        }
    }
    best
}

#[sqlx::test]
async fn a_teacher_reviews_an_article_as_one_page_with_every_exercise_beside_it(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "tess");
    let (id, n, title) = seeded_article(&app, &teacher).await;
    assert!(n > 0);
    let res = app
        .get(&format!("/v1/articles/{id}/review"), Some(&teacher))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let ct = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/html"), "{ct}");
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let html = res.text().await.unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // The article's title (escaped) heads the page.
    let escaped_title = title
        .replace('&', "&amp;")
        .replace('\'', "&#39;")
        .replace('"', "&quot;");
    assert!(html.contains(&escaped_title), "{title}");
    // Every exercise once, each with its confidence; keys marked.
    assert_eq!(html.matches("<div class=\"card\"").count(), n);
    assert_eq!(html.matches(" confidence\">confidence ").count(), n);
    assert!(html.contains("<li class=\"key\">"));
    // Sources highlighted by kind, cues marked; links to the JSON; nothing from elsewhere.
    assert!(html.contains("class=\"src k-"));
    assert!(html.contains("class=\"cue\""));
    assert!(html.contains(&format!("href=\"/v1/articles/{id}/exercises\"")));
    for outside in ["http://", "https://", "<script"] {
        assert!(!html.contains(outside), "{outside}");
    }
}

#[sqlx::test]
async fn students_may_not_open_the_review_page_and_unknown_articles_are_404(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "tess");
    let (id, _, _) = seeded_article(&app, &teacher).await;
    let student = app.token(Role::Student, "sam");
    assert_problem(
        app.get(&format!("/v1/articles/{id}/review"), Some(&student))
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_problem(
        app.get(
            &format!("/v1/articles/{}/review", uuid::Uuid::new_v4()),
            Some(&teacher),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(
        app.get(&format!("/v1/articles/{id}/review"), None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}
