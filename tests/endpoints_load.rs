//! Bounded-time load test: 200 concurrent clients × 20 messages against the
//! real `sockscope serve tcp-echo`, alone and then beside misbehaving
//! clients. The full 1,000 × 100 run is `cargo bench --bench endpoints_load`.

mod support;

#[path = "bench/endpoints_common_server.rs"]
mod common_server;
#[path = "bench/endpoints_load_driver.rs"]
#[allow(dead_code)]
mod driver;

use common_server::EchoProcess;
use driver::{LoadResult, Misbehavers, rss_kib, run_clients};
use sockscope::endpoints::tcp_exchange;
use std::time::Duration;

/// No client saw an error or a wrong reply.
fn all_correct(r: &LoadResult) {
    assert_eq!(
        (r.errors, r.mismatches),
        (0, 0),
        "first error: {:?}",
        r.first_error
    );
}

#[test]
fn two_hundred_clients_every_reply_correct_even_beside_misbehaving_clients() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let mut server = EchoProcess::start(&[]);
    let addr = server.addr;

    let clean = run_clients(addr, 200, 20);
    all_correct(&clean);

    let bad = Misbehavers::start(addr, 4, 3, 3);
    std::thread::sleep(Duration::from_millis(100));
    let noisy = run_clients(addr, 200, 20);
    all_correct(&noisy);
    assert_eq!(
        bad.silent_still_open(),
        4,
        "idle clients closed before the idle timeout"
    );
    let (cut, resets) = (
        bad.floods_cut.load(std::sync::atomic::Ordering::Relaxed),
        bad.resets.load(std::sync::atomic::Ordering::Relaxed),
    );
    bad.stop();
    assert!(
        cut > 0,
        "no 10 MiB flood was cut off by the max message size"
    );
    assert!(resets > 0, "no reset was sent");
    assert!(server.alive(), "server died");
    assert_eq!(
        tcp_exchange(addr, &["still here"], Duration::from_secs(5)).unwrap(),
        ["still here"]
    );
    let (peak, _) = rss_kib(server.child.id()).expect("read /proc status");
    eprintln!(
        "clean: {:.0} msg/s ({:?}); with misbehavers: {:.0} msg/s ({:?}); floods cut {cut}, resets {resets}; server peak RSS {peak} KiB",
        clean.per_sec(),
        clean.elapsed,
        noisy.per_sec(),
        noisy.elapsed
    );
    // Memory stays bounded: 200 clients with small thread stacks, 64 KiB lines.
    assert!(peak < 256 * 1024, "server peak RSS {peak} KiB");
}
