//! The output flags every packet-printing command shares (`read`, `capture`,
//! `demo`), and their conversion into the pipeline's validated
//! [`OutputConfig`].

use super::UsageError;
use crate::filter::Filter;
use crate::output::packet::hex::{Dump, DumpKind};
use crate::output::time::TimeFormat;
use crate::pipeline::{ChecksumMode, OutputConfig};
use clap::Args;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use std::path::PathBuf;

/// Options shared by everything that prints packets (`read`, `capture`, `demo`).
#[derive(Args, Debug, Clone, Default)]
pub struct OutputArgs {
    /// Stop after N packets.
    #[arg(short = 'c', value_name = "N")]
    pub count: Option<u64>,
    /// Write the packets to a pcap file (`-` for stdout) instead of printing them.
    #[arg(short = 'w', value_name = "FILE")]
    pub write: Option<PathBuf>,
    /// More detail per packet (IP header fields and options, checksums,
    /// the packet an ICMP error quotes), as tcpdump's -v prints it; -vv
    /// adds what tcpdump's -vv adds (UDP checksums over IPv4, TCP
    /// sequence numbers on every segment).
    #[arg(short = 'v', action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Print the link-level header on each line (tcpdump's -e).
    #[arg(short = 'e')]
    pub link_header: bool,
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
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
    /// Print a flow table at the end (with --json: one Zeek-style object per
    /// flow). Packet lines are off unless -v.
    #[arg(long)]
    pub flows: bool,
    /// How --flows comes out: `table` (the default), `json` (as --json),
    /// or `parquet` (a Parquet file, given with -o, that DuckDB, Spark and
    /// ClickHouse read).
    #[arg(long, value_enum, value_name = "FORMAT", requires = "flows")]
    pub format: Option<FlowFormat>,
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
    /// Filter expression, tcpdump's language (the trailing words).
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = false,
        value_name = "FILTER"
    )]
    pub filter: Vec<String>,
}

/// `--format` values.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowFormat {
    Table,
    Json,
    Parquet,
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
    /// Validate the flags into the pipeline's configuration: the filter words
    /// are parsed here, so a bad expression is a usage error before any
    /// source is opened.
    pub fn to_config(&self) -> Result<OutputConfig, UsageError> {
        let expr = self.filter.join(" ");
        let filter = Filter::parse(&expr)?;
        let parquet = self.format == Some(FlowFormat::Parquet);
        if parquet && self.output_file.is_none() {
            return Err(UsageError::Flags(
                "--format parquet writes a file: give it with -o FILE",
            ));
        }
        if self.output_file.is_some() && !parquet {
            return Err(UsageError::Flags(
                "-o FILE is where --format parquet writes; other formats go to stdout",
            ));
        }
        if cfg!(not(feature = "parquet")) && (parquet || self.packets_parquet.is_some()) {
            return Err(UsageError::Flags(
                "this sockscope was built without the `parquet` feature",
            ));
        }
        Ok(OutputConfig {
            count: self.count,
            write: self.write.clone(),
            verbose: self.verbose,
            dump: self.dump(),
            link_header: self.link_header,
            number: self.number,
            json: self.json || self.format == Some(FlowFormat::Json),
            flows: self.flows,
            timeline: self.timeline,
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
