//! Command-line definitions only (clap). Every flag is declared once, with its
//! doc; the commands turn these into validated configuration before running.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Durations such as `500ms`, `1s`, `2m` (a usage error, exit 2, otherwise).
fn duration_arg(text: &str) -> Result<Duration, String> {
    crate::endpoints::parse_duration(text)
}

#[derive(Parser, Debug)]
#[command(
    name = "sockscope",
    version,
    about = "Packet inspector and sniffer that shows each TCP endpoint's state as a timeline"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List capture interfaces (like `tcpdump -D`).
    Interfaces,
    /// Capture live from an interface (needs CAP_NET_RAW).
    Capture(CaptureArgs),
    /// Read a pcap or pcapng file (`-` for stdin).
    Read(ReadArgs),
    /// Run a built-in server.
    Serve(ServeArgs),
    /// Run a built-in client.
    Client(ClientArgs),
    /// Run the endpoints on loopback while sniffing them.
    Demo(DemoArgs),
}

/// Options shared by everything that prints packets (`read`, `capture`, `demo`).
#[derive(Args, Debug, Clone, Default)]
pub struct OutputArgs {
    /// Stop after N packets.
    #[arg(short = 'c', value_name = "N")]
    pub count: Option<u64>,
    /// Write the packets to a pcap file (`-` for stdout) instead of printing them.
    #[arg(short = 'w', value_name = "FILE")]
    pub write: Option<PathBuf>,
    /// More detail per packet (IP TTL/id/flags/length, checksums).
    #[arg(short = 'v', action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Print each packet's bytes in hex and ASCII.
    #[arg(short = 'X')]
    pub hex: bool,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
    /// Print a flow table at the end (with --json: one Zeek-style object per
    /// flow). Packet lines are off unless -v.
    #[arg(long)]
    pub flows: bool,
    /// Print TCP timelines (both sides' states) at the end. Packet lines
    /// are off unless -v.
    #[arg(long)]
    pub timeline: bool,
    /// Absolute TCP sequence numbers (default: relative per flow).
    #[arg(short = 'S')]
    pub absolute_seq: bool,
    /// Don't verify checksums (like tcpdump -K).
    #[arg(short = 'K')]
    pub no_checksum: bool,
    /// Timestamp format.
    #[arg(long, value_enum, default_value_t = TimeFormat::Abs)]
    pub time: TimeFormat,
    /// No packet lines: only the summary (and --flows/--timeline output).
    /// Unlike tcpdump's -q, which shortens the lines.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Filter expression, tcpdump's language (the trailing words).
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = false,
        value_name = "FILTER"
    )]
    pub filter: Vec<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeFormat {
    /// Wall-clock time of day in the local time zone (HH:MM:SS.ffffff).
    #[default]
    Abs,
    /// Time since the first packet (HH:MM:SS.ffffff).
    Rel,
    /// Time since the previous packet (HH:MM:SS.ffffff).
    Delta,
    /// Seconds since the Unix epoch.
    Epoch,
}

#[derive(Args, Debug, Clone)]
pub struct ReadArgs {
    /// The capture file (pcap or pcapng), or `-` for stdin.
    pub file: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Args, Debug, Clone)]
pub struct CaptureArgs {
    /// Interface to capture on (`any` for all, with Linux cooked headers).
    #[arg(short = 'i', long = "interface", default_value = "lo")]
    pub interface: String,
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
    #[arg(long, value_name = "DURATION", value_parser = check_duration)]
    pub duration: Option<String>,
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
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `capture --backend` values.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendArg {
    Ring,
    Pnet,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    #[arg(value_enum)]
    pub kind: ServerKind,
    /// Address to listen on.
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<SocketAddr>,
    /// TCP/UDP echo: answer in upper case.
    #[arg(long)]
    pub upper: bool,
    /// TCP echo: close a client silent for this long (e.g. 30s, 5m).
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = duration_arg)]
    pub idle_timeout: Duration,
    /// Longest message accepted, in bytes (TCP line without its newline, UDP datagram).
    #[arg(long, value_name = "BYTES")]
    pub max_message: Option<usize>,
    /// TCP echo: clients served at once; more are told "server busy" and closed.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub max_clients: usize,
    /// Chat: drop members silent (not even a keep-alive) for this long.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = duration_arg)]
    pub member_timeout: Duration,
    /// TCP echo: after Ctrl-C, shut down connections still open after this long
    /// (default: wait until they finish; a second Ctrl-C exits at once).
    #[arg(long, value_name = "DURATION", value_parser = duration_arg)]
    pub drain_timeout: Option<Duration>,
    /// Only the start and stop lines, no per-connection log.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Talk: serve several clients at once (`@N text` answers client N,
    /// `/who` lists them) instead of one at a time.
    #[arg(long)]
    pub concurrent: bool,
    /// TCP talk: bind without SO_REUSEADDR, to see the bind fail while
    /// connections of a previous run are in TIME_WAIT.
    #[arg(long)]
    pub no_reuseaddr: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerKind {
    TcpEcho,
    UdpEcho,
    Chat,
    /// Prints what clients say; its operator types the replies.
    TcpTalk,
    /// The same over UDP: answers the last sender, or `@N text`.
    UdpTalk,
}

#[derive(Args, Debug, Clone)]
pub struct ClientArgs {
    #[arg(value_enum)]
    pub kind: ClientKind,
    /// Server address.
    pub addr: SocketAddr,
    /// Send this message instead of reading lines from stdin (never empty).
    #[arg(long, value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub message: Option<String>,
    /// How many times to send `--message`.
    #[arg(long, default_value_t = 1)]
    pub count: u32,
    /// Chat nickname (required for `client chat`).
    #[arg(long, required_if_eq("kind", "chat"))]
    pub nick: Option<String>,
    /// How long to wait for a reply (e.g. 1s, 500ms; default 5s for TCP, 1s for UDP and chat).
    /// Talk: how long connecting may take (TCP, 5s), or how long replies are
    /// still printed after the input ends (UDP, 1s).
    #[arg(long, value_name = "DURATION", value_parser = duration_arg)]
    pub timeout: Option<Duration>,
    /// Scripted mode: the reply every message must get (default: the message
    /// itself or its upper-case form).
    #[arg(long, value_name = "TEXT", requires = "message")]
    pub expect: Option<String>,
    /// UDP: sends per message before reporting a timeout.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub attempts: u32,
    /// Chat: send a keep-alive this often so the server does not drop us.
    #[arg(long, value_name = "DURATION", default_value = "15s", value_parser = duration_arg)]
    pub keepalive: Duration,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientKind {
    Tcp,
    Udp,
    Chat,
    /// Talk to a talk server: type lines, read its replies, at once.
    TcpTalk,
    /// The same over UDP.
    UdpTalk,
}

#[derive(Args, Debug, Clone)]
pub struct DemoArgs {
    /// Which scenarios to run.
    #[arg(value_enum, default_value_t = DemoKind::All)]
    pub scenario: DemoKind,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DemoKind {
    #[default]
    All,
    Tcp,
    Udp,
    Chat,
    /// A typed conversation: handshake, exchange, half close, TIME_WAIT.
    Talk,
}

/// Validates `--duration` at parse time so a bad value is a usage error (exit 2).
fn check_duration(s: &str) -> Result<String, String> {
    parse_duration(s).map(|_| s.to_string())
}

/// Parses "10s", "500ms", "2m", "1h", "1.5s" or a plain number of seconds.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("invalid duration {s:?}: expected e.g. 10s, 500ms, 2m"))?;
    let secs = match unit.trim() {
        "" | "s" | "sec" | "secs" => value,
        "ms" => value / 1e3,
        "us" => value / 1e6,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        other => {
            return Err(format!(
                "invalid duration {s:?}: unknown unit {other:?} (use ms, s, m or h)"
            ));
        }
    };
    if !secs.is_finite() || secs <= 0.0 || secs > 1e9 {
        return Err(format!("invalid duration {s:?}: must be positive"));
    }
    Ok(std::time::Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("10 parsecs").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("-1s").is_err());
    }
}
