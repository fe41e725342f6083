//! Token buckets in PostgreSQL, shared by every instance: one row per user and kind, refilled
//! continuously from the database's clock and charged in one `INSERT … ON CONFLICT … DO UPDATE`
//! (the row lock serializes concurrent charges, whichever instance they come through).

use sqlx::PgExecutor;
use uuid::Uuid;

/// A bucket's shape: it holds at most `capacity` and refills at `per_second`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    pub kind: &'static str,
    pub capacity: f64,
    pub per_second: f64,
}

/// What a charge did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Charge {
    pub granted: bool,
    /// What is left in the bucket after the charge (or, when refused, what there was).
    pub tokens: f64,
}

/// Takes `cost` from the user's bucket if it holds that much; otherwise takes nothing.
///
/// A cost larger than the capacity is never granted.
pub async fn charge(
    conn: impl PgExecutor<'_>,
    user: Uuid,
    bucket: &Bucket,
    cost: f64,
) -> Result<Charge, sqlx::Error> {
    // `refilled` is what the bucket holds now: what it held plus what flowed in since, capped.
    // SET sees the old row everywhere, so the expression can be repeated safely.
    let row = sqlx::query!(
        "INSERT INTO rate_limit_buckets AS b (user_id, kind, tokens, refilled_at, granted)
         VALUES ($1, $2, CASE WHEN $4::float8 <= $3::float8 THEN $3 - $4 ELSE $3 END, now(), $4 <= $3)
         ON CONFLICT (user_id, kind) DO UPDATE SET
           tokens = LEAST($3, b.tokens + $5::float8 * GREATEST(0, EXTRACT(EPOCH FROM now() - b.refilled_at)::float8))
                    - CASE WHEN LEAST($3, b.tokens + $5 * GREATEST(0, EXTRACT(EPOCH FROM now() - b.refilled_at)::float8)) >= $4
                           THEN $4 ELSE 0 END,
           granted = LEAST($3, b.tokens + $5 * GREATEST(0, EXTRACT(EPOCH FROM now() - b.refilled_at)::float8)) >= $4,
           refilled_at = now()
         RETURNING granted, tokens",
        user,
        bucket.kind,
        bucket.capacity,
        cost,
        bucket.per_second,
    )
    .fetch_one(conn)
    .await?;
    Ok(Charge {
        granted: row.granted,
        tokens: row.tokens,
    })
}
