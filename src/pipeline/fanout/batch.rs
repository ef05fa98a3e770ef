//! What a `capture --threads` worker hands the merging thread: a batch of
//! its ring's packets in time order, in one of two shapes.
//!
//! - **Items**: each packet an [`Item`] (its line, its record or bytes, its
//!   Parquet row, whether the filter took it), for whatever the merger
//!   prints or reports.
//! - **Packed**: only pcap records for a merged `-w` file, back to back in
//!   `data`, and for each its time (after the batch's `base`) and where it
//!   lies: the common case of a capture into a file, where the merger only
//!   puts records in time order. The merger reads a packet's 4-byte time
//!   and, once a run, where the run begins and ends, instead of an item's
//!   80 bytes, each written on another core (every such cache line read
//!   is a miss: the merge cost a fifth of the whole capture's CPU a packet
//!   before).
//!
//! The worker sorts its batch before handing it over, on the core whose
//! cache still holds it.

use super::{BATCH, BATCH_BYTES};
use crate::output::packet::LinePrinter;
use crate::output::pcap::RECORD_HEADER;
use crate::packet::{LinkType, Packet, Timestamp};

/// One packet in an items batch: its fields, its line in `text` and
/// (merged `-w`) its bytes in `data`.
#[derive(Clone, Copy)]
pub(super) struct Item {
    pub ts: Timestamp,
    pub link: LinkType,
    pub orig_len: u32,
    pub text: (usize, usize),
    pub data: (usize, usize),
    /// `data` is the body of a pcap record whose header is the
    /// [`RECORD_HEADER`] bytes before it.
    pub record: bool,
    /// The filter took it (false: handed over only to be counted, for
    /// JSON's packet numbers, when the filter runs in user space).
    pub matched: bool,
    /// Its line carries a time stamp (`LinePrinter::stamped`).
    pub stamped: bool,
    /// JSON: where the digits of its packet number are in its line.
    pub n_at: (usize, usize),
    /// Its Parquet row's part in `Batch::rows`, or [`NO_ROW`].
    pub row: u32,
}

/// [`Item::row`] of a packet without a row.
pub(super) const NO_ROW: u32 = u32::MAX;

impl Item {
    /// Where its whole pcap record is in `data`, if it has one.
    pub fn record(&self) -> Option<(usize, usize)> {
        let start = self.data.0.checked_sub(RECORD_HEADER)?;
        self.record.then_some((start, self.data.1))
    }
}

/// How long before its first packet a packed batch's `base` is: a ring's
/// packets are a few µs out of order, and a later one stamped before the
/// first must still have a time after the base.
const BASE_SLACK_NS: u64 = 1_000_000;

/// What a worker hands over: packets in its ring's order, and its
/// progress: later packets of its ring were stamped at `horizon` or after.
#[derive(Default)]
pub(super) struct Batch {
    pub worker: usize,
    pub horizon: Timestamp,
    /// The items shape's packets (empty when packed).
    pub items: Vec<Item>,
    /// Packed: the link type of every record in `records`.
    pub packed: Option<LinkType>,
    /// Packed: what the records' times are counted from.
    pub base: Timestamp,
    /// Packed: each record's time after `base`, in ns.
    pub dts: Vec<u32>,
    /// Packed: where each record begins and ends in `data`.
    pub starts: Vec<u32>,
    pub ends: Vec<u32>,
    /// Packed: each packet's length on the wire (for [`Batch::unpack`];
    /// the merger does not read it).
    pub orig_lens: Vec<u32>,
    /// Packed: the sort moved records, so they no longer lie in `data` in
    /// the order of the columns (otherwise each begins where the one
    /// before it ends, and a run of them is one piece of `data`).
    pub moved: bool,
    pub text: Vec<u8>,
    pub data: Vec<u8>,
    /// What the worker knows of its packets' Parquet rows.
    pub rows: Vec<super::RowPart>,
}

impl Batch {
    /// Packets in the batch.
    pub fn len(&self) -> usize {
        self.items.len() + self.dts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.dts.is_empty()
    }

    /// Packet `i`'s time.
    pub fn time(&self, i: usize) -> Option<Timestamp> {
        match self.packed {
            Some(_) => self.dts.get(i).map(|&dt| self.time_at(dt)),
            None => self.items.get(i).map(|it| it.ts),
        }
    }

    /// A packed record's time from its `dt`.
    pub fn time_at(&self, dt: u32) -> Timestamp {
        Timestamp(self.base.0 + u64::from(dt))
    }

    /// Where packed record `i` lies in `data`.
    pub fn record(&self, i: usize) -> Option<(usize, usize)> {
        let (start, end) = (self.starts.get(i)?, self.ends.get(i)?);
        Some((*start as usize, *end as usize))
    }

    /// Time to hand it over: [`BATCH`] packets or [`BATCH_BYTES`] of lines
    /// and records.
    pub fn full(&self) -> bool {
        self.len() >= BATCH || self.text.len() + self.data.len() >= BATCH_BYTES
    }

    /// Empty again, ready to be filled (its buffers kept).
    pub fn clear(&mut self) {
        self.items.clear();
        self.packed = None;
        self.clear_packed();
        self.text.clear();
        self.data.clear();
        self.rows.clear();
        self.horizon = Timestamp(0);
    }

    /// Whether the filter took packet `i`.
    pub fn matched(&self, i: usize) -> bool {
        match self.packed {
            Some(_) => true,
            None => self.items.get(i).is_some_and(|it| it.matched),
        }
    }

    /// Add a record just appended to `data` at `start..` (see
    /// `crate::output::pcap::push_record`) as a packed packet; false (and
    /// nothing added) when the batch holds items or records of another
    /// link type, or its time or offsets pass what a `u32` holds.
    pub fn push_packed(
        &mut self,
        ts: Timestamp,
        link: LinkType,
        start: usize,
        orig_len: u32,
    ) -> bool {
        let fits = self.packed.map_or(self.items.is_empty(), |l| l == link);
        if !fits {
            return false;
        }
        if self.packed.is_none() {
            self.base = Timestamp(ts.0.saturating_sub(BASE_SLACK_NS));
        }
        let (Some(dt), Ok(start), Ok(end)) = (
            ts.0.checked_sub(self.base.0)
                .and_then(|d| u32::try_from(d).ok()),
            u32::try_from(start),
            u32::try_from(self.data.len()),
        ) else {
            return false;
        };
        self.packed = Some(link);
        self.dts.push(dt);
        self.starts.push(start);
        self.ends.push(end);
        self.orig_lens.push(orig_len);
        true
    }

    /// Add an item (a packed batch is turned into items first).
    pub fn push_item(&mut self, item: Item) {
        self.unpack();
        self.items.push(item);
    }

    /// Turn a packed batch into the items shape, for whatever needs more
    /// than its records in order.
    pub fn unpack(&mut self) {
        let Some(link) = self.packed.take() else {
            return;
        };
        let text = self.text.len();
        for i in 0..self.dts.len() {
            let (Some(&dt), Some((start, end)), Some(&orig_len)) =
                (self.dts.get(i), self.record(i), self.orig_lens.get(i))
            else {
                continue;
            };
            let body = (start + RECORD_HEADER, end);
            let ts = Timestamp(self.base.0 + u64::from(dt));
            let pkt = Packet {
                ts,
                stamp: None,
                link,
                data: self.data.get(body.0..body.1).unwrap_or(&[]),
                orig_len,
            };
            self.items.push(Item {
                ts,
                link,
                orig_len,
                text: (text, text),
                data: body,
                record: true,
                matched: true,
                stamped: LinePrinter::stamped(&pkt),
                n_at: (0, 0),
                row: NO_ROW,
            });
        }
        self.clear_packed();
    }

    fn clear_packed(&mut self) {
        self.moved = false;
        self.dts.clear();
        self.starts.clear();
        self.ends.clear();
        self.orig_lens.clear();
    }

    /// Put the packets in time order, stably (equal times keep their
    /// ring's order): packets received on several CPUs reach one ring a
    /// few µs out of order.
    pub fn sort(&mut self) {
        match self.packed {
            Some(_) => self.sort_packed(),
            None => sort_nearly_sorted(&mut self.items, |it| it.ts.0),
        }
    }

    /// [`sort_nearly_sorted`] for the packed shape's columns.
    fn sort_packed(&mut self) {
        let mut budget = self.dts.len().saturating_mul(8);
        for i in 1..self.dts.len() {
            let mut j = i;
            while j > 0 && self.dts.get(j - 1) > self.dts.get(j) {
                if budget == 0 {
                    self.moved = true;
                    // Stable: equal times keep the order they had.
                    let mut order: Vec<usize> = (0..self.dts.len()).collect();
                    order.sort_by_key(|&k| self.dts.get(k).copied());
                    for column in [
                        &mut self.dts,
                        &mut self.starts,
                        &mut self.ends,
                        &mut self.orig_lens,
                    ] {
                        *column = order
                            .iter()
                            .filter_map(|&k| column.get(k).copied())
                            .collect();
                    }
                    return;
                }
                budget -= 1;
                self.moved = true;
                for column in [
                    &mut self.dts,
                    &mut self.starts,
                    &mut self.ends,
                    &mut self.orig_lens,
                ] {
                    column.swap(j - 1, j);
                }
                j -= 1;
            }
        }
    }
}

/// Put `v` in order of `key`, in place and stably. A ring's packets are
/// only a few µs out of order, so each moves back a few places at most;
/// the standard stable sort would allocate a scratch copy for every
/// unsorted batch, fresh pages with page faults. A batch far out of order
/// (a CPU's packets held back for long) goes to the standard sort once
/// the moves pass eight a packet, which bounds the insertion's quadratic
/// worst case.
pub(super) fn sort_nearly_sorted<T>(v: &mut [T], key: impl Fn(&T) -> u64) {
    let mut budget = v.len().saturating_mul(8);
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && v.get(j - 1).map(&key) > v.get(j).map(&key) {
            if budget == 0 {
                // What is done so far kept equal keys in order: the
                // stable sort keeps them so.
                v.sort_by_key(key);
                return;
            }
            budget -= 1;
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Byte ranges with each run of neighbours (one ending where the next
/// starts) joined into one, and how many each joined.
pub(super) fn spans(
    ranges: impl Iterator<Item = (usize, usize)>,
) -> impl Iterator<Item = (usize, usize, u64)> {
    let mut ranges = ranges.peekable();
    std::iter::from_fn(move || {
        let (start, mut end) = ranges.next()?;
        let mut n = 1;
        while let Some(next) = ranges.next_if(|r| r.0 == end) {
            end = next.1;
            n += 1;
        }
        Some((start, end, n))
    })
}
