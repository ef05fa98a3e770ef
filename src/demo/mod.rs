//! `sockscope demo`: run the built-in endpoints on loopback while sniffing them.
//!
//! The servers bind 127.0.0.1 (and ::1) on ports the kernel picks, the capture
//! on `lo` is filtered (in the kernel) to exactly those ports, and it is opened
//! before the first client connects: `LiveSource::open` returning means every
//! later packet is seen, so there is no sleep to guess with. The scenarios run
//! one after another; each waits until its own exchange is over, so the wire
//! shows the same segments every run. When the last one is done the capture
//! waits for the wire to go quiet, stops, and the packets go through the same
//! pipeline as `read` (packet lines, flow table, timelines).
//!
//! Privileges: the servers are bound, the capture socket and the `-w` file
//! opened, and only then does the caller's `drop_privileges` run (the CLI
//! drops root there), before any server or the capture reads a byte. With
//! `-C`/`-G` the drop comes before the first file, as in `capture`, so every
//! file of the ring is created by the same user.

mod recorder;
mod scenarios;
mod servers;

use crate::endpoints::EndpointError;
use crate::filter::{CompileError, Filter, FilterError};
use crate::packet::{LinkType, Packet};
use crate::pipeline::{OutputConfig, Pipeline, PipelineError};
use crate::source::SourceError;
use crate::source::live::CaptureBackend;
use recorder::{OpenCapture, OwnedPacket, Recorder, SNAPLEN};
use servers::Servers;
use std::io::{self, Write};

/// Which scenarios `sockscope demo` runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DemoKind {
    #[default]
    All,
    Tcp,
    Udp,
    Chat,
    Talk,
}

/// What can go wrong in a demo run.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    #[error(transparent)]
    Capture(#[from] SourceError),
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    #[error("the demo's capture filter: {0}")]
    Filter(#[from] FilterError),
    #[error("the demo's capture filter: {0}")]
    Compile(#[from] CompileError),
    /// A scenario's exchange did not go as scripted.
    #[error("{0}")]
    Failed(String),
    #[error("the demo ran without capturing: {PRIVILEGE_HINT}")]
    NotCaptured,
    #[error("{0} demo scenario(s) failed (see above)")]
    ScenariosFailed(usize),
    #[error("cannot give up privileges: {0}")]
    Privileges(String),
    /// `-C`/`-G`: the first file could not be created once root was given up.
    #[error(
        "{0}: with -C/-G the files are created after root is dropped (as tcpdump does): \
         write into a directory that user can write to, or keep root with --keep-root"
    )]
    RotatedAfterDrop(PipelineError),
}

pub type Result<T, E = DemoError> = std::result::Result<T, E>;

const PRIVILEGE_HINT: &str = "capturing needs CAP_NET_RAW: run as root (sudo sockscope demo), \
or give the binary the capability once: sudo setcap cap_net_raw,cap_net_admin=eip $(which sockscope)";

/// Run the demo. The transcript of the clients goes to `log`; the capture's
/// output (packet lines, flow table, timelines, legend) goes to `out`, or, with
/// `-w -`, the pcap goes to `out` and everything else to `log`.
/// `drop_privileges` runs once the sockets and the `-w` file are open and
/// before anything reads from them; the line it returns goes to `log`.
pub fn run(
    kind: DemoKind,
    backend: CaptureBackend,
    opts: &OutputConfig,
    out: &mut dyn Write,
    log: &mut dyn Write,
    drop_privileges: &mut dyn FnMut() -> Result<String, String>,
) -> Result<()> {
    let bound = Servers::bind()?;
    let ports = bound.ports();
    let filter = Filter::parse(&ports.filter_expression())?;
    let capture = OpenCapture::open(&filter, backend);
    match &capture {
        Ok(_) => writeln!(
            log,
            "capturing on lo, ports {ports} (kernel filter), ready before the first client"
        )?,
        Err(e) => writeln!(
            log,
            "sockscope demo: cannot capture on lo: {e}\nThe endpoints and clients still run below; nothing is captured."
        )?,
    }
    // With -C/-G every file of the ring is created the same way, after
    // root is dropped (as `capture` and tcpdump do): a directory the user
    // cannot write into fails here, not at the first turn of the ring.
    let rotating = opts.rotate.is_some();
    let mut said = None;
    if rotating {
        said = Some(drop_privileges().map_err(DemoError::Privileges)?);
    }
    let write = match &opts.write {
        Some(path) => Some(
            Pipeline::open_write_target(
                path,
                opts.rotate.as_ref(),
                Some(LinkType::Ethernet),
                SNAPLEN,
                false,
            )
            .map_err(|e| match rotating {
                true => DemoError::RotatedAfterDrop(e),
                false => DemoError::from(e),
            })?,
        ),
        None => None,
    };
    let said = match said {
        Some(s) => s,
        None => drop_privileges().map_err(DemoError::Privileges)?,
    };
    writeln!(log, "{said}")?;
    let recorder = capture.map(Recorder::start);
    let servers = bound.start()?;
    let mut failed = 0;
    for sc in scenarios::scenarios(kind) {
        writeln!(log, "[{}] {}", sc.name, sc.what)?;
        if let Err(e) = (sc.run)(&servers, log) {
            failed += 1;
            writeln!(log, "    FAILED: {e}")?;
        }
    }
    servers.shutdown();
    let recorder = match recorder {
        Ok(r) => r,
        Err(_) => return Err(DemoError::NotCaptured),
    };
    let packets = recorder.finish()?;
    print_capture(&packets, kind, opts, write, out, log)?;
    if failed > 0 {
        return Err(DemoError::ScenariosFailed(failed));
    }
    Ok(())
}

/// The TCP sessions whose bytes the demo shows, by flow uid: the first
/// echo session (C1) and the coalescing scenario's with the TCP scenarios,
/// the talk session (the only flow) alone; the UDP and chat demos have none.
fn followed_sessions(kind: DemoKind) -> &'static [(u64, &'static str)] {
    match kind {
        DemoKind::All | DemoKind::Tcp => &[
            (1, "the first echo session"),
            (COALESCE_UID, "tcp-coalesce"),
        ],
        DemoKind::Talk => &[(1, "the talk session")],
        DemoKind::Udp | DemoKind::Chat => &[],
    }
}

/// The bytes each side of the [`followed_sessions`] sent, as `sockscope
/// follow --segments` shows them: where each segment's bytes begin, so
/// the writes that became one segment are visible.
fn follow_view(
    packets: &[OwnedPacket],
    kind: DemoKind,
    opts: &OutputConfig,
    out: &mut Vec<u8>,
) -> Result<()> {
    use crate::flow::reassembly::{ReassemblyConfig, StreamSelector};
    use crate::output::follow::FollowOptions;
    use crate::pipeline::FollowConfig;
    for &(uid, what) in followed_sessions(kind) {
        writeln!(
            out,
            "\nFollow C{uid} ({what}): the bytes each side sent, one mark per segment"
        )?;
        let cfg = OutputConfig {
            filter: opts.filter.clone(),
            checksums: crate::pipeline::ChecksumMode::Off,
            quiet: true,
            follow: Some(FollowConfig {
                printer: FollowOptions {
                    segments: true,
                    ..FollowOptions::default()
                },
                reassembly: ReassemblyConfig {
                    only: Some(StreamSelector::Uid(uid)),
                    ..ReassemblyConfig::default()
                },
            }),
            ..OutputConfig::default()
        };
        replay(Pipeline::new(&cfg, None)?, packets, out)?;
    }
    Ok(())
}

/// Run the captured packets through `pipeline` to its end.
fn replay(
    mut pipeline: Pipeline,
    packets: &[OwnedPacket],
    out: &mut dyn Write,
) -> Result<crate::pipeline::RunSummary> {
    for p in packets {
        let pkt = Packet {
            ts: p.ts,
            stamp: None,
            link: LinkType::Ethernet,
            data: &p.data,
            orig_len: p.orig_len,
        };
        pipeline.handle(&pkt, out)?;
    }
    Ok(pipeline.finish(out)?)
}

/// The coalescing scenario's flow: the sixth connection of `demo tcp`
/// (after normal, server-closes, abort, refused, half close).
const COALESCE_UID: u64 = 6;

/// Replay what was captured through the `read` pipeline, with flows and
/// timelines on, and keep it as a pcap when `-w` asks.
fn print_capture(
    packets: &[OwnedPacket],
    kind: DemoKind,
    opts: &OutputConfig,
    write: Option<crate::pipeline::WriteTarget>,
    out: &mut dyn Write,
    log: &mut dyn Write,
) -> Result<()> {
    // Text: packet lines, flow table, timelines. JSON: packet objects, or
    // flow objects (Zeek names) with --flows; no timelines in JSON.
    let mut shown = opts.clone();
    shown.flows = !opts.json || opts.flows;
    shown.timeline = !opts.json;
    // The filter already ran in the kernel (and selects every packet the
    // scenarios made); the user's own filter words narrow what is shown.
    let to_stdout = opts.write.as_deref().is_some_and(|p| p.as_os_str() == "-");
    let mut pipeline = Pipeline::new(&shown, write)?;
    // `-w` writes the packets instead of printing them (as in `capture`
    // and tcpdump); the flow table and timelines are still shown.
    pipeline.print_packets(opts.write.is_none() && !(opts.json && opts.flows));
    // The demo's capture is small: render it into memory, then send it to
    // stdout, or to the log when stdout carries the pcap.
    let mut text = Vec::new();
    let summary = replay(pipeline, packets, &mut text)?;
    if let Some(path) = &opts.write {
        writeln!(
            log,
            "wrote {} packets to {}",
            summary.written,
            if to_stdout {
                "stdout".to_string()
            } else {
                path.display().to_string()
            }
        )?;
    }
    if !opts.json {
        follow_view(packets, kind, opts, &mut text)?;
    }
    let text = String::from_utf8_lossy(&text);
    if to_stdout {
        // stdout carries the pcap: the text goes to the log (stderr).
        log.write_all(text.as_bytes())?;
    } else {
        out.write_all(text.as_bytes())?;
    }
    out.flush()?;
    Ok(())
}
