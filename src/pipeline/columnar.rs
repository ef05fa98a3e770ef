//! The run's Parquet outputs: the packets file, written as packets pass,
//! and the flows file, written from the flow report when the run ends
//! (Ctrl-C and SIGTERM end a run the same way, so both files get their
//! footer). Also where a packet sits in its capture file, when the source
//! is a file, so that rows point back into it.

use super::OutputConfig;
use crate::flow::{FlowPacket, FlowReport, PcapPos};
use crate::output::parquet::{FlowsParquet, PacketRow, PacketsParquet, ParquetError, PcapFiles};
use crate::packet::Packet;
use crate::source::file::RecordPos;
use std::path::PathBuf;

pub(super) struct Columnar {
    packets: Option<PacketsParquet>,
    /// Created now (so a bad path fails before the capture starts),
    /// written at the end.
    flows: Option<FlowsParquet>,
    files: PcapFiles,
    pos: Option<RecordPos>,
}

impl Columnar {
    /// `None` when neither Parquet output was asked for.
    pub(super) fn new(opts: &OutputConfig) -> Result<Option<Columnar>, ParquetError> {
        if opts.packets_parquet.is_none() && opts.flows_parquet.is_none() {
            return Ok(None);
        }
        let open = |p: &Option<PathBuf>| p.as_deref().map(FlowsParquet::create).transpose();
        let flows = open(&opts.flows_parquet)?;
        let packets = opts
            .packets_parquet
            .as_deref()
            .map(PacketsParquet::create)
            .transpose()?;
        Ok(Some(Columnar {
            packets,
            flows,
            files: PcapFiles::default(),
            pos: None,
        }))
    }

    /// Packets come from the file `name`; `pos` tells each one's offset.
    pub(super) fn point_into(&mut self, name: &str, pos: RecordPos) {
        self.files = PcapFiles(vec![name.to_string()]);
        self.pos = Some(pos);
    }

    /// Where the packet being handled sits, when the source is a file.
    pub(super) fn pos(&self) -> Option<PcapPos> {
        self.pos.as_ref().map(|p| PcapPos {
            file: 0,
            offset: p.get(),
        })
    }

    pub(super) fn wants_packets(&self) -> bool {
        self.packets.is_some()
    }

    /// One packet's row (packet number `number` in the source).
    pub(super) fn packet(
        &mut self,
        number: u64,
        packet: &Packet<'_>,
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
