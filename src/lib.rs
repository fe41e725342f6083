//! newslit: reads news articles, works out who says what, and turns that into graded
//! media-literacy exercises.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod analysis;
pub mod articles;
pub mod auth;
pub mod catalogue;
pub mod classroom;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod exercises;
pub mod metrics;
pub mod negotiate;
pub mod openapi;
pub mod pagination;
pub mod ratelimit;
pub mod results;
pub mod review;
pub mod routes;
pub mod seed;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod wire;
