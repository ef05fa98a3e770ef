//! The TPACKET_V3 receive ring: mapping it for a packet socket, and handing
//! its blocks back and forth with the kernel through each block's status word.

use super::PacketSocket;
use std::io;
use std::os::fd::AsRawFd;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU32, Ordering};

/// Offset of `hdr.bh1.block_status` inside `struct tpacket_block_desc`.
const BLOCK_STATUS_OFFSET: usize = 8;
/// Offset of `hdr.bh1.ts_first_pkt` (seconds, then ns) in the same struct.
const TS_FIRST_PKT_OFFSET: usize = 32;

impl PacketSocket {
    /// Map an RX ring of `block_nr`
    /// blocks of `block_size` bytes; a block is handed to user space when full
    /// or after `retire_ms` milliseconds.
    /// Call [`PacketSocket::use_tpacket_v3`] first.
    pub fn rx_ring_v3(&self, block_size: u32, block_nr: u32, retire_ms: u32) -> io::Result<Ring> {
        // One "frame" per block: V3 packs packets of any size into blocks,
        // the frame fields only have to be consistent.
        let req = libc::tpacket_req3 {
            tp_block_size: block_size,
            tp_block_nr: block_nr,
            tp_frame_size: block_size,
            tp_frame_nr: block_nr,
            tp_retire_blk_tov: retire_ms,
            tp_sizeof_priv: 0,
            tp_feature_req_word: 0,
        };
        self.setsockopt(libc::SOL_PACKET, libc::PACKET_RX_RING, &req)?;
        let len = block_size as usize * block_nr as usize;
        let map = |flags: libc::c_int| {
            // SAFETY: maps the ring the kernel just allocated for this fd; the
            // mapping is owned by `Ring` and unmapped in its Drop.
            unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_READ | libc::PROT_WRITE,
                    flags,
                    self.as_raw_fd(),
                    0,
                )
            }
        };
        // MAP_LOCKED may fail under RLIMIT_MEMLOCK; the ring works without it.
        let mut ptr = map(libc::MAP_SHARED | libc::MAP_LOCKED);
        if ptr == libc::MAP_FAILED {
            ptr = map(libc::MAP_SHARED);
        }
        if ptr == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let ptr = NonNull::new(ptr.cast::<u8>())
            .ok_or_else(|| io::Error::other("mmap of the packet ring returned NULL"))?;
        Ok(Ring {
            ptr,
            len,
            block_size: block_size as usize,
            block_nr: block_nr as usize,
        })
    }
}

/// A mapped TPACKET_V3 RX ring: `block_nr` blocks the kernel and we pass back
/// and forth through each block's `block_status` word.
#[derive(Debug)]
pub struct Ring {
    ptr: NonNull<u8>,
    len: usize,
    block_size: usize,
    block_nr: usize,
}

// The ring is plain shared memory; moving the owner to another thread is fine.
unsafe impl Send for Ring {}

impl Ring {
    pub fn block_nr(&self) -> usize {
        self.block_nr
    }

    fn status(&self, block: usize) -> &AtomicU32 {
        assert!(block < self.block_nr, "ring block index out of range");
        // SAFETY: the block lies inside the mapping (checked above); the
        // status word is 4-byte aligned (blocks are page aligned) and the
        // kernel only ever accesses it as a u32, so an atomic view is sound.
        unsafe {
            &*self
                .ptr
                .as_ptr()
                .add(block * self.block_size + BLOCK_STATUS_OFFSET)
                .cast::<AtomicU32>()
        }
    }

    /// The block's bytes if the kernel has handed it to user space. Until
    /// [`Ring::release`] the kernel does not write to it.
    pub fn user_block(&self, block: usize) -> Option<&[u8]> {
        // Acquire pairs with the kernel's release when it retires the block,
        // so the packets it wrote are visible.
        if self.status(block).load(Ordering::Acquire) & libc::TP_STATUS_USER == 0 {
            return None;
        }
        // SAFETY: in range (status() checked), and the block belongs to user
        // space until `release`, which takes `&mut self` and so ends this borrow.
        Some(unsafe {
            std::slice::from_raw_parts(
                self.ptr.as_ptr().add(block * self.block_size),
                self.block_size,
            )
        })
    }

    /// How many packets the kernel has put into a block it still owns (the
    /// one it is filling). A hint only: it may grow right after the read.
    pub fn kernel_block_packets(&self, block: usize) -> u32 {
        assert!(block < self.block_nr, "ring block index out of range");
        // SAFETY: in range; `num_pkts` is the u32 after `block_status`, 4-byte
        // aligned, and read atomically while the kernel may update it.
        unsafe {
            (*self
                .ptr
                .as_ptr()
                .add(block * self.block_size + BLOCK_STATUS_OFFSET + 4)
                .cast::<AtomicU32>())
            .load(Ordering::Relaxed)
        }
    }

    /// When the kernel opened a block it still owns (`ts_first_pkt` of its
    /// header, wall-clock ns): every packet it has put there arrived after
    /// about that time. A hint, as [`Ring::kernel_block_packets`].
    pub fn kernel_block_opened_ns(&self, block: usize) -> u64 {
        assert!(block < self.block_nr, "ring block index out of range");
        let word = |at: usize| {
            // SAFETY: in range; `ts_first_pkt`'s two u32 fields are 4-byte
            // aligned inside the block header and read atomically while the
            // kernel may write them.
            unsafe {
                (*self
                    .ptr
                    .as_ptr()
                    .add(block * self.block_size + at)
                    .cast::<AtomicU32>())
                .load(Ordering::Acquire)
            }
        };
        u64::from(word(TS_FIRST_PKT_OFFSET)) * 1_000_000_000
            + u64::from(word(TS_FIRST_PKT_OFFSET + 4))
    }

    /// Give the block back to the kernel.
    pub fn release(&mut self, block: usize) {
        // Release: our reads of the block happen before the kernel reuses it.
        self.status(block)
            .store(libc::TP_STATUS_KERNEL, Ordering::Release);
    }
}

impl Drop for Ring {
    fn drop(&mut self) {
        // SAFETY: exactly the mapping made in `rx_ring_v3`; nothing borrows it
        // any more (`&mut self`).
        unsafe {
            libc::munmap(self.ptr.as_ptr().cast(), self.len);
        }
    }
}

/// Ask the CPU to bring the cache line of `bytes[at]` in ahead of its use
/// (nothing when `at` is past the end, or off x86-64). A hint: it never
/// faults and changes no data.
#[inline(always)]
pub fn prefetch(bytes: &[u8], at: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(b) = bytes.get(at) {
        // SAFETY: a prefetch reads nothing the program sees and cannot
        // fault; the address is inside `bytes` anyway.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                (b as *const u8).cast::<i8>(),
            );
        }
    }
}
