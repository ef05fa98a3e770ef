//! The flow printers, all reading a finished [`crate::flow::FlowReport`]:
//! the table (`--flows`), the timelines (`--timeline`, with their state
//! legend), conn.log-style JSON (`--flows --json`), and the small formatting
//! helpers they share.

pub mod fmt;
pub mod json;
pub mod table;
pub mod timeline;
