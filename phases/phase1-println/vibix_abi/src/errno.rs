//! Error numbers: the thread-local `errno`, and [`check`], which decodes a
//! system call's return value as C would (recording a failure in `errno`).
//! [`Errno`], its names and messages and the decoding itself are
//! `vibix_uapi::errno`'s.

use core::cell::Cell;
use core::ffi::c_int;

pub use vibix_uapi::errno::{Errno, MAX_ERRNO};

/// The result of a system-call wrapper.
pub type Result<T> = core::result::Result<T, Errno>;

// ANCHOR: errno_tls
/// The calling thread's `errno`. `#[thread_local]` compiles to an
/// `fs:`-relative access (initial-exec model): the kernel sets up this
/// thread's TLS block from the program's `PT_TLS` before `_start` runs.
///
/// On vibix it has a symbol of its own, `__vibix_errno`, so that a program
/// holding two copies of this crate (a Rust program's std, and the C
/// library `libc.a`, phase 4 on) still has one `errno`: the C library's
/// copy of the symbol is weak (`runner/src/sysroot/mod.rs`), and every
/// access, from either copy, goes to the one the linker keeps.
#[thread_local]
#[cfg_attr(target_os = "vibix", unsafe(export_name = "__vibix_errno"))]
static ERRNO: Cell<c_int> = Cell::new(0);

/// The address of the calling thread's `errno`, the C ABI's way to reach it
/// (C's `errno` macro is `(*__errno_location())`). Exported unmangled on
/// vibix, where it is the one definition of the symbol, so the linker keeps
/// it and `ERRNO`'s TLS slot (finding T-A6); on the host, the C library
/// already defines it, so the symbol stays Rust's.
#[cfg_attr(target_os = "vibix", unsafe(no_mangle))]
pub extern "C" fn __errno_location() -> *mut c_int {
    ERRNO.as_ptr()
}
// ANCHOR_END: errno_tls

/// The calling thread's `errno`.
pub fn errno() -> c_int {
    ERRNO.get()
}

/// Sets the calling thread's `errno`.
pub fn set_errno(value: c_int) {
    ERRNO.set(value);
}

/// `Errno::from_ret`, recording a failure in `errno` as C would.
pub(crate) fn check(ret: usize) -> Result<usize> {
    Errno::from_ret(ret).inspect_err(|e| set_errno(e.raw()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_is_per_thread() {
        set_errno(0);
        assert_eq!(check(-9isize as usize), Err(Errno::EBADF));
        assert_eq!(errno(), 9);
        // SAFETY: the pointer is this thread's live `errno` cell.
        unsafe { *__errno_location() = 5 };
        assert_eq!(errno(), 5);
        assert_eq!(check(3), Ok(3));
        assert_eq!(errno(), 5, "success leaves errno alone");
        let other = std::thread::spawn(|| {
            assert_eq!(errno(), 0, "a new thread starts with errno 0");
            set_errno(7);
            __errno_location().addr()
        })
        .join()
        .unwrap();
        assert_eq!(errno(), 5);
        assert_ne!(other, __errno_location().addr());
    }
}
