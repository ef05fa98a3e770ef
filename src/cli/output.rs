//! The output flags every packet-printing command shares (`read`, `capture`,
//! `demo`), and their conversion into the pipeline's validated
//! [`OutputConfig`].

use super::UsageError;
use crate::filter::Filter;
use crate::flow::reassembly::StreamSelector;
use crate::output::flows::view::{FlowFormat, FlowView};
use crate::output::packet::hex::{Dump, DumpKind};
use crate::output::time::TimeFormat;
use crate::pipeline::Rotation;
use crate::pipeline::{ChecksumMode, OutputConfig};
use anyhow::Context;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, ValueEnum};
use std::io::{BufWriter, IsTerminal, LineWriter, Write};
use std::path::{Path, PathBuf};

/// Options shared by everything that prints packets (`read`, `capture`, `demo`).
#[derive(Args, Debug, Clone, Default)]
pub struct OutputArgs {
    /// Stop after N packets (1 or more, as tcpdump's -c).
    #[arg(short = 'c', value_name = "N", value_parser = packet_count)]
    pub count: Option<u64>,
    /// Write the packets to a pcap file (`-` for stdout) instead of printing them.
    #[arg(short = 'w', value_name = "FILE")]
    pub write: Option<PathBuf>,
    #[command(flatten)]
    pub rotate: RotateArgs,
    /// Line-buffered stdout: each packet line is written as it is printed,
    /// so `… -l | grep` sees it at once (the default when stdout is a
    /// terminal).
    #[arg(short = 'l')]
    pub line_buffered: bool,
    /// More detail per packet (IP header fields and options, checksums,
    /// the packet an ICMP error quotes), as tcpdump's -v prints it; -vv
    /// adds what tcpdump's -vv adds (UDP checksums over IPv4, TCP
    /// sequence numbers on every segment).
    #[arg(short = 'v', action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Print the link-level header on each line (tcpdump's -e).
    #[arg(short = 'e')]
    pub link_header: bool,
    /// Look for 802.11s mesh control after the header of QoS data frames
    /// (tcpdump's -H): the network layer is found after it, and -e
    /// prints it (`MeshData (AE 0 TTL 31 seq 7) `).
    #[arg(short = 'H')]
    pub mesh_headers: bool,
    /// Read every UDP datagram as TYPE whatever its ports, as tcpdump's
    /// -T: rtp, rtcp, cnfp (NetFlow v1/v5/v6), vat, wb, snmp, tftp, aodv,
    /// radius, vxlan, lmp, ptp, someip, domain; carp reads IP protocol
    /// 112 as CARP; resp and domain also read TCP payloads (any type
    /// turns TCP's port decoding off, as in tcpdump).
    #[arg(short = 'T', value_name = "TYPE", value_parser = packet_type)]
    pub packet_type: Option<crate::dissect::packet_type::PacketType>,
    /// Print each packet's bytes in hex after its line, from the network
    /// header on (-xx: from the link header on).
    #[arg(short = 'x', action = clap::ArgAction::Count)]
    pub hex_only: u8,
    /// Print each packet's bytes in hex and ASCII after its line
    /// (-XX: from the link header on).
    #[arg(short = 'X', action = clap::ArgAction::Count)]
    pub hex: u8,
    /// Print each packet's bytes as ASCII after its line (-AA: from the
    /// link header on).
    #[arg(short = 'A', action = clap::ArgAction::Count)]
    pub ascii: u8,
    /// Time stamps as tcpdump's -t count says: -t none, -tt seconds since
    /// the epoch, -ttt since the previous packet, -tttt date and time,
    /// -ttttt since the first packet. Overrides --time.
    #[arg(short = 't', action = clap::ArgAction::Count)]
    pub t: u8,
    /// Number the packet lines (tcpdump's -#).
    #[arg(short = '#', long)]
    pub number: bool,
    /// Accepted for tcpdump's habits (-n, -nn): addresses and ports are
    /// always printed as numbers, never looked up.
    #[arg(short = 'n', action = clap::ArgAction::Count)]
    pub numeric: u8,
    /// Append what tcpdump does not print to the packet lines, in
    /// brackets: TLS records and hellos (server name, ALPN, versions,
    /// cipher, JA4) on any TCP port, QUIC long headers and the ClientHello
    /// of a client's Initial on any UDP port. --json always has them.
    #[arg(long)]
    pub app: bool,
    /// Append Wireshark's TCP analysis marks to TCP packet lines
    /// (` [retransmission]`, ` [dup ack #2]`, ` [zero window]` …), from
    /// the per-flow tracker; --json gets them as `analysis`. Lines with
    /// --flows, --timeline (and -v) have them without asking.
    #[arg(long)]
    pub analysis: bool,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
    /// Print a flow table at the end (with --json: one Zeek-style object per
    /// flow). Packet lines are off unless -v.
    #[arg(long)]
    pub flows: bool,
    /// The file `--format parquet` writes.
    #[arg(short = 'o', long = "output", value_name = "FILE", requires = "format")]
    pub output_file: Option<PathBuf>,
    /// Write one Parquet row per packet to FILE (addresses, ports, TCP
    /// fields, lengths, its flow's uid, its byte offset in the capture).
    #[arg(long, value_name = "FILE")]
    pub packets_parquet: Option<PathBuf>,
    /// Print TCP timelines (both sides' states) at the end. Packet lines
    /// are off unless -v.
    #[arg(long)]
    pub timeline: bool,
    /// How --flows prints: a table for people, or tsv, csv (with a header
    /// row), json (as --json), zeek (Zeek's conn.log, for zeek-cut), or
    /// parquet (a Parquet file, given with -o, that DuckDB, Spark and
    /// ClickHouse read).
    #[arg(long, value_name = "FORMAT", value_enum, requires = "flows")]
    pub format: Option<FlowFormatArg>,
    /// Every column of the flow table and the fixed timeline layout, even
    /// on a terminal too narrow for them (a pipe or a file gets them unless
    /// COLUMNS is set).
    #[arg(long)]
    pub wide: bool,
    /// ASCII table borders and arrows (the default when the locale is not
    /// UTF-8).
    #[arg(long = "ascii")]
    pub ascii_borders: bool,
    /// Only this flow in the flow table and timelines: a flow uid as in the
    /// flow table (`C3`) or a TCP stream index as `follow` and tshark's
    /// tcp.stream number them (`0`).
    #[arg(long, value_name = "ID", value_parser = parse_stream)]
    pub stream: Option<StreamSelector>,
    /// Absolute TCP sequence numbers (default: relative per flow).
    #[arg(short = 'S')]
    pub absolute_seq: bool,
    /// Don't verify checksums (like tcpdump -K).
    #[arg(short = 'K')]
    pub no_checksum: bool,
    /// Count every bad checksum in flow state (`bad_checksums`, Zeek's
    /// c/C), even when most of the first packets' checksums are wrong,
    /// which otherwise means checksum offload (packets captured on the
    /// host that sent them) and stops the count.
    #[arg(long, conflicts_with = "no_checksum")]
    pub verify_checksums: bool,
    /// Timestamp format (the long form of -t…-ttttt).
    #[arg(long, value_parser = time_format(), default_value = "abs")]
    pub time: TimeFormat,
    /// No packet lines: only the summary (and --flows/--timeline output).
    /// Unlike tcpdump's -q, which shortens the lines.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Read the filter expression from FILE (`#` starts a comment to the
    /// end of the line); the trailing words are then ignored, as tcpdump's
    /// -F does.
    #[arg(short = 'F', value_name = "FILE")]
    pub filter_file: Option<PathBuf>,
    /// Filter expression, tcpdump's language (the trailing words).
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = false,
        value_name = "FILTER"
    )]
    pub filter: Vec<String>,
}

/// `-C`, `-G`, `-W`: tcpdump's rotation of the `-w` file.
#[derive(Args, Debug, Clone, Default)]
pub struct RotateArgs {
    /// Before writing a packet, start a new -w file if this one is larger
    /// than SIZE millions of bytes (1,000,000, as tcpdump's -C); the files
    /// after the first get a number after the name (FILE1, FILE2 …).
    #[arg(short = 'C', value_name = "SIZE", requires = "write",
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub file_size: Option<u64>,
    /// Start a new -w file every SECS seconds; the -w name is a strftime
    /// format (`-w 'dump-%H%M%S.pcap'`), as tcpdump's -G.
    #[arg(short = 'G', value_name = "SECS", requires = "write",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub rotate_seconds: Option<u64>,
    /// With -C: a ring of N files (FILE0 … FILE{N-1}, reused in turn);
    /// with -G alone: stop after N files. As tcpdump's -W.
    #[arg(short = 'W', value_name = "N", requires = "write",
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub file_count: Option<u32>,
}

impl RotateArgs {
    /// The pipeline's rotation, if any flag asked for one.
    pub fn to_rotation(&self) -> Option<Rotation> {
        if self.file_size.is_none() && self.rotate_seconds.is_none() {
            return None;
        }
        Some(Rotation {
            size: self.file_size.map(|m| m * 1_000_000),
            seconds: self.rotate_seconds,
            files: self.file_count,
        })
    }
}

/// `-c N`: tcpdump refuses 0 ("invalid packet count 0"), and so do we
/// rather than treat it as "no limit" or stop after one packet.
fn packet_count(s: &str) -> Result<u64, String> {
    match s.parse::<u64>() {
        Ok(0) => Err("invalid packet count 0 (-c takes 1 or more, as tcpdump's)".to_string()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("invalid packet count {s:?}: {e}")),
    }
}

/// `-T TYPE`: one of tcpdump's packet types.
fn packet_type(s: &str) -> Result<crate::dissect::packet_type::PacketType, String> {
    crate::dissect::packet_type::PacketType::parse(s)
}

/// `-F FILE`'s expression: the file's text with `#` comments blanked (as
/// tcpdump's `read_infile` does), lines joined.
pub fn read_filter_file(path: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the filter file (-F) {}", path.display()))?;
    let words: Vec<&str> = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .collect();
    Ok(words.join(" "))
}

/// `--time` values with their help, mapped onto the printers' own
/// [`TimeFormat`] (which knows nothing of clap).
fn time_format() -> impl TypedValueParser<Value = TimeFormat> {
    PossibleValuesParser::new([
        PossibleValue::new("abs")
            .help("Wall-clock time of day in the local time zone (HH:MM:SS.ffffff)"),
        PossibleValue::new("none").help("No time stamp (-t)"),
        PossibleValue::new("epoch").help("Seconds since the Unix epoch (-tt)"),
        PossibleValue::new("delta").help("Time since the previous packet (-ttt)"),
        PossibleValue::new("date").help("Local date and time (-tttt)"),
        PossibleValue::new("rel").help("Time since the first packet (-ttttt)"),
    ])
    .map(|name| match name.as_str() {
        "none" => TimeFormat::None,
        "epoch" => TimeFormat::Epoch,
        "delta" => TimeFormat::Delta,
        "date" => TimeFormat::Date,
        "rel" => TimeFormat::Rel,
        _ => TimeFormat::Abs,
    })
}

/// `--format`: the printers' [`FlowFormat`] (which knows nothing of clap).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowFormatArg {
    /// A table fitted to the terminal (the default).
    Table,
    /// Tab-separated values with a header row.
    Tsv,
    /// Comma-separated values with a header row (RFC 4180).
    Csv,
    /// One JSON object per flow (as --json).
    Json,
    /// Zeek's conn.log, header lines and all.
    Zeek,
    /// A Parquet file (given with -o), one row per flow.
    Parquet,
}

impl FlowFormatArg {
    /// The printer's format; `None` for Parquet, which is a file the
    /// pipeline writes instead of printing.
    fn printed(self) -> Option<FlowFormat> {
        Some(match self {
            FlowFormatArg::Table => FlowFormat::Table,
            FlowFormatArg::Tsv => FlowFormat::Tsv,
            FlowFormatArg::Csv => FlowFormat::Csv,
            FlowFormatArg::Json => FlowFormat::Json,
            FlowFormatArg::Zeek => FlowFormat::Zeek,
            FlowFormatArg::Parquet => return None,
        })
    }
}

fn parse_stream(s: &str) -> Result<StreamSelector, String> {
    StreamSelector::parse(s)
        .ok_or_else(|| format!("'{s}' is neither a flow uid (C3) nor a stream index (0)"))
}

/// tcpdump's `-t` count as a time format (0: `--time` rules).
fn t_count(n: u8) -> Option<TimeFormat> {
    Some(match n {
        0 => return None,
        1 => TimeFormat::None,
        2 => TimeFormat::Epoch,
        3 => TimeFormat::Delta,
        4 => TimeFormat::Date,
        _ => TimeFormat::Rel,
    })
}

impl OutputArgs {
    /// The dump after each line: -X over -x over -A, as in tcpdump; a
    /// doubled letter includes the link header.
    fn dump(&self) -> Dump {
        let (kind, n) = if self.hex > 0 {
            (DumpKind::HexAscii, self.hex)
        } else if self.hex_only > 0 {
            (DumpKind::Hex, self.hex_only)
        } else if self.ascii > 0 {
            (DumpKind::Ascii, self.ascii)
        } else {
            (DumpKind::Off, 0)
        };
        Dump { kind, link: n > 1 }
    }
}

impl OutputArgs {
    /// Where packet lines go: stderr when stdout carries the pcap (`-w -`);
    /// stdout a line at a time with `-l` or when someone watches it (a
    /// terminal), in 64 KiB blocks otherwise (a pipe or a file: speed).
    pub fn packet_sink(&self) -> Box<dyn Write> {
        let stdout = std::io::stdout();
        if self.write.as_deref().is_some_and(|p| p.as_os_str() == "-") {
            Box::new(LineWriter::new(std::io::stderr()))
        } else if self.line_buffered || stdout.is_terminal() {
            Box::new(LineWriter::new(stdout.lock()))
        } else {
            Box::new(BufWriter::with_capacity(1 << 16, stdout.lock()))
        }
    }

    /// Validate the flags into the pipeline's configuration: the filter words
    /// (or `-F`'s file) are parsed here, so a bad expression is a usage
    /// error before any source is opened.
    pub fn to_config(&self) -> anyhow::Result<OutputConfig> {
        let expr = match &self.filter_file {
            Some(path) => read_filter_file(path)?,
            None => self.filter.join(" "),
        };
        let filter = Filter::parse(&expr).map_err(UsageError::from)?;
        let flow_format = match self.format {
            Some(f) if self.json && f != FlowFormatArg::Json => {
                return Err(UsageError::Conflict(
                    "--json prints the flows as JSON: drop --format or --json".into(),
                )
                .into());
            }
            // Parquet prints no flows; the table stands for "not JSON".
            Some(f) => f.printed().unwrap_or(FlowFormat::Table),
            None if self.json => FlowFormat::Json,
            None => FlowFormat::Table,
        };
        let parquet = self.format == Some(FlowFormatArg::Parquet);
        let conflict = |msg: &str| Err(UsageError::Conflict(msg.into()).into());
        if parquet && self.output_file.is_none() {
            return conflict("--format parquet writes a file: give it with -o FILE");
        }
        if self.output_file.is_some() && !parquet {
            return conflict(
                "-o FILE is where --format parquet writes; other formats go to stdout",
            );
        }
        if cfg!(not(feature = "parquet")) && (parquet || self.packets_parquet.is_some()) {
            return conflict("this sockscope was built without the `parquet` feature");
        }
        let view = FlowView {
            width: if self.wide {
                None
            } else {
                super::term::stdout_width()
            },
            ascii: self.ascii_borders || !super::term::locale_is_utf8(),
            all_segments: self.verbose > 0,
        };
        Ok(OutputConfig {
            count: self.count,
            write: self.write.clone(),
            rotate: self.rotate.to_rotation(),
            verbose: self.verbose,
            dump: self.dump(),
            link_header: self.link_header,
            mesh_headers: self.mesh_headers,
            packet_type: self.packet_type,
            number: self.number,
            app: self.app,
            analysis: self.analysis,
            json: self.json,
            flows: self.flows,
            timeline: self.timeline,
            flow_format,
            view,
            stream: self.stream,
            absolute_seq: self.absolute_seq,
            checksums: if self.no_checksum {
                ChecksumMode::Off
            } else if self.verify_checksums {
                ChecksumMode::Force
            } else {
                ChecksumMode::Auto
            },
            time: t_count(self.t).unwrap_or(self.time),
            quiet: self.quiet,
            filter: (!filter.is_match_all()).then_some(filter),
            follow: None,
            flows_parquet: self.output_file.clone().filter(|_| parquet),
            packets_parquet: self.packets_parquet.clone(),
        })
    }
}
