//! Names and Role Provisioning Services: a class's roster read from its LMS course (every page
//! of the membership container) and written onto newslit, idempotently: learners become
//! students of the class, teaching assistants its graders; nobody is removed.

use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::identity::{user_id, Caller, Role};
use crate::lti::keys::ToolKeys;
use crate::lti::nrps::{self, Container, MEMBERSHIPS_MEDIA_TYPE, SCOPE_MEMBERSHIPS};
use crate::service::lti_services::{http_error, CallError, ServiceTokens};
use crate::service::outbound::Outbound;
use crate::store;

/// Largest roster page read.
const PAGE_LIMIT: usize = 4 * 1024 * 1024;
/// Most pages read in one sync (a course of tens of thousands at the usual page sizes).
const MAX_PAGES: usize = 200;

/// What a sync did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RosterSync {
    pub class_id: Uuid,
    /// Members the platform listed.
    pub members: usize,
    /// Active learners, now students of the class.
    pub students: usize,
    /// Active teaching assistants, now graders of the class.
    pub graders: usize,
    /// Of those, how many were not in the class before this sync.
    pub added: usize,
    /// Members left out: instructors (the class has its teacher), other roles, inactive members.
    pub skipped: usize,
    pub synced_at: chrono::DateTime<chrono::Utc>,
}

/// Why a sync could not run.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The class is not an LMS course's, or no launch announced a roster.
    #[error("{0}")]
    NoRoster(String),
    #[error(transparent)]
    Platform(#[from] CallError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// What a sync needs.
pub struct Services<'a> {
    pub pool: &'a PgPool,
    pub outbound: &'a Outbound,
    pub keys: &'a ToolKeys,
    pub tokens: &'a ServiceTokens,
}

/// What an outbox `roster_sync` row carries.
#[derive(Debug, Deserialize)]
struct SyncJob {
    class_id: Uuid,
}

/// Delivers an outbox `roster_sync` row.
pub async fn sync_from_outbox(
    services: &Services<'_>,
    payload: &serde_json::Value,
) -> Result<i32, CallError> {
    let job = SyncJob::deserialize(payload)
        .map_err(|e| CallError::new(None, format!("a malformed sync row: {e}")))?;
    match sync(services, job.class_id).await {
        Ok(done) => {
            tracing::info!(class_id = %done.class_id, members = done.members, added = done.added, "lti: roster synced");
            Ok(200)
        }
        Err(SyncError::Platform(e)) => Err(e),
        Err(e) => Err(CallError::new(None, e.to_string())),
    }
}

/// Reads the class's roster from its platform and enrolls who is missing.
pub async fn sync(services: &Services<'_>, class_id: Uuid) -> Result<RosterSync, SyncError> {
    let source = store::lti_services::roster_source(services.pool, class_id)
        .await?
        .ok_or_else(|| SyncError::NoRoster("the class was not made from an LMS course".into()))?;
    let first = source.memberships_url.ok_or_else(|| {
        SyncError::NoRoster(
            "the LMS has not offered the course's roster (Names and Role Provisioning) in a launch yet"
                .into(),
        )
    })?;
    let platform = store::lti::platform(services.pool, source.platform_id)
        .await?
        .ok_or_else(|| SyncError::NoRoster("the class's LMS is no longer registered".into()))?;
    let origin = services
        .outbound
        .check_url(&first)
        .map_err(|e| CallError::new(None, format!("the roster URL {e}")))?;
    let token = services
        .tokens
        .token(services.outbound, services.keys, &platform, SCOPE_MEMBERSHIPS)
        .await?;
    let mut done = RosterSync {
        class_id,
        members: 0,
        students: 0,
        graders: 0,
        added: 0,
        skipped: 0,
        synced_at: chrono::Utc::now(),
    };
    let mut next = Some(origin.clone());
    let mut pages = 0;
    while let Some(url) = next.take() {
        pages += 1;
        if pages > MAX_PAGES {
            return Err(CallError::new(None, format!("the roster has more than {MAX_PAGES} pages")).into());
        }
        let request = services
            .outbound
            .client()
            .get(url)
            .bearer_auth(&token)
            .header("accept", MEMBERSHIPS_MEDIA_TYPE);
        let reply = services
            .outbound
            .send(request, PAGE_LIMIT)
            .await
            .map_err(CallError::from)?;
        let status = reply.status;
        let link = reply
            .headers
            .get_all("link")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(nrps::next_link);
        if reply.truncated {
            return Err(
                CallError::new(None, format!("a roster page is larger than {PAGE_LIMIT} bytes")).into(),
            );
        }
        let body = reply.body;
        if status == 401 {
            services.tokens.forget(platform.id, SCOPE_MEMBERSHIPS);
        }
        if status != 200 {
            return Err(http_error("the platform refused the roster", status, &body).into());
        }
        let page: Container = serde_json::from_slice(&body).map_err(|e| {
            CallError::new(
                Some(200),
                format!("the roster is not a membership container: {e}"),
            )
        })?;
        for member in &page.members {
            done.members += 1;
            let Some(role) = member.class_role() else {
                done.skipped += 1;
                continue;
            };
            let subject = crate::lti::subject(platform.id, &member.user_id);
            let caller = Caller {
                id: user_id(&subject),
                subject,
                role,
                name: member.display_name(),
            };
            store::lti::link_user(services.pool, platform.id, &member.user_id, &caller).await?;
            if store::lti_services::add_roster_member(services.pool, class_id, caller.id, role).await? {
                done.added += 1;
            }
            match role {
                Role::Grader => done.graders += 1,
                _ => done.students += 1,
            }
        }
        // Pages stay on the roster's own host: a platform cannot send newslit elsewhere.
        next = match link {
            Some(link) => {
                let url = services
                    .outbound
                    .check_url(&link)
                    .map_err(|e| CallError::new(None, format!("the next roster page {e}")))?;
                let same = url.scheme() == origin.scheme()
                    && url.host_str() == origin.host_str()
                    && url.port_or_known_default() == origin.port_or_known_default();
                if !same {
                    return Err(CallError::new(None, "the next roster page is on another host").into());
                }
                Some(url)
            }
            None => None,
        };
    }
    done.synced_at = store::lti_services::mark_roster_synced(services.pool, class_id).await?;
    Ok(done)
}
