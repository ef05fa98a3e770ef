//! Classic BPF: the instruction type (the kernel's `struct sock_filter`),
//! an interpreter with the kernel's/libpcap's semantics, and a dumper that
//! prints programs as `tcpdump -d` does.

pub mod compile;

use std::fmt::Write as _;

/// One classic-BPF instruction (`struct sock_filter`): opcode, jump-if-true,
/// jump-if-false, constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct BpfInsn {
    pub code: u16,
    pub jt: u8,
    pub jf: u8,
    pub k: u32,
}

impl BpfInsn {
    pub const fn stmt(code: u16, k: u32) -> Self {
        BpfInsn {
            code,
            jt: 0,
            jf: 0,
            k,
        }
    }
    pub const fn jump(code: u16, k: u32, jt: u8, jf: u8) -> Self {
        BpfInsn { code, jt, jf, k }
    }
}

// Opcode fields, as in <linux/filter.h> / <pcap/bpf.h>.
pub const LD: u16 = 0x00;
pub const LDX: u16 = 0x01;
pub const ST: u16 = 0x02;
pub const STX: u16 = 0x03;
pub const ALU: u16 = 0x04;
pub const JMP: u16 = 0x05;
pub const RET: u16 = 0x06;
pub const MISC: u16 = 0x07;

pub const W: u16 = 0x00;
pub const H: u16 = 0x08;
pub const B: u16 = 0x10;

pub const IMM: u16 = 0x00;
pub const ABS: u16 = 0x20;
pub const IND: u16 = 0x40;
pub const MEM: u16 = 0x60;
pub const LEN: u16 = 0x80;
pub const MSH: u16 = 0xa0;

pub const ADD: u16 = 0x00;
pub const SUB: u16 = 0x10;
pub const MUL: u16 = 0x20;
pub const DIV: u16 = 0x30;
pub const OR: u16 = 0x40;
pub const AND: u16 = 0x50;
pub const LSH: u16 = 0x60;
pub const RSH: u16 = 0x70;
pub const NEG: u16 = 0x80;
pub const MOD: u16 = 0x90;
pub const XOR: u16 = 0xa0;

pub const JA: u16 = 0x00;
pub const JEQ: u16 = 0x10;
pub const JGT: u16 = 0x20;
pub const JGE: u16 = 0x30;
pub const JSET: u16 = 0x40;

pub const K: u16 = 0x00;
pub const X: u16 = 0x08;
pub const A: u16 = 0x10;

pub const TAX: u16 = 0x00;
pub const TXA: u16 = 0x80;

/// Scratch memory slots (`BPF_MEMWORDS`).
pub const MEMWORDS: usize = 16;

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
        let class = ins.code & 0x07;
        match class {
            LD | LDX => {
                let mode = ins.code & 0xe0;
                let size = ins.code & 0x18;
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
                let op = ins.code & 0xf0;
                if op == NEG {
                    a = a.wrapping_neg();
                    continue;
                }
                let b = if ins.code & X != 0 { x } else { k };
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
                let op = ins.code & 0xf0;
                if op == JA {
                    pc = pc.saturating_add(k as usize);
                    continue;
                }
                let b = if ins.code & X != 0 { x } else { k };
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
                return match ins.code & 0x18 {
                    K => k,
                    A => a,
                    X => x,
                    _ => 0,
                };
            }
            MISC => {
                if ins.code & 0xf8 == TXA {
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

/// One instruction as `tcpdump -d` prints it (libpcap's `bpf_image`).
pub fn image(ins: &BpfInsn, pc: usize) -> String {
    let k = ins.k;
    let kd = k as i32;
    let (op, operand): (&str, String) = match ins.code {
        c if c == RET | K => ("ret", format!("#{kd}")),
        c if c == RET | A => ("ret", String::new()),
        c if c == RET | X => ("ret", "x".into()),
        c if c == LD | W | ABS => ("ld", format!("[{kd}]")),
        c if c == LD | H | ABS => ("ldh", format!("[{kd}]")),
        c if c == LD | B | ABS => ("ldb", format!("[{kd}]")),
        c if c == LD | W | LEN => ("ld", "#pktlen".into()),
        c if c == LD | W | IND => ("ld", format!("[x + {kd}]")),
        c if c == LD | H | IND => ("ldh", format!("[x + {kd}]")),
        c if c == LD | B | IND => ("ldb", format!("[x + {kd}]")),
        c if c == LD | IMM => ("ld", format!("#0x{k:x}")),
        c if c == LDX | IMM => ("ldx", format!("#0x{k:x}")),
        c if c == LDX | W | LEN => ("ldx", "#pktlen".into()),
        c if c == LDX | MSH | B => ("ldxb", format!("4*([{kd}]&0xf)")),
        c if c == LD | MEM => ("ld", format!("M[{kd}]")),
        c if c == LDX | MEM => ("ldx", format!("M[{kd}]")),
        c if c == ST => ("st", format!("M[{kd}]")),
        c if c == STX => ("stx", format!("M[{kd}]")),
        c if c == JMP | JA => ("ja", format!("{}", (pc as u64 + 1 + k as u64))),
        c if c == JMP | JGT | K => ("jgt", format!("#0x{k:x}")),
        c if c == JMP | JGE | K => ("jge", format!("#0x{k:x}")),
        c if c == JMP | JEQ | K => ("jeq", format!("#0x{k:x}")),
        c if c == JMP | JSET | K => ("jset", format!("#0x{k:x}")),
        c if c == JMP | JGT | X => ("jgt", "x".into()),
        c if c == JMP | JGE | X => ("jge", "x".into()),
        c if c == JMP | JEQ | X => ("jeq", "x".into()),
        c if c == JMP | JSET | X => ("jset", "x".into()),
        c if c == ALU | NEG => ("neg", String::new()),
        c if c == MISC | TAX => ("tax", String::new()),
        c if c == MISC | TXA => ("txa", String::new()),
        c if c & 0x07 == ALU => {
            let name = match c & 0xf0 {
                ADD => "add",
                SUB => "sub",
                MUL => "mul",
                DIV => "div",
                MOD => "mod",
                AND => "and",
                OR => "or",
                XOR => "xor",
                LSH => "lsh",
                RSH => "rsh",
                _ => "unimp",
            };
            let operand = if c & X != 0 {
                "x".to_string()
            } else if matches!(c & 0xf0, AND | OR | XOR) {
                format!("#0x{k:x}")
            } else {
                format!("#{kd}")
            };
            (name, operand)
        }
        c => ("unimp", format!("0x{c:x}")),
    };
    let is_cond_jump = ins.code & 0x07 == JMP && ins.code & 0xf0 != JA;
    if is_cond_jump {
        format!(
            "({pc:03}) {op:<8} {operand:<16} jt {}\tjf {}",
            pc + 1 + ins.jt as usize,
            pc + 1 + ins.jf as usize
        )
    } else {
        format!("({pc:03}) {op:<8} {operand}")
    }
}

/// The whole program in `tcpdump -d` format, one instruction per line.
pub fn dump(prog: &[BpfInsn]) -> String {
    let mut s = String::new();
    for (pc, ins) in prog.iter().enumerate() {
        let _ = writeln!(s, "{}", image(ins, pc));
    }
    s
}

/// The program in `tcpdump -dd` format (C array initialisers).
pub fn dump_c(prog: &[BpfInsn]) -> String {
    let mut s = String::new();
    for ins in prog {
        let _ = writeln!(
            s,
            "{{ 0x{:x}, {}, {}, 0x{:08x} }},",
            ins.code, ins.jt, ins.jf, ins.k
        );
    }
    s
}

/// Parses `tcpdump -dd` output (the inverse of [`dump_c`]): lets tests and
/// tools load programs tcpdump generated.
pub fn parse_c(text: &str) -> Result<Vec<BpfInsn>, String> {
    let mut prog = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let inner = line
            .trim_end_matches(',')
            .trim_start_matches('{')
            .trim_end_matches('}');
        let fields: Vec<&str> = inner.split(',').map(str::trim).collect();
        let num = |s: &str| -> Result<u32, String> {
            let r = match s.strip_prefix("0x") {
                Some(h) => u32::from_str_radix(h, 16),
                None => s.parse(),
            };
            r.map_err(|_| format!("line {}: bad number '{s}'", i + 1))
        };
        let [code, jt, jf, k] = fields[..] else {
            return Err(format!("line {}: expected 4 fields: {line}", i + 1));
        };
        prog.push(BpfInsn {
            code: num(code)? as u16,
            jt: num(jt)? as u8,
            jf: num(jf)? as u8,
            k: num(k)?,
        });
    }
    Ok(prog)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prog_tcp_syn() -> Vec<BpfInsn> {
        // ldh [12]; jeq #0x800; ldb [23]; jeq #6; ldxb msh; ldb [x+27]; jset #2; ret
        vec![
            BpfInsn::stmt(LD | H | ABS, 12),
            BpfInsn::jump(JMP | JEQ | K, 0x800, 0, 6),
            BpfInsn::stmt(LD | B | ABS, 23),
            BpfInsn::jump(JMP | JEQ | K, 6, 0, 4),
            BpfInsn::stmt(LDX | B | MSH, 14),
            BpfInsn::stmt(LD | B | IND, 27),
            BpfInsn::jump(JMP | JSET | K, 2, 0, 1),
            BpfInsn::stmt(RET | K, 65535),
            BpfInsn::stmt(RET | K, 0),
        ]
    }

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

    #[test]
    fn dumps_like_tcpdump() {
        let d = dump(&prog_tcp_syn());
        let want = "(000) ldh      [12]\n\
(001) jeq      #0x800           jt 2\tjf 8\n\
(002) ldb      [23]\n\
(003) jeq      #0x6             jt 4\tjf 8\n\
(004) ldxb     4*([14]&0xf)\n\
(005) ldb      [x + 27]\n\
(006) jset     #0x2             jt 7\tjf 8\n\
(007) ret      #65535\n\
(008) ret      #0\n";
        assert_eq!(d, want);
    }

    #[test]
    fn c_format_round_trips() {
        let p = prog_tcp_syn();
        assert_eq!(parse_c(&dump_c(&p)).unwrap(), p);
        assert!(parse_c("{ 0x28, 0, 0 },").is_err());
    }
}
