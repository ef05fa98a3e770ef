//! The stage driver: one packet at a time through filter, flow tracker,
//! printers and the pcap writer, and the loop that drains a source into it.

use super::offload::OffloadCheck;
use super::rotate::{RotateError, Rotation, Rotator, Turn};
use super::rows::RowPart;
use super::summary::print_counters;
use super::{ChecksumMode, OutputConfig, RunSummary};
use crate::decode::checksum::{self, Checksums};
use crate::decode::tcp_options::SegmentOptions;
use crate::decode::{self, Problem};
use crate::dissect::Payload;
use crate::filter::{CompileError, Filter};
use crate::flow::pdu::Pdus;
use crate::flow::reassembly::StreamSelector;
use crate::flow::{Analysis, FlowConfig, FlowPacket, FlowReport, FlowTracker, PcapPos, Shard};
use crate::output::flows::conn_log::write_conn_log;
use crate::output::flows::json::write_flows_json;
use crate::output::flows::table::{write_flow_table_on, write_flows_separated};
use crate::output::flows::timeline::{write_timelines_in, write_timelines_json};
use crate::output::flows::view::FlowFormat;
use crate::output::follow::FollowPrinter;
use crate::output::json;
use crate::output::packet::{LineOptions, LinePrinter};
use crate::output::pcap::PcapWriter;
use crate::packet::{LinkType, Packet};
use crate::source::{PacketSource, SourceError};
use std::fs::File;
use std::io::{self, BufWriter, IoSlice, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// What can stop the pipeline (a source error is not one: it ends the run
/// and is reported in the [`RunSummary`], after every packet before it).
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// Writing the output (stdout, the pcap file) failed; a broken pipe is
    /// one of these (`sockscope read | head`).
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error("{}: cannot create the output file: {source}", path.display())]
    CreateOutput { path: PathBuf, source: io::Error },
    /// Writing the `-w` file failed (disk full, a time a pcap cannot hold):
    /// the message names the file, since stdout may be fine.
    #[error("{file}: cannot write the capture file: {source}")]
    WriteOutput { file: String, source: io::Error },
    #[error(
        "cannot write a {packet} packet into a pcap of link type {file}: a pcap file holds one link type"
    )]
    MixedLinkTypes { packet: LinkType, file: LinkType },
    #[error(transparent)]
    Rotate(#[from] RotateError),
    /// `--stream ID` names no flow of this capture (`read`, `follow`);
    /// `known` says which ids it does have ([`known_ids`]).
    #[error("no flow {id} in this capture: {known}")]
    NoSuchStream { id: StreamSelector, known: String },
    #[cfg(feature = "parquet")]
    #[error(transparent)]
    Parquet(#[from] crate::output::parquet::ParquetError),
    #[error("filter '{filter}' on link type {link}: {error}")]
    FilterOnLink {
        filter: String,
        link: LinkType,
        error: CompileError,
    },
}

impl PipelineError {
    /// The reader went away (`| head`): the run ends quietly, as tcpdump's.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            PipelineError::Io(e) | PipelineError::WriteOutput { source: e, .. } => {
                e.kind() == io::ErrorKind::BrokenPipe
            }
            _ => false,
        }
    }
}

type Result<T> = std::result::Result<T, PipelineError>;

/// Wall-clock seconds: `-G` turns on the clock, as tcpdump's `time(NULL)`,
/// not on packet times.
fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Where `-w` goes and what the stream's link type and snap length are.
pub struct WriteTarget {
    pub out: Box<dyn Write + Send>,
    pub link: Option<LinkType>,
    pub snaplen: u32,
    pub per_packet_flush: bool,
    /// The file's name for messages (`stdout` for `-`).
    pub name: String,
    /// `-C`/`-G`: when to go on in another file, and its name.
    pub rotator: Option<Rotator>,
}

/// The stages after the source, fed one packet at a time.
pub struct Pipeline {
    opts: OutputConfig,
    /// The user's filter; `None` when there was none.
    filter: Option<UserFilter>,
    /// Per-flow TCP state and analysis: on with `--flows`, `--timeline`
    /// or `--analysis` (whose lines carry the analysis marks); `-v` alone
    /// prints tcpdump's lines and needs no tracker.
    flows: Option<FlowTracker>,
    line: LinePrinter,
    /// Print packet lines at all (not with `-w` unless asked, not with `-q`).
    print_packets: bool,
    writer: Option<PcapWriter>,
    pending_write: Option<WriteTarget>,
    /// The `-w` file's name, for write errors.
    write_name: String,
    /// `-C`/`-G`: the sequence of `-w` files.
    rotator: Option<Rotator>,
    /// `-U`, kept for the files a rotation opens.
    per_packet_flush: bool,
    /// `-G … -W N` wrote its N files: nothing more is written.
    file_limit_reached: bool,
    /// Packets written so far, for a running count (`capture -w` on a
    /// terminal).
    written_counter: Option<Arc<AtomicU64>>,
    /// Asked between packets; true prints the counters on stderr now
    /// (SIGUSR1, as tcpdump does).
    stats_request: Option<fn() -> bool>,
    /// Told the packet count every [`PROGRESS_EVERY`] packets (`read`'s
    /// progress bar).
    progress: Option<Box<dyn FnMut(u64)>>,
    /// The source's link type when known before any packet (pcapng: its
    /// first interface), so that an empty capture still gets a header.
    link_hint: Option<LinkType>,
    summary: RunSummary,
    /// Whether bad checksums count for flow state (offload detection), and
    /// the packets that wait for that decision.
    offload: OffloadCheck,
    /// `follow`: the printer of reassembled streams (the tracker then
    /// reassembles).
    follow: Option<FollowPrinter>,
    /// The next packet's number in the source, when this pipeline sees
    /// only some of its packets (a worker of `read --threads`).
    number_next: Option<u64>,
    /// Packet lines carry the tracker's analysis marks (not when it only
    /// runs for `--packets-parquet`'s flow uids).
    marks: bool,
    /// `--format parquet`, `--packets-parquet`.
    #[cfg(feature = "parquet")]
    columnar: Option<super::columnar::Columnar>,
    /// `--json`, `--app`: messages spanning packets, decoded on the packet
    /// that completes them.
    pdus: Option<Pdus>,
    /// `--json`'s printer (its buffer is kept between packets).
    json: json::JsonPrinter,
    /// A worker whose rows another thread writes in order: the row part of
    /// the packet just handled ([`Pipeline::hand_rows`]).
    rows: Option<Vec<RowPart>>,
    /// Where the last packet written begins in the `-w` file.
    last_written_at: u64,
}

/// Whether the source should go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    Continue,
    Stop,
}

impl Pipeline {
    pub fn new(opts: &OutputConfig, write: Option<WriteTarget>) -> Result<Self> {
        // ISAKMP's cookie table and NFS's XID table are per run, as
        // tcpdump's are per process.
        crate::dissect::isakmp::forget_cookies();
        // `-H` holds for the run: the decoder and the 802.11 printers read it.
        crate::decode::wlan::set_mesh_headers(opts.mesh_headers);
        // `-T` holds for the run, as tcpdump's option does.
        crate::dissect::packet_type::set(opts.packet_type);
        crate::dissect::nfs::forget();
        crate::dissect::rx::forget();
        // SLIP's table of compressed headers' slots (tcpdump's, per run).
        crate::dissect::link::slip::forget();
        let line = LinePrinter::new(LineOptions {
            time: opts.time,
            verbose: opts.verbose,
            absolute_seq: opts.absolute_seq,
            verify_checksums: opts.checksums != ChecksumMode::Off,
            link_header: opts.link_header,
            number: opts.number,
            dump: opts.dump,
            app: opts.app,
        });
        // tcpdump does not print packets while writing a file; neither do
        // we. With --flows or --timeline the summaries are the output, and
        // packet lines come back with -v.
        let summaries = opts.flows || opts.timeline;
        #[cfg(feature = "parquet")]
        let columnar = super::columnar::Columnar::new(
            opts,
            write
                .as_ref()
                .filter(|t| t.rotator.is_some())
                .map(|t| std::path::Path::new(&t.name)),
        )?;
        // The packets file carries each packet's flow uid.
        let packet_rows = opts.packets_parquet.is_some();
        let print_packets = !opts.quiet && write.is_none() && (!summaries || opts.verbose > 0);
        let mut flows = (summaries || packet_rows || opts.analysis || opts.follow.is_some())
            .then(|| FlowTracker::new(flow_config(opts)));
        let mut follow = None;
        if let Some(fc) = &opts.follow {
            flows = flows.map(|t| t.with_reassembly(fc.reassembly));
            follow = Some(FollowPrinter::new(fc.printer.clone())?);
        }
        let print_packets = print_packets && follow.is_none();
        let filter = opts.filter.clone().map(UserFilter::new);
        let mut p = Pipeline {
            opts: opts.clone(),
            filter,
            flows,
            line,
            print_packets,
            writer: None,
            pending_write: None,
            write_name: String::new(),
            rotator: None,
            per_packet_flush: false,
            file_limit_reached: false,
            written_counter: None,
            link_hint: None,
            stats_request: None,
            progress: None,
            summary: RunSummary::default(),
            offload: OffloadCheck::new(opts.checksums),
            follow,
            number_next: None,
            marks: summaries || opts.analysis || opts.follow.is_some(),
            #[cfg(feature = "parquet")]
            columnar,
            pdus: (opts.json || opts.app).then(Pdus::default),
            json: json::JsonPrinter::default(),
            rows: None,
            last_written_at: 0,
        };
        if p.pdus.is_some() {
            p.flows = p.flows.take().map(FlowTracker::with_ended_keys);
        }
        if let Some(mut target) = write {
            p.write_name = target.name.clone();
            p.rotator = target.rotator.take();
            p.per_packet_flush = target.per_packet_flush;
            match target.link {
                Some(link) => p.start_writer(target, link)?,
                None => p.pending_write = Some(target),
            }
        }
        Ok(p)
    }

    fn start_writer(&mut self, target: WriteTarget, link: LinkType) -> Result<()> {
        let w = PcapWriter::new(target.out, link, target.snaplen, target.per_packet_flush)
            .map_err(|source| self.write_error(source))?;
        self.writer = Some(w);
        #[cfg(feature = "parquet")]
        if let Some(c) = &mut self.columnar {
            c.wrote_into(&target.name);
        }
        Ok(())
    }

    fn write_error(&self, source: io::Error) -> PipelineError {
        PipelineError::WriteOutput {
            file: self.write_name.clone(),
            source,
        }
    }

    /// Rows of the Parquet outputs point into the capture files `names`;
    /// `pos` tells each packet's file and offset (see
    /// [`crate::source::file::FileSource::record_pos`]).
    #[cfg(feature = "parquet")]
    pub fn point_into(&mut self, names: Vec<String>, pos: crate::source::file::RecordPos) {
        if let Some(c) = &mut self.columnar {
            c.point_into(names, pos);
        }
    }

    /// Print the counters whenever `request` returns true (see `stats_request`).
    pub fn stats_on(&mut self, request: fn() -> bool) {
        self.stats_request = Some(request);
    }

    /// Call `hook` with the number of packets read so far, every
    /// [`PROGRESS_EVERY`] packets.
    pub fn progress_on(&mut self, hook: Box<dyn FnMut(u64)>) {
        self.progress = Some(hook);
    }

    /// The link type an empty capture's `-w` file gets (see `link_hint`).
    pub fn set_link_hint(&mut self, link: Option<LinkType>) {
        self.link_hint = link;
    }

    /// The kernel already ran the filter on every packet (live capture with
    /// the program attached): don't run it again in user space, which would
    /// only cost CPU (and would see the packet after the snap length cut it,
    /// where the kernel saw all of it, as libpcap's does).
    pub fn filter_done_in_kernel(&mut self) {
        self.filter = None;
    }

    /// Live capture: print each packet as it comes; the first ones are not
    /// held for the checksum-offload decision (see `offload`).
    pub fn stream(&mut self) {
        self.offload.stream();
    }

    /// A worker of `read --threads`: the packet lines go on after
    /// `printed` lines printed elsewhere (see [`LinePrinter::resume`]).
    pub(super) fn resume_lines(
        &mut self,
        printed: u64,
        first: Option<crate::output::time::RawTime>,
        prev: Option<crate::output::time::RawTime>,
    ) {
        self.line.resume(printed, first, prev);
    }

    /// The number (position in the source) of the next packet handed in.
    pub fn number_next(&mut self, number: u64) {
        self.number_next = Some(number);
    }

    /// A worker of `read --threads`: its flow tracker is a shard of the
    /// run's (see [`crate::flow::shard`]), and the reader made the checksum
    /// offload decision on the run's first packets (`offload`: detected).
    pub(super) fn shard(&mut self, offload: bool) {
        self.flows = self.flows.take().map(FlowTracker::shard);
        self.offload.preset(offload);
    }

    /// A worker of `capture --threads`: its flow tracker is a shard of the
    /// run's, as for `read --threads`, but it decides on checksum offload on
    /// its own first packets (each ring sees only some flows).
    pub(super) fn shard_deciding_offload(&mut self) {
        self.flows = self.flows.take().map(FlowTracker::shard);
    }

    /// A worker: the run's sweep clock reached `now` at packet `number`.
    pub(super) fn tick(&mut self, now: crate::packet::Timestamp, number: u64) {
        if let Some(t) = &mut self.flows {
            t.tick(now, number);
        }
    }

    /// Whether the flow tracker is all this pipeline does with a packet
    /// (`--flows`, `--timeline` without packet lines, files or streams):
    /// `read --threads` then hands its workers flow views only.
    pub(super) fn only_tracks(&self) -> bool {
        self.flows.is_some()
            && !self.print_packets
            && self.follow.is_none()
            && self.opts.packets_parquet.is_none()
            && self.writer.is_none()
            && self.pending_write.is_none()
            && !self
                .flows
                .as_ref()
                .is_some_and(|t| t.config().record_options)
    }

    /// Whether this pipeline tracks flows (the reader of `read --threads`
    /// then keeps the sweep clock and decides on offload).
    pub(super) fn tracks_flows(&self) -> bool {
        self.flows.is_some()
    }

    /// Print packet lines even with `--flows`/`--timeline` (the demo shows
    /// both).
    pub fn print_packets(&mut self, on: bool) {
        self.print_packets = on && !self.opts.quiet;
    }

    /// Packets that passed the filter so far (a fanout worker tells from
    /// it whether the packet it handed in was kept).
    pub fn matched(&self) -> u64 {
        self.summary.matched
    }

    /// Whether [`Pipeline::handle`] would do nothing with a packet but
    /// count it: no filter to run here, no tracker, no lines, no file, rows
    /// or `-c` of its own (a fanout worker whose packets only go to the
    /// merged `-w` file). [`Pipeline::count_passed`] then does its work:
    /// the worker spares its per-packet checks (a fifth of its time).
    pub(super) fn only_counts(&self) -> bool {
        #[cfg(feature = "parquet")]
        if self.columnar.is_some() {
            return false;
        }
        self.filter.is_none()
            && self.flows.is_none()
            && !self.print_packets
            && self.writer.is_none()
            && self.pending_write.is_none()
            && self.rotator.is_none()
            && self.follow.is_none()
            && self.pdus.is_none()
            && self.rows.is_none()
            && self.opts.count.is_none()
    }

    /// What [`Pipeline::handle`] does with a packet when it
    /// [only counts](Pipeline::only_counts).
    pub(super) fn count_passed(&mut self, pkt: &Packet<'_>) {
        let s = &mut self.summary;
        s.packets += 1;
        s.count_link(pkt.link, 1);
        s.matched += 1;
        if pkt.is_truncated() {
            s.truncated += 1;
        }
    }

    /// Count the packets written into `counter` as they are written.
    pub fn count_written_into(&mut self, counter: Arc<AtomicU64>) {
        self.written_counter = Some(counter);
    }

    /// Open `-w FILE` (`-` is stdout) as a write target; with `rotate`
    /// (`-C`/`-G`), FILE names a sequence of files and the first is opened.
    pub fn open_write_target(
        path: &std::path::Path,
        rotate: Option<&Rotation>,
        link: Option<LinkType>,
        snaplen: u32,
        per_packet_flush: bool,
    ) -> Result<WriteTarget> {
        let (rotator, first) = match rotate {
            Some(r) => {
                let (rotator, first) =
                    Rotator::start(&path.to_string_lossy(), r.clone(), now_secs())?;
                (Some(rotator), first)
            }
            None => (None, path.to_path_buf()),
        };
        let mut target = Self::open_one(&first, link, snaplen, per_packet_flush)?;
        target.rotator = rotator;
        Ok(target)
    }

    /// One `-w` file (or stdout), created.
    fn open_one(
        path: &std::path::Path,
        link: Option<LinkType>,
        snaplen: u32,
        per_packet_flush: bool,
    ) -> Result<WriteTarget> {
        let name = if path.as_os_str() == "-" {
            "stdout".to_string()
        } else {
            path.display().to_string()
        };
        let out: Box<dyn Write + Send> = if path.as_os_str() == "-" {
            Box::new(BufWriter::with_capacity(1 << 16, io::stdout()))
        } else {
            let f = File::create(path).map_err(|source| PipelineError::CreateOutput {
                path: path.to_path_buf(),
                source,
            })?;
            Box::new(BufWriter::with_capacity(1 << 16, f))
        };
        Ok(WriteTarget {
            out,
            link,
            snaplen,
            per_packet_flush,
            name,
            rotator: None,
        })
    }

    /// Decode, filter, track and print one packet (reading a file, hold it
    /// until the first packets decide whether checksums are offloaded; see
    /// `offload`).
    pub fn handle(&mut self, pkt: &Packet<'_>, out: &mut dyn Write) -> Result<Control> {
        // Read now: a held packet is processed after later ones were read.
        let pos = self.pos();
        if self.flows.is_some() && self.offload.undecided() {
            let sums = checksum::verify(pkt);
            let ready = self.offload.hold(pkt, sums, pos);
            if !self.offload.holds() {
                if ready {
                    self.offload.decide();
                }
                return self.process(pkt, Some(sums), pos, out);
            }
            if ready {
                return self.release_held(out);
            }
            return Ok(Control::Continue);
        }
        self.process(pkt, None, pos, out)
    }

    /// Decide on offload and run the held packets through.
    fn release_held(&mut self, out: &mut dyn Write) -> Result<Control> {
        for held in self.offload.decide() {
            if self.process(&held.packet(), Some(held.sums), held.pos, out)? == Control::Stop {
                return Ok(Control::Stop);
            }
        }
        Ok(Control::Continue)
    }

    /// [`Pipeline::handle`] for a packet whose turn it is; `sums`: its
    /// checksums when already verified; `pos`: its place in the file.
    fn process(
        &mut self,
        pkt: &Packet<'_>,
        sums: Option<Checksums>,
        pos: Option<PcapPos>,
        out: &mut dyn Write,
    ) -> Result<Control> {
        let given_number = self.number_next.take();
        if let (Some(n), Some(t)) = (given_number, &mut self.flows) {
            t.number_next(n);
        }
        let s = &mut self.summary;
        s.packets += 1;
        s.count_link(pkt.link, 1);
        // The filter reads the raw bytes (libpcap's semantics), so packets
        // it rejects are never decoded.
        if let Some(f) = &mut self.filter
            && !f.matches(pkt)
        {
            return Ok(Control::Continue);
        }
        // `-w`: open the file or turn to the next one now, so the packet's
        // place there is known before the tracker sees it.
        self.ready_to_write(pkt)?;
        let pos = pos.or_else(|| self.written_pos());
        let s = &mut self.summary;
        // Verified once: for flow state when bad ones count, for -v lines.
        let counts = self.flows.is_some() && self.offload.counts();
        let show = self.print_packets && self.opts.verbose > 0 && self.offload.verifies();
        // No line printed: the tracker's view judges the checksums on its
        // own walk over the frame (`FlowPacket::fill_from_frame`).
        let by_view = !self.print_packets && self.follow.is_none() && sums.is_none();
        let sums = match sums {
            Some(sums) => sums,
            None if !by_view && (counts || show) => checksum::verify(pkt),
            None => Checksums::default(),
        };
        // Decoded before the tracker, which reads its view from it.
        // In place: a decode is large, and moving it cost a copy a packet.
        let mut decoded = None;
        if self.print_packets {
            decode::decode_into(pkt, &mut decoded);
        }
        let analysis = match &mut self.flows {
            Some(tracker) if self.follow.is_some() => {
                let number = given_number.unwrap_or(s.packets);
                let printer = self.follow.as_mut();
                match (
                    FlowPacket::from_frame_payload(pkt.ts, pkt.link, pkt.data),
                    printer,
                ) {
                    (Some((mut fp, payload)), Some(printer)) => {
                        fp.service = service_of(&fp, payload);
                        let a =
                            tracker.observe_payload(&fp, payload, number, &mut printer.sink(out));
                        if let Some(e) = printer.take_error() {
                            return Err(e.into());
                        }
                        a
                    }
                    _ => Analysis::default(),
                }
            }
            Some(tracker) => {
                // A printed packet's flow view comes from its decode (one
                // parse a packet); the frame path serves the rest, and
                // packets etherparse stopped on, where only it is exact.
                // Built where it stays (see `FlowPacket::fill_from_frame`).
                let mut fp = FlowPacket::blank(pkt.ts);
                let seen = match &decoded {
                    None => fp.fill_from_frame(pkt.link, pkt.data, by_view && counts),
                    Some(d) => tracked_view(pkt, Some(d)).map(|(view, payload)| {
                        fp = view;
                        (payload, false)
                    }),
                };
                match seen {
                    Some((payload, bad)) => {
                        fp.bad_checksum = counts && (bad || sums.any_bad());
                        // Options only for the graphs, which do not print
                        // packets: a decode that `read` never pays for.
                        let options = tracker
                            .config()
                            .record_options
                            .then(|| {
                                let own;
                                let d = match &decoded {
                                    Some(d) => d,
                                    None => {
                                        own = decode::decode(pkt);
                                        &own
                                    }
                                };
                                d.tcp().map(|t| SegmentOptions::read(t.options()))
                            })
                            .flatten();
                        // The service only for a flow that has none yet.
                        let (a, uid) = tracker.observe_at_with(&fp, options.as_ref(), pos, |fp| {
                            service_of(fp, payload)
                        });
                        self.packet_row(pkt, Some((&fp, uid)), pos)?;
                        a
                    }
                    None => {
                        self.packet_row(pkt, None, pos)?;
                        Analysis::default()
                    }
                }
            }
            None => Analysis::default(),
        };
        // Messages open in a flow that left the table go with it (the
        // tracker's eviction is the one rule; without a tracker, `Pdus`'
        // own idle and size limits stand).
        if let (Some(pdus), Some(t)) = (&mut self.pdus, &mut self.flows) {
            t.take_ended_keys().for_each(|k| pdus.forget_flow(&k));
        }
        // A tracker on only for the packets file's flow uids adds no marks.
        let analysis = if self.marks {
            analysis
        } else {
            Analysis::default()
        };
        let s = &mut self.summary;
        s.matched += 1;
        if pkt.is_truncated() {
            s.truncated += 1;
        }
        if !self.print_packets {
            if self.write_pcap(pkt)? == Control::Stop {
                return Ok(Control::Stop);
            }
            return Ok(self.after_packet());
        }
        let d = decoded.get_or_insert_with(|| decode::decode(pkt));
        if show {
            d.checksums = sums;
        }
        match &d.problem {
            Some(Problem::Malformed(_)) => s.malformed += 1,
            Some(Problem::UnsupportedLink(_)) => s.unsupported += 1,
            _ => {}
        }
        // Numbered by position in the source, like Wireshark's frame number,
        // so filtered output still points at the packet in the file.
        let number = given_number.unwrap_or(s.packets);
        s.decoded += 1;
        // A message this packet completes is decoded whole here.
        let completed = match &mut self.pdus {
            Some(pdus) => (!passed_over(pdus, pkt, d))
                .then(|| tracked_view(pkt, Some(d)))
                .flatten()
                .and_then(|(fp, payload)| Some((pdus.packet(&fp, payload, number)?, fp, payload))),
            None => None,
        };
        let datagram = |fp: &FlowPacket, payload| Payload {
            bytes: payload,
            declared_len: fp.payload_len as usize,
        };
        if self.opts.json {
            let marks = analysis_marks(&analysis);
            let member = completed.map(|(c, fp, payload)| {
                let (key, v) = c.json(&datagram(&fp, payload));
                (key, serde_json::to_vec(&v).unwrap_or_default())
            });
            let given = member.as_ref().map(|(k, v)| (*k, v.as_slice()));
            self.json
                .write_packet_with(out, given, number, pkt, d, &marks)?;
        } else {
            if let Some(text) =
                completed.and_then(|(c, fp, payload)| c.app(&datagram(&fp, payload)))
            {
                self.line.replace_app(text);
            }
            let note = (!analysis.is_empty()).then_some(&analysis as &dyn std::fmt::Display);
            self.line.write_packet(out, pkt, d, note)?;
        }
        if self.write_pcap(pkt)? == Control::Stop {
            return Ok(Control::Stop);
        }
        Ok(self.after_packet())
    }

    /// Where the next packet written goes in the `-w` file, when rows
    /// point there (a capture: its source has no file).
    fn written_pos(&self) -> Option<PcapPos> {
        #[cfg(feature = "parquet")]
        if let (Some(c), Some(w)) = (&self.columnar, &self.writer) {
            return c.written_pos(w.bytes());
        }
        None
    }

    /// Where the packet being handled sits in its capture file (the
    /// packet the source lent last).
    pub(super) fn pos(&self) -> Option<PcapPos> {
        #[cfg(feature = "parquet")]
        if let Some(c) = &self.columnar {
            return c.pos();
        }
        None
    }

    /// The packet's row in `--packets-parquet` (numbered as its line is),
    /// or its part of it for the thread that writes the rows
    /// ([`Pipeline::hand_rows`]).
    fn packet_row(
        &mut self,
        pkt: &Packet<'_>,
        flow: Option<(&FlowPacket, u64)>,
        pos: Option<PcapPos>,
    ) -> Result<()> {
        if let Some(rows) = &mut self.rows {
            rows.push(RowPart {
                flow: flow.map(|(f, _)| *f),
                uid: flow.map_or(0, |(_, uid)| uid),
                caplen: u32::try_from(pkt.data.len()).unwrap_or(u32::MAX),
            });
            return Ok(());
        }
        #[cfg(feature = "parquet")]
        if let Some(c) = &mut self.columnar
            && c.wants_packets()
        {
            let caplen = u32::try_from(pkt.data.len()).unwrap_or(u32::MAX);
            c.packet(self.summary.packets, (pkt, caplen), flow, pos)?;
        }
        let _ = (pkt, pos);
        Ok(())
    }

    /// A worker whose packets' rows another thread writes, in order
    /// (`super::rows`): it tracks flows (without marks, if only for the
    /// rows) and keeps each packet's [`RowPart`] for [`Pipeline::take_row`].
    /// Before [`Pipeline::shard`].
    pub(super) fn hand_rows(&mut self) {
        if self.flows.is_none() {
            self.flows = Some(FlowTracker::new(flow_config(&self.opts)));
        }
        self.rows = Some(Vec::new());
    }

    /// The row part of the packet just handled, if it got a row.
    pub(super) fn take_row(&mut self) -> Option<RowPart> {
        self.rows.as_mut().and_then(Vec::pop)
    }

    /// Write the row of packet `number` (the `number`th the run received;
    /// its bytes are not read), `part` of it from a worker, its flow's uid
    /// in the run `uid`, at `pos` in its capture file.
    pub(super) fn write_row(
        &mut self,
        number: u64,
        pkt: &Packet<'_>,
        part: &RowPart,
        uid: u64,
        pos: Option<PcapPos>,
    ) -> Result<()> {
        #[cfg(feature = "parquet")]
        if let Some(c) = &mut self.columnar {
            let flow = part.flow.as_ref().map(|f| (f, uid));
            c.packet(number, (pkt, part.caplen), flow, pos)?;
        }
        let _ = (number, pkt, part.flow, part.caplen, uid, pos);
        Ok(())
    }

    /// Rows point into the `-w` file `name`, which another pipeline
    /// writes (`capture --threads`): see [`Pipeline::written_at`].
    pub(super) fn rows_point_into_written(&mut self, name: &str) {
        #[cfg(feature = "parquet")]
        if let Some(c) = &mut self.columnar {
            c.wrote_into(name);
        }
        let _ = name;
    }

    /// Where a packet written at `offset` of the `-w` file named by
    /// [`Pipeline::rows_point_into_written`] sits.
    pub(super) fn written_at(&self, offset: u64) -> Option<PcapPos> {
        #[cfg(feature = "parquet")]
        if let Some(c) = &self.columnar {
            return c.written_pos(offset);
        }
        let _ = offset;
        None
    }

    /// Bytes of the `-w` file written so far (its header included).
    pub(super) fn written_bytes(&self) -> u64 {
        self.writer.as_ref().map_or(0, PcapWriter::bytes)
    }

    /// Where the last packet written begins in the `-w` file.
    pub(super) fn last_written_at(&self) -> u64 {
        self.last_written_at
    }

    fn after_packet(&self) -> Control {
        if self.opts.count.is_some_and(|c| self.summary.matched >= c) {
            Control::Stop
        } else {
            Control::Continue
        }
    }

    /// Write `pkt` to the `-w` file (turning to the next file first when
    /// `-C`/`-G` say so); `Stop` when `-G … -W N` wrote its N files.
    fn write_pcap(&mut self, pkt: &Packet<'_>) -> Result<Control> {
        if self.file_limit_reached {
            return Ok(Control::Stop);
        }
        if let Some(w) = &mut self.writer {
            if w.link() != pkt.link {
                return Err(PipelineError::MixedLinkTypes {
                    packet: pkt.link,
                    file: w.link(),
                });
            }
            self.last_written_at = w.bytes();
            let r = w.write_packet(pkt);
            if r.is_ok() {
                self.summary.written += 1;
                if let Some(c) = &self.written_counter {
                    c.store(self.summary.written, Ordering::Relaxed);
                }
            }
            r.map_err(|source| self.write_error(source))?;
        }
        Ok(Control::Continue)
    }

    /// Whether the `-w` file takes ready records of `link` as they are
    /// ([`Pipeline::write_records`]): it is open, of that link type, and
    /// no `-C`/`-G` has to look at each packet first.
    pub(super) fn takes_records(&self, link: LinkType) -> bool {
        self.rotator.is_none()
            && !self.file_limit_reached
            && self.writer.as_ref().is_some_and(|w| w.link() == link)
    }

    /// `n` packets a fanout worker already handled, as pcap records it made
    /// for this `-w` file (`crate::output::pcap::push_record`), written as
    /// they are; see [`Pipeline::takes_records`].
    pub(super) fn write_records(&mut self, records: &[u8], n: u64) -> Result<()> {
        if let Some(w) = &mut self.writer {
            let r = w.write_records(records, n);
            r.map_err(|source| self.write_error(source))?;
            self.count_records(n);
        }
        Ok(())
    }

    /// As [`Pipeline::write_records`], the records in several pieces
    /// written with one `writev` (the bytes are not copied into a buffer
    /// first).
    pub(super) fn write_record_slices(
        &mut self,
        records: &mut [IoSlice<'_>],
        n: u64,
    ) -> Result<()> {
        if let Some(w) = &mut self.writer {
            let r = w.write_record_slices(records, n);
            r.map_err(|source| self.write_error(source))?;
            self.count_records(n);
        }
        Ok(())
    }

    fn count_records(&mut self, n: u64) {
        let s = &mut self.summary;
        (s.packets, s.matched, s.written) = (s.packets + n, s.matched + n, s.written + n);
        if let Some(c) = &self.written_counter {
            c.store(s.written, Ordering::Relaxed);
        }
    }

    /// Before a packet the filter took: start the `-w` file (its link type
    /// is the first packet's) or turn to the next one when due. When `-G …
    /// -W N` wrote its N files, the packet is not written and the run stops
    /// ([`Pipeline::write_pcap`]).
    fn ready_to_write(&mut self, pkt: &Packet<'_>) -> Result<()> {
        if let Some(target) = self.pending_write.take() {
            self.start_writer(target, pkt.link)?;
        }
        if !self.file_limit_reached && self.rotate_if_due()? == Control::Stop {
            self.file_limit_reached = true;
        }
        Ok(())
    }

    /// `-C`/`-G`: close the file and open the next one when it is due.
    fn rotate_if_due(&mut self) -> Result<Control> {
        let (Some(rotator), Some(w)) = (&mut self.rotator, &mut self.writer) else {
            return Ok(Control::Continue);
        };
        let path = match rotator.turn(w.bytes(), now_secs())? {
            Turn::Keep => return Ok(Control::Continue),
            Turn::Stop { files } => {
                self.summary.file_limit = Some(files);
                return Ok(Control::Stop);
            }
            Turn::Next(path) => path,
        };
        #[cfg(feature = "parquet")]
        if let Some(c) = &mut self.columnar {
            // The flows file of the pcap file closing gets the flows that
            // ended (not with --timeline, which prints them at the end).
            let ended = match &mut self.flows {
                Some(t) if c.wants_flows() && !self.opts.timeline => t.take_retired(),
                _ => Vec::new(),
            };
            c.rotate(&path, &ended)?;
        }
        let (link, snaplen) = (w.link(), w.snaplen());
        if let Err(source) = w.flush() {
            return Err(self.write_error(source));
        }
        let target = Self::open_one(&path, Some(link), snaplen, self.per_packet_flush)?;
        self.write_name = target.name.clone();
        self.start_writer(target, link)?;
        Ok(Control::Continue)
    }

    /// Track flows with `cfg` (events on, no per-flow limit, for instance)
    /// and hand the report back from [`Pipeline::finish_with_report`]
    /// instead of only printing it: `graph` and `report` draw from it.
    pub fn track_flows(&mut self, cfg: FlowConfig) {
        self.flows = Some(FlowTracker::new(cfg));
        self.marks = true;
    }

    /// Flush the writer and print what the end of the run prints (flow
    /// table, timelines).
    pub fn finish(self, out: &mut dyn Write) -> Result<RunSummary> {
        self.finish_with_report(out).map(|(summary, _)| summary)
    }

    /// [`Pipeline::finish`], also returning the flow report when flows were tracked.
    pub fn finish_with_report(
        mut self,
        out: &mut dyn Write,
    ) -> Result<(RunSummary, Option<FlowReport>)> {
        // A capture shorter than the sample: decide on what it had.
        self.release_held(out)?;
        self.finish_writing()?;
        let mut kept = None;
        if let Some(mut tracker) = self.flows.take() {
            if let Some(printer) = &mut self.follow {
                tracker.finish_streams(&mut printer.sink(out));
            }
            self.finish_follow(out)?;
            kept = Some(self.write_report(tracker.finish(), out, 1)?);
        }
        #[cfg(feature = "parquet")]
        if let Some(c) = self.columnar.take() {
            c.finish(None)?;
        }
        out.flush()?;
        Ok((self.summary, kept))
    }

    /// The `-w` file complete and flushed: when no packet came it still
    /// gets a header (a 0-byte file is not a capture any tool reads), of
    /// the source's link type if known. What was written, and the `-W`
    /// limit if it was reached.
    pub(super) fn finish_writing(&mut self) -> Result<(u64, Option<u32>)> {
        if let Some(target) = self.pending_write.take() {
            let link = self.link_hint.unwrap_or(LinkType::Ethernet);
            self.start_writer(target, link)?;
        }
        if let Some(w) = &mut self.writer
            && let Err(source) = w.flush()
        {
            return Err(self.write_error(source));
        }
        Ok((self.summary.written, self.summary.file_limit))
    }

    /// `read --threads -w`: before `pkt`, which a worker's filter took,
    /// and its Parquet row, open the file or turn to the next one (the
    /// Parquet files with it) when `-C`/`-G` say so, as
    /// [`Pipeline::handle`] does at that point.
    pub(super) fn turn_for_taken(&mut self, pkt: &Packet<'_>) -> Result<()> {
        self.ready_to_write(pkt)
    }

    /// `read --threads -w`: write `pkt` (after [`Pipeline::turn_for_taken`])
    /// as [`Pipeline::handle`] writes it.
    pub(super) fn write_taken(&mut self, pkt: &Packet<'_>) -> Result<Control> {
        self.write_pcap(pkt)
    }

    /// A worker of `read --threads` at the end: its counters and its flow
    /// shard, nothing printed (the reader merges and prints).
    pub(super) fn finish_shard(
        mut self,
        out: &mut dyn Write,
    ) -> Result<(RunSummary, Option<Shard>)> {
        self.release_held(out)?;
        let shard = self.flows.take().map(FlowTracker::finish_shard);
        Ok((self.summary, shard))
    }

    /// `follow`: the streams are all finished; flush the printer and
    /// count what it printed for the summary.
    fn finish_follow(&mut self, out: &mut dyn Write) -> Result<()> {
        if let Some(printer) = &mut self.follow {
            printer.finish(out)?;
            let (notes, more_notes) = printer.notes();
            self.summary.follow = Some(super::FollowSummary {
                streams: printer.streams,
                files: printer.files_written(),
                notes: notes.to_vec(),
                more_notes,
            });
        }
        Ok(())
    }

    /// `follow --threads`: the printer the workers' streams are replayed
    /// into, in the order one tracker gives them.
    pub(super) fn follow_printer(&mut self) -> Option<&mut FollowPrinter> {
        self.follow.as_mut()
    }

    /// `follow --threads` at the end: every stream replayed into the
    /// printer; flush it and print the merged report as
    /// [`Pipeline::finish`] does. What the printer counted.
    pub(super) fn finish_merged_follow(
        mut self,
        report: FlowReport,
        out: &mut dyn Write,
    ) -> Result<Option<super::FollowSummary>> {
        self.finish_follow(out)?;
        let follow = self.summary.follow.take();
        self.finish_merged(report, out)?;
        Ok(follow)
    }

    /// Print the flow report the workers' shards merged into, as
    /// [`Pipeline::finish`] prints its own tracker's. The workers are done:
    /// the table is drawn on two threads (the same bytes).
    pub(super) fn finish_merged(mut self, report: FlowReport, out: &mut dyn Write) -> Result<()> {
        self.flows = None;
        let report = self.write_report(report, out, 2)?;
        out.flush()?;
        // Freeing each flow's boxes one by one took a millisecond after
        // the output was done: a thread of its own frees them while the
        // run ends (here, if no thread can be had).
        let _ = std::thread::Builder::new().spawn(move || drop(report));
        Ok(())
    }

    /// The end-of-run report of `report`: the flow table (drawn on
    /// `threads`) and the timelines (or the Parquet flows), of one flow
    /// with `--stream`.
    fn write_report(
        &mut self,
        report: FlowReport,
        out: &mut dyn Write,
        threads: usize,
    ) -> Result<FlowReport> {
        // `--stream`: the printers get a report of that one flow.
        let one;
        let shown = match self.opts.stream.map(|s| (s, stream_uid(&report, s))) {
            Some((_, uid)) if report.flows.iter().any(|f| f.uid == uid) => {
                one = FlowReport {
                    flows: report
                        .flows
                        .iter()
                        .filter(|f| f.uid == uid)
                        .cloned()
                        .collect(),
                    stats: report.stats,
                };
                &one
            }
            // An empty table would look like an empty capture: say it.
            Some((id, _)) => {
                out.flush()?;
                let known = known_ids(&report);
                return Err(PipelineError::NoSuchStream { id, known });
            }
            None => &report,
        };
        #[cfg(feature = "parquet")]
        if let Some(c) = self.columnar.take() {
            c.finish(Some(shown))?;
        }
        let view = &self.opts.view;
        // `--format parquet`: the flows went to the file instead.
        let print_flows = self.opts.flows && self.opts.flows_parquet.is_none();
        if print_flows {
            match self.opts.flow_format {
                _ if self.opts.json => write_flows_json(out, shown)?,
                FlowFormat::Json => write_flows_json(out, shown)?,
                FlowFormat::Table => write_flow_table_on(out, shown, view, threads)?,
                FlowFormat::Tsv => write_flows_separated(out, shown, false)?,
                FlowFormat::Csv => write_flows_separated(out, shown, true)?,
                FlowFormat::Zeek => write_conn_log(out, shown)?,
            }
        }
        if self.opts.timeline {
            if self.opts.json {
                write_timelines_json(out, shown)?;
            } else {
                if print_flows {
                    out.write_all(b"\n")?;
                }
                write_timelines_in(out, shown, view)?;
            }
        }
        Ok(report)
    }
}

/// The flow view the tracker takes of `pkt`: from its decode when it was
/// decoded for printing (one parse a packet), else from the frame; and
/// from the frame where etherparse stopped, where only that path is
/// exact. Both give the same flow (`tests/flow_views_agree.rs`), so
/// `read --threads` picks a packet's worker from the frame alone.
fn tracked_view<'a>(
    pkt: &Packet<'a>,
    decoded: Option<&decode::Decoded<'a>>,
) -> Option<(FlowPacket, &'a [u8])> {
    let sliced = decoded
        .and_then(|d| d.lax.as_ref())
        .filter(|lax| lax.stop_err.is_none());
    match sliced {
        Some(lax) => FlowPacket::from_lax_payload(pkt.ts, lax),
        None => FlowPacket::from_frame_payload(pkt.ts, pkt.link, pkt.data),
    }
}

/// Whether message reassembly has nothing to do with `pkt`, told from
/// its decode without taking the flow view (most packets: no message is
/// open, and the payload starts none).
fn passed_over(pdus: &mut Pdus, pkt: &Packet<'_>, d: &decode::Decoded<'_>) -> bool {
    let Some(quick) = d.lax.as_ref().and_then(FlowPacket::lax_transport) else {
        return false;
    };
    // The debug builds (every golden) check it is the view's.
    debug_assert!(
        tracked_view(pkt, Some(d))
            .is_some_and(|(fp, p)| (fp.proto, fp.sport, fp.dport, p) == quick),
        "the quick transport differs from the flow view"
    );
    let (proto, sport, dport, payload) = quick;
    pdus.passes_over(pkt.ts, proto, (sport, dport), payload)
}

/// The ids a `--stream` could have named, for the error that it named
/// none: every uid when there are few, else the first and last, and the
/// range of TCP stream indexes; then where to see them all.
fn known_ids(r: &FlowReport) -> String {
    use crate::decode::flow_view::Proto;
    let uids: Vec<String> = r.flows.iter().map(|f| format!("C{}", f.uid)).collect();
    let flows = match uids.as_slice() {
        [] => return "it has no flow".to_string(),
        [first, .., last] if uids.len() > 8 => {
            format!("{} flows, {first} … {last}", uids.len())
        }
        few => format!("flows {}", few.join(", ")),
    };
    let streams = match r.flows.iter().filter(|f| f.proto == Proto::Tcp).count() {
        0 => "no TCP stream".to_string(),
        1 => "TCP stream index 0".to_string(),
        n => format!("TCP stream indexes 0–{}", n - 1),
    };
    format!("it has {flows} ({streams}); `sockscope read FILE --flows` lists them")
}

/// The uid of the flow `--stream` names: a uid as is; an index, as
/// `follow` and tshark's tcp.stream count, the index-th TCP flow (0 when
/// there is none: no flow has uid 0, so none is shown).
fn stream_uid(r: &FlowReport, s: StreamSelector) -> u64 {
    match s {
        StreamSelector::Uid(u) => u,
        StreamSelector::Index(i) => r
            .flows
            .iter()
            .filter(|f| f.proto == crate::decode::flow_view::Proto::Tcp)
            .nth(usize::try_from(i).unwrap_or(usize::MAX))
            .map_or(0, |f| f.uid),
    }
}

/// The analysis marks as words, for JSON (`retransmission`, `dup ack #2`).
fn analysis_marks(a: &Analysis) -> Vec<String> {
    a.marks()
        .map(|(name, number)| match number {
            Some(n) => format!("{name} #{n}"),
            None => name.to_string(),
        })
        .collect()
}

/// The filter as `read` runs it: compiled to classic BPF once per link type
/// and run in our interpreter (faster than walking the expression; the
/// tests check both give the same verdict on every packet), or evaluated
/// directly where it does not compile.
pub(super) struct UserFilter {
    filter: Filter,
    /// Per link type seen: the program, or `None` where compiling failed.
    programs: Vec<(LinkType, Option<crate::filter::bpf::Program>)>,
}

impl UserFilter {
    pub(super) fn new(filter: Filter) -> Self {
        UserFilter {
            filter,
            programs: Vec::new(),
        }
    }

    pub(super) fn matches(&mut self, pkt: &Packet<'_>) -> bool {
        let i = match self.programs.iter().position(|(l, _)| *l == pkt.link) {
            Some(i) => i,
            None => {
                let prog = self.filter.compile(pkt.link, u32::MAX).ok();
                let prog = prog.map(|p| crate::filter::bpf::Program::new(&p));
                self.programs.push((pkt.link, prog));
                self.programs.len() - 1
            }
        };
        match &self.programs[i].1 {
            Some(prog) => prog.run(pkt.data, pkt.wire_len()) != 0,
            None => self.filter.matches(pkt.link, pkt.data, pkt.wire_len()),
        }
    }
}

impl Pipeline {
    /// Check once, for a source with one known link type, that the filter
    /// can select anything there (tcpdump refuses `vlan` on a cooked
    /// capture, for instance).
    pub fn check_link(&self, link: LinkType) -> Result<()> {
        if let Some(UserFilter { filter: f, .. }) = &self.filter {
            f.check_link(link)
                .map_err(|error| PipelineError::FilterOnLink {
                    filter: f.to_string(),
                    link,
                    error,
                })?;
        }
        Ok(())
    }
}

/// How often (in packets) the progress hook is told the count: often
/// enough for a smooth rate, rarely enough to cost nothing.
pub const PROGRESS_EVERY: u64 = 4096;

/// Drive `source` to its end through the pipeline. A source error after
/// some packets is recorded in the summary (everything before it was
/// printed), not returned, so callers can print counters first.
pub fn run(
    source: &mut dyn PacketSource,
    opts: &OutputConfig,
    out: &mut dyn Write,
) -> Result<RunSummary> {
    run_with(source, Pipeline::new(opts, None)?, out)
}

/// [`run`] with a pipeline the caller built (e.g. with a `-w` target).
pub fn run_with(
    source: &mut dyn PacketSource,
    pipeline: Pipeline,
    out: &mut dyn Write,
) -> Result<RunSummary> {
    run_for_report(source, pipeline, out).map(|(summary, _)| summary)
}

/// [`run_with`], also returning the flow report (see [`Pipeline::track_flows`]).
pub fn run_for_report(
    source: &mut dyn PacketSource,
    mut pipeline: Pipeline,
    out: &mut dyn Write,
) -> Result<(RunSummary, Option<FlowReport>)> {
    let mut source_error: Option<SourceError> = None;
    pipeline.set_link_hint(source.link_type_hint());
    loop {
        if pipeline.stats_request.is_some_and(|f| f()) {
            print_counters(pipeline.summary.matched, &source.stats());
        }
        let n = pipeline.summary.packets;
        if n.is_multiple_of(PROGRESS_EVERY)
            && let Some(hook) = &mut pipeline.progress
        {
            hook(n);
        }
        match source.next_packet() {
            Ok(Some(pkt)) => {
                if pipeline.handle(&pkt, out)? == Control::Stop {
                    break;
                }
            }
            Ok(None) => break,
            Err(e) => {
                source_error = Some(e);
                break;
            }
        }
    }
    let stats = source.stats();
    if pipeline.link_hint.is_none() {
        pipeline.set_link_hint(source.link_type_hint());
    }
    let (mut summary, report) = pipeline.finish_with_report(out)?;
    summary.source = stats;
    summary.source_error = source_error;
    Ok((summary, report))
}

/// The flow tracker's configuration for `opts`.
pub(super) fn flow_config(opts: &OutputConfig) -> FlowConfig {
    FlowConfig {
        record_events: opts.timeline,
        ..FlowConfig::default()
    }
}

/// The service a dissector recognises in this packet's payload (the port
/// picks the dissector, the payload must then look like its protocol).
pub(super) fn service_of(fp: &FlowPacket, payload: &[u8]) -> Option<&'static str> {
    let tcp = match fp.proto {
        crate::flow::Proto::Tcp => true,
        crate::flow::Proto::Udp => false,
        _ => return None,
    };
    crate::dissect::service(tcp, fp.sport, fp.dport, payload)
}
