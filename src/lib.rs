//! newslit: reads news articles, works out who says what, and turns that into graded
//! media-literacy exercises.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod analysis;
pub mod auth;
pub mod classroom;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod exercises;
pub mod openapi;
pub mod routes;
pub mod startup;
pub mod store;
pub mod telemetry;
