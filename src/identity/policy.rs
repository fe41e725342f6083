//! The role policy: which role may call which operation, in one table. Handlers ask it with
//! [`Caller::may`]; the README's "Who may do what" table is this table rendered (a unit test
//! compares them) and an API test walks it, calling every operation in every role.
//!
//! `Reach` means the role may call the operation but only on what is within its reach (a
//! teacher's own classes, a grader's assigned classes, a student's own classes and answers);
//! anything else answers 404. `No` answers 403 whatever the id.

use crate::http::error::ApiError;
use crate::identity::{Caller, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// 403.
    No,
    /// Allowed within the caller's reach; 404 outside it.
    Reach,
    /// Allowed on anything.
    Any,
}

/// One operation of the API and who may call it.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub method: &'static str,
    pub path: &'static str,
    pub student: Access,
    pub teacher: Access,
    pub grader: Access,
    pub admin: Access,
}

impl Rule {
    pub fn access(&self, role: Role) -> Access {
        match role {
            Role::Student => self.student,
            Role::Teacher => self.teacher,
            Role::Grader => self.grader,
            Role::Admin => self.admin,
        }
    }
}

use Access::{Any, No, Reach};

macro_rules! rules {
    ($($name:ident = $method:literal $path:literal: $s:ident $t:ident $g:ident $a:ident;)*) => {
        $(pub const $name: Rule = Rule {
            method: $method, path: $path, student: $s, teacher: $t, grader: $g, admin: $a,
        };)*
        /// Every operation that needs a token, in the README's order.
        pub const POLICY: &[Rule] = &[$($name),*];
    };
}

//   name                 method   path                                        student teacher grader admin
rules! {
    ME                   = "GET"    "/v1/me":                                      Any   Any   Any   Any;
    CREATE_ARTICLE       = "POST"   "/v1/articles":                                No    Any   No    Any;
    LIST_ARTICLES        = "GET"    "/v1/articles":                                Any   Any   Any   Any;
    GET_ARTICLE          = "GET"    "/v1/articles/{id}":                           Any   Any   Any   Any;
    ARTICLE_EXERCISES    = "GET"    "/v1/articles/{id}/exercises":                 Any   Any   Any   Any;
    ARTICLE_REVIEW       = "GET"    "/v1/articles/{id}/review":                    No    Any   Any   Any;
    GET_EXERCISE         = "GET"    "/v1/exercises/{id}":                          Any   Any   Any   Any;
    CORRECT_EXERCISE     = "PATCH"  "/v1/exercises/{id}":                          No    Any   No    Any;
    REGRADE              = "POST"   "/v1/exercises/{id}/regrade":                  No    Reach No    Any;
    EXERCISE_QTI         = "GET"    "/v1/exercises/{id}/qti":                      No    Any   No    Any;
    CREATE_CLASS         = "POST"   "/v1/classes":                                 No    Any   No    Any;
    LIST_CLASSES         = "GET"    "/v1/classes":                                 Reach Reach Reach Any;
    GET_CLASS            = "GET"    "/v1/classes/{class_id}":                      Reach Reach Reach Any;
    JOIN_CLASS           = "POST"   "/v1/classes/join":                            Any   No    No    No;
    ENROLL_STUDENT       = "POST"   "/v1/classes/{class_id}/students":             No    Reach No    Any;
    ASSIGN_GRADER        = "POST"   "/v1/classes/{class_id}/graders":              No    Reach No    Any;
    LIST_MEMBERS         = "GET"    "/v1/classes/{class_id}/members":              No    Reach Reach Any;
    REMOVE_MEMBER        = "DELETE" "/v1/classes/{class_id}/members/{user_id}":    No    Reach No    Any;
    CREATE_ASSIGNMENT    = "POST"   "/v1/classes/{class_id}/assignments":          No    Reach No    Any;
    CLASS_ASSIGNMENTS    = "GET"    "/v1/classes/{class_id}/assignments":          No    Reach Reach Any;
    GET_ASSIGNMENT       = "GET"    "/v1/assignments/{assignment_id}":             Reach Reach Reach Any;
    UPDATE_ASSIGNMENT    = "PATCH"  "/v1/assignments/{assignment_id}":             No    Reach No    Any;
    PUT_EXTENSION        = "PUT"    "/v1/assignments/{assignment_id}/extensions/{student_id}": No Reach No Any;
    MY_ASSIGNMENTS       = "GET"    "/v1/me/assignments":                          Any   No    No    No;
    ASSIGNMENT_EXERCISES = "GET"    "/v1/assignments/{assignment_id}/exercises":   Reach Reach Reach Any;
    SUBMIT               = "POST"   "/v1/assignments/{assignment_id}/submissions": Reach No    No    No;
    ASSIGNMENT_SUBMISSIONS = "GET"  "/v1/assignments/{assignment_id}/submissions": Reach Reach Reach Any;
    GET_SUBMISSION       = "GET"    "/v1/submissions/{submission_id}":             Reach Reach Reach Any;
    GRADEBOOK            = "GET"    "/v1/assignments/{id}/results":                No    Reach Reach Any;
    GRADEBOOK_CSV        = "GET"    "/v1/assignments/{id}/results.csv":            No    Reach Reach Any;
    PULL_SUBMISSIONS     = "GET"    "/v1/submissions":                             No    Reach Reach Any;
    GRADE                = "PUT"    "/v1/submissions/{id}/grade":                  No    Reach Reach Any;
    GRADE_HISTORY        = "GET"    "/v1/submissions/{id}/grade-history":          No    Reach No    Any;
    RELEASE              = "POST"   "/v1/assignments/{id}/release":                No    Reach No    Any;
    ITEM_ANALYSIS        = "GET"    "/v1/assignments/{id}/item-analysis":          No    Reach Reach Any;
    EXPORT_QTI           = "GET"    "/v1/assignments/{id}/export.zip":             No    Reach No    Any;
    EXPORT_GIFT          = "GET"    "/v1/assignments/{id}/export.gift":            No    Reach No    Any;
    CREATE_WEBHOOK       = "POST"   "/v1/webhooks":                                No    Reach No    Any;
    LIST_WEBHOOKS        = "GET"    "/v1/webhooks":                                No    Reach No    Any;
    GET_WEBHOOK          = "GET"    "/v1/webhooks/{id}":                           No    Reach No    Any;
    DELETE_WEBHOOK       = "DELETE" "/v1/webhooks/{id}":                           No    Reach No    Any;
    ROTATE_WEBHOOK_SECRET = "POST"  "/v1/webhooks/{id}/rotate-secret":             No    Reach No    Any;
    ENABLE_WEBHOOK       = "POST"   "/v1/webhooks/{id}/enable":                    No    Reach No    Any;
    WEBHOOK_DELIVERIES   = "GET"    "/v1/webhooks/{id}/deliveries":                No    Reach No    Any;
    CREATE_LTI_PLATFORM  = "POST"   "/v1/lti/platforms":                           No    No    No    Any;
    LIST_LTI_PLATFORMS   = "GET"    "/v1/lti/platforms":                           No    No    No    Any;
    GET_LTI_PLATFORM     = "GET"    "/v1/lti/platforms/{id}":                      No    No    No    Any;
    DELETE_LTI_PLATFORM  = "DELETE" "/v1/lti/platforms/{id}":                      No    No    No    Any;
    LTI_ROSTER_SYNC      = "POST"   "/v1/classes/{class_id}/lti/roster-sync":      No    Reach No    Any;
}

impl Caller {
    /// Refuses (403) a caller whose role the policy gives no access to `rule`. Reach is the
    /// store's business: what is outside it answers 404 there.
    pub fn may(&self, rule: &Rule) -> Result<(), ApiError> {
        if rule.access(self.role) != No {
            return Ok(());
        }
        let allowed: Vec<&str> = [Role::Student, Role::Teacher, Role::Grader, Role::Admin]
            .into_iter()
            .filter(|r| rule.access(*r) != No)
            .map(Role::as_str)
            .collect();
        Err(ApiError::Forbidden(format!(
            "{} {} is for the role {}; the token's role is {}",
            rule.method,
            rule.path,
            allowed.join(" or "),
            self.role.as_str()
        )))
    }
}

/// The policy as the README's Markdown table.
pub fn markdown() -> String {
    let cell = |a: Access| match a {
        No => "—",
        Reach => "within reach",
        Any => "any",
    };
    let mut out = String::from("| operation | student | teacher | grader | admin |\n|---|---|---|---|---|\n");
    for r in POLICY {
        out.push_str(&format!(
            "| `{} {}` | {} | {} | {} | {} |\n",
            r.method,
            r.path,
            cell(r.student),
            cell(r.teacher),
            cell(r.grader),
            cell(r.admin)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_table_is_the_policy() {
        let readme = include_str!("../../README.md");
        let start = "<!-- role-policy: generated from src/identity/policy.rs -->\n";
        let begin = readme.find(start).expect("README has the role-policy marker") + start.len();
        let end = begin + readme[begin..].find("<!-- /role-policy -->").expect("end marker");
        assert_eq!(
            &readme[begin..end],
            markdown(),
            "README's role table differs from the policy; paste `markdown()` into it"
        );
    }

    #[test]
    fn every_operation_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for r in POLICY {
            assert!(seen.insert((r.method, r.path)), "{} {} twice", r.method, r.path);
        }
    }
}
