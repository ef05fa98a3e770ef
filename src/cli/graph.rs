//! `sockscope graph FILE|- [FILTER] --stream ID --kind KIND -o OUT`: draw
//! one TCP flow of a capture (ladder, time-sequence, throughput, RTT or
//! window graph) as SVG, PNG, Mermaid (ladder) or xplot (tsg). The capture
//! runs through the same pipeline as `read` (filter, checksum-offload
//! decision, flow tracker), with every segment's event and options kept.

use super::OutputArgs;
use crate::flow::{FlowConfig, FlowReport};
use crate::output::graph::{self, Direction, GraphError, GraphKind, GraphOptions, TsgStyle};
use crate::pipeline::{self, Pipeline, RunSummary};
use crate::source::file::FileSource;
use anyhow::Context as _;
use clap::{Args, ValueEnum};
use std::io;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Client and server lifelines with one slanted arrow per segment.
    Ladder,
    /// Time-sequence graph (tcptrace's conventions).
    Tsg,
    /// Goodput per direction with a moving average.
    Throughput,
    /// Round-trip time samples (TCP timestamps, else segment/ACK with Karn's rule).
    Rtt,
    /// Advertised window and bytes in flight.
    Window,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Svg,
    /// Rendered from the same SVG (needs the `png` cargo feature, on by default).
    Png,
    /// The ladder as a Mermaid sequenceDiagram.
    Mermaid,
    /// The time-sequence graph as an xplot file (tcptrace's .xpl).
    Xpl,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StyleArg {
    Tcptrace,
    Stevens,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DirArg {
    /// The side that sent more payload.
    Auto,
    /// Client to server.
    C2s,
    /// Server to client.
    S2c,
}

#[derive(Args, Debug, Clone)]
pub struct GraphArgs {
    /// The capture file (pcap or pcapng), or `-` for stdin.
    pub file: PathBuf,
    /// The flow: `C3` as in the flow table, or a TCP stream index (0, 1, …,
    /// as Wireshark's tcp.stream), or `all` for the whole capture
    /// (throughput and rtt). Default: the first TCP flow.
    #[arg(long, value_name = "ID")]
    pub stream: Option<String>,
    #[arg(long, value_enum, default_value = "ladder")]
    pub kind: KindArg,
    /// Output file (`-` for stdout).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value = "svg")]
    pub format: FormatArg,
    /// Time-sequence graph style.
    #[arg(long, value_enum, default_value = "tcptrace")]
    pub style: StyleArg,
    /// Direction of a time-sequence or window graph.
    #[arg(long = "dir", value_enum, default_value = "auto")]
    pub direction: DirArg,
    /// PNG scale factor (2 for high-density screens).
    #[arg(long, default_value_t = 1.0)]
    pub scale: f32,
    /// Filter expression, tcpdump's language (the words after FILE; options
    /// may come before or after them).
    #[arg(value_name = "FILTER")]
    pub filter: Vec<String>,
}

/// Replay `file` through the pipeline with every TCP segment recorded.
pub fn load(file: &Path, filter: &[String]) -> anyhow::Result<(RunSummary, FlowReport)> {
    let args = OutputArgs {
        quiet: true,
        filter: filter.to_vec(),
        ..OutputArgs::default()
    };
    let opts = args.to_config()?;
    let mut source = FileSource::open(file)?;
    let mut pipeline = Pipeline::new(&opts, None)?;
    if let Some(link) = source.pcap_link_type() {
        pipeline.check_link(link)?;
    }
    pipeline.track_flows(FlowConfig {
        record_events: true,
        max_events_per_flow: usize::MAX,
        record_options: true,
        ..FlowConfig::default()
    });
    let mut sink = io::sink();
    let (summary, report) = pipeline::run_for_report(&mut source, pipeline, &mut sink)?;
    if let Some(err) = &summary.source_error {
        // Draw what came before the break, and say where it broke.
        eprintln!("sockscope: {err}");
    }
    Ok((summary, report.unwrap_or_default()))
}

/// Write `bytes` to `out` (`-`: stdout).
pub fn write_out(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if out.as_os_str() == "-" {
        use io::Write as _;
        let mut o = io::stdout().lock();
        o.write_all(bytes)?;
        return Ok(o.flush()?);
    }
    std::fs::write(out, bytes).with_context(|| format!("cannot write {}", out.display()))
}

pub fn run(args: &GraphArgs) -> anyhow::Result<()> {
    let kind = match args.kind {
        KindArg::Ladder => GraphKind::Ladder,
        KindArg::Tsg => GraphKind::Tsg,
        KindArg::Throughput => GraphKind::Throughput,
        KindArg::Rtt => GraphKind::Rtt,
        KindArg::Window => GraphKind::Window,
    };
    match (args.format, kind) {
        (FormatArg::Mermaid, k) if k != GraphKind::Ladder => {
            return Err(super::UsageError::Graph(GraphError::Format(k.name())).into());
        }
        (FormatArg::Xpl, k) if k != GraphKind::Tsg => {
            return Err(super::UsageError::Graph(GraphError::Format(k.name())).into());
        }
        _ => {}
    }
    let opts = GraphOptions {
        style: match args.style {
            StyleArg::Tcptrace => TsgStyle::Tcptrace,
            StyleArg::Stevens => TsgStyle::Stevens,
        },
        direction: match args.direction {
            DirArg::Auto => Direction::Auto,
            DirArg::C2s => Direction::ClientToServer,
            DirArg::S2c => Direction::ServerToClient,
        },
    };
    let whole = args
        .stream
        .as_deref()
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("all"));
    if whole && !graph::takes_whole_capture(kind) {
        return Err(super::UsageError::Graph(GraphError::WholeCapture(kind.name())).into());
    }
    let (_, report) = load(&args.file, &args.filter)?;
    if whole {
        let svg = graph::render_whole_svg(&report, kind)?;
        let bytes = match args.format {
            FormatArg::Png => png(&svg, args.scale)?,
            _ => svg.into_bytes(),
        };
        return write_out(&args.out, &bytes);
    }
    let flow = graph::find_flow(&report, args.stream.as_deref())?;
    let bytes = match args.format {
        FormatArg::Svg => graph::render_svg(flow, kind, &opts)?.into_bytes(),
        FormatArg::Mermaid => graph::render_mermaid(flow)?.into_bytes(),
        FormatArg::Xpl => graph::render_xpl(flow, &opts)?.into_bytes(),
        FormatArg::Png => png(&graph::render_svg(flow, kind, &opts)?, args.scale)?,
    };
    write_out(&args.out, &bytes)
}

#[cfg(feature = "png")]
fn png(svg: &str, scale: f32) -> anyhow::Result<Vec<u8>> {
    Ok(graph::png::render(svg, scale)?)
}

#[cfg(not(feature = "png"))]
fn png(_svg: &str, _scale: f32) -> anyhow::Result<Vec<u8>> {
    anyhow::bail!(
        "this sockscope was built without PNG output (cargo feature `png`); use --format svg"
    )
}
