//! LTI 1.3, the pure parts: the claims of a platform's `id_token`, the checks a launch must pass
//! beyond its signature, and how LMS roles map onto newslit's. No I/O here; `service::lti` fetches
//! keys and `store::lti` remembers platforms, logins and mappings.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::identity::Role;

pub mod ags;
pub mod keys;
pub mod nrps;

pub const MESSAGE_TYPE: &str = "https://purl.imsglobal.org/spec/lti/claim/message_type";
pub const VERSION: &str = "https://purl.imsglobal.org/spec/lti/claim/version";
pub const DEPLOYMENT_ID: &str = "https://purl.imsglobal.org/spec/lti/claim/deployment_id";
pub const TARGET_LINK_URI: &str = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri";
pub const ROLES: &str = "https://purl.imsglobal.org/spec/lti/claim/roles";
pub const CONTEXT: &str = "https://purl.imsglobal.org/spec/lti/claim/context";
pub const RESOURCE_LINK: &str = "https://purl.imsglobal.org/spec/lti/claim/resource_link";
pub const CUSTOM: &str = "https://purl.imsglobal.org/spec/lti/claim/custom";
pub const AGS_ENDPOINT: &str = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
pub const NRPS: &str = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
pub const DEEP_LINKING_SETTINGS: &str = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings";

/// The custom parameter a newslit resource link carries: the assignment it opens.
pub const CUSTOM_ASSIGNMENT: &str = "newslit_assignment_id";

/// `aud`: one audience or several.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    fn all(&self) -> Vec<&str> {
        match self {
            Audience::One(a) => vec![a.as_str()],
            Audience::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Context {
    pub id: String,
    pub title: Option<String>,
    pub label: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ResourceLink {
    pub id: String,
    pub title: Option<String>,
}

/// Assignment and Grade Services, as the launch announces them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AgsEndpoint {
    #[serde(default)]
    pub scope: Vec<String>,
    pub lineitems: Option<String>,
    pub lineitem: Option<String>,
}

/// Names and Role Provisioning Services, as the launch announces them.
#[derive(Debug, Clone, Deserialize)]
pub struct NrpsClaim {
    pub context_memberships_url: String,
}

/// Deep Linking 2.0: where the tool sends the teacher's pick back, and what it may send.
#[derive(Debug, Clone, Deserialize)]
pub struct DeepLinkingSettings {
    pub deep_link_return_url: String,
    #[serde(default)]
    pub accept_types: Vec<String>,
    pub accept_multiple: Option<bool>,
    /// Opaque; returned as it came.
    pub data: Option<String>,
}

/// The claims of a launch's `id_token` that newslit reads.
#[derive(Debug, Clone, Deserialize)]
pub struct IdToken {
    pub iss: String,
    pub sub: Option<String>,
    pub aud: Audience,
    pub azp: Option<String>,
    pub exp: i64,
    pub iat: i64,
    pub nonce: Option<String>,
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    #[serde(rename = "https://purl.imsglobal.org/spec/lti/claim/message_type")]
    pub message_type: String,
    #[serde(rename = "https://purl.imsglobal.org/spec/lti/claim/version")]
    pub version: String,
    #[serde(rename = "https://purl.imsglobal.org/spec/lti/claim/deployment_id")]
    pub deployment_id: String,
    #[serde(rename = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri")]
    pub target_link_uri: Option<String>,
    #[serde(rename = "https://purl.imsglobal.org/spec/lti/claim/roles", default)]
    pub roles: Vec<String>,
    #[serde(rename = "https://purl.imsglobal.org/spec/lti/claim/context")]
    pub context: Option<Context>,
    #[serde(rename = "https://purl.imsglobal.org/spec/lti/claim/resource_link")]
    pub resource_link: Option<ResourceLink>,
    #[serde(rename = "https://purl.imsglobal.org/spec/lti/claim/custom", default)]
    pub custom: BTreeMap<String, serde_json::Value>,
    #[serde(rename = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint")]
    pub ags: Option<AgsEndpoint>,
    #[serde(rename = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice")]
    pub nrps: Option<NrpsClaim>,
    #[serde(rename = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings")]
    pub deep_linking: Option<DeepLinkingSettings>,
}

/// What kind of launch it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    ResourceLink,
    DeepLinking,
}

/// What the launch was checked against: the registration and the login it answers.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    pub client_id: &'a str,
    pub deployment_ids: &'a [String],
    /// The nonce made at login initiation.
    pub nonce: &'a str,
    pub target_link_uri: &'a str,
}

/// Why a launch was refused, in words the platform's admin can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

fn refuse(why: impl Into<String>) -> Refused {
    Refused(why.into())
}

/// The checks of the LTI 1.3 core specification (5.1.3) that the signature check does not make:
/// `azp`, the nonce, the deployment, the message type and version, the target link.
pub fn check(token: &IdToken, expected: &Expected<'_>) -> Result<MessageKind, Refused> {
    let audiences = token.aud.all();
    if !audiences.contains(&expected.client_id) {
        return Err(refuse("the id_token's aud does not name newslit's client id"));
    }
    match &token.azp {
        Some(azp) if azp != expected.client_id => {
            return Err(refuse("the id_token's azp is not newslit's client id"))
        }
        None if audiences.len() > 1 => return Err(refuse("the id_token names several audiences but no azp")),
        _ => {}
    }
    if token.nonce.as_deref() != Some(expected.nonce) {
        return Err(refuse("the id_token's nonce is not the one this login issued"));
    }
    if !expected.deployment_ids.contains(&token.deployment_id) {
        return Err(refuse(format!(
            "the deployment {:?} is not registered for this platform",
            token.deployment_id
        )));
    }
    if token.version != "1.3.0" {
        return Err(refuse(format!("LTI version {:?} is not 1.3.0", token.version)));
    }
    if let Some(target) = &token.target_link_uri {
        if target != expected.target_link_uri {
            return Err(refuse("the target_link_uri differs from the one the login named"));
        }
    }
    let kind = match token.message_type.as_str() {
        "LtiResourceLinkRequest" => MessageKind::ResourceLink,
        "LtiDeepLinkingRequest" => MessageKind::DeepLinking,
        other => return Err(refuse(format!("the message type {other:?} is not supported"))),
    };
    match kind {
        MessageKind::ResourceLink if token.resource_link.is_none() => {
            Err(refuse("a resource link launch needs the resource_link claim"))
        }
        MessageKind::DeepLinking if token.deep_linking.is_none() => Err(refuse(
            "a deep linking launch needs the deep_linking_settings claim",
        )),
        _ if token.sub.as_deref().is_none_or(|s| s.is_empty() || s.len() > 255) => Err(refuse(
            "the launch needs a user: sub is missing, empty or too long",
        )),
        _ if token.context.is_none() => Err(refuse("the launch needs the context (course) claim")),
        _ => Ok(kind),
    }
}

/// The newslit role of a person with these LTI roles in the course: an instructor (or the
/// course's administrator or content developer) teaches, a teaching assistant grades, a learner
/// is a student. Anyone else (a mentor, a guest) has no newslit role here.
pub fn role(roles: &[String]) -> Option<Role> {
    let context_role = |r: &str| {
        let r = r
            .strip_prefix("http://purl.imsglobal.org/vocab/lis/v2/membership#")
            .map(|name| name.to_string())
            .or_else(|| {
                r.strip_prefix("http://purl.imsglobal.org/vocab/lis/v2/membership/")
                    .map(|sub| sub.replace('#', "/"))
            })
            .unwrap_or_else(|| r.to_string());
        match r.as_str() {
            "Instructor/TeachingAssistant" | "TeachingAssistant" => Some(Role::Grader),
            "Instructor" | "Administrator" | "ContentDeveloper" => Some(Role::Teacher),
            "Learner" | "Learner/Learner" => Some(Role::Student),
            _ => None,
        }
    };
    let found: Vec<Role> = roles.iter().filter_map(|r| context_role(r)).collect();
    [Role::Teacher, Role::Grader, Role::Student]
        .into_iter()
        .find(|r| found.contains(r))
}

/// A person's display name from the claims that carry it.
pub fn display_name(token: &IdToken) -> Option<String> {
    let joined = match (&token.given_name, &token.family_name) {
        (Some(g), Some(f)) => Some(format!("{g} {f}")),
        _ => None,
    };
    token
        .name
        .clone()
        .or(joined)
        .map(|n| n.trim().chars().take(200).collect::<String>())
        .filter(|n| !n.is_empty())
}

/// The newslit token subject of an LMS user: one per platform registration and LMS `sub`.
pub fn subject(platform_id: uuid::Uuid, sub: &str) -> String {
    format!("lti:{platform_id}:{sub}")
}

#[cfg(test)]
mod tests;
