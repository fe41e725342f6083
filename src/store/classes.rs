//! Classes and their members (enrolled students, assigned graders).

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use crate::http::pagination::Cursor;
use crate::identity::{Caller, Role};

#[derive(Debug, Clone)]
pub struct ClassRow {
    pub id: Uuid,
    pub name: String,
    pub teacher_id: Uuid,
    pub join_code: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct MemberRow {
    pub user_id: Uuid,
    pub subject: String,
    pub display_name: Option<String>,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

pub async fn create(
    pool: &PgPool,
    id: Uuid,
    name: &str,
    teacher_id: Uuid,
    join_code: &str,
) -> Result<ClassRow, sqlx::Error> {
    sqlx::query_as!(
        ClassRow,
        "INSERT INTO classes (id, name, teacher_id, join_code) VALUES ($1, $2, $3, $4)
         RETURNING id, name, teacher_id, join_code, created_at",
        id,
        name,
        teacher_id,
        join_code,
    )
    .fetch_one(pool)
    .await
}

/// The class, if the caller may reach it (`classes_in_reach`, a function in the schema).
pub async fn get_for(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<Option<ClassRow>, sqlx::Error> {
    sqlx::query_as!(
        ClassRow,
        "SELECT c.id, c.name, c.teacher_id, c.join_code, c.created_at FROM classes c
         WHERE c.id = $3 AND c.id IN (SELECT r FROM classes_in_reach($1, $2) r)",
        caller.id,
        caller.role as _,
        id,
    )
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
    sqlx::query_as!(
        ClassRow,
        "SELECT c.id, c.name, c.teacher_id, c.join_code, c.created_at FROM classes c
         WHERE c.id IN (SELECT r FROM classes_in_reach($1, $2) r)
           AND ($3::timestamptz IS NULL OR (c.created_at, c.id) > ($3, $4))
         ORDER BY c.created_at, c.id LIMIT $5",
        caller.id,
        caller.role as _,
        after.map(|c| c.at),
        after.map(|c| c.id),
        limit,
    )
    .fetch_all(pool)
    .await
}

pub async fn find_by_code(pool: &PgPool, code: &str) -> Result<Option<ClassRow>, sqlx::Error> {
    sqlx::query_as!(
        ClassRow,
        "SELECT id, name, teacher_id, join_code, created_at FROM classes WHERE join_code = $1",
        code
    )
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
        user_role: Role,
    },
    NoSuchUser,
    /// The user is a member of the class in the other membership role.
    OtherMembership {
        role: Role,
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
            sqlx::query!(
                "INSERT INTO users (id, subject, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                id,
                subject,
                role as _,
            )
            .execute(&mut *tx)
            .await?;
            id
        }
    };
    let user_role = sqlx::query_scalar!(r#"SELECT role AS "role: Role" FROM users WHERE id = $1"#, user_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(user_role) = user_role else {
        return Ok(AddOutcome::NoSuchUser);
    };
    if user_role != role {
        return Ok(AddOutcome::WrongRole { user_role });
    }
    let inserted = sqlx::query!(
        "INSERT INTO class_members (class_id, user_id, role, added_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (class_id, user_id) DO NOTHING",
        class_id,
        user_id,
        role as _,
        added_by,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    let member = member(&mut tx, class_id, user_id).await?;
    tx.commit().await?;
    Ok(match member {
        Some(m) if m.role != role => AddOutcome::OtherMembership { role: m.role },
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
    sqlx::query_as!(
        MemberRow,
        r#"SELECT m.user_id, u.subject, u.display_name, m.role AS "role: Role", m.created_at
         FROM class_members m JOIN users u ON u.id = m.user_id
         WHERE m.class_id = $1 AND m.user_id = $2"#,
        class_id,
        user_id,
    )
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
    sqlx::query_as!(
        MemberRow,
        r#"SELECT m.user_id, u.subject, u.display_name, m.role AS "role: Role", m.created_at
         FROM class_members m JOIN users u ON u.id = m.user_id
         WHERE m.class_id = $1 AND ($2::timestamptz IS NULL OR (m.created_at, m.user_id) > ($2, $3))
         ORDER BY m.created_at, m.user_id LIMIT $4"#,
        class_id,
        after.map(|c| c.at),
        after.map(|c| c.id),
        limit,
    )
    .fetch_all(pool)
    .await
}

/// Whether `user_id` is a student of the class.
pub async fn is_student(pool: &PgPool, class_id: Uuid, user_id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM class_members WHERE class_id = $1 AND user_id = $2 AND role = 'student') AS "exists!""#,
        class_id,
        user_id,
    )
    .fetch_one(pool)
    .await
}

/// Removes a member; false when they were not one.
pub async fn remove_member(pool: &PgPool, class_id: Uuid, user_id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "DELETE FROM class_members WHERE class_id = $1 AND user_id = $2",
        class_id,
        user_id
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}
