//! The HTTP API, tested over real HTTP against a real PostgreSQL (one fresh database per test).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access;
mod architecture;
mod articles;
mod assignments;
mod auth;
mod classes;
mod errors;
mod exercises;
mod health;
mod helpers;
mod integrity;
mod logs;
mod openapi;
mod operations;
mod results;
mod scale;
mod seeds;
mod submissions;
