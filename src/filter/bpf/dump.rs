//! Prints programs as `tcpdump -d` (libpcap's `bpf_image`) and `-dd` do, and
//! reads `-dd` output back, so programs can be compared with tcpdump's.

use super::insn::*;
use std::fmt::Write as _;

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
        c if c & CLASS_MASK == ALU => {
            let name = match c & OP_MASK {
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
            let operand = if c & SRC_MASK == X {
                "x".to_string()
            } else if matches!(c & OP_MASK, AND | OR | XOR) {
                format!("#0x{k:x}")
            } else {
                format!("#{kd}")
            };
            (name, operand)
        }
        c => ("unimp", format!("0x{c:x}")),
    };
    let is_cond_jump = ins.code & CLASS_MASK == JMP && ins.code & OP_MASK != JA;
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
    use crate::filter::bpf::tcp_syn_program as prog_tcp_syn;

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
