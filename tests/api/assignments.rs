//! Assignments: creation rules, ETag / If-Match updates, extensions, the student's list and
//! exercise view.

use newslit::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::classes::{at, create_assignment, create_class, join, json_of, multiple_response_exercise, send};
use crate::helpers::{assert_problem, insert_published_exercise, TestApp};

#[sqlx::test]
async fn a_teacher_assigns_published_exercises_with_defaults_and_utc_dates(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "t1");
    let (class, _) = create_class(&app, &teacher, "9B").await;
    let ex = multiple_response_exercise(&app).await;

    let body = json!({
        "title": "Week 1", "exercise_ids": [ex],
        "opens_at": "2030-03-02T08:00:00+01:00", "due_at": "2030-03-09T23:59:00-05:00",
    });
    let res = send(
        &app,
        Method::POST,
        &format!("/v1/classes/{class}/assignments"),
        &teacher,
        Some(body),
    )
    .await;
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let a = json_of(res, StatusCode::CREATED).await;
    assert_eq!(location, format!("/v1/assignments/{}", a["id"].as_str().unwrap()));
    assert_eq!(a["opens_at"], "2030-03-02T07:00:00Z");
    assert_eq!(a["due_at"], "2030-03-10T04:59:00Z");
    assert_eq!(a["max_attempts"], 1);
    assert_eq!(a["scoring"], "partial");
    assert_eq!(a["feedback"], "immediate");
    assert_eq!(a["late_policy"], "accept_flagged");
    assert_eq!(a["exercise_ids"], json!([ex]));
    let res = app.get(&location, Some(&teacher)).await;
    assert_eq!(res.headers()["etag"].to_str().unwrap(), etag);

    let a = create_assignment(
        &app,
        &teacher,
        &class,
        &[&ex],
        json!({"max_attempts": null, "scoring": "all_or_nothing"}),
    )
    .await;
    assert!(a["max_attempts"].is_null(), "null means unlimited");
    assert_eq!(a["scoring"], "all_or_nothing");

    let listed = json_of(
        app.get(&format!("/v1/classes/{class}/assignments"), Some(&teacher))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);
}

#[sqlx::test]
async fn assignment_input_is_checked_field_by_field(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "t1");
    let (class, _) = create_class(&app, &teacher, "9B").await;
    let ex = multiple_response_exercise(&app).await;
    let draft = insert_published_exercise(
        &app.pool,
        "anonymous_sources",
        &crate::classes::reflection_content(),
    )
    .await;
    sqlx::query!("UPDATE exercises SET status = 'draft' WHERE id = $1", draft)
        .execute(&app.pool)
        .await
        .unwrap();
    let path = format!("/v1/classes/{class}/assignments");
    let base = json!({"title": "W", "exercise_ids": [ex], "opens_at": at(0), "due_at": at(60)});
    let cases: Vec<(Value, &str)> = vec![
        (json!({"opens_at": "2030-03-02T08:00:00"}), "opens_at"),
        (json!({"due_at": "next week"}), "due_at"),
        (json!({"due_at": at(-60)}), "due_at"),
        (json!({"title": ""}), "title"),
        (json!({"max_attempts": 0}), "max_attempts"),
        (json!({"exercise_ids": []}), "exercise_ids"),
        (json!({"exercise_ids": [ex, ex]}), "exercise_ids/1"),
        (json!({"exercise_ids": [uuid::Uuid::new_v4()]}), "exercise_ids/0"),
    ];
    for (change, field) in cases {
        let mut body = base.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let res = send(&app, Method::POST, &path, &teacher, Some(body)).await;
        let problem = assert_problem(res, StatusCode::BAD_REQUEST).await;
        assert_eq!(problem["errors"][0]["field"], field, "{change}: {problem}");
    }
    let mut body = base.clone();
    body["exercise_ids"] = json!([draft]);
    let problem = assert_problem(
        send(&app, Method::POST, &path, &teacher, Some(body)).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["type"], "/problems/exercise-not-published");
}

#[sqlx::test]
async fn updates_need_the_current_etag_and_extensions_change_it(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "t1");
    let sam = app.token(Role::Student, "sam");
    let (class, code) = create_class(&app, &teacher, "9B").await;
    join(&app, &sam, &code).await;
    let ex = multiple_response_exercise(&app).await;
    let a = create_assignment(&app, &teacher, &class, &[&ex], json!({})).await;
    let path = format!("/v1/assignments/{}", a["id"].as_str().unwrap());
    let etag = app.get(&path, Some(&teacher)).await.headers()["etag"]
        .to_str()
        .unwrap()
        .to_string();

    let patch = json!({"title": "Week 1 (revised)", "max_attempts": 3, "feedback": "after_due"});
    let res = send(&app, Method::PATCH, &path, &teacher, Some(patch.clone())).await;
    assert_problem(res, StatusCode::PRECONDITION_REQUIRED).await;
    let res = app
        .request(Method::PATCH, &path, Some(&teacher))
        .header("If-Match", "\"999\"")
        .json(&patch)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::PRECONDITION_FAILED).await;
    let res = app
        .request(Method::PATCH, &path, Some(&teacher))
        .header("If-Match", &etag)
        .json(&patch)
        .send()
        .await
        .unwrap();
    let new_etag = res.headers()["etag"].to_str().unwrap().to_string();
    let updated = json_of(res, StatusCode::OK).await;
    assert_ne!(new_etag, etag);
    assert_eq!(updated["title"], "Week 1 (revised)");
    assert_eq!(updated["max_attempts"], 3);
    assert_eq!(updated["feedback"], "after_due");
    assert_eq!(
        updated["late_policy"], "accept_flagged",
        "untouched fields keep their value"
    );
    // The old ETag is now stale.
    let res = app
        .request(Method::PATCH, &path, Some(&teacher))
        .header("If-Match", &etag)
        .json(&patch)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::PRECONDITION_FAILED).await;
    // A body that could never apply is a 400 naming its fault, even with a stale ETag.
    let res = app
        .request(Method::PATCH, &path, Some(&teacher))
        .header("If-Match", &etag)
        .json(&json!({"title": " "}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(problem["errors"][0]["field"], "title");

    // An extension for sam.
    let sam_id = json_of(app.get("/v1/me", Some(&sam)).await, StatusCode::OK).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let ext_path = format!("{path}/extensions/{sam_id}");
    let due = at(7200);
    let res = send(
        &app,
        Method::PUT,
        &ext_path,
        &teacher,
        Some(json!({"due_at": due})),
    )
    .await;
    assert_problem(res, StatusCode::PRECONDITION_REQUIRED).await;
    let res = app
        .request(Method::PUT, &ext_path, Some(&teacher))
        .header("If-Match", &new_etag)
        .json(&json!({"due_at": due}))
        .send()
        .await
        .unwrap();
    assert_ne!(res.headers()["etag"].to_str().unwrap(), new_etag);
    let with_ext = json_of(res, StatusCode::CREATED).await;
    assert_eq!(with_ext["extensions"][0]["student_id"], sam_id.as_str());
    let stranger = uuid::Uuid::new_v4();
    let res = app
        .request(
            Method::PUT,
            &format!("{path}/extensions/{stranger}"),
            Some(&teacher),
        )
        .header("If-Match", "*")
        .json(&json!({"due_at": due}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND).await;

    // Sam sees his own due time.
    let mine = json_of(app.get("/v1/me/assignments", Some(&sam)).await, StatusCode::OK).await;
    let item = &mine["items"][0];
    let shown = chrono::DateTime::parse_from_rfc3339(item["due_at"].as_str().unwrap()).unwrap();
    let granted = chrono::DateTime::parse_from_rfc3339(&due).unwrap();
    assert_eq!(shown.timestamp(), granted.timestamp());
    assert_eq!(item["status"], "not_started");
    let seen = json_of(app.get(&path, Some(&sam)).await, StatusCode::OK).await;
    assert_eq!(seen["extensions"].as_array().unwrap().len(), 1);
}

fn option_order(page: &Value) -> Vec<String> {
    page["items"][0]["exercise"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect()
}

#[sqlx::test]
async fn students_see_exercises_without_keys_in_their_own_stable_order(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "t1");
    let (class, code) = create_class(&app, &teacher, "9B").await;
    let ex = multiple_response_exercise(&app).await;
    let a = create_assignment(&app, &teacher, &class, &[&ex], json!({})).await;
    let later = create_assignment(
        &app,
        &teacher,
        &class,
        &[&ex],
        json!({"opens_at": at(3600), "due_at": at(7200)}),
    )
    .await;
    let path = format!("/v1/assignments/{}/exercises", a["id"].as_str().unwrap());

    let mut orders = Vec::new();
    for i in 0..12 {
        let student = app.token(Role::Student, &format!("s{i}"));
        join(&app, &student, &code).await;
        let res = app.get(&path, Some(&student)).await;
        let page = json_of(res, StatusCode::OK).await;
        let text = page.to_string();
        assert!(
            !text.contains("correct") && !text.contains("explanation") && !text.contains("rubric"),
            "{text}"
        );
        assert_eq!(page["items"][0]["version"], 1);
        let order = option_order(&page);
        let again = json_of(app.get(&path, Some(&student)).await, StatusCode::OK).await;
        assert_eq!(
            order,
            option_order(&again),
            "the same student always sees the same order"
        );
        orders.push(order);
    }
    orders.sort();
    orders.dedup();
    assert!(orders.len() > 1, "different students see different orders");

    let s0 = app.token(Role::Student, "s0");
    let res = app
        .get(
            &format!("/v1/assignments/{}/exercises", later["id"].as_str().unwrap()),
            Some(&s0),
        )
        .await;
    let problem = assert_problem(res, StatusCode::CONFLICT).await;
    assert_eq!(problem["type"], "/problems/not-open-yet");
}
