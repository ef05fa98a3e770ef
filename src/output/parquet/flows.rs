//! The flows table: one row per flow, the same [`ConnRecord`] that
//! `--flows --json` prints (so both always agree), with Zeek conn.log's
//! column names first (those of `--format zeek`'s conn.log that we know,
//! in its order; `ts` as a UTC timestamp, `service` the protocol a
//! dissector recognised in the flow, as the flow table shows it), then
//! ours, the Community ID, and Arkime-style pointers into the pcap:
//! `pcap_file` and `pcap_offset`, the byte offset of the flow's first
//! packet record.

use super::table::{Cell, Col, Kind, Table};
use super::{ParquetError, PcapFiles, pointer};
use crate::flow::{Flow, FlowReport};
use crate::output::flows::json::record;
use std::path::Path;

use Kind::{Bool, F64, I32, I64, Str, TsMicros};

/// The columns, in order (then [`super::POINTER`]'s).
pub const COLUMNS: &[Col] = &[
    Col::req("ts", TsMicros),
    Col::req("uid", Str),
    Col::req("id.orig_h", Str),
    Col::req("id.orig_p", I32),
    Col::req("id.resp_h", Str),
    Col::req("id.resp_p", I32),
    Col::req("proto", Str),
    Col::opt("service", Str),
    Col::req("duration", F64),
    Col::req("orig_bytes", I64),
    Col::req("resp_bytes", I64),
    Col::req("conn_state", Str),
    Col::req("history", Str),
    Col::req("orig_pkts", I64),
    Col::req("orig_ip_bytes", I64),
    Col::req("resp_pkts", I64),
    Col::req("resp_ip_bytes", I64),
    // ours
    Col::opt("orig_state", Str),
    Col::opt("resp_state", Str),
    Col::req("mid_stream", Bool),
    Col::opt("handshake_rtt_ms", F64),
    Col::opt("syn_synack_ms", F64),
    Col::opt("synack_ack_ms", F64),
    Col::opt("time_wait", Str),
    Col::req("retransmissions", I64),
    Col::req("fast_retransmissions", I64),
    Col::req("spurious_retransmissions", I64),
    Col::req("out_of_order", I64),
    Col::req("dup_acks", I64),
    Col::req("zero_windows", I64),
    Col::req("zero_window_probes", I64),
    Col::req("window_full", I64),
    Col::req("window_updates", I64),
    Col::req("keep_alives", I64),
    Col::req("lost_segments", I64),
    Col::req("acked_unseen", I64),
    Col::req("bad_checksums", I64),
    Col::req("end", Str),
    Col::opt("community_id", Str),
    Col::req("ts_ns", I64),
];

/// A flows file being written.
pub struct FlowsParquet {
    table: Table,
}

fn int(n: u64) -> Cell<'static> {
    Cell::I64(Some(i64::try_from(n).unwrap_or(i64::MAX)))
}

impl FlowsParquet {
    pub fn create(path: &Path) -> Result<FlowsParquet, ParquetError> {
        Ok(FlowsParquet {
            table: Table::create(path, "flows", COLUMNS)?,
        })
    }

    /// One flow's row; `files` names the capture files of its pointer.
    pub fn write_flow(&mut self, f: &Flow, files: &PcapFiles) -> Result<(), ParquetError> {
        let r = record(f);
        let file = f.first_pos.and_then(|p| files.name(p.file));
        let offset = f.first_pos.map(|p| p.offset);
        let c = |n: u32| int(n as u64);
        let mut row = Vec::with_capacity(COLUMNS.len());
        row.extend([
            Cell::I64(Some(i64::try_from(f.first.0 / 1000).unwrap_or(i64::MAX))),
            Cell::Str(Some(&r.uid)),
            Cell::Str(Some(&r.orig_h)),
            Cell::I32(Some(r.orig_p.into())),
            Cell::Str(Some(&r.resp_h)),
            Cell::I32(Some(r.resp_p.into())),
            Cell::Str(Some(r.proto)),
            Cell::Str(f.service),
            Cell::F64(Some(r.duration)),
            int(r.orig_bytes),
            int(r.resp_bytes),
            Cell::Str(Some(r.conn_state)),
            Cell::Str(Some(&r.history)),
            int(r.orig_pkts),
            int(r.orig_ip_bytes),
            int(r.resp_pkts),
            int(r.resp_ip_bytes),
            Cell::Str(r.orig_state),
            Cell::Str(r.resp_state),
            Cell::Bool(Some(r.mid_stream)),
            Cell::F64(r.handshake_rtt_ms),
            Cell::F64(r.syn_synack_ms),
            Cell::F64(r.synack_ack_ms),
            Cell::Str(r.time_wait),
        ]);
        row.extend(r.counters.iter().map(|(_, n)| c(n)));
        row.extend([
            int(r.bad_checksums),
            Cell::Str(Some(r.end)),
            Cell::Str(r.community_id.as_deref()),
            int(f.first.0),
        ]);
        self.table.push(&row, &pointer(file, offset))
    }

    /// Every flow of the report, then the footer.
    pub fn write_report(mut self, r: &FlowReport, files: &PcapFiles) -> Result<u64, ParquetError> {
        for f in &r.flows {
            self.write_flow(f, files)?;
        }
        self.table.finish()
    }

    /// Finish this file and go on in `path` (rotation).
    pub fn reopen(&mut self, path: &Path) -> Result<u64, ParquetError> {
        self.table.reopen(path)
    }

    pub fn finish(self) -> Result<u64, ParquetError> {
        self.table.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::COLUMNS;
    use crate::output::flows::conn_log::{FIELDS, UNKNOWN};

    /// The conn.log part of the table is `--format zeek`'s field list,
    /// less the fields we have no value for, in the same order.
    #[test]
    fn zeek_columns_are_conn_log_fields() {
        let zeek: Vec<&str> = FIELDS
            .iter()
            .copied()
            .filter(|f| !UNKNOWN.contains(f))
            .collect();
        let ours: Vec<&str> = COLUMNS.iter().take(zeek.len()).map(|c| c.name).collect();
        assert_eq!(ours, zeek);
    }

    /// The counter columns are the analysis counters' field names, in the
    /// order the row writes them.
    #[test]
    fn counter_columns_follow_the_counter_table() {
        let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
        let at = names.iter().position(|n| *n == "retransmissions").unwrap();
        let keys: Vec<&str> = crate::flow::Counter::ALL.iter().map(|c| c.key()).collect();
        assert_eq!(names[at..at + keys.len()], keys[..]);
    }
}
