//! `<stdio.h>`: opening and closing streams (`fopen`, `fdopen`,
//! `freopen`, `fclose`, `fileno`, `tmpfile`) and naming files (`remove`,
//! `rename`).

extern crate alloc;

use alloc::boxed::Box;
use core::ffi::CStr;
use core::ptr::null_mut;

use vibix_abi::errno::{errno, set_errno};
use vibix_uapi::errno::{EBADF, EEXIST, EINVAL, EISDIR};
use vibix_uapi::fcntl::{
    F_GETFL, F_SETFL, O_ACCMODE, O_APPEND, O_CLOEXEC, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC,
    O_WRONLY,
};

use super::file::{
    CAN_READ, CAN_WRITE, EOF, FILE, Locked, STATIC, drop_buffer, drop_read_ahead, flush, link,
    unlink,
};
use crate::errno::{fail, ret};
use crate::types::{c_char, c_int};

/// A mode string's meaning: `open`'s flags and the stream's directions.
struct Mode {
    oflags: c_int,
    dirs: u32,
}

/// Parses `r w a` with `+ b e x` as glibc does (it looks at no more than
/// seven characters after the first; others are ignored).
///
/// # Safety
///
/// `mode` is a NUL-terminated string.
unsafe fn parse_mode(mode: *const c_char) -> Option<Mode> {
    // SAFETY: the caller's contract.
    let m = unsafe { CStr::from_ptr(mode) }.to_bytes();
    let (mut oflags, mut dirs) = match m.first()? {
        b'r' => (O_RDONLY, CAN_READ),
        b'w' => (O_WRONLY | O_CREAT | O_TRUNC, CAN_WRITE),
        b'a' => (O_WRONLY | O_CREAT | O_APPEND, CAN_WRITE),
        _ => return None,
    };
    for &c in m.iter().skip(1).take(6) {
        match c {
            b'+' => {
                oflags = (oflags & !O_ACCMODE) | O_RDWR;
                dirs = CAN_READ | CAN_WRITE;
            }
            b'x' => oflags |= O_EXCL,
            b'e' => oflags |= O_CLOEXEC,
            b',' => break,
            _ => {}
        }
    }
    Some(Mode { oflags, dirs })
}

/// A new stream on `fd`, in the open list; NULL (ENOMEM) if no memory.
fn new_stream(fd: c_int, dirs: u32) -> *mut FILE {
    let f = Box::into_raw(Box::new(FILE::new(fd, dirs)));
    // SAFETY: `f` is live and not yet listed.
    unsafe { link(f) };
    f
}

/// Opens the file `path` as `mode` says.
///
/// # Safety
///
/// `path` and `mode` are NUL-terminated strings.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fopen(path: *const c_char, mode: *const c_char) -> *mut FILE {
    // SAFETY: the caller's contract.
    let Some(m) = (unsafe { parse_mode(mode) }) else {
        set_errno(EINVAL);
        return null_mut();
    };
    // SAFETY: the caller's contract.
    let path = unsafe { CStr::from_ptr(path) };
    match vibix_abi::fs::open(path, m.oflags, 0o666) {
        Ok(fd) => new_stream(fd, m.dirs),
        Err(_) => null_mut(),
    }
}

/// A stream on the open descriptor `fd`.
///
/// # Safety
///
/// `mode` is a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fdopen(fd: c_int, mode: *const c_char) -> *mut FILE {
    // SAFETY: the caller's contract.
    let Some(m) = (unsafe { parse_mode(mode) }) else {
        set_errno(EINVAL);
        return null_mut();
    };
    // SAFETY: F_GETFL takes no pointer.
    let fl = unsafe { vibix_abi::libc_names::fcntl(fd, F_GETFL, 0) };
    if fl < 0 {
        return null_mut();
    }
    let acc = fl & O_ACCMODE;
    let ok = match m.dirs {
        CAN_READ => acc == O_RDONLY || acc == O_RDWR,
        CAN_WRITE => acc == O_WRONLY || acc == O_RDWR,
        _ => acc == O_RDWR,
    };
    if !ok {
        set_errno(EINVAL);
        return null_mut();
    }
    if m.oflags & O_APPEND != 0 && fl & O_APPEND == 0 {
        // SAFETY: F_SETFL takes no pointer.
        if unsafe { vibix_abi::libc_names::fcntl(fd, F_SETFL, fl | O_APPEND) } < 0 {
            return null_mut();
        }
    }
    new_stream(fd, m.dirs)
}

/// Reopens `f` on `path` (or, with a NULL path, changes its mode),
/// keeping the same `FILE`.
///
/// # Safety
///
/// `f` is a live stream; `path` is NULL or a NUL-terminated string; `mode`
/// is a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn freopen(
    path: *const c_char,
    mode: *const c_char,
    f: *mut FILE,
) -> *mut FILE {
    // SAFETY: the caller's contract.
    let m = unsafe { parse_mode(mode) };
    // SAFETY: the caller's contract.
    let g = unsafe { Locked::new(f) };
    // SAFETY: `f` is live and locked.
    unsafe {
        if (*f).wlen > 0 {
            flush(f);
        }
        if (*f).flags & CAN_READ != 0 {
            drop_read_ahead(f);
        }
    }
    let Some(m) = m else {
        drop(g);
        // SAFETY: as above; C says the stream is closed on failure.
        unsafe { fclose(f) };
        set_errno(EINVAL);
        return null_mut();
    };
    // SAFETY: `f` is live and locked.
    let s = unsafe { &mut *f };
    if path.is_null() {
        s.flags = (s.flags & STATIC) | m.dirs;
        return f;
    }
    if s.fd >= 0 {
        let _ = vibix_abi::fd::close(s.fd);
    }
    // SAFETY: the caller's contract.
    let p = unsafe { CStr::from_ptr(path) };
    match vibix_abi::fs::open(p, m.oflags, 0o666) {
        Ok(fd) => {
            // SAFETY: `f` is live and locked, its buffer empty.
            unsafe { drop_buffer(f) };
            s.fd = fd;
            s.flags = (s.flags & STATIC) | m.dirs;
            s.unget = -1;
            if s.flags & STATIC == 0 || fd != 2 {
                s.mode = -1;
            }
            f
        }
        Err(_) => {
            let e = errno();
            s.fd = -1;
            drop(g);
            // SAFETY: as above; the stream is closed on failure.
            unsafe { fclose(f) };
            set_errno(e);
            null_mut()
        }
    }
}

/// Flushes and closes `f`; 0, or `EOF` if the flush or the close failed.
///
/// # Safety
///
/// `f` is a live stream, not used again.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fclose(f: *mut FILE) -> c_int {
    let mut ok = true;
    {
        // SAFETY: the caller's contract.
        let _g = unsafe { Locked::new(f) };
        // SAFETY: `f` is live and locked.
        unsafe {
            if (*f).wlen > 0 && !flush(f) {
                ok = false;
            }
            if (*f).flags & CAN_READ != 0 && (*f).flags & CAN_WRITE == 0 {
                // Leave a shared descriptor where the program read to.
                drop_read_ahead(f);
            }
            if (*f).fd >= 0 && vibix_abi::fd::close((*f).fd).is_err() {
                ok = false;
            }
            (*f).fd = -1;
            (*f).wlen = 0;
            drop_buffer(f);
            (*f).flags &= STATIC;
        }
    }
    // SAFETY: `f` is live; only `new_stream`'s are boxed.
    unsafe {
        if (*f).flags & STATIC == 0 {
            unlink(f);
            drop(Box::from_raw(f));
        }
    }
    if ok { 0 } else { EOF }
}

/// The descriptor under `f`.
///
/// # Safety
///
/// `f` is a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fileno(f: *mut FILE) -> c_int {
    // SAFETY: the caller's contract.
    let fd = unsafe { (*f).fd };
    if fd < 0 { fail(EBADF) } else { fd }
}

/// A new temporary file, open for update, removed when closed: created
/// in `/tmp` under a random name and unlinked at once.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn tmpfile() -> *mut FILE {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for _ in 0..100 {
        let mut name = *b"/tmp/tmpf.XXXXXXXXXXXX\0";
        let mut rnd = [0u8; 6];
        if vibix_abi::random::fill(&mut rnd).is_err() {
            return null_mut();
        }
        for (k, b) in rnd.iter().enumerate() {
            name[10 + 2 * k] = HEX[(b >> 4) as usize];
            name[11 + 2 * k] = HEX[(b & 15) as usize];
        }
        let path = CStr::from_bytes_with_nul(&name).unwrap_or_default();
        match vibix_abi::fs::open(path, O_RDWR | O_CREAT | O_EXCL, 0o600) {
            Ok(fd) => {
                let _ = vibix_abi::fs::unlink(path);
                return new_stream(fd, CAN_READ | CAN_WRITE);
            }
            Err(e) if e.raw() == EEXIST => continue,
            Err(_) => return null_mut(),
        }
    }
    null_mut()
}

/// Removes the file or (empty) directory `path`.
///
/// # Safety
///
/// `path` is a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn remove(path: *const c_char) -> c_int {
    // SAFETY: the caller's contract.
    let p = unsafe { CStr::from_ptr(path) };
    match vibix_abi::fs::unlink(p) {
        Ok(()) => 0,
        Err(e) if e.raw() == EISDIR => match vibix_abi::fs::rmdir(p) {
            Ok(()) => 0,
            Err(_) => -1,
        },
        Err(_) => -1,
    }
}

/// Renames `old` to `new`.
///
/// # Safety
///
/// Both are NUL-terminated strings.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn rename(old: *const c_char, new: *const c_char) -> c_int {
    // SAFETY: the caller's contract.
    let (o, n) = unsafe { (CStr::from_ptr(old), CStr::from_ptr(new)) };
    ret(vibix_abi::fs::rename(o, n).map(|()| 0)) as c_int
}

/// Renames `old` (relative to `olddirfd`) to `new` (relative to
/// `newdirfd`): the system call.
///
/// # Safety
///
/// Both are NUL-terminated strings.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn renameat(
    olddirfd: c_int,
    old: *const c_char,
    newdirfd: c_int,
    new: *const c_char,
) -> c_int {
    // SAFETY: the kernel reads the two NUL-terminated paths.
    crate::sysret::ret_int(unsafe {
        vibix_uapi::syscall!(vibix_uapi::nr::RENAMEAT, olddirfd, old, newdirfd, new)
    })
}
