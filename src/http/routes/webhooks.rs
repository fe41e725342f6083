//! Webhook subscriptions: a teacher (or an admin) has events of a class or an assignment POSTed
//! to a URL, signed per Standard Webhooks; the secret rotates; the delivery log is readable.

use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::http::error::ApiError;
use crate::http::pagination::PageParams;
use crate::http::pagination::{self as paging, Page};
use crate::identity::policy;
use crate::identity::Caller;
use crate::service::outbound;
use crate::state::AppState;
use crate::store;
use crate::store::webhooks::{DeliveryRow, NewSubscription, SubscriptionRow};
use crate::webhooks::{self as hooks, EventType};

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(create_subscription)
        .service(list_subscriptions)
        .service(get_subscription)
        .service(delete_subscription)
        .service(rotate_secret)
        .service(enable_subscription)
        .service(list_deliveries);
}

/// How long the previous secret keeps signing after a rotation.
const ROTATION_OVERLAP_HOURS: i64 = 24;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// Where events are POSTed: `https://` (plain `http://` and private addresses only where
    /// the service allows them).
    #[schema(
        example = "https://grades.example.org/newslit-events",
        format = "uri",
        max_length = 2000
    )]
    pub url: String,
    /// Exactly one of `class_id` and `assignment_id`: what to watch.
    pub class_id: Option<Uuid>,
    pub assignment_id: Option<Uuid>,
    /// Event types to receive (at least one).
    #[schema(min_items = 1)]
    pub events: Vec<EventType>,
    /// A note for the subscriber (up to 500 characters).
    #[schema(max_length = 500)]
    pub description: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Webhook {
    pub id: Uuid,
    pub url: String,
    pub class_id: Option<Uuid>,
    pub assignment_id: Option<Uuid>,
    pub events: Vec<EventType>,
    pub description: Option<String>,
    /// False once disabled after sustained failure (see `disabled_reason`); enable it again
    /// with `POST /v1/webhooks/{id}/enable`. Events of the meantime are not queued for it.
    pub enabled: bool,
    pub disabled_at: Option<DateTime<Utc>>,
    pub disabled_reason: Option<String>,
    /// Failed deliveries in a row, since `failing_since`.
    pub consecutive_failures: i32,
    pub failing_since: Option<DateTime<Utc>>,
    /// Until when the previous secret also signs (after a rotation).
    pub previous_secret_valid_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The signing secret (`whsec_` + base64): only in the answers of create and rotate.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub secret: Option<String>,
}

impl Webhook {
    fn from_row(r: SubscriptionRow, show_secret: bool) -> Self {
        Webhook {
            id: r.id,
            url: r.url,
            class_id: r.class_id,
            assignment_id: r.assignment_id,
            events: r.events,
            description: r.description,
            enabled: r.enabled,
            disabled_at: r.disabled_at,
            disabled_reason: r.disabled_reason,
            consecutive_failures: r.consecutive_failures,
            failing_since: r.failing_since,
            previous_secret_valid_until: r.previous_secret_until.filter(|t| *t > Utc::now()),
            created_at: r.created_at,
            secret: show_secret.then_some(r.secret),
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for its first or next attempt.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Every attempt failed; given up.
    Failed,
}

/// One event sent (or to be sent) to the subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    pub id: Uuid,
    /// The `webhook-id` header: the same on every retry.
    pub event_id: Uuid,
    pub event_type: String,
    /// The body as sent.
    pub payload: serde_json::Value,
    pub state: DeliveryState,
    pub created_at: DateTime<Utc>,
    pub attempts: i32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// HTTP status of the last attempt (absent when there was no answer).
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
}

impl From<DeliveryRow> for Delivery {
    fn from(r: DeliveryRow) -> Self {
        let state = if r.delivered_at.is_some() {
            DeliveryState::Delivered
        } else if r.failed_at.is_some() {
            DeliveryState::Failed
        } else {
            DeliveryState::Pending
        };
        Delivery {
            id: r.id,
            event_id: r.event_id,
            event_type: r.event_type.as_str().to_string(),
            payload: r.payload,
            state,
            created_at: r.created_at,
            attempts: r.attempts,
            next_attempt_at: matches!(state, DeliveryState::Pending).then_some(r.next_attempt_at),
            delivered_at: r.delivered_at,
            last_attempt_at: r.last_attempt_at,
            last_status: r.last_status,
            last_error: r.last_error,
        }
    }
}

async fn mine(state: &AppState, caller: &Caller, id: Uuid) -> Result<SubscriptionRow, ApiError> {
    store::webhooks::get_for(&state.pool, caller, id)
        .await?
        .ok_or_else(|| ApiError::not_found("webhook"))
}

/// Subscribes a URL to events of one class or one assignment (its teacher, or an admin). The
/// answer carries the signing secret; store it, it is not shown again (rotate to get a new one).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    request_body = NewWebhook,
    responses(
        (status = 201, description = "Subscribed; the body carries the secret", body = Webhook,
         headers(("Location" = String, description = "The subscription's URL"))),
        (status = 404, description = "The class or assignment is not within your reach",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
async fn create_subscription(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<NewWebhook>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::CREATE_WEBHOOK)?;
    let body = body.into_inner();
    let url = outbound::check_url(body.url.trim(), state.config.outbound_allow_private)
        .map_err(|m| ApiError::invalid("url", m))?;
    if body.events.is_empty() {
        return Err(ApiError::invalid("events", "must name at least one event type"));
    }
    let description = body
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    if let Some(d) = description {
        crate::http::input::storable("description", d)?;
        if d.chars().count() > 500 {
            return Err(ApiError::invalid("description", "must be at most 500 characters"));
        }
    }
    let allowed = match (body.class_id, body.assignment_id) {
        (Some(class), None) => store::webhooks::may_watch_class(&state.pool, &caller, class).await?,
        (None, Some(a)) => store::webhooks::may_watch_assignment(&state.pool, &caller, a).await?,
        _ => {
            return Err(ApiError::invalid(
                "class_id",
                "give exactly one of class_id and assignment_id",
            ))
        }
    };
    if !allowed {
        return Err(ApiError::not_found(if body.class_id.is_some() {
            "class"
        } else {
            "assignment"
        }));
    }
    let mut events = body.events.clone();
    events.sort_by_key(|e| e.as_str());
    events.dedup();
    let secret = hooks::new_secret().map_err(|e| ApiError::internal(e.to_string()))?;
    let row = store::webhooks::create(
        &state.pool,
        &NewSubscription {
            id: Uuid::now_v7(),
            owner_id: caller.id,
            class_id: body.class_id,
            assignment_id: body.assignment_id,
            url: url.as_str(),
            events: &events,
            description,
            secret: &secret,
        },
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/v1/webhooks/{}", row.id)))
        .json(Webhook::from_row(row, true)))
}

/// Your webhook subscriptions (every one for an admin), oldest first.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, description = "One page", body = Page<Webhook>,
               headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))))
)]
#[get("")]
async fn list_subscriptions(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    query: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::LIST_WEBHOOKS)?;
    let (after, limit) = paging::parse(&query)?;
    let rows = store::webhooks::list_for(&state.pool, &caller, after, limit + 1).await?;
    let (rows, next) = paging::split(rows, limit, |r| paging::cursor(r.created_at, r.id));
    Ok(paging::respond_page(
        &req,
        rows.into_iter().map(|r| Webhook::from_row(r, false)).collect(),
        next,
    ))
}

/// One subscription: its state, failures and why it was disabled, if it was.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The subscription", body = Webhook))
)]
#[get("/{id}")]
async fn get_subscription(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::GET_WEBHOOK)?;
    Ok(HttpResponse::Ok().json(Webhook::from_row(mine(&state, &caller, *id).await?, false)))
}

/// Unsubscribes: nothing more is sent, pending deliveries included.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"))
)]
#[delete("/{id}")]
async fn delete_subscription(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::DELETE_WEBHOOK)?;
    if store::webhooks::delete_for(&state.pool, &caller, *id).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::not_found("webhook"))
    }
}

/// Replaces the signing secret. For 24 hours deliveries carry two signatures (new and old,
/// space-separated in `webhook-signature`), so a receiver can switch without losing any.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "Rotated; the body carries the new secret", body = Webhook))
)]
#[post("/{id}/rotate-secret")]
async fn rotate_secret(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::ROTATE_WEBHOOK_SECRET)?;
    let secret = hooks::new_secret().map_err(|e| ApiError::internal(e.to_string()))?;
    let until = Utc::now() + chrono::Duration::hours(ROTATION_OVERLAP_HOURS);
    let row = store::webhooks::rotate_secret(&state.pool, &caller, *id, &secret, until)
        .await?
        .ok_or_else(|| ApiError::not_found("webhook"))?;
    Ok(HttpResponse::Ok().json(Webhook::from_row(row, true)))
}

/// Enables a subscription again after it was disabled; what it still owed is delivered.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "Enabled", body = Webhook))
)]
#[post("/{id}/enable")]
async fn enable_subscription(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::ENABLE_WEBHOOK)?;
    let row = store::webhooks::enable(&state.pool, &caller, *id)
        .await?
        .ok_or_else(|| ApiError::not_found("webhook"))?;
    Ok(HttpResponse::Ok().json(Webhook::from_row(row, false)))
}

/// The delivery log, newest first: each event, its attempts, the last status and error.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), PageParams),
    responses((status = 200, description = "One page, newest first", body = Page<Delivery>,
               headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))))
)]
#[get("/{id}/deliveries")]
async fn list_deliveries(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::WEBHOOK_DELIVERIES)?;
    let (after, limit) = paging::parse(&query)?;
    let sub = mine(&state, &caller, *id).await?;
    let rows = store::webhooks::deliveries(&state.pool, sub.id, after, limit + 1).await?;
    let (rows, next) = paging::split(rows, limit, |r| paging::cursor(r.created_at, r.id));
    Ok(paging::respond_page(
        &req,
        rows.into_iter().map(Delivery::from).collect(),
        next,
    ))
}
