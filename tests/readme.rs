//! The README's promises about itself (issue 16): its table of contents
//! links every heading and nothing else, by the anchors GitHub makes; the
//! quick start is exactly two commands, the demo built and run, and the test
//! command `.ci/run` runs; the install section says how to install and get
//! the capability; the maintainer notes it points to exist.

use std::collections::BTreeSet;

fn read(rel: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The lines outside fenced code blocks (a `#` in a shell example is not a
/// heading).
fn prose(text: &str) -> Vec<&str> {
    let mut fenced = false;
    let mut v = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            v.push(line);
        }
    }
    v
}

/// GitHub's anchor for a heading: lower case, everything but letters,
/// digits, `_`, `-` and spaces dropped, spaces turned into `-`; a repeated
/// anchor gets `-1`, `-2` ….
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// (level, text, anchor) of every `##`+ heading, in order.
fn headings(text: &str) -> Vec<(usize, String, String)> {
    let mut seen: Vec<String> = Vec::new();
    let mut v = Vec::new();
    for line in prose(text) {
        let level = line.chars().take_while(|&c| c == '#').count();
        if level < 2 || !line[level..].starts_with(' ') {
            continue;
        }
        let text = line[level..].trim().to_string();
        let base = anchor(&text);
        let n = seen.iter().filter(|a| **a == base).count();
        seen.push(base.clone());
        let a = if n == 0 { base } else { format!("{base}-{n}") };
        v.push((level, text, a));
    }
    v
}

/// The body of the `## NAME` section, up to the next `## `.
fn section<'a>(text: &'a str, name: &str) -> &'a str {
    let head = format!("\n## {name}\n");
    let start = text
        .find(&head)
        .unwrap_or_else(|| panic!("no section {name}"))
        + head.len();
    let end = text[start..]
        .find("\n## ")
        .map_or(text.len(), |i| start + i);
    &text[start..end]
}

/// The `[text](#anchor)` links of a piece of markdown.
fn anchor_links(text: &str) -> Vec<String> {
    let mut v = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("](#") {
        rest = &rest[i + 3..];
        let end = rest.find(')').expect("a closed link");
        v.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    v
}

/// The command lines of the first fenced block of a section.
fn first_block(section: &str) -> Vec<String> {
    let start = section.find("```\n").expect("a code block") + 4;
    let end = start + section[start..].find("```").expect("a closed block");
    section[start..end]
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn table_of_contents_links_every_heading_and_only_those() {
    let readme = read("README.md");
    let heads = headings(&readme);
    let wanted: Vec<String> = heads
        .iter()
        .filter(|(level, text, _)| *level <= 3 && text != "Contents")
        .map(|(_, _, a)| a.clone())
        .collect();
    let toc = anchor_links(section(&readme, "Contents"));
    assert_eq!(
        toc, wanted,
        "the table of contents must list every ## and ### heading, in order"
    );
    assert!(
        wanted.len() > 30,
        "{} headings: the README lost its sections",
        wanted.len()
    );
    // Every in-page link anywhere in the README lands on a heading.
    let all: BTreeSet<String> = heads.into_iter().map(|(_, _, a)| a).collect();
    for link in anchor_links(&readme) {
        assert!(all.contains(&link), "README link #{link} has no heading");
    }
}

#[test]
fn anchors_are_githubs() {
    assert_eq!(anchor("tcpdump → sockscope"), "tcpdump--sockscope");
    assert_eq!(anchor("JSON fields (`--json`)"), "json-fields---json");
    assert_eq!(
        anchor("TCP flows: both sides' state, timelines, tables, analysis"),
        "tcp-flows-both-sides-state-timelines-tables-analysis"
    );
}

/// The quick start is two commands: build and run the demo, then the test
/// command `.ci/run` runs (with its environment around it).
#[test]
fn quick_start_is_the_demo_and_the_ci_test_command() {
    let readme = read("README.md");
    let quick = first_block(section(&readme, "Quick start"));
    assert_eq!(quick.len(), 2, "two commands: {quick:?}");
    assert!(
        quick[0].starts_with("cargo build --release")
            && quick[0].ends_with("./target/release/sockscope demo"),
        "the first command builds and runs the demo: {}",
        quick[0]
    );
    let ci = read(".ci/run");
    let ci_test = ci
        .lines()
        .map(str::trim)
        .rfind(|l| l.starts_with("cargo ") && l.contains(" test"))
        .expect(".ci/run runs the tests");
    assert_eq!(quick[1], ci_test, "the README's test command is .ci/run's");
    // The Test section shows the same command, and the environment .ci/run sets.
    let test = section(&readme, "Test");
    assert_eq!(first_block(test), vec![ci_test.to_string()]);
    for var in ["SOCKSCOPE_REQUIRE_LIVE=1", "TZ=UTC"] {
        assert!(ci.contains(&format!("export {var}")), ".ci/run sets {var}");
        assert!(
            test.contains(var),
            "the Test section says .ci/run sets {var}"
        );
    }
}

#[test]
fn install_says_how_to_install_and_capture() {
    let readme = read("README.md");
    let install = section(&readme, "Install");
    for needed in [
        "cargo install --path .",
        "sudo setcap cap_net_raw,cap_net_admin=eip \"$(which sockscope)\"",
        "sudo \"$(which sockscope)\"",
        "/root/.cargo/bin",
    ] {
        assert!(install.contains(needed), "Install lacks {needed}");
    }
}

/// The maintainer notes live in tests/README.md, and the README's links
/// into it land on its headings.
#[test]
fn maintainer_notes_are_in_tests_readme() {
    let readme = read("README.md");
    let notes = read("tests/README.md");
    let heads: BTreeSet<String> = headings(&notes).into_iter().map(|(_, _, a)| a).collect();
    let mut links = 0;
    let mut rest = readme.as_str();
    while let Some(i) = rest.find("](tests/README.md") {
        rest = &rest[i + "](tests/README.md".len()..];
        links += 1;
        if let Some(a) = rest.strip_prefix('#') {
            let a = &a[..a.find(')').expect("a closed link")];
            assert!(heads.contains(a), "tests/README.md has no #{a}");
        }
    }
    assert!(links > 0, "the README points to tests/README.md");
    for how in [
        "SOCKSCOPE_BLESS=1",
        "SOCKSCOPE_RECORD_DEMO=1 cargo test --test demo",
        "SOCKSCOPE_REGEN_CAPTURES=1",
    ] {
        assert!(notes.contains(how), "tests/README.md lacks {how}");
    }
    assert!(
        !readme.contains("SOCKSCOPE_RECORD_DEMO=1 cargo test"),
        "re-recording is a maintainer note"
    );
}
