//! tcpdump's filter language, from the words to the kernel's program.
//!
//! `Filter::parse` reads the expression once ([`syntax`]: lexer, parser,
//! word tables, AST); it is then lowered per link type ([`lower`]) into loads
//! and comparisons at the byte offsets libpcap uses, which [`eval`] runs on
//! captured bytes and [`bpf::compile`] turns into a classic-BPF program for
//! the kernel or for [`bpf::interp`]. Both give the same verdict on every
//! packet (tests/filter_diff.rs checks it, and checks both against tcpdump).

pub mod bpf;
pub mod eval;
pub mod lower;
pub mod syntax;

use std::fmt;

pub use bpf::compile::CompileError;

use crate::packet::LinkType;
use bpf::BpfInsn;
use lower::{LowerError, Node};
use syntax::ast::Expr;

/// A filter expression that does not parse: the expression, the byte span
/// of the word that failed, what was wrong and what would have fitted. The
/// command line reports it as a usage error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterError {
    pub expr: String,
    /// Byte offset and length of the offending word in `expr`.
    pub start: usize,
    pub len: usize,
    pub message: String,
    pub expected: Option<String>,
}

impl FilterError {
    pub fn new(
        expr: &str,
        start: usize,
        len: usize,
        message: String,
        expected: Option<String>,
    ) -> Self {
        FilterError {
            expr: expr.to_string(),
            start,
            len: len.max(1),
            message,
            expected,
        }
    }

    /// The text of the word that failed (empty at the end of the expression).
    pub fn word(&self) -> &str {
        self.expr
            .get(self.start..(self.start + self.len).min(self.expr.len()))
            .unwrap_or("")
    }
}

impl fmt::Display for FilterError {
    /// ```text
    /// invalid filter: unexpected 'and'
    ///   tcp port and udp
    ///            ^^^
    ///   expected: a number after 'port'
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let col = self
            .expr
            .get(..self.start)
            .map_or(self.start, |s| s.chars().count());
        let width = self
            .expr
            .get(self.start..(self.start + self.len).min(self.expr.len()))
            .map_or(1, |s| s.chars().count().max(1));
        writeln!(f, "invalid filter: {}", self.message)?;
        writeln!(f, "  {}", self.expr)?;
        write!(f, "  {}{}", " ".repeat(col), "^".repeat(width))?;
        if let Some(e) = &self.expected {
            write!(f, "\n  expected: {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FilterError {}

/// Link types the filter knows, lowered once at parse time.
const LINKS: [LinkType; 65] = [
    LinkType::Ethernet,
    LinkType::LinuxSll,
    LinkType::LinuxSll2,
    LinkType::Raw,
    LinkType::Ipv4,
    LinkType::Ipv6,
    LinkType::Null,
    LinkType::Loop,
    // PPP, PPP in HDLC framing, Cisco HDLC, Frame Relay.
    LinkType::Other(9),
    // pppd's PPP with its direction byte (PPP over serial's words).
    LinkType::Other(crate::decode::link_more::PPP_PPPD),
    LinkType::Other(50),
    LinkType::Other(104),
    LinkType::Other(107),
    // PPPoE without its Ethernet header.
    LinkType::Other(51),
    // 802.11, 802.11 with radiotap, Prism, AVS and PPI headers.
    LinkType::Other(105),
    LinkType::Other(127),
    LinkType::Other(119),
    LinkType::Other(163),
    LinkType::Other(192),
    // Token Ring, FDDI, RFC 1483 ATM (as DLT and as file link type).
    LinkType::Other(6),
    LinkType::Other(10),
    LinkType::Other(11),
    LinkType::Other(100),
    // Classical IP over ATM (filtered as RFC 1483 ATM).
    LinkType::Other(crate::decode::rings::ATM_CLIP),
    LinkType::Other(crate::decode::rings::ATM_CLIP_FILE),
    // netANALYZER: Ethernet's, at the header's offset.
    LinkType::Other(crate::decode::link_more::NETANALYZER),
    LinkType::Other(crate::decode::link_more::NETANALYZER_TRANSPARENT),
    // pf's logs.
    LinkType::Other(117),
    // BSD/OS SLIP (as DLT and as file link type).
    LinkType::Other(crate::decode::link_more::SLIP_BSDOS),
    LinkType::Other(crate::decode::link_more::SLIP_BSDOS_FILE),
    // SLIP (its direction where BSD/OS's version test reads).
    LinkType::Other(crate::decode::slip::SLIP),
    // BSD/OS PPP (as DLT and as file link type).
    LinkType::Other(crate::decode::link_more::PPP_BSDOS),
    LinkType::Other(crate::decode::link_more::PPP_BSDOS_FILE),
    // LocalTalk (all AppleTalk).
    LinkType::Other(crate::decode::ltalk::LTALK),
    // Symantec's firewall.
    LinkType::Other(crate::decode::link_more::SYMANTEC),
    // OpenBSD's enc(4).
    LinkType::Other(crate::decode::enc::ENC),
    // Solaris' ipnet.
    LinkType::Other(crate::decode::ipnet::IPNET),
    // Apple's IP over FireWire.
    LinkType::Other(crate::decode::link_more::AP1394),
    // usbmon's headers, 48 and 64 bytes (only `link[]` and the lengths).
    LinkType::Other(189),
    LinkType::Other(220),
    // Bluetooth HCI with its pseudo-header (as usbmon's: `link[]`, lengths).
    LinkType::Other(crate::decode::link_more::BLUETOOTH_H4_PHDR),
    // Linux's vsock monitor (as usbmon's too).
    LinkType::Other(crate::decode::vsock::VSOCK),
    // IEEE 802.15.4 (with and without FCS, behind TAP's header) and FRF.16
    // multilink Frame Relay (as usbmon's too).
    LinkType::Other(crate::decode::link_more::IEEE802_15_4),
    LinkType::Other(crate::decode::link_more::IEEE802_15_4_NOFCS),
    LinkType::Other(crate::decode::link_more::IEEE802_15_4_TAP),
    LinkType::Other(crate::decode::link_more::MFR),
    // ARCNET, BSD's and Linux's.
    LinkType::Other(crate::decode::arcnet::ARCNET),
    LinkType::Other(crate::decode::arcnet::ARCNET_LINUX),
    // RFC 2625 IP over Fibre Channel (as Token Ring's: LLC at 16).
    LinkType::Other(crate::decode::rings::IPFC),
    // SunATM (LLC after the pseudo-header, Ethernet after `lane`).
    LinkType::Other(crate::decode::sunatm::SUNATM),
    // Juniper's (the magic number, then libpcap's constant offsets).
    LinkType::Other(crate::decode::juniper::READ[0]),
    LinkType::Other(crate::decode::juniper::READ[1]),
    LinkType::Other(crate::decode::juniper::READ[2]),
    LinkType::Other(crate::decode::juniper::READ[3]),
    LinkType::Other(crate::decode::juniper::READ[4]),
    LinkType::Other(crate::decode::juniper::READ[5]),
    LinkType::Other(crate::decode::juniper::READ[6]),
    LinkType::Other(crate::decode::juniper::READ[7]),
    LinkType::Other(crate::decode::juniper::READ[8]),
    LinkType::Other(crate::decode::juniper::READ[9]),
    LinkType::Other(crate::decode::juniper::READ[10]),
    LinkType::Other(crate::decode::juniper::READ[11]),
    LinkType::Other(crate::decode::juniper::READ[12]),
    LinkType::Other(crate::decode::juniper::READ[13]),
    LinkType::Other(crate::decode::juniper::READ[14]),
];

/// A parsed filter expression. The empty expression matches everything.
#[derive(Clone, Debug)]
pub struct Filter {
    expr: Option<Expr>,
    /// `LINKS[i]` lowered; an error where tcpdump refuses the expression on
    /// that link type (`vlan` on Linux cooked, `ether host` on raw IP).
    lowered: Vec<Result<Node, LowerError>>,
}

/// Expressions longer than this may nest deeply enough to need a big stack.
const DEEP_EXPR_LEN: usize = 512;
const PARSE_STACK: usize = 64 << 20;

impl Filter {
    /// Parses a tcpdump filter expression (`""` = match all). Host names are
    /// not resolved: addresses must be numeric.
    pub fn parse(expr: &str) -> Result<Filter, FilterError> {
        // Parsing and lowering recurse once per level of nesting (up to the
        // parser's 2048), which takes more than a 2 MiB thread stack in a
        // debug build: an expression long enough to nest deeply is handled
        // on a thread of its own with a 64 MiB stack (only touched pages
        // count). Short ones, nearly all, stay on the caller's thread.
        if expr.len() > DEEP_EXPR_LEN {
            let owned = expr.to_string();
            let worker = std::thread::Builder::new()
                .name("filter-parse".into())
                .stack_size(PARSE_STACK)
                .spawn(move || Self::parse_here(&owned));
            if let Ok(handle) = worker {
                return handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            }
        }
        Self::parse_here(expr)
    }

    fn parse_here(expr: &str) -> Result<Filter, FilterError> {
        let expr = syntax::parser::Parser::parse(expr)?;
        let lowered = LINKS
            .iter()
            .map(
                |&l| match (&expr, crate::decode::link_more::ethernet_inside(l)) {
                    (None, _) => Ok(Node::Const(true)),
                    (Some(e), Some((by, _))) => lower::lower_behind(e, l, by as u32),
                    (Some(e), None) => lower::lower_whole(e, l),
                },
            )
            .collect();
        Ok(Filter { expr, lowered })
    }

    /// True for the empty expression.
    pub fn is_match_all(&self) -> bool {
        self.expr.is_none()
    }

    /// The parsed expression (`None` for the empty one).
    pub fn expr(&self) -> Option<&Expr> {
        self.expr.as_ref()
    }

    /// The expression lowered for `link`, or why it cannot apply there.
    pub fn lowered(&self, link: LinkType) -> Result<&Node, CompileError> {
        // Cisco HDLC under its other number, which libpcap compiles as 104.
        let link = match link {
            LinkType::Other(crate::decode::link_more::C_HDLC_ALT) => {
                LinkType::Other(crate::decode::link_more::C_HDLC)
            }
            other => other,
        };
        match LINKS.iter().position(|&l| l == link) {
            Some(i) => self.lowered[i]
                .as_ref()
                .map_err(|e| CompileError::Link(e.clone())),
            None => Err(CompileError::Link(LowerError::UnsupportedLink(link))),
        }
    }

    /// Whether tcpdump would accept this expression on `link` (it refuses
    /// e.g. `vlan` on Linux cooked captures, and an expression whose
    /// program libpcap's optimizer folds to `ret #0`: `ip and arp`, `arp`
    /// on raw IP). Call once per file/interface.
    pub fn check_link(&self, link: LinkType) -> Result<(), CompileError> {
        if self.expr.is_none() {
            return Ok(());
        }
        // A program too long for the kernel is refused where it is loaded.
        match self.compile(link, 262_144) {
            Err(e @ (CompileError::Link(_) | CompileError::RejectsAll)) => Err(e),
            _ => Ok(()),
        }
    }

    /// Evaluates the filter on one captured packet, with libpcap's
    /// semantics: offsets from the start of the link header, out-of-bounds
    /// loads reject, `len` is `orig_len`. False where `check_link` fails.
    pub fn matches(&self, link: LinkType, data: &[u8], orig_len: u32) -> bool {
        if self.expr.is_none() {
            return true;
        }
        match self.lowered(link) {
            Ok(n) => eval::matches(n, data, orig_len),
            Err(_) => false,
        }
    }

    /// Compiles to classic BPF for SO_ATTACH_FILTER: `ret #snaplen` on a
    /// match, `ret #0` otherwise; refused, as `pcap_compile` refuses it,
    /// when no packet can match (`ip and arp`).
    pub fn compile(&self, link: LinkType, snaplen: u32) -> Result<Vec<BpfInsn>, CompileError> {
        let n = self.lowered(link)?;
        let prog = bpf::compile::compile(n, snaplen)?;
        // libpcap does not optimize a program that computes an offset with
        // a jump (802.11's header lengths: our `Val::Cond`; Geneve's
        // inner protocol, whether or not the rest leaves it in; every
        // program on Prism, whose header length it computes first), and
        // says nothing of one that rejects all then.
        let optimized = !has_choice(n)
            && !self.expr.as_ref().is_some_and(has_geneve)
            && link != LinkType::Other(PRISM);
        if optimized && bpf::rejects::rejects_all(&prog) {
            return Err(CompileError::RejectsAll);
        }
        Ok(prog)
    }
}

/// 802.11 with Prism's monitor header, whose length libpcap's programs
/// compute with a jump before anything else.
const PRISM: u32 = 119;

/// Whether `e` has a `geneve` in it.
fn has_geneve(e: &Expr) -> bool {
    match e {
        Expr::And(all) | Expr::Or(all) => all.iter().any(has_geneve),
        Expr::Not(inner) => has_geneve(inner),
        Expr::Prim(p) => matches!(p.kind, syntax::ast::PrimKind::Geneve(_)) || p.encap.geneve,
        Expr::Rel(..) => false,
    }
}

/// Whether `n` computes a value by a test ([`lower::Val::Cond`]).
fn has_choice(n: &Node) -> bool {
    fn val(v: &lower::Val) -> bool {
        match v {
            lower::Val::K(_) | lower::Val::Len | lower::Val::Msh(_) => false,
            lower::Val::Load(_, at) => val(at),
            lower::Val::Bin(_, a, b) => val(a) || val(b),
            lower::Val::Cond(_) => true,
        }
    }
    match n {
        Node::Const(_) => false,
        Node::And(all) | Node::Or(all) => all.iter().any(has_choice),
        Node::Not(inner) => has_choice(inner),
        Node::Test(_, a, b) => val(a) || val(b),
    }
}

impl fmt::Display for Filter {
    /// The normalized expression: qualifiers spelled out, implicit
    /// repetition expanded, parentheses explicit.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.expr {
            Some(e) => write!(f, "{e}"),
            None => Ok(()),
        }
    }
}
