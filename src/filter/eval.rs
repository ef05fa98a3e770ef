//! User-space evaluation of a lowered filter on the raw captured bytes, with
//! BPF's rules: loads are big-endian, a load past the captured bytes or a
//! division by zero rejects the whole packet (not just the sub-expression),
//! `len` is the wire length.

use super::lower::{Node, Val};

/// The packet was rejected outright (out-of-bounds load, division by zero).
struct Abort;

struct Ctx<'a> {
    pkt: &'a [u8],
    wire_len: u32,
    /// The last load (offset, size, value): consecutive tests often read the
    /// same field (`ip[9] = 6 or ip[9] = 17 …`, the ethertype).
    last: Option<(u32, u8, u32)>,
}

impl Ctx<'_> {
    #[inline]
    fn load(&mut self, off: u32, size: u8) -> Result<u32, Abort> {
        if let Some((o, s, v)) = self.last
            && o == off
            && s == size
        {
            return Ok(v);
        }
        let start = off as usize;
        let end = start.checked_add(size as usize).ok_or(Abort)?;
        let b = self.pkt.get(start..end).ok_or(Abort)?;
        let v = match *b {
            [x] => x as u32,
            [x, y] => u16::from_be_bytes([x, y]) as u32,
            [a, b, c, d] => u32::from_be_bytes([a, b, c, d]),
            _ => return Err(Abort),
        };
        self.last = Some((off, size, v));
        Ok(v)
    }

    fn val(&mut self, v: &Val) -> Result<u32, Abort> {
        Ok(match v {
            Val::K(k) => *k,
            Val::Len => self.wire_len,
            Val::Load(size, off) => {
                // Constant offsets are the common case: skip the recursion.
                let at = match **off {
                    Val::K(k) => k,
                    ref v => self.val(v)?,
                };
                self.load(at, *size)?
            }
            Val::Msh(off) => 4 * (self.load(*off, 1)? & 0xf),
            Val::Bin(op, a, b) => {
                let a = self.val(a)?;
                let b = self.val(b)?;
                op.apply(a, b).ok_or(Abort)?
            }
            Val::Cond(c) => {
                if c.cmp.test(self.val(&c.test)?, c.k) {
                    self.val(&c.then)?
                } else {
                    self.val(&c.other)?
                }
            }
        })
    }

    fn node(&mut self, n: &Node) -> Result<bool, Abort> {
        Ok(match n {
            Node::Const(c) => *c,
            Node::And(v) => {
                for n in v {
                    if !self.node(n)? {
                        return Ok(false);
                    }
                }
                true
            }
            Node::Or(v) => {
                for n in v {
                    if self.node(n)? {
                        return Ok(true);
                    }
                }
                false
            }
            Node::Not(a) => !self.node(a)?,
            Node::Test(c, a, b) => {
                // Both operands are always computed, so any order gives the
                // same verdict (an abort is an abort either way).
                let y = match b {
                    Val::K(k) => *k,
                    v => self.val(v)?,
                };
                let x = self.val(a)?;
                c.test(x, y)
            }
        })
    }
}

/// Whether the packet matches; `false` when BPF would reject it.
pub fn matches(n: &Node, pkt: &[u8], wire_len: u32) -> bool {
    let mut ctx = Ctx {
        pkt,
        wire_len,
        last: None,
    };
    ctx.node(n).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::lower::Cmp;
    use crate::filter::syntax::ast::ArOp;

    fn ld(size: u8, off: u32) -> Val {
        Val::Load(size, Box::new(Val::K(off)))
    }

    #[test]
    fn test_truncated_load_rejects_the_whole_packet() {
        // `ether[0] = 1 or ether[100] = 0 or 1 = 1`: the out-of-bounds load
        // rejects even though a later alternative is true, as BPF does.
        let n = Node::Or(vec![
            Node::Test(Cmp::Eq, ld(1, 0), Val::K(1)),
            Node::Test(Cmp::Eq, ld(1, 100), Val::K(0)),
            Node::Const(true),
        ]);
        assert!(!matches(&n, &[0u8; 60], 60));
        assert!(
            matches(&n, &[1u8; 60], 60),
            "first alternative matched before the bad load"
        );
        assert!(matches(&n, &[0u8; 101], 101));
    }

    #[test]
    fn loads_are_big_endian_and_len_is_the_wire_length() {
        let pkt = [0x12, 0x34, 0x56, 0x78];
        let t = |v: Val, k: u32| matches(&Node::Test(Cmp::Eq, v, Val::K(k)), &pkt, 1500);
        assert!(t(ld(4, 0), 0x1234_5678));
        assert!(t(ld(2, 2), 0x5678));
        assert!(t(ld(1, 1), 0x34));
        assert!(t(Val::Msh(0), 8));
        assert!(t(Val::Len, 1500));
        assert!(!t(ld(4, 1), 0), "3 bytes left: out of bounds");
        let div0 = Val::Bin(ArOp::Div, Box::new(Val::K(4)), Box::new(ld(1, 0)));
        assert!(!matches(
            &Node::Not(Box::new(Node::Test(Cmp::Eq, div0, Val::K(9)))),
            &[0],
            1
        ));
    }
}
