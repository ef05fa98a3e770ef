//! Load benchmark: 1,000 concurrent TCP clients × 100 messages against one
//! `sockscope serve tcp-echo` (the real binary, its own process), first alone,
//! then beside 10 misbehaving clients (4 connect and never send, 3 send 10 MiB
//! without a newline over and over, 3 send half a message and reset over and
//! over). Exits 1 unless every reply was correct, nothing failed, the server
//! survived and the misbehaving clients slowed the others by at most 2×.
//!
//!     cargo bench --bench endpoints_load
//!     CLIENTS=2000 MESSAGES=50 cargo bench --bench endpoints_load

#[path = "endpoints_common_server.rs"]
mod common_server;
#[path = "endpoints_load_driver.rs"]
mod driver;
#[path = "../support/mod.rs"]
mod support;

use common_server::{EchoProcess, env_num};
use driver::{LoadResult, Misbehavers, rss_kib, run_clients};
use sockscope::endpoints::tcp_exchange;
use std::sync::atomic::Ordering;
use std::time::Duration;

fn report(label: &str, r: &LoadResult) {
    println!(
        "{label:<28} {:>5} clients × {:>3} msgs  {:>8.3} s  {:>9.0} msg/s  p50 {:>6} µs  p99 {:>6} µs  max {:>7} µs  errors {}  wrong replies {}",
        r.clients,
        r.messages,
        r.elapsed.as_secs_f64(),
        r.per_sec(),
        r.p50.as_micros(),
        r.p99.as_micros(),
        r.max.as_micros(),
        r.errors,
        r.mismatches
    );
    if let Some(e) = &r.first_error {
        println!("  first error: {e}");
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a plain `cargo test` run of benches passes nothing useful.
    let clients = env_num("CLIENTS", 1000);
    let messages = env_num("MESSAGES", 100);
    let mut server = EchoProcess::start_default();
    let addr = server.addr;
    let pid = server.child.id();
    let (idle_rss, _) = rss_kib(pid).unwrap_or((0, 0));
    println!("tcp-echo server pid {pid} on {addr}, idle RSS {idle_rss} KiB");

    let clean = run_clients(addr, clients, messages);
    report("alone", &clean);
    let (peak_clean, _) = rss_kib(pid).unwrap_or((0, 0));

    let bad = Misbehavers::start(addr, 4, 3, 3);
    std::thread::sleep(Duration::from_millis(200));
    let noisy = run_clients(addr, clients, messages);
    report("beside 10 misbehaving", &noisy);
    let silent_open = bad.silent_still_open();
    let cut = bad.floods_cut.load(Ordering::Relaxed);
    let resets = bad.resets.load(Ordering::Relaxed);
    bad.stop();
    let alive = server.alive()
        && tcp_exchange(addr, &["still here"], Duration::from_secs(5))
            .map(|r| r == ["still here"])
            .unwrap_or(false);
    let (peak, rss) = rss_kib(pid).unwrap_or((0, 0));
    let ratio = noisy.elapsed.as_secs_f64() / clean.elapsed.as_secs_f64();
    println!(
        "misbehaving: {silent_open}/4 silent still connected, {cut} floods cut off, {resets} resets sent"
    );
    println!(
        "slowdown with misbehaving clients: {ratio:.2}× (limit 2×); server alive afterwards: {alive}"
    );
    println!(
        "server peak RSS (VmHWM): {peak_clean} KiB after the clean run, {peak} KiB overall; now {rss} KiB"
    );
    let ok = clean.errors == 0
        && clean.mismatches == 0
        && noisy.errors == 0
        && noisy.mismatches == 0
        && alive
        && silent_open == 4
        && ratio <= 2.0;
    if !ok {
        println!("FAILED");
        std::process::exit(1);
    }
    println!("ok");
}
