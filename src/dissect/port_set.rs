//! One bit per port number, set where a port table has an entry: the
//! lookup of a packet between two ports no table names (most of them)
//! ends on two bit tests instead of a scan of the table. The sets are
//! built from the tables at compile time (`PortSet::with` in a `const`),
//! so the tables stay the one place a port is named.

/// A set of 16-bit port numbers (8 KiB of bits).
pub(crate) struct PortSet([u64; 1024]);

impl PortSet {
    pub(crate) const EMPTY: PortSet = PortSet([0; 1024]);

    /// The set with `port` in it too.
    pub(crate) const fn with(mut self, port: u16) -> PortSet {
        let port = port as usize;
        self.0[port / 64] |= 1 << (port % 64);
        self
    }

    pub(crate) fn has(&self, port: u16) -> bool {
        let port = usize::from(port);
        self.0
            .get(port / 64)
            .is_some_and(|w| w & (1 << (port % 64)) != 0)
    }

    /// Whether either port may have an entry.
    pub(crate) fn either(&self, sport: u16, dport: u16) -> bool {
        self.has(sport) || self.has(dport)
    }
}
