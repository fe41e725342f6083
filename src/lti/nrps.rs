//! Names and Role Provisioning Services 2.0, the pure part: the membership container a platform
//! answers with, who in it becomes what in the class, and the `Link` header's next page.

use serde::Deserialize;

use crate::identity::Role;

/// The scope newslit asks for to read a course's roster.
pub const SCOPE_MEMBERSHIPS: &str =
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";
/// The media type of a membership container.
pub const MEMBERSHIPS_MEDIA_TYPE: &str = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";

/// One page of a course's roster.
#[derive(Debug, Clone, Deserialize)]
pub struct Container {
    #[serde(default)]
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Member {
    pub user_id: String,
    #[serde(default)]
    pub roles: Vec<String>,
    /// `Active` when absent.
    pub status: Option<String>,
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
}

impl Member {
    /// What the member is in the class: a student or a grader; `None` for the course's
    /// instructors (the class has its teacher), other roles and members no longer active.
    pub fn class_role(&self) -> Option<Role> {
        if self.status.as_deref().is_some_and(|s| s != "Active") {
            return None;
        }
        if self.user_id.is_empty() || self.user_id.len() > 255 {
            return None;
        }
        match super::role(&self.roles)? {
            role @ (Role::Student | Role::Grader) => Some(role),
            Role::Teacher | Role::Admin => None,
        }
    }

    /// The member's display name, as a launch would give it.
    pub fn display_name(&self) -> Option<String> {
        let joined = match (&self.given_name, &self.family_name) {
            (Some(g), Some(f)) => Some(format!("{g} {f}")),
            _ => None,
        };
        self.name
            .clone()
            .or(joined)
            .map(|n| n.trim().chars().take(200).collect::<String>())
            .filter(|n| !n.is_empty())
    }
}

/// The `rel="next"` target of a `Link` header (RFC 8288), if there is one.
pub fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|link| {
        let (target, params) = link.trim().split_once(';')?;
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        params
            .split(';')
            .filter_map(|p| p.split_once('='))
            .any(|(k, v)| {
                k.trim().eq_ignore_ascii_case("rel")
                    && v.trim()
                        .trim_matches('"')
                        .split_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("next"))
            })
            .then(|| target.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(roles: &[&str], status: Option<&str>) -> Member {
        Member {
            user_id: "u1".into(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            status: status.map(str::to_string),
            name: None,
            given_name: Some("Ada".into()),
            family_name: Some("Lovelace".into()),
        }
    }

    #[test]
    fn learners_become_students_assistants_graders_and_the_rest_nothing() {
        let lis = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
        assert_eq!(
            member(&[&format!("{lis}Learner")], None).class_role(),
            Some(Role::Student)
        );
        assert_eq!(
            member(&["Learner"], Some("Active")).class_role(),
            Some(Role::Student)
        );
        assert_eq!(
            member(
                &["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"],
                None
            )
            .class_role(),
            Some(Role::Grader)
        );
        assert_eq!(member(&[&format!("{lis}Instructor")], None).class_role(), None);
        assert_eq!(
            member(&[&format!("{lis}Learner")], Some("Inactive")).class_role(),
            None
        );
        assert_eq!(member(&[&format!("{lis}Mentor")], None).class_role(), None);
        assert_eq!(member(&[], None).display_name().as_deref(), Some("Ada Lovelace"));
    }

    #[test]
    fn the_next_page_is_found_among_other_links() {
        let h = r#"<https://lms.example/m?p=1>; rel="first", <https://lms.example/m?p=3>; rel="next""#;
        assert_eq!(next_link(h).as_deref(), Some("https://lms.example/m?p=3"));
        assert_eq!(
            next_link("<https://x/2>;rel=next").as_deref(),
            Some("https://x/2")
        );
        assert_eq!(next_link(r#"<https://x/d>; rel="differences""#), None);
        assert_eq!(next_link("garbage"), None);
    }

    #[test]
    fn a_container_parses_with_only_what_the_specification_requires() {
        let c: Container = serde_json::from_str(
            r#"{"id": "https://lms/m", "context": {"id": "c1"},
                "members": [{"user_id": "0ae8", "roles": ["Learner"], "status": "Active", "email": "x@y"}]}"#,
        )
        .unwrap();
        assert_eq!(c.members.len(), 1);
        assert_eq!(c.members[0].class_role(), Some(Role::Student));
    }
}
