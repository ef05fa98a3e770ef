//! The SVG writer every graph shares: the document head (size, title,
//! description, one style sheet), escaped text, and elements that carry a
//! class and `data-*` attributes so tests and users can find what was drawn.
//! Coordinates are written with one decimal: a pixel is the unit a reader
//! sees, and shorter numbers keep a large graph's file small.

use std::fmt::Write as _;

/// The colour-blind-safe palette (Okabe and Ito, 2008), dark on light.
pub mod colour {
    pub const INK: &str = "#222222";
    pub const GRID: &str = "#e4e4e4";
    pub const BLUE: &str = "#0072B2";
    pub const GREEN: &str = "#009E73";
    pub const ORANGE: &str = "#E69F00";
    pub const SKY: &str = "#56B4E9";
    pub const VERMILLION: &str = "#D55E00";
    pub const PURPLE: &str = "#CC79A7";
    pub const GREY: &str = "#777777";
}

/// One style sheet for every kind: fonts and dashes. Colours are
/// presentation attributes on each element (a style-sheet rule would win
/// over them), so a user's own sheet can still restyle by class.
const STYLE: &str = "\
svg{background:#ffffff}\
text{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;font-size:11px}\
.title{font-size:14px;font-weight:bold}\
.mono{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:10px}\
.capture{stroke-dasharray:4 3}\
.state{font-size:10px;font-weight:bold}\
";

/// An SVG document being written.
pub struct Svg {
    buf: String,
}

/// Escape text for an XML text node or attribute value.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with one decimal, without a trailing `.0`.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// `data-*` attributes: (name without the prefix, value).
pub type Data<'a> = &'a [(&'a str, String)];

/// An element attribute's value: a coordinate (written by [`num`]) or a
/// value the graph code chose (a colour, an anchor, path data), as is.
#[derive(Clone, Copy)]
enum Value<'a> {
    Num(f64),
    Text(&'a str),
}
use Value::{Num as N, Text as T};

impl Svg {
    /// Start a document `width` × `height` px; `kind` goes on the root as
    /// `data-kind`, `title` and `desc` into the elements screen readers use.
    pub fn new(width: f64, height: f64, kind: &str, title: &str, desc: &str) -> Svg {
        let mut buf = String::with_capacity(1 << 16);
        let _ = write!(
            buf,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{w}\" height=\"{h}\" \
             viewBox=\"0 0 {w} {h}\" data-kind=\"{kind}\" role=\"img\">\n<title>{t}</title>\n<desc>{d}</desc>\n\
             <style>{STYLE}</style>\n<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
            w = num(width),
            h = num(height),
            t = escape(title),
            d = escape(desc),
        );
        Svg { buf }
    }

    fn attrs(&mut self, class: &str, data: Data<'_>) {
        if !class.is_empty() {
            let _ = write!(self.buf, " class=\"{class}\"");
        }
        for (k, v) in data {
            let _ = write!(self.buf, " data-{k}=\"{}\"", escape(v));
        }
    }

    /// Extra root attributes (`data-*` on a group around everything that follows).
    pub fn open_group(&mut self, class: &str, data: Data<'_>) {
        self.buf.push_str("<g");
        self.attrs(class, data);
        self.buf.push_str(">\n");
    }

    pub fn close_group(&mut self) {
        self.buf.push_str("</g>\n");
    }

    /// One element: `<tag`, its attributes (`names` space-separated, one
    /// value each, in order), the class and `data-*` attributes, then `/>`
    /// or, with a body, the escaped text and the closing tag. Every element
    /// writer below goes through here.
    fn element(
        &mut self,
        tag: &str,
        (names, values): (&str, &[Value<'_>]),
        class: &str,
        data: Data<'_>,
        body: Option<&str>,
    ) {
        let _ = write!(self.buf, "<{tag}");
        for (k, v) in names.split(' ').zip(values) {
            let _ = match v {
                Value::Num(n) => write!(self.buf, " {k}=\"{}\"", num(*n)),
                Value::Text(t) => write!(self.buf, " {k}=\"{t}\""),
            };
        }
        self.attrs(class, data);
        match body {
            None => self.buf.push_str("/>\n"),
            Some(text) => {
                let _ = writeln!(self.buf, ">{}</{tag}>", escape(text));
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn line(
        &mut self,
        (x1, y1): (f64, f64),
        (x2, y2): (f64, f64),
        class: &str,
        stroke: &str,
        width: f64,
        data: Data<'_>,
    ) {
        let values = [N(x1), N(y1), N(x2), N(y2), T(stroke), N(width)];
        let attrs = ("x1 y1 x2 y2 stroke stroke-width", values.as_slice());
        self.element("line", attrs, class, data, None);
    }

    /// A path from `d`; `fill` "none" for a stroke only.
    pub fn path(&mut self, d: &str, class: &str, stroke: &str, fill: &str, data: Data<'_>) {
        let values = [T(d), T(stroke), T(fill)];
        self.element("path", ("d stroke fill", &values), class, data, None);
    }

    pub fn circle(&mut self, (x, y): (f64, f64), r: f64, class: &str, fill: &str, data: Data<'_>) {
        let values = [N(x), N(y), N(r), T(fill)];
        self.element("circle", ("cx cy r fill", &values), class, data, None);
    }

    /// Text at (x, y); `anchor` start, middle or end.
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        (x, y): (f64, f64),
        anchor: &str,
        class: &str,
        fill: &str,
        text: &str,
        data: Data<'_>,
    ) {
        let values = [N(x), N(y), T(anchor), T(fill)];
        let attrs = ("x y text-anchor fill", values.as_slice());
        self.element("text", attrs, class, data, Some(text));
    }

    /// Text turned 90° counter-clockwise around (x, y) (a y-axis label).
    pub fn vertical_text(&mut self, (x, y): (f64, f64), class: &str, text: &str) {
        let _ = writeln!(
            self.buf,
            "<text x=\"{x}\" y=\"{y}\" text-anchor=\"middle\" transform=\"rotate(-90 {x} {y})\" class=\"{class}\">{}</text>",
            escape(text),
            x = num(x),
            y = num(y)
        );
    }

    /// Close the document and return it.
    pub fn finish(mut self) -> String {
        self.buf.push_str("</svg>\n");
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_rounds_numbers() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(num(1.04), "1");
        assert_eq!(num(2.25), "2.3");
        assert_eq!(num(f64::NAN), "0");
    }
}
