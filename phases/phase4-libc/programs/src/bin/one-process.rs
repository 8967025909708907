//! std and the C library in one process: they share what a process has
//! once. The environment: `std::env::set_var` is seen by C's `getenv`, and
//! C's `setenv` by `std::env::var`, and a child std spawns gets the result.
//! The end: returning from `main`, or `std::process::exit`, goes through
//! C's `exit`, so `atexit` handlers run and C's `stdout` buffer is written.
//! And `std::io::IsTerminal` is C's `isatty`.
//! Compared with the same program on Linux (glibc).
//!
//! Arguments: none (return from `main`), `exit` (end with
//! `std::process::exit(3)`), `child` (print one variable and end).

use std::ffi::CStr;
use std::io::IsTerminal;
use std::process::Command;

/// C's view of variable `name`.
fn c_getenv(name: &CStr) -> Option<String> {
    // SAFETY: a NUL-terminated name; the value is copied at once, before
    // anything changes the environment.
    let value = unsafe { libc::getenv(name.as_ptr()) };
    (!value.is_null())
        // SAFETY: `getenv` returned a NUL-terminated string.
        .then(|| {
            unsafe { CStr::from_ptr(value) }
                .to_string_lossy()
                .into_owned()
        })
}

unsafe extern "C" {
    /// C's standard output stream (`<stdio.h>`; the `libc` crate does not
    /// declare it for Linux).
    static mut stdout: *mut libc::FILE;
    /// `<stdio.h>`'s `setvbuf`, which the `libc` crate does not declare.
    fn setvbuf(
        f: *mut libc::FILE,
        buf: *mut libc::c_char,
        mode: libc::c_int,
        size: usize,
    ) -> libc::c_int;
}

/// `<stdio.h>`'s `_IOFBF`: full buffering.
const IOFBF: libc::c_int = 0;

extern "C" fn at_exit() {
    // SAFETY: a NUL-terminated format without conversions.
    unsafe { libc::printf(c"atexit handler: ran\n".as_ptr()) };
}

fn main() {
    let arg = std::env::args().nth(1);
    if arg.as_deref() == Some("child") {
        println!("child sees FROM_C: {:?}", std::env::var("FROM_C"));
        return;
    }

    // SAFETY: the program has one thread: nothing reads the environment
    // while it changes.
    unsafe { std::env::set_var("FROM_STD", "set by std") };
    println!("C getenv FROM_STD: {:?}", c_getenv(c"FROM_STD"));
    // SAFETY: NUL-terminated strings; one thread, as above.
    let r = unsafe { libc::setenv(c"FROM_C".as_ptr(), c"set by C".as_ptr(), 1) };
    println!("setenv: {r}; std var FROM_C: {:?}", std::env::var("FROM_C"));
    let child = Command::new(std::env::current_exe().unwrap())
        .arg("child")
        .output()
        .unwrap();
    print!("{}", String::from_utf8_lossy(&child.stdout));
    // SAFETY: one thread, as above.
    unsafe { std::env::remove_var("FROM_STD") };
    println!(
        "C getenv FROM_STD after remove_var: {:?}",
        c_getenv(c"FROM_STD")
    );

    // Whether standard output is a terminal: std asks C's `isatty`.
    // SAFETY: `isatty` only inspects the descriptor.
    let c_says = unsafe { libc::isatty(1) } == 1;
    println!(
        "std and C agree on isatty(1): {}",
        std::io::stdout().is_terminal() == c_says
    );

    // SAFETY: `at_exit` is a C function that may run at exit.
    println!("atexit: {}", unsafe { libc::atexit(at_exit) });
    // C's stdout fully buffered, as it is on a pipe (vibix's console is a
    // terminal, where it would be line-buffered): the text below stays in
    // the buffer until `exit`.
    // SAFETY: `stdout` is C's stream, not used yet; a NUL-terminated
    // format without conversions.
    unsafe {
        setvbuf(stdout, std::ptr::null_mut(), IOFBF, 0);
        libc::printf(c"C stdout: buffered until exit\n".as_ptr());
    }
    if arg.as_deref() == Some("exit") {
        println!("std::process::exit(3)");
        std::process::exit(3);
    }
    println!("return from main");
}
