//! Printers: packet lines (`packet/`, one file per layer, and `-X` hex),
//! JSON (`json/`), flow tables and timelines, the pcap writer, and what
//! several share (`fmt` for numbers and addresses, `time` for time
//! stamps). They only format what `decode` and `flow` produced; none reads
//! packet bytes itself. Each writes to an injected `io::Write`, so tests
//! compare strings and the binary decides where output goes.

pub mod flows;
pub mod fmt;
pub mod follow;
pub mod graph;
pub mod json;
pub mod packet;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod pcap;
pub mod time;
