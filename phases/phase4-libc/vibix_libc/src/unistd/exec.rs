//! `<unistd.h>`: running a program: `execve`, `execv`, `execvp`, `execvpe`
//! and the list forms `execl`, `execlp`, `execle`.
//!
//! The `p` forms look a name without a `/` up in `PATH` (from the calling
//! process's environment; `/bin:/usr/bin` if unset), by glibc's rule: a
//! directory where the program is missing is skipped, one where it may not
//! be run (`EACCES`) is skipped but reported if nothing else runs, any other
//! error ends the search. Unlike glibc, a file that fails with `ENOEXEC` is
//! not run again through `/bin/sh` (vibix has no shell). Nothing here
//! allocates for up to 64 list arguments, so a child of `fork` may call
//! them all.

extern crate alloc;

use core::ffi::{CStr, VaList};

use vibix_abi::exec::{Search, search_path};
use vibix_uapi::Errno;
use vibix_uapi::limits::{NAME_MAX, PATH_MAX};
use vibix_uapi::{nr, syscall};

use crate::sysret::{fail, ret_int};
use crate::types::{c_char, c_int};

/// The calling process's environment (`environ`).
fn environment() -> *const *mut c_char {
    // SAFETY: reading the pointer value of `environ`; C code changes it
    // only through the environment functions, not concurrently with exec.
    unsafe { (&raw const crate::stdlib::env::environ).read() }
}

/// Replaces the program of the calling process with the one at `path`;
/// returns only on failure (`-1`, `errno`).
///
/// # Safety
///
/// `path` must be a NUL-terminated string, `argv` and `envp`
/// NULL-terminated arrays of NUL-terminated strings.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn execve(
    path: *const c_char,
    argv: *const *mut c_char,
    envp: *const *mut c_char,
) -> c_int {
    // SAFETY: the kernel only reads the caller's strings and arrays.
    ret_int(unsafe { syscall!(nr::EXECVE, path, argv, envp) })
}

/// [`execve`] with the calling process's environment.
///
/// # Safety
///
/// As [`execve`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn execv(path: *const c_char, argv: *const *mut c_char) -> c_int {
    // SAFETY: the caller's contract; `environ` is the process's environment.
    unsafe { execve(path, argv, environment()) }
}

/// [`execve`] with the program looked up in `PATH`, and the calling
/// process's environment.
///
/// # Safety
///
/// As [`execve`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn execvp(file: *const c_char, argv: *const *mut c_char) -> c_int {
    // SAFETY: the caller's contract; `environ` is the process's environment.
    unsafe { execvpe(file, argv, environment()) }
}

/// [`execve`] with the program looked up in `PATH`.
///
/// # Safety
///
/// As [`execve`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn execvpe(
    file: *const c_char,
    argv: *const *mut c_char,
    envp: *const *mut c_char,
) -> c_int {
    // SAFETY: `file` is NUL-terminated (the caller's contract).
    let name = unsafe { CStr::from_ptr(file) }.to_bytes();
    if name.is_empty() {
        return fail(Errno::ENOENT);
    }
    if name.contains(&b'/') {
        // SAFETY: the caller's contract.
        return unsafe { execve(file, argv, envp) };
    }
    if name.len() > NAME_MAX {
        return fail(Errno::ENAMETOOLONG);
    }
    // SAFETY: "PATH" is NUL-terminated; getenv returns NULL or a string.
    let path = unsafe { crate::stdlib::env::getenv(c"PATH".as_ptr()) };
    // SAFETY: a non-null result of getenv is a NUL-terminated string.
    let path = (!path.is_null()).then(|| unsafe { CStr::from_ptr(path) }.to_bytes());
    let mut buf = [0u8; PATH_MAX];
    let mut search = Search::new();
    for parts in search_path(name, path) {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        if len >= PATH_MAX {
            continue;
        }
        let mut at = 0;
        for part in parts {
            buf[at..at + part.len()].copy_from_slice(part);
            at += part.len();
        }
        buf[at] = 0;
        // SAFETY: `buf` holds a NUL-terminated candidate path; argv and
        // envp are the caller's arrays.
        let err = unsafe { vibix_abi::exec::execve(buf.as_ptr().cast(), argv.cast(), envp.cast()) };
        if !search.failed(err) {
            break;
        }
    }
    fail(search.error())
}

/// How many list arguments fit on the stack; more are collected on the heap.
const STACK_ARGS: usize = 64;

/// Collects `first` and the variadic arguments up to a NULL pointer into a
/// NULL-terminated array, then calls `run` with it and the rest of `args`.
///
/// # Safety
///
/// `args` must hold `char *` arguments ending with a NULL pointer.
unsafe fn with_list(
    first: *const c_char,
    args: &mut VaList<'_>,
    run: impl FnOnce(*const *mut c_char, &mut VaList<'_>) -> c_int,
) -> c_int {
    let mut stack = [core::ptr::null_mut::<c_char>(); STACK_ARGS];
    let mut heap = alloc::vec::Vec::new();
    let mut count = 0;
    let mut next = first.cast_mut();
    loop {
        if count < STACK_ARGS {
            stack[count] = next;
        } else {
            if count == STACK_ARGS {
                heap.extend_from_slice(&stack);
            }
            heap.push(next);
        }
        if next.is_null() {
            break;
        }
        count += 1;
        // SAFETY: the list is NULL-terminated (the caller's contract) and
        // the NULL has not been read yet.
        next = unsafe { args.next_arg::<*mut c_char>() };
    }
    let list = if count < STACK_ARGS {
        stack.as_ptr()
    } else {
        heap.as_ptr()
    };
    run(list, args)
}

/// [`execv`] with the arguments as a NULL-terminated list.
///
/// # Safety
///
/// `path` and every argument must be NUL-terminated strings, the list
/// ending with a NULL pointer.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn execl(path: *const c_char, arg: *const c_char, mut args: ...) -> c_int {
    // SAFETY: the caller's contract; the array is NULL-terminated.
    unsafe { with_list(arg, &mut args, |argv, _| execv(path, argv)) }
}

/// [`execvp`] with the arguments as a NULL-terminated list.
///
/// # Safety
///
/// As [`execl`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn execlp(file: *const c_char, arg: *const c_char, mut args: ...) -> c_int {
    // SAFETY: the caller's contract; the array is NULL-terminated.
    unsafe { with_list(arg, &mut args, |argv, _| execvp(file, argv)) }
}

/// [`execve`] with the arguments as a NULL-terminated list, followed by
/// the environment (`char *const envp[]`).
///
/// # Safety
///
/// As [`execl`], and the argument after the list's NULL must be a
/// NULL-terminated array of NUL-terminated strings.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn execle(path: *const c_char, arg: *const c_char, mut args: ...) -> c_int {
    // SAFETY: the caller's contract: after the list's NULL comes `envp`.
    unsafe {
        with_list(arg, &mut args, |argv, rest| {
            let envp = rest.next_arg::<*const *mut c_char>();
            execve(path, argv, envp)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Collects its list arguments as `execl` does and reports how many
    /// there were and the value after the NULL (`execle`'s environment).
    unsafe extern "C" fn collect(first: *const c_char, mut args: ...) -> c_int {
        // SAFETY: the callers below end the list with NULL, then a pointer.
        unsafe {
            with_list(first, &mut args, |argv, rest| {
                let mut n = 0;
                while !(*argv.add(n)).is_null() {
                    n += 1;
                }
                let env = rest.next_arg::<*const c_char>();
                (n * 1000) as c_int + i32::from(!env.is_null())
            })
        }
    }

    #[test]
    fn list_arguments() {
        let a = c"a".as_ptr();
        let null = core::ptr::null::<c_char>();
        // SAFETY: NULL-terminated lists followed by one pointer.
        unsafe {
            assert_eq!(collect(null, a), 1);
            assert_eq!(collect(a, a, a, null, a), 3001);
            assert_eq!(collect(a, null, null), 1000);
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "70 variadic arguments are slow under Miri")]
    fn more_list_arguments_than_the_stack_holds() {
        let a = c"a".as_ptr();
        let n = core::ptr::null::<c_char>();
        // SAFETY: a NULL-terminated list of 70 strings, then a pointer.
        let r = unsafe {
            collect(
                a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a,
                a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a,
                a, a, a, a, a, a, a, a, a, a, a, a, a, a, n, a,
            )
        };
        assert_eq!(r, 70_001);
    }

    #[test]
    fn names_refused_before_the_kernel() {
        let argv = [core::ptr::null_mut::<c_char>()];
        // SAFETY: NUL-terminated names, a NULL-terminated argv; both calls
        // fail before any system call.
        unsafe {
            assert_eq!(execvpe(c"".as_ptr(), argv.as_ptr(), argv.as_ptr()), -1);
            assert_eq!(vibix_abi::errno::errno(), Errno::ENOENT.raw());
            let long = [b'x'; 300]
                .iter()
                .chain(&[0])
                .copied()
                .collect::<alloc::vec::Vec<u8>>();
            assert_eq!(
                execvpe(long.as_ptr().cast(), argv.as_ptr(), argv.as_ptr()),
                -1
            );
            assert_eq!(vibix_abi::errno::errno(), Errno::ENAMETOOLONG.raw());
        }
    }
}
