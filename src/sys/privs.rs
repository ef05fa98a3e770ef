//! Giving up root: look a user up, switch every thread to its uid and gid,
//! and clear the capability sets, once the sockets and files that need
//! privileges are open (tcpdump's `-Z`).
//!
//! glibc's `setgroups`/`setresgid`/`setresuid` apply to every thread of the
//! process; leaving uid 0 for good clears the permitted and effective
//! capabilities of each. `capset` is per thread, so [`clear_capabilities`]
//! covers the caller's thread only: call it before any other thread starts
//! (the case where it matters is a non-root user given capabilities with
//! `setcap`, which keeps them across nothing else).

use super::cvt;
use std::ffi::{CStr, CString};
use std::io;

/// A user's ids, from the password database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UserIds {
    pub uid: u32,
    pub gid: u32,
}

/// The effective uid of the process.
pub fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// `name`'s uid and primary gid, or `None` when there is no such user.
pub fn lookup_user(name: &str) -> io::Result<Option<UserIds>> {
    let cname = CString::new(name)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a user name has no NUL"))?;
    let mut buf = vec![0 as libc::c_char; 16 * 1024];
    // SAFETY: an all-zero passwd is a valid value of a plain C struct.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call, `buf` for its length;
    // getpwnam_r writes only into `pwd`, `buf` and `result`.
    let rc = unsafe {
        libc::getpwnam_r(
            cname.as_ptr(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc));
    }
    if result.is_null() {
        return Ok(None);
    }
    Ok(Some(UserIds {
        uid: pwd.pw_uid,
        gid: pwd.pw_gid,
    }))
}

/// The name of `uid`, for messages (the number when it has none).
pub fn user_name(uid: u32) -> String {
    let mut buf = vec![0 as libc::c_char; 16 * 1024];
    // SAFETY: as in lookup_user.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: as in lookup_user.
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return uid.to_string();
    }
    // SAFETY: getpwuid_r succeeded, so pw_name points to a NUL-terminated
    // string inside `buf`, which is still alive.
    unsafe { CStr::from_ptr(pwd.pw_name) }
        .to_string_lossy()
        .into_owned()
}

/// Switches the whole process to `ids` for good (real, effective and saved
/// ids; supplementary groups reduced to the user's gid), then clears the
/// capability sets and forbids gaining privileges through exec.
pub fn drop_to(ids: UserIds) -> io::Result<()> {
    let groups = [ids.gid as libc::gid_t];
    // SAFETY: `groups` holds one valid gid for the length given.
    cvt(unsafe { libc::setgroups(1, groups.as_ptr()) })?;
    // SAFETY: plain integer arguments.
    cvt(unsafe { libc::setresgid(ids.gid, ids.gid, ids.gid) })?;
    // SAFETY: plain integer arguments.
    cvt(unsafe { libc::setresuid(ids.uid, ids.uid, ids.uid) })?;
    clear_capabilities()?;
    // Proof: with every uid changed, going back must fail.
    // SAFETY: plain integer argument; it is expected to fail.
    if ids.uid != 0 && unsafe { libc::setuid(0) } == 0 {
        return Err(io::Error::other(
            "setuid(0) still succeeds after dropping root",
        ));
    }
    Ok(())
}

/// Empties this thread's effective, permitted and inheritable capability
/// sets and sets no_new_privs.
pub fn clear_capabilities() -> io::Result<()> {
    #[repr(C)]
    struct Header {
        version: u32,
        pid: libc::c_int,
    }
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct Data {
        effective: u32,
        permitted: u32,
        inheritable: u32,
    }
    const VERSION_3: u32 = 0x2008_0522;
    let mut header = Header {
        version: VERSION_3,
        pid: 0,
    };
    let data = [Data {
        effective: 0,
        permitted: 0,
        inheritable: 0,
    }; 2];
    // SAFETY: capset reads a header and two data structs (version 3), both
    // valid and of the layout the kernel expects.
    let rc = unsafe { libc::syscall(libc::SYS_capset, &mut header, data.as_ptr()) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: plain integer arguments.
    cvt(unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) })?;
    Ok(())
}
