//! vibix: how a child ended (`ExitStatus`: `wait4`'s status word, decoded
//! with `vibix_uapi::wait`, the definition the kernel encodes with) and
//! how this program ends (`ExitCode`).

use crate::fmt;
use crate::num::NonZero;
use vibix_abi::process::{core_dumped, exit_code, signal_name, term_signal};

/// `wait4`'s status word, in Linux's encoding: an exit code (`code << 8`)
/// or the signal that killed the child (finding U-A5).
#[derive(PartialEq, Eq, Clone, Copy, Default)]
pub struct ExitStatus(u32);

impl ExitStatus {
    pub(super) fn from_raw(raw: u32) -> ExitStatus {
        ExitStatus(raw)
    }

    pub fn exit_ok(&self) -> Result<(), ExitStatusError> {
        match NonZero::new(self.0) {
            None => Ok(()),
            Some(raw) => Err(ExitStatusError(raw)),
        }
    }

    /// The exit code, if the child exited (`None` if a signal killed it).
    pub fn code(&self) -> Option<i32> {
        exit_code(self.0).map(i32::from)
    }

    /// The signal that killed the child, if one did.
    pub fn signal(&self) -> Option<i32> {
        term_signal(self.0).map(i32::from)
    }
}

// ANCHOR: display
/// As on Linux: `exit status: 3`, `signal: 9 (SIGKILL)`.
impl fmt::Display for ExitStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(code) = self.code() {
            return write!(f, "exit status: {code}");
        }
        if let Some(signal) = self.signal() {
            write!(f, "signal: {signal}")?;
            if let Some(name) = signal_name(signal) {
                write!(f, " ({name})")?;
            }
            if core_dumped(self.0) {
                write!(f, " (core dumped)")?;
            }
            return Ok(());
        }
        write!(f, "unrecognised wait status: {} {:#x}", self.0, self.0)
    }
}
// ANCHOR_END: display

/// Linux's std shows the raw word under this name; the word is the same.
impl fmt::Debug for ExitStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("unix_wait_status").field(&self.0).finish()
    }
}

/// An `ExitStatus` that is not success: its word is not zero.
#[derive(PartialEq, Eq, Clone, Copy)]
pub struct ExitStatusError(NonZero<u32>);

impl Into<ExitStatus> for ExitStatusError {
    fn into(self) -> ExitStatus {
        ExitStatus(self.0.get())
    }
}

impl fmt::Debug for ExitStatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("unix_wait_status").field(&self.0).finish()
    }
}

impl ExitStatusError {
    pub fn code(self) -> Option<NonZero<i32>> {
        ExitStatus(self.0.get()).code().and_then(NonZero::new)
    }
}

/// What this program returns from `main`: the low 8 bits reach the parent.
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub struct ExitCode(u8);

impl ExitCode {
    pub const SUCCESS: ExitCode = ExitCode(0);
    pub const FAILURE: ExitCode = ExitCode(1);

    #[inline]
    pub fn as_i32(&self) -> i32 {
        self.0 as i32
    }
}

impl From<u8> for ExitCode {
    fn from(code: u8) -> Self {
        Self(code)
    }
}
