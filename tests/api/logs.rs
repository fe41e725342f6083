//! What the running binary writes to its log: never a secret. The service is started as users
//! start it (the `newslit` binary, most verbose log level), fed valid and forged tokens, and
//! stopped; then its whole log is searched for the secrets it was handed.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

fn sign_hs256(secret: &str, claims: &Value) -> String {
    let key = jsonwebtoken::EncodingKey::from_secret(secret.as_bytes());
    jsonwebtoken::encode(&jsonwebtoken::Header::default(), claims, &key).unwrap()
}

const JWT_SECRET: &str = "jwt-secret-5f0c1e9a-never-logged";
const DB_PASSWORD: &str = "db-password-8d2b77-never-logged";

/// The service process, killed if the test fails before stopping it.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[sqlx::test]
async fn secrets_and_tokens_never_reach_the_log(pool: PgPool) {
    let options = pool.connect_options();
    let (host, port) = (options.get_host(), options.get_port());
    let database = options.get_database().unwrap();
    // Trust authentication ignores the password, so it only travels through the service.
    let url = format!("postgres://postgres:{DB_PASSWORD}@{host}:{port}/{database}");
    let mut child = Running(
        Command::new(env!("CARGO_BIN_EXE_newslit"))
            .arg("serve")
            .env("DATABASE_URL", &url)
            .env("NEWSLIT_LISTEN", "127.0.0.1:0")
            .env("NEWSLIT_JWT_SECRET", JWT_SECRET)
            .env("NEWSLIT_LOG", "trace")
            .env("NEWSLIT_LOG_FORMAT", "json")
            .env("NEWSLIT_RATE_LIMIT_WRITES_PER_MINUTE", "0")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let child = &mut child.0;

    // Every log line, from both streams; the address arrives with "newslit is listening".
    let (lines_tx, lines_rx) = mpsc::channel::<String>();
    let (addr_tx, addr_rx) = mpsc::channel::<String>();
    let readers: Vec<_> = [
        Box::new(child.stderr.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stdout.take().unwrap()),
    ]
    .into_iter()
    .map(|stream| {
        let (lines_tx, addr_tx) = (lines_tx.clone(), addr_tx.clone());
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str::<Value>(&line) {
                    if v["message"] == "newslit is listening" {
                        let _ = addr_tx.send(v["address"].as_str().unwrap_or("").to_owned());
                    }
                }
                let _ = lines_tx.send(line);
            }
        })
    })
    .collect();
    drop((lines_tx, addr_tx));
    let addr = addr_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the service starts and says where it listens");
    let base = format!("http://{addr}");
    let http = crate::helpers::Client::new();

    let now = chrono::Utc::now().timestamp();
    let good = sign_hs256(
        JWT_SECRET,
        &serde_json::json!({"sub": "logan", "role": "teacher", "exp": now + 600}),
    );
    let forged = sign_hs256(
        "not-the-secret",
        &serde_json::json!({"sub": "mallory", "role": "admin", "exp": now + 600}),
    );
    let expired = sign_hs256(
        JWT_SECRET,
        &serde_json::json!({"sub": "logan", "role": "teacher", "exp": now - 3600}),
    );
    let get = |token: &str| http.get(format!("{base}/v1/me")).bearer_auth(token).send();
    assert_eq!(get(&good).await.unwrap().status(), StatusCode::OK);
    for bad in [&forged, &expired, &JWT_SECRET.to_owned()] {
        assert_eq!(get(bad).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
    let res = http
        .post(format!("{base}/v1/classes"))
        .bearer_auth(&good)
        .json(&serde_json::json!({"name": "Logged class"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);

    // Stop it as a supervisor would, so every line is flushed.
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "a graceful stop exits 0: {exit}");
    for r in readers {
        r.join().unwrap();
    }
    let log: Vec<String> = lines_rx.try_iter().collect();
    let text = log.join("\n");

    // The log is real and verbose: it names the requests it served...
    assert!(text.contains("/v1/me"), "requests are logged:\n{text}");
    assert!(text.contains("/v1/classes"));
    assert!(text.contains("stopped"));
    // ...and holds none of the secrets or tokens, in whole or as the signature alone.
    for (what, secret) in [
        ("JWT secret", JWT_SECRET.to_owned()),
        ("database password", DB_PASSWORD.to_owned()),
        ("valid token", good.clone()),
        (
            "valid token's signature",
            good.rsplit('.').next().unwrap().to_owned(),
        ),
        ("forged token", forged.clone()),
        ("expired token", expired.clone()),
    ] {
        assert!(
            !text.contains(&secret),
            "the {what} appears in the log:\n{}",
            log.iter().find(|l| l.contains(&secret)).unwrap()
        );
    }
}
