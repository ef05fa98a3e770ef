//! The mutation tests' "slowest message" limit, on the thread's CPU
//! clock.
//!
//! Why not wall time: CI runs the test binaries side by side on a shared
//! machine, and a thread that waits in the run queue (load 25 on two
//! cores) sees its wall time grow with the load, not with the decoder's
//! work; a Telnet segment once took 530 ms of wall time in a debug build
//! there, half the old one-second limit, for a few microseconds of work.
//! The thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`) counts only what the
//! thread ran, so waiting does not count, while a pointer loop, a
//! quadratic walk or a huge allocation (page faults are system time of the
//! thread) still burns CPU and still trips the limit: the limit stays able
//! to fail, and `tests/dissect_mutations.rs` checks that the clock counts
//! work and not sleep.

use std::time::Duration;

/// The most CPU time one damaged message may take through all its
/// printers. A decoder takes microseconds (a few milliseconds in a debug
/// build); a loop or a walk quadratic in the message takes seconds.
pub const SLOWEST: Duration = Duration::from_secs(1);

/// The CPU time the calling thread has used so far.
pub fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a
    // constant Linux has always had.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// A stopwatch on the thread's CPU clock, used like `Instant`.
pub struct CpuStopwatch(Duration);

impl CpuStopwatch {
    pub fn start() -> CpuStopwatch {
        CpuStopwatch(thread_cpu_time())
    }

    /// The CPU time this thread used since [`CpuStopwatch::start`].
    pub fn elapsed(&self) -> Duration {
        thread_cpu_time().saturating_sub(self.0)
    }
}

/// Fails when the slowest `what` took more than [`SLOWEST`] of CPU time.
pub fn assert_fast(slowest: Duration, what: &str) {
    assert!(
        slowest < SLOWEST,
        "a {what} took {slowest:?} of CPU time (limit {SLOWEST:?})"
    );
}
