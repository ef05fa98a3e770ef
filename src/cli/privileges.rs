//! `-Z USER` and `--keep-root`, shared by `capture`, `serve` and `demo`:
//! whom to become once the sockets (and the `-w` file) are open, so that
//! hostile traffic is never parsed with root's powers. As tcpdump builds
//! configured with a default user do, root drops to `nobody` unless told
//! otherwise; a non-root user keeps its uid and loses any capabilities it
//! was given (`setcap`).

use crate::sys::privs;
use anyhow::{Context, bail};
use clap::Args;

/// Who a root run becomes when `-Z` does not say.
pub const DEFAULT_USER: &str = "nobody";

#[derive(Args, Debug, Clone, Default)]
pub struct PrivilegeArgs {
    /// Once the sockets and the -w file are open, switch to USER and drop
    /// every capability (default when run as root: nobody).
    #[arg(short = 'Z', long = "relinquish-privileges", value_name = "USER")]
    pub user: Option<String>,
    /// Stay root throughout (not advised: peers' bytes are then parsed by
    /// a process that can do anything).
    #[arg(long, conflicts_with = "user")]
    pub keep_root: bool,
}

/// What [`PrivilegeArgs::drop_now`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dropped {
    /// `--keep-root`.
    KeptRoot,
    /// Not root: capabilities cleared, uid unchanged.
    NotRoot,
    /// Now `user` (uid `uid`), no capabilities.
    To { user: String, uid: u32 },
}

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Dropped::KeptRoot => f.write_str("kept root (--keep-root)"),
            Dropped::NotRoot => f.write_str("not root; no capabilities left"),
            Dropped::To { user, uid } => write!(
                f,
                "dropped root: running as {user} (uid {uid}), no capabilities"
            ),
        }
    }
}

impl PrivilegeArgs {
    /// Gives up privileges now, before any peer's byte is parsed.
    pub fn drop_now(&self) -> anyhow::Result<Dropped> {
        if privs::euid() != 0 {
            // Capabilities from `setcap` (CAP_NET_RAW) are of no use once
            // the socket is open.
            privs::clear_capabilities().context("cannot drop capabilities")?;
            return Ok(Dropped::NotRoot);
        }
        if self.keep_root {
            return Ok(Dropped::KeptRoot);
        }
        let name = self.user.as_deref().unwrap_or(DEFAULT_USER);
        let Some(ids) =
            privs::lookup_user(name).with_context(|| format!("cannot look up user {name:?}"))?
        else {
            bail!(
                "cannot drop root: there is no user {name:?} here; name another with -Z USER, \
                 or stay root with --keep-root"
            );
        };
        privs::drop_to(ids).with_context(|| {
            format!(
                "cannot drop root to {name} (uid {}, gid {}); stay root with --keep-root",
                ids.uid, ids.gid
            )
        })?;
        Ok(Dropped::To {
            user: privs::user_name(ids.uid),
            uid: ids.uid,
        })
    }
}
