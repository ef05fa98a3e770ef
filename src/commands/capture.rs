//! `sockscope capture`: open a live source, hand it to the same pipeline as
//! `read`, and print tcpdump's counters on stderr when it ends (Ctrl-C,
//! SIGTERM, `-c`, `--duration`, or an error such as the interface going down).

use crate::cli::{BackendArg, CaptureArgs, parse_duration};
use crate::filter::{Filter, bpf};
use crate::pipeline::{self, Pipeline};
use crate::source::live::{CaptureBackend, DEFAULT_SNAPLEN, LiveOptions, LiveSource, StopHandle};
use crate::source::{PacketSource, SourceStats};
use std::io::{BufWriter, IsTerminal, LineWriter, Write};
use std::time::Duration;

pub fn run(args: &CaptureArgs) -> anyhow::Result<()> {
    let duration = args
        .duration
        .as_deref()
        .map(parse_duration)
        .transpose()
        .map_err(anyhow::Error::msg)?;

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
    let filter = pipeline::parse_filter(&args.output.filter)?;
    if args.explain_filter {
        let f = match &filter {
            Some(f) => f.clone(),
            None => Filter::parse("").map_err(|e| anyhow::anyhow!("{e}"))?,
        };
        let prog = f
            .compile(link, effective_snaplen(args.snaplen))
            .map_err(|e| anyhow::anyhow!("filter '{f}' on link type {link}: {e}"))?;
        print!("{}", bpf::dump(&prog));
        return Ok(());
    }
    if let Some(f) = &filter {
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
    let mut pipeline = Pipeline::new(&args.output, write)?;
    if source.kernel_filter_attached() {
        pipeline.filter_done_in_kernel();
    }
    // Signals are handled before we say we are listening: a SIGTERM right
    // after that line must end the capture cleanly, not kill it.
    let stop = source.stop_handle();
    install_signal_handler(stop.clone());
    if let Some(d) = duration {
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
        Err(e) if is_broken_pipe(&e) => {
            print_counters(source.captured(), &source.stats());
            return Ok(());
        }
        Err(e) => {
            print_counters(source.captured(), &source.stats());
            return Err(e);
        }
    };
    print_counters(summary.matched, &summary.source);
    if let Some(err) = summary.source_error {
        anyhow::bail!("{err}");
    }
    Ok(())
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

/// `sockscope capture | head` must end quietly, as tcpdump does.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Ctrl-C and SIGTERM end the capture cleanly (the pipeline drains, flushes
/// the pcap file and the counters are printed). A second one while that is
/// still going (say, stdout is blocked) exits at once with 130.
fn install_signal_handler(stop: StopHandle) {
    let handler = move || {
        if stop.is_stopped() {
            std::process::exit(130);
        }
        stop.stop();
    };
    if let Err(e) = ctrlc::set_handler(handler) {
        // Only fails if a handler is already installed (library use).
        eprintln!("sockscope: warning: could not install the Ctrl-C handler: {e}");
    }
}

fn stop_after(stop: StopHandle, d: Duration) {
    std::thread::spawn(move || {
        std::thread::sleep(d);
        stop.stop();
    });
}
