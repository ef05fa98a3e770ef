//! The architecture test (ArchUnit's idea): reads `src/` and checks the rules
//! the README's Layout section states, so a change that breaks one fails here
//! with the file and line, not in a review months later.
//!
//! 1. Only `main.rs` and `cli/` use clap.
//! 2. Only `sys/` contains `unsafe`.
//! 3. `output/` imports only `decode`, `dissect`, `flow`, `packet` (and itself).
//! 4. Byte-offset reads of packet data live in `decode/` and `dissect/`: the
//!    consumers of decoded packets (`output/`, `flow/`, `pipeline/`, `demo/`,
//!    `cli/`) hold no `from_be_bytes`/`from_le_bytes`, no indexing or slicing
//!    with an integer literal, no `.get(N…)`. (`filter/` runs BPF over the raw
//!    bytes by design, `source/` and `sys/` parse file and ring formats, not
//!    packets, and `endpoints/` handles socket streams.)
//! 5. Nothing imports `demo` except `cli`.
//!
//! Comments, string and char literals, and `#[cfg(test)]` modules at the end
//! of a file are blanked before checking, so prose and test fixtures do not
//! count. Each rule's checker has a unit test that feeds it a deliberate
//! violation and sees it fail.

use std::fs;
use std::path::{Path, PathBuf};

/// One source file: its path below `src/` (with `/`) and its code with
/// comments, literals and trailing test modules blanked (line numbers kept).
struct SourceFile {
    rel: String,
    code: String,
}

/// A broken rule: where, and which rule.
#[derive(Debug, PartialEq)]
struct Violation {
    file: String,
    line: usize,
    rule: &'static str,
    text: String,
}

/// Blank out comments, string/char literals and everything from a top-level
/// `#[cfg(test)]` on, keeping newlines so line numbers stay right.
fn code_only(src: &str) -> String {
    let src = match src.find("\n#[cfg(test)]") {
        Some(i) => &src[..i],
        None => src,
    };
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, c: u8| out.push(if c == b'\n' { b'\n' } else { b' ' });
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == b'/' && next == Some(b'/') {
            while i < b.len() && b[i] != b'\n' {
                out.push(b' ');
                i += 1;
            }
        } else if c == b'/' && next == Some(b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, b[i]);
                    i += 1;
                }
            }
        } else if c == b'r' && (next == Some(b'"') || next == Some(b'#')) && !ident_before(b, i) {
            // Raw string r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let end = b[j + 1..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(b.len(), |p| j + 1 + p + close.len());
            for &x in &b[i..end] {
                blank(&mut out, x);
            }
            i = end;
        } else if c == b'"' {
            blank(&mut out, c);
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    blank(&mut out, b[i]);
                    i += 1;
                }
                if i < b.len() {
                    blank(&mut out, b[i]);
                    i += 1;
                }
            }
            if i < b.len() {
                out.push(b' ');
                i += 1;
            }
        } else if c == b'\'' {
            // A char literal ('a', '\n', '\u{..}'), not a lifetime ('a).
            let end = if next == Some(b'\\') {
                b[i + 2..]
                    .iter()
                    .position(|&x| x == b'\'')
                    .map(|p| i + 2 + p)
            } else if b.get(i + 2) == Some(&b'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(e) => {
                    for &x in &b[i..=e] {
                        blank(&mut out, x);
                    }
                    i = e + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn ident_before(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}

/// Does `code` contain `word` as a whole identifier?
fn has_word(code: &str, word: &str) -> bool {
    code.match_indices(word).any(|(i, _)| {
        let b = code.as_bytes();
        let before = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        let after = b
            .get(i + word.len())
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_'));
        before && after
    })
}

/// The crate's top-level modules a line of code names (`crate::x`).
fn crate_modules(line: &str) -> Vec<String> {
    let mut mods = Vec::new();
    for (i, _) in line.match_indices("crate::") {
        if i > 0 && {
            let c = line.as_bytes()[i - 1];
            c.is_ascii_alphanumeric() || c == b'_'
        } {
            continue; // e.g. `mycrate::`
        }
        let rest = &line[i + "crate::".len()..];
        if let Some(braced) = rest.strip_prefix('{') {
            // `use crate::{a, b::c}`: every first segment inside the braces.
            let inner = braced.split('}').next().unwrap_or("");
            for part in inner.split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    mods.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            mods.push(name);
        }
    }
    mods
}

/// A byte-offset read with a literal offset on this line, if any.
fn literal_offset_read(line: &str) -> Option<String> {
    let b = line.as_bytes();
    for pat in ["from_be_bytes", "from_le_bytes"] {
        if has_word(line, pat) {
            return Some(pat.to_string());
        }
    }
    for (i, _) in line.match_indices(".get(") {
        let arg = line[i + 5..].trim_start();
        if arg.starts_with(|c: char| c.is_ascii_digit()) {
            return Some(line[i..].chars().take(12).collect());
        }
    }
    for (i, _) in line.match_indices('[') {
        // An index or slice follows an expression (`x[`, `)[`, `][`); an
        // array literal or macro (`[0; 4]`, `vec![1]`) does not.
        let indexes = i > 0 && {
            let c = b[i - 1];
            c.is_ascii_alphanumeric() || c == b'_' || c == b')' || c == b']'
        };
        if !indexes {
            continue;
        }
        let inner = line[i + 1..].split(']').next().unwrap_or("").trim();
        let inner = inner.strip_prefix("..").unwrap_or(inner).trim_start();
        if inner.starts_with(|c: char| c.is_ascii_digit()) {
            return Some(format!(
                "[{}]",
                line[i + 1..].split(']').next().unwrap_or("")
            ));
        }
    }
    None
}

/// Check the rules over `files`.
fn check(files: &[SourceFile]) -> Vec<Violation> {
    let mut found = Vec::new();
    for f in files {
        let top = f.rel.split('/').next().unwrap_or("");
        let top = top.strip_suffix(".rs").unwrap_or(top);
        for (n, line) in f.code.lines().enumerate() {
            let mut flag = |rule: &'static str| {
                found.push(Violation {
                    file: f.rel.clone(),
                    line: n + 1,
                    rule,
                    text: line.trim().to_string(),
                })
            };
            if top != "main" && top != "cli" && has_word(line, "clap") {
                flag("only main and cli use clap");
            }
            if top != "sys" && has_word(line, "unsafe") {
                flag("only sys contains unsafe");
            }
            let mods = crate_modules(line);
            if top == "output"
                && mods.iter().any(|m| {
                    !["decode", "dissect", "flow", "packet", "output"].contains(&m.as_str())
                })
            {
                flag("output imports only decode, dissect, flow, packet");
            }
            if top != "cli" && top != "demo" && mods.iter().any(|m| m == "demo") {
                flag("nothing imports demo except cli");
            }
            if ["output", "flow", "pipeline", "demo", "cli"].contains(&top)
                && literal_offset_read(line).is_some()
            {
                flag("byte-offset reads of packet data live in decode/dissect");
            }
        }
    }
    found
}

fn read_tree(dir: &Path, root: &Path, out: &mut Vec<SourceFile>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            read_tree(&p, root, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let rel = p
                .strip_prefix(root)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            out.push(SourceFile {
                rel,
                code: code_only(&text),
            });
        }
    }
}

#[test]
fn test_the_tree_keeps_the_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    read_tree(&root, &root, &mut files);
    assert!(
        files.len() > 20,
        "read only {} files under src/",
        files.len()
    );
    let found = check(&files);
    let report: Vec<String> = found
        .iter()
        .map(|v| format!("src/{}:{}: {} — {}", v.file, v.line, v.rule, v.text))
        .collect();
    assert!(
        found.is_empty(),
        "{} architecture violation(s):\n{}",
        found.len(),
        report.join("\n")
    );
}

fn one(rel: &str, src: &str) -> Vec<Violation> {
    check(&[SourceFile {
        rel: rel.to_string(),
        code: code_only(src),
    }])
}

fn rules(v: &[Violation]) -> Vec<&'static str> {
    v.iter().map(|v| v.rule).collect()
}

/// The rule and line of each violation in one file.
fn found(rel: &str, src: &str) -> Vec<(&'static str, usize)> {
    one(rel, src).iter().map(|v| (v.rule, v.line)).collect()
}

#[test]
fn test_checker_catches_clap_outside_cli() {
    let v = found("pipeline/config.rs", "use clap::ValueEnum;\n");
    assert_eq!(v, [("only main and cli use clap", 1)]);
    assert!(one("cli/read.rs", "use clap::Args;\n").is_empty());
    assert!(one("main.rs", "use clap::Parser;\n").is_empty());
}

#[test]
fn test_checker_catches_unsafe_outside_sys() {
    let v = found("source/live/ring.rs", "fn f() {\n    unsafe { g() }\n}\n");
    assert_eq!(v, [("only sys contains unsafe", 2)]);
    assert!(one("sys/ring.rs", "unsafe fn g() {}\n").is_empty());
    // Prose, attributes and strings are not code that is unsafe.
    assert!(
        one(
            "lib.rs",
            "#![deny(unsafe_code)]\n// unsafe here\nlet s = \"unsafe\";\n"
        )
        .is_empty()
    );
}

#[test]
fn test_checker_catches_output_importing_upwards() {
    let v = one(
        "output/flows/table.rs",
        "use crate::pipeline::RunSummary;\n",
    );
    assert_eq!(
        rules(&v),
        ["output imports only decode, dissect, flow, packet"]
    );
    let v = one(
        "output/packet/mod.rs",
        "use crate::{decode::Decoded, cli::TimeFormat};\n",
    );
    assert_eq!(
        rules(&v),
        ["output imports only decode, dissect, flow, packet"]
    );
    assert!(
        one(
            "output/json/mod.rs",
            "use crate::{decode, flow::FlowKey, packet::Packet};\nuse crate::output::fmt;\n"
        )
        .is_empty()
    );
}

#[test]
fn test_checker_catches_demo_imports() {
    let v = one(
        "pipeline/driver.rs",
        "let k = crate::demo::DemoKind::All;\n",
    );
    assert_eq!(rules(&v), ["nothing imports demo except cli"]);
    assert!(one("cli/demo.rs", "use crate::demo::DemoKind;\n").is_empty());
}

#[test]
fn test_checker_catches_byte_reads_outside_decode() {
    for bad in [
        "let t = u16::from_be_bytes([a, b]);",
        "let port = data[2];",
        "let rest = &bytes[8..];",
        "let head = &bytes[..4];",
        "let x = icmp.get(4..6)?;",
        "let y = f(x)[0];",
    ] {
        let v = one("output/packet/icmp.rs", &format!("{bad}\n"));
        assert_eq!(
            rules(&v),
            ["byte-offset reads of packet data live in decode/dissect"],
            "{bad}"
        );
    }
    for fine in [
        "let a = [0u8; 4];",
        "let v = vec![1, 2];",
        "let x = bytes[i];",
        "let s = &text[start..end];",
        "// data[4] in a comment",
        "let s = \"data[4]\";",
    ] {
        assert!(
            one("output/packet/icmp.rs", &format!("{fine}\n")).is_empty(),
            "{fine}"
        );
    }
    assert!(
        one(
            "decode/icmp.rs",
            "let t = u16::from_be_bytes([d[0], d[1]]);\n"
        )
        .is_empty()
    );
}

#[test]
fn test_code_only_blanks_literals_and_tests() {
    let src = "let a = 'x'; // c\nfn f<'a>(s: &'a str) {}\nlet r = r#\"unsafe \"q\"\"#;\n/* unsafe\n */\n#[cfg(test)]\nmod tests { unsafe {} }\n";
    let code = code_only(src);
    assert_eq!(code.lines().count(), 5, "{code:?}");
    assert!(!code.contains("unsafe"), "{code:?}");
    assert!(code.contains("fn f<'a>(s: &'a str)"), "{code:?}");
}
