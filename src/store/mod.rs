//! SQL, one module per aggregate. Nothing outside `store` writes SQL. (`private_pg` runs a
//! PostgreSQL server of its own when none is configured.)

pub mod articles;
pub mod assignments;
pub mod changes;
pub mod classes;
pub mod enums;
pub mod exercises;
pub mod limits;
pub mod lti;
pub mod lti_services;
pub mod outbox;
pub mod pool;
pub mod private_pg;
pub mod results;
pub mod submissions;
pub mod users;
pub mod webhooks;
