//! Round-trip time samples over time, per direction of data. With TCP
//! timestamps on both sides (RFC 7323), a sample is the time from the
//! first segment carrying a TSval to the first ACK echoing it; without
//! them, from a segment to the first ACK that covers exactly its end,
//! skipping any segment that was sent more than once (Karn's rule: an ACK
//! of a retransmitted segment cannot say which copy it answers).

use super::axes::{self, Kind, Plot, Swatch};
use super::series::{Seg, Series};
use super::svg::colour;
use crate::decode::tcp_flags::TcpFlags;
use std::collections::{HashMap, VecDeque};

/// One RTT sample: when the ACK was seen (ns since the flow began), the
/// RTT (ns), and whether data flowed client → server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sample {
    pub t_ns: u64,
    pub rtt_ns: u64,
    pub from_orig: bool,
}

/// How samples were taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Timestamps,
    SeqAck,
}

impl Method {
    /// How the samples were taken, as the graph's description says it.
    fn how(self) -> &'static str {
        match self {
            Method::Timestamps => "from TCP timestamps",
            Method::SeqAck => "from segment/ACK matching, Karn's rule",
        }
    }
}

/// Every sample of the flow.
pub fn samples(segs: &[Seg]) -> (Method, Vec<Sample>) {
    let with_ts = segs.iter().filter(|g| g.timestamp.is_some()).count();
    if with_ts * 2 > segs.len() && !segs.is_empty() {
        (Method::Timestamps, by_timestamps(segs))
    } else {
        (Method::SeqAck, by_seq_ack(segs))
    }
}

fn by_timestamps(segs: &[Seg]) -> Vec<Sample> {
    // First time each TSval was sent, per direction.
    let mut sent: [HashMap<u32, u64>; 2] = [HashMap::new(), HashMap::new()];
    let mut out = Vec::new();
    for g in segs {
        let Some((val, ecr)) = g.timestamp else {
            continue;
        };
        let (me, peer) = if g.from_orig { (0, 1) } else { (1, 0) };
        if (g.len > 0 || g.flags.intersects(TcpFlags::SYN | TcpFlags::FIN))
            && let Some(m) = sent.get_mut(me)
        {
            m.entry(val).or_insert(g.t_ns);
        }
        if g.has(TcpFlags::ACK)
            && ecr != 0
            && let Some(t0) = sent.get_mut(peer).and_then(|m| m.remove(&ecr))
        {
            out.push(Sample {
                t_ns: g.t_ns,
                rtt_ns: g.t_ns.saturating_sub(t0),
                from_orig: !g.from_orig,
            });
        }
    }
    out
}

fn by_seq_ack(segs: &[Seg]) -> Vec<Sample> {
    // Per direction: segments waiting for their ACK (end, sent at, sent twice).
    let mut queue: [VecDeque<(u64, u64, bool)>; 2] = [VecDeque::new(), VecDeque::new()];
    let mut out = Vec::new();
    for g in segs {
        let (me, peer) = if g.from_orig { (0, 1) } else { (1, 0) };
        if g.end > g.seq
            && let Some(q) = queue.get_mut(me)
        {
            let again = g.is_retrans() || q.iter().any(|e| e.0 >= g.end);
            if again {
                // Karn: every copy of these bytes is ambiguous now.
                for e in q.iter_mut().filter(|e| e.0 > g.seq) {
                    e.2 = true;
                }
            } else {
                q.push_back((g.end, g.t_ns, false));
            }
        }
        if g.has(TcpFlags::ACK)
            && let Some(q) = queue.get_mut(peer)
        {
            while let Some(&(end, t0, ambiguous)) = q.front() {
                if end > g.ack {
                    break;
                }
                q.pop_front();
                if end == g.ack && !ambiguous {
                    out.push(Sample {
                        t_ns: g.t_ns,
                        rtt_ns: g.t_ns.saturating_sub(t0),
                        from_orig: !g.from_orig,
                    });
                }
            }
        }
    }
    out
}

pub fn render(s: &Series<'_>) -> String {
    let (method, samples) = samples(&s.segs);
    let top = samples
        .iter()
        .map(|x| x.rtt_ns as f64 / 1e6)
        .fold(0.001f64, f64::max);
    let plot = Plot::new(
        (0.0, (s.duration_ns as f64 / 1e9).max(1e-6)),
        (0.0, top * 1.05),
    );
    let how = method.how();
    let mut svg = plot.page(
        &Kind::RTT,
        &format!("RTT {}", s.name()),
        &format!("Round-trip time samples {how}"),
        &format!("RTT  {}  ({how}, {} samples)", s.name(), samples.len()),
    );
    svg.open_group(
        "plot",
        &[
            ("method", format!("{method:?}").to_lowercase()),
            ("samples", samples.len().to_string()),
        ],
    );
    // Merged per pixel: samples of one direction landing on the same
    // (column, row) pixel are one dot with their count, so a long flow's
    // thousands of samples cost at most one element per lit pixel.
    let mut dots: Vec<(bool, f64, f64, &Sample, u64)> = Vec::new();
    let mut at: HashMap<(bool, i64, i64), usize> = HashMap::new();
    for x in &samples {
        let (px, py) = (
            plot.x.map(x.t_ns as f64 / 1e9),
            plot.y.map(x.rtt_ns as f64 / 1e6),
        );
        let key = (x.from_orig, px.round() as i64, py.round() as i64);
        match at.get(&key).and_then(|&i| dots.get_mut(i)) {
            Some(d) => d.4 += 1,
            None => {
                at.insert(key, dots.len());
                dots.push((x.from_orig, px, py, x, 1));
            }
        }
    }
    for (from_orig, px, py, x, count) in dots {
        let (dir, ink) = if from_orig {
            ("c2s", colour::BLUE)
        } else {
            ("s2c", colour::VERMILLION)
        };
        svg.circle(
            (px, py),
            2.5,
            &format!("rtt {dir}"),
            ink,
            &[
                ("ts", x.t_ns.to_string()),
                ("rtt-ns", x.rtt_ns.to_string()),
                ("count", count.to_string()),
            ],
        );
    }
    axes::finish(
        svg,
        &[
            (Swatch::Dot, colour::BLUE, "data client → server"),
            (Swatch::Dot, colour::VERMILLION, "data server → client"),
        ],
    )
}
