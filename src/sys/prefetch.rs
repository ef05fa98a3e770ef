//! Asking the CPU to fetch a cache line for writing before the program
//! writes it.
//!
//! A `capture --threads` worker fills batches whose memory the merging
//! thread read last (their time columns) or that left its cache while the
//! batch waited to be merged: each first store into such a line waits for
//! the line, and the stores pile up behind it. Fetched a few packets
//! ahead, the line is there when the store comes.

/// Fetch, for writing, the cache line of element `at` of `buf`'s unused
/// capacity: where the element `at` places after its end will be written.
/// Nothing when that is past the capacity, or not on x86-64.
pub fn for_write<T>(buf: &mut Vec<T>, at: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(slot) = buf.spare_capacity_mut().get(at) {
        // SAFETY: `prefetchw` is a hint: it reads nothing the program sees,
        // writes nothing and cannot fault (a CPU without it runs it as a
        // no-op); the address is inside the buffer's allocation anyway.
        unsafe {
            std::arch::asm!(
                "prefetchw [{}]",
                in(reg) slot.as_ptr(),
                options(nostack, preserves_flags, readonly)
            );
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (buf, at);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hint_inside_or_past_the_capacity_changes_nothing() {
        let mut buf: Vec<u32> = Vec::with_capacity(64);
        buf.extend([1, 2, 3]);
        for at in [0, 32, 60, 61, 1_000_000] {
            for_write(&mut buf, at);
        }
        assert_eq!(buf, [1, 2, 3]);
        assert_eq!(buf.capacity(), 64);
        let mut empty: Vec<u8> = Vec::new();
        for_write(&mut empty, 0);
        assert!(empty.is_empty());
    }
}
