//! The HTTP API, tested over real HTTP against a real PostgreSQL (one fresh database per test).

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    reason = "test data: small counts and positions"
)]

mod access;
mod architecture;
mod articles;
mod assignments;
mod auth;
mod classes;
mod contract;
mod errors;
mod exercises;
mod health;
mod helpers;
mod integrity;
mod logs;
mod lti;
mod lti_ags;
mod lti_nrps;
mod lti_platform;
mod openapi;
mod operations;
mod private_pg;
mod results;
mod review;
mod scale;
mod seeds;
mod shutdown;
mod submissions;
mod webhooks;
