//! Printers: packet lines, JSON, hex, flow tables, timelines, pcap writer.
