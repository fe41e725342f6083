//! SQL, one module per aggregate. Nothing outside `store` writes SQL.

pub mod users;
pub mod classes;
