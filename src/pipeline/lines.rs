//! What the reader of `read --threads` knows of the packet lines before a
//! packet that its worker cannot: how many packets the filter took (so
//! `-c` stops where one thread stops), the number of the line (`-#`), and
//! the first and previous time stamps printed (`--time rel|delta`). The
//! reader runs the filter on every packet to know it; a worker resumes
//! its printer from the [`Place`] of each packet it prints.

use super::OutputConfig;
use super::driver::UserFilter;
use crate::output::packet::LinePrinter;
use crate::output::time::{RawTime, TimeFormat, TimePrinter};
use crate::packet::Packet;

/// Where a packet's line stands among all lines: lines printed before it,
/// and the first and the previous time stamps printed.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Place {
    pub printed: u64,
    pub first: Option<RawTime>,
    pub prev: Option<RawTime>,
}

/// The lines so far, kept by the reader.
pub(super) struct LineOrder {
    filter: Option<UserFilter>,
    count: Option<u64>,
    /// Workers must be told each packet's [`Place`] (`-#`, `--time rel|delta`).
    places: bool,
    matched: u64,
    first: Option<RawTime>,
    prev: Option<RawTime>,
}

impl LineOrder {
    /// `None` when the output needs nothing of the packets before.
    pub(super) fn new(opts: &OutputConfig) -> Option<Self> {
        let places = opts.number || matches!(opts.time, TimeFormat::Delta | TimeFormat::Rel);
        (places || opts.count.is_some()).then(|| LineOrder {
            filter: opts.filter.clone().map(UserFilter::new),
            count: opts.count,
            places,
            matched: 0,
            first: None,
            prev: None,
        })
    }

    /// `-c`'s count of packets was taken: nothing more is handed out.
    pub(super) fn done(&self) -> bool {
        self.count.is_some_and(|c| self.matched >= c)
    }

    /// The next packet read: its place, when workers need it (`None`
    /// otherwise, and for a packet the filter rejects: it prints nothing).
    pub(super) fn packet(&mut self, pkt: &Packet<'_>) -> Option<Place> {
        if let Some(f) = &mut self.filter
            && !f.matches(pkt)
        {
            return None;
        }
        let place = Place {
            printed: self.matched,
            first: self.first,
            prev: self.prev,
        };
        self.matched += 1;
        if LinePrinter::stamped(pkt) {
            let now = RawTime::of(pkt.ts, pkt.stamp);
            TimePrinter::note(&mut self.first, &mut self.prev, now);
        }
        self.places.then_some(place)
    }
}
