//! newslit: reads news articles, works out who says what, and turns that into graded
//! media-literacy exercises.

pub mod analysis;
pub mod cli;
pub mod exercises;
