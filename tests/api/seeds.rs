use newslit::identity::Role;
use newslit::service::seed;
use serde_json::Value;
use sqlx::PgPool;

use crate::helpers::{stored_articles, TestApp};

fn seed_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

#[sqlx::test]
async fn seeding_twice_adds_each_seed_once(pool: PgPool) {
    let first = seed::load_dir(&pool, &seed_dir()).await.unwrap();
    assert_eq!(first.added, 3);
    let again = seed::load_dir(&pool, &seed_dir()).await.unwrap();
    assert_eq!((again.added, again.new_versions, again.unchanged), (0, 0, 3));
    let count = stored_articles(&pool).await;
    assert_eq!(count, 3);
}

#[sqlx::test]
async fn a_changed_seed_file_becomes_a_new_version_of_its_article(pool: PgPool) {
    let dir = std::env::temp_dir().join(format!("newslit-seed-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("010_local.txt");
    std::fs::write(
        &file,
        "Local Story\n\nThe mayor said the bridge will reopen in May.\n",
    )
    .unwrap();
    seed::load_dir(&pool, &dir).await.unwrap();
    std::fs::write(
        &file,
        "Local Story\n\nThe mayor said the bridge will reopen in June.\n",
    )
    .unwrap();
    let report = seed::load_dir(&pool, &dir).await.unwrap();
    assert_eq!(report.new_versions, 1);
    std::fs::remove_dir_all(&dir).unwrap();

    let app = TestApp::spawn(pool).await;
    let page: Value = app
        .get("/v1/articles", Some(&app.token(Role::Teacher, "tess")))
        .await
        .json()
        .await
        .unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["version"], 2, "newest first: the changed text");
    assert_eq!(items[0]["seed"], "010_local.txt");
    assert_eq!(items[1]["version"], 1);
}

#[sqlx::test]
async fn a_newer_analyzer_refreshes_stored_analyses_but_keeps_given_titles(pool: PgPool) {
    seed::load_dir(&pool, &seed_dir()).await.unwrap();
    let app = TestApp::spawn(pool.clone()).await;
    let teacher = app.token(Role::Teacher, "tess");
    let given: Value = app
        .request(reqwest::Method::POST, "/v1/articles", Some(&teacher))
        .json(&serde_json::json!({"text": "Read From Text\n\nThe mayor said so.", "title": "Given By A Teacher"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // As if an older analyzer had produced what is stored.
    sqlx::query!(
        r#"UPDATE articles SET analyzer_version = 0, title = CASE WHEN title_given THEN title ELSE 'stale' END,
                  analysis = analysis || '{"title": "stale"}'"#
    )
    .execute(&pool)
        .await
        .unwrap();
    let report = seed::load_dir(&pool, &seed_dir()).await.unwrap();
    assert_eq!(report.reanalyzed, 4);
    let titles: Vec<(String, String)> =
        sqlx::query!(r#"SELECT title, analysis->>'title' AS "analysed!" FROM articles ORDER BY title"#)
            .fetch_all(&pool)
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.title, r.analysed))
            .collect();
    assert!(
        titles.iter().all(|(_, analysed)| analysed != "stale"),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|(t, _)| t == "Given By A Teacher"),
        "{titles:?}"
    );
    assert_eq!(
        titles.iter().filter(|(t, _)| t == "stale").count(),
        0,
        "{titles:?}"
    );
    let stale = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM articles WHERE analyzer_version = 0"#)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stale, 0);
    assert_eq!(given["title"], "Given By A Teacher", "{given}");
}

#[sqlx::test]
async fn the_built_in_seeds_load_from_any_folder_and_a_seed_folder_adds_to_them(pool: PgPool) {
    // No folder at all: the binary's own set.
    let report = seed::load(&pool, &seed::SeedSet::configured(true, None).unwrap())
        .await
        .unwrap();
    assert_eq!(report.added, 3);

    let dir = std::env::temp_dir().join(format!("newslit-seed-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("900_local.txt"),
        "Local Story\n\nThe mayor said the bridge will reopen in May.\n",
    )
    .unwrap();
    let set = seed::SeedSet::configured(true, Some(&dir)).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let report = seed::load(&pool, &set).await.unwrap();
    assert_eq!((report.added, report.unchanged), (1, 3));

    let app = TestApp::spawn(pool).await;
    let page: Value = app
        .get("/v1/articles", Some(&app.token(Role::Student, "sam")))
        .await
        .json()
        .await
        .unwrap();
    let mut seeds: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["seed"].as_str().unwrap())
        .collect();
    seeds.sort_unstable();
    let mut expected: Vec<String> = std::fs::read_dir(seed_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    expected.push("900_local.txt".into());
    expected.sort();
    assert_eq!(seeds, expected);
}
