//! Results: the pure side of gradebooks, statistics and exports. No I/O here; the HTTP
//! handlers (`http::routes::results`) and SQL (`store::results`) feed these functions.
//!
//! What each file owns:
//! - `item_analysis.rs`: facility, discrimination, option counts and Cronbach's alpha, as
//!   Moodle's quiz statistics define them.
//! - `counting.rs`: the counting rule of a gradebook cell (which attempt counts).
//! - `csv.rs`: RFC 4180 rows with formula-injection guarding, one row at a time for streaming.
//! - `qti.rs`: QTI 3.0 items, assessment test, manifest and content package.
//! - `gift.rs`: Moodle GIFT text.
//! - `xml.rs`: XML escaping and identifiers for the QTI writer.
//! - `archive.rs`: the QTI package's ZIP (the `zip` crate, fixed timestamps).

pub mod archive;
pub mod counting;
pub mod csv;
pub mod gift;
pub mod item_analysis;
pub mod qti;
mod xml;
