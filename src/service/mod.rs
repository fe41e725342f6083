//! Orchestration over the store and the pure core: the article catalogue and seeding.

pub mod catalogue;
pub mod outbound;
pub mod outbox;
pub mod seed;
