//! Whether tcpdump's "default print" is on for the packet being printed:
//! the hex and ASCII of bytes a printer does not decode (`ND_DEFAULTPRINT`,
//! ZEP's and IEEE 802.15.4's payloads), which `-x` and `-X` turn off. The
//! line printer says so for the length of a UDP printer's call
//! ([`with_suppressed`]); a printer called on its own (JSON, unit and
//! mutation tests) finds it on.

use std::cell::Cell;

thread_local! {
    static SUPPRESSED: Cell<bool> = const { Cell::new(false) };
}

/// Run `f` with the default print turned off when `suppressed`.
pub fn with_suppressed<R>(suppressed: bool, f: impl FnOnce() -> R) -> R {
    let before = SUPPRESSED.with(|s| s.replace(suppressed));
    let r = f();
    SUPPRESSED.with(|s| s.set(before));
    r
}

/// Whether the printer being called prints its undecoded bytes.
pub(super) fn on() -> bool {
    !SUPPRESSED.with(Cell::get)
}
