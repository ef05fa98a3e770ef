//! The local time zone's offset from UTC through `localtime_r`, so time-of-day
//! stamps honour TZ as tcpdump's do.

/// The local time zone's offset from UTC, in seconds, at `unix_secs`
/// (what tcpdump's time-of-day stamps use: `localtime`, honouring TZ).
pub fn utc_offset_secs(unix_secs: i64) -> Option<i64> {
    let t: libc::time_t = unix_secs as libc::time_t;
    // SAFETY: `tm` is plain data that localtime_r fills in; both pointers
    // are valid for the call and it keeps neither.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::localtime_r(&t, &mut tm) };
    (!r.is_null()).then_some(tm.tm_gmtoff as i64)
}

/// `unix_secs` formatted by the C library's `strftime` in the local time
/// zone: tcpdump's `-G` names its files so, and users write its formats
/// (`%Y%m%d-%H%M%S`, `%s` …) from its man page. `None` when the format holds
/// a NUL byte or its result does not fit in 4096 bytes (PATH_MAX).
pub fn strftime(format: &str, unix_secs: i64) -> Option<String> {
    let fmt = std::ffi::CString::new(format).ok()?;
    let t: libc::time_t = unix_secs as libc::time_t;
    // SAFETY: as in `utc_offset_secs`.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    if unsafe { libc::localtime_r(&t, &mut tm) }.is_null() {
        return None;
    }
    let mut buf = vec![0u8; 4096];
    // SAFETY: `buf` is writable for its length, `fmt` is NUL-terminated and
    // `tm` was filled in above; strftime writes at most `buf.len()` bytes
    // and returns how many (0 if they did not fit).
    let n = unsafe { libc::strftime(buf.as_mut_ptr().cast(), buf.len(), fmt.as_ptr(), &tm) };
    if n == 0 && !format.is_empty() {
        return None;
    }
    buf.truncate(n);
    String::from_utf8(buf).ok()
}
