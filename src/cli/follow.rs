//! `sockscope follow FILE|-` (or `-i IFACE` live): reassemble TCP streams
//! (and keep UDP datagrams in order) through the same pipeline as `read`
//! and `capture`, and print them as tshark's `-z follow` does, as JSON, or
//! into one file per direction (`--write-dir`, tcpflow's names).

use super::duration::parse_duration;
use crate::filter::Filter;
use crate::flow::reassembly::{ReassemblyConfig, StreamSelector};
use crate::output::fmt::count;
use crate::output::follow::{FollowFormat, FollowOptions, TextFormat};
use crate::pipeline::{self, ChecksumMode, FollowConfig, OutputConfig, Pipeline, RunSummary};
use crate::source::PacketSource;
use crate::source::file::FileSource;
use crate::source::live::{CaptureBackend, LiveOptions, LiveSource};
use clap::{Args, ValueEnum};
use std::io::{self, BufWriter, IsTerminal, LineWriter, Write};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Args, Debug, Clone)]
pub struct FollowArgs {
    /// The capture file (pcap or pcapng), or `-` for stdin; omit with -i.
    #[arg(required_unless_present = "interface")]
    pub file: Option<PathBuf>,
    /// Capture live from this interface instead of reading a file (the
    /// words after it are all filter).
    #[arg(short = 'i', long = "interface")]
    pub interface: Option<String>,
    /// The stream to follow: a flow uid as in the flow table (`C3`) or
    /// tshark's tcp.stream index (`0`). Default: every TCP stream and UDP
    /// flow, in order of first packet.
    #[arg(long, value_name = "ID", value_parser = parse_selector)]
    pub stream: Option<StreamSelector>,
    /// Output format (ascii, hex, raw and yaml as `tshark -q -z follow,tcp,FORMAT,N`).
    #[arg(long, value_enum, default_value = "ascii")]
    pub format: FormatArg,
    /// Write one file per direction per stream into DIR (tcpflow's names)
    /// and DIR/index.jsonl, instead of printing.
    #[arg(long, value_name = "DIR")]
    pub write_dir: Option<PathBuf>,
    /// Mark where each segment's bytes begin (ascii and hex): packet
    /// number and time since the stream's first packet.
    #[arg(long)]
    pub segments: bool,
    /// Bytes of one direction followed at most (K, M, G suffixes; 0: no
    /// limit); the rest is counted and marked as cut.
    #[arg(long, value_name = "BYTES", value_parser = parse_size, default_value = "1G")]
    pub depth: u64,
    /// Memory all streams may hold (out-of-order segments, text of streams
    /// waiting for an earlier one to end); over it, holes are given up and
    /// marked.
    #[arg(long, value_name = "BYTES", value_parser = parse_size, default_value = "256M")]
    pub max_memory: u64,
    /// Stop after N packets.
    #[arg(short = 'c', value_name = "N")]
    pub count: Option<u64>,
    /// Track and reassemble on N threads (flows shared out by a hash of
    /// their addresses; the same bytes as one thread), from a file or
    /// live. With `--stream`, one thread.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: u16,
    /// Live: snap length.
    #[arg(short = 's', value_name = "SNAPLEN", default_value_t = 262144)]
    pub snaplen: u32,
    /// Live: stop after this long (e.g. 10s).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub duration: Option<Duration>,
    /// Filter expression, tcpdump's language (the trailing words).
    #[arg(trailing_var_arg = true, value_name = "FILTER")]
    pub filter: Vec<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    Ascii,
    Hex,
    Raw,
    Yaml,
    Json,
}

fn parse_selector(s: &str) -> Result<StreamSelector, String> {
    StreamSelector::parse(s)
        .ok_or_else(|| format!("'{s}' is neither a flow uid (C3) nor a stream index (0)"))
}

/// `4096`, `64K`, `256M`, `1G` (powers of 1024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (num, mul) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let m = match c.to_ascii_uppercase() {
                'K' => 1u64 << 10,
                'M' => 1 << 20,
                'G' => 1 << 30,
                _ => return Err(format!("'{s}': size suffixes are K, M and G")),
            };
            (t.get(..i).unwrap_or(""), m)
        }
        _ => (t, 1),
    };
    num.parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mul))
        .ok_or_else(|| format!("'{s}' is not a size (e.g. 4096, 64K, 256M, 1G)"))
}

impl FollowArgs {
    /// With `-i` there is no file: a first word clap took for one is filter.
    fn filter_words(&self) -> Vec<String> {
        let mut words = Vec::new();
        if self.interface.is_some()
            && let Some(f) = &self.file
        {
            words.push(f.to_string_lossy().into_owned());
        }
        words.extend(self.filter.iter().cloned());
        words
    }

    /// Validate into the pipeline's configuration.
    pub fn to_config(&self) -> Result<OutputConfig, super::UsageError> {
        let filter = Filter::parse(&self.filter_words().join(" "))?;
        let format = match self.format {
            FormatArg::Ascii => FollowFormat::Text(TextFormat::Ascii),
            FormatArg::Hex => FollowFormat::Text(TextFormat::Hex),
            FormatArg::Raw => FollowFormat::Text(TextFormat::Raw),
            FormatArg::Yaml => FollowFormat::Text(TextFormat::Yaml),
            FormatArg::Json => FollowFormat::Json,
        };
        let memory = usize::try_from(self.max_memory).unwrap_or(usize::MAX);
        Ok(OutputConfig {
            count: self.count,
            // tshark follows whatever the checksums say; so do we.
            checksums: ChecksumMode::Off,
            quiet: true,
            filter: (!filter.is_match_all()).then_some(filter),
            follow: Some(FollowConfig {
                printer: FollowOptions {
                    format,
                    segments: self.segments,
                    write_dir: self.write_dir.clone(),
                    max_pending: memory,
                },
                reassembly: ReassemblyConfig {
                    depth: self.depth,
                    window: (memory / 4).clamp(1 << 16, 64 << 20),
                    memory,
                    only: self.stream,
                },
            }),
            // The driver checks that the stream exists, as for `read --stream`.
            stream: self.stream,
            ..OutputConfig::default()
        })
    }
}

pub fn run(args: &FollowArgs) -> anyhow::Result<()> {
    let config = args.to_config()?;
    let stdout = io::stdout();
    let (result, live) = match (&args.file, &args.interface) {
        (Some(file), None) => {
            let mut source = FileSource::open(file)?;
            let pipeline = Pipeline::new(&config, None)?;
            if let Some(link) = source.pcap_link_type() {
                pipeline.check_link(link)?;
            }
            let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
            let r = run_on_threads(&mut source, &config, args.threads, pipeline, &mut out);
            (r, false)
        }
        (_, Some(iface)) => {
            let mut source = open_live(args, iface, &config)?;
            // The kernel ran the filter on whole packets: not again here
            // (after the snap length), on any thread.
            let config = OutputConfig {
                filter: config
                    .filter
                    .clone()
                    .filter(|_| !source.kernel_filter_attached()),
                ..config.clone()
            };
            let mut pipeline = Pipeline::new(&config, None)?;
            pipeline.stream();
            super::capture::install_signal_handler(source.stop_handle());
            if let Some(d) = args.duration {
                let stop = source.stop_handle();
                std::thread::spawn(move || {
                    std::thread::sleep(d);
                    stop.stop();
                });
            }
            eprintln!(
                "sockscope: listening on {}, link-type {}, snapshot length {} bytes (following streams)",
                source.interface(),
                source.link_type().tcpdump_words(),
                source.snaplen()
            );
            let mut out: Box<dyn Write> = if stdout.is_terminal() {
                Box::new(LineWriter::new(stdout.lock()))
            } else {
                Box::new(BufWriter::with_capacity(1 << 16, stdout.lock()))
            };
            let r = run_on_threads(&mut source, &config, args.threads, pipeline, &mut out);
            (r, true)
        }
        (None, None) => anyhow::bail!("follow needs a FILE or -i IFACE"),
    };
    let summary = match result {
        Ok(s) => s,
        Err(e) if e.is_broken_pipe() => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    report(&summary, args, live);
    match summary.source_error {
        Some(err) => Err(err.into()),
        None => Ok(()),
    }
}

/// `--threads N` over a file or a live source alike (the workers get
/// what a live source has whenever it would wait, so lines come as soon as
/// one thread prints them); `--stream` keeps one thread.
fn run_on_threads(
    source: &mut dyn PacketSource,
    config: &OutputConfig,
    threads: u16,
    pipeline: Pipeline,
    out: &mut dyn Write,
) -> Result<RunSummary, pipeline::PipelineError> {
    let threads = usize::from(threads);
    if threads > 1 && pipeline::parallel::supported(config) {
        pipeline::parallel::run_parallel(source, config, threads, pipeline, out)
    } else {
        pipeline::run_with(source, pipeline, out)
    }
}

fn open_live(args: &FollowArgs, iface: &str, config: &OutputConfig) -> anyhow::Result<LiveSource> {
    let mut opts = LiveOptions::new(iface.to_string());
    opts.backend = super::env::capture_backend()
        .map_err(anyhow::Error::msg)?
        .unwrap_or(CaptureBackend::Ring);
    opts.snaplen = args.snaplen;
    let link = opts.link_type()?;
    if let Some(f) = &config.filter {
        f.check_link(link)
            .map_err(|e| anyhow::anyhow!("filter '{f}' on link type {link}: {e}"))?;
        opts.bpf = f.compile(link, args.snaplen.max(1)).ok();
    }
    Ok(LiveSource::open(&opts)?)
}

/// Counts and conflicting overlaps on stderr (stdout carries the streams).
fn report(summary: &RunSummary, args: &FollowArgs, live: bool) {
    let mut err = io::stderr().lock();
    if let Some(f) = &summary.follow {
        for n in &f.notes {
            let _ = writeln!(err, "sockscope: {n}");
        }
        if f.more_notes > 0 {
            let _ = writeln!(
                err,
                "sockscope: … and {} more",
                count(f.more_notes, "conflicting overlap")
            );
        }
        if let Some(dir) = &args.write_dir {
            let _ = writeln!(
                err,
                "sockscope: {}, {} in {}",
                count(f.streams, "stream"),
                count(f.files, "file"),
                dir.display()
            );
        }
    }
    if live {
        let _ = writeln!(err, "{} captured", count(summary.matched, "packet"));
    }
}
