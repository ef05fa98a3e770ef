//! What the plotted kinds (tsg, throughput, rtt, window) share: linear
//! scales from data to pixels, "nice" tick steps (1, 2, 5 × 10ⁿ), the plot
//! frame with both axes, their units and a grid, and the legend. The axes
//! carry `data-min`/`data-max` so a test can check they cover the data.

use super::svg::{Svg, colour, num};

/// A linear map from a data interval onto a pixel interval (which may run
/// backwards, as a y axis does).
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Scale {
    /// Map `[d0, d1]` onto `[r0, r1]`; an empty data interval is widened so
    /// a flow of one packet still has an axis.
    pub fn new(d0: f64, d1: f64, r0: f64, r1: f64) -> Scale {
        let (d0, d1) = if d1 > d0 { (d0, d1) } else { (d0, d0 + 1.0) };
        Scale { d0, d1, r0, r1 }
    }
    pub fn map(&self, v: f64) -> f64 {
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }
}

/// Tick values between `lo` and `hi`, about `want` of them, on a 1-2-5 step.
pub fn ticks(lo: f64, hi: f64, want: usize) -> Vec<f64> {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return vec![lo];
    }
    let raw = span / want.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let mut v = (lo / step).ceil() * step;
    let mut out = Vec::new();
    while v <= hi + step * 1e-9 && out.len() < 50 {
        out.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        v += step;
    }
    out
}

/// A tick label with SI prefixes (`1.5k`, `2M`), for bytes and rates.
pub fn si(v: f64) -> String {
    let a = v.abs();
    let (d, p) = if a >= 1e9 {
        (1e9, "G")
    } else if a >= 1e6 {
        (1e6, "M")
    } else if a >= 1e3 {
        (1e3, "k")
    } else {
        (1.0, "")
    };
    let x = v / d;
    let s = if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    format!("{s}{p}")
}

/// A time tick label in seconds, as many decimals as the step needs.
pub fn secs(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil().clamp(0.0, 9.0) as usize
    };
    format!("{v:.decimals$}")
}

/// The fixed words of a plotted kind: its `data-kind`, the axis titles
/// (with their units), and how the y ticks read.
pub struct Kind {
    name: &'static str,
    x_title: &'static str,
    y_title: &'static str,
    y_label: fn(f64) -> String,
}

const FLOW_T: &str = "time since the flow's first packet (s)";
const CAPTURE_T: &str = "time since the capture's first packet (s)";

impl Kind {
    pub const TSG: Kind = Kind::new("tsg", FLOW_T, "relative sequence number (bytes)", si);
    pub const WINDOW: Kind = Kind::new("window", FLOW_T, "bytes", si);
    pub const THROUGHPUT: Kind = Kind::new("throughput", FLOW_T, "goodput (bytes/s)", si);
    pub const RTT: Kind = Kind::new("rtt", FLOW_T, "round-trip time (ms)", ms_label);
    pub const CAPTURE_THROUGHPUT: Kind =
        Kind::new("throughput", CAPTURE_T, "throughput (bytes/s)", si);
    pub const CAPTURE_RTT: Kind = Kind::new("rtt", CAPTURE_T, "round-trip time (ms)", ms_label);

    const fn new(
        name: &'static str,
        x_title: &'static str,
        y_title: &'static str,
        y_label: fn(f64) -> String,
    ) -> Kind {
        Kind {
            name,
            x_title,
            y_title,
            y_label,
        }
    }
}

/// End a plotted page: close the kind's `plot` group, draw the legend under
/// the x axis title, and close the document.
pub fn finish(mut svg: Svg, entries: &[(Swatch, &str, &str)]) -> String {
    svg.close_group();
    legend(&mut svg, legend_y(), entries);
    svg.finish()
}

/// The plot area of a graph and its two scales.
pub struct Plot {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    pub x: Scale,
    pub y: Scale,
}

/// Page layout of the plotted kinds: width and height of the whole SVG and
/// the margins around the plot (room for tick labels, axis titles, legend).
pub const WIDTH: f64 = 960.0;
pub const HEIGHT: f64 = 600.0;
const LEFT: f64 = 84.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 44.0;
const BOTTOM: f64 = 96.0;

impl Plot {
    pub fn new(xr: (f64, f64), yr: (f64, f64)) -> Plot {
        let (left, top, right, bottom) = (LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM);
        Plot {
            left,
            top,
            right,
            bottom,
            x: Scale::new(xr.0, xr.1, left, right),
            y: Scale::new(yr.0, yr.1, bottom, top),
        }
    }

    /// The pixel column of data value `x`, for merging per column.
    pub fn column(&self, x: f64) -> i64 {
        self.x.map(x).floor() as i64
    }

    /// Begin a plotted page: the document, the heading over the plot, and
    /// the axes. The kind then opens its `plot` group and draws into it;
    /// [`finish`] closes it.
    /// `title` and `desc` are what screen readers announce, `heading` is
    /// the line over the plot.
    pub fn page(&self, kind: &Kind, title: &str, desc: &str, heading: &str) -> Svg {
        let mut svg = Svg::new(WIDTH, HEIGHT, kind.name, title, desc);
        self::title(&mut svg, heading);
        self.draw_axes(&mut svg, kind.x_title, kind.y_title, kind.y_label);
        svg
    }

    /// Grid, axes, tick labels and the axis titles (with their units).
    pub fn draw_axes(
        &self,
        svg: &mut Svg,
        x_title: &str,
        y_title: &str,
        y_label: fn(f64) -> String,
    ) {
        let xt = ticks(self.x.d0, self.x.d1, 10);
        let step = xt
            .windows(2)
            .next()
            .and_then(|w| Some(w.last()? - w.first()?))
            .unwrap_or(1.0);
        svg.open_group(
            "axis x",
            &[
                ("min", format!("{}", self.x.d0)),
                ("max", format!("{}", self.x.d1)),
                ("unit", "s".to_string()),
            ],
        );
        for t in &xt {
            let x = self.x.map(*t);
            tick(
                svg,
                ((x, self.top), (x, self.bottom)),
                ((x, self.bottom), (x, self.bottom + 5.0)),
                ((x, self.bottom + 18.0), "middle", &secs(*t, step)),
            );
        }
        rule(svg, (self.left, self.bottom), (self.right, self.bottom));
        svg.text(
            ((self.left + self.right) / 2.0, self.bottom + 36.0),
            "middle",
            "",
            colour::INK,
            x_title,
            &[],
        );
        svg.close_group();
        svg.open_group(
            "axis y",
            &[
                ("min", format!("{}", self.y.d0)),
                ("max", format!("{}", self.y.d1)),
            ],
        );
        for t in ticks(self.y.d0, self.y.d1, 8) {
            let y = self.y.map(t);
            tick(
                svg,
                ((self.left, y), (self.right, y)),
                ((self.left - 5.0, y), (self.left, y)),
                ((self.left - 8.0, y + 4.0), "end", &y_label(t)),
            );
        }
        rule(svg, (self.left, self.top), (self.left, self.bottom));
        svg.vertical_text((18.0, (self.top + self.bottom) / 2.0), "", y_title);
        svg.close_group();
    }
}

/// One tick of an axis: its grid line across the plot, its mark on the
/// axis, and its label (where, anchored how, what).
fn tick(
    svg: &mut Svg,
    (g0, g1): ((f64, f64), (f64, f64)),
    (m0, m1): ((f64, f64), (f64, f64)),
    (at, anchor, label): ((f64, f64), &str, &str),
) {
    svg.line(g0, g1, "grid", colour::GRID, 1.0, &[]);
    rule(svg, m0, m1);
    svg.text(at, anchor, "", colour::INK, label, &[]);
}

/// A one-pixel ink line: an axis or a tick mark.
fn rule(svg: &mut Svg, from: (f64, f64), to: (f64, f64)) {
    svg.line(from, to, "", colour::INK, 1.0, &[]);
}

/// How a legend entry is drawn.
#[derive(Clone, Copy)]
pub enum Swatch {
    Line,
    Dot,
    Letter(&'static str),
}

/// A legend row under the plot: (swatch, colour, label) for each entry.
pub fn legend(svg: &mut Svg, y: f64, entries: &[(Swatch, &str, &str)]) {
    svg.open_group("legend", &[]);
    let mut x = LEFT;
    for (swatch, fill, label) in entries {
        match swatch {
            Swatch::Line => svg.line((x, y - 4.0), (x + 18.0, y - 4.0), "", fill, 2.5, &[]),
            Swatch::Dot => svg.circle((x + 9.0, y - 4.0), 4.0, "", fill, &[]),
            Swatch::Letter(l) => svg.text((x + 9.0, y), "middle", "title", fill, l, &[]),
        }
        svg.text((x + 24.0, y), "start", "", colour::INK, label, &[]);
        x += 34.0 + label.chars().count() as f64 * 6.4;
        if x > WIDTH - 160.0 {
            x = LEFT;
        }
    }
    svg.close_group();
}

/// The header line of a plotted graph.
pub fn title(svg: &mut Svg, text: &str) {
    svg.text((LEFT, 26.0), "start", "title", colour::INK, text, &[]);
}

/// Legend position: under the x axis title.
pub fn legend_y() -> f64 {
    HEIGHT - BOTTOM + 64.0
}

/// Milliseconds with up to three decimals.
pub fn ms_label(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// For the pixel tests: the number formatting is shared.
pub fn px(v: f64) -> String {
    num(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_step_on_1_2_5() {
        assert_eq!(ticks(0.0, 10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(ticks(0.0, 0.0, 5), vec![0.0]);
        assert_eq!(si(1500.0), "1.5k");
        assert_eq!(si(2_000_000.0), "2M");
        assert_eq!(secs(0.25, 0.05), "0.25");
    }

    #[test]
    fn scale_maps_and_widens_empty_ranges() {
        let s = Scale::new(0.0, 10.0, 100.0, 200.0);
        assert_eq!(s.map(5.0), 150.0);
        let e = Scale::new(3.0, 3.0, 0.0, 10.0);
        assert_eq!(e.map(3.0), 0.0);
    }
}
