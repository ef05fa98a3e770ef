//! The flow table (`--flows`): one comfy-table row per flow, then a line of
//! totals that says how many flows expired, were evicted or were left out.

use crate::flow::{Flow, FlowReport, Proto};
use crate::output::flow_fmt::{ms, time_of_day};
use comfy_table::{CellAlignment, ContentArrangement, Table, presets};
use std::io;

const HEADER: [&str; 15] = [
    "uid", "proto", "originator", "responder", "start", "dur ms", "pkts o/r", "bytes o/r", "orig state",
    "resp state", "conn", "history", "hs ms", "retr", "dup/0win/ooo",
];

fn row(f: &Flow) -> Vec<String> {
    let tcp = f.proto == Proto::Tcp;
    let c = &f.tcp.counters;
    let dash = || "-".to_string();
    vec![
        format!("C{}", f.uid),
        f.proto.name().to_string(),
        f.orig.to_string(),
        f.resp.to_string(),
        time_of_day(f.first),
        ms(f.duration_ns()),
        format!("{}/{}", f.orig_pkts, f.resp_pkts),
        format!("{}/{}", f.orig_bytes, f.resp_bytes),
        if tcp { f.orig_state().name().to_string() } else { dash() },
        if tcp { f.resp_state().name().to_string() } else { dash() },
        f.conn_state().to_string(),
        f.history(),
        f.tcp.handshake_ns().map(ms).unwrap_or_else(dash),
        if tcp { c.all_retransmissions().to_string() } else { dash() },
        if tcp {
            format!("{}/{}/{}", c.dup_acks, c.zero_windows, c.out_of_order)
        } else {
            dash()
        },
    ]
}

/// Write the flow table and its totals line.
pub fn write_flow_table(w: &mut dyn io::Write, r: &FlowReport) -> io::Result<()> {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .force_no_tty()
        .set_header(HEADER.to_vec());
    for f in &r.flows {
        t.add_row(row(f));
    }
    for i in [5, 6, 7, 12, 13, 14] {
        if let Some(col) = t.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    writeln!(w, "{t}")?;
    let s = &r.stats;
    writeln!(
        w,
        "{} flows, {} packets; {} expired idle, {} evicted (table full), {} not kept in this report; peak {} live",
        s.flows, s.packets, s.expired, s.evicted, s.unreported, s.peak_live
    )
}
