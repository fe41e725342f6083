//! The private PostgreSQL cluster `serve` (and `cargo test`) start when none is configured.

use newslit::store::private_pg::{self, PrivateCluster};
use sqlx::Connection;

#[tokio::test]
async fn a_private_cluster_is_initialised_serves_and_stops_and_a_second_start_reuses_its_data() {
    let dir = std::env::temp_dir().join(format!("newslit-private-pg-{}", uuid::Uuid::new_v4()));
    let mut cluster = PrivateCluster::start(&dir).expect("a cluster starts from the installed binaries");
    assert!(dir.join("PG_VERSION").is_file(), "initdb ran in the named folder");
    let address = format!("127.0.0.1:{}", cluster.port());
    let mut conn = sqlx::PgConnection::connect(&cluster.url("postgres"))
        .await
        .unwrap();
    sqlx::raw_sql("CREATE TABLE kept (v int); INSERT INTO kept VALUES (7)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    cluster.stop().unwrap();
    assert!(!private_pg::answers(&address), "stopped with its owner");

    // The data folder is kept: a second start finds the cluster (on a new port) and its rows.
    let again = PrivateCluster::start(&dir).unwrap();
    let mut conn = sqlx::PgConnection::connect(&again.url("postgres")).await.unwrap();
    // `kept` lives in this scratch cluster only, outside the schema the query macros check.
    let row = sqlx::raw_sql("SELECT v FROM kept")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let v: i32 = sqlx::Row::get(&row, 0);
    assert_eq!(v, 7);
    conn.close().await.unwrap();
    drop(again);
    std::fs::remove_dir_all(&dir).unwrap();
}
