//! Defences the UDP endpoints share against forged source addresses: whom
//! never to answer, and a per-source token bucket.
//!
//! A UDP server answers the address a datagram claims to come from, and
//! anyone can claim any address. One forged datagram "from" our own port,
//! from another server like us, or from a service that answers everything
//! (echo, chargen …) would start an exchange that never ends, and one from
//! a victim's address makes us send the victim whatever we answer. So we
//! never answer our own port, port 0 or the classic reflector ports, and
//! every source gets a bucket of datagrams: a loop, which runs as fast as
//! loopback allows, empties it within milliseconds, the first dropped
//! datagram ends the loop, and a flood costs one hash lookup per datagram.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

/// UDP services that answer whatever reaches them (or answer much more
/// than they get): a reply of ours to one of them comes back, or goes to
/// the victim whose address was forged.
const REFLECTORS: &[(u16, &str)] = &[
    (7, "echo"),
    (13, "daytime"),
    (17, "qotd"),
    (19, "chargen"),
    (37, "time"),
    (53, "dns"),
    (69, "tftp"),
    (111, "portmap"),
    (123, "ntp"),
    (137, "netbios-ns"),
    (161, "snmp"),
    (389, "cldap"),
    (1900, "ssdp"),
    (5353, "mdns"),
    (11211, "memcached"),
];

/// Why a datagram from `peer` must not be answered by the server bound to
/// `own`, or `None` when answering is safe.
pub(crate) fn no_reply_reason(peer: SocketAddr, own: SocketAddr) -> Option<String> {
    if peer.port() == 0 {
        return Some("source port 0 (no reply can be meant for it)".into());
    }
    if peer.port() == own.port() {
        return Some(format!(
            "source port {} is our own port (ourselves, or a server like us, would answer back for ever)",
            own.port()
        ));
    }
    REFLECTORS
        .iter()
        .find(|(p, _)| *p == peer.port())
        .map(|(p, name)| {
            format!("source port {p} is {name}'s, which answers everything (a reflection loop)")
        })
}

/// Sources remembered at once; past this, new sources share one bucket.
const MAX_SOURCES: usize = 4096;

/// A token bucket per source address: `rate` datagrams a second, `burst`
/// at once.
pub(crate) struct SourceLimit {
    rate: f64,
    burst: f64,
    buckets: HashMap<IpAddr, Bucket>,
    /// Shared by the sources that arrive while the table is full.
    overflow: Bucket,
    last_prune: Instant,
}

/// One source's tokens, as of `at`.
#[derive(Clone, Copy)]
pub(crate) struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    pub(crate) fn full(burst: u32, now: Instant) -> Bucket {
        Bucket {
            tokens: f64::from(burst),
            at: now,
        }
    }

    /// Takes a token if there is one, after adding what `rate` earned
    /// since the last call.
    pub(crate) fn take(&mut self, rate: f64, burst: f64, now: Instant) -> bool {
        let earned = now.saturating_duration_since(self.at).as_secs_f64() * rate;
        self.tokens = (self.tokens + earned).min(burst);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    fn refilled(&self, rate: f64, burst: f64, now: Instant) -> bool {
        self.tokens + now.saturating_duration_since(self.at).as_secs_f64() * rate >= burst
    }
}

impl SourceLimit {
    pub(crate) fn new(rate: u32, burst: u32) -> SourceLimit {
        let now = Instant::now();
        SourceLimit {
            rate: f64::from(rate),
            burst: f64::from(burst),
            buckets: HashMap::new(),
            overflow: Bucket::full(burst, now),
            last_prune: now,
        }
    }

    /// True if `ip` may send one more datagram now.
    pub(crate) fn allow(&mut self, ip: IpAddr, now: Instant) -> bool {
        let (rate, burst) = (self.rate, self.burst);
        if let Some(b) = self.buckets.get_mut(&ip) {
            return b.take(rate, burst, now);
        }
        if self.buckets.len() >= MAX_SOURCES
            && now.saturating_duration_since(self.last_prune) >= Duration::from_secs(1)
        {
            // A full bucket says nothing the default would not: forget it.
            // At most once a second, so a full table of busy sources does
            // not cost a scan per datagram.
            self.last_prune = now;
            self.buckets.retain(|_, b| !b.refilled(rate, burst, now));
        }
        if self.buckets.len() >= MAX_SOURCES {
            return self.overflow.take(rate, burst, now);
        }
        let mut b = Bucket::full(self.burst as u32, now);
        let ok = b.take(rate, burst, now);
        self.buckets.insert(ip, b);
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_no_reply_to_own_port_port_0_and_reflectors() {
        let own: SocketAddr = "127.0.0.1:9000".parse().unwrap();
        for bad in [
            "127.0.0.1:9000",
            "127.0.0.2:9000",
            "127.0.0.1:0",
            "127.0.0.1:7",
            "10.0.0.1:19",
        ] {
            assert!(
                no_reply_reason(bad.parse().unwrap(), own).is_some(),
                "{bad}"
            );
        }
        assert!(no_reply_reason("127.0.0.1:40000".parse().unwrap(), own).is_none());
    }

    #[test]
    fn test_bucket_drops_past_the_burst_then_refills() {
        let mut l = SourceLimit::new(10, 3);
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let t0 = Instant::now();
        assert_eq!((0..5).filter(|_| l.allow(ip, t0)).count(), 3);
        assert!(l.allow(ip, t0 + Duration::from_millis(150)));
        assert!(l.allow("127.0.0.2".parse().unwrap(), t0));
    }
}
