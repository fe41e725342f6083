//! SQL, one module per aggregate. Nothing outside `store` writes SQL.

pub mod articles;
pub mod assignments;
pub mod classes;
pub mod enums;
pub mod exercises;
pub mod limits;
pub mod lti;
pub mod outbox;
pub mod pool;
pub mod results;
pub mod submissions;
pub mod users;
pub mod webhooks;
