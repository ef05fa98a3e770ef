//! Everything after the source, shared by `read`, `capture` and `demo`:
//! decode → filter → flow tracker → printers and the pcap writer. The same
//! flags give the same output whether the packets came from a socket or a
//! file.

mod offload;

use crate::cli::OutputArgs;
use crate::decode::checksum::{self, Checksums};
use crate::decode::{self, Problem};
use crate::filter::Filter;
use crate::filter::bpf::BpfInsn;
use crate::flow::{Analysis, FlowConfig, FlowPacket, FlowTracker};
use crate::output::flow_json::write_flows_json;
use crate::output::json;
use crate::output::packet::{LineOptions, LinePrinter, hex};
use crate::output::pcap::PcapWriter;
use crate::output::table::write_flow_table;
use crate::output::timeline::write_timelines;
use crate::packet::{LinkType, Packet};
use crate::source::{PacketSource, SourceStats};
use std::fs::File;
use std::io::{self, BufWriter, Write};

/// What a run counted, for the summary line and the exit code.
#[derive(Clone, Debug, Default)]
pub struct RunSummary {
    /// Packets the source handed us.
    pub packets: u64,
    /// Packets that passed the filter (printed, written, tracked).
    pub matched: u64,
    /// Packets decoded (printed); malformed ones are only known among these.
    pub decoded: u64,
    pub malformed: u64,
    pub truncated: u64,
    /// Packets of a link type we do not decode.
    pub unsupported: u64,
    /// Packets per link type, in order of first appearance.
    pub by_link: Vec<(LinkType, u64)>,
    /// Packets written with `-w`.
    pub written: u64,
    /// The source's own counters (kernel drops for live capture).
    pub source: SourceStats,
    /// Set when the source stopped with an error after `packets` packets.
    pub source_error: Option<String>,
}

impl RunSummary {
    /// One line for stderr, e.g. `12 packets (EN10MB 12), 0 malformed`.
    pub fn line(&self) -> String {
        let links: Vec<String> = self
            .by_link
            .iter()
            .map(|(l, n)| format!("{} {n}", l.name()))
            .collect();
        let noun = if self.packets == 1 {
            "packet"
        } else {
            "packets"
        };
        let mut s = format!("{} {noun}", self.packets);
        if !links.is_empty() {
            s.push_str(&format!(" ({})", links.join(", ")));
        }
        if self.matched != self.packets {
            s.push_str(&format!(", {} matched the filter", self.matched));
        }
        if self.decoded > 0 {
            s.push_str(&format!(", {} malformed", self.malformed));
        }
        if self.truncated > 0 {
            s.push_str(&format!(
                ", {} truncated by the snap length",
                self.truncated
            ));
        }
        if self.unsupported > 0 {
            s.push_str(&format!(", {} of unsupported link types", self.unsupported));
        }
        if self.written > 0 {
            s.push_str(&format!(", {} written", self.written));
        }
        s
    }
}

/// Where `-w` goes and what the stream's link type and snap length are.
pub struct WriteTarget {
    pub out: Box<dyn Write>,
    pub link: Option<LinkType>,
    pub snaplen: u32,
    pub per_packet_flush: bool,
}

/// The stages after the source, fed one packet at a time.
pub struct Pipeline {
    opts: OutputArgs,
    /// The trailing filter words; `None` when there were none.
    filter: Option<UserFilter>,
    /// Per-flow TCP state and analysis: on with `--flows`, `--timeline`
    /// or `-v` (whose lines carry the analysis marks).
    flows: Option<FlowTracker>,
    line: LinePrinter,
    /// Print packet lines at all (not with `-w` unless asked, not with `-q`).
    print_packets: bool,
    writer: Option<PcapWriter>,
    pending_write: Option<WriteTarget>,
    summary: RunSummary,
    /// Whether bad checksums count for flow state (offload detection), and
    /// the packets that wait for that decision.
    offload: offload::OffloadCheck,
}

/// Whether the source should go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    Continue,
    Stop,
}

impl Pipeline {
    pub fn new(opts: &OutputArgs, write: Option<WriteTarget>) -> anyhow::Result<Self> {
        let line = LinePrinter::new(LineOptions {
            time: opts.time.into(),
            verbose: opts.verbose,
            absolute_seq: opts.absolute_seq,
            verify_checksums: !opts.no_checksum,
        });
        // tcpdump does not print packets while writing a file; neither do
        // we. With --flows or --timeline the summaries are the output, and
        // packet lines come back with -v.
        let summaries = opts.flows || opts.timeline;
        let print_packets = !opts.quiet && write.is_none() && (!summaries || opts.verbose > 0);
        let flows = (summaries || opts.verbose > 0).then(|| {
            FlowTracker::new(FlowConfig {
                record_events: opts.timeline,
                ..FlowConfig::default()
            })
        });
        let filter = parse_filter(&opts.filter)?.map(UserFilter::new);
        let mut p = Pipeline {
            opts: opts.clone(),
            filter,
            flows,
            line,
            print_packets,
            writer: None,
            pending_write: None,
            summary: RunSummary::default(),
            offload: offload::OffloadCheck::new(if opts.no_checksum {
                offload::Mode::Off
            } else if opts.verify_checksums {
                offload::Mode::Force
            } else {
                offload::Mode::Auto
            }),
        };
        if let Some(target) = write {
            match target.link {
                Some(link) => {
                    p.writer = Some(PcapWriter::new(
                        target.out,
                        link,
                        target.snaplen,
                        target.per_packet_flush,
                    )?)
                }
                None => p.pending_write = Some(target),
            }
        }
        Ok(p)
    }

    /// The kernel already ran the filter on every packet (live capture with
    /// the program attached): don't run it again in user space, which would
    /// only cost CPU (and would see the packet after the snap length cut it,
    /// where the kernel saw all of it, as libpcap's does).
    pub fn filter_done_in_kernel(&mut self) {
        self.filter = None;
    }

    /// Print packet lines even with `--flows`/`--timeline` (the demo shows
    /// both).
    pub fn print_packets(&mut self, on: bool) {
        self.print_packets = on && !self.opts.quiet;
    }

    /// Open `-w FILE` (`-` is stdout) as a write target.
    pub fn open_write_target(
        path: &std::path::Path,
        link: Option<LinkType>,
        snaplen: u32,
        per_packet_flush: bool,
    ) -> anyhow::Result<WriteTarget> {
        let out: Box<dyn Write> = if path.as_os_str() == "-" {
            Box::new(BufWriter::with_capacity(1 << 16, io::stdout()))
        } else {
            let f = File::create(path).map_err(|e| {
                anyhow::anyhow!("{}: cannot create the output file: {e}", path.display())
            })?;
            Box::new(BufWriter::with_capacity(1 << 16, f))
        };
        Ok(WriteTarget {
            out,
            link,
            snaplen,
            per_packet_flush,
        })
    }

    /// Decode, filter, track and print one packet (or hold it until the
    /// first packets decide whether checksums are offloaded; see
    /// `offload`).
    pub fn handle(&mut self, pkt: &Packet<'_>, out: &mut dyn Write) -> anyhow::Result<Control> {
        if self.flows.is_some() && self.offload.undecided() {
            if self.offload.hold(pkt, checksum::verify(pkt)) {
                return self.release_held(out);
            }
            return Ok(Control::Continue);
        }
        self.process(pkt, None, out)
    }

    /// Decide on offload and run the held packets through.
    fn release_held(&mut self, out: &mut dyn Write) -> anyhow::Result<Control> {
        for held in self.offload.decide() {
            if self.process(&held.packet(), Some(held.sums), out)? == Control::Stop {
                return Ok(Control::Stop);
            }
        }
        Ok(Control::Continue)
    }

    /// [`Pipeline::handle`] for a packet whose turn it is; `sums`: its
    /// checksums when already verified.
    fn process(
        &mut self,
        pkt: &Packet<'_>,
        sums: Option<Checksums>,
        out: &mut dyn Write,
    ) -> anyhow::Result<Control> {
        let s = &mut self.summary;
        s.packets += 1;
        match s.by_link.iter_mut().find(|(l, _)| *l == pkt.link) {
            Some((_, n)) => *n += 1,
            None => s.by_link.push((pkt.link, 1)),
        }
        // The filter reads the raw bytes (libpcap's semantics), so packets
        // it rejects are never decoded.
        if let Some(f) = &mut self.filter
            && !f.matches(pkt)
        {
            return Ok(Control::Continue);
        }
        // Verified once: for flow state when bad ones count, for -v lines.
        let counts = self.flows.is_some() && self.offload.counts();
        let show = self.print_packets && self.opts.verbose > 0 && self.offload.verifies();
        let sums = match sums {
            Some(sums) => sums,
            None if counts || show => checksum::verify(pkt),
            None => Checksums::default(),
        };
        let analysis = match &mut self.flows {
            Some(tracker) => FlowPacket::from_frame(pkt.ts, pkt.link, pkt.data)
                .map(|mut fp| {
                    fp.bad_checksum = counts && sums.any_bad();
                    tracker.observe(&fp)
                })
                .unwrap_or_default(),
            None => Analysis::default(),
        };
        let s = &mut self.summary;
        s.matched += 1;
        if pkt.is_truncated() {
            s.truncated += 1;
        }
        if !self.print_packets {
            self.write_pcap(pkt)?;
            return Ok(self.after_packet());
        }
        let mut d = decode::decode(pkt);
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
        let number = s.packets;
        s.decoded += 1;
        if self.opts.json {
            let marks = analysis_marks(&analysis);
            json::write_packet(out, number, pkt, &d, &marks)?;
        } else {
            self.line.write_packet(out, pkt, &d, &analysis)?;
            if self.opts.hex {
                hex::write_hex(out, &pkt.data[d.net_offset.min(pkt.data.len())..])?;
            }
        }
        self.write_pcap(pkt)?;
        Ok(self.after_packet())
    }

    fn after_packet(&self) -> Control {
        if self.opts.count.is_some_and(|c| self.summary.matched >= c) {
            Control::Stop
        } else {
            Control::Continue
        }
    }

    fn write_pcap(&mut self, pkt: &Packet<'_>) -> anyhow::Result<()> {
        if let Some(target) = self.pending_write.take() {
            self.writer = Some(PcapWriter::new(
                target.out,
                pkt.link,
                target.snaplen,
                target.per_packet_flush,
            )?);
        }
        if let Some(w) = &mut self.writer {
            if w.link() != pkt.link {
                anyhow::bail!(
                    "cannot write a {} packet into a pcap of link type {}: a pcap file holds \
                     one link type",
                    pkt.link,
                    w.link()
                );
            }
            w.write_packet(pkt)?;
            self.summary.written = w.written();
        }
        Ok(())
    }

    /// Flush the writer and print what the end of the run prints (flow
    /// table, timelines).
    pub fn finish(mut self, out: &mut dyn Write) -> anyhow::Result<RunSummary> {
        // A capture shorter than the sample: decide on what it had.
        self.release_held(out)?;
        if let Some(w) = &mut self.writer {
            w.flush()?;
        }
        if let Some(tracker) = self.flows.take() {
            let report = tracker.finish();
            if self.opts.flows {
                if self.opts.json {
                    write_flows_json(out, &report)?;
                } else {
                    write_flow_table(out, &report)?;
                }
            }
            if self.opts.timeline {
                if self.opts.flows && !self.opts.json {
                    out.write_all(b"\n")?;
                }
                write_timelines(out, &report)?;
            }
        }
        out.flush()?;
        Ok(self.summary)
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
struct UserFilter {
    filter: Filter,
    /// Per link type seen: the program, or `None` where compiling failed.
    programs: Vec<(LinkType, Option<Vec<BpfInsn>>)>,
}

impl UserFilter {
    fn new(filter: Filter) -> Self {
        UserFilter {
            filter,
            programs: Vec::new(),
        }
    }

    fn matches(&mut self, pkt: &Packet<'_>) -> bool {
        let i = match self.programs.iter().position(|(l, _)| *l == pkt.link) {
            Some(i) => i,
            None => {
                let prog = self.filter.compile(pkt.link, u32::MAX).ok();
                self.programs.push((pkt.link, prog));
                self.programs.len() - 1
            }
        };
        match &self.programs[i].1 {
            Some(prog) => crate::filter::bpf::run(prog, pkt.data, pkt.orig_len) != 0,
            None => self.filter.matches(pkt.link, pkt.data, pkt.orig_len),
        }
    }
}

/// A filter expression the user typed that does not parse: a usage error
/// (exit code 2), with the caret message.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FilterUsageError(pub String);

/// Parse the trailing filter words; none (or only blanks) means no filter.
pub fn parse_filter(words: &[String]) -> anyhow::Result<Option<Filter>> {
    let expr = words.join(" ");
    let filter = Filter::parse(&expr).map_err(|e| FilterUsageError(e.to_string()))?;
    Ok((!filter.is_match_all()).then_some(filter))
}

impl Pipeline {
    /// Check once, for a source with one known link type, that the filter
    /// can select anything there (tcpdump refuses `vlan` on a cooked
    /// capture, for instance).
    pub fn check_link(&self, link: LinkType) -> anyhow::Result<()> {
        if let Some(UserFilter { filter: f, .. }) = &self.filter {
            f.check_link(link)
                .map_err(|e| anyhow::anyhow!("filter '{f}' on link type {link}: {e}"))?;
        }
        Ok(())
    }
}

/// Drive `source` to its end through the pipeline. A source error after
/// some packets is recorded in the summary (everything before it was
/// printed), not returned, so callers can print counters first.
pub fn run(
    source: &mut dyn PacketSource,
    opts: &OutputArgs,
    out: &mut dyn Write,
) -> anyhow::Result<RunSummary> {
    run_with(source, Pipeline::new(opts, None)?, out)
}

/// [`run`] with a pipeline the caller built (e.g. with a `-w` target).
pub fn run_with(
    source: &mut dyn PacketSource,
    mut pipeline: Pipeline,
    out: &mut dyn Write,
) -> anyhow::Result<RunSummary> {
    let mut source_error = None;
    loop {
        match source.next_packet() {
            Ok(Some(pkt)) => {
                if pipeline.handle(&pkt, out)? == Control::Stop {
                    break;
                }
            }
            Ok(None) => break,
            Err(e) => {
                source_error = Some(e.to_string());
                break;
            }
        }
    }
    let stats = source.stats();
    let mut summary = pipeline.finish(out)?;
    summary.source = stats;
    summary.source_error = source_error;
    Ok(summary)
}
