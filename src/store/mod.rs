//! SQL, one module per aggregate. Nothing outside `store` writes SQL.

pub mod assignments;
pub mod classes;
pub mod submissions;
pub mod users;
