//! Printers: packet lines, JSON, hex, flow tables, timelines, pcap writer.
//! Each writes to an injected `io::Write`, so tests compare strings and the
//! binary decides where output goes.

pub mod flow_fmt;
pub mod flow_json;
pub mod fmt;
pub mod json;
pub mod packet;
pub mod pcap;
pub mod table;
pub mod time;
pub mod timeline;
