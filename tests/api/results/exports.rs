//! Item analysis and the exports: QTI per exercise, the QTI package and GIFT.

use newslit::identity::Role;
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::{assert_problem, TestApp};

use super::{choices, setup, submit, text, GRADER, TEACHER};

#[sqlx::test]
async fn item_analysis_and_exports(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let teacher = app.token(Role::Teacher, TEACHER);
    let f = setup(
        &pool,
        "immediate",
        &[("s1", None), ("s2", None), ("s3", None), ("s4", None)],
    )
    .await;
    let [q1, q2, q3] = f.exercises;
    // The hand-computed example of results::item_analysis: scores per student
    // s1 1 1 1, s2 1 1 0, s3 1 0 1, s4 0 0 0 → facility .75 .5 .5, alpha 12/19.
    let table = [[1.0, 1.0, 1.0], [1.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 0.0, 0.0]];
    for (s, row) in f.students.iter().zip(table) {
        let a1 = if row[0] == 1.0 { "a" } else { "b" };
        submit(&pool, &f, *s, q1, 1, choices(&[a1]), Some(row[0]), false).await;
        let a2: &[&str] = if row[1] == 1.0 { &["a", "b"] } else { &["c"] };
        submit(&pool, &f, *s, q2, 1, choices(a2), Some(row[1]), false).await;
        submit(&pool, &f, *s, q3, 1, text("answer"), Some(row[2]), false).await;
    }
    let grader = app.token(Role::Grader, GRADER);
    let res = app
        .get(
            &format!("/v1/assignments/{}/item-analysis", f.assignment_id),
            Some(&grader),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["complete_students"], 4);
    let alpha = report["cronbach_alpha"].as_f64().unwrap();
    assert!((alpha - 12.0 / 19.0).abs() < 1e-9, "{alpha}");
    let facility: Vec<f64> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["stats"]["facility"].as_f64().unwrap())
        .collect();
    assert_eq!(facility, vec![0.75, 0.5, 0.5]);
    let d1 = report["items"][0]["stats"]["discrimination"].as_f64().unwrap();
    assert!((d1 - 1.0 / 1.5f64.sqrt()).abs() < 1e-9);
    assert_eq!(report["items"][0]["stats"]["options"][0]["option_id"], "a");
    assert_eq!(report["items"][0]["stats"]["options"][0]["count"], 3);

    // QTI for one exercise.
    assert_problem(
        app.get(&format!("/v1/exercises/{q2}/qti"), Some(&grader)).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let res = app
        .get(
            &format!("/v1/exercises/{q2}/qti"),
            Some(&app.token(Role::Teacher, TEACHER)),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let xml = res.text().await.unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "qti-assessment-item");
    assert!(doc.descendants().any(|n| n.tag_name().name() == "qti-mapping"));
    assert_problem(
        app.get(
            &format!("/v1/exercises/{q2}/qti"),
            Some(&app.token(Role::Student, "s1")),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;

    // The package and GIFT.
    let export = format!("/v1/assignments/{}/export", f.assignment_id);
    assert_problem(
        app.get(&format!("{export}.zip"), Some(&grader)).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let res = app.get(&format!("{export}.zip"), Some(&teacher)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/zip");
    let zip = res.bytes().await.unwrap();
    assert!(zip.starts_with(b"PK\x03\x04"));
    let res = app.get(&format!("{export}.gift"), Some(&teacher)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let gift = res.text().await.unwrap();
    assert_eq!(gift.matches("// newslit exercise").count(), 3);
    assert!(gift.contains("~%50%Option a#Why a"), "{gift}");
    assert_problem(
        app.get(&format!("{export}.pdf"), Some(&teacher)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_problem(
        app.get(&format!("{export}.gift"), Some(&app.token(Role::Teacher, "tom")))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

/// Every exercise generated from the seed articles (real quotes, curly quotes, ampersands)
/// exports to well-formed QTI and to GIFT with every special character escaped.
#[sqlx::test]
async fn generated_exercises_export_cleanly(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    newslit::service::seed::load_dir(&pool, &dir).await.unwrap();
    let rows: Vec<(Uuid, String, Value)> =
        sqlx::query!("SELECT id, kind, content FROM exercises ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.id, r.kind, r.content))
            .collect();
    assert!(!rows.is_empty(), "the seeds generate exercises");
    let teacher = app.token(Role::Teacher, TEACHER);
    for (id, kind, content) in &rows {
        let res = app.get(&format!("/v1/exercises/{id}/qti"), Some(&teacher)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let xml = res.text().await.unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{kind} {id}: {e}"));
        let prompt = doc
            .descendants()
            .find(|n| n.tag_name().name() == "qti-prompt")
            .and_then(|n| n.text())
            .unwrap_or_default();
        assert_eq!(prompt, content["prompt"].as_str().unwrap(), "{kind} {id}");

        let exercise = newslit::exercises::Exercise {
            id: *id,
            kind: serde_json::from_value(Value::String(kind.clone())).unwrap(),
            content: serde_json::from_value(content.clone()).unwrap(),
        };
        let gift = newslit::results::gift::question(&exercise);
        // Outside comments, a special character is either escaped or GIFT syntax in its
        // place: `::name::`, the answer block braces, and a weight/feedback marker after a tab.
        for line in gift.lines().filter(|l| !l.starts_with("//")) {
            let body = line
                .strip_prefix('\t')
                .map(|l| l.trim_start_matches(['=', '~']))
                .map(|l| {
                    if l.starts_with('%') {
                        l.splitn(3, '%').nth(2).unwrap_or("")
                    } else {
                        l
                    }
                })
                .unwrap_or(line);
            let mut chars = body.chars().peekable();
            let mut bare = Vec::new();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    chars.next();
                } else if "~=#{}:".contains(c) {
                    bare.push(c);
                }
            }
            let allowed: &[&[char]] = &[
                &[':', ':', ':', ':', '{'],
                &[':', ':', ':', ':', '{', '}'],
                &['#'],
                &['}'],
                &[],
            ];
            assert!(
                allowed.contains(&bare.as_slice()),
                "{kind} {id}: bare {bare:?} in {line:?}"
            );
        }
    }
}
