//! The flow printers, all reading a finished [`crate::flow::FlowReport`]:
//! the table (`--flows`, also as TSV and CSV), the timelines (`--timeline`,
//! with their state legend, as text or JSON), conn.log-style JSON (`--flows
//! --json`), Zeek's conn.log itself (`--format zeek`), how they fit the
//! terminal ([`view`]), and the small formatting helpers they share.

pub mod conn_log;
pub mod fmt;
pub mod json;
pub mod table;
pub mod timeline;
pub mod view;
