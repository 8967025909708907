//! Program start: where `crt1.o`'s `_start` hands over to the library.
//! No header declares it; only `crt1.o` calls it.
//!
//! `__libc_start_main` records the initial stack (argc, argv, envp, auxv)
//! in `vibix_abi`, gives the thread a TLS block if the kernel did not (on
//! Linux: `vibix_abi::thread::tls::ensure_main_block`), points `environ`
//! at the environment, runs the constructors (`.preinit_array`,
//! `.init_array`) with `argc`, `argv` and `envp` as arguments (glibc's
//! extension, which Rust's std for `linux-gnu` reads its arguments
//! through; a constructor declared without parameters ignores them), calls
//! `main` and passes its result to `exit`, which runs `atexit` handlers
//! and the destructors.

use vibix_uapi::start::InitialStack;

use crate::types::{c_char, c_int};

/// C's `main`, with the environment as a third argument (as glibc passes it).
pub type MainFn = unsafe extern "C" fn(c_int, *mut *mut c_char, *mut *mut c_char) -> c_int;

unsafe extern "C" {
    // The linker defines these around the program's constructor arrays
    // (GNU ld's default script and LLD alike).
    static __preinit_array_start: [Option<Constructor>; 0];
    static __preinit_array_end: [Option<Constructor>; 0];
    static __init_array_start: [Option<Constructor>; 0];
    static __init_array_end: [Option<Constructor>; 0];
}

/// A constructor, as glibc calls it: with `main`'s three arguments.
pub type Constructor = unsafe extern "C" fn(c_int, *mut *mut c_char, *mut *mut c_char);

/// Called by `_start` with `main` and the initial stack pointer; never
/// returns.
///
/// # Safety
///
/// `sp` must be the untouched initial stack pointer the kernel started the
/// process with, and `main` the program's `main`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn __libc_start_main(main: MainFn, sp: *const usize) -> ! {
    // SAFETY: `_start` passes the initial stack pointer; nothing writes
    // the initial stack's contents above it for the life of the process.
    let stack = unsafe { InitialStack::parse(sp) };
    // SAFETY: as above.
    unsafe { vibix_abi::start::record(stack) };
    vibix_abi::thread::tls::ensure_main_block();
    let envp = stack.envp.cast_mut().cast::<*mut c_char>();
    crate::stdlib::env::set_initial(envp);
    let argc = stack.argc as c_int;
    let argv = stack.argv.cast_mut().cast::<*mut c_char>();
    // SAFETY: the linker's symbols bound the arrays of constructors, each
    // entry a C function (or a null slot) that may be passed `main`'s
    // arguments (C's calling convention lets one declared without
    // parameters ignore them); only this thread runs yet.
    unsafe {
        run_constructors(
            &raw const __preinit_array_start,
            &raw const __preinit_array_end,
            (argc, argv, envp),
        );
        run_constructors(
            &raw const __init_array_start,
            &raw const __init_array_end,
            (argc, argv, envp),
        );
    }
    // SAFETY: the kernel's argv and envp are NULL-terminated arrays of
    // NUL-terminated strings; `main` is the program's.
    let status = unsafe { main(argc, argv, envp) };
    crate::stdlib::exit::exit(status)
}

/// Calls every constructor in `[start, end)` with `args` (`argc`, `argv`,
/// `envp`).
///
/// # Safety
///
/// The range must be an array of function pointers (or null slots) that
/// may be called now with those arguments.
unsafe fn run_constructors(
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
