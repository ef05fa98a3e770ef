//! tcpdump's command line where a tcpdump user types it: `sockscope -r F …`
//! is `sockscope read F …`, `sockscope -i IF …` is `sockscope capture -i IF
//! …` (the arguments are rewritten before clap sees them), and a tcpdump
//! flag sockscope does not take gets a hint saying what to use instead,
//! in place of clap's tip to write `-- -X`, which would make the flag a
//! filter word and is never what a tcpdump user meant.

use clap::CommandFactory;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::ffi::{OsStr, OsString};

/// The subcommands and top-level flags clap knows: arguments starting with
/// one of these are left alone.
fn is_own_first(arg: &OsStr) -> bool {
    let flags = ["help", "-h", "--help", "-V", "--version"];
    flags.iter().any(|k| arg == *k)
        || super::Cli::command()
            .get_subcommands()
            .any(|c| arg == c.get_name())
}

/// `-r FILE` in any of tcpdump's spellings: `-r F`, `-rF`, or a cluster of
/// flags ending in `r` (`-nnr F`). Returns the flags left of the cluster
/// (`-nn`) and whether the file is the next argument.
fn split_r(arg: &str) -> Option<(Option<String>, Option<String>)> {
    let body = arg.strip_prefix('-')?;
    if body.starts_with('-') || body.is_empty() {
        return None;
    }
    if let Some(file) = body.strip_prefix('r')
        && !file.is_empty()
    {
        return Some((None, Some(file.to_string())));
    }
    let flags = body.strip_suffix('r')?;
    if !flags.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let rest = (!flags.is_empty()).then(|| format!("-{flags}"));
    Some((rest, None))
}

/// tcpdump's top-level `-r`/`-i` turned into our subcommands; anything else
/// is returned as it came.
pub fn rewrite_args(args: Vec<OsString>) -> Vec<OsString> {
    let first = match args.as_slice() {
        [_, first, ..] => first.clone(),
        _ => return args,
    };
    if is_own_first(&first) || !first.to_string_lossy().starts_with('-') {
        return args;
    }
    let mut prog = args.into_iter();
    let name = prog.next().unwrap_or_else(|| OsString::from("sockscope"));
    let rest: Vec<OsString> = prog.collect();
    // `-r FILE`: read, with every other argument kept in order.
    let mut file = None;
    let mut kept = Vec::with_capacity(rest.len());
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        let text = arg.to_string_lossy();
        if file.is_none()
            && let Some((flags, attached)) = split_r(&text)
        {
            kept.extend(flags.map(OsString::from));
            file = match attached {
                Some(f) => Some(OsString::from(f)),
                None => it.next().cloned(),
            };
            if file.is_none() {
                // `-r` with nothing after it: let clap say what is missing.
                file = Some(OsString::from(""));
            }
            continue;
        }
        kept.push(arg.clone());
    }
    if let Some(file) = file {
        let mut out = vec![name, OsString::from("read")];
        if !file.is_empty() {
            out.push(file);
        }
        out.extend(kept);
        return out;
    }
    let captures = rest.iter().any(|a| {
        let a = a.to_string_lossy();
        a == "-i" || a == "--interface" || (a.starts_with("-i") && !a.starts_with("--"))
    });
    let mut out = vec![name];
    if captures {
        out.push(OsString::from("capture"));
    }
    out.extend(rest);
    out
}

/// What to say about a tcpdump flag sockscope does not take, by letter.
fn flag_hint(flag: &str) -> Option<&'static str> {
    Some(match flag {
        "-D" | "--list-interfaces" => "tcpdump's -D is `sockscope interfaces`",
        "-r" => "reading a file is `sockscope read FILE …` (or `sockscope -r FILE …`)",
        "-i" => "capturing is `sockscope capture -i IFACE …` (or `sockscope -i IFACE …`)",
        "-h" => "help is --help",
        "-I" => "monitor mode (tcpdump -I) is not supported",
        "-j" | "-J" => "time stamp types (tcpdump -j/-J) are not supported: the kernel's is used",
        "-N" | "-f" | "-O" | "-P" | "-u" | "-b" | "-g" | "-k" | "-o" | "-M" | "-E" | "-z"
        | "-V" => "this tcpdump flag is not supported by sockscope",
        _ => return None,
    })
}

/// A usage error about an unknown argument, rewritten: our hint instead of
/// clap's `-- -X` tip. `None` leaves clap's error as it is.
pub fn unknown_flag_message(err: &clap::Error) -> Option<String> {
    if err.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(arg)) = err.get(ContextKind::InvalidArg) else {
        return None;
    };
    if !arg.starts_with('-') {
        return None;
    }
    let letter: String = arg.chars().take(2).collect();
    let rendered = err.render().to_string();
    // At the top level (no command, no -r/-i to make one of): say so.
    let top = rendered.contains("Usage: sockscope <COMMAND>");
    let hint = flag_hint(arg)
        .or_else(|| flag_hint(&letter))
        .or(top.then_some(
            "a command comes first: `sockscope capture -i IFACE …`, `sockscope read FILE …` \
             (tcpdump's `-i IFACE …` and `-r FILE …` also work at the top level)",
        ))
        .unwrap_or(
            "not a sockscope flag here; tcpdump's flags it takes: -c -w -C -G -W -l -F -n -v -e -T \
             -H -x -X -A -t -# -S -K -q (every command that prints packets); -i -s -p -B -d -Q \
             -L -y -U -Z (capture)",
        );
    let usage = rendered
        .find("Usage:")
        .map_or("", |i| rendered.get(i..).unwrap_or(""));
    Some(format!(
        "error: unexpected argument '{arg}' found\n\n  hint: {hint}\n\n{usage}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(args: &[&str]) -> Vec<String> {
        let v = std::iter::once("sockscope")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        rewrite_args(v)
            .into_iter()
            .skip(1)
            .map(|s| s.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn test_r_becomes_read() {
        assert_eq!(rw(&["-r", "f.pcap", "tcp"]), ["read", "f.pcap", "tcp"]);
        assert_eq!(
            rw(&["-n", "-r", "f.pcap", "-c", "3"]),
            ["read", "f.pcap", "-n", "-c", "3"]
        );
        assert_eq!(rw(&["-nnr", "f.pcap"]), ["read", "f.pcap", "-nn"]);
        assert_eq!(rw(&["-rf.pcap", "-v"]), ["read", "f.pcap", "-v"]);
    }

    #[test]
    fn test_i_becomes_capture() {
        assert_eq!(
            rw(&["-i", "lo", "-c", "1"]),
            ["capture", "-i", "lo", "-c", "1"]
        );
        assert_eq!(rw(&["-n", "-ilo"]), ["capture", "-n", "-ilo"]);
    }

    #[test]
    fn test_subcommands_are_left_alone() {
        assert_eq!(rw(&["read", "-r"]), ["read", "-r"]);
        assert_eq!(rw(&["--version"]), ["--version"]);
        assert_eq!(rw(&["-n"]), ["-n"]);
        assert_eq!(rw(&[]), Vec::<String>::new());
    }
}
