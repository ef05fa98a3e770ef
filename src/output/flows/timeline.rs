//! `--timeline`: a ladder per TCP flow. One line per segment with the time
//! since the flow's first packet, the segment (flags, relative seq/ack,
//! length, scaled window), its direction, and both sides' RFC 793 states after it;
//! then a closing line with the handshake times, who went through TIME_WAIT
//! and how the flow ended (Zeek's conn_state). Under the first row where a
//! state appears, a legend line says what that state means ([`write_legend`]).

use crate::decode::tcp_flags::TcpFlags;
use crate::decode::tcp_seq::SeqNumber;
use crate::flow::tcp::analysis::bits;
use crate::flow::{ConnState, Event, Flow, FlowReport, TcpInfo, TcpState};
use crate::output::flows::fmt::{counter_summary, ms};
use std::fmt::Write as _;
use std::io;

const SEG_WIDTH: usize = 44;
const STATE_WIDTH: usize = 12;

/// Where the legend's lines start: under the segment column.
const LEGEND_INDENT: usize = 18;

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
    for st in TcpState::LEGEND_ORDER {
        if states.contains(&st) && !explained.contains(&st) {
            explained.push(st);
            writeln!(w, "{:>LEGEND_INDENT$}· {st}: {}", "", st.meaning())?;
        }
    }
    Ok(())
}

fn write_flow(
    w: &mut dyn io::Write,
    f: &Flow,
    t: &TcpInfo,
    explained: &mut Vec<TcpState>,
) -> io::Result<()> {
    let mid = if f.mid_stream {
        "  (picked up mid-stream)"
    } else {
        ""
    };
    writeln!(w, "TCP {} → {}  C{}{mid}", f.orig, f.resp, f.uid)?;
    let head = format!(
        "  {:>14}  {:<SEG_WIDTH$}  {:^3}  {:<STATE_WIDTH$}  {:<STATE_WIDTH$}",
        "time", "segment", "", "client", "server"
    );
    writeln!(w, "{}", head.trim_end())?;
    for e in &f.events {
        let rel = e.ts.0.saturating_sub(f.first.0);
        let arrow = if e.from_orig {
            "──▶"
        } else {
            "◀──"
        };
        let [orig_state, resp_state] = e.states;
        let line = format!(
            "  {:>14}  {:<SEG_WIDTH$}  {arrow}  {orig_state:<STATE_WIDTH$}  {resp_state:<STATE_WIDTH$}{}",
            format!("+{} ms", ms(rel)),
            segment_text(t, e),
            e.analysis
        );
        writeln!(w, "{}", line.trim_end())?;
        write_legend(w, e.states, explained)?;
    }
    if f.events_dropped > 0 {
        writeln!(
            w,
            "  … {} more segments not recorded (per-flow limit, or the run's budget)",
            f.events_dropped
        )?;
    }
    writeln!(w, "  {}", closing_line(f, t))
}

/// Write a timeline for every TCP flow of the report, separated by blank
/// lines, each state explained under the first row that shows it.
pub fn write_timelines(w: &mut dyn io::Write, r: &FlowReport) -> io::Result<()> {
    let mut first = true;
    let mut explained = Vec::with_capacity(TcpState::LEGEND_ORDER.len());
    for f in &r.flows {
        let Some(t) = f.tcp() else { continue };
        if !first {
            writeln!(w)?;
        }
        first = false;
        write_flow(w, f, t, &mut explained)?;
    }
    let over = r.stats.events_over_budget;
    if over > 0 {
        writeln!(
            w,
            "\n… {over} segments not recorded in timelines: the run's budget of timeline \
             events was used up (flows above show what they missed)"
        )?;
    }
    Ok(())
}
