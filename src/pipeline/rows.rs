//! `--packets-parquet` (and the flows file's pointers) when workers track
//! the flows (`read --threads`, `capture --threads`): each worker tells,
//! for each packet it tracked, what only it knows of the packet's row
//! ([`RowPart`]: the flow view, the flow's uid in its shard), and the
//! thread that writes the rows in order (file order, or the merged time
//! order of the rings) numbers the flows as one tracker over that order
//! does ([`RowOrder`]): a flow's uid is one more than the number of flows
//! first seen before it. It also keeps where each flow's first packet
//! sits, which the workers cannot know when the rows point into the `-w`
//! file the merging thread writes; [`RowOrder::merge`] gives the shards'
//! flows those uids and pointers, so the flows file joins the packets file.

use crate::flow::shard::{Shard, merge};
use crate::flow::{FlowPacket, FlowReport, PcapPos};
use std::collections::HashMap;

/// What a worker knows of a packet's row that the writing thread does
/// not: its flow view (`None`: not an IP packet the tracker takes) and
/// its flow's uid in the worker's shard (0 with no flow), and the bytes
/// captured (the writing thread may not have them).
#[derive(Clone, Copy, Debug)]
pub(super) struct RowPart {
    pub flow: Option<FlowPacket>,
    pub uid: u64,
    pub caplen: u32,
}

/// The flows as the rows written in order first showed them.
#[derive(Debug, Default)]
pub(super) struct RowOrder {
    /// Per worker: its shard's uid → the run's uid and where the flow's
    /// first packet sits.
    seen: Vec<HashMap<u64, (u64, Option<PcapPos>)>>,
    flows: u64,
}

impl RowOrder {
    pub fn new(workers: usize) -> RowOrder {
        RowOrder {
            seen: (0..workers).map(|_| HashMap::new()).collect(),
            flows: 0,
        }
    }

    /// The run's uid of worker `worker`'s flow `uid` (0: none), a packet
    /// of which is written now at `pos`.
    pub fn uid(&mut self, worker: usize, uid: u64, pos: Option<PcapPos>) -> u64 {
        let Some(seen) = self.seen.get_mut(worker).filter(|_| uid > 0) else {
            return 0;
        };
        let next = self.flows + 1;
        let (run_uid, _) = *seen.entry(uid).or_insert((next, pos));
        self.flows = self.flows.max(run_uid);
        run_uid
    }

    /// The report of `shards` (each with its worker's number): the flows
    /// merged (`crate::flow::shard::merge`), each pointing where its first
    /// packet was written and numbered as the rows numbered it. A flow no
    /// row showed (the run stopped before its packets were written) keeps
    /// the merge's numbering for all.
    pub fn merge(&self, shards: Vec<(usize, Shard)>) -> FlowReport {
        let mut all_seen = true;
        let mut patched = Vec::with_capacity(shards.len());
        for (worker, mut shard) in shards {
            let seen = self.seen.get(worker);
            let flows = shard.live.iter_mut();
            for f in flows.chain(shard.retired.iter_mut()) {
                match seen.and_then(|s| s.get(&f.uid)) {
                    Some(&(uid, pos)) => {
                        f.first_pos = f.first_pos.or(pos);
                        // Orders the merge as the rows did.
                        f.birth = uid;
                    }
                    None => all_seen = false,
                }
            }
            patched.push(shard);
        }
        let mut report = merge(patched);
        if all_seen {
            for f in &mut report.flows {
                f.uid = f.birth;
            }
        }
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flows_are_numbered_in_the_order_rows_first_show_them() {
        let mut o = RowOrder::new(2);
        let at = |offset| Some(PcapPos { file: 0, offset });
        assert_eq!(o.uid(1, 1, at(24)), 1);
        assert_eq!(o.uid(0, 1, at(100)), 2);
        assert_eq!(o.uid(1, 1, at(200)), 1, "seen before");
        assert_eq!(o.uid(0, 0, at(300)), 0, "no flow");
        assert_eq!(o.uid(1, 2, at(400)), 3);
        assert_eq!(o.uid(5, 1, None), 0, "no such worker");
        assert_eq!(o.seen[1][&1], (1, at(24)), "the first packet's place");
    }
}
