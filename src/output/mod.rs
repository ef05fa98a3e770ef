//! Printers: packet lines, JSON, hex, flow tables, timelines, pcap writer.
pub mod flow_fmt;
pub mod flow_json;
pub mod table;
pub mod timeline;
