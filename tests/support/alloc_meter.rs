//! The mutation tests' memory meter: a counting global allocator that
//! keeps, for each thread, the bytes it has live and the most it had, and
//! [`Flat`], the check that a decoder's memory stays flat under damage.
//!
//! Why per thread and not the process's RSS: the tests of one binary run
//! side by side on threads of one process, so the RSS mixes them (and
//! never shrinks when the allocator keeps freed pages), while a decoder's
//! work runs on the thread that calls it. Each thread's counts move only
//! with what that thread allocates and frees; a block freed on another
//! thread is counted there (a decoder hands nothing to other threads).
//!
//! The allocator is declared here, once, because every test binary
//! includes this support tree once (`mod support;`): every binary gets it,
//! and no test file can forget to declare it and meter nothing. It adds
//! two thread-local additions to each allocation (the counts are `const`
//! thread locals of `Cell`s: no lazy set-up, no destructor, so counting
//! never allocates and never runs after a thread's locals are gone).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// `std`'s allocator, counting per thread.
pub struct Counting;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

thread_local! {
    /// Bytes this thread allocated and has not freed (negative when it
    /// frees what another thread allocated).
    static LIVE: Cell<isize> = const { Cell::new(0) };
    /// The most [`LIVE`] has been since the last [`Meter::start`].
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn add(n: usize) {
    // `try_with` and not `with`: an allocation may come while the thread
    // is being torn down; it is then not counted (no meter is running).
    let _ = LIVE.try_with(|l| {
        let now = l.get().wrapping_add(n as isize);
        l.set(now);
        let _ = PEAK.try_with(|p| {
            if now > p.get() {
                p.set(now);
            }
        });
    });
}

fn sub(n: usize) {
    let _ = LIVE.try_with(|l| l.set(l.get().wrapping_sub(n as isize)));
}

// SAFETY: every call is passed on to `System` unchanged with the caller's
// layout and pointer; the counting around it touches only thread-local
// `Cell`s and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is `System`'s.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            add(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            add(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` (every block does, through the
        // methods above) with this layout.
        unsafe { System.dealloc(ptr, layout) };
        sub(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`; `new_size` is the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            // Both blocks are live for a moment: the peak counts the new
            // one on top of the old, as the copy needs them.
            add(new_size);
            sub(layout.size());
        }
        p
    }
}

fn live() -> isize {
    LIVE.with(Cell::get)
}

fn peak() -> isize {
    PEAK.with(Cell::get)
}

/// What the calling thread allocates from [`Meter::start`] on: the bytes
/// it still holds ([`Meter::net_bytes`]) and the most it held at once
/// ([`Meter::peak_bytes`]). Meters nest: an inner one restarts the peak
/// and, when dropped, gives the outer one back the higher of the two.
pub struct Meter {
    start: isize,
    outer_peak: isize,
}

impl Meter {
    pub fn start() -> Meter {
        let start = live();
        let outer_peak = peak();
        PEAK.with(|p| p.set(start));
        Meter { start, outer_peak }
    }

    /// Bytes allocated since the start and not freed (negative when more
    /// was freed than allocated).
    pub fn net_bytes(&self) -> isize {
        live() - self.start
    }

    /// The most bytes held at once since the start, above the start.
    pub fn peak_bytes(&self) -> usize {
        (peak() - self.start).max(0) as usize
    }
}

impl Drop for Meter {
    fn drop(&mut self) {
        let outer = self.outer_peak;
        PEAK.with(|p| p.set(p.get().max(outer)));
    }
}

/// The bytes a decoder may hold for good over all the rounds: what its
/// per-thread tables and lazily built statics take once filled. Those
/// are bounded by design (ISAKMP's 20 remembered cookies, NFS's and Rx's
/// 64-slot rings, the peers and nesting tables, names tables built
/// once); the most seen (2026-12-05, every mutation test at 100,000
/// rounds) was 1,344 bytes through a dissector alone (ISAKMP's cookies)
/// and 11,584 through every stage once the printers were dropped
/// ([`Flat::summary`] prints it per test). A decoder that keeps even one
/// byte per message exceeds it within 64 Ki messages, fewer than a
/// test's rounds (100,000 in a debug build).
pub const RETAINED_SLACK: isize = 64 * 1024;

/// Peak bytes any one message may take whatever its size: a printer's
/// line buffer growing by doubling, a JSON object's maps and strings, the
/// formatting scratch of a `-v` line.
pub const PEAK_FIXED: usize = 64 * 1024;

/// Peak bytes per byte of the message (on top of [`PEAK_FIXED`]): a
/// decoder that copies the message, lists its fields as JSON or
/// reassembles it holds a multiple of it. The JSON sets the multiple: an
/// option can be one byte (a pad) and still gets an object of its own
/// with its name and type, about 300 bytes of maps and strings (AHCP's
/// one-byte pads and mandatory marks: a damaged 235-byte message took
/// 76 KB). A decoder that sizes a buffer
/// from a length field the message claims (up to 4 GiB, or 64 Ki
/// elements for a 16-bit count) does not fit.
pub const PEAK_PER_BYTE: usize = 256;

/// Peak bytes per byte of the message's longest line: the line's buffer
/// grows by doubling (twice the line), and the JSON holds what the line
/// says again as strings in maps. The line can be longer than the
/// message (a DNS name reached by several compression pointers is printed
/// in full at each), and the JSON grows with it, not with the message:
/// DNS's took about 10 bytes per line byte.
pub const PEAK_PER_LINE_BYTE: usize = 16;

/// The peak bound for one message of `input` bytes that printed `output`
/// bytes in its longest line: [`PEAK_FIXED`], [`PEAK_PER_BYTE`] per
/// message byte and [`PEAK_PER_LINE_BYTE`] per line byte.
pub fn peak_bound(input: usize, output: usize) -> usize {
    PEAK_FIXED + PEAK_PER_BYTE * input + PEAK_PER_LINE_BYTE * output
}

/// The memory of a mutation test's messages, one [`Flat::record`] each:
/// each message's peak within [`peak_bound`], and what all the messages
/// left behind together never above [`RETAINED_SLACK`].
#[derive(Default)]
pub struct Flat {
    messages: usize,
    /// What the messages have left allocated, summed.
    retained: isize,
    /// The most `retained` has been after any message.
    most_retained: isize,
    /// The highest peak, the size of its message and its longest line.
    peak: (usize, usize, usize),
    /// What state of bounded size that the test keeps across messages
    /// may hold ([`Flat::holding`]).
    holding: usize,
    /// The message closest to its bound: (peak, bound).
    tightest: (usize, usize),
    /// The most still held right after a [`Flat::settle`].
    settled: isize,
}

impl Flat {
    pub fn new() -> Flat {
        Flat::default()
    }

    /// For a test that keeps state across messages whose size is bounded
    /// by design (a reassembly's streams under its memory limit): `bytes`
    /// more may be held at any time, and a message's peak may take them
    /// too (a held buffer that grows is copied whole). The test checks
    /// the state gives them back when dropped ([`Meter::net_bytes`] of a
    /// meter around the whole run).
    pub fn holding(bytes: usize) -> Flat {
        Flat {
            holding: bytes,
            ..Flat::default()
        }
    }

    /// One message of `input` bytes whose work `meter` metered and whose
    /// longest line was `output` bytes: fails when its peak passes
    /// [`peak_bound`], or when what the messages so far kept passes
    /// [`RETAINED_SLACK`].
    pub fn record(&mut self, meter: &Meter, input: &[u8], output: usize) {
        self.record_above(meter, input, output, 0);
    }

    /// [`Flat::record`] for work that first sets up `reserved` bytes of
    /// its own whatever the message (a pipeline's tables): the peak is
    /// counted above them.
    pub fn record_above(&mut self, meter: &Meter, input: &[u8], output: usize, reserved: usize) {
        let (peak, net) = (
            meter.peak_bytes().saturating_sub(reserved),
            meter.net_bytes(),
        );
        self.messages += 1;
        self.retained += net;
        self.most_retained = self.most_retained.max(self.retained);
        if peak > self.peak.0 {
            self.peak = (peak, input.len(), output);
        }
        let bound = peak_bound(input.len(), output) + self.holding;
        if self.tightest.1 == 0 || peak * self.tightest.1 > self.tightest.0 * bound {
            self.tightest = (peak, bound);
        }
        assert!(
            peak <= bound,
            "a message of {} bytes (longest line {output}) took {peak} bytes at its peak \
             (bound {bound}): {:02x?}",
            input.len(),
            &input[..input.len().min(64)]
        );
        let slack = RETAINED_SLACK + self.holding as isize;
        assert!(
            self.retained <= slack,
            "after {} messages {} bytes are still held (slack {slack}); \
             the last, of {} bytes, kept {net}: {:02x?}",
            self.messages,
            self.retained,
            input.len(),
            &input[..input.len().min(64)]
        );
    }

    /// The test dropped the state it keeps across messages (and made it
    /// anew) under `meter`: what that gave back counts against what the
    /// messages kept, which must then be back within [`RETAINED_SLACK`]:
    /// the net bytes after each batch of messages return to where they
    /// started, whatever the state held in between.
    pub fn settle(&mut self, meter: &Meter) {
        self.retained += meter.net_bytes();
        assert!(
            self.retained <= RETAINED_SLACK,
            "after {} messages and dropping the state kept across them, {} bytes are \
             still held (slack {RETAINED_SLACK})",
            self.messages,
            self.retained
        );
        self.settled = self.settled.max(self.retained);
    }

    /// The figures for a test's summary line.
    pub fn summary(&self) -> String {
        let (peak, input, output) = self.peak;
        let (close, its_bound) = self.tightest;
        format!(
            "memory: peak {peak} bytes (a {input}-byte message, {output}-byte line; bound {}), \
             closest to its bound {close} of {its_bound}, net {} bytes after {} messages \
             (most held {}{})",
            peak_bound(input, output) + self.holding,
            self.retained,
            self.messages,
            self.most_retained,
            if self.holding > 0 {
                format!(", after dropping the kept state {}", self.settled)
            } else {
                String::new()
            }
        )
    }

    /// The highest peak seen, and the net bytes left at the end.
    pub fn figures(&self) -> (usize, isize) {
        (self.peak.0, self.retained)
    }
}
