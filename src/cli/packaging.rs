//! What a package needs besides the binary: shell completions
//! (`sockscope completions bash|zsh|fish|elvish|powershell`, clap_complete)
//! and the man page (`sockscope man`, roff on stdout from clap_mangen, with
//! one section per subcommand listing its flags), both generated from the
//! same clap definitions as `--help`, so they never drift from it.

use super::Cli;
use clap::{Args, CommandFactory};
use clap_complete::Shell;
use std::io::{self, Write};

/// `--version`: the crate version, the git commit it was built from and
/// the cargo features it was built with (see build.rs).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("SOCKSCOPE_GIT_COMMIT"),
    ", features: ",
    env!("SOCKSCOPE_FEATURES"),
    ")"
);

#[derive(Args, Debug, Clone)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// `sockscope completions SHELL`: the script on stdout, e.g.
/// `sockscope completions bash > /etc/bash_completion.d/sockscope`.
pub fn completions(args: &CompletionsArgs) -> anyhow::Result<()> {
    let mut cmd = Cli::command();
    let mut out = io::stdout().lock();
    clap_complete::generate(args.shell, &mut cmd, "sockscope", &mut out);
    out.flush()?;
    Ok(())
}

/// `sockscope man`: the page on stdout (`sockscope man | man -l -`).
pub fn man() -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    write_man(&mut out)?;
    out.flush()?;
    Ok(())
}

/// The whole page: clap_mangen's sections for the top level, then one
/// section per subcommand with its synopsis and flags. Characters outside
/// ASCII (the help's `…`, `→`) are written as groff's `\[uXXXX]`, which
/// every troff reads whatever its input encoding.
pub fn write_man(out: &mut dyn Write) -> io::Result<()> {
    let mut page = Vec::new();
    write_sections(&mut page)?;
    let mut ascii = String::with_capacity(page.len());
    for c in String::from_utf8_lossy(&page).chars() {
        if c.is_ascii() {
            ascii.push(c);
        } else {
            ascii.push_str(&format!("\\[u{:04X}]", c as u32));
        }
    }
    out.write_all(ascii.as_bytes())
}

fn write_sections(out: &mut dyn Write) -> io::Result<()> {
    let mut cmd = Cli::command();
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        write_subcommand(out, sub)?;
    }
    man.render_version_section(out)?;
    Ok(())
}

fn write_subcommand(out: &mut dyn Write, sub: &clap::Command) -> io::Result<()> {
    let name = sub.get_name();
    writeln!(out, ".SH \"SOCKSCOPE {}\"", name.to_uppercase())?;
    let usage = sub.clone().render_usage().to_string();
    let usage = usage.trim_start_matches("Usage:").trim();
    writeln!(
        out,
        "\\fB{}\\fR",
        escape(&usage.replacen(name, &format!("sockscope {name}"), 1))
    )?;
    if let Some(about) = sub.get_long_about().or(sub.get_about()) {
        writeln!(out, ".PP")?;
        writeln!(out, "{}", escape(&about.to_string()))?;
    }
    for arg in sub.get_arguments() {
        if arg.is_hide_set() {
            continue;
        }
        let mut names = Vec::new();
        if let Some(s) = arg.get_short() {
            names.push(format!("\\-{}", escape(&s.to_string())));
        }
        if let Some(l) = arg.get_long() {
            names.push(format!("\\-\\-{}", escape(l)));
        }
        let value = arg
            .get_value_names()
            .map(|v| {
                v.iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|_| arg.get_action().takes_values());
        let head = if names.is_empty() {
            format!(
                "\\fI{}\\fR",
                escape(&value.clone().unwrap_or_else(|| arg.get_id().to_string()))
            )
        } else {
            let v = value
                .map(|v| format!(" \\fI{}\\fR", escape(&v)))
                .unwrap_or_default();
            format!("\\fB{}\\fR{v}", names.join(", "))
        };
        writeln!(out, ".TP")?;
        writeln!(out, "{head}")?;
        if let Some(help) = arg.get_long_help().or(arg.get_help()) {
            writeln!(out, "{}", escape(&help.to_string()))?;
        }
    }
    Ok(())
}

/// Text as roff reads it: backslashes and hyphens escaped, no line taken
/// for a request (a leading `.` or `'`).
fn escape(text: &str) -> String {
    text.lines()
        .map(|line| {
            let l = line.replace('\\', "\\e").replace('-', "\\-");
            if l.starts_with('.') || l.starts_with('\'') {
                format!("\\&{l}")
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
