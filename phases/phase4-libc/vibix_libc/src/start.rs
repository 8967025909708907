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
//! and the destructors. Built as the shared `libvibix_libc.so` (feature
//! `shared`), the dynamic linker runs the constructors and destructors.

use vibix_uapi::start::InitialStack;

use crate::types::{c_char, c_int};

/// C's `main`, with the environment as a third argument (as glibc passes it).
pub type MainFn = unsafe extern "C" fn(c_int, *mut *mut c_char, *mut *mut c_char) -> c_int;

/// A constructor: `vibix_abi`'s definition.
pub use vibix_abi::start::Constructor;

/// Called by `_start` with `main` and the initial stack pointer; never
/// returns.
///
/// # Safety
///
/// `sp` must be the untouched initial stack pointer the kernel started the
/// process with, and `main` the program's `main`.
#[cfg(not(feature = "shared"))]
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn __libc_start_main(main: MainFn, sp: *const usize) -> ! {
    // SAFETY: the caller's contract.
    let (argc, argv, envp) = unsafe { record(sp) };
    // SAFETY: program start, on the only thread; the kernel's arrays.
    unsafe { vibix_abi::start::run_constructors(argc, argv, envp) };
    // SAFETY: the kernel's argv and envp are NULL-terminated arrays of
    // NUL-terminated strings; `main` is the program's.
    let status = unsafe { main(argc, argv, envp) };
    crate::stdlib::exit::exit(status)
}

// ANCHOR: shared_start
/// The shared library's entry from `_start`: as the static one, but the
/// dynamic linker has already run every object's constructors (the
/// program's included), and `fini`, its routine for the destructors, is
/// what `_start` found in `rdx` (`crt1.o` leaves that register alone, so
/// it is this third argument, as on Linux). It is registered first with
/// `atexit`, so it runs last of the handlers.
///
/// # Safety
///
/// As the static `__libc_start_main`; `fini`, if not NULL, must be a
/// function that may run at `exit`.
#[cfg(feature = "shared")]
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn __libc_start_main(
    main: MainFn,
    sp: *const usize,
    fini: Option<extern "C" fn()>,
) -> ! {
    // SAFETY: the caller's contract.
    let (argc, argv, envp) = unsafe { record(sp) };
    crate::stdlib::exit::atexit(fini);
    // SAFETY: as in the static start.
    let status = unsafe { main(argc, argv, envp) };
    crate::stdlib::exit::exit(status)
}
// ANCHOR_END: shared_start

/// Records the initial stack at `sp`, makes sure the thread has a TLS
/// block, points `environ` at the environment; returns `main`'s arguments.
///
/// # Safety
///
/// `sp` must be the untouched initial stack pointer of the process.
unsafe fn record(sp: *const usize) -> (c_int, *mut *mut c_char, *mut *mut c_char) {
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
    (argc, argv, envp)
}
