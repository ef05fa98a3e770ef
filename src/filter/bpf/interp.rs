//! Runs a classic-BPF program on captured bytes with the kernel's (and
//! libpcap's) semantics: `read` filters with it, and the tests use it to
//! check compiled programs against tcpdump's.

use super::insn::*;

fn load(pkt: &[u8], off: u32, size: u16) -> Option<u32> {
    let n = match size {
        W => 4,
        H => 2,
        B => 1,
        _ => return None,
    };
    let start = off as usize;
    let b = pkt.get(start..start.checked_add(n)?)?;
    Some(match *b {
        [x] => x as u32,
        [x, y] => u16::from_be_bytes([x, y]) as u32,
        [a, b, c, d] => u32::from_be_bytes([a, b, c, d]),
        _ => return None,
    })
}

/// Runs `prog` on a packet: returns how many bytes to keep (0 = reject).
/// An out-of-bounds load, a division by zero, a jump out of the program,
/// an unknown opcode or falling off the end all return 0, as in the kernel.
pub fn run(prog: &[BpfInsn], pkt: &[u8], wire_len: u32) -> u32 {
    let mut st = State {
        a: 0,
        x: 0,
        mem: [0; MEMWORDS],
    };
    let mut pc = 0usize;
    // Jumps only go forward, so the loop ends within prog.len() steps.
    while let Some(ins) = prog.get(pc) {
        pc += 1;
        if let Step::Return(v) = step(ins, &mut st, &mut pc, pkt, wire_len) {
            return v;
        }
    }
    0
}

/// The machine's registers and scratch memory.
struct State {
    a: u32,
    x: u32,
    mem: [u32; MEMWORDS],
}

enum Step {
    Next,
    Return(u32),
}

/// Run one instruction (`pc` already past it).
fn step(ins: &BpfInsn, st: &mut State, pc: &mut usize, pkt: &[u8], wire_len: u32) -> Step {
    let (a, x) = (&mut st.a, &mut st.x);
    let k = ins.k;
    let class = ins.code & CLASS_MASK;
    match class {
        LD | LDX => {
            let mode = ins.code & MODE_MASK;
            let size = ins.code & SIZE_MASK;
            let v = match mode {
                IMM => Some(k),
                ABS => load(pkt, k, size),
                IND if class == LD => load(pkt, x.wrapping_add(k), size),
                MEM => st.mem.get(k as usize).copied(),
                LEN => Some(wire_len),
                MSH if class == LDX && size == B => load(pkt, k, B).map(|b| 4 * (b & 0xf)),
                _ => None,
            };
            let Some(v) = v else {
                return Step::Return(0);
            };
            if class == LD {
                *a = v;
            } else {
                *x = v;
            }
        }
        ST | STX => {
            let v = if class == ST { *a } else { *x };
            let Some(slot) = st.mem.get_mut(k as usize) else {
                return Step::Return(0);
            };
            *slot = v;
        }
        ALU => {
            let op = ins.code & OP_MASK;
            if op == NEG {
                *a = a.wrapping_neg();
                return Step::Next;
            }
            let b = if ins.code & SRC_MASK == X { *x } else { k };
            *a = match op {
                ADD => a.wrapping_add(b),
                SUB => a.wrapping_sub(b),
                MUL => a.wrapping_mul(b),
                DIV => match a.checked_div(b) {
                    Some(v) => v,
                    None => return Step::Return(0),
                },
                MOD => match a.checked_rem(b) {
                    Some(v) => v,
                    None => return Step::Return(0),
                },
                AND => *a & b,
                OR => *a | b,
                XOR => *a ^ b,
                LSH => a.checked_shl(b).unwrap_or(0),
                RSH => a.checked_shr(b).unwrap_or(0),
                _ => return Step::Return(0),
            };
        }
        JMP => {
            let op = ins.code & OP_MASK;
            if op == JA {
                *pc = pc.saturating_add(k as usize);
                return Step::Next;
            }
            let b = if ins.code & SRC_MASK == X { *x } else { k };
            let taken = match op {
                JEQ => *a == b,
                JGT => *a > b,
                JGE => *a >= b,
                JSET => *a & b != 0,
                _ => return Step::Return(0),
            };
            *pc += if taken { ins.jt } else { ins.jf } as usize;
        }
        RET => {
            return Step::Return(match ins.code & RVAL_MASK {
                K => k,
                A => *a,
                X => *x,
                _ => 0,
            });
        }
        MISC => {
            if ins.code & MISCOP_MASK == TXA {
                *a = *x;
            } else {
                *x = *a;
            }
        }
        _ => return Step::Return(0),
    }
    Step::Next
}

/// A program decoded once for [`Program::run`]: the instructions a filter
/// runs on every packet (loads at constant or `x`-relative offsets, the
/// IP header length, compares with constants, returns) as operations that
/// need no opcode decoding, and the others as they are, run by [`run`]'s
/// rules. `read` runs a filter on every packet: the decoding of each
/// instruction's class, mode and size was most of the interpreter's cost.
#[derive(Clone, Debug)]
pub struct Program {
    ops: Vec<Op>,
}

#[derive(Clone, Copy, Debug)]
enum Op {
    /// `A = pkt[k]` of 1, 2 or 4 bytes.
    LdAbs(u32, u8),
    /// `A = pkt[x + k]`.
    LdInd(u32, u8),
    /// `X = 4 * (pkt[k] & 0xf)`.
    LdxMsh(u32),
    /// `A op k ? jt : jf` with `op` one of [`Cmp`].
    JmpK(Cmp, u32, u8, u8),
    RetK(u32),
    /// Any other instruction, with [`run`]'s meaning.
    Other(BpfInsn),
}

#[derive(Clone, Copy, Debug)]
enum Cmp {
    Eq,
    Gt,
    Ge,
    Set,
}

fn width(size: u16) -> Option<u8> {
    match size {
        W => Some(4),
        H => Some(2),
        B => Some(1),
        _ => None,
    }
}

/// `n` bytes (1, 2 or 4) big-endian at `off`, or `None` past the end.
#[inline]
fn load_n(pkt: &[u8], off: u32, n: u8) -> Option<u32> {
    let at = off as usize;
    match n {
        1 => pkt.get(at).map(|&b| u32::from(b)),
        2 => pkt
            .get(at..at.checked_add(2)?)
            .map(|b| u32::from(u16::from_be_bytes([b[0], b[1]]))),
        _ => pkt
            .get(at..at.checked_add(4)?)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]])),
    }
}

impl Program {
    pub fn new(prog: &[BpfInsn]) -> Program {
        let ops = prog
            .iter()
            .map(|&ins| {
                let class = ins.code & CLASS_MASK;
                let mode = ins.code & MODE_MASK;
                let size = ins.code & SIZE_MASK;
                let cmp = match ins.code & OP_MASK {
                    JEQ => Some(Cmp::Eq),
                    JGT => Some(Cmp::Gt),
                    JGE => Some(Cmp::Ge),
                    JSET => Some(Cmp::Set),
                    _ => None,
                };
                match (class, mode, width(size)) {
                    (LD, ABS, Some(n)) => Op::LdAbs(ins.k, n),
                    (LD, IND, Some(n)) => Op::LdInd(ins.k, n),
                    (LDX, MSH, Some(1)) => Op::LdxMsh(ins.k),
                    (JMP, ..) if ins.code & SRC_MASK == K && cmp.is_some() => {
                        Op::JmpK(cmp.unwrap_or(Cmp::Eq), ins.k, ins.jt, ins.jf)
                    }
                    (RET, ..) if ins.code & RVAL_MASK == K => Op::RetK(ins.k),
                    _ => Op::Other(ins),
                }
            })
            .collect();
        Program { ops }
    }

    /// [`run`] of the program on a packet: the same verdict, faster.
    pub fn run(&self, pkt: &[u8], wire_len: u32) -> u32 {
        let mut st = State {
            a: 0,
            x: 0,
            mem: [0; MEMWORDS],
        };
        let mut pc = 0usize;
        while let Some(op) = self.ops.get(pc) {
            pc += 1;
            match *op {
                Op::LdAbs(k, n) => match load_n(pkt, k, n) {
                    Some(v) => st.a = v,
                    None => return 0,
                },
                Op::LdInd(k, n) => match load_n(pkt, st.x.wrapping_add(k), n) {
                    Some(v) => st.a = v,
                    None => return 0,
                },
                Op::LdxMsh(k) => match pkt.get(k as usize) {
                    Some(&b) => st.x = 4 * u32::from(b & 0xf),
                    None => return 0,
                },
                Op::JmpK(cmp, k, jt, jf) => {
                    let taken = match cmp {
                        Cmp::Eq => st.a == k,
                        Cmp::Gt => st.a > k,
                        Cmp::Ge => st.a >= k,
                        Cmp::Set => st.a & k != 0,
                    };
                    pc += usize::from(if taken { jt } else { jf });
                }
                Op::RetK(k) => return k,
                Op::Other(ins) => match step(&ins, &mut st, &mut pc, pkt, wire_len) {
                    Step::Next => {}
                    Step::Return(v) => return v,
                },
            }
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::bpf::tcp_syn_program as prog_tcp_syn;

    #[test]
    fn runs_and_rejects_out_of_bounds() {
        let mut pkt = vec![0u8; 54];
        pkt[12] = 0x08;
        pkt[14] = 0x45;
        pkt[23] = 6;
        pkt[47] = 0x02;
        let p = prog_tcp_syn();
        assert_eq!(run(&p, &pkt, 54), 65535);
        pkt[47] = 0x10;
        assert_eq!(run(&p, &pkt, 54), 0);
        pkt[47] = 0x02;
        assert_eq!(run(&p, &pkt[..47], 54), 0, "load past the end rejects");
    }

    #[test]
    fn alu_scratch_and_division_by_zero() {
        let p = vec![
            BpfInsn::stmt(LD | IMM, 7),
            BpfInsn::stmt(ST, 3),
            BpfInsn::stmt(LDX | IMM, 2),
            BpfInsn::stmt(ALU | MUL | X, 0),
            BpfInsn::stmt(ALU | SUB | K, 4),
            BpfInsn::stmt(LDX | MEM, 3),
            BpfInsn::stmt(ALU | ADD | X, 0),
            BpfInsn::stmt(ALU | NEG, 0),
            BpfInsn::stmt(ALU | NEG, 0),
            BpfInsn::stmt(RET | A, 0),
        ];
        assert_eq!(run(&p, &[], 0), 17);
        let div0 = vec![
            BpfInsn::stmt(LDX | IMM, 0),
            BpfInsn::stmt(ALU | DIV | X, 0),
            BpfInsn::stmt(RET | K, 1),
        ];
        assert_eq!(run(&div0, &[], 0), 0);
        let off_end = vec![BpfInsn::stmt(JMP | JA, 5)];
        assert_eq!(run(&off_end, &[], 0), 0);
    }

    /// The decoded program returns what the reference returns, on random
    /// programs of every opcode class (jumps past the end, bad sizes and
    /// modes, scratch memory, division by zero) and random packets.
    #[test]
    fn decoded_programs_agree_with_the_reference() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        // Opcodes the compiler emits, and some it never does.
        let codes: &[u16] = &[
            LD | W | ABS,
            LD | H | ABS,
            LD | B | ABS,
            LD | W | IND,
            LD | H | IND,
            LD | B | IND,
            LD | IMM,
            LD | MEM,
            LD | W | LEN,
            LDX | IMM,
            LDX | MEM,
            LDX | W | LEN,
            LDX | B | MSH,
            LDX | H | MSH,
            LDX | H | ABS,
            LD | 0x18 | ABS,
            ST,
            STX,
            ALU | ADD | K,
            ALU | SUB | X,
            ALU | MUL | K,
            ALU | DIV | X,
            ALU | MOD | K,
            ALU | AND | K,
            ALU | OR | X,
            ALU | XOR | K,
            ALU | LSH | K,
            ALU | RSH | X,
            ALU | NEG,
            ALU | 0xf0,
            JMP | JA,
            JMP | JEQ | K,
            JMP | JGT | K,
            JMP | JGE | K,
            JMP | JSET | K,
            JMP | JEQ | X,
            JMP | JGT | X,
            JMP | 0x70,
            RET | K,
            RET | A,
            RET | X,
            RET | 0x18,
            MISC | TAX,
            MISC | TXA,
        ];
        for _ in 0..20_000 {
            let len = 1 + next() as usize % 12;
            let prog: Vec<BpfInsn> = (0..len)
                .map(|_| {
                    let code = codes[next() as usize % codes.len()];
                    let k = match next() % 4 {
                        0 => next() as u32,
                        _ => next() as u32 % 40,
                    };
                    BpfInsn::jump(code, k, (next() % 5) as u8, (next() % 5) as u8)
                })
                .collect();
            let pkt: Vec<u8> = (0..next() % 48).map(|_| next() as u8).collect();
            let wire = pkt.len() as u32 + (next() % 3) as u32;
            let decoded = Program::new(&prog);
            assert_eq!(
                decoded.run(&pkt, wire),
                run(&prog, &pkt, wire),
                "{prog:?} {pkt:02x?}"
            );
        }
    }
}
