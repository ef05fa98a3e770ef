//! `capture --threads N` (N > 1): open the rings of one PACKET_FANOUT
//! group, the `-w` file (merged, or one per thread with `--split`), run
//! the workers (`pipeline::fanout`) and print tcpdump's counters summed
//! over the rings, then each ring's share.

use super::capture::{CaptureArgs, RunningCount, install_signal_handler, open_target, stop_after};
use crate::output::fmt::count;
use crate::pipeline::OutputConfig;
use crate::pipeline::fanout::{self, FanoutRun, FanoutSummary, Writing};
use crate::pipeline::summary::print_counters;
use crate::source::live::{LiveOptions, open_fanout};
use crate::sys::signals;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

/// `--split`'s name for thread `i`'s file: `i` before the extension
/// (`out.pcap` → `out.0.pcap`), or after the name when it has none.
pub fn split_name(path: &Path, i: usize) -> PathBuf {
    match (path.file_stem(), path.extension()) {
        (Some(stem), Some(ext)) => path.with_file_name(format!(
            "{}.{i}.{}",
            stem.to_string_lossy(),
            ext.to_string_lossy()
        )),
        _ => PathBuf::from(format!("{}.{i}", path.display())),
    }
}

/// Refuse, before anything is opened, what several threads cannot do.
pub fn check(args: &CaptureArgs, config: &OutputConfig) -> anyhow::Result<()> {
    let n = args.threads;
    if n < 2 {
        if args.split {
            anyhow::bail!("--split writes one file per thread: it needs --threads 2 or more");
        }
        return Ok(());
    }
    if let Some(what) = fanout::unsupported(config) {
        anyhow::bail!("--threads {n} cannot be used with {what} yet: capture with --threads 1");
    }
    let to_stdout = args
        .output
        .write
        .as_deref()
        .is_some_and(|p| p == Path::new("-"));
    if args.split && config.count.is_some() && (config.flows || config.timeline) {
        anyhow::bail!(
            "-c with --flows/--timeline counts packets in time order: drop --split to write one \
             merged file"
        );
    }
    if args.split && (config.flows_parquet.is_some() || config.packets_parquet.is_some()) {
        anyhow::bail!(
            "--split with Parquet output: the rows point into one pcap file; drop --split to \
             write one merged file"
        );
    }
    if args.split && to_stdout {
        anyhow::bail!("--split writes one file per thread: it needs a file name, not -w -");
    }
    Ok(())
}

pub fn run(args: &CaptureArgs, config: &OutputConfig, opts: &LiveOptions) -> anyhow::Result<()> {
    let n = usize::from(args.threads);
    let sources = open_fanout(opts, n)?;
    let Some(first) = sources.first() else {
        anyhow::bail!("no capture ring could be opened");
    };
    let (link, snaplen, in_kernel) = (
        first.link_type(),
        first.snaplen(),
        first.kernel_filter_attached(),
    );
    let (interface, stop) = (first.interface().to_string(), first.stop_handle());
    if args.split && config.count.is_some() && config.filter.is_some() && !in_kernel {
        anyhow::bail!(
            "-c with --split needs a filter the kernel runs (this one runs in user space): \
             drop --split to write one merged file"
        );
    }
    let rotating = config.rotate.is_some();
    if rotating {
        args.privileges.drop_now()?;
    }
    let mut write = match &args.output.write {
        None => Writing::None,
        Some(path) if args.split => Writing::Split(
            (0..n)
                .map(|i| open_target(args, config, &split_name(path, i), link, snaplen))
                .collect::<anyhow::Result<_>>()?,
        ),
        Some(path) => Writing::Merged(open_target(args, config, path, link, snaplen)?),
    };
    // It creates the Parquet files, as one thread's pipeline does, before
    // root is dropped.
    let parquet = fanout::parquet_pipeline(config, &mut write)?;
    if !rotating {
        args.privileges.drop_now()?;
    }
    install_signal_handler(stop.clone());
    if let Some(d) = args.duration {
        stop_after(stop, d);
    }
    eprintln!(
        "sockscope: listening on {interface}, link-type {}, snapshot length {snaplen} bytes \
         ({n} threads, one ring each in a fanout group)",
        link.tcpdump_words()
    );
    let written = Arc::new(AtomicU64::new(0));
    let ticker = args
        .output
        .write
        .as_deref()
        .is_some_and(|p| p.as_os_str() != "-")
        .then(|| RunningCount::start(written.clone()))
        .flatten();
    let mut out = args.output.packet_sink();
    let run = FanoutRun {
        opts: config,
        write,
        filter_done_in_kernel: in_kernel,
        written: Some(written),
        stats_request: Some(signals::take_stats_request),
        parquet,
        unwatched: opts.unwatched,
    };
    let result = fanout::run_fanout(sources, run, &mut out);
    drop(out);
    if let Some(t) = ticker {
        t.finish();
    }
    let total = match result {
        Ok(s) => s,
        Err(e) if e.is_broken_pipe() => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if let Some(n) = total.summary.file_limit {
        eprintln!("Maximum file limit reached: {n}");
    }
    print_counters(total.summary.matched, &total.summary.source);
    print_rings(&total);
    match total.summary.source_error {
        Some(err) => Err(err.into()),
        None => Ok(()),
    }
}

/// Each ring's share after tcpdump's counters, and packets that came
/// later than the reordering window, if any.
fn print_rings(total: &FanoutSummary) {
    let mut err = std::io::stderr().lock();
    for (i, r) in total.rings.iter().enumerate() {
        let _ = writeln!(
            err,
            "ring {i}: {} captured, {} received by filter, {} dropped by kernel",
            count(r.captured, "packet"),
            r.stats.received,
            r.stats.dropped_by_kernel.unwrap_or(0)
        );
    }
    if total.late > 0 {
        let _ = writeln!(
            err,
            "{} written out of time order (a ring handed them over after the others had got \
             past them, or more than {} ms late)",
            count(total.late, "packet"),
            fanout::REORDER_WINDOW.as_millis()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_names_put_the_thread_before_the_extension() {
        assert_eq!(
            split_name(Path::new("out.pcap"), 0),
            Path::new("out.0.pcap")
        );
        assert_eq!(
            split_name(Path::new("/d/x.y.pcap"), 3),
            Path::new("/d/x.y.3.pcap")
        );
        assert_eq!(split_name(Path::new("out"), 1), Path::new("out.1"));
    }
}
