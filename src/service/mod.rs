//! Orchestration over the store and the pure core: the article catalogue, seeding, submitting
//! an answer (and storing concurrent answers together), and the once-only start-up set-up.

pub mod batcher;
pub mod catalogue;
pub mod lti;
pub mod lti_ags;
pub mod lti_nrps;
pub mod lti_services;
pub mod outbound;
pub mod outbox;
pub mod seed;
pub mod setup;
pub mod submit;
pub mod versions;
