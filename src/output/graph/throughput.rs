//! Goodput per direction: new payload bytes (retransmissions left out) per
//! time bin, one dot per bin, and a moving average over the last
//! `AVG_BINS` bins as a line. The bins are pixel-sized (the plot width
//! divided into `BINS`), so the cost and the file size do not grow with
//! the flow.

use super::axes::{self, Kind, Plot, Swatch};
use super::series::Series;
use super::svg::{colour, num};

const BINS: usize = 200;
const AVG_BINS: usize = 10;

pub fn render(s: &Series<'_>) -> String {
    let dur = (s.duration_ns as f64 / 1e9).max(1e-6);
    let bin = dur / BINS as f64;
    let mut rate = [vec![0f64; BINS], vec![0f64; BINS]];
    for g in &s.segs {
        if g.len == 0 || g.is_retrans() {
            continue;
        }
        let i = ((g.t() / bin) as usize).min(BINS - 1);
        let side = if g.from_orig { 0 } else { 1 };
        if let Some(v) = rate.get_mut(side).and_then(|r| r.get_mut(i)) {
            *v += g.len as f64 / bin;
        }
    }
    let top = rate.iter().flatten().fold(1.0f64, |a, b| a.max(*b));
    let plot = Plot::new((0.0, dur), (0.0, top * 1.05));
    let mut svg = plot.page(
        &Kind::THROUGHPUT,
        &format!("Throughput {}", s.name()),
        "Goodput per direction over time with a moving average",
        &format!(
            "Goodput  {}  (bins of {:.3} ms, average over {AVG_BINS})",
            s.name(),
            bin * 1e3
        ),
    );
    svg.open_group("plot", &[("bin-s", format!("{bin}"))]);
    for (side, (dir, ink)) in [("c2s", colour::BLUE), ("s2c", colour::VERMILLION)]
        .into_iter()
        .enumerate()
    {
        let Some(r) = rate.get(side) else { continue };
        let mut avg = String::new();
        let mut sum = 0.0;
        for (i, v) in r.iter().enumerate() {
            sum += v;
            if i >= AVG_BINS {
                sum -= r.get(i - AVG_BINS).copied().unwrap_or(0.0);
            }
            let t = (i as f64 + 0.5) * bin;
            let x = plot.x.map(t);
            if *v > 0.0 {
                svg.circle(
                    (x, plot.y.map(*v)),
                    2.0,
                    &format!("tput {dir}"),
                    ink,
                    &[("t", format!("{t:.6}")), ("rate", format!("{v:.0}"))],
                );
            }
            let a = sum / (i + 1).min(AVG_BINS) as f64;
            avg.push_str(if avg.is_empty() { "M" } else { "L" });
            avg.push_str(&format!("{},{}", num(x), num(plot.y.map(a))));
        }
        svg.path(&avg, &format!("avg {dir}"), ink, "none", &[]);
    }
    let (c, sv) = (s.flow.orig.to_string(), s.flow.resp.to_string());
    let l1 = format!("{c} → {sv}");
    let l2 = format!("{sv} → {c}");
    axes::finish(
        svg,
        &[
            (Swatch::Dot, colour::BLUE, &l1),
            (Swatch::Dot, colour::VERMILLION, &l2),
            (Swatch::Line, colour::GREY, "lines: moving average"),
        ],
    )
}
