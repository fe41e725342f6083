//! Classes and their members (enrolled students, assigned graders).

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use crate::http::pagination::Cursor;
use crate::identity::{Caller, Role};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClassRow {
    pub id: Uuid,
    pub name: String,
    pub teacher_id: Uuid,
    pub join_code: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub user_id: Uuid,
    pub subject: String,
    pub display_name: Option<String>,
    pub role: String,
    pub created_at: DateTime<Utc>,
}

/// The SQL condition "class `c` is within the reach of the caller ($1 id, $2 role)".
pub(crate) const REACH: &str = "($2 = 'admin'
      OR ($2 = 'teacher' AND c.teacher_id = $1)
      OR ($2 IN ('student', 'grader') AND EXISTS (
            SELECT 1 FROM class_members m
            WHERE m.class_id = c.id AND m.user_id = $1 AND m.role = $2)))";

pub async fn create(
    pool: &PgPool,
    id: Uuid,
    name: &str,
    teacher_id: Uuid,
    join_code: &str,
) -> Result<ClassRow, sqlx::Error> {
    sqlx::query_as(
        "INSERT INTO classes (id, name, teacher_id, join_code) VALUES ($1, $2, $3, $4)
         RETURNING id, name, teacher_id, join_code, created_at",
    )
    .bind(id)
    .bind(name)
    .bind(teacher_id)
    .bind(join_code)
    .fetch_one(pool)
    .await
}

/// The class, if the caller may reach it.
pub async fn get_for(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<Option<ClassRow>, sqlx::Error> {
    let sql = format!(
        "SELECT c.id, c.name, c.teacher_id, c.join_code, c.created_at FROM classes c
         WHERE c.id = $3 AND {REACH}"
    );
    sqlx::query_as(&sql)
        .bind(caller.id)
        .bind(caller.role.as_str())
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// One page of the classes the caller may reach, oldest first.
pub async fn list_for(
    pool: &PgPool,
    caller: &Caller,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<ClassRow>, sqlx::Error> {
    let sql = format!(
        "SELECT c.id, c.name, c.teacher_id, c.join_code, c.created_at FROM classes c
         WHERE {REACH} AND ($3::timestamptz IS NULL OR (c.created_at, c.id) > ($3, $4))
         ORDER BY c.created_at, c.id LIMIT $5"
    );
    sqlx::query_as(&sql)
        .bind(caller.id)
        .bind(caller.role.as_str())
        .bind(after.map(|c| c.at))
        .bind(after.map(|c| c.id))
        .bind(limit)
        .fetch_all(pool)
        .await
}

pub async fn find_by_code(pool: &PgPool, code: &str) -> Result<Option<ClassRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, teacher_id, join_code, created_at FROM classes WHERE join_code = $1")
        .bind(code)
        .fetch_optional(pool)
        .await
}

/// Who a member is, for enrolment: an existing user by id, or a token subject (a user row is
/// created for a subject newslit has not seen yet, with the role the membership needs).
pub enum Person<'a> {
    Id(Uuid),
    Subject(&'a str),
}

pub enum AddOutcome {
    Added(MemberRow),
    AlreadyMember(MemberRow),
    /// The user exists but their role is not the membership's.
    WrongRole {
        user_role: String,
    },
    NoSuchUser,
    /// The user is a member of the class in the other membership role.
    OtherMembership {
        role: String,
    },
}

pub async fn add_member(
    pool: &PgPool,
    class_id: Uuid,
    person: Person<'_>,
    role: Role,
    added_by: Uuid,
) -> Result<AddOutcome, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let user_id = match person {
        Person::Id(id) => id,
        Person::Subject(subject) => {
            let id = crate::identity::user_id(subject);
            sqlx::query("INSERT INTO users (id, subject, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(subject)
                .bind(role.as_str())
                .execute(&mut *tx)
                .await?;
            id
        }
    };
    let user_role: Option<String> = sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(user_role) = user_role else {
        return Ok(AddOutcome::NoSuchUser);
    };
    if user_role != role.as_str() {
        return Ok(AddOutcome::WrongRole { user_role });
    }
    let inserted = sqlx::query(
        "INSERT INTO class_members (class_id, user_id, role, added_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (class_id, user_id) DO NOTHING",
    )
    .bind(class_id)
    .bind(user_id)
    .bind(role.as_str())
    .bind(added_by)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    let member = member(&mut tx, class_id, user_id).await?;
    tx.commit().await?;
    Ok(match member {
        Some(m) if m.role != role.as_str() => AddOutcome::OtherMembership { role: m.role },
        Some(m) if inserted => AddOutcome::Added(m),
        Some(m) => AddOutcome::AlreadyMember(m),
        None => AddOutcome::NoSuchUser,
    })
}

async fn member(
    tx: &mut sqlx::PgConnection,
    class_id: Uuid,
    user_id: Uuid,
) -> Result<Option<MemberRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.user_id, u.subject, u.display_name, m.role, m.created_at
         FROM class_members m JOIN users u ON u.id = m.user_id
         WHERE m.class_id = $1 AND m.user_id = $2",
    )
    .bind(class_id)
    .bind(user_id)
    .fetch_optional(tx)
    .await
}

/// One page of a class's members, in the order they joined.
pub async fn members(
    pool: &PgPool,
    class_id: Uuid,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<MemberRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.user_id, u.subject, u.display_name, m.role, m.created_at
         FROM class_members m JOIN users u ON u.id = m.user_id
         WHERE m.class_id = $1 AND ($2::timestamptz IS NULL OR (m.created_at, m.user_id) > ($2, $3))
         ORDER BY m.created_at, m.user_id LIMIT $4",
    )
    .bind(class_id)
    .bind(after.map(|c| c.at))
    .bind(after.map(|c| c.id))
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Whether `user_id` is a student of the class.
pub async fn is_student(pool: &PgPool, class_id: Uuid, user_id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM class_members WHERE class_id = $1 AND user_id = $2 AND role = 'student')",
    )
    .bind(class_id)
    .bind(user_id)
    .fetch_one(pool)
    .await
}

/// Removes a member; false when they were not one.
pub async fn remove_member(pool: &PgPool, class_id: Uuid, user_id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM class_members WHERE class_id = $1 AND user_id = $2")
        .bind(class_id)
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}
