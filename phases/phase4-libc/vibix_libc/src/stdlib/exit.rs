//! `<stdlib.h>`: ending the program: `exit`, `atexit`, `_Exit`, `abort`,
//! and the statuses `EXIT_SUCCESS`, `EXIT_FAILURE`.
//!
//! `exit` runs the `atexit` handlers (last registered first; a handler
//! may register more, which run next), flushes every stdio stream, runs
//! the program's destructors (`.fini_array`, last first) and ends the
//! process. Up to [`ATEXIT_MAX`] handlers can be registered (POSIX asks
//! for at least 32).

use super::lock::Lock;
use crate::types::c_int;

/// The exit status of a program that succeeded, and of one that failed.
pub const EXIT_SUCCESS: c_int = 0;
pub const EXIT_FAILURE: c_int = 1;

/// How many `atexit` handlers fit.
pub(crate) const ATEXIT_MAX: usize = 64;

/// A handler.
type Handler = extern "C" fn();

/// The registered handlers, in order.
struct Handlers {
    list: [Option<Handler>; ATEXIT_MAX],
    len: usize,
}

static HANDLERS: Lock<Handlers> = Lock::new(Handlers {
    list: [None; ATEXIT_MAX],
    len: 0,
});

#[cfg(not(feature = "shared"))]
unsafe extern "C" {
    // The linker defines these around the program's destructor array
    // (GNU ld's default script and LLD alike).
    static __fini_array_start: [Option<unsafe extern "C" fn()>; 0];
    static __fini_array_end: [Option<unsafe extern "C" fn()>; 0];
}

/// Registers `f` to run at `exit`: 0, or -1 if the table is full.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn atexit(f: Option<extern "C" fn()>) -> c_int {
    let Some(f) = f else { return -1 };
    HANDLERS.with(|h| {
        if h.len == ATEXIT_MAX {
            return -1;
        }
        h.list[h.len] = Some(f);
        h.len += 1;
        0
    })
}

/// Takes the most recently registered handler off the table.
fn pop_handler() -> Option<Handler> {
    HANDLERS.with(|h| {
        if h.len == 0 {
            return None;
        }
        h.len -= 1;
        h.list[h.len].take()
    })
}

#[cfg(not(feature = "shared"))]
/// Calls every function of `[start, end)`, last first.
///
/// # Safety
///
/// The range must be an array of function pointers (or null slots) that
/// may be called now.
unsafe fn run_backwards(
    start: *const [Option<unsafe extern "C" fn()>; 0],
    end: *const [Option<unsafe extern "C" fn()>; 0],
) {
    let start = start.cast::<Option<unsafe extern "C" fn()>>();
    let mut at = end.cast::<Option<unsafe extern "C" fn()>>();
    while at > start {
        // SAFETY: still above the array's start: inside it.
        at = unsafe { at.sub(1) };
        // SAFETY: `at` is an entry of the array.
        if let Some(f) = unsafe { *at } {
            // SAFETY: the caller says the functions may run now.
            unsafe { f() };
        }
    }
}

/// Ends the program with `status`, after the `atexit` handlers, flushing
/// the streams and the destructors.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn exit(status: c_int) -> ! {
    while let Some(f) = pop_handler() {
        f();
    }
    crate::stdio::flush_all();
    // The shared library leaves the destructors to the dynamic linker's
    // routine, an `atexit` handler (`__libc_start_main`).
    #[cfg(not(feature = "shared"))]
    // SAFETY: the linker's symbols bound the destructor array; the program
    // is ending, which is when destructors run.
    unsafe {
        run_backwards(&raw const __fini_array_start, &raw const __fini_array_end)
    };
    vibix_abi::process::exit(status)
}

/// Ends the program at once: no `atexit` handlers, no flushing.
#[cfg_attr(not(test), unsafe(no_mangle))]
#[allow(non_snake_case, reason = "C's name")]
pub extern "C" fn _Exit(status: c_int) -> ! {
    vibix_abi::process::exit(status)
}

/// Ends the program abnormally, by `SIGABRT` (as glibc: the parent sees a
/// death by that signal), without handlers or flushing.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn abort() -> ! {
    vibix_abi::process::abort()
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::sync::atomic::{AtomicUsize, Ordering};

    static ORDER: AtomicUsize = AtomicUsize::new(0);

    extern "C" fn first() {
        // Runs second: after `second`.
        assert_eq!(ORDER.fetch_add(1, Ordering::Relaxed), 1);
    }

    extern "C" fn second() {
        assert_eq!(ORDER.fetch_add(1, Ordering::Relaxed), 0);
    }

    #[test]
    fn handlers_run_last_first_and_the_table_fills() {
        assert_eq!(atexit(Some(first)), 0);
        assert_eq!(atexit(Some(second)), 0);
        assert_eq!(atexit(None), -1);
        while let Some(f) = pop_handler() {
            f();
        }
        assert_eq!(ORDER.load(Ordering::Relaxed), 2);
        for _ in 0..ATEXIT_MAX {
            assert_eq!(atexit(Some(first)), 0);
        }
        assert_eq!(atexit(Some(first)), -1);
        let mut n = 0;
        while pop_handler().is_some() {
            n += 1;
        }
        assert_eq!(n, ATEXIT_MAX);
    }
}
