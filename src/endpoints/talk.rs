//! What the talk endpoints share, whatever the transport: their options, the
//! events their one loop handles, what the operator typed (text, `@N text`,
//! `/who`, `/close`), the one-time explanation of an unsent empty line, and
//! how a peer's message is printed (time, sender, control characters escaped
//! so a peer's bytes cannot drive our terminal).
//!
//! Each talk endpoint is one loop over an event channel: a thread reads the
//! operator's lines (framed by [`LineReader`], so a line is one message
//! however the input arrives), a thread per connection (TCP) or one for the
//! socket (UDP) reads the peer's messages, and the loop decides. Nothing
//! waits in lock-step: either side may speak first.

use super::Log;
use super::framing::{Frame, LineReader};
use std::io::{self, Read};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc::Sender;
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Options for the talk servers and clients; `Default` gives the CLI's.
#[derive(Clone, Debug)]
pub struct TalkOptions {
    /// Server: serve several clients at once, replies addressed with `@N`.
    /// Otherwise one at a time: the next client waits in the listen backlog.
    pub concurrent: bool,
    /// TCP server: set `SO_REUSEADDR` (bind again while old connections sit
    /// in TIME_WAIT).
    pub reuse_addr: bool,
    /// Longest line accepted from the peer or the operator, without `\n`.
    pub max_message: usize,
    /// TCP client: how long connecting may take. UDP: after our input
    /// ends, how long we still print what arrives.
    pub timeout: Duration,
    /// A send that cannot go on for this long (the peer does not read)
    /// gives up on that peer.
    pub send_timeout: Duration,
    /// Status lines: connects, closes, explanations.
    pub log: Log,
    /// The peer's messages, one line each.
    pub out: Log,
}

impl Default for TalkOptions {
    fn default() -> Self {
        TalkOptions {
            concurrent: false,
            reuse_addr: true,
            max_message: 4 << 20,
            timeout: Duration::from_secs(5),
            send_timeout: Duration::from_secs(10),
            log: Log::stderr(),
            out: Log::to_fn(|line| {
                use std::io::Write;
                // A closed stdout (`| head`) must not kill the conversation.
                let _ = writeln!(io::stdout().lock(), "{line}");
            }),
        }
    }
}

/// How a talk client's conversation ended without an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TalkEnd {
    /// The peer closed (FIN) while our side was open; we closed ours.
    PeerClosed,
    /// We closed first (our input ended), the peer closed after.
    BothClosed,
    /// UDP: our input ended and the wait for late messages is over.
    InputEnded,
}

/// Why the peer's side of a conversation ended.
#[derive(Debug)]
pub(crate) enum PeerEnd {
    /// `recv` returned 0: a FIN, the peer sends nothing more.
    Fin,
    /// ECONNRESET: an RST, the peer aborted or was gone.
    Reset,
    /// A line over the size limit.
    TooLong,
    /// ECONNREFUSED on a connected UDP socket: ICMP port unreachable.
    Unreachable,
    Io(io::Error),
}

impl PeerEnd {
    pub(crate) fn from_error(e: io::Error) -> PeerEnd {
        match e.kind() {
            io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe => PeerEnd::Reset,
            io::ErrorKind::ConnectionRefused => PeerEnd::Unreachable,
            _ => PeerEnd::Io(e),
        }
    }
}

/// Everything a talk loop reacts to, in the order it happened.
pub(crate) enum Event {
    /// One line the operator typed, without its `\n`.
    Typed(Vec<u8>),
    /// The operator's input is over; the text says why when it is not EOF.
    InputEnd(Option<String>),
    /// TCP server: a new connection.
    Accepted(TcpStream, SocketAddr),
    /// A message from connection `id` (TCP).
    Heard(u64, Vec<u8>),
    /// Connection `id`'s peer side ended (TCP), or the socket failed (UDP, id 0).
    Ended(u64, PeerEnd),
    /// A datagram from `peer` (UDP).
    Datagram(SocketAddr, Vec<u8>),
}

/// Reads the operator's lines on a thread; ends with [`Event::InputEnd`].
/// The thread ends at the input's end or when the loop has gone.
pub(crate) fn spawn_input(
    mut input: impl Read + Send + 'static,
    max: usize,
    tx: Sender<Event>,
) -> io::Result<()> {
    thread::Builder::new()
        .name("talk input".into())
        .spawn(move || {
            let mut reader = LineReader::new(max, 64 * 1024);
            let end = loop {
                match reader.next(&mut input) {
                    Ok(Frame::Line) => {
                        if tx.send(Event::Typed(reader.line().to_vec())).is_err() {
                            return;
                        }
                    }
                    Ok(Frame::Last) => {
                        let _ = tx.send(Event::Typed(reader.line().to_vec()));
                        break None;
                    }
                    Ok(Frame::Eof) => break None,
                    Ok(Frame::TooLong) => {
                        break Some(format!(
                            "an input line is longer than {max} bytes (--max-message); input stops here"
                        ));
                    }
                    Err(e) => break Some(format!("cannot read input: {e}")),
                }
            };
            let _ = tx.send(Event::InputEnd(end));
        })
        .map(|_| ())
}

/// Reads one TCP connection's lines on a thread: [`Event::Heard`] per line,
/// then one [`Event::Ended`].
pub(crate) fn spawn_reader(
    id: u64,
    mut stream: TcpStream,
    max: usize,
    tx: Sender<Event>,
) -> io::Result<()> {
    thread::Builder::new()
        .name(format!("talk reader {id}"))
        .stack_size(256 * 1024)
        .spawn(move || {
            let mut reader = LineReader::new(max, 64 * 1024);
            let end = loop {
                match reader.next(&mut stream) {
                    Ok(Frame::Line) => {
                        if tx.send(Event::Heard(id, reader.line().to_vec())).is_err() {
                            return;
                        }
                    }
                    Ok(Frame::Last) => {
                        let _ = tx.send(Event::Heard(id, reader.line().to_vec()));
                        break PeerEnd::Fin;
                    }
                    Ok(Frame::Eof) => break PeerEnd::Fin,
                    Ok(Frame::TooLong) => break PeerEnd::TooLong,
                    Err(e) => break PeerEnd::from_error(e),
                }
            };
            let _ = tx.send(Event::Ended(id, end));
        })
        .map(|_| ())
}

/// What an operator's line asks for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Typed<'a> {
    /// Text to send, to peer `to` when addressed with `@N`.
    Say { to: Option<u64>, text: &'a [u8] },
    /// An empty line: never sent.
    Empty,
    /// `/who`: list the peers.
    Who,
    /// `/close [N]`: close our side of a connection.
    Close(Option<u64>),
    /// A `/word` we do not know, or `@` without a number.
    Unknown(String),
}

/// Reads an operator's line. With `commands` (servers), `/who`, `/close [N]`
/// and `@N text` are understood and `//text` sends `/text`; a client sends
/// every line as typed.
pub(crate) fn parse_typed(line: &[u8], commands: bool) -> Typed<'_> {
    // A terminal in CRLF mode, or a Windows file, ends lines with \r\n.
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.is_empty() {
        return Typed::Empty;
    }
    if !commands {
        return Typed::Say {
            to: None,
            text: line,
        };
    }
    if line.starts_with(b"//") {
        return Typed::Say {
            to: None,
            text: line.strip_prefix(b"/").unwrap_or(line),
        };
    }
    let text = String::from_utf8_lossy(line);
    let mut words = text.split_whitespace();
    match words.next() {
        Some("/who") => Typed::Who,
        Some("/close") => match words.next().map(|w| w.trim_start_matches('#').parse()) {
            None => Typed::Close(None),
            Some(Ok(n)) => Typed::Close(Some(n)),
            Some(Err(_)) => Typed::Unknown("/close takes a client number (see /who)".into()),
        },
        Some(w) if w.starts_with('/') => Typed::Unknown(format!(
            "unknown command {w} (/who, /close [N]; start a line with // to send it beginning with /)"
        )),
        _ => match line.strip_prefix(b"@") {
            Some(rest) => {
                let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
                let (number, text) = rest.split_at_checked(digits).unwrap_or((b"", rest));
                let n = std::str::from_utf8(number)
                    .ok()
                    .and_then(|d| d.parse().ok());
                let text = text.strip_prefix(b" ").unwrap_or(text);
                match n {
                    Some(n) if !text.is_empty() => Typed::Say { to: Some(n), text },
                    _ => Typed::Unknown("address a peer as @N text (see /who)".into()),
                }
            }
            None => Typed::Say {
                to: None,
                text: line,
            },
        },
    }
}

/// Says once per conversation why an empty line is not sent.
#[derive(Default)]
pub(crate) struct EmptyLine {
    explained: bool,
}

impl EmptyLine {
    pub(crate) fn skip(&mut self, log: &Log, udp: bool) {
        if std::mem::replace(&mut self.explained, true) {
            return;
        }
        if udp {
            log.line(format_args!(
                "* empty line not sent: it would be a zero-byte datagram, which carries nothing \
                 to read (said once; later empty lines are skipped quietly)"
            ));
        } else {
            log.line(format_args!(
                "* empty line not sent: send() of zero bytes puts nothing on the wire, so a peer \
                 blocked in recv() would wait for ever, and recv() returning zero bytes means \
                 \"closed\" (said once; later empty lines are skipped quietly)"
            ));
        }
    }
}

/// One line for a peer's message: `[HH:MM:SS.mmm] SENDER: text`, the text
/// with control characters escaped.
pub(crate) fn print_heard(out: &Log, sender: &str, msg: &[u8]) {
    out.line(format_args!("[{}] {sender}: {}", clock(), Printable(msg)));
}

/// The local time of day, `HH:MM:SS.mmm` (the zone from `TZ`, as packet lines).
fn clock() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let offset = crate::output::time::local_offset(now.as_secs());
    let secs = (now.as_secs() as i64 + offset).rem_euclid(86_400);
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        now.subsec_millis()
    )
}

/// A peer's bytes made safe for a terminal: invalid UTF-8 becomes U+FFFD,
/// control characters (C0, DEL, C1: escape sequences, carriage returns,
/// bells, backspaces) and bidirectional overrides are written as escapes.
pub struct Printable<'a>(pub &'a [u8]);

impl std::fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write;
        for c in String::from_utf8_lossy(self.0).chars() {
            let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            match c {
                '\t' => f.write_str("\\t")?,
                '\r' => f.write_str("\\r")?,
                '\n' => f.write_str("\\n")?,
                c if (c as u32) < 0x100 && c.is_control() => write!(f, "\\x{:02x}", c as u32)?,
                c if bidi => write!(f, "\\u{{{:04x}}}", c as u32)?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// `addr` with its number, as `/who` and the status lines name a peer.
pub(crate) fn peer_name(id: u64, addr: SocketAddr) -> String {
    format!("#{id} {addr}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_printable_escapes_what_drives_a_terminal() {
        let s = Printable(b"hi\x1b[2J\x07\r\tok\x7f \xc2\x9b \xe2\x80\xae \xff").to_string();
        assert_eq!(s, "hi\\x1b[2J\\x07\\r\\tok\\x7f \\x9b \\u{202e} \u{fffd}");
        assert_eq!(
            Printable("héllo wörld".as_bytes()).to_string(),
            "héllo wörld"
        );
    }

    #[test]
    fn test_parse_typed() {
        let say = |to, text| Typed::Say { to, text };
        let cases: [(&[u8], bool, Typed<'_>); 9] = [
            (b"", true, Typed::Empty),
            (b"\r", false, Typed::Empty),
            (b"  ", false, say(None, b"  ")),
            (b"/who", false, say(None, b"/who")),
            (b"/who", true, Typed::Who),
            (b"/close", true, Typed::Close(None)),
            (b"/close #3", true, Typed::Close(Some(3))),
            (b"//who", true, say(None, b"/who")),
            (b"@2 hi there", true, say(Some(2), b"hi there")),
        ];
        for (line, commands, want) in cases {
            assert_eq!(parse_typed(line, commands), want, "{line:?}");
        }
        for bad in [&b"/close x"[..], b"/nope", b"@x hi", b"@2"] {
            assert!(
                matches!(parse_typed(bad, true), Typed::Unknown(_)),
                "{bad:?}"
            );
        }
    }
}
