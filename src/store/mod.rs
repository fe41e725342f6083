//! SQL, one module per aggregate. Nothing outside `store` writes SQL.

pub mod articles;
pub mod classes;
pub mod exercises;
pub mod results;
pub mod users;
