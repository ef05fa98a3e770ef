//! What a run counted: packets per link type, matched, malformed, truncated,
//! written, and the source's own counters; printed as one stderr line at the
//! end of `read` and used for tcpdump's counters at the end of `capture`.

use crate::output::fmt::count;
use crate::packet::LinkType;
use crate::source::{SourceError, SourceStats};
use std::io::Write;

/// tcpdump's three counters on stderr: at the end of a capture, and when
/// SIGUSR1 asks for them on the way.
pub fn print_counters(captured: u64, stats: &SourceStats) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{} captured", count(captured, "packet"));
    let _ = writeln!(
        err,
        "{} received by filter",
        count(stats.received, "packet")
    );
    let _ = writeln!(
        err,
        "{} dropped by kernel",
        count(stats.dropped_by_kernel.unwrap_or(0), "packet")
    );
}

/// What a run counted, for the summary line and the exit code.
#[derive(Debug, Default)]
pub struct RunSummary {
    /// Packets the source handed us.
    pub packets: u64,
    /// Packets that passed the filter (printed, written, tracked).
    pub matched: u64,
    /// Packets decoded (printed); malformed ones are only known among these.
    pub decoded: u64,
    pub malformed: u64,
    pub truncated: u64,
    /// Packets of a link type we do not decode.
    pub unsupported: u64,
    /// Packets per link type, in order of first appearance.
    pub by_link: Vec<(LinkType, u64)>,
    /// Packets written with `-w`.
    pub written: u64,
    /// `-G` with `-W N` stopped the run after N files (tcpdump: "Maximum
    /// file limit reached: N").
    pub file_limit: Option<u32>,
    /// The source's own counters (kernel drops for live capture).
    pub source: SourceStats,
    /// Set when the source stopped with an error after `packets` packets.
    pub source_error: Option<SourceError>,
    /// `follow`: what the streams came to.
    pub follow: Option<FollowSummary>,
}

/// What `follow` counted, for stderr.
#[derive(Debug, Default)]
pub struct FollowSummary {
    pub streams: u64,
    pub files: u64,
    /// Conflicting overlaps, one line each (at most 100), and how many more.
    pub notes: Vec<String>,
    pub more_notes: u64,
}

impl RunSummary {
    /// Add the counters of a later part of the same run (a batch of
    /// `read --threads`); link types keep the order they first came in.
    pub fn add(&mut self, later: RunSummary) {
        self.packets += later.packets;
        self.matched += later.matched;
        self.decoded += later.decoded;
        self.malformed += later.malformed;
        self.truncated += later.truncated;
        self.unsupported += later.unsupported;
        self.written += later.written;
        for (link, n) in later.by_link {
            self.count_link(link, n);
        }
    }

    /// `n` more packets of `link`; a new link type goes last, so the list
    /// keeps the order they first came in.
    pub fn count_link(&mut self, link: LinkType, n: u64) {
        match self.by_link.iter_mut().find(|(l, _)| *l == link) {
            Some((_, m)) => *m += n,
            None => self.by_link.push((link, n)),
        }
    }

    /// One line for stderr, e.g. `12 packets (EN10MB 12), 0 malformed`.
    pub fn line(&self) -> String {
        let links: Vec<String> = self
            .by_link
            .iter()
            .map(|(l, n)| format!("{} {n}", l.name()))
            .collect();
        let noun = if self.packets == 1 {
            "packet"
        } else {
            "packets"
        };
        let mut s = format!("{} {noun}", self.packets);
        if !links.is_empty() {
            s.push_str(&format!(" ({})", links.join(", ")));
        }
        if self.matched != self.packets {
            s.push_str(&format!(", {} matched the filter", self.matched));
        }
        if self.decoded > 0 {
            s.push_str(&format!(", {} malformed", self.malformed));
        }
        if self.truncated > 0 {
            s.push_str(&format!(
                ", {} truncated by the snap length",
                self.truncated
            ));
        }
        if self.unsupported > 0 {
            s.push_str(&format!(", {} of unsupported link types", self.unsupported));
        }
        if self.written > 0 {
            s.push_str(&format!(", {} written", self.written));
        }
        s
    }
}
