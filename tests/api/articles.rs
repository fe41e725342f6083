use newslit::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{assert_problem, stored_articles, TestApp};

pub const OWN_ARTICLE: &str = "Council Votes to Close Riverside Library Branch\n\nBy Ana Ruiz\n\n\
The city council voted 5-2 on Tuesday to close the Riverside branch library, Mayor Dana Cole said.\n\n\
\u{201c}We cannot keep every building open,\u{201d} Cole told reporters after the vote.\n\n\
Two city employees who asked not to be named said the building could be sold to a developer.\n\n\
Residents will likely protest the decision, which is a shameful blow to the neighbourhood.\n";

#[sqlx::test]
async fn a_teacher_adds_an_article_and_the_same_text_again_returns_it(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "tess");
    let res = app
        .request(Method::POST, "/v1/articles", Some(&teacher))
        .json(&json!({"text": OWN_ARTICLE, "outlet": "Riverside Gazette", "published_at": "2026-11-20T09:30:00+01:00"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res
        .headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let article: Value = res.json().await.unwrap();
    assert_eq!(
        location,
        format!("/v1/articles/{}", article["id"].as_str().unwrap())
    );
    assert_eq!(
        article["title"],
        "Council Votes to Close Riverside Library Branch"
    );
    assert_eq!(article["outlet"], "Riverside Gazette");
    assert_eq!(article["published_at"], "2026-11-20T08:30:00Z", "stored in UTC");
    assert_eq!(article["text"], OWN_ARTICLE);
    assert!(article["analysis"].is_object(), "teachers see the analysis");

    let again = app
        .request(Method::POST, "/v1/articles", Some(&teacher))
        .json(&json!({"text": OWN_ARTICLE}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["id"], article["id"]);
    let count = stored_articles(&app.pool).await;
    assert_eq!(count, 1);
}

#[sqlx::test]
async fn plain_text_is_accepted_and_bad_bodies_are_refused_with_reasons(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "tess");
    let post = |body: Vec<u8>, content_type: &str| {
        app.request(Method::POST, "/v1/articles", Some(&teacher))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let res = post(OWN_ARTICLE.as_bytes().to_vec(), "text/plain; charset=utf-8")
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);

    let problem = assert_problem(
        post(b"   \n".to_vec(), "text/plain").await.unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "text");
    let problem = assert_problem(
        post(br#"{"text": ""}"#.to_vec(), "application/json")
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("empty"));
    let problem = assert_problem(
        post(vec![b'a', 0xff, 0xfe, b'b'], "text/plain").await.unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("UTF-8"));
    assert_problem(
        post(br#"{"text": "x", "colour": 1}"#.to_vec(), "application/json")
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_problem(
        post(b"{not json".to_vec(), "application/json").await.unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_problem(
        post(b"<a/>".to_vec(), "application/xml").await.unwrap(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
    )
    .await;
    let huge = "word ".repeat(300_000).into_bytes();
    assert_problem(
        post(huge, "text/plain").await.unwrap(),
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;

    let count = stored_articles(&app.pool).await;
    assert_eq!(count, 1, "refused bodies store nothing and lose nothing");
}

#[sqlx::test]
async fn students_and_graders_cannot_add_articles(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    for role in [Role::Student, Role::Grader] {
        let token = app.token(role, "someone");
        let res = app
            .request(Method::POST, "/v1/articles", Some(&token))
            .json(&json!({"text": OWN_ARTICLE}))
            .send()
            .await
            .unwrap();
        assert_problem(res, StatusCode::FORBIDDEN).await;
    }
}

#[sqlx::test]
async fn students_read_the_text_but_never_the_analysis(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "tess");
    let created: Value = app
        .request(Method::POST, "/v1/articles", Some(&teacher))
        .json(&json!({"text": OWN_ARTICLE}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let path = format!("/v1/articles/{}", created["id"].as_str().unwrap());
    let student: Value = app
        .get(&path, Some(&app.token(Role::Student, "sam")))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(student["text"], OWN_ARTICLE);
    assert!(
        student["analysis"].is_null(),
        "the analysis would give the answers away"
    );
    let grader: Value = app
        .get(&path, Some(&app.token(Role::Grader, "gil")))
        .await
        .json()
        .await
        .unwrap();
    assert!(grader["analysis"].is_object());
}

#[sqlx::test]
async fn the_article_list_pages_with_a_cursor_and_a_link_header(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "tess");
    for i in 0..5 {
        let text = format!("Article number {i}\n\nThe mayor said the budget passed.\n");
        let res = app
            .request(Method::POST, "/v1/articles", Some(&teacher))
            .json(&json!({"text": text}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let mut seen = Vec::new();
    let mut path = "/v1/articles?limit=2".to_string();
    loop {
        let res = app.get(&path, Some(&teacher)).await;
        let link = res.headers().get("link").map(|l| l.to_str().unwrap().to_string());
        let page: Value = res.json().await.unwrap();
        for item in page["items"].as_array().unwrap() {
            seen.push(item["title"].as_str().unwrap().to_string());
        }
        match link {
            Some(link) => {
                assert!(link.ends_with("rel=\"next\""));
                assert_eq!(
                    Some(page["next_cursor"].as_str().unwrap()),
                    link.split("cursor=").nth(1).map(|s| s.split('>').next().unwrap())
                );
                path = link
                    .trim_start_matches('<')
                    .split('>')
                    .next()
                    .unwrap()
                    .to_string();
            }
            None => {
                assert!(page["next_cursor"].is_null());
                break;
            }
        }
    }
    let expected: Vec<String> = (0..5).rev().map(|i| format!("Article number {i}")).collect();
    assert_eq!(seen, expected, "newest first, each once");
}

#[sqlx::test]
async fn bad_path_query_and_unknown_ids_are_problems(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "tess");
    assert_problem(
        app.get("/v1/articles/not-a-uuid", Some(&teacher)).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_problem(
        app.get("/v1/articles?limit=abc", Some(&teacher)).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_problem(
        app.get("/v1/articles?limit=0", Some(&teacher)).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_problem(
        app.get("/v1/articles?cursor=garbage", Some(&teacher)).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    let missing = format!("/v1/articles/{}", uuid::Uuid::new_v4());
    assert_problem(app.get(&missing, Some(&teacher)).await, StatusCode::NOT_FOUND).await;
    // Malformed JSON reaches the framework's JSON extractor.
    let res = app
        .request(
            Method::PATCH,
            &format!("/v1/exercises/{}", uuid::Uuid::new_v4()),
            Some(&teacher),
        )
        .header("content-type", "application/json")
        .header("if-match", "\"1\"")
        .body("{\"prompt\": ")
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST).await;
    assert!(problem["detail"].as_str().unwrap().contains("JSON"));
}
