//! Splits a filter expression into tokens, each with its byte span so that
//! errors can put a caret under the offending word.
//!
//! tcpdump's lexer decides what a run of characters is by its shape: `10.0.0.1`
//! is an address, `fe80::1` an IPv6 address, `0:1:2:3:4:5` a MAC, `tcp-syn` a
//! name, `1000-2000` a port range. We do the same: take the longest run of
//! word characters, then classify it, falling back to a shorter token (a
//! number) when the run is not a valid address (`ip[2:2]` is `2` `:` `2`).

use std::net::{Ipv4Addr, Ipv6Addr};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    /// A number: decimal, `0x` hex or leading-zero octal, as tcpdump reads them.
    Num(u32),
    /// A word: keyword, named constant, or something to complain about.
    Word(String),
    /// Dotted IPv4, possibly partial (`10.1`): the value and how many parts it had.
    V4(Ipv4Addr, u8),
    V6(Ipv6Addr),
    Mac([u8; 6]),
    /// `A-B`, two numbers joined by a dash (a port range).
    Range(u32, u32),
    Punct(&'static str),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    /// Byte offset of the first character in the expression.
    pub start: usize,
    /// Length in bytes.
    pub len: usize,
}

/// A character the lexer cannot place; reported with a caret by the parser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError {
    pub start: usize,
    pub len: usize,
    pub message: String,
}

const PUNCTS: [&str; 23] = [
    "&&", "||", "<<", ">>", "<=", ">=", "!=", "==", "(", ")", "[", "]", ":", "!", "=", "<", ">",
    "+", "-", "*", "/", "&", "|",
];

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-' || c == ':'
}

/// Parses a number the way tcpdump does: `0x1f` hex, `017` octal, else decimal.
pub fn parse_number(s: &str) -> Option<u32> {
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        if hex.is_empty() {
            return None;
        }
        return u32::from_str_radix(hex, 16).ok();
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) || s.is_empty() {
        return None;
    }
    if s.len() > 1 && s.starts_with('0') {
        return u32::from_str_radix(&s[1..], 8).ok();
    }
    s.parse().ok()
}

fn parse_v4(s: &str) -> Option<(Ipv4Addr, u8)> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() < 2 || parts.len() > 4 {
        return None;
    }
    let mut octets = [0u8; 4];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.len() > 3 {
            return None;
        }
        octets[i] = p.parse().ok()?;
    }
    Some((Ipv4Addr::from(octets), parts.len() as u8))
}

fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() != 6 {
        return None;
    }
    let mut mac = [0u8; 6];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || p.len() > 2 {
            return None;
        }
        mac[i] = u8::from_str_radix(p, 16).ok()?;
    }
    Some(mac)
}

/// Classifies a run of word characters; `None` when no token of that exact
/// length makes sense (the caller then retries with a shorter run).
fn classify(run: &str) -> Option<Tok> {
    if run.contains(':') {
        if let Some(mac) = parse_mac(run) {
            return Some(Tok::Mac(mac));
        }
        return run.parse::<Ipv6Addr>().ok().map(Tok::V6);
    }
    if let Some(n) = parse_number(run) {
        return Some(Tok::Num(n));
    }
    if let Some((a, parts)) = parse_v4(run) {
        return Some(Tok::V4(a, parts));
    }
    if let Some((a, b)) = run.split_once('-')
        && let (Some(a), Some(b)) = (parse_number(a), parse_number(b))
    {
        return Some(Tok::Range(a, b));
    }
    let first = run.chars().next()?;
    if first.is_ascii_alphanumeric() || first == '_' {
        return Some(Tok::Word(run.to_string()));
    }
    None
}

pub fn lex(input: &str) -> Result<Vec<Token>, LexError> {
    let mut out = Vec::new();
    let bytes = input.as_bytes();
    let mut i = 0;
    while i < input.len() {
        let c = input[i..].chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        // A backslash escapes a protocol name used as a number (`proto \tcp`).
        let escaped = c == '\\';
        let start = i;
        let word_start = if escaped { i + 1 } else { i };
        let starts_word = input[word_start..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            || (!escaped && c == ':' && input[i..].starts_with("::"));
        if starts_word {
            let mut end = word_start;
            while end < input.len() && is_word_char(bytes[end] as char) {
                end += 1;
            }
            // Longest run first; shrink at ':' (`2:2` inside brackets) and a
            // trailing '-' or '.' until something classifies.
            let mut cut = end;
            loop {
                let run = &input[word_start..cut];
                if let Some(mut tok) = classify(run) {
                    if escaped {
                        tok = match tok {
                            Tok::Word(w) => Tok::Word(format!("\\{w}")),
                            other => other,
                        };
                    }
                    // CIDR suffix: only after an address (a bare `4/2` is division).
                    let mut tok_end = cut;
                    if matches!(tok, Tok::V4(..) | Tok::V6(..))
                        && bytes.get(cut) == Some(&b'/')
                        && bytes.get(cut + 1).is_some_and(|b| b.is_ascii_digit())
                    {
                        let mut e = cut + 1;
                        while e < input.len() && bytes[e].is_ascii_digit() {
                            e += 1;
                        }
                        out.push(Token {
                            tok,
                            start,
                            len: cut - start,
                        });
                        out.push(Token {
                            tok: Tok::Punct("/"),
                            start: cut,
                            len: 1,
                        });
                        let n = parse_number(&input[cut + 1..e]).unwrap_or(u32::MAX);
                        out.push(Token {
                            tok: Tok::Num(n),
                            start: cut + 1,
                            len: e - cut - 1,
                        });
                        tok_end = e;
                        i = tok_end;
                        break;
                    }
                    out.push(Token {
                        tok,
                        start,
                        len: tok_end - start,
                    });
                    i = tok_end;
                    break;
                }
                // Shrink to the last separator and try again.
                let run = &input[word_start..cut];
                match run.rfind([':', '-', '.']) {
                    Some(p) if p > 0 => cut = word_start + p,
                    _ => {
                        return Err(LexError {
                            start,
                            len: end - start,
                            message: format!("cannot read '{}'", &input[start..end]),
                        });
                    }
                }
            }
            continue;
        }
        if let Some(p) = PUNCTS.iter().find(|p| input[i..].starts_with(**p)) {
            out.push(Token {
                tok: Tok::Punct(p),
                start: i,
                len: p.len(),
            });
            i += p.len();
            continue;
        }
        // '%' and '^' are arithmetic too.
        if c == '%' || c == '^' {
            out.push(Token {
                tok: Tok::Punct(if c == '%' { "%" } else { "^" }),
                start: i,
                len: 1,
            });
            i += 1;
            continue;
        }
        return Err(LexError {
            start: i,
            len: c.len_utf8(),
            message: format!("unexpected character '{c}'"),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn brackets_split_colon() {
        assert_eq!(
            toks("ip[2:2]"),
            vec![
                Tok::Word("ip".into()),
                Tok::Punct("["),
                Tok::Num(2),
                Tok::Punct(":"),
                Tok::Num(2),
                Tok::Punct("]")
            ]
        );
    }

    #[test]
    fn addresses_and_names() {
        assert_eq!(
            toks("10.0.0.0/8 fe80::1 ::1 0:1:2:3:4:ff tcp-syn 1-100 0x800 010"),
            vec![
                Tok::V4(Ipv4Addr::new(10, 0, 0, 0), 4),
                Tok::Punct("/"),
                Tok::Num(8),
                Tok::V6("fe80::1".parse().unwrap()),
                Tok::V6("::1".parse().unwrap()),
                Tok::Mac([0, 1, 2, 3, 4, 0xff]),
                Tok::Word("tcp-syn".into()),
                Tok::Range(1, 100),
                Tok::Num(0x800),
                Tok::Num(8),
            ]
        );
    }

    #[test]
    fn operators_and_spans() {
        let t = lex("a&&!b||c>=1<<2").unwrap();
        let p: Vec<_> = t.iter().map(|t| (t.start, t.len)).collect();
        assert_eq!(
            p,
            vec![
                (0, 1),
                (1, 2),
                (3, 1),
                (4, 1),
                (5, 2),
                (7, 1),
                (8, 2),
                (10, 1),
                (11, 2),
                (13, 1)
            ]
        );
    }

    #[test]
    fn test_malformed_character() {
        let e = lex("tcp $ udp").unwrap_err();
        assert_eq!((e.start, e.len), (4, 1));
    }
}
