//! The time-sequence graph (tcptrace's conventions, which xplot users
//! know): x is time, y the relative sequence number of one direction. Each
//! data segment is a vertical bar from its first to its last byte (an
//! I-beam; a dot at its first byte in the Stevens style); the other side's
//! ACKs draw the ACK line (green) and ACK + window the advertised-window
//! line (orange, tcptrace's yellow made readable on white); SACK blocks are
//! sky-blue bars at the ACK's time; retransmissions are vermillion with an
//! `R`, duplicate ACKs a tick on the ACK line, zero windows a `Z`, PUSH a
//! small diamond on the segment's top.
//!
//! Large flows: everything is merged per pixel column. Consecutive data
//! segments of the same kind (new data or retransmission) that land in the
//! same column become one bar from the lowest first byte to the highest
//! last byte, with `data-count` saying how many it stands for; ACKs in one
//! column become one step to the column's last ACK (dup ACKs, zero windows
//! and SACK blocks of the column are counted onto one mark each). A flow of
//! a million segments thus draws at most a few elements per column.

use super::axes::{self, Kind, Plot, Swatch};
use super::series::{Seg, Series};
use super::svg::{Svg, colour, num};
use crate::decode::tcp_flags::TcpFlags;
use crate::flow::tcp::analysis::bits;

/// tcptrace's I-beams with ACK and window lines, or Stevens' dots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TsgStyle {
    Tcptrace,
    Stevens,
}

impl TsgStyle {
    /// The style's name in the graph's description and `data-style`.
    fn name(self) -> &'static str {
        match self {
            TsgStyle::Tcptrace => "tcptrace",
            TsgStyle::Stevens => "stevens",
        }
    }
}

/// Data segments of one column and kind, merged.
struct SegBucket {
    col: i64,
    retrans: bool,
    seq: u64,
    end: u64,
    t_ns: u64,
    count: u64,
    push: u64,
    flags: TcpFlags,
}

/// ACKs of one column, merged.
struct AckBucket {
    col: i64,
    t_ns: u64,
    ack: u64,
    win: u64,
    count: u64,
    dup: u64,
    zero: u64,
    sack: Option<(u64, u64)>,
    sacks: u64,
}

/// The sequence range the graph shows: the data and the ACK line, and the
/// window line when it stays within half as much again (a 64 KiB window
/// over a 20-byte exchange would squash the data into one row; the line
/// is then drawn along the top edge, classed `clipped`).
fn y_range(data: &[&Seg], acks: &[&Seg]) -> (f64, f64) {
    let top = data
        .iter()
        .map(|s| s.end)
        .chain(acks.iter().map(|a| a.ack))
        .max()
        .unwrap_or(1)
        .max(1);
    let win = acks
        .iter()
        .map(|a| a.ack.saturating_add(a.win))
        .max()
        .unwrap_or(0);
    let top = if win as f64 <= top as f64 * 1.5 {
        top.max(win)
    } else {
        top + top / 10
    };
    (0.0, top as f64)
}

/// Draw the time-sequence graph of direction `from_orig`.
pub fn render(s: &Series<'_>, from_orig: bool, style: TsgStyle) -> String {
    let data: Vec<&Seg> = s
        .segs
        .iter()
        .filter(|g| {
            g.from_orig == from_orig
                && (g.len > 0 || g.flags.intersects(TcpFlags::SYN | TcpFlags::FIN))
        })
        .collect();
    let acks: Vec<&Seg> = s
        .segs
        .iter()
        .filter(|g| g.from_orig != from_orig && g.has(TcpFlags::ACK))
        .collect();
    let (sender, receiver) = s.ends(from_orig);
    let plot = Plot::new((0.0, s.duration_ns as f64 / 1e9), y_range(&data, &acks));
    let style_name = style.name();
    let mut svg = plot.page(
        &Kind::TSG,
        &format!("Time-sequence graph {}", s.name()),
        &format!("Sequence numbers sent by {sender} to {receiver} over time, {style_name} style"),
        &format!(
            "Time-sequence {sender} → {receiver}  (C{}, {style_name})",
            s.flow.uid
        ),
    );
    svg.open_group(
        "plot",
        &[
            ("dir", if from_orig { "c2s" } else { "s2c" }.to_string()),
            ("style", style_name.to_string()),
            ("segments", data.len().to_string()),
        ],
    );
    if style == TsgStyle::Tcptrace {
        draw_acks(&mut svg, &plot, &acks);
    }
    draw_data(&mut svg, &plot, &data, style);
    let mut legend: Vec<(Swatch, &str, &str)> = match style {
        TsgStyle::Tcptrace => vec![
            (Swatch::Line, colour::INK, "segment"),
            (Swatch::Line, colour::GREEN, "ACK"),
            (Swatch::Line, colour::ORANGE, "ACK + window"),
            (Swatch::Line, colour::SKY, "SACK block"),
            (Swatch::Letter("R"), colour::VERMILLION, "retransmission"),
            (Swatch::Line, colour::PURPLE, "dup ACK"),
            (Swatch::Letter("Z"), colour::VERMILLION, "zero window"),
            (Swatch::Dot, colour::BLUE, "PUSH"),
        ],
        TsgStyle::Stevens => vec![
            (Swatch::Dot, colour::INK, "segment (first byte)"),
            (Swatch::Letter("R"), colour::VERMILLION, "retransmission"),
        ],
    };
    if data.is_empty() {
        legend.push((
            Swatch::Letter("∅"),
            colour::GREY,
            "no data in this direction",
        ));
    }
    axes::finish(svg, &legend)
}

fn draw_data(svg: &mut Svg, plot: &Plot, data: &[&Seg], style: TsgStyle) {
    let mut cur: Option<SegBucket> = None;
    for g in data {
        let col = plot.column(g.t());
        let retrans = g.is_retrans();
        let push = g.has(TcpFlags::PSH) as u64;
        match &mut cur {
            Some(b) if b.col == col && b.retrans == retrans => {
                b.seq = b.seq.min(g.seq);
                b.end = b.end.max(g.end);
                b.count += 1;
                b.push += push;
                b.flags = TcpFlags::from_bits(b.flags.bits() | g.flags.bits());
            }
            _ => {
                if let Some(b) = cur.take() {
                    draw_seg(svg, plot, &b, style);
                }
                cur = Some(SegBucket {
                    col,
                    retrans,
                    seq: g.seq,
                    end: g.end,
                    t_ns: g.t_ns,
                    count: 1,
                    push,
                    flags: g.flags,
                });
            }
        }
    }
    if let Some(b) = cur {
        draw_seg(svg, plot, &b, style);
    }
}

fn draw_seg(svg: &mut Svg, plot: &Plot, b: &SegBucket, style: TsgStyle) {
    let x = plot.x.map(b.t_ns as f64 / 1e9);
    let (y0, y1) = (plot.y.map(b.seq as f64), plot.y.map(b.end as f64));
    let ink = if b.retrans {
        colour::VERMILLION
    } else {
        colour::INK
    };
    let mut class = String::from(if b.retrans { "seg retrans" } else { "seg" });
    for (f, name) in [
        (TcpFlags::SYN, " syn"),
        (TcpFlags::FIN, " fin"),
        (TcpFlags::RST, " rst"),
    ] {
        if b.flags.contains(f) {
            class.push_str(name);
        }
    }
    let data = [
        ("seq", b.seq.to_string()),
        ("end", b.end.to_string()),
        ("ts", b.t_ns.to_string()),
        ("count", b.count.to_string()),
    ];
    match style {
        TsgStyle::Tcptrace => {
            // The I-beam: the bar and its two serifs in one path element.
            let d = format!(
                "M{l},{b}H{r}M{x},{b}V{t}M{l},{t}H{r}",
                l = num(x - 2.0),
                r = num(x + 2.0),
                x = num(x),
                b = num(y0),
                t = num(y1.min(y0 - 1.0)),
            );
            svg.path(&d, &class, ink, "none", &data);
        }
        TsgStyle::Stevens => svg.circle((x, y0), 2.0, &class, ink, &data),
    }
    if b.retrans {
        svg.text(
            (x, y1.min(y0) - 3.0),
            "middle",
            "mark retrans",
            colour::VERMILLION,
            "R",
            &[("ts", b.t_ns.to_string()), ("count", b.count.to_string())],
        );
    }
    if b.push > 0 && style == TsgStyle::Tcptrace {
        let t = y1.min(y0 - 1.0);
        let d = format!("M{},{}l2,2l-2,2l-2,-2z", num(x), num(t - 4.0));
        svg.path(
            &d,
            "mark push",
            colour::BLUE,
            colour::BLUE,
            &[("ts", b.t_ns.to_string()), ("count", b.push.to_string())],
        );
    }
}

fn draw_acks(svg: &mut Svg, plot: &Plot, acks: &[&Seg]) {
    let mut prev: Option<(f64, u64, u64)> = None;
    let mut cur: Option<AckBucket> = None;
    for a in acks {
        let col = plot.column(a.t());
        let dup = a.analysis.has(bits::DUP_ACK) as u64;
        let zero = a.analysis.has(bits::ZERO_WINDOW) as u64;
        let sack = a
            .sack_blocks()
            .iter()
            .fold(None, |acc: Option<(u64, u64)>, &(l, r)| {
                Some(acc.map_or((l, r), |(al, ar)| (al.min(l), ar.max(r))))
            });
        match &mut cur {
            Some(b) if b.col == col => {
                b.ack = b.ack.max(a.ack);
                b.win = a.win;
                b.count += 1;
                b.dup += dup;
                b.zero += zero;
                b.sacks += a.sack_count as u64;
                b.sack = match (b.sack, sack) {
                    (Some((l0, r0)), Some((l1, r1))) => Some((l0.min(l1), r0.max(r1))),
                    (x, y) => x.or(y),
                };
            }
            _ => {
                if let Some(b) = cur.take() {
                    prev = Some(draw_ack(svg, plot, &b, prev));
                }
                cur = Some(AckBucket {
                    col,
                    t_ns: a.t_ns,
                    ack: a.ack,
                    win: a.win,
                    count: 1,
                    dup,
                    zero,
                    sack,
                    sacks: a.sack_count as u64,
                });
            }
        }
    }
    if let Some(b) = cur {
        draw_ack(svg, plot, &b, prev);
    }
}

/// One column's ACK step and window step, and its marks; returns where the
/// lines stand afterwards (x, ack, ack + window).
fn draw_ack(
    svg: &mut Svg,
    plot: &Plot,
    b: &AckBucket,
    prev: Option<(f64, u64, u64)>,
) -> (f64, u64, u64) {
    let x = plot.x.map(b.t_ns as f64 / 1e9);
    let top = b.ack.saturating_add(b.win);
    let (px, pack, ptop) = prev.unwrap_or((x, b.ack, top));
    let data = [
        ("ack", b.ack.to_string()),
        ("win", b.win.to_string()),
        ("ts", b.t_ns.to_string()),
        ("count", b.count.to_string()),
    ];
    let step = |from: u64, to: u64| {
        format!(
            "M{},{}H{}V{}",
            num(px),
            num(plot.y.map(from as f64)),
            num(x),
            num(plot.y.map(to as f64))
        )
    };
    svg.path(&step(pack, b.ack), "ack", colour::GREEN, "none", &data);
    let clip = |v: u64| v.min(plot.y.d1 as u64);
    let class = if top > clip(top) {
        "win clipped"
    } else {
        "win"
    };
    svg.path(
        &step(clip(ptop), clip(top)),
        class,
        colour::ORANGE,
        "none",
        &data,
    );
    let y = plot.y.map(b.ack as f64);
    if b.dup > 0 {
        svg.line(
            (x, y - 4.0),
            (x, y + 4.0),
            "mark dupack",
            colour::PURPLE,
            2.0,
            &[
                ("ts", b.t_ns.to_string()),
                ("count", b.dup.to_string()),
                ("ack", b.ack.to_string()),
            ],
        );
    }
    if b.zero > 0 {
        svg.text(
            (x, y + 14.0),
            "middle",
            "mark zerowin",
            colour::VERMILLION,
            "Z",
            &[("ts", b.t_ns.to_string()), ("count", b.zero.to_string())],
        );
    }
    if let Some((l, r)) = b.sack {
        svg.line(
            (x + 1.5, plot.y.map(l as f64)),
            (x + 1.5, plot.y.map(r as f64)),
            "sack",
            colour::SKY,
            2.5,
            &[
                ("left", l.to_string()),
                ("right", r.to_string()),
                ("ts", b.t_ns.to_string()),
                ("count", b.sacks.to_string()),
            ],
        );
    }
    (x, b.ack, top)
}
