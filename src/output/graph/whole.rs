//! Graphs of a whole capture (`--stream all`) for the kinds where adding
//! flows up means something: throughput and RTT. A time-sequence, window
//! or ladder graph follows one sequence space, so those stay per flow.
//!
//! Throughput is one series per direction (client → server, server →
//! client) summed over every TCP flow, as Wireshark's I/O Graph with
//! `tcp.len` per interval shows it: someone asking "how busy was this
//! capture" wants the aggregate, and a stack of per-flow series stops being
//! readable after a handful of flows (`--stream ID` draws one flow). Bytes
//! are new payload in sequence space, retransmitted bytes once, the way the
//! flow table counts `orig_bytes`/`resp_bytes`, so the bins add up to it.
//! RTT draws every flow's samples, one colour per flow (cycling through the
//! palette) with the flow's id in `data-flow`. The time axis is the
//! capture's, from its first to its last packet of any flow.
//!
//! Both stay bounded on huge captures: throughput bins are pixel-sized (a
//! fixed count), and RTT samples of one flow that land on one pixel are one
//! dot carrying their `data-count`.

use super::axes::{self, Kind, Plot, Swatch};
use super::rtt;
use super::series::Series;
use super::svg::{colour, num};
use crate::decode::tcp_flags::TcpFlags;
use crate::flow::{FlowReport, Proto};
use std::collections::HashMap;

const BINS: usize = 200;
const AVG_BINS: usize = 10;

/// The capture as both graphs see it: its first packet (ns), its duration
/// (s, at least 1 µs so a one-packet capture still has an axis), its TCP
/// flows' series, and what the titles call them ("3 TCP flows").
struct Capture<'a> {
    first: u64,
    dur: f64,
    flows: Vec<Series<'a>>,
    name: String,
}

fn capture(report: &FlowReport) -> Capture<'_> {
    let first = report.flows.iter().map(|f| f.first.0).min().unwrap_or(0);
    let last = report.flows.iter().map(|f| f.last.0).max().unwrap_or(first);
    let flows: Vec<Series<'_>> = report
        .flows
        .iter()
        .filter(|f| f.proto == Proto::Tcp)
        .filter_map(Series::of)
        .collect();
    Capture {
        first,
        dur: (last.saturating_sub(first) as f64 / 1e9).max(1e-6),
        name: format!("{} TCP flows", flows.len()),
        flows,
    }
}

/// New payload bytes per segment of one flow, in order: bytes beyond the
/// highest sequence number that side has sent (its SYN's end, else its
/// first data segment's start), as the flow tracker counts them.
fn new_bytes(s: &Series<'_>) -> Vec<u64> {
    let mut high: [Option<u64>; 2] = [None, None];
    s.segs
        .iter()
        .map(|g| {
            let Some(h) = high.get_mut(usize::from(!g.from_orig)) else {
                return 0;
            };
            if g.has(TcpFlags::SYN) && h.is_none() {
                *h = Some(g.seq + 1);
            }
            if g.len == 0 {
                return 0;
            }
            let hi = h.get_or_insert(g.seq);
            let end = g.seq + u64::from(g.len);
            if end > *hi {
                let n = end - *hi;
                *hi = end;
                n
            } else {
                0
            }
        })
        .collect()
}

/// Throughput per direction summed over every TCP flow of the capture.
pub fn throughput(report: &FlowReport) -> String {
    let c = capture(report);
    let bin = c.dur / BINS as f64;
    let mut bytes = [vec![0u64; BINS], vec![0u64; BINS]];
    for s in &c.flows {
        let offset = s.flow.first.0.saturating_sub(c.first);
        for (g, n) in s.segs.iter().zip(new_bytes(s)) {
            let t = (offset + g.t_ns) as f64 / 1e9;
            let i = ((t / bin) as usize).min(BINS - 1);
            if let Some(v) = bytes
                .get_mut(usize::from(!g.from_orig))
                .and_then(|r| r.get_mut(i))
            {
                *v += n;
            }
        }
    }
    let top = bytes
        .iter()
        .flatten()
        .fold(1.0f64, |a, b| a.max(*b as f64 / bin));
    let plot = Plot::new((0.0, c.dur), (0.0, top * 1.05));
    let mut svg = plot.page(
        &Kind::CAPTURE_THROUGHPUT,
        &format!("Throughput, whole capture ({})", c.name),
        "Throughput per direction summed over every TCP flow, with a moving average",
        &format!(
            "Throughput  whole capture, {}  (bins of {:.3} ms, average over {AVG_BINS})",
            c.name,
            bin * 1e3
        ),
    );
    svg.open_group(
        "plot",
        &[
            ("bin-s", format!("{bin}")),
            ("flows", c.flows.len().to_string()),
        ],
    );
    for (side, (dir, ink)) in [("c2s", colour::BLUE), ("s2c", colour::VERMILLION)]
        .into_iter()
        .enumerate()
    {
        let Some(r) = bytes.get(side) else { continue };
        let total: u64 = r.iter().sum();
        svg.open_group(&format!("total {dir}"), &[("bytes", total.to_string())]);
        let mut avg = String::new();
        let mut sum = 0.0;
        for (i, n) in r.iter().enumerate() {
            let v = *n as f64 / bin;
            sum += v;
            if i >= AVG_BINS {
                sum -= r.get(i - AVG_BINS).map_or(0.0, |b| *b as f64 / bin);
            }
            let t = (i as f64 + 0.5) * bin;
            let x = plot.x.map(t);
            if *n > 0 {
                svg.circle(
                    (x, plot.y.map(v)),
                    2.0,
                    &format!("tput {dir}"),
                    ink,
                    &[
                        ("t", format!("{t:.6}")),
                        ("rate", format!("{v:.0}")),
                        ("bytes", n.to_string()),
                    ],
                );
            }
            let a = sum / (i + 1).min(AVG_BINS) as f64;
            avg.push_str(if avg.is_empty() { "M" } else { "L" });
            avg.push_str(&format!("{},{}", num(x), num(plot.y.map(a))));
        }
        svg.path(&avg, &format!("avg {dir}"), ink, "none", &[]);
        svg.close_group();
    }
    axes::finish(
        svg,
        &[
            (Swatch::Dot, colour::BLUE, "client → server, all flows"),
            (
                Swatch::Dot,
                colour::VERMILLION,
                "server → client, all flows",
            ),
            (Swatch::Line, colour::GREY, "lines: moving average"),
        ],
    )
}

/// The colours flows cycle through in the whole-capture RTT graph.
const PALETTE: [&str; 6] = [
    colour::BLUE,
    colour::VERMILLION,
    colour::GREEN,
    colour::ORANGE,
    colour::PURPLE,
    colour::SKY,
];

/// Every TCP flow's RTT samples on the capture's time axis.
pub fn rtt(report: &FlowReport) -> String {
    let c = capture(report);
    // (flow uid, colour, capture-relative time ns, sample)
    let mut all = Vec::new();
    for (i, s) in c.flows.iter().enumerate() {
        let offset = s.flow.first.0.saturating_sub(c.first);
        let ink = PALETTE
            .get(i % PALETTE.len())
            .copied()
            .unwrap_or(colour::INK);
        for x in rtt::samples(&s.segs).1 {
            all.push((s.flow.uid, ink, offset + x.t_ns, x));
        }
    }
    let top = all
        .iter()
        .map(|x| x.3.rtt_ns as f64 / 1e6)
        .fold(0.001f64, f64::max);
    let plot = Plot::new((0.0, c.dur), (0.0, top * 1.05));
    let mut svg = plot.page(
        &Kind::CAPTURE_RTT,
        &format!("RTT, whole capture ({})", c.name),
        "Round-trip time samples of every TCP flow, one colour per flow",
        &format!("RTT  whole capture, {}  ({} samples)", c.name, all.len()),
    );
    svg.open_group(
        "plot",
        &[
            ("samples", all.len().to_string()),
            ("flows", c.flows.len().to_string()),
        ],
    );
    // Merged per pixel and flow, as the one-flow RTT graph does.
    let mut dots: Vec<(u64, &str, f64, f64, u64, rtt::Sample, u64)> = Vec::new();
    let mut at: HashMap<(u64, bool, i64, i64), usize> = HashMap::new();
    for (uid, ink, t, x) in &all {
        let (px, py) = (
            plot.x.map(*t as f64 / 1e9),
            plot.y.map(x.rtt_ns as f64 / 1e6),
        );
        let key = (*uid, x.from_orig, px.round() as i64, py.round() as i64);
        match at.get(&key).and_then(|&i| dots.get_mut(i)) {
            Some(d) => d.6 += 1,
            None => {
                at.insert(key, dots.len());
                dots.push((*uid, ink, px, py, *t, *x, 1));
            }
        }
    }
    for (uid, ink, px, py, t, x, count) in dots {
        let dir = if x.from_orig { "c2s" } else { "s2c" };
        svg.circle(
            (px, py),
            2.5,
            &format!("rtt {dir}"),
            ink,
            &[
                ("flow", format!("C{uid}")),
                ("ts", t.to_string()),
                ("rtt-ns", x.rtt_ns.to_string()),
                ("count", count.to_string()),
            ],
        );
    }
    let labels: Vec<(String, &str)> = c
        .flows
        .iter()
        .zip(PALETTE.iter().cycle())
        .take(PALETTE.len())
        .map(|(s, ink)| (format!("C{}", s.flow.uid), *ink))
        .collect();
    let mut entries: Vec<(Swatch, &str, &str)> = labels
        .iter()
        .map(|(l, ink)| (Swatch::Dot, *ink, l.as_str()))
        .collect();
    if c.flows.len() > PALETTE.len() {
        entries.push((
            Swatch::Line,
            colour::GREY,
            "colours repeat; flow in data-flow",
        ));
    }
    axes::finish(svg, &entries)
}
