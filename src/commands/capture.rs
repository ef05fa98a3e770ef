//! `sockscope capture`: open a live source, hand it to the same pipeline as
//! `read`, and print tcpdump's counters on stderr when it ends (Ctrl-C,
//! SIGTERM, `-c`, `--duration`, or an error such as the interface going down).

use crate::cli::{CaptureArgs, parse_duration};
use crate::pipeline;
use crate::source::PacketSource;
use crate::source::live::{LiveOptions, LiveSource, StopHandle};
use anyhow::Context;
use std::io::Write;
use std::time::Duration;

pub fn run(args: &CaptureArgs) -> anyhow::Result<()> {
    let duration = args
        .duration
        .as_deref()
        .map(parse_duration)
        .transpose()
        .map_err(anyhow::Error::msg)?;

    let mut opts = LiveOptions::new(args.interface.clone());
    opts.snaplen = args.snaplen;
    opts.promisc = !args.no_promisc;
    if let Some(kib) = args.buffer_size {
        opts.buffer_bytes = kib as usize * 1024;
    }
    // The kernel-side filter is attached here once the filter compiler is
    // wired in (`opts.bpf = Some(filter.compile(opts.filter_link_type()?, snaplen)?)`).
    if !args.output.filter.is_empty() || args.explain_filter {
        anyhow::bail!("capture filters are not supported by this build yet");
    }

    let mut source = LiveSource::open(&opts)?;
    eprintln!(
        "sockscope: listening on {}, link-type {}, snapshot length {} bytes",
        source.interface(),
        source.link_type(),
        source.snaplen()
    );

    let stop = source.stop_handle();
    install_signal_handler(stop.clone());
    if let Some(d) = duration {
        stop_after(stop, d);
    }

    let result = {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        pipeline::run(&mut source, &args.output, &mut out)
    };
    let captured = match &result {
        Ok(summary) => summary.packets,
        Err(_) => source.captured(),
    };
    let stats = source.stats();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{captured} packets captured");
    let _ = writeln!(err, "{} packets received by filter", stats.received);
    let _ = writeln!(
        err,
        "{} packets dropped by kernel",
        stats.dropped_by_kernel.unwrap_or(0)
    );
    result
        .map(|_| ())
        .with_context(|| format!("capture on {}", args.interface))
}

/// Ctrl-C and SIGTERM end the capture cleanly (the pipeline drains, flushes
/// the pcap file and the counters are printed). A second signal is ignored by
/// the handler, so a stuck run can still be killed with SIGKILL.
fn install_signal_handler(stop: StopHandle) {
    if let Err(e) = ctrlc::set_handler(move || stop.stop()) {
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
