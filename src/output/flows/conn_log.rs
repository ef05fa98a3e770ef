//! `--flows --format zeek`: the flows as Zeek's conn.log in its TSV form,
//! header lines and all, so `zeek-cut` and other readers of Zeek logs take
//! it as it is. Field names and types are conn.log's
//! (`base/protocols/conn/main.zeek`); ICMP keeps Zeek's convention of type
//! and code (or the reply's type) in the port fields ([`Flow::zeek_ports`]). `#open` and
//! `#close` carry the first and last packet times, as Zeek does when it
//! reads a capture, so the output depends on the input only.

use crate::flow::{Flow, FlowReport};
use crate::output::time::local_offset;
use crate::packet::Timestamp;
use std::io;

/// conn.log's columns, in Zeek's order (the Parquet flows table starts
/// with them too, less [`UNKNOWN`]).
pub const FIELDS: [&str; 21] = [
    "ts",
    "uid",
    "id.orig_h",
    "id.orig_p",
    "id.resp_h",
    "id.resp_p",
    "proto",
    "service",
    "duration",
    "orig_bytes",
    "resp_bytes",
    "conn_state",
    "local_orig",
    "local_resp",
    "missed_bytes",
    "history",
    "orig_pkts",
    "orig_ip_bytes",
    "resp_pkts",
    "resp_ip_bytes",
    "tunnel_parents",
];

/// The fields we never have a value for (see [`line`]).
pub const UNKNOWN: [&str; 4] = ["local_orig", "local_resp", "missed_bytes", "tunnel_parents"];

/// Their Zeek types, index for index.
const TYPES: [&str; 21] = [
    "time",
    "string",
    "addr",
    "port",
    "addr",
    "port",
    "enum",
    "string",
    "interval",
    "count",
    "count",
    "string",
    "bool",
    "bool",
    "count",
    "string",
    "count",
    "count",
    "count",
    "count",
    "set[string]",
];

/// What Zeek writes for a field that has no value.
const UNSET: &str = "-";

/// Zeek's `time` and `interval`: seconds with six decimals.
fn secs(ns: u64) -> String {
    format!("{}.{:06}", ns / 1_000_000_000, (ns / 1_000) % 1_000_000)
}

/// `#open`/`#close` stamps: local `%Y-%m-%d-%H-%M-%S`, as Zeek writes them.
fn stamp(ts: Timestamp) -> String {
    let secs = ts.secs() as i64 + local_offset(ts.secs());
    crate::output::time::zeek_stamp(secs)
}

/// One conn.log line. `service` is the protocol a dissector recognised in
/// the flow's payload (unset when none did, as in Zeek). Zeek fields we do
/// not know are unset: `local_orig`/`local_resp` (no `Site::local_nets`),
/// `missed_bytes` (gaps are counted as segments, not bytes), and
/// `tunnel_parents` (no tunnel decapsulation).
fn line(f: &Flow) -> String {
    let (orig_p, resp_p) = f.zeek_ports();
    let fields: [String; 21] = [
        secs(f.first.0),
        format!("C{}", f.uid),
        f.orig.ip_text().to_string(),
        orig_p.to_string(),
        f.resp.ip_text().to_string(),
        resp_p.to_string(),
        f.proto.name().to_string(),
        f.service.unwrap_or(UNSET).into(),
        secs(f.duration_ns()),
        f.orig_bytes.to_string(),
        f.resp_bytes.to_string(),
        f.conn_state().name().to_string(),
        UNSET.into(),
        UNSET.into(),
        UNSET.into(),
        match f.history() {
            h if h.is_empty() => "(empty)".to_string(),
            h => h,
        },
        f.orig_pkts.to_string(),
        f.orig_ip_bytes.to_string(),
        f.resp_pkts.to_string(),
        f.resp_ip_bytes.to_string(),
        UNSET.into(),
    ];
    fields.join("\t")
}

/// Write the report as conn.log.
pub fn write_conn_log(w: &mut dyn io::Write, r: &FlowReport) -> io::Result<()> {
    let shown = || r.flows.iter();
    let open = shown().map(|f| f.first).min().unwrap_or_default();
    let close = shown().map(|f| f.last).max().unwrap_or_default();
    writeln!(w, "#separator \\x09")?;
    writeln!(w, "#set_separator\t,")?;
    writeln!(w, "#empty_field\t(empty)")?;
    writeln!(w, "#unset_field\t{UNSET}")?;
    writeln!(w, "#path\tconn")?;
    writeln!(w, "#open\t{}", stamp(open))?;
    writeln!(w, "#fields\t{}", FIELDS.join("\t"))?;
    writeln!(w, "#types\t{}", TYPES.join("\t"))?;
    for f in shown() {
        writeln!(w, "{}", line(f))?;
    }
    writeln!(w, "#close\t{}", stamp(close))
}
