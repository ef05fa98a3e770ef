//! Compiles a lowered filter to classic BPF, as tcpdump would attach it:
//! `ret #snaplen` when the packet matches, `ret #0` otherwise.
//!
//! Code is generated back to front: when a test is emitted, the code it
//! jumps to already exists, so every jump offset is known at once (BPF jumps
//! only forward). Offsets over 255 go through a `ja` trampoline.
//! No optimiser: programs are longer than libpcap's but mean the same.

use std::collections::HashMap;

use super::insn::{self as bpf, BpfInsn};
use crate::filter::lower::{Cmp, LowerError, Node, Val};
use crate::filter::syntax::ast::ArOp;

/// The kernel refuses longer programs (BPF_MAXINSNS).
pub const MAX_INSNS: usize = 4096;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    /// The expression means nothing on the link type.
    #[error(transparent)]
    Link(#[from] LowerError),
    #[error("the BPF program would have {0} instructions, over the kernel's limit of {MAX_INSNS}")]
    TooLong(usize),
    #[error(
        "the arithmetic nests too deeply for BPF's {} scratch slots",
        bpf::MEMWORDS
    )]
    TooDeep,
    #[error("division by zero")]
    DivisionByZero,
    #[error("shift by {0} bits: the kernel accepts 0..31")]
    BadShift(u32),
    /// libpcap's optimizer folds the program to `ret #0` ([`super::rejects`]).
    #[error("expression rejects all packets")]
    RejectsAll,
}

struct Gen {
    /// The program, last instruction first.
    rev: Vec<BpfInsn>,
    /// Entry label of each test block -> the code that loads its operands.
    /// A test jumping to a block that loads exactly what it just loaded
    /// jumps past those loads (same packet, same result): this removes the
    /// repeated `ldh [12]` / `ldb [23]` of consecutive checks.
    loads: HashMap<usize, Vec<BpfInsn>>,
}

fn alu_code(op: ArOp) -> u16 {
    match op {
        ArOp::Add => bpf::ADD,
        ArOp::Sub => bpf::SUB,
        ArOp::Mul => bpf::MUL,
        ArOp::Div => bpf::DIV,
        ArOp::Mod => bpf::MOD,
        ArOp::And => bpf::AND,
        ArOp::Or => bpf::OR,
        ArOp::Xor => bpf::XOR,
        ArOp::Lsh => bpf::LSH,
        ArOp::Rsh => bpf::RSH,
    }
}

/// The BPF jump that tests `c`.
fn jump_code(c: Cmp) -> u16 {
    match c {
        Cmp::Eq => bpf::JEQ,
        Cmp::Gt => bpf::JGT,
        Cmp::Ge => bpf::JGE,
        Cmp::Set => bpf::JSET,
    }
}

fn size_code(size: u8) -> u16 {
    match size {
        1 => bpf::B,
        2 => bpf::H,
        _ => bpf::W,
    }
}

/// Appends code leaving `v` in A. May clobber X and scratch slots >= `depth`.
fn value(v: &Val, depth: usize, out: &mut Vec<BpfInsn>) -> Result<(), CompileError> {
    use bpf::*;
    match v {
        Val::K(k) => out.push(BpfInsn::stmt(LD | IMM, *k)),
        Val::Len => out.push(BpfInsn::stmt(LD | W | LEN, 0)),
        Val::Msh(o) => {
            out.push(BpfInsn::stmt(LDX | B | MSH, *o));
            out.push(BpfInsn::stmt(MISC | TXA, 0));
        }
        Val::Load(size, off) => {
            let sz = size_code(*size);
            match &**off {
                Val::K(k) => out.push(BpfInsn::stmt(LD | sz | ABS, *k)),
                Val::Bin(ArOp::Add, base, k) if matches!(**k, Val::K(_)) => {
                    let Val::K(k) = **k else { unreachable!() };
                    match &**base {
                        Val::Msh(o) => out.push(BpfInsn::stmt(LDX | B | MSH, *o)),
                        other => {
                            value(other, depth, out)?;
                            out.push(BpfInsn::stmt(MISC | TAX, 0));
                        }
                    }
                    out.push(BpfInsn::stmt(LD | sz | IND, k));
                }
                Val::Msh(o) => {
                    out.push(BpfInsn::stmt(LDX | B | MSH, *o));
                    out.push(BpfInsn::stmt(LD | sz | IND, 0));
                }
                other => {
                    value(other, depth, out)?;
                    out.push(BpfInsn::stmt(MISC | TAX, 0));
                    out.push(BpfInsn::stmt(LD | sz | IND, 0));
                }
            }
        }
        Val::Cond(c) => {
            // test; jset → then, else → other; then jumps past other.
            let (mut t, mut o) = (Vec::new(), Vec::new());
            value(&c.then, depth, &mut t)?;
            value(&c.other, depth, &mut o)?;
            let too_far = |n: usize| u8::try_from(n).map_err(|_| CompileError::TooLong(n));
            let skip_then = too_far(t.len() + 1)?;
            value(&c.test, depth, out)?;
            out.push(BpfInsn::jump(JMP | jump_code(c.cmp) | K, c.k, 0, skip_then));
            out.extend(t);
            out.push(BpfInsn::stmt(JMP | JA, o.len() as u32));
            out.extend(o);
        }
        Val::Bin(op, a, b) => {
            if let Val::K(k) = **b {
                if matches!(op, ArOp::Div | ArOp::Mod) && k == 0 {
                    return Err(CompileError::DivisionByZero);
                }
                // The kernel's checker refuses constant shifts over 31.
                if matches!(op, ArOp::Lsh | ArOp::Rsh) && k > 31 {
                    return Err(CompileError::BadShift(k));
                }
                value(a, depth, out)?;
                out.push(BpfInsn::stmt(ALU | alu_code(*op) | K, k));
            } else {
                if depth >= MEMWORDS {
                    return Err(CompileError::TooDeep);
                }
                value(b, depth, out)?;
                out.push(BpfInsn::stmt(ST, depth as u32));
                value(a, depth + 1, out)?;
                out.push(BpfInsn::stmt(LDX | MEM, depth as u32));
                out.push(BpfInsn::stmt(ALU | alu_code(*op) | X, 0));
            }
        }
    }
    Ok(())
}

impl Gen {
    fn push(&mut self, ins: BpfInsn) -> usize {
        self.rev.push(ins);
        self.rev.len() - 1
    }

    /// Makes `target` reachable from the next instruction with an 8-bit
    /// offset, adding a `ja` when it is too far.
    /// (253 leaves room for the second trampoline and the jump itself.)
    fn near(&mut self, target: usize) -> usize {
        if self.rev.len() - target - 1 <= 253 {
            target
        } else {
            let k = (self.rev.len() - target - 1) as u32;
            self.push(BpfInsn::stmt(bpf::JMP | bpf::JA, k))
        }
    }

    fn cond(&mut self, n: &Node, t: usize, f: usize) -> Result<usize, CompileError> {
        use bpf::*;
        Ok(match n {
            Node::Const(true) => t,
            Node::Const(false) => f,
            Node::And(v) => {
                let mut entry = t;
                for n in v.iter().rev() {
                    entry = self.cond(n, entry, f)?;
                }
                entry
            }
            Node::Or(v) => {
                let mut entry = f;
                for n in v.iter().rev() {
                    entry = self.cond(n, t, entry)?;
                }
                entry
            }
            Node::Not(a) => self.cond(a, f, t)?,
            Node::Test(c, a, b) => {
                let op = jump_code(*c);
                let mut pre = Vec::new();
                let (src, k) = match b {
                    Val::K(k) => {
                        value(a, 0, &mut pre)?;
                        (K, *k)
                    }
                    _ => {
                        value(b, 0, &mut pre)?;
                        pre.push(BpfInsn::stmt(ST, 0));
                        value(a, 1, &mut pre)?;
                        pre.push(BpfInsn::stmt(LDX | MEM, 0));
                        (X, 0)
                    }
                };
                let skip = |g: &Gen, target: usize| match g.loads.get(&target) {
                    Some(p) if *p == pre => target - pre.len(),
                    _ => target,
                };
                let (t, f) = (skip(self, t), skip(self, f));
                // A trampoline for t may be needed, then one for f (which
                // sits one further away if the first was added).
                let t2 = self.near(t);
                let f2 = self.near(f);
                let at = self.rev.len();
                self.push(BpfInsn::jump(
                    JMP | op | src,
                    k,
                    (at - t2 - 1) as u8,
                    (at - f2 - 1) as u8,
                ));
                for ins in pre.iter().rev() {
                    self.push(*ins);
                }
                self.loads.insert(self.rev.len() - 1, pre);
                if self.rev.len() > MAX_INSNS * 4 {
                    return Err(CompileError::TooLong(self.rev.len()));
                }
                self.rev.len() - 1
            }
        })
    }
}

/// Compiles `root` to a program returning `snaplen` on a match.
pub fn compile(root: &Node, snaplen: u32) -> Result<Vec<BpfInsn>, CompileError> {
    use bpf::*;
    if let Node::Const(c) = root {
        return Ok(vec![BpfInsn::stmt(RET | K, if *c { snaplen } else { 0 })]);
    }
    let mut g = Gen {
        rev: Vec::new(),
        loads: HashMap::new(),
    };
    let reject = g.push(BpfInsn::stmt(RET | K, 0));
    let accept = g.push(BpfInsn::stmt(RET | K, snaplen));
    let entry = g.cond(root, accept, reject)?;
    if entry != g.rev.len() - 1 {
        // The whole expression folded to a constant.
        let k = if entry == accept { snaplen } else { 0 };
        return Ok(vec![BpfInsn::stmt(RET | K, k)]);
    }
    if g.rev.len() > MAX_INSNS {
        return Err(CompileError::TooLong(g.rev.len()));
    }
    g.rev.reverse();
    Ok(drop_unreachable(g.rev))
}

/// Removes instructions no jump reaches (left behind when a test jumps past
/// the loads of the next block) and shortens jumps accordingly.
fn drop_unreachable(prog: Vec<BpfInsn>) -> Vec<BpfInsn> {
    use bpf::*;
    let targets = |pc: usize, ins: &BpfInsn| -> Vec<usize> {
        match ins.code & CLASS_MASK {
            RET => vec![],
            JMP if ins.code & OP_MASK == JA => vec![pc + 1 + ins.k as usize],
            JMP => vec![pc + 1 + ins.jt as usize, pc + 1 + ins.jf as usize],
            _ => vec![pc + 1],
        }
    };
    let mut live = vec![false; prog.len()];
    live[0] = true;
    // Jumps go forward only: one pass in order finds everything reachable.
    for pc in 0..prog.len() {
        if live[pc] {
            for t in targets(pc, &prog[pc]) {
                if let Some(l) = live.get_mut(t) {
                    *l = true;
                }
            }
        }
    }
    let mut new_at = vec![0usize; prog.len() + 1];
    let mut n = 0;
    for pc in 0..prog.len() {
        new_at[pc] = n;
        if live[pc] {
            n += 1;
        }
    }
    new_at[prog.len()] = n;
    let mut out = Vec::with_capacity(n);
    for (pc, ins) in prog.iter().enumerate() {
        if !live[pc] {
            continue;
        }
        let mut ins = *ins;
        let here = new_at[pc];
        let to = |old: usize| (new_at[old.min(prog.len())] - here - 1) as u32;
        if ins.code & CLASS_MASK == JMP {
            if ins.code & OP_MASK == JA {
                ins.k = to(pc + 1 + ins.k as usize);
            } else {
                ins.jt = to(pc + 1 + ins.jt as usize) as u8;
                ins.jf = to(pc + 1 + ins.jf as usize) as u8;
            }
        }
        out.push(ins);
    }
    out
}
