use serde_json::json;

use super::*;

fn token(extra: serde_json::Value) -> IdToken {
    let mut base = json!({
        "iss": "https://lms.example.edu",
        "sub": "u-42",
        "aud": "client-1",
        "exp": 2_000_000_000,
        "iat": 1_900_000_000,
        "nonce": "n-1",
        (MESSAGE_TYPE): "LtiResourceLinkRequest",
        (VERSION): "1.3.0",
        (DEPLOYMENT_ID): "dep-1",
        (TARGET_LINK_URI): "https://newslit.example.org/v1/lti/launch",
        (ROLES): ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
        (CONTEXT): {"id": "course-7", "title": "Media literacy"},
        (RESOURCE_LINK): {"id": "link-3"},
    });
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            base.as_object_mut().unwrap().remove(k);
        } else {
            base[k] = v.clone();
        }
    }
    serde_json::from_value(base).unwrap()
}

fn expected() -> ((), Expected<'static>) {
    static DEPLOYMENTS: std::sync::LazyLock<Vec<String>> =
        std::sync::LazyLock::new(|| vec!["dep-1".to_string()]);
    (
        (),
        Expected {
            client_id: "client-1",
            deployment_ids: &DEPLOYMENTS,
            nonce: "n-1",
            target_link_uri: "https://newslit.example.org/v1/lti/launch",
        },
    )
}

#[test]
fn a_well_formed_resource_link_launch_passes() {
    let (_, e) = expected();
    assert_eq!(check(&token(json!({})), &e), Ok(MessageKind::ResourceLink));
}

#[test]
fn a_launch_for_another_client_or_with_a_foreign_azp_is_refused() {
    let (_, e) = expected();
    for bad in [
        json!({"aud": "client-2"}),
        json!({"aud": ["client-1", "client-2"]}),
        json!({"aud": ["client-1", "client-2"], "azp": "client-2"}),
        json!({"azp": "client-2"}),
    ] {
        assert!(check(&token(bad.clone()), &e).is_err(), "{bad} passed");
    }
    let several = token(json!({"aud": ["client-2", "client-1"], "azp": "client-1"}));
    assert_eq!(check(&several, &e), Ok(MessageKind::ResourceLink));
}

#[test]
fn a_replayed_or_foreign_nonce_an_unknown_deployment_or_version_is_refused() {
    let (_, e) = expected();
    for (bad, why) in [
        (json!({"nonce": "n-2"}), "nonce"),
        (json!({"nonce": null}), "nonce"),
        (json!({(DEPLOYMENT_ID): "dep-9"}), "deployment"),
        (json!({(VERSION): "1.1"}), "version"),
        (
            json!({(TARGET_LINK_URI): "https://evil.example/"}),
            "target_link_uri",
        ),
        (
            json!({(MESSAGE_TYPE): "LtiSubmissionReviewRequest"}),
            "message type",
        ),
        (json!({(RESOURCE_LINK): null}), "resource_link"),
        (json!({(CONTEXT): null}), "context"),
        (json!({"sub": ""}), "sub"),
    ] {
        let err = check(&token(bad.clone()), &e).expect_err(why);
        assert!(err.0.contains(why), "{bad}: {err}");
    }
}

#[test]
fn a_deep_linking_launch_needs_its_settings() {
    let (_, e) = expected();
    let dl = json!({(MESSAGE_TYPE): "LtiDeepLinkingRequest", (RESOURCE_LINK): null});
    assert!(check(&token(dl.clone()), &e).is_err());
    let mut with = dl;
    with[DEEP_LINKING_SETTINGS] =
        json!({"deep_link_return_url": "https://lms.example.edu/dl", "accept_types": ["ltiResourceLink"]});
    assert_eq!(check(&token(with), &e), Ok(MessageKind::DeepLinking));
}

#[test]
fn lms_roles_map_onto_newslit_roles() {
    let r = |roles: &[&str]| role(&roles.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let m = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
    assert_eq!(r(&[&format!("{m}Learner")]), Some(Role::Student));
    assert_eq!(r(&[&format!("{m}Instructor")]), Some(Role::Teacher));
    assert_eq!(
        r(&["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"]),
        Some(Role::Grader)
    );
    // An instructor who is also enrolled as a learner teaches.
    assert_eq!(
        r(&[&format!("{m}Learner"), &format!("{m}Instructor")]),
        Some(Role::Teacher)
    );
    assert_eq!(r(&["Learner"]), Some(Role::Student));
    // Institution roles say nothing about this course.
    assert_eq!(
        r(&["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor"]),
        None
    );
    assert_eq!(r(&[&format!("{m}Mentor")]), None);
    assert_eq!(r(&[]), None);
}

#[test]
fn names_come_from_name_or_given_and_family_names() {
    assert_eq!(
        display_name(&token(json!({"name": " Ada L "}))).as_deref(),
        Some("Ada L")
    );
    let t = token(json!({"given_name": "Ada", "family_name": "Lovelace"}));
    assert_eq!(display_name(&t).as_deref(), Some("Ada Lovelace"));
    assert_eq!(display_name(&token(json!({}))), None);
}

#[test]
fn the_tool_key_set_publishes_the_current_and_the_previous_key() {
    let current = include_bytes!("../../tests/fixtures/lti/tool.pem");
    let previous = include_bytes!("../../tests/fixtures/lti/tool_previous.pem");
    let keys = keys::ToolKeys::from_pem(current, Some(previous)).unwrap();
    let set = keys.jwks();
    assert_eq!(set.keys.len(), 2);
    let kids: Vec<_> = set
        .keys
        .iter()
        .map(|k| k.common.key_id.clone().unwrap())
        .collect();
    assert_ne!(kids[0], kids[1]);
    // What it signs verifies with the first published key, and names it.
    let signed = keys.sign(&json!({"iss": "x", "exp": 2_000_000_000})).unwrap();
    let header = jsonwebtoken::decode_header(&signed).unwrap();
    assert_eq!(header.kid.as_deref(), Some(kids[0].as_str()));
    let key = jsonwebtoken::DecodingKey::from_jwk(&set.keys[0]).unwrap();
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    v.validate_aud = false;
    jsonwebtoken::decode::<serde_json::Value>(&signed, &key, &v).unwrap();
    let other = jsonwebtoken::DecodingKey::from_jwk(&set.keys[1]).unwrap();
    assert!(jsonwebtoken::decode::<serde_json::Value>(&signed, &other, &v).is_err());
    // The JWKS carries no private part.
    let text = serde_json::to_string(set).unwrap();
    assert!(!text.contains("\"d\""), "{text}");
}
