//! The flow table (`--flows`): one comfy-table row per flow, then a line of
//! totals that says how many flows expired, were evicted or were left out.
//! Every column when there is room (or no limit: piped, `--wide`); on a
//! narrower terminal a compact table of the columns that matter first
//! ([`KEEP_ORDER`]), with light borders.

use crate::decode::flow_view::Proto;
use crate::flow::{Counter, Endpoint, Flow, FlowReport, TcpInfo, TcpState};
use crate::output::flows::fmt::{push_ms, push_time_of_day, push_u64};
use crate::output::flows::view::FlowView;
use crate::output::fmt::count;
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

/// The columns the compact table keeps, most needed first: who talked to
/// whom, how it ended (Zeek's one-word conn_state sums up both sides),
/// how much, how long; then both sides' states (kept or dropped together),
/// the history, and the rest. Columns are kept in this order while they
/// fit; the table prints them in [`HEADER`]'s order.
const KEEP_ORDER: [&[usize]; 13] = [
    &[0],
    &[1],
    &[2],
    &[3],
    &[10],
    &[6],
    &[7],
    &[5],
    &[8, 9],
    &[11],
    &[4],
    &[13],
    &[12],
];

/// Columns printed right-aligned (numbers).
const RIGHT: [usize; 6] = [5, 6, 7, 12, 13, 14];

/// Append the 15 cells of `f`'s row to `buf`, recording where each cell
/// ends in `ends`: one growing buffer instead of 15 `String`s per row.
fn push_row(buf: &mut String, ends: &mut Vec<usize>, f: &Flow) {
    let tcp = f.tcp();
    let mut end = |buf: &mut String| ends.push(buf.len());
    buf.push('C');
    push_u64(buf, f.uid);
    end(buf);
    buf.push_str(f.proto.name());
    if let Some(service) = f.service {
        // Zeek's service beside the transport (`udp/dns`): a column of its
        // own would widen every table for the few flows that have one.
        buf.push('/');
        buf.push_str(service);
    }
    end(buf);
    // ICMP has no ports: `addr:3` would read as one. Zeek's port fields
    // (type, then code or the reply's type) follow the originator's
    // address after a space instead, as `8/0`.
    if f.proto == Proto::Icmp {
        let (kind, other) = f.zeek_ports();
        push_endpoint(buf, &f.orig, false);
        buf.push(' ');
        push_pair(buf, kind.into(), other.into());
        end(buf);
        push_endpoint(buf, &f.resp, false);
    } else {
        push_endpoint(buf, &f.orig, true);
        end(buf);
        push_endpoint(buf, &f.resp, true);
    }
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
            push_pair(
                buf,
                c.get(Counter::DupAcks).into(),
                c.get(Counter::ZeroWindows).into(),
            );
            buf.push('/');
            push_u64(buf, c.get(Counter::OutOfOrder).into());
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

/// What `Endpoint`'s `Display` prints (without the port: the address as
/// tcpdump prints it), with IPv4 (nearly every row) done by hand rather
/// than through `fmt`.
fn push_endpoint(buf: &mut String, e: &Endpoint, port: bool) {
    match e.ip() {
        _ if !port => {
            let _ = write!(buf, "{}", e.ip_text());
        }
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

/// Write the flow table and its totals line, every column (no width limit).
pub fn write_flow_table(w: &mut dyn io::Write, r: &FlowReport) -> io::Result<()> {
    write_chunked(w, r, CHUNK, &FlowView::default(), 1)
}

/// [`write_flow_table`] fitted to `view` (width, glyphs).
pub fn write_flow_table_in(
    w: &mut dyn io::Write,
    r: &FlowReport,
    view: &FlowView,
) -> io::Result<()> {
    write_chunked(w, r, CHUNK, view, 1)
}

/// [`write_flow_table_in`] drawn on `threads` (at most two are used): the
/// same bytes, sooner when the other cores are idle.
pub fn write_flow_table_on(
    w: &mut dyn io::Write,
    r: &FlowReport,
    view: &FlowView,
    threads: usize,
) -> io::Result<()> {
    write_chunked(w, r, CHUNK, view, threads)
}

/// The table's width with every column (`widths` without padding):
/// each column has a space either side and a border on its right, plus
/// the left border.
fn full_width(widths: &[usize]) -> usize {
    widths.iter().map(|w| w + 3).sum::<usize>() + 1
}

/// The compact table's width: no vertical borders, two spaces between
/// columns, none outside.
fn compact_width(widths: &[usize], cols: &[usize]) -> usize {
    cols.iter()
        .filter_map(|&c| widths.get(c))
        .map(|w| w + 2)
        .sum::<usize>()
        .saturating_sub(2)
}

/// The columns of the compact table for `width`: [`KEEP_ORDER`] while
/// they fit (at least the first), in the table's order.
fn compact_columns(widths: &[usize], width: usize) -> Vec<usize> {
    let mut cols: Vec<usize> = Vec::new();
    for group in KEEP_ORDER {
        let mut with: Vec<usize> = cols.iter().chain(group.iter()).copied().collect();
        with.sort_unstable();
        if !cols.is_empty() && compact_width(widths, &with) > width {
            break;
        }
        cols = with;
    }
    cols
}

/// Reports with fewer flows than this are drawn on one thread: starting
/// a second one costs more than their rows.
const SPLIT_MIN: usize = 2048;

/// The cells of a run of consecutive rows: every cell's text in one
/// buffer (`ends[i]` is where cell `i` ends), so the column widths over
/// every row are known before the first line is drawn, without a
/// `String` per cell.
struct Part {
    text: String,
    ends: Vec<usize>,
}

impl Part {
    /// The rows of `flows`, widening `widths` to their widest cells.
    fn of(flows: &[Flow], widths: &mut [usize; 15]) -> Part {
        let n = HEADER.len();
        let mut text = String::with_capacity(flows.len() * 160);
        let mut ends: Vec<usize> = Vec::with_capacity(flows.len() * n);
        for f in flows {
            let mut start = text.len();
            push_row(&mut text, &mut ends, f);
            // A cell's width is its length when the row is ASCII (nearly
            // always): counting each cell's characters cost an eighth of the
            // table on a 12,500-flow report.
            let ascii = text[start..].is_ascii();
            for (wd, &e) in widths.iter_mut().zip(&ends[ends.len() - n..]) {
                let cell = &text[start..e];
                *wd = (*wd).max(if ascii {
                    cell.len()
                } else {
                    cell.chars().count()
                });
                start = e;
            }
        }
        Part { text, ends }
    }

    fn rows(&self) -> usize {
        self.ends.len() / HEADER.len()
    }

    /// Cell `i` of this part (row `i / 15`, column `i % 15`).
    fn cell(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

/// Cell `i` of the table whose rows are `parts` one after the other.
fn cell_of(parts: &[Part], mut i: usize) -> &str {
    for p in parts {
        match p.ends.len() {
            len if i < len => return p.cell(i),
            len => i -= len,
        }
    }
    ""
}

/// Every cell's text and the column widths; with `threads` of two or
/// more and a big report, the second half of the rows on a second thread
/// (the table is drawn after the workers of `--threads` end, on one core
/// while the other idles).
fn cells(r: &FlowReport, threads: usize) -> (Vec<Part>, [usize; 15]) {
    let header = HEADER.map(|h| h.chars().count());
    let flows = &r.flows[..];
    let mut widths = header;
    if threads < 2 || flows.len() < SPLIT_MIN {
        return (vec![Part::of(flows, &mut widths)], widths);
    }
    let (first, second) = flows.split_at(flows.len() / 2);
    let (one, other) = std::thread::scope(|s| {
        let other = std::thread::Builder::new().spawn_scoped(s, move || {
            let mut widths = header;
            (Part::of(second, &mut widths), widths)
        });
        let one = Part::of(first, &mut widths);
        (one, other.ok().and_then(|h| h.join().ok()))
    });
    // A thread that did not start or finish: its rows again on this one.
    let (two, theirs) = other.unwrap_or_else(|| {
        let mut widths = header;
        (Part::of(second, &mut widths), widths)
    });
    for (w, t) in widths.iter_mut().zip(theirs) {
        *w = (*w).max(t);
    }
    (vec![one, two], widths)
}

fn write_chunked(
    w: &mut dyn io::Write,
    r: &FlowReport,
    chunk: usize,
    view: &FlowView,
    threads: usize,
) -> io::Result<()> {
    let n = HEADER.len();
    let (parts, widths) = cells(r, threads);
    let cell = |i: usize| cell_of(&parts, i);
    // Every column when they fit; else the compact set, light borders.
    let compact = view.width.filter(|&wd| full_width(&widths) > wd);
    let cols: Vec<usize> = match compact {
        Some(wd) => compact_columns(&widths, wd),
        None => (0..n).collect(),
    };
    let n_rows = parts.iter().map(Part::rows).sum();
    if let Some(wd) = compact {
        let rule = if view.ascii { '-' } else { '─' };
        write_compact(w, &cols, &widths, rule, n_rows, cell)?;
        let hidden = n - cols.len();
        view.write_wrapped(
            w,
            0,
            &format!(
                "({} hidden to fit {wd} columns: --wide shows every column)",
                count(hidden as u64, "column")
            ),
        )?;
    }
    let ascii = parts.iter().all(|p| p.text.is_ascii());
    if compact.is_none() && ascii {
        write_full(w, &cols, &widths, view.ascii, &parts)?;
    } else if compact.is_none() {
        write_comfy(w, &cols, &widths, view.ascii, chunk, n_rows, cell)?;
    }
    write_totals(w, r, view)
}

/// The full table drawn directly, as comfy-table draws it with the
/// condensed presets and fixed widths (`the_direct_table_is_comfy_tables`
/// checks it): comfy-table builds a `String` per cell and per line, which
/// cost a quarter of `read --flows` on a 12,500-flow report. Only for
/// ASCII cells, whose width is their length.
fn write_full<'a>(
    w: &mut dyn io::Write,
    cols: &[usize],
    widths: &[usize],
    ascii: bool,
    parts: &'a [Part],
) -> io::Result<()> {
    // (left, horizontal, intersection, right) of each rule, and the
    // content lines' (left, inner, right).
    let (top, head_rule, bottom, (open, between, close)) = if ascii {
        (
            ['+', '-', '+', '+'],
            ['+', '=', '=', '+'],
            ['+', '-', '+', '+'],
            ("| ", " | ", " |\n"),
        )
    } else {
        (
            ['┌', '─', '┬', '┐'],
            ['╞', '═', '╪', '╡'],
            ['└', '─', '┴', '┘'],
            ("│ ", " ┆ ", " │\n"),
        )
    };
    let width = |c: usize| widths.get(c).copied().unwrap_or(0);
    let mut out: Vec<u8> = Vec::with_capacity(1 << 17);
    let rule = |out: &mut Vec<u8>, [l, h, x, r]: [char; 4]| {
        let mut line = String::new();
        line.push(l);
        for (i, &c) in cols.iter().enumerate() {
            if i > 0 {
                line.push(x);
            }
            line.extend(std::iter::repeat_n(h, width(c) + 2));
        }
        line.push(r);
        line.push('\n');
        out.extend_from_slice(line.as_bytes());
    };
    // A row's blank: its borders and each cell's room in spaces. A row is
    // the blank copied whole, then each cell's text copied into its room
    // (one copy a cell; the separator, the text and the padding each
    // copied apart were three, and two thirds of the drawing). No text is
    // longer than its room: the widths are the widest texts'.
    let mut blank = Vec::new();
    let mut room = Vec::with_capacity(cols.len());
    blank.extend_from_slice(open.as_bytes());
    for (i, &c) in cols.iter().enumerate() {
        if i > 0 {
            blank.extend_from_slice(between.as_bytes());
        }
        room.push((c, blank.len(), width(c), RIGHT.contains(&c)));
        blank.resize(blank.len() + width(c), b' ');
    }
    blank.extend_from_slice(close.as_bytes());
    let row = |out: &mut Vec<u8>, text: &dyn Fn(usize) -> &'a str| {
        let at = out.len();
        out.extend_from_slice(&blank);
        for &(c, start, wd, right) in &room {
            let t = text(c).as_bytes();
            let from = at + start + if right { wd.saturating_sub(t.len()) } else { 0 };
            if let Some(dst) = out.get_mut(from..from + t.len()) {
                dst.copy_from_slice(t);
            }
        }
    };
    rule(&mut out, top);
    row(&mut out, &|c| HEADER.get(c).copied().unwrap_or(""));
    rule(&mut out, head_rule);
    let n = HEADER.len();
    // A part's rows into `out`, written to `w` as it fills when there is one.
    let draw = |part: &'a Part, out: &mut Vec<u8>, mut w: Option<&mut dyn io::Write>| {
        for r in 0..part.rows() {
            row(out, &|c| part.cell(r * n + c));
            if let Some(w) = w.as_deref_mut()
                && out.len() >= 1 << 16
            {
                w.write_all(out)?;
                out.clear();
            }
        }
        io::Result::Ok(())
    };
    let Some((first, later)) = parts.split_first() else {
        return Ok(());
    };
    // The later parts drawn on their own threads into their own buffers
    // while this one draws the first; written after it, in order.
    let drawn: Vec<Option<Vec<u8>>> = std::thread::scope(|s| {
        let others: Vec<_> = later
            .iter()
            .map(|part| {
                std::thread::Builder::new().spawn_scoped(s, move || {
                    let mut buf = Vec::with_capacity(part.text.len() + part.rows() * 64);
                    draw(part, &mut buf, None).map(|()| buf)
                })
            })
            .collect();
        let mine = draw(first, &mut out, Some(&mut *w));
        let drawn = others
            .into_iter()
            .map(|h| h.ok()?.join().ok()?.ok())
            .collect();
        mine.map(|()| drawn)
    })?;
    for (part, buf) in later.iter().zip(drawn) {
        match buf {
            Some(buf) => {
                w.write_all(&out)?;
                out.clear();
                w.write_all(&buf)?;
            }
            // A thread that did not start or finish: its rows again here.
            None => draw(part, &mut out, Some(&mut *w))?,
        }
    }
    rule(&mut out, bottom);
    w.write_all(&out)
}

/// The full table through comfy-table, in slices of `chunk` rows that
/// share fixed column widths (see [`CHUNK`]): for cells that are not all
/// ASCII, whose display width comfy-table measures.
#[allow(clippy::too_many_arguments)]
fn write_comfy<'a>(
    w: &mut dyn io::Write,
    cols: &[usize],
    widths: &[usize],
    ascii: bool,
    chunk: usize,
    n_rows: usize,
    cell: impl Fn(usize) -> &'a str,
) -> io::Result<()> {
    let n = HEADER.len();
    let style = if ascii {
        presets::ASCII_FULL_CONDENSED
    } else {
        presets::UTF8_FULL_CONDENSED
    };
    let chunk = chunk.max(1);
    let n_chunks = n_rows.div_ceil(chunk).max(1);
    for i in 0..n_chunks {
        let mut t = Table::new();
        t.load_style(style)
            .set_content_arrangement(ContentArrangement::Disabled)
            .force_no_tty();
        if i == 0 {
            t.set_header(cols.iter().filter_map(|&c| HEADER.get(c).copied()));
        }
        for row in i * chunk..((i + 1) * chunk).min(n_rows) {
            t.add_row(cols.iter().map(|c| Cell::new(cell(row * n + c))));
        }
        for (idx, &c) in cols.iter().enumerate() {
            let wd = widths.get(c).copied().unwrap_or(0);
            if let Some(col) = t.column_mut(idx) {
                col.set_constraint(ColumnConstraint::Absolute(Width::Fixed(
                    (wd as u16).saturating_add(2),
                )));
                if RIGHT.contains(&c) {
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
    Ok(())
}

/// The line of totals under the table.
fn write_totals(w: &mut dyn io::Write, r: &FlowReport, view: &FlowView) -> io::Result<()> {
    let s = &r.stats;
    view.write_wrapped(
        w,
        0,
        &format!(
            "{}, {}; {} expired idle, {} evicted (table full), {} not kept in this report; peak {} live",
            count(s.flows, "flow"),
            count(s.packets, "packet"),
            s.expired,
            s.evicted,
            s.unreported,
            s.peak_live
        ),
    )
}

/// `v` as an RFC 4180 field: quoted when it holds a comma, a quote or a
/// line break, its quotes doubled.
fn push_csv_field(line: &mut String, v: &str) {
    if v.contains([',', '"', '\r', '\n']) {
        line.push('"');
        line.push_str(&v.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(v);
    }
}

/// The compact table: the header, a rule under each column, the rows;
/// columns two spaces apart, numbers right-aligned, no vertical lines
/// (each would cost a column) and no trailing spaces.
fn write_compact<'a>(
    w: &mut dyn io::Write,
    cols: &[usize],
    widths: &[usize],
    rule: char,
    n_rows: usize,
    cell: impl Fn(usize) -> &'a str,
) -> io::Result<()> {
    let n = HEADER.len();
    let mut line = String::new();
    let mut put = |w: &mut dyn io::Write, texts: &mut dyn Iterator<Item = (usize, String)>| {
        line.clear();
        for (i, (c, text)) in texts.enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let wd = widths.get(c).copied().unwrap_or(0);
            let pad = wd.saturating_sub(text.chars().count());
            if RIGHT.contains(&c) {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(&text);
            } else {
                line.push_str(&text);
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        writeln!(w, "{}", line.trim_end())
    };
    let header = |c: usize| HEADER.get(c).copied().unwrap_or("").to_string();
    put(w, &mut cols.iter().map(|&c| (c, header(c))))?;
    let under = |c: usize| {
        let wd = widths.get(c).copied().unwrap_or(0);
        std::iter::repeat_n(rule, wd).collect::<String>()
    };
    put(w, &mut cols.iter().map(|&c| (c, under(c))))?;
    for row in 0..n_rows {
        put(
            w,
            &mut cols.iter().map(|&c| (c, cell(row * n + c).to_string())),
        )?;
    }
    Ok(())
}

/// The table as tab- or comma-separated values: a header row of field
/// names, then one row per flow with machine-friendly fields (each pair
/// split in two, times in seconds since the epoch). CSV is quoted as RFC
/// 4180 says (fields with a comma, quote or line break; CRLF line ends).
pub fn write_flows_separated(w: &mut dyn io::Write, r: &FlowReport, csv: bool) -> io::Result<()> {
    const FIELDS: [&str; 21] = [
        "uid",
        "proto",
        "orig_h",
        "orig_p",
        "resp_h",
        "resp_p",
        "ts",
        "duration_ms",
        "orig_pkts",
        "resp_pkts",
        "orig_bytes",
        "resp_bytes",
        "orig_state",
        "resp_state",
        "conn_state",
        "history",
        "handshake_ms",
        "retransmissions",
        "dup_acks",
        "zero_windows",
        "out_of_order",
    ];
    let (sep, eol) = if csv { (",", "\r\n") } else { ("\t", "\n") };
    let mut line = FIELDS.join(sep);
    line.push_str(eol);
    w.write_all(line.as_bytes())?;
    for f in r.flows.iter() {
        let tcp = f.tcp();
        let [os, rs] = tcp.map_or(["-"; 2], |t| t.states().map(TcpState::name));
        let c = tcp.map(|t| t.counters);
        let opt = |v: Option<u64>| v.map_or_else(|| "-".to_string(), |v| v.to_string());
        let (orig_p, resp_p) = f.zeek_ports();
        let fields = [
            format!("C{}", f.uid),
            f.proto.name().to_string(),
            f.orig.ip_text().to_string(),
            orig_p.to_string(),
            f.resp.ip_text().to_string(),
            resp_p.to_string(),
            format!("{}.{:06}", f.first.secs(), f.first.subsec_nanos() / 1000),
            crate::output::flows::fmt::ms(f.duration_ns()),
            f.orig_pkts.to_string(),
            f.resp_pkts.to_string(),
            f.orig_bytes.to_string(),
            f.resp_bytes.to_string(),
            os.to_string(),
            rs.to_string(),
            f.conn_state().name().to_string(),
            f.history(),
            tcp.and_then(TcpInfo::handshake_ns)
                .map_or_else(|| "-".to_string(), crate::output::flows::fmt::ms),
            opt(c.map(|c| c.all_retransmissions())),
            opt(c.map(|c| c.get(Counter::DupAcks).into())),
            opt(c.map(|c| c.get(Counter::ZeroWindows).into())),
            opt(c.map(|c| c.get(Counter::OutOfOrder).into())),
        ];
        line.clear();
        for (i, v) in fields.iter().enumerate() {
            if i > 0 {
                line.push_str(sep);
            }
            if csv {
                push_csv_field(&mut line, v);
            } else {
                line.push_str(v);
            }
        }
        line.push_str(eol);
        w.write_all(line.as_bytes())?;
    }
    Ok(())
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
                sport: 1000u16.wrapping_add(i.wrapping_mul(37)),
                dport: 53,
                seq: SeqNumber(0),
                ack: SeqNumber(0),
                flags: TcpFlags::NONE,
                window: 0,
                wscale: None,
                payload_len: 10 * i as u32,
                ip_len: 28 + 10 * i as u32,
                bad_checksum: false,
                service: None,
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
        write_chunked(&mut one, &r, 100, &FlowView::default(), 1).unwrap();
        write_chunked(&mut sliced, &r, 2, &FlowView::default(), 1).unwrap();
        let one = String::from_utf8(one).unwrap();
        assert_eq!(one, String::from_utf8(sliced).unwrap());
        // header + 7 rows + 3 border lines + totals
        assert_eq!(one.lines().count(), 12, "{one}");
        assert!(one.contains("C7") && one.contains("udp"));
    }

    /// Drawn on two threads, a big table is the one-thread table byte for
    /// byte: each layout (full, compact, ASCII), the later rows' wider
    /// cells (uids, byte counts) widening the earlier rows' columns.
    #[test]
    fn a_table_drawn_on_two_threads_is_the_same_table() {
        let r = report(3001);
        assert!(r.flows.len() >= SPLIT_MIN);
        let (parts, _) = cells(&r, 2);
        assert_eq!(
            parts.iter().map(Part::rows).collect::<Vec<_>>(),
            [1500, 1501]
        );
        let views = [
            FlowView::default(),
            FlowView {
                ascii: true,
                ..FlowView::default()
            },
            FlowView {
                width: Some(80),
                ..FlowView::default()
            },
        ];
        for view in views {
            let (mut one, mut two) = (Vec::new(), Vec::new());
            write_flow_table_in(&mut one, &r, &view).unwrap();
            write_flow_table_on(&mut two, &r, &view, 2).unwrap();
            let one = String::from_utf8(one).unwrap();
            assert!(one.lines().count() >= r.flows.len() + 4, "{view:?}");
            assert!(one == String::from_utf8(two).unwrap(), "{view:?}");
        }
    }

    /// TCP both ways (v4 and v6), UDP, and an ICMP echo: every kind of row.
    fn mixed_report() -> FlowReport {
        let mut t = FlowTracker::new(FlowConfig::default());
        let (syn, ack) = (TcpFlags::SYN, TcpFlags::ACK);
        for (i, (a, b)) in [("10.0.0.1", "10.0.0.2"), ("2001:db8::1", "2001:db8::ff")]
            .into_iter()
            .enumerate()
        {
            for (k, (fwd, flags, len)) in [
                (true, syn, 0),
                (false, syn | ack, 0),
                (true, ack, 0),
                (true, ack, 1448),
                (false, ack, 0),
            ]
            .into_iter()
            .enumerate()
            {
                let (src, dst, sport, dport) = if fwd {
                    (a, b, 40000 + i as u16, 443)
                } else {
                    (b, a, 443, 40000 + i as u16)
                };
                t.observe(&FlowPacket {
                    ts: Timestamp(1_000_000 * k as u64 + 7),
                    src: src.parse().unwrap(),
                    dst: dst.parse().unwrap(),
                    proto: Proto::Tcp,
                    sport,
                    dport,
                    seq: SeqNumber(if fwd { 100 } else { 900 }),
                    ack: SeqNumber(if fwd { 901 } else { 101 }),
                    flags,
                    window: 500,
                    wscale: None,
                    payload_len: len,
                    ip_len: 40 + len,
                    bad_checksum: false,
                    service: None,
                    icmp: None,
                });
            }
        }
        let mut r = t.finish();
        r.flows.extend(report(12).flows);
        r
    }

    #[test]
    fn the_direct_table_is_comfy_tables() {
        for r in [mixed_report(), report(1), report(0)] {
            let (parts, widths) = cells(&r, 1);
            let cell = |i: usize| cell_of(&parts, i);
            let n_rows = parts.iter().map(Part::rows).sum();
            let cols: Vec<usize> = (0..HEADER.len()).collect();
            for ascii in [false, true] {
                let (mut direct, mut comfy) = (Vec::new(), Vec::new());
                write_full(&mut direct, &cols, &widths, ascii, &parts).unwrap();
                write_comfy(&mut comfy, &cols, &widths, ascii, 3, n_rows, cell).unwrap();
                let direct = String::from_utf8(direct).unwrap();
                assert_eq!(direct, String::from_utf8(comfy).unwrap());
                assert_eq!(direct.lines().count(), n_rows + 4);
            }
        }
    }

    #[test]
    fn endpoints_print_as_their_display() {
        for (ip, port) in [
            ("0.0.0.0", 0),
            ("10.200.3.45", 65535),
            ("255.255.255.255", 80),
            ("::ffff:10.0.0.1", 1),
            ("2001:db8::1", 443),
            ("::1.2.3.4", 53),
            ("::ffff:1.2.3.4", 53),
        ] {
            let e = Endpoint::new(ip.parse().unwrap(), port);
            let mut s = String::new();
            push_endpoint(&mut s, &e, true);
            assert_eq!(s, e.to_string());
            s.clear();
            push_endpoint(&mut s, &e, false);
            assert_eq!(s, ip);
        }
    }

    #[test]
    fn csv_fields_are_quoted_as_rfc_4180_says() {
        for (v, want) in [
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("", ""),
        ] {
            let mut s = String::new();
            push_csv_field(&mut s, v);
            assert_eq!(s, want);
        }
    }

    #[test]
    fn the_compact_table_keeps_the_first_columns_that_fit() {
        let r = report(3);
        for width in [40, 60, 80, 100, 120, 160] {
            let view = FlowView {
                width: Some(width),
                ..FlowView::default()
            };
            let mut out = Vec::new();
            write_chunked(&mut out, &r, CHUNK, &view, 1).unwrap();
            let s = String::from_utf8(out).unwrap();
            let header = s.lines().next().unwrap_or("");
            // At least uid, proto and the endpoints, even if they overflow.
            for col in ["uid", "proto"] {
                assert!(header.contains(col), "{width}: {s}");
            }
            if width >= 80 {
                for col in ["originator", "responder", "conn", "pkts o/r", "bytes o/r"] {
                    assert!(header.contains(col), "{width}: {s}");
                }
                for l in s.lines() {
                    assert!(l.chars().count() <= width, "{width}: {l:?}\n{s}");
                }
            }
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
