//! A small deterministic random source (xorshift64*) for the tests that
//! damage packets: the same seed gives the same damage on every run, so a
//! failure names a case that can be replayed.

pub struct Rng(pub u64);

/// Damaged messages per decoder in the mutation tests: a million in a
/// release build (`cargo test --release`), 100,000 in a debug one;
/// `SOCKSCOPE_MUTATION_ROUNDS=N` sets it.
pub fn mutation_rounds() -> usize {
    std::env::var("SOCKSCOPE_MUTATION_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) {
            100_000
        } else {
            1_000_000
        })
}

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A message of `len` bytes cut into one to five TCP segments as a damaged
/// capture brings them: `(start, end, fin)` each, in order. Now and then
/// a segment starts before or after where it should (retransmission,
/// overlap, gap), or ends the flow with FIN.
pub fn damaged_segments(r: &mut Rng, len: usize) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut at = 0usize;
    let pieces = 1 + r.below(5);
    for k in 0..pieces {
        let end = if k + 1 == pieces {
            len
        } else {
            at + r.below(len - at + 1)
        };
        let start = match r.below(8) {
            0 => at.saturating_sub(r.below(20)),
            1 => at + r.below(20),
            _ => at,
        };
        out.push((start.min(end), end, r.below(16) == 0));
        at = end;
    }
    out
}
