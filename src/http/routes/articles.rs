//! The article catalogue: add an article (analyzed, exercises generated), list, read.

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::analysis::Analysis;
use crate::articles::{ArticleText, ArticleTextError};
use crate::http::error::ApiError;
use crate::http::pagination::PageParams;
use crate::http::pagination::{self as paging, Page};
use crate::identity::policy;
use crate::identity::{Caller, STAFF};
use crate::review::ExerciseStatus;
use crate::service::catalogue::{self, ArticleMeta};
use crate::state::AppState;
use crate::store::articles::{self as store, ArticleRow, ArticleSummaryRow};

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(create_article)
        .service(list_articles)
        .service(get_article);
}

/// The article's text as `text/plain` (UTF-8), not all blank: title line, optional byline, body.
#[derive(ToSchema)]
#[schema(pattern = r"\S")]
#[allow(dead_code)] // documents the text/plain body, which the handler reads as bytes
pub struct PlainArticle(String);

/// A new article. The text is analyzed and its exercises generated in the same request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewArticle {
    /// The article as plain text: title line, optional byline, body.
    #[schema(
        example = "Council Votes to Close Library Branch\n\nBy Ana Ruiz\n\nThe city council voted 5-2 on Tuesday to close the branch, the mayor said."
    )]
    #[schema(min_length = 1, pattern = r"\S")]
    pub text: String,
    /// Overrides the title found in the text.
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub title: Option<String>,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub outlet: Option<String>,
    /// An `http://` or `https://` URL.
    #[schema(min_length = 1, max_length = 2048, pattern = "^https?://")]
    pub source_url: Option<String>,
    /// RFC 3339 with an offset.
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleSummary {
    pub id: Uuid,
    pub title: String,
    pub outlet: Option<String>,
    pub source_url: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// The seed file this article came from, if any.
    pub seed: Option<String>,
    /// Versions of a seed file count up when its text changes.
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Article {
    #[serde(flatten)]
    pub summary: ArticleSummary,
    /// Hex SHA-256 of the text.
    pub content_hash: String,
    /// The text exactly as stored; every offset in the analysis and exercises points into it.
    pub text: String,
    /// Who says what in the article. Teachers, graders and admins only.
    pub analysis: Option<Analysis>,
}

impl From<ArticleSummaryRow> for ArticleSummary {
    fn from(r: ArticleSummaryRow) -> Self {
        ArticleSummary {
            id: r.id,
            title: r.title,
            outlet: r.outlet,
            source_url: r.source_url,
            published_at: r.published_at,
            seed: r.seed_name,
            version: r.version,
            created_at: r.created_at,
        }
    }
}

fn article_view(row: ArticleRow, caller: &Caller) -> Article {
    let staff = STAFF.contains(&caller.role);
    Article {
        summary: ArticleSummary {
            id: row.id,
            title: row.title,
            outlet: row.outlet,
            source_url: row.source_url,
            published_at: row.published_at,
            seed: row.seed_name,
            version: row.version,
            created_at: row.created_at,
        },
        content_hash: row.content_hash,
        text: row.body,
        analysis: staff.then_some(row.analysis.0),
    }
}

/// Reads the body as JSON or as plain text.
fn parse_new_article(req: &HttpRequest, body: &[u8]) -> Result<NewArticle, ApiError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => serde_json::from_slice(body)
            .map_err(|e| ApiError::BadRequest(format!("The JSON body is not valid: {e}"))),
        "text/plain" => {
            let text = String::from_utf8(body.to_vec()).map_err(|e| {
                ApiError::invalid(
                    "text",
                    format!("is not UTF-8 (invalid byte at {})", e.utf8_error().valid_up_to()),
                )
            })?;
            Ok(NewArticle {
                text,
                title: None,
                outlet: None,
                source_url: None,
                published_at: None,
            })
        }
        _ => Err(ApiError::UnsupportedMediaType(
            "Send the article as application/json or text/plain.".into(),
        )),
    }
}

fn check_meta(new: &NewArticle) -> Result<(), ApiError> {
    let too_long = |field: &str, value: &Option<String>, max: usize| match value {
        Some(v) if v.chars().count() > max => Err(ApiError::invalid(
            field,
            format!("is longer than {max} characters"),
        )),
        Some(v) if v.trim().is_empty() => Err(ApiError::invalid(field, "is blank")),
        _ => Ok(()),
    };
    too_long("title", &new.title, 500)?;
    too_long("outlet", &new.outlet, 200)?;
    too_long("source_url", &new.source_url, 2048)?;
    if let Some(url) = &new.source_url {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(ApiError::invalid("source_url", "must be an http(s) URL"));
        }
    }
    Ok(())
}

/// Adds an article: it is analyzed and its exercises are generated (as drafts) in the same
/// request. The same text again returns the article already stored (200 instead of 201).
#[utoipa::path(
    tag = "articles",
    security(("bearer" = [])),
    request_body(content(
        (NewArticle = "application/json"),
        (PlainArticle = "text/plain", example = "Council Votes to Close Library Branch\n\nThe council voted 5-2 on Tuesday, the mayor said.")
    )),
    responses(
        (status = 201, description = "Stored, analyzed, exercises generated as drafts", body = Article,
         headers(("Location" = String, description = "The article's URL"))),
        (status = 200, description = "The same text was already stored; that article", body = Article,
         headers(("Content-Location" = String, description = "The stored article's URL"))),
    )
)]
#[post("")]
async fn create_article(
    caller: Caller,
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::CREATE_ARTICLE)?;
    let new = parse_new_article(&req, &body)?;
    check_meta(&new)?;
    let text = ArticleText::parse(new.text).map_err(|e| match e {
        ArticleTextError::Empty => ApiError::invalid("text", "is empty"),
        ArticleTextError::Nul => ApiError::invalid("text", "contains a NUL character"),
    })?;
    // The analysis is the expensive part: every article write counts against the daily budget.
    state
        .limits
        .check_article_bytes(&state.pool, caller.id, text.as_str().len())
        .await?;
    let meta = ArticleMeta {
        title: new.title.map(|t| t.trim().to_string()),
        outlet: new.outlet,
        source_url: new.source_url,
        published_at: new.published_at.map(crate::wire::stored_instant),
        seed: None,
    };
    let (row, created) =
        catalogue::add_article(&state.pool, &text, &meta, ExerciseStatus::Draft, Some(caller.id)).await?;
    let location = format!("/v1/articles/{}", row.id);
    let view = article_view(row, &caller);
    Ok(if created {
        HttpResponse::Created()
            .insert_header((header::LOCATION, location))
            .json(view)
    } else {
        HttpResponse::Ok()
            .insert_header((header::CONTENT_LOCATION, location))
            .json(view)
    })
}

/// Lists articles, newest first.
#[utoipa::path(
    tag = "articles",
    security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, description = "A page of articles; `Link: rel=\"next\"` when more follow", body = Page<ArticleSummary>,
                headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))))
)]
#[get("")]
async fn list_articles(
    caller: Caller,
    req: HttpRequest,
    page: web::Query<PageParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::LIST_ARTICLES)?;
    let (after, limit) = paging::parse(&page)?;
    let rows = store::page(&state.pool, after, limit + 1).await?;
    let (rows, next_cursor) = paging::split(rows, limit, |r| paging::cursor(r.created_at, r.id));
    Ok(paging::respond_page::<ArticleSummary>(
        &req,
        rows.into_iter().map(Into::into).collect(),
        next_cursor,
    ))
}

/// One article with its text; teachers, graders and admins also get its analysis.
#[utoipa::path(
    tag = "articles",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Article id")),
    responses((status = 200, description = "The article", body = Article))
)]
#[get("/{id}")]
async fn get_article(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::GET_ARTICLE)?;
    let row = store::get(&state.pool, *id)
        .await?
        .ok_or_else(|| ApiError::not_found("article"))?;
    Ok(HttpResponse::Ok().json(article_view(row, &caller)))
}
