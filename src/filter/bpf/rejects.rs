//! Whether a program can accept any packet, as libpcap's optimizer tells:
//! `pcap_compile` refuses a filter with "expression rejects all packets"
//! when its optimized program is a lone `ret #0` (`ip and arp`, `tcp and
//! udp`, `arp` on raw IP), and tcpdump exits with that error instead of
//! printing nothing.
//!
//! The optimizer decides a jump when an edge before it on the way there
//! compared the same value (its value numbers: the same load of the same
//! bytes is the same value) with the same operator: the same operand
//! gives the outcome taken then; an equality found true with one constant
//! makes an equality with any other false. Every other comparison stays
//! open, and constant operands fold. This walks the program's edges
//! forward with that reasoning, as the optimizer threads them: when no
//! edge reaches a `ret` of a non-zero length, libpcap would have folded
//! the program to `ret #0`. A program too large to walk within [`BUDGET`]
//! steps is taken to accept packets (the error is only said when it is
//! certain). Which programs libpcap does not optimize at all is
//! `Filter::compile`'s to say.

use super::insn::*;
use std::collections::{BTreeMap, HashMap};

/// Instructions the walk may step through before it gives up.
const BUDGET: usize = 200_000;

/// True when no packet can make `prog` return a non-zero length.
pub fn rejects_all(prog: &[BpfInsn]) -> bool {
    let mut walk = Walk::default();
    let mut slot = 1;
    let start = State {
        pc: 0,
        a: walk.value(Term::Start(0)),
        x: walk.value(Term::Start(1)),
        mem: [0; MEMWORDS].map(|_| {
            slot += 1;
            walk.value(Term::Start(slot))
        }),
        facts: Vec::new(),
    };
    walk.accepts(prog, start) == Some(false)
}

/// A value the registers can hold, by what computed it: two equal terms
/// are the same value (libpcap's value numbering).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Term {
    Const(u32),
    /// What a register or scratch slot held before the program ran.
    Start(u8),
    /// A load of `size` bytes at `k`, absolute or after the value `x`.
    Load {
        size: u16,
        k: u32,
        x: Option<Val>,
    },
    Len,
    /// `4 * ([k] & 0xf)`.
    Msh(u32),
    Alu {
        op: u16,
        a: Val,
        b: Val,
    },
    /// What a register (0 A, 1 X, then the slots) held where edges that
    /// disagreed on it met, at a jump.
    Met(usize, u32),
}

type Val = u32;

/// A comparison taken on the way: `a op b` was `sense`.
#[derive(Clone, PartialEq, Eq)]
struct Fact {
    op: u16,
    a: Val,
    b: Val,
    sense: bool,
}

/// An edge on its way: where it goes, the registers' values and what it
/// knows of the comparisons before.
#[derive(Clone)]
struct State {
    pc: usize,
    a: Val,
    x: Val,
    mem: [Val; MEMWORDS],
    facts: Vec<Fact>,
}

#[derive(Default)]
struct Walk {
    terms: Vec<Term>,
    numbers: HashMap<Term, Val>,
    steps: usize,
}

impl Walk {
    fn value(&mut self, t: Term) -> Val {
        if let Some(&v) = self.numbers.get(&t) {
            return v;
        }
        let v = self.terms.len() as Val;
        self.terms.push(t);
        self.numbers.insert(t, v);
        v
    }

    fn constant(&self, v: Val) -> Option<u32> {
        match self.terms.get(v as usize) {
            Some(Term::Const(c)) => Some(*c),
            _ => None,
        }
    }

    /// Whether some path from `start` returns a non-zero length; `None`
    /// when the budget ran out first.
    ///
    /// The paths go forward together, as libpcap's optimizer sees them: an
    /// edge into a jump whose outcome the edge's own knowledge decides is
    /// threaded past it (`opt_j`); the edges it does not decide meet
    /// there, knowing only what all of them knew, and leave by its two
    /// ways. (Following every path alone knew more than libpcap does:
    /// after `ip` on ARCNET, one of two link types, it still tests for
    /// IPv6's.)
    fn accepts(&mut self, prog: &[BpfInsn], start: State) -> Option<bool> {
        // The edges waiting at each instruction (jumps only go forward).
        let mut waiting: BTreeMap<usize, Vec<State>> = BTreeMap::new();
        waiting.insert(0, vec![start]);
        while let Some((_, edges)) = waiting.pop_first() {
            // Those the jump ahead leaves open, and where it is.
            let mut open = Vec::new();
            let mut jump = None;
            for mut s in edges {
                loop {
                    self.steps += 1;
                    if self.steps > BUDGET {
                        return None;
                    }
                    // Past the end: no `ret`, nothing returned.
                    let Some(&ins) = prog.get(s.pc) else {
                        break;
                    };
                    let at = s.pc;
                    s.pc += 1;
                    match self.step(ins, &mut s) {
                        Next::Go if s.pc == at + 1 && !waiting.contains_key(&s.pc) => {}
                        // Where other edges wait, or a jump it decided.
                        Next::Go => {
                            waiting.entry(s.pc).or_default().push(s);
                            break;
                        }
                        Next::Return(true) => return Some(true),
                        Next::Return(false) => break,
                        Next::Open(ins, fact) => {
                            jump = Some((at, ins, fact));
                            open.push(s);
                            break;
                        }
                    }
                }
            }
            let mut open = open.into_iter();
            if let (Some((at, ins, fact)), Some(first)) = (jump, open.next()) {
                let mut s = self.meet(at, first, open);
                s.pc = at + 1;
                let ways = match self.decided(&fact, &s.facts) {
                    Some(taken) => vec![(taken, None)],
                    None => vec![(true, Some(true)), (false, Some(false))],
                };
                for (taken, known) in ways {
                    let mut e = s.clone();
                    e.pc += usize::from(if taken { ins.jt } else { ins.jf });
                    if let Some(sense) = known {
                        e.facts.push(Fact {
                            sense,
                            ..fact.clone()
                        });
                    }
                    waiting.entry(e.pc).or_default().push(e);
                }
            }
        }
        Some(false)
    }

    /// The edges that reached the jump at `at` undecided, met: the
    /// registers where they agree (a new value where not), and the
    /// comparisons all of them knew.
    fn meet(&mut self, at: usize, mut first: State, rest: impl Iterator<Item = State>) -> State {
        for s in rest {
            first.facts.retain(|f| s.facts.contains(f));
            let mut differ = |mine: &mut Val, theirs: Val, which: u32| {
                if *mine != theirs {
                    *mine = self.value(Term::Met(at, which));
                }
            };
            differ(&mut first.a, s.a, 0);
            differ(&mut first.x, s.x, 1);
            for (i, (m, t)) in first.mem.iter_mut().zip(s.mem).enumerate() {
                differ(m, t, 2 + i as u32);
            }
        }
        first
    }

    fn step(&mut self, ins: BpfInsn, s: &mut State) -> Next {
        let k = ins.k;
        let class = ins.code & CLASS_MASK;
        match class {
            LD | LDX => {
                let size = ins.code & SIZE_MASK;
                let term = match ins.code & MODE_MASK {
                    IMM => Term::Const(k),
                    ABS => Term::Load { size, k, x: None },
                    IND => Term::Load {
                        size,
                        k,
                        x: Some(s.x),
                    },
                    MEM => {
                        let v = s.mem.get(k as usize).copied();
                        return self.set(s, class, v);
                    }
                    LEN => Term::Len,
                    MSH => Term::Msh(k),
                    _ => return Next::Return(false),
                };
                let v = self.value(term);
                self.set(s, class, Some(v))
            }
            ST | STX => {
                let v = if class == ST { s.a } else { s.x };
                match s.mem.get_mut(k as usize) {
                    Some(slot) => {
                        *slot = v;
                        Next::Go
                    }
                    None => Next::Return(false),
                }
            }
            ALU => {
                let op = ins.code & OP_MASK;
                let b = if op == NEG {
                    self.value(Term::Const(0))
                } else if ins.code & SRC_MASK == X {
                    s.x
                } else {
                    self.value(Term::Const(k))
                };
                let folded = match (self.constant(s.a), self.constant(b)) {
                    (Some(x), Some(y)) => match alu(op, x, y) {
                        Some(v) => Some(v),
                        // A division by zero ends the program with 0.
                        None => return Next::Return(false),
                    },
                    _ => None,
                };
                s.a = match folded {
                    Some(v) => self.value(Term::Const(v)),
                    None => self.value(Term::Alu {
                        op: ins.code & !CLASS_MASK,
                        a: s.a,
                        b,
                    }),
                };
                Next::Go
            }
            JMP => {
                let op = ins.code & OP_MASK;
                if op == JA {
                    s.pc += k as usize;
                    return Next::Go;
                }
                let b = if ins.code & SRC_MASK == X {
                    s.x
                } else {
                    self.value(Term::Const(k))
                };
                let fact = Fact {
                    op: ins.code,
                    a: s.a,
                    b,
                    sense: true,
                };
                match self.decided(&fact, &s.facts) {
                    Some(taken) => {
                        s.pc += usize::from(if taken { ins.jt } else { ins.jf });
                        Next::Go
                    }
                    None => Next::Open(ins, fact),
                }
            }
            RET => {
                let v = match ins.code & RVAL_MASK {
                    K => Some(k),
                    A => self.constant(s.a),
                    _ => self.constant(s.x),
                };
                Next::Return(v != Some(0))
            }
            MISC => {
                if ins.code & MISCOP_MASK == TXA {
                    s.a = s.x;
                } else {
                    s.x = s.a;
                }
                Next::Go
            }
            _ => Next::Return(false),
        }
    }

    fn set(&mut self, s: &mut State, class: u16, v: Option<Val>) -> Next {
        let Some(v) = v else {
            return Next::Return(false);
        };
        if class == LD {
            s.a = v;
        } else {
            s.x = v;
        }
        Next::Go
    }

    /// The outcome of `want` (its sense ignored) known on the way here.
    fn decided(&self, want: &Fact, facts: &[Fact]) -> Option<bool> {
        if let (Some(a), Some(b)) = (self.constant(want.a), self.constant(want.b)) {
            return Some(compare(want.op & OP_MASK, a, b));
        }
        let eq_k = want.op == JMP | JEQ | K;
        facts.iter().rev().find_map(|f| {
            if f.op != want.op || f.a != want.a {
                None
            } else if f.b == want.b {
                Some(f.sense)
            } else if f.sense && eq_k {
                // Equal to one constant: not to another.
                Some(false)
            } else {
                None
            }
        })
    }
}

enum Next {
    Go,
    /// A `ret`: whether it returns a non-zero length.
    Return(bool),
    /// A comparison the edge's knowledge leaves open.
    Open(BpfInsn, Fact),
}

fn compare(op: u16, a: u32, b: u32) -> bool {
    match op {
        JEQ => a == b,
        JGT => a > b,
        JGE => a >= b,
        _ => a & b != 0,
    }
}

fn alu(op: u16, a: u32, b: u32) -> Option<u32> {
    Some(match op {
        ADD => a.wrapping_add(b),
        SUB => a.wrapping_sub(b),
        MUL => a.wrapping_mul(b),
        DIV => a.checked_div(b)?,
        MOD => a.checked_rem(b)?,
        OR => a | b,
        AND => a & b,
        XOR => a ^ b,
        LSH => a.checked_shl(b).unwrap_or(0),
        RSH => a.checked_shr(b).unwrap_or(0),
        NEG => a.wrapping_neg(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(ins: &[(u16, u32, u8, u8)]) -> Vec<BpfInsn> {
        ins.iter()
            .map(|&(code, k, jt, jf)| BpfInsn::jump(code, k, jt, jf))
            .collect()
    }

    #[test]
    fn the_same_load_compared_with_two_constants_rejects_all() {
        // ip and arp: ldh [12]; jeq 0x800; jeq 0x806; ret; ret 0.
        let p = program(&[
            (LD | H | ABS, 12, 0, 0),
            (JMP | JEQ | K, 0x800, 0, 2),
            (JMP | JEQ | K, 0x806, 0, 1),
            (RET | K, 262_144, 0, 0),
            (RET | K, 0, 0, 0),
        ]);
        assert!(rejects_all(&p));
        // ip or arp: either way accepts.
        let p = program(&[
            (LD | H | ABS, 12, 0, 0),
            (JMP | JEQ | K, 0x800, 1, 0),
            (JMP | JEQ | K, 0x806, 0, 1),
            (RET | K, 262_144, 0, 0),
            (RET | K, 0, 0, 0),
        ]);
        assert!(!rejects_all(&p));
    }

    #[test]
    fn a_load_again_is_the_same_value_and_another_offset_is_not() {
        let p = |second: u32| {
            program(&[
                (LD | B | ABS, 23, 0, 0),
                (JMP | JEQ | K, 6, 0, 3),
                (LD | B | ABS, second, 0, 0),
                (JMP | JEQ | K, 17, 0, 1),
                (RET | K, 65_535, 0, 0),
                (RET | K, 0, 0, 0),
            ])
        };
        assert!(rejects_all(&p(23)));
        assert!(!rejects_all(&p(24)));
    }

    #[test]
    fn only_a_return_of_zero_rejects_and_constants_fold() {
        assert!(rejects_all(&program(&[(RET | K, 0, 0, 0)])));
        assert!(!rejects_all(&program(&[(RET | K, 1, 0, 0)])));
        // A = 2 + 3; jeq #5 → ret 0 else ret 1: accepts nothing.
        let p = program(&[
            (LD | IMM, 2, 0, 0),
            (ALU | ADD | K, 3, 0, 0),
            (JMP | JEQ | K, 5, 0, 1),
            (RET | K, 0, 0, 0),
            (RET | K, 1, 0, 0),
        ]);
        assert!(rejects_all(&p));
        // A greater-than leaves the other outcome open.
        let p = program(&[
            (LD | H | ABS, 12, 0, 0),
            (JMP | JGT | K, 5, 0, 2),
            (JMP | JGT | K, 7, 0, 1),
            (RET | K, 1, 0, 0),
            (RET | K, 0, 0, 0),
        ]);
        assert!(!rejects_all(&p));
    }

    #[test]
    fn edges_that_meet_know_only_what_all_knew() {
        // 2,000 open comparisons, each way to the next: 2^2000 paths, but
        // the edges meet at each, so the walk is short.
        let mut ins = Vec::new();
        for i in 0..2000u32 {
            ins.push((LD | B | ABS, i, 0, 0));
            ins.push((JMP | JEQ | K, 1, 1, 0));
            ins.push((LD | B | ABS, 100 + i, 0, 0));
        }
        ins.push((RET | K, 0, 0, 0));
        assert!(rejects_all(&program(&ins)));
        // ARCNET's `icmp and tcp` as libpcap leaves it: after a link type
        // of 0xd4 or 0xf0 (two edges that meet at ICMP's test), the test
        // for IPv6's 0xc4 stays open, and its way accepts.
        let p = program(&[
            (LD | B | ABS, 2, 0, 0),
            (JMP | JEQ | K, 0xd4, 1, 0),
            (JMP | JEQ | K, 0xf0, 0, 5),
            (LD | B | ABS, 15, 0, 0),
            (JMP | JEQ | K, 1, 0, 3),
            (LD | B | ABS, 2, 0, 0),
            (JMP | JEQ | K, 0xc4, 0, 1),
            (RET | K, 1, 0, 0),
            (RET | K, 0, 0, 0),
        ]);
        assert!(!rejects_all(&p));
        // Whereas one edge's own knowledge decides it: `arp` after `ip`.
        let p = program(&[
            (LD | H | ABS, 12, 0, 0),
            (JMP | JEQ | K, 0x800, 0, 4),
            (LD | B | ABS, 23, 0, 0),
            (LD | H | ABS, 12, 0, 0),
            (JMP | JEQ | K, 0x806, 0, 1),
            (RET | K, 1, 0, 0),
            (RET | K, 0, 0, 0),
        ]);
        assert!(rejects_all(&p));
    }
}
