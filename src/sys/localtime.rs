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
