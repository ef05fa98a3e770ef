//! Signal dispositions the `ctrlc` crate does not give us.
//!
//! - `read`'s stop handler for SIGINT/SIGTERM is installed *without*
//!   `SA_RESTART`, so that a read blocked on a slow FIFO or terminal returns
//!   `EINTR` and the reader can stop, flush what it decoded and print the
//!   summary; a second signal exits at once with 130.
//! - SIGUSR1 asks for the counters (tcpdump's habit) instead of killing us.
//!   It interrupts blocking reads too, so a reader waiting on a FIFO answers.
//! - SIGHUP: `ctrlc`'s termination feature catches it, which would override
//!   the "ignore" that `nohup` set up; callers ask first whether it was
//!   ignored and put the ignore back.
//!
//! The handlers only store to atomics (async-signal-safe) or call `_exit`.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);
static STATS: AtomicBool = AtomicBool::new(false);

extern "C" fn on_stop(_: libc::c_int) {
    if STOP.swap(true, Ordering::SeqCst) {
        // SAFETY: _exit is async-signal-safe and takes no pointers.
        unsafe { libc::_exit(130) };
    }
}

extern "C" fn on_stats(_: libc::c_int) {
    STATS.store(true, Ordering::SeqCst);
}

fn install(
    sig: libc::c_int,
    handler: extern "C" fn(libc::c_int),
    flags: libc::c_int,
) -> io::Result<()> {
    // SAFETY: a zeroed sigaction is valid (empty mask, no flags); the
    // handler is a plain extern "C" fn that lives for the whole program.
    let mut act: libc::sigaction = unsafe { std::mem::zeroed() };
    act.sa_sigaction = handler as usize;
    act.sa_flags = flags;
    // SAFETY: `act` is initialised above; the old action is not wanted.
    super::cvt(unsafe { libc::sigaction(sig, &act, std::ptr::null_mut()) }).map(drop)
}

/// SIGINT and SIGTERM set [`stop_requested`] and interrupt blocking reads.
pub fn install_stop_handlers() -> io::Result<()> {
    install(libc::SIGINT, on_stop, 0)?;
    install(libc::SIGTERM, on_stop, 0)
}

/// Whether SIGINT or SIGTERM arrived since [`install_stop_handlers`].
pub fn stop_requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// SIGUSR1 sets a flag that [`take_stats_request`] reads and clears. No
/// `SA_RESTART` either: a reader blocked on a FIFO wakes up to answer.
pub fn install_stats_handler() -> io::Result<()> {
    install(libc::SIGUSR1, on_stats, 0)
}

/// Whether SIGUSR1 arrived since the last call.
pub fn take_stats_request() -> bool {
    // Asked once per packet: a plain load first, so the common case costs
    // no locked read-modify-write.
    STATS.load(Ordering::Relaxed) && STATS.swap(false, Ordering::SeqCst)
}

/// Whether SIGHUP is ignored now (as `nohup` leaves it).
pub fn sighup_ignored() -> bool {
    // SAFETY: a zeroed sigaction is valid to be written into.
    let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: a null new action only queries; `old` is a valid out pointer.
    let ok = unsafe { libc::sigaction(libc::SIGHUP, std::ptr::null(), &mut old) } == 0;
    ok && old.sa_sigaction == libc::SIG_IGN
}

/// Ignore SIGHUP again (after a handler library took it over).
pub fn ignore_sighup() -> io::Result<()> {
    // SAFETY: a zeroed sigaction is valid; SIG_IGN needs no handler.
    let mut act: libc::sigaction = unsafe { std::mem::zeroed() };
    act.sa_sigaction = libc::SIG_IGN;
    // SAFETY: `act` is initialised above.
    super::cvt(unsafe { libc::sigaction(libc::SIGHUP, &act, std::ptr::null_mut()) }).map(drop)
}

/// Keep SIGINT, SIGTERM, SIGUSR1 and SIGHUP away from the calling thread
/// (the main thread, once the command runs on a worker), so that they
/// interrupt the worker's blocking reads instead of the main thread's join.
pub fn block_in_this_thread() -> io::Result<()> {
    // SAFETY: sigemptyset/sigaddset write into the local set we own.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    unsafe { libc::sigemptyset(&mut set) };
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGUSR1, libc::SIGHUP] {
        // SAFETY: as above.
        unsafe { libc::sigaddset(&mut set, sig) };
    }
    // SAFETY: `set` is initialised; the old mask is not wanted.
    let rc = unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::from_raw_os_error(rc))
    }
}
