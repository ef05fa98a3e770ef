//! A talk endpoint driven from code instead of a keyboard: its input is a
//! pipe we write lines into, its status lines and the peer's messages are
//! collected in order, and the caller waits for a line before its next step,
//! so a scripted conversation puts the same segments on the wire every run
//! (the demo, tests).

use super::talk::TalkOptions;
use super::talk_tcp::{TcpTalkServer, tcp_talk_client};
use super::{EndpointError, Log};
use std::io::{self, PipeWriter, Write};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// A talk endpoint running on its own thread, fed through a pipe.
pub struct ScriptedTalk {
    input: Option<PipeWriter>,
    lines: Arc<Mutex<Vec<String>>>,
    thread: Option<JoinHandle<Result<(), EndpointError>>>,
    seen: usize,
}

impl ScriptedTalk {
    /// Runs `server` (its `log` and `out` are replaced by the collector).
    pub fn tcp_server(server: TcpTalkServer) -> io::Result<ScriptedTalk> {
        Self::start(move |log, input| {
            let mut server = server;
            server.opts.log = log.clone();
            server.opts.out = log;
            server.run(input)
        })
    }

    /// Runs a TCP talk client connected to `addr`.
    pub fn tcp_client(addr: SocketAddr, opts: TalkOptions) -> io::Result<ScriptedTalk> {
        Self::start(move |log, input| {
            let opts = TalkOptions {
                log: log.clone(),
                out: log,
                ..opts
            };
            tcp_talk_client(addr, &opts, input).map(|_| ())
        })
    }

    fn start(
        body: impl FnOnce(Log, io::PipeReader) -> Result<(), EndpointError> + Send + 'static,
    ) -> io::Result<ScriptedTalk> {
        let (reader, writer) = io::pipe()?;
        let (log, lines) = Log::collect();
        let thread = thread::Builder::new()
            .name("scripted talk".into())
            .spawn(move || body(log, reader))?;
        Ok(ScriptedTalk {
            input: Some(writer),
            lines,
            thread: Some(thread),
            seen: 0,
        })
    }

    /// Types `line` (a `\n` is added).
    pub fn say(&mut self, line: &str) -> io::Result<()> {
        match &mut self.input {
            Some(w) => writeln!(w, "{line}"),
            None => Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the input has already ended",
            )),
        }
    }

    /// Ends the input (Ctrl-D at a terminal).
    pub fn end_input(&mut self) {
        self.input = None;
    }

    /// Waits up to `timeout` for a line containing `needle` after the last
    /// one waited for; returns it.
    pub fn wait_for(&mut self, needle: &str, timeout: Duration) -> Result<String, EndpointError> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(lines) = self.lines.lock()
                && let Some((i, line)) = lines
                    .iter()
                    .enumerate()
                    .skip(self.seen)
                    .find(|(_, l)| l.contains(needle))
            {
                self.seen = i + 1;
                return Ok(line.clone());
            }
            if Instant::now() >= deadline {
                return Err(EndpointError::Usage(format!(
                    "talk: no line with {needle:?} within {} ms (got: {:?})",
                    timeout.as_millis(),
                    self.lines()
                )));
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// Everything collected so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Ends the input and waits up to `timeout` for the endpoint to finish;
    /// returns its result (a timeout if it is still running).
    pub fn finish(mut self, timeout: Duration) -> Result<(), EndpointError> {
        self.end_input();
        let deadline = Instant::now() + timeout;
        let Some(t) = self.thread.take() else {
            return Ok(());
        };
        while !t.is_finished() {
            if Instant::now() >= deadline {
                return Err(EndpointError::Usage(format!(
                    "talk: still running after {} ms",
                    timeout.as_millis()
                )));
            }
            thread::sleep(Duration::from_millis(5));
        }
        t.join()
            .unwrap_or_else(|_| Err(EndpointError::Usage("talk: the thread panicked".into())))
    }
}
