//! Where the output goes, as the flow printers need to know it: the width
//! of the terminal on stdout and whether the locale's character set is
//! UTF-8. Read here, in the CLI, so the printers get plain values.

use std::io::IsTerminal;

/// The width the flow table and timelines must fit, `None` for no limit.
///
/// `COLUMNS`, when set to a number, wins over the terminal's own size, as
/// in GNU `ls` and ncurses: shells do not export it by default, so when it
/// is in the environment someone set it on purpose (a script, a test, a
/// pager of another width), and it applies even to a pipe. Otherwise the
/// terminal's size (`TIOCGWINSZ`) when stdout is one; a pipe or a file gets
/// no limit, hence every column.
pub fn stdout_width() -> Option<usize> {
    let columns = std::env::var("COLUMNS").ok();
    let stdout = std::io::stdout();
    width_from(columns.as_deref(), || {
        if stdout.is_terminal() {
            crate::sys::term::columns(&stdout)
        } else {
            None
        }
    })
}

fn width_from(columns: Option<&str>, terminal: impl FnOnce() -> Option<u16>) -> Option<usize> {
    match columns.and_then(|c| c.trim().parse::<usize>().ok()) {
        Some(n) if n > 0 => Some(n),
        _ => terminal().map(usize::from),
    }
}

/// Whether the locale's character set (`LC_CTYPE`) is UTF-8, resolved as
/// setlocale resolves it: the first of `LC_ALL`, `LC_CTYPE`, `LANG` that is
/// set and not empty, else the C locale (ASCII).
pub fn locale_is_utf8() -> bool {
    let var = |name| std::env::var(name).ok();
    utf8_locale(var("LC_ALL"), var("LC_CTYPE"), var("LANG"))
}

fn utf8_locale(lc_all: Option<String>, lc_ctype: Option<String>, lang: Option<String>) -> bool {
    let name = [lc_all, lc_ctype, lang]
        .into_iter()
        .flatten()
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    // language_territory.codeset@modifier: the codeset decides.
    let codeset = name
        .split_once('.')
        .map_or("", |(_, rest)| rest.split('@').next().unwrap_or(""));
    codeset.eq_ignore_ascii_case("utf-8") || codeset.eq_ignore_ascii_case("utf8")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn the_locale_resolves_as_setlocale_does() {
        assert!(utf8_locale(None, None, s("en_US.UTF-8")));
        assert!(utf8_locale(None, None, s("C.utf8")));
        assert!(utf8_locale(None, None, s("de_DE.UTF-8@euro")));
        assert!(!utf8_locale(None, None, s("C")));
        assert!(!utf8_locale(None, None, None));
        assert!(!utf8_locale(None, None, s("POSIX")));
        assert!(!utf8_locale(None, None, s("en_US.ISO-8859-1")));
        // LC_ALL over LC_CTYPE over LANG; empty ones do not count.
        assert!(!utf8_locale(s("C"), s("C.UTF-8"), s("C.UTF-8")));
        assert!(utf8_locale(s(""), s("C.UTF-8"), s("C")));
        assert!(!utf8_locale(None, s("POSIX"), s("C.UTF-8")));
    }

    #[test]
    fn columns_wins_over_the_terminal() {
        assert_eq!(width_from(Some("80"), || Some(200)), Some(80));
        assert_eq!(width_from(None, || Some(200)), Some(200));
        assert_eq!(width_from(Some("x"), || Some(120)), Some(120));
        assert_eq!(width_from(Some("0"), || None), None);
        assert_eq!(width_from(None, || None), None);
    }
}
