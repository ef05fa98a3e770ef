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
    let (mut a, mut x) = (0u32, 0u32);
    let mut mem = [0u32; MEMWORDS];
    let mut pc = 0usize;
    // Jumps only go forward, so the loop ends within prog.len() steps.
    while let Some(ins) = prog.get(pc) {
        pc += 1;
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
                    MEM => mem.get(k as usize).copied(),
                    LEN => Some(wire_len),
                    MSH if class == LDX && size == B => load(pkt, k, B).map(|b| 4 * (b & 0xf)),
                    _ => None,
                };
                let Some(v) = v else { return 0 };
                if class == LD {
                    a = v;
                } else {
                    x = v;
                }
            }
            ST | STX => {
                let Some(slot) = mem.get_mut(k as usize) else {
                    return 0;
                };
                *slot = if class == ST { a } else { x };
            }
            ALU => {
                let op = ins.code & OP_MASK;
                if op == NEG {
                    a = a.wrapping_neg();
                    continue;
                }
                let b = if ins.code & SRC_MASK == X { x } else { k };
                a = match op {
                    ADD => a.wrapping_add(b),
                    SUB => a.wrapping_sub(b),
                    MUL => a.wrapping_mul(b),
                    DIV => match a.checked_div(b) {
                        Some(v) => v,
                        None => return 0,
                    },
                    MOD => match a.checked_rem(b) {
                        Some(v) => v,
                        None => return 0,
                    },
                    AND => a & b,
                    OR => a | b,
                    XOR => a ^ b,
                    LSH => a.checked_shl(b).unwrap_or(0),
                    RSH => a.checked_shr(b).unwrap_or(0),
                    _ => return 0,
                };
            }
            JMP => {
                let op = ins.code & OP_MASK;
                if op == JA {
                    pc = pc.saturating_add(k as usize);
                    continue;
                }
                let b = if ins.code & SRC_MASK == X { x } else { k };
                let taken = match op {
                    JEQ => a == b,
                    JGT => a > b,
                    JGE => a >= b,
                    JSET => a & b != 0,
                    _ => return 0,
                };
                pc += if taken { ins.jt } else { ins.jf } as usize;
            }
            RET => {
                return match ins.code & RVAL_MASK {
                    K => k,
                    A => a,
                    X => x,
                    _ => 0,
                };
            }
            MISC => {
                if ins.code & MISCOP_MASK == TXA {
                    a = x;
                } else {
                    x = a;
                }
            }
            _ => return 0,
        }
    }
    0
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
}
