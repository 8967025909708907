//! vibix: what `std::os::unix::process::CommandExt` asks of a `Command`
//! (phase 4 on, when vibix is a Unix): closures run in the child before
//! `execve` (`pre_exec`), and the credentials, process group, session and
//! root a child may be given.
//!
//! This file is part of vibix's std port (phase 4), copied into std's
//! source by the vibix runner. The kernel has no `setuid`, `setgid`,
//! `setgroups`, `setpgid`, `setsid` or `chroot` yet: a `Command` asked for
//! one of them fails to spawn with `Unsupported`, before `fork`, rather
//! than start a child without it.

use vibix_abi::Errno;

use super::Command;
use crate::cell::UnsafeCell;
use crate::io;
use crate::path::Path;

/// A closure `pre_exec` registered.
type Hook = Box<dyn FnMut() -> io::Result<()> + Send + Sync>;

/// The Unix-only part of a `Command`.
#[derive(Default)]
pub struct UnixOptions {
    /// Run in the child, in order, after its descriptors and directory
    /// are set up and before `execve`.
    hooks: UnsafeCell<Vec<Hook>>,
    /// The first option asked for that vibix cannot give.
    unsupported: Option<&'static str>,
}

// SAFETY: `hooks` is changed only through `&mut Command` (`pre_exec`), and
// run only in a forked child, whose memory is a copy nobody else touches;
// a shared `Command` never reaches it otherwise.
unsafe impl Sync for UnixOptions {}

impl UnixOptions {
    /// Before `fork`: an option vibix cannot give fails the spawn.
    pub(super) fn check(&self) -> io::Result<()> {
        match self.unsupported {
            None => Ok(()),
            Some(what) => Err(io::Error::new(io::ErrorKind::Unsupported, what)),
        }
    }

    /// The hooks, for the child to run.
    pub(super) fn hooks(&self) -> *mut Vec<Hook> {
        self.hooks.get()
    }

    fn refuse(&mut self, what: &'static str) {
        self.unsupported.get_or_insert(what);
    }
}

/// In the child: runs the hooks in order; the first error stops the spawn,
/// with its errno (`EINVAL` if it has none), as on Linux.
///
/// # Safety
///
/// `hooks` comes from [`UnixOptions::hooks`] of the `Command` being spawned,
/// and this is the forked child, which alone uses it.
pub(super) unsafe fn run_hooks(hooks: *mut Vec<Hook>) -> Result<(), Errno> {
    // SAFETY: the caller's contract: this child alone uses its copy.
    for hook in unsafe { &mut *hooks } {
        if let Err(e) = hook() {
            return Err(e
                .raw_os_error()
                .and_then(Errno::new)
                .unwrap_or(Errno::EINVAL));
        }
    }
    Ok(())
}

impl Command {
    pub fn pre_exec(&mut self, hook: Hook) {
        self.unix.hooks.get_mut().push(hook);
    }

    pub fn uid(&mut self, _id: u32) {
        self.unix
            .refuse("setting a child's user id is not supported by vibix yet");
    }

    pub fn gid(&mut self, _id: u32) {
        self.unix
            .refuse("setting a child's group id is not supported by vibix yet");
    }

    pub fn groups(&mut self, _groups: &[u32]) {
        self.unix
            .refuse("setting a child's groups is not supported by vibix yet");
    }

    /// `0` is no change; vibix has one process group per process for now.
    pub fn pgroup(&mut self, pgroup: i32) {
        if pgroup != 0 {
            self.unix
                .refuse("process groups are not supported by vibix yet");
        }
    }

    pub fn chroot(&mut self, _dir: &Path) {
        self.unix.refuse("chroot is not supported by vibix yet");
    }

    pub fn setsid(&mut self, setsid: bool) {
        if setsid {
            self.unix.refuse("sessions are not supported by vibix yet");
        }
    }
}
