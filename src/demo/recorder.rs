//! The demo's loopback capture: opened (kernel filter attached) before root
//! is dropped and before the first client connects, kept in memory while the scenarios run, stopped once
//! the wire has gone quiet.

use super::{DemoError, Result};
use crate::filter::Filter;
use crate::packet::{LinkType, Timestamp};
use crate::source::live::{CaptureBackend, LiveOptions, LiveSource, StopHandle};
use crate::source::{PacketSource, SourceError};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// The capture stops once the wire has been quiet this long after the last scenario.
const QUIET: Duration = Duration::from_millis(200);
/// … but never waits longer than this for quiet.
const QUIET_MAX: Duration = Duration::from_secs(3);
/// Snap length of the demo capture: whole loopback segments.
pub(super) const SNAPLEN: u32 = 262_144;

/// One captured packet, owned, kept until the scenarios are over.
pub(super) struct OwnedPacket {
    pub ts: Timestamp,
    pub data: Vec<u8>,
    pub orig_len: u32,
}

/// A running loopback capture that keeps what it sees until stopped.
pub(super) struct Recorder {
    stop: StopHandle,
    last_packet_ns: Arc<AtomicU64>,
    packets: Arc<Mutex<Vec<OwnedPacket>>>,
    thread: thread::JoinHandle<Result<(), SourceError>>,
    started: Instant,
}

/// The capture socket, open and filtered, not read yet: it is opened while
/// we may still be root, and read only after root is dropped.
pub(super) struct OpenCapture(LiveSource);

impl OpenCapture {
    pub fn open(filter: &Filter, backend: CaptureBackend) -> Result<OpenCapture> {
        let program = filter.compile(LinkType::Ethernet, SNAPLEN)?;
        let source = LiveSource::open(LiveOptions {
            interface: "lo".into(),
            snaplen: SNAPLEN,
            promisc: false,
            bpf: Some(program),
            backend,
            ..LiveOptions::default()
        })?;
        Ok(OpenCapture(source))
    }
}

impl Recorder {
    /// Starts reading `capture` on a thread of its own.
    pub fn start(capture: OpenCapture) -> Recorder {
        let mut source = capture.0;
        let stop = source.stop_handle();
        let packets = Arc::new(Mutex::new(Vec::new()));
        let last_packet_ns = Arc::new(AtomicU64::new(0));
        let started = Instant::now();
        let (kept, last) = (packets.clone(), last_packet_ns.clone());
        let thread = thread::spawn(move || {
            while let Some(p) = source.next_packet()? {
                let owned = OwnedPacket {
                    ts: p.ts,
                    data: p.data.to_vec(),
                    orig_len: p.orig_len,
                };
                if let Ok(mut v) = kept.lock() {
                    v.push(owned);
                }
                last.store(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
            }
            Ok(())
        });
        Recorder {
            stop,
            last_packet_ns,
            packets,
            thread,
            started,
        }
    }

    /// Wait for the wire to be quiet, stop, and hand back what was captured.
    pub fn finish(self) -> Result<Vec<OwnedPacket>> {
        let deadline = Instant::now() + QUIET_MAX;
        loop {
            let last = Duration::from_nanos(self.last_packet_ns.load(Ordering::Relaxed));
            if self.started.elapsed().saturating_sub(last) >= QUIET || Instant::now() >= deadline {
                break;
            }
            thread::sleep(Duration::from_millis(20));
        }
        self.stop.stop();
        match self.thread.join() {
            Ok(result) => result?,
            Err(_) => return Err(DemoError::Failed("the capture thread panicked".into())),
        }
        let packets = match Arc::try_unwrap(self.packets) {
            Ok(m) => m.into_inner().unwrap_or_default(),
            Err(shared) => std::mem::take(
                &mut *shared
                    .lock()
                    .map_err(|_| DemoError::Failed("capture buffer poisoned".into()))?,
            ),
        };
        Ok(packets)
    }
}
