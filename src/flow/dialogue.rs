//! The requests each side of a connection made that the other has not
//! answered yet, for the protocols whose replies are framed by their
//! request (`dissect::DialogueRules`: HTTP's HEAD and CONNECT, POP3's
//! multi-line commands), and the connections that became tunnels. Kept
//! by `super::pdu` for `--json`; bounded like its messages: a few dozen
//! requests per direction, at most as many connections as it follows
//! messages, dropped with their flow, when idle, or oldest first.

use super::key::FlowKey;
use super::tracker::FlowHasherBuilder;
use crate::dissect::{Ask, Turn};
use crate::packet::Timestamp;
use std::collections::HashMap;

/// Open requests one direction keeps at most (HTTP pipelining rarely
/// goes past a handful); past it the newest are not recorded, and
/// responses may be paired with the wrong request.
const MAX_ASKED: usize = 64;

/// What one entry costs besides its requests.
const ENTRY_OVERHEAD: usize = 128;

/// One connection's dialogue.
#[derive(Default)]
struct Dialogue {
    /// Open requests by the direction that made them (index: from the
    /// flow key's `lo` endpoint), oldest first.
    asked: [Vec<Ask>; 2],
    /// The connection left the protocol (a 2xx to CONNECT, a 101).
    tunnel: bool,
    last: Timestamp,
}

impl Dialogue {
    fn cost(&self) -> usize {
        let asked: usize = self.asked.iter().map(Vec::capacity).sum();
        ENTRY_OVERHEAD + asked * size_of::<Ask>()
    }

    fn forgettable(&self) -> bool {
        !self.tunnel && self.asked.iter().all(Vec::is_empty)
    }
}

/// The dialogues of a run.
#[derive(Default)]
pub struct Dialogues {
    map: HashMap<FlowKey, Box<Dialogue>, FlowHasherBuilder>,
    held: usize,
}

impl Dialogues {
    /// Bytes the entries hold.
    pub fn held(&self) -> usize {
        self.held
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The requests the other direction than `from_lo` has open: what the
    /// replies `from_lo` sends answer, oldest first.
    pub fn asked(&self, key: &FlowKey, from_lo: bool) -> &[Ask] {
        self.map
            .get(key)
            .map_or(&[], |d| d.asked[usize::from(!from_lo)].as_slice())
    }

    /// Whether the connection became a tunnel.
    pub fn tunnel(&self, key: &FlowKey) -> bool {
        self.map.get(key).is_some_and(|d| d.tunnel)
    }

    /// Whole messages `from_lo` sent (in `packet`) did `turn` and made
    /// requests of the kinds `asks`.
    pub fn record(
        &mut self,
        (key, from_lo): (FlowKey, bool),
        turn: Turn,
        asks: &[u8],
        (packet, ts): (u64, Timestamp),
    ) {
        if turn == Turn::default() && asks.is_empty() && !self.map.contains_key(&key) {
            return;
        }
        let d = self.map.entry(key).or_default();
        self.held = self.held.saturating_sub(d.cost());
        let answered = &mut d.asked[usize::from(!from_lo)];
        answered.drain(..turn.answered.min(answered.len()));
        let own = &mut d.asked[usize::from(from_lo)];
        let room = MAX_ASKED.saturating_sub(own.len());
        own.extend(asks.iter().take(room).map(|&kind| Ask { kind, packet }));
        d.tunnel |= turn.tunnel;
        d.last = ts;
        if d.forgettable() {
            self.map.remove(&key);
        } else {
            self.held += d.cost();
        }
    }

    /// The flow left the tracker's table.
    pub fn forget(&mut self, key: &FlowKey) {
        if let Some(d) = self.map.remove(key) {
            self.held = self.held.saturating_sub(d.cost());
        }
    }

    /// Last activity of every entry (for the oldest-first drops).
    pub fn ages(&self) -> impl Iterator<Item = u64> + '_ {
        self.map.values().map(|d| d.last.0)
    }

    /// Drop the entries last active at or before `cut` (ns).
    pub fn drop_until(&mut self, cut: u64) {
        let held = &mut self.held;
        self.map.retain(|_, d| {
            let keep = d.last.0 > cut;
            if !keep {
                *held = held.saturating_sub(d.cost());
            }
            keep
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::key::{Endpoint, Proto};

    #[test]
    fn test_requests_answered_in_order_and_bounded() {
        let end = |port| Endpoint {
            addr: 1,
            port,
            v4: true,
        };
        let key = FlowKey {
            lo: end(40000),
            hi: end(80),
            proto: Proto::Tcp,
        };
        let mut d = Dialogues::default();
        let at = |n| (n, Timestamp(n));
        d.record((key, true), Turn::default(), &[1, 0], at(1));
        assert_eq!(d.asked(&key, false).len(), 2);
        let one = Turn {
            answered: 1,
            tunnel: false,
        };
        d.record((key, false), one, &[], at(2));
        assert_eq!(d.asked(&key, false), [Ask { kind: 0, packet: 1 }]);
        d.record((key, false), one, &[], at(3));
        assert_eq!((d.len(), d.held()), (0, 0), "nothing open: forgotten");
        d.record((key, true), Turn::default(), &[0; 100], at(4));
        assert_eq!(d.asked(&key, false).len(), MAX_ASKED);
        d.drop_until(4);
        assert_eq!((d.len(), d.held()), (0, 0));
    }
}
