//! newslit: reads news articles, works out who says what, and turns that into graded
//! media-literacy exercises.
//!
//! Floor plan (docs/architecture.md walks one request through it):
//! - pure core, no actix and no sqlx: `analysis`, `exercises`, `classroom`, `results`, `review`,
//!   `articles`;
//! - `identity`: who is calling (`Caller`, `Role`) and token keys;
//! - `lti`: LTI 1.3 claims, launch checks and role mapping, the tool's signing keys (pure);
//! - `http`: the HTTP shell (startup, errors, negotiation, paging, spec, metrics, rate limit,
//!   the auth extractor) and `http::routes`, one folder or file per resource;
//! - `service`: orchestration over store and core (catalogue, seeding, submitting, regrading);
//! - `store`: all SQL, one module per aggregate;
//! - `state`: what every handler can reach; `config`; `cli`: the commands `main` runs.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

#[allow(
    elided_lifetimes_in_paths,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    reason = "the crate's lints arrived after this module; its owners adopt them in their own change"
)]
pub mod analysis;
pub mod articles;
pub mod classroom;
pub mod cli;
pub mod config;
#[allow(
    elided_lifetimes_in_paths,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    reason = "the crate's lints arrived after this module; its owners adopt them in their own change"
)]
pub mod exercises;
pub mod http;
pub mod identity;
pub mod lti;
pub mod results;
pub mod review;
pub mod service;
pub mod state;
pub mod store;
pub mod webhooks;
pub mod wire;
