//! The ladder (a textbook sequence diagram): client and server lifelines,
//! one slanted arrow per segment whose drop is the time between its send
//! and its arrival, measured at the capture point. One capture point sees
//! each segment once, so the other end's time is estimated: the capture
//! point is taken to be beside the side that answered the handshake's
//! reply at once (its SYN/ACK → ACK was shorter than SYN → SYN/ACK), and
//! the one-way delay to the far side is half the handshake's round trip.
//! Labels give flags, relative seq/ack, length and window; both sides'
//! states are written beside their lifelines where they change; a bracket
//! marks the handshake RTT; idle gaps longer than a few rows are cut short
//! with a break mark that says how long they were; retransmissions, dup
//! ACKs, zero windows and RSTs are coloured.

use super::series::{Seg, Series};
use super::svg::{Svg, colour, num};
use crate::decode::tcp_flags::TcpFlags;
use crate::flow::TcpState;
use crate::flow::tcp::analysis::bits;
use std::fmt::Write as _;

const WIDTH: f64 = 860.0;
const CLIENT_X: f64 = 300.0;
const SERVER_X: f64 = 660.0;
const TOP: f64 = 90.0;
/// Least vertical room between two arrows' labels.
const ROW: f64 = 22.0;
/// A gap drawn longer than this is cut to `BREAK` with a break mark.
const MAX_GAP: f64 = 6.0 * ROW;
const BREAK: f64 = 34.0;
/// Arrows drawn at most; a longer flow says how many were left out (its
/// time-sequence graph shows them all).
pub const MAX_ARROWS: usize = 2000;

/// What kind an arrow is, for its class and colour.
fn kind(s: &Seg) -> (&'static str, &'static str) {
    if s.has(TcpFlags::RST) {
        ("rst", colour::PURPLE)
    } else if s.is_retrans() {
        ("retrans", colour::VERMILLION)
    } else if s.analysis.has(bits::ZERO_WINDOW) {
        ("zerowin", colour::ORANGE)
    } else if s.analysis.has(bits::DUP_ACK) {
        ("dupack", colour::SKY)
    } else if s.len > 0 {
        ("data", colour::BLUE)
    } else {
        ("ctl", colour::INK)
    }
}

/// The arrow's label: flags, seq/ack, length, window, analysis marks.
pub fn label(s: &Seg) -> String {
    let mut l = s.flags.names().to_string();
    if s.flags
        .intersects(TcpFlags::SYN | TcpFlags::FIN | TcpFlags::RST)
        || s.len > 0
    {
        let _ = write!(l, " seq={}", s.seq);
    }
    if s.has(TcpFlags::ACK) {
        let _ = write!(l, " ack={}", s.ack);
    }
    if s.len > 0 {
        let _ = write!(l, " len={}", s.len);
    }
    let _ = write!(l, " win={}", s.win);
    for (name, n) in s.analysis.marks() {
        match n {
            Some(n) => {
                let _ = write!(l, " [{name} #{n}]");
            }
            None => {
                let _ = write!(l, " [{name}]");
            }
        }
    }
    l
}

/// A monotone map from capture time to page y: real time at a scale chosen
/// from the flow's typical spacing, at least `ROW` between consecutive
/// arrow starts, and gaps over `MAX_GAP` cut to `BREAK`.
struct TimeMap {
    /// (time ns, y) knots in time order.
    knots: Vec<(i128, f64)>,
    /// Cut gaps: (y where the cut is drawn, real length ns).
    breaks: Vec<(f64, u64)>,
}

impl TimeMap {
    fn build(times: &mut [(i128, bool)], px_per_ns: f64) -> TimeMap {
        times.sort_unstable_by_key(|t| t.0);
        let mut knots: Vec<(i128, f64)> = Vec::with_capacity(times.len());
        let mut breaks = Vec::new();
        let mut y = TOP;
        let mut last_row = f64::NEG_INFINITY;
        let mut prev: Option<i128> = None;
        for &(t, row) in times.iter() {
            if let Some(p) = prev {
                let dt = (t - p) as f64;
                let dy = dt * px_per_ns;
                if dy > MAX_GAP {
                    breaks.push((y + BREAK / 2.0, (t - p) as u64));
                    y += BREAK;
                } else {
                    y += dy;
                }
            }
            if row && y < last_row + ROW {
                y = last_row + ROW;
            }
            if row {
                last_row = y;
            }
            if knots.last().is_some_and(|k| k.0 == t) {
                if let Some(k) = knots.last_mut() {
                    k.1 = y;
                }
            } else {
                knots.push((t, y));
            }
            prev = Some(t);
        }
        TimeMap { knots, breaks }
    }

    fn y(&self, t: i128) -> f64 {
        let i = self.knots.partition_point(|k| k.0 < t);
        match (
            i.checked_sub(1).and_then(|j| self.knots.get(j)),
            self.knots.get(i),
        ) {
            (_, Some(k)) if k.0 == t => k.1,
            (Some(a), Some(b)) => {
                a.1 + (b.1 - a.1) * ((t - a.0) as f64 / (b.0 - a.0).max(1) as f64)
            }
            (None, Some(b)) => b.1,
            (Some(a), None) => a.1,
            (None, None) => TOP,
        }
    }

    fn bottom(&self) -> f64 {
        self.knots.last().map_or(TOP, |k| k.1)
    }
}

/// Where the capture point was and the one-way delay to the far end.
struct Capture {
    near_client: bool,
    owd_ns: u64,
}

fn capture_point(s: &Series<'_>) -> Capture {
    match (s.tcp.syn_synack_ns(), s.tcp.synack_ack_ns()) {
        (Some(a), Some(b)) if b > a => Capture {
            near_client: false,
            owd_ns: b / 2,
        },
        (Some(a), _) => Capture {
            near_client: true,
            owd_ns: a / 2,
        },
        _ => Capture {
            near_client: true,
            owd_ns: 0,
        },
    }
}

/// Draw the ladder of a TCP flow.
pub fn render(s: &Series<'_>) -> String {
    let shown = s.segs.get(..s.segs.len().min(MAX_ARROWS)).unwrap_or(&[]);
    let cap = capture_point(s);
    let owd = cap.owd_ns as i128;
    // Send and arrival time of each arrow, capture time being one of them.
    let ends = |g: &Seg| -> (i128, i128) {
        let t = g.t_ns as i128;
        let sent_near = g.from_orig == cap.near_client;
        if sent_near {
            (t, t + owd)
        } else {
            (t - owd, t)
        }
    };
    let mut gaps: Vec<u64> = shown
        .windows(2)
        .map(|w| match w {
            [a, b] => b.t_ns.saturating_sub(a.t_ns),
            _ => 0,
        })
        .filter(|g| *g > 0)
        .collect();
    gaps.sort_unstable();
    let typical = gaps
        .get(gaps.len() / 2)
        .copied()
        .unwrap_or(1)
        .max(cap.owd_ns)
        .max(1);
    let px_per_ns = ROW * 1.2 / typical as f64;
    let mut times: Vec<(i128, bool)> = Vec::with_capacity(shown.len() * 2);
    for g in shown {
        let (a, b) = ends(g);
        times.push((a, true));
        times.push((b, false));
    }
    let map = TimeMap::build(&mut times, px_per_ns);
    let bottom = map.bottom() + 40.0;
    let height = bottom + 70.0;
    let (client, server) = (s.flow.orig.to_string(), s.flow.resp.to_string());
    let mut svg = Svg::new(
        WIDTH,
        height,
        "ladder",
        &format!("Ladder diagram {}", s.name()),
        &format!(
            "{} between {client} (client) and {server} (server); arrows drop by the time between send and arrival",
            crate::output::fmt::count(shown.len() as u64, "segment")
        ),
    );
    svg.text(
        (20.0, 26.0),
        "start",
        "title",
        colour::INK,
        &format!("TCP {client} → {server}  (C{})", s.flow.uid),
        &[],
    );
    svg.text(
        (CLIENT_X, 52.0),
        "middle",
        "title",
        colour::INK,
        &format!("client {client}"),
        &[],
    );
    svg.text(
        (SERVER_X, 52.0),
        "middle",
        "title",
        colour::INK,
        &format!("server {server}"),
        &[],
    );
    svg.text((20.0, 52.0), "start", "", colour::GREY, "time (ms)", &[]);
    // Lifelines, broken where a gap was cut.
    for x in [CLIENT_X, SERVER_X] {
        let mut y0 = TOP - 16.0;
        for &(yb, _) in &map.breaks {
            svg.line((x, y0), (x, yb - 5.0), "lifeline", colour::INK, 2.0, &[]);
            y0 = yb + 5.0;
        }
        svg.line((x, y0), (x, bottom), "lifeline", colour::INK, 2.0, &[]);
    }
    let cap_x = if cap.near_client {
        CLIENT_X + 30.0
    } else {
        SERVER_X - 30.0
    };
    svg.line(
        (cap_x, TOP - 16.0),
        (cap_x, bottom),
        "capture",
        colour::GREY,
        1.0,
        &[("owd-ns", cap.owd_ns.to_string())],
    );
    // Beside the dashed line, on the side away from the near lifeline.
    let (label_x, anchor) = if cap.near_client {
        (cap_x + 4.0, "start")
    } else {
        (cap_x - 4.0, "end")
    };
    svg.text(
        (label_x, TOP - 8.0),
        anchor,
        "",
        colour::GREY,
        "capture point",
        &[],
    );
    for &(yb, len) in &map.breaks {
        let ms = len as f64 / 1e6;
        let mut d = String::new();
        for x in [CLIENT_X, SERVER_X] {
            let _ = write!(
                d,
                "M{},{}l6,-3M{},{}l6,-3",
                num(x - 3.0),
                num(yb - 2.0),
                num(x - 3.0),
                num(yb + 4.0)
            );
        }
        svg.path(
            &d,
            "break",
            colour::GREY,
            "none",
            &[("gap-ns", len.to_string())],
        );
        svg.text(
            ((CLIENT_X + SERVER_X) / 2.0, yb + 4.0),
            "middle",
            "break-label",
            colour::GREY,
            &format!("⋯ {ms:.1} ms idle ⋯"),
            &[],
        );
    }
    draw_states(&mut svg, shown, &map, &ends);
    draw_rtt(&mut svg, s, &map);
    for g in shown {
        let (a, b) = ends(g);
        let (ya, yb) = (map.y(a), map.y(b));
        let (xa, xb) = if g.from_orig {
            (CLIENT_X, SERVER_X)
        } else {
            (SERVER_X, CLIENT_X)
        };
        let (k, ink) = kind(g);
        let class = format!("arrow seg {k}");
        let data = [
            ("ts", g.t_ns.to_string()),
            ("dir", g.dir().to_string()),
            ("flags", g.flags.names().to_string()),
            ("seq", g.seq.to_string()),
            ("ack", g.ack.to_string()),
            ("len", g.len.to_string()),
            ("win", g.win.to_string()),
        ];
        svg.open_group(&class, &data);
        svg.line(
            (xa, ya),
            (xb, yb),
            "",
            ink,
            if k == "ctl" { 1.2 } else { 1.8 },
            &[],
        );
        // Arrowhead along the arrow's direction.
        let (dx, dy) = (xb - xa, yb - ya);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let (ux, uy) = (dx / len, dy / len);
        let (bx, by) = (xb - ux * 9.0, yb - uy * 9.0);
        let head = format!(
            "M{},{}L{},{}L{},{}Z",
            num(xb),
            num(yb),
            num(bx - uy * 4.0),
            num(by + ux * 4.0),
            num(bx + uy * 4.0),
            num(by - ux * 4.0)
        );
        svg.path(&head, "", ink, ink, &[]);
        let mid = ((xa + xb) / 2.0, (ya + yb) / 2.0 - 4.0);
        svg.text(mid, "middle", "mono", ink, &label(g), &[]);
        svg.close_group();
        svg.text(
            (20.0, ya + 4.0),
            "start",
            "mono",
            colour::GREY,
            &format!("{:.3}", g.t_ns as f64 / 1e6),
            &[],
        );
    }
    if s.segs.len() > shown.len() || s.flow.events_dropped > 0 {
        let more = (s.segs.len() - shown.len()) as u64 + s.flow.events_dropped;
        svg.text(
            ((CLIENT_X + SERVER_X) / 2.0, bottom + 16.0),
            "middle",
            "truncated",
            colour::GREY,
            &format!(
                "… {} not drawn (see the time-sequence graph)",
                crate::output::fmt::count(more, "more segment")
            ),
            &[("more", more.to_string())],
        );
    }
    legend(&mut svg, bottom + 44.0);
    svg.finish()
}

fn legend(svg: &mut Svg, y: f64) {
    svg.open_group("legend", &[]);
    let entries = [
        (colour::INK, "control"),
        (colour::BLUE, "data"),
        (colour::VERMILLION, "retransmission"),
        (colour::SKY, "dup ACK"),
        (colour::ORANGE, "zero window"),
        (colour::PURPLE, "RST"),
        (colour::GREY, "idle gap cut"),
    ];
    let mut x = 20.0;
    for (ink, name) in entries {
        svg.line((x, y - 4.0), (x + 18.0, y - 4.0), "", ink, 2.5, &[]);
        svg.text((x + 23.0, y), "start", "", colour::INK, name, &[]);
        x += 34.0 + name.len() as f64 * 6.4;
    }
    svg.close_group();
}

/// Each side's state beside its lifeline: the first, then every change, at
/// the moment that side sent or received the segment that changed it.
fn draw_states(svg: &mut Svg, shown: &[Seg], map: &TimeMap, ends: &dyn Fn(&Seg) -> (i128, i128)) {
    let mut last: [Option<TcpState>; 2] = [None, None];
    let mut last_y = [f64::NEG_INFINITY; 2];
    for g in shown {
        let (a, b) = ends(g);
        let sides = g.states.iter().zip(last.iter_mut()).zip(last_y.iter_mut());
        for (side, ((st, prev), ly)) in sides.enumerate() {
            if *prev == Some(*st) {
                continue;
            }
            *prev = Some(*st);
            let is_sender = (side == 0) == g.from_orig;
            let mut y = map.y(if is_sender { a } else { b }) + 4.0;
            if y < *ly + 12.0 {
                y = *ly + 12.0;
            }
            *ly = y;
            let (x, anchor, who) = if side == 0 {
                (CLIENT_X - 10.0, "end", "client")
            } else {
                (SERVER_X + 10.0, "start", "server")
            };
            svg.text(
                (x, y),
                anchor,
                "state",
                colour::GREEN,
                &st.to_string(),
                &[("side", who.to_string()), ("ts", g.t_ns.to_string())],
            );
        }
    }
}

/// The handshake's round trip as seen from the client: a bracket from its
/// SYN to the SYN/ACK's arrival, labelled with the time.
fn draw_rtt(svg: &mut Svg, s: &Series<'_>, map: &TimeMap) {
    let (Some(syn), Some(synack)) = (s.tcp.syn_ts, s.tcp.synack_ts) else {
        return;
    };
    let base = s.flow.first.0 as i128;
    let cap = capture_point(s);
    let owd = cap.owd_ns as i128;
    // Times at the client: its SYN left at capture time (near client) or
    // owd before; the SYN/ACK arrived at capture time or owd after.
    let (t0, t1) = if cap.near_client {
        (syn.0 as i128 - base, synack.0 as i128 - base)
    } else {
        (syn.0 as i128 - base - owd, synack.0 as i128 - base + owd)
    };
    let (y0, y1) = (map.y(t0), map.y(t1));
    let x = CLIENT_X - 150.0;
    let d = format!(
        "M{a},{y0}H{x}V{y1}H{a}",
        a = num(x + 6.0),
        x = num(x),
        y0 = num(y0),
        y1 = num(y1)
    );
    let rtt = (t1 - t0).max(0) as u64;
    svg.path(
        &d,
        "rtt-bracket",
        colour::GREY,
        "none",
        &[("rtt-ns", rtt.to_string())],
    );
    svg.text(
        (x - 4.0, (y0 + y1) / 2.0 + 4.0),
        "end",
        "",
        colour::GREY,
        &format!("RTT {:.3} ms", rtt as f64 / 1e6),
        &[],
    );
}
