//! Classic BPF, the form a filter takes for the kernel: the instruction and
//! its opcodes ([`insn`]), the compiler from a lowered filter ([`compile`]),
//! an interpreter with the kernel's semantics ([`interp`]), the `tcpdump -d`
//! printer ([`mod@dump`]), libpcap's "rejects all packets" verdict
//! ([`rejects`]) and the rewrite of a LINUX_SLL2 program for a cooked
//! socket ([`cooked`]).

pub mod compile;
pub mod cooked;
pub mod dump;
pub mod insn;
pub mod interp;
pub mod rejects;

pub use cooked::cooked_kernel_program;
pub use dump::{dump, dump_c, image, parse_c};
pub use insn::*;
pub use interp::{Program, run};

/// `tcp[tcpflags] & tcp-syn != 0` on Ethernet, as a small hand-written
/// program the interpreter and dumper tests share.
#[cfg(test)]
pub(crate) fn tcp_syn_program() -> Vec<BpfInsn> {
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
