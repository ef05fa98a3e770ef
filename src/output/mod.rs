//! Printers: packet lines, JSON, hex, flow tables, timelines, pcap writer.
//! Each writes to an injected `io::Write`, so tests compare strings and the
//! binary decides where output goes.

pub mod flows;
pub mod hexdump;
pub mod json;
pub mod line;
pub mod pcap;
pub mod time;
