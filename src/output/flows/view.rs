//! How the flow printers fit where their text goes: the width to fit (a
//! terminal's; `None` when piped or with `--wide`, which keeps every column
//! and today's layout), ASCII or Unicode glyphs, whether timelines collapse
//! long runs of data segments. The CLI fills
//! it in from the terminal and the locale; the printers never look at
//! either.

use std::borrow::Cow;
use std::io;

/// How `--flows` prints the flows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FlowFormat {
    /// The table for people.
    #[default]
    Table,
    /// Tab-separated values with a header row.
    Tsv,
    /// Comma-separated values (RFC 4180) with a header row.
    Csv,
    /// One conn.log-style JSON object per flow and line.
    Json,
    /// Zeek's conn.log (TSV with its header lines).
    Zeek,
}

/// Layout choices for the flow table and the timelines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FlowView {
    /// Columns to fit; `None`: no limit (every column, the full layout).
    pub width: Option<usize>,
    /// ASCII borders, arrows and bullets (a locale that is not UTF-8).
    pub ascii: bool,
    /// Show every timeline segment (`-v`) instead of collapsing long runs.
    pub all_segments: bool,
}

impl FlowView {
    /// `line` in this view's glyphs: Unicode as is, or each non-ASCII glyph
    /// the printers use spelled in ASCII.
    pub fn glyphs<'a>(&self, line: &'a str) -> Cow<'a, str> {
        if !self.ascii || line.is_ascii() {
            return Cow::Borrowed(line);
        }
        let mut s = String::with_capacity(line.len());
        for c in line.chars() {
            match c {
                '─' | '═' => s.push('-'),
                '▶' => s.push('>'),
                '◀' => s.push('<'),
                '→' => s.push_str("->"),
                '·' => s.push('*'),
                '…' => s.push_str("..."),
                c if c.is_ascii() => s.push(c),
                _ => s.push('?'),
            }
        }
        Cow::Owned(s)
    }

    /// Write `text` as one line, or, when it is wider than the width, as
    /// several cut at spaces: the first starts with `indent`, the others
    /// with `indent` and two more spaces.
    pub fn write_wrapped(
        &self,
        w: &mut dyn io::Write,
        indent: usize,
        text: &str,
    ) -> io::Result<()> {
        let text = self.glyphs(text);
        for line in wrap(&text, indent, self.width) {
            w.write_all(line.as_bytes())?;
            w.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// `text` indented by `indent` spaces, cut at spaces into lines of at most
/// `width` characters (continuation lines indented two more); a word
/// longer than a line is cut where the line ends. No width: one line.
pub fn wrap(text: &str, indent: usize, width: Option<usize>) -> Vec<String> {
    let first = " ".repeat(indent);
    let Some(width) = width else {
        return vec![format!("{first}{text}")];
    };
    let rest = " ".repeat(indent + 2);
    let mut lines = Vec::new();
    let mut line = first.clone();
    let mut len = indent;
    let mut fresh = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let wl = word.chars().count();
        if !fresh && len + 1 + wl > width {
            lines.push(std::mem::replace(&mut line, rest.clone()));
            len = indent + 2;
            fresh = true;
        }
        if !fresh {
            line.push(' ');
            len += 1;
        }
        // A word wider than a whole line: cut it.
        let mut chars = word.chars().peekable();
        while chars.peek().is_some() {
            if len >= width && !fresh {
                lines.push(std::mem::replace(&mut line, rest.clone()));
                len = indent + 2;
            }
            let room = width.saturating_sub(len).max(1);
            for c in chars.by_ref().take(room) {
                line.push(c);
                len += 1;
            }
            fresh = false;
        }
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_fits_and_keeps_every_word() {
        let text = "handshake 0.160 ms (SYN→SYN/ACK 0.120, SYN/ACK→ACK 0.040) · client entered \
                    TIME_WAIT · SF: normal establishment and termination";
        for width in [20, 40, 80] {
            let lines = wrap(text, 2, Some(width));
            assert!(lines.len() > 1, "{lines:?}");
            for l in &lines {
                assert!(l.chars().count() <= width, "{width}: {l:?}");
            }
            let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
            assert_eq!(words, text.split_whitespace().collect::<Vec<_>>());
        }
        assert_eq!(wrap(text, 2, None), vec![format!("  {text}")]);
        // A word longer than a line is cut, never overflows.
        for l in wrap("x aaaaaaaaaaaaaaaaaaaaaaaaa", 0, Some(10)) {
            assert!(l.chars().count() <= 10, "{l:?}");
        }
    }

    #[test]
    fn ascii_spells_every_glyph() {
        let v = FlowView {
            ascii: true,
            ..FlowView::default()
        };
        let s = v.glyphs("  +0.1 ms  SYN ──▶ ◀── a → b · c … ═");
        assert_eq!(s, "  +0.1 ms  SYN --> <-- a -> b * c ... -");
        assert!(s.is_ascii());
    }
}
