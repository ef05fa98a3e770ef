//! The time-sequence graph as an xplot file (tcptrace's `a2b_tsg.xpl`):
//! `timeval double` on x, `unsigned` on y, tcptrace's colours and marks
//! (`line`/`darrow` for segments, `green` ACK line, `yellow` window line,
//! `red` `R` text for retransmissions, `purple` SACK bars). Times are
//! seconds since the flow began, sequence numbers relative.

use super::series::{Seg, Series};
use crate::decode::tcp_flags::TcpFlags;
use std::fmt::Write as _;

pub fn render(s: &Series<'_>, from_orig: bool) -> String {
    let (a, b) = s.ends(from_orig);
    let mut out = String::from("timeval double\nunsigned\n");
    let _ = writeln!(out, "title\n{a}_==>_{b} (time sequence graph)");
    let _ = writeln!(out, "xlabel\ntime\nylabel\nsequence number");
    let t = |g: &Seg| format!("{:.6}", g.t_ns as f64 / 1e9);
    let mut prev: Option<(String, u64, u64)> = None;
    for g in &s.segs {
        if g.from_orig == from_orig {
            if g.len == 0 && !g.flags.intersects(TcpFlags::SYN | TcpFlags::FIN) {
                continue;
            }
            let x = t(g);
            let _ = writeln!(out, "{}", if g.is_retrans() { "red" } else { "white" });
            let _ = writeln!(out, "line {x} {} {x} {}", g.seq, g.end);
            let _ = writeln!(out, "darrow {x} {}\nuarrow {x} {}", g.seq, g.end);
            if g.is_retrans() {
                let _ = writeln!(out, "atext {x} {}\nR", g.end);
            }
        } else if g.has(TcpFlags::ACK) {
            let x = t(g);
            let top = g.ack.saturating_add(g.win);
            if let Some((px, pack, ptop)) = &prev {
                let _ = writeln!(
                    out,
                    "green\nline {px} {pack} {x} {pack}\nline {x} {pack} {x} {}",
                    g.ack
                );
                let _ = writeln!(
                    out,
                    "yellow\nline {px} {ptop} {x} {ptop}\nline {x} {ptop} {x} {top}"
                );
            }
            for (l, r) in g.sack_blocks() {
                let _ = writeln!(out, "purple\nline {x} {l} {x} {r}");
            }
            prev = Some((x, g.ack, top));
        }
    }
    out.push_str("go\n");
    out
}
