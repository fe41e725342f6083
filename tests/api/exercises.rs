use newslit::exercises::{
    Difficulty, Exercise, ExerciseContent, ExerciseKind, ExerciseOption, Quote, ResponseType, ScoringMode,
};
use newslit::identity::Role;
use newslit::review::ExerciseStatus;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::articles::OWN_ARTICLE;
use crate::helpers::{assert_problem, TestApp};

fn quote(text: &str, needle: &str) -> Quote {
    let byte = text.find(needle).expect("needle in text");
    let start = text[..byte].chars().count();
    Quote {
        start,
        end: start + needle.chars().count(),
        text: needle.to_string(),
    }
}

fn option(id: &str, needle: &str, correct: bool, why: &str) -> ExerciseOption {
    ExerciseOption {
        id: id.into(),
        text: needle.into(),
        quote: Some(quote(OWN_ARTICLE, needle)),
        article_hash: None,
        correct,
        explanation: why.into(),
    }
}

/// Stores the article and one generated-looking exercise on it, as the generator would.
async fn article_with_exercise(app: &TestApp, status: ExerciseStatus) -> (Uuid, Uuid) {
    let teacher = app.token(Role::Teacher, "tess");
    let article: Value = app
        .request(Method::POST, "/v1/articles", Some(&teacher))
        .json(&json!({"text": OWN_ARTICLE}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let article_id: Uuid = article["id"].as_str().unwrap().parse().unwrap();
    let exercise = Exercise {
        id: Uuid::new_v4(),
        kind: ExerciseKind::AnonymousSources,
        content: ExerciseContent {
            prompt: "Which statements rest on sources the article does not name?".into(),
            response_type: ResponseType::MultipleResponse,
            passage: None,
            options: vec![
                option(
                    "a",
                    "the building could be sold to a developer",
                    true,
                    "no name is given: 'Two city employees who asked not to be named'",
                ),
                option(
                    "b",
                    "We cannot keep every building open",
                    false,
                    "a named source: Mayor Dana Cole",
                ),
                option(
                    "c",
                    "voted 5-2 on Tuesday to close the Riverside branch library",
                    false,
                    "a named source: Mayor Dana Cole said it",
                ),
            ],
            difficulty: Difficulty::Easy,
            scoring: ScoringMode::Partial,
            rubric: None,
            confidence: 1.0,
            needs_review: false,
            review_notes: Vec::new(),
        },
    };
    let mut conn = app.pool.acquire().await.unwrap();
    newslit::store::exercises::upsert_generated(&mut conn, &exercise, &[article_id], status, 1)
        .await
        .unwrap();
    (article_id, exercise.id)
}

#[sqlx::test]
async fn a_teacher_fixes_a_key_with_if_match_and_publishes_it(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let (_, id) = article_with_exercise(&app, ExerciseStatus::Draft).await;
    let teacher = app.token(Role::Teacher, "tess");
    let path = format!("/v1/exercises/{id}");

    let res = app.get(&path, Some(&teacher)).await;
    let etag = res.headers().get("etag").unwrap().to_str().unwrap().to_string();
    assert_eq!(etag, "\"1\"");
    let exercise: Value = res.json().await.unwrap();
    assert_eq!(exercise["status"], "draft");
    let mut options = exercise["content"]["options"].as_array().unwrap().clone();
    options[1]["correct"] = json!(true);
    options[1]["explanation"] = json!("A teacher's correction.");

    let patch = |body: Value, if_match: Option<&str>| {
        let req = app.request(Method::PATCH, &path, Some(&teacher)).json(&body);
        match if_match {
            Some(tag) => req.header("if-match", tag),
            None => req,
        }
        .send()
    };
    assert_problem(
        patch(json!({"options": options}), None).await.unwrap(),
        StatusCode::PRECONDITION_REQUIRED,
    )
    .await;

    let res = patch(json!({"options": options}), Some(&etag)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get("etag").unwrap(), "\"2\"");
    let edited: Value = res.json().await.unwrap();
    assert_eq!(edited["content"]["options"][1]["correct"], true);
    assert_eq!(edited["corrected"], true);

    let problem = assert_problem(
        patch(json!({"status": "published"}), Some(&etag)).await.unwrap(),
        StatusCode::PRECONDITION_FAILED,
    )
    .await;
    assert!(
        problem["detail"].as_str().unwrap().contains("\"2\""),
        "names the current ETag: {problem}"
    );
    // An edit that could never apply is a 400 naming its fault, even with a stale ETag.
    assert_problem(
        patch(json!({"options": []}), Some(&etag)).await.unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;

    let published: Value = patch(json!({"status": "published"}), Some("\"2\""))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(published["status"], "published");
    assert_eq!(published["version"], 3);
    let versions = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM exercise_versions WHERE exercise_id = $1"#,
        id
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(versions, 3, "every version is kept");
}

#[sqlx::test]
async fn edits_that_break_the_exercise_are_refused_and_change_nothing(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let (_, id) = article_with_exercise(&app, ExerciseStatus::Draft).await;
    let teacher = app.token(Role::Teacher, "tess");
    let path = format!("/v1/exercises/{id}");
    let send = |body: Value| {
        app.request(Method::PATCH, &path, Some(&teacher))
            .header("if-match", "\"1\"")
            .json(&body)
            .send()
    };

    assert_problem(
        send(json!({"prompt": "  "})).await.unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    let wrong_quote = json!({"options": [
        {"id": "a", "text": "x", "quote": {"start": 0, "end": 5, "text": "Nope!"}, "article_hash": null, "correct": true, "explanation": "e"},
        {"id": "b", "text": "y", "quote": null, "article_hash": null, "correct": false, "explanation": "e"}
    ]});
    let problem = assert_problem(send(wrong_quote).await.unwrap(), StatusCode::BAD_REQUEST).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("does not match the article"),
        "{problem}"
    );
    assert_problem(
        send(json!({"colour": "red"})).await.unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;

    let exercise: Value = app.get(&path, Some(&teacher)).await.json().await.unwrap();
    assert_eq!(exercise["version"], 1);
}

#[sqlx::test]
async fn students_see_published_exercises_without_keys_and_drafts_not_at_all(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let (article, draft) = article_with_exercise(&app, ExerciseStatus::Draft).await;
    let student = app.token(Role::Student, "sam");
    assert_problem(
        app.get(&format!("/v1/exercises/{draft}"), Some(&student)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let list: Value = app
        .get(&format!("/v1/articles/{article}/exercises"), Some(&student))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 0);

    // The shared catalogue is published by an admin (a teacher's publish is their own version).
    let admin = app.token(Role::Admin, "ada");
    app.request(Method::PATCH, &format!("/v1/exercises/{draft}"), Some(&admin))
        .header("if-match", "\"1\"")
        .json(&json!({"status": "published"}))
        .send()
        .await
        .unwrap();
    let res = app.get(&format!("/v1/exercises/{draft}"), Some(&student)).await;
    assert!(res.headers().get("etag").is_none());
    let body = res.text().await.unwrap();
    for secret in ["correct", "explanation", "no name is given"] {
        assert!(
            !body.contains(secret),
            "the student view leaks {secret:?}: {body}"
        );
    }
    let seen: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(seen["options"].as_array().unwrap().len(), 3);
    let again: Value = app
        .get(&format!("/v1/exercises/{draft}"), Some(&student))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen, again, "the same order every time for the same student");

    assert_problem(
        app.request(Method::PATCH, &format!("/v1/exercises/{draft}"), Some(&student))
            .header("if-match", "\"2\"")
            .json(&json!({"status": "retired"}))
            .send()
            .await
            .unwrap(),
        StatusCode::FORBIDDEN,
    )
    .await;
}

#[sqlx::test]
async fn a_teachers_correction_survives_regeneration(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let (article, id) = article_with_exercise(&app, ExerciseStatus::Draft).await;
    let teacher = app.token(Role::Teacher, "tess");
    app.request(Method::PATCH, &format!("/v1/exercises/{id}"), Some(&teacher))
        .header("if-match", "\"1\"")
        .json(&json!({"prompt": "Which of these statements come from unnamed sources?"}))
        .send()
        .await
        .unwrap();
    // The generator produces the exercise again (say, after an upgrade) with its own prompt.
    let row = newslit::store::exercises::get(&app.pool, id)
        .await
        .unwrap()
        .unwrap();
    let mut regenerated = row.content.0.clone();
    regenerated.prompt = "Generator's new wording".into();
    let exercise = Exercise {
        id,
        kind: ExerciseKind::AnonymousSources,
        content: regenerated,
    };
    let mut conn = app.pool.acquire().await.unwrap();
    newslit::store::exercises::upsert_generated(&mut conn, &exercise, &[article], ExerciseStatus::Draft, 2)
        .await
        .unwrap();

    let after: Value = app
        .get(&format!("/v1/exercises/{id}"), Some(&teacher))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        after["content"]["prompt"],
        "Which of these statements come from unnamed sources?"
    );
    assert_eq!(after["generator_version"], 2);
}
