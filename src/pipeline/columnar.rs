//! The run's Parquet outputs: the packets file, written as packets pass,
//! and the flows file, written from the flow report when the run ends
//! (Ctrl-C and SIGTERM end a run the same way, so both files get their
//! footer). Also where a packet sits in its capture file, when the source
//! is a file (or in the `-w` file a capture writes), so that rows point
//! back into it. When `-w` rotates (`-C`, `-G`) both files turn with it:
//! each pcap file gets its Parquet files ([`super::rotate::companion`]),
//! the flows file holding the flows that ended while it was open (the last
//! one also those still open at the end), each file complete on its own.

use super::OutputConfig;
use crate::flow::{Flow, FlowPacket, FlowReport, PcapPos};
use crate::output::parquet::{FlowsParquet, PacketRow, PacketsParquet, ParquetError, PcapFiles};
use crate::packet::Packet;
use crate::source::file::RecordPos;
use std::path::{Path, PathBuf};

pub(super) struct Columnar {
    packets: Option<PacketsParquet>,
    /// Created now (so a bad path fails before the capture starts),
    /// written at the end.
    flows: Option<FlowsParquet>,
    files: PcapFiles,
    pos: Option<RecordPos>,
    /// The `-o` and `--packets-parquet` arguments (rotation names files
    /// after them).
    bases: [Option<PathBuf>; 2],
}

impl Columnar {
    /// `None` when neither Parquet output was asked for. `rotating`: the
    /// first pcap file of a rotating `-w`, which names the first files.
    pub(super) fn new(
        opts: &OutputConfig,
        rotating: Option<&Path>,
    ) -> Result<Option<Columnar>, ParquetError> {
        if opts.packets_parquet.is_none() && opts.flows_parquet.is_none() {
            return Ok(None);
        }
        let name = |base: &Path| match rotating {
            Some(pcap) => super::rotate::companion(base, pcap),
            None => base.to_path_buf(),
        };
        let flows = opts
            .flows_parquet
            .as_deref()
            .map(|p| FlowsParquet::create(&name(p)))
            .transpose()?;
        let packets = opts
            .packets_parquet
            .as_deref()
            .map(|p| PacketsParquet::create(&name(p)))
            .transpose()?;
        Ok(Some(Columnar {
            packets,
            flows,
            files: PcapFiles::default(),
            pos: None,
            bases: [opts.flows_parquet.clone(), opts.packets_parquet.clone()],
        }))
    }

    /// The run writes the pcap file `name` now: rows of packets written
    /// there point into it (unless they point into the files read).
    pub(super) fn wrote_into(&mut self, name: &str) {
        if self.pos.is_none() {
            self.files.0.push(name.to_string());
        }
    }

    /// Where a packet written at `offset` in the current `-w` file sits,
    /// when rows point into the written files.
    pub(super) fn written_pos(&self, offset: u64) -> Option<PcapPos> {
        let last = self.files.0.len().checked_sub(1)?;
        (self.pos.is_none()).then(|| PcapPos {
            file: u32::try_from(last).unwrap_or(u32::MAX),
            offset,
        })
    }

    /// `-w` turned to the pcap file `pcap`: the flows that ended go into
    /// the flows file, both files are finished and the next ones begin.
    pub(super) fn rotate(&mut self, pcap: &Path, ended: &[Flow]) -> Result<(), ParquetError> {
        let [flows_base, packets_base] = &self.bases;
        if let (Some(w), Some(base)) = (&mut self.flows, flows_base) {
            for f in ended {
                w.write_flow(f, &self.files)?;
            }
            w.reopen(&super::rotate::companion(base, pcap))?;
        }
        if let (Some(w), Some(base)) = (&mut self.packets, packets_base) {
            w.reopen(&super::rotate::companion(base, pcap))?;
        }
        Ok(())
    }

    /// Whether the flows go to a Parquet file (rotation then hands each
    /// file the flows that ended).
    pub(super) fn wants_flows(&self) -> bool {
        self.flows.is_some()
    }

    /// Packets come from the files `names`; `pos` tells each one's file
    /// and offset.
    pub(super) fn point_into(&mut self, names: Vec<String>, pos: RecordPos) {
        self.files = PcapFiles(names);
        self.pos = Some(pos);
    }

    /// Where the packet being handled sits, when the source is a file.
    pub(super) fn pos(&self) -> Option<PcapPos> {
        self.pos.as_ref().map(|p| PcapPos {
            file: p.file(),
            offset: p.get(),
        })
    }

    pub(super) fn wants_packets(&self) -> bool {
        self.packets.is_some()
    }

    /// One packet's row (packet number `number` in the source, `caplen`
    /// bytes of it captured).
    pub(super) fn packet(
        &mut self,
        number: u64,
        (packet, caplen): (&Packet<'_>, u32),
        flow: Option<(&FlowPacket, u64)>,
        pos: Option<PcapPos>,
    ) -> Result<(), ParquetError> {
        let Some(w) = &mut self.packets else {
            return Ok(());
        };
        let file = pos.and_then(|p| self.files.name(p.file));
        w.write(&PacketRow {
            number,
            packet,
            caplen,
            flow: flow.map(|(f, _)| f),
            uid: flow.map_or(0, |(_, uid)| uid),
            pcap_file: file,
            pcap_offset: pos.filter(|_| file.is_some()).map(|p| p.offset),
        })
    }

    /// Footers: the packets file's, and the flows file with every flow.
    pub(super) fn finish(self, report: Option<&FlowReport>) -> Result<(), ParquetError> {
        if let Some(w) = self.packets {
            w.finish()?;
        }
        if let Some(w) = self.flows {
            match report {
                Some(r) => w.write_report(r, &self.files)?,
                None => w.finish()?,
            };
        }
        Ok(())
    }
}
