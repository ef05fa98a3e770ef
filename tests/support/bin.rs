//! Running the real binary (and tcpdump, the reference) as a user does:
//! one-shot runs with a fixed time zone, and long-running captures that
//! are started, waited for ("listening on …") and finished, with their
//! output kept for the failure message.

use super::env_on;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_sockscope");

/// A `sockscope serve ARGS` started: the child, the address its first
/// stderr line names ("sockscope: tcp-echo listening on ADDR (…)"), that
/// line, and the rest of its stderr for the caller to read or drain.
pub fn start_serve(
    args: &[&str],
) -> (
    Child,
    std::net::SocketAddr,
    String,
    BufReader<std::process::ChildStderr>,
) {
    let mut child = Command::new(BIN)
        .arg("serve")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sockscope serve starts");
    let mut err = BufReader::new(child.stderr.take().expect("piped stderr"));
    let mut first = String::new();
    err.read_line(&mut first).expect("serve's first line");
    let addr = first
        .split_whitespace()
        .nth(4)
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    (child, addr, first, err)
}

/// `sockscope ARGS` as a command, with a fixed time zone, a UTF-8 locale
/// (borders are ASCII otherwise) and no `COLUMNS` (which would fit the flow
/// table to a width even in a pipe): goldens do not depend on the shell.
pub fn command(args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .env("TZ", "UTC")
        .env("LC_ALL", "C.UTF-8")
        .env_remove("COLUMNS");
    c
}

/// Run `sockscope ARGS` with a fixed time zone.
pub fn sockscope(args: &[&str]) -> Output {
    command(args).output().expect("the sockscope binary runs")
}

/// [`sockscope`] run from the crate root, with arguments naming files
/// under it made relative: the names it prints (tcpdump's `reading from
/// file captures/…` line) are then the same on every machine, as goldens
/// need.
pub fn sockscope_from_root(args: &[&str]) -> Output {
    let root = super::root();
    let prefix = format!("{}/", root.display());
    let args: Vec<&str> = args
        .iter()
        .map(|a| a.strip_prefix(prefix.as_str()).unwrap_or(a))
        .collect();
    command(&args)
        .current_dir(&root)
        .output()
        .expect("the sockscope binary runs")
}

/// [`sockscope`], which must exit 0 (its stderr in the message if not).
pub fn sockscope_ok(args: &[&str]) -> Output {
    let out = sockscope(args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    out
}

/// [`sockscope`] with `head` then `args`, which must exit with `code`.
pub fn sockscope_exits(head: &[&str], args: &[&str], code: i32) -> Output {
    let all: Vec<&str> = head.iter().chain(args).copied().collect();
    let out = sockscope(&all);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{all:?}: {}",
        text(&out.stderr)
    );
    out
}

/// Every one of `needles` is in `text`.
pub fn assert_contains_all(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "{needle:?} in\n{text}");
    }
}

/// Bytes as text, for messages.
/// `sockscope read PATH --json`: one object per packet, in order (packet
/// N is index N-1).
pub fn packets_json(path: &str) -> Vec<serde_json::Value> {
    text(&sockscope(&["read", path, "--json"]).stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// stdout, stderr and the exit code in one text, for golden files.
pub fn transcript(out: &Output) -> String {
    format!(
        "{}--- stderr ---\n{}--- exit {} ---\n",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        out.status.code().unwrap_or(-1)
    )
}

/// `sockscope read FILE`'s packet lines; the run must succeed.
pub fn read_lines(file: &Path) -> String {
    let out = sockscope(&["read", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Whether `name` is on the PATH.
pub fn have_tool(name: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether `name` is on the PATH; without it, prints why the test (or the
/// part of it that needs the tool) is skipped, and fails instead under
/// SOCKSCOPE_REQUIRE_LIVE=1 (CI installs the tools).
pub fn require_tool(name: &str) -> bool {
    if have_tool(name) {
        return true;
    }
    assert!(
        !env_on("SOCKSCOPE_REQUIRE_LIVE"),
        "{name} is required under SOCKSCOPE_REQUIRE_LIVE=1 (install it)"
    );
    eprintln!("SKIPPED: {name} is not installed");
    false
}

/// `tcpdump -n -r FILE ARGS` (TZ=UTC), as it ended.
pub fn tcpdump(file: &str, args: &[&str]) -> Output {
    Command::new("tcpdump")
        .args(["-n", "-r", file])
        .args(args)
        .env("TZ", "UTC")
        .output()
        .expect("tcpdump runs")
}

/// `tcpdump -n -r FILE` (TZ=UTC); the run must succeed.
pub fn tcpdump_read(file: &Path) -> String {
    let out = Command::new("tcpdump")
        .args(["-n", "-r"])
        .arg(file)
        .env("TZ", "UTC")
        .output()
        .expect("tcpdump runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// Send `sig` (libc::SIGTERM, SIGINT …) to a child we started; no dependency
/// on a `kill` binary.
pub fn signal(child: &Child, sig: libc::c_int) {
    // SAFETY: kill(2) on the pid of our own child process.
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, sig) };
    assert_eq!(rc, 0, "kill: {}", std::io::Error::last_os_error());
}

/// The name of a signal the tests send, for failure messages.
fn signal_name(sig: libc::c_int) -> String {
    match sig {
        libc::SIGINT => "SIGINT".into(),
        libc::SIGTERM => "SIGTERM".into(),
        libc::SIGHUP => "SIGHUP".into(),
        libc::SIGUSR1 => "SIGUSR1".into(),
        libc::SIGKILL => "SIGKILL".into(),
        n => format!("signal {n}"),
    }
}

/// A running capture that said "listening on …" on stderr; the rest of its
/// stderr is read in the background.
pub struct Listening {
    pub child: Child,
    lines: Receiver<String>,
    /// The stderr lines up to and including the "listening on" one.
    pub head: Vec<String>,
    /// The command line, for failure messages.
    what: String,
}

impl Listening {
    /// Spawn `cmd` with pipes and wait (10 s at most) for "listening on".
    pub fn start(mut cmd: Command) -> Listening {
        let what = std::iter::once(cmd.get_program())
            .chain(cmd.get_args())
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ");
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn sockscope");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut head = Vec::new();
        loop {
            let Ok(line) = lines.recv_timeout(Duration::from_secs(10)) else {
                let _ = child.kill();
                let _ = child.wait();
                panic!("no 'listening on' line; stderr so far: {head:#?}");
            };
            let done = line.contains("listening on");
            head.push(line);
            if done {
                return Listening {
                    child,
                    lines,
                    head,
                    what,
                };
            }
        }
    }

    /// [`Listening::start`], where "listening on" must be the first line.
    pub fn start_quiet(cmd: Command) -> Listening {
        let l = Listening::start(cmd);
        assert_eq!(
            l.head.len(),
            1,
            "said something before listening: {:#?}",
            l.head
        );
        l
    }

    pub fn signal(&self, sig: libc::c_int) {
        signal(&self.child, sig)
    }

    /// Wait for the exit; kill it and fail after `within`.
    pub fn wait_exit(&mut self, within: Duration) -> i32 {
        self.wait_status(within, "").code().unwrap_or(-1)
    }

    /// The exit status; kill it and fail after `within` (of `after`, for
    /// the message).
    fn wait_status(&mut self, within: Duration, after: &str) -> std::process::ExitStatus {
        let t = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if t.elapsed() > within {
                let _ = self.child.kill();
                panic!("`{}` did not exit within {within:?}{after}", self.what);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The stderr lines after the head, until it falls silent.
    pub fn rest(&self) -> String {
        let mut s = String::new();
        while let Ok(l) = self.lines.recv_timeout(Duration::from_secs(2)) {
            s.push_str(&l);
            s.push('\n');
        }
        s
    }

    /// Wait for the exit (10 s at most): (exit code, stdout (empty if taken
    /// before), rest of stderr).
    pub fn finish(self) -> (i32, Vec<u8>, String) {
        let (status, out, err) = self.finish_within(Duration::from_secs(10), "");
        (status.code().unwrap_or(-1), out, err)
    }

    fn finish_within(
        mut self,
        within: Duration,
        after: &str,
    ) -> (std::process::ExitStatus, Vec<u8>, String) {
        // (None if the caller took stdout to read it as it came.)
        let stdout = self.child.stdout.take();
        let reader = std::thread::spawn(move || {
            let mut v = Vec::new();
            if let Some(mut stdout) = stdout {
                stdout.read_to_end(&mut v).unwrap();
            }
            v
        });
        let status = self.wait_status(within, after);
        let out = reader.join().unwrap();
        (status, out, self.rest())
    }

    /// Stop it the way a user does: send `sig`, wait for the exit (10 s at
    /// most) and require exit code 0. Gives (stdout, rest of stderr); the
    /// failure names the command, the signal, the exit status and stderr.
    pub fn stop_ok(self, sig: libc::c_int) -> (Vec<u8>, String) {
        self.stop_ok_within(sig, Duration::from_secs(10))
    }

    /// [`Listening::stop_ok`], with the exit due within `within`.
    pub fn stop_ok_within(self, sig: libc::c_int, within: Duration) -> (Vec<u8>, String) {
        self.signal(sig);
        let what = self.what.clone();
        let after = format!(" of {}", signal_name(sig));
        let (status, out, err) = self.finish_within(within, &after);
        assert!(
            status.success(),
            "`{what}` after {}: {status}; stderr:\n{err}",
            signal_name(sig)
        );
        (out, err)
    }
}
