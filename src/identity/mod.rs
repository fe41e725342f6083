//! Who is calling: the caller of a request, their role, and the role sets that gate operations.
//! `tokens` turns a bearer token into a [`Caller`]; the HTTP extractor lives in `http::auth`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::http::error::ApiError;

pub mod policy;
pub mod tokens;

/// Namespace of user ids: a user's id is UUIDv5(namespace, token subject).
const USER_NAMESPACE: Uuid = Uuid::from_u128(0x6e65_7773_6c69_7475_7365_7273_0000_0001);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Teacher,
    Student,
    Grader,
    Admin,
}

/// Who may see answer keys and everyone's results: teachers, graders and admins.
pub const STAFF: &[Role] = &[Role::Teacher, Role::Grader, Role::Admin];

/// Who may author and manage (articles, exercises, classes, assignments): teachers and admins.
pub const MANAGERS: &[Role] = &[Role::Teacher, Role::Admin];

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Teacher => "teacher",
            Role::Student => "student",
            Role::Grader => "grader",
            Role::Admin => "admin",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Role> {
        match s {
            "teacher" => Some(Role::Teacher),
            "student" => Some(Role::Student),
            "grader" => Some(Role::Grader),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// The stable id of the user a token subject names.
pub fn user_id(subject: &str) -> Uuid {
    Uuid::new_v5(&USER_NAMESPACE, subject.as_bytes())
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub id: Uuid,
    pub subject: String,
    pub role: Role,
    pub name: Option<String>,
}

impl Caller {
    /// Whose exercise versions the caller sees: a teacher their own corrections (where they
    /// made one), everyone else the shared catalogue (`None`).
    pub fn own_versions(&self) -> Option<Uuid> {
        (self.role == Role::Teacher).then_some(self.id)
    }

    /// Refuses (403) a caller whose role is not among `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            let allowed: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            Err(ApiError::Forbidden(format!(
                "this needs the role {}; the token's role is {}",
                allowed.join(" or "),
                self.role.as_str()
            )))
        }
    }
}
