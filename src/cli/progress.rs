//! `read`'s progress bar: bytes read of the file's size and packets per
//! second, on stderr, for a file large enough to take a while, and only when
//! stderr is a terminal (and stdout is not the same screen filling with
//! packet lines). Nothing at all otherwise, so pipes and logs stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::Path;
use std::time::Instant;

/// Files smaller than this read too fast for a bar to help.
const MIN_BYTES: u64 = 64 << 20;

/// Overrides [`MIN_BYTES`] (a number of bytes): for the tests, which need a
/// bar on a small file. Not documented for users.
pub const MIN_BYTES_ENV: &str = "SOCKSCOPE_PROGRESS_MIN_BYTES";

/// The file, opened and wrapped so that reading it moves a bar, when a bar
/// is wanted: `path` is a regular file of at least [`MIN_BYTES`], stderr is
/// a terminal, and packet lines do not go to a terminal too.
pub fn open(path: &Path, prints_to_terminal: bool) -> Option<(CountingReader, ProgressBar)> {
    if path.as_os_str() == "-" || !io::stderr().is_terminal() || prints_to_terminal {
        return None;
    }
    let min = std::env::var(MIN_BYTES_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(MIN_BYTES);
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() < min {
        return None;
    }
    let file = File::open(path).ok()?;
    let bar = ProgressBar::with_draw_target(Some(meta.len()), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{bar:30} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {msg} eta {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    // The bar's blocks are Unicode: plain characters for other locales.
    let style = if super::term::locale_is_utf8() {
        style
    } else {
        style.progress_chars("#>-")
    };
    bar.set_style(style);
    Some((
        CountingReader {
            file,
            bar: bar.clone(),
        },
        bar,
    ))
}

/// The hook the pipeline calls with the packet count: packets per second
/// since the start, as the bar's message.
pub fn packet_rate(bar: ProgressBar) -> Box<dyn FnMut(u64)> {
    let start = Instant::now();
    Box::new(move |n| {
        let secs = start.elapsed().as_secs_f64();
        if secs > 0.0 {
            bar.set_message(format!("{:.0} packets/s", n as f64 / secs));
        }
    })
}

/// A file whose reads move the bar.
pub struct CountingReader {
    file: File,
    bar: ProgressBar,
}

impl Read for CountingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}
