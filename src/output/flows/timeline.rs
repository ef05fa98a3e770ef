//! `--timeline`: a ladder per TCP flow. One line per segment with the time
//! since the flow's first packet, the segment (flags, relative seq/ack,
//! length, scaled window), its direction, and both sides' RFC 793 states after it;
//! then a closing line with the handshake times, who went through TIME_WAIT
//! and how the flow ended (Zeek's conn_state). Under the first row where a
//! state appears, a legend line says what that state means ([`write_legend`]).
//!
//! Long runs of plain data segments that change no state collapse into one
//! summary row unless `-v`. With no width limit the rows keep their fixed
//! columns; on a narrower terminal the columns shrink to their content and
//! long segment text and notes wrap. `--json` prints the same events as one
//! JSON object per flow ([`write_timelines_json`]).

use crate::decode::tcp_flags::TcpFlags;
use crate::decode::tcp_seq::SeqNumber;
use crate::flow::tcp::analysis::bits;
use crate::flow::{ConnState, Event, Flow, FlowReport, TcpInfo, TcpState};
use crate::output::flows::fmt::{counter_summary, ms, ms_f64};
use crate::output::flows::view::{FlowView, wrap};
use crate::output::fmt::count;
use crate::packet::Timestamp;
use serde::Serialize;
use std::fmt::Write as _;
use std::io;

const SEG_WIDTH: usize = 44;
const STATE_WIDTH: usize = 12;

/// Where the legend's lines start: under the segment column.
const LEGEND_INDENT: usize = 18;

/// A run of at least this many plain data segments (no SYN, FIN or RST,
/// no analysis mark, both states unchanged) is collapsed unless `-v`...
const COLLAPSE_MIN: usize = 10;
/// ... keeping this many rows at either end, so the pattern shows.
const COLLAPSE_KEEP: usize = 2;

/// The widest state name (ESTABLISHED), for the narrow layout.
const STATE_NARROW: usize = 11;

/// One row of a timeline: a segment, or a collapsed run of them.
enum Row<'a> {
    Seg(&'a Event),
    Run(Run),
}

/// What a collapsed run of segments carried, per direction (0: from the
/// client).
struct Run {
    first: Timestamp,
    last: Timestamp,
    segs: [u64; 2],
    bytes: [u64; 2],
}

/// A segment that may be collapsed: plain data or ACK, nothing flagged,
/// and the states as the previous segment left them.
fn plain(e: &Event, prev: Option<&Event>) -> bool {
    let control = TcpFlags::SYN | TcpFlags::FIN | TcpFlags::RST;
    !e.flags.intersects(control)
        && e.analysis.marks().next().is_none()
        && prev.is_some_and(|p| p.states == e.states)
}

/// The rows of `f`'s timeline: every event, or with `all` off, each run of
/// [`COLLAPSE_MIN`] or more plain segments cut to its ends and a summary.
fn rows(f: &Flow, all: bool) -> Vec<Row<'_>> {
    let ev = &f.events;
    let mut out = Vec::with_capacity(ev.len());
    // Plain segments, walked in runs: `start` is where the current run began.
    let mut start = 0;
    let mut prev: Option<&Event> = None;
    for (i, e) in ev.iter().enumerate() {
        if !plain(e, prev) {
            push_run(&mut out, ev.get(start..i).unwrap_or(&[]), all);
            out.push(Row::Seg(e));
            start = i + 1;
        }
        prev = Some(e);
    }
    push_run(&mut out, ev.get(start..).unwrap_or(&[]), all);
    out
}

/// A run of plain segments as rows: all of them, or when it is long (and
/// not `all`), its ends around one summary row.
fn push_run<'a>(out: &mut Vec<Row<'a>>, run: &'a [Event], all: bool) {
    let cut = run.len().saturating_sub(COLLAPSE_KEEP);
    match (
        run.get(..COLLAPSE_KEEP),
        run.get(COLLAPSE_KEEP..cut),
        run.get(cut..),
    ) {
        (Some(head), Some(mid), Some(tail)) if !all && run.len() >= COLLAPSE_MIN => {
            out.extend(head.iter().map(Row::Seg));
            let (Some(first), Some(last)) = (mid.first(), mid.last()) else {
                return;
            };
            let mut sum = Run {
                first: first.ts,
                last: last.ts,
                segs: [0; 2],
                bytes: [0; 2],
            };
            for e in mid {
                let d = usize::from(!e.from_orig);
                if let (Some(s), Some(b)) = (sum.segs.get_mut(d), sum.bytes.get_mut(d)) {
                    *s += 1;
                    *b += e.len as u64;
                }
            }
            out.push(Row::Run(sum));
            out.extend(tail.iter().map(Row::Seg));
        }
        _ => out.extend(run.iter().map(Row::Seg)),
    }
}

/// Bytes for people: "512 B", "1.2 kB", "3.4 MB" (decimal units).
fn human_bytes(n: u64) -> String {
    match n {
        0..1_000 => format!("{n} B"),
        1_000..1_000_000 => format!("{:.1} kB", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        _ => format!("{:.1} GB", n as f64 / 1e9),
    }
}

/// The summary row of a collapsed run.
fn run_text(f: &Flow, run: &Run) -> String {
    let rel = |t: Timestamp| ms(t.0.saturating_sub(f.first.0));
    let ([to_server, to_client], [up, down]) = (run.segs, run.bytes);
    format!(
        "… {} from +{} to +{} ms, states unchanged: {} ──▶ with {}, {} ◀── with {} (-v shows them)",
        count(to_server + to_client, "segment"),
        rel(run.first),
        rel(run.last),
        to_server,
        human_bytes(up),
        to_client,
        human_bytes(down),
    )
}

fn segment_text(t: &TcpInfo, e: &Event) -> String {
    let (tx, rx) = if e.from_orig { (0, 1) } else { (1, 0) };
    let rel =
        |raw: SeqNumber, side: usize| raw.distance_from(t.sides[side].base_seq.unwrap_or(raw));
    let mut s = e.flags.names().to_string();
    let has = |b: TcpFlags| e.flags.contains(b);
    let keep_alive = e.analysis.has(bits::KEEP_ALIVE);
    let control = TcpFlags::SYN | TcpFlags::FIN | TcpFlags::RST;
    if e.flags.intersects(control) || e.len > 0 || keep_alive {
        let _ = write!(s, " seq={}", rel(e.seq, tx));
    }
    if has(TcpFlags::ACK) {
        let _ = write!(s, " ack={}", rel(e.ack, rx));
    }
    if e.len > 0 {
        let _ = write!(s, " len={}", e.len);
    }
    // The window as the receiver applies it: scaled by the sender's window
    // scale once both SYNs carried the option (never in a SYN segment).
    let scale = t.sides[tx].seq.win_scale;
    let win = if scale > 0 && !has(TcpFlags::SYN) {
        (e.window as u32) << scale
    } else {
        e.window as u32
    };
    let _ = write!(s, " win={win}");
    s
}

fn closing_line(f: &Flow, t: &TcpInfo) -> String {
    let mut parts: Vec<String> = Vec::new();
    match (t.handshake_ns(), t.syn_synack_ns(), t.synack_ack_ns()) {
        (Some(all), Some(a), Some(b)) => parts.push(format!(
            "handshake {} ms (SYN→SYN/ACK {}, SYN/ACK→ACK {})",
            ms(all),
            ms(a),
            ms(b)
        )),
        (_, Some(a), None) => parts.push(format!("SYN→SYN/ACK {} ms, no final ACK seen", ms(a))),
        _ if f.mid_stream => parts.push("no handshake: picked up mid-stream".to_string()),
        _ if f.conn_state() == ConnState::REJ => {
            parts.push("no handshake: SYN answered by RST".to_string())
        }
        _ if t.syn_ts.is_some() => parts.push("no handshake: SYN not answered".to_string()),
        _ => parts.push("no handshake".to_string()),
    }
    if t.orig().syns > 0 && t.resp().syns > 0 {
        parts.push("simultaneous open (both sent SYN)".to_string());
    }
    let syns = t.orig().syns;
    if syns > 1 {
        parts.push(format!("client sent SYN {syns} times"));
    }
    let [o, r] = &t.sides;
    match (o.machine.entered_time_wait, r.machine.entered_time_wait) {
        (true, true) => parts.push("both sides entered TIME_WAIT".into()),
        (true, false) => parts.push("client entered TIME_WAIT".into()),
        (false, true) => parts.push("server entered TIME_WAIT".into()),
        _ => {}
    }
    let st = f.conn_state();
    parts.push(format!("{st}: {}", st.description()));
    let c = counter_summary(&t.counters);
    if !c.is_empty() {
        parts.push(c);
    }
    parts.join(" · ")
}

/// The legend lines due under a row whose sides are in `states`: one per
/// state not `explained` yet (in [`TcpState::LEGEND_ORDER`]), with its
/// meaning. `explained` spans every timeline of the report, so each state is
/// explained once, where it first appears.
pub fn write_legend(
    w: &mut dyn io::Write,
    states: [TcpState; 2],
    explained: &mut Vec<TcpState>,
) -> io::Result<()> {
    legend_in(w, states, explained, &FlowView::default(), LEGEND_INDENT)
}

/// [`write_legend`] in `view`'s glyphs and width, starting at `indent`.
fn legend_in(
    w: &mut dyn io::Write,
    states: [TcpState; 2],
    explained: &mut Vec<TcpState>,
    view: &FlowView,
    indent: usize,
) -> io::Result<()> {
    for st in TcpState::LEGEND_ORDER {
        if states.contains(&st) && !explained.contains(&st) {
            explained.push(st);
            view.write_wrapped(w, indent, &format!("· {st}: {}", st.meaning()))?;
        }
    }
    Ok(())
}

/// The column widths of the narrow layout (`None`: the fixed one).
struct Narrow {
    time: usize,
    seg: usize,
}

/// The row's cells: time, segment text, arrow, states, analysis marks.
fn cells(f: &Flow, t: &TcpInfo, e: &Event) -> (String, String, &'static str, String) {
    let rel = e.ts.0.saturating_sub(f.first.0);
    let arrow = if e.from_orig {
        "──▶"
    } else {
        "◀──"
    };
    (
        format!("+{} ms", ms(rel)),
        segment_text(t, e),
        arrow,
        e.analysis.to_string(),
    )
}

/// The row in the fixed layout (today's, for pipes and wide terminals).
fn full_row(f: &Flow, t: &TcpInfo, e: &Event) -> String {
    let (time, seg, arrow, marks) = cells(f, t, e);
    let [orig_state, resp_state] = e.states;
    let line = format!(
        "  {time:>14}  {seg:<SEG_WIDTH$}  {arrow}  {orig_state:<STATE_WIDTH$}  {resp_state:<STATE_WIDTH$}{marks}"
    );
    line.trim_end().to_string()
}

/// The narrow layout for `width` when some row of the fixed layout would
/// not fit: time and segment columns as wide as their content, the segment
/// column cut to what is left.
fn narrow_layout(r: &FlowReport, view: &FlowView) -> Option<Narrow> {
    let width = view.width?;
    let (mut time, mut seg, mut too_wide) = (4, 7, false);
    for f in r.flows.iter() {
        let Some(t) = f.tcp() else { continue };
        for e in &f.events {
            too_wide |= full_row(f, t, e).chars().count() > width;
            let (tm, sg, _, _) = cells(f, t, e);
            time = time.max(tm.len());
            seg = seg.max(sg.len());
        }
    }
    // Everything but the segment column: indent, time, gaps, arrow, states.
    let fixed = 2 + time + 2 + 2 + 3 + 2 + STATE_NARROW + 2 + STATE_NARROW;
    let seg = seg.min(width.saturating_sub(fixed).max(12));
    too_wide.then_some(Narrow { time, seg })
}

/// One segment row in the narrow layout: the segment text wrapped in its
/// column, the analysis marks on a line of their own when they do not fit.
fn write_narrow_row(
    w: &mut dyn io::Write,
    f: &Flow,
    t: &TcpInfo,
    e: &Event,
    n: &Narrow,
    view: &FlowView,
) -> io::Result<()> {
    let (time, seg, arrow, marks) = cells(f, t, e);
    let [o, r] = e.states;
    let (tw, sw, stw) = (n.time, n.seg, STATE_NARROW);
    let parts = wrap(&seg, 0, Some(sw));
    let first = parts.first().map_or("", String::as_str);
    let mut line = format!("  {time:>tw$}  {first:<sw$}  {arrow}  {o:<stw$}  {r:<stw$}");
    let line_len = line.trim_end().chars().count();
    let marks_fit = view
        .width
        .is_none_or(|wd| line_len + marks.chars().count() <= wd);
    if marks_fit {
        line.push_str(&marks);
    }
    writeln!(w, "{}", view.glyphs(line.trim_end()))?;
    for p in parts.iter().skip(1) {
        writeln!(
            w,
            "{}",
            view.glyphs(&format!("  {:tw$}  {}", "", p.trim_start()))
        )?;
    }
    if !marks_fit {
        view.write_wrapped(w, 2 + tw + 2, marks.trim_start())?;
    }
    Ok(())
}

fn write_flow(
    w: &mut dyn io::Write,
    f: &Flow,
    t: &TcpInfo,
    explained: &mut Vec<TcpState>,
    view: &FlowView,
    narrow: Option<&Narrow>,
) -> io::Result<()> {
    let mid = if f.mid_stream {
        "  (picked up mid-stream)"
    } else {
        ""
    };
    view.write_wrapped(
        w,
        0,
        &format!("TCP {} → {}  C{}{mid}", f.orig, f.resp, f.uid),
    )?;
    let head = match narrow {
        None => format!(
            "  {:>14}  {:<SEG_WIDTH$}  {:^3}  {:<STATE_WIDTH$}  {:<STATE_WIDTH$}",
            "time", "segment", "", "client", "server"
        ),
        Some(n) => format!(
            "  {:>tw$}  {:<sw$}  {:^3}  {:<stw$}  {:<stw$}",
            "time",
            "segment",
            "",
            "client",
            "server",
            tw = n.time,
            sw = n.seg,
            stw = STATE_NARROW
        ),
    };
    writeln!(w, "{}", head.trim_end())?;
    let indent = narrow.map_or(LEGEND_INDENT, |n| 2 + n.time + 2);
    for row in rows(f, view.all_segments) {
        match row {
            Row::Seg(e) => {
                match narrow {
                    None => writeln!(w, "{}", view.glyphs(&full_row(f, t, e)))?,
                    Some(n) => write_narrow_row(w, f, t, e, n, view)?,
                }
                legend_in(w, e.states, explained, view, indent)?;
            }
            Row::Run(run) => view.write_wrapped(w, indent, &run_text(f, &run))?,
        }
    }
    if f.events_dropped > 0 {
        view.write_wrapped(
            w,
            2,
            &format!(
                "… {} not recorded (per-flow limit, or the run's budget)",
                count(f.events_dropped, "more segment")
            ),
        )?;
    }
    view.write_wrapped(w, 2, &closing_line(f, t))
}

/// Write a timeline for every TCP flow of the report, separated by blank
/// lines, each state explained under the first row that shows it.
pub fn write_timelines(w: &mut dyn io::Write, r: &FlowReport) -> io::Result<()> {
    write_timelines_in(w, r, &FlowView::default())
}

/// [`write_timelines`] fitted to `view` (width, glyphs, collapsing).
pub fn write_timelines_in(
    w: &mut dyn io::Write,
    r: &FlowReport,
    view: &FlowView,
) -> io::Result<()> {
    let mut first = true;
    let mut explained = Vec::with_capacity(TcpState::LEGEND_ORDER.len());
    let narrow = narrow_layout(r, view);
    for f in r.flows.iter() {
        let Some(t) = f.tcp() else { continue };
        if !first {
            writeln!(w)?;
        }
        first = false;
        write_flow(w, f, t, &mut explained, view, narrow.as_ref())?;
    }
    let over = r.stats.events_over_budget;
    if over > 0 {
        writeln!(w)?;
        view.write_wrapped(
            w,
            0,
            &format!(
                "… {} not recorded in timelines: the run's budget of timeline \
                 events was used up (flows above show what they missed)",
                count(over, "segment")
            ),
        )?;
    }
    Ok(())
}

/// One timeline row as JSON: the text row's cells as values.
#[derive(Serialize)]
struct JsonEvent {
    t_ms: f64,
    from: &'static str,
    segment: String,
    orig_state: &'static str,
    resp_state: &'static str,
    analysis: Vec<String>,
}

/// One flow's timeline as JSON.
#[derive(Serialize)]
struct JsonTimeline {
    uid: String,
    kind: &'static str,
    orig: String,
    resp: String,
    mid_stream: bool,
    events: Vec<JsonEvent>,
    events_dropped: u64,
    summary: String,
}

/// `--timeline --json`: one object per TCP flow (`"kind":"timeline"`), with
/// every event (never collapsed: that is for eyes) and the closing line.
pub fn write_timelines_json(w: &mut dyn io::Write, r: &FlowReport) -> io::Result<()> {
    for f in &r.flows {
        let Some(t) = f.tcp() else { continue };
        let events = f
            .events
            .iter()
            .map(|e| {
                let [orig, resp] = e.states;
                JsonEvent {
                    t_ms: ms_f64(e.ts.0.saturating_sub(f.first.0)),
                    from: if e.from_orig { "orig" } else { "resp" },
                    segment: segment_text(t, e),
                    orig_state: orig.name(),
                    resp_state: resp.name(),
                    analysis: e
                        .analysis
                        .marks()
                        .map(|(name, n)| match n {
                            Some(n) => format!("{name} #{n}"),
                            None => name.to_string(),
                        })
                        .collect(),
                }
            })
            .collect();
        let tl = JsonTimeline {
            uid: format!("C{}", f.uid),
            kind: "timeline",
            orig: f.orig.to_string(),
            resp: f.resp.to_string(),
            mid_stream: f.mid_stream,
            events,
            events_dropped: f.events_dropped,
            summary: closing_line(f, t),
        };
        serde_json::to_writer(&mut *w, &tl).map_err(io::Error::from)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}
