//! (internal) Helpers of the POSIX modules' host tests: a scratch
//! directory per test, C strings, and comparing a call of ours with the
//! host C library's (result and `errno`).

use std::ffi::CString;
use std::format;
use std::path::PathBuf;

/// Held by the tests that change or depend on the working directory,
/// which is the whole process's.
pub(crate) static CWD_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Takes [`CWD_LOCK`] (even if a test panicked holding it).
pub(crate) fn cwd_lock() -> std::sync::MutexGuard<'static, ()> {
    CWD_LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// A fresh, empty directory for one test, removed when dropped.
pub(crate) struct Scratch(pub PathBuf);

impl Scratch {
    pub(crate) fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("vibix-libc-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// The C string of `self/rel`.
    pub(crate) fn c(&self, rel: &str) -> CString {
        cstr(self.0.join(rel).to_str().unwrap())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(crate) fn cstr(s: &str) -> CString {
    CString::new(s).unwrap()
}

/// Our `errno`.
pub(crate) fn our_errno() -> i32 {
    vibix_abi::errno::errno()
}

/// The host C library's `errno`.
pub(crate) fn host_errno() -> i32 {
    // SAFETY: the host's `__errno_location` is this thread's errno.
    unsafe { *libc::__errno_location() }
}

/// Sets both `errno`s to 0.
pub(crate) fn clear_errno() {
    vibix_abi::errno::set_errno(0);
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = 0 };
}

/// Runs `ours` and `host` (each after clearing `errno`) and asserts that
/// they return the same value and leave the same `errno`.
pub(crate) fn same<T: PartialEq + std::fmt::Debug>(
    what: &str,
    ours: impl FnOnce() -> T,
    host: impl FnOnce() -> T,
) -> T {
    clear_errno();
    let a = ours();
    let ea = our_errno();
    clear_errno();
    let b = host();
    let eb = host_errno();
    assert_eq!((&a, ea), (&b, eb), "{what}: (result, errno) ours vs host");
    a
}
