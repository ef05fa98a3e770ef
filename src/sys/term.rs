//! The size of the terminal behind a file descriptor (`TIOCGWINSZ`), so the
//! flow table and timelines can fit the window they are printed in.

use std::os::fd::AsRawFd;

/// The number of columns of the terminal `fd` writes to, or `None` when it
/// is not a terminal or the terminal does not say (a serial line, say,
/// reports 0 columns).
pub fn columns(fd: &impl AsRawFd) -> Option<u16> {
    // SAFETY: `ws` is plain data that the ioctl fills in; the pointer is
    // valid for the call and the kernel keeps nothing.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCGWINSZ, &mut ws) };
    (r == 0 && ws.ws_col > 0).then_some(ws.ws_col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_not_a_terminal() {
        let f = std::fs::File::open("/dev/null").unwrap();
        assert_eq!(columns(&f), None);
    }
}
