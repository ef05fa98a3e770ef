//! `sockscope capture`: open a live source, hand it to the same pipeline as
//! `read`, and print tcpdump's counters on stderr when it ends (Ctrl-C,
//! SIGTERM, `-c`, `--duration`, or an error such as the interface going down).

use super::OutputArgs;
use super::duration::parse_duration;
use crate::filter::{Filter, bpf};
use crate::pipeline::{self, Pipeline};
use crate::source::live::{CaptureBackend, DEFAULT_SNAPLEN, LiveOptions, LiveSource, StopHandle};
use crate::source::{PacketSource, SourceStats};
use crate::sys::signals;
use clap::{Args, ValueEnum};
use std::io::{BufWriter, IsTerminal, LineWriter, Write};
use std::time::Duration;

#[derive(Args, Debug, Clone)]
pub struct CaptureArgs {
    /// Interface to capture on (`any` for all, with Linux cooked headers).
    #[arg(short = 'i', long = "interface", default_value = "lo")]
    pub interface: String,
    /// Snap length: bytes kept of each packet.
    #[arg(short = 's', value_name = "SNAPLEN", default_value_t = 262144)]
    pub snaplen: u32,
    /// Don't put the interface into promiscuous mode.
    #[arg(short = 'p')]
    pub no_promisc: bool,
    /// Flush the pcap file after every packet (packet-buffered).
    #[arg(short = 'U')]
    pub packet_buffered: bool,
    /// Stop after this long (e.g. 10s, 500ms, 2m).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub duration: Option<Duration>,
    /// Kernel capture buffer (ring) size in KiB, like tcpdump -B (default 32768).
    #[arg(short = 'B', value_name = "KiB", value_parser = clap::value_parser!(u32).range(1..))]
    pub buffer_size: Option<u32>,
    /// Print the compiled BPF program and exit (like tcpdump -d).
    #[arg(short = 'd', long = "explain-filter")]
    pub explain_filter: bool,
    /// Capture engine: `ring` (TPACKET_V3 memory-mapped ring; falls back to
    /// pnet where the kernel has none) or `pnet` (pnet's channel, one read per
    /// packet: the portable path). Default: ring, or $SOCKSCOPE_CAPTURE_BACKEND.
    #[arg(long, value_enum, value_name = "BACKEND")]
    pub backend: Option<BackendArg>,
    #[command(flatten)]
    pub privileges: super::privileges::PrivilegeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `capture --backend` values.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendArg {
    Ring,
    Pnet,
}

pub fn run(args: &CaptureArgs) -> anyhow::Result<()> {
    let config = args.output.to_config()?;

    let mut opts = LiveOptions::new(args.interface.clone());
    opts.backend = match args.backend {
        Some(BackendArg::Ring) => CaptureBackend::Ring,
        Some(BackendArg::Pnet) => CaptureBackend::Pnet,
        None => super::env::capture_backend()
            .map_err(anyhow::Error::msg)?
            .unwrap_or_default(),
    };
    opts.snaplen = args.snaplen;
    opts.promisc = !args.no_promisc;
    if let Some(kib) = args.buffer_size {
        opts.buffer_bytes = kib as usize * 1024;
    }
    // The filter runs in the kernel (only matching packets are copied to us
    // and counted); where the kernel could not take the program (see
    // `LiveSource::kernel_filter_attached`) the pipeline runs it instead,
    // with `read`'s exact semantics.
    let link = opts.link_type()?;
    let filter = &config.filter;
    if args.explain_filter {
        let f = match &filter {
            Some(f) => f.clone(),
            None => Filter::parse("")?,
        };
        let prog = f
            .compile(link, effective_snaplen(args.snaplen))
            .map_err(|e| anyhow::anyhow!("filter '{f}' on link type {link}: {e}"))?;
        print!("{}", bpf::dump(&prog));
        return Ok(());
    }
    if let Some(f) = filter {
        f.check_link(link)
            .map_err(|e| anyhow::anyhow!("filter '{f}' on link type {link}: {e}"))?;
        let prog = f
            .compile(link, effective_snaplen(args.snaplen))
            .map_err(|e| anyhow::anyhow!("filter '{f}' on link type {link}: {e}"))?;
        // The kernel runs its filter before the VLAN tag the NIC took off is
        // put back, so `vlan` tests at fixed offsets would wrongly reject
        // tagged frames there: such filters run in user space only.
        if !mentions_vlan(f) {
            opts.bpf = Some(prog);
        }
    }

    let mut source = LiveSource::open(&opts)?;
    let write = match &args.output.write {
        Some(path) => Some(Pipeline::open_write_target(
            path,
            Some(source.link_type()),
            source.snaplen(),
            args.packet_buffered,
        )?),
        None => None,
    };
    // The socket and the -w file are open: nothing more needs root, and
    // from here on we parse what strangers sent.
    // Before dropping privileges: the Parquet files are created here, as
    // the -w file was above.
    let mut pipeline = Pipeline::new(&config, write)?;
    args.privileges.drop_now()?;
    pipeline.stream();
    pipeline.stats_on(signals::take_stats_request);
    if source.kernel_filter_attached() {
        pipeline.filter_done_in_kernel();
    }
    // Signals are handled before we say we are listening: a SIGTERM right
    // after that line must end the capture cleanly, not kill it.
    let stop = source.stop_handle();
    install_signal_handler(stop.clone());
    if let Some(d) = args.duration {
        stop_after(stop, d);
    }
    // The ring is the usual engine: only the other one is worth a mention.
    let engine = match source.backend() {
        CaptureBackend::Ring => "",
        CaptureBackend::Pnet => " (pnet backend)",
    };
    eprintln!(
        "sockscope: listening on {}, link-type {}, snapshot length {} bytes{engine}",
        source.interface(),
        source.link_type(),
        source.snaplen()
    );

    let to_stdout_pcap = args
        .output
        .write
        .as_deref()
        .is_some_and(|p| p.as_os_str() == "-");
    let stdout = std::io::stdout();
    let mut out: Box<dyn Write> = if to_stdout_pcap {
        // stdout carries the pcap: anything else we print goes to stderr.
        Box::new(LineWriter::new(std::io::stderr()))
    } else if stdout.is_terminal() {
        // Someone is watching: each packet line as it comes.
        Box::new(LineWriter::new(stdout.lock()))
    } else {
        Box::new(BufWriter::with_capacity(1 << 16, stdout.lock()))
    };
    let result = pipeline::run_with(&mut source, pipeline, &mut out);
    drop(out);
    let summary = match result {
        Ok(s) => s,
        Err(e) if e.is_broken_pipe() => {
            print_counters(source.captured(), &source.stats());
            return Ok(());
        }
        Err(e) => {
            print_counters(source.captured(), &source.stats());
            return Err(e.into());
        }
    };
    print_counters(summary.matched, &summary.source);
    match summary.source_error {
        Some(err) => Err(err.into()),
        None => Ok(()),
    }
}

fn mentions_vlan(f: &Filter) -> bool {
    f.to_string()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == "vlan")
}

/// `-s 0` means the default, as in tcpdump.
fn effective_snaplen(s: u32) -> u32 {
    if s == 0 { DEFAULT_SNAPLEN } else { s }
}

/// tcpdump's end-of-capture counters, on stderr.
fn print_counters(captured: u64, stats: &SourceStats) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{captured} packets captured");
    let _ = writeln!(err, "{} packets received by filter", stats.received);
    let _ = writeln!(
        err,
        "{} packets dropped by kernel",
        stats.dropped_by_kernel.unwrap_or(0)
    );
}

/// Ctrl-C and SIGTERM end the capture cleanly (the pipeline drains, flushes
/// the pcap file and the counters are printed). A second one while that is
/// still going (say, stdout is blocked) exits at once with 130.
pub(super) fn install_signal_handler(stop: StopHandle) {
    let handler = move || {
        if stop.is_stopped() {
            std::process::exit(130);
        }
        stop.stop();
    };
    let hup_ignored = signals::sighup_ignored();
    if let Err(e) = ctrlc::set_handler(handler) {
        // Only fails if a handler is already installed (library use).
        eprintln!("sockscope: warning: could not install the Ctrl-C handler: {e}");
    }
    // ctrlc takes SIGHUP too (its termination feature): under `nohup`, which
    // ignores it, the capture must go on as tcpdump's does.
    let kept = if hup_ignored {
        signals::ignore_sighup()
    } else {
        Ok(())
    };
    // SIGUSR1 prints the counters (tcpdump's habit) instead of killing us.
    if let Err(e) = kept.and_then(|()| signals::install_stats_handler()) {
        eprintln!("sockscope: warning: could not set up SIGHUP/SIGUSR1: {e}");
    }
}

fn stop_after(stop: StopHandle, d: Duration) {
    std::thread::spawn(move || {
        std::thread::sleep(d);
        stop.stop();
    });
}
