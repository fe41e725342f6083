//! Names and Role Provisioning Services: the platform's roster appears in the class on an
//! instructor's launch and on demand.

use std::time::Duration;

use newslit::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sqlx::PgPool;

use crate::classes::{create_assignment, json_of, multiple_response_exercise, send};
use crate::helpers::TestApp;
use crate::lti_platform::{launch_as, register, services_app, MockPlatform, NRPS_SCOPE};

/// The class's members as its teacher sees them: (name, role), sorted.
async fn members(app: &TestApp, teacher: &str, class_id: &str) -> Vec<(String, String)> {
    let page = json_of(
        app.get(&format!("/v1/classes/{class_id}/members"), Some(teacher))
            .await,
        StatusCode::OK,
    )
    .await;
    let mut out: Vec<(String, String)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap_or("").to_string(),
                m["role"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[sqlx::test]
async fn the_platforms_roster_appears_in_the_class_on_an_instructors_launch_and_on_demand(pool: PgPool) {
    let app = services_app(pool).await;
    let platform = MockPlatform::start(app.url("/v1/lti/jwks")).await;
    register(&app, &platform).await;
    let nrps = json!({"https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
        "context_memberships_url": platform.url("/memberships"), "service_versions": ["2.0"]}});

    // The instructor's launch offers the roster: it is read in the background.
    let teacher = launch_as(&app, &platform, "teacher-1", "Instructor", json!({}), nrps).await;
    let t = teacher["token"].as_str().unwrap().to_string();
    let class_id = teacher["class_id"].as_str().unwrap().to_string();
    let expected = vec![
        ("Sam One".to_string(), "student".to_string()),
        ("Sue Two".to_string(), "student".to_string()),
        ("Tia Assistant".to_string(), "grader".to_string()),
    ];
    let mut got = Vec::new();
    for _ in 0..300 {
        got = members(&app, &t, &class_id).await;
        if got.len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        got, expected,
        "instructors, mentors and inactive members stay out"
    );
    {
        let seen = platform.seen.lock().unwrap();
        assert_eq!(seen.tokens, [NRPS_SCOPE]);
        let pages: Vec<&str> = seen.roster_pages.iter().map(|(q, _)| q.as_str()).collect();
        assert_eq!(pages, ["", "page=2"], "both pages, following Link: rel=next");
        assert!(seen
            .roster_pages
            .iter()
            .all(|(_, accept)| accept == "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"));
    }

    // On demand, again: nothing changes, and the answer says what the roster held.
    let res = send(
        &app,
        Method::POST,
        &format!("/v1/classes/{class_id}/lti/roster-sync"),
        &t,
        None,
    )
    .await;
    let done = json_of(res, StatusCode::OK).await;
    assert_eq!(
        (
            done["members"].clone(),
            done["students"].clone(),
            done["graders"].clone(),
            done["added"].clone(),
            done["skipped"].clone()
        ),
        (json!(6), json!(2), json!(1), json!(0), json!(3)),
        "{done}"
    );
    assert_eq!(members(&app, &t, &class_id).await, expected);

    // A student enrolled from the roster launches later as the same newslit user.
    let choice = multiple_response_exercise(&app).await;
    let assignment = create_assignment(&app, &t, &class_id, &[&choice], json!({})).await;
    let custom = json!({"newslit_assignment_id": assignment["id"]});
    let student = launch_as(&app, &platform, "student-2", "Learner", custom, json!({})).await;
    let me = json_of(
        app.get("/v1/me", Some(student["token"].as_str().unwrap())).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["name"], "Person student-2", "{me}");
    let ids: Vec<String> = json_of(
        app.get(&format!("/v1/classes/{class_id}/members"), Some(&t))
            .await,
        StatusCode::OK,
    )
    .await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(ids.contains(&student["user_id"].as_str().unwrap().to_string()));

    // Only the class's teacher (or an admin) asks; a class from no LMS has no roster to read.
    let res = send(
        &app,
        Method::POST,
        &format!("/v1/classes/{class_id}/lti/roster-sync"),
        student["token"].as_str().unwrap(),
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let other = app.token(Role::Teacher, "tess");
    let (plain, _) = crate::classes::create_class(&app, &other, "9B").await;
    let res = send(
        &app,
        Method::POST,
        &format!("/v1/classes/{plain}/lti/roster-sync"),
        &other,
        None,
    )
    .await;
    let problem = crate::helpers::assert_problem(res, StatusCode::CONFLICT).await;
    assert!(problem["detail"].as_str().unwrap().contains("LMS"), "{problem}");
    let res = send(
        &app,
        Method::POST,
        &format!("/v1/classes/{class_id}/lti/roster-sync"),
        &other,
        None,
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "another teacher's class is out of reach"
    );
}
