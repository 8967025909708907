//! `<stdlib.h>`: the environment: `environ`, `getenv`, `setenv`,
//! `unsetenv`, `putenv`, `clearenv`.
//!
//! At start `environ` is the kernel's array. The first change copies it
//! into an array the library owns (and copies it again whenever the
//! program has pointed `environ` somewhere else), and every change keeps
//! `environ` pointing at that array. Strings `setenv` makes are never
//! freed, as in glibc: a pointer `getenv` returned stays valid.

use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};

use vibix_abi::errno::set_errno;
use vibix_uapi::errno::EINVAL;

use super::lock::Lock;
use crate::types::{c_char, c_int};

/// The environment: a NULL-terminated array of `NAME=value` strings (C's
/// `environ`, declared in `<unistd.h>`).
#[cfg_attr(not(test), unsafe(no_mangle))]
#[allow(non_upper_case_globals, reason = "C's name")]
pub static mut environ: *mut *mut c_char = ptr::null_mut();

static INITIAL: AtomicPtr<*mut c_char> = AtomicPtr::new(ptr::null_mut());

/// Points `environ` at the environment the kernel passed (program start).
pub(crate) fn set_initial(envp: *mut *mut c_char) {
    INITIAL.store(envp, Ordering::Relaxed);
    // SAFETY: only program start calls this, before any other thread
    // exists or C code reads `environ`.
    unsafe { environ = envp };
}

/// In a Rust program that calls C (phase 4 on) nobody calls
/// `__libc_start_main`: `environ` gets the kernel's array from this
/// constructor instead, which the Rust program's start runs
/// (`vibix_abi::start::run_constructors`). In a C program
/// `__libc_start_main` has set `environ` before, and it stays as it is.
#[cfg(all(target_os = "vibix", not(test)))]
#[used]
#[unsafe(link_section = ".init_array")]
static SET_ENVIRON: crate::start::Constructor = set_environ_at_start;

#[cfg(all(target_os = "vibix", not(test)))]
unsafe extern "C" fn set_environ_at_start(_: c_int, _: *mut *mut c_char, envp: *mut *mut c_char) {
    // SAFETY: program start, on the only thread: nothing reads `environ`.
    if unsafe { environ }.is_null() {
        set_initial(envp);
    }
}

/// The value of the environment variable `name`, or NULL.
///
/// # Safety
///
/// `name` must be a NUL-terminated string; `environ` a NULL-terminated
/// array of NUL-terminated strings.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getenv(name: *const c_char) -> *mut c_char {
    // SAFETY: the caller's contract.
    let mut at = unsafe { environ };
    if at.is_null() || name.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: `name` is NUL-terminated (the caller's contract).
    let name = unsafe { core::ffi::CStr::from_ptr(name) }.to_bytes();
    if name.is_empty() || name.contains(&b'=') {
        return ptr::null_mut();
    }
    loop {
        // SAFETY: `at` is inside the NULL-terminated array.
        let entry = unsafe { *at };
        if entry.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: each entry is NUL-terminated.
        let bytes = unsafe { core::ffi::CStr::from_ptr(entry) }.to_bytes();
        if bytes.len() > name.len() && bytes.starts_with(name) && bytes[name.len()] == b'=' {
            // SAFETY: the value starts inside the entry, after the '='.
            return unsafe { entry.add(name.len() + 1) };
        }
        // SAFETY: not past the NULL yet.
        at = unsafe { at.add(1) };
    }
}

/// A growable array of string pointers on `malloc`'s heap (the crate does
/// not use `alloc`'s collections).
struct Vec<T: Copy> {
    ptr: *mut T,
    len: usize,
    cap: usize,
}

impl<T: Copy> Vec<T> {
    const fn new() -> Vec<T> {
        Vec {
            ptr: ptr::null_mut(),
            len: 0,
            cap: 0,
        }
    }

    fn as_mut_ptr(&mut self) -> *mut T {
        self.ptr
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn as_slice(&mut self) -> &mut [T] {
        if self.ptr.is_null() {
            return &mut [];
        }
        // SAFETY: the first `len` elements are initialised and ours.
        unsafe { core::slice::from_raw_parts_mut(self.ptr, self.len) }
    }

    /// Appends `v`; returns false if memory ran out.
    fn push(&mut self, v: T) -> bool {
        if self.len == self.cap {
            let cap = (self.cap * 2).max(16);
            // SAFETY: `ptr` is NULL or our block; the size cannot overflow
            // for an array that fits in memory.
            let grown = unsafe { super::malloc::realloc(self.ptr.cast(), cap * size_of::<T>()) };
            if grown.is_null() {
                return false;
            }
            self.ptr = grown.cast();
            self.cap = cap;
        }
        // SAFETY: `len < cap`: inside the block.
        unsafe { self.ptr.add(self.len).write(v) };
        self.len += 1;
        true
    }

    fn pop(&mut self) {
        self.len = self.len.saturating_sub(1);
    }

    /// Keeps only the elements `keep` accepts, in order.
    fn retain(&mut self, mut keep: impl FnMut(T) -> bool) {
        let mut kept = 0;
        for i in 0..self.len {
            let v = self.as_slice()[i];
            if keep(v) {
                self.as_slice()[kept] = v;
                kept += 1;
            }
        }
        self.len = kept;
    }

    /// Empties the array and frees its memory.
    fn clear(&mut self) {
        // SAFETY: `ptr` is NULL or our block, not used afterwards.
        unsafe { super::malloc::free(self.ptr.cast()) };
        *self = Vec::new();
    }
}

/// The array the library owns, NULL-terminated when not empty.
struct Owned(Vec<*mut c_char>);

// SAFETY: the strings are shared by the whole process (C's environment);
// the array itself is only touched under the lock.
unsafe impl Send for Owned {}

static OWNED: Lock<Owned> = Lock::new(Owned(Vec::new()));

/// The `name` of an environment call: `None` (and `EINVAL`) if NULL,
/// empty or containing `=`.
///
/// # Safety
///
/// `name` NULL or NUL-terminated.
unsafe fn valid_name<'a>(name: *const c_char) -> Option<&'a [u8]> {
    if name.is_null() {
        set_errno(EINVAL);
        return None;
    }
    // SAFETY: the caller's contract.
    let name = unsafe { core::ffi::CStr::from_ptr(name) }.to_bytes();
    if name.is_empty() || name.contains(&b'=') {
        set_errno(EINVAL);
        return None;
    }
    Some(name)
}

/// Whether `entry` (`NAME=value`) is for `name`.
///
/// # Safety
///
/// `entry` NUL-terminated.
unsafe fn is_for(entry: *const c_char, name: &[u8]) -> bool {
    // SAFETY: the caller's contract.
    let bytes = unsafe { core::ffi::CStr::from_ptr(entry) }.to_bytes();
    bytes.len() > name.len() && bytes.starts_with(name) && bytes[name.len()] == b'='
        || bytes == name
}

/// Runs `f` on the owned array (without its NULL), copied from `environ`
/// first if `environ` is not it; then points `environ` at the result. Out
/// of memory (the array cannot grow), `f` is not run and the result is
/// -1 with `ENOMEM`.
fn edit(f: impl FnOnce(&mut Vec<*mut c_char>) -> c_int) -> c_int {
    OWNED.with(|owned| {
        let array = &mut owned.0;
        // SAFETY: changes to the environment are serialised by the lock;
        // `environ` is a NULL-terminated array (C's contract).
        unsafe {
            let current = environ;
            if array.is_empty() || current != array.as_mut_ptr() {
                array.len = 0;
                let mut at = current;
                while !at.is_null() && !(*at).is_null() {
                    if !array.push(*at) {
                        break;
                    }
                    at = at.add(1);
                }
            } else {
                array.pop();
            }
        }
        // Room for the NULL and one more entry, before changing anything.
        if !array.push(ptr::null_mut()) || !array.push(ptr::null_mut()) {
            array.len = 0;
            vibix_abi::errno::set_errno(vibix_uapi::errno::ENOMEM);
            return -1;
        }
        array.pop();
        array.pop();
        let result = f(array);
        array.push(ptr::null_mut());
        // SAFETY: as above; the array lives in the static until the next
        // change.
        unsafe { environ = array.as_mut_ptr() };
        result
    })
}

/// Sets `name` to `value`; an existing variable is kept unless
/// `overwrite`. 0, or -1 with `errno` (`EINVAL` for a bad name, `ENOMEM`).
///
/// # Safety
///
/// `name` NULL or NUL-terminated; `value` NUL-terminated; `environ` as
/// for [`getenv`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn setenv(
    name: *const c_char,
    value: *const c_char,
    overwrite: c_int,
) -> c_int {
    // SAFETY: the caller's contract.
    let Some(name) = (unsafe { valid_name(name) }) else {
        return -1;
    };
    // SAFETY: as above.
    let value = unsafe { core::ffi::CStr::from_ptr(value) }.to_bytes();
    edit(|array| {
        // SAFETY: every entry is NUL-terminated.
        let found = array
            .as_slice()
            .iter()
            // SAFETY: every entry is NUL-terminated.
            .position(|&e| unsafe { is_for(e, name) });
        if found.is_some() && overwrite == 0 {
            return 0;
        }
        let len = name.len() + 1 + value.len();
        // SAFETY: `malloc` has no precondition.
        let entry = unsafe { super::malloc::malloc(len + 1) }.cast::<u8>();
        if entry.is_null() {
            return -1;
        }
        // SAFETY: `entry` holds `len + 1` bytes.
        let text = unsafe { core::slice::from_raw_parts_mut(entry, len + 1) };
        text[..name.len()].copy_from_slice(name);
        text[name.len()] = b'=';
        text[name.len() + 1..len].copy_from_slice(value);
        text[len] = 0;
        match found {
            Some(i) => array.as_slice()[i] = entry.cast(),
            None => {
                array.push(entry.cast());
            }
        }
        0
    })
}

/// Removes every definition of `name`. 0, or -1 with `EINVAL` for a bad
/// name.
///
/// # Safety
///
/// As [`setenv`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn unsetenv(name: *const c_char) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { remove(name) }
}

/// `unsetenv`'s work (no export calls another by its C name).
///
/// # Safety
///
/// As [`setenv`].
unsafe fn remove(name: *const c_char) -> c_int {
    // SAFETY: the caller's contract.
    let Some(name) = (unsafe { valid_name(name) }) else {
        return -1;
    };
    // SAFETY: every entry is NUL-terminated.
    edit(|array| {
        // SAFETY: every entry is NUL-terminated.
        array.retain(|e| !unsafe { is_for(e, name) });
        0
    })
}

/// Puts `string` (`NAME=value`) itself into the environment, replacing
/// `NAME`'s definition; a string without `=` removes `NAME` (as glibc).
///
/// # Safety
///
/// `string` NUL-terminated and alive (and unchanged unless to change the
/// variable) for as long as it is in the environment.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn putenv(string: *mut c_char) -> c_int {
    if string.is_null() {
        return crate::errno::fail(EINVAL);
    }
    // SAFETY: the caller's contract.
    let bytes = unsafe { core::ffi::CStr::from_ptr(string) }.to_bytes();
    let Some(eq) = bytes.iter().position(|&b| b == b'=') else {
        // SAFETY: the string is NUL-terminated.
        return unsafe { remove(string) };
    };
    let name = &bytes[..eq];
    if name.is_empty() {
        return crate::errno::fail(EINVAL);
    }
    edit(|array| {
        // SAFETY: every entry is NUL-terminated.
        let found = array
            .as_slice()
            .iter()
            .position(|&e| unsafe { is_for(e, name) });
        match found {
            Some(i) => array.as_slice()[i] = string,
            None => {
                array.push(string);
            }
        }
        0
    })
}

/// Empties the environment: `environ` becomes NULL.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn clearenv() -> c_int {
    OWNED.with(|owned| {
        owned.0.clear();
        // SAFETY: changes are serialised by the lock.
        unsafe { environ = ptr::null_mut() };
    });
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ffi::CStr;

    /// The value of `name`, as Rust bytes.
    fn get(name: &CStr) -> Option<std::vec::Vec<u8>> {
        // SAFETY: a NUL-terminated name; the environment is well formed.
        let v = unsafe { getenv(name.as_ptr()) };
        // SAFETY: `getenv` returns NULL or a NUL-terminated value.
        (!v.is_null()).then(|| unsafe { CStr::from_ptr(v) }.to_bytes().to_vec())
    }

    /// The whole environment, in order.
    fn all() -> std::vec::Vec<std::vec::Vec<u8>> {
        let mut out = std::vec::Vec::new();
        // SAFETY: a NULL-terminated array (or NULL).
        unsafe {
            let mut at = environ;
            while !at.is_null() && !(*at).is_null() {
                out.push(CStr::from_ptr(*at).to_bytes().to_vec());
                at = at.add(1);
            }
        }
        out
    }

    /// The entry of `name`, to free it at the end (`setenv` never does).
    fn entry(name: &CStr) -> *mut c_char {
        // SAFETY: `name` is defined: its value follows `name=` in the
        // entry.
        unsafe { getenv(name.as_ptr()).sub(name.to_bytes().len() + 1) }
    }

    #[test]
    fn changes() {
        let mut made = std::vec::Vec::new();
        // The only test that changes the (crate's own) environment.
        let mut initial = [
            c"A=1".as_ptr().cast_mut(),
            c"B=2".as_ptr().cast_mut(),
            ptr::null_mut(),
        ];
        set_initial(initial.as_mut_ptr());
        assert_eq!(get(c"A").as_deref(), Some(&b"1"[..]));
        // SAFETY: NUL-terminated names and values throughout; the strings
        // given to `putenv` outlive their use.
        unsafe {
            assert_eq!(setenv(c"C".as_ptr(), c"3".as_ptr(), 0), 0);
            made.push(entry(c"C"));
            assert_eq!(setenv(c"A".as_ptr(), c"x".as_ptr(), 0), 0);
            assert_eq!(get(c"A").as_deref(), Some(&b"1"[..]));
            assert_eq!(setenv(c"A".as_ptr(), c"".as_ptr(), 1), 0);
            made.push(entry(c"A"));
            assert_eq!(get(c"A").as_deref(), Some(&b""[..]));
            assert_eq!(all(), [&b"A="[..], b"B=2", b"C=3"]);
            assert_eq!(setenv(c"A=".as_ptr(), c"".as_ptr(), 1), -1);
            assert_eq!(vibix_abi::errno::errno(), EINVAL);
            assert_eq!(setenv(c"".as_ptr(), c"".as_ptr(), 1), -1);
            assert_eq!(setenv(ptr::null(), c"".as_ptr(), 1), -1);
            assert_eq!(unsetenv(c"B".as_ptr()), 0);
            assert_eq!(unsetenv(c"nothing".as_ptr()), 0);
            assert_eq!(unsetenv(c"B=".as_ptr()), -1);
            assert_eq!(get(c"B"), None);
            static mut D: [u8; 4] = *b"D=4\0";
            let d = (&raw mut D).cast::<c_char>();
            assert_eq!(putenv(d), 0);
            assert_eq!(get(c"D").as_deref(), Some(&b"4"[..]));
            *d.add(2) = b'5' as c_char;
            assert_eq!(get(c"D").as_deref(), Some(&b"5"[..]));
            assert_eq!(putenv(c"C".as_ptr().cast_mut()), 0);
            assert_eq!(all(), [&b"A="[..], b"D=5"]);
            // The program points `environ` elsewhere: the next change
            // starts from there.
            let mut other = [c"X=9".as_ptr().cast_mut(), ptr::null_mut()];
            environ = other.as_mut_ptr();
            assert_eq!(setenv(c"Y".as_ptr(), c"8".as_ptr(), 1), 0);
            made.push(entry(c"Y"));
            assert_eq!(all(), [&b"X=9"[..], b"Y=8"]);
            assert_eq!(clearenv(), 0);
            assert!(environ.is_null());
            assert_eq!(get(c"X"), None);
            assert_eq!(setenv(c"Z".as_ptr(), c"1".as_ptr(), 0), 0);
            made.push(entry(c"Z"));
            assert_eq!(all(), [&b"Z=1"[..]]);
            clearenv();
            for m in made {
                crate::stdlib::malloc::free(m.cast());
            }
        }
    }
}
