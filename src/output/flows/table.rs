//! The flow table (`--flows`): one comfy-table row per flow, then a line of
//! totals that says how many flows expired, were evicted or were left out.

use crate::flow::{Endpoint, Flow, FlowReport, TcpInfo, TcpState};
use crate::output::flows::fmt::{push_ms, push_time_of_day, push_u64};
use comfy_table::{
    Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets,
};
use std::fmt::Write as _;
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

/// Append the 15 cells of `f`'s row to `buf`, recording where each cell
/// ends in `ends`: one growing buffer instead of 15 `String`s per row.
fn push_row(buf: &mut String, ends: &mut Vec<usize>, f: &Flow) {
    let tcp = f.tcp();
    let mut end = |buf: &mut String| ends.push(buf.len());
    buf.push('C');
    push_u64(buf, f.uid);
    end(buf);
    buf.push_str(f.proto.name());
    end(buf);
    push_endpoint(buf, &f.orig);
    end(buf);
    push_endpoint(buf, &f.resp);
    end(buf);
    push_time_of_day(buf, f.first);
    end(buf);
    push_ms(buf, f.duration_ns());
    end(buf);
    push_pair(buf, f.orig_pkts, f.resp_pkts);
    end(buf);
    push_pair(buf, f.orig_bytes, f.resp_bytes);
    end(buf);
    let [orig_state, resp_state] = tcp.map_or(["-"; 2], |t| t.states().map(TcpState::name));
    buf.push_str(orig_state);
    end(buf);
    buf.push_str(resp_state);
    end(buf);
    buf.push_str(f.conn_state().name());
    end(buf);
    match tcp {
        Some(t) => buf.push_str(t.history.as_str()),
        None => buf.push_str(&f.history()),
    }
    end(buf);
    match tcp.and_then(TcpInfo::handshake_ns) {
        Some(ns) => push_ms(buf, ns),
        None => buf.push('-'),
    }
    end(buf);
    match tcp {
        Some(t) => push_u64(buf, t.counters.all_retransmissions()),
        None => buf.push('-'),
    }
    end(buf);
    match tcp.map(|t| &t.counters) {
        Some(c) => {
            push_pair(buf, c.dup_acks as u64, c.zero_windows as u64);
            buf.push('/');
            push_u64(buf, c.out_of_order as u64);
        }
        None => buf.push('-'),
    }
    end(buf);
}

/// "a/b".
fn push_pair(buf: &mut String, a: u64, b: u64) {
    push_u64(buf, a);
    buf.push('/');
    push_u64(buf, b);
}

/// What `Endpoint`'s `Display` prints, with IPv4 (nearly every row) done by
/// hand rather than through `fmt`.
fn push_endpoint(buf: &mut String, e: &Endpoint) {
    match e.ip() {
        std::net::IpAddr::V4(a) => {
            for (i, o) in a.octets().into_iter().enumerate() {
                if i > 0 {
                    buf.push('.');
                }
                push_u64(buf, o as u64);
            }
            buf.push(':');
            push_u64(buf, e.port as u64);
        }
        std::net::IpAddr::V6(_) => {
            let _ = write!(buf, "{e}");
        }
    }
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
    // Every cell's text goes into one buffer first (`ends[i]` is where cell
    // `i` ends), so the column widths over every row are known before the
    // first slice is rendered, without a `String` per cell.
    let n = HEADER.len();
    let mut widths = HEADER.map(|h| h.chars().count());
    let mut text = String::with_capacity(r.flows.len() * 160);
    let mut ends: Vec<usize> = Vec::with_capacity(r.flows.len() * n);
    for f in &r.flows {
        let mut start = text.len();
        push_row(&mut text, &mut ends, f);
        for (wd, &e) in widths.iter_mut().zip(&ends[ends.len() - n..]) {
            *wd = (*wd).max(text[start..e].chars().count());
            start = e;
        }
    }
    let cell = |i: usize| {
        let start = if i == 0 { 0 } else { ends[i - 1] };
        &text[start..ends[i]]
    };
    let chunk = chunk.max(1);
    let n_rows = r.flows.len();
    let n_chunks = n_rows.div_ceil(chunk).max(1);
    for i in 0..n_chunks {
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .force_no_tty();
        if i == 0 {
            t.set_header(HEADER.to_vec());
        }
        for row in i * chunk..((i + 1) * chunk).min(n_rows) {
            t.add_row((row * n..(row + 1) * n).map(|c| Cell::new(cell(c))));
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
            w.write_all(l.as_bytes())?;
            w.write_all(b"\n")?;
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
    use crate::decode::tcp_flags::TcpFlags;
    use crate::decode::tcp_seq::SeqNumber;
    use crate::flow::{FlowConfig, FlowPacket, FlowTracker, Proto};
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
                seq: SeqNumber(0),
                ack: SeqNumber(0),
                flags: TcpFlags::NONE,
                window: 0,
                wscale: None,
                payload_len: 10 * i as u32,
                ip_len: 28 + 10 * i as u32,
                bad_checksum: false,
                icmp: None,
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
    fn endpoints_print_as_their_display() {
        for (ip, port) in [
            ("0.0.0.0", 0),
            ("10.200.3.45", 65535),
            ("255.255.255.255", 80),
            ("::ffff:10.0.0.1", 1),
            ("2001:db8::1", 443),
        ] {
            let e = Endpoint::new(ip.parse().unwrap(), port);
            let mut s = String::new();
            push_endpoint(&mut s, &e);
            assert_eq!(s, e.to_string());
        }
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
