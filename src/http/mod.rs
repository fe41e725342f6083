//! The HTTP shell: building the app, errors as problem+json, content negotiation, paging, the
//! OpenAPI document, metrics, the write rate limit, the `Caller` extractor, the role guard,
//! and the routes.

pub mod auth;
pub mod conditional;
pub mod conn;
pub mod error;
pub mod feed_cursor;
pub mod guard;
pub mod input;
pub mod metrics;
pub mod negotiate;
pub mod openapi;
pub mod pagination;
pub mod ratelimit;
pub mod routes;
pub mod startup;
pub mod text;
