//! The gradebook: the counted attempt per cell, in JSON and CSV, streamed for big classes.

use newslit::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use sqlx::PgPool;

use crate::helpers::{assert_problem, TestApp};

use super::{choices, setup, submit, text, user, Fixture, GRADER, TEACHER};

/// The assignment's gradebook as JSON, read with `token`; it must answer 200.
async fn gradebook(app: &TestApp, f: &Fixture, token: &str) -> Value {
    let res = app
        .get(
            &format!("/v1/assignments/{}/results", f.assignment_id),
            Some(token),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

#[sqlx::test]
async fn the_gradebook_counts_the_best_attempt_in_json_and_csv(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = setup(
        &pool,
        "immediate",
        &[
            ("ana", Some("Ana, B.")),
            ("ben", Some("=HYPERLINK(\"http://x\")")),
            ("cy", None),
        ],
    )
    .await;
    let [q1, q2, q3] = f.exercises;
    let (ana, ben) = (f.students[0], f.students[1]);
    submit(&pool, &f, ana, q1, 1, choices(&["b"]), Some(0.0), false).await;
    submit(&pool, &f, ana, q1, 2, choices(&["a"]), Some(1.0), true).await;
    submit(&pool, &f, ana, q1, 3, choices(&["c"]), Some(0.0), true).await;
    submit(&pool, &f, ana, q2, 1, choices(&["a"]), Some(0.5), false).await;
    submit(&pool, &f, ana, q3, 1, text("The officials"), None, false).await;
    submit(&pool, &f, ben, q2, 1, choices(&["a", "b"]), Some(1.0), false).await;

    let teacher = app.token(Role::Teacher, TEACHER);
    let res = app
        .get(
            &format!("/v1/assignments/{}/results", f.assignment_id),
            Some(&teacher),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let book: Value = res.json().await.unwrap();
    assert_eq!(book["counting_rule"], "best_graded_attempt");
    assert_eq!(book["columns"].as_array().unwrap().len(), 3);
    let students = book["students"].as_array().unwrap();
    assert_eq!(
        students.len(),
        3,
        "enrolled students without answers are listed too"
    );
    let a = &students[0];
    assert_eq!(a["subject"], "ana");
    // Best of 0, 1, 0 is the late second attempt.
    assert_eq!(a["cells"][0]["score"], 1.0);
    assert_eq!(a["cells"][0]["attempts"], 3);
    assert_eq!(a["cells"][0]["late"], true);
    assert_eq!(a["cells"][1]["score"], 0.5);
    assert_eq!(a["cells"][1]["late"], false);
    assert_eq!(a["cells"][2]["score"], Value::Null);
    assert_eq!(a["cells"][2]["pending_review"], 1);
    assert_eq!(a["total"], 1.5);
    assert_eq!(a["max_total"], 3.0);
    assert_eq!(a["late"], true);
    assert_eq!(a["pending_review"], 1);
    assert_eq!(students[2]["subject"], "cy");
    assert_eq!(students[2]["total"], 0.0);

    let res = app
        .request(
            Method::GET,
            &format!("/v1/assignments/{}/results.csv", f.assignment_id),
            Some(&teacher),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = res.text().await.unwrap();
    let lines: Vec<&str> = body.split_terminator("\r\n").collect();
    assert_eq!(lines.len(), 4, "{body}");
    assert!(
        lines[0].starts_with("student,name,Q1 Anonymous sources ("),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with(",total,late,pending_review"));
    assert_eq!(lines[1], "ana,\"Ana, B.\",1,0.5,,1.5,yes,1");
    assert_eq!(lines[2], "ben,\"'=HYPERLINK(\"\"http://x\"\")\",,1,,1,no,0");
    assert_eq!(lines[3], "cy,,,,,0,no,0");
    assert!(body.ends_with("\r\n"));

    // One representation per path: a browser's Accept gets each; one that allows neither
    // is a 406 naming what the path serves.
    for (path, expected, refused) in [
        ("results", "application/json", "text/csv"),
        ("results.csv", "text/csv", "application/json"),
    ] {
        let path = format!("/v1/assignments/{}/{path}", f.assignment_id);
        let res = app
            .request(Method::GET, &path, Some(&teacher))
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let got = res.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(got.starts_with(expected), "{path}: {got}");
        let res = app
            .request(Method::GET, &path, Some(&teacher))
            .header("accept", refused)
            .send()
            .await
            .unwrap();
        let problem = assert_problem(res, StatusCode::NOT_ACCEPTABLE).await;
        assert!(
            problem["detail"].as_str().unwrap().contains(expected),
            "{problem}"
        );
    }

    // Graders see the classes they are assigned to; everyone else gets 404 or 403.
    let grader = app.token(Role::Grader, GRADER);
    let path = format!("/v1/assignments/{}/results", f.assignment_id);
    assert_eq!(app.get(&path, Some(&grader)).await.status(), StatusCode::OK);
    assert_problem(
        app.get(&path, Some(&app.token(Role::Grader, "olga"))).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_problem(
        app.get(&path, Some(&app.token(Role::Teacher, "tom"))).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_problem(
        app.get(&path, Some(&app.token(Role::Student, "ana"))).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(
        app.get(&path, Some(&app.token(Role::Admin, "root")))
            .await
            .status(),
        StatusCode::OK
    );
    let _ = f.class_id;
}

/// A big class: the CSV is streamed row by row and still complete and in order.
#[sqlx::test]
async fn a_large_gradebook_streams_as_csv(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = setup(&pool, "immediate", &[]).await;
    sqlx::query!(
        "INSERT INTO users (id, subject, role)
         SELECT gen_random_uuid(), 'stu' || lpad(g::text, 5, '0'), 'student' FROM generate_series(1, 3000) g"
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query!(
        "INSERT INTO class_members (class_id, user_id, role)
         SELECT $1, id, 'student' FROM users WHERE subject LIKE 'stu%'",
        f.class_id,
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query!(
        r#"INSERT INTO submissions (id, assignment_id, exercise_id, exercise_version, student_id, attempt, answer,
                                  score, max_score, status, late, submitted_at, updated_at, idempotency_key,
                                  request_hash, response)
         SELECT gen_random_uuid(), $1, $2, 1, id, 1, '{"type":"choices","option_ids":["a"]}', 1, 1,
                'graded', false, now(), now(), 'k', 'h', '{}'
         FROM users WHERE subject LIKE 'stu%'"#,
        f.assignment_id,
        f.exercises[0],
    )
    .execute(&pool)
    .await
    .unwrap();
    let res = app
        .request(
            Method::GET,
            &format!("/v1/assignments/{}/results.csv", f.assignment_id),
            Some(&app.token(Role::Teacher, TEACHER)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers().get("content-length").is_none(),
        "streamed, not buffered"
    );
    let body = res.text().await.unwrap();
    let lines: Vec<&str> = body.split_terminator("\r\n").collect();
    assert_eq!(lines.len(), 3001);
    for (i, line) in lines[1..].iter().enumerate() {
        assert_eq!(*line, format!("stu{:05},,1,,,1,no,0", i + 1));
    }

    // The JSON gradebook streams too, and still parses as one document.
    let res = app
        .get(
            &format!("/v1/assignments/{}/results", f.assignment_id),
            Some(&app.token(Role::Teacher, TEACHER)),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers().get("content-length").is_none(),
        "streamed, not buffered"
    );
    let book: Value = res.json().await.unwrap();
    let students = book["students"].as_array().unwrap();
    assert_eq!(students.len(), 3000);
    assert_eq!(students[0]["subject"], "stu00001");
    assert_eq!(students[2999]["subject"], "stu03000");
    assert_eq!(students[2999]["total"], 1.0);
    assert_eq!(book["columns"].as_array().unwrap().len(), 3);
}

/// One counting rule for every view: the gradebook, its CSV and item analysis count the same
/// attempt of a student who tried each exercise several times (the best graded one, the
/// earliest of a tie, a graded one before one awaiting review).
#[sqlx::test]
async fn the_gradebook_its_csv_and_item_analysis_count_the_same_attempt(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = setup(&pool, "immediate", &[("ana", None), ("ben", None)]).await;
    let [q1, q2, q3] = f.exercises;
    let (ana, ben) = (f.students[0], f.students[1]);
    // q1: the late second attempt is the best.
    submit(&pool, &f, ana, q1, 1, choices(&["b"]), Some(0.0), false).await;
    submit(&pool, &f, ana, q1, 2, choices(&["a"]), Some(1.0), true).await;
    submit(&pool, &f, ana, q1, 3, choices(&["c"]), Some(0.0), true).await;
    // q2: a tie, so the earlier (on time, option a) counts, not the later (late, option b).
    submit(&pool, &f, ana, q2, 1, choices(&["a"]), Some(0.5), false).await;
    submit(&pool, &f, ana, q2, 2, choices(&["b"]), Some(0.5), true).await;
    // q3: the graded second attempt counts over the first, still awaiting review.
    submit(&pool, &f, ana, q3, 1, text("Officials"), None, false).await;
    submit(
        &pool,
        &f,
        ana,
        q3,
        2,
        text("The officials, unnamed"),
        Some(0.25),
        false,
    )
    .await;
    submit(&pool, &f, ben, q1, 1, choices(&["a"]), Some(1.0), false).await;
    submit(&pool, &f, ben, q2, 1, choices(&["a", "b"]), Some(1.0), false).await;
    submit(&pool, &f, ben, q3, 1, text("The mayor"), Some(1.0), false).await;
    let teacher = app.token(Role::Teacher, TEACHER);

    let book = gradebook(&app, &f, &teacher).await;
    let a = &book["students"][0];
    assert_eq!(a["subject"], "ana");
    let scores: Vec<f64> = (0..3).map(|i| a["cells"][i]["score"].as_f64().unwrap()).collect();
    assert_eq!(scores, vec![1.0, 0.5, 0.25]);
    let late: Vec<bool> = (0..3).map(|i| a["cells"][i]["late"].as_bool().unwrap()).collect();
    assert_eq!(late, vec![true, false, false], "the counted attempts' late flags");
    assert_eq!(a["cells"][2]["pending_review"], 1);
    assert_eq!(a["total"], 1.75);

    let res = app
        .request(
            Method::GET,
            &format!("/v1/assignments/{}/results.csv", f.assignment_id),
            Some(&teacher),
        )
        .send()
        .await
        .unwrap();
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
    assert_eq!(lines[1], "ana,,1,0.5,0.25,1.75,yes,1");
    assert_eq!(lines[2], "ben,,1,1,1,3,no,0");

    let report: Value = app
        .get(
            &format!("/v1/assignments/{}/item-analysis", f.assignment_id),
            Some(&teacher),
        )
        .await
        .json()
        .await
        .unwrap();
    let students = book["students"].as_array().unwrap();
    for (i, item) in report["items"].as_array().unwrap().iter().enumerate() {
        // Item analysis reads the same scores as the gradebook: its mean is their mean.
        let mean = students
            .iter()
            .map(|s| s["cells"][i]["score"].as_f64().unwrap())
            .sum::<f64>()
            / students.len() as f64;
        let facility = item["stats"]["facility"].as_f64().unwrap();
        assert!((facility - mean).abs() < 1e-9, "item {i}: {facility} vs {mean}");
        assert_eq!(item["stats"]["answered"], 2, "item {i}: one counted answer each");
    }
    // And the same answers: ana's counted choices are a (q1) and a (q2), never b or c.
    let counts = |i: usize| -> Vec<(String, u64)> {
        report["items"][i]["stats"]["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["option_id"].as_str().unwrap().to_string(),
                    o["count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let own =
        |v: &[(&str, u64)]| -> Vec<(String, u64)> { v.iter().map(|(id, n)| (id.to_string(), *n)).collect() };
    assert_eq!(counts(0), own(&[("a", 2), ("b", 0), ("c", 0)]));
    assert_eq!(counts(1), own(&[("a", 2), ("b", 1), ("c", 0)]));
}

/// Who is listed: every enrolled student (answers or not) and anyone who answered and has
/// since left the class, in subject order; not a student who is elsewhere, nor staff.
#[sqlx::test]
async fn the_gradebook_lists_the_roster_and_former_members_who_answered(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = setup(
        &pool,
        "immediate",
        &[("zoe", None), ("mia", Some("Mia")), ("ana", None)],
    )
    .await;
    let [q1, q2, _] = f.exercises;
    let (zoe, ana) = (f.students[0], f.students[2]);
    submit(&pool, &f, zoe, q2, 1, choices(&["a", "b"]), Some(1.0), true).await;
    submit(&pool, &f, ana, q1, 1, choices(&["b"]), Some(0.0), false).await;
    sqlx::query!(
        "DELETE FROM class_members WHERE class_id = $1 AND user_id = $2",
        f.class_id,
        zoe,
    )
    .execute(&pool)
    .await
    .unwrap();
    user(&pool, "bob", "student", None).await;

    let teacher = app.token(Role::Teacher, TEACHER);
    let book = gradebook(&app, &f, &teacher).await;
    let students = book["students"].as_array().unwrap();
    let subjects: Vec<&str> = students.iter().map(|s| s["subject"].as_str().unwrap()).collect();
    assert_eq!(subjects, vec!["ana", "mia", "zoe"]);
    assert_eq!(students[1]["display_name"], "Mia");
    assert_eq!(students[1]["total"], 0.0);
    assert_eq!(students[1]["cells"][0]["attempts"], 0);
    let zoe_row = &students[2];
    assert_eq!(
        zoe_row["cells"][1]["score"], 1.0,
        "a former member keeps their results"
    );
    assert_eq!(zoe_row["cells"][1]["late"], true);
    assert_eq!(zoe_row["late"], true);
    assert_eq!(zoe_row["cells"][0]["attempts"], 0);
    assert_eq!(zoe_row["total"], 1.0);
    assert_eq!(
        students[0]["cells"][0]["score"], 0.0,
        "a graded 0 is a score, not a blank"
    );
    assert_eq!(students[0]["cells"][0]["attempts"], 1);

    let csv = app
        .request(
            Method::GET,
            &format!("/v1/assignments/{}/results.csv", f.assignment_id),
            Some(&teacher),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
    assert_eq!(
        &lines[1..],
        ["ana,,0,,,0,no,0", "mia,Mia,,,,0,no,0", "zoe,,,1,,1,yes,0"]
    );
}
