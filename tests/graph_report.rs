//! `sockscope report` opens in a real browser: headless Chromium loads the
//! page from a file (no network), takes a screenshot, and logs every console
//! message to stderr (`--enable-logging=stderr --v=1`), where a script error
//! or a failed load would show as a `CONSOLE` line. The page must also be
//! self-contained: no `src=`/`href=` pointing off the page. Skips with a
//! reason when Chromium is missing; fails instead under `SOCKSCOPE_REQUIRE_LIVE=1`.

mod support;

use std::process::Command;
use support::bin::{sockscope, text};
use support::{capture, env_on, temp_file, tempdir};

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// Load `page` in headless Chromium; its stderr and the screenshot's size.
fn open_in_chromium(browser: &str, page: &std::path::Path) -> (String, u64) {
    let shot = page.with_extension("png");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=1",
            "--window-size=1200,2000",
        ])
        .arg(format!(
            "--user-data-dir={}",
            page.with_extension("profile").display()
        ))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let size = std::fs::metadata(&shot).map_or(0, |m| m.len());
    (text(&out.stderr), size)
}

#[test]
fn report_opens_in_headless_chromium_without_console_errors() {
    let Some(browser) = chromium() else {
        assert!(
            !env_on("SOCKSCOPE_REQUIRE_LIVE"),
            "chromium is missing and SOCKSCOPE_REQUIRE_LIVE=1 (apt-get install chromium)"
        );
        eprintln!("skipped: chromium is not installed (apt-get install chromium)");
        return;
    };
    let dir = tempdir();
    for name in [
        "demo_tcp.pcap",
        "tcp_lossy.pcap",
        "tcp_analysis_window.pcap",
    ] {
        let page = dir.join(name.replace(".pcap", ".html"));
        let path = page.to_str().unwrap();
        let out = sockscope(&["report", capture(name).to_str().unwrap(), "-o", path]);
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        let html = std::fs::read_to_string(&page).unwrap();
        for outside in ["src=\"http", "href=\"http", "@import", "url(", "<link"] {
            assert!(
                !html.contains(outside),
                "{name}: the page refers outside itself ({outside})"
            );
        }
        assert!(html.contains("<table class=\"flows\">") && html.contains("<svg"));
        let (log, shot) = open_in_chromium(browser, &page);
        let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
        assert!(
            console.is_empty(),
            "{name}: console messages:\n{}",
            console.join("\n")
        );
        assert!(shot > 10_000, "{name}: no screenshot ({shot} bytes)\n{log}");
    }
}

/// The check above can fail: a page with a script error is caught.
#[test]
fn a_script_error_is_caught_by_the_console_check() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: chromium is not installed");
        return;
    };
    let page = temp_file(
        "bad.html",
        "<html><body><script>nosuch();</script></body></html>",
    );
    let (log, _) = open_in_chromium(browser, &page);
    assert!(
        log.lines()
            .any(|l| l.contains(":CONSOLE") && l.contains("nosuch")),
        "{log}"
    );
}
