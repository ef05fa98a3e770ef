//! The capture interfaces in the order `tcpdump -D` numbers them, so that
//! `-i 2` and the default interface are the ones a tcpdump user expects.
//! libpcap sorts its list by a "figure of merit": interfaces that are up and
//! running before the others, loopback after the rest of the running ones,
//! with the `any` pseudo-device between the running non-loopback ones and
//! loopback; ties keep the kernel's order (interface index). tcpdump with no
//! `-i` captures on the first entry: the first running non-loopback
//! interface, or `any` when there is none (checked against tcpdump 4.99 /
//! libpcap 1.10 on a host, and in a namespace holding only `lo`).

/// One entry of the list.
#[derive(Clone, Debug)]
pub struct InterfaceEntry {
    pub name: String,
    /// The kernel's index; 0 for `any`.
    pub index: u32,
    pub mac: Option<String>,
    pub addresses: Vec<String>,
    pub up: bool,
    pub running: bool,
    pub loopback: bool,
}

impl InterfaceEntry {
    pub fn is_any(&self) -> bool {
        self.name == "any"
    }

    /// libpcap's ordering classes (smaller first): running and up,
    /// non-loopback; then `any`; then running loopback; then the rest.
    fn rank(&self) -> u8 {
        let live = self.up && self.running;
        match (live, self.is_any(), self.loopback) {
            (_, true, _) => 1,
            (true, false, false) => 0,
            (true, false, true) => 2,
            (false, _, _) => 3,
        }
    }
}

/// The interfaces with `any`, in `tcpdump -D`'s order.
pub fn capture_interfaces() -> Vec<InterfaceEntry> {
    let mut list: Vec<InterfaceEntry> = pnet_datalink::interfaces()
        .into_iter()
        .map(|i| InterfaceEntry {
            up: i.is_up(),
            running: i.is_running(),
            loopback: i.is_loopback(),
            mac: i.mac.map(|m| m.to_string()),
            addresses: i.ips.iter().map(|ip| ip.to_string()).collect(),
            index: i.index,
            name: i.name,
        })
        .collect();
    list.push(InterfaceEntry {
        name: "any".to_string(),
        index: 0,
        mac: None,
        addresses: Vec::new(),
        up: true,
        running: true,
        loopback: false,
    });
    sort(&mut list);
    list
}

/// Stable: equal ranks keep the kernel's order.
fn sort(list: &mut [InterfaceEntry]) {
    list.sort_by_key(InterfaceEntry::rank);
}

/// What tcpdump captures on without `-i`: the first entry of the list.
pub fn default_interface() -> String {
    capture_interfaces()
        .into_iter()
        .next()
        .map_or_else(|| "any".to_string(), |e| e.name)
}

/// `-i N`: the name of the N-th entry (from 1), as tcpdump's `-i 2`.
pub fn interface_by_number(n: usize) -> Option<String> {
    n.checked_sub(1)
        .and_then(|i| capture_interfaces().into_iter().nth(i))
        .map(|e| e.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, up: bool, running: bool, loopback: bool) -> InterfaceEntry {
        InterfaceEntry {
            name: name.to_string(),
            index: 0,
            mac: None,
            addresses: Vec::new(),
            up,
            running,
            loopback,
        }
    }

    /// `(name, up, running, loopback)`.
    type Flags<'a> = (&'a str, bool, bool, bool);

    /// Interfaces in the kernel's order, sorted.
    fn sorted(kernel: &[Flags<'_>]) -> Vec<String> {
        let mut list: Vec<InterfaceEntry> = kernel
            .iter()
            .map(|&(n, up, running, lo)| entry(n, up, running, lo))
            .collect();
        sort(&mut list);
        list.into_iter().map(|e| e.name).collect()
    }

    #[test]
    fn test_order_as_libpcap() {
        // (kernel's order, tcpdump -D's order) as seen where this was
        // checked: a host; a namespace with lo up and a veth whose peer is
        // down (up, not running), where `any` comes first.
        let cases: [(&[Flags<'_>], &[&str]); 2] = [
            (
                &[
                    ("lo", true, true, true),
                    ("ifb0", false, false, false),
                    ("ifb1", false, false, false),
                    ("eth0", true, true, false),
                    ("any", true, true, false),
                ],
                &["eth0", "any", "lo", "ifb0", "ifb1"],
            ),
            (
                &[
                    ("lo", true, true, true),
                    ("v0", true, false, false),
                    ("any", true, true, false),
                ],
                &["any", "lo", "v0"],
            ),
        ];
        for (kernel, tcpdump) in cases {
            assert_eq!(sorted(kernel), tcpdump);
        }
    }
}
