//! The flow table (`--flows`): one comfy-table row per flow, then a line of
//! totals that says how many flows expired, were evicted or were left out.

use crate::flow::{Flow, FlowReport, Proto};
use crate::output::flow_fmt::{ms, time_of_day};
use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets};
use std::io;

const HEADER: [&str; 15] = [
    "uid",
    "proto",
    "originator",
    "responder",
    "start",
    "dur ms",
    "pkts o/r",
    "bytes o/r",
    "orig state",
    "resp state",
    "conn",
    "history",
    "hs ms",
    "retr",
    "dup/0win/ooo",
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
        if tcp {
            f.orig_state().name().to_string()
        } else {
            dash()
        },
        if tcp {
            f.resp_state().name().to_string()
        } else {
            dash()
        },
        f.conn_state().to_string(),
        f.history(),
        f.tcp.handshake_ns().map(ms).unwrap_or_else(dash),
        if tcp {
            c.all_retransmissions().to_string()
        } else {
            dash()
        },
        if tcp {
            format!("{}/{}/{}", c.dup_acks, c.zero_windows, c.out_of_order)
        } else {
            dash()
        },
    ]
}

/// Rows per comfy-table: big reports are rendered in slices that share
/// fixed column widths, so memory and page faults stay bounded by the slice,
/// not by the number of flows (a table of 100k rows is 200k+ cell allocations).
const CHUNK: usize = 1024;

/// Write the flow table and its totals line.
pub fn write_flow_table(w: &mut dyn io::Write, r: &FlowReport) -> io::Result<()> {
    write_chunked(w, r, CHUNK)
}

fn write_chunked(w: &mut dyn io::Write, r: &FlowReport, chunk: usize) -> io::Result<()> {
    // Column widths over every row, so each slice lines up with the others.
    let mut widths = HEADER.map(|h| h.chars().count());
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(r.flows.len());
    for f in &r.flows {
        let cells = row(f);
        for (wd, c) in widths.iter_mut().zip(&cells) {
            *wd = (*wd).max(c.chars().count());
        }
        rows.push(cells);
    }
    let chunk = chunk.max(1);
    let n_chunks = rows.len().div_ceil(chunk).max(1);
    let mut rows = rows.into_iter();
    for i in 0..n_chunks {
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .force_no_tty();
        if i == 0 {
            t.set_header(HEADER.to_vec());
        }
        for cells in rows.by_ref().take(chunk) {
            t.add_row(cells);
        }
        if t.row_count() == 0 && i == 0 {
            // An empty report still shows its header.
            t.set_header(HEADER.to_vec());
        }
        for (idx, wd) in widths.iter().enumerate() {
            if let Some(col) = t.column_mut(idx) {
                col.set_constraint(ColumnConstraint::Absolute(Width::Fixed((*wd + 2) as u16)));
                if [5, 6, 7, 12, 13, 14].contains(&idx) {
                    col.set_cell_alignment(CellAlignment::Right);
                }
            }
        }
        // Slices after the first drop their top border; all but the last
        // drop their bottom border: together they print as one table.
        let lines: Vec<String> = t.lines().collect();
        let start = if i == 0 { 0 } else { 1 };
        let end = if i + 1 == n_chunks {
            lines.len()
        } else {
            lines.len().saturating_sub(1)
        };
        for l in lines.get(start..end).unwrap_or(&[]) {
            writeln!(w, "{l}")?;
        }
    }
    let s = &r.stats;
    writeln!(
        w,
        "{} flows, {} packets; {} expired idle, {} evicted (table full), {} not kept in this report; peak {} live",
        s.flows, s.packets, s.expired, s.evicted, s.unreported, s.peak_live
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::{FlowConfig, FlowPacket, FlowTracker};
    use crate::packet::Timestamp;

    fn report(n: u16) -> FlowReport {
        let mut t = FlowTracker::new(FlowConfig::default());
        for i in 0..n {
            let p = FlowPacket {
                ts: Timestamp(1_000_000_000 * i as u64),
                src: "10.0.0.1".parse().unwrap(),
                dst: "10.0.0.2".parse().unwrap(),
                proto: Proto::Udp,
                sport: 1000 + i * 37,
                dport: 53,
                seq: 0,
                ack: 0,
                flags: 0,
                window: 0,
                wscale: None,
                payload_len: 10 * i as u32,
                ip_len: 28 + 10 * i as u32,
                bad_checksum: false,
            };
            t.observe(&p);
        }
        t.finish()
    }

    #[test]
    fn slices_print_exactly_like_one_table() {
        let r = report(7);
        let (mut one, mut sliced) = (Vec::new(), Vec::new());
        write_chunked(&mut one, &r, 100).unwrap();
        write_chunked(&mut sliced, &r, 2).unwrap();
        let one = String::from_utf8(one).unwrap();
        assert_eq!(one, String::from_utf8(sliced).unwrap());
        // header + 7 rows + 3 border lines + totals
        assert_eq!(one.lines().count(), 12, "{one}");
        assert!(one.contains("C7") && one.contains("udp"));
    }

    #[test]
    fn empty_report_prints_header_and_totals() {
        let mut out = Vec::new();
        write_flow_table(&mut out, &report(0)).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.contains("conn") && s.contains("0 flows, 0 packets"),
            "{s}"
        );
    }
}
