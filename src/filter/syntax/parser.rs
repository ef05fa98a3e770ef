//! Recursive-descent parser for tcpdump's filter language.
//!
//! Grammar, following libpcap's (`and` and `or` have equal precedence and
//! associate to the left; `not` binds tightest):
//!
//! ```text
//! expr    := term { ("and"|"&&"|"or"|"||") (term | id) }
//! term    := ("not"|"!") term | "(" expr ")" | arith relop arith | primitive
//! primitive := [proto] [dir] [kind] id | proto | vlan [N] | greater N | less N | …
//! arith   := the usual C precedence over | ^ & << >> + - * / %
//! ```
//!
//! A bare `id` after `and`/`or`/`not` reuses the qualifiers of the last
//! primitive (`port 80 or 443`, `host a and not b`), as tcpdump does.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::filter::FilterError;

use super::ast::*;
use super::lexer::{Tok, Token, lex};
use super::words::{
    PfWord, UNSUPPORTED, atm_word, escaped_proto, is_keyword, iso_proto, link_proto, llc_kind,
    named_constant, pf_action, pf_reason, pf_word, protocol, refused_word, service_port,
};

/// Qualifiers in force for a bare id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Default,
    Host,
    Net,
    Port,
    PortRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Qual {
    proto: Option<Proto>,
    dir: Dir,
    kind: Kind,
}

const DEFAULT_QUAL: Qual = Qual {
    proto: None,
    dir: Dir::Any,
    kind: Kind::Default,
};

pub struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    /// The encapsulations (`vlan`, `mpls`, `pppoes`) parsed so far.
    encap: Encap,
    /// Qualifiers for a bare id; `None` after a term that has none to lend
    /// (a protocol name or a comparison), where tcpdump rejects a bare id.
    last: Option<Qual>,
    /// Nesting of `(`, `not` and unary minus, bounded so that a hostile
    /// expression cannot overflow the stack.
    depth: usize,
    /// Operators in the current comparison (same reason).
    arith_ops: usize,
}

/// tcpdump accepts 1000+ levels; 2048 keeps well above that while every
/// recursive pass over the tree (parse, lowering, compile, evaluation,
/// printing, drop) stays far inside the main thread's 8 MiB stack (a test
/// runs the binary at this depth under a smaller stack limit).
pub const MAX_DEPTH: usize = 2048;
/// What a too-deep expression or arithmetic is told: (what, what to do).
const EXPR_TOO_DEEP: (&str, &str) = (
    "the expression nests too deeply",
    "fewer levels of parentheses or 'not'",
);
const ARITH_TOO_DEEP: (&str, &str) = (
    "the arithmetic nests too deeply",
    "fewer levels of parentheses",
);
const MAX_ARITH_OPS: usize = 200;
/// A network address with bits set past its prefix.
const HOST_BITS: &str = "non-network bits set in the address";

/// An error with the token index it points at; the furthest one wins when
/// the parser tried two readings.
struct PErr {
    at: usize,
    err: FilterError,
}

type PResult<T> = Result<T, PErr>;

impl<'a> Parser<'a> {
    pub fn parse(src: &'a str) -> Result<Option<Expr>, FilterError> {
        let toks = lex(src).map_err(|e| FilterError::new(src, e.start, e.len, e.message, None))?;
        if toks.is_empty() {
            return Ok(None);
        }
        let mut p = Parser {
            src,
            toks,
            pos: 0,
            encap: Encap::default(),
            last: Some(DEFAULT_QUAL),
            depth: 0,
            arith_ops: 0,
        };
        let e = p.expr().map_err(|e| e.err)?;
        if p.pos < p.toks.len() {
            return Err(p
                .error(
                    "unexpected word after a complete expression",
                    "'and', 'or' or the end",
                )
                .err);
        }
        Ok(Some(e))
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }
    fn peek_at(&self, n: usize) -> Option<&Tok> {
        self.toks.get(self.pos + n).map(|t| &t.tok)
    }
    fn word(&self) -> Option<&str> {
        match self.peek() {
            Some(Tok::Word(w)) => Some(w.as_str()),
            _ => None,
        }
    }
    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Tok::Punct(q)) if *q == p)
    }
    fn is_word(&self, w: &str) -> bool {
        self.word() == Some(w)
    }

    fn error_at(&self, idx: usize, message: impl Into<String>, expected: &str) -> PErr {
        let (start, len) = match self.toks.get(idx) {
            Some(t) => (t.start, t.len),
            None => (self.src.len(), 1),
        };
        let exp = if expected.is_empty() {
            None
        } else {
            Some(expected.to_string())
        };
        PErr {
            at: idx,
            err: FilterError::new(self.src, start, len, message.into(), exp),
        }
    }
    fn error(&self, message: impl Into<String>, expected: &str) -> PErr {
        let msg = message.into();
        let msg = if self.pos >= self.toks.len() && msg.is_empty() {
            "unexpected end of expression".to_string()
        } else {
            msg
        };
        self.error_at(self.pos, msg, expected)
    }
    fn describe_here(&self) -> String {
        match self.toks.get(self.pos) {
            Some(t) => format!("unexpected '{}'", &self.src[t.start..t.start + t.len]),
            None => "unexpected end of expression".to_string(),
        }
    }

    fn expr(&mut self) -> PResult<Expr> {
        let mut left = self.term()?;
        loop {
            let is_and = self.is_word("and") || self.is_punct("&&");
            let is_or = self.is_word("or") || self.is_punct("||");
            if !is_and && !is_or {
                return Ok(left);
            }
            self.pos += 1;
            let right = self.term()?;
            // Left-associative, flattened: `a or b or c` is Or([a, b, c]),
            // `a or b and c` is And([Or([a, b]), c]).
            left = match (left, is_and) {
                (Expr::And(mut v), true) => {
                    v.push(right);
                    Expr::And(v)
                }
                (Expr::Or(mut v), false) => {
                    v.push(right);
                    Expr::Or(v)
                }
                (l, true) => Expr::And(vec![l, right]),
                (l, false) => Expr::Or(vec![l, right]),
            };
        }
    }

    /// True when the token at `pos` can only be a bare id (an address, a
    /// number not followed by an operator, a name that is not a keyword).
    fn at_bare_id(&self) -> bool {
        let next_is_op = matches!(self.peek_at(1), Some(Tok::Punct(p)) if !matches!(*p, "(" | ")" | "!" | "&&" | "||"));
        match self.peek() {
            Some(Tok::V4(..) | Tok::V6(_) | Tok::Mac(_) | Tok::Range(..)) => true,
            Some(Tok::Num(_)) => !next_is_op,
            Some(Tok::Word(w)) => !is_keyword(w) && escaped_proto(w).is_none(),
            _ => false,
        }
    }

    /// Runs `inner` one nesting level deeper, refused past [`MAX_DEPTH`]
    /// (with `too_deep`: what, and what to do) so that no filter can
    /// overflow the stack.
    fn nested<T>(
        &mut self,
        too_deep: (&'static str, &'static str),
        inner: fn(&mut Self) -> PResult<T>,
    ) -> PResult<T> {
        self.depth += 1;
        let r = if self.depth > MAX_DEPTH {
            Err(self.error(too_deep.0, too_deep.1))
        } else {
            inner(self)
        };
        self.depth -= 1;
        r
    }

    fn term(&mut self) -> PResult<Expr> {
        self.nested(EXPR_TOO_DEEP, Self::term_inner)
    }

    fn term_inner(&mut self) -> PResult<Expr> {
        if self.is_word("not") || self.is_punct("!") {
            self.pos += 1;
            let t = self.term()?;
            return Ok(Expr::Not(Box::new(t)));
        }
        if self.at_bare_id() {
            let Some(q) = self.last else {
                return Err(self.error(
                    format!("{}: a bare value needs a qualifier", self.describe_here()),
                    "'host', 'net', 'port' or 'portrange' before it",
                ));
            };
            return self.qualified_id(q);
        }
        if self.is_punct("(") {
            // Either an arithmetic comparison `(tcp[13] & 2) != 0` or a
            // parenthesised expression: try the comparison first.
            let save = (self.pos, self.encap, self.last);
            let arith_err = match self.relation() {
                Ok(e) => return Ok(e),
                Err(e) => e,
            };
            (self.pos, self.encap, self.last) = save;
            self.pos += 1;
            let inner = match self.expr() {
                Ok(e) => e,
                Err(e) => return Err(if arith_err.at > e.at { arith_err } else { e }),
            };
            if !self.is_punct(")") {
                let e = self.error(self.describe_here(), "')'");
                return Err(if arith_err.at > e.at { arith_err } else { e });
            }
            self.pos += 1;
            return Ok(inner);
        }
        if self.starts_arith() {
            return self.relation();
        }
        self.primitive()
    }

    /// Whether the current token begins an arithmetic expression.
    fn starts_arith(&self) -> bool {
        match self.peek() {
            Some(Tok::Num(_)) => true,
            Some(Tok::Punct("-")) => true,
            Some(Tok::Word(w)) => {
                w == "len"
                    || named_constant(w).is_some()
                    || escaped_proto(w).is_some()
                    || ((protocol(w).is_some() || w == "vlan")
                        && matches!(self.peek_at(1), Some(Tok::Punct("["))))
            }
            _ => false,
        }
    }

    fn relation(&mut self) -> PResult<Expr> {
        self.arith_ops = 0;
        let a = self.arith()?;
        let op = match self.peek() {
            Some(Tok::Punct("=" | "==")) => RelOp::Eq,
            Some(Tok::Punct("!=")) => RelOp::Ne,
            Some(Tok::Punct("<")) => RelOp::Lt,
            Some(Tok::Punct("<=")) => RelOp::Le,
            Some(Tok::Punct(">")) => RelOp::Gt,
            Some(Tok::Punct(">=")) => RelOp::Ge,
            _ => {
                return Err(self.error(
                    self.describe_here(),
                    "a comparison (=, !=, <, <=, >, >=) after the arithmetic expression",
                ));
            }
        };
        self.pos += 1;
        let b = self.arith()?;
        self.last = None;
        Ok(Expr::Rel(op, a, b))
    }

    // Arithmetic, by C-like precedence levels (lowest first), as libpcap:
    // | then ^ then & then << >> then + - then * / %.
    fn arith(&mut self) -> PResult<Arith> {
        self.arith_level(0)
    }

    fn arith_level(&mut self, level: usize) -> PResult<Arith> {
        const LEVELS: [&[(&str, ArOp)]; 6] = [
            &[("|", ArOp::Or)],
            &[("^", ArOp::Xor)],
            &[("&", ArOp::And)],
            &[("<<", ArOp::Lsh), (">>", ArOp::Rsh)],
            &[("+", ArOp::Add), ("-", ArOp::Sub)],
            &[("*", ArOp::Mul), ("/", ArOp::Div), ("%", ArOp::Mod)],
        ];
        if level == LEVELS.len() {
            return self.arith_unary();
        }
        let mut left = self.arith_level(level + 1)?;
        loop {
            let Some(Tok::Punct(p)) = self.peek() else {
                return Ok(left);
            };
            let Some((_, op)) = LEVELS[level].iter().find(|(s, _)| s == p) else {
                return Ok(left);
            };
            let op = *op;
            self.arith_ops += 1;
            if self.arith_ops > MAX_ARITH_OPS {
                return Err(self.error(
                    "the arithmetic expression is too long",
                    "at most 200 operators",
                ));
            }
            self.pos += 1;
            let rhs_at = self.pos;
            let right = self.arith_level(level + 1)?;
            if matches!(op, ArOp::Div | ArOp::Mod) && right == Arith::Num(0) {
                return Err(self.error_at(rhs_at, "division by zero", "a non-zero divisor"));
            }
            // As libpcap: the kernel refuses such shifts in a filter.
            if matches!(op, ArOp::Lsh | ArOp::Rsh) && matches!(right, Arith::Num(n) if n > 31) {
                return Err(self.error_at(
                    rhs_at,
                    "shift by more than 31 bits",
                    "a shift of 0..31",
                ));
            }
            left = Arith::Bin(op, Box::new(left), Box::new(right));
        }
    }

    fn arith_unary(&mut self) -> PResult<Arith> {
        self.nested(ARITH_TOO_DEEP, Self::arith_unary_inner)
    }

    fn arith_unary_inner(&mut self) -> PResult<Arith> {
        if self.is_punct("-") {
            self.pos += 1;
            let a = self.arith_unary()?;
            return Ok(Arith::Neg(Box::new(a)));
        }
        self.arith_primary()
    }

    fn arith_primary(&mut self) -> PResult<Arith> {
        let expected = "a number, 'len', a named constant or proto[offset]";
        match self.peek().cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(Arith::Num(n))
            }
            Some(Tok::Punct("(")) => {
                self.pos += 1;
                let a = self.arith()?;
                if !self.is_punct(")") {
                    return Err(self.error(self.describe_here(), "')'"));
                }
                self.pos += 1;
                Ok(a)
            }
            Some(Tok::Word(w)) => {
                if w == "len" {
                    self.pos += 1;
                    return Ok(Arith::Len);
                }
                if let Some(n) = named_constant(&w).or_else(|| escaped_proto(&w)) {
                    self.pos += 1;
                    return Ok(Arith::Num(n));
                }
                if w == "vlan" && matches!(self.peek_at(1), Some(Tok::Punct("["))) {
                    return Err(self.error(
                        "'vlan[…]' is not supported by sockscope",
                        "ether[…] with the offset of the tag",
                    ));
                }
                if let Some(proto) = protocol(&w) {
                    if matches!(self.peek_at(1), Some(Tok::Punct("["))) {
                        return self.load(proto);
                    }
                    return Err(self.error(
                        format!("'{w}' alone is not a value"),
                        &format!("'{w}[offset]' or '{w}[offset:size]'"),
                    ));
                }
                Err(self.error(format!("unknown word '{w}' in arithmetic"), expected))
            }
            _ => Err(self.error(self.describe_here(), expected)),
        }
    }

    fn load(&mut self, proto: Proto) -> PResult<Arith> {
        let encap = self.encap;
        self.pos += 2; // proto '['
        let off = self.arith()?;
        let mut size = 1u8;
        if self.is_punct(":") {
            self.pos += 1;
            match self.peek() {
                Some(Tok::Num(n @ (1 | 2 | 4))) => {
                    size = *n as u8;
                    self.pos += 1;
                }
                _ => return Err(self.error("bad load size", "1, 2 or 4 after ':'")),
            }
        }
        if !self.is_punct("]") {
            return Err(self.error(self.describe_here(), "']' or ':size]'"));
        }
        self.pos += 1;
        Ok(Arith::Load {
            proto,
            off: Box::new(off),
            size,
            encap,
        })
    }

    /// A number after `mpls`/`pppoes`, if one follows, at most `max`
    /// (libpcap's words when larger).
    fn optional_number(&mut self, what: &str, max: u32) -> PResult<Option<u32>> {
        match self.peek() {
            Some(Tok::Num(n)) if *n > max => Err(self.error(
                format!("{what} {n} greater than maximum {max}"),
                &format!("0..{max}"),
            )),
            Some(Tok::Num(n)) => {
                let n = *n;
                self.pos += 1;
                Ok(Some(n))
            }
            _ => Ok(None),
        }
    }

    fn number_arg(&mut self, what: &str) -> PResult<u32> {
        match self.peek() {
            Some(Tok::Num(n)) => {
                let n = *n;
                self.pos += 1;
                Ok(n)
            }
            Some(Tok::Word(w)) if escaped_proto(w).is_some() => {
                let n = escaped_proto(w).unwrap_or(0);
                self.pos += 1;
                Ok(n)
            }
            _ => Err(self.error(self.describe_here(), &format!("a number after '{what}'"))),
        }
    }

    /// `llc`, or `llc KIND` when a word that is no keyword follows
    /// (libpcap's words for an unknown one).
    fn llc(&mut self) -> PResult<Expr> {
        self.pos += 1;
        self.last = None;
        // `rnr` is also one of pf's words: the kinds come first.
        let kind = match self.word().map(|k| (llc_kind(k), k.to_string())) {
            Some((Some(kind), _)) => {
                self.pos += 1;
                Some(kind)
            }
            Some((None, k)) if !is_keyword(&k) => {
                return Err(self.error(format!("unknown LLC type name \"{k}\""), ""));
            }
            _ => None,
        };
        Ok(self.prim(PrimKind::Llc(kind)))
    }

    /// One of pf's words and what follows it: an interface or ruleset
    /// name, a rule number, a reason (name or number), an action name;
    /// unknown names refused in libpcap's words.
    fn pf(&mut self, kind: PfWord) -> PResult<Expr> {
        let start = self.pos;
        self.pos += 1;
        let test = match (kind, self.peek()) {
            (PfWord::Ifname, Some(Tok::Word(n))) if !is_keyword(n) => PfTest::Ifname(n.clone()),
            (PfWord::Ruleset, Some(Tok::Word(n))) if !is_keyword(n) => PfTest::Ruleset(n.clone()),
            (PfWord::Rule, Some(Tok::Num(n))) => PfTest::Rule(*n),
            (PfWord::Subrule, Some(Tok::Num(n))) => PfTest::Subrule(*n),
            (PfWord::Reason, Some(Tok::Num(n))) => PfTest::Reason(*n),
            (PfWord::Reason, Some(Tok::Word(n))) => match pf_reason(n) {
                Some(r) => PfTest::Reason(r),
                None => return Err(self.error(format!("unknown PF reason \"{n}\""), "")),
            },
            (PfWord::Action, Some(Tok::Word(n))) => match pf_action(n) {
                Some(a) => PfTest::Action(a),
                None => return Err(self.error(format!("unknown PF action \"{n}\""), "")),
            },
            _ => {
                let expected = match kind {
                    PfWord::Ifname => "an interface name",
                    PfWord::Ruleset => "a ruleset name",
                    PfWord::Rule | PfWord::Subrule => "a rule number",
                    PfWord::Reason => "a pf reason (name or number)",
                    PfWord::Action => "a pf action (pass, block, nat …)",
                };
                return Err(self.error(self.describe_here(), expected));
            }
        };
        self.pos += 1;
        let (first, last) = (&self.toks[start], &self.toks[self.pos - 1]);
        let word = self.src[first.start..last.start + last.len].to_string();
        self.last = None;
        Ok(self.prim(PrimKind::Pf { test, word }))
    }

    /// One of libpcap's ATM words: `vpi`/`vci` take a number, after a
    /// comparison or not; `lane` moves later primitives into the LANE
    /// frame.
    fn atm(&mut self, w: &str, test: Option<AtmTest>) -> PResult<Expr> {
        let start = self.pos;
        self.pos += 1;
        let message = refused_word(w).map_or("", |(_, m)| m);
        let test = match test {
            Some(t) => t,
            None => {
                let op = match self.peek() {
                    Some(Tok::Punct(p)) => {
                        let op = match *p {
                            "=" | "==" => RelOp::Eq,
                            "!=" => RelOp::Ne,
                            "<" => RelOp::Lt,
                            "<=" => RelOp::Le,
                            ">" => RelOp::Gt,
                            ">=" => RelOp::Ge,
                            _ => {
                                return Err(self.error(
                                    format!("'{w}' lists are not supported by sockscope"),
                                    &format!("a number after '{w}', or a comparison and one"),
                                ));
                            }
                        };
                        self.pos += 1;
                        op
                    }
                    _ => RelOp::Eq,
                };
                let n = self.number_arg(w)?;
                if w == "vpi" {
                    AtmTest::Vpi(op, n)
                } else {
                    AtmTest::Vci(op, n)
                }
            }
        };
        let (first, last) = (&self.toks[start], &self.toks[self.pos - 1]);
        let word = self.src[first.start..last.start + last.len].to_string();
        let e = self.prim(PrimKind::Atm {
            test,
            word,
            message,
        });
        if test == AtmTest::Lane {
            self.encap.lane = true;
        }
        self.last = None;
        Ok(e)
    }

    fn prim(&self, kind: PrimKind) -> Expr {
        Expr::Prim(Prim {
            kind,
            encap: self.encap,
        })
    }

    fn primitive(&mut self) -> PResult<Expr> {
        let Some(w) = self.word().map(str::to_string) else {
            return Err(self.error(
                self.describe_here(),
                "a primitive (host, net, port, tcp, udp, ip, …), 'not' or '('",
            ));
        };
        if UNSUPPORTED.contains(&w.as_str()) {
            return Err(self.error(format!("'{w}' is not supported by sockscope"), ""));
        }
        match w.as_str() {
            "vlan" => {
                self.pos += 1;
                let id = match self.peek() {
                    Some(Tok::Num(n)) => {
                        if *n > 4095 {
                            return Err(self.error("VLAN id out of range", "0..4095"));
                        }
                        let n = *n as u16;
                        self.pos += 1;
                        Some(n)
                    }
                    _ => None,
                };
                let e = self.prim(PrimKind::Vlan(id));
                self.encap.vlan = self.encap.vlan.saturating_add(1);
                self.last = None;
                return Ok(e);
            }
            "mpls" => {
                self.pos += 1;
                let label = self.optional_number("MPLS label", 0xf_ffff)?;
                let e = self.prim(PrimKind::Mpls(label));
                self.encap.mpls = self.encap.mpls.saturating_add(1);
                self.last = None;
                return Ok(e);
            }
            "pppoed" => {
                self.pos += 1;
                self.last = None;
                return Ok(self.prim(PrimKind::PppoeDiscovery));
            }
            "pppoes" => {
                self.pos += 1;
                let id = self.optional_number("PPPoE session number", 0xffff)?;
                let e = self.prim(PrimKind::PppoeSession(id.map(|n| n as u16)));
                self.encap.pppoes = true;
                self.last = None;
                return Ok(e);
            }
            "geneve" => {
                self.pos += 1;
                let vni = self.optional_number("Geneve VNI", 0xff_ffff)?;
                let e = self.prim(PrimKind::Geneve(vni));
                self.encap.geneve = true;
                self.last = None;
                return Ok(e);
            }
            "vrrp" | "carp" => {
                // Both are IPv4 protocol 112 to libpcap.
                self.pos += 1;
                self.last = None;
                return Ok(self.prim(PrimKind::IpProto(Some(Proto::Ip), 112)));
            }
            "inbound" | "outbound" => {
                self.pos += 1;
                self.last = None;
                return Ok(self.prim(PrimKind::Outbound(w == "outbound")));
            }
            _ if let Some(kind) = pf_word(&w) => return self.pf(kind),
            _ if let Some(test) = atm_word(&w) => return self.atm(&w, test),
            _ if let Some((args, message)) = refused_word(&w) => {
                let start = self.pos;
                self.pos += 1;
                // pf's and SS7's words and `vpi`/`vci` take a name or a
                // number; the others stand alone.
                let arg = self.toks.get(start + 1).map(|t| &t.tok);
                let named = matches!(arg, Some(Tok::Word(a)) if !is_keyword(a));
                if args
                    && (named
                        || matches!(
                            arg,
                            Some(Tok::Num(_) | Tok::V4(..) | Tok::V6(_) | Tok::Mac(_))
                        ))
                {
                    self.pos += 1;
                }
                let message = if w == "gateway" && args && self.pos > start + 1 && !named {
                    "'gateway' requires a name"
                } else {
                    message
                };
                // The words as written (with their argument), for printing.
                let (first, last) = (&self.toks[start], &self.toks[self.pos - 1]);
                let word = self.src[first.start..last.start + last.len].to_string();
                self.last = None;
                return Ok(self.prim(PrimKind::Refused { word, message }));
            }
            "greater" | "less" => {
                self.pos += 1;
                let n = self.number_arg(&w)?;
                self.last = None;
                return Ok(self.prim(if w == "greater" {
                    PrimKind::Greater(n)
                } else {
                    PrimKind::Less(n)
                }));
            }
            "proto" => {
                self.pos += 1;
                return self.ip_proto(None);
            }
            "type" | "subtype" => return self.wlan_type(),
            "dir" => return self.wlan_dir(),
            "llc" => return self.llc(),
            _ => {}
        }
        if let Some((word, ethertype)) = link_proto(&w) {
            self.pos += 1;
            self.last = None;
            return Ok(self.prim(PrimKind::LinkProto { word, ethertype }));
        }
        if let Some((word, nlpid, pdu_types)) = iso_proto(&w) {
            self.pos += 1;
            self.last = None;
            return Ok(self.prim(PrimKind::Iso {
                word,
                nlpid,
                pdu_types,
            }));
        }
        let mut q = DEFAULT_QUAL;
        let mut any = false;
        if let Some(p) = protocol(&w) {
            q.proto = Some(p);
            any = true;
            self.pos += 1;
            match self.word() {
                Some("proto") => {
                    self.pos += 1;
                    return match p {
                        Proto::Ip | Proto::Ip6 => self.ip_proto(Some(p)),
                        Proto::Ether => {
                            let n = self.number_arg("proto")?;
                            if n > 0xffff {
                                return Err(self.error_at(
                                    self.pos - 1,
                                    "ether proto out of range",
                                    "0..0xffff",
                                ));
                            }
                            self.last = None;
                            Ok(self.prim(PrimKind::EtherProto(n as u16)))
                        }
                        _ => Err(self.error_at(
                            self.pos - 1,
                            format!("'{} proto' is not valid", p.name()),
                            "'ip proto', 'ip6 proto', 'ether proto' or 'proto'",
                        )),
                    };
                }
                // libpcap lets any protocol qualifier stand before the
                // 802.11 words, and ignores it.
                Some("type" | "subtype") => return self.wlan_type(),
                Some("dir") => return self.wlan_dir(),
                Some("broadcast") | Some("multicast") => {
                    let bc = self.is_word("broadcast");
                    let kind = match (p, bc) {
                        (Proto::Ether, true) => PrimKind::EtherBroadcast,
                        (Proto::Ether, false) => PrimKind::EtherMulticast,
                        (Proto::Ip, false) => PrimKind::IpMulticast,
                        (Proto::Ip6, false) => PrimKind::Ip6Multicast,
                        (Proto::Ip, true) => PrimKind::IpBroadcast,
                        _ => {
                            return Err(self.error(
                                format!("'{} {}' is not supported by sockscope", p.name(), self.word().unwrap_or("")),
                                "'ether broadcast', 'ether multicast', 'ip multicast' or 'ip6 multicast'",
                            ));
                        }
                    };
                    self.pos += 1;
                    self.last = None;
                    return Ok(self.prim(kind));
                }
                _ => {}
            }
        }
        // Direction.
        let dirs = [
            ("src", Dir::Src),
            ("dst", Dir::Dst),
            ("addr1", Dir::Addr(1)),
            ("address1", Dir::Addr(1)),
            ("addr2", Dir::Addr(2)),
            ("address2", Dir::Addr(2)),
            ("addr3", Dir::Addr(3)),
            ("address3", Dir::Addr(3)),
            ("addr4", Dir::Addr(4)),
            ("address4", Dir::Addr(4)),
            ("ra", Dir::Ra),
            ("ta", Dir::Ta),
        ];
        if let Some(d) = self.take_word(&dirs) {
            any = true;
            q.dir = d;
            let conn = self.word().map(str::to_string);
            let other = match self.peek_at(1) {
                Some(Tok::Word(w)) => Some(w.clone()),
                _ => None,
            };
            if let (Some(c), Some(o)) = (conn, other) {
                let other_dir = if d == Dir::Src { "dst" } else { "src" };
                if (c == "or" || c == "and") && o == other_dir {
                    self.pos += 2;
                    q.dir = if c == "or" {
                        Dir::SrcOrDst
                    } else {
                        Dir::SrcAndDst
                    };
                }
            }
        }
        // Kind.
        let kinds = [
            ("host", Kind::Host),
            ("net", Kind::Net),
            ("port", Kind::Port),
            ("portrange", Kind::PortRange),
        ];
        if let Some(k) = self.take_word(&kinds) {
            any = true;
            q.kind = k;
        }
        if !any {
            let msg = if self.word().is_some_and(|w| !is_keyword(w)) {
                format!("unknown word '{w}'")
            } else {
                self.describe_here()
            };
            return Err(self.error(
                msg,
                "a primitive (host, net, port, portrange, tcp, udp, ip, ip6, arp, icmp, vlan, …), 'not' or '('",
            ));
        }
        // A protocol name alone: `tcp`, `ip6`.
        if q.dir == Dir::Any && q.kind == Kind::Default {
            let p = q.proto.unwrap_or(Proto::Ip);
            if p == Proto::Ether {
                return Err(self.error(
                    "'ether' needs more",
                    "'ether host|src|dst MAC', 'ether proto N', 'ether broadcast' or 'ether[offset]'",
                ));
            }
            self.last = None;
            return Ok(self.prim(PrimKind::Proto(p)));
        }
        if self.is_punct("(") {
            // `host (a or b)`: the qualifiers apply inside.
            self.pos += 1;
            let saved = self.last;
            self.last = Some(q);
            let inner = self.expr()?;
            if !self.is_punct(")") {
                return Err(self.error(self.describe_here(), "')'"));
            }
            self.pos += 1;
            self.last = saved.map(|_| q).or(Some(q));
            return Ok(inner);
        }
        self.qualified_id(q)
    }

    /// `type T [subtype S]` or `subtype S` (the word is the current one):
    /// names from libpcap's tables, or a type as the frame control byte's
    /// type bits (`type 8`) and a subtype as its subtype bits.
    fn wlan_type(&mut self) -> PResult<Expr> {
        use super::words::{wlan_any_subtype, wlan_subtype, wlan_type};
        let alone = self.is_word("subtype");
        self.pos += 1;
        let type_name = |_: &str| "unknown 802.11 type name".to_string();
        let (ty, subtype) = if alone {
            let both = self.wlan_value("subtype", 0, &wlan_any_subtype, &type_name)?;
            (both & 0x0c, Some(both & 0xf0))
        } else {
            let ty = self.wlan_value("type", 0x0c, &|w| wlan_type(w), &type_name)?;
            (ty, None)
        };
        let subtype = match subtype {
            None if self.is_word("subtype") => {
                self.pos += 1;
                let unknown = |w: &str| format!("unknown 802.11 subtype name \"{w}\"");
                Some(self.wlan_value("subtype", 0xf0, &|w| wlan_subtype(ty, w), &unknown)?)
            }
            s => s,
        };
        self.last = None;
        Ok(self.prim(PrimKind::WlanType { ty, subtype }))
    }

    /// The name or number after `type` or `subtype` (`what`): a number
    /// must have only the bits of `bits` (none: names only), a name is
    /// looked up with `name`; `unknown` says what an unknown name is.
    fn wlan_value(
        &mut self,
        what: &str,
        bits: u32,
        name: &dyn Fn(&str) -> Option<u8>,
        unknown: &dyn Fn(&str) -> String,
    ) -> PResult<u8> {
        let at = self.pos;
        let v = match self.peek().cloned() {
            Some(Tok::Word(w)) => name(&w).ok_or_else(|| self.error_at(at, unknown(&w), "")),
            Some(Tok::Num(n)) if bits != 0 && n & !bits == 0 => Ok(n as u8),
            Some(Tok::Num(n)) => {
                let msg = format!("invalid 802.11 {what} value 0x{n:02x}");
                Err(self.error_at(at, msg, ""))
            }
            _ => Err(self.error_at(at, self.describe_at(at), "an 802.11 type or subtype name")),
        }?;
        self.pos += 1;
        Ok(v)
    }

    /// `dir D` (the word is the current one): a direction name or any
    /// number, as libpcap takes them.
    fn wlan_dir(&mut self) -> PResult<Expr> {
        self.pos += 1;
        let at = self.pos;
        let d = match self.peek().cloned() {
            Some(Tok::Num(n)) => n,
            Some(Tok::Word(w)) => super::words::wlan_dir(&w).ok_or_else(|| {
                self.error_at(
                    at,
                    "unknown 802.11 direction",
                    "nods, tods, fromds or dstods",
                )
            })?,
            _ => {
                return Err(self.error_at(
                    at,
                    self.describe_at(at),
                    "an 802.11 direction (nods, tods, fromds, dstods) or number",
                ));
            }
        };
        self.pos += 1;
        self.last = None;
        Ok(self.prim(PrimKind::WlanDir(d)))
    }

    fn ip_proto(&mut self, p: Option<Proto>) -> PResult<Expr> {
        let n = self.number_arg("proto")?;
        if n > 255 {
            return Err(self.error_at(self.pos - 1, "protocol number out of range", "0..255"));
        }
        self.last = None;
        Ok(self.prim(PrimKind::IpProto(p, n as u8)))
    }

    /// Reads the id after qualifiers `q` (or a bare id reusing them) and
    /// builds the primitive.
    fn qualified_id(&mut self, q: Qual) -> PResult<Expr> {
        let at = self.pos;
        let Some(tok) = self.peek().cloned() else {
            return Err(self.error("", "an address, a number or a name after the qualifiers"));
        };
        let is_keyword_here = match &tok {
            Tok::Word(w) => is_keyword(w),
            Tok::Punct(_) => true,
            _ => false,
        };
        if is_keyword_here {
            let what = match q.kind {
                Kind::Port => "a port number after 'port'",
                Kind::PortRange => "a port range LO-HI after 'portrange'",
                Kind::Net => "a network (10.0.0.0/8, 2001:db8::/32) after 'net'",
                Kind::Host => "an address after 'host'",
                Kind::Default => "an address, or 'host', 'net', 'port' or 'portrange'",
            };
            return Err(self.error(self.describe_here(), what));
        }
        self.pos += 1;
        let kind = self.make_prim(q, tok, at)?;
        self.last = Some(q);
        Ok(self.prim(kind))
    }

    fn make_prim(&mut self, q: Qual, tok: Tok, at: usize) -> PResult<PrimKind> {
        let Qual { proto, dir, kind } = q;
        let bad = |s: &Self, msg: String, exp: &str| Err(s.error_at(at, msg, exp));
        if let (Kind::Port | Kind::PortRange, true) = (kind, dir.is_wlan()) {
            let w = dir.prefix().trim_end();
            let msg = format!("'{w}' is not a valid qualifier for ports");
            return bad(self, msg, "src or dst");
        }
        if dir.is_wlan() && proto != Some(Proto::Ether) {
            let msg = "ethernet address used in non-ether expression".to_string();
            return bad(
                self,
                msg,
                "'wlan' (or 'ether') before the 802.11 address qualifier",
            );
        }
        if dir.is_wlan() && !matches!(tok, Tok::Mac(_)) {
            let msg = "illegal link layer address".to_string();
            return bad(self, msg, "a MAC address after an 802.11 address qualifier");
        }
        match kind {
            Kind::Port | Kind::PortRange => {
                if let Some(p) = proto
                    && !matches!(p, Proto::Tcp | Proto::Udp | Proto::Sctp)
                {
                    return bad(
                        self,
                        format!("'{} port' is not valid", p.name()),
                        "'tcp', 'udp' or 'sctp' before 'port'",
                    );
                }
                let (lo, hi) = match (&tok, kind) {
                    (Tok::Num(n), _) => (*n, *n),
                    (Tok::Range(a, b), Kind::PortRange) => (*a.min(b), *a.max(b)),
                    (Tok::Range(..), _) => {
                        return bad(self, "a range after 'port'".into(), "'portrange LO-HI'");
                    }
                    (Tok::Word(w), _) => match service_port(w) {
                        Some(p) => (p as u32, p as u32),
                        None => {
                            return bad(
                                self,
                                format!("unknown port name '{w}'"),
                                "a port number (only a few service names are known)",
                            );
                        }
                    },
                    _ => {
                        return bad(self, "not a port".into(), "a port number or LO-HI range");
                    }
                };
                if hi > 65535 {
                    return bad(self, "port out of range".into(), "0..65535");
                }
                Ok(PrimKind::Port {
                    proto,
                    dir,
                    lo: lo as u16,
                    hi: hi as u16,
                    range: kind == Kind::PortRange,
                })
            }
            Kind::Net => self.make_net(q, tok, at),
            Kind::Host | Kind::Default => {
                let addr = match tok {
                    Tok::V4(a, 4) => HostAddr::V4(a),
                    Tok::V4(..) => {
                        return bad(
                            self,
                            "incomplete IPv4 address".into(),
                            "four dotted numbers, or 'net' for a network",
                        );
                    }
                    Tok::V6(a) => HostAddr::V6(a),
                    Tok::Mac(m) => HostAddr::Mac(m),
                    Tok::Word(w) if kind == Kind::Default => {
                        return bad(
                            self,
                            format!("unknown word '{w}' (and host names are not resolved)"),
                            "a primitive (host, net, port, tcp, udp, ip, …) or a numeric address",
                        );
                    }
                    Tok::Word(w) => {
                        return bad(
                            self,
                            format!("'{w}': host names are not resolved"),
                            "a numeric IPv4, IPv6 or MAC address",
                        );
                    }
                    Tok::Num(_) | Tok::Range(..) => {
                        return bad(
                            self,
                            "a number needs a qualifier".into(),
                            "'port N', 'net N' or a full address",
                        );
                    }
                    Tok::Punct(_) => {
                        return Err(self.error_at(
                            at,
                            self.describe_at(at),
                            "an address, a number or a name after the qualifiers",
                        ));
                    }
                };
                if self.is_punct("/") || self.is_word("mask") {
                    return bad(
                        self,
                        "a mask is for networks".into(),
                        "'net ADDR/LEN' instead of 'host'",
                    );
                }
                let ok = matches!(
                    (addr, proto),
                    (_, None)
                        | (HostAddr::V4(_), Some(Proto::Ip | Proto::Arp | Proto::Rarp))
                        | (HostAddr::V6(_), Some(Proto::Ip6))
                        | (HostAddr::Mac(_), Some(Proto::Ether))
                );
                if !ok {
                    return bad(
                        self,
                        format!(
                            "'{}' does not go with this address",
                            proto.map(|p| p.name()).unwrap_or("")
                        ),
                        "ip/arp/rarp for IPv4, ip6 for IPv6, ether for MAC",
                    );
                }
                Ok(PrimKind::Host { proto, dir, addr })
            }
        }
    }

    fn describe_at(&self, at: usize) -> String {
        match self.toks.get(at) {
            Some(t) => format!("unexpected '{}'", &self.src[t.start..t.start + t.len]),
            None => "unexpected end of expression".into(),
        }
    }

    /// The value `table` gives the current word, if any (the word is then
    /// consumed).
    fn take_word<T: Copy>(&mut self, table: &[(&str, T)]) -> Option<T> {
        let w = self.word()?;
        let (_, v) = table.iter().find(|(name, _)| *name == w)?;
        self.pos += 1;
        Some(*v)
    }

    /// An optional `/LEN` after a network address, of at most `max` bits.
    fn prefix_len(&mut self, max: u32) -> PResult<Option<u32>> {
        if !self.is_punct("/") {
            return Ok(None);
        }
        self.pos += 1;
        let n = self.number_arg("/")?;
        if n > max {
            let range = format!("0..{max}");
            return Err(self.error_at(self.pos - 1, "prefix length too long", &range));
        }
        Ok(Some(n))
    }

    fn make_net(&mut self, q: Qual, tok: Tok, at: usize) -> PResult<PrimKind> {
        let Qual { proto, dir, .. } = q;
        let net = match tok {
            Tok::V4(a, parts) => {
                let prefix = self.prefix_len(32)?;
                let bits = prefix.unwrap_or(u32::from(parts) * 8);
                let mut mask: Option<u32> = None;
                if prefix.is_none() && self.is_word("mask") {
                    self.pos += 1;
                    match self.peek() {
                        Some(Tok::V4(m, 4)) => {
                            mask = Some(u32::from(*m));
                            self.pos += 1;
                        }
                        _ => {
                            return Err(
                                self.error(self.describe_here(), "a dotted netmask after 'mask'")
                            );
                        }
                    }
                }
                // A zero-length prefix shifts every bit out: no mask.
                let mask = mask.unwrap_or(u32::MAX.checked_shl(32 - bits).unwrap_or(0));
                if u32::from(a) & !mask != 0 {
                    let hint = "an address with the host bits zero (e.g. 10.1.0.0/16)";
                    return Err(self.error_at(at, HOST_BITS, hint));
                }
                NetAddr::V4(a, Ipv4Addr::from(mask))
            }
            Tok::Num(n) => {
                // `net 10` is 10.0.0.0/8, like inet_network().
                let (mut v, mut mask) = (n, u32::MAX);
                if v != 0 {
                    while v & 0xff00_0000 == 0 {
                        v <<= 8;
                        mask <<= 8;
                    }
                } else {
                    mask = 0;
                }
                NetAddr::V4(Ipv4Addr::from(v), Ipv4Addr::from(mask))
            }
            Tok::V6(a) => {
                let len = self.prefix_len(128)?.unwrap_or(128);
                let m = u128::MAX.checked_shl(128 - len).unwrap_or(0);
                if u128::from(a) & !m != 0 {
                    let hint = "an address with the host bits zero";
                    return Err(self.error_at(at, HOST_BITS, hint));
                }
                NetAddr::V6(Ipv6Addr::from(u128::from(a)), len as u8)
            }
            Tok::Word(w) => {
                return Err(self.error_at(
                    at,
                    format!("'{w}': network names are not resolved"),
                    "a numeric network (10.0.0.0/8)",
                ));
            }
            _ => {
                return Err(self.error_at(
                    at,
                    self.describe_at(at),
                    "a network (10.0.0.0/8, 10.1, 2001:db8::/32)",
                ));
            }
        };
        let ok = matches!(
            (net, proto),
            (_, None)
                | (NetAddr::V4(..), Some(Proto::Ip | Proto::Arp | Proto::Rarp))
                | (NetAddr::V6(..), Some(Proto::Ip6))
        );
        if !ok {
            return Err(self.error_at(
                at,
                "this protocol does not go with this network",
                "ip/arp/rarp for IPv4, ip6 for IPv6",
            ));
        }
        Ok(PrimKind::Net { proto, dir, net })
    }
}

#[cfg(test)]
mod tests {
    use crate::filter::{Filter, FilterError};

    /// Parses and prints the normalized form.
    fn norm(s: &str) -> String {
        match Filter::parse(s) {
            Ok(f) => f.to_string(),
            Err(e) => panic!("{s:?} should parse:\n{e}"),
        }
    }

    fn err(s: &str) -> FilterError {
        match Filter::parse(s) {
            Ok(f) => panic!("{s:?} should fail, parsed as {f}"),
            Err(e) => e,
        }
    }

    /// Each expression prints in its normalized form.
    fn norms(cases: &[(&str, &str)]) {
        for (expr, want) in cases {
            assert_eq!(norm(expr), *want, "{expr}");
        }
    }

    /// The caret line of the error message, and the message's first line.
    fn caret(s: &str) -> (String, String) {
        let text = err(s).to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[1],
            format!("  {s}"),
            "second line repeats the expression"
        );
        (lines[0].to_string(), lines[2].trim_end().to_string())
    }

    #[test]
    fn protocols() {
        for p in [
            "ip", "ip6", "arp", "rarp", "tcp", "udp", "icmp", "icmp6", "sctp", "igmp",
        ] {
            assert_eq!(norm(p), p);
        }
        norms(&[
            ("ip proto 17", "ip proto 17"),
            ("ip6 proto 58", "ip6 proto 58"),
            ("proto 6", "proto 6"),
            ("ip proto \\tcp", "ip proto 6"),
            ("ether proto 0x806", "ether proto 0x0806"),
            ("ether proto \\arp", "ether proto 0x0806"),
        ]);
    }

    #[test]
    fn hosts_and_nets() {
        norms(&[
            ("host 10.0.0.1", "host 10.0.0.1"),
            ("10.0.0.1", "host 10.0.0.1"),
            ("src host 10.0.0.1", "src host 10.0.0.1"),
            ("dst 10.0.0.1", "dst host 10.0.0.1"),
            ("ip src 10.0.0.1", "ip src host 10.0.0.1"),
            ("arp host 10.0.0.1", "arp host 10.0.0.1"),
            ("src or dst host 1.2.3.4", "src or dst host 1.2.3.4"),
            ("src and dst host 1.2.3.4", "src and dst host 1.2.3.4"),
            ("host ::1", "host ::1"),
            ("ip6 host fe80::1", "ip6 host fe80::1"),
            ("ether host 0:1:2:3:4:5", "ether host 00:01:02:03:04:05"),
            ("ether src 0:1:2:3:4:5", "ether src host 00:01:02:03:04:05"),
            ("net 10.0.0.0/8", "net 10.0.0.0/8"),
            ("net 10.1", "net 10.1.0.0/16"),
            ("net 10", "net 10.0.0.0/8"),
            ("net 10.0.0.0 mask 255.255.0.0", "net 10.0.0.0/16"),
            ("dst net 2001:db8::/32", "dst net 2001:db8::/32"),
        ]);
    }

    #[test]
    fn ports() {
        norms(&[
            ("port 80", "port 80"),
            ("tcp dst port 80", "tcp dst port 80"),
            ("udp src port 53", "udp src port 53"),
            ("port http", "port 80"),
            ("portrange 1000-2000", "portrange 1000-2000"),
            ("portrange 2000-1000", "portrange 1000-2000"),
            ("sctp portrange 1-2", "sctp portrange 1-2"),
        ]);
    }

    #[test]
    fn implicit_repetition_reuses_the_last_qualifiers() {
        norms(&[
            ("port 80 or 443", "(port 80 or port 443)"),
            (
                "tcp dst port 80 or 443 or 8080",
                "(tcp dst port 80 or tcp dst port 443 or tcp dst port 8080)",
            ),
            (
                "host 10.0.0.1 and 10.0.0.2",
                "(host 10.0.0.1 and host 10.0.0.2)",
            ),
            (
                "host 10.0.0.1 and not 10.0.0.2",
                "(host 10.0.0.1 and not host 10.0.0.2)",
            ),
            (
                "host 1.1.1.1 and (2.2.2.2 or 3.3.3.3)",
                "(host 1.1.1.1 and (host 2.2.2.2 or host 3.3.3.3))",
            ),
            (
                "host (1.1.1.1 or 2.2.2.2)",
                "(host 1.1.1.1 or host 2.2.2.2)",
            ),
            (
                "src net 10.0.0.0/8 or 192.168.0.0/16",
                "(src net 10.0.0.0/8 or src net 192.168.0.0/16)",
            ),
        ]);
    }

    #[test]
    fn connectives_are_left_associative_with_equal_precedence() {
        norms(&[
            ("tcp or udp and icmp", "((tcp or udp) and icmp)"),
            ("tcp && udp || icmp", "((tcp and udp) or icmp)"),
            ("not tcp and udp", "(not tcp and udp)"),
            ("!tcp", "not tcp"),
            ("not not tcp", "not not tcp"),
            ("tcp and (udp or icmp)", "(tcp and (udp or icmp))"),
            ("((tcp))", "tcp"),
        ]);
    }

    #[test]
    fn vlan_len_greater_less_broadcast() {
        norms(&[
            ("vlan", "vlan"),
            ("vlan 10 and ip", "(vlan 10 and ip)"),
            ("greater 100", "greater 100"),
            ("less 100", "less 100"),
            ("len > 100", "len > 100"),
            ("len <= 0x10", "len <= 16"),
            ("ether broadcast", "ether broadcast"),
            ("ether multicast", "ether multicast"),
            (
                "ip multicast or ip6 multicast",
                "(ip multicast or ip6 multicast)",
            ),
        ]);
    }

    #[test]
    fn byte_access_arithmetic_and_constants() {
        norms(&[
            ("tcp[13] = 2", "tcp[13] = 2"),
            ("ip[2:2] > 576", "ip[2:2] > 576"),
            ("udp[8:4] == 1", "udp[8:4] = 1"),
            ("tcp[tcpflags] & tcp-syn != 0", "(tcp[13] & 2) != 0"),
            ("icmp[icmptype] = icmp-echo", "icmp[0] = 8"),
            ("icmp6[icmp6type] = icmp6-echo", "icmp6[0] = 128"),
            ("(tcp[13] & 2) != 0", "(tcp[13] & 2) != 0"),
            (
                "tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn|tcp-ack",
                "(tcp[13] & (2 | 16)) = (2 | 16)",
            ),
        ]);
        // C precedence: * over +, + over <<, << over &, & over ^, ^ over |.
        norms(&[
            ("1 + 2 * 3 = 7", "(1 + (2 * 3)) = 7"),
            ("1 << 2 + 1 = 8", "(1 << (2 + 1)) = 8"),
            ("ip[0] & 0xf << 2 = 0", "(ip[0] & (15 << 2)) = 0"),
            ("1 | 2 ^ 3 & 4 = 0", "(1 | (2 ^ (3 & 4))) = 0"),
            ("10 - 2 - 3 = 5", "((10 - 2) - 3) = 5"),
            ("-ip[9] = -6", "-(ip[9]) = -(6)"),
            ("ip[ip[0] & 0xf] % 3 < 2", "(ip[(ip[0] & 15)] % 3) < 2"),
            (
                "ether[0] & 1 = 1 or ip6[6] >= 0",
                "((ether[0] & 1) = 1 or ip6[6] >= 0)",
            ),
            (
                "arp[7] = 2 and len - 14 > 0",
                "(arp[7] = 2 and (len - 14) > 0)",
            ),
        ]);
    }

    #[test]
    fn normalized_form_parses_back_to_itself() {
        for s in [
            "port 80 or 443",
            "tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn",
            "host 1.1.1.1 and not (2.2.2.2 or 3.3.3.3)",
            "vlan 10 and vlan 20 and udp src portrange 1-9",
            "not tcp[13] = 2 and ether src 0:1:2:3:4:5",
            "-ip[9] = -6 or ip6 net 2001:db8::/32",
        ] {
            let once = norm(s);
            assert_eq!(norm(&once), once, "from {s}");
        }
    }

    #[test]
    fn empty_expression_matches_everything() {
        let f = Filter::parse("  ").unwrap();
        assert!(f.is_match_all());
        assert!(f.matches(crate::packet::LinkType::Ethernet, &[], 0));
        assert_eq!(f.to_string(), "");
    }

    #[test]
    fn encapsulations_and_words_libpcap_refuses_parse() {
        norms(&[
            ("mpls", "mpls"),
            ("mpls 100 and mpls and ip", "(mpls 100 and mpls and ip)"),
            ("vlan and pppoes 5 and ip6", "(vlan and pppoes 5 and ip6)"),
            (
                "pppoed or vrrp or carp",
                "(pppoed or ip proto 112 or ip proto 112)",
            ),
            ("ip broadcast", "ip broadcast"),
            ("geneve 5 and ip", "(geneve 5 and ip)"),
            ("inbound and not outbound", "(inbound and not outbound)"),
            ("ifname eth0 or opc 5", "(ifname eth0 or opc 5)"),
            ("gateway 1.2.3.4", "gateway 1.2.3.4"),
            ("lane and tcp", "(lane and tcp)"),
        ]);
    }

    #[test]
    fn error_carets_for_common_mistakes() {
        // (expression, caret column and width under the echoed expression, message)
        #[rustfmt::skip]
        let cases = [
            ("tcp port and udp", 11, 3, "unexpected 'and'"),
            ("host foo", 7, 3, "'foo': host names are not resolved"),
            ("port 80 or", 12, 1, "unexpected end of expression"),
            ("(tcp or udp", 13, 1, "unexpected end of expression"),
            ("tcp[13", 8, 1, "unexpected end of expression"),
            ("tcp[13] & 2 =", 15, 1, "unexpected end of expression"),
            ("tcp udp", 6, 3, "unexpected word after a complete expression"),
            ("tcp and 80", 10, 2, "unexpected '80': a bare value needs a qualifier"),
            ("port 99999", 7, 5, "port out of range"),
            ("ip[0:3] = 1", 7, 1, "bad load size"),
            ("net 10.0.0.1/8", 6, 8, "non-network bits set in the address"),
            ("host 10.0.0.0/8", 7, 8, "a mask is for networks"),
            ("vxlan 5", 2, 5, "'vxlan' is not supported by sockscope"),
            ("mpls 1048576", 7, 7, "MPLS label 1048576 greater than maximum 1048575"),
            ("pppoes 65536", 9, 5, "PPPoE session number 65536 greater than maximum 65535"),
            ("geneve 16777216", 9, 8, "Geneve VNI 16777216 greater than maximum 16777215"),
            ("tcp host 1.2.3.4", 11, 7, "'tcp' does not go with this address"),
            ("ip port 80", 10, 2, "'ip port' is not valid"),
            ("ip[2] / 0 = 1", 10, 1, "division by zero"),
            ("ip[2] << 32 = 1", 11, 2, "shift by more than 31 bits"),
            ("tcp $ udp", 6, 1, "unexpected character '$'"),
            ("ether", 7, 1, "'ether' needs more"),
            ("frobnicate", 2, 10, "unknown word 'frobnicate' (and host names are not resolved)"),
            ("tcp[13] & 2", 13, 1, "unexpected end of expression"),
            ("ip6 host 10.0.0.1", 11, 8, "'ip6' does not go with this address"),
            ("vlan 5000", 7, 4, "VLAN id out of range"),
        ];
        for (expr, col, width, msg) in cases {
            let (first, c) = caret(expr);
            assert_eq!(first, format!("invalid filter: {msg}"), "{expr}");
            let want = format!("{}{}", " ".repeat(col), "^".repeat(width));
            assert_eq!(c, want, "caret for {expr}");
        }
        let e = err("tcp port and udp");
        assert_eq!(e.expected.as_deref(), Some("a port number after 'port'"));
        assert_eq!((e.start, e.len, e.word()), (9, 3, "and"));
        assert_eq!(err("port 80 or").word(), "", "at the end");
        assert!(
            err("host foo")
                .to_string()
                .ends_with("expected: a numeric IPv4, IPv6 or MAC address")
        );
    }

    #[test]
    fn deep_or_long_expressions_are_refused_or_flat() {
        let deep = format!("{}tcp{}", "(".repeat(5000), ")".repeat(5000));
        assert_eq!(err(&deep).message, "the expression nests too deeply");
        let nots = format!("{}tcp", "not ".repeat(5000));
        assert_eq!(err(&nots).message, "the expression nests too deeply");
        let minus = format!("{}1 = 1", "-".repeat(5000));
        assert_eq!(err(&minus).message, "the arithmetic nests too deeply");
        let sum = format!("ip[0]{} = 1", " + ip[1]".repeat(5000));
        assert_eq!(err(&sum).message, "the arithmetic expression is too long");
        // 5000 alternatives are fine: the chain is one flat node.
        let ports: Vec<String> = (1..5000).map(|p| p.to_string()).collect();
        let f = Filter::parse(&format!("port {}", ports.join(" or "))).unwrap();
        assert!(f.to_string().starts_with("(port 1 or port 2 or"));
        assert!(!f.matches(crate::packet::LinkType::Ethernet, &[0; 60], 60));
    }

    #[test]
    fn never_panics_on_prefixes_and_garbage() {
        let text = include_str!("../../../tests/filter/expressions.txt");
        for line in text.lines() {
            for (i, _) in line.char_indices() {
                let _ = Filter::parse(&line[..i]);
                let _ = Filter::parse(&line[i..]);
            }
        }
        for s in [
            "(((((",
            ")",
            "[]",
            "::",
            "1-",
            "-",
            "\\",
            "0x",
            "09",
            "ip[",
            "ip[1:",
            "é",
            "host 1.2.3.4.5",
            "net 1.2.3.4 mask",
            "not not not",
        ] {
            let _ = Filter::parse(s);
        }
    }
}
