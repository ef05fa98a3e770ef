//! The ladder as a Mermaid `sequenceDiagram` (GitHub renders it in
//! Markdown): one message per segment with the same label as the SVG
//! ladder, states as notes where they change, analysis marks in the text.

use super::ladder;
use super::series::Series;
use crate::flow::TcpState;
use std::fmt::Write as _;

pub fn render(s: &Series<'_>) -> String {
    let mut out = String::from("sequenceDiagram\n");
    let _ = writeln!(
        out,
        "    participant C as client {}",
        clean(&s.flow.orig.to_string())
    );
    let _ = writeln!(
        out,
        "    participant S as server {}",
        clean(&s.flow.resp.to_string())
    );
    let mut last: [Option<TcpState>; 2] = [None, None];
    let shown = s
        .segs
        .get(..s.segs.len().min(ladder::MAX_ARROWS))
        .unwrap_or(&[]);
    for g in shown {
        let (a, b) = if g.from_orig { ("C", "S") } else { ("S", "C") };
        let _ = writeln!(
            out,
            "    {a}->>{b}: {:.3} ms {}",
            g.t_ns as f64 / 1e6,
            clean(&ladder::label(g))
        );
        for ((st, prev), who) in g.states.iter().zip(last.iter_mut()).zip(["C", "S"]) {
            if *prev != Some(*st) {
                *prev = Some(*st);
                let side = if who == "C" { "left of" } else { "right of" };
                let _ = writeln!(out, "    Note {side} {who}: {st}");
            }
        }
    }
    if s.segs.len() > shown.len() {
        let _ = writeln!(
            out,
            "    Note over C,S: {} not shown",
            crate::output::fmt::count((s.segs.len() - shown.len()) as u64, "more segment")
        );
    }
    out
}

/// Mermaid ends a message at `;` and `#` starts an entity: replace them.
fn clean(s: &str) -> String {
    s.replace(';', ",").replace('#', "no. ")
}
