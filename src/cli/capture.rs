//! `sockscope capture`: open a live source, hand it to the same pipeline as
//! `read`, and print tcpdump's counters on stderr when it ends (Ctrl-C,
//! SIGTERM, `-c`, `--duration`, or an error such as the interface going down).

use super::OutputArgs;
use super::duration::parse_duration;
use crate::filter::{Filter, bpf};
use crate::packet::LinkType;
use crate::pipeline::summary::print_counters;
use crate::pipeline::{self, Pipeline};
use crate::source::PacketSource;
use crate::source::live::{
    CaptureBackend, DEFAULT_SNAPLEN, Direction, LiveOptions, LiveSource, StopHandle, list,
};
use crate::sys::signals;
use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

#[derive(Args, Debug, Clone)]
pub struct CaptureArgs {
    /// Interface to capture on: a name, `any` for all (Linux cooked
    /// headers), or its number in `sockscope interfaces` (as tcpdump -D
    /// numbers them). Default: as tcpdump, the first interface of that
    /// list (the first up, running, non-loopback one; `any` if none).
    #[arg(short = 'i', long = "interface", value_name = "IFACE")]
    pub interface: Option<String>,
    /// Which packets by direction: received (in), sent (out) or both
    /// (inout), as tcpdump's -Q. On `lo` every packet counts as received.
    #[arg(short = 'Q', long = "direction", value_enum, value_name = "DIR")]
    pub direction: Option<DirectionArg>,
    /// Hand packets over as they arrive (libpcap's immediate mode): the
    /// ring's blocks retire after 1 ms instead of 10 ms.
    #[arg(long)]
    pub immediate_mode: bool,
    /// List the link types the interface can be captured as, and exit
    /// (tcpdump -L).
    #[arg(short = 'L', long = "list-data-link-types")]
    pub list_link_types: bool,
    /// Capture as this link type (tcpdump -y): EN10MB on Ethernet and
    /// loopback interfaces, LINUX_SLL2 on `any` and other cooked ones.
    #[arg(short = 'y', long = "linktype", value_name = "TYPE")]
    pub link_type: Option<String>,
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
    /// Capture on N threads: N TPACKET_V3 rings in one PACKET_FANOUT group
    /// (flow hash, fragments reassembled first), one worker each; lines and
    /// the -w file come out in time order (a packet waits until every ring
    /// got past it, 500 ms at most). Default 1.
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: u16,
    /// With --threads and -w: one file per thread instead of one merged
    /// file: FILE with the thread's number before its extension
    /// (out.pcap → out.0.pcap, out.1.pcap …).
    #[arg(long, requires = "write")]
    pub split: bool,
    #[command(flatten)]
    pub privileges: super::privileges::PrivilegeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `capture -Q` values.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectionArg {
    In,
    Out,
    Inout,
}

/// `capture --backend` values.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendArg {
    Ring,
    Pnet,
}

pub fn run(args: &CaptureArgs) -> anyhow::Result<()> {
    let config = args.output.to_config()?;
    super::fanout::check(args, &config)?;
    let interface = interface_name(args.interface.as_deref())?;
    if args.list_link_types {
        return list_link_types(&interface);
    }

    let mut opts = LiveOptions::new(interface);
    opts.backend = match args.backend {
        Some(BackendArg::Ring) => CaptureBackend::Ring,
        Some(BackendArg::Pnet) => CaptureBackend::Pnet,
        None => super::env::capture_backend()
            .map_err(anyhow::Error::msg)?
            .unwrap_or_default(),
    };
    opts.snaplen = args.snaplen;
    opts.direction = match args.direction {
        Some(DirectionArg::In) => Direction::In,
        Some(DirectionArg::Out) => Direction::Out,
        Some(DirectionArg::Inout) | None => Direction::InOut,
    };
    opts.immediate = args.immediate_mode;
    // Only a file reads the packets (tcpdump prints no lines with -w): no
    // one waits for them until -U asks for each one at once.
    opts.unwatched = args
        .output
        .write
        .as_deref()
        .is_some_and(|p| p.as_os_str() != "-")
        && !args.packet_buffered;
    opts.promisc = !args.no_promisc;
    if let Some(kib) = args.buffer_size {
        opts.buffer_bytes = kib as usize * 1024;
    }
    // The filter runs in the kernel (only matching packets are copied to us
    // and counted); where the kernel could not take the program (see
    // `LiveSource::kernel_filter_attached`) the pipeline runs it instead,
    // with `read`'s exact semantics.
    let link = opts.link_type()?;
    if let Some(name) = &args.link_type {
        check_link_type(name, &opts.interface, link)?;
    }
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

    if args.threads > 1 {
        return super::fanout::run(args, &config, &opts);
    }

    let mut source = LiveSource::open(&opts)?;
    // With -C/-G the files are all opened the same way, after root is
    // dropped (as tcpdump does): a directory the user cannot write into
    // fails now, not at the first turn of the ring.
    let rotating = config.rotate.is_some();
    if rotating {
        args.privileges.drop_now()?;
    }
    let write = match &args.output.write {
        Some(path) => Some(open_target(
            args,
            &config,
            path,
            source.link_type(),
            source.snaplen(),
        )?),
        None => None,
    };
    // The socket and the -w file are open, and the pipeline creates the
    // Parquet files as the -w file was created (before root is dropped):
    // nothing more needs root, and from here on we parse what strangers sent.
    let mut pipeline = Pipeline::new(&config, write)?;
    if !rotating {
        args.privileges.drop_now()?;
    }
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
        source.link_type().tcpdump_words(),
        source.snaplen()
    );

    let ticker = args
        .output
        .write
        .as_deref()
        .is_some_and(|p| p.as_os_str() != "-")
        .then(|| {
            let written = Arc::new(AtomicU64::new(0));
            pipeline.count_written_into(written.clone());
            RunningCount::start(written)
        })
        .flatten();
    let mut out = args.output.packet_sink();
    let result = pipeline::run_with(&mut source, pipeline, &mut out);
    drop(out);
    if let Some(t) = ticker {
        t.finish();
    }
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
    if let Some(n) = summary.file_limit {
        eprintln!("Maximum file limit reached: {n}");
    }
    print_counters(summary.matched, &summary.source);
    match summary.source_error {
        Some(err) => Err(err.into()),
        None => Ok(()),
    }
}

/// Open `-w`'s `path` (the first of a `-C`/`-G` sequence) for packets of
/// `link`.
pub(super) fn open_target(
    args: &CaptureArgs,
    config: &pipeline::OutputConfig,
    path: &std::path::Path,
    link: LinkType,
    snaplen: u32,
) -> anyhow::Result<pipeline::WriteTarget> {
    let rotating = config.rotate.is_some();
    Pipeline::open_write_target(
        path,
        config.rotate.as_ref(),
        Some(link),
        snaplen,
        args.packet_buffered,
    )
    .map_err(|e| {
        let mut err = anyhow::Error::from(e);
        if rotating {
            err = err.context(
                "with -C/-G the files are created after root is dropped (as tcpdump \
                 does): write into a directory that user can write to, or keep root \
                 with --keep-root",
            );
        }
        err
    })
}

/// `-i`: a name as given, a number from `sockscope interfaces`, or (none)
/// the interface tcpdump would pick.
fn interface_name(arg: Option<&str>) -> anyhow::Result<String> {
    let Some(arg) = arg else {
        return Ok(list::default_interface());
    };
    // A number is an interface's position, unless an interface has that
    // name (tcpdump's rule too).
    match arg.parse::<usize>() {
        Ok(n) if crate::sys::if_nametoindex(arg).is_none() => list::interface_by_number(n)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "there is no interface number {n}: `sockscope interfaces` lists {} \
                     (numbered as tcpdump -D)",
                    list::capture_interfaces().len()
                )
            }),
        _ => Ok(arg.to_string()),
    }
}

/// `-L`: the link types this interface can be captured as. Unlike libpcap,
/// which can also deliver LINUX_SLL v1 on `any` and DOCSIS on Ethernet,
/// there is one each: what the socket gives.
fn list_link_types(interface: &str) -> anyhow::Result<()> {
    let link = LiveOptions::new(interface).link_type()?;
    println!("Data link types for {interface} (use option -y to set):");
    println!("  {} ({})", link.name(), link.description());
    Ok(())
}

/// `-y TYPE`: the one link type the interface gives, or an error that
/// names it (tcpdump's messages).
fn check_link_type(name: &str, interface: &str, link: LinkType) -> anyhow::Result<()> {
    if name.eq_ignore_ascii_case(link.name()) {
        return Ok(());
    }
    let known = (0..=300)
        .map(LinkType::from_number)
        .any(|l| l.name() != "unknown" && l.name().eq_ignore_ascii_case(name));
    if !known {
        anyhow::bail!("invalid data link type {name} (`-L` lists the ones {interface} has)");
    }
    anyhow::bail!(
        "{} is not one of the link types {interface} can be captured as: {} ({}) only",
        name.to_ascii_uppercase(),
        link.name(),
        link.description()
    )
}

/// `-w FILE` with a terminal on stderr: "Got N" once a second, as
/// tcpdump's `-w … -v` shows how many packets it wrote.
pub(super) struct RunningCount {
    done: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl RunningCount {
    /// Show `written` (which the pipeline keeps up to date) once a second.
    pub(super) fn start(written: Arc<AtomicU64>) -> Option<RunningCount> {
        if !std::io::stderr().is_terminal() {
            return None;
        }
        let done = Arc::new(AtomicBool::new(false));
        let stop = done.clone();
        let thread = std::thread::spawn(move || {
            let mut ticks = 0u32;
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(50));
                ticks += 1;
                if ticks.is_multiple_of(20) {
                    eprint!("Got {}\r", written.load(Ordering::Relaxed));
                }
            }
            eprintln!("Got {}", written.load(Ordering::Relaxed));
        });
        Some(RunningCount { done, thread })
    }

    /// The last count on a line of its own, before the counters.
    pub(super) fn finish(self) {
        self.done.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
    }
}

fn mentions_vlan(f: &Filter) -> bool {
    f.to_string()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == "vlan")
}

/// `-s 0` means the default, as in tcpdump.
pub(super) fn effective_snaplen(s: u32) -> u32 {
    if s == 0 { DEFAULT_SNAPLEN } else { s }
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

pub(super) fn stop_after(stop: StopHandle, d: Duration) {
    std::thread::spawn(move || {
        std::thread::sleep(d);
        stop.stop();
    });
}
