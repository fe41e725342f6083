use newslit::auth::Role;
use newslit::seed;
use serde_json::Value;
use sqlx::PgPool;

use crate::helpers::TestApp;

fn seed_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

#[sqlx::test]
async fn seeding_twice_adds_each_seed_once(pool: PgPool) {
    let first = seed::load_dir(&pool, &seed_dir()).await.unwrap();
    assert_eq!(first.added, 3);
    let again = seed::load_dir(&pool, &seed_dir()).await.unwrap();
    assert_eq!((again.added, again.new_versions, again.unchanged), (0, 0, 3));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM articles")
        .fetch_one(&pool)
        .await
        .unwrap();
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
