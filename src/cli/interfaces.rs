//! `sockscope interfaces`: the capture interfaces, like `tcpdump -D`, with
//! index, MAC, addresses and state.

use std::io::Write;

pub fn run() -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    write_list(&mut out)?;
    Ok(())
}

/// One line per interface, numbered like `tcpdump -D`, then the `any` pseudo-device.
pub fn write_list(out: &mut dyn Write) -> std::io::Result<()> {
    let ifaces = pnet_datalink::interfaces();
    let width = ifaces
        .iter()
        .map(|i| i.name.len())
        .max()
        .unwrap_or(3)
        .max(3);
    for (n, i) in ifaces.iter().enumerate() {
        let mut state = vec![if i.is_up() { "up" } else { "down" }];
        if i.is_running() {
            state.push("running");
        }
        if i.is_loopback() {
            state.push("loopback");
        }
        let mac = i
            .mac
            .map(|m| m.to_string())
            .unwrap_or_else(|| "-".to_string());
        let addrs: Vec<String> = i.ips.iter().map(|ip| ip.to_string()).collect();
        let addrs = if addrs.is_empty() {
            "-".to_string()
        } else {
            addrs.join(" ")
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
    writeln!(
        out,
        "{:>2}. {:<width$}  all interfaces (Linux cooked SLL2 headers, no promiscuous mode)",
        ifaces.len() + 1,
        "any"
    )?;
    out.flush()
}
