//! Whether tcpdump 4.99.3's `fqdn_print`, failing on a name in HNCP's
//! DHCP options, failed by a `longjmp` (a byte it reads unchecked was not
//! captured: a pointer's second byte, a bit-string label's bits) rather
//! than by returning NULL (a label length past the capture, a pointer
//! forward or past the capture, a label type it rejects, a label's
//! characters past the capture). The printing itself is `dns::name::put_name_based`'s; this
//! walk only tells the two failures apart, as HNCP prints ` (invalid)`
//! for the one and ` [|hncp]` for the other.

use crate::dissect::dns::name::{MAX_NAME_STEPS, bitlabel_bits};

/// The label-length byte at `at` and the bytes its label's body takes;
/// `None` for one tcpdump's `labellen` rejects (past the capture — it
/// tests before reading —, a label type it does not know).
fn head(m: &[u8], at: usize) -> Option<(u8, usize)> {
    let b = *m.get(at)?;
    match b & 0xc0 {
        0x80 => None,
        0x40 if b != 0x41 => None,
        0x40 => m
            .get(at + 1)
            .map(|&n| (b, bitlabel_bits(n).div_ceil(8) + 1)),
        _ => Some((b, usize::from(b))),
    }
}

/// Whether the name at `at` (pointers counted from `base`) makes tcpdump
/// `longjmp`.
pub(super) fn name_jumps(m: &[u8], at: usize, base: usize) -> bool {
    let Some((mut b, mut len)) = head(m, at) else {
        return false;
    };
    let mut cur = at + 1;
    let mut lowest = at.checked_sub(base).unwrap_or(usize::MAX);
    let mut steps = 0;
    while b != 0 && cur < m.len() {
        steps += 1;
        if steps > MAX_NAME_STEPS {
            return false;
        }
        if b & 0xc0 == 0xc0 {
            let Some(&low) = m.get(cur) else {
                return true;
            };
            let offset = (usize::from(b & 0x3f) << 8) | usize::from(low);
            if offset >= lowest || base + offset >= m.len() {
                return false;
            }
            lowest = offset;
            let Some(next) = head(m, base + offset) else {
                return false;
            };
            (b, len) = next;
            cur = base + offset + 1;
            continue;
        }
        if cur + len > m.len() {
            // A bit-string label's bits are read unchecked, a label's
            // characters checked.
            return b == 0x41;
        }
        cur += len;
        let Some(next) = head(m, cur) else {
            return false;
        };
        (b, len) = next;
        cur += 1;
    }
    false
}
