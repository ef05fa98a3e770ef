//! Window graph: for the data direction, the receiver's advertised window
//! (scaled) and the bytes in flight (highest byte sent minus highest byte
//! acknowledged) over time, both as steps; merged per pixel column (the
//! column's last value, and its peak in `data-max`) so a long flow stays small.

use super::axes::{self, Kind, Plot, Swatch};
use super::series::Series;
use super::svg::{colour, num};
use crate::decode::tcp_flags::TcpFlags;

pub fn render(s: &Series<'_>, from_orig: bool) -> String {
    // (t, advertised window, in flight) after each segment of either side.
    let mut points: Vec<(u64, u64, u64)> = Vec::with_capacity(s.segs.len());
    let (mut sent, mut acked, mut win) = (0u64, 0u64, 0u64);
    for g in &s.segs {
        if g.from_orig == from_orig {
            sent = sent.max(g.end);
        } else if g.has(TcpFlags::ACK) {
            acked = acked.max(g.ack);
            win = g.win;
        }
        points.push((g.t_ns, win, sent.saturating_sub(acked)));
    }
    let top = points.iter().map(|p| p.1.max(p.2)).max().unwrap_or(1) as f64;
    let plot = Plot::new(
        (0.0, (s.duration_ns as f64 / 1e9).max(1e-6)),
        (0.0, top * 1.05),
    );
    let (sender, receiver) = s.ends(from_orig);
    let mut svg = plot.page(
        &Kind::WINDOW,
        &format!("Window {}", s.name()),
        "Advertised window and bytes in flight over time",
        &format!("Window  {sender} → {receiver}  (C{})", s.flow.uid),
    );
    svg.open_group(
        "plot",
        &[("dir", if from_orig { "c2s" } else { "s2c" }.to_string())],
    );
    for (which, class, ink) in [
        (1usize, "awnd", colour::GREEN),
        (2, "inflight", colour::BLUE),
    ] {
        let mut d = String::new();
        let mut col = i64::MIN;
        let mut peak = 0u64;
        let mut n = 0u64;
        // One step per pixel column: the column's last value.
        let mut pending: Option<(f64, f64)> = None;
        for p in &points {
            let v = if which == 1 { p.1 } else { p.2 };
            let c = plot.column(p.0 as f64 / 1e9);
            peak = peak.max(v);
            n += 1;
            let (x, y) = (plot.x.map(p.0 as f64 / 1e9), plot.y.map(v as f64));
            if c != col {
                if let Some((px, py)) = pending.take() {
                    step(&mut d, px, py);
                }
                col = c;
            }
            pending = Some((x, y));
        }
        if let Some((px, py)) = pending {
            step(&mut d, px, py);
        }
        svg.path(
            &d,
            class,
            ink,
            "none",
            &[("max", peak.to_string()), ("count", n.to_string())],
        );
    }
    axes::finish(
        svg,
        &[
            (Swatch::Line, colour::GREEN, "advertised window (receiver)"),
            (Swatch::Line, colour::BLUE, "bytes in flight"),
        ],
    )
}

fn step(d: &mut String, x: f64, y: f64) {
    if d.is_empty() {
        d.push_str(&format!("M{},{}", num(x), num(y)));
    } else {
        d.push_str(&format!("H{}V{}", num(x), num(y)));
    }
}
