//! Where a program begins: the initial stack the kernel builds, and (on
//! vibix) `_start`, the ELF entry point.
//!
//! When the kernel starts a program, `rsp` points at the System V initial
//! stack (argc, argv, envp, auxv: the layout `vibix_uapi::start`
//! describes). [`InitialStack::parse`] (`vibix_uapi`'s) reads it; [`record`]
//! keeps it for the rest of the program ([`recorded`]). The path from `_start` to the
//! program's `main`:
//!
//! 1. `_start` (assembly) passes the initial `rsp` to `start_rust`;
//! 2. `start_rust` parses and records the stack, then calls std's
//!    `vibix_runtime_entry(argc, argv, envp)` (in std's vibix platform
//!    layer);
//! 3. that calls `main(argc, argv)`, the C-ABI function rustc generates for
//!    every binary crate, which calls `std::rt::lang_start`, which runs the
//!    runtime's init and then the user's `fn main`;
//! 4. when `main` returns, `vibix_runtime_entry` runs the main thread's
//!    thread-local destructors and exits with `main`'s status.

use core::ffi::{c_char, c_int};
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

pub use vibix_uapi::auxv;
pub use vibix_uapi::start::{Auxv, CStrArray, InitialStack};

static ARGC: AtomicUsize = AtomicUsize::new(0);
static ARGV: AtomicPtr<*const c_char> = AtomicPtr::new(core::ptr::null_mut());
static ENVP: AtomicPtr<*const c_char> = AtomicPtr::new(core::ptr::null_mut());
static AUXV: AtomicPtr<[usize; 2]> = AtomicPtr::new(core::ptr::null_mut());

/// Keeps `stack` for [`recorded`].
///
/// # Safety
///
/// `stack` must satisfy [`InitialStack::parse`]'s requirements for the rest
/// of the program's life.
pub unsafe fn record(stack: InitialStack) {
    ARGC.store(stack.argc, Ordering::Relaxed);
    ARGV.store(stack.argv.cast_mut(), Ordering::Relaxed);
    ENVP.store(stack.envp.cast_mut(), Ordering::Relaxed);
    // Release: whoever sees AUXV sees the other three.
    AUXV.store(stack.auxv.cast_mut(), Ordering::Release);
}

/// The initial stack `_start` recorded, or `None` before that (or on the
/// host, where `_start` is the C library's).
pub fn recorded() -> Option<InitialStack> {
    let auxv = AUXV.load(Ordering::Acquire);
    if auxv.is_null() {
        return None;
    }
    Some(InitialStack {
        argc: ARGC.load(Ordering::Relaxed),
        argv: ARGV.load(Ordering::Relaxed),
        envp: ENVP.load(Ordering::Relaxed),
        auxv,
    })
}

/// A constructor, as glibc calls it: with `main`'s three arguments (one
/// declared without parameters ignores them, by C's calling convention).
pub type Constructor = unsafe extern "C" fn(c_int, *mut *mut c_char, *mut *mut c_char);

unsafe extern "C" {
    // The linker defines these around the program's constructor arrays
    // (GNU ld's default script and LLD alike).
    static __preinit_array_start: [Option<Constructor>; 0];
    static __preinit_array_end: [Option<Constructor>; 0];
    static __init_array_start: [Option<Constructor>; 0];
    static __init_array_end: [Option<Constructor>; 0];
}

/// Runs the program's constructors (`.preinit_array`, then `.init_array`)
/// with `main`'s arguments, as glibc does before `main`: a C program's
/// start (`__libc_start_main`) and, from phase 4 on, a Rust program's
/// (crates such as `inventory` register through `.init_array`, and so
/// does the C library).
///
/// # Safety
///
/// Program start only, on the main thread, before anything else runs;
/// `argv` and `envp` the kernel's arrays.
pub unsafe fn run_constructors(argc: c_int, argv: *mut *mut c_char, envp: *mut *mut c_char) {
    // SAFETY: the linker's symbols bound the arrays of constructors, each
    // entry a C function (or a null slot) that may be called now with
    // `main`'s arguments (the caller's contract).
    unsafe {
        run_range(
            &raw const __preinit_array_start,
            &raw const __preinit_array_end,
            (argc, argv, envp),
        );
        run_range(
            &raw const __init_array_start,
            &raw const __init_array_end,
            (argc, argv, envp),
        );
    }
}

/// Calls every constructor in `[start, end)` with `args`.
///
/// # Safety
///
/// The range must be an array of function pointers (or null slots) that
/// may be called now with those arguments.
unsafe fn run_range(
    start: *const [Option<Constructor>; 0],
    end: *const [Option<Constructor>; 0],
    (argc, argv, envp): (c_int, *mut *mut c_char, *mut *mut c_char),
) {
    let mut at = start.cast::<Option<Constructor>>();
    let end = end.cast::<Option<Constructor>>();
    while at < end {
        // SAFETY: `at` is inside the array (the caller's range).
        if let Some(f) = unsafe { *at } {
            // SAFETY: the caller says the functions may run now.
            unsafe { f(argc, argv, envp) };
        }
        // SAFETY: still inside the array or one past it.
        at = unsafe { at.add(1) };
    }
}

// ANCHOR: start
// The ELF entry point, `_start` (`vibix_uapi::entry_point!`): it passes the
// initial `rsp` to `start_rust`. A C program's `_start` is `crt1.o`'s
// instead (feature `crt`, set by vibix_libc).
#[cfg(all(target_os = "vibix", not(feature = "crt")))]
vibix_uapi::entry_point!(start_rust);

#[cfg(all(target_os = "vibix", not(feature = "crt")))]
unsafe extern "C" {
    /// std's entry (in its vibix platform layer): runs `main` and exits.
    fn vibix_runtime_entry(
        argc: isize,
        argv: *const *const c_char,
        envp: *const *const c_char,
    ) -> !;
}

/// Records the initial stack, then enters std.
///
/// # Safety
///
/// `sp` must be the initial stack pointer (only `_start` calls this).
#[cfg(all(target_os = "vibix", not(feature = "crt")))]
unsafe extern "C" fn start_rust(sp: *const usize) -> ! {
    // SAFETY: `_start` passes the untouched initial stack pointer; nothing
    // ever writes the initial stack's contents above it.
    let stack = unsafe { InitialStack::parse(sp) };
    // SAFETY: as above, for the whole life of the process.
    unsafe { record(stack) };
    // On Linux (the host's `strace`), the TLS block vibix's kernel makes
    // (phase 4: C and std programs start alike).
    #[cfg(feature = "phase4")]
    crate::thread::tls::ensure_main_block();
    // `current_exe` needs the start-up directory if AT_EXECFN is relative.
    // SAFETY: nothing else runs yet.
    #[cfg(feature = "phase2")]
    unsafe {
        crate::exe::capture_cwd_at_start()
    };
    // Constructors, as a Rust program on Linux has them run (phase 4: the
    // C library registers one, and crates that call C may). A program
    // linked against the shared C library was started by the dynamic
    // linker (`AT_BASE`, its load address, is not 0), which has run every
    // object's constructors, the program's included, as glibc's `ld.so`
    // does: they run once.
    #[cfg(feature = "phase4")]
    if stack.getauxval(auxv::AT_BASE).unwrap_or(0) == 0 {
        // SAFETY: program start, on the only thread; the kernel's arrays.
        unsafe {
            run_constructors(
                stack.argc as c_int,
                stack.argv.cast_mut().cast(),
                stack.envp.cast_mut().cast(),
            )
        }
    }
    // SAFETY: std defines the entry with this signature; argv and envp are
    // the kernel's NULL-terminated arrays.
    unsafe { vibix_runtime_entry(stack.argc as isize, stack.argv, stack.envp) }
}
// ANCHOR_END: start

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;
    use std::vec::Vec;

    #[test]
    fn records_the_stack() {
        // `record` needs the stack for the rest of the program: leak it (the
        // statics keep it reachable, so Miri's leak check agrees).
        let arg: &'static std::ffi::CStr =
            std::boxed::Box::leak(CString::new("p").unwrap().into_boxed_c_str());
        let env: &'static std::ffi::CStr =
            std::boxed::Box::leak(CString::new("A=1").unwrap().into_boxed_c_str());
        let null = core::ptr::null::<u8>();
        let words: Vec<*const u8> = std::vec![
            core::ptr::without_provenance(1),
            arg.as_ptr().cast(),
            null,
            env.as_ptr().cast(),
            null,
            core::ptr::without_provenance(auxv::AT_NULL),
            null,
        ];
        let words: &'static [*const u8] = words.leak();
        // SAFETY: the layout is right and the memory is never freed.
        unsafe {
            let st = InitialStack::parse(words.as_ptr().cast());
            record(st);
            assert_eq!(recorded(), Some(st));
        }
        let strs = |it: CStrArray| it.map(|c| c.to_str().unwrap()).collect::<Vec<_>>();
        assert_eq!(strs(recorded().unwrap().env()), ["A=1"]);
        assert_eq!(strs(recorded().unwrap().args()), ["p"]);
    }
}
