//! `sockscope interfaces`: the capture interfaces, numbered and ordered as
//! `tcpdump -D` does (the numbers `-i N` takes), with index, MAC, addresses
//! and state.

use crate::source::live::list::capture_interfaces;
use std::io::Write;

pub fn run() -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    write_list(&mut out)?;
    Ok(())
}

/// One line per interface, numbered like `tcpdump -D`, `any` among them
/// where libpcap puts it.
pub fn write_list(out: &mut dyn Write) -> std::io::Result<()> {
    let ifaces = capture_interfaces();
    let width = ifaces
        .iter()
        .map(|i| i.name.len())
        .max()
        .unwrap_or(3)
        .max(3);
    for (n, i) in ifaces.iter().enumerate() {
        if i.is_any() {
            writeln!(
                out,
                "{:>2}. {:<width$}  all interfaces (Linux cooked SLL2 headers, no promiscuous mode)",
                n + 1,
                i.name
            )?;
            continue;
        }
        let mut state = vec![if i.up { "up" } else { "down" }];
        if i.running {
            state.push("running");
        }
        if i.loopback {
            state.push("loopback");
        }
        let mac = i.mac.as_deref().unwrap_or("-");
        let addrs = if i.addresses.is_empty() {
            "-".to_string()
        } else {
            i.addresses.join(" ")
        };
        writeln!(
            out,
            "{:>2}. {:<width$}  index {:<3} mac {}  [{}]  {}",
            n + 1,
            i.name,
            i.index,
            mac,
            state.join(", "),
            addrs
        )?;
    }
    out.flush()
}
