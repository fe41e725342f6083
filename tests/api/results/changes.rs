//! The change feed of submissions: incremental pulls that hand out every change once, under
//! concurrent commits too, in the shape the spec documents.

use std::collections::HashSet;

use newslit::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::{assert_problem, TestApp};

use super::{choices, setup, submit, text, GRADER, TEACHER};

/// Pulls pages until `has_more` is false; returns (id, grade_version) seen and the cursor.
async fn pull_all(
    app: &TestApp,
    token: &str,
    cursor: &str,
    limit: u32,
    seen: &mut Vec<(String, i64)>,
) -> String {
    let mut cursor = cursor.to_string();
    loop {
        let q = if cursor.is_empty() {
            format!("/v1/submissions?limit={limit}")
        } else {
            format!("/v1/submissions?limit={limit}&cursor={cursor}")
        };
        let res = app.get(&q, Some(token)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let has_link = res.headers().get("link").is_some();
        let page: Value = res.json().await.unwrap();
        for item in page["items"].as_array().unwrap() {
            seen.push((
                item["id"].as_str().unwrap().to_string(),
                item["grade_version"].as_i64().unwrap(),
            ));
        }
        assert_eq!(has_link, page["has_more"].as_bool().unwrap());
        cursor = page["next_cursor"].as_str().unwrap().to_string();
        if !page["has_more"].as_bool().unwrap() {
            return cursor;
        }
    }
}

#[sqlx::test]
async fn incremental_pulls_see_every_change_exactly_once(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = setup(&pool, "immediate", &[("ana", None), ("ben", None), ("cy", None)]).await;
    let [q1, q2, q3] = f.exercises;
    let grader = app.token(Role::Grader, GRADER);
    let teacher = app.token(Role::Teacher, TEACHER);
    let mut expected: Vec<(String, i64)> = Vec::new();

    // Five rows sharing one timestamp (writers normally get distinct clock readings; force it).
    sqlx::query!("ALTER TABLE submissions DISABLE TRIGGER submissions_touch")
        .execute(&pool)
        .await
        .unwrap();
    let mut tied = Vec::new();
    for (i, s) in f.students.iter().enumerate() {
        tied.push(submit(&pool, &f, *s, q1, 1, choices(&["a"]), Some(1.0), false).await);
        if i < 2 {
            tied.push(submit(&pool, &f, *s, q3, 1, text("because"), None, false).await);
        }
    }
    sqlx::query!("UPDATE submissions SET updated_at = '2026-11-01T10:00:00Z'")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query!("ALTER TABLE submissions ENABLE TRIGGER submissions_touch")
        .execute(&pool)
        .await
        .unwrap();
    expected.extend(tied.iter().map(|id| (id.to_string(), 1)));

    // First pull: two rows a page, so page boundaries fall between tied rows.
    let mut seen = Vec::new();
    let res = app.get("/v1/submissions?limit=2", Some(&grader)).await;
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    for item in page["items"].as_array().unwrap() {
        seen.push((
            item["id"].as_str().unwrap().to_string(),
            item["grade_version"].as_i64().unwrap(),
        ));
    }
    let cursor = page["next_cursor"].as_str().unwrap().to_string();

    // Between pages: a new answer arrives and a teacher grades one of the pending ones.
    let new_one = submit(&pool, &f, f.students[2], q2, 1, choices(&["a"]), Some(0.5), false).await;
    expected.push((new_one.to_string(), 1));
    let pending = tied[1];
    let res = app
        .request(
            Method::PUT,
            &format!("/v1/submissions/{pending}/grade"),
            Some(&teacher),
        )
        .header("if-match", "\"g1\"")
        .json(&json!({"score": 0.75, "comment": "good"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    expected.push((pending.to_string(), 2));

    let cursor = pull_all(&app, &grader, &cursor, 2, &mut seen).await;

    // A change whose transaction is still open is held back, not skipped.
    let mut tx = pool.begin().await.unwrap();
    let in_flight = submit(
        &mut *tx,
        &f,
        f.students[0],
        q2,
        1,
        choices(&["b"]),
        Some(0.5),
        false,
    )
    .await;
    let after_it = submit(
        &pool,
        &f,
        f.students[1],
        q2,
        1,
        choices(&["a", "b"]),
        Some(1.0),
        false,
    )
    .await;
    // The committed answer comes at once: the open transaction holds nothing back.
    let mut during = Vec::new();
    let cursor = pull_all(&app, &grader, &cursor, 2, &mut during).await;
    assert_eq!(
        during,
        vec![(after_it.to_string(), 1)],
        "what is committed is handed out while another transaction is open"
    );
    tx.commit().await.unwrap();
    expected.push((in_flight.to_string(), 1));
    expected.push((after_it.to_string(), 1));
    seen.extend(during);
    let cursor = pull_all(&app, &grader, &cursor, 2, &mut seen).await;

    // Nothing new: an empty pull, and from its cursor nothing again.
    let mut nothing = Vec::new();
    let again = pull_all(&app, &grader, &cursor, 2, &mut nothing).await;
    assert!(nothing.is_empty());
    pull_all(&app, &grader, &again, 2, &mut nothing).await;
    assert!(
        nothing.is_empty(),
        "the resume point of an empty pull gives nothing either"
    );

    let seen_set: HashSet<&(String, i64)> = seen.iter().collect();
    assert_eq!(
        seen_set.len(),
        seen.len(),
        "a change was handed out twice: {seen:?}"
    );
    let expected_set: HashSet<&(String, i64)> = expected.iter().collect();
    assert_eq!(seen_set, expected_set);

    // Filters and bad input.
    let res = app
        .get(
            &format!(
                "/v1/submissions?status=pending_review&assignment_id={}",
                f.assignment_id
            ),
            Some(&grader),
        )
        .await;
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let res = app
        .get(
            &format!("/v1/submissions?student_id={}", f.students[2]),
            Some(&grader),
        )
        .await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let res = app
        .get(
            "/v1/submissions?updated_since=2030-01-01T00:00:00Z",
            Some(&grader),
        )
        .await;
    let future: Value = res.json().await.unwrap();
    assert_eq!(future["items"].as_array().unwrap().len(), 0);
    // Its cursor keeps the start time: a change made now is still before it.
    submit(&pool, &f, f.students[2], q3, 1, text("late thought"), None, false).await;
    let next = format!(
        "/v1/submissions?cursor={}",
        future["next_cursor"].as_str().unwrap()
    );
    let res = app.get(&next, Some(&grader)).await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // A time-mark cursor of an older version cannot resume (it could skip answers): a 400
    // naming the cursor, not a database error.
    let old = format!("{:016x}{}", i64::MAX / 2, Uuid::nil().simple());
    let problem = assert_problem(
        app.get(&format!("/v1/submissions?cursor={old}"), Some(&grader))
            .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "cursor");
    assert_problem(
        app.get(
            "/v1/submissions?updated_since=0000-01-01T00:00:00Z",
            Some(&grader),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_problem(
        app.get("/v1/submissions?cursor=nope", Some(&grader)).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_problem(
        app.get("/v1/submissions?limit=0", Some(&grader)).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    // Outside reach: an empty list, not someone else's data.
    let res = app
        .get("/v1/submissions", Some(&app.token(Role::Grader, "olga")))
        .await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

/// Writers whose transactions overlap and commit out of order, while a grader keeps pulling:
/// at the end every stored answer has been handed out exactly once.
#[sqlx::test]
async fn pulls_under_concurrent_out_of_order_commits_lose_nothing(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let names: Vec<String> = (0..6).map(|i| format!("w{i}")).collect();
    let students: Vec<(&str, Option<&str>)> = names.iter().map(|n| (n.as_str(), None)).collect();
    let f = std::sync::Arc::new(setup(&pool, "immediate", &students).await);
    let grader = app.token(Role::Grader, GRADER);
    // The writers get their own connections, so the app's pulls never wait for them.
    let writer_pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(6)
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap();
    let mut writers = Vec::new();
    for w in 0..6usize {
        let (pool, f) = (writer_pool.clone(), f.clone());
        writers.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for attempt in 1..=15 {
                let mut tx = pool.begin().await.unwrap();
                let id = submit(
                    &mut *tx,
                    &f,
                    f.students[w],
                    f.exercises[0],
                    attempt,
                    choices(&["a"]),
                    Some(1.0),
                    false,
                )
                .await;
                // Hold the transaction open a varying while, so commits land out of order.
                tokio::time::sleep(std::time::Duration::from_millis(
                    ((w * 7 + attempt as usize * 13) % 23) as u64,
                ))
                .await;
                tx.commit().await.unwrap();
                ids.push(id.to_string());
            }
            ids
        }));
    }
    let mut seen = Vec::new();
    let mut cursor = String::new();
    while !writers.iter().all(|w| w.is_finished()) {
        cursor = pull_all(&app, &grader, &cursor, 7, &mut seen).await;
    }
    let mut written = HashSet::new();
    for w in writers {
        written.extend(w.await.unwrap());
    }
    pull_all(&app, &grader, &cursor, 7, &mut seen).await;
    let ids: Vec<&String> = seen.iter().map(|(id, _)| id).collect();
    let unique: HashSet<&String> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "an answer was handed out twice");
    assert_eq!(unique.len(), written.len(), "an answer was skipped");
    assert!(written.iter().all(|id| unique.contains(id)));
}

/// The schema itself, or the component a `$ref` names.
fn resolved<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => &spec["components"]["schemas"][r.trim_start_matches("#/components/schemas/")],
        None => schema,
    }
}

/// The properties a spec schema declares and requires, following `$ref`s.
fn declared(spec: &Value, schema: &Value) -> (HashSet<String>, HashSet<String>) {
    let schema = resolved(spec, schema);
    let names = |v: &Value| -> HashSet<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let required = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(|n| n.as_str().map(String::from)).collect())
        .unwrap_or_default();
    (names(&schema["properties"]), required)
}

/// Every key of `body` is declared by `schema` and every required key is present.
fn assert_shape(spec: &Value, schema: &Value, body: &Value, what: &str) {
    let (props, required) = declared(spec, schema);
    let keys: HashSet<String> = body.as_object().unwrap().keys().cloned().collect();
    assert!(
        required.is_subset(&keys),
        "{what}: missing {:?}",
        required.difference(&keys)
    );
    assert!(
        keys.is_subset(&props),
        "{what}: undocumented {:?}",
        keys.difference(&props)
    );
}

#[sqlx::test]
async fn both_submission_lists_answer_in_the_shape_the_spec_documents(pool: PgPool) {
    let f = setup(&pool, "immediate", &[("stu", Some("Stu"))]).await;
    submit(
        &pool,
        &f,
        f.students[0],
        f.exercises[0],
        1,
        choices(&["a"]),
        Some(1.0),
        false,
    )
    .await;
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, TEACHER);
    let spec: Value = app.get("/openapi.json", None).await.json().await.unwrap();
    for (template, path) in [
        (
            "/v1/assignments/{assignment_id}/submissions",
            format!("/v1/assignments/{}/submissions", f.assignment_id),
        ),
        ("/v1/submissions", "/v1/submissions".to_string()),
    ] {
        let res = app.get(&path, Some(&teacher)).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let body: Value = res.json().await.unwrap();
        let page =
            &spec["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_shape(&spec, page, &body, template);
        let item_schema = &resolved(&spec, page)["properties"]["items"]["items"];
        let first = &body["items"][0];
        assert!(first.is_object(), "{template}: one submission listed");
        assert_shape(&spec, item_schema, first, &format!("{template} item"));
    }
}
