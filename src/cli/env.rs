//! The environment variables the commands honour, read here once so the
//! library never reads the environment (its options come as values).

use crate::source::live::CaptureBackend;

/// Names the capture engine when `--backend` does not.
pub const CAPTURE_BACKEND_ENV: &str = "SOCKSCOPE_CAPTURE_BACKEND";

/// The backend named in `SOCKSCOPE_CAPTURE_BACKEND`: `None` when unset or
/// empty, an error naming the bad value otherwise.
pub fn capture_backend() -> Result<Option<CaptureBackend>, String> {
    match std::env::var(CAPTURE_BACKEND_ENV) {
        Ok(v) if v.is_empty() => Ok(None),
        Ok(v) => v
            .parse()
            .map(Some)
            .map_err(|e| format!("{CAPTURE_BACKEND_ENV}: {e}")),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(e) => Err(format!("{CAPTURE_BACKEND_ENV}: {e}")),
    }
}
