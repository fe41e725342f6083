//! The role policy walked over every operation, and per-teacher keys.

use newslit::identity::policy::{Access, POLICY};
use newslit::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::classes::{json_of, send};
use crate::helpers::assert_problem;

use super::{answer, world};

// ---------------------------------------------------------------------------------------------
// The role policy, walked

#[sqlx::test]
async fn every_operation_answers_each_role_as_the_policy_table_says(pool: PgPool) {
    let w = world(pool, json!({"feedback": "on_release", "max_attempts": null})).await;
    let res = answer(&w, &w.student, &["a"]).await;
    let submission = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let student_id = json_of(w.app.get("/v1/me", Some(&w.student)).await, StatusCode::OK).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let article = json_of(
        send(
            &w.app,
            Method::POST,
            "/v1/articles",
            &w.teacher,
            Some(json!({"text": "The mayor said it."})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let admin = w.app.token(Role::Admin, "ada");
    let tokens = [
        (Role::Student, w.student.clone()),
        (Role::Teacher, w.teacher.clone()),
        (Role::Grader, w.grader.clone()),
        (Role::Admin, admin),
    ];
    for rule in POLICY {
        let path = rule
            .path
            .replace("{class_id}", &w.class)
            .replace("{assignment_id}", &w.assignment)
            .replace("{submission_id}", &submission)
            .replace("{student_id}", &student_id)
            .replace("{user_id}", &student_id);
        let path = if path.starts_with("/v1/articles/") {
            path.replace("{id}", &article)
        } else if path.starts_with("/v1/exercises/") {
            path.replace("{id}", &w.exercise)
        } else if path.starts_with("/v1/submissions/") {
            path.replace("{id}", &submission)
        } else {
            path.replace("{id}", &w.assignment)
        };
        for (role, token) in &tokens {
            let method = Method::from_bytes(rule.method.as_bytes()).unwrap();
            // One body for every operation, and not even JSON: the policy is enforced before
            // the body is read, so a refused role gets 403 whatever it sent. Operations that
            // need a precondition get a stale one: a 412 still shows the role got past it.
            let req = w
                .app
                .request(method, &path, Some(token))
                .header("content-type", "application/json")
                .body("{ not json")
                .header("If-Match", "\"999\"")
                .header("Idempotency-Key", uuid::Uuid::new_v4().to_string());
            let res = req.send().await.unwrap();
            let status = res.status();
            let body = res.text().await.unwrap();
            match rule.access(*role) {
                Access::No => assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{} {} as {role:?}: {body}",
                    rule.method,
                    rule.path
                ),
                _ => assert!(
                    status != StatusCode::FORBIDDEN && !status.is_server_error(),
                    "{} {} as {role:?} answered {status}: {body}",
                    rule.method,
                    rule.path
                ),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Per-teacher keys

fn correct(content: &Value, key: &str) -> Value {
    let mut c = content.clone();
    for o in c["options"].as_array_mut().unwrap() {
        let id = o["id"].as_str().unwrap().to_string();
        o["correct"] = json!(id == key);
    }
    c
}

#[sqlx::test]
async fn another_teachers_correction_never_changes_my_students_scores(pool: PgPool) {
    let w = world(pool, json!({"feedback": "immediate", "max_attempts": null})).await;
    let other = w.app.token(Role::Teacher, "bea");
    let path = format!("/v1/exercises/{}", w.exercise);
    // Bea reads the shared exercise and "corrects" it: b is now right, for her.
    let res = w.app.get(&path, Some(&other)).await;
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let shared: Value = res.json().await.unwrap();
    assert!(shared["owner_id"].is_null());
    let res = w
        .app
        .request(Method::PATCH, &path, Some(&other))
        .header("If-Match", &etag)
        .json(&json!({"options": correct(&shared["content"], "b")["options"]}))
        .send()
        .await
        .unwrap();
    let hers = json_of(res, StatusCode::OK).await;
    let bea_id = json_of(w.app.get("/v1/me", Some(&other)).await, StatusCode::OK).await["id"].clone();
    assert_eq!(hers["owner_id"], bea_id);
    assert_eq!(hers["content"]["options"][1]["correct"], true);
    // Tia, the admin and Tia's grader still see the catalogue's key.
    for token in [&w.teacher, &w.app.token(Role::Admin, "ada"), &w.grader] {
        let mine = json_of(w.app.get(&path, Some(token)).await, StatusCode::OK).await;
        assert!(mine["owner_id"].is_null(), "{mine}");
        assert_eq!(mine["content"]["options"][0]["correct"], true);
        assert_eq!(mine["version"], shared["version"]);
    }
    // Tia's student who answers a is still right.
    let res: Value = answer(&w, &w.student, &["a"]).await.json().await.unwrap();
    assert_eq!(res["feedback"]["score"], 1.0, "{res}");
    assert_eq!(res["exercise_version"], shared["version"]);
    // Tia's own correction is hers, and her class follows it from now on.
    let res = w
        .app
        .request(Method::PATCH, &path, Some(&w.teacher))
        .header("If-Match", &etag)
        .json(&json!({"options": correct(&shared["content"], "c")["options"]}))
        .send()
        .await
        .unwrap();
    let tias = json_of(res, StatusCode::OK).await;
    assert_ne!(
        tias["version"], hers["version"],
        "one numbering for every version"
    );
    let res: Value = answer(&w, &w.student, &["c"]).await.json().await.unwrap();
    assert_eq!(res["feedback"]["score"], 1.0, "{res}");
    assert_eq!(res["exercise_version"], tias["version"]);
    // Bea's version is untouched by Tia's.
    let still = json_of(w.app.get(&path, Some(&other)).await, StatusCode::OK).await;
    assert_eq!(still["version"], hers["version"]);
    assert_eq!(still["content"]["options"][1]["correct"], true);
    // A stale If-Match on one's own version is a 412.
    let res = w
        .app
        .request(Method::PATCH, &path, Some(&w.teacher))
        .header("If-Match", &etag)
        .json(&json!({"prompt": "Again?"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::PRECONDITION_FAILED).await;
}
