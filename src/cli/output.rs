//! The output flags every packet-printing command shares (`read`, `capture`,
//! `demo`), and their conversion into the pipeline's validated
//! [`OutputConfig`].

use super::UsageError;
use crate::filter::Filter;
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
    /// More detail per packet (IP TTL/id/flags/length, checksums).
    #[arg(short = 'v', action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Print each packet's bytes in hex and ASCII.
    #[arg(short = 'X')]
    pub hex: bool,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
    /// Print a flow table at the end (with --json: one Zeek-style object per
    /// flow). Packet lines are off unless -v.
    #[arg(long)]
    pub flows: bool,
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
    /// Timestamp format.
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

/// `--time` values with their help, mapped onto the printers' own
/// [`TimeFormat`] (which knows nothing of clap).
fn time_format() -> impl TypedValueParser<Value = TimeFormat> {
    PossibleValuesParser::new([
        PossibleValue::new("abs")
            .help("Wall-clock time of day in the local time zone (HH:MM:SS.ffffff)"),
        PossibleValue::new("rel").help("Time since the first packet (HH:MM:SS.ffffff)"),
        PossibleValue::new("delta").help("Time since the previous packet (HH:MM:SS.ffffff)"),
        PossibleValue::new("epoch").help("Seconds since the Unix epoch"),
    ])
    .map(|name| match name.as_str() {
        "rel" => TimeFormat::Rel,
        "delta" => TimeFormat::Delta,
        "epoch" => TimeFormat::Epoch,
        _ => TimeFormat::Abs,
    })
}

impl OutputArgs {
    /// Validate the flags into the pipeline's configuration: the filter words
    /// are parsed here, so a bad expression is a usage error before any
    /// source is opened.
    pub fn to_config(&self) -> Result<OutputConfig, UsageError> {
        let expr = self.filter.join(" ");
        let filter = Filter::parse(&expr)?;
        Ok(OutputConfig {
            count: self.count,
            write: self.write.clone(),
            verbose: self.verbose,
            hex: self.hex,
            json: self.json,
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
            time: self.time,
            quiet: self.quiet,
            filter: (!filter.is_match_all()).then_some(filter),
            follow: None,
        })
    }
}
