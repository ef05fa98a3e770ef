//! Leaving the process without the allocator's exit hook.
//!
//! mimalloc, linked statically, frees every arena page at `exit(3)`
//! (`mi_process_done` collects with force): one `madvise(DONTNEED)` per
//! 4 MiB of heap, after the run has written everything. A `read --flows`
//! of the bench's 760,000 packets made ~100 such calls at its end, about
//! as long as drawing the flow table's last part; the kernel reclaims the
//! same pages at once when the process ends. So once the output is
//! flushed, the process ends with `_exit(2)`, which runs no hooks.

use std::io::{self, Write};

/// Flush standard output and error, then end the process with `code`
/// without running `atexit` hooks. A flush that fails (a closed pipe) has
/// nothing left to save.
pub fn now(code: u8) -> ! {
    let _ = io::stdout().flush();
    let _ = io::stderr().flush();
    // SAFETY: `_exit` takes a plain int and never returns; the buffers
    // Rust holds for stdout/stderr were flushed above, and no other state
    // needs to outlive the process.
    unsafe { libc::_exit(i32::from(code)) }
}
