//! The classic-BPF instruction (`struct sock_filter`'s layout) and the opcode
//! constants of <linux/filter.h> / <pcap/bpf.h>. A leaf: it imports nothing,
//! so the compiler, the interpreter, the dumper and the cooked-socket rewrite
//! all spell opcodes the same way.

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

// Opcode fields, as in <linux/filter.h> / <pcap/bpf.h>: the class in the
// low 3 bits, then (by class) the size, the addressing mode, the ALU or jump
// operation, and the operand source.
pub const CLASS_MASK: u16 = 0x07;
pub const SIZE_MASK: u16 = 0x18;
pub const MODE_MASK: u16 = 0xe0;
pub const OP_MASK: u16 = 0xf0;
pub const SRC_MASK: u16 = 0x08;
/// RET's operand: K, A or X (same bits as the size field).
pub const RVAL_MASK: u16 = 0x18;
/// MISC's operation: TAX or TXA.
pub const MISCOP_MASK: u16 = 0xf8;

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
